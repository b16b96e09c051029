"""What OS1 remembers of each conversation, free of Home Assistant.

A conversation remembers the last light command it carried out (so "and the
kitchen too" can repeat it) and a command still waiting for a room (after OS1
asked "which room?"). Memories expire with the conversation.

OS1's conversations ("threads") can be wider than Home Assistant's: a person
who spoke a moment ago in another room carries on the same thread. Home
Assistant's own conversation ids stay with the device and user that started
them (a conversation belongs to its first user), so OS1 answers each turn with
its own conversation id and remembers under the thread.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
import time

from .commands import LightCommand
from .music import MediaItem

CONVERSATION_TTL = 300.0
"""Seconds a conversation is remembered, as long as Home Assistant's chat sessions."""

MAX_CONVERSATIONS = 500


@dataclass(slots=True)
class Turn:
    """What one conversation left open."""

    last: LightCommand | None = None
    """The last command carried out, with the target it resolved to."""

    pending: LightCommand | None = None
    """A command waiting for the user to say where."""

    choices: tuple[MediaItem, ...] = ()
    """Music OS1 asked the user to choose from, and the player it is for."""
    choices_player: str | None = None

    reminder_task: str | None = None
    """A reminder OS1 asked "when?" about."""
    reminder: str | None = None
    """The reminder the conversation last set or talked about."""

    updated: float = 0.0


class ConversationMemory:
    """Per-conversation memory with expiry and a size bound."""

    def __init__(
        self,
        ttl: float = CONVERSATION_TTL,
        max_conversations: int = MAX_CONVERSATIONS,
    ) -> None:
        """Initialize an empty memory."""
        self._ttl = ttl
        self._max = max_conversations
        self._turns: OrderedDict[str, Turn] = OrderedDict()

    def __len__(self) -> int:
        """Return how many conversations are remembered."""
        self._expire(time.monotonic())
        return len(self._turns)

    def get(self, conversation_id: str) -> Turn:
        """Return what a conversation left open (empty when new or expired)."""
        now = time.monotonic()
        self._expire(now)
        return self._turns.get(conversation_id) or Turn()

    def remember(
        self,
        conversation_id: str,
        *,
        last: LightCommand | None = None,
        pending: LightCommand | None = None,
        choices: tuple[MediaItem, ...] = (),
        choices_player: str | None = None,
        reminder_task: str | None = None,
        reminder: str | None = None,
    ) -> None:
        """Record the outcome of a turn (what it asks about replaces the last)."""
        now = time.monotonic()
        turn = self._turns.pop(conversation_id, None) or Turn()
        if last is not None:
            turn.last = last
        turn.pending = pending
        turn.choices = choices
        turn.choices_player = choices_player
        turn.reminder_task = reminder_task
        if reminder is not None:
            turn.reminder = reminder
        turn.updated = now
        self._turns[conversation_id] = turn
        while len(self._turns) > self._max:
            self._turns.popitem(last=False)

    def forget(self, conversation_id: str) -> None:
        """Drop a conversation."""
        self._turns.pop(conversation_id, None)

    def _expire(self, now: float) -> None:
        """Drop conversations older than the time to live."""
        while self._turns:
            conversation_id, turn = next(iter(self._turns.items()))
            if now - turn.updated <= self._ttl:
                return
            del self._turns[conversation_id]


class Threads:
    """Which of OS1's threads each turn continues."""

    def __init__(
        self,
        window: float,
        ttl: float = CONVERSATION_TTL,
        max_conversations: int = MAX_CONVERSATIONS,
    ) -> None:
        """Let a person's next turn within `window` seconds join their thread."""
        self.window = window
        self._ttl = ttl
        self._max = max_conversations
        self._conversations: OrderedDict[str, tuple[str, float]] = OrderedDict()
        """The thread of each Home Assistant conversation, and its last turn."""
        self._people: dict[str, tuple[str, float]] = {}
        """Each person's thread, and when they last spoke."""

    def thread(self, conversation_id: str, person: str | None) -> str:
        """Return the thread of a turn in a conversation, by a person if known."""
        now = time.monotonic()
        self._expire(now)
        known = self._conversations.pop(conversation_id, None)
        thread = known[0] if known else conversation_id
        if person is not None:
            recent = self._people.get(person)
            if recent is not None and now - recent[1] <= self.window:
                thread = recent[0]
            self._people[person] = (thread, now)
        self._conversations[conversation_id] = (thread, now)
        while len(self._conversations) > self._max:
            self._conversations.popitem(last=False)
        return thread

    def _expire(self, now: float) -> None:
        """Forget conversations and people quiet for longer than the time to live."""
        while self._conversations:
            conversation_id, (_, updated) = next(iter(self._conversations.items()))
            if now - updated <= self._ttl:
                break
            del self._conversations[conversation_id]
        for person in [p for p, (_, t) in self._people.items() if now - t > self._ttl]:
            del self._people[person]
