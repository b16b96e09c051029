"""Base entity for an OS1 satellite's entities."""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .presence_control import PresenceMonitor
from .satellite import SatelliteLink


class Os1SatelliteEntity(Entity):
    """An entity of one satellite's device, available while the satellite is."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, connection: SatelliteLink, key: str) -> None:
        """Attach the entity to its satellite."""
        self.connection = connection
        self._attr_unique_id = f"{connection.site}-{key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, connection.site)})

    @property
    def available(self) -> bool:
        """Return whether the satellite is online."""
        return self.connection.available

    async def async_added_to_hass(self) -> None:
        """Follow the satellite's status and settings."""
        await super().async_added_to_hass()
        self.async_on_remove(self.connection.async_add_listener(self._async_changed))

    @callback
    def _async_changed(self) -> None:
        """Write the new state."""
        self.async_write_ha_state()


def async_add_satellite_entities(
    satellites: dict[str, SatelliteLink],
    build: Callable[[SatelliteLink], list[Entity]],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each satellite's entities to its subentry (and so to its device)."""
    for subentry_id, connection in satellites.items():
        if entities := build(connection):
            async_add_entities(entities, config_subentry_id=subentry_id)


class Os1PersonEntity(Entity):
    """An entity of a person OS1 follows, on that person's device."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, monitor: PresenceMonitor, person: str, key: str) -> None:
        """Attach the entity to its person."""
        self.monitor = monitor
        self.person = person
        self._attr_unique_id = f"{person}-{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, person_device(person))}
        )

    async def async_added_to_hass(self) -> None:
        """Follow the person."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.monitor.async_add_update_listener(self.async_write_ha_state)
        )


def person_device(person: str) -> str:
    """Return the device identifier of a person OS1 follows."""
    return f"person-{person}"


def async_add_person_entities(
    monitor: PresenceMonitor,
    build: Callable[[str], list[Entity]],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each person's entities to their subentry (and so to their device)."""
    for person, subentry_id in monitor.subentries.items():
        async_add_entities(build(person), config_subentry_id=subentry_id)
