"""OS1's MQTT satellite protocol: topics and payloads, free of Home Assistant.

Everything is per site, as in Rhasspy's Hermes protocol: a satellite with site id
``kitchen`` publishes and listens below ``os1/kitchen/``. JSON payloads are
validated with voluptuous and bounded in size; audio chunks are raw PCM.
The integration and the reference satellite share this module.
See docs/mqtt-protocol.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
import json
import re
from typing import Any, ClassVar, Self

import voluptuous as vol

PROTOCOL_VERSION = 1
TOPIC_PREFIX = "os1"

MAX_JSON_BYTES = 4096
"""Largest JSON payload accepted on any topic."""

MAX_CHUNK_BYTES = 32_000
"""Largest audio chunk: one second of 16 kHz 16-bit mono audio."""

MAX_TEXT_CHARS = 500

MAX_SESSION_SECONDS = 30
"""Longest request a satellite may stream; longer audio is cut off with an error."""

RATE_LIMIT_EVENTS = 6
RATE_LIMIT_SECONDS = 30.0
"""At most this many wake and text events per satellite in this many seconds."""

SITE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
"""Site ids are MQTT- and entity-id-safe: lowercase letters, digits, - and _."""


class ProtocolError(ValueError):
    """A message that does not follow the protocol; the text says why."""


class Setting(StrEnum):
    """Settings a satellite can declare in its config, shown as entities in HA."""

    MUTE = "mute"
    WAKE_WORD = "wake_word"


class ErrorCode(StrEnum):
    """Why a request from a satellite was refused (the ``error`` topic)."""

    INVALID = "invalid"
    NOT_ADOPTED = "not_adopted"
    RATE_LIMITED = "rate_limited"
    TOO_LONG = "too_long"
    NO_SESSION = "no_session"
    BUSY = "busy"
    PIPELINE = "pipeline"


class SatelliteState(StrEnum):
    """What a satellite is doing, as published on its state topic."""

    IDLE = "idle"
    LISTENING = "listening"
    PROCESSING = "processing"
    RESPONDING = "responding"


def check_site(value: str) -> str:
    """Return a valid site id, raising ProtocolError otherwise."""
    if not SITE_ID.match(value):
        raise ProtocolError(
            f"bad site id {value!r}: site ids are 1-63 lowercase letters, digits, - or _"
        )
    return value


IDENTIFIER = vol.All(str, vol.Length(min=1, max=64))
"""Session and audio ids, and names."""

AUDIO_FORMAT_SCHEMA = vol.Schema(
    {
        vol.Optional("rate", default=16000): vol.In(
            [16000, 22050, 24000, 44100, 48000]
        ),
        vol.Optional("width", default=2): vol.In([2]),
        vol.Optional("channels", default=1): vol.In([1, 2]),
    }
)


@dataclass(frozen=True, slots=True)
class AudioFormat:
    """PCM audio: sample rate, bytes per sample and channels."""

    rate: int = 16000
    width: int = 2
    channels: int = 1

    @property
    def bytes_per_second(self) -> int:
        """Return how many bytes one second of this audio takes."""
        return self.rate * self.width * self.channels


@dataclass(frozen=True, slots=True)
class Message:
    """A JSON message on a satellite's topic."""

    topic: ClassVar[str]
    schema: ClassVar[vol.Schema]

    def payload(self) -> bytes:
        """Return the message as JSON bytes."""
        return json.dumps(self.as_dict(), separators=(",", ":")).encode()

    def as_dict(self) -> dict[str, Any]:
        """Return the message as JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: bytes | str) -> Self:
        """Parse and validate a payload, raising ProtocolError with the reason."""
        return cls.from_data(parse_json(payload))

    @classmethod
    def from_data(cls, data: Any) -> Self:
        """Validate decoded JSON, raising ProtocolError with the reason."""
        try:
            valid = cls.schema(data)
        except vol.Invalid as err:
            raise ProtocolError(f"invalid {cls.topic} message: {err}") from err
        return cls(**valid)


@dataclass(frozen=True, slots=True)
class SatelliteConfig(Message):
    """Who a satellite is and what it can do (retained; drives discovery)."""

    topic: ClassVar[str] = "config"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {
            vol.Required("name"): IDENTIFIER,
            vol.Optional("area"): vol.Any(None, vol.All(str, vol.Length(max=64))),
            vol.Optional("version", default=PROTOCOL_VERSION): vol.All(
                int, vol.Range(min=1)
            ),
            vol.Optional("audio_in", default=True): bool,
            vol.Optional("audio_out", default=True): bool,
            vol.Optional("wake_words", default=list): [
                vol.All(str, vol.Length(max=64))
            ],
            vol.Optional("audio", default=dict): AUDIO_FORMAT_SCHEMA,
            vol.Optional("sw_version"): vol.Any(None, vol.All(str, vol.Length(max=64))),
            vol.Optional("settings", default=list): [vol.Coerce(Setting)],
        },
        extra=vol.REMOVE_EXTRA,
    )

    name: str
    area: str | None = None
    version: int = PROTOCOL_VERSION
    audio_in: bool = True
    audio_out: bool = True
    wake_words: list[str] = field(default_factory=list)
    audio: dict[str, int] = field(default_factory=dict)
    sw_version: str | None = None
    settings: list[Setting] = field(default_factory=list)

    @property
    def audio_format(self) -> AudioFormat:
        """Return the satellite's audio format."""
        return AudioFormat(**AUDIO_FORMAT_SCHEMA(self.audio))


@dataclass(frozen=True, slots=True)
class Wake(Message):
    """The satellite heard its wake word."""

    topic: ClassVar[str] = "wake"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {
            vol.Optional("wake_word", default=""): vol.All(str, vol.Length(max=64)),
            vol.Optional("score", default=1.0): vol.All(
                vol.Coerce(float), vol.Range(0, 1)
            ),
        },
        extra=vol.REMOVE_EXTRA,
    )

    wake_word: str = ""
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class AudioStart(Message):
    """Audio for one request follows on the chunk topic."""

    topic: ClassVar[str] = "audio/start"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {
            vol.Required("session"): IDENTIFIER,
            vol.Optional("rate", default=16000): vol.In([16000]),
            vol.Optional("width", default=2): vol.In([2]),
            vol.Optional("channels", default=1): vol.In([1]),
        },
        extra=vol.REMOVE_EXTRA,
    )

    session: str
    rate: int = 16000
    width: int = 2
    channels: int = 1


@dataclass(frozen=True, slots=True)
class AudioStop(Message):
    """The request's audio has ended."""

    topic: ClassVar[str] = "audio/stop"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {vol.Required("session"): IDENTIFIER},
        extra=vol.REMOVE_EXTRA,
    )

    session: str


@dataclass(frozen=True, slots=True)
class Text(Message):
    """A typed request: skips speech to text."""

    topic: ClassVar[str] = "text"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {
            vol.Required("text"): vol.All(
                str, vol.Strip, vol.Length(min=1, max=MAX_TEXT_CHARS)
            )
        },
        extra=vol.REMOVE_EXTRA,
    )

    text: str


@dataclass(frozen=True, slots=True)
class Say(Message):
    """Speak this text (the satellite shows or speaks it)."""

    topic: ClassVar[str] = "say"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {
            vol.Required("text"): vol.All(str, vol.Length(max=2000)),
            vol.Optional("url"): vol.Any(None, vol.All(str, vol.Length(max=1024))),
        },
        extra=vol.REMOVE_EXTRA,
    )

    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class State(Message):
    """What the satellite should show it is doing."""

    topic: ClassVar[str] = "state"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {vol.Required("state"): vol.Coerce(SatelliteState)}, extra=vol.REMOVE_EXTRA
    )

    state: SatelliteState


@dataclass(frozen=True, slots=True)
class Settings(Message):
    """The satellite's current settings (retained), for the settings it declared."""

    topic: ClassVar[str] = "settings"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {
            vol.Optional("muted"): vol.Any(None, bool),
            vol.Optional("wake_word"): vol.Any(None, vol.All(str, vol.Length(max=64))),
        },
        extra=vol.REMOVE_EXTRA,
    )

    muted: bool | None = None
    wake_word: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return only the settings that are set."""
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True, slots=True)
class SetSettings(Settings):
    """Change some of the satellite's settings; it answers with ``settings``."""

    topic: ClassVar[str] = "settings/set"


@dataclass(frozen=True, slots=True)
class Played(Message):
    """The satellite finished playing an audio stream or URL."""

    topic: ClassVar[str] = "played"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {vol.Required("id"): IDENTIFIER},
        extra=vol.REMOVE_EXTRA,
    )

    id: str


@dataclass(frozen=True, slots=True)
class Presence(Message):
    """The satellite sensed someone in its room, or that the room emptied.

    `person` names who (a person entity id or name) when the satellite can
    tell; without it, it is someone.
    """

    topic: ClassVar[str] = "presence"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {
            vol.Required("present"): bool,
            vol.Optional("person"): vol.Any(
                None, vol.All(str, vol.Strip, vol.Length(min=1, max=128))
            ),
        },
        extra=vol.REMOVE_EXTRA,
    )

    present: bool
    person: str | None = None


@dataclass(frozen=True, slots=True)
class Listen(Message):
    """Start streaming audio for a request without waiting for the wake word."""

    topic: ClassVar[str] = "listen"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {vol.Required("session"): IDENTIFIER},
        extra=vol.REMOVE_EXTRA,
    )

    session: str


@dataclass(frozen=True, slots=True)
class AudioOutStart(Message):
    """Audio to play follows on ``audio/out/chunk``, in the satellite's format."""

    topic: ClassVar[str] = "audio/out/start"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {
            vol.Required("id"): IDENTIFIER,
            vol.Optional("rate", default=16000): int,
            vol.Optional("width", default=2): int,
            vol.Optional("channels", default=1): int,
            vol.Optional("text", default=""): vol.All(str, vol.Length(max=2000)),
        },
        extra=vol.REMOVE_EXTRA,
    )

    id: str
    rate: int = 16000
    width: int = 2
    channels: int = 1
    text: str = ""


@dataclass(frozen=True, slots=True)
class AudioOutStop(Message):
    """The audio to play has ended; answer with ``played`` once it has played."""

    topic: ClassVar[str] = "audio/out/stop"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {vol.Required("id"): IDENTIFIER},
        extra=vol.REMOVE_EXTRA,
    )

    id: str


@dataclass(frozen=True, slots=True)
class Error(Message):
    """A request was refused; ``code`` says why, ``message`` in words."""

    topic: ClassVar[str] = "error"
    schema: ClassVar[vol.Schema] = vol.Schema(
        {
            vol.Required("code"): vol.Coerce(ErrorCode),
            vol.Optional("message", default=""): vol.All(str, vol.Length(max=500)),
        },
        extra=vol.REMOVE_EXTRA,
    )

    code: ErrorCode
    message: str = ""


INBOUND: dict[str, type[Message]] = {
    message.topic: message
    for message in (
        SatelliteConfig,
        Settings,
        Wake,
        AudioStart,
        AudioStop,
        Text,
        Played,
        Presence,
    )
}
"""JSON messages a satellite sends, by topic suffix."""

OUTBOUND: dict[str, type[Message]] = {
    message.topic: message
    for message in (Say, State, Listen, SetSettings, AudioOutStart, AudioOutStop, Error)
}
"""JSON messages a satellite receives, by topic suffix."""

AUDIO_CHUNK = "audio/chunk"
AUDIO_OUT_CHUNK = "audio/out/chunk"
STATUS = "status"
ONLINE = "online"
OFFLINE = "offline"


def topic(site: str, suffix: str) -> str:
    """Return the topic of a site's message, e.g. "os1/kitchen/wake"."""
    return f"{TOPIC_PREFIX}/{check_site(site)}/{suffix}"


def split_topic(name: str) -> tuple[str, str]:
    """Return (site, suffix) of an OS1 topic, raising ProtocolError if it is not one."""
    parts = name.split("/", 2)
    if len(parts) != 3 or parts[0] != TOPIC_PREFIX or not parts[2]:
        raise ProtocolError(f"not an OS1 topic: {name!r}")
    return check_site(parts[1]), parts[2]


def parse_json(payload: bytes | str) -> dict[str, Any]:
    """Decode a bounded JSON object, raising ProtocolError with the reason."""
    raw = payload.encode() if isinstance(payload, str) else payload
    if len(raw) > MAX_JSON_BYTES:
        raise ProtocolError(f"payload of {len(raw)} bytes exceeds {MAX_JSON_BYTES}")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ProtocolError(f"payload is not JSON: {err}") from err
    if not isinstance(data, dict):
        raise ProtocolError("payload is not a JSON object")
    return data


def check_chunk(chunk: bytes, audio: AudioFormat) -> None:
    """Check an audio chunk's size and alignment, raising ProtocolError."""
    if len(chunk) > MAX_CHUNK_BYTES:
        raise ProtocolError(
            f"audio chunk of {len(chunk)} bytes exceeds {MAX_CHUNK_BYTES}"
        )
    if len(chunk) % (audio.width * audio.channels):
        raise ProtocolError("audio chunk is not a whole number of samples")
