"""Assist satellite entities for OS1's MQTT satellites.

Each adopted satellite runs the Assist pipeline chosen for it: audio streamed
after its wake word goes to the pipeline's speech to text, the request to the
pipeline's agent (OS1) with the satellite's device, so OS1 knows the room, and
the spoken answer back to the satellite in the audio format it declared.
Typed requests skip speech to text. Announcements and started conversations
are synthesized and streamed the same way.
"""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.components import conversation, tts
from homeassistant.components.assist_pipeline import (
    Pipeline,
    PipelineEvent,
    PipelineEventType,
    PipelineStage,
    async_get_pipeline,
)
from homeassistant.components.assist_satellite import (
    AssistSatelliteAnnouncement,
    AssistSatelliteConfiguration,
    AssistSatelliteEntity,
    AssistSatelliteEntityFeature,
    AssistSatelliteWakeWord,
)
from homeassistant.components.assist_satellite.entity import AssistSatelliteState
from homeassistant.components.ffmpeg import get_ffmpeg_manager
from homeassistant.components.intent import (
    TimerEventType,
    TimerInfo,
    async_register_timer_handler,
)
from homeassistant.core import Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import ulid as ulid_util

from . import Os1ConfigEntry
from .const import DOMAIN, LOGGER
from .entity import Os1SatelliteEntity, async_add_satellite_entities
from .protocol import (
    AudioFormat,
    Error,
    ErrorCode,
    Listen,
    ProtocolError,
    SatelliteState,
    Say,
    SetSettings,
    State,
    Wake,
)
from .satellite import (
    AudioSession,
    Pcm,
    SatelliteLink,
    Timer,
    TimerChange,
    pcm_from_wav,
)

MAX_MEDIA_SECONDS = 300
"""Longest announcement media played (five minutes)."""
MEDIA_TIMEOUT_SECONDS = 30


async def async_setup_entry(
    hass: HomeAssistant,
    entry: Os1ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an Assist satellite entity for each adopted satellite."""
    async_add_satellite_entities(
        entry.runtime_data.satellites,
        lambda connection: [Os1AssistSatellite(connection)],
        async_add_entities,
    )


class Os1AssistSatellite(Os1SatelliteEntity, AssistSatelliteEntity):
    """A room satellite speaking OS1's MQTT protocol."""

    _attr_name = None
    _attr_supported_features = (
        AssistSatelliteEntityFeature.ANNOUNCE
        | AssistSatelliteEntityFeature.START_CONVERSATION
    )

    def __init__(self, connection: SatelliteLink) -> None:
        """Serve one satellite."""
        super().__init__(connection, "assist_satellite")
        self._published_state: AssistSatelliteState | None = None
        self._continue_conversation = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def async_added_to_hass(self) -> None:
        """Take the satellite's requests, and the timers set through it."""
        await super().async_added_to_hass()
        self.connection.handler = self
        self.async_on_remove(self._async_detach)
        if self.registry_entry and self.registry_entry.device_id:
            self.async_on_remove(
                async_register_timer_handler(
                    self.hass, self.registry_entry.device_id, self._async_timer
                )
            )

    @callback
    def _async_timer(self, event_type: TimerEventType, info: TimerInfo) -> None:
        """Show a timer on the satellite, or say when it is done."""
        timer = Timer(
            id=info.id,
            seconds=info.seconds,
            name=info.name,
            start_hours=info.start_hours,
            start_minutes=info.start_minutes,
            start_seconds=info.start_seconds,
            is_active=info.is_active,
        )
        change = TimerChange(event_type.value)
        if (
            not self.connection.async_timer(change, timer)
            and change is TimerChange.FINISHED
        ):
            done = (
                f"Your {info.name} timer is done."
                if info.name
                else ("Your timer is done.")
            )
            self._start(self.async_internal_announce(message=done), "timer")

    @callback
    def _async_detach(self) -> None:
        self.connection.handler = None
        self.connection.async_end_session()
        for task in self._tasks:
            task.cancel()

    @property
    def pipeline_entity_id(self) -> str | None:
        """Return the select that chooses the satellite's Assist pipeline."""
        return er.async_get(self.hass).async_get_entity_id(
            "select", DOMAIN, f"{self.connection.site}-pipeline"
        )

    @property
    def vad_sensitivity_entity_id(self) -> str | None:
        """Return the select that sets how long a pause ends a request."""
        return er.async_get(self.hass).async_get_entity_id(
            "select", DOMAIN, f"{self.connection.site}-vad_sensitivity"
        )

    @property
    def tts_options(self) -> dict[str, Any]:
        """Ask the pipeline for speech in the satellite's own format."""
        audio = self.connection.config.audio_format
        return {
            tts.ATTR_PREFERRED_FORMAT: "wav",
            tts.ATTR_PREFERRED_SAMPLE_RATE: audio.rate,
            tts.ATTR_PREFERRED_SAMPLE_CHANNELS: audio.channels,
            tts.ATTR_PREFERRED_SAMPLE_BYTES: audio.width,
        }

    @callback
    def async_get_configuration(self) -> AssistSatelliteConfiguration:
        """Return the satellite's wake words and the one in use."""
        active = self.connection.settings.wake_word
        return AssistSatelliteConfiguration(
            available_wake_words=[
                AssistSatelliteWakeWord(
                    id=word,
                    wake_word=word.replace("_", " ").title(),
                    trained_languages=[],
                )
                for word in self.connection.config.wake_words
            ],
            active_wake_words=[active] if active else [],
            max_active_wake_words=1,
        )

    async def async_set_configuration(
        self, config: AssistSatelliteConfiguration
    ) -> None:
        """Switch the satellite's wake word."""
        if config.active_wake_words:
            self.connection.async_publish(
                SetSettings(wake_word=config.active_wake_words[0])
            )

    @callback
    def _set_state(self, state: AssistSatelliteState) -> None:
        """Write the state and tell the satellite when it changed."""
        super()._set_state(state)
        if state != self._published_state:
            self._published_state = state
            self.connection.async_publish(State(SatelliteState(state.value)))

    def _start(self, coro: Any, name: str) -> None:
        """Run a request in the background, tied to this entity."""
        task: asyncio.Task[None] = self.hass.async_create_background_task(
            coro, f"{self.entity_id} {name}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # Requests from the satellite

    @callback
    def async_wake(self, wake: Wake) -> None:
        """Log the wake word; the request's audio follows."""
        LOGGER.debug(
            "%s woke up on %s (%.2f)", self.entity_id, wake.wake_word, wake.score
        )

    @callback
    def async_audio_start(
        self, session: AudioSession, wake: Wake | None, *, listen_for_wake: bool = False
    ) -> None:
        """Run the pipeline on the request's audio (from its wake word, if asked)."""
        self._start(
            self._async_run_audio(session, wake, listen_for_wake), "voice request"
        )

    @callback
    def async_text(self, text: str) -> None:
        """Run a typed request."""
        self._start(self._async_run_text(text), "text request")

    async def _async_run_audio(
        self, session: AudioSession, wake: Wake | None, listen_for_wake: bool
    ) -> None:
        try:
            await self.async_accept_pipeline_from_satellite(
                session.stream(),
                start_stage=(
                    PipelineStage.WAKE_WORD if listen_for_wake else PipelineStage.STT
                ),
                end_stage=(
                    PipelineStage.TTS
                    if self.connection.config.audio_out
                    else PipelineStage.INTENT
                ),
                wake_word_phrase=wake.wake_word if wake and wake.wake_word else None,
            )
        except HomeAssistantError as err:
            LOGGER.warning("%s: the pipeline failed: %s", self.entity_id, err)
            self.connection.async_publish(Error(ErrorCode.PIPELINE, str(err)))
        finally:
            if self.connection.session is session:
                self.connection.async_end_session()
            self.connection.async_request_done(session)

    async def _async_run_text(self, text: str) -> None:
        await self._cancel_running_pipeline()
        pipeline = async_get_pipeline(self.hass, self._resolve_pipeline())
        if self._context is None:
            self.async_set_context(Context())
        assert self._context is not None
        self._set_state(AssistSatelliteState.PROCESSING)
        try:
            result = await conversation.async_converse(
                self.hass,
                text,
                self._conversation_id,
                self._context,
                language=pipeline.conversation_language,
                agent_id=pipeline.conversation_engine,
                device_id=self.registry_entry.device_id
                if self.registry_entry
                else None,
            )
        except (HomeAssistantError, ValueError) as err:  # ValueError: agent gone
            LOGGER.warning("%s: could not answer %r: %s", self.entity_id, text, err)
            self.connection.async_publish(Error(ErrorCode.PIPELINE, str(err)))
            self._set_state(AssistSatelliteState.IDLE)
            return
        self._conversation_id = result.conversation_id
        speech: str = result.response.speech.get("plain", {}).get("speech", "")
        self.connection.async_publish(Say(speech))
        if speech and self.connection.config.audio_out and pipeline.tts_engine:
            self._set_state(AssistSatelliteState.RESPONDING)
            try:
                pcm = await self._async_speech(self._speech_stream(pipeline, speech))
                await self.connection.async_play(pcm, ulid_util.ulid_now(), speech)
            except (HomeAssistantError, ProtocolError) as err:
                LOGGER.warning(
                    "%s: could not speak the answer: %s", self.entity_id, err
                )
        self._set_state(AssistSatelliteState.IDLE)
        if result.continue_conversation:
            self._async_listen()

    # Pipeline events

    def on_pipeline_event(self, event: PipelineEvent) -> None:
        """Follow the pipeline: stop listening, send the answer, report errors."""
        data = event.data or {}
        if event.type is PipelineEventType.WAKE_WORD_END:
            if detected := (data.get("wake_word_output") or {}).get("wake_word_id"):
                self.connection.async_detected(detected)
        elif event.type in (PipelineEventType.STT_VAD_END, PipelineEventType.STT_END):
            # The request has ended; the satellite stops streaming on "processing".
            self.connection.async_end_session()
            if event.type is PipelineEventType.STT_END:
                self.connection.async_heard(
                    (data.get("stt_output") or {}).get("text", "")
                )
        elif event.type is PipelineEventType.INTENT_END:
            output = data.get("intent_output") or {}
            self._continue_conversation = bool(output.get("continue_conversation"))
            speech = (
                output.get("response", {})
                .get("speech", {})
                .get("plain", {})
                .get("speech", "")
            )
            self.connection.async_publish(Say(speech))
        elif event.type is PipelineEventType.TTS_END:
            # The answer is a TTS stream, found by its token (its media id names
            # the stream, not the message).
            token = (data.get("tts_output") or {}).get("token")
            stream = tts.async_get_stream(self.hass, token) if token else None
            self._start(
                self._async_play_answer(stream, data.get("tts_input", "")), "answer"
            )
        elif event.type is PipelineEventType.ERROR:
            LOGGER.info(
                "%s: %s (%s)", self.entity_id, data.get("message"), data.get("code")
            )
            self.connection.async_end_session()
            self.connection.async_publish(
                Error(ErrorCode.PIPELINE, str(data.get("message", "")))
            )

    async def _async_play_answer(
        self, stream: tts.ResultStream | None, text: str
    ) -> None:
        """Play the pipeline's spoken answer, then listen again if OS1 asked."""
        try:
            if stream is None:
                LOGGER.warning(
                    "%s: could not play speech: the answer's speech stream is gone",
                    self.entity_id,
                )
            else:
                await self._async_play_tts(stream, text)
        finally:
            self.tts_response_finished()
        if self._continue_conversation:
            self._continue_conversation = False
            self._async_listen()

    async def _async_play_tts(self, stream: tts.ResultStream, text: str) -> None:
        """Fetch synthesized speech and stream it to the satellite."""
        try:
            pcm = await self._async_speech(stream)
        except (HomeAssistantError, ProtocolError) as err:
            LOGGER.warning("%s: could not play speech: %s", self.entity_id, err)
            return
        await self.connection.async_play(pcm, ulid_util.ulid_now(), text)

    @staticmethod
    async def _async_speech(stream: tts.ResultStream) -> Pcm:
        """Return the PCM audio of a text-to-speech stream."""
        if stream.extension != "wav":
            raise ProtocolError(f"speech came as {stream.extension}, not WAV")
        data = b"".join([chunk async for chunk in stream.async_stream_result()])
        return pcm_from_wav(data)

    def _speech_stream(self, pipeline: Pipeline, message: str) -> tts.ResultStream:
        """Return a stream of a message in the pipeline's voice, in the satellite's format."""
        engine = tts.async_resolve_engine(self.hass, pipeline.tts_engine)
        if engine is None:
            raise HomeAssistantError(f"speech engine {pipeline.tts_engine} not found")
        options: dict[str, Any] = dict(self.tts_options)
        if pipeline.tts_voice is not None:
            options[tts.ATTR_VOICE] = pipeline.tts_voice
        stream = tts.async_create_stream(
            self.hass, engine, language=pipeline.tts_language, options=options
        )
        stream.async_set_message(message)
        return stream

    @callback
    def _async_listen(self) -> None:
        """Ask the satellite to stream a request without its wake word."""
        self.connection.async_publish(Listen(ulid_util.ulid_now()))

    # Announcements and conversations started by Home Assistant

    async def async_announce(self, announcement: AssistSatelliteAnnouncement) -> None:
        """Play an announcement and wait until the satellite has played it."""
        self.connection.async_publish(Say(announcement.message))
        if announcement.preannounce_media_id:
            await self._async_play_url(announcement.preannounce_media_id)
        if announcement.media_id_source == "tts" and (
            stream := (
                tts.async_get_stream(self.hass, announcement.tts_token)
                if announcement.tts_token
                else None
            )
        ):
            await self._async_play_tts(stream, announcement.message)
        else:
            await self._async_play_url(announcement.media_id, announcement.message)

    async def _async_play_url(self, url: str, text: str = "") -> None:
        """Decode any media Home Assistant can reach and stream it as PCM."""
        try:
            pcm = await self._async_decode(url)
        except HomeAssistantError as err:
            LOGGER.warning("%s: could not play %s: %s", self.entity_id, url, err)
            return
        await self.connection.async_play(pcm, ulid_util.ulid_now(), text)

    async def _async_decode(self, url: str) -> Pcm:
        """Decode media to the satellite's format with Home Assistant's ffmpeg."""
        audio = self.connection.config.audio_format
        process = await asyncio.create_subprocess_exec(
            get_ffmpeg_manager(self.hass).binary,
            *("-nostdin", "-loglevel", "error", "-i", url),
            *("-t", str(MAX_MEDIA_SECONDS), "-f", "s16le"),
            *("-ar", str(audio.rate), "-ac", str(audio.channels), "-"),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with asyncio.timeout(MEDIA_TIMEOUT_SECONDS):
                data, error = await process.communicate()
        except TimeoutError as err:
            process.kill()
            await process.wait()
            raise HomeAssistantError("timed out reading the media") from err
        if process.returncode:
            raise HomeAssistantError(error.decode(errors="replace").strip()[-300:])
        return Pcm(AudioFormat(audio.rate, 2, audio.channels), data)

    async def async_start_conversation(
        self, start_announcement: AssistSatelliteAnnouncement
    ) -> None:
        """Say the opening line, then listen for the answer."""
        await self.async_announce(start_announcement)
        self._async_listen()
