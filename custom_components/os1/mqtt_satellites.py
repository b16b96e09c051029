"""OS1's MQTT satellites: Home Assistant's MQTT client wired to the protocol.

`MqttSatellites` subscribes to what satellites publish, drops everything from
satellites the user has not adopted (logging each once), and hands the rest to
that satellite's `SatelliteConnection`. A connection validates every payload,
bounds requests in size and rate, and forwards them to its Assist satellite
entity; it also publishes what OS1 says back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .const import LOGGER
from .protocol import (
    AUDIO_CHUNK,
    AUDIO_OUT_CHUNK,
    OFFLINE,
    ONLINE,
    STATUS,
    TOPIC_PREFIX,
    AudioOutStart,
    AudioOutStop,
    AudioStart,
    AudioStop,
    Error,
    ErrorCode,
    Message,
    Played,
    Presence,
    ProtocolError,
    SatelliteConfig,
    Settings,
    Text,
    Wake,
    split_topic,
    topic,
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

if TYPE_CHECKING:
    from homeassistant.components.mqtt import ReceiveMessage

    from .presence_control import PresenceMonitor

SUBSCRIBED = (
    SatelliteConfig.topic,
    STATUS,
    Settings.topic,
    Wake.topic,
    AudioStart.topic,
    AUDIO_CHUNK,
    AudioStop.topic,
    Text.topic,
    Played.topic,
    Presence.topic,
)
"""What satellites publish; OS1 never subscribes to its own replies."""

MAX_IGNORED_SITES = 256
RETAINED = (SatelliteConfig.topic, STATUS, Settings.topic)
"""What satellites publish retained; remembered across reloads of the hub."""

type RetainedCache = dict[str, dict[str, bytes]]
"""The last retained payloads by site and topic suffix."""
PLAYED_GRACE_SECONDS = 10.0
"""How long past an audio's duration OS1 waits for the satellite's ``played``."""


class SatelliteConnection:
    """One adopted satellite as OS1 sees it over MQTT."""

    def __init__(
        self,
        hass: HomeAssistant,
        site: str,
        config: SatelliteConfig,
        device_id: str | None = None,
    ) -> None:
        """Start with the config the satellite had when it was adopted."""
        self.hass = hass
        self.site = site
        self.config = config
        self.device_id = device_id
        """The satellite's device (its area is where it senses people)."""
        self.settings = Settings()
        self.keeps_settings = True
        self.online = False
        self.connected = True
        self.handler: SatelliteHandler | None = None
        self.session: AudioSession | None = None
        self.requests = RateLimiter()
        self.stats = {"requests": 0, "refused": 0, "invalid": 0, "chunks": 0}
        self._wake: Wake | None = None
        self._listeners: list[CALLBACK_TYPE] = []
        self._played: dict[str, asyncio.Future[None]] = {}
        self._warned_session: str | None = None
        self.presence: PresenceMonitor | None = None
        """Where the satellite's presence messages go."""
        self._unknown_people: set[str] = set()

    @property
    def available(self) -> bool:
        """Return whether the satellite and the broker are both reachable."""
        return self.online and self.connected

    @callback
    def async_add_listener(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `listener` when the satellite's config, settings or status change."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def _async_changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    @callback
    def async_set_connected(self, connected: bool) -> None:
        """Follow the broker connection: no broker, no satellite."""
        self.connected = connected
        if not connected:
            self.online = False
            self.async_end_session()
        self._async_changed()

    @callback
    def async_receive(self, suffix: str, payload: bytes) -> None:
        """Handle a message from the satellite; log and answer bad ones."""
        try:
            self._async_dispatch(suffix, payload)
        except SessionTooLong as err:
            LOGGER.warning("Satellite %s: %s; request cut off", self.site, err)
            self.async_publish(Error(ErrorCode.TOO_LONG, str(err)))
        except ProtocolError as err:
            self.stats["invalid"] += 1
            if suffix == AUDIO_CHUNK:
                # A stream of bad chunks is logged once per session, not per chunk.
                current = self.session.session_id if self.session else ""
                if self._warned_session == current:
                    return
                self._warned_session = current
            LOGGER.warning(
                "Satellite %s sent a bad %s message: %s", self.site, suffix, err
            )
            self.async_publish(Error(ErrorCode.INVALID, f"{suffix}: {err}"))

    def _async_dispatch(self, suffix: str, payload: bytes) -> None:
        handlers: dict[str, Callable[[bytes], None]] = {
            AUDIO_CHUNK: self._on_chunk,
            STATUS: self._on_status,
            SatelliteConfig.topic: self._on_config,
            Settings.topic: self._on_settings,
            Played.topic: self._on_played,
            Wake.topic: self._on_wake,
            AudioStart.topic: self._on_audio_start,
            AudioStop.topic: self._on_audio_stop,
            Text.topic: self._on_text,
            Presence.topic: self._on_presence,
        }
        if handler := handlers.get(suffix):
            handler(payload)

    def _on_chunk(self, payload: bytes) -> None:
        if self.session is None or self.session.closed:
            return  # Late chunks after the pipeline stopped listening.
        self.stats["chunks"] += 1
        self.session.feed(payload)

    def _on_status(self, payload: bytes) -> None:
        status = payload.decode(errors="replace").strip()
        if status not in (ONLINE, OFFLINE):
            raise ProtocolError(f"status must be {ONLINE} or {OFFLINE}")
        self.online = status == ONLINE
        if not self.online:
            self.async_end_session()
        self._async_changed()

    def _on_config(self, payload: bytes) -> None:
        if payload:  # An empty retained config means the satellite was removed.
            self.config = SatelliteConfig.from_payload(payload)
            self._async_changed()

    def _on_settings(self, payload: bytes) -> None:
        self.settings = Settings.from_payload(payload)
        self._async_changed()

    def _on_played(self, payload: bytes) -> None:
        played = Played.from_payload(payload)
        if (future := self._played.pop(played.id, None)) and not future.done():
            future.set_result(None)

    def _on_wake(self, payload: bytes) -> None:
        wake = Wake.from_payload(payload)
        if self._allow():
            self._wake = wake
            if self.handler:
                self.handler.async_wake(wake)

    def _on_audio_start(self, payload: bytes) -> None:
        start = AudioStart.from_payload(payload)
        self.async_end_session()
        if self.handler is None:
            return
        self.session = AudioSession(start.session, self.config.audio_format)
        self._warned_session = None
        wake, self._wake = self._wake, None
        self.handler.async_audio_start(self.session, wake)

    def _on_audio_stop(self, payload: bytes) -> None:
        stop = AudioStop.from_payload(payload)
        if self.session and self.session.session_id == stop.session:
            self.session.close()

    def _on_text(self, payload: bytes) -> None:
        text = Text.from_payload(payload)
        if self._allow() and self.handler:
            self.handler.async_text(text.text)

    def _on_presence(self, payload: bytes) -> None:
        sensed = Presence.from_payload(payload)
        if self.presence is None:
            return
        device = (
            dr.async_get(self.hass).async_get(self.device_id)
            if self.device_id
            else None
        )
        person = self.presence.person_named(sensed.person) if sensed.person else None
        if sensed.person and person is None:
            if sensed.person not in self._unknown_people:  # Once, not per message.
                self._unknown_people.add(sensed.person)
                LOGGER.warning(
                    "Satellite %s sensed %s, who is not a person OS1 follows",
                    self.site,
                    sensed.person,
                )
            return
        self.presence.async_satellite_sensed(
            self.site, device.area_id if device else None, person, sensed.present
        )

    def _allow(self) -> bool:
        """Count a wake or text request against the satellite's rate limit."""
        if self.requests.allow():
            self.stats["requests"] += 1
            return True
        self.stats["refused"] += 1
        LOGGER.warning("Satellite %s is sending requests too fast", self.site)
        self.async_publish(
            Error(ErrorCode.RATE_LIMITED, "too many requests, try again shortly")
        )
        return False

    @callback
    def async_end_session(self) -> None:
        """Stop taking audio for the current request."""
        if self.session is not None:
            self.session.close()
            self.session = None

    @callback
    def async_timer(self, change: TimerChange, timer: Timer) -> bool:
        """MQTT satellites have no timer display: OS1 says when a timer is done."""
        return False

    @callback
    def async_heard(self, text: str) -> None:
        """Nothing to do: the request's state and answer follow on their topics."""

    @callback
    def async_detected(self, wake_word: str) -> None:
        """Nothing to do: MQTT satellites detect their wake word themselves."""

    @callback
    def async_request_done(self, session: AudioSession) -> None:
        """Nothing to do: the satellite starts the next request."""

    @callback
    def async_publish(self, message: Message) -> None:
        """Publish a message to the satellite, without waiting."""
        async_publish_message(self.hass, self.site, message)

    async def async_play(self, pcm: Pcm, audio_id: str, text: str = "") -> None:
        """Stream audio to the satellite and wait until it has played it."""
        future: asyncio.Future[None] = self.hass.loop.create_future()
        self._played[audio_id] = future
        audio = pcm.audio
        await _async_publish(
            self.hass,
            topic(self.site, AudioOutStart.topic),
            AudioOutStart(
                audio_id, audio.rate, audio.width, audio.channels, text
            ).payload(),
        )
        chunk_topic = topic(self.site, AUDIO_OUT_CHUNK)
        for chunk in pcm.chunks():
            await _async_publish(self.hass, chunk_topic, chunk)
        await _async_publish(
            self.hass,
            topic(self.site, AudioOutStop.topic),
            AudioOutStop(audio_id).payload(),
        )
        try:
            async with asyncio.timeout(pcm.seconds + PLAYED_GRACE_SECONDS):
                await future
        except TimeoutError:
            LOGGER.debug("Satellite %s did not confirm playing %s", self.site, audio_id)
        finally:
            self._played.pop(audio_id, None)


class MqttSatellites:
    """Routes MQTT traffic between the broker and the adopted satellites."""

    def __init__(
        self,
        hass: HomeAssistant,
        connections: dict[str, SatelliteConnection],
        retained: RetainedCache | None = None,
    ) -> None:
        """Serve these satellites (by site id); every other site is ignored.

        `retained` outlives the hub: after a reload (a satellite adopted, options
        changed) Home Assistant's MQTT client may not hand retained messages to
        the new subscriptions, so the last status, config and settings of every
        site are remembered there and replayed.
        """
        self.hass = hass
        self.connections = connections
        self.retained: RetainedCache = {} if retained is None else retained
        self.ignored: dict[str, RateLimiter] = {}
        self.waiting: dict[str, SatelliteConfig] = {}
        """Configs of satellites that are online but not adopted, for adoption."""
        self._unsubscribe: list[Callable[[], None]] = []

    async def async_start(self) -> bool:
        """Subscribe through Home Assistant's MQTT integration, if it is set up."""
        if not self.hass.config_entries.async_entries("mqtt"):
            return False
        from homeassistant.components import mqtt

        if not await mqtt.async_wait_for_mqtt_client(self.hass):
            return False
        for site, messages in list(self.retained.items()):
            for suffix, payload in messages.items():
                self._async_route(site, suffix, payload)
        for suffix in SUBSCRIBED:
            self._unsubscribe.append(
                await mqtt.async_subscribe(
                    self.hass,
                    f"{TOPIC_PREFIX}/+/{suffix}",
                    self._async_message,
                    qos=0 if suffix == AUDIO_CHUNK else 1,
                    encoding=None,
                )
            )
        self._unsubscribe.append(
            mqtt.async_subscribe_connection_status(self.hass, self._async_connection)
        )
        self._async_connection(mqtt.is_connected(self.hass))
        return True

    @callback
    def async_stop(self) -> None:
        """Unsubscribe and end every request in progress."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        for connection in self.connections.values():
            connection.async_end_session()

    @callback
    def _async_connection(self, connected: bool) -> None:
        for connection in self.connections.values():
            connection.async_set_connected(connected)

    @callback
    def _async_message(self, msg: ReceiveMessage) -> None:
        try:
            site, suffix = split_topic(msg.topic)
        except ProtocolError as err:
            LOGGER.debug("Ignoring %s: %s", msg.topic, err)
            return
        payload = (
            msg.payload.encode() if isinstance(msg.payload, str) else bytes(msg.payload)
        )
        if suffix in RETAINED and (
            site in self.retained or len(self.retained) < MAX_IGNORED_SITES
        ):
            self.retained.setdefault(site, {})[suffix] = payload
        self._async_route(site, suffix, payload)

    @callback
    def _async_route(self, site: str, suffix: str, payload: bytes) -> None:
        if (connection := self.connections.get(site)) is None:
            self._async_ignore(site, suffix, payload)
            return
        connection.async_receive(suffix, payload)

    @callback
    def _async_ignore(self, site: str, suffix: str, payload: bytes) -> None:
        """Serve nothing to a satellite that was not adopted; log it once."""
        if suffix == SatelliteConfig.topic:
            self.waiting.pop(site, None)
            if payload and len(self.waiting) < MAX_IGNORED_SITES:
                try:
                    self.waiting[site] = SatelliteConfig.from_payload(payload)
                except ProtocolError as err:
                    LOGGER.debug("Satellite %s has a bad config: %s", site, err)
        if (limiter := self.ignored.get(site)) is None:
            if len(self.ignored) >= MAX_IGNORED_SITES:
                return
            limiter = self.ignored[site] = RateLimiter(events=1, seconds=10)
            LOGGER.info(
                "Ignoring satellite %s: it is not adopted (Settings > Devices & "
                "services > OS1)",
                site,
            )
        if suffix in (Wake.topic, Text.topic, AudioStart.topic) and limiter.allow():
            async_publish_message(
                self.hass,
                site,
                Error(ErrorCode.NOT_ADOPTED, "adopt this satellite in Home Assistant"),
            )


@callback
def async_publish_message(hass: HomeAssistant, site: str, message: Message) -> None:
    """Publish a message to a satellite in the background."""
    hass.async_create_task(
        _async_publish(hass, topic(site, message.topic), message.payload()),
        eager_start=True,
    )


async def _async_publish(hass: HomeAssistant, name: str, payload: bytes) -> None:
    """Publish through Home Assistant's MQTT client; a gone broker is not an error."""
    from homeassistant.components import mqtt

    try:
        await mqtt.async_publish(hass, name, payload, qos=0)
    except Exception as err:  # noqa: BLE001 (the broker may be gone; keep running)
        LOGGER.debug("Could not publish to %s: %s", name, err)
