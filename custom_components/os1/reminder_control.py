"""Reminders in Home Assistant: kept in its Store, one timer, said where you are.

The `ReminderScheduler` owns the reminder book: it loads it from Home
Assistant's `Store`, keeps a single timer for the reminder due first (never a
timer per reminder, never polling), says reminders that fell due while Home
Assistant was down once it has started, and repeats a reminder until it is
acknowledged. `ReminderDelivery` walks the delivery chain: the satellite of the
person's room, then every satellite, then the person's phone. The
`ReminderController` answers the reminder sentences of a conversation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.assist_satellite import AssistSatelliteEntityFeature
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_SUPPORTED_FEATURES,
    EVENT_HOMEASSISTANT_STARTED,
    EVENT_HOMEASSISTANT_STOP,
    STATE_UNAVAILABLE,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    CoreState,
    Event,
    HassJob,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_call_later, async_track_point_in_time
from homeassistant.helpers.intent import IntentResponseErrorCode
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .compat import vol
from .const import (
    CONF_NOTIFY,
    CONF_REPEAT_MINUTES,
    CONF_REPEAT_TIMES,
    CONF_SAY_EVERYWHERE,
    DOMAIN,
    LOGGER,
    NOTIFY_DEFAULT,
)
from .presence_control import PresenceMonitor
from .reminders import (
    DEFAULT_SNOOZE_MINUTES,
    STORAGE_VERSION,
    Reminder,
    ReminderAction,
    ReminderBook,
    ReminderCommand,
    second_person,
)
from .responses import Phrasebook
from .rooms import area_of_entity
from .when import WEEKDAYS, When, WhenError, resolve, spoken, spoken_past, spoken_when

STORAGE_KEY = f"{DOMAIN}.reminders"
SAVE_DELAY = 1.0
"""Seconds to gather changes before writing; Home Assistant flushes on stop."""

LATE_AFTER = timedelta(minutes=1)
"""A reminder due this long before OS1 started is said to be late."""

TIMER_NAME = f"{DOMAIN} reminders"
"""The name of the one timer OS1 keeps for its reminders."""
ANNOUNCE_TIMEOUT = 120.0
LISTED = 5
"""Reminders read out by "what are my reminders?"; the rest are counted."""

SATELLITE_DOMAIN = "assist_satellite"
NOTIFY_DOMAIN = "notify"


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """How reminders are delivered, from the options."""

    repeat_minutes: float = 5.0
    """Minutes between repeats of an unacknowledged reminder (0: say it once)."""
    repeat_times: int = 2
    say_everywhere: bool = True
    """Say it on every satellite when the room's can't be reached."""
    notify: Mapping[str, str] = field(default_factory=dict)
    """A notify service or entity per person entity id (and a default)."""

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> ReminderSettings:
        """Read the reminder options (the hub's `reminders` option)."""
        return cls(
            repeat_minutes=float(options.get(CONF_REPEAT_MINUTES, 5.0)),
            repeat_times=int(options.get(CONF_REPEAT_TIMES, 2)),
            say_everywhere=bool(options.get(CONF_SAY_EVERYWHERE, True)),
            notify={
                key: value
                for key, value in dict(options.get(CONF_NOTIFY) or {}).items()
                if value
            },
        )

    def notify_for(self, person: str | None) -> str | None:
        """Return where to send a person's reminders on their phone."""
        return (person and self.notify.get(person)) or self.notify.get(NOTIFY_DEFAULT)


class ReminderDelivery:
    """Say a reminder where its person is: the room, then everywhere, then the phone."""

    def __init__(
        self, hass: HomeAssistant, settings: ReminderSettings, title: str
    ) -> None:
        """Initialize the delivery chain."""
        self.hass = hass
        self.settings = settings
        self.title = title
        self.presence: PresenceMonitor | None = None
        """Where people are, when OS1 follows them."""

    async def async_deliver(
        self, reminder: Reminder, message: str, *, also_phone: bool = False
    ) -> str | None:
        """Say a reminder; return the link of the chain that took it."""
        return await self.async_tell(
            reminder.person,
            message,
            origin=reminder.origin,
            area=reminder.area,
            also_phone=also_phone,
        )

    async def async_tell(
        self,
        person: str | None,
        message: str,
        *,
        origin: str | None = None,
        area: str | None = None,
        also_phone: bool = False,
    ) -> str | None:
        """Say something to a person where they are; return the link that took it.

        The chain: the satellites of the room they are in now (else the one the
        request came from, or its room), every satellite (option), their phone.
        Someone OS1 follows who is away gets it on their phone first.
        """
        phone = self.settings.notify_for(person)
        if (
            self.presence is not None
            and self.presence.tracks(person)
            and not self.presence.is_home(person)
            and phone
            and await self._async_notify(phone, message)
        ):
            return "phone"  # Away: not to an empty house.
        available = self._satellites()
        room = self._room(person, origin, area, available)
        link: str | None = None
        if room and await self._async_announce(room, message):
            link = "room"
        elif (
            self.settings.say_everywhere
            and (rest := [sat for sat in available if sat not in room])
            and await self._async_announce(rest, message)
        ):
            link = "everywhere"
        if (
            phone
            and (link is None or also_phone)
            and await self._async_notify(phone, message)
        ):
            link = link or "phone"
        return link

    def _satellites(self) -> list[str]:
        """Return the satellites that can announce right now."""
        return [
            state.entity_id
            for state in self.hass.states.async_all(SATELLITE_DOMAIN)
            if state.state != STATE_UNAVAILABLE
            and int(state.attributes.get(ATTR_SUPPORTED_FEATURES, 0))
            & AssistSatelliteEntityFeature.ANNOUNCE
        ]

    def _room(
        self,
        person: str | None,
        origin: str | None,
        area: str | None,
        available: list[str],
    ) -> list[str]:
        """Return the satellites of the room the person is in.

        Where OS1 follows the person, that is the room they are in now (none
        while they are away or in a room without a satellite); otherwise, or
        while OS1 can't tell their room, the satellite the request came from,
        or one in its room.
        """
        if self.presence is not None and self.presence.tracks(person):
            if not self.presence.is_home(person):
                return []
            if (room := self.presence.room_of(person)) is not None:
                return [
                    entity_id
                    for entity_id in available
                    if area_of_entity(self.hass, entity_id) == room
                ]
        if origin in available:
            return [origin]
        if area is None:
            return []
        return [
            entity_id
            for entity_id in available
            if area_of_entity(self.hass, entity_id) == area
        ]

    async def _async_announce(self, satellites: list[str], message: str) -> bool:
        """Announce on satellites, with the gentle pre-announce sound."""
        try:
            async with asyncio.timeout(ANNOUNCE_TIMEOUT):
                await self.hass.services.async_call(
                    SATELLITE_DOMAIN,
                    "announce",
                    {"message": message, "preannounce": True},
                    target={ATTR_ENTITY_ID: satellites},
                    blocking=True,
                )
        except (HomeAssistantError, vol.Invalid, TimeoutError) as err:
            LOGGER.warning("Could not say a reminder on %s: %s", satellites, err)
            return False
        return True

    async def _async_notify(self, target: str, message: str) -> bool:
        """Send a reminder to a notify entity or a notify service (the phone)."""
        if (service := notify_service(self.hass, target)) is None:
            LOGGER.warning("Reminder notification target %s does not exist", target)
            return False
        data: dict[str, Any] = {"message": message, "title": self.title}
        if service == (NOTIFY_DOMAIN, "send_message"):
            data = {ATTR_ENTITY_ID: target, "message": message, "title": self.title}
        try:
            await self.hass.services.async_call(*service, data, blocking=True)
        except (HomeAssistantError, vol.Invalid) as err:
            LOGGER.warning("Could not send a reminder to %s: %s", target, err)
            return False
        return True


def notify_service(hass: HomeAssistant, target: str) -> tuple[str, str] | None:
    """Return the service that notifies a target: a notify entity or service."""
    if target.startswith(f"{NOTIFY_DOMAIN}.") and hass.states.get(target):
        return NOTIFY_DOMAIN, "send_message"
    domain, _, service = target.rpartition(".")
    domain = domain or NOTIFY_DOMAIN
    return (domain, service) if hass.services.has_service(domain, service) else None


class ReminderScheduler:
    """Every reminder, kept in the Store, with one timer for the next one due."""

    def __init__(
        self,
        hass: HomeAssistant,
        phrases: Phrasebook,
        settings: ReminderSettings,
        storage_key: str = STORAGE_KEY,
    ) -> None:
        """Initialize; call `async_load` then `async_start`."""
        self.hass = hass
        self.phrases = phrases
        self.settings = settings
        self.book = ReminderBook()
        self.delivery = ReminderDelivery(hass, settings, phrases.name)
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, storage_key, private=True, atomic_writes=True
        )
        self._timer: CALLBACK_TYPE | None = None
        self._fire_job = HassJob(self._async_fire, TIMER_NAME)
        self._started: CALLBACK_TYPE | None = None
        self._stopping: CALLBACK_TYPE | None = None
        self._repeats: dict[str, CALLBACK_TYPE] = {}
        self._attempts: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._listeners: list[Callable[[], None]] = []
        self._running = False
        self._since: datetime | None = None
        """When the schedule started: reminders due well before were missed."""

    async def async_load(self) -> None:
        """Read the reminders from storage."""
        data = await self._store.async_load()
        self.book, damaged = ReminderBook.from_data(data)
        if damaged:
            LOGGER.warning(
                "%s stored reminders are damaged; they are kept in storage but "
                "not scheduled",
                damaged,
            )

    @callback
    def async_start(self) -> None:
        """Start the timer once Home Assistant runs (satellites are up by then)."""
        self._running = True
        self._stopping = self.hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._async_halt
        )
        if self.hass.state is CoreState.running:
            self._since = dt_util.now()
            self._async_schedule()
            return

        @callback
        def _started(_event: Event) -> None:
            self._started = None
            if self._running:
                self._since = dt_util.now()
                self._async_schedule()

        self._started = self.hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STARTED, _started
        )

    @callback
    def _async_halt(self, _event: Event | None = None) -> None:
        """Stop the timers (Home Assistant stops; its Store writes what changed)."""
        if _event is not None:
            self._stopping = None
        self._running = False
        for unsub in (
            self._timer,
            self._started,
            self._stopping,
            *self._repeats.values(),
        ):
            if unsub is not None:
                unsub()
        self._timer = self._started = self._stopping = None
        self._repeats.clear()

    async def async_stop(self) -> None:
        """Stop every timer and delivery; write what changed."""
        self._async_halt()
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks)
        await self._store.async_save(self.book.as_data())

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` whenever a reminder changes."""
        self._listeners.append(listener)

        @callback
        def remove() -> None:
            self._listeners.remove(listener)

        return remove

    # Changes, from a conversation or from the to-do list.

    @callback
    def async_add(
        self,
        text: str,
        when: When,
        *,
        person: str | None = None,
        origin: str | None = None,
        area: str | None = None,
    ) -> Reminder:
        """Add a reminder."""
        reminder = self.book.add(
            text, when, dt_util.now(), person=person, origin=origin, area=area
        )
        self._async_changed()
        return reminder

    @callback
    def async_remove(self, reminder_id: str) -> Reminder | None:
        """Forget a reminder."""
        self._acknowledge(reminder_id)
        removed = self.book.remove(reminder_id)
        self._async_changed()
        return removed

    @callback
    def async_snooze(self, reminder_id: str, minutes: float) -> Reminder:
        """Say a reminder again in `minutes`."""
        self._acknowledge(reminder_id)
        moved = self.book.snooze(reminder_id, minutes, dt_util.now())
        self._async_changed()
        return moved

    @callback
    def async_complete(self, reminder_id: str) -> Reminder:
        """Mark a reminder done (a repeating one moves to its next time)."""
        self._acknowledge(reminder_id)
        done = self.book.complete(reminder_id, dt_util.now())
        self._async_changed()
        return done

    @callback
    def async_edit(
        self,
        reminder_id: str,
        *,
        text: str | None = None,
        due: datetime | None = None,
    ) -> Reminder:
        """Change a reminder's text or due time (from the to-do list)."""
        if due is not None:
            self._acknowledge(reminder_id)
        edited = self.book.edit(reminder_id, text=text, due=due)
        self._async_changed()
        return edited

    def _acknowledge(self, reminder_id: str) -> None:
        """Stop repeating a reminder."""
        if (unsub := self._repeats.pop(reminder_id, None)) is not None:
            unsub()
        self._attempts.pop(reminder_id, None)

    @callback
    def _async_changed(self) -> None:
        """Save, tell the listeners and set the timer for the next reminder."""
        self._store.async_delay_save(self.book.as_data, SAVE_DELAY)
        for listener in list(self._listeners):
            listener()
        if self._running and self._started is None:
            self._async_schedule()

    # The timer and the delivery.

    @callback
    def _async_schedule(self) -> None:
        """Set the one timer for the reminder due first."""
        if self._timer is not None:
            self._timer()
            self._timer = None
        if (first := self.book.next_due()) is not None:
            self._timer = async_track_point_in_time(
                self.hass, self._fire_job, first.due
            )

    @callback
    def _async_fire(self, _now: datetime) -> None:
        """Say every reminder that is due."""
        self._timer = None
        now = dt_util.now()
        due = self.book.due(now)
        for reminder in due:
            missed = self._since is not None and reminder.due < self._since - LATE_AFTER
            said = self.book.mark_delivered(reminder.id, now)
            self._attempts[said.id] = 0
            self._say(
                said, late_since=spoken_past(reminder.due, now) if missed else None
            )
        if due:
            self._async_changed()
        else:  # pragma: no cover - the timer fires for a due reminder
            self._async_schedule()

    def _say(self, reminder: Reminder, late_since: str | None = None) -> None:
        """Start saying a reminder without holding up the timer."""
        task = self.hass.async_create_background_task(
            self._async_say(reminder.id, late_since), f"{DOMAIN} reminder"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _async_say(self, reminder_id: str, late_since: str | None) -> None:
        """Say a reminder, and plan to say it again until it is acknowledged."""
        reminder = self.book.reminders.get(reminder_id)
        if reminder is None or reminder.done or reminder.delivered is None:
            return
        attempt = self._attempts.get(reminder_id, 0)
        last = attempt >= self.settings.repeat_times or not self.settings.repeat_minutes
        message = self.phrases.reminder_due(
            second_person(reminder.text), late_since, again=attempt > 0
        )
        link = await self.delivery.async_deliver(
            reminder, message, also_phone=last and attempt > 0
        )
        if link is None:
            LOGGER.warning(
                "No satellite or phone could take the reminder due %s; it stays in "
                "the to-do list",
                reminder.due,
            )
        if last or not self._running:
            return

        @callback
        def _again(_now: datetime) -> None:
            self._repeats.pop(reminder_id, None)
            self._attempts[reminder_id] = attempt + 1
            if (current := self.book.reminders.get(reminder_id)) is not None:
                self._say(current)

        self._repeats[reminder_id] = async_call_later(
            self.hass,
            self.settings.repeat_minutes * 60,
            HassJob(_again, cancel_on_shutdown=True),
        )


@dataclass(frozen=True, slots=True)
class ReminderRequest:
    """Who asks, from where, and what the conversation left open."""

    person: str | None = None
    origin: str | None = None
    """The satellite entity the request came through."""
    area: str | None = None
    waiting_task: str | None = None
    """A task OS1 asked "when?" about."""
    last_reminder: str | None = None
    """The reminder this conversation last set or talked about."""


@dataclass(frozen=True, slots=True)
class ReminderReply:
    """What OS1 says, and what the conversation should remember."""

    speech: str
    error: IntentResponseErrorCode | None = None
    waiting_task: str | None = None
    """A task waiting for its time: OS1 listens for the answer."""
    reminder: str | None = None


class ReminderController:
    """Answer the reminder sentences of a conversation."""

    def __init__(self, phrases: Phrasebook, scheduler: ReminderScheduler) -> None:
        """Initialize with the hub's scheduler."""
        self.phrases = phrases
        self.scheduler = scheduler

    @property
    def book(self) -> ReminderBook:
        """Return the reminder book."""
        return self.scheduler.book

    def run(
        self, command: ReminderCommand, request: ReminderRequest
    ) -> ReminderReply | None:
        """Carry out a reminder sentence (None: not one for OS1 after all)."""
        match command.action:
            case ReminderAction.ADD:
                return self._add(command, command.task or "", request)
            case ReminderAction.TIME:
                if request.waiting_task is None:
                    return None  # A bare time phrase, not an answer to OS1.
                return self._add(command, request.waiting_task, request)
            case ReminderAction.LIST:
                return self._list(command, request)
            case ReminderAction.CANCEL:
                return self._cancel(command, request)
        return self._acknowledge(command, request)

    def _add(
        self, command: ReminderCommand, task: str, request: ReminderRequest
    ) -> ReminderReply:
        """Set a reminder, or ask when."""
        said = second_person(task)
        if not command.has_time:
            if command.stray_time is not None:
                speech = self.phrases.reminder_unclear_time(command.stray_time)
            else:
                speech = self.phrases.reminder_when(said)
            return ReminderReply(speech, waiting_task=task)
        now = dt_util.now()
        try:
            when = resolve(command.time, now)
        except WhenError as err:
            return ReminderReply(
                self.phrases.reminder_bad_time(str(err)), waiting_task=task
            )
        reminder = self.scheduler.async_add(
            task,
            when,
            person=request.person,
            origin=request.origin,
            area=request.area,
        )
        return ReminderReply(
            self.phrases.reminder_set(said, spoken_when(when, now)),
            reminder=reminder.id,
        )

    def _list(
        self, command: ReminderCommand, request: ReminderRequest
    ) -> ReminderReply:
        """Read out the person's reminders, soonest first."""
        now = dt_util.now()
        upcoming = self.book.upcoming(request.person)
        if (day := command.time.get("day")) is not None:
            upcoming = [r for r in upcoming if _on_day(r.due, str(day), now)]
        items = [_listed(reminder, now) for reminder in upcoming[:LISTED]]
        return ReminderReply(
            self.phrases.reminders(items, max(0, len(upcoming) - LISTED))
        )

    def _cancel(
        self, command: ReminderCommand, request: ReminderRequest
    ) -> ReminderReply:
        """Cancel the reminder named, or the one the conversation is about."""
        if command.task is not None:
            reminder = self.book.find(command.task, request.person)
        else:
            reminder = self._current(request)
        if reminder is None:
            return ReminderReply(
                self.phrases.reminder_not_found(command.task),
                error=IntentResponseErrorCode.NO_VALID_TARGETS,
            )
        self.scheduler.async_remove(reminder.id)
        return ReminderReply(
            self.phrases.reminder_cancelled(second_person(reminder.text))
        )

    def _acknowledge(
        self, command: ReminderCommand, request: ReminderRequest
    ) -> ReminderReply:
        """Snooze or complete the reminder that was just said."""
        waiting = self.book.waiting(request.person)
        in_room = [r for r in waiting if request.area and r.area == request.area]
        if not (chosen := (in_room or waiting)):
            return ReminderReply(self.phrases.no_reminder_waiting())
        reminder = chosen[0]
        now = dt_util.now()
        if command.action is ReminderAction.SNOOZE:
            minutes = command.minutes or DEFAULT_SNOOZE_MINUTES
            moved = self.scheduler.async_snooze(reminder.id, minutes)
            return ReminderReply(
                self.phrases.reminder_snoozed(spoken(moved.due, now)),
                reminder=moved.id,
            )
        done = self.scheduler.async_complete(reminder.id)
        following = None if done.done else spoken(done.due, now)
        return ReminderReply(
            self.phrases.reminder_done(second_person(done.text), following),
            reminder=done.id,
        )

    def _current(self, request: ReminderRequest) -> Reminder | None:
        """Return the reminder a conversation is about ("cancel that reminder")."""
        if request.last_reminder is not None:
            reminder = self.book.reminders.get(request.last_reminder)
            if reminder is not None and not reminder.done:
                return reminder
        waiting = self.book.waiting(request.person)
        return waiting[0] if waiting else None


def _listed(reminder: Reminder, now: datetime) -> str:
    """Say one reminder in a list: "call mom today at 5 PM"."""
    text = second_person(reminder.text)
    if reminder.due <= now:  # Said, and not acknowledged yet.
        past = spoken_past(reminder.due, now)
        return f"{text}, due {'at ' if past[0].isdigit() else ''}{past}"
    when = When(reminder.due, reminder.repeat, reminder.weekday)
    return f"{text} {spoken_when(when, now)}"


def _on_day(due: datetime, day: str, now: datetime) -> bool:
    """Return True when a due time falls on the day named (today, tomorrow, Monday)."""
    local = dt_util.as_local(due).date()
    if day == "today":
        return local == now.date()
    if day == "tomorrow":
        return local == now.date() + timedelta(days=1)
    if day in WEEKDAYS:
        return local.weekday() == WEEKDAYS.index(
            day
        ) and local - now.date() < timedelta(days=7)
    return True


def satellite_of_request(
    hass: HomeAssistant, device_id: str | None, satellite_id: str | None
) -> str | None:
    """Return the satellite entity a request came through, if any."""
    if satellite_id:
        return satellite_id
    if device_id is None:
        return None
    for entry in er.async_entries_for_device(er.async_get(hass), device_id):
        if entry.domain == SATELLITE_DOMAIN:
            return entry.entity_id
    return None


def person_of_user(hass: HomeAssistant, user_id: str | None) -> str | None:
    """Return the person entity of a Home Assistant user."""
    if user_id is None:
        return None
    for state in hass.states.async_all("person"):
        if state.attributes.get("user_id") == user_id:
            return state.entity_id
    return None
