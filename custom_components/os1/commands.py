"""What a recognized sentence asks OS1 to do, free of Home Assistant.

A sentence becomes a command (what to do) and a target (where): the rooms it
names, one light by name, the whole home, the room the speaker is in, or
whatever the conversation was just about.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from .nlu import Recognized

DEFAULT_STEP_PCT = 20


class LightAction(StrEnum):
    """What to do with lights."""

    ON = "on"
    OFF = "off"
    BRIGHTNESS = "brightness"
    STEP = "step"
    COLOR = "color"
    TEMPERATURE = "temperature"
    QUERY = "query"


class TargetKind(StrEnum):
    """How a sentence says where."""

    AREAS = "areas"
    """Rooms the sentence names."""

    LIGHTS = "lights"
    """Lights the sentence names."""

    HOME = "home"
    """Every room."""

    HERE = "here"
    """The room the speaker is in ("turn on the lights")."""

    PREVIOUS = "previous"
    """Whatever the conversation was about ("make them blue")."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a light command applies."""

    kind: TargetKind
    ids: tuple[str, ...] = ()

    @classmethod
    def areas(cls, *area_ids: str) -> Target:
        """Target rooms by area id."""
        return cls(TargetKind.AREAS, area_ids)

    @classmethod
    def lights(cls, *entity_ids: str) -> Target:
        """Target lights by entity id."""
        return cls(TargetKind.LIGHTS, entity_ids)

    @property
    def is_resolved(self) -> bool:
        """Return True when the target names rooms, lights or the home."""
        return self.kind in (TargetKind.AREAS, TargetKind.LIGHTS, TargetKind.HOME)


HOME = Target(TargetKind.HOME)
HERE = Target(TargetKind.HERE)
PREVIOUS = Target(TargetKind.PREVIOUS)


@dataclass(frozen=True, slots=True)
class LightCommand:
    """One thing to do with lights, somewhere."""

    action: LightAction
    target: Target
    brightness_pct: int | None = None
    step_pct: int | None = None
    color: str | None = None
    kelvin: int | None = None
    expected_state: str = "on"
    """For a query: the state the user asked about."""

    def at(self, target: Target) -> LightCommand:
        """Return the same command for another target."""
        return replace(self, target=target)


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A sentence that only names where ("and the kitchen too")."""

    target: Target


def parse(recognized: Recognized) -> LightCommand | FollowUp | None:
    """Turn a recognized light sentence into a command or a follow-up."""
    target = _target(recognized)
    match recognized.intent:
        case "OS1FollowUp":
            return FollowUp(target)
        case "OS1LightPower":
            power = recognized.text("power")
            action = LightAction.ON if power == "on" else LightAction.OFF
            return LightCommand(action, target)
        case "OS1LightBrightness":
            brightness = max(0, min(100, recognized.number("brightness") or 0))
            if brightness == 0:
                return LightCommand(LightAction.OFF, target)
            return LightCommand(
                LightAction.BRIGHTNESS, target, brightness_pct=brightness
            )
        case "OS1LightStep":
            amount = recognized.number("amount") or DEFAULT_STEP_PCT
            sign = 1 if recognized.text("direction") == "up" else -1
            return LightCommand(LightAction.STEP, target, step_pct=sign * amount)
        case "OS1LightColor":
            if (kelvin := recognized.number("temperature")) is not None:
                return LightCommand(LightAction.TEMPERATURE, target, kelvin=kelvin)
            return LightCommand(
                LightAction.COLOR, target, color=recognized.text("color")
            )
        case "OS1LightQuery":
            state = recognized.text("light_state") or "on"
            return LightCommand(LightAction.QUERY, target, expected_state=state)
    return None


def _target(recognized: Recognized) -> Target:
    """Return where a recognized sentence applies."""
    if (area_id := recognized.text("area")) is not None:
        return Target.areas(area_id)
    if (entity_id := recognized.text("name")) is not None:
        return Target.lights(entity_id)
    scope = recognized.text("scope")
    if scope == "all" or (scope is None and recognized.text("quantifier") == "all"):
        return HOME
    if scope is None and recognized.text("ref") == "it":
        return PREVIOUS
    return HERE
