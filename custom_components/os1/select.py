"""Wake word select for satellites that declare the wake word setting."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import Os1ConfigEntry
from .entity import Os1SatelliteEntity, async_add_setting_entities
from .protocol import SetSettings, Setting


async def async_setup_entry(
    hass: HomeAssistant,
    entry: Os1ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a wake word select to each satellite that has one."""
    async_add_setting_entities(
        entry.runtime_data.satellites,
        Setting.WAKE_WORD,
        SatelliteWakeWordSelect,
        async_add_entities,
    )


class SatelliteWakeWordSelect(Os1SatelliteEntity, SelectEntity):
    """Chooses which of its wake words the satellite listens for."""

    _attr_entity_category = EntityCategory.CONFIG
    _attr_translation_key = "wake_word"

    @property
    def options(self) -> list[str]:
        """Return the wake words the satellite has."""
        return list(self.connection.config.wake_words)

    @property
    def current_option(self) -> str | None:
        """Return the wake word in use, as the satellite reports it."""
        return self.connection.settings.wake_word

    async def async_select_option(self, option: str) -> None:
        """Switch the satellite to another wake word."""
        self.connection.async_publish(SetSettings(wake_word=option))
