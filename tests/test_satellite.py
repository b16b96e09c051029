"""Satellite sessions, limits and audio, tested without Home Assistant."""

from __future__ import annotations

import io
import wave

import pytest

from custom_components.os1.protocol import MAX_CHUNK_BYTES, AudioFormat, ProtocolError
from custom_components.os1.satellite import (
    AudioSession,
    Pcm,
    RateLimiter,
    SessionTooLong,
    pcm_from_wav,
)


def test_rate_limiter_allows_a_burst_then_recovers() -> None:
    """Six requests pass in a window, the seventh waits for the window to move."""
    now = [0.0]
    limiter = RateLimiter(events=6, seconds=30, clock=lambda: now[0])
    assert all(limiter.allow() for _ in range(6))
    assert not limiter.allow()
    now[0] = 29.9
    assert not limiter.allow()
    now[0] = 30.0
    assert limiter.allow()


async def test_session_streams_chunks_until_closed() -> None:
    """The pipeline reads what the satellite sent, in order, then the end."""
    session = AudioSession("s1")
    session.feed(b"\x01\x00" * 10)
    session.feed(b"\x02\x00" * 10)
    session.close()
    chunks = [chunk async for chunk in session.stream()]
    assert chunks == [b"\x01\x00" * 10, b"\x02\x00" * 10]
    assert session.chunks == 2
    assert session.seconds == pytest.approx(40 / 32000)


def test_session_refuses_bad_chunks() -> None:
    """Oversized, misaligned and late chunks are refused with the reason."""
    session = AudioSession("s1")
    with pytest.raises(ProtocolError, match="exceeds"):
        session.feed(bytes(MAX_CHUNK_BYTES + 2))
    with pytest.raises(ProtocolError, match="whole number of samples"):
        session.feed(bytes(3))
    session.close()
    with pytest.raises(ProtocolError, match="has ended"):
        session.feed(bytes(2))


async def test_session_is_cut_off_at_its_limit() -> None:
    """A request longer than allowed ends; what came before still counts."""
    session = AudioSession("s1", max_seconds=2)
    second = bytes(32000)
    session.feed(second)
    session.feed(second)
    with pytest.raises(SessionTooLong, match="longer than 2 s"):
        session.feed(second)
    assert session.closed
    assert [len(chunk) async for chunk in session.stream()] == [32000, 32000]


def _wav(rate: int, frames: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setframerate(rate)
        wav.setsampwidth(2)
        wav.setnchannels(1)
        wav.writeframes(frames)
    return buffer.getvalue()


def test_wav_to_pcm_chunks() -> None:
    """Speech in a WAV file becomes quarter-second chunks of whole samples."""
    pcm = pcm_from_wav(_wav(22050, bytes(22050 * 2)))
    assert pcm.audio == AudioFormat(rate=22050)
    assert pcm.seconds == pytest.approx(1.0)
    chunks = list(pcm.chunks())
    assert [len(chunk) for chunk in chunks] == [11024] * 4 + [4]
    assert all(len(chunk) % 2 == 0 for chunk in chunks)
    assert b"".join(chunks) == pcm.data


def test_big_formats_stay_under_the_chunk_limit() -> None:
    """Even 48 kHz stereo chunks fit the protocol's chunk size."""
    pcm = Pcm(AudioFormat(rate=48000, channels=2), bytes(48000 * 4))
    assert max(len(chunk) for chunk in pcm.chunks(seconds=1)) <= MAX_CHUNK_BYTES


def test_not_a_wav_file() -> None:
    """MP3 bytes are not taken for PCM."""
    with pytest.raises(ProtocolError, match="not a WAV file"):
        pcm_from_wav(b"ID3\x04\x00not a wav")
