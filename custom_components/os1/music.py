"""Finding music by name, free of Home Assistant.

`MusicIndex` holds what the home's players can reach (tracks, albums, artists,
playlists, genres) and finds the best match for a spoken name, forgiving
partial and misheard titles: candidates come from a trigram index, then the
best few are scored word by word. When two different items match equally well
the result is ambiguous and OS1 asks which one. Building the index is plain CPU
work: run it in an executor.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from enum import StrEnum
import re
from typing import Any
import unicodedata

CANDIDATES = 60
"""How many trigram candidates are scored in full."""
MIN_SCORE = 0.6
"""Below this a match is not taken."""
TIE = 0.03
"""Two matches closer than this are a tie: OS1 asks."""
VERSION_PENALTY = 0.05
_VERSION = re.compile(r"\b(live|demo|remaster(ed)?|acoustic|edit|version|remix)\b")


class MediaKind(StrEnum):
    """What a name can refer to."""

    TRACK = "track"
    ALBUM = "album"
    ARTIST = "artist"
    PLAYLIST = "playlist"
    GENRE = "genre"
    RADIO = "radio"


@dataclass(frozen=True, slots=True)
class MediaItem:
    """Something a player can play, and how to ask the player for it."""

    kind: MediaKind
    title: str
    content_id: str
    content_type: str
    artist: str | None = None
    album: str | None = None
    genre: str | None = None

    @property
    def label(self) -> str:
        """Return how OS1 says it: "First Day of My Life by Bright Eyes"."""
        if self.kind in (MediaKind.TRACK, MediaKind.ALBUM) and self.artist:
            return f"{self.title} by {self.artist}"
        return self.title


@dataclass(frozen=True, slots=True)
class MusicQuery:
    """What the user asked for."""

    text: str
    """The name as said ("first day of my life")."""
    kind: MediaKind | None = None
    """What the sentence says it is ("the album ..."), if it says."""
    artist: str | None = None
    """"... by Bright Eyes"."""


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate and how well it matches."""

    item: MediaItem
    score: float


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of a search: one item, a tie to ask about, or nothing."""

    item: MediaItem | None = None
    choices: tuple[MediaItem, ...] = ()

    @property
    def ambiguous(self) -> bool:
        """Return whether OS1 must ask which one."""
        return self.item is None and len(self.choices) > 1


def normalize(text: str) -> str:
    """Lowercase, strip accents and punctuation, and drop a leading "the"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def trigrams(text: str) -> set[str]:
    """Return the character trigrams of a normalized text, word edges included."""
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


# Kinds by how people usually mean a bare name: "play Bright Eyes" is the artist.
_KIND_ORDER = {
    MediaKind.ARTIST: 0.02,
    MediaKind.PLAYLIST: 0.015,
    MediaKind.ALBUM: 0.01,
    MediaKind.TRACK: 0.0,
    MediaKind.GENRE: 0.005,
    MediaKind.RADIO: 0.0,
}


@dataclass(slots=True)
class MusicIndex:
    """Everything playable, indexed for name lookups."""

    items: list[MediaItem] = field(default_factory=list)
    _names: list[str] = field(default_factory=list)
    _artists: list[str] = field(default_factory=list)
    _postings: dict[str, array[int]] = field(default_factory=dict)
    """Item positions by trigram, as compact arrays: a big library makes no
    garbage-collector work of hundreds of thousands of int objects."""

    @classmethod
    def build(cls, items: Iterable[MediaItem]) -> MusicIndex:
        """Index items (CPU work: call it in an executor for big libraries)."""
        index = cls()
        postings: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))
        seen: dict[tuple[MediaKind, str], int] = {}
        for item in items:
            key = (item.kind, item.content_id)
            if (position := seen.get(key)) is not None:
                # The same track under "Playlists" and under its artist: keep
                # what each place knows (the artist, the album, the genre).
                known = index.items[position]
                index.items[position] = replace(
                    known,
                    artist=known.artist or item.artist,
                    album=known.album or item.album,
                    genre=known.genre or item.genre,
                )
                index._artists[position] = normalize(index.items[position].artist or "")
                continue
            position = seen[key] = len(index.items)
            index.items.append(item)
            name = normalize(item.title)
            index._names.append(name)
            index._artists.append(normalize(item.artist or ""))
            for gram in trigrams(name):
                postings[gram].append(position)
        index._postings = dict(postings)
        return index

    def __len__(self) -> int:
        """Return how many items are indexed."""
        return len(self.items)

    def of_kind(self, kind: MediaKind) -> list[MediaItem]:
        """Return every item of a kind."""
        return [item for item in self.items if item.kind is kind]

    def tracks_by(self, artist: str) -> list[MediaItem]:
        """Return an artist's tracks."""
        wanted = normalize(artist)
        return [
            item
            for item, name in zip(self.items, self._artists, strict=True)
            if item.kind is MediaKind.TRACK and name == wanted
        ]

    def tracks_in(self, genre: str) -> list[MediaItem]:
        """Return the tracks of a genre."""
        wanted = normalize(genre)
        return [
            item
            for item in self.items
            if item.kind is MediaKind.TRACK and normalize(item.genre or "") == wanted
        ]

    def search(self, query: MusicQuery, limit: int = 5) -> list[Match]:
        """Return the best matches, best first."""
        wanted = normalize(query.text)
        if not wanted:
            return []
        artist = normalize(query.artist) if query.artist else None
        counts: defaultdict[int, int] = defaultdict(int)
        for gram in trigrams(wanted):
            for position in self._postings.get(gram, ()):
                counts[position] += 1
        if artist is not None:
            # "First Day of My Life by Bright Eyes": only that artist's tracks.
            artists = {self._artists[position] for position in counts}
            close = {name for name in artists if _similar(name, artist) >= 0.8}
            counts = defaultdict(
                int,
                {
                    position: count
                    for position, count in counts.items()
                    if self._artists[position] in close
                },
            )
        ranked = sorted(counts, key=counts.__getitem__, reverse=True)[:CANDIDATES]
        matches = []
        for position in ranked:
            item = self.items[position]
            if query.kind is not None and item.kind is not query.kind:
                continue
            name = self._names[position]
            score = _score(wanted, name)
            if _VERSION.search(name) and not _VERSION.search(wanted):
                score -= VERSION_PENALTY  # The studio take unless asked.
            if query.kind is None:
                score += _KIND_ORDER[item.kind]
            matches.append(Match(item, min(score, 1.0)))
        matches.sort(key=lambda match: match.score, reverse=True)
        return matches[:limit]

    def resolve(self, query: MusicQuery) -> Resolution:
        """Return the one item meant, the tie to ask about, or nothing."""
        matches = [m for m in self.search(query) if m.score >= MIN_SCORE]
        if not matches:
            return Resolution()
        best = matches[0]
        ties = [
            m.item
            for m in matches
            if best.score - m.score < TIE and m.item.label != best.item.label
        ]
        if ties and best.item.kind is MediaKind.TRACK:
            return Resolution(choices=(best.item, *ties[:2]))
        return Resolution(item=best.item)


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _score(wanted: str, name: str) -> float:
    """Score a name against what was said: whole and word by word.

    A partial title ("first day") scores high against the full one ("first
    day of my life") when its words are all there; a misheard word costs a
    little, not everything.
    """
    if wanted == name:
        return 1.0
    whole = _similar(wanted, name)
    said = wanted.split()
    words = name.split()
    found = sum(max((_similar(w, n) for n in words), default=0.0) for w in said)
    coverage = found / len(said)
    # A short query inside a long title: reward coverage, a little less the length.
    partial = coverage * (0.75 + 0.25 * min(len(said) / len(words), 1.0))
    return max(whole, partial)


def choice_by_answer(choices: Iterable[MediaItem], answer: str) -> MediaItem | None:
    """Pick among the offered choices from an answer: "the second one", a name."""
    options = list(choices)
    said = normalize(answer)
    ordinals = (
        (r"\b(first|1st)\b", 0),
        (r"\b(second|2nd|other)\b", 1),
        (r"\b(third|3rd)\b", 2),
        (r"\blast\b", len(options) - 1),
    )
    for pattern, position in ordinals:
        if re.search(pattern, said) and 0 <= position < len(options):
            return options[position]
    scored = sorted(
        ((_score(said, normalize(item.label)), item) for item in options),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if scored and scored[0][0] >= MIN_SCORE:
        return scored[0][1]
    return None


class MusicAction(StrEnum):
    """What a music sentence asks for."""

    PLAY = "play"
    MOOD = "mood"
    PAUSE = "pause"
    RESUME = "resume"
    NEXT = "next"
    PREVIOUS = "previous"
    STOP = "stop"
    VOLUME_UP = "volume_up"
    VOLUME_DOWN = "volume_down"
    VOLUME_SET = "volume_set"
    WHAT = "what"
    MOVE = "move"
    BRING = "bring"
    """Bring the user's music (or a room's: `area_id`) to the room they are in."""


@dataclass(frozen=True, slots=True)
class MusicCommand:
    """A music sentence, understood."""

    action: MusicAction
    query: MusicQuery | None = None
    mood: str | None = None
    volume: int | None = None
    area_id: str | None = None
    """The room the sentence names, if any ("in the bedroom")."""
    everywhere: bool = False


def parse_music(intent: str, slots: Mapping[str, Any]) -> MusicCommand | None:
    """Turn a recognized music sentence into a command."""
    area = slots.get("area")
    area_id = str(area) if area else None
    everywhere = slots.get("scope") == "all"
    if intent == "OS1MusicPlay":
        kind = MediaKind(str(slots["kind"])) if "kind" in slots else None
        artist = str(slots["artist"]) if "artist" in slots else None
        text = str(slots.get("query") or "")
        if not text and artist:  # "play music by Bright Eyes"
            text, artist, kind = artist, None, MediaKind.ARTIST
        query = MusicQuery(text.strip(), kind, artist)
        return MusicCommand(MusicAction.PLAY, query=query, area_id=area_id)
    if intent == "OS1MusicMood":
        return MusicCommand(MusicAction.MOOD, mood=str(slots["mood"]), area_id=area_id)
    if intent == "OS1MusicControl":
        action = MusicAction(str(slots["action"]))
        return MusicCommand(action, area_id=area_id, everywhere=everywhere)
    if intent == "OS1MusicVolume":
        if "volume_value" in slots:
            volume = int(float(str(slots["volume_value"])))
            return MusicCommand(MusicAction.VOLUME_SET, volume=volume)
        up = slots.get("direction") == "up"
        return MusicCommand(MusicAction.VOLUME_UP if up else MusicAction.VOLUME_DOWN)
    if intent == "OS1MusicWhat":
        return MusicCommand(MusicAction.WHAT, area_id=area_id)
    if intent == "OS1MusicMove":
        return MusicCommand(MusicAction.MOVE, area_id=area_id)
    if intent == "OS1MusicBring":
        return MusicCommand(MusicAction.BRING, area_id=area_id)
    return None


def join_labels(items: Iterable[MediaItem]) -> str:
    """Return "A, B, or C" for a question."""
    labels = [item.label for item in items]
    if len(labels) <= 2:
        return ", or ".join(labels)
    return ", ".join(labels[:-1]) + ", or " + labels[-1]
