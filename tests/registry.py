"""Where things are in Home Assistant's registries, for the tests and benchmarks."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from custom_components.os1.const import DOMAIN


def place(hass: HomeAssistant, entity_id: str, area_id: str | None) -> None:
    """Put an entity in an area, the way the UI does.

    An entity that is its device's main feature (it has no name of its own) is
    placed through its device: Home Assistant refuses it an area of its own.
    """
    entities = er.async_get(hass)
    entry = entities.async_get(entity_id)
    assert entry is not None, entity_id
    if entry.device_id and entry.has_entity_name and entry.original_name is None:
        dr.async_get(hass).async_update_device(entry.device_id, area_id=area_id)
        if entry.area_id:
            entities.async_update_entity(entity_id, area_id=None)
    else:
        entities.async_update_entity(entity_id, area_id=area_id)


def os1_device(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry | None:
    """Return OS1's device with an identifier (a satellite's site, say)."""
    registry = dr.async_get(hass)
    return next(
        (
            device
            for entry in hass.config_entries.async_entries(DOMAIN)
            for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
            if (DOMAIN, identifier) in device.identifiers
        ),
        None,
    )
