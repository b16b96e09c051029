"""openWakeWord (the models pyopen-wakeword ships) as a wake word entity.

Lets Home Assistant listen for the wake word in a streaming satellite's audio,
as a Wyoming openWakeWord service would, with the same detector OS1's
reference satellite uses on the device.
"""

from __future__ import annotations

from collections.abc import AsyncIterable

from homeassistant.components import wake_word
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from os1_satellite.wake import WAKE_WORDS, WakeWordDetector

CHUNK_BYTES = 2560
"""80 ms of 16 kHz 16-bit mono: what openWakeWord scores at a time."""


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add openWakeWord."""
    async_add_entities([OpenWakeWordEntity()])


class OpenWakeWordEntity(wake_word.WakeWordDetectionEntity):
    """Detect openWakeWord's shipped wake words in a stream."""

    _attr_name = "openWakeWord"
    _attr_unique_id = "openwakeword"

    async def get_supported_wake_words(self) -> list[wake_word.WakeWord]:
        """Return the shipped models."""
        return [
            wake_word.WakeWord(id=word, name=word.replace("_", " ").title())
            for word in WAKE_WORDS
        ]

    async def _async_process_audio_stream(
        self, stream: AsyncIterable[tuple[bytes, int]], wake_word_id: str | None
    ) -> wake_word.DetectionResult | None:
        """Score the stream until the wake word is heard."""
        word = wake_word_id or WAKE_WORDS[0]
        detector = await self.hass.async_add_executor_job(WakeWordDetector, word)
        buffer = b""
        async for chunk, timestamp in stream:
            buffer += chunk
            while len(buffer) >= CHUNK_BYTES:
                piece, buffer = buffer[:CHUNK_BYTES], buffer[CHUNK_BYTES:]
                if await self.hass.async_add_executor_job(detector.process, piece):
                    return wake_word.DetectionResult(
                        wake_word_id=word,
                        wake_word_phrase=word.replace("_", " "),
                        timestamp=timestamp,
                    )
        return None
