"""Offline speech to text for the spoken tests: pocketsphinx with OS1's grammar.

The demo home's offline voice engines (script/offline_voice): the grammar is
OS1's own hassil templates turned into JSGF, with the demo home's area and
light names, so pocketsphinx recognizes the commands OS1 understands and
nothing is scripted: what the test speaks (espeak-ng) is what is heard.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant

from script.offline_voice.stt import PocketsphinxSpeechToText, write_grammar
from script.offline_voice.voice import speak

from .engines import engine

__all__ = ["PocketsphinxSpeechToText", "pocketsphinx_stt", "speak"]


@asynccontextmanager
async def pocketsphinx_stt(hass: HomeAssistant, tmp_path: Path) -> AsyncIterator[str]:
    """Make pocketsphinx, with a grammar from OS1's light sentences, the pipeline's STT."""
    path = tmp_path / "os1.jsgf"
    await hass.async_add_executor_job(
        write_grammar,
        path,
        ["kitchen", "living room", "bedroom"],
        ["kitchen lights", "ceiling lights", "bed light"],
        ["OS1LightPower"],
    )
    async with engine(
        hass,
        "sphinx",
        Platform.STT,
        PocketsphinxSpeechToText(path),
        stt_engine="stt.pocketsphinx",
        stt_language="en",
    ):
        yield "stt.pocketsphinx"
