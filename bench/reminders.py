"""10,000 stored reminders: start-up load, memory, firing precision, no polling.

Runs a real Home Assistant core in this process on a temporary configuration
directory whose `.storage/os1.reminders` holds 10,000 reminders (a tenth
repeating, a fifth done), then:

- times setting up OS1 with them (Store read, schedule, Reminders list), against
  OS1 with no reminders and against Home Assistant's own `Store` reading the
  same file (the baseline: the least any integration keeping them pays);
- measures the memory the reminder book and the to-do items hold (tracemalloc),
  against the same data as the plain JSON objects the Store returns;
- adds reminders due over the next seconds and records how late each reaches
  the phone (a notify service), against a bare `async_track_point_in_time`
  callback at the same moments (Home Assistant's own timer precision);
- counts the timers OS1 holds for its pending reminders (one: no polling).

    .venv/bin/python bench/reminders.py [--reminders 10000] [--fires 40]

Targets: firing within 1 s of the due time; one timer whatever the number.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timedelta
import gc
import json
from pathlib import Path
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from typing import Any

from homeassistant import loader
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.helpers.storage import Store
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import get_scheduled_timer_handles
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from custom_components.os1.reminder_control import TIMER_NAME  # noqa: E402
from custom_components.os1.reminders import STORAGE_VERSION, ReminderBook  # noqa: E402
from custom_components.os1.when import Repeat, When  # noqa: E402

STORAGE_KEY = "os1.reminders"
TASKS = ["call mom", "water the plants", "take the pills", "pay the rent", "stretch"]


def stored_book(count: int, now: datetime) -> dict[str, Any]:
    """Return `count` reminders as the Store keeps them."""
    rng = random.Random(7)
    book = ReminderBook()
    for index in range(count):
        due = now + timedelta(minutes=rng.randint(10, 30 * 24 * 60))
        repeat = Repeat.DAILY if index % 10 == 0 else None
        reminder = book.add(
            f"{rng.choice(TASKS)} {index}",
            When(due, repeat),
            now,
            person=f"person.p{index % 4}",
            area="kitchen",
        )
        if index % 5 == 1:
            book.complete(reminder.id, now)
    return {
        "version": STORAGE_VERSION,
        "minor_version": 1,
        "key": STORAGE_KEY,
        "data": book.as_data(),
    }


async def setup_os1(hass: HomeAssistant) -> tuple[MockConfigEntry, float]:
    """Set OS1 up; return the entry and how long its setup took (ms)."""
    entry = MockConfigEntry(
        domain="os1",
        title="Samantha",
        data={CONF_NAME: "Samantha"},
        options={
            "reminders": {"repeat_minutes": 0, "notify": {"default": "notify.phone"}}
        },
    )
    entry.add_to_hass(hass)
    start = time.perf_counter()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry, (time.perf_counter() - start) * 1000


def write_storage(config_dir: str, stored: dict[str, Any] | None) -> None:
    """Write (or remove) the stored reminders."""
    storage = Path(config_dir) / ".storage"
    storage.mkdir(exist_ok=True)
    path = storage / STORAGE_KEY
    if stored is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(json.dumps(stored))


async def measure_setup(config_dir: str, stored: dict[str, Any] | None) -> float:
    """Return OS1's setup time with the given storage, on a fresh core."""
    write_storage(config_dir, stored)
    async with async_test_home_assistant(config_dir=config_dir) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        assert await async_setup_component(hass, "homeassistant", {})
        assert await async_setup_component(hass, "conversation", {})
        assert await async_setup_component(hass, "assist_satellite", {})
        assert await async_setup_component(hass, "todo", {})
        _, elapsed = await setup_os1(hass)
        await hass.async_stop(force=True)
    return elapsed


async def measure_store(config_dir: str) -> float:
    """Return how long Home Assistant's Store takes to read the same file (ms)."""
    async with async_test_home_assistant(config_dir=config_dir) as hass:
        store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, STORAGE_KEY)
        start = time.perf_counter()
        data = await store.async_load()
        elapsed = (time.perf_counter() - start) * 1000
        assert data is not None
        await hass.async_stop(force=True)
    return elapsed


def measure_memory(stored: dict[str, Any]) -> tuple[float, float, float]:
    """Return MB held by the plain data, by the book, and by the to-do items."""
    from homeassistant.components.todo import TodoItem, TodoItemStatus

    text = json.dumps(stored["data"])
    gc.collect()
    tracemalloc.start()
    plain = json.loads(text)
    plain_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    gc.collect()
    tracemalloc.start()
    book, _ = ReminderBook.from_data(plain)
    book_mb = tracemalloc.get_traced_memory()[0] / 1e6
    items = [
        TodoItem(
            summary=r.text,
            uid=r.id,
            status=TodoItemStatus.COMPLETED if r.done else TodoItemStatus.NEEDS_ACTION,
            due=r.due,
        )
        for r in book
    ]
    items_mb = tracemalloc.get_traced_memory()[0] / 1e6 - book_mb
    tracemalloc.stop()
    del items
    return plain_mb, book_mb, items_mb


async def measure_firing(
    config_dir: str, stored: dict[str, Any], fires: int
) -> tuple[list[float], list[float], int, float]:
    """Return lateness (ms) of OS1's reminders and of bare timers, OS1's timer count."""
    write_storage(config_dir, stored)
    async with async_test_home_assistant(config_dir=config_dir) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        assert await async_setup_component(hass, "homeassistant", {})
        received: list[float] = []

        @callback
        def phone(call: ServiceCall) -> None:
            received.append(time.time())

        hass.services.async_register("notify", "phone", phone)
        entry, _ = await setup_os1(hass)
        scheduler = entry.runtime_data.reminders
        # The timers on the event loop for OS1's reminders, all of them pending.
        timers = sum(
            1
            for handle in get_scheduled_timer_handles(hass.loop)
            if TIMER_NAME in repr(getattr(handle, "_callback", None))
        )
        start = dt_util.utcnow() + timedelta(seconds=1)
        dues = [start + timedelta(milliseconds=250 * i + 37) for i in range(fires)]
        bare: list[float] = []
        for due in dues:
            local_due = dt_util.as_local(due)
            scheduler.async_add(f"bench {due}", When(local_due))

            @callback
            def fired(_now: datetime) -> None:
                bare.append(time.time())

            async_track_point_in_time(hass, fired, local_due)
        expected = [due.timestamp() for due in dues]
        # Wait (without touching the loop's timers) until all were delivered.
        await asyncio.sleep(2 + fires * 0.25)
        await hass.async_block_till_done()
        save_start = time.perf_counter()
        await scheduler._store.async_save(scheduler.book.as_data())
        save_ms = (time.perf_counter() - save_start) * 1000
        await hass.async_stop(force=True)
    late = [(got - want) * 1000 for got, want in zip(sorted(received), expected)]
    bare_late = [(got - want) * 1000 for got, want in zip(sorted(bare), expected)]
    return late, bare_late, timers, save_ms


def describe(values: list[float]) -> str:
    """Return the median, p95 and worst of a series."""
    p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
    return (
        f"median {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms  "
        f"worst {max(values):7.1f} ms"
    )


async def run(count: int, fires: int) -> None:
    """Run every measurement and print the figures."""
    now = dt_util.now()
    stored = stored_book(count, now)
    with tempfile.TemporaryDirectory() as config_dir:
        (Path(config_dir) / "custom_components").symlink_to(ROOT / "custom_components")
        size = len(json.dumps(stored)) / 1e6
        print(f"{count:,} stored reminders ({size:.1f} MB of JSON), real core\n")
        empty = statistics.median(
            [await measure_setup(config_dir, None) for _ in range(3)]
        )
        full = statistics.median(
            [await measure_setup(config_dir, stored) for _ in range(3)]
        )
        write_storage(config_dir, stored)
        store = statistics.median([await measure_store(config_dir) for _ in range(3)])
        print("Start-up (median of 3):")
        print(f"  OS1 set up with {count:,} reminders   {full:8.1f} ms")
        print(f"  OS1 set up with no reminders      {empty:8.1f} ms")
        print(f"  baseline: HA Store reads the file {store:8.1f} ms")
        print(f"  OS1's own cost of the reminders   {full - empty - store:8.1f} ms")

        plain, book, items = measure_memory(stored)
        print("\nMemory (tracemalloc):")
        print(f"  reminder book (with its heap)     {book:8.1f} MB")
        print(f"  Reminders list items              {items:8.1f} MB")
        print(f"  baseline: the Store's JSON objects{plain:8.1f} MB")

        late, bare, timers, save = await measure_firing(config_dir, stored, fires)
        print(f"\nFiring, {fires} reminders due 250 ms apart, with {count:,} pending:")
        print(f"  OS1 due -> phone notified         {describe(late)}")
        print(f"  baseline: bare HA timer           {describe(bare)}")
        verdict = "meets" if max(late) < 1000 else "MISSES"
        print(f"  target within 1 s: {verdict} ({len(late)}/{fires} delivered)")
        print(f"\nTimers on the event loop for OS1's {count:,} pending: {timers}")
        print(f"Writing all {count:,} reminders to the Store: {save:.1f} ms")


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--fires", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(run(args.reminders, args.fires))


if __name__ == "__main__":
    main()
