"""Which room a person is in, from fading evidence (no Home Assistant)."""

from __future__ import annotations

from custom_components.os1.presence import (
    Evidence,
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
