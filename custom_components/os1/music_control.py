"""Carry out music commands in the right room and say what happened."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from homeassistant.components.media_player import (
    ATTR_MEDIA_CONTENT_ID,
    ATTR_MEDIA_CONTENT_TYPE,
    ATTR_MEDIA_POSITION,
    ATTR_MEDIA_POSITION_UPDATED_AT,
    DOMAIN as MEDIA_PLAYER_DOMAIN,
    MediaPlayerEntityFeature,
    MediaPlayerState,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import intent
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util

from .const import LOGGER
from .media import (
    Found,
    MusicPlayer,
    available,
    is_music_assistant,
    is_playing,
    is_sounding,
    now_playing,
    room_players,
    supports,
    volume_of,
)
from .moods import Mood, MoodBook
from .music import MediaItem, MusicAction, MusicCommand, join_labels
from .responses import Phrasebook
from .rooms import area_name, is_exposed

VOLUME_STEP = 0.1
ErrorCode = intent.IntentResponseErrorCode


@dataclass(frozen=True, slots=True)
class MusicReply:
    """What OS1 says, and what it waits for."""

    speech: str
    error: intent.IntentResponseErrorCode | None = None
    choices: tuple[MediaItem, ...] = ()
    player: str | None = None
    """The player the choices are for."""


class MusicController:
    """Music commands for OS1's conversation agent."""

    def __init__(
        self,
        hass: HomeAssistant,
        phrases: Phrasebook,
        speakers: Mapping[str, str],
        moods: MoodBook,
    ) -> None:
        """Initialize with the room speakers and moods from the options."""
        self.hass = hass
        self.phrases = phrases
        self.speakers = speakers
        self.moods = moods
        self.player = MusicPlayer(hass)
        self.owners = Listeners(hass)
        """The person each player plays for, when OS1 started it for someone."""

    async def async_run(
        self,
        command: MusicCommand,
        here: str | None,
        context: Context,
        person: str | None = None,
    ) -> MusicReply:
        """Carry out a command; `here` is the room the request came from.

        `person` is who asked, when known: music OS1 starts is theirs.
        """
        try:
            if command.action is MusicAction.BRING:
                return await self.async_bring_here(
                    person, here, context, command.area_id
                )
            return await self._async_run(command, here, context, person)
        except HomeAssistantError as err:
            LOGGER.warning("Music command %s failed: %s", command.action, err)
            return MusicReply(self.phrases.trouble(), ErrorCode.FAILED_TO_HANDLE)

    async def _async_run(
        self,
        command: MusicCommand,
        here: str | None,
        context: Context,
        person: str | None,
    ) -> MusicReply:
        action = command.action
        if action in (MusicAction.PLAY, MusicAction.MOOD):
            return await self._async_play(
                command, command.area_id or here, context, person
            )
        if action is MusicAction.WHAT:
            return self._what(command.area_id or here)
        if action is MusicAction.MOVE:
            return await self._async_move(here, command.area_id, context)
        if command.everywhere:
            players = [
                s
                for s in self.hass.states.async_all(MEDIA_PLAYER_DOMAIN)
                if is_playing(s)
                and is_exposed(self.hass, s)
                and supports(
                    s, MediaPlayerEntityFeature.STOP | MediaPlayerEntityFeature.PAUSE
                )
            ]
            if not players:
                return MusicReply("Nothing's playing.")
            for state in players:
                await self._async_control(state, action, command.volume, context)
            return MusicReply(self._control_speech(action, command.volume, True))
        area_id = command.area_id or here
        current = self._current(area_id)
        if current is None:
            return MusicReply(
                "Nothing's playing here." if area_id else "Nothing's playing.",
                ErrorCode.NO_VALID_TARGETS,
            )
        await self._async_control(current, action, command.volume, context)
        return MusicReply(self._control_speech(action, command.volume, False))

    def _current(self, area_id: str | None) -> State | None:
        """Return the player a control means.

        That is the one playing in the room, else the room's speaker; with no
        room, the only one playing in the home.
        """
        if area_id is not None:
            players = room_players(self.hass, area_id, self.speakers)
            candidates = [s for s in players if is_playing(s)] or players
            return candidates[0] if candidates else None
        playing = [
            s
            for s in self.hass.states.async_all(MEDIA_PLAYER_DOMAIN)
            if is_playing(s) and is_exposed(self.hass, s)
        ]
        return playing[0] if len(playing) == 1 else None

    async def _async_play(
        self,
        command: MusicCommand,
        area_id: str | None,
        context: Context,
        person: str | None,
    ) -> MusicReply:
        if area_id is None:
            return MusicReply(
                "Which room should I play it in? Say, for example, "
                '"play it in the kitchen".',
                ErrorCode.NO_VALID_TARGETS,
            )
        room = area_name(self.hass, area_id)
        players = room_players(self.hass, area_id, self.speakers)
        if not players:
            return MusicReply(
                f"There's no speaker in the {room}.", ErrorCode.NO_VALID_TARGETS
            )
        player = players[0]
        if not available(player):
            return MusicReply(
                f"The {room} speaker isn't available right now.",
                ErrorCode.FAILED_TO_HANDLE,
            )
        acknowledgement = ""
        if command.action is MusicAction.MOOD:
            music = self.moods[Mood(str(command.mood))]
            acknowledgement = music.acknowledgement if self.phrases.warm else ""
            found = await self.player.async_find_mood(
                player, music.playlists, music.genres
            )
        else:
            assert command.query is not None
            found = await self.player.async_find(player, command.query)
        if found.choices:
            return MusicReply(
                f"Which one: {join_labels(found.choices)}?",
                choices=found.choices,
                player=player.entity_id,
            )
        if not found.items and not found.radio:
            what = command.query.text if command.query else "anything for that"
            return MusicReply(
                f"I couldn't find {what} in your music.", ErrorCode.NO_VALID_TARGETS
            )
        await self.player.async_play(player, found, context)
        self.owners.set(player.entity_id, person)
        return MusicReply(
            " ".join(filter(None, (acknowledgement, self._playing(found, room))))
        )

    async def async_choose(
        self,
        item: MediaItem,
        entity_id: str,
        context: Context,
        person: str | None = None,
    ) -> MusicReply:
        """Play the item the user chose after OS1 asked which one."""
        state = self.hass.states.get(entity_id)
        if state is None or not available(state):
            return MusicReply(
                "That speaker isn't available right now.", ErrorCode.FAILED_TO_HANDLE
            )
        await self.player.async_play(state, Found(items=(item,)), context)
        self.owners.set(entity_id, person)
        return MusicReply(f"Playing {item.label}." if self.phrases.warm else "Okay.")

    def _playing(self, found: Found, room: str) -> str:
        if not self.phrases.warm:
            return "Playing."
        if not found.items:
            return f"Playing some {found.radio} in the {room}."
        first = found.items[0]
        if (
            len(found.items) > 1
            and first.artist
            and all(item.artist == first.artist for item in found.items)
        ):
            return f"Playing {first.artist} in the {room}."
        if len(found.items) > 1 and first.genre:
            return f"Playing some {first.genre} in the {room}."
        kind = {"playlist": "the playlist ", "album": "the album "}.get(first.kind, "")
        return f"Playing {kind}{first.label} in the {room}."

    async def _async_control(
        self, state: State, action: MusicAction, volume: int | None, context: Context
    ) -> None:
        services = {
            MusicAction.PAUSE: "media_pause",
            MusicAction.RESUME: "media_play",
            MusicAction.NEXT: "media_next_track",
            MusicAction.PREVIOUS: "media_previous_track",
            MusicAction.STOP: (
                "media_stop"
                if supports(state, MediaPlayerEntityFeature.STOP)
                else "media_pause"
            ),
        }
        if action in services:
            await self.player.async_command(state, services[action], context)
            return
        level = volume_of(state)
        if action is MusicAction.VOLUME_SET and volume is not None:
            target = volume / 100
        elif level is None:
            service = "volume_up" if action is MusicAction.VOLUME_UP else "volume_down"
            await self.player.async_command(state, service, context)
            return
        else:
            step = VOLUME_STEP if action is MusicAction.VOLUME_UP else -VOLUME_STEP
            target = level + step
        await self.player.async_command(
            state, "volume_set", context, volume_level=round(min(max(target, 0), 1), 2)
        )

    def _control_speech(
        self, action: MusicAction, volume: int | None, everywhere: bool
    ) -> str:
        if not self.phrases.warm:
            return "Done."
        where = " everywhere" if everywhere else ""
        return {
            MusicAction.PAUSE: f"Paused{where}.",
            MusicAction.RESUME: "Resuming.",
            MusicAction.NEXT: "Next song.",
            MusicAction.PREVIOUS: "Going back a song.",
            MusicAction.STOP: f"Stopped the music{where}.",
            MusicAction.VOLUME_UP: "Turning it up.",
            MusicAction.VOLUME_DOWN: "Turning it down.",
            MusicAction.VOLUME_SET: f"Volume {volume} percent.",
        }.get(action, "Done.")

    def _what(self, area_id: str | None) -> MusicReply:
        state = self._current(area_id)
        if state is None or not is_playing(state):
            return MusicReply("Nothing's playing right now.")
        title, artist = now_playing(state)
        if not title:
            return MusicReply("Something's playing, but I don't know what it is.")
        return MusicReply(
            f"This is {title} by {artist}." if artist else f"This is {title}."
        )

    async def _async_move(
        self, here: str | None, area_id: str | None, context: Context
    ) -> MusicReply:
        """Play what is playing here (or the only music playing) in another room."""
        source = self._current(here)
        if source is None or not is_playing(source):
            return MusicReply("Nothing's playing to move.", ErrorCode.NO_VALID_TARGETS)
        assert area_id is not None
        return await self._async_bring(source, area_id, context)

    async def _async_bring(
        self, source: State, area_id: str, context: Context
    ) -> MusicReply:
        """Move the music of a player to a room's speaker and say so."""
        room = area_name(self.hass, area_id)
        target = self._speaker(area_id, source)
        if target is None:
            return MusicReply(
                f"There's no speaker in the {room}.", ErrorCode.NO_VALID_TARGETS
            )
        if not await self.async_hand_over(source, target, context):
            return MusicReply(
                "I can't tell what's playing, so I can't move it.",
                ErrorCode.FAILED_TO_HANDLE,
            )
        return MusicReply(
            f"Moving the music to the {room}." if self.phrases.warm else "Okay."
        )

    async def async_bring_here(
        self,
        person: str | None,
        here: str | None,
        context: Context,
        source_area: str | None = None,
    ) -> MusicReply:
        """Bring a person's music (or the only music playing, or a room's) here."""
        if here is None:
            return MusicReply(
                "I don't know which room you're in.", ErrorCode.NO_VALID_TARGETS
            )
        playing = self._playing_elsewhere(here)
        if source_area is not None:
            there = {
                s.entity_id for s in room_players(self.hass, source_area, self.speakers)
            }
            playing = [s for s in playing if s.entity_id in there]
        mine = [s for s in playing if person and self.owners.get(s.entity_id) == person]
        source = mine[0] if mine else (playing[0] if len(playing) == 1 else None)
        if source is None:
            if (current := self._current(here)) is not None and is_playing(current):
                return MusicReply("It's already playing here.")
            return MusicReply(
                "Nothing's playing to bring here."
                if not playing
                else "More than one room is playing; say which, for example "
                '"bring the music from the kitchen here".',
                ErrorCode.NO_VALID_TARGETS,
            )
        return await self._async_bring(source, here, context)

    async def async_follow(
        self, person: str, left: str, entered: str, *, keep: bool, context: Context
    ) -> str | None:
        """Music follows a person from the room they left; return the new player.

        Their music is what plays in the room they left, unless OS1 started it
        for someone else. It keeps playing there as well when `keep` (someone
        is still in that room listening). Nothing happens when the new room's
        speaker already plays something.
        """
        playing = [
            s for s in room_players(self.hass, left, self.speakers) if is_sounding(s)
        ]
        source = next(
            (s for s in playing if self.owners.get(s.entity_id) in (person, None)),
            None,
        )
        if source is None:
            LOGGER.debug("Nothing of %s's plays in %s to follow them", person, left)
            return None
        target = self._speaker(entered, source)
        if target is None or is_sounding(target):
            LOGGER.debug(
                "The music of %s stays in %s: %s",
                person,
                left,
                "no speaker in " + entered
                if target is None
                else f"{target.entity_id} is playing",
            )
            return None
        LOGGER.debug(
            "Moving the music of %s from %s to %s%s",
            person,
            source.entity_id,
            target.entity_id,
            " (it keeps playing there)" if keep else "",
        )
        try:
            moved = await self.async_hand_over(source, target, context, keep=keep)
        except HomeAssistantError as err:
            LOGGER.warning(
                "Could not move the music of %s to %s: %s", person, entered, err
            )
            return None
        if not moved:
            return None
        self.owners.set(target.entity_id, person)
        return target.entity_id

    def _speaker(self, area_id: str, source: State) -> State | None:
        """Return the available speaker of a room that isn't the source."""
        targets = [
            s
            for s in room_players(self.hass, area_id, self.speakers)
            if s.entity_id != source.entity_id
        ]
        return next((s for s in targets if available(s)), None)

    def _playing_elsewhere(self, here: str) -> list[State]:
        """Return the exposed players playing (not paused) outside a room."""
        inside = {s.entity_id for s in room_players(self.hass, here, self.speakers)}
        return [
            s
            for s in self.hass.states.async_all(MEDIA_PLAYER_DOMAIN)
            if is_sounding(s) and s.entity_id not in inside and is_exposed(self.hass, s)
        ]

    async def async_hand_over(
        self, source: State, target: State, context: Context, *, keep: bool = False
    ) -> bool:
        """Continue a player's music on another from the same second.

        Music Assistant moves its queue itself (`transfer_queue`); other
        players get the same media and a seek. The source stops unless `keep`.
        Return False when the source doesn't say what it plays.
        """
        if (
            not keep
            and is_music_assistant(self.hass, source.entity_id)
            and is_music_assistant(self.hass, target.entity_id)
        ):
            await self.player.async_transfer(source, target, context)
            self._moved(source, target, keep)
            return True
        content_id = source.attributes.get(ATTR_MEDIA_CONTENT_ID)
        content_type = source.attributes.get(ATTR_MEDIA_CONTENT_TYPE)
        if not content_id or not content_type:
            return False
        await self.player.async_command(
            target,
            "play_media",
            context,
            media_content_id=content_id,
            media_content_type=content_type,
        )
        if (position := _position(source)) is not None and supports(
            target, MediaPlayerEntityFeature.SEEK
        ):
            try:
                await self.player.async_command(
                    target, "media_seek", context, seek_position=position
                )
            except (HomeAssistantError, NotImplementedError, ValueError) as err:
                # Some players claim to seek but can't: the music still moved.
                LOGGER.debug(
                    "%s could not seek to %.0f s, playing from the start: %r",
                    target.entity_id,
                    position,
                    err,
                )
        if not keep:
            await self.player.async_command(source, "media_pause", context)
        self._moved(source, target, keep)
        return True

    def _moved(self, source: State, target: State, keep: bool) -> None:
        """Let the music's listener go with it."""
        owner = self.owners.get(source.entity_id)
        if owner is not None:
            self.owners.set(target.entity_id, owner)
            if not keep:
                self.owners.set(source.entity_id, None)


class Listeners:
    """Whose music each player plays; forgotten once the player stops.

    Kept in memory: after a restart, music is nobody's.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Start knowing nobody's music."""
        self.hass = hass
        self._owners: dict[str, str] = {}
        self._unsubscribe: CALLBACK_TYPE | None = None

    def get(self, entity_id: str) -> str | None:
        """Return whose music a player plays, if OS1 started it for someone."""
        return self._owners.get(entity_id)

    @callback
    def set(self, entity_id: str, person: str | None) -> None:
        """Remember (or forget, with None) whose music a player plays."""
        known = set(self._owners)
        if person is None:
            self._owners.pop(entity_id, None)
        else:
            self._owners[entity_id] = person
        if set(self._owners) != known:
            self._async_track()

    @callback
    def async_stop(self) -> None:
        """Stop watching the players."""
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None

    @callback
    def _async_track(self) -> None:
        self.async_stop()
        if self._owners:
            self._unsubscribe = async_track_state_change_event(
                self.hass, list(self._owners), self._async_player_changed
            )

    @callback
    def _async_player_changed(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is None or not is_playing(new):
            self.set(event.data["entity_id"], None)  # Stopped: nobody's now.


def _position(state: State) -> float | None:
    """Return where a player is in the song now, in seconds."""
    position = state.attributes.get(ATTR_MEDIA_POSITION)
    if position is None:
        return None
    updated = state.attributes.get(ATTR_MEDIA_POSITION_UPDATED_AT)
    if updated is not None and state.state == MediaPlayerState.PLAYING:
        position += (dt_util.utcnow() - updated).total_seconds()
    return float(position)
