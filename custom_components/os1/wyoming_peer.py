"""A connection to a Wyoming satellite, free of Home Assistant.

In the Wyoming protocol the satellite is the server: OS1 connects to its TCP
port, asks what it is (describe, answered by info), tells it to run
(run-satellite), then hands every event the satellite sends to a handler and
writes the handler's events back. A lost connection is retried with a backoff
that grows to half a minute; the satellite is told to pause when OS1 lets it
go. Events are read with limits of OS1's own, so that a peer sending a huge or
malformed event is cut off with the reason logged instead of filling memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
from dataclasses import dataclass
import json
import logging
import random
from typing import Any

from wyoming.event import Event, async_write_event
from wyoming.info import Describe, Info
from wyoming.ping import Ping, Pong
from wyoming.satellite import PauseSatellite, RunSatellite

LOGGER = logging.getLogger(__package__)

CONNECT_TIMEOUT = 5.0
"""Seconds to connect and be told what the peer is."""
BACKOFF_MIN = 1.0
BACKOFF_MAX = 30.0
PING_INTERVAL = 10.0
"""Seconds between pings; a peer silent for two intervals is reconnected."""

MAX_HEADER = 16 * 1024
"""Bytes in an event's JSON header line."""
MAX_DATA = 64 * 1024
"""Bytes of an event's JSON data."""
MAX_PAYLOAD = 1024 * 1024
"""Bytes of an event's payload: about 30 s of 16 kHz 16-bit mono audio."""


class WyomingError(Exception):
    """A peer that can't be reached or doesn't speak the protocol; says why."""


@dataclass(frozen=True, slots=True)
class AudioOut:
    """The audio format a satellite plays."""

    rate: int = 22050
    width: int = 2
    channels: int = 1


@dataclass(frozen=True, slots=True)
class SatelliteInfo:
    """What a Wyoming satellite says it is."""

    name: str
    area: str | None = None
    description: str | None = None
    version: str | None = None
    audio_out: AudioOut | None = None
    wake_words: tuple[str, ...] = ()
    """Wake words the satellite detects itself (none: Home Assistant listens)."""

    @classmethod
    def from_info(cls, info: Info, data: dict[str, Any] | None = None) -> SatelliteInfo:
        """Read an info event, raising WyomingError if it is not a satellite.

        The speaker's format comes from the info's sound programs, or, from
        satellites built on wyoming 1.5, from the satellite's own `snd_format`
        (which later versions of the library no longer read: `data` is the
        event's raw data).
        """
        satellite = info.satellite
        if satellite is None:
            raise WyomingError("the service is not a satellite")
        audio_out = None
        if info.snd:
            snd = info.snd[0].snd_format
            audio_out = AudioOut(snd.rate, snd.width, snd.channels)
        elif isinstance(raw := (data or {}).get("satellite"), dict) and isinstance(
            old := raw.get("snd_format"), dict
        ):
            try:
                audio_out = AudioOut(
                    int(old["rate"]), int(old["width"]), int(old["channels"])
                )
            except (KeyError, TypeError, ValueError) as err:
                raise WyomingError(
                    f"a speaker format that can't be read: {old}"
                ) from err
        return cls(
            name=satellite.name,
            area=satellite.area,
            description=satellite.description,
            version=satellite.version,
            audio_out=audio_out,
            wake_words=tuple(
                model.name
                for program in info.wake
                for model in program.models
                if model.installed
            ),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SatelliteInfo:
        """Read info stored with `as_dict`."""
        out = data.get("audio_out")
        return cls(
            name=str(data["name"]),
            area=data.get("area"),
            description=data.get("description"),
            version=data.get("version"),
            audio_out=AudioOut(**out) if out else None,
            wake_words=tuple(data.get("wake_words", ())),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the info as JSON-ready data."""
        return {
            "name": self.name,
            "area": self.area,
            "description": self.description,
            "version": self.version,
            "audio_out": (
                None
                if self.audio_out is None
                else {
                    "rate": self.audio_out.rate,
                    "width": self.audio_out.width,
                    "channels": self.audio_out.channels,
                }
            ),
            "wake_words": list(self.wake_words),
        }


async def read_event(reader: asyncio.StreamReader) -> Event | None:
    """Read one event within OS1's limits; None when the peer closed.

    Raises WyomingError on a malformed or oversized event: the stream can't be
    trusted after it, so the caller drops the connection.
    """
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as err:
        if not err.partial:
            return None
        raise WyomingError("the connection closed in the middle of an event") from err
    except asyncio.LimitOverrunError as err:
        raise WyomingError(f"an event header over {MAX_HEADER} bytes") from err
    header = _json_object(line, "an event header")
    if not isinstance(header.get("type"), str):
        raise WyomingError("an event without a type")
    data = header.get("data") or {}
    if not isinstance(data, dict):
        raise WyomingError("event data that is not a JSON object")
    data_length = _length(header, "data_length", MAX_DATA)
    payload_length = _length(header, "payload_length", MAX_PAYLOAD)
    try:
        if data_length:
            data = {
                **data,
                **_json_object(await reader.readexactly(data_length), "event data"),
            }
        payload = await reader.readexactly(payload_length) if payload_length else None
    except asyncio.IncompleteReadError as err:
        raise WyomingError("the connection closed in the middle of an event") from err
    return Event(type=header["type"], data=data, payload=payload)


def _json_object(raw: bytes, what: str) -> dict[str, Any]:
    """Parse a JSON object, or raise WyomingError saying what was wrong."""
    try:
        value = json.loads(raw)
    except ValueError as err:
        raise WyomingError(f"{what} that is not JSON: {err}") from err
    if not isinstance(value, dict):
        raise WyomingError(f"{what} that is not a JSON object")
    return value


def _length(header: dict[str, Any], key: str, limit: int) -> int:
    """Return a length from an event header, within a limit."""
    value = header.get(key) or 0
    if not isinstance(value, int) or value < 0:
        raise WyomingError(f"a bad {key} {value!r}")
    if value > limit:
        raise WyomingError(f"an event with {key} {value} over the limit of {limit}")
    return value


async def _open(
    host: str, port: int
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Connect to a peer, with OS1's header limit."""
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT):
            return await asyncio.open_connection(host, port, limit=MAX_HEADER)
    except (OSError, TimeoutError) as err:
        raise WyomingError(
            f"can't connect to {host}:{port}: {err or 'timed out'}"
        ) from err


async def _describe(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> SatelliteInfo:
    """Ask a connected peer what it is."""
    await async_write_event(Describe().event(), writer)
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT):
            while (event := await read_event(reader)) is not None:
                if Info.is_type(event.type):
                    try:
                        info = Info.from_event(event)
                    except (KeyError, TypeError, ValueError) as err:
                        raise WyomingError(
                            f"an info event that can't be read: {err}"
                        ) from err
                    return SatelliteInfo.from_info(info, event.data)
    except TimeoutError as err:
        raise WyomingError("no answer to describe") from err
    raise WyomingError("the peer closed the connection")


async def async_describe(host: str, port: int) -> SatelliteInfo:
    """Connect, ask what the peer is, and hang up (for adopting a satellite)."""
    reader, writer = await _open(host, port)
    try:
        return await _describe(reader, writer)
    except OSError as err:
        raise WyomingError(f"the connection failed: {err}") from err
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


type EventHandler = Callable[[Event], Awaitable[None]]


class WyomingPeer:
    """Keep a connection to one Wyoming satellite and pass its events on."""

    def __init__(
        self,
        host: str,
        port: int,
        on_event: EventHandler,
        on_connected: Callable[[SatelliteInfo], None],
        on_disconnected: Callable[[], None],
        *,
        backoff: tuple[float, float] = (BACKOFF_MIN, BACKOFF_MAX),
        ping_interval: float = PING_INTERVAL,
    ) -> None:
        """Initialize; `run` connects."""
        self.host = host
        self.port = port
        self._on_event = on_event
        self._on_connected = on_connected
        self._on_disconnected = on_disconnected
        self._backoff = backoff
        self._ping_interval = ping_interval
        self._writer: asyncio.StreamWriter | None = None
        self._write_lock = asyncio.Lock()
        self._stopping = False
        self.info: SatelliteInfo | None = None
        self.connections = 0
        """How many times the peer was connected (1 plus reconnections)."""
        self.last_error: str | None = None

    @property
    def connected(self) -> bool:
        """Return True while connected and running."""
        return self._writer is not None

    async def run(self) -> None:
        """Connect and stay connected until stopped."""
        delay = self._backoff[0]
        while True:
            try:
                await self._run_once()
                delay = self._backoff[0]  # It was up: start again quickly.
            except WyomingError as err:
                if self.last_error != str(err):
                    LOGGER.warning(
                        "Wyoming satellite at %s:%s: %s; retrying",
                        self.host,
                        self.port,
                        err,
                    )
                self.last_error = str(err)
            if self._stopping:
                return
            # Jitter so that many satellites don't all come back at one instant.
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, self._backoff[1])

    async def _run_once(self) -> None:
        """One connection, from connect to its end."""
        reader, writer = await _open(self.host, self.port)
        try:
            info = await _describe(reader, writer)
            await async_write_event(RunSatellite().event(), writer)
            self.info = info
            self._writer = writer
            self.connections += 1
            self.last_error = None
            LOGGER.debug("Wyoming satellite %s connected", info.name)
            self._on_connected(info)
            try:
                await self._read_loop(reader)
            finally:
                self._writer = None
                self._on_disconnected()
        except OSError as err:
            raise WyomingError(f"the connection failed: {err}") from err
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _read_loop(self, reader: asyncio.StreamReader) -> None:
        """Pass events on until the connection ends."""
        pinged = False
        while True:
            try:
                async with asyncio.timeout(self._ping_interval):
                    event = await read_event(reader)
            except TimeoutError:
                if pinged:
                    raise WyomingError("the satellite stopped answering") from None
                pinged = await self.write(Ping().event())
                continue
            if event is None:
                if not self._stopping:
                    raise WyomingError("the satellite closed the connection")
                return
            pinged = False
            if Ping.is_type(event.type):
                await self.write(Pong(text=Ping.from_event(event).text).event())
            elif not Pong.is_type(event.type):
                await self._on_event(event)

    async def write(self, event: Event) -> bool:
        """Send an event; False when not connected (the event is dropped)."""
        if (writer := self._writer) is None:
            return False
        try:
            async with self._write_lock:
                await async_write_event(event, writer)
        except OSError as err:
            LOGGER.debug("Wyoming satellite at %s:%s: %s", self.host, self.port, err)
            writer.close()
            return False
        return True

    async def stop(self) -> None:
        """Tell the satellite to pause and hang up."""
        self._stopping = True
        await self.write(PauseSatellite().event())
        if (writer := self._writer) is not None:
            writer.close()
