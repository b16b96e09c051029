"""OS1's connection to Wyoming satellites, against real Wyoming TCP peers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import json

import pytest
from wyoming.audio import AudioChunk
from wyoming.event import Event
from wyoming.ping import Ping
from wyoming.wake import Detection

from custom_components.os1.wyoming_peer import (
    MAX_PAYLOAD,
    SatelliteInfo,
    WyomingError,
    WyomingPeer,
    async_describe,
)

from .wyoming_satellites import EmulatedSatellite, free_port

FAST = (0.05, 0.2)
"""Backoff for the tests: retry after 50 ms, at most every 200 ms."""


class Recorder:
    """What a peer passes on."""

    def __init__(self) -> None:
        """Start with nothing."""
        self.events: list[Event] = []
        self.connected: list[SatelliteInfo] = []
        self.disconnects = 0
        self.changed = asyncio.Event()

    async def on_event(self, event: Event) -> None:
        """Record an event."""
        self.events.append(event)
        self.changed.set()

    def on_connected(self, info: SatelliteInfo) -> None:
        """Record a connection."""
        self.connected.append(info)
        self.changed.set()

    def on_disconnected(self) -> None:
        """Record a disconnection."""
        self.disconnects += 1
        self.changed.set()

    async def until(self, predicate: object, seconds: float = 10.0) -> None:
        """Wait until a condition holds."""
        assert callable(predicate)
        async with asyncio.timeout(seconds):
            while not predicate():
                self.changed.clear()
                await self.changed.wait()


@pytest.fixture
async def kitchen(socket_enabled: None) -> AsyncIterator[EmulatedSatellite]:
    """Return a Wyoming satellite listening on a real port."""
    satellite = EmulatedSatellite()
    await satellite.start()
    yield satellite
    await satellite.stop()


@pytest.fixture
def recorder() -> Recorder:
    """Record what a peer passes on."""
    return Recorder()


async def running(
    satellite: EmulatedSatellite, recorder: Recorder, **options: object
) -> tuple[WyomingPeer, asyncio.Task[None]]:
    """Start a peer for a satellite."""
    peer = WyomingPeer(
        "127.0.0.1",
        satellite.port,
        recorder.on_event,
        recorder.on_connected,
        recorder.on_disconnected,
        backoff=FAST,
        **options,  # type: ignore[arg-type]
    )
    return peer, asyncio.create_task(peer.run())


async def stopped(peer: WyomingPeer, task: asyncio.Task[None]) -> None:
    """Stop a peer and its task."""
    await peer.stop()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_describe_a_satellite(kitchen: EmulatedSatellite) -> None:
    """Adopting asks the satellite what it is: name, area and wake words."""
    info = await async_describe("127.0.0.1", kitchen.port)
    assert (info.name, info.area, info.wake_words) == (
        "Kitchen satellite",
        "Kitchen",
        ("hey_jarvis",),
    )
    assert kitchen.types == ["describe"]


async def test_describe_refuses_what_is_not_a_satellite(socket_enabled: None) -> None:
    """A Wyoming service that is no satellite, or nothing at all, is refused with why."""
    with pytest.raises(WyomingError, match="can't connect"):
        await async_describe("127.0.0.1", free_port())
    speech = EmulatedSatellite(satellite=False)
    await speech.start()
    try:
        with pytest.raises(WyomingError, match="not a satellite"):
            await async_describe("127.0.0.1", speech.port)
    finally:
        await speech.stop()


async def test_runs_the_satellite_and_passes_its_events_on(
    kitchen: EmulatedSatellite, recorder: Recorder
) -> None:
    """Connected, OS1 tells the satellite to run and hears its wake words and audio."""
    peer, task = await running(kitchen, recorder)
    await recorder.until(lambda: recorder.connected)
    assert recorder.connected[0].name == "Kitchen satellite"
    await kitchen.wait_for("run-satellite")
    assert kitchen.types == ["describe", "run-satellite"]
    assert peer.connected

    await kitchen.send(Detection(name="hey_jarvis").event())
    await kitchen.send(
        AudioChunk(rate=16000, width=2, channels=1, audio=b"\0" * 640).event()
    )
    await kitchen.send(Ping(text="are you there").event())
    await recorder.until(lambda: len(recorder.events) == 2)
    assert [event.type for event in recorder.events] == ["detection", "audio-chunk"]
    assert recorder.events[1].payload == b"\0" * 640
    pong = await kitchen.wait_for("pong")
    assert pong.data == {"text": "are you there"}

    await stopped(peer, task)
    await kitchen.wait_for("pause-satellite")


async def test_reconnects_after_the_satellite_restarts(
    kitchen: EmulatedSatellite, recorder: Recorder
) -> None:
    """A satellite that restarts is connected again and told to run again."""
    peer, task = await running(kitchen, recorder)
    await recorder.until(lambda: recorder.connected)
    await kitchen.stop()
    await recorder.until(lambda: recorder.disconnects == 1)
    assert not peer.connected
    assert not await peer.write(Detection(name="dropped").event())

    await kitchen.start()
    await recorder.until(lambda: len(recorder.connected) == 2)
    await kitchen.wait_for("run-satellite")
    assert peer.connections == 2
    await stopped(peer, task)


async def test_waits_for_a_satellite_that_is_not_up_yet(
    socket_enabled: None, recorder: Recorder
) -> None:
    """Unreachable, the satellite is retried with a growing backoff until it comes."""
    late = EmulatedSatellite(port=free_port())
    peer, task = await running(late, recorder)
    await asyncio.sleep(0.5)
    assert peer.last_error is not None and "can't connect" in peer.last_error
    assert not recorder.connected
    await late.start()
    try:
        await recorder.until(lambda: recorder.connected)
        assert peer.last_error is None
    finally:
        await stopped(peer, task)
        await late.stop()


async def test_a_silent_satellite_is_dropped(
    socket_enabled: None, recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    """A satellite that stops answering pings is dropped and connected afresh."""
    mute = EmulatedSatellite(answer_pings=False)
    await mute.start()
    peer, task = await running(mute, recorder, ping_interval=0.2)
    try:
        await recorder.until(lambda: len(recorder.connected) >= 2)
        assert "the satellite stopped answering; retrying" in caplog.text
        assert "ping" in mute.types
    finally:
        await stopped(peer, task)
        await mute.stop()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"this is not json\n", "not JSON"),
        (b'{"data": {}}\n', "without a type"),
        (
            json.dumps(
                {"type": "audio-chunk", "payload_length": MAX_PAYLOAD + 1}
            ).encode()
            + b"\n",
            "over the limit",
        ),
        (b'{"type": "x", "data_length": -4}\n', "bad data_length"),
        (b"x" * 20000 + b"\n", "header over"),
    ],
)
async def test_bad_events_are_cut_off_with_the_reason(
    kitchen: EmulatedSatellite,
    recorder: Recorder,
    raw: bytes,
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Malformed or oversized events are logged and the connection made afresh."""
    peer, task = await running(kitchen, recorder)
    await recorder.until(lambda: recorder.connected)
    await kitchen.send_raw(raw)
    await recorder.until(lambda: len(recorder.connected) == 2)
    assert reason in caplog.text
    assert not recorder.events
    await stopped(peer, task)
