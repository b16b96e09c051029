"""OS1's Wyoming satellites: a Wyoming connection behind OS1's satellite model.

`WyomingConnection` is what OS1's satellite entities see of a Wyoming
satellite, as `SatelliteConnection` is for an MQTT one: the satellite's wake
word, its request's audio and its "played" confirmations come in as Wyoming
events and go to the Assist satellite entity; what OS1 says and plays goes back
as Wyoming events (transcript, audio, errors). The connection itself, with its
reconnects and limits, is `WyomingPeer`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from wyoming.asr import Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error as WyomingErrorEvent
from wyoming.event import Event
from wyoming.pipeline import PipelineStage as WyomingStage, RunPipeline
from wyoming.satellite import PauseSatellite, RunSatellite
from wyoming.snd import Played
from wyoming.timer import TimerCancelled, TimerFinished, TimerStarted, TimerUpdated
from wyoming.wake import Detection

from .const import DOMAIN, LOGGER
from .protocol import (
    MAX_SESSION_SECONDS,
    AudioFormat,
    Error,
    Listen,
    Message,
    ProtocolError,
    SatelliteConfig,
    SetSettings,
    Setting,
    Settings,
    Wake,
)
from .satellite import (
    AudioSession,
    Pcm,
    RateLimiter,
    SatelliteHandler,
    SessionTooLong,
    Timer,
    TimerChange,
)
from .wyoming_peer import SatelliteInfo, WyomingPeer

INPUT = AudioFormat(16000, 2, 1)
"""The audio Wyoming satellites stream to Home Assistant's pipelines."""
STREAM_SECONDS = 3600.0
"""Longest a satellite's stream waits for its wake word before starting afresh."""
PLAYED_GRACE_SECONDS = 10.0
"""How long past an audio's duration OS1 waits for the satellite's ``played``."""


def satellite_config(info: SatelliteInfo) -> SatelliteConfig:
    """Describe a Wyoming satellite as OS1's satellite model does.

    Satellites that don't declare their sound format (older ones can't) get
    speech as Home Assistant's Wyoming integration sends it: 22.05 kHz mono.
    """
    out = info.audio_out
    return SatelliteConfig(
        name=info.name,
        area=info.area,
        audio_out=True,
        wake_words=list(info.wake_words),
        audio=(
            {"rate": out.rate, "width": out.width, "channels": out.channels}
            if out is not None
            else {"rate": 22050, "width": 2, "channels": 1}
        ),
        sw_version=info.version,
        settings=[Setting.MUTE],
    )


class WyomingConnection:
    """One adopted Wyoming satellite as OS1 sees it."""

    def __init__(
        self,
        hass: HomeAssistant,
        site: str,
        host: str,
        port: int,
        info: SatelliteInfo,
    ) -> None:
        """Start with what the satellite said it was when it was adopted."""
        self.hass = hass
        self.site = site
        self.info = info
        self.config = satellite_config(info)
        self.settings = Settings(muted=False)
        self.keeps_settings = False
        """Wyoming has no settings events: the mute switch remembers its state."""
        self.handler: SatelliteHandler | None = None
        self.session: AudioSession | None = None
        self.requests = RateLimiter()
        self.stats = {"requests": 0, "refused": 0, "invalid": 0, "chunks": 0}
        self.peer = WyomingPeer(
            host, port, self._async_event, self._on_connected, self._on_disconnected
        )
        self._wake: Wake | None = None
        self._stream: RunPipeline | None = None
        """How the satellite streams, when Home Assistant listens for its wake word."""
        self._listen_next = False
        self._awaiting_wake = False
        """The current session waits for a wake word (not a request yet)."""
        self._played: asyncio.Future[None] | None = None
        self._listeners: list[Callable[[], None]] = []
        self._ignored: set[str] = set()

    @property
    def online(self) -> bool:
        """Return whether the satellite is connected."""
        return self.peer.connected

    @property
    def available(self) -> bool:
        """Return whether the satellite is connected."""
        return self.peer.connected

    @callback
    def async_start(self, entry: ConfigEntry) -> None:
        """Connect, and keep connecting, for as long as the hub is loaded."""
        entry.async_create_background_task(
            self.hass, self.peer.run(), f"{DOMAIN} wyoming {self.site}"
        )
        entry.async_on_unload(self.peer.stop)

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` when the satellite connects or disconnects."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _on_connected(self, info: SatelliteInfo) -> None:
        if info != self.info:
            self.info = info
            self.config = satellite_config(info)
        if self.settings.muted:  # Still muted: connected again, but paused.
            self._write(PauseSatellite().event())
        self._changed()

    def _on_disconnected(self) -> None:
        self._stream = None
        self.async_end_session()
        if self._played is not None and not self._played.done():
            self._played.set_result(None)
        self._changed()

    # From the satellite

    async def _async_event(self, event: Event) -> None:
        """Handle an event from the satellite; log and skip ones OS1 can't use."""
        if self.settings.muted and not Played.is_type(event.type):
            return  # Muted: the satellite was told to pause; late events are dropped.
        try:
            self._dispatch(event)
        except SessionTooLong as err:
            LOGGER.warning("Satellite %s: %s; request cut off", self.site, err)
            await self.peer.write(WyomingErrorEvent(str(err), "too_long").event())
        except (ProtocolError, KeyError, TypeError, ValueError) as err:
            self.stats["invalid"] += 1
            LOGGER.warning(
                "Satellite %s sent a bad %s event: %s", self.site, event.type, err
            )

    def _dispatch(self, event: Event) -> None:
        if RunPipeline.is_type(event.type):
            self._on_run_pipeline(RunPipeline.from_event(event))
        elif Detection.is_type(event.type):
            self._on_detection(Detection.from_event(event))
        elif AudioChunk.is_type(event.type):
            self._on_chunk(AudioChunk.from_event(event))
        elif AudioStop.is_type(event.type):
            if self._awaiting_wake:
                self._stream = None  # The satellite stopped streaming.
            if self.session is not None:
                self.session.close()
        elif Played.is_type(event.type):
            if self._played is not None and not self._played.done():
                self._played.set_result(None)
        elif not AudioStart.is_type(event.type) and event.type not in self._ignored:
            self._ignored.add(event.type)
            LOGGER.debug("Satellite %s: ignoring %s events", self.site, event.type)

    def _on_detection(self, detection: Detection) -> None:
        self._wake = Wake(wake_word=detection.name or "")
        if self.handler is not None:
            self.handler.async_wake(self._wake)

    def _on_run_pipeline(self, run: RunPipeline) -> None:
        """Start a request, or a stream in which Home Assistant listens for the wake word."""
        stage = WyomingStage(run.start_stage)
        if stage not in (WyomingStage.WAKE, WyomingStage.ASR):
            raise ProtocolError(f"starting at {stage.value} is not supported")
        self._stream = run if stage is WyomingStage.WAKE else None
        self._start_request(listen_for_wake=stage is WyomingStage.WAKE)

    def _start_request(self, *, listen_for_wake: bool) -> None:
        """Take the next audio as a request (or as the wait for a wake word)."""
        self.async_end_session()
        if self.handler is None:
            return
        if not listen_for_wake:
            if not self.requests.allow():
                self.stats["refused"] += 1
                LOGGER.warning("Satellite %s is sending requests too fast", self.site)
                return
            self.stats["requests"] += 1
        self._awaiting_wake = listen_for_wake
        self.session = AudioSession(
            f"{self.site}-{self.stats['requests']}",
            INPUT,
            max_seconds=STREAM_SECONDS if listen_for_wake else MAX_SESSION_SECONDS,
        )
        wake, self._wake = self._wake, None
        self.handler.async_audio_start(
            self.session, wake, listen_for_wake=listen_for_wake
        )

    @callback
    def async_request_done(self, session: AudioSession) -> None:
        """Listen for the next wake word in a streaming satellite's audio."""
        if self._stream is None or not self.peer.connected:
            return
        if self.session is not None and self.session is not session:
            return  # Another request has started meanwhile.
        if self._listen_next:
            self._listen_next = False
            self._start_request(listen_for_wake=False)
        else:
            # The satellite streams on (older ones don't say restart_on_end).
            self._start_request(listen_for_wake=True)

    def _on_chunk(self, chunk: AudioChunk) -> None:
        if self.session is None or self.session.closed:
            return  # Audio outside a request: the satellite streams all the time.
        if (chunk.rate, chunk.width, chunk.channels) != (
            INPUT.rate,
            INPUT.width,
            INPUT.channels,
        ):
            raise ProtocolError(
                f"audio must be {INPUT.rate} Hz, {INPUT.width * 8}-bit, mono; got "
                f"{chunk.rate} Hz, {chunk.width * 8}-bit, {chunk.channels} channels"
            )
        self.stats["chunks"] += 1
        self.session.feed(chunk.audio)

    # To the satellite

    @callback
    def async_end_session(self) -> None:
        """Stop taking audio for the current request."""
        if self.session is not None:
            self.session.close()
            self.session = None

    @callback
    def async_timer(self, change: TimerChange, timer: Timer) -> bool:
        """Forward a timer to the satellite, which shows or rings it itself."""
        match change:
            case TimerChange.STARTED:
                event = TimerStarted(
                    id=timer.id,
                    total_seconds=timer.seconds,
                    name=timer.name,
                    start_hours=timer.start_hours,
                    start_minutes=timer.start_minutes,
                    start_seconds=timer.start_seconds,
                ).event()
            case TimerChange.UPDATED:
                event = TimerUpdated(
                    id=timer.id, is_active=timer.is_active, total_seconds=timer.seconds
                ).event()
            case TimerChange.CANCELLED:
                event = TimerCancelled(id=timer.id).event()
            case _:
                event = TimerFinished(id=timer.id).event()
        self._write(event)
        return True

    @callback
    def async_heard(self, text: str) -> None:
        """Tell the satellite its request has ended and what was understood."""
        self._write(Transcript(text=text).event())

    @callback
    def async_detected(self, wake_word: str) -> None:
        """Tell a streaming satellite its wake word was heard (it plays its sound)."""
        self._write(Detection(name=wake_word).event())

    @callback
    def async_publish(self, message: Message) -> None:
        """Say what Wyoming can say: errors, and listening without a wake word.

        Text and states have no Wyoming event. A satellite that streams its
        audio can be listened to at once ("listen"); one that detects its wake
        word itself can't be asked to stream.
        """
        if isinstance(message, SetSettings) and message.muted is not None:
            self._async_mute(message.muted)
        elif isinstance(message, Error):
            self._write(WyomingErrorEvent(message.message, message.code.value).event())
        elif isinstance(message, Listen):
            if self._stream is None:
                LOGGER.debug(
                    "Satellite %s detects its own wake word; it can't be asked to "
                    "listen",
                    self.site,
                )
            elif (
                self.session is not None
                and self.session.closed is False
                and (
                    self.session.max_bytes
                    > MAX_SESSION_SECONDS * INPUT.bytes_per_second
                )
            ):
                self._start_request(listen_for_wake=False)  # Waiting for a wake word.
            else:
                self._listen_next = True

    def _async_mute(self, muted: bool) -> None:
        """Pause the satellite (it stops streaming) or let it run again."""
        if muted == self.settings.muted:
            return
        self.settings = Settings(muted=muted)
        if muted:
            self._stream = None
            self.async_end_session()
            self._write(PauseSatellite().event())
        else:
            self._write(RunSatellite().event())
        self._changed()

    def _write(self, event: Event) -> None:
        self.hass.async_create_background_task(
            self.peer.write(event), f"{DOMAIN} wyoming {self.site} write"
        )

    async def async_play(self, pcm: Pcm, audio_id: str, text: str = "") -> None:
        """Stream audio to the satellite and wait until it has played it."""
        audio = pcm.audio
        self._played = self.hass.loop.create_future()
        fmt = {"rate": audio.rate, "width": audio.width, "channels": audio.channels}
        if not await self.peer.write(AudioStart(**fmt).event()):
            return
        for chunk in pcm.chunks():
            await self.peer.write(AudioChunk(audio=chunk, **fmt).event())
        await self.peer.write(AudioStop().event())
        try:
            async with asyncio.timeout(pcm.seconds + PLAYED_GRACE_SECONDS):
                await self._played
        except TimeoutError:
            LOGGER.debug("Satellite %s did not confirm playing %s", self.site, audio_id)
        finally:
            self._played = None
