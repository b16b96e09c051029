"""Conversation memory and OS1's phrasing, tested without Home Assistant."""

from __future__ import annotations

import time

import pytest

from custom_components.os1.commands import HERE, LightAction, LightCommand, Target
from custom_components.os1.memory import ConversationMemory, Threads
from custom_components.os1.responses import (
    Phrasebook,
    ResponseStyle,
    Subject,
    join_words,
)

OFF = LightCommand(LightAction.OFF, Target.areas("bedroom"))


def test_remember_and_follow_up() -> None:
    """A conversation keeps its last command and its pending question apart."""
    memory = ConversationMemory()
    memory.remember("a", last=OFF)
    memory.remember("b", pending=LightCommand(LightAction.ON, HERE))
    assert memory.get("a").last == OFF
    assert memory.get("a").pending is None
    assert memory.get("b").pending == LightCommand(LightAction.ON, HERE)
    memory.remember("b", last=OFF)
    assert memory.get("b").pending is None
    assert memory.get("unknown").last is None
    memory.forget("a")
    assert memory.get("a").last is None
    assert len(memory) == 1


def test_memory_expires() -> None:
    """Conversations are forgotten after their time to live."""
    memory = ConversationMemory(ttl=0.01)
    memory.remember("a", last=OFF)
    time.sleep(0.02)
    memory.remember("b", last=OFF)
    assert memory.get("a").last is None
    assert memory.get("b").last == OFF


def test_memory_is_bounded() -> None:
    """The oldest conversations make room for new ones."""
    memory = ConversationMemory(max_conversations=2)
    for conversation_id in ("a", "b", "c"):
        memory.remember(conversation_id, last=OFF)
    assert memory.get("a").last is None
    assert len(memory) == 2


def test_a_person_carries_their_thread() -> None:
    """A person's next turn, in another conversation, continues their thread."""
    threads = Threads(window=60)
    assert threads.thread("kitchen", "person.anna") == "kitchen"
    assert threads.thread("bedroom", "person.anna") == "kitchen"
    # The bedroom's next turns, even unattributed, stay on that thread.
    assert threads.thread("bedroom", None) == "kitchen"
    # Someone else, or nobody known, has their own.
    assert threads.thread("hall", "person.ben") == "hall"
    assert threads.thread("office", None) == "office"


def test_threads_end_with_the_window_and_are_bounded() -> None:
    """Past the window a person starts afresh; the oldest conversations go first."""
    threads = Threads(window=0.01)
    threads.thread("kitchen", "person.anna")
    time.sleep(0.02)
    assert threads.thread("bedroom", "person.anna") == "bedroom"

    threads = Threads(window=60, max_conversations=2)
    threads.thread("kitchen", "person.anna")
    assert threads.thread("bedroom", "person.anna") == "kitchen"
    threads.thread("hall", None)
    threads.thread("office", None)
    assert threads.thread("bedroom", None) == "bedroom"  # Forgotten: its own.

    threads = Threads(window=60, ttl=0.01)
    threads.thread("kitchen", "person.anna")
    assert threads.thread("bedroom", "person.anna") == "kitchen"
    time.sleep(0.02)
    assert threads.thread("bedroom", None) == "bedroom"  # Expired.


def test_join_words() -> None:
    """Spoken lists read naturally."""
    assert join_words([]) == ""
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        (LightCommand(LightAction.ON, HERE), "Okay, the hall lights are on."),
        (
            LightCommand(LightAction.BRIGHTNESS, HERE, brightness_pct=40),
            "Okay, the hall lights are at 40 percent.",
        ),
        (
            LightCommand(LightAction.STEP, HERE, step_pct=-10),
            "Okay, the hall lights are a little dimmer.",
        ),
        (
            LightCommand(LightAction.COLOR, HERE, color="navy"),
            "Okay, the hall lights are navy blue now.",
        ),
        (
            LightCommand(LightAction.TEMPERATURE, HERE, kelvin=6500),
            "Okay, the hall lights are daylight now.",
        ),
        (
            LightCommand(LightAction.TEMPERATURE, HERE, kelvin=2700),
            "Okay, the hall lights are warm white now.",
        ),
    ],
)
def test_warm_answers(command: LightCommand, answer: str) -> None:
    """Warm answers say what changed."""
    phrases = Phrasebook(ResponseStyle.WARM, "Samantha")
    assert phrases.done(command, Subject("the hall lights", plural=True), 0) == answer


def test_not_responding_notes() -> None:
    """Lights that didn't respond are counted in the answer."""
    phrases = Phrasebook(ResponseStyle.BRIEF, "Samantha")
    command = LightCommand(LightAction.ON, HERE)
    subject = Subject("the hall lights", plural=True)
    assert phrases.done(command, subject, 2) == "Done. 2 of them aren't responding."
    assert phrases.no_lights("the garage") == "There are no lights in the garage."
    assert phrases.not_responding(Subject("the porch light", plural=False)) == (
        "The porch light isn't responding right now."
    )
    assert phrases.query(subject, "off", 1, 3) == "Yes, 1 of the hall lights is on."
