"""Selects of each satellite: its pipeline, its end of speech, its wake word.

Every satellite gets Home Assistant's Assist pipeline and end-of-speech
selects; the wake word select appears when the satellite declares that setting.
"""

from __future__ import annotations

from homeassistant.components.assist_pipeline.select import (
    AssistPipelineSelect,
    VadSensitivitySelect,
)
from homeassistant.components.select import SelectEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import Os1ConfigEntry
from .const import DOMAIN
from .entity import Os1SatelliteEntity, async_add_satellite_entities
from .protocol import SetSettings, Setting
from .satellite import SatelliteLink


async def async_setup_entry(
    hass: HomeAssistant,
    entry: Os1ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the pipeline selects, and a wake word select where there is one."""

    def build(connection: SatelliteLink) -> list[Entity]:
        entities: list[Entity] = [
            SatellitePipelineSelect(hass, connection),
            SatelliteVadSensitivitySelect(hass, connection),
        ]
        if Setting.WAKE_WORD in connection.config.settings:
            entities.append(SatelliteWakeWordSelect(connection, Setting.WAKE_WORD))
        return entities

    async_add_satellite_entities(
        entry.runtime_data.satellites, build, async_add_entities
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


class SatellitePipelineSelect(Os1SatelliteEntity, AssistPipelineSelect):
    """Which Assist pipeline (speech engines, agent, voice) the satellite uses."""

    def __init__(self, hass: HomeAssistant, connection: SatelliteLink) -> None:
        """Attach the selector to the satellite."""
        Os1SatelliteEntity.__init__(self, connection, "pipeline")
        AssistPipelineSelect.__init__(self, hass, DOMAIN, connection.site)


class SatelliteVadSensitivitySelect(Os1SatelliteEntity, VadSensitivitySelect):
    """How long a pause ends the satellite's request."""

    def __init__(self, hass: HomeAssistant, connection: SatelliteLink) -> None:
        """Attach the selector to the satellite."""
        Os1SatelliteEntity.__init__(self, connection, "vad_sensitivity")
        VadSensitivitySelect.__init__(self, hass, connection.site)
