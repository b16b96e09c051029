"""Recognize OS1's own sentences with hassil templates.

This module has no Home Assistant imports: it turns text plus the names the home
knows (areas, lights) into a recognized intent with typed slots.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
import re
from typing import Any

from hassil.intents import Intents, SlotList, TextSlotList
from hassil.recognize import recognize_all
import yaml

SENTENCES_DIR = Path(__file__).parent / "sentences"

# A room named after a preposition that is not one of the home's areas:
# "turn on the lights in the garage" when there is no garage.
_UNKNOWN_ROOM = re.compile(
    r"\b(?:lights?|lamps?|lighting)\b.*?\b(?:in|of|for)\s+(?:the\s+)?"
    r"(?P<room>[\w' -]+?)\s*(?:too|as well|please)?[.!?]*$",
    re.IGNORECASE,
)
CACHE_SIZE = 128
"""Recognitions kept, as many as Home Assistant's default agent keeps."""

REMINDER_PREFIX = "OS1Remind"
TIME_ANSWER = "OS1ReminderTime"
"""A bare time phrase: only an answer when OS1 asked "when?"."""

# Reminder sentences are matched only when they can be one: a word of theirs
# is said. Their time phrases are many, and most sentences are about lights.
_REMINDER_WORDS = re.compile(
    r"\b(?:remind\w*|snooze\w*|done|dismiss\w*|got it|did it|on it|later|not now)\b",
    re.IGNORECASE,
)

type _CacheKey = tuple[str, tuple[NamedTarget, ...], tuple[NamedTarget, ...], bool]

_NOT_A_ROOM = {"here", "this room", "house", "home", "whole house", "every room"}


LANGUAGES: list[str] = sorted(path.stem for path in SENTENCES_DIR.glob("*.yaml"))
"""The languages OS1 has sentences for (read once, when the module is imported)."""


@dataclass(frozen=True, slots=True)
class NamedTarget:
    """Something the user can name: an area or a light."""

    target_id: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recognized:
    """An intent OS1 recognized, with its slot values."""

    intent: str
    slots: Mapping[str, Any] = field(default_factory=dict)

    def text(self, slot: str) -> str | None:
        """Return a slot's value as text, if present."""
        value = self.slots.get(slot)
        return None if value is None else str(value)

    def number(self, slot: str) -> int | None:
        """Return a slot's value as a whole number, if present."""
        value = self.slots.get(slot)
        return None if value is None else int(value)


class SentenceRecognizer:
    """OS1's sentence templates for one language."""

    def __init__(self, data: dict[str, Any], cache_size: int = CACHE_SIZE) -> None:
        """Compile the templates."""
        self.language: str = data["language"]
        self._intents = Intents.from_dict(data)
        every = data["intents"]
        self._core = _subset(
            data, {k: v for k, v in every.items() if not k.startswith(REMINDER_PREFIX)}
        )
        self._reminders = _subset(
            data,
            {
                k: v
                for k, v in every.items()
                if k.startswith(REMINDER_PREFIX) and k != TIME_ANSWER
            },
        )
        self._time = _subset(data, {k: v for k, v in every.items() if k == TIME_ANSWER})
        self._cache: OrderedDict[_CacheKey, Recognized | None] = OrderedDict()
        self._cache_size = cache_size

    @property
    def intents(self) -> Intents:
        """Return OS1's sentence templates."""
        return self._intents

    @classmethod
    def load(cls, language: str) -> SentenceRecognizer:
        """Load a language's templates from disk (blocking)."""
        path = SENTENCES_DIR / f"{language}.yaml"
        if not path.is_file():
            raise ValueError(f"OS1 has no sentences for language {language!r}")
        with path.open(encoding="utf-8") as file:
            data = yaml.safe_load(file)
        return cls(data)

    def recognize(
        self,
        text: str,
        areas: Iterable[NamedTarget] = (),
        lights: Iterable[NamedTarget] = (),
        *,
        expecting_time: bool = False,
    ) -> Recognized | None:
        """Recognize text against OS1's templates and the home's names.

        `expecting_time`: OS1 asked when to remind, so a bare time phrase
        ("tomorrow at 9") is an answer.

        When a sentence reads both as a room ("the kitchen lights") and as a
        light's own name, the room wins: it is what people mean by it.
        Results are cached per text and set of names, as Home Assistant's own
        agent caches its recognitions: people repeat the same few commands.
        """
        key = (text, tuple(areas), tuple(lights), expecting_time)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        recognized = self._recognize(text, key[1], key[2], expecting_time)
        self._cache[key] = recognized
        self._trim_cache()
        return recognized

    @property
    def cache_size(self) -> int:
        """Return how many recognitions are kept."""
        return self._cache_size

    @cache_size.setter
    def cache_size(self, size: int) -> None:
        """Change how many recognitions are kept (0 turns the cache off)."""
        self._cache_size = size
        self._trim_cache()

    def _trim_cache(self) -> None:
        """Drop the least recently used recognitions beyond the cache size."""
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _recognize(
        self,
        text: str,
        areas: tuple[NamedTarget, ...],
        lights: tuple[NamedTarget, ...],
        expecting_time: bool,
    ) -> Recognized | None:
        """Match text against the templates."""
        slot_lists: dict[str, SlotList] = {
            "area": _slot_list(areas),
            "name": _slot_list(lights),
        }
        groups = [self._core]
        if _REMINDER_WORDS.search(text):
            groups.append(self._reminders)
        if expecting_time:
            groups.append(self._time)
        best: tuple[int, int, Recognized] | None = None
        for result in (
            result
            for intents in groups
            for result in recognize_all(
                text, intents, slot_lists=slot_lists, language=self.language
            )
        ):
            recognized = Recognized(
                intent=result.intent.name,
                slots={name: ent.value for name, ent in result.entities.items()},
            )
            # The most specific reading wins: a room over a light's own name,
            # and the fewest words taken by wildcards ("play the album X" is an
            # album, not a song called "the album X").
            rank = (
                int("name" in recognized.slots),
                sum(
                    len(str(ent.value))
                    for ent in result.entities.values()
                    if ent.is_wildcard
                ),
            )
            if rank == (0, 0):
                return recognized  # Nothing reads more specifically.
            if best is None or rank < best[:2]:
                best = (*rank, recognized)
        return best[2] if best else None

    @staticmethod
    def unknown_room(text: str) -> str | None:
        """Return the room a lights sentence names, when it is not recognized."""
        if (match := _UNKNOWN_ROOM.search(text.strip())) is None:
            return None
        room = match.group("room").strip()
        if not room or room.lower() in _NOT_A_ROOM:
            return None
        return room


def _subset(data: dict[str, Any], intents: dict[str, Any]) -> Intents:
    """Compile some of the intents, with every list and rule."""
    return Intents.from_dict({**data, "intents": intents})


def _slot_list(targets: Iterable[NamedTarget]) -> TextSlotList:
    """Build a hassil list mapping every name of a target to its id."""
    return TextSlotList.from_tuples(
        [(name, target.target_id) for target in targets for name in target.names],
        allow_template=False,
    )
