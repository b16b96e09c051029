"""Where the satellite's audio comes from and where the answers go."""

from __future__ import annotations

from collections.abc import Iterator
import logging
from pathlib import Path
import shlex
import subprocess
import time
import wave

from .protocol import AudioFormat

_LOGGER = logging.getLogger(__name__)

MIC_FORMAT = AudioFormat(rate=16000, width=2, channels=1)
"""What the protocol streams: 16 kHz, 16-bit, mono."""

CHUNK_SAMPLES = 1280
"""80 ms, the step openWakeWord works in."""
CHUNK_BYTES = CHUNK_SAMPLES * MIC_FORMAT.width


class AudioError(ValueError):
    """Audio that the satellite cannot use; the text says why."""


def command_source(command: str) -> Iterator[bytes]:
    """Read 16 kHz 16-bit mono raw audio from a command's output (e.g. arecord)."""
    with subprocess.Popen(shlex.split(command), stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        try:
            while chunk := process.stdout.read(CHUNK_BYTES):
                yield chunk
        finally:
            process.terminate()


def read_audio_file(path: Path) -> bytes:
    """Return a WAV or raw file's 16 kHz 16-bit mono samples."""
    if path.suffix.lower() != ".wav":
        return path.read_bytes()
    with wave.open(str(path), "rb") as wav:
        found = (wav.getframerate(), wav.getsampwidth(), wav.getnchannels())
        if found != (MIC_FORMAT.rate, MIC_FORMAT.width, MIC_FORMAT.channels):
            raise AudioError(
                f"{path} is {found[0]} Hz, {8 * found[1]}-bit, {found[2]} channel(s); "
                "the satellite needs 16000 Hz, 16-bit, mono"
            )
        return wav.readframes(wav.getnframes())


def file_source(
    path: Path, *, realtime: bool = True, tail_seconds: float = 2.0
) -> Iterator[bytes]:
    """Play a file as if it were a microphone: paced at real time, then silence.

    The trailing silence lets Home Assistant hear that the request has ended.
    """
    data = read_audio_file(path)
    data += bytes(int(tail_seconds * MIC_FORMAT.rate) * MIC_FORMAT.width)
    chunk_seconds = CHUNK_SAMPLES / MIC_FORMAT.rate
    start = time.monotonic()
    for index, offset in enumerate(range(0, len(data), CHUNK_BYTES)):
        if realtime:
            delay = start + index * chunk_seconds - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        chunk = data[offset : offset + CHUNK_BYTES]
        yield chunk.ljust(CHUNK_BYTES, b"\0")


class Speaker:
    """Plays the audio Home Assistant sends: one stream at a time."""

    def start(self, audio: AudioFormat) -> None:
        """Begin a stream in this format."""

    def write(self, chunk: bytes) -> None:
        """Play a chunk."""

    def finish(self) -> None:
        """End the stream; return once it has played."""


class CommandSpeaker(Speaker):
    """Pipes raw audio into a command (e.g. aplay), started for each stream.

    ``{rate}``, ``{width}`` and ``{channels}`` in the command are filled in.
    """

    def __init__(self, command: str) -> None:
        """Remember the command."""
        self.command = command
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, audio: AudioFormat) -> None:
        """Start the command for this stream."""
        args = shlex.split(
            self.command.format(
                rate=audio.rate,
                width=audio.width,
                bits=8 * audio.width,
                channels=audio.channels,
            )
        )
        self._process = subprocess.Popen(args, stdin=subprocess.PIPE)

    def write(self, chunk: bytes) -> None:
        """Pipe a chunk."""
        if self._process and self._process.stdin:
            try:
                self._process.stdin.write(chunk)
            except BrokenPipeError:
                _LOGGER.warning("Speaker command %r exited early", self.command)
                self._process = None

    def finish(self) -> None:
        """Close the pipe and wait for the command to finish playing."""
        if self._process is None:
            return
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait()
        self._process = None


class FileSpeaker(Speaker):
    """Writes each stream to a WAV file (the last one wins)."""

    def __init__(self, path: Path) -> None:
        """Remember the path."""
        self.path = path
        self._wav: wave.Wave_write | None = None

    def start(self, audio: AudioFormat) -> None:
        """Open the file."""
        self._wav = wave.open(str(self.path), "wb")  # noqa: SIM115
        self._wav.setframerate(audio.rate)
        self._wav.setsampwidth(audio.width)
        self._wav.setnchannels(audio.channels)

    def write(self, chunk: bytes) -> None:
        """Append a chunk."""
        if self._wav:
            self._wav.writeframes(chunk)

    def finish(self) -> None:
        """Close the file."""
        if self._wav:
            self._wav.close()
            self._wav = None
