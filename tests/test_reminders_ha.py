"""Reminders on a real Home Assistant: set by voice, kept, listed, edited, delivered."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.components.todo import DOMAIN as TODO_DOMAIN
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import (
    Context,
    CoreState,
    Event,
    HomeAssistant,
    ServiceCall,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components.os1.const import CONF_LANGUAGE, DOMAIN
from custom_components.os1.diagnostics import async_get_config_entry_diagnostics

from .conftest import Talk, is_error, speech

# A Wednesday afternoon in the home's time zone (the harness's US/Pacific).
NOW = "2026-11-25 14:10:00-08:00"
PHONE = "notify.notifier"
"""The demo's notify entity: it fires a `notify` event per message."""


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a time in November 2026 in the home's time zone."""
    return datetime(2026, 11, day, hour, minute, tzinfo=dt_util.get_default_time_zone())


@pytest.fixture(autouse=True)
def at_now(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Start every test at the same moment."""
    freezer.move_to(NOW)
    return freezer


@pytest.fixture
async def people(hass: HomeAssistant) -> dict[str, tuple[str, Context]]:
    """Two people with their own users: the person entity and a context each."""
    made = {}
    persons = []
    for name in ("Anna", "Ben"):
        user = await hass.auth.async_create_user(name)
        persons.append({"id": name.lower(), "name": name, "user_id": user.id})
        made[name] = (f"person.{name.lower()}", Context(user_id=user.id))
    assert await async_setup_component(hass, "person", {"person": persons})
    return made


@pytest.fixture
def os1_entry(hass: HomeAssistant) -> MockConfigEntry:
    """OS1 whose reminders go to the phone when no satellite can say them."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Samantha",
        data={"name": "Samantha", CONF_LANGUAGE: "en"},
        options={"reminders": {"repeat_minutes": 5, "notify": {"default": PHONE}}},
    )
    entry.add_to_hass(hass)
    return entry


def todo_entity(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Return the Reminders list's entity id."""
    entity_id = er.async_get(hass).async_get_entity_id(
        TODO_DOMAIN, DOMAIN, f"{entry.entry_id}_reminders"
    )
    assert entity_id is not None
    return entity_id


async def items(hass: HomeAssistant, entity_id: str) -> list[dict[str, Any]]:
    """Return the items the UI shows."""
    result = await hass.services.async_call(
        TODO_DOMAIN,
        "get_items",
        {"entity_id": entity_id},
        blocking=True,
        return_response=True,
    )
    assert isinstance(result, dict)
    return list(result[entity_id]["items"])  # type: ignore[call-overload]


async def later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, **delta: float
) -> None:
    """Move the clock on and let Home Assistant's timers fire."""
    freezer.tick(timedelta(**delta))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def messages(events: list[Event]) -> list[str]:
    """Return what was sent to the phone."""
    return [event.data["message"] for event in events]


@pytest.mark.parametrize(
    ("sentence", "answer", "due"),
    [
        (
            "remind me to call my mom in twenty minutes",
            "Okay, I'll remind you to call your mom in 20 minutes.",
            (25, 14, 30),
        ),
        (
            "remind me to call mom at 5 pm",
            "Okay, I'll remind you to call mom today at 5 PM.",
            (25, 17, 0),
        ),
        (
            "remind me to take out the trash tomorrow morning",
            "Okay, I'll remind you to take out the trash tomorrow at 8 AM.",
            (26, 8, 0),
        ),
        (
            "remind me to call the dentist on Friday at 9",
            "Okay, I'll remind you to call the dentist Friday at 9 AM.",
            (27, 9, 0),
        ),
        (
            "remind me to take my pills every weekday at 7:30",
            "Okay, I'll remind you to take your pills every weekday at 7:30 AM.",
            (26, 7, 30),
        ),
        (
            "remind me to stretch in an hour and a half",
            "Okay, I'll remind you to stretch today at 3:40 PM.",
            (25, 15, 40),
        ),
        (
            "tomorrow at five remind me to water the plants",
            "Okay, I'll remind you to water the plants tomorrow at 5 PM.",
            (26, 17, 0),
        ),
        (
            "set a reminder to feed the cat every morning",
            "Okay, I'll remind you to feed the cat every day at 8 AM.",
            (26, 8, 0),
        ),
    ],
)
async def test_set_by_voice_and_shown_in_the_list(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    talk: Talk,
    sentence: str,
    answer: str,
    due: tuple[int, int, int],
) -> None:
    """A spoken reminder is echoed back with its time and appears in the to-do list."""
    reply = await talk(sentence)
    assert speech(reply) == answer
    entity_id = todo_entity(hass, os1)
    assert hass.states.get(entity_id).state == "1"
    [item] = await items(hass, entity_id)
    assert item["status"] == "needs_action"
    assert dt_util.parse_datetime(item["due"]) == local(*due)


async def test_a_burst_of_changes_shows_in_the_list(
    hass: HomeAssistant, os1: MockConfigEntry, talk: Talk, at_now: FrozenDateTimeFactory
) -> None:
    """Reminders set one after another all count in the list, at once or within a second.

    Home Assistant copies every item of a to-do list at each state write, so the
    list writes at most once a second during a burst, and once more at its end.
    """
    entity_id = todo_entity(hass, os1)
    for task in ("call mom", "water the plants", "buy bread"):
        await talk(f"remind me to {task} in 20 minutes")
    assert hass.states.get(entity_id).state == "1"  # The first change, at once.
    assert len(await items(hass, entity_id)) == 3  # The items are never late.
    await later(hass, at_now, seconds=1)
    assert hass.states.get(entity_id).state == "3"


async def test_asks_when_and_explains_bad_times(
    hass: HomeAssistant, os1: MockConfigEntry, talk: Talk
) -> None:
    """Without a usable time OS1 asks when, and the answer completes the reminder."""
    reply = await talk("remind me to call mom")
    assert speech(reply) == "When should I remind you to call mom?"
    assert reply.continue_conversation
    reply = await talk("tomorrow at 9")
    assert speech(reply) == "Okay, I'll remind you to call mom tomorrow at 9 AM."
    assert not reply.continue_conversation

    reply = await talk("remind me to feed the fish at 25")
    assert speech(reply) == (
        "I couldn't tell when 'at 25' is. When should I remind you? "
        "For example, at 5 PM or in 20 minutes."
    )
    reply = await talk("at 13:00 tomorrow")
    assert speech(reply) == "Okay, I'll remind you to feed the fish tomorrow at 1 PM."

    reply = await talk("remind me to sleep at 13 pm")
    assert speech(reply) == "Sorry, 13 pm is not a time. When should I remind you?"
    # A bare time outside such a question is not OS1's to answer.
    other = Talk(hass, talk.agent_id)
    assert "remind" not in speech(await other("tomorrow at 9")).lower()
    assert len(await items(hass, todo_entity(hass, os1))) == 2


async def test_list_cancel_and_ask_which(
    hass: HomeAssistant, os1: MockConfigEntry, talk: Talk
) -> None:
    """The reminders are read out soonest first, and cancelled by what they say."""
    assert speech(await talk("what are my reminders?")) == "You have no reminders."
    await talk("remind me to call mom at 5 pm")
    await talk("remind me to buy milk tomorrow at 10")
    await talk("remind me to pay the rent on monday")
    reply = await talk("what are my reminders")
    assert speech(reply) == (
        "You have 3 reminders: call mom today at 5 PM, buy milk tomorrow at "
        "10 AM and pay the rent Monday at 9 AM."
    )
    assert speech(await talk("what reminders do I have tomorrow")) == (
        "You have one reminder: buy milk tomorrow at 10 AM."
    )
    reply = await talk("cancel the reminder to call mom")
    assert speech(reply) == "Okay, I won't remind you to call mom."
    reply = await talk("cancel the reminder about the dentist")
    assert is_error(reply)
    assert speech(reply) == "I couldn't find a reminder about the dentist."
    assert speech(await Talk(hass, talk.agent_id)("cancel that reminder")) == (
        "Which reminder do you mean?"
    )
    await talk("remind me to water the plants in 2 hours")
    assert speech(await talk("cancel that reminder")) == (
        "Okay, I won't remind you to water the plants."
    )
    summaries = [item["summary"] for item in await items(hass, todo_entity(hass, os1))]
    assert summaries == ["buy milk", "pay the rent"]
    diagnostics = await async_get_config_entry_diagnostics(hass, os1)
    assert diagnostics["reminders"]["pending"] == 2
    assert "milk" not in str(diagnostics)  # What reminders say stays private.


async def test_delivered_repeated_and_acknowledged(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    talk: Talk,
    at_now: FrozenDateTimeFactory,
) -> None:
    """With no satellite, a due reminder goes to the phone, again until it is done."""
    sent = async_capture_events(hass, "notify")
    await talk("remind me to call my mom in 20 minutes")
    await later(hass, at_now, minutes=19, seconds=59)
    assert not sent
    await later(hass, at_now, seconds=1)
    assert messages(sent) == ["Here's your reminder: call your mom."]
    assert sent[0].data["title"] == "Samantha"
    entity_id = todo_entity(hass, os1)
    [item] = await items(hass, entity_id)
    assert (item["status"], item["description"]) == (
        "needs_action",
        "Said; waiting to be marked done",
    )
    await later(hass, at_now, minutes=5)
    assert messages(sent)[1:] == ["Just reminding you again: call your mom."]

    reply = await talk("snooze for 10 minutes")
    assert speech(reply) == "Okay, I'll remind you again in 10 minutes."
    await later(hass, at_now, minutes=9)
    assert len(sent) == 2  # The snooze stopped the repeats.
    await later(hass, at_now, minutes=1)
    assert messages(sent)[2:] == ["Here's your reminder: call your mom."]

    reply = await talk("done")
    assert speech(reply) == "Great, call your mom is done."
    await later(hass, at_now, minutes=30)
    assert len(sent) == 3
    [item] = await items(hass, entity_id)
    assert item["status"] == "completed"
    assert hass.states.get(entity_id).state == "0"
    assert speech(await talk("done")) == "There's no reminder waiting right now."


async def test_unacknowledged_reminder_stops_after_the_repeats(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    talk: Talk,
    at_now: FrozenDateTimeFactory,
) -> None:
    """After the last repeat a reminder stays in the list, not done, and goes quiet."""
    sent = async_capture_events(hass, "notify")
    await talk("remind me to stretch in 1 minute")
    for _ in range(6):
        await later(hass, at_now, minutes=5)
    # Said, then repeated twice (the default); the last one also went to the phone.
    assert len(sent) == 3
    [item] = await items(hass, todo_entity(hass, os1))
    assert item["status"] == "needs_action"


async def test_repeating_reminder_moves_on_when_done(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    talk: Talk,
    at_now: FrozenDateTimeFactory,
) -> None:
    """Marking an everyday reminder done brings the next day's."""
    sent = async_capture_events(hass, "notify")
    await talk("remind me to water the plants every day at 6 pm")
    await later(hass, at_now, hours=4)
    assert messages(sent) == ["Here's your reminder: water the plants."]
    assert speech(await talk("got it")) == (
        "Okay. I'll remind you again tomorrow at 6 PM."
    )
    [item] = await items(hass, todo_entity(hass, os1))
    assert dt_util.parse_datetime(item["due"]) == local(26, 18)
    assert item["description"] == "Repeats every day at 6 PM"
    await later(hass, at_now, days=1)
    assert len(sent) == 2


async def test_each_persons_reminders(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, tuple[str, Context]],
    at_now: FrozenDateTimeFactory,
    agent_id: str,
) -> None:
    """People hear their own reminders and have them sent to their own phone."""
    anna_phone = async_capture_events(hass, "anna_phone")

    @callback
    def to_annas_phone(call: ServiceCall) -> None:
        hass.bus.async_fire("anna_phone", dict(call.data))

    hass.services.async_register("notify", "anna_phone", to_annas_phone)
    hass.config_entries.async_update_entry(
        os1,
        options={
            "reminders": {
                "notify": {"default": PHONE, "person.anna": "notify.anna_phone"}
            }
        },
    )
    await hass.async_block_till_done()
    everyone = async_capture_events(hass, "notify")
    anna, ben = Talk(hass, agent_id), Talk(hass, agent_id)
    await anna("remind me to call mom in 10 minutes", context=people["Anna"][1])
    await ben("remind me to buy milk in 20 minutes", context=people["Ben"][1])

    reply = await anna("what are my reminders", context=people["Anna"][1])
    assert speech(reply) == "You have one reminder: call mom in 10 minutes."
    await later(hass, at_now, minutes=10)
    assert messages(anna_phone) == ["Here's your reminder: call mom."]
    assert not everyone
    await later(hass, at_now, minutes=10)
    assert messages(everyone) == ["Here's your reminder: buy milk."]
    reply = await ben("done", context=people["Ben"][1])
    assert speech(reply) == "Great, buy milk is done."
    reply = await anna("what are my reminders", context=people["Anna"][1])
    assert speech(reply) == "You have one reminder: call mom, due at 2:20 PM."


async def test_edited_in_the_to_do_list(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    talk: Talk,
    at_now: FrozenDateTimeFactory,
) -> None:
    """Items added, renamed, moved, completed and deleted in the UI change the schedule."""
    entity_id = todo_entity(hass, os1)
    sent = async_capture_events(hass, "notify")

    async def call(service: str, **data: Any) -> None:
        await hass.services.async_call(
            TODO_DOMAIN, service, {"entity_id": entity_id, **data}, blocking=True
        )

    await call("add_item", item="water the plants tomorrow at 8")
    await call("add_item", item="call the bank", due_datetime="2026-11-25 15:00:00")
    with pytest.raises(ServiceValidationError, match="needs a due time"):
        await call("add_item", item="something someday")
    listed = await items(hass, entity_id)
    assert [(i["summary"], dt_util.parse_datetime(i["due"])) for i in listed] == [
        ("call the bank", local(25, 15)),
        ("water the plants", local(26, 8)),
    ]
    await call(
        "update_item",
        item="call the bank",
        rename="call the bank about the card",
        due_datetime="2026-11-25 14:30:00",
    )
    await later(hass, at_now, minutes=20)
    assert messages(sent) == ["Here's your reminder: call the bank about the card."]
    await call("update_item", item="call the bank about the card", status="completed")
    await later(hass, at_now, minutes=30)
    assert len(sent) == 1  # Completed in the UI: no repeats.

    await call("remove_item", item="water the plants")
    await later(hass, at_now, days=1)
    assert len(sent) == 1
    spoken = speech(await talk("what are my reminders"))
    assert spoken == "You have no reminders."
    # A voice change shows in the list.
    await talk("remind me to call mom at 6 pm")
    assert [i["summary"] for i in await items(hass, entity_id)] == [
        "call mom",
        "call the bank about the card",  # Done ones last.
    ]


async def test_kept_across_a_restart_and_late_ones_said_at_start(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    talk: Talk,
    hass_storage: dict[str, Any],
    at_now: FrozenDateTimeFactory,
) -> None:
    """Reminders survive Home Assistant stopping; those missed meanwhile come late."""
    await talk("remind me to call mom at 3 pm")
    await talk("remind me to buy milk tomorrow at 10")
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)  # What stopping does.
    await hass.async_block_till_done()
    stored = hass_storage["os1.reminders"]["data"]["reminders"]
    assert sorted(r["text"] for r in stored) == ["buy milk", "call mom"]

    # Home Assistant is down from 2:30 to 4 PM, then starts on the same storage.
    at_now.move_to("2026-11-25 16:00:00-08:00")
    async with async_test_home_assistant(initial_state=CoreState.not_running) as again:
        again.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        assert await async_setup_component(again, "homeassistant", {})
        assert await async_setup_component(again, "conversation", {})

        @callback
        def to_the_phone(call: ServiceCall) -> None:
            again.bus.async_fire("notify", dict(call.data))

        # The phone: a notify service by the same name as the demo's entity.
        again.services.async_register("notify", "notifier", to_the_phone)
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="Samantha",
            data={"name": "Samantha", CONF_LANGUAGE: "en"},
            options=dict(os1.options),
        )
        entry.add_to_hass(again)
        sent = async_capture_events(again, "notify")
        assert await again.config_entries.async_setup(entry.entry_id)
        await again.async_block_till_done()
        assert not sent  # Nothing is said before Home Assistant has started.
        await again.async_start()
        async_fire_time_changed(again)
        await again.async_block_till_done()
        assert messages(sent) == [
            "While I was away, you had a reminder for 3 PM: call mom."
        ]
        listed = await items(again, todo_entity(again, entry))
        assert [i["summary"] for i in listed] == ["call mom", "buy milk"]
        await again.async_stop(force=True)


async def test_damaged_storage_loses_nothing(
    hass: HomeAssistant,
    demo_home: dict[str, str],
    os1_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A damaged stored reminder is logged and kept; the others work."""
    good = {
        "id": "a1",
        "text": "call mom",
        "due": "2026-11-25T17:00:00-08:00",
        "created": "2026-11-25T14:00:00-08:00",
    }
    damaged = {"id": "b2", "text": "pay rent", "due": "someday"}
    hass_storage["os1.reminders"] = {
        "version": 1,
        "minor_version": 1,
        "key": "os1.reminders",
        "data": {"reminders": [good, damaged]},
    }
    assert await hass.config_entries.async_setup(os1_entry.entry_id)
    await hass.async_block_till_done()
    assert "1 stored reminders are damaged" in caplog.text
    [item] = await items(hass, todo_entity(hass, os1_entry))
    assert item["summary"] == "call mom"
    await hass.config_entries.async_unload(os1_entry.entry_id)
    await hass.async_block_till_done()
    assert hass_storage["os1.reminders"]["data"]["damaged"] == [damaged]


async def test_phone_that_fails_or_is_missing(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    talk: Talk,
    at_now: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A phone that can't be reached is logged; the reminder stays in the list."""

    @callback
    def broken(call: ServiceCall) -> None:
        raise HomeAssistantError("phone is off")

    hass.services.async_register("notify", "broken_phone", broken)
    hass.config_entries.async_update_entry(
        os1,
        options={
            "reminders": {
                "repeat_minutes": 0,
                "notify": {"default": "notify.broken_phone"},
            }
        },
    )
    await hass.async_block_till_done()
    await talk("remind me to call mom in 5 minutes")
    reply = await talk("what reminders do I have on wednesday")
    assert speech(reply) == "You have one reminder: call mom in 5 minutes."
    await later(hass, at_now, minutes=5)
    assert "Could not send a reminder to notify.broken_phone: phone is off" in (
        caplog.text
    )
    assert "it stays in the to-do list" in caplog.text
    hass.services.async_remove("notify", "broken_phone")
    await talk("remind me to buy milk in 5 minutes")
    await later(hass, at_now, minutes=5)
    assert "notification target notify.broken_phone does not exist" in caplog.text
    listed = await items(hass, todo_entity(hass, os1))
    assert [i["status"] for i in listed] == ["needs_action", "needs_action"]
    reply = await talk("what reminders do I have today")
    assert speech(reply) == (
        "You have 2 reminders: call mom, due at 2:15 PM and buy milk, due at 2:20 PM."
    )
