"""A media player with a music library, for the music tests.

It browses like a music server (Artists > albums > tracks, Albums, Playlists,
Genres), plays what it is given and remembers it, queues with enqueue, and
reports what it plays in its state, as real players do.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.media_player import (
    BrowseMedia,
    MediaClass,
    MediaPlayerEntity,
    MediaPlayerEntityFeature,
    MediaPlayerState,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .music_library import PLAYLISTS, Song, songs

FEATURES = (
    MediaPlayerEntityFeature.PLAY_MEDIA
    | MediaPlayerEntityFeature.BROWSE_MEDIA
    | MediaPlayerEntityFeature.MEDIA_ENQUEUE
    | MediaPlayerEntityFeature.PAUSE
    | MediaPlayerEntityFeature.PLAY
    | MediaPlayerEntityFeature.STOP
    | MediaPlayerEntityFeature.NEXT_TRACK
    | MediaPlayerEntityFeature.PREVIOUS_TRACK
    | MediaPlayerEntityFeature.VOLUME_SET
    | MediaPlayerEntityFeature.VOLUME_STEP
    | MediaPlayerEntityFeature.SEEK
)


def _node(
    title: str, media_class: str, content_id: str, *, play: bool, expand: bool
) -> BrowseMedia:
    return BrowseMedia(
        title=title,
        media_class=media_class,
        media_content_id=content_id,
        media_content_type=media_class,
        can_play=play,
        can_expand=expand,
        children=[],
    )


class LibraryPlayer(MediaPlayerEntity):
    """A speaker in a room with a music library behind it."""

    _attr_supported_features = FEATURES

    def __init__(self, name: str, library: list[Song] | None = None) -> None:
        """Name the speaker and give it its library (the test library by default)."""
        self._attr_name = name
        self._attr_unique_id = name.lower().replace(" ", "_")
        self.library = songs() if library is None else library
        self.by_uri = {song.uri: song for song in self.library}
        self.played: list[tuple[str, str | None]] = []
        """(content id, enqueue) of every play_media call."""
        self.browsed = 0
        self._attr_state = MediaPlayerState.IDLE
        self._attr_volume_level = 0.5

    # The library, as a music server shows it.

    async def async_browse_media(
        self, media_content_type: str | None = None, media_content_id: str | None = None
    ) -> BrowseMedia:
        """Browse one level."""
        self.browsed += 1
        node_id = media_content_id or "root"
        kind, _, name = node_id.partition("/")
        root = _node(
            self.name or "", MediaClass.DIRECTORY, node_id, play=False, expand=True
        )
        assert root.children is not None
        if kind == "root":
            root.children = [
                _node(
                    title,
                    MediaClass.DIRECTORY,
                    f"{title.lower()}/",
                    play=False,
                    expand=True,
                )
                for title in ("Artists", "Playlists", "Genres")
            ]
        elif kind == "artists":
            root.children = [
                _node(a, MediaClass.ARTIST, f"artist/{a}", play=True, expand=True)
                for a in sorted({s.artist for s in self.library})
            ]
        elif kind == "artist":
            root.children = [
                _node(al, MediaClass.ALBUM, f"album/{al}", play=True, expand=True)
                for al in sorted({s.album for s in self.library if s.artist == name})
            ]
        elif kind == "album":
            root.children = [self._track(s) for s in self.library if s.album == name]
        elif kind == "playlists":
            root.children = [
                _node(p, MediaClass.PLAYLIST, f"playlist/{p}", play=True, expand=True)
                for p in PLAYLISTS
                if self.library
            ]
        elif kind == "playlist":
            root.children = [self._track(s) for s in self._playlist(name)]
        elif kind == "genres":
            root.children = [
                _node(g, MediaClass.GENRE, f"genre/{g}", play=False, expand=True)
                for g in sorted({s.genre for s in self.library})
            ]
        elif kind == "genre":
            root.children = [self._track(s) for s in self.library if s.genre == name]
        return root

    def _track(self, song: Song) -> BrowseMedia:
        return _node(song.title, MediaClass.TRACK, song.uri, play=True, expand=False)

    def _playlist(self, name: str) -> list[Song]:
        titles = PLAYLISTS.get(name, [])
        return [s for t in titles for s in self.library if s.title == t][: len(titles)]

    # Playing.

    async def async_play_media(
        self, media_type: str, media_id: str, **kwargs: Any
    ) -> None:
        """Play (or queue) something from the library."""
        kind, _, name = media_id.partition("/")
        if media_id not in self.by_uri and kind not in ("artist", "album", "playlist"):
            raise HomeAssistantError(f"{media_id} is not in the library")
        enqueue = kwargs.get("enqueue")
        self.played.append((media_id, str(enqueue) if enqueue else None))
        if enqueue == "add":
            return
        song = self.by_uri.get(media_id)
        if song is None:
            tracks = {
                "artist": [s for s in self.library if s.artist == name],
                "album": [s for s in self.library if s.album == name],
                "playlist": self._playlist(name),
            }[kind]
            song = tracks[0]
        self._attr_state = MediaPlayerState.PLAYING
        self._attr_media_title = song.title
        self._attr_media_artist = song.artist
        self._attr_media_content_id = media_id
        self._attr_media_content_type = media_type
        self._attr_media_position = 0
        self._attr_media_position_updated_at = dt_util.utcnow()
        self.async_write_ha_state()

    async def async_media_pause(self) -> None:
        """Pause."""
        self._attr_state = MediaPlayerState.PAUSED
        self.async_write_ha_state()

    async def async_media_play(self) -> None:
        """Resume."""
        self._attr_state = MediaPlayerState.PLAYING
        self.async_write_ha_state()

    async def async_media_stop(self) -> None:
        """Stop."""
        self._attr_state = MediaPlayerState.IDLE
        self.async_write_ha_state()

    async def async_media_next_track(self) -> None:
        """Skip (the test only checks that it was asked)."""
        self.played.append(("next", None))

    async def async_media_previous_track(self) -> None:
        """Go back."""
        self.played.append(("previous", None))

    async def async_set_volume_level(self, volume: float) -> None:
        """Set the volume."""
        self._attr_volume_level = volume
        self.async_write_ha_state()

    async def async_media_seek(self, position: float) -> None:
        """Seek."""
        self._attr_media_position = position
        self._attr_media_position_updated_at = dt_util.utcnow()
        self.async_write_ha_state()
