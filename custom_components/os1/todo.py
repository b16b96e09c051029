"""OS1's reminders as a to-do list, editable in Home Assistant's UI."""

from __future__ import annotations

from datetime import date, datetime

from homeassistant.components.todo import (
    TodoItem,
    TodoItemStatus,
    TodoListEntity,
    TodoListEntityFeature,
)
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from . import Os1ConfigEntry
from .const import DOMAIN, LOGGER
from .nlu import SentenceRecognizer
from .reminder_control import ReminderScheduler, person_of_user
from .reminders import Reminder, ReminderAction, parse_reminder
from .when import When, WhenError, resolve, spoken_when

WRITE_COOLDOWN = 1.0
"""Seconds between two writes of the list's state: Home Assistant copies every
item at each write (for the UI's subscribers), which costs a tenth of a second
for 10,000 reminders, so a burst of changes is written once more at its end."""


async def async_setup_entry(
    hass: HomeAssistant,
    entry: Os1ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the Reminders to-do list."""
    async_add_entities([Os1RemindersList(entry)])


class Os1RemindersList(TodoListEntity):
    """Every reminder, with its due time; changes here change the schedule."""

    _attr_has_entity_name = True
    _attr_translation_key = "reminders"
    _attr_supported_features = (
        TodoListEntityFeature.CREATE_TODO_ITEM
        | TodoListEntityFeature.UPDATE_TODO_ITEM
        | TodoListEntityFeature.DELETE_TODO_ITEM
        | TodoListEntityFeature.SET_DUE_DATETIME_ON_ITEM
    )

    def __init__(self, entry: Os1ConfigEntry) -> None:
        """Initialize the list."""
        self._scheduler: ReminderScheduler = entry.runtime_data.reminders
        self._recognizer: SentenceRecognizer = entry.runtime_data.assistant.recognizer
        self._attr_unique_id = f"{entry.entry_id}_reminders"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, entry.entry_id)})
        self._items: list[TodoItem] | None = None
        self._writer: Debouncer[None] | None = None

    async def async_added_to_hass(self) -> None:
        """Follow the schedule."""
        await super().async_added_to_hass()
        writer = Debouncer(
            self.hass,
            LOGGER,
            cooldown=WRITE_COOLDOWN,
            immediate=True,
            function=self.async_write_ha_state,
        )
        self._writer = writer
        self.async_on_remove(writer.async_cancel)

        @callback
        def stopping(_event: Event) -> None:
            writer.async_cancel()  # No state is written once Home Assistant stops.

        self.async_on_remove(
            self.hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, stopping)
        )
        self.async_on_remove(self._scheduler.async_add_listener(self._async_changed))

    @callback
    def _async_changed(self) -> None:
        """Show what changed, by voice or here (at once, then at most once a second)."""
        self._items = None
        if self._writer is not None:
            self._writer.async_schedule_call()

    @property
    def state(self) -> int:
        """Return how many reminders are not done."""
        return sum(not r.done for r in self._scheduler.book.reminders.values())

    @property
    def todo_items(self) -> list[TodoItem]:
        """Return the reminders, soonest first and done ones last.

        Built when someone looks (the list open in the UI, a service call), not
        on every change: a home can keep thousands of reminders.
        """
        if self._items is None:
            now = dt_util.now()
            reminders = sorted(
                self._scheduler.book.reminders.values(), key=lambda r: (r.done, r.due)
            )
            self._items = [_item(reminder, now) for reminder in reminders]
        return self._items

    async def async_create_todo_item(self, item: TodoItem) -> None:
        """Add a reminder; a summary like "call mom at 5 pm" sets its time."""
        summary = (item.summary or "").strip()
        due = _due(item.due)
        if due is None:
            summary, when = self._read_time(summary)
        else:
            when = When(due)
        if not summary:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="reminder_needs_text"
            )
        person = person_of_user(
            self.hass, self._context.user_id if self._context else None
        )
        self._scheduler.async_add(summary, when, person=person)

    def _read_time(self, summary: str) -> tuple[str, When]:
        """Read the due time from a summary ("water the plants tomorrow at 8")."""
        recognized = self._recognizer.recognize(f"remind me to {summary}")
        command = (
            parse_reminder(recognized.intent, recognized.slots) if recognized else None
        )
        if (
            command is not None
            and command.action is ReminderAction.ADD
            and command.has_time
            and command.task
        ):
            try:
                return command.task, resolve(command.time, dt_util.now())
            except WhenError as err:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="reminder_bad_time",
                    translation_placeholders={"reason": str(err)},
                ) from err
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="reminder_needs_time"
        )

    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Edit, complete or reopen a reminder."""
        reminder = self._reminder(item.uid)
        if item.status == TodoItemStatus.COMPLETED and not reminder.done:
            self._scheduler.async_complete(reminder.id)
            return
        due = _due(item.due)
        if due is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="reminder_needs_time"
            )
        reopened = item.status == TodoItemStatus.NEEDS_ACTION and reminder.done
        text = item.summary if item.summary != reminder.text else None
        if text or due != reminder.due or reopened:
            self._scheduler.async_edit(
                reminder.id,
                text=text,
                due=due if due != reminder.due or reopened else None,
            )

    async def async_delete_todo_items(self, uids: list[str]) -> None:
        """Delete reminders."""
        for uid in uids:
            self._scheduler.async_remove(self._reminder(uid).id)

    def _reminder(self, uid: str | None) -> Reminder:
        """Return the reminder of an item."""
        if uid is None or (reminder := self._scheduler.book.reminders.get(uid)) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="reminder_not_found",
                translation_placeholders={"uid": str(uid)},
            )
        return reminder


def _item(reminder: Reminder, now: datetime) -> TodoItem:
    """Return a reminder as a to-do item."""
    description = None
    if reminder.repeat is not None:
        when = When(reminder.due, reminder.repeat, reminder.weekday)
        description = f"Repeats {spoken_when(when, now)}"
    elif reminder.delivered is not None and not reminder.done:
        description = "Said; waiting to be marked done"
    return TodoItem(
        summary=reminder.text,
        uid=reminder.id,
        status=(
            TodoItemStatus.COMPLETED if reminder.done else TodoItemStatus.NEEDS_ACTION
        ),
        due=dt_util.as_local(reminder.due),
        description=description,
    )


def _due(value: date | datetime | None) -> datetime | None:
    """Return a due time from the UI as an aware local time."""
    if isinstance(value, datetime):
        return dt_util.as_local(value)
    return None
