"""Which room each person is in, from the evidence the home gives; free of Home Assistant.

A `PersonTracker` takes evidence about one person: the satellite that just
heard them (voice), a BLE area sensor (Bermuda, ESPresense), occupancy and
motion in an area, and presence messages from satellites. Each piece of
evidence weighs by its kind and fades with its age. The room with the most
weight wins, but only after it has led for a dwell time and by a margin over
the current room (hysteresis), so a person standing in a doorway does not flap
between two rooms; hearing someone's voice moves them at once. With no fresh
evidence the room decays to unknown; a person who is away has no room.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Evidence(StrEnum):
    """Kinds of evidence of where a person is."""

    VOICE = "voice"
    """A satellite heard them."""
    BLE = "ble"
    """Their phone or tag's BLE area sensor."""
    SATELLITE = "satellite"
    """A satellite sensed them (its presence message)."""
    OCCUPANCY = "occupancy"
    """An occupancy sensor of the area (only theirs when they are alone)."""
    MOTION = "motion"
    """A motion sensor of the area (the same)."""


WEIGHT = {
    Evidence.VOICE: 1.0,
    Evidence.BLE: 0.8,
    Evidence.SATELLITE: 0.7,
    Evidence.OCCUPANCY: 0.5,
    Evidence.MOTION: 0.4,
}
HALF_LIFE = {
    Evidence.VOICE: 30.0,
    Evidence.BLE: 90.0,
    Evidence.SATELLITE: 120.0,
    Evidence.OCCUPANCY: 300.0,
    Evidence.MOTION: 60.0,
}
"""Seconds after which a piece of evidence weighs half as much."""


@dataclass(frozen=True, slots=True)
class PresenceSettings:
    """How eagerly a person moves from room to room."""

    dwell: float = 10.0
    """Seconds a new room must lead before the person moves there."""
    hysteresis: float = 0.25
    """How much more weight (a fraction) the new room needs than the current one."""
    unknown_after: float = 900.0
    """Seconds without evidence after which the room is unknown."""
    min_weight: float = 0.1
    """Weight below which evidence no longer counts."""


@dataclass(frozen=True, slots=True)
class RoomChange:
    """A person moved (or their room became unknown: `room` None)."""

    person: str
    room: str | None
    previous: str | None
    confidence: float
    evidence: Evidence | None


@dataclass(slots=True)
class _Seen:
    area: str
    kind: Evidence
    at: float
    strength: float
    held: bool = False
    """The source still says so (a sensor's state): it doesn't fade yet."""

    def age(self, now: float) -> float:
        return 0.0 if self.held else max(0.0, now - self.at)


@dataclass(slots=True)
class PersonTracker:
    """Where one person is, with how sure OS1 is."""

    person: str
    settings: PresenceSettings = field(default_factory=PresenceSettings)
    room: str | None = None
    confidence: float = 0.0
    home: bool = True
    _seen: dict[tuple[Evidence, str], _Seen] = field(default_factory=dict)
    """The latest evidence from each source."""
    _leader: str | None = None
    _leading_since: float = 0.0

    def observe(
        self,
        kind: Evidence,
        area: str | None,
        at: float,
        *,
        source: str = "",
        strength: float = 1.0,
        held: bool = False,
    ) -> RoomChange | None:
        """Take a piece of evidence (area None: that source no longer places them).

        `held`: the source keeps saying so (a sensor's state) until it says
        something else or is released; held evidence doesn't fade.
        """
        if not self.home:
            return None  # Away: what the home senses is someone else.
        key = (kind, source or kind.value)
        if area is None:
            self._seen.pop(key, None)
        else:
            self._seen[key] = _Seen(area, kind, at, max(0.0, min(1.0, strength)), held)
        if kind is Evidence.VOICE and area is not None:
            return self._move(area, at, 1.0, kind)  # Heard: no doubt, no wait.
        return self.update(at)

    def release(self, kind: Evidence, source: str, at: float) -> RoomChange | None:
        """Let a source that stopped saying so (motion cleared) fade from now."""
        seen = self._seen.get((kind, source))
        if seen is None or not seen.held:
            return None
        seen.held, seen.at = False, at
        return self.update(at)

    def set_home(self, home: bool, at: float) -> RoomChange | None:
        """Follow the person's home/away state: away means no room."""
        self.home = home
        if not home:
            self._seen.clear()
            self._leader = None
            return self._move(None, at, 0.0, None)
        return self.update(at)

    @property
    def decides_at(self) -> float | None:
        """Return when a room that leads now will have led for the dwell time."""
        if self._leader is None:
            return None
        return self._leading_since + self.settings.dwell

    def weights(self, at: float) -> dict[str, float]:
        """Return the weight of evidence for each room now."""
        weights: dict[str, float] = {}
        for seen in self._seen.values():
            age = seen.age(at)
            weight = (
                WEIGHT[seen.kind] * seen.strength * 0.5 ** (age / HALF_LIFE[seen.kind])
            )
            if (
                weight >= self.settings.min_weight
                and age <= self.settings.unknown_after
            ):
                weights[seen.area] = weights.get(seen.area, 0.0) + weight
        return weights

    def update(self, at: float) -> RoomChange | None:
        """Decide the room now (evidence ages; call this from time to time too)."""
        if not self.home:
            return None
        weights = self.weights(at)
        if not weights:
            self._leader = None
            if self.room is None:
                return None
            if any(
                seen.age(at) <= self.settings.unknown_after
                for seen in self._seen.values()
            ):
                return None  # Faint, but not old: they are likely still there.
            return self._move(None, at, 0.0, None)
        leader = max(weights, key=lambda area: weights[area])
        total = sum(weights.values())
        confidence = weights[leader] / total
        current = weights.get(self.room, 0.0) if self.room is not None else 0.0
        if leader == self.room:
            self._leader = None
            self.confidence = confidence
            return None
        if self.room is not None and weights[leader] < current * (
            1 + self.settings.hysteresis
        ):
            self._leader = None  # Not clearly ahead: stay.
            self.confidence = current / total
            return None
        if self._leader != leader:
            self._leader, self._leading_since = leader, at
        if self.room is not None and at - self._leading_since < self.settings.dwell:
            return None  # Ahead, but not for long enough yet.
        kind = max(
            (seen for seen in self._seen.values() if seen.area == leader),
            key=lambda seen: seen.at,
        ).kind
        return self._move(leader, at, confidence, kind)

    def _move(
        self, room: str | None, at: float, confidence: float, kind: Evidence | None
    ) -> RoomChange | None:
        self._leader = None
        previous, self.room, self.confidence = self.room, room, confidence
        if room == previous:
            return None
        return RoomChange(self.person, room, previous, confidence, kind)


class People:
    """Where everyone OS1 knows is: one tracker per person, and shared evidence.

    Motion and occupancy sensors say that someone is in a room, not who: a
    sensor counts for the one person who lists it and is home, and when several
    such people are home it only confirms those already placed in its room.
    Voice without a known speaker is theirs when one person is home, otherwise
    the one person already in that room's.
    """

    def __init__(
        self, people: Iterable[str], settings: PresenceSettings | None = None
    ) -> None:
        """Start with nobody placed."""
        self.settings = settings or PresenceSettings()
        self.trackers = {
            person: PersonTracker(person, self.settings) for person in people
        }

    def room_of(self, person: str | None) -> str | None:
        """Return the room a person is in, if OS1 knows it."""
        tracker = self.trackers.get(person) if person else None
        return tracker.room if tracker else None

    def in_room(self, area: str) -> list[str]:
        """Return the people in a room."""
        return [p for p, tracker in self.trackers.items() if tracker.room == area]

    def home(self) -> list[str]:
        """Return the people who are home."""
        return [p for p, tracker in self.trackers.items() if tracker.home]

    def who_spoke(self, area: str | None) -> str | None:
        """Return who most likely spoke in a room, when it can be told."""
        home = self.home()
        if len(home) == 1:
            return home[0]
        if area is None:
            return None
        there = [person for person in home if self.trackers[person].room == area]
        return there[0] if len(there) == 1 else None

    def heard(
        self, area: str, at: float, person: str | None = None
    ) -> tuple[str | None, RoomChange | None]:
        """Place whoever a satellite in `area` heard; return who, and their move.

        `person`: who it was, when known (a signed-in user). Someone OS1
        doesn't follow is nobody else: they are returned, nobody is placed.
        """
        if person is not None and person not in self.trackers:
            return person, None
        speaker = person or self.who_spoke(area)
        if speaker is None:
            return None, None
        return speaker, self.trackers[speaker].observe(
            Evidence.VOICE, area, at, source="voice"
        )

    def observe(
        self,
        person: str,
        kind: Evidence,
        area: str | None,
        at: float,
        *,
        source: str,
        strength: float = 1.0,
        held: bool = False,
    ) -> RoomChange | None:
        """Take evidence that is about one person (their BLE sensor, say)."""
        if (tracker := self.trackers.get(person)) is None:
            return None
        return tracker.observe(
            kind, area, at, source=source, strength=strength, held=held
        )

    def someone(
        self,
        listed: Iterable[str],
        kind: Evidence,
        area: str | None,
        at: float,
        *,
        source: str,
        strength: float = 1.0,
        held: bool = False,
    ) -> list[RoomChange]:
        """Take evidence that someone (of those listed) is in a room, or left it."""
        candidates = [
            self.trackers[person]
            for person in listed
            if person in self.trackers and self.trackers[person].home
        ]
        if area is not None and len(candidates) > 1:
            candidates = [tracker for tracker in candidates if tracker.room == area]
        changes = []
        for tracker in candidates:
            change = tracker.observe(
                kind, area, at, source=source, strength=strength, held=held
            )
            if change is not None:
                changes.append(change)
        return changes

    def release(self, kind: Evidence, source: str, at: float) -> list[RoomChange]:
        """Let a shared source that stopped saying so fade from now."""
        return [
            change
            for tracker in self.trackers.values()
            if (change := tracker.release(kind, source, at)) is not None
        ]

    def set_home(self, person: str, home: bool, at: float) -> RoomChange | None:
        """Follow a person's home/away state."""
        if (tracker := self.trackers.get(person)) is None or tracker.home == home:
            return None
        return tracker.set_home(home, at)

    def update(self, at: float) -> list[RoomChange]:
        """Age everyone's evidence; return who moved."""
        return [
            change
            for tracker in self.trackers.values()
            if (change := tracker.update(at)) is not None
        ]

    def decides_at(self) -> float | None:
        """Return the earliest time someone's leading room will have dwelt enough."""
        times = [
            when
            for tracker in self.trackers.values()
            if (when := tracker.decides_at) is not None
        ]
        return min(times, default=None)
