"""Switches: a satellite's mute, and whether a person's music follows them."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import STATE_ON, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from . import Os1ConfigEntry
from .entity import (
    Os1PersonEntity,
    Os1SatelliteEntity,
    async_add_person_entities,
    async_add_satellite_entities,
)
from .protocol import SetSettings, Setting


async def async_setup_entry(
    hass: HomeAssistant,
    entry: Os1ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a mute switch to each satellite that has one."""
    async_add_satellite_entities(
        entry.runtime_data.satellites,
        lambda connection: (
            [SatelliteMuteSwitch(connection, Setting.MUTE)]
            if Setting.MUTE in connection.config.settings
            else []
        ),
        async_add_entities,
    )
    runtime = entry.runtime_data
    async_add_person_entities(
        runtime.presence,
        lambda person: [FollowMusicSwitch(runtime.presence, person, "follow_music")],
        async_add_entities,
    )


class SatelliteMuteSwitch(Os1SatelliteEntity, SwitchEntity, RestoreEntity):
    """Mutes the satellite's microphone: no wake word, no listening."""

    _attr_entity_category = EntityCategory.CONFIG
    _attr_translation_key = "mute"

    async def async_added_to_hass(self) -> None:
        """Mute again after a restart a satellite that can't remember it itself."""
        await super().async_added_to_hass()
        if self.connection.keeps_settings:
            return
        if (last := await self.async_get_last_state()) and last.state == STATE_ON:
            self.connection.async_publish(SetSettings(muted=True))

    @property
    def is_on(self) -> bool | None:
        """Return whether the microphone is muted, as the satellite reports it."""
        return self.connection.settings.muted

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Mute the satellite."""
        self.connection.async_publish(SetSettings(muted=True))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Unmute the satellite."""
        self.connection.async_publish(SetSettings(muted=False))


class FollowMusicSwitch(Os1PersonEntity, SwitchEntity):
    """Whether the person's music moves with them from room to room."""

    _attr_entity_category = EntityCategory.CONFIG
    _attr_translation_key = "follow_music"

    @property
    def is_on(self) -> bool:
        """Return whether the music follows the person."""
        return self.monitor.music_follows(self.person)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Let the music follow the person."""
        self.monitor.async_set_follow(self.person, True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Keep the music where it is when the person moves."""
        self.monitor.async_set_follow(self.person, False)
