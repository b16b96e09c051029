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
    Evidence.VOICE: 120.0,
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
    ) -> RoomChange | None:
        """Take a piece of evidence (area None: that source no longer places them)."""
        if not self.home:
            return None  # Away: what the home senses is someone else.
        key = (kind, source or kind.value)
        if area is None:
            self._seen.pop(key, None)
        else:
            self._seen[key] = _Seen(area, kind, at, max(0.0, min(1.0, strength)))
        if kind is Evidence.VOICE and area is not None:
            return self._move(area, at, 1.0, kind)  # Heard: no doubt, no wait.
        return self.update(at)

    def set_home(self, home: bool, at: float) -> RoomChange | None:
        """Follow the person's home/away state: away means no room."""
        self.home = home
        if not home:
            self._seen.clear()
            self._leader = None
            return self._move(None, at, 0.0, None)
        return self.update(at)

    def weights(self, at: float) -> dict[str, float]:
        """Return the weight of evidence for each room now."""
        weights: dict[str, float] = {}
        for seen in self._seen.values():
            age = max(0.0, at - seen.at)
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
            return self._move(None, at, 0.0, None) if self.room is not None else None
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
