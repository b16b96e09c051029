"""Music on real Home Assistant: the room's speaker, its library, Music Assistant."""

from __future__ import annotations

import time
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant, ServiceCall, SupportsResponse
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from .conftest import Talk, is_error, speech
from .library_player import LibraryPlayer
from .music_library import songs
from .speakers import Speakers, add_platform, device_in


@pytest.fixture
def kitchen(
    hass: HomeAssistant,
    talk: Talk,
    os1: MockConfigEntry,
    demo_home: dict[str, str],
    speakers: Speakers,
) -> Talk:
    """Talk to OS1 from the kitchen."""
    talk.device_id = device_in(hass, os1, demo_home["Kitchen"])
    return talk


def title_of(player: LibraryPlayer) -> tuple[str | None, str | None]:
    """Return what a player plays."""
    return player.media_title, player.media_artist


async def test_play_an_artist_in_the_room(kitchen: Talk, speakers: Speakers) -> None:
    """Saying "play Bright Eyes" in the kitchen plays it on the kitchen speaker."""
    result = await kitchen("play Bright Eyes")
    assert speech(result) == "Playing Bright Eyes in the kitchen."
    assert speakers.kitchen.media_artist == "Bright Eyes"
    first, *queued = speakers.kitchen.played
    assert first[1] == "replace"
    assert len(queued) == 24
    assert {enqueue for _, enqueue in queued} == {"add"}
    assert not speakers.bedroom.played


async def test_play_a_song_by_title(kitchen: Talk, speakers: Speakers) -> None:
    """The right one of 200 Bright Eyes songs, by its title or a misheard one."""
    await kitchen("play First Day of My Life by Bright Eyes")
    assert title_of(speakers.kitchen) == ("First Day of My Life", "Bright Eyes")
    await kitchen("play the song Landlocked Blues")
    assert title_of(speakers.kitchen) == ("Land Locked Blues", "Bright Eyes")
    result = await kitchen("play bowl of orange")
    assert speech(result) == "Playing Bowl of Oranges by Bright Eyes in the kitchen."


async def test_album_playlist_genre(kitchen: Talk, speakers: Speakers) -> None:
    """Albums, playlists and genres by name."""
    result = await kitchen("play the album Lifted")
    assert speech(result).startswith("Playing the album Lifted or The Story")
    assert speakers.kitchen.media_content_id.startswith("album/Lifted")
    result = await kitchen("play my chill playlist")
    assert speech(result) == "Playing the playlist Chill in the kitchen."
    assert speakers.kitchen.media_content_id == "playlist/Chill"
    result = await kitchen("play some jazz")
    assert speech(result) == "Playing some jazz in the kitchen."
    assert speakers.kitchen.media_artist in ("Miles Davis", "Norah Jones")


async def test_mood(kitchen: Talk, speakers: Speakers) -> None:
    """A feeling becomes music, and OS1 acknowledges it."""
    result = await kitchen("I'm sad, play something so I don't feel so alone")
    assert speech(result).startswith("I'm sorry you're feeling down.")
    assert speakers.kitchen.media_content_id == "playlist/Comfort"
    result = await kitchen("play something to fall asleep to")
    assert speakers.kitchen.media_content_id == "playlist/Sleep"
    assert "drift off" in speech(result)


async def test_which_one(kitchen: Talk, speakers: Speakers) -> None:
    """Two songs called "Home": OS1 asks, and plays the one chosen."""
    result = await kitchen("play Home")
    assert speech(result) == (
        "Which one: Home by Phoebe Bridgers, or Home by Edward Sharpe?"
    )
    assert result.continue_conversation
    assert not speakers.kitchen.played
    result = await kitchen("the one by Edward Sharpe")
    assert speech(result) == "Playing Home by Edward Sharpe."
    assert title_of(speakers.kitchen) == ("Home", "Edward Sharpe")


async def test_controls(kitchen: Talk, speakers: Speakers) -> None:
    """Pause, resume, skip, volume and "what's playing" act on the room's music."""
    await kitchen("play Lua")
    player = speakers.kitchen
    assert speech(await kitchen("what's playing")) == "This is Lua by Bright Eyes."
    assert speech(await kitchen("pause")) == "Paused."
    assert player.state == "paused"
    assert speech(await kitchen("resume")) == "Resuming."
    assert player.state == "playing"
    await kitchen("next song")
    await kitchen("previous song")
    assert player.played[-2:] == [("next", None), ("previous", None)]
    await kitchen("turn it up")
    assert player.volume_level == pytest.approx(0.6)
    await kitchen("a bit quieter")
    assert player.volume_level == pytest.approx(0.5)
    assert speech(await kitchen("volume to 30 percent")) == "Volume 30 percent."
    assert player.volume_level == pytest.approx(0.3)


async def test_move_and_stop_everywhere(
    kitchen: Talk, speakers: Speakers, hass: HomeAssistant
) -> None:
    """Saying "play it in the bedroom" moves the music; then stop it everywhere."""
    await kitchen("play First Day of My Life")
    result = await kitchen("play it in the bedroom")
    assert speech(result) == "Moving the music to the bedroom."
    assert title_of(speakers.bedroom) == ("First Day of My Life", "Bright Eyes")
    assert speakers.kitchen.state == "paused"
    result = await kitchen("stop the music everywhere")
    assert speech(result) == "Stopped the music everywhere."
    assert {p.state for p in speakers.all() if p.available} == {"idle"}


async def test_nothing_to_find_or_play(
    hass: HomeAssistant,
    talk: Talk,
    os1: MockConfigEntry,
    demo_home: dict[str, str],
    speakers: Speakers,
) -> None:
    """Unknown artists, empty libraries, unavailable and missing speakers."""
    talk.device_id = device_in(hass, os1, demo_home["Kitchen"])
    result = await talk("play Mongolian throat singing")
    assert is_error(result)
    assert speech(result) == ("I couldn't find Mongolian throat singing in your music.")
    result = await talk("play Bright Eyes in the living room")
    assert speech(result) == "I couldn't find Bright Eyes in your music."
    result = await talk("play Bright Eyes in the office")
    assert speech(result) == "The office speaker isn't available right now."
    area = ar.async_get(hass).async_create("Garage")
    result = await talk(f"play Bright Eyes in the {area.name}")
    assert speech(result) == "There's no speaker in the garage."
    talk.device_id = None
    result = await talk("play Bright Eyes")
    assert speech(result).startswith("Which room should I play it in?")
    assert speech(await talk("what's playing")) == "Nothing's playing right now."
    assert is_error(await talk("pause"))


async def test_library_is_indexed_once(kitchen: Talk, speakers: Speakers) -> None:
    """The library is browsed once, then requests use OS1's index."""
    await kitchen("play Lua")
    browsed = speakers.kitchen.browsed
    assert browsed > 10
    await kitchen("play Kyoto")
    assert speakers.kitchen.browsed == browsed
    assert title_of(speakers.kitchen) == ("Kyoto", "Phoebe Bridgers")


MA_PLAY_SCHEMA = vol.Schema(
    {
        vol.Required("entity_id"): vol.Any(str, [str]),
        vol.Required("media_id"): vol.Any(str, [str]),
        vol.Optional("media_type"): vol.In(
            ["artist", "album", "track", "playlist", "radio", "genre", "folder"]
        ),
        vol.Optional("artist"): str,
        vol.Optional("album"): str,
        vol.Optional("enqueue"): vol.In(
            ["play", "next", "add", "replace", "replace_next"]
        ),
        vol.Optional("radio_mode"): bool,
    }
)
MA_SEARCH_SCHEMA = vol.Schema(
    {
        vol.Required("config_entry_id"): str,
        vol.Required("name"): str,
        vol.Optional("media_type"): [
            vol.In(["artist", "album", "track", "playlist", "radio"])
        ],
        vol.Optional("artist"): str,
        vol.Optional("album"): str,
        vol.Optional("limit"): int,
        vol.Optional("library_only"): bool,
    }
)


async def test_music_assistant(
    hass: HomeAssistant,
    talk: Talk,
    os1: MockConfigEntry,
    demo_home: dict[str, str],
    flows: None,
) -> None:
    """With Music Assistant, OS1 searches and plays through its services."""
    player = LibraryPlayer("MA kitchen")
    entry = await add_platform(hass, "music_assistant", [player])
    registry = er.async_get(hass)
    entity_id = registry.async_get_entity_id(
        "media_player", "music_assistant", "ma_kitchen"
    )
    assert entity_id is not None
    registry.async_update_entity(entity_id, area_id=demo_home["Kitchen"])
    calls: list[tuple[str, dict[str, Any]]] = []
    library = songs()

    async def search(call: ServiceCall) -> dict[str, Any]:
        calls.append(("search", dict(call.data)))
        wanted = call.data["name"].lower()
        return {
            "artists": [
                {
                    "media_type": "artist",
                    "name": "Bright Eyes",
                    "uri": "library://artist/1",
                }
            ]
            if "bright" in wanted
            else [],
            "tracks": [
                {
                    "media_type": "track",
                    "name": s.title,
                    "uri": f"library://track/{n}",
                    "artists": [{"name": s.artist}],
                    "album": {"name": s.album},
                }
                for n, s in enumerate(library)
                if wanted.split()[0] in s.title.lower()
            ][:10],
            "playlists": [
                {
                    "media_type": "playlist",
                    "name": "Comfort",
                    "uri": "library://playlist/7",
                }
            ]
            if wanted == "comfort"
            else [],
        }

    async def play_media(call: ServiceCall) -> None:
        calls.append(("play_media", dict(call.data)))

    hass.services.async_register(
        "music_assistant",
        "search",
        search,
        schema=MA_SEARCH_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        "music_assistant", "play_media", play_media, schema=MA_PLAY_SCHEMA
    )
    talk.device_id = device_in(hass, os1, demo_home["Kitchen"])

    result = await talk("play First Day of My Life")
    assert (
        speech(result) == "Playing First Day of My Life by Bright Eyes in the kitchen."
    )
    search_call, play_call = calls
    assert search_call == (
        "search",
        {
            "config_entry_id": entry.entry_id,
            "name": "First Day of My Life",
            "limit": 10,
        },
    )
    assert play_call[1]["entity_id"] == entity_id
    assert play_call[1]["media_type"] == "track"
    assert play_call[1]["media_id"].startswith("library://track/")

    calls.clear()
    await talk("play Bright Eyes")
    assert calls[-1][1]["media_id"] == "library://artist/1"
    assert calls[-1][1]["media_type"] == "artist"

    calls.clear()
    result = await talk("play some party music")
    assert calls[-1] == (
        "play_media",
        {
            "entity_id": entity_id,
            "media_id": "electronic",
            "media_type": "genre",
            "radio_mode": True,
        },
    )
    assert speech(result).startswith("Let's get this party started.")

    calls.clear()
    result = await talk("I'm lonely")
    assert calls[-1][1]["media_id"] == "library://playlist/7"
    assert calls[-1][1]["media_type"] == "playlist"


async def test_room_speaker_chosen_in_options(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    demo_home: dict[str, str],
    speakers: Speakers,
) -> None:
    """A speaker chosen for the kitchen in the options plays the kitchen's music."""
    bedroom_speaker = er.async_get(hass).async_get_entity_id(
        "media_player", "library", "bedroom_speaker"
    )
    hass.config_entries.async_update_entry(
        os1,
        options={
            **os1.options,
            "speakers": {demo_home["Kitchen"]: bedroom_speaker},
            "moods": {"party": {"playlists": "No such playlist"}},
        },
    )
    await hass.async_block_till_done()
    talk = Talk(hass, agent_id_of(hass, os1))
    talk.device_id = device_in(hass, os1, demo_home["Kitchen"])
    await talk("play Kyoto")
    assert title_of(speakers.bedroom) == ("Kyoto", "Phoebe Bridgers")
    assert not speakers.kitchen.played
    # No party playlist by that name: the mood's genres, electronic first.
    result = await talk("put on some party music")
    assert speakers.bedroom.media_artist == "Daft Punk"
    assert "Daft Punk" in speech(result)


def agent_id_of(hass: HomeAssistant, os1: MockConfigEntry) -> str:
    """Return OS1's agent after a reload."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "conversation", "os1", os1.entry_id
    )
    assert entity_id is not None
    return entity_id


async def test_failing_player_and_nothing_playing(
    kitchen: Talk, speakers: Speakers
) -> None:
    """A player that fails gets a short answer; stopping nothing says so."""
    await kitchen("stop the music everywhere")  # The demo's players play at start.
    assert speech(await kitchen("stop the music everywhere")) == "Nothing's playing."

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise HomeAssistantError("the speaker is on fire")

    speakers.kitchen.async_play_media = broken  # type: ignore[method-assign]
    result = await kitchen("play Lua")
    assert is_error(result)
    assert speech(result) == "Sorry, I couldn't do that right now."


async def test_index_is_refreshed_in_the_background(
    kitchen: Talk, speakers: Speakers, hass: HomeAssistant
) -> None:
    """After six hours the library is indexed again, without making anyone wait."""
    await kitchen("play Lua")
    browsed = speakers.kitchen.browsed
    later = time.monotonic() + 7 * 3600
    with patch("custom_components.os1.media.time.monotonic", return_value=later):
        result = await kitchen("play Kyoto")
        assert speech(result) == "Playing Kyoto by Phoebe Bridgers in the kitchen."
        await hass.async_block_till_done(wait_background_tasks=True)
    assert speakers.kitchen.browsed >= 2 * browsed


async def test_a_satellites_own_speaker_comes_last(
    hass: HomeAssistant,
    talk: Talk,
    os1: MockConfigEntry,
    demo_home: dict[str, str],
    speakers: Speakers,
) -> None:
    """In a room with a satellite's speaker and another one, music takes the other."""
    registry = er.async_get(hass)
    satellite = dr.async_get(hass).async_get_or_create(
        config_entry_id=os1.entry_id, identifiers={("test", "sat")}, name="Satellite"
    )
    registry.async_get_or_create(
        "assist_satellite", "test", "sat", device_id=satellite.id
    )
    bedroom_speaker = registry.async_get_entity_id(
        "media_player", "library", "bedroom_speaker"
    )
    kitchen_speaker = registry.async_get_entity_id(
        "media_player", "library", "kitchen_speaker"
    )
    assert bedroom_speaker and kitchen_speaker
    registry.async_update_entity(bedroom_speaker, device_id=satellite.id)
    registry.async_update_entity(kitchen_speaker, area_id=demo_home["Bedroom"])

    await talk("play Lua in the bedroom")

    assert title_of(speakers.kitchen) == ("Lua", "Bright Eyes")
    assert not speakers.bedroom.played
