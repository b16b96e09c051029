"""OS1's conversation logic: understand, act in the right room, or hand over."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from homeassistant.components.conversation import (
    AssistantContent,
    ChatLog,
    ConversationEntity,
    ConversationInput,
    ConversationResult,
)
from homeassistant.components.conversation.agent_manager import async_get_agent
from homeassistant.core import Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import intent

from .commands import (
    HERE,
    FollowUp,
    LightAction,
    LightCommand,
    Target,
    TargetKind,
    parse,
)
from .const import DEFAULT_CONVERSATION_WINDOW, DEFAULT_FALLBACK_AGENT, LOGGER
from .lights import LightController, LightReply
from .memory import ConversationMemory, Threads
from .moods import MoodBook
from .music import choice_by_answer, parse_music
from .music_control import MusicController, MusicReply
from .nlu import Recognized, SentenceRecognizer
from .presence import RoomChange
from .presence_control import PresenceMonitor
from .reminder_control import (
    ReminderController,
    ReminderReply,
    ReminderRequest,
    ReminderScheduler,
    person_of_user,
    satellite_of_request,
)
from .reminders import ReminderCommand, parse_reminder
from .responses import Phrasebook
from .rooms import area_of_request, named_areas, named_lights


@dataclass(frozen=True, slots=True)
class AssistantSettings:
    """How the hub is configured."""

    name: str
    language: str
    fallback_agent: str
    phrases: Phrasebook
    speakers: Mapping[str, str] = field(default_factory=dict)
    """The speaker of each area chosen in the options, by area id."""
    moods: MoodBook = field(default_factory=MoodBook)
    conversation_window: float = DEFAULT_CONVERSATION_WINDOW
    """Seconds within which a person's next request, in any room, continues
    the same conversation."""


class Assistant:
    """Answer one conversation turn for the OS1 hub."""

    def __init__(
        self,
        hass: HomeAssistant,
        settings: AssistantSettings,
        recognizer: SentenceRecognizer,
        reminders: ReminderScheduler,
        presence: PresenceMonitor,
    ) -> None:
        """Initialize the assistant."""
        self.hass = hass
        self.presence = presence
        self.settings = settings
        self.recognizer = recognizer
        self.memory = ConversationMemory()
        self.lights = LightController(hass, settings.phrases)
        self.music = MusicController(
            hass, settings.phrases, settings.speakers, settings.moods
        )
        self.reminders = ReminderController(settings.phrases, reminders)
        self.agent_id: str | None = None
        """OS1's own conversation entity, set once it is added."""
        self.threads = Threads(settings.conversation_window)
        """A person who spoke a moment ago in another room carries on the same
        thread: "turn it up" means the music that followed them."""
        self._music = asyncio.Lock()
        """One music change at a time: a request and a follow don't cross."""
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def phrases(self) -> Phrasebook:
        """Return the configured phrasebook."""
        return self.settings.phrases

    async def async_handle(
        self, user_input: ConversationInput, chat_log: ChatLog
    ) -> ConversationResult:
        """Handle a turn: OS1's own sentences here, the rest by the fallback agent."""
        person, here = self._speaker(user_input)
        # The turn is answered in its own conversation (Home Assistant's belongs
        # to its first user); what OS1 remembers follows the person's thread.
        thread = self.threads.thread(chat_log.conversation_id, person)
        response = await self._async_handle_own(user_input, thread, person, here)
        if response is None:
            return await self._async_delegate(user_input, chat_log)
        chat_log.async_add_assistant_content_without_tools(
            AssistantContent(
                agent_id=user_input.agent_id,
                content=response.speech.get("plain", {}).get("speech"),
            )
        )
        return ConversationResult(
            response=response,
            conversation_id=chat_log.conversation_id,
            continue_conversation=self._waiting(thread),
        )

    def _speaker(self, user_input: ConversationInput) -> tuple[str | None, str | None]:
        """Return who is speaking (when it can be told) and the room they are in.

        A satellite that hears someone places them in its room (a phone or a
        tablet in a room doesn't: it goes where its owner goes).
        """
        satellite_id = getattr(user_input, "satellite_id", None)
        here = area_of_request(self.hass, user_input.device_id, satellite_id)
        person = person_of_user(self.hass, user_input.context.user_id)
        if here is not None and satellite_of_request(
            self.hass, user_input.device_id, satellite_id
        ):
            person = self.presence.async_heard(here, person)
        return person, here

    @callback
    def async_room_changed(self, change: RoomChange) -> None:
        """Move a person's music with them, when they want it to follow."""
        if (
            change.room is None
            or change.previous is None
            or not self.presence.music_follows(change.person)
        ):
            return
        task = self.hass.async_create_background_task(
            self._async_follow(change.person, change.previous, change.room),
            f"OS1 music following {change.person}",
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @callback
    def async_unload(self) -> None:
        """Stop moving music: OS1 is unloading."""
        for task in self._tasks:
            task.cancel()
        self.music.owners.async_stop()

    async def _async_follow(self, person: str, left: str, entered: str) -> None:
        """Hand the music over; one music change at a time."""
        async with self._music:
            others = [
                someone
                for someone in self.presence.people.in_room(left)
                if someone != person
            ]
            try:
                await self.music.async_follow(
                    person, left, entered, keep=bool(others), context=Context()
                )
            except Exception:  # noqa: BLE001 - a player's bug must not stop OS1
                LOGGER.exception("Unexpected error moving the music of %s", person)

    def _waiting(self, conversation_id: str) -> bool:
        """Return whether OS1 asked something and listens for the answer."""
        turn = self.memory.get(conversation_id)
        return (
            turn.pending is not None
            or bool(turn.choices)
            or turn.reminder_task is not None
        )

    async def _async_handle_own(
        self,
        user_input: ConversationInput,
        conversation_id: str,
        person: str | None,
        here: str | None,
    ) -> intent.IntentResponse | None:
        """Recognize and carry out one of OS1's own sentences."""
        if user_input.language.split("-")[0] != self.recognizer.language:
            return None
        text = user_input.text
        if (
            chosen := await self._async_choice(user_input, conversation_id, person)
        ) is not None:
            return chosen
        recognized = self.recognizer.recognize(
            text,
            named_areas(self.hass),
            named_lights(self.hass),
            expecting_time=self.memory.get(conversation_id).reminder_task is not None,
        )
        response = intent.IntentResponse(language=user_input.language)
        if recognized is None:
            if (room := self.recognizer.unknown_room(text)) is None:
                return None
            response.async_set_error(
                intent.IntentResponseErrorCode.NO_VALID_TARGETS,
                self.phrases.unknown_room(room),
            )
            return response
        if recognized.intent == "OS1Identity":
            response.async_set_speech(self.phrases.identity())
            return response
        if recognized.intent == "OS1FollowMe":
            response.async_set_speech(
                self._follow_me(person, recognized.slots.get("follow") == "on")
            )
            return response
        if reminder := parse_reminder(recognized.intent, recognized.slots):
            return self._reminder(reminder, user_input, conversation_id, here, person)
        if music := parse_music(recognized.intent, recognized.slots):
            async with self._music:
                played = await self.music.async_run(
                    music, here, user_input.context, person
                )
            self.memory.remember(
                conversation_id, choices=played.choices, choices_player=played.player
            )
            return _spoken(user_input.language, played)

        return await self._async_lights(
            recognized, here, user_input, conversation_id, response
        )

    async def _async_lights(
        self,
        recognized: Recognized,
        here: str | None,
        user_input: ConversationInput,
        conversation_id: str,
        response: intent.IntentResponse,
    ) -> intent.IntentResponse | None:
        """Carry out a light sentence, asking for the room when it is unclear."""
        turn = self.memory.get(conversation_id)
        parsed = parse(recognized)
        if isinstance(parsed, FollowUp):
            # "and the kitchen too": finish what OS1 asked about, or repeat the last command.
            previous = turn.pending or turn.last
            if previous is None:
                return None
            command: LightCommand | None = previous.at(parsed.target)
        else:
            command = parsed
        if command is None:  # pragma: no cover - every OS1 intent parses
            return None

        target = self._resolve_target(command.target, here, turn.last)
        if target is None:
            self.memory.remember(conversation_id, pending=command)
            response.async_set_speech(self.phrases.which_room())
            return response

        reply = await self.lights.async_run(command.at(target), user_input.context)
        self.memory.remember(conversation_id, last=reply.done)
        _apply(response, reply)
        return response

    def _reminder(
        self,
        command: ReminderCommand,
        user_input: ConversationInput,
        conversation_id: str,
        here: str | None,
        person: str | None,
    ) -> intent.IntentResponse | None:
        """Carry out a reminder sentence."""
        turn = self.memory.get(conversation_id)
        request = ReminderRequest(
            person=person,
            origin=satellite_of_request(
                self.hass,
                user_input.device_id,
                getattr(user_input, "satellite_id", None),
            ),
            area=here,
            waiting_task=turn.reminder_task,
            last_reminder=turn.reminder,
        )
        reply = self.reminders.run(command, request)
        if reply is None:
            return None
        self.memory.remember(
            conversation_id, reminder_task=reply.waiting_task, reminder=reply.reminder
        )
        return _spoken(user_input.language, reply)

    def _follow_me(self, person: str | None, follow: bool) -> str:
        """Turn the speaker's music following on or off."""
        if person is None:
            return "I can't tell who you are, so I can't follow you."
        if not self.presence.tracks(person):
            return (
                "I don't follow you from room to room yet. Add yourself under "
                "OS1's people in Home Assistant first."
            )
        self.presence.async_set_follow(person, follow)
        if follow:
            return "Okay, your music will follow you from room to room."
        return "Okay, your music stays where it is when you leave."

    async def _async_choice(
        self, user_input: ConversationInput, conversation_id: str, person: str | None
    ) -> intent.IntentResponse | None:
        """Answer OS1's "which one?" question, if this turn names one."""
        turn = self.memory.get(conversation_id)
        if not turn.choices or turn.choices_player is None:
            return None
        chosen = choice_by_answer(turn.choices, user_input.text)
        if chosen is None:
            return None
        async with self._music:
            played = await self.music.async_choose(
                chosen, turn.choices_player, user_input.context, person
            )
        self.memory.remember(conversation_id)
        return _spoken(user_input.language, played)

    @staticmethod
    def _resolve_target(
        target: Target, here: str | None, last: LightCommand | None
    ) -> Target | None:
        """Turn "here" and "them" into rooms or lights, or None to ask."""
        if target.is_resolved:
            return target
        previous = last.target if last else None
        if target.kind is TargetKind.PREVIOUS and previous is not None:
            return previous
        if here is not None:
            return Target.areas(here)
        if (
            target == HERE
            and previous is not None
            and previous.kind is not TargetKind.HOME
        ):
            return previous
        return None

    async def _async_delegate(
        self, user_input: ConversationInput, chat_log: ChatLog
    ) -> ConversationResult:
        """Hand a turn to the fallback agent, with the same device and conversation."""
        agent_id = self.settings.fallback_agent
        agent = async_get_agent(self.hass, agent_id)
        if agent is None or agent_id == self.agent_id:
            LOGGER.warning(
                "Fallback conversation agent %s is not available; using %s",
                agent_id,
                DEFAULT_FALLBACK_AGENT,
            )
            agent_id = DEFAULT_FALLBACK_AGENT
            agent = async_get_agent(self.hass, agent_id)
            if agent is None:  # pragma: no cover - conversation always has it
                raise HomeAssistantError(
                    "Home Assistant's conversation agent is missing"
                )
        delegated = replace(
            user_input, agent_id=agent_id, conversation_id=chat_log.conversation_id
        )
        try:
            if isinstance(agent, ConversationEntity):
                agent.async_set_context(user_input.context)
                result = await agent.internal_async_process(delegated)
            else:
                result = await agent.async_process(delegated)
        except HomeAssistantError as err:
            LOGGER.warning("Fallback agent %s failed: %s", agent_id, err)
            response = intent.IntentResponse(language=user_input.language)
            response.async_set_error(
                intent.IntentResponseErrorCode.UNKNOWN, self.phrases.trouble()
            )
            return ConversationResult(
                response, conversation_id=chat_log.conversation_id
            )
        if chat_log.content[-1].role != "assistant":
            speech = result.response.speech.get("plain", {}).get("speech")
            chat_log.async_add_assistant_content_without_tools(
                AssistantContent(agent_id=agent_id, content=speech)
            )
        return ConversationResult(
            response=result.response,
            conversation_id=chat_log.conversation_id,
            continue_conversation=result.continue_conversation,
        )


def _apply(response: intent.IntentResponse, reply: LightReply) -> None:
    """Fill an intent response from a light reply."""
    if reply.error is not None:
        response.async_set_error(reply.error, reply.speech)
        return
    response.async_set_speech(reply.speech)
    response.async_set_states(reply.states)
    if reply.done is not None and reply.done.action is LightAction.QUERY:
        response.response_type = intent.IntentResponseType.QUERY_ANSWER
        return
    response.async_set_results(
        success_results=[
            intent.IntentResponseTarget(
                type=intent.IntentResponseTargetType.ENTITY,
                name=state.name,
                id=state.entity_id,
            )
            for state in reply.states
        ]
    )


def _spoken(language: str, reply: MusicReply | ReminderReply) -> intent.IntentResponse:
    """Return the intent response of a music or reminder reply."""
    response = intent.IntentResponse(language=language)
    if reply.error is not None:
        response.async_set_error(reply.error, reply.speech)
    else:
        response.async_set_speech(reply.speech)
    return response
