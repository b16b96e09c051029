"""Carry out light commands on the lights the user exposed to Assist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from homeassistant.components.light import (
    ATTR_BRIGHTNESS_PCT,
    ATTR_BRIGHTNESS_STEP_PCT,
    ATTR_COLOR_NAME,
    ATTR_COLOR_TEMP_KELVIN,
    ATTR_SUPPORTED_COLOR_MODES,
    DOMAIN as LIGHT_DOMAIN,
    ColorMode,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Context, HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import intent

from .commands import LightAction, LightCommand, Target, TargetKind
from .const import LOGGER
from .responses import Phrasebook, Subject
from .rooms import ASSISTANT, area_name, area_of_entity, is_exposed, spoken

COLOR_MODES = {
    ColorMode.HS,
    ColorMode.XY,
    ColorMode.RGB,
    ColorMode.RGBW,
    ColorMode.RGBWW,
}
TEMPERATURE_MODES = {ColorMode.COLOR_TEMP, *COLOR_MODES}

ErrorCode = intent.IntentResponseErrorCode


@dataclass(slots=True)
class LightReply:
    """The outcome of a light command, ready to speak."""

    speech: str
    error: intent.IntentResponseErrorCode | None = None
    done: LightCommand | None = None
    """The command as carried out, for the conversation to remember."""
    states: list[State] = field(default_factory=list)
    area_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Targets:
    """Exposed lights a command applies to, and how to speak of them."""

    states: list[State]
    subject: Subject
    area_ids: list[str]


class LightController:
    """Resolve targets, act on exposed lights, and phrase the outcome."""

    def __init__(self, hass: HomeAssistant, phrases: Phrasebook) -> None:
        """Initialize the controller."""
        self.hass = hass
        self.phrases = phrases

    async def async_run(self, command: LightCommand, context: Context) -> LightReply:
        """Carry out a command whose target is resolved."""
        targets = self._resolve(command.target)
        if isinstance(targets, LightReply):
            return targets
        if command.action is LightAction.QUERY:
            return self._query(command, targets)

        available = [s for s in targets.states if s.state != STATE_UNAVAILABLE]
        unavailable = len(targets.states) - len(available)
        if not available:
            return LightReply(
                self.phrases.not_responding(targets.subject),
                ErrorCode.NO_VALID_TARGETS,
            )
        if command.action in (LightAction.COLOR, LightAction.TEMPERATURE):
            modes = (
                COLOR_MODES
                if command.action is LightAction.COLOR
                else TEMPERATURE_MODES
            )
            available = [s for s in available if _supports(s, modes)]
            if not available:
                return LightReply(
                    self.phrases.cannot_color(targets.subject),
                    ErrorCode.NO_VALID_TARGETS,
                )

        service, data = _service_call(command)
        data[ATTR_ENTITY_ID] = [state.entity_id for state in available]
        try:
            await self.hass.services.async_call(
                LIGHT_DOMAIN, service, data, blocking=True, context=context
            )
        except HomeAssistantError as err:
            LOGGER.warning("Could not %s %s: %s", service, data[ATTR_ENTITY_ID], err)
            return LightReply(
                self.phrases.failed(targets.subject), ErrorCode.FAILED_TO_HANDLE
            )
        return LightReply(
            self.phrases.done(command, targets.subject, unavailable),
            done=command,
            states=available,
            area_ids=targets.area_ids,
        )

    def _resolve(self, target: Target) -> _Targets | LightReply:
        """Find the exposed lights of a target, or explain why there are none."""
        if target.kind is TargetKind.LIGHTS:
            return self._resolve_lights(target.ids)
        if target.kind is TargetKind.AREAS:
            return self._resolve_areas(target.ids)
        return self._resolve_home()

    def _resolve_lights(self, entity_ids: Sequence[str]) -> _Targets | LightReply:
        """Resolve lights named by the user."""
        states = [s for e in entity_ids if (s := self.hass.states.get(e)) is not None]
        exposed = [s for s in states if is_exposed(self.hass, s)]
        if not exposed:
            return LightReply(
                self.phrases.not_allowed(None), ErrorCode.NO_VALID_TARGETS
            )
        names = [f"the {spoken(s.name)}" for s in exposed]
        areas = {a for s in exposed if (a := area_of_entity(self.hass, s.entity_id))}
        return _Targets(
            exposed, Subject(", ".join(names), len(exposed) > 1), sorted(areas)
        )

    def _resolve_areas(self, area_ids: Sequence[str]) -> _Targets | LightReply:
        """Resolve the lights of rooms."""
        states: list[State] = []
        for area_id in area_ids:
            place = f"the {area_name(self.hass, area_id)}"
            match = intent.async_match_targets(
                self.hass,
                intent.MatchTargetsConstraints(
                    area_name=area_id, domains={LIGHT_DOMAIN}, assistant=ASSISTANT
                ),
            )
            if match.is_match:
                states.extend(match.states)
            elif match.no_match_reason is intent.MatchFailedReason.ASSISTANT:
                return LightReply(
                    self.phrases.not_allowed(place), ErrorCode.NO_VALID_TARGETS
                )
            elif match.no_match_reason is intent.MatchFailedReason.INVALID_AREA:
                return LightReply(
                    self.phrases.unknown_room(area_id), ErrorCode.NO_VALID_TARGETS
                )
            else:
                return LightReply(
                    self.phrases.no_lights(place), ErrorCode.NO_VALID_TARGETS
                )
        rooms = [area_name(self.hass, area_id) for area_id in area_ids]
        noun = "lights" if len(states) > 1 else "light"
        subject = Subject(f"the {' and '.join(rooms)} {noun}", len(states) > 1)
        return _Targets(states, subject, list(area_ids))

    def _resolve_home(self) -> _Targets | LightReply:
        """Resolve every exposed light of the home."""
        match = intent.async_match_targets(
            self.hass,
            intent.MatchTargetsConstraints(domains={LIGHT_DOMAIN}, assistant=ASSISTANT),
        )
        if not match.is_match:
            return LightReply(
                self.phrases.no_lights_anywhere(), ErrorCode.NO_VALID_TARGETS
            )
        states = match.states
        subject = Subject(
            "all the lights" if len(states) > 1 else "the light", len(states) > 1
        )
        return _Targets(states, subject, [])

    def _query(self, command: LightCommand, targets: _Targets) -> LightReply:
        """Answer whether lights are on."""
        on = [s for s in targets.states if s.state == STATE_ON]
        if command.target.kind is TargetKind.HOME and command.expected_state == "on":
            rooms: dict[str, None] = {}
            for state in on:
                area_id = area_of_entity(self.hass, state.entity_id)
                rooms[
                    f"the {area_name(self.hass, area_id)}"
                    if area_id
                    else spoken(state.name)
                ] = None
            speech = self.phrases.lights_on_in(sorted(rooms))
        else:
            speech = self.phrases.query(
                targets.subject, command.expected_state, len(on), len(targets.states)
            )
        return LightReply(
            speech, done=command, states=targets.states, area_ids=targets.area_ids
        )


def _supports(state: State, modes: set[ColorMode]) -> bool:
    """Return True if a light supports one of the color modes."""
    supported: list[str] = state.attributes.get(ATTR_SUPPORTED_COLOR_MODES) or []
    return any(mode in modes for mode in supported)


def _service_call(command: LightCommand) -> tuple[str, dict[str, Any]]:
    """Return the light service and data that carry out a command."""
    match command.action:
        case LightAction.OFF:
            return SERVICE_TURN_OFF, {}
        case LightAction.BRIGHTNESS:
            return SERVICE_TURN_ON, {ATTR_BRIGHTNESS_PCT: command.brightness_pct}
        case LightAction.STEP:
            return SERVICE_TURN_ON, {ATTR_BRIGHTNESS_STEP_PCT: command.step_pct}
        case LightAction.COLOR:
            return SERVICE_TURN_ON, {ATTR_COLOR_NAME: command.color}
        case LightAction.TEMPERATURE:
            return SERVICE_TURN_ON, {ATTR_COLOR_TEMP_KELVIN: command.kelvin}
        case _:
            return SERVICE_TURN_ON, {}
