"""Music in the room: Home Assistant's media players and Music Assistant.

The room's player is the speaker in the area the request came from (set in
OS1's options, or found: an exposed media player in the area, a satellite's own
speaker only when it is the room's only one). What to play is found with
Music Assistant's search when Music Assistant runs the player, otherwise in an
index of the player's media library that OS1 builds by browsing it, in the
background, with the CPU work in an executor.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
import time
from typing import Any

from homeassistant.components.media_player import (
    ATTR_MEDIA_ARTIST,
    ATTR_MEDIA_CONTENT_ID,
    ATTR_MEDIA_CONTENT_TYPE,
    ATTR_MEDIA_TITLE,
    ATTR_MEDIA_VOLUME_LEVEL,
    DOMAIN as MEDIA_PLAYER_DOMAIN,
    MediaPlayerEntityFeature,
    MediaPlayerState,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_SUPPORTED_FEATURES,
    STATE_UNAVAILABLE,
)
from homeassistant.core import (
    Context,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event

from .const import LOGGER
from .music import MediaItem, MediaKind, MusicIndex, MusicQuery, Resolution
from .rooms import area_of_entity, is_exposed

MA_DOMAIN = "music_assistant"
INDEX_MAX_AGE = 6 * 3600
"""Rebuild a player's library index in the background after six hours."""
BROWSE_MAX_NODES = 20_000
BROWSE_MAX_DEPTH = 6
BROWSE_BATCH = 250
"""Yield to the event loop after this many browsed items."""
QUEUE_TRACKS = 25
SETTLE_SECONDS = 1.0
"""How long a command waits for the player to report what it did."""
"""How many tracks an artist, genre or mood starts with."""

_KINDS_BY_CLASS = {
    "artist": MediaKind.ARTIST,
    "album": MediaKind.ALBUM,
    "playlist": MediaKind.PLAYLIST,
    "genre": MediaKind.GENRE,
    "track": MediaKind.TRACK,
    "music": MediaKind.TRACK,
}


@dataclass(slots=True)
class _Library:
    """A player's library index and when it was built."""

    index: MusicIndex
    built: float
    refreshing: bool = False


@dataclass(frozen=True, slots=True)
class Found:
    """What to play: items in order (the first plays, the rest queue)."""

    items: tuple[MediaItem, ...] = ()
    choices: tuple[MediaItem, ...] = ()
    radio: str | None = None
    """A Music Assistant radio seed, when playing "something like" a name."""


@dataclass(slots=True)
class LibraryCache:
    """Library indexes of the home's players, built on first use."""

    hass: HomeAssistant
    libraries: dict[str, _Library] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    async def async_index(self, entity_id: str) -> MusicIndex:
        """Return a player's index: build it the first time, refresh it when old."""
        library = self.libraries.get(entity_id)
        if library is not None:
            if (
                time.monotonic() - library.built > INDEX_MAX_AGE
                and not library.refreshing
            ):
                library.refreshing = True
                self.hass.async_create_background_task(
                    self._async_build(entity_id), f"OS1 music index of {entity_id}"
                )
            return library.index
        return await self._async_build(entity_id)

    async def _async_build(self, entity_id: str) -> MusicIndex:
        lock = self._locks.setdefault(entity_id, asyncio.Lock())
        async with lock:
            library = self.libraries.get(entity_id)
            if library is not None and not library.refreshing:
                return library.index
            items = await _async_browse_all(self.hass, entity_id)
            index = await self.hass.async_add_executor_job(MusicIndex.build, items)
            self.libraries[entity_id] = _Library(index, time.monotonic())
            LOGGER.debug("Indexed %s items of %s", len(index), entity_id)
            return index


async def _async_browse(
    hass: HomeAssistant,
    entity_id: str,
    content_id: str | None,
    content_type: str | None,
) -> list[Any]:
    """Browse one level of a player's library; return its children."""
    data: dict[str, Any] = {ATTR_ENTITY_ID: entity_id}
    if content_id is not None:
        data[ATTR_MEDIA_CONTENT_ID] = content_id
        data[ATTR_MEDIA_CONTENT_TYPE] = content_type
    response = await hass.services.async_call(
        MEDIA_PLAYER_DOMAIN,
        "browse_media",
        data,
        blocking=True,
        return_response=True,
    )
    node: Any = (response or {}).get(entity_id)
    children = _field(node, "children")
    return list(children) if children else []


def _field(node: Any, name: str) -> Any:
    """Read a browse result's field, as an object or as a dict."""
    if isinstance(node, dict):
        return node.get(name)
    return getattr(node, name, None)


async def _async_browse_all(hass: HomeAssistant, entity_id: str) -> list[MediaItem]:
    """Walk a player's library breadth first, remembering artists and albums."""
    items: list[MediaItem] = []
    queue: deque[tuple[str | None, str | None, dict[str, str], int]] = deque(
        [(None, None, {}, 0)]
    )
    seen = 0
    while queue and seen < BROWSE_MAX_NODES:
        content_id, content_type, context, depth = queue.popleft()
        try:
            children = await _async_browse(hass, entity_id, content_id, content_type)
        except HomeAssistantError as err:
            LOGGER.debug("Could not browse %s of %s: %s", content_id, entity_id, err)
            continue
        for child in children:
            seen += 1
            if seen % BROWSE_BATCH == 0:
                await asyncio.sleep(0)  # A page of 10,000 tracks: let others run.
            kind = _KINDS_BY_CLASS.get(str(_field(child, "media_class") or ""))
            title = str(_field(child, "title") or "")
            here = context
            if kind in (MediaKind.ARTIST, MediaKind.ALBUM, MediaKind.GENRE):
                here = {**context, kind.value: title}
            if kind is not None and _field(child, "can_play"):
                items.append(
                    MediaItem(
                        kind=kind,
                        title=title,
                        content_id=str(_field(child, "media_content_id")),
                        content_type=str(_field(child, "media_content_type")),
                        artist=here.get("artist")
                        if kind is not MediaKind.ARTIST
                        else None,
                        album=here.get("album"),
                        genre=here.get("genre"),
                    )
                )
            if _field(child, "can_expand") and depth < BROWSE_MAX_DEPTH:
                queue.append(
                    (
                        str(_field(child, "media_content_id")),
                        str(_field(child, "media_content_type")),
                        here,
                        depth + 1,
                    )
                )
        await asyncio.sleep(0)
    return items


def room_players(
    hass: HomeAssistant, area_id: str, speakers: Mapping[str, str]
) -> list[State]:
    """Return the exposed media players of a room, its chosen speaker first."""
    registry = er.async_get(hass)
    found: list[tuple[int, State]] = []
    for state in hass.states.async_all(MEDIA_PLAYER_DOMAIN):
        if area_of_entity(hass, state.entity_id) != area_id or not is_exposed(
            hass, state
        ):
            continue
        entry = registry.async_get(state.entity_id)
        rank = 1
        if speakers.get(area_id) == state.entity_id:
            rank = 0
        elif entry and entry.device_id and _is_satellite(registry, entry.device_id):
            rank = 2  # A satellite's own speaker: only if there is nothing else.
        found.append((rank, state))
    chosen = speakers.get(area_id)
    speaker = hass.states.get(chosen) if chosen else None
    if (
        speaker is not None
        and is_exposed(hass, speaker)
        and all(s.entity_id != chosen for _, s in found)
    ):
        found.append((0, speaker))
    found.sort(key=lambda pair: (pair[0], pair[1].entity_id))
    return [state for _, state in found]


def _is_satellite(registry: er.EntityRegistry, device_id: str) -> bool:
    """Return whether a device is a voice satellite (it has an Assist satellite)."""
    return any(
        entry.domain == "assist_satellite"
        for entry in er.async_entries_for_device(registry, device_id)
    )


def is_playing(state: State) -> bool:
    """Return whether a player is playing (or paused mid-song)."""
    return state.state in (MediaPlayerState.PLAYING, MediaPlayerState.PAUSED)


def is_sounding(state: State) -> bool:
    """Return whether a player is playing right now (not paused)."""
    return state.state == MediaPlayerState.PLAYING


def supports(state: State, feature: MediaPlayerEntityFeature) -> bool:
    """Return whether a player supports a feature."""
    return bool(int(state.attributes.get(ATTR_SUPPORTED_FEATURES, 0)) & feature)


def is_music_assistant(hass: HomeAssistant, entity_id: str) -> bool:
    """Return whether Music Assistant runs this player."""
    entry = er.async_get(hass).async_get(entity_id)
    return (
        entry is not None
        and entry.platform == MA_DOMAIN
        and hass.services.has_service(MA_DOMAIN, "play_media")
    )


class MusicPlayer:
    """Finds and plays music on the home's players."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Initialize with no library indexed yet."""
        self.hass = hass
        self.cache = LibraryCache(hass)

    async def async_find(self, player: State, query: MusicQuery) -> Found:
        """Find what a query names, on the player's library or Music Assistant."""
        if is_music_assistant(self.hass, player.entity_id):
            return await self._async_find_ma(player, query)
        index = await self.cache.async_index(player.entity_id)
        resolution = index.resolve(query)
        if resolution.ambiguous:
            return Found(choices=resolution.choices)
        if resolution.item is None:
            # "play some jazz": a genre is a name too.
            genre = index.tracks_in(query.text)
            return Found(items=tuple(genre[:QUEUE_TRACKS]))
        return Found(items=self._expand(index, resolution))

    @staticmethod
    def _expand(index: MusicIndex, resolution: Resolution) -> tuple[MediaItem, ...]:
        """Artists and genres that can't be played as such become their tracks."""
        item = resolution.item
        assert item is not None
        if item.kind is MediaKind.ARTIST:
            tracks = index.tracks_by(item.title)
            if tracks:
                return tuple(tracks[:QUEUE_TRACKS])
        if item.kind is MediaKind.GENRE:
            tracks = index.tracks_in(item.title)
            if tracks:
                return tuple(tracks[:QUEUE_TRACKS])
        return (item,)

    async def async_find_mood(
        self, player: State, playlists: Iterable[str], genres: Iterable[str]
    ) -> Found:
        """Find music for a mood: a playlist by name, else a genre's tracks."""
        if is_music_assistant(self.hass, player.entity_id):
            for name in playlists:
                found = await self._async_find_ma(
                    player, MusicQuery(name, MediaKind.PLAYLIST)
                )
                if found.items:
                    return found
            return Found(radio=next(iter(genres), None))
        index = await self.cache.async_index(player.entity_id)
        for name in playlists:
            resolution = index.resolve(MusicQuery(name, MediaKind.PLAYLIST))
            if resolution.item is not None:
                return Found(items=(resolution.item,))
        for genre in genres:
            if tracks := index.tracks_in(genre):
                return Found(items=tuple(tracks[:QUEUE_TRACKS]))
        return Found()

    async def _async_find_ma(self, player: State, query: MusicQuery) -> Found:
        """Search Music Assistant, then pick with OS1's own matching."""
        entry = er.async_get(self.hass).async_get(player.entity_id)
        data: dict[str, Any] = {
            "config_entry_id": entry.config_entry_id if entry else None,
            "name": query.text,
            "limit": 10,
        }
        if query.kind is not None:
            data["media_type"] = [query.kind.value]
        if query.artist:
            data["artist"] = query.artist
        response = await self.hass.services.async_call(
            MA_DOMAIN, "search", data, blocking=True, return_response=True
        )
        results: dict[str, Any] = dict(response or {})
        items = [
            item
            for group in results.values()
            if isinstance(group, list)
            for raw in group
            if (item := _ma_item(raw)) is not None
        ]
        resolution = MusicIndex.build(items).resolve(query)
        if resolution.ambiguous:
            return Found(choices=resolution.choices)
        return Found(items=(resolution.item,) if resolution.item else ())

    async def async_play(self, player: State, found: Found, context: Context) -> None:
        """Play what was found on the player."""
        if is_music_assistant(self.hass, player.entity_id):
            if found.radio and not found.items:
                await self._async_call(
                    MA_DOMAIN,
                    "play_media",
                    player,
                    context,
                    media_id=found.radio,
                    media_type="genre",
                    radio_mode=True,
                )
                return
            item = found.items[0]
            await self._async_call(
                MA_DOMAIN,
                "play_media",
                player,
                context,
                media_id=item.content_id,
                media_type=item.kind.value,
                enqueue="replace",
            )
            return
        first, *rest = found.items
        await self._async_call(
            MEDIA_PLAYER_DOMAIN,
            "play_media",
            player,
            context,
            media_content_id=first.content_id,
            media_content_type=first.content_type,
            **({"enqueue": "replace"} if rest and _enqueues(player) else {}),
        )
        if _enqueues(player):
            for item in rest:
                await self._async_call(
                    MEDIA_PLAYER_DOMAIN,
                    "play_media",
                    player,
                    context,
                    media_content_id=item.content_id,
                    media_content_type=item.content_type,
                    enqueue="add",
                )

    async def async_transfer(
        self, source: State, target: State, context: Context
    ) -> None:
        """Move a Music Assistant queue, position and all, to another player."""
        await self._async_call(
            MA_DOMAIN,
            "transfer_queue",
            target,
            context,
            source_player=source.entity_id,
            auto_play=True,
        )

    async def async_command(
        self, player: State, service: str, context: Context, **data: Any
    ) -> None:
        """Call a media player service on a player.

        Stopping and pausing return once the player reports it: some players
        write their new state a moment after the command, and the next request
        (another "stop everywhere") must see it.
        """
        await self._async_call(MEDIA_PLAYER_DOMAIN, service, player, context, **data)
        if (reported := _REPORTED.get(service)) is not None:
            await self._async_reported(player.entity_id, reported)

    async def _async_reported(
        self, entity_id: str, reported: Callable[[State], bool]
    ) -> None:
        """Wait, briefly, until a player's state shows what a command did."""
        state = self.hass.states.get(entity_id)
        if state is None or reported(state):
            return
        done = asyncio.Event()

        @callback
        def changed(event: Event[EventStateChangedData]) -> None:
            new = event.data["new_state"]
            if new is None or reported(new):
                done.set()

        unsubscribe = async_track_state_change_event(self.hass, entity_id, changed)
        try:
            async with asyncio.timeout(SETTLE_SECONDS):
                await done.wait()
        except TimeoutError:
            LOGGER.debug("%s did not report its new state", entity_id)
        finally:
            unsubscribe()

    async def _async_call(
        self, domain: str, service: str, player: State, context: Context, **data: Any
    ) -> None:
        await self.hass.services.async_call(
            domain,
            service,
            {ATTR_ENTITY_ID: player.entity_id, **data},
            blocking=True,
            context=context,
        )


_REPORTED: dict[str, Callable[[State], bool]] = {
    "media_stop": lambda state: not is_playing(state),
    "media_pause": lambda state: state.state != MediaPlayerState.PLAYING,
}
"""What a player's state shows once it carried out a command."""


def _ma_item(raw: Any) -> MediaItem | None:
    """Return a Music Assistant search result as a media item."""
    if not isinstance(raw, dict):
        return None
    try:
        kind = MediaKind(str(raw.get("media_type")))
    except ValueError:
        return None
    artists = raw.get("artists") or [{}]
    album = raw.get("album") or {}
    return MediaItem(
        kind=kind,
        title=str(raw.get("name", "")),
        content_id=str(raw.get("uri", "")),
        content_type=kind.value,
        artist=artists[0].get("name") if isinstance(artists[0], dict) else None,
        album=album.get("name") if isinstance(album, dict) else None,
    )


def _enqueues(player: State) -> bool:
    return supports(player, MediaPlayerEntityFeature.MEDIA_ENQUEUE)


def now_playing(state: State) -> tuple[str | None, str | None]:
    """Return the title and artist a player is playing."""
    return state.attributes.get(ATTR_MEDIA_TITLE), state.attributes.get(
        ATTR_MEDIA_ARTIST
    )


def volume_of(state: State) -> float | None:
    """Return a player's volume level (0-1)."""
    level = state.attributes.get(ATTR_MEDIA_VOLUME_LEVEL)
    return None if level is None else float(level)


def available(state: State) -> bool:
    """Return whether a player can be used."""
    return state.state != STATE_UNAVAILABLE
