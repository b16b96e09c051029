"""OS1: a room-aware voice assistant for Home Assistant."""

from __future__ import annotations

from dataclasses import dataclass
import sys
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError

from .assistant import Assistant, AssistantSettings
from .const import (
    CONF_FALLBACK_AGENT,
    CONF_LANGUAGE,
    CONF_RESPONSE_STYLE,
    DEFAULT_FALLBACK_AGENT,
    DEFAULT_LANGUAGE,
    DEFAULT_NAME,
    DOMAIN,
)
from .nlu import SentenceRecognizer
from .responses import Phrasebook, ResponseStyle

PLATFORMS: list[Platform] = [Platform.CONVERSATION]


@dataclass(slots=True)
class Os1Runtime:
    """What a loaded OS1 hub holds."""

    assistant: Assistant
    options: dict[str, Any]
    """The options the hub was set up with."""


type Os1ConfigEntry = ConfigEntry[Os1Runtime]


async def async_setup_entry(hass: HomeAssistant, entry: Os1ConfigEntry) -> bool:
    """Set up the OS1 hub."""
    language = entry.data.get(CONF_LANGUAGE, DEFAULT_LANGUAGE)
    try:
        recognizer = await hass.async_add_executor_job(
            SentenceRecognizer.load, language
        )
    except ValueError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unsupported_language",
            translation_placeholders={"language": language},
        ) from err
    name = entry.data.get(CONF_NAME, DEFAULT_NAME)
    style = ResponseStyle(entry.options.get(CONF_RESPONSE_STYLE, ResponseStyle.WARM))
    settings = AssistantSettings(
        name=name,
        language=language,
        fallback_agent=entry.options.get(CONF_FALLBACK_AGENT, DEFAULT_FALLBACK_AGENT),
        phrases=Phrasebook(style, name),
    )
    entry.runtime_data = Os1Runtime(
        Assistant(hass, settings, recognizer), dict(entry.options)
    )
    if sys.version_info < (3, 14):
        # Home Assistant before 2026.3 (Python 3.13) may lack OptionsFlowWithReload.
        entry.async_on_unload(entry.add_update_listener(_async_reload))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: Os1ConfigEntry) -> bool:
    """Unload the OS1 hub."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _async_reload(hass: HomeAssistant, entry: Os1ConfigEntry) -> None:
    """Reload after the options changed (reconfiguring reloads by itself)."""
    if entry.options != entry.runtime_data.options:
        await hass.config_entries.async_reload(entry.entry_id)
