"""Which room a person is in, from fading evidence (no Home Assistant)."""

from __future__ import annotations

import pytest

from custom_components.os1.presence import (
    Evidence,
    People,
    PersonTracker,
    PresenceSettings,
    RoomChange,
)


def tracker() -> PersonTracker:
    """Return Anna's tracker with the default settings."""
    return PersonTracker("person.anna")


def test_voice_moves_at_once() -> None:
    """The satellite that just heard someone puts them in its room, at once."""
    anna = tracker()
    change = anna.observe(Evidence.VOICE, "kitchen", 0.0, source="kitchen_satellite")
    assert change == RoomChange("person.anna", "kitchen", None, 1.0, Evidence.VOICE)
    assert anna.observe(Evidence.VOICE, "kitchen", 5.0) is None


def test_ble_moves_after_the_dwell_time() -> None:
    """A BLE sensor moves someone once the new room has led for the dwell time."""
    anna = tracker()
    assert anna.observe(Evidence.BLE, "kitchen", 0.0, source="phone")
    assert anna.observe(Evidence.BLE, "bedroom", 30.0, source="phone") is None
    assert anna.room == "kitchen"
    change = anna.update(41.0)
    assert change is not None
    assert (change.room, change.previous, change.evidence) == (
        "bedroom",
        "kitchen",
        Evidence.BLE,
    )


def test_flapping_between_rooms_causes_no_storm() -> None:
    """A doorway: the sensor alternates every 2 s; the room changes at most once."""
    anna = tracker()
    changes = []
    for second in range(0, 120, 2):
        room = "kitchen" if (second // 2) % 2 == 0 else "living_room"
        if change := anna.observe(Evidence.BLE, room, float(second), source="phone"):
            changes.append(change)
        if change := anna.observe(
            Evidence.MOTION, "kitchen", float(second), source="kitchen_motion"
        ):
            changes.append(change)
    assert len(changes) == 1
    assert anna.room == "kitchen"


def test_hysteresis_keeps_the_current_room_against_a_close_second() -> None:
    """A new room that is only a little ahead does not take the person."""
    anna = PersonTracker("person.anna", PresenceSettings(dwell=0.0))
    anna.observe(Evidence.BLE, "kitchen", 0.0, source="tag")
    anna.observe(Evidence.OCCUPANCY, "bedroom", 1.0, source="bed_occupancy")
    anna.observe(Evidence.MOTION, "bedroom", 1.0, source="bed_motion")
    # bedroom 0.9 against kitchen ~0.8: not 25% ahead.
    assert anna.room == "kitchen"
    anna.observe(Evidence.SATELLITE, "bedroom", 2.0, source="bed_satellite")
    assert anna.room == "bedroom"


def test_decays_to_unknown_and_away_means_nowhere() -> None:
    """Old evidence fades to an unknown room; away clears the room and the evidence."""
    anna = tracker()
    anna.observe(Evidence.MOTION, "kitchen", 0.0)
    assert anna.room == "kitchen"
    # Faint after a few minutes, but still likely there: kept until 15 minutes.
    assert anna.weights(600.0) == {}
    assert anna.update(600.0) is None
    assert anna.room == "kitchen"
    change = anna.update(1000.0)
    assert change is not None and change.room is None
    anna.observe(Evidence.VOICE, "bedroom", 1001.0)
    change = anna.set_home(False, 1002.0)
    assert change is not None and (change.room, change.previous) == (None, "bedroom")
    assert anna.observe(Evidence.VOICE, "kitchen", 1003.0) is None  # Not home.
    anna.set_home(True, 1004.0)
    assert anna.observe(Evidence.VOICE, "kitchen", 1005.0) is not None


def test_a_source_that_no_longer_places_them() -> None:
    """A BLE sensor that goes 'not_home' stops counting at once."""
    anna = PersonTracker("person.anna", PresenceSettings(dwell=0.0))
    anna.observe(Evidence.BLE, "kitchen", 0.0, source="phone")
    change = anna.observe(Evidence.BLE, None, 1.0, source="phone")
    assert change is not None and change.room is None
    assert anna.weights(1.0) == {}


def test_who_spoke_and_shared_sensors() -> None:
    """Voices and motion name nobody; who they mean depends on who is where."""
    people = People(["person.anna", "person.ben"], PresenceSettings(dwell=0.0))
    both = ["person.anna", "person.ben"]
    assert people.who_spoke("kitchen") is None  # Two home, nobody placed.
    assert people.someone(both, Evidence.MOTION, "kitchen", 0.0, source="m") == []
    people.observe("person.ben", Evidence.BLE, "kitchen", 0.0, source="phone")
    speaker, change = people.heard("kitchen", 1.0)
    assert speaker == "person.ben"  # The one placed there.
    assert change is None
    speaker, change = people.heard("bedroom", 2.0, "person.anna")
    assert speaker == "person.anna"
    assert change is not None and change.room == "bedroom"
    assert people.in_room("bedroom") == ["person.anna"]
    # Motion in the kitchen confirms Ben only; Anna stays in the bedroom.
    people.someone(both, Evidence.MOTION, "kitchen", 3.0, source="m")
    assert people.room_of("person.anna") == "bedroom"
    assert people.set_home("person.ben", False, 4.0) is not None
    assert people.set_home("person.ben", False, 5.0) is None
    assert people.who_spoke("living_room") == "person.anna"  # Alone at home.
    assert (
        people.observe("person.carl", Evidence.BLE, "kitchen", 6.0, source="x") is None
    )


def test_when_a_leading_room_is_decided() -> None:
    """The trackers say when a leading room will have dwelt, for one timer."""
    people = People(["person.anna"])
    people.observe("person.anna", Evidence.BLE, "kitchen", 0.0, source="phone")
    assert people.decides_at() is None
    people.observe("person.anna", Evidence.BLE, "bedroom", 20.0, source="phone")
    assert people.decides_at() == 30.0
    assert people.update(29.0) == []
    (change,) = people.update(30.0)
    assert (change.room, change.previous) == ("bedroom", "kitchen")
    assert people.decides_at() is None


def test_held_evidence_lasts_until_the_source_lets_go() -> None:
    """A sensor's state holds its evidence; released, it fades from that moment."""
    anna = PersonTracker("person.anna")
    anna.observe(Evidence.BLE, "kitchen", 0.0, source="phone", held=True)
    assert anna.update(3600.0) is None
    assert anna.room == "kitchen"
    assert anna.weights(3600.0) == {"kitchen": 0.8}
    anna.observe(Evidence.MOTION, "kitchen", 0.0, source="motion", held=True)
    assert anna.release(Evidence.MOTION, "motion", 100.0) is None
    assert anna.release(Evidence.MOTION, "motion", 200.0) is None  # Already let go.
    assert anna.weights(160.0)["kitchen"] == pytest.approx(0.8 + 0.2)


def test_a_known_person_not_followed_is_nobody_else() -> None:
    """Carl (signed in, not followed) speaking doesn't place Anna, even alone."""
    people = People(["person.anna"])
    assert people.heard("bedroom", 0.0, "person.carl") == ("person.carl", None)
    assert people.room_of("person.anna") is None
    assert people.heard("bedroom", 1.0) == (
        "person.anna",
        RoomChange("person.anna", "bedroom", None, 1.0, Evidence.VOICE),
    )
    assert people.release(Evidence.MOTION, "motion", 2.0) == []
