"""OS1's MQTT satellite protocol, tested without Home Assistant."""

from __future__ import annotations

import json

import pytest

from custom_components.os1.protocol import (
    INBOUND,
    MAX_CHUNK_BYTES,
    MAX_JSON_BYTES,
    OUTBOUND,
    AudioFormat,
    AudioOutStart,
    AudioOutStop,
    AudioStart,
    AudioStop,
    Error,
    ErrorCode,
    Listen,
    Message,
    Played,
    Presence,
    ProtocolError,
    SatelliteConfig,
    SatelliteState,
    Say,
    SetSettings,
    Settings,
    State,
    Text,
    Wake,
    check_chunk,
    split_topic,
    topic,
)

MESSAGES: list[Message] = [
    SatelliteConfig(
        name="Kitchen satellite",
        area="Kitchen",
        wake_words=["hey_jarvis"],
        audio={"rate": 16000, "width": 2, "channels": 1},
        sw_version="0.1.0",
    ),
    Wake(wake_word="hey_jarvis", score=0.93),
    AudioStart(session="01JAB"),
    AudioStop(session="01JAB"),
    Text(text="turn on the lights"),
    Say(text="Okay, the kitchen light is on.", url="http://ha.local/tts.wav"),
    State(state=SatelliteState.LISTENING),
    Settings(muted=True, wake_word="alexa"),
    SetSettings(muted=False),
    Played(id="01JAC"),
    Presence(present=True, person="person.anna"),
    Presence(present=False),
    Listen(session="01JAD"),
    AudioOutStart(id="01JAC", rate=22050, text="Okay."),
    AudioOutStop(id="01JAC"),
    Error(code=ErrorCode.RATE_LIMITED, message="too many requests"),
]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_round_trip(message: Message) -> None:
    """Every message survives its own encoding."""
    assert type(message).from_payload(message.payload()) == message


def test_every_message_has_a_topic() -> None:
    """Inbound and outbound messages are known by their topic suffix."""
    assert set(INBOUND) == {
        "presence",
        "config",
        "settings",
        "wake",
        "audio/start",
        "audio/stop",
        "text",
        "played",
    }
    assert set(OUTBOUND) == {
        "say",
        "state",
        "listen",
        "settings/set",
        "audio/out/start",
        "audio/out/stop",
        "error",
    }


def test_topics() -> None:
    """Topics are per site and parse back."""
    assert topic("kitchen", "wake") == "os1/kitchen/wake"
    assert split_topic("os1/kitchen/audio/chunk") == ("kitchen", "audio/chunk")
    for bad in (
        "os1/kitchen",
        "hermes/kitchen/wake",
        "os1//wake",
        "os1/Kitchen Sat/wake",
    ):
        with pytest.raises(ProtocolError):
            split_topic(bad)
    with pytest.raises(ProtocolError, match="site ids"):
        topic("../etc", "wake")


def test_defaults_fill_in() -> None:
    """A minimal config is complete after validation."""
    config = SatelliteConfig.from_payload('{"name": "Hall", "future_field": 1}')
    assert config.audio_format == AudioFormat(16000, 2, 1)
    assert config.audio_format.bytes_per_second == 32000
    assert config.audio_in
    assert config.area is None


@pytest.mark.parametrize(
    ("message", "payload", "reason"),
    [
        (Text, b"\xff\xfe", "not JSON"),
        (Text, b"[1, 2]", "not a JSON object"),
        (Text, b"{}", "required key not provided"),
        (Text, json.dumps({"text": "   "}).encode(), "length"),
        (Text, json.dumps({"text": "x" * 5000}).encode(), "exceeds"),
        (Wake, b'{"score": 7}', "value must be at most"),
        (State, b'{"state": "dancing"}', "state"),
        (SatelliteConfig, b'{"name": ""}', "length"),
        (AudioStart, b'{"session": "a", "rate": 8000}', "rate"),
    ],
)
def test_bad_payloads(message: type[Message], payload: bytes, reason: str) -> None:
    """Malformed payloads are refused with a reason a log can show."""
    with pytest.raises(ProtocolError, match=reason):
        message.from_payload(payload)


def test_json_size_limit() -> None:
    """Payloads are bounded before they are parsed."""
    big = json.dumps({"text": "a", "pad": "x" * MAX_JSON_BYTES})
    with pytest.raises(ProtocolError, match="exceeds"):
        Text.from_payload(big)


def test_audio_chunks() -> None:
    """Chunks are bounded and whole samples."""
    audio = AudioFormat()
    check_chunk(b"\0" * 3200, audio)
    with pytest.raises(ProtocolError, match="exceeds"):
        check_chunk(b"\0" * (MAX_CHUNK_BYTES + 2), audio)
    with pytest.raises(ProtocolError, match="whole number"):
        check_chunk(b"\0" * 3, audio)
