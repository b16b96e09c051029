"""The reminder book, tested without Home Assistant."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.os1.nlu import SentenceRecognizer
from custom_components.os1.reminders import (
    Reminder,
    ReminderAction,
    ReminderBook,
    parse_reminder,
    second_person,
)
from custom_components.os1.when import Repeat, When, resolve

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 25, 14, 0, tzinfo=TZ)  # A Wednesday afternoon.


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a time in November 2026 in the home's time zone."""
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


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


@pytest.fixture(scope="module")
def recognizer() -> SentenceRecognizer:
    """Return OS1's English sentences."""
    return SentenceRecognizer.load("en")


@pytest.mark.parametrize(
    ("sentence", "task", "due", "repeat"),
    [
        (
            "remind me to call mom in 20 minutes",
            "call mom",
            NOW + timedelta(minutes=20),
            None,
        ),
        (
            "remind me to call mom in twenty minutes",
            "call mom",
            NOW + timedelta(minutes=20),
            None,
        ),
        ("remind me to call mom at 5 pm", "call mom", at(25, 17), None),
        ("remind me to call mom at five p.m.", "call mom", at(25, 17), None),
        (
            "remind me to take out the trash tomorrow morning",
            "take out the trash",
            at(26, 8),
            None,
        ),
        (
            "remind me to call the dentist on Friday at 9",
            "call the dentist",
            at(27, 9),
            None,
        ),
        (
            "remind me to take my pills every weekday at 7:30",
            "take my pills",
            at(26, 7, 30),
            Repeat.WEEKDAYS,
        ),
        (
            "remind me to stretch in an hour and a half",
            "stretch",
            NOW + timedelta(minutes=90),
            None,
        ),
        (
            "remind me in half an hour to check the oven",
            "check the oven",
            NOW + timedelta(minutes=30),
            None,
        ),
        (
            "remind me to call bob in 2 hours and 15 minutes",
            "call bob",
            NOW + timedelta(minutes=135),
            None,
        ),
        ("remind me to call mom at half past seven", "call mom", at(26, 7, 30), None),
        (
            "tomorrow at 8 remind me to water the plants",
            "water the plants",
            at(26, 8),
            None,
        ),
        ("set a reminder to pay rent on monday", "pay rent", at(30, 9), None),
        (
            "remind me to feed the cat every morning",
            "feed the cat",
            at(26, 8),
            Repeat.DAILY,
        ),
        ("remind me to go to bed tonight at 11", "go to bed", at(25, 23), None),
        ("remind me to call mom this evening", "call mom", at(25, 18), None),
        (
            "remind me to walk the dog every monday at 7 am",
            "walk the dog",
            at(30, 7),
            Repeat.WEEKLY,
        ),
    ],
)
def test_sentences_to_due_times(
    recognizer: SentenceRecognizer,
    sentence: str,
    task: str,
    due: datetime,
    repeat: Repeat | None,
) -> None:
    """Spoken reminders, with digits or number words, come out as task and due time."""
    recognized = recognizer.recognize(sentence)
    assert recognized is not None
    command = parse_reminder(recognized.intent, recognized.slots)
    assert command is not None
    assert (command.action, command.task) == (ReminderAction.ADD, task)
    when = resolve(command.time, NOW)
    assert (when.due, when.repeat) == (due, repeat)


@pytest.mark.parametrize(
    ("sentence", "action", "task", "minutes"),
    [
        ("what are my reminders", ReminderAction.LIST, None, None),
        ("do I have any reminders today", ReminderAction.LIST, None, None),
        ("cancel the reminder to call mom", ReminderAction.CANCEL, "call mom", None),
        (
            "don't remind me about the dentist",
            ReminderAction.CANCEL,
            "the dentist",
            None,
        ),
        ("delete the milk reminder", ReminderAction.CANCEL, "milk", None),
        ("snooze", ReminderAction.SNOOZE, None, None),
        ("remind me again in 10 minutes", ReminderAction.SNOOZE, None, 10),
        ("snooze it for half an hour", ReminderAction.SNOOZE, None, 30),
        ("snooze for an hour and a half", ReminderAction.SNOOZE, None, 90),
        ("done", ReminderAction.DONE, None, None),
        ("dismiss the reminder", ReminderAction.DONE, None, None),
        ("I did it", ReminderAction.DONE, None, None),
    ],
)
def test_other_reminder_sentences(
    recognizer: SentenceRecognizer,
    sentence: str,
    action: ReminderAction,
    task: str | None,
    minutes: float | None,
) -> None:
    """Listing, cancelling, snoozing and acknowledging are understood."""
    recognized = recognizer.recognize(sentence)
    assert recognized is not None
    command = parse_reminder(recognized.intent, recognized.slots)
    assert command is not None
    assert (command.action, command.task, command.minutes) == (action, task, minutes)


def test_a_bare_time_answers_only_when_asked(recognizer: SentenceRecognizer) -> None:
    """Saying "in ten minutes" is a reminder's time only after OS1 asked when."""
    assert recognizer.recognize("in ten minutes") is None
    recognized = recognizer.recognize("in ten minutes", expecting_time=True)
    assert recognized is not None
    command = parse_reminder(recognized.intent, recognized.slots)
    assert command is not None
    assert (command.action, command.minutes) == (ReminderAction.TIME, 10)


def test_a_time_that_could_not_be_read_is_kept_apart(
    recognizer: SentenceRecognizer,
) -> None:
    """'call mom at 25' is the task 'call mom' with a time OS1 could not read."""
    recognized = recognizer.recognize("remind me to call mom at 25")
    assert recognized is not None
    command = parse_reminder(recognized.intent, recognized.slots)
    assert command is not None
    assert (command.task, command.has_time, command.stray_time) == (
        "call mom",
        False,
        "at 25",
    )
    assert parse_reminder("OS1LightPower", {}) is None


def test_said_back_to_the_user() -> None:
    """What the user said of themselves is said back to them."""
    assert second_person("call my mom and tell her I'm late") == (
        "call your mom and tell her you're late"
    )
