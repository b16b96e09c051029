"""Wyoming satellites on a real Home Assistant, against real Wyoming TCP peers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from ipaddress import ip_address
import logging
from pathlib import Path
import socket
import sys

from homeassistant import config_entries
from homeassistant.components import conversation
from homeassistant.components.assist_pipeline import (
    async_get_pipeline,
    async_update_pipeline,
)
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from wyoming.audio import AudioChunk, AudioStop
from wyoming.event import Event
from wyoming.pipeline import PipelineStage, RunPipeline
from wyoming.wake import Detection

from custom_components.os1.const import DOMAIN, SUBENTRY_WYOMING

from .conftest import deprecations
from .registry import os1_device
from .satellites import satellite_entity, until
from .sphinx import pocketsphinx_stt, speak
from .wake import openwakeword
from .wyoming_satellites import EmulatedSatellite, free_port

KITCHEN_LIGHT = "light.kitchen_lights"
LIVING_ROOM_LIGHT = "light.ceiling_lights"


@pytest.fixture
async def hub(
    hass: HomeAssistant,
    demo_home: dict[str, str],
    os1_entry: MockConfigEntry,
    socket_enabled: None,
) -> MockConfigEntry:
    """Set OS1 up as the Assist agent, with the demo text to speech."""
    assert await async_setup_component(hass, "tts", {"tts": {"platform": "demo"}})
    assert await hass.config_entries.async_setup(os1_entry.entry_id)
    await hass.async_block_till_done()
    agent_id = er.async_get(hass).async_get_entity_id(
        "conversation", DOMAIN, os1_entry.entry_id
    )
    await async_update_pipeline(
        hass,
        async_get_pipeline(hass),
        conversation_engine=agent_id,
        conversation_language="en",
        tts_engine="demo",
        tts_language="en",
    )
    return os1_entry


@pytest.fixture
async def kitchen(socket_enabled: None) -> AsyncIterator[EmulatedSatellite]:
    """Return a Wyoming satellite listening on a real port (not adopted yet)."""
    satellite = EmulatedSatellite()
    await satellite.start()
    yield satellite
    await satellite.stop()


def site_of(satellite: EmulatedSatellite | int) -> str:
    """Return the site id OS1 gives a satellite on this machine (or its port)."""
    port = satellite if isinstance(satellite, int) else satellite.port
    return f"wyoming-127_0_0_1-{port}"


async def adopt(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    satellite: EmulatedSatellite | int,
    area_id: str | None,
) -> str:
    """Add a Wyoming satellite by its address; return its entity once it is up."""
    result = await hass.config_entries.subentries.async_init(
        (hub.entry_id, SUBENTRY_WYOMING),
        context={"source": config_entries.SOURCE_USER},
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"host": "127.0.0.1", "port": int(site_of(satellite).rsplit("-", 1)[1])}
        | ({"area": area_id} if area_id else {}),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entity_id = satellite_entity(hass, site_of(satellite))
    assert entity_id is not None
    await until(lambda: hass.states.get(entity_id).state == "idle", "connected")
    return entity_id


@pytest.fixture
async def kitchen_entity(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    kitchen: EmulatedSatellite,
) -> AsyncIterator[str]:
    """Return the kitchen satellite's entity, adopted into the Kitchen."""
    yield await adopt(hass, hub, kitchen, demo_home["Kitchen"])
    await hass.config_entries.async_unload(hub.entry_id)
    await hass.async_block_till_done()


async def test_added_by_address_into_its_area(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    kitchen: EmulatedSatellite,
) -> None:
    """A satellite added by host and port becomes a device in its area, and runs."""
    entity_id = await adopt(hass, hub, kitchen, demo_home["Kitchen"])
    device = os1_device(hass, site_of(kitchen))
    assert device is not None
    assert (device.name, device.model, device.area_id) == (
        "Kitchen satellite",
        "Wyoming satellite",
        demo_home["Kitchen"],
    )
    await kitchen.wait_for("run-satellite")
    assert kitchen.types[-2:] == ["describe", "run-satellite"]
    assert {
        entry.entity_id.split(".")[0]
        for entry in er.async_entries_for_device(er.async_get(hass), device.id)
    } == {"assist_satellite", "select", "switch"}
    assert hass.states.get(entity_id).state == "idle"

    # The same satellite can't be added twice.
    result = await hass.config_entries.subentries.async_init(
        (hub.entry_id, SUBENTRY_WYOMING),
        context={"source": config_entries.SOURCE_USER},
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"host": "127.0.0.1", "port": kitchen.port}
    )
    assert result["reason"] == "already_configured"
    await hass.config_entries.async_unload(hub.entry_id)
    await kitchen.wait_for("pause-satellite")


async def test_unreachable_or_not_a_satellite(
    hass: HomeAssistant, hub: MockConfigEntry
) -> None:
    """An address with no satellite behind it gets a clear error, and nothing is added."""
    result = await hass.config_entries.subentries.async_init(
        (hub.entry_id, SUBENTRY_WYOMING),
        context={"source": config_entries.SOURCE_USER},
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"host": "127.0.0.1", "port": free_port()}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    assert "can't connect" in result["description_placeholders"]["reason"]

    speech = EmulatedSatellite(satellite=False)
    await speech.start()
    try:
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"host": "127.0.0.1", "port": speech.port}
        )
    finally:
        await speech.stop()
    assert result["errors"] == {"base": "cannot_connect"}
    assert result["description_placeholders"]["reason"] == (
        "the service is not a satellite"
    )
    assert not hub.subentries


async def test_discovered_on_the_network(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    kitchen: EmulatedSatellite,
) -> None:
    """A satellite found by zeroconf is offered, and adopted into an area."""
    info = zeroconf_info(kitchen)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_ZEROCONF}, data=info
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "adopt"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Kitchen", "area": demo_home["Kitchen"]}
    )
    assert result["reason"] == "satellite_adopted"
    await hass.async_block_till_done()
    entity_id = satellite_entity(hass, site_of(kitchen))
    assert entity_id is not None
    await until(lambda: hass.states.get(entity_id).state == "idle", "connected")

    again = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_ZEROCONF}, data=info
    )
    assert again["reason"] == "already_configured"
    await hass.config_entries.async_unload(hub.entry_id)


async def test_spoken_request_turns_on_the_rooms_light(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    kitchen: EmulatedSatellite,
    kitchen_entity: str,
    tmp_path: Path,
) -> None:
    """After its wake word, the satellite's speech reaches OS1, in its room, and the answer plays."""
    async with pocketsphinx_stt(hass, tmp_path):
        await hass.services.async_call(
            "light", "turn_off", {"entity_id": "all"}, blocking=True
        )
        audio = await hass.async_add_executor_job(
            speak, "turn on the lights", tmp_path / "request"
        )
        await kitchen.send(Detection(name="hey_jarvis").event())
        await kitchen.send(
            RunPipeline(
                start_stage=PipelineStage.ASR, end_stage=PipelineStage.TTS
            ).event()
        )
        await kitchen.send_audio(audio + bytes(16000 * 2 * 2))
        transcript = await kitchen.wait_for("transcript")
        assert transcript.data["text"].startswith("turn on the light")
        await until(lambda: kitchen.played, "the spoken answer")
        # "The lights" are the satellite's room's: the kitchen's, and only those.
        assert hass.states.get(KITCHEN_LIGHT).state == STATE_ON
        assert hass.states.get(LIVING_ROOM_LIGHT).state == STATE_OFF
        assert len(kitchen.played[0]) > 22050 * 2 * 0.3  # Speech, in its format.
        await until(lambda: hass.states.get(kitchen_entity).state == "idle", "idle")


async def test_announcement_plays_and_waits_for_played(
    hass: HomeAssistant, kitchen: EmulatedSatellite, kitchen_entity: str
) -> None:
    """An announcement is synthesized in the satellite's format and played there."""
    await hass.services.async_call(
        "assist_satellite",
        "announce",
        {"entity_id": kitchen_entity, "message": "Dinner is ready"},
        blocking=True,
    )
    assert len(kitchen.played) == 1
    assert len(kitchen.played[0]) > 22050 * 2 * 0.3
    assert "played" not in kitchen.types  # The satellite sent it; OS1 waited.


async def test_satellite_down_and_back(
    hass: HomeAssistant, kitchen: EmulatedSatellite, kitchen_entity: str
) -> None:
    """A satellite that goes away is unavailable, and serves again when it returns."""
    await kitchen.stop()
    await until(
        lambda: hass.states.get(kitchen_entity).state == STATE_UNAVAILABLE,
        "unavailable",
    )
    await kitchen.start()
    await until(
        lambda: hass.states.get(kitchen_entity).state == "idle", "back", seconds=20
    )
    assert kitchen.connections >= 2


async def test_bad_events_are_logged_and_skipped(
    hass: HomeAssistant,
    kitchen: EmulatedSatellite,
    kitchen_entity: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Events OS1 can't use are logged with the reason; the satellite keeps working."""
    await kitchen.send(
        RunPipeline(
            start_stage=PipelineStage.INTENT, end_stage=PipelineStage.TTS
        ).event()
    )
    await kitchen.send(
        RunPipeline(start_stage=PipelineStage.ASR, end_stage=PipelineStage.TTS).event()
    )
    await kitchen.send_raw(b'{"type": "audio-chunk", "data": {"rate": 8000}}\n')
    await until(lambda: "bad audio-chunk event" in caplog.text, "the reason logged")
    assert "starting at intent is not supported" in caplog.text
    assert hass.states.get(kitchen_entity).state != STATE_UNAVAILABLE


def zeroconf_info(satellite: EmulatedSatellite) -> ZeroconfServiceInfo:
    """Return what zeroconf tells Home Assistant about a satellite."""
    return ZeroconfServiceInfo(
        ip_address=ip_address("127.0.0.1"),
        ip_addresses=[ip_address("127.0.0.1")],
        port=satellite.port,
        hostname="satellite.local.",
        type="_wyoming._tcp.local.",
        name="satellite._wyoming._tcp.local.",
        properties={},
    )


async def test_discovery_without_a_hub_and_of_other_services(
    hass: HomeAssistant,
    demo_home: dict[str, str],
    kitchen: EmulatedSatellite,
) -> None:
    """The first satellite found sets OS1 up with it; other Wyoming services are skipped."""
    assert await async_setup_component(hass, "conversation", {})
    speech = EmulatedSatellite(satellite=False)
    await speech.start()
    try:
        result = await hass.config_entries.flow.async_init(
            DOMAIN,
            context={"source": config_entries.SOURCE_ZEROCONF},
            data=zeroconf_info(speech),
        )
    finally:
        await speech.stop()
    assert result["reason"] == "not_a_satellite"

    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": config_entries.SOURCE_ZEROCONF},
        data=zeroconf_info(kitchen),
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "", "area": demo_home["Kitchen"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    hub = result["result"]
    [subentry] = hub.subentries.values()
    assert (subentry.title, subentry.subentry_type) == (
        "Kitchen satellite",
        SUBENTRY_WYOMING,
    )
    entity_id = satellite_entity(hass, site_of(kitchen))
    assert entity_id is not None
    await until(lambda: hass.states.get(entity_id).state == "idle", "connected")
    await hass.config_entries.async_unload(hub.entry_id)


async def test_adding_by_address_answers_the_discovery(
    hass: HomeAssistant, hub: MockConfigEntry, kitchen: EmulatedSatellite
) -> None:
    """Adding a satellite by hand withdraws its pending discovery notice."""
    await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": config_entries.SOURCE_ZEROCONF},
        data=zeroconf_info(kitchen),
    )
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    await adopt(hass, hub, kitchen, None)
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    await hass.config_entries.async_unload(hub.entry_id)


async def test_timers_are_forwarded_to_the_satellite(
    hass: HomeAssistant, kitchen: EmulatedSatellite, kitchen_entity: str
) -> None:
    """Timers set through the satellite are shown on it: started, then cancelled."""
    entry = er.async_get(hass).async_get(kitchen_entity)
    assert entry is not None

    async def say(text: str) -> None:
        await conversation.async_converse(
            hass, text, None, Context(), language="en", device_id=entry.device_id
        )

    await say("set a timer for 5 minutes")
    started = await kitchen.wait_for("timer-started")
    assert started.data["total_seconds"] == 300
    await say("cancel my timer")
    cancelled = await kitchen.wait_for("timer-cancelled")
    assert cancelled.data["id"] == started.data["id"]


async def test_wake_word_heard_by_home_assistant(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    kitchen: EmulatedSatellite,
    kitchen_entity: str,
    tmp_path: Path,
) -> None:
    """A satellite that streams all it hears: Home Assistant listens for the wake word."""
    async with pocketsphinx_stt(hass, tmp_path), openwakeword(hass):
        await hass.services.async_call(
            "light", "turn_off", {"entity_id": "all"}, blocking=True
        )
        silence = bytes(16000 * 2)
        wake = await hass.async_add_executor_job(speak, "hey jarvis", tmp_path / "wake")
        request = await hass.async_add_executor_job(
            speak, "turn on the lights", tmp_path / "request"
        )
        await kitchen.send(
            RunPipeline(
                start_stage=PipelineStage.WAKE,
                end_stage=PipelineStage.TTS,
                restart_on_end=True,
            ).event()
        )
        # Speech without the wake word first: nothing happens.
        await kitchen.send_audio(request + silence, stop=False)
        assert "detection" not in kitchen.types
        await kitchen.send_audio(wake + request + silence + silence, start=False)
        detection = await kitchen.wait_for("detection", seconds=30)
        assert detection.data["name"] == "hey_jarvis"
        transcript = await kitchen.wait_for("transcript", seconds=30)
        assert transcript.data["text"].startswith("turn on the light")
        await until(lambda: kitchen.played, "the spoken answer", 30)
        assert hass.states.get(KITCHEN_LIGHT).state == STATE_ON
        assert hass.states.get(LIVING_ROOM_LIGHT).state == STATE_OFF
        # Listening for the next wake word again.
        connection = hub.runtime_data.satellites[next(iter(hub.subentries))]
        await until(lambda: connection.session is not None, "listening again")


# End to end: the real wyoming-satellite (1.0.0, in a venv of its own made by
# script/setup) reads its microphone from a command that plays espeak-ng's
# "hey jarvis, turn on the lights" at real-time pace, streams it to Home
# Assistant (no wake word service on the satellite: Home Assistant listens for
# the wake word, with openWakeWord), and writes what it plays to a file.

ROOT = Path(__file__).resolve().parent.parent
SATELLITE_PYTHON = ROOT / ".cache" / "wyoming-satellite-1.0.0" / "bin" / "python"

# The satellite's microphone: silence until the test says go, then the request
# at real-time pace, then silence for ever.
MICROPHONE = ROOT / "script" / "offline_voice" / "microphone.py"


@pytest.fixture
async def wyoming_satellite(
    tmp_path: Path, socket_enabled: None
) -> AsyncIterator[tuple[int, Path, Path]]:
    """Run wyoming-satellite; yield its port, the go file and what it played."""
    assert SATELLITE_PYTHON.exists(), "wyoming-satellite is missing: run script/setup"
    speech = tmp_path / "speech.raw"
    speech.write_bytes(
        speak("hey jarvis", tmp_path / "wake")
        + speak("turn on the kitchen lights", tmp_path / "request")
        + bytes(16000 * 2 * 2)
    )
    go, played = tmp_path / "go", tmp_path / "played.raw"
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        str(SATELLITE_PYTHON),
        "-m",
        "wyoming_satellite",
        "--uri",
        f"tcp://127.0.0.1:{port}",
        "--name",
        "Kitchen satellite",
        "--area",
        "Kitchen",
        "--mic-command",
        f"{sys.executable} {MICROPHONE} {speech} {go}",
        "--snd-command",
        f"sh -c 'cat >> {played}'",
        "--no-zeroconf",
        "--debug",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=(tmp_path / "satellite.log").open("wb"),
    )
    try:
        yield port, go, played
    finally:
        process.terminate()
        await process.wait()


async def test_real_wyoming_satellite_turns_on_the_kitchen_lights(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    wyoming_satellite: tuple[int, Path, Path],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Saying "hey jarvis, turn on the lights" to wyoming-satellite lights the kitchen."""
    port, go, played = wyoming_satellite
    async with pocketsphinx_stt(hass, tmp_path), openwakeword(hass):
        await hass.services.async_call(
            "light", "turn_off", {"entity_id": "all"}, blocking=True
        )

        await until(lambda: _listening(port), "wyoming-satellite to listen", 30)
        entity_id = await adopt(hass, hub, port, demo_home["Kitchen"])
        device = os1_device(hass, site_of(port))
        assert device is not None and device.name == "Kitchen satellite"

        await hass.async_add_executor_job(go.touch)
        await until(
            lambda: hass.states.get(KITCHEN_LIGHT).state == STATE_ON,
            "the kitchen light",
            30,
        )
        assert hass.states.get(LIVING_ROOM_LIGHT).state == STATE_OFF
        await until(lambda: played.exists() and played.stat().st_size > 0, "speech", 30)
        await until(lambda: hass.states.get(entity_id).state == "idle", "idle", 30)
        await hass.config_entries.async_unload(hub.entry_id)
    assert not deprecations(caplog)


def _listening(port: int) -> bool:
    """Return whether something accepts connections on a port."""

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def test_mute_pauses_the_satellite(
    hass: HomeAssistant,
    kitchen: EmulatedSatellite,
    kitchen_entity: str,
    hub: MockConfigEntry,
) -> None:
    """Muting a Wyoming satellite pauses it; unmuting lets it run again."""
    switch = er.async_get(hass).async_get_entity_id(
        "switch", DOMAIN, f"{site_of(kitchen)}-mute"
    )
    assert switch is not None
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": switch}, blocking=True
    )
    await kitchen.wait_for("pause-satellite")
    assert hass.states.get(switch).state == STATE_ON
    # A request from a muted satellite is not taken.
    connection = hub.runtime_data.satellites[next(iter(hub.subentries))]
    await kitchen.send(
        RunPipeline(start_stage=PipelineStage.ASR, end_stage=PipelineStage.TTS).event()
    )
    await asyncio.sleep(0.2)
    assert connection.session is None

    runs = kitchen.types.count("run-satellite")
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": switch}, blocking=True
    )
    await until(lambda: kitchen.types.count("run-satellite") > runs, "running again")
    assert hass.states.get(switch).state == STATE_OFF


async def test_started_conversation_listens_on_a_streaming_satellite(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    kitchen: EmulatedSatellite,
    kitchen_entity: str,
    tmp_path: Path,
) -> None:
    """Home Assistant starts a conversation: the satellite says it, then OS1 listens."""
    async with pocketsphinx_stt(hass, tmp_path), openwakeword(hass):
        await hass.services.async_call(
            "light", "turn_off", {"entity_id": "all"}, blocking=True
        )
        request = await hass.async_add_executor_job(
            speak, "turn on the lights", tmp_path / "request"
        )
        await kitchen.send(
            RunPipeline(
                start_stage=PipelineStage.WAKE, end_stage=PipelineStage.TTS
            ).event()
        )
        await kitchen.send_audio(bytes(16000), stop=False)
        await hass.services.async_call(
            "assist_satellite",
            "start_conversation",
            {"entity_id": kitchen_entity, "start_message": "It's getting dark."},
            blocking=True,
        )
        assert len(kitchen.played) == 1  # The opening line.
        # No wake word: the answer is taken at once.
        await kitchen.send_audio(request + bytes(16000 * 2 * 2), start=False)
        await until(
            lambda: hass.states.get(KITCHEN_LIGHT).state == STATE_ON,
            "the kitchen light",
            30,
        )
        assert "detection" not in kitchen.types


async def test_requests_are_bounded(
    hass: HomeAssistant,
    kitchen: EmulatedSatellite,
    kitchen_entity: str,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    """Audio in another format, unknown events and request floods are refused."""
    async with pocketsphinx_stt(hass, tmp_path):
        await _bounded(hass, kitchen, kitchen_entity, caplog)


async def _bounded(
    hass: HomeAssistant,
    kitchen: EmulatedSatellite,
    kitchen_entity: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    asr = RunPipeline(start_stage=PipelineStage.ASR, end_stage=PipelineStage.TTS)
    await kitchen.send(asr.event())
    await kitchen.send(
        AudioChunk(rate=8000, width=2, channels=1, audio=bytes(320)).event()
    )
    await kitchen.send(Event(type="x-unknown", data={}))
    await until(lambda: "audio must be 16000 Hz" in caplog.text, "format refused")

    for _ in range(8):
        await kitchen.send(asr.event())
    await until(lambda: "sending requests too fast" in caplog.text, "rate limit")
    assert hass.states.get(kitchen_entity).state != STATE_UNAVAILABLE
    # The satellite sends no audio: its request ends, and it is idle again.
    await kitchen.send(AudioStop().event())
    await until(lambda: hass.states.get(kitchen_entity).state == "idle", "idle", 30)


async def test_a_finished_timer_and_a_conversation_on_a_wake_word_satellite(
    hass: HomeAssistant,
    kitchen: EmulatedSatellite,
    kitchen_entity: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A finished timer rings on the satellite; one with its own wake word can't listen."""
    entry = er.async_get(hass).async_get(kitchen_entity)
    assert entry is not None
    await conversation.async_converse(
        hass,
        "set a timer for 1 second",
        None,
        Context(),
        language="en",
        device_id=entry.device_id,
    )
    await kitchen.wait_for("timer-finished")

    caplog.set_level(logging.DEBUG, "custom_components.os1")
    await hass.services.async_call(
        "assist_satellite",
        "start_conversation",
        {"entity_id": kitchen_entity, "start_message": "Are you there?"},
        blocking=True,
    )
    assert len(kitchen.played) == 1
    assert "detects its own wake word; it can't be asked to listen" in caplog.text
