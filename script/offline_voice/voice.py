"""espeak-ng, the demo's voice, free of Home Assistant."""

from __future__ import annotations

from pathlib import Path
import shutil
import subprocess
import tempfile

VOICE = "en-us"
WORDS_PER_MINUTE = 150


def espeak() -> str:
    """Return espeak-ng's path, raising FileNotFoundError when it is missing."""
    found = shutil.which("espeak-ng")
    if found is None:
        raise FileNotFoundError("espeak-ng is missing: run script/setup")
    return found


def espeak_command(text: str, *, speed: int = WORDS_PER_MINUTE) -> list[str]:
    """Return the command that writes `text` as a 22.05 kHz WAV to stdout."""
    return [espeak(), "-v", VOICE, "-s", str(speed), "--stdout", text]


def speak(text: str, path: Path | None = None, *, lead_seconds: float = 0.5) -> bytes:
    """Say `text`; return it as 16 kHz 16-bit mono samples after a short silence.

    What a microphone would hear: the spoken requests of the tests and checks.
    `path` keeps the WAV espeak-ng wrote.
    """
    with tempfile.TemporaryDirectory() as tmp:
        wav = path.with_suffix(".wav") if path else Path(tmp) / "speech.wav"
        wav.write_bytes(
            subprocess.run(
                espeak_command(text, speed=140), check=True, capture_output=True
            ).stdout
        )
        raw = subprocess.run(
            [
                shutil.which("ffmpeg") or "ffmpeg",
                *("-loglevel", "error", "-i", str(wav)),
                *("-ar", "16000", "-ac", "1", "-f", "s16le", "-"),
            ],
            check=True,
            capture_output=True,
        ).stdout
    return bytes(int(lead_seconds * 16000) * 2) + raw
