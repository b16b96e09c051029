"""What OS1 says back, free of Home Assistant.

Answers are short enough to speak, and warm or brief as the user chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .commands import LightAction, LightCommand

COLOR_WORDS = {
    "lightskyblue": "sky blue",
    "navy": "navy blue",
}
TEMPERATURE_WORDS = {2700: "warm white", 4000: "neutral white", 5000: "cool white"}


class ResponseStyle(StrEnum):
    """How OS1 phrases its answers."""

    WARM = "warm"
    BRIEF = "brief"


@dataclass(frozen=True, slots=True)
class Subject:
    """What an answer talks about: "the kitchen lights", "the bed light"."""

    text: str
    plural: bool

    @property
    def be(self) -> str:
        """Return the verb form that agrees with the subject."""
        return "are" if self.plural else "is"

    @property
    def capitalized(self) -> str:
        """Return the text for the start of a sentence."""
        return self.text[:1].upper() + self.text[1:]


def join_words(words: Sequence[str]) -> str:
    """Join words as a spoken list: "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


class Phrasebook:
    """OS1's English answers in one style."""

    def __init__(self, style: ResponseStyle, assistant_name: str) -> None:
        """Initialize for a style and the assistant's name."""
        self.style = style
        self.name = assistant_name

    @property
    def warm(self) -> bool:
        """Return True for the warm style."""
        return self.style is ResponseStyle.WARM

    def done(self, command: LightCommand, subject: Subject, not_responding: int) -> str:
        """Confirm a light command that was carried out."""
        if not self.warm:
            text = "Done."
        else:
            text = f"Okay, {subject.text} {self._result(command, subject)}."
        return text + self._not_responding(not_responding)

    def _result(self, command: LightCommand, subject: Subject) -> str:
        """Describe the state a command left the lights in."""
        match command.action:
            case LightAction.ON:
                return f"{subject.be} on"
            case LightAction.OFF:
                return f"{subject.be} off"
            case LightAction.BRIGHTNESS:
                return f"{subject.be} at {command.brightness_pct} percent"
            case LightAction.STEP:
                direction = "brighter" if (command.step_pct or 0) > 0 else "dimmer"
                return f"{subject.be} a little {direction}"
            case LightAction.COLOR:
                color = command.color or ""
                return f"{subject.be} {COLOR_WORDS.get(color, color)} now"
            case _:
                kelvin = command.kelvin or 0
                return f"{subject.be} {TEMPERATURE_WORDS.get(kelvin, 'daylight')} now"

    def query(self, subject: Subject, expected: str, on: int, total: int) -> str:
        """Answer "is the bedroom light on?"."""
        all_on = on == total
        yes = (expected == "on" and on > 0) or (expected == "off" and not all_on)
        if total == 1 or on in (0, total):
            state = "on" if on else "off"
            which = "all " if subject.plural and total > 1 and self.warm else ""
            answer = f"{which}{subject.text} {subject.be} {state}."
        else:
            answer = f"{on} of {subject.text} {'is' if on == 1 else 'are'} on."
        return f"{'Yes' if yes else 'No'}, {answer}"

    def lights_on_in(self, rooms: Sequence[str]) -> str:
        """Answer "which lights are on?"."""
        if not rooms:
            return "All the lights are off."
        return f"The lights are on in {join_words(rooms)}."

    def which_room(self) -> str:
        """Ask where, when OS1 can't tell the room."""
        return "Which room do you mean?" if self.warm else "Which room?"

    def unknown_room(self, room: str) -> str:
        """Say a named room does not exist."""
        return f"I don't know a room called {room}."

    def no_lights(self, place: str) -> str:
        """Say a room has no lights."""
        if self.warm:
            return f"I couldn't find any lights in {place}."
        return f"There are no lights in {place}."

    def no_lights_anywhere(self) -> str:
        """Say the home has no lights OS1 may use."""
        return "I don't see any lights I can control."

    def not_allowed(self, place: str | None) -> str:
        """Say lights are not exposed to OS1, without naming them."""
        if place is None:
            return "Sorry, I'm not allowed to control that light."
        return f"Sorry, I'm not allowed to control the lights in {place}."

    def not_responding(self, subject: Subject) -> str:
        """Say every targeted light is unavailable."""
        verb = "aren't" if subject.plural else "isn't"
        return f"{subject.capitalized} {verb} responding right now."

    def cannot_color(self, subject: Subject) -> str:
        """Say lights can't show a color."""
        return f"{subject.capitalized} can't change color."

    def failed(self, subject: Subject) -> str:
        """Say Home Assistant could not carry out a command."""
        return f"Sorry, I couldn't reach {subject.text}."

    def identity(self) -> str:
        """Say who OS1 is."""
        if self.warm:
            return f"I'm {self.name}. I'm here whenever you need me."
        return f"I'm {self.name}."

    # Reminders: `task` is already said back in the second person.

    def reminder_set(self, task: str, when: str) -> str:
        """Confirm a new reminder, saying when back."""
        if self.warm:
            return f"Okay, I'll remind you to {task} {when}."
        return f"Okay, {when}."

    def reminder_when(self, task: str) -> str:
        """Ask when to remind."""
        return f"When should I remind you to {task}?"

    def reminder_unclear_time(self, phrase: str) -> str:
        """Say a time phrase could not be read, and ask again."""
        return (
            f"I couldn't tell when {phrase!r} is. "
            "When should I remind you? For example, at 5 PM or in 20 minutes."
        )

    def reminder_bad_time(self, reason: str) -> str:
        """Say why a time does not work."""
        return f"Sorry, {reason}. When should I remind you?"

    def reminders(self, items: Sequence[str], more: int) -> str:
        """List reminders: each is "call mom today at 5 PM"."""
        if not items:
            return "You have no reminders." if self.warm else "No reminders."
        count = len(items) + more
        head = "one reminder" if count == 1 else f"{count} reminders"
        listed = join_words([*items, f"{more} more"] if more else items)
        return f"You have {head}: {listed}."

    def reminder_cancelled(self, task: str) -> str:
        """Confirm a cancelled reminder."""
        if self.warm:
            return f"Okay, I won't remind you to {task}."
        return "Cancelled."

    def reminder_not_found(self, task: str | None) -> str:
        """Say there is no such reminder, or ask which one."""
        if task is None:
            return "Which reminder do you mean?"
        return f"I couldn't find a reminder about {task}."

    def reminder_snoozed(self, when: str) -> str:
        """Confirm a snooze."""
        if self.warm:
            return f"Okay, I'll remind you again {when}."
        return f"Okay, {when}."

    def reminder_done(self, task: str, following: str | None) -> str:
        """Confirm an acknowledged reminder; a repeating one says when it is next."""
        if following is not None:
            return f"Okay. I'll remind you again {following}."
        return f"Great, {task} is done." if self.warm else "Done."

    def no_reminder_waiting(self) -> str:
        """Say no reminder is waiting to be acknowledged."""
        return "There's no reminder waiting right now."

    def reminder_due(self, task: str, late_since: str | None, again: bool) -> str:
        """Say a reminder that is due (late while OS1 was away, or again)."""
        if late_since is not None:
            return f"While I was away, you had a reminder for {late_since}: {task}."
        if again:
            return f"Just reminding you again: {task}."
        return f"Here's your reminder: {task}." if self.warm else f"Reminder: {task}."

    def trouble(self) -> str:
        """Say something went wrong elsewhere."""
        return "Sorry, I couldn't do that right now."

    def _not_responding(self, count: int) -> str:
        """Add a note about lights that did not respond."""
        if count == 0:
            return ""
        if count == 1:
            return " One of them isn't responding."
        return f" {count} of them aren't responding."
