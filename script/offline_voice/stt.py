"""Speech to text with pocketsphinx and a grammar of OS1's sentences."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from pathlib import Path

from homeassistant.components import stt
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .jsgf import JsgfGrammar, decode

HOME_INTENTS = ("OS1LightPower", "OS1Identity")
"""The sentences the home's grammar covers: pocketsphinx hears a small grammar
well and fast ("turn off the lights", "turn on the kitchen light", "who are
you"), a large one neither."""


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add pocketsphinx with a grammar built for this home."""
    async_add_entities([PocketsphinxSpeechToText()])


class PocketsphinxSpeechToText(stt.SpeechToTextEntity):
    """Recognizes 16 kHz English commands with pocketsphinx and a JSGF grammar."""

    _attr_name = "Pocketsphinx"
    _attr_unique_id = "pocketsphinx"

    def __init__(self, grammar: Path | None = None) -> None:
        """Use this grammar file; by default, one of OS1's sentences with this home's names."""
        self.grammar = grammar
        self._built: tuple[tuple[str, ...], Path] | None = None

    @property
    def supported_languages(self) -> list[str]:
        """Return English."""
        return ["en", "en-US"]

    @property
    def supported_formats(self) -> list[stt.AudioFormats]:
        """Return WAV."""
        return [stt.AudioFormats.WAV]

    @property
    def supported_codecs(self) -> list[stt.AudioCodecs]:
        """Return PCM."""
        return [stt.AudioCodecs.PCM]

    @property
    def supported_bit_rates(self) -> list[stt.AudioBitRates]:
        """Return 16 bit."""
        return [stt.AudioBitRates.BITRATE_16]

    @property
    def supported_sample_rates(self) -> list[stt.AudioSampleRates]:
        """Return 16 kHz."""
        return [stt.AudioSampleRates.SAMPLERATE_16000]

    @property
    def supported_channels(self) -> list[stt.AudioChannels]:
        """Return mono."""
        return [stt.AudioChannels.CHANNEL_MONO]

    async def async_process_audio_stream(
        self, metadata: stt.SpeechMetadata, stream: AsyncIterable[bytes]
    ) -> stt.SpeechResult:
        """Decode the whole request."""
        audio = b"".join([chunk async for chunk in stream])
        grammar = self.grammar or await self._async_home_grammar()
        text = await self.hass.async_add_executor_job(decode, grammar, audio)
        if not text:
            return stt.SpeechResult(None, stt.SpeechResultState.ERROR)
        return stt.SpeechResult(text, stt.SpeechResultState.SUCCESS)

    async def _async_home_grammar(self) -> Path:
        """Return the grammar of this home's names, built again when they change."""
        from custom_components.os1.rooms import named_areas, named_lights

        areas = sorted({name for area in named_areas(self.hass) for name in area.names})
        lights = sorted(
            {name for light in named_lights(self.hass) for name in light.names}
        )
        names = (*areas, "|", *lights)
        if self._built is None or self._built[0] != names:
            path = Path(self.hass.config.path(".storage", "offline_voice.jsgf"))
            await self.hass.async_add_executor_job(write_grammar, path, areas, lights)
            self._built = (names, path)
        return self._built[1]


def write_grammar(
    path: Path,
    areas: Iterable[str],
    lights: Iterable[str],
    intents: Iterable[str] = HOME_INTENTS,
) -> None:
    """Write a grammar of OS1's English sentences with these area and light names."""
    from hassil.intents import TextSlotList

    from custom_components.os1.nlu import SentenceRecognizer

    recognizer = SentenceRecognizer.load("en")
    grammar = JsgfGrammar(
        recognizer.intents,
        {
            "area": TextSlotList.from_strings([a.lower() for a in areas]),
            "name": TextSlotList.from_strings([n.lower() for n in lights]),
        },
        intents,
    )
    path.write_text(grammar.text())
