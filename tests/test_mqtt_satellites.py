"""MQTT satellites end to end: a real mosquitto, real satellites, real Home Assistant."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
import logging
from pathlib import Path
from typing import Any

from homeassistant.components import tts
from homeassistant.components.assist_pipeline import (
    async_get_pipeline,
    async_update_pipeline,
)
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.os1.const import DOMAIN
from custom_components.os1.protocol import ErrorCode
from os1_satellite import Satellite, SatelliteOptions

from .broker import Mosquitto
from .satellites import adopt, connected, subscribed, until

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
    """Set up OS1 with the MQTT integration, and OS1 as the Assist agent."""
    pipeline = async_get_pipeline(hass)
    await async_update_pipeline(
        hass,
        pipeline,
        conversation_engine=agent_id,
        conversation_language="en",
        tts_engine=tts.async_default_engine(hass),
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
    """Set OS1 up after MQTT and return its agent id."""
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
) -> AsyncIterator[Satellite]:
    """Return the kitchen satellite, adopted into the Kitchen."""
    satellite = await connected(hass, satellites("kitchen"))
    await adopt(hass, satellite, demo_home["Kitchen"])
    yield satellite


async def test_discovered_satellite_is_adopted_into_its_area(
    hass: HomeAssistant,
    hub: MockConfigEntry,
    demo_home: dict[str, str],
    satellites: MakeSatellite,
) -> None:
    """A satellite that announces itself appears, and the user puts it in a room."""
    satellite = await connected(hass, satellites("kitchen", area="Kitchen"))
    entity_id = await adopt(hass, satellite, demo_home["Kitchen"], "Kitchen speaker")

    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, "kitchen")})
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

    kitchen.send_text("turn off the lights")
    await until(lambda: kitchen.said, "the answer")

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
