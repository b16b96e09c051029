"""The satellite's MQTT side: announce, stream requests, play answers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
import logging
import queue
import threading
import time
from typing import Any
import uuid

import paho.mqtt.client as mqtt

from .audio import MIC_FORMAT, Speaker
from .protocol import (
    AUDIO_CHUNK,
    AUDIO_OUT_CHUNK,
    MAX_SESSION_SECONDS,
    OFFLINE,
    ONLINE,
    STATUS,
    AudioFormat,
    AudioOutStart,
    AudioOutStop,
    AudioStart,
    AudioStop,
    Error,
    Listen,
    Played,
    Presence,
    ProtocolError,
    SatelliteConfig,
    SatelliteState,
    Say,
    SetSettings,
    Setting,
    Settings,
    State,
    Text,
    Wake,
    topic,
)
from .wake import WAKE_WORDS, WakeWordDetector

_LOGGER = logging.getLogger(__name__)

VERSION = "0.1.0"


@dataclass(slots=True)
class SatelliteOptions:
    """How the satellite connects and what it declares about itself."""

    site: str
    name: str
    area: str | None = None
    host: str = "localhost"
    port: int = 1883
    username: str | None = None
    password: str | None = None
    tls: bool = False
    ca_certs: str | None = None
    wake_word: str = "hey_jarvis"
    threshold: float = 0.5
    audio_in: bool = True
    audio_out: bool = True
    output: AudioFormat = field(default_factory=lambda: AudioFormat(rate=22050))


class Satellite:
    """A room satellite speaking OS1's MQTT protocol.

    Everything MQTT runs in paho's network thread; the microphone loop runs in
    the caller's thread; answers play in a thread of their own.
    """

    def __init__(
        self,
        options: SatelliteOptions,
        speaker: Speaker | None = None,
        on_say: Callable[[str], None] | None = None,
        detector: WakeWordDetector | None = None,
    ) -> None:
        """Prepare the satellite; `connect` starts it."""
        self.options = options
        self.site = options.site
        self.speaker = speaker
        self.on_say = on_say
        self.detector = detector
        self.muted = False
        self.state = SatelliteState.IDLE
        self.states: list[SatelliteState] = []
        """Every state Home Assistant reported, for a display or LEDs."""
        self.said: list[str] = []
        self.errors: list[Error] = []
        self.played: list[str] = []
        self.connected = threading.Event()
        self.ended = threading.Event()
        """Set each time Home Assistant stops listening to a request."""
        self._listen: str | None = None
        self._playing = threading.Event()
        self._playback: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"os1-satellite-{options.site}-{uuid.uuid4().hex[:6]}",
        )
        if options.username:
            self._client.username_pw_set(options.username, options.password)
        if options.tls:
            self._client.tls_set(ca_certs=options.ca_certs)
        self._client.will_set(self._topic(STATUS), OFFLINE, qos=1, retain=True)
        self._client.reconnect_delay_set(min_delay=1, max_delay=30)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message
        self._player = threading.Thread(
            target=self._play_loop,
            name=f"os1-satellite-{self.site}-speaker",
            daemon=True,
        )

    # Connection

    @property
    def config(self) -> SatelliteConfig:
        """Return what the satellite tells Home Assistant about itself."""
        settings = [Setting.MUTE]
        if self.detector is not None:
            settings.append(Setting.WAKE_WORD)
        out = self.options.output
        return SatelliteConfig(
            name=self.options.name,
            area=self.options.area,
            audio_in=self.options.audio_in,
            audio_out=self.options.audio_out and self.speaker is not None,
            wake_words=list(WAKE_WORDS) if self.detector else [],
            audio={"rate": out.rate, "width": out.width, "channels": out.channels},
            sw_version=VERSION,
            settings=settings,
        )

    @property
    def settings(self) -> Settings:
        """Return the current settings."""
        return Settings(
            muted=self.muted,
            wake_word=self.detector.wake_word if self.detector else None,
        )

    def connect(self) -> None:
        """Connect (and keep reconnecting) in the background."""
        self._player.start()
        self._client.connect_async(self.options.host, self.options.port, keepalive=30)
        self._client.loop_start()

    def close(self, *, remove: bool = False) -> None:
        """Say goodbye and disconnect; `remove` also withdraws the retained config."""
        if self._client.is_connected():
            self._client.publish(self._topic(STATUS), OFFLINE, qos=1, retain=True)
            if remove:
                self._client.publish(
                    self._topic(SatelliteConfig.topic), b"", qos=1, retain=True
                )
        self._client.disconnect()
        self._client.loop_stop()
        self._playback.put(("quit", None))
        if self._player.is_alive():
            self._player.join(5)

    def _topic(self, suffix: str) -> str:
        return topic(self.site, suffix)

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        if reason.is_failure:
            _LOGGER.error("MQTT broker refused the connection: %s", reason)
            return
        _LOGGER.info(
            "Connected to %s:%s as %s", self.options.host, self.options.port, self.site
        )
        for suffix in (
            State.topic,
            Say.topic,
            Listen.topic,
            SetSettings.topic,
            Error.topic,
            AudioOutStart.topic,
            AUDIO_OUT_CHUNK,
            AudioOutStop.topic,
        ):
            client.subscribe(
                self._topic(suffix), qos=0 if suffix == AUDIO_OUT_CHUNK else 1
            )
        client.publish(
            self._topic(SatelliteConfig.topic), self.config.payload(), 1, True
        )
        client.publish(self._topic(Settings.topic), self.settings.payload(), 1, True)
        client.publish(self._topic(STATUS), ONLINE, qos=1, retain=True)
        self.connected.set()

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        self.connected.clear()
        if reason.is_failure:
            _LOGGER.warning("Lost the MQTT broker (%s); reconnecting", reason)

    def _publish(self, message: Any, qos: int = 1) -> None:
        self._client.publish(self._topic(message.topic), message.payload(), qos=qos)

    # What Home Assistant sends

    def _on_message(
        self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage
    ) -> None:
        suffix = msg.topic.split("/", 2)[2]
        try:
            self._handle(suffix, msg.payload)
        except ProtocolError as err:
            _LOGGER.warning("Ignoring a bad %s message: %s", suffix, err)

    def _handle(self, suffix: str, payload: bytes) -> None:
        if suffix == AUDIO_OUT_CHUNK:
            self._playback.put(("chunk", payload))
        elif suffix == AudioOutStart.topic:
            self._playing.set()
            self._playback.put(("start", AudioOutStart.from_payload(payload)))
        elif suffix == AudioOutStop.topic:
            self._playback.put(("stop", AudioOutStop.from_payload(payload)))
        elif suffix == State.topic:
            self.state = State.from_payload(payload).state
            self.states.append(self.state)
            if self.state is not SatelliteState.LISTENING:
                self.ended.set()
        elif suffix == Error.topic:
            error = Error.from_payload(payload)
            self.errors.append(error)
            self.ended.set()
            _LOGGER.warning("Home Assistant: %s (%s)", error.message, error.code)
        else:
            self._handle_control(suffix, payload)

    def _handle_control(self, suffix: str, payload: bytes) -> None:
        if suffix == Say.topic:
            say = Say.from_payload(payload)
            self.said.append(say.text)
            if self.on_say and say.text:
                self.on_say(say.text)
        elif suffix == Listen.topic:
            self._listen = Listen.from_payload(payload).session
        elif suffix == SetSettings.topic:
            self._apply(SetSettings.from_payload(payload))

    def _apply(self, change: Settings) -> None:
        if change.muted is not None:
            self.muted = change.muted
        if change.wake_word is not None and self.detector is not None:
            try:
                self.detector.select(change.wake_word)
            except ValueError as err:
                _LOGGER.warning("%s", err)
        self._client.publish(
            self._topic(Settings.topic), self.settings.payload(), 1, True
        )

    def _play_loop(self) -> None:
        """Play answers one after the other, then confirm each."""
        while True:
            kind, item = self._playback.get()
            if kind == "quit":
                return
            if kind == "start" and self.speaker:
                self.speaker.start(AudioFormat(item.rate, item.width, item.channels))
            elif kind == "chunk" and self.speaker:
                self.speaker.write(item)
            elif kind == "stop":
                if self.speaker:
                    self.speaker.finish()
                self.played.append(item.id)
                self._playing.clear()
                self._publish(Played(item.id))

    # Requests

    def send_text(self, text: str) -> None:
        """Send a typed request."""
        self._publish(Text(text))

    def send_presence(self, present: bool, person: str | None = None) -> None:
        """Say that someone (or `person`) is in the room, or that it emptied."""
        self._publish(Presence(present, person))

    def stream_request(
        self,
        chunks: Iterable[bytes],
        session: str | None = None,
        wake: Wake | None = None,
    ) -> str:
        """Stream one request until Home Assistant stops listening; return its id."""
        session = session or uuid.uuid4().hex
        self.ended.clear()
        if wake is not None:
            self._publish(wake)
        self._publish(AudioStart(session))
        limit = MAX_SESSION_SECONDS * MIC_FORMAT.bytes_per_second
        sent = 0
        for chunk in chunks:
            if self.ended.is_set() or sent + len(chunk) > limit:
                break
            self._client.publish(self._topic(AUDIO_CHUNK), chunk, qos=0)
            sent += len(chunk)
        self._publish(AudioStop(session))
        return session

    def run(self, microphone: Iterable[bytes]) -> None:
        """Listen to the microphone: wake word, then stream the request."""
        chunks = iter(microphone)
        for chunk in chunks:
            if self.muted or self._playing.is_set():
                continue
            if (session := self._listen) is not None:
                self._listen = None
                self.stream_request(_prepend(chunk, chunks), session)
                continue
            if self.detector is None:
                continue
            if (score := self.detector.process(chunk)) is not None:
                _LOGGER.info("Heard %s (%.2f)", self.detector.wake_word, score)
                self.stream_request(
                    chunks, wake=Wake(wake_word=self.detector.wake_word, score=score)
                )
        self.wait_idle()

    def wait_idle(self, timeout: float = 30) -> bool:
        """Wait until Home Assistant has answered and the answer has played."""
        deadline = time.monotonic() + timeout
        while self._playing.is_set() or self.state is not SatelliteState.IDLE:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True


def _prepend(first: bytes, rest: Iterable[bytes]) -> Iterable[bytes]:
    yield first
    yield from rest
