"""Due times from time phrases, tested without Home Assistant."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.os1.when import (
    Repeat,
    When,
    WhenError,
    next_occurrence,
    resolve,
    spoken,
    spoken_past,
    spoken_when,
)

TZ = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 25, 14, 10, tzinfo=TZ)  # A Wednesday afternoon.


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a time in November 2026 in the home's time zone."""
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize(
    ("slots", "due", "said"),
    [
        ({"minutes": 20}, NOW + timedelta(minutes=20), "in 20 minutes"),
        ({"hours": 1, "half": True}, NOW + timedelta(minutes=90), "today at 3:40 PM"),
        ({"hour": 5, "meridiem": "pm"}, at(25, 17), "today at 5 PM"),
        ({"hour": 5}, at(25, 17), "today at 5 PM"),  # Afternoon now: 5 PM today.
        ({"hour": 9}, at(26, 9), "tomorrow at 9 AM"),  # A bare 9 is the morning.
        ({"hour": 2}, at(26, 14), "tomorrow at 2 PM"),  # 2 PM has passed today.
        (
            {"hour": 7, "minute": 30, "meridiem": "pm"},
            at(25, 19, 30),
            "today at 7:30 PM",
        ),
        ({"day": "tomorrow", "part": "morning"}, at(26, 8), "tomorrow at 8 AM"),
        ({"day": "tomorrow", "hour": 5}, at(26, 17), "tomorrow at 5 PM"),
        (
            {"day": "tomorrow", "hour": 5, "meridiem": "am"},
            at(26, 5),
            "tomorrow at 5 AM",
        ),
        ({"day": "friday", "hour": 9}, at(27, 9), "Friday at 9 AM"),
        (  # Naming today's weekday means next week's.
            {"day": "wednesday", "hour": 9},
            datetime(2026, 12, 2, 9, 0, tzinfo=TZ),
            "December 2 at 9 AM",
        ),
        ({"part": "tonight"}, at(25, 20), "today at 8 PM"),
        ({"part": "evening", "hour": 6}, at(25, 18), "today at 6 PM"),
        ({"hour": 14, "minute": 15}, at(25, 14, 15), "in 5 minutes"),
        ({"days": 3}, NOW + timedelta(days=3), "Saturday at 2:10 PM"),
        ({"day": "monday", "hour": 9}, at(30, 9), "Monday at 9 AM"),
    ],
)
def test_resolve(slots: dict, due: datetime, said: str) -> None:
    """Each phrase means what people mean, and is said back plainly."""
    when = resolve(slots, NOW)
    assert when.due == due
    assert spoken(when.due, NOW) == said


def test_every_weekday() -> None:
    """Saying "every weekday at 7:30" skips the weekend."""
    friday = datetime(2026, 11, 27, 8, 0, tzinfo=TZ)
    when = resolve({"repeat": "weekdays", "hour": 7, "minute": 30}, friday)
    assert when == When(datetime(2026, 11, 30, 7, 30, tzinfo=TZ), Repeat.WEEKDAYS)
    following = next_occurrence(when, when.due)
    assert following == datetime(2026, 12, 1, 7, 30, tzinfo=TZ)


def test_weekly_and_daily() -> None:
    """Saying "every Sunday at 10" or "every day at 8 pm" repeats on those days."""
    weekly = resolve({"repeat": "sunday", "hour": 10}, NOW)
    assert weekly.due == at(29, 10)
    assert next_occurrence(weekly, weekly.due) == weekly.due + timedelta(days=7)
    daily = resolve({"repeat": "daily", "hour": 8, "meridiem": "pm"}, NOW)
    assert daily.due == at(25, 20)
    assert next_occurrence(daily, daily.due) == at(26, 20)
    assert next_occurrence(resolve({"minutes": 5}, NOW), NOW) is None


def test_across_daylight_saving() -> None:
    """A reminder at 9 AM stays at 9 AM local time when the clocks change."""
    before = datetime(2026, 10, 31, 10, 0, tzinfo=TZ)
    when = resolve({"repeat": "daily", "hour": 9}, before)
    after_change = next_occurrence(when, when.due)
    assert after_change is not None
    assert (after_change.hour, after_change.utcoffset()) == (9, timedelta(hours=-8))


def test_spoken_far_away() -> None:
    """Dates more than a week away are said with their month."""
    assert spoken(at(25, 9) + timedelta(days=20), NOW) == "December 15 at 9 AM"
    assert spoken(NOW + timedelta(seconds=20), NOW) == "in 20 seconds"
    assert spoken(NOW + timedelta(seconds=61), NOW) == "in 1 minute"


@pytest.mark.parametrize(
    ("slots", "reason"),
    [
        ({}, "I need a time"),
        ({"minutes": 0}, "not in the future"),
        ({"hour": 25}, "not a time"),
        ({"hour": 13, "meridiem": "pm"}, "not a time"),
        ({"part": "brunch"}, "don't know when brunch is"),
        ({"repeat": "fortnightly", "hour": 9}, "repeat"),
        ({"day": "today", "hour": 9, "meridiem": "am"}, "has passed"),
    ],
)
def test_unusable_phrases(slots: dict, reason: str) -> None:
    """Phrases that make no time get a reason that can be said."""
    with pytest.raises(WhenError, match=reason):
        resolve(slots, NOW)


def test_needs_a_time_zone() -> None:
    """Naive times are refused: the home's time zone decides."""
    with pytest.raises(WhenError, match="time zone"):
        resolve({"minutes": 5}, datetime(2026, 11, 25, 14, 10))


def test_every_morning_and_times_that_passed() -> None:
    """Saying "every morning" is every day at 8; missed times are said as they were."""
    when = resolve({"repeat": "morning"}, NOW)
    assert when == When(at(26, 8), Repeat.DAILY)
    assert spoken_when(when, NOW) == "every day at 8 AM"
    assert spoken(NOW + timedelta(seconds=5), NOW) == "in 5 seconds"
    assert spoken_past(at(25, 9), NOW) == "9 AM"
    assert spoken_past(at(24, 9, 30), NOW) == "yesterday at 9:30 AM"
    assert spoken_past(at(22, 9), NOW) == "Sunday at 9 AM"
    assert spoken_past(at(2, 9), NOW) == "November 2 at 9 AM"
