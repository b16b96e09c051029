"""When a reminder is due, from the parts of a time phrase; free of Home Assistant.

OS1's sentence templates (hassil, with number words) take a time phrase apart
into slots: a duration ("in an hour and a half"), a day ("tomorrow", "on
Friday"), a clock time ("at 5", "at 7:30 pm") or a part of the day ("in the
morning"), and a repetition ("every weekday"). `resolve` turns those slots into
the due time in the home's time zone, choosing what people mean when a time is
ambiguous ("at 5" at 2 PM is 5 PM today; "at 9" is 9 AM), and `spoken` says it
back ("tomorrow at 5 AM").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

PARTS_OF_DAY = {"morning": 8, "noon": 12, "afternoon": 14, "evening": 18, "tonight": 20}
"""The hour a part of the day means when no clock time is said."""

EARLIEST_AM = 7
"""A bare "at 7" to "at 11" is the morning; "at 1" to "at 6" the afternoon."""


class WhenError(ValueError):
    """A time phrase that does not make a time; the text says why."""


class Repeat(StrEnum):
    """How a reminder repeats."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"
    WEEKLY = "weekly"


@dataclass(frozen=True, slots=True)
class When:
    """A resolved time phrase: when first, and how it repeats."""

    due: datetime
    repeat: Repeat | None = None
    weekday: int | None = None
    """For weekly repeats: 0 is Monday."""


def _number(slots: Mapping[str, Any], name: str) -> float | None:
    value = slots.get(name)
    return None if value is None else float(value)


def resolve(slots: Mapping[str, Any], now: datetime) -> When:
    """Return when a time phrase means, after `now` (an aware local time).

    Slots: `hours`, `minutes`, `seconds`, `days` (numbers, "in ...");
    `half` ("and a half"); `day` (today, tomorrow, a weekday name);
    `hour`, `minute`, `meridiem` (am/pm); `part` (morning, noon, afternoon,
    evening, tonight); `repeat` (daily, weekdays, a weekday name, or a part
    of the day: "every morning").
    """
    if now.tzinfo is None:
        raise WhenError("the current time must carry its time zone")
    duration = _duration(slots)
    if duration is not None:
        if duration <= timedelta(0):
            raise WhenError("that is not in the future")
        return When(now + duration)
    repeat, weekly = _repeat(slots.get("repeat"))
    if str(slots.get("repeat") or "").lower() in PARTS_OF_DAY and not slots.get("part"):
        slots = {**slots, "part": str(slots["repeat"]).lower()}  # "every morning"
    clock = _clock(slots)
    day = str(slots.get("day") or "").lower() or None
    if weekly is not None:
        day = WEEKDAYS[weekly]
    if clock is None and day is None:
        raise WhenError("I need a time, like 'at 5 pm' or 'in 20 minutes'")
    due = _next(now, day, clock, repeat)
    return When(due, repeat, weekly)


def _duration(slots: Mapping[str, Any]) -> timedelta | None:
    parts = {
        name: _number(slots, name) for name in ("days", "hours", "minutes", "seconds")
    }
    if all(value is None for value in parts.values()):
        return None
    duration = timedelta(
        days=parts["days"] or 0,
        hours=parts["hours"] or 0,
        minutes=parts["minutes"] or 0,
        seconds=parts["seconds"] or 0,
    )
    if slots.get("half"):
        # "an hour and a half", "two days and a half": half of the largest unit.
        unit = next(
            (
                timedelta(**{name: 1})
                for name in ("days", "hours", "minutes")
                if parts[name] is not None
            ),
            timedelta(minutes=1),
        )
        duration += unit / 2
    return duration


def _repeat(value: Any) -> tuple[Repeat | None, int | None]:
    if value is None:
        return None, None
    text = str(value).lower()
    if text in (Repeat.DAILY, Repeat.WEEKDAYS):
        return Repeat(text), None
    if text in PARTS_OF_DAY:
        return Repeat.DAILY, None
    if text in WEEKDAYS:
        return Repeat.WEEKLY, WEEKDAYS.index(text)
    raise WhenError(f"I don't know how to repeat {value!r}")


def _clock(slots: Mapping[str, Any]) -> tuple[time, bool] | None:
    """Return the clock time said, and whether its half of the day was said."""
    hour = _number(slots, "hour")
    part = str(slots.get("part") or "").lower() or None
    if hour is None:
        if part is None:
            return None
        if part not in PARTS_OF_DAY:
            raise WhenError(f"I don't know when {part} is")
        return time(PARTS_OF_DAY[part]), True
    minute = int(_number(slots, "minute") or 0)
    hour_int = int(hour)
    if not (0 <= hour_int <= 23 and 0 <= minute <= 59):
        raise WhenError(f"{hour_int}:{minute:02d} is not a time")
    meridiem = str(slots.get("meridiem") or "").lower() or None
    if (
        meridiem is None
        and part in ("afternoon", "evening", "tonight")
        and hour_int < 12
    ):
        meridiem = "pm"
    elif meridiem is None and part == "morning":
        meridiem = "am"
    if meridiem is not None:
        if not 1 <= hour_int <= 12:
            raise WhenError(f"{hour_int} {meridiem} is not a time")
        hour_int = hour_int % 12 + (12 if meridiem == "pm" else 0)
        return time(hour_int, minute), True
    return time(hour_int, minute), hour_int == 0 or hour_int > 12


def _next(
    now: datetime,
    day: str | None,
    clock: tuple[time, bool] | None,
    repeat: Repeat | None,
) -> datetime:
    """Return the first moment after `now` on that day at that time."""
    at, certain = clock if clock is not None else (time(9), True)
    candidates = [at] if certain else _both_halves(at)
    best: datetime | None = None
    for clock_time in candidates:
        for offset in range(8 if day not in ("today", "tomorrow") else 1):
            date = now.date() + timedelta(days=offset)
            if day == "tomorrow":
                date = now.date() + timedelta(days=1)
            elif day in WEEKDAYS and date.weekday() != WEEKDAYS.index(day):
                continue
            if repeat is Repeat.WEEKDAYS and date.weekday() >= 5:
                continue
            moment = datetime.combine(date, clock_time, tzinfo=now.tzinfo)
            if moment > now:
                best = moment if best is None or moment < best else best
                break
    if best is None:
        raise WhenError("that time has passed today")
    return best


def _both_halves(at: time) -> list[time]:
    """Return the readings of a bare hour (1-12): morning first when 7-11."""
    morning = time(at.hour % 12, at.minute)
    afternoon = time(at.hour % 12 + 12, at.minute)
    if EARLIEST_AM <= at.hour <= 11:
        return [morning]
    if at.hour == 12:
        return [time(12, at.minute)]
    return [afternoon] if 1 <= at.hour < EARLIEST_AM else [morning, afternoon]


def next_occurrence(when: When, after: datetime) -> datetime | None:
    """Return when a repeating reminder is next due after `after`."""
    if when.repeat is None:
        return None
    clock = when.due.timetz().replace(tzinfo=None)
    start = after.astimezone(when.due.tzinfo)
    for offset in range(1, 9):
        date = start.date() + timedelta(days=offset - 1)
        if when.repeat is Repeat.WEEKDAYS and date.weekday() >= 5:
            continue
        if when.repeat is Repeat.WEEKLY and date.weekday() != when.weekday:
            continue
        moment = datetime.combine(date, clock, tzinfo=when.due.tzinfo)
        if moment > start:
            return moment
    return None  # pragma: no cover - a week always has the day


def spoken(due: datetime, now: datetime) -> str:
    """Say a due time back: "in 20 minutes", "today at 5 PM", "Friday at 9 AM"."""
    delta = due - now
    if delta < timedelta(seconds=59):
        seconds = max(1, round(delta.total_seconds()))
        return f"in {seconds} second{'s' if seconds != 1 else ''}"
    if delta < timedelta(hours=1):
        minutes = max(1, round(delta.total_seconds() / 60))
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    return _dated(due, (due.date() - now.date()).days, "today at ", "tomorrow")


def spoken_past(due: datetime, now: datetime) -> str:
    """Say a time that has passed: "3 PM", "yesterday at 3 PM", "Monday at 3 PM"."""
    return _dated(due, (now.date() - due.date()).days, "", "yesterday")


def _dated(moment: datetime, days: int, today: str, next_day: str) -> str:
    """Say a moment `days` from today (either way), with today's and the next day's words."""
    clock = _clock_text(moment)
    if days == 0:
        return f"{today}{clock}"
    if days == 1:
        return f"{next_day} at {clock}"
    if days < 7:
        return f"{WEEKDAYS[moment.weekday()].title()} at {clock}"
    return f"{moment.strftime('%B')} {moment.day} at {clock}"


def spoken_when(when: When, now: datetime) -> str:
    """Say a reminder's time back, with how it repeats: "every weekday at 7:30 AM"."""
    clock = _clock_text(when.due)
    match when.repeat:
        case Repeat.DAILY:
            return f"every day at {clock}"
        case Repeat.WEEKDAYS:
            return f"every weekday at {clock}"
        case Repeat.WEEKLY:
            return f"every {WEEKDAYS[when.weekday or 0].title()} at {clock}"
    return spoken(when.due, now)


def _clock_text(moment: datetime) -> str:
    """Return a clock time as said: "5 PM", "7:30 AM"."""
    return moment.strftime("%I:%M %p").lstrip("0").replace(":00 ", " ")
