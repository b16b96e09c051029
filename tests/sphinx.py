"""Offline speech to text for the spoken tests: pocketsphinx with OS1's grammar.

The grammar is OS1's own hassil templates turned into JSGF, with the demo home's
area and light names, so pocketsphinx recognizes the commands OS1 understands
and nothing is scripted: what the test speaks (espeak-ng) is what is heard.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager
import itertools
from pathlib import Path
import re
import shutil
import subprocess

from hassil.expression import (
    Expression,
    ListReference,
    RuleReference,
    Sequence,
    SequenceType,
    TextChunk,
)
from hassil.intents import Intents, RangeSlotList, SlotList, TextSlotList
from homeassistant.components import stt
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pocketsphinx

from custom_components.os1.nlu import SentenceRecognizer

from .engines import engine

NULL = "<NULL>"
VOID = "<VOID>"
NUMBERS = {
    10: "ten",
    20: "twenty",
    25: "twenty five",
    30: "thirty",
    40: "forty",
    50: "fifty",
    60: "sixty",
    70: "seventy",
    75: "seventy five",
    80: "eighty",
    90: "ninety",
    100: "one hundred",
}


def _dictionary() -> set[str]:
    path = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    return {line.split(" ", 1)[0] for line in path.read_text().splitlines()}


class JsgfGrammar:
    """Turns hassil templates into one JSGF grammar."""

    def __init__(
        self,
        intents: Intents,
        slot_lists: dict[str, SlotList],
        intent_names: set[str] | None = None,
    ) -> None:
        """Convert the sentences of the intents named (default: all)."""
        self.intents = intents
        self.slot_lists = {**intents.slot_lists, **slot_lists}
        self.words = _dictionary()
        self.rules: dict[str, str] = {}
        sentences = [
            self._expression(sentence)
            for name, intent in intents.intents.items()
            if intent_names is None or name in intent_names
            for data in intent.data
            for sentence in data.sentences
        ]
        self.top = " | ".join(f"( {s} )" for s in sentences if s.strip())

    def text(self) -> str:
        """Return the grammar."""
        lines = ["#JSGF V1.0;", "grammar os1;", f"public <command> = {self.top};"]
        lines += [f"<{name}> = {body};" for name, body in self.rules.items()]
        return "\n".join(lines) + "\n"

    def _words(self, text: str) -> str:
        tokens = re.sub(r"[^a-z' ]", " ", text.lower()).split()
        if any(token not in self.words for token in tokens):
            return VOID
        return " ".join(tokens)

    def _alternatives(self, options: list[str]) -> str:
        options = [o if o.strip() else NULL for o in options]
        return "( " + " | ".join(dict.fromkeys(options)) + " )"

    def _expression(self, expression: Expression) -> str:
        if isinstance(expression, TextChunk):
            return self._words(expression.text)
        if isinstance(expression, Sequence):
            parts = [self._expression(item) for item in expression.items]
            if expression.type is SequenceType.ALTERNATIVE:
                return self._alternatives(parts)
            if expression.type is SequenceType.PERMUTATION:
                return self._alternatives(
                    [" ".join(order) for order in itertools.permutations(parts)]
                )
            return " ".join(part for part in parts if part.strip()) or NULL
        if isinstance(expression, RuleReference):
            name = re.sub(r"\W", "_", expression.rule_name)
            if name not in self.rules:
                self.rules[name] = VOID  # Guards against recursion.
                rule = self.intents.expansion_rules[expression.rule_name]
                self.rules[name] = self._expression(rule)
            return f"<{name}>"
        if isinstance(expression, ListReference):
            return self._list(expression.list_name)
        return VOID

    def _list(self, name: str) -> str:
        slot_list = self.slot_lists.get(name)
        if isinstance(slot_list, TextSlotList):
            return self._alternatives(
                [self._expression(value.text_in) for value in slot_list.values]
            )
        if isinstance(slot_list, RangeSlotList):
            return self._alternatives(
                [
                    words
                    for number, words in NUMBERS.items()
                    if slot_list.start <= number <= slot_list.stop
                ]
            )
        return VOID


class SphinxSpeechToText(stt.SpeechToTextEntity):
    """Recognizes 16 kHz English commands with pocketsphinx and a JSGF grammar."""

    _attr_name = "Pocketsphinx"
    _attr_unique_id = "pocketsphinx"

    def __init__(self, grammar: Path) -> None:
        """Use this grammar."""
        self.grammar = grammar

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
        text = await self.hass.async_add_executor_job(self._decode, audio)
        if not text:
            return stt.SpeechResult(None, stt.SpeechResultState.ERROR)
        return stt.SpeechResult(text, stt.SpeechResultState.SUCCESS)

    def _decode(self, audio: bytes) -> str:
        decoder = pocketsphinx.Decoder(jsgf=str(self.grammar), loglevel="ERROR")
        decoder.start_utt()
        decoder.process_raw(audio, full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        return hypothesis.hypstr if hypothesis else ""


def speak(text: str, path: Path, *, lead_seconds: float = 0.5) -> bytes:
    """Say `text` with espeak-ng and return 16 kHz 16-bit mono samples."""
    espeak = shutil.which("espeak-ng")
    assert espeak, "espeak-ng is missing: run script/setup"
    wav = path.with_suffix(".wav")
    subprocess.run(
        [espeak, "-v", "en-us", "-s", "140", "-w", str(wav), text], check=True
    )
    raw = subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-i",
            str(wav),
            "-ar",
            "16000",
            "-ac",
            "1",
            "-f",
            "s16le",
            "-",
        ],
        check=True,
        capture_output=True,
    ).stdout
    return bytes(int(lead_seconds * 16000) * 2) + raw


@asynccontextmanager
async def pocketsphinx_stt(hass: HomeAssistant, tmp_path: Path) -> AsyncIterator[str]:
    """Make pocketsphinx, with a grammar from OS1's light sentences, the pipeline's STT."""
    recognizer = await hass.async_add_executor_job(SentenceRecognizer.load, "en")
    grammar = JsgfGrammar(
        recognizer.intents,
        {
            "area": TextSlotList.from_strings(["kitchen", "living room", "bedroom"]),
            "name": TextSlotList.from_strings(
                ["kitchen lights", "ceiling lights", "bed light"]
            ),
        },
        {"OS1LightPower"},
    )
    path = tmp_path / "os1.jsgf"
    await hass.async_add_executor_job(path.write_text, grammar.text())

    async with engine(
        hass,
        "sphinx",
        Platform.STT,
        SphinxSpeechToText(path),
        stt_engine="stt.pocketsphinx",
        stt_language="en",
    ):
        yield "stt.pocketsphinx"
