"""Adopting satellites in the UI: discovery, the hub's "Adopt a satellite" flow."""

from __future__ import annotations

import json
import logging

from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.os1.const import DOMAIN, SUBENTRY_SATELLITE
from custom_components.os1.protocol import SatelliteConfig

from .registry import os1_device
from .satellites import satellite_entity
from .test_config_flow import setup_conversation

KITCHEN = SatelliteConfig(name="Kitchen satellite", area="Kitchen", settings=[])


def discovery(site: str, payload: bytes | str) -> MqttServiceInfo:
    """Return what Home Assistant's MQTT integration hands to the flow."""
    return MqttServiceInfo(
        topic=f"os1/{site}/config",
        payload=payload,
        qos=1,
        retain=True,
        subscribed_topic="os1/+/config",
        timestamp=0,
    )


async def discover(hass: HomeAssistant, site: str, payload: bytes | str) -> dict:
    """Start a discovery flow."""
    return dict(
        await hass.config_entries.flow.async_init(
            DOMAIN,
            context={"source": config_entries.SOURCE_MQTT},
            data=discovery(site, payload),
        )
    )


async def test_first_satellite_sets_up_the_hub(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """Discovered before OS1 was set up: adopting it sets up both."""
    await setup_conversation(hass)
    kitchen = ar.async_get(hass).async_create("Kitchen")

    result = await discover(hass, "kitchen", KITCHEN.payload())
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "adopt"
    assert result["description_placeholders"] == {
        "name": "Kitchen satellite",
        "site": "kitchen",
    }
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
    }
    assert suggested == {"name": "Kitchen satellite", "area": kitchen.id}

    with caplog.at_level(logging.WARNING):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"name": "Kitchen speaker", "area": kitchen.id}
        )
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    hub = result["result"]
    assert hub.title == "Samantha"
    assert hub.unique_id is None
    assert hub.state is ConfigEntryState.LOADED
    (subentry,) = hub.subentries.values()
    assert subentry.title == "Kitchen speaker"
    assert subentry.unique_id == "kitchen"
    device = os1_device(hass, "kitchen")
    assert device is not None
    assert device.area_id == kitchen.id
    # No MQTT integration: the satellite exists but is unavailable, and OS1 says why.
    assert "MQTT integration is not set up" in caplog.text
    entity_id = satellite_entity(hass, "kitchen")
    assert entity_id is not None
    assert hass.states.get(entity_id).state == "unavailable"


async def test_satellite_joins_an_existing_hub(
    hass: HomeAssistant, os1: MockConfigEntry
) -> None:
    """With OS1 set up, adopting adds the satellite to the hub."""
    result = await discover(
        hass, "kitchen", SatelliteConfig(name="Kitchen satellite").payload()
    )
    suggested = {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }
    assert suggested == {"name": "Kitchen satellite", "area": None}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": " "}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "satellite_adopted"
    assert result["description_placeholders"] == {"name": "Kitchen satellite"}
    await hass.async_block_till_done()
    assert [s.unique_id for s in os1.subentries.values()] == ["kitchen"]
    assert os1.state is ConfigEntryState.LOADED
    entity_id = satellite_entity(hass, "kitchen")
    assert entity_id is not None
    assert hass.states.get(entity_id) is not None

    # Announcing itself again (every restart) does not ask again.
    result = await discover(hass, "kitchen", KITCHEN.payload())
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize(
    ("site", "payload"),
    [
        ("kitchen", b""),  # The satellite withdrew its config.
        ("kitchen", b"{not json"),
        ("kitchen", json.dumps({"name": ""})),
        ("Bad Site", KITCHEN.payload()),
    ],
)
async def test_bad_discovery_is_ignored(
    hass: HomeAssistant, site: str, payload: bytes | str
) -> None:
    """A satellite that announces itself badly is not offered."""
    await setup_conversation(hass)
    result = await discover(hass, site, payload)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "invalid_discovery_info"


async def test_ignored_satellite_stays_ignored(hass: HomeAssistant) -> None:
    """A satellite the user ignored is not offered again; the hub can still be set up."""
    await setup_conversation(hass)
    result = await discover(hass, "garage", KITCHEN.payload())
    await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": config_entries.SOURCE_IGNORE},
        data={"unique_id": "satellite-garage", "title": "Garage"},
    )
    await hass.async_block_till_done()
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)

    result = await discover(hass, "garage", KITCHEN.payload())
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM


async def test_adopt_flow_without_waiting_satellites(
    hass: HomeAssistant, os1: MockConfigEntry
) -> None:
    """The hub's "Adopt a satellite" explains when none is waiting."""
    result = await hass.config_entries.subentries.async_init(
        (os1.entry_id, SUBENTRY_SATELLITE),
        context={"source": config_entries.SOURCE_USER},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_satellites"


async def test_removing_a_satellite_removes_its_device(
    hass: HomeAssistant, os1: MockConfigEntry
) -> None:
    """Deleting the satellite's subentry removes its device and entities."""
    hass.config_entries.async_add_subentry(
        os1,
        ConfigSubentry(
            data={"site": "kitchen", "config": KITCHEN.as_dict(), "area_id": None},
            subentry_type=SUBENTRY_SATELLITE,
            title="Kitchen satellite",
            unique_id="kitchen",
        ),
    )
    await hass.async_block_till_done()
    assert os1_device(hass, "kitchen")

    (subentry_id,) = os1.subentries
    assert hass.config_entries.async_remove_subentry(os1, subentry_id)
    await hass.async_block_till_done()

    assert os1_device(hass, "kitchen") is None
    assert satellite_entity(hass, "kitchen") is None
    assert not hass.states.async_entity_ids("assist_satellite")
