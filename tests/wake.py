"""openWakeWord as a Home Assistant wake word entity, for the spoken tests.

The demo home's offline voice engine (script/offline_voice): Home Assistant
listens for the wake word in a satellite's stream, the way a Wyoming
openWakeWord service does, with the same detector OS1's reference satellite
uses on the device.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant

from script.offline_voice.wake_word import OpenWakeWordEntity

from .engines import engine


@asynccontextmanager
async def openwakeword(hass: HomeAssistant) -> AsyncIterator[str]:
    """Make openWakeWord's "hey jarvis" the pipeline's wake word; yield the entity."""
    async with engine(
        hass,
        "oww",
        Platform.WAKE_WORD,
        OpenWakeWordEntity(),
        wake_word_entity="wake_word.openwakeword",
        wake_word_id="hey_jarvis",
    ):
        yield "wake_word.openwakeword"
