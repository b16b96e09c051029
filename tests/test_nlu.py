"""OS1's sentence templates, tested directly without Home Assistant."""

from __future__ import annotations

import pytest

from custom_components.os1.commands import (
    HERE,
    HOME,
    PREVIOUS,
    FollowUp,
    LightAction,
    LightCommand,
    Target,
    parse,
)
from custom_components.os1.nlu import LANGUAGES, NamedTarget, SentenceRecognizer

AREAS = [
    NamedTarget("kitchen", ("Kitchen",)),
    NamedTarget("living_room", ("Living Room", "Lounge")),
    NamedTarget("bedroom", ("Bedroom",)),
]
LIGHTS = [
    NamedTarget("light.bed_light", ("Bed Light",)),
    NamedTarget("light.kitchen_lights", ("Kitchen Lights",)),
    NamedTarget("light.reading", ("Reading lamp", "the lamp by the sofa")),
]
KITCHEN = Target.areas("kitchen")


@pytest.fixture(scope="module")
def recognizer() -> SentenceRecognizer:
    """Return the English templates."""
    return SentenceRecognizer.load("en")


def understand(
    recognizer: SentenceRecognizer, text: str
) -> LightCommand | FollowUp | None:
    """Recognize and parse a sentence."""
    recognized = recognizer.recognize(text, AREAS, LIGHTS)
    return None if recognized is None else parse(recognized)


def test_languages() -> None:
    """English ships; an unknown language is refused."""
    assert "en" in LANGUAGES
    with pytest.raises(ValueError, match="xx"):
        SentenceRecognizer.load("xx")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("turn on the lights", LightCommand(LightAction.ON, HERE)),
        ("Lights on!", LightCommand(LightAction.ON, HERE)),
        ("switch the lights off", LightCommand(LightAction.OFF, HERE)),
        ("lights out", LightCommand(LightAction.OFF, HERE)),
        ("it's dark in here", LightCommand(LightAction.ON, HERE)),
        ("turn off all the lights", LightCommand(LightAction.OFF, HOME)),
        ("turn off the lights in the whole house", LightCommand(LightAction.OFF, HOME)),
        ("turn on the kitchen lights", LightCommand(LightAction.ON, KITCHEN)),
        (
            "turn off all the lights in the kitchen",
            LightCommand(LightAction.OFF, KITCHEN),
        ),
        (
            "lights on in the lounge",
            LightCommand(LightAction.ON, Target.areas("living_room")),
        ),
        ("turn them off", LightCommand(LightAction.OFF, PREVIOUS)),
        (
            "turn on the reading lamp",
            LightCommand(LightAction.ON, Target.lights("light.reading")),
        ),
        (
            "dim the lights to 30 percent",
            LightCommand(LightAction.BRIGHTNESS, HERE, brightness_pct=30),
        ),
        (
            "set the lights to 30%",
            LightCommand(LightAction.BRIGHTNESS, HERE, brightness_pct=30),
        ),
        (
            "set the kitchen lights to 75 percent",
            LightCommand(LightAction.BRIGHTNESS, KITCHEN, brightness_pct=75),
        ),
        (
            "full brightness",
            LightCommand(LightAction.BRIGHTNESS, HERE, brightness_pct=100),
        ),
        ("set the lights to 0 percent", LightCommand(LightAction.OFF, HERE)),
        ("a bit brighter", LightCommand(LightAction.STEP, PREVIOUS, step_pct=10)),
        ("brighter", LightCommand(LightAction.STEP, PREVIOUS, step_pct=20)),
        ("much dimmer", LightCommand(LightAction.STEP, PREVIOUS, step_pct=-35)),
        ("dim the lights", LightCommand(LightAction.STEP, HERE, step_pct=-20)),
        (
            "make the kitchen lights a little brighter",
            LightCommand(LightAction.STEP, KITCHEN, step_pct=10),
        ),
        (
            "make the lights warm white",
            LightCommand(LightAction.TEMPERATURE, HERE, kelvin=2700),
        ),
        ("make the lights blue", LightCommand(LightAction.COLOR, HERE, color="blue")),
        (
            "make them sky blue",
            LightCommand(LightAction.COLOR, PREVIOUS, color="lightskyblue"),
        ),
        (
            "turn the kitchen lights red",
            LightCommand(LightAction.COLOR, KITCHEN, color="red"),
        ),
        ("is the kitchen light on?", LightCommand(LightAction.QUERY, KITCHEN)),
        (
            "are the lights off in the kitchen",
            LightCommand(LightAction.QUERY, KITCHEN, expected_state="off"),
        ),
        ("which lights are on", LightCommand(LightAction.QUERY, HOME)),
        ("did I leave the lights on", LightCommand(LightAction.QUERY, HERE)),
        ("and the kitchen too", FollowUp(KITCHEN)),
        ("what about the bedroom", FollowUp(Target.areas("bedroom"))),
        ("here too", FollowUp(HERE)),
        ("everywhere", FollowUp(HOME)),
    ],
)
def test_sentences(
    recognizer: SentenceRecognizer, text: str, expected: LightCommand | FollowUp
) -> None:
    """Each sentence family, with natural variants, means what people mean."""
    assert understand(recognizer, text) == expected


def test_room_beats_light_name(recognizer: SentenceRecognizer) -> None:
    """Saying "the kitchen lights" is the kitchen's lights, even with a light of that name."""
    assert understand(recognizer, "turn off the kitchen lights") == LightCommand(
        LightAction.OFF, KITCHEN
    )


@pytest.mark.parametrize(
    "text",
    [
        "turn on the TV",
        "what's the weather like",
        "add milk to my shopping list",
        "set a timer for 5 minutes",
        "set a timer",
        "",
    ],
)
def test_not_ours(recognizer: SentenceRecognizer, text: str) -> None:
    """Sentences OS1 doesn't own are left for the fallback agent."""
    assert recognizer.recognize(text, AREAS, LIGHTS) is None


def test_identity(recognizer: SentenceRecognizer) -> None:
    """Saying "who are you" is OS1's own, and not a light command."""
    recognized = recognizer.recognize("who are you", AREAS, LIGHTS)
    assert recognized is not None
    assert recognized.intent == "OS1Identity"
    assert parse(recognized) is None


@pytest.mark.parametrize(
    ("text", "room"),
    [
        ("turn on the lights in the garage", "garage"),
        ("turn off the lights in the attic please", "attic"),
        ("are the lights on in the shed?", "shed"),
        ("turn on the lights in here", None),
        ("turn on the TV in the garage", None),
        ("turn on the lights", None),
    ],
)
def test_unknown_room(text: str, room: str | None) -> None:
    """A lights sentence naming a room the home lacks is caught."""
    assert SentenceRecognizer.unknown_room(text) == room


def test_recognition_cache() -> None:
    """Repeated sentences are answered from the cache until the names change."""
    recognizer = SentenceRecognizer.load("en")
    first = recognizer.recognize("turn on the kitchen lights", AREAS, LIGHTS)
    assert recognizer.recognize("turn on the kitchen lights", AREAS, LIGHTS) is first
    renamed = [NamedTarget("kitchen", ("Cookhouse",)), *AREAS[1:]]
    assert recognizer.recognize("turn on the kitchen lights", renamed, LIGHTS) != first
    recognizer.cache_size = 0
    again = recognizer.recognize("turn on the kitchen lights", AREAS, LIGHTS)
    assert again == first
    assert again is not first
