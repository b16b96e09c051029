"""Music sentences and finding music by name, tested without Home Assistant."""

from __future__ import annotations

import pytest

from custom_components.os1.moods import DEFAULT_MOODS, Mood, MoodBook
from custom_components.os1.music import (
    MediaItem,
    MediaKind,
    MusicAction,
    MusicCommand,
    MusicIndex,
    MusicQuery,
    choice_by_answer,
    join_labels,
    normalize,
    parse_music,
)
from custom_components.os1.nlu import NamedTarget, SentenceRecognizer

from .music_library import PLAYLISTS, songs

AREAS = [NamedTarget("kitchen", ("Kitchen",)), NamedTarget("bedroom", ("Bedroom",))]


@pytest.fixture(scope="module")
def recognizer() -> SentenceRecognizer:
    """Load OS1's English sentences once."""
    return SentenceRecognizer.load("en")


def library_items() -> list[MediaItem]:
    """Return the test library as media items."""
    tracks = songs()
    items = [
        MediaItem(MediaKind.TRACK, s.title, s.uri, "music", s.artist, s.album, s.genre)
        for s in tracks
    ]
    items += [
        MediaItem(MediaKind.ARTIST, artist, f"artist/{artist}", "artist")
        for artist in sorted({s.artist for s in tracks})
    ]
    items += [
        MediaItem(MediaKind.ALBUM, album, f"album/{album}", "album", artist)
        for artist, album in sorted({(s.artist, s.album) for s in tracks})
    ]
    items += [
        MediaItem(MediaKind.PLAYLIST, name, f"playlist/{name}", "playlist")
        for name in PLAYLISTS
    ]
    return items


@pytest.fixture(scope="module")
def index() -> MusicIndex:
    """Index the test library."""
    return MusicIndex.build(library_items())


def command(recognizer: SentenceRecognizer, text: str) -> MusicCommand | None:
    """Understand a sentence as a music command."""
    recognized = recognizer.recognize(text, AREAS, [])
    assert recognized is not None, text
    return parse_music(recognized.intent, recognized.slots)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("play Bright Eyes", MusicCommand(MusicAction.PLAY, MusicQuery("Bright Eyes"))),
        ("play some jazz", MusicCommand(MusicAction.PLAY, MusicQuery("jazz"))),
        (
            "play First Day of My Life by Bright Eyes",
            MusicCommand(
                MusicAction.PLAY,
                MusicQuery("First Day of My Life", MediaKind.TRACK, "Bright Eyes"),
            ),
        ),
        (
            "play the album Lifted",
            MusicCommand(MusicAction.PLAY, MusicQuery("Lifted", MediaKind.ALBUM)),
        ),
        (
            "put on my chill playlist",
            MusicCommand(MusicAction.PLAY, MusicQuery("chill", MediaKind.PLAYLIST)),
        ),
        (
            "play the song Lua",
            MusicCommand(MusicAction.PLAY, MusicQuery("Lua", MediaKind.TRACK)),
        ),
        (
            "play music by Bright Eyes",
            MusicCommand(MusicAction.PLAY, MusicQuery("Bright Eyes", MediaKind.ARTIST)),
        ),
        (
            "play Bright Eyes in the bedroom",
            MusicCommand(
                MusicAction.PLAY, MusicQuery("Bright Eyes"), area_id="bedroom"
            ),
        ),
        (
            "I'm sad, play something so I don't feel so alone",
            MusicCommand(MusicAction.MOOD, mood="sad"),
        ),
        (
            "play something so I don't feel alone",
            MusicCommand(MusicAction.MOOD, mood="lonely"),
        ),
        ("play something calm", MusicCommand(MusicAction.MOOD, mood="calm")),
        ("put on some party music", MusicCommand(MusicAction.MOOD, mood="party")),
        ("pause", MusicCommand(MusicAction.PAUSE)),
        ("pause the music", MusicCommand(MusicAction.PAUSE)),
        ("resume", MusicCommand(MusicAction.RESUME)),
        ("next song", MusicCommand(MusicAction.NEXT)),
        ("skip this track", MusicCommand(MusicAction.NEXT)),
        ("previous song", MusicCommand(MusicAction.PREVIOUS)),
        ("turn it up", MusicCommand(MusicAction.VOLUME_UP)),
        ("a bit quieter", MusicCommand(MusicAction.VOLUME_DOWN)),
        ("volume to 30 percent", MusicCommand(MusicAction.VOLUME_SET, volume=30)),
        ("set the volume to 45%", MusicCommand(MusicAction.VOLUME_SET, volume=45)),
        ("what's playing", MusicCommand(MusicAction.WHAT)),
        ("who sings this", MusicCommand(MusicAction.WHAT)),
        (
            "play it in the bedroom",
            MusicCommand(MusicAction.MOVE, area_id="bedroom"),
        ),
        (
            "stop the music everywhere",
            MusicCommand(MusicAction.STOP, everywhere=True),
        ),
    ],
)
def test_music_sentences(
    recognizer: SentenceRecognizer, text: str, expected: MusicCommand
) -> None:
    """Every family of music sentences, with natural variants."""
    assert command(recognizer, text) == expected


def test_lights_stay_lights(recognizer: SentenceRecognizer) -> None:
    """Light sentences are not taken for music."""
    for text in ("turn them down", "make it brighter", "turn on the kitchen lights"):
        recognized = recognizer.recognize(text, AREAS, [])
        assert recognized is not None
        assert parse_music(recognized.intent, recognized.slots) is None


@pytest.mark.parametrize(
    ("query", "label", "kind"),
    [
        (MusicQuery("bright eyes"), "Bright Eyes", MediaKind.ARTIST),
        (
            MusicQuery("first day of my life"),
            "First Day of My Life by Bright Eyes",
            MediaKind.TRACK,
        ),
        (  # Misheard.
            MusicQuery("first day of my wife"),
            "First Day of My Life by Bright Eyes",
            MediaKind.TRACK,
        ),
        (  # Partial.
            MusicQuery("first day"),
            "First Day of My Life by Bright Eyes",
            MediaKind.TRACK,
        ),
        (  # Written differently.
            MusicQuery("landlocked blues"),
            "Land Locked Blues by Bright Eyes",
            MediaKind.TRACK,
        ),
        (
            MusicQuery("lifted", MediaKind.ALBUM),
            (
                "Lifted or The Story Is in the Soil, Keep Your Ear to the Ground by "
                "Bright Eyes"
            ),
            MediaKind.ALBUM,
        ),
        (MusicQuery("chill"), "Chill", MediaKind.PLAYLIST),
        (MusicQuery("so what"), "So What by Miles Davis", MediaKind.TRACK),
        (
            MusicQuery("lua", artist="bright eyes"),
            "Lua by Bright Eyes",
            MediaKind.TRACK,
        ),
    ],
)
def test_finds_the_right_one_of_200_songs(
    index: MusicIndex, query: MusicQuery, label: str, kind: MediaKind
) -> None:
    """The right song among 200 by one artist, from partial or misheard names."""
    resolution = index.resolve(query)
    assert resolution.item is not None, index.search(query)
    assert (resolution.item.label, resolution.item.kind) == (label, kind)


def test_asks_when_two_match_equally() -> None:
    """Two songs of the same name by different artists: OS1 asks which."""
    index = MusicIndex.build(
        [
            MediaItem(MediaKind.TRACK, "Home", "1", "music", "Phoebe Bridgers"),
            MediaItem(MediaKind.TRACK, "Home", "2", "music", "Bright Eyes"),
            MediaItem(MediaKind.TRACK, "Homecoming", "3", "music", "Kanye West"),
        ]
    )
    resolution = index.resolve(MusicQuery("home"))
    assert resolution.ambiguous
    assert {item.artist for item in resolution.choices} == {
        "Phoebe Bridgers",
        "Bright Eyes",
    }
    assert join_labels(resolution.choices).count(", or ") == 1
    assert (
        choice_by_answer(resolution.choices, "the second one")
        == (resolution.choices[1])
    )
    assert choice_by_answer(resolution.choices, "the Bright Eyes one") is not None
    assert choice_by_answer(resolution.choices, "never mind the weather") is None


def test_unknown_and_empty(index: MusicIndex) -> None:
    """Nothing close enough is nothing; an empty library finds nothing."""
    assert index.resolve(MusicQuery("Mongolian throat singing")).item is None
    assert MusicIndex.build([]).resolve(MusicQuery("Bright Eyes")).item is None
    assert index.search(MusicQuery("  ")) == []


def test_tracks_by_artist_and_genre(index: MusicIndex) -> None:
    """Artists and genres expand to their tracks."""
    assert len(index.tracks_by("bright eyes")) >= 150
    assert {t.title for t in index.tracks_in("Jazz")} >= {"So What", "Don't Know Why"}
    assert len(index.of_kind(MediaKind.PLAYLIST)) == len(PLAYLISTS)


def test_normalize() -> None:
    """Case, accents, punctuation and a leading "the" don't matter."""
    assert normalize("The Frédéric Chopin & Co.") == "frederic chopin and co"


def test_moods_defaults_and_options() -> None:
    """Every mood has somewhere to look and words for the feeling; options change it."""
    assert set(DEFAULT_MOODS) == set(Mood)
    assert all(
        m.playlists and m.genres and m.acknowledgement for m in DEFAULT_MOODS.values()
    )
    book = MoodBook.from_options(
        {"sad": {"playlists": "Rainy Day, Comfort", "genres": ""}, "bogus": {}}
    )
    assert book[Mood.SAD].playlists == ("Rainy Day", "Comfort")
    assert book[Mood.SAD].genres == DEFAULT_MOODS[Mood.SAD].genres
