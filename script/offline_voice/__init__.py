"""Offline voice for OS1's demo home: hear, wake and speak without the internet.

Not part of OS1. script/develop and script/live_check.py copy this integration
into their Home Assistant configuration so that a satellite there can really be
spoken to and really answer:

- speech to text: pocketsphinx with a grammar built from OS1's own sentence
  templates and this home's area and light names (grammar.py);
- wake word: openWakeWord's "hey jarvis" and the other models pyopen-wakeword
  ships, for satellites that stream and let Home Assistant listen;
- text to speech: espeak-ng.

Everything runs on the machine; the packages come with OS1's development
environment (requirements/develop.in).
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant

PLATFORMS = [Platform.STT, Platform.TTS, Platform.WAKE_WORD]


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Set up the three engines."""
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Unload them."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
