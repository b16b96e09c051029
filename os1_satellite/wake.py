"""On-device wake word detection with openWakeWord's shipped models."""

from __future__ import annotations

from typing import Any

WAKE_WORDS = ("hey_jarvis", "alexa", "hey_mycroft", "hey_rhasspy", "okay_nabu")
"""The models pyopen-wakeword ships."""

REFRACTORY_CHUNKS = 12
"""After a detection, ignore ~1 s of scores rather than reset (a reset refills
openWakeWord's 8 s feature window, which costs about half a second of CPU)."""


class WakeWordDetector:
    """Scores 80 ms chunks of 16 kHz audio against one wake word model."""

    def __init__(self, wake_word: str, threshold: float = 0.5) -> None:
        """Load the shared feature models and the wake word's model."""
        from pyopen_wakeword import Model, OpenWakeWord, OpenWakeWordFeatures

        self.threshold = threshold
        self._features: Any = OpenWakeWordFeatures.from_builtin()
        self._model_type = Model
        self._open = OpenWakeWord
        self.wake_word = ""
        self._model: Any = None
        self._quiet = 0
        self.select(wake_word)

    def select(self, wake_word: str) -> None:
        """Switch to another shipped wake word, raising ValueError if unknown."""
        if wake_word not in WAKE_WORDS:
            raise ValueError(
                f"unknown wake word {wake_word!r}; choose one of {WAKE_WORDS}"
            )
        self._model = self._open.from_builtin(self._model_type(wake_word))
        self.wake_word = wake_word
        self.reset()

    def process(self, chunk: bytes) -> float | None:
        """Return the score if the chunk completes the wake word, else None."""
        detected: float | None = None
        for embedding in self._features.process_streaming(chunk):
            for score in self._model.process_streaming(embedding):
                if score >= self.threshold and detected is None and not self._quiet:
                    detected = float(score)
        if self._quiet:
            self._quiet -= 1
        if detected is not None:
            self._quiet = REFRACTORY_CHUNKS
        return detected

    def reset(self) -> None:
        """Forget the audio heard so far (after a detection, or a request)."""
        self._features.reset()
        self._model.reset()
