"""The home's speakers for the music tests: a library player in each room."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    mock_integration,
    mock_platform,
)

from .library_player import LibraryPlayer


class Speakers:
    """The home's speakers, by room."""

    def __init__(self) -> None:
        """Make one speaker per room (the living room's library is empty)."""
        self.kitchen = LibraryPlayer("Kitchen speaker")
        self.bedroom = LibraryPlayer("Bedroom speaker")
        self.living_room = LibraryPlayer("Living Room speaker", library=[])
        self.office = LibraryPlayer("Office speaker")
        self.office._attr_available = False

    def all(self) -> list[LibraryPlayer]:
        """Return every speaker."""
        return [self.kitchen, self.bedroom, self.living_room, self.office]


async def add_platform(
    hass: HomeAssistant, domain: str, entities: list[LibraryPlayer]
) -> MockConfigEntry:
    """Set up media players under an integration of the tests."""

    async def setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(
            entry, [Platform.MEDIA_PLAYER]
        )
        return True

    async def add(
        hass: HomeAssistant,
        entry: ConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        async_add_entities(entities)

    mock_integration(hass, MockModule(domain, async_setup_entry=setup_entry))
    mock_platform(hass, f"{domain}.config_flow")
    mock_platform(hass, f"{domain}.media_player", MockPlatform(async_setup_entry=add))
    entry = MockConfigEntry(domain=domain)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def device_in(hass: HomeAssistant, os1: MockConfigEntry, area_id: str) -> str:
    """Return a device (a satellite, say) in a room."""
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=os1.entry_id, identifiers={("test", area_id)}, name=area_id
    )
    dr.async_get(hass).async_update_device(device.id, area_id=area_id)
    return device.id


def satellite_in(hass: HomeAssistant, os1: MockConfigEntry, area_id: str) -> str:
    """Return a voice satellite's device in a room (it has an Assist satellite)."""
    device_id = device_in(hass, os1, area_id)
    er.async_get(hass).async_get_or_create(
        "assist_satellite", "test", f"{area_id}_satellite", device_id=device_id
    )
    return device_id
