"""Reminders and their schedule, free of Home Assistant.

A `ReminderBook` keeps every reminder, knows which one falls due next (a heap,
so the integration sets one timer for the earliest, never polls), snoozes,
completes (a repeating reminder moves to its next time) and cancels them, and
turns itself into plain data for Home Assistant's `Store` and back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
import heapq
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
    """The satellite or device that took it: where to say it until presence knows better."""
    snoozes: int = 0
    done: bool = False

    def as_data(self) -> dict[str, Any]:
        """Return the reminder as JSON-ready data."""
        data = asdict(self)
        data["due"] = self.due.isoformat()
        data["created"] = self.created.isoformat()
        return data

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
                snoozes=int(data.get("snoozes", 0)),
                done=bool(data.get("done", False)),
            )
        except (KeyError, TypeError) as err:
            raise ValueError(f"damaged reminder {data!r}: {err}") from err


@dataclass(slots=True)
class ReminderBook:
    """Every reminder, with the next one due at hand."""

    reminders: dict[str, Reminder] = field(default_factory=dict)
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
        )
        self._put(reminder)
        return reminder

    def _put(self, reminder: Reminder) -> None:
        self.reminders[reminder.id] = reminder
        if not reminder.done:
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
            if reminder is not None and not reminder.done and reminder.due == due:
                return reminder
            heapq.heappop(self._heap)  # Stale: removed, done or moved.
        return None

    def due(self, now: datetime) -> list[Reminder]:
        """Return the pending reminders due at `now` or before, soonest first."""
        found = []
        while (reminder := self.next_due()) is not None and reminder.due <= now:
            heapq.heappop(self._heap)
            found.append(reminder)
        for reminder in found:  # Still pending until acknowledged.
            heapq.heappush(self._heap, (reminder.due, reminder.id))
        return found

    def snooze(self, reminder_id: str, minutes: float, now: datetime) -> Reminder:
        """Move a reminder to `minutes` from now."""
        reminder = self.reminders[reminder_id]
        moved = replace(
            reminder,
            due=now + timedelta(minutes=minutes),
            snoozes=reminder.snoozes + 1,
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
            moved = replace(reminder, due=following, snoozes=0)
        else:
            moved = replace(reminder, done=True)
        self._put(moved)
        return moved

    def find(self, text: str, person: str | None = None) -> Reminder | None:
        """Return the pending reminder whose text best matches what was said."""
        wanted = set(normalize(text).split())
        best: tuple[float, Reminder] | None = None
        for reminder in self.reminders.values():
            if reminder.done or (person and reminder.person not in (None, person)):
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
        return {"reminders": [r.as_data() for r in self.reminders.values()]}

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> tuple[ReminderBook, int]:
        """Read a stored book; return it and how many damaged entries were skipped."""
        book = cls()
        damaged = 0
        for item in (data or {}).get("reminders", []):
            try:
                book._put(Reminder.from_data(item))
            except ValueError:
                damaged += 1
        return book, damaged
