"""The reminder book, tested without Home Assistant."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from custom_components.os1.reminders import Reminder, ReminderBook
from custom_components.os1.when import Repeat, When, resolve

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 25, 14, 0, tzinfo=TZ)


def test_next_due_and_due_now() -> None:
    """The earliest pending reminder is at hand; due ones come out soonest first."""
    book = ReminderBook()
    mom = book.add("call mom", When(NOW + timedelta(minutes=20)), NOW, origin="kitchen")
    oven = book.add("check the oven", When(NOW + timedelta(minutes=5)), NOW)
    book.add("water the plants", When(NOW + timedelta(days=1)), NOW)
    assert book.next_due() == oven
    assert book.due(NOW) == []
    assert book.due(NOW + timedelta(minutes=30)) == [oven, mom]
    # Due reminders stay pending until acknowledged.
    assert book.next_due() == oven
    assert [r.text for r in book] == ["check the oven", "call mom", "water the plants"]


def test_snooze_complete_remove() -> None:
    """Snoozing moves it, completing ends it, removing forgets it."""
    book = ReminderBook()
    mom = book.add("call mom", When(NOW + timedelta(minutes=20)), NOW)
    later = NOW + timedelta(minutes=20)
    snoozed = book.snooze(mom.id, 5, later)
    assert (snoozed.due, snoozed.snoozes) == (later + timedelta(minutes=5), 1)
    assert book.next_due() == snoozed
    done = book.complete(mom.id, later + timedelta(minutes=5))
    assert done.done
    assert book.next_due() is None
    assert book.remove(mom.id) == done
    assert len(book) == 0


def test_repeating_reminder_moves_on() -> None:
    """Completing "every weekday at 7:30" schedules the next weekday."""
    book = ReminderBook()
    friday = datetime(2026, 11, 27, 8, 0, tzinfo=TZ)
    when = resolve({"repeat": "weekdays", "hour": 7, "minute": 30}, friday)
    pills = book.add("take the pills", when, friday)
    following = book.complete(pills.id, pills.due)
    assert not following.done
    assert following.due == datetime(2026, 12, 1, 7, 30, tzinfo=TZ)
    assert following.repeat is Repeat.WEEKDAYS


def test_find_by_what_was_said() -> None:
    """Saying "cancel the reminder to call mom" finds it, per person."""
    book = ReminderBook()
    book.add("call mom", When(NOW + timedelta(hours=1)), NOW, person="person.ann")
    book.add(
        "call the plumber", When(NOW + timedelta(hours=2)), NOW, person="person.bob"
    )
    found = book.find("to call mom")
    assert found is not None
    assert found.text == "call mom"
    assert book.find("call mom", person="person.bob") is not None
    assert book.find("call mom", person="person.bob").text == "call the plumber"  # type: ignore[union-attr]
    assert book.find("buy milk") is None


def test_survives_storage() -> None:
    """The book round-trips through plain data; damaged entries are skipped."""
    book = ReminderBook()
    book.add("call mom", When(NOW + timedelta(minutes=20)), NOW, person="person.ann")
    weekly = resolve({"repeat": "sunday", "hour": 10}, NOW)
    book.add("call grandma", weekly, NOW)
    data = book.as_data()
    data["reminders"].append({"text": "no id, no time"})
    restored, damaged = ReminderBook.from_data(data)
    assert damaged == 1
    assert {r.text: r for r in restored} == {r.text: r for r in book}
    assert restored.next_due() == book.next_due()
    assert ReminderBook.from_data(None)[0].next_due() is None
    assert Reminder.from_data(book.next_due().as_data()) == book.next_due()  # type: ignore[union-attr]
