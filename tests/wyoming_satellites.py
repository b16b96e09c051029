"""A Wyoming satellite emulated with the wyoming library's own TCP server."""

from __future__ import annotations

import asyncio
import contextlib
import socket

from wyoming.audio import (
    AudioChunk,
    AudioFormat as WyomingAudioFormat,
    AudioStart,
    AudioStop,
)
from wyoming.event import Event
from wyoming.info import (
    Attribution,
    Describe,
    Info,
    Satellite,
    SndProgram,
    WakeModel,
    WakeProgram,
)
from wyoming.ping import Ping, Pong
from wyoming.satellite import RunSatellite
from wyoming.server import AsyncEventHandler, AsyncTcpServer
from wyoming.snd import Played

ATTRIBUTION = Attribution(name="OS1 tests", url="https://example.invalid")


def free_port() -> int:
    """Return a TCP port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmulatedSatellite:
    """A satellite's Wyoming server on a real port: answers describe and pings."""

    def __init__(
        self,
        name: str = "Kitchen satellite",
        area: str | None = "Kitchen",
        *,
        port: int | None = None,
        answer_pings: bool = True,
        wake_words: tuple[str, ...] = ("hey_jarvis",),
        satellite: bool = True,
        speaker: bool = True,
    ) -> None:
        """Describe the satellite; `start` listens."""
        self.name = name
        self.area = area
        self.port = port or 0
        """The port, once listening (0 before: the system picks a free one)."""
        self.answer_pings = answer_pings
        self.wake_words = wake_words
        self.satellite = satellite
        self.speaker = speaker
        self.received: list[Event] = []
        self.played: list[bytes] = []
        """The audio OS1 sent, one item per audio-start ... audio-stop."""
        self._playing: bytearray | None = None
        self.connections = 0
        self._server: AsyncTcpServer | None = None
        self._handler: _Handler | None = None
        self.changed = asyncio.Event()

    @property
    def types(self) -> list[str]:
        """Return the types of the events received, in order."""
        return [event.type for event in self.received]

    def info(self) -> Info:
        """Return the info the satellite answers describe with."""
        wake = [
            WakeProgram(
                name="openwakeword",
                attribution=ATTRIBUTION,
                installed=True,
                description=None,
                version="1.0",
                models=[
                    WakeModel(
                        name=word,
                        attribution=ATTRIBUTION,
                        installed=True,
                        description=word,
                        version="1.0",
                        languages=["en"],
                        phrase=word.replace("_", " "),
                    )
                    for word in self.wake_words
                ],
            )
        ]
        return Info(
            wake=wake,
            snd=(
                [
                    SndProgram(
                        name="speaker",
                        attribution=ATTRIBUTION,
                        installed=True,
                        description="The satellite's speaker",
                        version="1.0",
                        snd_format=WyomingAudioFormat(rate=22050, width=2, channels=1),
                    )
                ]
                if self.satellite and self.speaker
                else []
            ),
            satellite=(
                Satellite(
                    name=self.name,
                    attribution=ATTRIBUTION,
                    installed=True,
                    description="An emulated satellite",
                    version="1.0",
                    area=self.area,
                )
                if self.satellite
                else None
            ),
        )

    async def start(self) -> None:
        """Listen for OS1 (on the same port as before, after a restart)."""
        self._server = AsyncTcpServer("127.0.0.1", self.port)
        await self._server.start(self._make_handler)
        listening = self._server._server
        assert listening is not None
        self.port = int(listening.sockets[0].getsockname()[1])

    def _make_handler(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> AsyncEventHandler:
        self.connections += 1
        handler = _Handler(self, reader, writer)
        if self._handler is None or self._handler.writer.is_closing():
            self._handler = handler
        return handler

    async def send_audio(
        self,
        pcm: bytes,
        seconds_per_chunk: float = 0.064,
        *,
        start: bool = True,
        stop: bool = True,
    ) -> None:
        """Stream 16 kHz mono audio at the pace of a satellite's microphone.

        A satellite that streams all it hears sends no audio-start or audio-stop
        between requests: pass `start` and `stop` False to go on streaming.
        """
        size = int(16000 * seconds_per_chunk) * 2
        if start:
            await self.send(AudioStart(rate=16000, width=2, channels=1).event())
        for offset in range(0, len(pcm), size):
            chunk = AudioChunk(
                rate=16000, width=2, channels=1, audio=pcm[offset : offset + size]
            )
            await self.send(chunk.event())
            await asyncio.sleep(seconds_per_chunk)
        if stop:
            await self.send(AudioStop().event())

    async def send(self, event: Event) -> None:
        """Send an event to OS1."""
        assert self._handler is not None, "OS1 is not connected"
        await self._handler.write_event(event)

    async def send_raw(self, data: bytes) -> None:
        """Send bytes that may not be an event at all."""
        assert self._handler is not None, "OS1 is not connected"
        self._handler.writer.write(data)
        await self._handler.writer.drain()

    async def wait_for(self, event_type: str, seconds: float = 10.0) -> Event:
        """Wait until an event of a type has been received; return the last one."""
        async with asyncio.timeout(seconds):
            while True:
                for event in reversed(self.received):
                    if event.type == event_type:
                        return event
                self.changed.clear()
                await self.changed.wait()

    async def stop(self) -> None:
        """Stop listening and drop OS1's connection."""
        if self._server is not None:
            await self._server.stop()
            self._server = None
        self._handler = None


class _Handler(AsyncEventHandler):
    """One connection from OS1."""

    def __init__(
        self,
        satellite: EmulatedSatellite,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        super().__init__(reader, writer)
        self.satellite = satellite

    async def run(self) -> None:
        """Serve OS1 until it hangs up (abruptly or not)."""
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await super().run()

    async def handle_event(self, event: Event) -> bool:
        self.satellite.received.append(event)
        self.satellite.changed.set()
        if RunSatellite.is_type(event.type):
            # The connection that runs the satellite is the one it talks on
            # (Home Assistant's own Wyoming integration also connects, now
            # and then, only to ask what it is).
            self.satellite._handler = self
        if Describe.is_type(event.type):
            await self.write_event(self.satellite.info().event())
        elif Ping.is_type(event.type) and self.satellite.answer_pings:
            await self.write_event(Pong(text=Ping.from_event(event).text).event())
        elif AudioStart.is_type(event.type):
            self.satellite._playing = bytearray()
        elif AudioChunk.is_type(event.type) and self.satellite._playing is not None:
            self.satellite._playing += AudioChunk.from_event(event).audio
        elif AudioStop.is_type(event.type) and self.satellite._playing is not None:
            self.satellite.played.append(bytes(self.satellite._playing))
            self.satellite._playing = None
            await self.write_event(Played().event())
        return True
