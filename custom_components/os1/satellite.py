"""Satellite sessions, limits and audio conversion, free of Home Assistant.

A satellite streams one request at a time. `AudioSession` turns the chunks it
publishes into the async stream an Assist pipeline reads, and cuts a request off
when it runs longer than the protocol allows. `RateLimiter` bounds how often a
satellite may wake OS1 up.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
import io
import time
from typing import Protocol
import wave

from .protocol import (
    MAX_CHUNK_BYTES,
    MAX_SESSION_SECONDS,
    RATE_LIMIT_EVENTS,
    RATE_LIMIT_SECONDS,
    AudioFormat,
    Message,
    ProtocolError,
    SatelliteConfig,
    Settings,
    Wake,
    check_chunk,
)


class RateLimiter:
    """Allow at most `events` events in any window of `seconds` seconds."""

    def __init__(
        self,
        events: int = RATE_LIMIT_EVENTS,
        seconds: float = RATE_LIMIT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Initialize an empty window."""
        self._events = events
        self._seconds = seconds
        self._clock = clock
        self._times: deque[float] = deque()

    def allow(self) -> bool:
        """Record an event and return whether it is within the limit."""
        now = self._clock()
        while self._times and now - self._times[0] >= self._seconds:
            self._times.popleft()
        if len(self._times) >= self._events:
            return False
        self._times.append(now)
        return True


class SessionTooLong(ProtocolError):
    """The request's audio went past the longest allowed."""


class AudioSession:
    """The audio of one request, from `audio/start` to `audio/stop`."""

    def __init__(
        self,
        session_id: str,
        audio: AudioFormat | None = None,
        max_seconds: float = MAX_SESSION_SECONDS,
    ) -> None:
        """Start an empty session."""
        self.session_id = session_id
        self.audio = audio = audio or AudioFormat()
        self.max_bytes = int(max_seconds * audio.bytes_per_second)
        self.received = 0
        self.chunks = 0
        self.closed = False
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    def feed(self, chunk: bytes) -> None:
        """Queue a chunk; raise ProtocolError if it is malformed or one too many.

        A session that runs too long is closed: the pipeline gets what came before.
        """
        if self.closed:
            raise ProtocolError(f"session {self.session_id} has ended")
        check_chunk(chunk, self.audio)
        if self.received + len(chunk) > self.max_bytes:
            self.close()
            raise SessionTooLong(
                f"session {self.session_id} is longer than "
                f"{self.max_bytes // self.audio.bytes_per_second} s"
            )
        self.received += len(chunk)
        self.chunks += 1
        self._queue.put_nowait(chunk)

    def close(self) -> None:
        """End the stream; later chunks are refused."""
        if not self.closed:
            self.closed = True
            self._queue.put_nowait(None)

    @property
    def seconds(self) -> float:
        """Return how much audio has been received, in seconds."""
        return self.received / self.audio.bytes_per_second

    async def stream(self) -> AsyncIterator[bytes]:
        """Yield the chunks as they arrive, until the session ends."""
        while (chunk := await self._queue.get()) is not None:
            yield chunk


@dataclass(frozen=True, slots=True)
class Pcm:
    """Raw audio and its format."""

    audio: AudioFormat
    data: bytes

    @property
    def seconds(self) -> float:
        """Return the duration."""
        return len(self.data) / self.audio.bytes_per_second

    def chunks(self, seconds: float = 0.25) -> Iterator[bytes]:
        """Split the audio into chunks of about `seconds`, whole samples each."""
        frame = self.audio.width * self.audio.channels
        size = min(MAX_CHUNK_BYTES, int(self.audio.rate * seconds) * frame)
        for start in range(0, len(self.data), size):
            yield self.data[start : start + size]


def pcm_from_wav(data: bytes) -> Pcm:
    """Return the PCM audio in a WAV file, raising ProtocolError if it is not one."""
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            audio = AudioFormat(
                rate=wav.getframerate(),
                width=wav.getsampwidth(),
                channels=wav.getnchannels(),
            )
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as err:
        raise ProtocolError(f"not a WAV file: {err}") from err
    return Pcm(audio, frames)


class TimerChange(StrEnum):
    """What happened to a timer set through a satellite."""

    STARTED = "started"
    UPDATED = "updated"
    CANCELLED = "cancelled"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class Timer:
    """A timer set through a satellite ("set a timer for 5 minutes")."""

    id: str
    seconds: int
    """Seconds left."""
    name: str | None = None
    start_hours: int | None = None
    start_minutes: int | None = None
    start_seconds: int | None = None
    is_active: bool = True


class SatelliteHandler(Protocol):
    """What a satellite's Assist satellite entity does with its requests."""

    def async_wake(self, wake: Wake) -> None:
        """Note that the satellite heard its wake word."""

    def async_audio_start(
        self, session: AudioSession, wake: Wake | None, *, listen_for_wake: bool = False
    ) -> None:
        """Start a request from its audio (from the wake word, when asked to)."""

    def async_text(self, text: str) -> None:
        """Answer a typed request."""


class SatelliteLink(Protocol):
    """One adopted satellite, whatever carries it (MQTT or Wyoming).

    The satellite's entities talk to this: who it is, whether it is reachable,
    its current request's audio, and what to say and play to it. Messages are
    those of OS1's protocol; each transport says them in its own way.
    """

    site: str
    config: SatelliteConfig
    settings: Settings
    handler: SatelliteHandler | None
    session: AudioSession | None
    stats: dict[str, int]
    keeps_settings: bool
    """Whether the satellite keeps its settings itself (else Home Assistant does)."""

    @property
    def online(self) -> bool:
        """Return whether the satellite itself is up."""

    @property
    def available(self) -> bool:
        """Return whether OS1 can reach the satellite now."""

    def async_add_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` when the satellite's config, settings or status change."""

    def async_end_session(self) -> None:
        """Stop taking audio for the current request."""

    def async_heard(self, text: str) -> None:
        """Tell the satellite what was understood (its request has ended)."""

    def async_detected(self, wake_word: str) -> None:
        """Tell the satellite Home Assistant heard its wake word in its stream."""

    def async_request_done(self, session: AudioSession) -> None:
        """Note that a request's pipeline has finished."""

    def async_publish(self, message: Message) -> None:
        """Say something to the satellite, without waiting."""

    async def async_play(self, pcm: Pcm, audio_id: str, text: str = "") -> None:
        """Play audio on the satellite and wait until it has played it."""

    def async_timer(self, change: TimerChange, timer: Timer) -> bool:
        """Tell the satellite about its timer; False if it has no way to show it."""
