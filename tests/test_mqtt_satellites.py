"""MQTT satellites end to end: a real mosquitto, real satellites, real Home Assistant."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
import json
import logging
from pathlib import Path
import random
import subprocess
import sys
import threading
from types import MappingProxyType
from typing import Any
import wave

from homeassistant import config_entries
from homeassistant.components.assist_pipeline import (
    async_get_pipeline,
    async_update_pipeline,
)
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.os1.const import DOMAIN, SUBENTRY_SATELLITE
from custom_components.os1.diagnostics import async_get_config_entry_diagnostics
from custom_components.os1.protocol import ErrorCode, SatelliteState
from os1_satellite import Satellite, SatelliteOptions
from os1_satellite.audio import FileSpeaker, file_source
from os1_satellite.wake import WakeWordDetector

from .broker import Mosquitto, running_broker
from .conftest import deprecations
from .registry import os1_device
from .satellites import (
    RawClient,
    adopt,
    connected,
    discovery_flow,
    request,
    satellite_entity,
    subscribed,
    until,
)
from .sphinx import pocketsphinx_stt, speak

ACL_EXAMPLE = Path(__file__).parent.parent / "docs" / "mosquitto" / "acl"
KITCHEN_LIGHT = "light.kitchen_lights"
LIVING_ROOM_LIGHT = "light.ceiling_lights"

type MakeSatellite = Callable[..., Satellite]


@pytest.fixture
def broker(tmp_path: Path, socket_enabled: None) -> Iterator[Mosquitto]:
    """Run a real mosquitto broker."""
    broker = Mosquitto(tmp_path)
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
async def mqtt_entry(
    hass: HomeAssistant, broker: Mosquitto, socket_enabled: None, mock_hass_config: None
) -> AsyncIterator[MockConfigEntry]:
    """Set up Home Assistant's MQTT integration on the real broker."""
    entry = MockConfigEntry(
        domain="mqtt", data={"broker": broker.host, "port": broker.port}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    yield entry
    # Disconnect before the broker stops.
    for loaded in hass.config_entries.async_entries(DOMAIN):
        await hass.config_entries.async_unload(loaded.entry_id)
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
async def hub(
    hass: HomeAssistant,
    demo_home: dict[str, str],
    mqtt_entry: MockConfigEntry,
    os1_entry: MockConfigEntry,
    agent_id: str,
) -> MockConfigEntry:
    """Set up OS1 with the MQTT integration, and OS1 as the Assist agent.

    Speech comes from the demo text to speech (an MP3 that Home Assistant
    converts with ffmpeg to each satellite's format).
    """
    pipeline = async_get_pipeline(hass)
    await async_update_pipeline(
        hass,
        pipeline,
        conversation_engine=agent_id,
        conversation_language="en",
        tts_engine="demo",
        tts_language="en",
    )
    await subscribed(hass)
    return os1_entry


@pytest.fixture
async def agent_id(
    hass: HomeAssistant,
    demo_home: dict[str, str],
    mqtt_entry: MockConfigEntry,
    os1_entry: MockConfigEntry,
) -> str:
    """Set OS1 up after MQTT and the demo text to speech; return its agent id."""
    assert await async_setup_component(hass, "tts", {"tts": {"platform": "demo"}})
    assert await hass.config_entries.async_setup(os1_entry.entry_id)
    await hass.async_block_till_done()
    entity_id = er.async_get(hass).async_get_entity_id(
        "conversation", DOMAIN, os1_entry.entry_id
    )
    assert entity_id is not None
    return entity_id


@pytest.fixture
def satellites(broker: Mosquitto) -> Iterator[MakeSatellite]:
    """Make reference satellites connected to the broker; close them afterwards."""
    made: list[Satellite] = []

    def make(site: str, **options: Any) -> Satellite:
        speaker = options.pop("speaker", None)
        detector = options.pop("detector", None)
        satellite = Satellite(
            SatelliteOptions(
                site=site,
                name=options.pop("name", f"{site.title()} satellite"),
                host=broker.host,
                port=broker.port,
                **options,
            ),
            speaker=speaker,
            detector=detector,
        )
        satellite.connect()
        made.append(satellite)
        return satellite

    yield make
    for satellite in made:
        satellite.close()


@pytest.fixture
async def kitchen(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    satellites: MakeSatellite,
) -> Satellite:
    """Return the kitchen satellite, adopted into the Kitchen."""
    satellite = await connected(hass, satellites("kitchen"))
    await adopt(hass, satellite, demo_home["Kitchen"])
    return satellite


@pytest.fixture
async def kitchen_with_speaker(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    satellites: MakeSatellite,
    tmp_path: Path,
) -> Satellite:
    """Return a kitchen satellite that writes what it plays to kitchen.wav."""
    satellite = await connected(
        hass, satellites("kitchen", speaker=FileSpeaker(tmp_path / "kitchen.wav"))
    )
    await adopt(hass, satellite, demo_home["Kitchen"])
    return satellite


@pytest.fixture
async def bedroom_with_speaker(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    satellites: MakeSatellite,
    tmp_path: Path,
) -> Satellite:
    """Return a bedroom satellite that writes what it plays to bedroom.wav."""
    satellite = await connected(
        hass, satellites("bedroom", speaker=FileSpeaker(tmp_path / "bedroom.wav"))
    )
    await adopt(hass, satellite, demo_home["Bedroom"])
    return satellite


async def test_discovered_satellite_is_adopted_into_its_area(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    satellites: MakeSatellite,
) -> None:
    """A satellite that announces itself appears, and the user puts it in a room."""
    satellite = await connected(hass, satellites("kitchen", area="Kitchen"))
    entity_id = await adopt(hass, satellite, demo_home["Kitchen"], "Kitchen speaker")

    device = os1_device(hass, "kitchen")
    assert device is not None
    assert device.name == "Kitchen speaker"
    assert device.area_id == demo_home["Kitchen"]
    assert device.sw_version == "0.1.0"
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "idle"
    subentry = next(iter(hub.subentries.values()))
    assert subentry.unique_id == "kitchen"
    assert subentry.title == "Kitchen speaker"


async def test_text_request_acts_in_the_satellites_room(
    hass: HomeAssistant, kitchen: Satellite
) -> None:
    """'Turn off the lights' typed at the kitchen satellite turns off the kitchen's."""
    assert hass.states.get(KITCHEN_LIGHT).state == STATE_ON
    assert hass.states.get(LIVING_ROOM_LIGHT).state == STATE_ON

    await request(kitchen, "turn off the lights")

    assert hass.states.get(KITCHEN_LIGHT).state == STATE_OFF
    assert hass.states.get(LIVING_ROOM_LIGHT).state == STATE_ON
    assert "kitchen" in kitchen.said[-1].lower()


async def test_unadopted_satellite_gets_nothing_done(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    satellites: MakeSatellite,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A satellite nobody adopted is refused and logged once."""
    caplog.set_level(logging.INFO)
    stranger = await connected(hass, satellites("garage"))
    await until(
        lambda: hass.config_entries.flow.async_progress_by_handler(DOMAIN), "discovery"
    )

    stranger.send_text("turn off the lights")
    await until(lambda: stranger.errors, "the refusal")
    stranger.send_text("turn off the kitchen lights")
    await asyncio.sleep(1)

    assert stranger.errors[0].code == ErrorCode.NOT_ADOPTED
    assert hass.states.get(KITCHEN_LIGHT).state == STATE_ON
    assert not stranger.said
    assert caplog.text.count("Ignoring satellite garage") == 1


@pytest.fixture
async def sphinx(
    hass: HomeAssistant, tmp_path: Path, hub: MockConfigEntry
) -> AsyncIterator[str]:
    """Use pocketsphinx, with a grammar made from OS1's sentences, as the STT."""
    async with pocketsphinx_stt(hass, tmp_path) as entity_id:
        yield entity_id


def _wav(path: Path) -> tuple[int, float]:
    """Return a WAV file's sample rate and duration."""
    with wave.open(str(path), "rb") as wav:
        return wav.getframerate(), wav.getnframes() / wav.getframerate()


async def test_spoken_request_after_the_wake_word(
    hass: HomeAssistant,
    sphinx: str,
    demo_home: dict[str, str],
    satellites: MakeSatellite,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """'Hey Jarvis ... turn off the lights': heard on the device, done, answered aloud."""
    answer = tmp_path / "answer.wav"
    detector = await hass.async_add_executor_job(WakeWordDetector, "hey_jarvis")
    kitchen = await connected(
        hass, satellites("kitchen", detector=detector, speaker=FileSpeaker(answer))
    )
    await adopt(hass, kitchen, demo_home["Kitchen"])
    microphone = tmp_path / "microphone.raw"
    audio = await hass.async_add_executor_job(speak, "hey jarvis", tmp_path / "wake")
    audio += await hass.async_add_executor_job(
        speak, "turn off the lights", tmp_path / "request"
    )
    await hass.async_add_executor_job(microphone.write_bytes, audio)

    await hass.async_add_executor_job(kitchen.run, file_source(microphone))

    assert hass.states.get(KITCHEN_LIGHT).state == STATE_OFF
    assert hass.states.get(LIVING_ROOM_LIGHT).state == STATE_ON
    assert "kitchen" in kitchen.said[-1].lower()
    rate, seconds = _wav(answer)
    assert rate == 22050
    assert seconds > 0.3
    assert kitchen.states[:4] == [
        SatelliteState.LISTENING,
        SatelliteState.PROCESSING,
        SatelliteState.RESPONDING,
        SatelliteState.IDLE,
    ]
    # Nothing OS1 did at set-up or in use is deprecated in Home Assistant.
    assert not deprecations(caplog)


async def test_no_wake_word_no_request(
    hass: HomeAssistant,
    sphinx: str,
    demo_home: dict[str, str],
    satellites: MakeSatellite,
    tmp_path: Path,
) -> None:
    """Speech without the wake word stays on the satellite: nothing happens."""
    detector = await hass.async_add_executor_job(WakeWordDetector, "hey_jarvis")
    kitchen = await connected(hass, satellites("kitchen", detector=detector))
    await adopt(hass, kitchen, demo_home["Kitchen"])
    microphone = tmp_path / "microphone.raw"
    audio = await hass.async_add_executor_job(
        speak, "turn off the lights", tmp_path / "request"
    )
    await hass.async_add_executor_job(microphone.write_bytes, audio)

    await hass.async_add_executor_job(kitchen.run, file_source(microphone))

    assert hass.states.get(KITCHEN_LIGHT).state == STATE_ON
    assert not kitchen.states


async def test_announcement_plays_only_on_its_satellite(
    hass: HomeAssistant,
    kitchen_with_speaker: Satellite,
    bedroom_with_speaker: Satellite,
    tmp_path: Path,
) -> None:
    """An announcement to the kitchen plays in the kitchen, not in the bedroom."""
    kitchen, bedroom = kitchen_with_speaker, bedroom_with_speaker
    kitchen_entity = satellite_entity(hass, "kitchen")

    await hass.services.async_call(
        "assist_satellite",
        "announce",
        {"entity_id": kitchen_entity, "message": "Dinner is ready"},
        blocking=True,
    )

    assert kitchen.said == ["Dinner is ready"]
    assert len(kitchen.played) == 1
    assert _wav(tmp_path / "kitchen.wav")[1] > 0.3
    assert not bedroom.said
    assert not bedroom.played
    assert not (tmp_path / "bedroom.wav").exists()


async def test_started_conversation_listens_for_the_answer(
    hass: HomeAssistant,
    sphinx: str,
    kitchen_with_speaker: Satellite,
    tmp_path: Path,
) -> None:
    """OS1 asks, then listens without a wake word; the answer is acted on."""
    kitchen = kitchen_with_speaker
    entity_id = satellite_entity(hass, "kitchen")

    await hass.services.async_call(
        "assist_satellite",
        "start_conversation",
        {"entity_id": entity_id, "start_message": "Shall I turn off the lights?"},
        blocking=True,
    )
    microphone = tmp_path / "microphone.raw"
    audio = await hass.async_add_executor_job(
        speak, "turn off the lights", tmp_path / "answer"
    )
    await hass.async_add_executor_job(microphone.write_bytes, audio)
    await hass.async_add_executor_job(kitchen.run, file_source(microphone))

    assert kitchen.said[0] == "Shall I turn off the lights?"
    assert hass.states.get(KITCHEN_LIGHT).state == STATE_OFF


async def test_mute_and_wake_word_settings(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    satellites: MakeSatellite,
) -> None:
    """The satellite's declared settings show up as entities that change it."""
    detector = await hass.async_add_executor_job(WakeWordDetector, "hey_jarvis")
    kitchen = await connected(hass, satellites("kitchen", detector=detector))
    entity_id = await adopt(hass, kitchen, demo_home["Kitchen"])
    registry = er.async_get(hass)
    mute = registry.async_get_entity_id("switch", DOMAIN, "kitchen-mute")
    wake_word = registry.async_get_entity_id("select", DOMAIN, "kitchen-wake_word")
    assert mute and wake_word
    await until(lambda: hass.states.get(mute).state == STATE_OFF, "mute off")
    assert hass.states.get(wake_word).state == "hey_jarvis"
    assert "alexa" in hass.states.get(wake_word).attributes["options"]

    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": mute}, blocking=True
    )
    await until(lambda: hass.states.get(mute).state == STATE_ON, "mute on")
    assert kitchen.muted
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": wake_word, "option": "alexa"},
        blocking=True,
    )
    await until(lambda: hass.states.get(wake_word).state == "alexa", "alexa")
    assert detector.wake_word == "alexa"
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "assist_satellite/get_configuration", "entity_id": entity_id}
    )
    response = await client.receive_json()
    assert response["result"]["active_wake_words"] == ["alexa"]
    assert len(response["result"]["available_wake_words"]) == 5


async def test_satellite_goes_offline_and_comes_back(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    broker: Mosquitto,
    satellites: MakeSatellite,
    tmp_path: Path,
) -> None:
    """A crashed satellite turns unavailable (last will) and back when it returns."""
    command = [
        str(Path(sys.executable).with_name("os1-satellite")),
        "--site=porch",
        "--name=Porch satellite",
        "--host",
        broker.host,
        "--port",
        str(broker.port),
        "--text",
    ]
    process = await asyncio.create_subprocess_exec(
        *command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    try:
        await until(lambda: discovery_flow(hass, "porch"), "porch to be discovered")
        flow = discovery_flow(hass, "porch")
        assert flow is not None
        await hass.config_entries.flow.async_configure(
            flow["flow_id"], {"name": "Porch", "area": demo_home["Kitchen"]}
        )
        await hass.async_block_till_done()
        entity_id = satellite_entity(hass, "porch")
        assert entity_id is not None
        await until(lambda: hass.states.get(entity_id).state == "idle", "porch online")
        await subscribed(hass)

        process.kill()  # No goodbye: the broker publishes the last will.
        await until(
            lambda: hass.states.get(entity_id).state == STATE_UNAVAILABLE,
            "porch unavailable",
        )
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()

    porch = await connected(hass, satellites("porch"))
    await until(lambda: hass.states.get(entity_id).state == "idle", "porch back")
    await request(porch, "turn off the lights")
    assert hass.states.get(KITCHEN_LIGHT).state == STATE_OFF


async def test_broker_restart_is_recovered(
    hass: HomeAssistant,
    kitchen: Satellite,
    broker: Mosquitto,
) -> None:
    """The broker restarts: satellites go unavailable, then work again."""
    entity_id = satellite_entity(hass, "kitchen")
    assert entity_id is not None
    # The MQTT client announces itself once discovery settles; let it finish.
    await hass.async_block_till_done(wait_background_tasks=True)

    await hass.async_add_executor_job(broker.restart)
    await until(
        lambda: hass.states.get(entity_id).state == STATE_UNAVAILABLE,
        "unavailable while the broker is down",
    )
    await until(
        lambda: hass.states.get(entity_id).state == "idle", "back online", seconds=40
    )
    await subscribed(hass)
    await request(kitchen, "turn off the lights")
    assert hass.states.get(KITCHEN_LIGHT).state == STATE_OFF
    # Let the MQTT client finish its reconnection before the test ends.
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_bad_payloads_are_refused_and_logged(
    hass: HomeAssistant,
    kitchen: Satellite,
    broker: Mosquitto,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Malformed and oversized messages get an error reply; nothing breaks."""
    raw = RawClient(broker)
    try:
        raw.publish("os1/kitchen/text", "turn off the lights")  # Not JSON.
        raw.publish("os1/kitchen/text", json.dumps({"text": "x" * 501}))
        raw.publish("os1/kitchen/wake", json.dumps({"wake_word": "a" * 5000}))
        raw.publish("os1/kitchen/status", "maybe")
        raw.publish("os1/kitchen/audio/start", json.dumps({"session": "s1"}))
        raw.publish("os1/kitchen/audio/chunk", bytes(40_000))  # Too big a chunk.
        raw.publish("os1/kitchen/audio/chunk", bytes(101))  # Half a sample.
        raw.publish("os1/Kitchen!/text", json.dumps({"text": "hi"}))  # Bad site id.
        await until(lambda: len(kitchen.errors) >= 5, "five error replies")
    finally:
        raw.close()

    invalid = [error for error in kitchen.errors if error.code == ErrorCode.INVALID]
    assert len(invalid) >= 5
    assert "payload is not JSON" in caplog.text
    assert "exceeds 4096" in caplog.text
    assert "exceeds 32000" in caplog.text
    assert hass.states.get(KITCHEN_LIGHT).state == STATE_ON
    # Still listening to the satellite:
    await request(kitchen, "turn off the lights")
    assert hass.states.get(KITCHEN_LIGHT).state == STATE_OFF


async def test_endless_audio_is_cut_off(
    hass: HomeAssistant,
    sphinx: str,
    kitchen: Satellite,
) -> None:
    """A satellite that never stops streaming is stopped and told so."""
    # Loud noise never ends the way speech does.
    noise = random.Random(1).randbytes(32_000)
    await hass.async_add_executor_job(kitchen.stream_request, iter([noise] * 40))
    await until(lambda: kitchen.errors, "the error reply", seconds=30)

    assert kitchen.errors[-1].code == ErrorCode.PIPELINE
    assert hass.states.get(KITCHEN_LIGHT).state == STATE_ON
    await request(kitchen, "turn off the lights")
    assert hass.states.get(KITCHEN_LIGHT).state == STATE_OFF


async def test_requests_are_rate_limited(
    hass: HomeAssistant, kitchen: Satellite
) -> None:
    """A satellite flooding requests gets six through per half minute."""
    for _ in range(8):
        kitchen.send_text("turn on the lights")
    await until(
        lambda: (
            sum(error.code == ErrorCode.RATE_LIMITED for error in kitchen.errors) == 2
        ),
        "two refusals",
    )
    await until(lambda: len(kitchen.said) == 6, "six answers")


async def test_per_satellite_credentials_and_acl(
    hass: HomeAssistant,
    tmp_path: Path,
    socket_enabled: None,
    mock_hass_config: None,
    demo_home: dict[str, str],
    os1_entry: MockConfigEntry,
) -> None:
    """With the documented ACL a satellite can only speak for its own site."""
    users = {"homeassistant": "ha-secret", "kitchen": "k-secret", "bedroom": "b-secret"}
    acl = await hass.async_add_executor_job(ACL_EXAMPLE.read_text)
    made: list[Satellite] = []
    with running_broker(tmp_path, users, acl) as secured:
        mqtt = MockConfigEntry(
            domain="mqtt",
            data={
                "broker": secured.host,
                "port": secured.port,
                "username": "homeassistant",
                "password": "ha-secret",
            },
        )
        mqtt.add_to_hass(hass)
        assert await hass.config_entries.async_setup(mqtt.entry_id)
        assert await hass.config_entries.async_setup(os1_entry.entry_id)
        await hass.async_block_till_done()
        await subscribed(hass)

        def satellite(site: str, password: str) -> Satellite:
            made.append(
                Satellite(
                    SatelliteOptions(
                        site=site,
                        name=site.title(),
                        host=secured.host,
                        port=secured.port,
                        username=site,
                        password=password,
                    )
                )
            )
            made[-1].connect()
            return made[-1]

        try:
            kitchen = await connected(hass, satellite("kitchen", "k-secret"))
            bedroom = await connected(hass, satellite("bedroom", "b-secret"))
            await adopt(hass, kitchen, demo_home["Kitchen"])
            await adopt(hass, bedroom, demo_home["Bedroom"])
            intruder = satellite("living_room", "wrong")
            # The kitchen's credentials cannot speak for the bedroom.
            raw = RawClient(secured, "kitchen", "k-secret")
            raw.publish("os1/bedroom/text", json.dumps({"text": "turn on the lights"}))
            raw.close()
            await request(kitchen, "turn off the lights")
            await asyncio.sleep(0.5)

            assert hass.states.get(KITCHEN_LIGHT).state == STATE_OFF
            assert hass.states.get("light.bed_light").state == STATE_OFF
            assert not bedroom.said
            assert not intruder.connected.is_set()
        finally:
            for client in made:
                client.close()
            for entry in (os1_entry, mqtt):
                await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()


async def test_adopt_a_waiting_satellite_from_the_hub(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    satellites: MakeSatellite,
) -> None:
    """The hub's "Adopt a satellite" lists satellites that are online, unadopted."""
    await connected(hass, satellites("bedroom", area="Bedroom"))
    await until(lambda: discovery_flow(hass, "bedroom"), "bedroom to be seen")

    result = await hass.config_entries.subentries.async_init(
        (hub.entry_id, SUBENTRY_SATELLITE),
        context={"source": config_entries.SOURCE_USER},
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"site": "bedroom", "name": "Bedside", "area": demo_home["Bedroom"]},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    entity_id = satellite_entity(hass, "bedroom")
    assert entity_id is not None
    await until(lambda: hass.states.get(entity_id).state == "idle", "bedroom online")
    device = os1_device(hass, "bedroom")
    assert device is not None
    assert device.name == "Bedside"
    assert device.area_id == demo_home["Bedroom"]
    # Its discovery notice is gone: the satellite is adopted.
    await until(lambda: not discovery_flow(hass, "bedroom"), "discovery to end")


async def test_typed_request_is_answered_aloud(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    satellites: MakeSatellite,
    tmp_path: Path,
) -> None:
    """A satellite with a speaker also hears the answer to a typed request."""
    answer = tmp_path / "answer.wav"
    kitchen = await connected(hass, satellites("kitchen", speaker=FileSpeaker(answer)))
    await adopt(hass, kitchen, demo_home["Kitchen"])

    kitchen.send_text("turn off the lights")
    await until(lambda: kitchen.played, "the spoken answer")

    assert hass.states.get(KITCHEN_LIGHT).state == STATE_OFF
    rate, seconds = _wav(answer)
    assert (rate, seconds > 0.3) == (22050, True)
    await until(lambda: kitchen.state == SatelliteState.IDLE, "idle again")


async def test_satellite_without_a_room_asks_which_room(
    hass: HomeAssistant, hub: MockConfigEntry, satellites: MakeSatellite
) -> None:
    """OS1 asks back and the satellite is told to listen for the answer."""
    hallway = await connected(hass, satellites("hallway"))
    await adopt(hass, hallway, None)

    hallway.send_text("turn off the lights")
    await until(lambda: hallway._listen, "the satellite to be asked to listen")

    assert hallway.said == ["Which room do you mean?"]
    hallway.send_text("the kitchen")
    await until(lambda: len(hallway.said) == 2, "the second answer")
    assert hass.states.get(KITCHEN_LIGHT).state == STATE_OFF


@pytest.fixture
def media_server(tmp_path: Path, socket_enabled: None) -> Iterator[str]:
    """Serve a chime and a spoken message over HTTP, like a media server would."""
    speak("ding dong", tmp_path / "chime")
    speak("the laundry is done", tmp_path / "laundry")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


async def test_announcing_media_with_a_chime(
    hass: HomeAssistant,
    kitchen_with_speaker: Satellite,
    media_server: str,
) -> None:
    """Media announcements play after the chime, converted to the satellite's format."""
    entity_id = satellite_entity(hass, "kitchen")
    await hass.services.async_call(
        "assist_satellite",
        "announce",
        {
            "entity_id": entity_id,
            "media_id": f"{media_server}/laundry.wav",
            "preannounce_media_id": f"{media_server}/chime.wav",
        },
        blocking=True,
    )
    assert len(kitchen_with_speaker.played) == 2


async def test_unreachable_media_is_skipped(
    hass: HomeAssistant,
    kitchen_with_speaker: Satellite,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Media that cannot be read is logged; the announcement does not hang."""
    await hass.services.async_call(
        "assist_satellite",
        "announce",
        {
            "entity_id": satellite_entity(hass, "kitchen"),
            "media_id": "http://127.0.0.1:9/missing.mp3",
            "preannounce": False,
        },
        blocking=True,
    )
    assert not kitchen_with_speaker.played
    assert "could not play http://127.0.0.1:9/missing.mp3" in caplog.text


async def test_diagnostics_describe_the_satellites(
    hass: HomeAssistant, hub: MockConfigEntry, kitchen: Satellite
) -> None:
    """Diagnostics list adopted satellites and their traffic, nothing secret."""
    await request(kitchen, "turn off the lights")
    diagnostics = await async_get_config_entry_diagnostics(hass, hub)
    satellites = diagnostics["satellites"]
    assert satellites["mqtt"] is True
    (adopted,) = satellites["adopted"]
    assert adopted["site"] == "kitchen"
    assert adopted["online"] is True
    assert adopted["requests"]["requests"] == 1


async def test_each_satellite_can_use_its_own_pipeline(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    kitchen: Satellite,
) -> None:
    """Choosing another Assist pipeline for a satellite changes who answers it."""
    assert "Samantha" in await request(kitchen, "who are you")
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "assist_pipeline/pipeline/create",
            "name": "Home Assistant only",
            "language": "en",
            "conversation_engine": "conversation.home_assistant",
            "conversation_language": "en",
            "stt_engine": None,
            "stt_language": None,
            "tts_engine": None,
            "tts_language": None,
            "tts_voice": None,
            "wake_word_entity": None,
            "wake_word_id": None,
        }
    )
    assert (await client.receive_json())["success"]
    select = er.async_get(hass).async_get_entity_id(
        "select", DOMAIN, "kitchen-pipeline"
    )
    assert select is not None
    assert "Home Assistant only" in hass.states.get(select).attributes["options"]

    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": select, "option": "Home Assistant only"},
        blocking=True,
    )

    assert "Samantha" not in await request(kitchen, "who are you")


async def test_reminder_is_said_where_it_was_asked_for(
    hass: HomeAssistant,
    kitchen_with_speaker: Satellite,
    bedroom_with_speaker: Satellite,
) -> None:
    """A reminder comes back on the satellite that took it, then everywhere if it is gone."""
    kitchen, bedroom = kitchen_with_speaker, bedroom_with_speaker

    kitchen.send_text("remind me to call my mom in 2 seconds")
    await until(lambda: kitchen.said, "the answer")
    assert kitchen.said == ["Okay, I'll remind you to call your mom in 2 seconds."]
    await until(lambda: len(kitchen.said) > 1, "the reminder")
    assert kitchen.said[1] == "Here's your reminder: call your mom."
    await hass.async_block_till_done(wait_background_tasks=True)  # Played out.
    assert not bedroom.said
    kitchen.send_text("done")
    await until(lambda: len(kitchen.said) > 2, "the acknowledgement")
    assert kitchen.said[2] == "Great, call your mom is done."

    # The kitchen satellite is gone when the next one falls due: every satellite says it.
    kitchen.send_text("remind me to take the cake out in 5 seconds")
    await until(lambda: len(kitchen.said) > 3, "the answer")
    kitchen_entity = satellite_entity(hass, "kitchen")
    kitchen.close()
    await until(
        lambda: hass.states.get(kitchen_entity).state == STATE_UNAVAILABLE,
        "the kitchen satellite offline",
    )
    await until(lambda: bedroom.said, "the reminder in the bedroom")
    assert bedroom.said == ["Here's your reminder: take the cake out."]
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_reminder_finds_the_person_in_another_room(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    kitchen_with_speaker: Satellite,
    bedroom_with_speaker: Satellite,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Anna asks in the kitchen, then walks to the bedroom: the reminder is said there.

    She is the only one home, so the kitchen's voice is hers; her phone and the
    bedroom satellite's presence message place her in the bedroom.
    """
    kitchen, bedroom = kitchen_with_speaker, bedroom_with_speaker
    assert await async_setup_component(
        hass, "person", {"person": [{"id": "anna", "name": "Anna"}]}
    )
    hass.states.async_set("sensor.anna_phone_area", "unknown")
    hass.config_entries.async_update_entry(
        hub, options={**hub.options, "presence": {"dwell": 0}}
    )
    await hass.async_block_till_done()
    hass.config_entries.async_add_subentry(
        hub,
        config_entries.ConfigSubentry(
            data=MappingProxyType(
                {"person": "person.anna", "ble_sensors": ["sensor.anna_phone_area"]}
            ),
            subentry_type="person",
            title="Anna",
            unique_id="person.anna",
        ),
    )
    await hass.async_block_till_done()
    for site in ("kitchen", "bedroom"):
        entity_id = satellite_entity(hass, site)
        await until(
            lambda entity_id=entity_id: (
                hass.states.get(entity_id).state != STATE_UNAVAILABLE
            ),
            f"{site} back after the reload",
        )
    await subscribed(hass)
    room = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, "person.anna-room")

    kitchen.send_text("remind me to call my mom in 5 seconds")
    await until(lambda: kitchen.said, "the answer")
    assert hass.states.get(room).state == "Kitchen"
    reminder = hub.runtime_data.reminders.book.upcoming()[0]
    assert reminder.person == "person.anna"

    bedroom.send_presence(True, "Someone Else")
    await until(lambda: "not a person OS1 follows" in caplog.text, "the warning")
    hass.states.async_set("sensor.anna_phone_area", "Bedroom")
    bedroom.send_presence(True, "Anna")
    kitchen.send_presence(False)  # Nobody left in the kitchen.
    await until(lambda: hass.states.get(room).state == "Bedroom", "Anna in the bedroom")
    await until(lambda: bedroom.said, "the reminder in the bedroom")
    assert bedroom.said == ["Here's your reminder: call your mom."]
    assert kitchen.said == ["Okay, I'll remind you to call your mom in 5 seconds."]
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_timer_set_through_a_satellite_is_said_when_done(
    hass: HomeAssistant, kitchen_with_speaker: Satellite
) -> None:
    """MQTT satellites show no timers: OS1 says on the satellite when one is done."""
    kitchen = kitchen_with_speaker
    kitchen.send_text("set a timer for 2 seconds")
    await until(lambda: kitchen.said, "the answer")
    await until(lambda: "Your timer is done." in kitchen.said, "the timer")
    await hass.async_block_till_done(wait_background_tasks=True)
