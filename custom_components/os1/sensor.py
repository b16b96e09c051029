"""The room each person OS1 follows is in."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import SensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import Os1ConfigEntry
from .entity import Os1PersonEntity, async_add_person_entities


async def async_setup_entry(
    hass: HomeAssistant,
    entry: Os1ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a room sensor for each person."""
    monitor = entry.runtime_data.presence
    async_add_person_entities(
        monitor,
        lambda person: [PersonRoomSensor(monitor, person, "room")],
        async_add_entities,
    )


class PersonRoomSensor(Os1PersonEntity, SensorEntity):
    """The room a person is in (unknown when OS1 can't tell, none when away)."""

    _attr_translation_key = "room"

    @property
    def native_value(self) -> str | None:
        """Return the name of the person's room."""
        area_id = self.monitor.room_of(self.person)
        if area_id is None:
            return None
        area = ar.async_get(self.hass).async_get_area(area_id)
        return area.name if area else area_id

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the area id, how sure OS1 is, and since when."""
        tracker = self.monitor.people.trackers[self.person]
        since = self.monitor.since.get(self.person)
        return {
            "area_id": tracker.room,
            "confidence": round(tracker.confidence, 2),
            "home": tracker.home,
            "since": since.isoformat() if since else None,
        }
