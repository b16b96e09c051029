"""Text to speech with espeak-ng."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.components import tts
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .voice import espeak_command

TIMEOUT_SECONDS = 20


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add espeak-ng."""
    async_add_entities([EspeakTextToSpeech()])


class EspeakTextToSpeech(tts.TextToSpeechEntity):
    """Speaks English with espeak-ng, as WAV."""

    _attr_name = "espeak-ng"
    _attr_unique_id = "espeak"

    @property
    def supported_languages(self) -> list[str]:
        """Return English."""
        return ["en", "en-US"]

    @property
    def default_language(self) -> str:
        """Return English."""
        return "en"

    async def async_get_tts_audio(
        self, message: str, language: str, options: dict[str, Any]
    ) -> tts.TtsAudioType:
        """Synthesize a message."""
        try:
            process = await asyncio.create_subprocess_exec(
                *espeak_command(message),
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        except FileNotFoundError as err:
            raise HomeAssistantError(str(err)) from err
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                wav, error = await process.communicate()
        except TimeoutError as err:
            process.kill()
            await process.wait()
            raise HomeAssistantError("espeak-ng took too long") from err
        if process.returncode:
            raise HomeAssistantError(error.decode(errors="replace").strip())
        return "wav", wav
