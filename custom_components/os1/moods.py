"""Moods and what to play for them, free of Home Assistant.

"I'm sad, play something so I don't feel so alone" names a feeling, not
music. Each mood lists playlists to look for by name, then genres, then a radio
seed for Music Assistant, and a few words that acknowledge the feeling. The
defaults can be changed in OS1's options.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Mood(StrEnum):
    """The feelings and moments OS1 knows music for."""

    SAD = "sad"
    LONELY = "lonely"
    HAPPY = "happy"
    CALM = "calm"
    FOCUS = "focus"
    PARTY = "party"
    SLEEP = "sleep"
    ROMANTIC = "romantic"
    ENERGY = "energy"


@dataclass(frozen=True, slots=True)
class MoodMusic:
    """Where to find music for a mood, in order of preference."""

    playlists: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    acknowledgement: str = ""


DEFAULT_MOODS: dict[Mood, MoodMusic] = {
    Mood.SAD: MoodMusic(
        ("comfort", "sad songs", "melancholy"),
        ("indie folk", "singer-songwriter", "acoustic"),
        "I'm sorry you're feeling down. Here's something gentle.",
    ),
    Mood.LONELY: MoodMusic(
        ("comfort", "company"),
        ("indie folk", "singer-songwriter", "soul"),
        "You're not alone. I'm right here, and so is this.",
    ),
    Mood.HAPPY: MoodMusic(
        ("happy", "feel good", "good vibes"),
        ("pop", "funk", "soul"),
        "Love that. Something bright, then.",
    ),
    Mood.CALM: MoodMusic(
        ("chill", "calm", "relax"),
        ("jazz", "ambient", "classical"),
        "Let's slow things down.",
    ),
    Mood.FOCUS: MoodMusic(
        ("focus", "deep focus", "study"),
        ("classical", "ambient", "lo-fi"),
        "Something to help you focus.",
    ),
    Mood.PARTY: MoodMusic(
        ("party", "party mix", "dance"),
        ("electronic", "dance", "disco", "pop"),
        "Let's get this party started.",
    ),
    Mood.SLEEP: MoodMusic(
        ("sleep", "bedtime"),
        ("ambient", "classical"),
        "Something soft to drift off to.",
    ),
    Mood.ROMANTIC: MoodMusic(
        ("romantic", "love songs", "date night"),
        ("soul", "jazz", "r&b"),
        "Setting the mood.",
    ),
    Mood.ENERGY: MoodMusic(
        ("workout", "energy", "power"),
        ("rock", "electronic", "hip hop"),
        "Let's go. Something with energy.",
    ),
}


@dataclass(slots=True)
class MoodBook:
    """The moods in use: the defaults with the user's changes."""

    moods: dict[Mood, MoodMusic] = field(default_factory=lambda: dict(DEFAULT_MOODS))

    @classmethod
    def from_options(cls, options: Mapping[str, Mapping[str, str]]) -> MoodBook:
        """Apply options: per mood, comma-separated playlists and genres."""
        book = cls()
        for name, changes in options.items():
            try:
                mood = Mood(name)
            except ValueError:
                continue
            current = book.moods[mood]
            book.moods[mood] = MoodMusic(
                _names(changes.get("playlists")) or current.playlists,
                _names(changes.get("genres")) or current.genres,
                current.acknowledgement,
            )
        return book

    def __getitem__(self, mood: Mood) -> MoodMusic:
        """Return the music for a mood."""
        return self.moods[mood]


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())
