"""Follow me on real Home Assistant: rooms from sensors and voices, and what follows.

People are Home Assistant `person` entities whose home/away comes from a
device tracker; their phones' BLE area sensors and the rooms' motion sensors
are entities whose states change as they would; the speakers are library
media players in each room.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.components.person import async_create_person
from homeassistant.config_entries import ConfigEntryState, ConfigSubentryData
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import Context, HomeAssistant, ServiceCall
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.os1.const import CONF_LANGUAGE, DOMAIN, EVENT_ROOM_CHANGED
from custom_components.os1.diagnostics import async_get_config_entry_diagnostics

from .conftest import Talk, deprecations, speech
from .library_player import LibraryPlayer
from .speakers import Speakers, add_platform, satellite_in

PHONE = "notify.notifier"


@dataclass(frozen=True, slots=True)
class Person:
    """A person of the home, with their user, phone tracker and BLE sensor."""

    entity_id: str
    context: Context
    tracker: str
    ble: str


@pytest.fixture(autouse=True)
def at_now(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Start every test at the same moment."""
    freezer.move_to("2026-11-25 14:00:00+00:00")
    return freezer


@pytest.fixture
async def people(hass: HomeAssistant) -> dict[str, Person]:
    """Anna and Ben, both home, with a user each and a phone in no room yet."""
    made = {}
    persons = []
    for name in ("Anna", "Ben"):
        # Users as the UI makes them: allowed to control the home.
        user = await hass.auth.async_create_user(name, group_ids=["system-users"])
        key = name.lower()
        person = Person(
            f"person.{key}",
            Context(user_id=user.id),
            f"device_tracker.{key}_phone",
            f"sensor.{key}_phone_area",
        )
        hass.states.async_set(person.tracker, "home")
        hass.states.async_set(person.ble, "unknown")
        persons.append(
            {
                "id": key,
                "name": name,
                "user_id": user.id,
                "device_trackers": [person.tracker],
            }
        )
        made[name] = person
    assert await async_setup_component(hass, "person", {"person": persons})
    await hass.async_block_till_done()
    return made


def follow(person: Person, *, room_sensors: tuple[str, ...] = ()) -> ConfigSubentryData:
    """Return the subentry that has OS1 follow a person."""
    return ConfigSubentryData(
        data={
            "person": person.entity_id,
            "ble_sensors": [person.ble],
            "room_sensors": list(room_sensors),
            "follow_music": True,
        },
        subentry_type="person",
        title=person.entity_id.split(".")[1].title(),
        unique_id=person.entity_id,
    )


@pytest.fixture
def motion(hass: HomeAssistant, demo_home: dict[str, str]) -> dict[str, str]:
    """Put a motion sensor in each room; return them by room name."""
    registry = er.async_get(hass)
    sensors = {}
    for room, area_id in demo_home.items():
        entry = registry.async_get_or_create(
            "binary_sensor",
            "test",
            f"{room}_motion",
            suggested_object_id=f"{room.lower().replace(' ', '_')}_motion",
        )
        registry.async_update_entity(entry.entity_id, area_id=area_id)
        hass.states.async_set(entry.entity_id, "off", {"device_class": "motion"})
        sensors[room] = entry.entity_id
    return sensors


@pytest.fixture
def os1_entry(
    hass: HomeAssistant, people: dict[str, Person], motion: dict[str, str]
) -> MockConfigEntry:
    """OS1 following Anna and Ben; the kitchen's motion sensor is listed by both."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Samantha",
        data={"name": "Samantha", CONF_LANGUAGE: "en"},
        options={"reminders": {"notify": {"default": PHONE}}},
        subentries_data=[
            follow(people["Anna"], room_sensors=(motion["Kitchen"],)),
            follow(people["Ben"], room_sensors=(motion["Kitchen"], motion["Bedroom"])),
        ],
    )
    entry.add_to_hass(hass)
    return entry


def entity(hass: HomeAssistant, domain: str, person: Person, key: str) -> str:
    """Return the entity id of one of a person's OS1 entities."""
    entity_id = er.async_get(hass).async_get_entity_id(
        domain, DOMAIN, f"{person.entity_id}-{key}"
    )
    assert entity_id is not None
    return entity_id


def room_of(hass: HomeAssistant, person: Person) -> str:
    """Return what the person's room sensor shows."""
    state = hass.states.get(entity(hass, "sensor", person, "room"))
    assert state is not None
    return state.state


def at_satellite(
    hass: HomeAssistant, os1: MockConfigEntry, area_id: str | None
) -> Talk:
    """Talk to OS1 through a voice satellite in a room (None: typed, no device)."""
    talk = Talk(hass, os1.runtime_data.assistant.agent_id or "")
    if area_id is not None:
        talk.device_id = satellite_in(hass, os1, area_id)
    return talk


async def changed(
    hass: HomeAssistant, entity_id: str, state: str, **attributes: Any
) -> None:
    """Change an entity's state; wait until what follows from it has happened.

    A device tracker changes a person, whose change reaches OS1 a turn later.
    """
    hass.states.async_set(entity_id, state, attributes)
    await hass.async_block_till_done()
    await hass.async_block_till_done()


async def later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move the clock on and let Home Assistant's timers fire."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def walk(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    person: Person,
    room: str,
    seconds: int = 30,
) -> None:
    """Their phone's BLE sensor sees them in a room; then time passes."""
    await changed(hass, person.ble, room)
    for _ in range(seconds):
        await later(hass, freezer, 1)


async def test_rooms_from_ble_motion_and_home_away(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    motion: dict[str, str],
    at_now: FrozenDateTimeFactory,
) -> None:
    """BLE places Anna, a move needs the dwell time, away empties, motion confirms."""
    anna = people["Anna"]
    moves = async_capture_events(hass, EVENT_ROOM_CHANGED)
    assert room_of(hass, anna) == STATE_UNKNOWN

    await changed(hass, anna.ble, "Kitchen")
    assert room_of(hass, anna) == "Kitchen"
    sensor = hass.states.get(entity(hass, "sensor", anna, "room"))
    assert sensor is not None
    assert sensor.attributes["confidence"] == 1.0
    assert sensor.attributes["area_id"] == "kitchen"

    await changed(hass, anna.ble, "bedroom")  # Area ids do as well as names.
    await later(hass, at_now, 5)
    assert room_of(hass, anna) == "Kitchen"  # Not for long enough yet.
    await later(hass, at_now, 6)
    assert room_of(hass, anna) == "Bedroom"
    assert [(e.data["area_id"], e.data["previous_area_id"]) for e in moves] == [
        ("kitchen", None),
        ("bedroom", "kitchen"),
    ]
    assert moves[-1].data["person"] == anna.entity_id
    assert moves[-1].data["evidence"] == "ble"

    await changed(hass, anna.tracker, "not_home")
    assert room_of(hass, anna) == STATE_UNKNOWN
    assert (
        hass.states.get(entity(hass, "sensor", anna, "room")).attributes["home"]
        is False
    )
    # While she is away her phone's sensor places nobody...
    await changed(hass, anna.ble, "Living Room")
    await later(hass, at_now, 20)
    assert room_of(hass, anna) == STATE_UNKNOWN
    # ...and once she is home, what it says counts (it won't say it again).
    await changed(hass, anna.tracker, "home")
    assert room_of(hass, anna) == "Living Room"
    # A sensor's state holds: sitting still for half an hour, she is still there.
    await later(hass, at_now, 30 * 60)
    assert room_of(hass, anna) == "Living Room"

    await changed(hass, people["Ben"].tracker, "not_home")
    await changed(hass, anna.ble, "unknown")
    # Alone at home, the kitchen's motion is Anna.
    await changed(hass, motion["Kitchen"], "on", device_class="motion")
    assert room_of(hass, anna) == "Kitchen"

    # A phone in a place that is no area of the home places her nowhere.
    await changed(hass, anna.ble, "Garage")
    await later(hass, at_now, 11)
    assert room_of(hass, anna) == "Kitchen"  # The kitchen's motion still holds.

    # With nothing new once the motion clears, the room is forgotten in 15 minutes.
    await changed(hass, motion["Kitchen"], "off", device_class="motion")
    await later(hass, at_now, 14 * 60)
    assert room_of(hass, anna) == "Kitchen"
    await later(hass, at_now, 2 * 60)
    assert room_of(hass, anna) == STATE_UNKNOWN


async def test_flapping_sensor_causes_no_handoff_storm(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    speakers: Speakers,
    demo_home: dict[str, str],
    at_now: FrozenDateTimeFactory,
) -> None:
    """A phone in a doorway flips between two rooms for two minutes: nothing moves."""
    anna = people["Anna"]
    talk = at_satellite(hass, os1, demo_home["Kitchen"])
    await talk("play First Day of My Life", context=anna.context)
    assert speakers.kitchen.state == "playing"
    moves = async_capture_events(hass, EVENT_ROOM_CHANGED)
    for step in range(60):
        await changed(hass, anna.ble, "Living Room" if step % 2 else "Kitchen")
        await later(hass, at_now, 2)
    assert moves == []
    assert room_of(hass, anna) == "Kitchen"
    assert speakers.living_room.played == []
    assert speakers.kitchen.state == "playing"


async def test_two_people_and_whose_voice(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    motion: dict[str, str],
    demo_home: dict[str, str],
    at_now: FrozenDateTimeFactory,
) -> None:
    """Each is placed by their own evidence; a shared sensor only confirms."""
    anna, ben = people["Anna"], people["Ben"]
    talk = at_satellite(hass, os1, None)

    # Two people home: the kitchen's motion can't tell who it is.
    await changed(hass, motion["Kitchen"], "on", device_class="motion")
    assert (room_of(hass, anna), room_of(hass, ben)) == (STATE_UNKNOWN,) * 2

    # Anna speaks in the bedroom (her user): she is there at once.
    talk.device_id = satellite_in(hass, os1, demo_home["Bedroom"])
    await talk("turn on the lights", context=anna.context)
    assert room_of(hass, anna) == "Bedroom"
    assert room_of(hass, ben) == STATE_UNKNOWN
    await walk(hass, at_now, ben, "Kitchen")
    assert (room_of(hass, anna), room_of(hass, ben)) == ("Bedroom", "Kitchen")

    # A voice with no user in the kitchen is Ben's: he is the one there.
    talk.device_id = satellite_in(hass, os1, demo_home["Kitchen"])
    talk.conversation_id = None
    result = await talk("remind me to buy bread in 10 minutes")
    assert speech(result) == "Okay, I'll remind you to buy bread in 10 minutes."
    (reminder,) = os1.runtime_data.reminders.book.upcoming()
    assert reminder.person == ben.entity_id

    # Carl, signed in but not followed, speaks in the bedroom: he is nobody else.
    carl = await hass.auth.async_create_user("Carl")
    await async_create_person(hass, "Carl", user_id=carl.id)
    talk.device_id = satellite_in(hass, os1, demo_home["Living Room"])
    talk.conversation_id = None
    await talk("turn on the lights", context=Context(user_id=carl.id))
    assert (room_of(hass, anna), room_of(hass, ben)) == ("Bedroom", "Kitchen")

    # Ben leaves: the voice in the bedroom is Anna's now, as she is alone.
    await changed(hass, ben.tracker, "not_home")
    talk.device_id = satellite_in(hass, os1, demo_home["Living Room"])
    talk.conversation_id = None
    await talk("turn on the lights")
    assert room_of(hass, anna) == "Living Room"
    diagnostics = await async_get_config_entry_diagnostics(hass, os1)
    assert diagnostics["people"] == {
        "followed": 2,
        "home": 1,
        "placed": 1,
        "music_follows": 2,
    }
    assert "living_room" not in str(diagnostics["people"])


async def test_music_follows_from_the_same_second(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    speakers: Speakers,
    demo_home: dict[str, str],
    at_now: FrozenDateTimeFactory,
) -> None:
    """Anna walks to the bedroom: her song continues there where it was."""
    anna = people["Anna"]
    kitchen = at_satellite(hass, os1, demo_home["Kitchen"])
    await kitchen("play First Day of My Life", context=anna.context)
    assert room_of(hass, anna) == "Kitchen"
    await later(hass, at_now, 40)

    await walk(hass, at_now, anna, "Bedroom")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert room_of(hass, anna) == "Bedroom"
    assert speakers.bedroom.state == "playing"
    assert speakers.bedroom.media_title == "First Day of My Life"
    # The song was 40 s in when she left; the bedroom led for 10 s before she moved.
    assert speakers.bedroom.media_position == pytest.approx(50, abs=1)
    assert speakers.kitchen.state == "paused"

    # Another satellite, the same conversation: "turn it up" is that music.
    bedroom = at_satellite(hass, os1, demo_home["Bedroom"])
    result = await bedroom("turn it up", context=anna.context)
    assert speech(result) == "Turning it up."
    assert speakers.bedroom.volume_level == 0.6
    assert speakers.kitchen.volume_level == 0.5

    # "Stop following me": the music stays when she walks on...
    result = await bedroom("stop following me", context=anna.context)
    assert speech(result) == "Okay, your music stays where it is when you leave."
    switch = entity(hass, "switch", anna, "follow_music")
    assert hass.states.get(switch).state == "off"
    plays = len(speakers.kitchen.played)
    await walk(hass, at_now, anna, "Kitchen", seconds=45)  # She spoke just now.
    await hass.async_block_till_done(wait_background_tasks=True)
    assert room_of(hass, anna) == "Kitchen"
    assert len(speakers.kitchen.played) == plays
    assert speakers.kitchen.state == "paused"
    # ...until she asks for it.
    result = await kitchen("bring the music here", context=anna.context)
    assert speech(result) == "Moving the music to the kitchen."
    assert speakers.kitchen.state == "playing"
    assert speakers.kitchen.media_title == "First Day of My Life"
    assert speakers.bedroom.state == "paused"
    # The setting is kept on her subentry, without reloading OS1.
    subentry = os1.subentries[os1.runtime_data.presence.subentries[anna.entity_id]]
    assert subentry.data["follow_music"] is False
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": switch}, blocking=True
    )
    assert os1.subentries[subentry.subentry_id].data["follow_music"] is True
    assert os1.state is ConfigEntryState.LOADED
    await walk(hass, at_now, anna, "Bedroom", seconds=45)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert room_of(hass, anna) == "Bedroom"
    assert speakers.bedroom.state == "playing"
    assert speakers.kitchen.state == "paused"


async def test_music_stays_for_someone_still_listening(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    speakers: Speakers,
    demo_home: dict[str, str],
    at_now: FrozenDateTimeFactory,
) -> None:
    """Ben stays in the kitchen: Anna's music plays on there and in her new room."""
    anna, ben = people["Anna"], people["Ben"]
    await walk(hass, at_now, ben, "Kitchen")
    talk = at_satellite(hass, os1, demo_home["Kitchen"])
    await talk("play First Day of My Life", context=anna.context)
    await walk(hass, at_now, anna, "Kitchen")
    await walk(hass, at_now, anna, "Bedroom")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert speakers.bedroom.media_title == "First Day of My Life"
    assert speakers.kitchen.state == "playing"

    # Music Ben started is not Anna's to take along.
    await speakers.bedroom.async_media_stop()
    await talk("play Lua", context=ben.context)
    assert speakers.kitchen.media_title == "Lua"
    await walk(hass, at_now, anna, "Kitchen")
    await walk(hass, at_now, anna, "Bedroom")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert room_of(hass, anna) == "Bedroom"
    assert speakers.bedroom.state == "idle"

    # Once it stopped, it is nobody's: what plays there next follows her.
    await speakers.kitchen.async_media_stop()
    song = speakers.kitchen.library[2]
    await speakers.kitchen.async_play_media("music", song.uri)
    await walk(hass, at_now, anna, "Kitchen")
    await walk(hass, at_now, anna, "Bedroom")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert speakers.bedroom.media_title == song.title
    assert speakers.kitchen.state == "playing"  # Ben is still there.


async def test_reminder_and_context_follow_the_person(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    demo_home: dict[str, str],
    at_now: FrozenDateTimeFactory,
) -> None:
    """A question asked in one room is answered in another; "the room" is hers now."""
    anna = people["Anna"]
    kitchen = at_satellite(hass, os1, demo_home["Kitchen"])
    result = await kitchen("remind me to call mom", context=anna.context)
    assert speech(result) == "When should I remind you to call mom?"

    bedroom = at_satellite(hass, os1, demo_home["Bedroom"])
    result = await bedroom("in 20 minutes", context=anna.context)
    assert speech(result) == "Okay, I'll remind you to call mom in 20 minutes."
    (reminder,) = os1.runtime_data.reminders.book.upcoming()
    assert reminder.person == anna.entity_id

    # After the window, a new conversation: the bare time means nothing.
    await later(hass, at_now, 200)
    kitchen.conversation_id = None
    result = await kitchen("remind me to water the plants", context=anna.context)
    assert speech(result) == "When should I remind you to water the plants?"
    await later(hass, at_now, 121)
    bedroom.conversation_id = None
    result = await bedroom("in 5 minutes", context=anna.context)
    assert "remind" not in speech(result).lower()
    assert len(os1.runtime_data.reminders.book.upcoming()) == 1


async def test_a_thread_keeps_each_conversation_its_own(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    demo_home: dict[str, str],
) -> None:
    """Typed by Anna, carried on by the satellite in her room, each in its own conversation.

    A Home Assistant conversation belongs to the user who started it: a turn
    handed another user's conversation id would be refused ("Unauthorized")
    on its next turn.
    """
    anna, ben = people["Anna"], people["Ben"]
    await changed(hass, ben.tracker, "not_home")  # Alone: the satellite hears her.
    typed = at_satellite(hass, os1, None)
    result = await typed("remind me to call mom", context=anna.context)
    assert speech(result) == "When should I remind you to call mom?"
    dialog = result.conversation_id

    bedroom = at_satellite(hass, os1, demo_home["Bedroom"])
    result = await bedroom("in 20 minutes")  # A satellite speaks for no user.
    assert speech(result) == "Okay, I'll remind you to call mom in 20 minutes."
    assert result.conversation_id != dialog
    result = await bedroom("turn on the lights")
    assert speech(result) == "Okay, the bedroom light is on."
    result = await typed("what are my reminders?", context=anna.context)
    assert "call mom" in speech(result)
    assert result.conversation_id == dialog


async def test_announcement_goes_where_the_person_is(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    at_now: FrozenDateTimeFactory,
) -> None:
    """`os1.announce` finds the person's room; with no satellite there, their phone."""
    anna = people["Anna"]
    sent = async_capture_events(hass, "notify")
    await walk(hass, at_now, anna, "Kitchen")
    response = await hass.services.async_call(
        DOMAIN,
        "announce",
        {"person": anna.entity_id, "message": "Dinner is ready."},
        blocking=True,
        return_response=True,
    )
    assert response == {
        "person": anna.entity_id,
        "area_id": "kitchen",
        "delivered": "phone",
    }
    assert [event.data["message"] for event in sent] == ["Dinner is ready."]
    await changed(hass, anna.tracker, "not_home")
    response = await hass.services.async_call(
        DOMAIN,
        "announce",
        {"person": anna.entity_id, "message": "The parcel came."},
        blocking=True,
        return_response=True,
    )
    assert response == {"person": anna.entity_id, "area_id": None, "delivered": "phone"}
    with pytest.raises(ServiceValidationError, match=r"doesn't follow person\.carl"):
        await hass.services.async_call(
            DOMAIN,
            "announce",
            {"person": "person.carl", "message": "Hello"},
            blocking=True,
        )


async def test_music_assistant_moves_its_queue(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    demo_home: dict[str, str],
    flows: None,
    at_now: FrozenDateTimeFactory,
) -> None:
    """Music Assistant's players hand over with `transfer_queue` (position and all)."""
    anna = people["Anna"]
    kitchen, bedroom = LibraryPlayer("MA kitchen"), LibraryPlayer("MA bedroom")
    await add_platform(hass, "music_assistant", [kitchen, bedroom])
    registry = er.async_get(hass)
    for player, room in ((kitchen, "Kitchen"), (bedroom, "Bedroom")):
        registry.async_update_entity(player.entity_id, area_id=demo_home[room])
    transfers: list[dict[str, Any]] = []

    async def transfer_queue(call: ServiceCall) -> None:
        transfers.append(dict(call.data))

    async def play_media(call: ServiceCall) -> None:
        """Unused: the music is already playing."""

    hass.services.async_register("music_assistant", "transfer_queue", transfer_queue)
    hass.services.async_register("music_assistant", "play_media", play_media)
    await kitchen.async_play_media("music", kitchen.library[0].uri)
    await walk(hass, at_now, anna, "Kitchen")
    await walk(hass, at_now, anna, "Bedroom")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert transfers == [
        {
            "entity_id": bedroom.entity_id,
            "source_player": kitchen.entity_id,
            "auto_play": True,
        }
    ]


async def test_person_subentry_flow(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    at_now: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """People are added and changed in the UI; each change takes effect."""
    flows = hass.config_entries.subentries
    result = await flows.async_init(
        (os1.entry_id, "person"), context={"source": "user"}
    )
    assert result["type"] is FlowResultType.FORM
    result = await flows.async_configure(
        result["flow_id"], {"person": people["Anna"].entity_id, "follow_music": True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"

    hass.states.async_set("person.carl", "home", {"friendly_name": "Carl"})
    result = await flows.async_init(
        (os1.entry_id, "person"), context={"source": "user"}
    )
    result = await flows.async_configure(
        result["flow_id"], {"person": "person.nobody", "follow_music": True}
    )
    assert result["errors"] == {"person": "person_not_found"}
    result = await flows.async_configure(
        result["flow_id"],
        {
            "person": "person.carl",
            "ble_sensors": ["sensor.carl_phone_area"],
            "follow_music": False,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert os1.state is ConfigEntryState.LOADED
    monitor = os1.runtime_data.presence
    assert monitor.tracks("person.carl")
    assert not monitor.music_follows("person.carl")
    await changed(hass, "sensor.carl_phone_area", "Kitchen")
    assert monitor.room_of("person.carl") == "kitchen"

    carl = next(s for s in os1.subentries.values() if s.unique_id == "person.carl")
    await changed(hass, "sensor.carls_tag_area", "Bedroom")
    moves = async_capture_events(hass, EVENT_ROOM_CHANGED)
    result = await os1.start_subentry_reconfigure_flow(hass, carl.subentry_id)
    assert result["step_id"] == "reconfigure"
    result = await flows.async_configure(
        result["flow_id"],
        {"ble_sensors": ["sensor.carls_tag_area"], "follow_music": True},
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    monitor = os1.runtime_data.presence
    assert monitor.music_follows("person.carl")
    assert monitor.configs["person.carl"].ble_sensors == ("sensor.carls_tag_area",)
    # Reloaded, OS1 finds everyone where they are: no one moved, no event.
    assert monitor.room_of("person.carl") == "bedroom"
    assert monitor.room_of(people["Anna"].entity_id) is None
    assert moves == []
    # An area made since OS1 started is known by its name too.
    studio = ar.async_get(hass).async_create("Studio")
    await changed(hass, "sensor.carls_tag_area", "Studio")
    await later(hass, at_now, 11)
    assert monitor.room_of("person.carl") == studio.id
    assert not deprecations(caplog)


async def test_follow_me_and_bring_here_explain_what_they_cannot_do(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    speakers: Speakers,
    demo_home: dict[str, str],
) -> None:
    """Unknown speakers, unfollowed people, no room, nothing or too much playing."""
    talk = at_satellite(hass, os1, None)
    result = await talk("follow me")  # Typed, no user, two people home.
    assert speech(result) == "I can't tell who you are, so I can't follow you."
    carl = await hass.auth.async_create_user("Carl")
    await async_create_person(hass, "Carl", user_id=carl.id)
    result = await talk("let the music follow me", context=Context(user_id=carl.id))
    assert speech(result).startswith("I don't follow you from room to room yet.")
    result = await talk("bring the music here", context=people["Anna"].context)
    assert speech(result) == "I don't know which room you're in."

    # The demo's own players play too; hidden from Assist, OS1 leaves them be.
    registry = er.async_get(hass)
    for state in hass.states.async_all("media_player"):
        entry = registry.async_get(state.entity_id)
        if entry is None or entry.platform != "library":
            async_expose_entity(hass, "conversation", state.entity_id, False)
    talk.device_id = satellite_in(hass, os1, demo_home["Bedroom"])
    result = await talk("bring the music here", context=people["Anna"].context)
    assert speech(result) == "Nothing's playing to bring here."
    await speakers.kitchen.async_play_media("music", speakers.kitchen.library[0].uri)
    result = await talk("bring the music here", context=people["Anna"].context)
    assert speech(result) == "Moving the music to the bedroom."
    result = await talk("bring the music here", context=people["Anna"].context)
    assert speech(result) == "It's already playing here."

    song = speakers.kitchen.library[1]
    await speakers.kitchen.async_play_media("music", song.uri)
    talk.device_id = satellite_in(hass, os1, demo_home["Living Room"])
    result = await talk("bring the music here", context=people["Anna"].context)
    assert speech(result) == (
        "More than one room is playing; say which, for example "
        '"bring the music from the kitchen here".'
    )
    talk.device_id = satellite_in(hass, os1, demo_home["Bedroom"])
    result = await talk("bring the music from the kitchen here")
    assert speech(result) == "Moving the music to the bedroom."
    assert speakers.bedroom.media_title == song.title
    assert speakers.kitchen.state == "paused"


async def test_players_that_fail_do_not_stop_following(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    speakers: Speakers,
    demo_home: dict[str, str],
    at_now: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A speaker that can't seek gets the song from the start; a broken one is logged."""
    anna = people["Anna"]

    async def cannot_seek(position: float) -> None:
        raise NotImplementedError

    async def broken(media_type: str, media_id: str, **kwargs: Any) -> None:
        raise RuntimeError("the speaker's firmware crashed")

    speakers.bedroom.async_media_seek = cannot_seek  # type: ignore[method-assign]
    talk = at_satellite(hass, os1, demo_home["Kitchen"])
    await talk("play First Day of My Life", context=anna.context)
    await later(hass, at_now, 40)
    await walk(hass, at_now, anna, "Bedroom")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert speakers.bedroom.media_title == "First Day of My Life"
    assert speakers.bedroom.media_position == 0
    assert speakers.kitchen.state == "paused"

    speakers.kitchen.async_play_media = broken  # type: ignore[method-assign]
    await walk(hass, at_now, anna, "Kitchen")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert room_of(hass, anna) == "Kitchen"
    assert "Unexpected error moving the music of person.anna" in caplog.text
    assert speakers.bedroom.state == "playing"
    talk.device_id = satellite_in(hass, os1, demo_home["Bedroom"])
    result = await talk("what's playing?", context=anna.context)
    assert speech(result) == "This is First Day of My Life by Bright Eyes."


async def test_a_request_and_the_music_following_do_not_cross(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    speakers: Speakers,
    demo_home: dict[str, str],
) -> None:
    """Heard in a new room asking for the music: it moves there once, not twice."""
    anna = people["Anna"]
    talk = at_satellite(hass, os1, demo_home["Kitchen"])
    await talk("play First Day of My Life", context=anna.context)
    play = speakers.bedroom.async_play_media

    async def network_player(media_type: str, media_id: str, **kwargs: Any) -> None:
        for _ in range(5):  # A player on the network answers a few turns later.
            await asyncio.sleep(0)
        await play(media_type, media_id, **kwargs)

    speakers.bedroom.async_play_media = network_player  # type: ignore[method-assign]
    talk.device_id = satellite_in(hass, os1, demo_home["Bedroom"])
    result = await talk("bring the music here", context=anna.context)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert speech(result) in (
        "Moving the music to the bedroom.",
        "It's already playing here.",
    )
    assert len(speakers.bedroom.played) == 1
    assert speakers.bedroom.state == "playing"
    assert speakers.kitchen.state == "paused"


async def test_an_occupancy_sensor_that_clears_places_nobody(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    people: dict[str, Person],
    motion: dict[str, str],
) -> None:
    """Occupancy holds her in the room while on; cleared, it says nothing more."""
    anna, ben = people["Anna"], people["Ben"]
    await changed(hass, ben.tracker, "not_home")
    await changed(hass, motion["Kitchen"], "on", device_class="occupancy")
    assert room_of(hass, anna) == "Kitchen"
    await changed(hass, motion["Kitchen"], "off", device_class="occupancy")
    assert room_of(hass, anna) == STATE_UNKNOWN
