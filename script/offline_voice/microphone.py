"""A stand-in microphone: silence, and a recording each time a file appears, at real time.

    python microphone.py SPEECH GO

Writes 16 kHz 16-bit mono raw audio to stdout, as `arecord` would: silence
until the file GO exists, then the raw samples in SPEECH (GO is removed as it
starts, so creating it again says it again), then silence again. Satellites run
it as their microphone command in the tests and checks.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
import sys
import time

CHUNK = 2048
"""64 ms of audio."""
BYTES_PER_SECOND = 32000


def main(speech: Path, go: Path) -> None:
    """Play the recording once GO appears."""
    audio = speech.read_bytes()
    out = sys.stdout.buffer
    silence = bytes(CHUNK)
    while True:
        if go.exists():
            go.unlink()
            chunks = [audio[i : i + CHUNK] for i in range(0, len(audio), CHUNK)]
        else:
            chunks = [silence]
        for chunk in chunks:
            out.write(chunk.ljust(CHUNK, b"\0"))
            out.flush()
            time.sleep(CHUNK / BYTES_PER_SECOND)


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):
        main(Path(sys.argv[1]), Path(sys.argv[2]))
