"""Reminders and their schedule, free of Home Assistant.

A `ReminderBook` keeps every reminder, knows which one falls due next (a heap,
so the integration sets one timer for the earliest, never polls), snoozes,
completes (a repeating reminder moves to its next time) and cancels them, and
turns itself into plain data for Home Assistant's `Store` and back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
import heapq
import re
from typing import Any
import uuid

from .music import normalize
from .when import Repeat, When, next_occurrence

STORAGE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder: what, when, for whom, and where it was asked for."""

    id: str
    text: str
    due: datetime
    created: datetime
    repeat: Repeat | None = None
    weekday: int | None = None
    person: str | None = None
    """Whose reminder it is (a person entity), when known."""
    origin: str | None = None
    """The satellite that took it: where to say it until presence knows better."""
    area: str | None = None
    """The area it was asked for in."""
    snoozes: int = 0
    done: bool = False
    delivered: datetime | None = None
    """When it was last said; a said reminder waits to be acknowledged."""

    @property
    def pending(self) -> bool:
        """Return True while the reminder is still to be said."""
        return not self.done and self.delivered is None

    def as_data(self) -> dict[str, Any]:
        """Return the reminder as JSON-ready data."""
        return {
            "id": self.id,
            "text": self.text,
            "due": self.due.isoformat(),
            "created": self.created.isoformat(),
            "repeat": self.repeat,
            "weekday": self.weekday,
            "person": self.person,
            "origin": self.origin,
            "area": self.area,
            "snoozes": self.snoozes,
            "done": self.done,
            "delivered": self.delivered.isoformat() if self.delivered else None,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Reminder:
        """Read a stored reminder, raising ValueError if it is damaged."""
        try:
            return cls(
                id=str(data["id"]),
                text=str(data["text"]),
                due=datetime.fromisoformat(data["due"]),
                created=datetime.fromisoformat(data["created"]),
                repeat=Repeat(data["repeat"]) if data.get("repeat") else None,
                weekday=data.get("weekday"),
                person=data.get("person"),
                origin=data.get("origin"),
                area=data.get("area"),
                snoozes=int(data.get("snoozes", 0)),
                done=bool(data.get("done", False)),
                delivered=(
                    datetime.fromisoformat(data["delivered"])
                    if data.get("delivered")
                    else None
                ),
            )
        except (KeyError, TypeError) as err:
            raise ValueError(f"damaged reminder {data!r}: {err}") from err


@dataclass(slots=True)
class ReminderBook:
    """Every reminder, with the next one due at hand."""

    reminders: dict[str, Reminder] = field(default_factory=dict)
    damaged: list[Any] = field(default_factory=list)
    """Stored entries that could not be read, kept as they were."""
    _heap: list[tuple[datetime, str]] = field(default_factory=list)

    def __len__(self) -> int:
        """Return how many reminders are kept, done ones included."""
        return len(self.reminders)

    def __iter__(self) -> Iterator[Reminder]:
        """Iterate the reminders, soonest first."""
        return iter(sorted(self.reminders.values(), key=lambda r: r.due))

    def add(
        self,
        text: str,
        when: When,
        now: datetime,
        *,
        person: str | None = None,
        origin: str | None = None,
        area: str | None = None,
    ) -> Reminder:
        """Add a reminder."""
        reminder = Reminder(
            id=uuid.uuid4().hex,
            text=text.strip(),
            due=when.due,
            created=now,
            repeat=when.repeat,
            weekday=when.weekday,
            person=person,
            origin=origin,
            area=area,
        )
        self._put(reminder)
        return reminder

    def _put(self, reminder: Reminder) -> None:
        self.reminders[reminder.id] = reminder
        if reminder.pending:
            heapq.heappush(self._heap, (reminder.due, reminder.id))

    def update(self, reminder: Reminder) -> None:
        """Replace a reminder (edited in the to-do list, say)."""
        self._put(reminder)

    def remove(self, reminder_id: str) -> Reminder | None:
        """Forget a reminder."""
        return self.reminders.pop(reminder_id, None)

    def next_due(self) -> Reminder | None:
        """Return the pending reminder due first."""
        while self._heap:
            due, reminder_id = self._heap[0]
            reminder = self.reminders.get(reminder_id)
            if reminder is not None and reminder.pending and reminder.due == due:
                return reminder
            heapq.heappop(self._heap)  # Stale: removed, done or moved.
        return None

    def due(self, now: datetime) -> list[Reminder]:
        """Return the pending reminders due at `now` or before, soonest first."""
        found = []
        while (reminder := self.next_due()) is not None and reminder.due <= now:
            heapq.heappop(self._heap)
            found.append(reminder)
        for reminder in found:  # Still pending until said.
            heapq.heappush(self._heap, (reminder.due, reminder.id))
        return found

    def mark_delivered(self, reminder_id: str, now: datetime) -> Reminder:
        """Record that a reminder was said; it now waits to be acknowledged."""
        said = replace(self.reminders[reminder_id], delivered=now)
        self._put(said)
        return said

    def waiting(self, person: str | None = None) -> list[Reminder]:
        """Return the reminders said but not acknowledged, latest said first."""
        return sorted(
            (
                reminder
                for reminder in self.reminders.values()
                if reminder.delivered is not None
                and not reminder.done
                and _belongs(reminder, person)
            ),
            key=lambda reminder: reminder.delivered or reminder.due,
            reverse=True,
        )

    def upcoming(self, person: str | None = None) -> list[Reminder]:
        """Return the reminders not done yet, soonest first."""
        return sorted(
            (
                reminder
                for reminder in self.reminders.values()
                if not reminder.done and _belongs(reminder, person)
            ),
            key=lambda reminder: reminder.due,
        )

    def edit(
        self,
        reminder_id: str,
        *,
        text: str | None = None,
        due: datetime | None = None,
    ) -> Reminder:
        """Change what a reminder says or when it is due (it is due anew)."""
        reminder = self.reminders[reminder_id]
        edited = replace(
            reminder,
            text=text.strip() if text else reminder.text,
            due=due or reminder.due,
            delivered=None if due is not None else reminder.delivered,
            done=False,
        )
        self._put(edited)
        return edited

    def snooze(self, reminder_id: str, minutes: float, now: datetime) -> Reminder:
        """Move a reminder to `minutes` from now."""
        reminder = self.reminders[reminder_id]
        moved = replace(
            reminder,
            due=now + timedelta(minutes=minutes),
            snoozes=reminder.snoozes + 1,
            delivered=None,
        )
        self._put(moved)
        return moved

    def complete(self, reminder_id: str, now: datetime) -> Reminder:
        """Mark a reminder done; a repeating one moves to its next time instead."""
        reminder = self.reminders[reminder_id]
        following = next_occurrence(
            When(reminder.due, reminder.repeat, reminder.weekday),
            max(now, reminder.due),
        )
        if following is not None:
            moved = replace(reminder, due=following, snoozes=0, delivered=None)
        else:
            moved = replace(reminder, done=True)
        self._put(moved)
        return moved

    def find(self, text: str, person: str | None = None) -> Reminder | None:
        """Return the pending reminder whose text best matches what was said."""
        wanted = set(normalize(text).split())
        best: tuple[float, Reminder] | None = None
        for reminder in self.reminders.values():
            if reminder.done or not _belongs(reminder, person):
                continue
            words = set(normalize(reminder.text).split())
            if not words or not wanted:
                continue
            score = len(wanted & words) / len(wanted | words)
            if score > 0 and (best is None or score > best[0]):
                best = (score, reminder)
        return best[1] if best else None

    def as_data(self) -> dict[str, Any]:
        """Return the book for Home Assistant's Store."""
        data: dict[str, Any] = {
            "reminders": [r.as_data() for r in self.reminders.values()]
        }
        if self.damaged:
            data["damaged"] = self.damaged
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> tuple[ReminderBook, int]:
        """Read a stored book; return it and how many damaged entries were skipped."""
        book = cls()
        book.damaged = list((data or {}).get("damaged", []))
        damaged = 0
        for item in (data or {}).get("reminders", []):
            try:
                book._put(Reminder.from_data(item))
            except (ValueError, AttributeError):
                book.damaged.append(item)
                damaged += 1
        return book, damaged


def _belongs(reminder: Reminder, person: str | None) -> bool:
    """Return True when a reminder is the person's, or no one's in particular."""
    return person is None or reminder.person in (None, person)


class ReminderAction(StrEnum):
    """What a reminder sentence asks for."""

    ADD = "add"
    TIME = "time"
    """Only a time: the answer to "when should I remind you?"."""
    LIST = "list"
    CANCEL = "cancel"
    SNOOZE = "snooze"
    DONE = "done"


REMINDER_INTENTS = {
    "OS1Remind": ReminderAction.ADD,
    "OS1ReminderTime": ReminderAction.TIME,
    "OS1ReminderList": ReminderAction.LIST,
    "OS1ReminderCancel": ReminderAction.CANCEL,
    "OS1ReminderSnooze": ReminderAction.SNOOZE,
    "OS1ReminderDone": ReminderAction.DONE,
}

TIME_SLOTS = frozenset(
    {
        "seconds",
        "minutes",
        "hours",
        "days",
        "half",
        "day",
        "hour",
        "minute",
        "meridiem",
        "part",
        "repeat",
    }
)

DEFAULT_SNOOZE_MINUTES = 10

# What is left of a time phrase OS1 could not read, at the end of a task:
# "call mom at 25", "water the plants on the 3rd".
_STRAY_TIME = re.compile(
    r"\s+(?P<time>(?:at|in|on|every|by|tomorrow|tonight)\b.*\d.*)$", re.IGNORECASE
)
_SECOND_PERSON = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'll": "you'll",
    "am": "are",
    "our": "your",
    "we": "you",
    "us": "you",
}


@dataclass(frozen=True, slots=True)
class ReminderCommand:
    """One reminder sentence: what to do, about what, and the time phrase's slots."""

    action: ReminderAction
    task: str | None = None
    time: Mapping[str, Any] = field(default_factory=dict)
    stray_time: str | None = None
    """A time phrase left in the task that OS1 could not read."""

    @property
    def has_time(self) -> bool:
        """Return True when the sentence said when."""
        return bool(self.time)

    @property
    def minutes(self) -> float | None:
        """Return the minutes a snooze asks for, if said."""
        seconds = 0.0
        for name, factor in (("days", 86400), ("hours", 3600), ("minutes", 60)):
            if (value := self.time.get(name)) is not None:
                seconds += float(value) * factor
        if (value := self.time.get("seconds")) is not None:
            seconds += float(value)
        if self.time.get("half"):
            seconds += 1800 if self.time.get("hours") else 30
        return seconds / 60 if seconds else None


def parse_reminder(intent: str, slots: Mapping[str, Any]) -> ReminderCommand | None:
    """Turn a recognized reminder sentence into a command."""
    if (action := REMINDER_INTENTS.get(intent)) is None:
        return None
    time = {name: value for name, value in slots.items() if name in TIME_SLOTS}
    task = str(slots["task"]).strip(" .,!?") if slots.get("task") else None
    stray = None
    if task and not time and (match := _STRAY_TIME.search(task)):
        stray = match.group("time")
        task = task[: match.start()].strip() or task
    return ReminderCommand(action, task, time, stray)


def second_person(text: str) -> str:
    """Say back what the user said of themselves: "call my mom" -> "call your mom"."""
    return " ".join(_SECOND_PERSON.get(word.lower(), word) for word in text.split())
