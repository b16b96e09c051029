"""Follow people from room to room with the home's sensors and OS1's satellites.

The Home Assistant side of `presence`: it reads each person's entities (home or
away, BLE area sensors, motion and occupancy sensors), the satellites that hear
them and the presence messages of MQTT satellites, feeds the trackers, and
tells the rest of OS1 (and the home, with an event) when someone changes room.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    STATE_HOME,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from .const import (
    CONF_BLE_SENSORS,
    CONF_DWELL,
    CONF_FOLLOW_MUSIC,
    CONF_HYSTERESIS,
    CONF_PERSON,
    CONF_ROOM_SENSORS,
    CONF_UNKNOWN_AFTER,
    EVENT_ROOM_CHANGED,
    LOGGER,
    SUBENTRY_PERSON,
)
from .presence import Evidence, People, PresenceSettings, RoomChange
from .rooms import area_named, area_of_entity

AGE_INTERVAL = timedelta(seconds=5)
"""How often evidence is aged when nothing happens: a room that was held by a
margin can win once the old room's evidence has faded; rooms decay to unknown."""
REFRESH_EVERY = 6
"""Age ticks between rewrites of the people's entities (fading confidence)."""

_NOWHERE = {STATE_UNKNOWN, STATE_UNAVAILABLE, "", "none", "not_home", "away"}
_MOTION = {BinarySensorDeviceClass.MOTION, BinarySensorDeviceClass.MOVING}


def presence_settings(options: Mapping[str, Any]) -> PresenceSettings:
    """Return the presence settings from the options page (defaults otherwise)."""
    defaults = PresenceSettings()
    return PresenceSettings(
        dwell=float(options.get(CONF_DWELL, defaults.dwell)),
        hysteresis=float(options.get(CONF_HYSTERESIS, defaults.hysteresis * 100)) / 100,
        unknown_after=float(
            options.get(CONF_UNKNOWN_AFTER, defaults.unknown_after / 60)
        )
        * 60,
    )


@dataclass(frozen=True, slots=True)
class PersonConfig:
    """One person's evidence, as set on their subentry."""

    person: str
    ble_sensors: tuple[str, ...] = ()
    room_sensors: tuple[str, ...] = ()
    follow_music: bool = True

    @classmethod
    def from_subentry(cls, subentry: ConfigSubentry) -> PersonConfig:
        """Read a person subentry."""
        data = subentry.data
        return cls(
            person=data[CONF_PERSON],
            ble_sensors=tuple(data.get(CONF_BLE_SENSORS, ())),
            room_sensors=tuple(data.get(CONF_ROOM_SENSORS, ())),
            follow_music=bool(data.get(CONF_FOLLOW_MUSIC, True)),
        )


def people_of(subentries: Mapping[str, ConfigSubentry]) -> dict[str, PersonConfig]:
    """Return the people OS1 follows, by subentry id."""
    return {
        subentry_id: PersonConfig.from_subentry(subentry)
        for subentry_id, subentry in subentries.items()
        if subentry.subentry_type == SUBENTRY_PERSON
    }


type ChangeListener = Callable[[RoomChange], None]


class PresenceMonitor:
    """Where everyone is, kept current from their entities."""

    def __init__(
        self,
        hass: HomeAssistant,
        people: Mapping[str, PersonConfig],
        settings: PresenceSettings,
    ) -> None:
        """Track the configured people (not yet listening)."""
        self.hass = hass
        self.configs = {config.person: config for config in people.values()}
        self.subentries = {config.person: sid for sid, config in people.items()}
        self.people = People(self.configs, settings)
        self.since: dict[str, datetime] = {}
        """When each person's room last changed."""
        self._follow = {person: c.follow_music for person, c in self.configs.items()}
        self._ble: dict[str, str] = {}
        self._room_sensors: dict[str, list[str]] = {}
        for person, config in self.configs.items():
            for entity_id in config.ble_sensors:
                self._ble[entity_id] = person
            for entity_id in config.room_sensors:
                self._room_sensors.setdefault(entity_id, []).append(person)
        self._listeners: list[ChangeListener] = []
        self._updates: list[CALLBACK_TYPE] = []
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._decide: CALLBACK_TYPE | None = None
        self._ticks = 0
        self._starting = False
        """Placing everyone at start: their rooms are known, nobody moved."""
        self._stopped = False
        self.save_follow: Callable[[str, bool], None] | None = None
        """Keeps a person's music following setting (on their subentry)."""

    @property
    def now(self) -> float:
        """Return the time evidence is stamped with (seconds, wall clock)."""
        return dt_util.utcnow().timestamp()

    @callback
    def async_start(self) -> None:
        """Read everyone's entities now and follow their changes."""
        if not self.configs:
            return
        self._starting = True
        now = self.now
        for person in self.configs:
            if state := self.hass.states.get(person):
                self._on_person(person, state, now)
        for entity_id in (*self._ble, *self._room_sensors):
            if state := self.hass.states.get(entity_id):
                self._on_sensor(entity_id, state, now, initial=True)
        self._unsubscribe += [
            async_track_state_change_event(
                self.hass,
                [*self.configs, *self._ble, *self._room_sensors],
                self._async_state_changed,
            ),
            async_track_time_interval(self.hass, self._async_age, AGE_INTERVAL),
        ]
        self._starting = False
        self._async_apply(self.people.update(now))

    @callback
    def async_stop(self) -> None:
        """Stop following the entities."""
        self._stopped = True
        while self._unsubscribe:
            self._unsubscribe.pop()()
        if self._decide:
            self._decide()
            self._decide = None

    @callback
    def async_add_listener(self, listener: ChangeListener) -> CALLBACK_TYPE:
        """Call `listener` with every room change."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def async_add_update_listener(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `listener` when anything about anyone changed (for entities)."""
        self._updates.append(listener)
        return lambda: self._updates.remove(listener)

    @callback
    def _async_updated(self) -> None:
        for listener in list(self._updates):
            listener()

    def room_of(self, person: str | None) -> str | None:
        """Return the area a person is in, if known."""
        return self.people.room_of(person)

    def tracks(self, person: str | None) -> bool:
        """Return whether OS1 follows this person from room to room."""
        return person in self.configs

    def is_home(self, person: str | None) -> bool:
        """Return whether a person OS1 follows is home (or can't be told away)."""
        tracker = self.people.trackers.get(person) if person else None
        return tracker is not None and tracker.home

    def music_follows(self, person: str) -> bool:
        """Return whether a person's music follows them."""
        return self._follow.get(person, False)

    @callback
    def async_set_follow(self, person: str, follow: bool) -> None:
        """Turn a person's music following on or off (the subentry keeps it)."""
        if self._follow.get(person) == follow:
            return
        self._follow[person] = follow
        if self.save_follow is not None:
            self.save_follow(person, follow)
        self._async_updated()

    @callback
    def async_heard(self, area: str, person: str | None = None) -> str | None:
        """Place whoever a satellite in `area` heard there; return who it was."""
        speaker, change = self.people.heard(area, self.now, person)
        if change is not None:
            self._async_apply([change])
        return speaker

    @callback
    def async_satellite_sensed(
        self, site: str, area: str | None, person: str | None, present: bool
    ) -> None:
        """Take a satellite's sensing of someone (or of its room emptying)."""
        if area is None:
            LOGGER.debug("Satellite %s sensed presence but has no area", site)
            return
        source = f"satellite:{site}"
        where = area if present else None
        if person is None:
            changes = self.people.someone(
                self.configs, Evidence.SATELLITE, where, self.now, source=source
            )
        else:
            change = self.people.observe(
                person, Evidence.SATELLITE, where, self.now, source=source
            )
            changes = [change] if change else []
        self._async_apply(changes)

    def person_named(self, name: str) -> str | None:
        """Return the person entity with this id or name."""
        if name in self.configs:
            return name
        wanted = name.strip().casefold()
        for person in self.configs:
            state = self.hass.states.get(person)
            if state is not None and state.name.casefold() == wanted:
                return person
        return None

    @callback
    def _async_state_changed(self, event: Event[EventStateChangedData]) -> None:
        entity_id = event.data["entity_id"]
        if (state := event.data["new_state"]) is None:
            return
        if entity_id in self.configs:
            self._on_person(entity_id, state, self.now)
        else:
            self._on_sensor(entity_id, state, self.now)

    def _on_person(self, person: str, state: State, now: float) -> None:
        """Home, away, or can't tell (counted as home: the sensors decide)."""
        home = state.state == STATE_HOME or state.state in (
            STATE_UNKNOWN,
            STATE_UNAVAILABLE,
        )
        came_home = home and not self.people.trackers[person].home
        if change := self.people.set_home(person, home, now):
            self._async_apply([change])
        if came_home:
            # What their sensors said while they were away is theirs again.
            config = self.configs[person]
            for entity_id in (*config.ble_sensors, *config.room_sensors):
                if sensor := self.hass.states.get(entity_id):
                    self._on_sensor(entity_id, sensor, now, initial=True)

    def _on_sensor(
        self, entity_id: str, state: State, now: float, *, initial: bool = False
    ) -> None:
        changes: list[RoomChange] = []
        if person := self._ble.get(entity_id):
            value = state.state.strip()
            area = (
                None if value.casefold() in _NOWHERE else area_named(self.hass, value)
            )
            if area is None and value.casefold() not in _NOWHERE:
                LOGGER.debug("%s names no area: %s", entity_id, value)
            if change := self.people.observe(
                person, Evidence.BLE, area, now, source=entity_id, held=True
            ):
                changes.append(change)
        if listed := self._room_sensors.get(entity_id):
            kind = (
                Evidence.MOTION
                if state.attributes.get(ATTR_DEVICE_CLASS) in _MOTION
                else Evidence.OCCUPANCY
            )
            area = area_of_entity(self.hass, entity_id)
            if area is None:
                LOGGER.debug("%s has no area; it can't place anyone", entity_id)
            elif state.state == STATE_ON:
                changes += self.people.someone(
                    listed, kind, area, now, source=entity_id, held=True
                )
            elif kind is Evidence.MOTION:
                # Motion cleared: someone was there a moment ago; it fades.
                changes += self.people.release(kind, entity_id, now)
            elif not initial:
                # Occupancy cleared: that sensor no longer places anyone.
                changes += self.people.someone(
                    listed, kind, None, now, source=entity_id
                )
        self._async_apply(changes)

    @callback
    def _async_age(self, _now: datetime | None = None) -> None:
        self._async_apply(self.people.update(self.now))
        self._ticks += 1
        if self._ticks % REFRESH_EVERY == 0:
            self._async_updated()  # Confidence fades too.

    @callback
    def _async_apply(self, changes: list[RoomChange]) -> None:
        """Tell everyone about the changes; wake up when a leading room has dwelt.

        The rooms found at start are no moves: no event, no music moving.
        """
        if self._stopped:
            return
        for change in changes:
            self.since[change.person] = dt_util.utcnow()
            if self._starting:
                continue
            LOGGER.debug(
                "%s is now in %s (was %s, %s, %.0f%%)",
                change.person,
                change.room,
                change.previous,
                change.evidence,
                change.confidence * 100,
            )
            self.hass.bus.async_fire(
                EVENT_ROOM_CHANGED,
                {
                    "person": change.person,
                    "area_id": change.room,
                    "previous_area_id": change.previous,
                    "confidence": round(change.confidence, 2),
                    "evidence": change.evidence,
                },
            )
            for listener in list(self._listeners):
                listener(change)
        if changes:
            self._async_updated()
        if self._decide:
            self._decide()
            self._decide = None
        if (when := self.people.decides_at()) is not None:
            self._decide = async_track_point_in_utc_time(
                self.hass, self._async_decided, dt_util.utc_from_timestamp(when)
            )

    @callback
    def _async_decided(self, _now: datetime) -> None:
        self._decide = None
        self._async_age()
