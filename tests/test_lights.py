"""OS1 runs the lights of the room you are in, on a real Home Assistant."""

from __future__ import annotations

from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    intent,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import Talk, is_error, speech
from .registry import place

KITCHEN = "light.kitchen_lights"
BED = "light.bed_light"
LIVING = ("light.living_room_rgbww_lights", "light.ceiling_lights")
ALL_ROOM_LIGHTS = (KITCHEN, BED, *LIVING)


def state(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state."""
    current = hass.states.get(entity_id)
    assert current is not None
    return current.state


def brightness_pct(hass: HomeAssistant, entity_id: str) -> int:
    """Return a light's brightness in percent."""
    current = hass.states.get(entity_id)
    assert current is not None
    return round(current.attributes["brightness"] * 100 / 255)


async def set_lights(hass: HomeAssistant, on: bool, *entity_ids: str) -> None:
    """Switch lights directly, as another app would."""
    await hass.services.async_call(
        "light",
        "turn_on" if on else "turn_off",
        {"entity_id": list(entity_ids or ALL_ROOM_LIGHTS)},
        blocking=True,
    )


@pytest.fixture
def kitchen_satellite(
    hass: HomeAssistant, os1: MockConfigEntry, demo_home: dict[str, str]
) -> str:
    """Return a device that stands in the kitchen, like a voice satellite."""
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=os1.entry_id,
        identifiers={("os1_test", "kitchen-satellite")},
        name="Kitchen satellite",
    )
    dr.async_get(hass).async_update_device(device.id, area_id=demo_home["Kitchen"])
    return device.id


@pytest.mark.parametrize(
    "sentence",
    [
        "turn on the kitchen lights",
        "Turn on the kitchen lights.",
        "switch on the lights in the kitchen",
        "kitchen lights on",
        "lights on in the kitchen please",
        "can you turn the kitchen light on",
    ],
)
async def test_named_room_on(hass: HomeAssistant, talk: Talk, sentence: str) -> None:
    """Naming a room turns on that room's lights and no others."""
    await set_lights(hass, False)
    result = await talk(sentence)
    assert speech(result) == "Okay, the kitchen light is on."
    assert state(hass, KITCHEN) == "on"
    assert [state(hass, e) for e in (BED, *LIVING)] == ["off", "off", "off"]


@pytest.mark.parametrize(
    "sentence",
    [
        "turn off the living room lights",
        "living room lights off",
        "kill the lights in the living room",
    ],
)
async def test_named_room_off(hass: HomeAssistant, talk: Talk, sentence: str) -> None:
    """Every light of the named room goes off."""
    await set_lights(hass, True)
    result = await talk(sentence)
    assert speech(result) == "Okay, the living room lights are off."
    assert [state(hass, e) for e in LIVING] == ["off", "off"]
    assert state(hass, KITCHEN) == "on"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("turn on the lights", "on"),
        ("lights on", "on"),
        ("switch the lights on", "on"),
        ("let there be light", "on"),
    ],
)
async def test_room_of_the_satellite(
    hass: HomeAssistant,
    talk: Talk,
    kitchen_satellite: str,
    sentence: str,
    expected: str,
) -> None:
    """Without a room in the sentence, the satellite's room is meant."""
    await set_lights(hass, False)
    talk.device_id = kitchen_satellite
    await talk(sentence)
    assert state(hass, KITCHEN) == expected
    assert state(hass, BED) == "off"


async def test_lights_off_here(
    hass: HomeAssistant, talk: Talk, kitchen_satellite: str
) -> None:
    """Saying "lights off" from the kitchen leaves the other rooms alone."""
    await set_lights(hass, True)
    talk.device_id = kitchen_satellite
    result = await talk("lights off")
    assert speech(result) == "Okay, the kitchen light is off."
    assert state(hass, KITCHEN) == "off"
    assert state(hass, BED) == "on"


async def test_satellite_entity_area_wins(
    hass: HomeAssistant, os1: MockConfigEntry, demo_home: dict[str, str], agent_id: str
) -> None:
    """A satellite entity placed in a room speaks for that room.

    Home Assistant lets only an entity with a name of its own have an area of
    its own, apart from its device's.
    """
    await set_lights(hass, False)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=os1.entry_id, identifiers={("os1_test", "sat")}, name="Sat"
    )
    dr.async_get(hass).async_update_device(device.id, area_id=demo_home["Kitchen"])
    entity = er.async_get(hass).async_get_or_create(
        "assist_satellite",
        "os1_test",
        "sat",
        device_id=device.id,
        original_name="Bedside voice",
    )
    er.async_get(hass).async_update_entity(
        entity.entity_id, area_id=demo_home["Bedroom"]
    )
    from custom_components.os1.rooms import area_of_request

    assert area_of_request(hass, device.id, entity.entity_id) == demo_home["Bedroom"]
    assert area_of_request(hass, device.id, None) == demo_home["Kitchen"]


async def test_no_room_asks_which(hass: HomeAssistant, talk: Talk) -> None:
    """Without a room OS1 asks which one, and the answer completes the command."""
    await set_lights(hass, False)
    result = await talk("turn on the lights")
    assert speech(result) == "Which room do you mean?"
    assert result.continue_conversation
    assert state(hass, KITCHEN) == "off"
    result = await talk("the bedroom")
    assert speech(result) == "Okay, the bedroom light is on."
    assert not result.continue_conversation
    assert state(hass, BED) == "on"
    assert state(hass, KITCHEN) == "off"


async def test_all_lights(
    hass: HomeAssistant, talk: Talk, kitchen_satellite: str
) -> None:
    """Saying "turn off all the lights" means the whole home, even from one room."""
    await set_lights(hass, True)
    talk.device_id = kitchen_satellite
    result = await talk("turn off all the lights")
    assert speech(result) == "Okay, all the lights are off."
    assert [state(hass, e) for e in ALL_ROOM_LIGHTS] == ["off"] * 4
    result = await talk("turn the lights on everywhere")
    assert [state(hass, e) for e in ALL_ROOM_LIGHTS] == ["on"] * 4


@pytest.mark.parametrize(
    "sentence",
    [
        "dim the lights to 30 percent",
        "set the lights to 30%",
        "lights to 30 percent",
        "set the bedroom lights to 30 percent",
        "dim the bed light to 30%",
    ],
)
async def test_brightness(
    hass: HomeAssistant, talk: Talk, demo_home: dict[str, str], sentence: str
) -> None:
    """Dimming to a percentage sets that brightness."""
    bedroom = dr.async_get(hass).async_get_or_create(
        config_entry_id=talk_entry(hass), identifiers={("os1_test", "bedroom")}
    )
    dr.async_get(hass).async_update_device(bedroom.id, area_id=demo_home["Bedroom"])
    talk.device_id = bedroom.id
    result = await talk(sentence)
    assert "30 percent" in speech(result)
    assert state(hass, BED) == "on"
    assert brightness_pct(hass, BED) == 30


def talk_entry(hass: HomeAssistant) -> str:
    """Return OS1's config entry id."""
    return hass.config_entries.async_entries("os1")[0].entry_id


async def test_brightness_zero_turns_off(hass: HomeAssistant, talk: Talk) -> None:
    """Zero percent is off."""
    await set_lights(hass, True, KITCHEN)
    await talk("set the kitchen lights to 0 percent")
    assert state(hass, KITCHEN) == "off"


async def test_full_brightness(hass: HomeAssistant, talk: Talk) -> None:
    """Full brightness is 100 percent."""
    await talk("dim the kitchen lights to 20 percent")
    await talk("kitchen lights to full brightness")
    assert brightness_pct(hass, KITCHEN) == 100


@pytest.mark.parametrize(
    ("sentence", "change"),
    [
        ("a bit brighter", 10),
        ("brighter", 20),
        ("make it a lot brighter", 35),
        ("a little dimmer", -10),
        ("too bright", -20),
        ("turn them down", -20),
    ],
)
async def test_relative_brightness_follows_conversation(
    hass: HomeAssistant, talk: Talk, sentence: str, change: int
) -> None:
    """Saying "a bit brighter" acts on the lights the conversation is about."""
    await talk("set the kitchen lights to 50 percent")
    await set_lights(hass, False, BED)
    result = await talk(sentence)
    assert not is_error(result)
    assert brightness_pct(hass, KITCHEN) == 50 + change
    assert state(hass, BED) == "off"


async def test_relative_brightness_in_named_room(
    hass: HomeAssistant, talk: Talk
) -> None:
    """A room named in a relative command is the one that changes."""
    await talk("set the living room lights to 40 percent")
    result = await talk("make the living room lights a bit dimmer")
    assert speech(result) == "Okay, the living room lights are a little dimmer."
    assert [brightness_pct(hass, e) for e in LIVING] == [30, 30]


@pytest.mark.parametrize(
    ("sentence", "hs_or_kelvin"),
    [
        ("make the kitchen lights blue", (240.0, 100.0)),
        ("turn the kitchen light red", (0.0, 100.0)),
        ("set the kitchen lights to warm white", 2702),
        ("make the kitchen lights cool white", 5000),
    ],
)
async def test_colors(
    hass: HomeAssistant,
    talk: Talk,
    sentence: str,
    hs_or_kelvin: tuple[float, float] | int,
) -> None:
    """Named colors and white temperatures reach the light."""
    result = await talk(sentence)
    assert speech(result).startswith("Okay, the kitchen light is ")
    current = hass.states.get(KITCHEN)
    assert current is not None
    if isinstance(hs_or_kelvin, tuple):
        assert current.attributes["hs_color"] == hs_or_kelvin
    else:
        assert abs(current.attributes["color_temp_kelvin"] - hs_or_kelvin) < 10


async def test_color_from_satellite_room(
    hass: HomeAssistant, talk: Talk, kitchen_satellite: str
) -> None:
    """Saying "make the lights blue" colors this room's lights."""
    talk.device_id = kitchen_satellite
    result = await talk("make the lights blue")
    assert speech(result) == "Okay, the kitchen light is blue now."
    current = hass.states.get(KITCHEN)
    assert current is not None
    assert current.attributes["hs_color"] == (240.0, 100.0)


@pytest.mark.parametrize(
    ("lights_on", "sentence", "answer"),
    [
        ((BED,), "is the bedroom light on?", "Yes, the bedroom light is on."),
        ((), "is the bedroom light on", "No, the bedroom light is off."),
        ((), "are the bedroom lights off?", "Yes, the bedroom light is off."),
        (
            LIVING,
            "are the living room lights on",
            "Yes, all the living room lights are on.",
        ),
        (
            LIVING[:1],
            "are the living room lights on",
            "Yes, 1 of the living room lights is on.",
        ),
        (
            (KITCHEN, BED),
            "which lights are on?",
            "The lights are on in the bedroom and the kitchen.",
        ),
        ((), "which lights are on", "All the lights are off."),
        ((BED,), "is the bed light on", "Yes, the bed light is on."),
    ],
)
async def test_questions(
    hass: HomeAssistant,
    talk: Talk,
    lights_on: tuple[str, ...],
    sentence: str,
    answer: str,
) -> None:
    """Questions about lights get a yes or no answer, and change nothing."""
    await set_lights(hass, False)
    if lights_on:
        await set_lights(hass, True, *lights_on)
    result = await talk(sentence)
    assert speech(result) == answer
    assert result.response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert sorted(e for e in ALL_ROOM_LIGHTS if state(hass, e) == "on") == sorted(
        lights_on
    )


async def test_and_the_kitchen_too(hass: HomeAssistant, talk: Talk) -> None:
    """A follow-up naming another room repeats the last command there."""
    await set_lights(hass, True)
    await talk("turn off the bedroom lights")
    result = await talk("and the kitchen too")
    assert speech(result) == "Okay, the kitchen light is off."
    assert state(hass, BED) == "off"
    assert state(hass, KITCHEN) == "off"
    assert [state(hass, e) for e in LIVING] == ["on", "on"]
    await talk("what about the living room")
    assert [state(hass, e) for e in LIVING] == ["off", "off"]


async def test_follow_up_question(hass: HomeAssistant, talk: Talk) -> None:
    """Saying "and the kitchen?" after a question asks the same about the kitchen."""
    await set_lights(hass, False)
    await set_lights(hass, True, KITCHEN)
    await talk("is the bedroom light on")
    result = await talk("and the kitchen")
    assert speech(result) == "Yes, the kitchen light is on."


async def test_follow_up_is_per_conversation(hass: HomeAssistant, talk: Talk) -> None:
    """Another conversation does not continue this one."""
    await set_lights(hass, True)
    await talk("turn off the bedroom lights")
    result = await talk("and the kitchen too", conversation_id="another-conversation")
    assert state(hass, KITCHEN) == "on"
    assert is_error(result)  # The default agent has no idea what that means.


async def test_unexposed_room(hass: HomeAssistant, talk: Talk) -> None:
    """Lights the user did not expose are not touched, and not named."""
    await set_lights(hass, False)
    async_expose_entity(hass, conversation.DOMAIN, KITCHEN, False)
    result = await talk("turn on the kitchen lights")
    assert is_error(result)
    assert (
        speech(result) == "Sorry, I'm not allowed to control the lights in the kitchen."
    )
    assert "Kitchen Lights" not in speech(result)
    assert state(hass, KITCHEN) == "off"


async def test_unexposed_light_by_name(hass: HomeAssistant, talk: Talk) -> None:
    """Naming an unexposed light gets a refusal that does not name it."""
    await set_lights(hass, False)
    async_expose_entity(hass, conversation.DOMAIN, BED, False)
    result = await talk("turn on the bed light")
    assert speech(result) == "Sorry, I'm not allowed to control that light."
    assert state(hass, BED) == "off"


async def test_partly_exposed_room(hass: HomeAssistant, talk: Talk) -> None:
    """Only the exposed lights of a room change."""
    await set_lights(hass, False)
    async_expose_entity(hass, conversation.DOMAIN, LIVING[1], False)
    await talk("turn on the living room lights")
    assert [state(hass, e) for e in LIVING] == ["on", "off"]


async def test_all_lights_skips_unexposed(hass: HomeAssistant, talk: Talk) -> None:
    """Saying "all the lights" means all the exposed ones."""
    await set_lights(hass, True)
    async_expose_entity(hass, conversation.DOMAIN, BED, False)
    await talk("turn off all the lights")
    assert state(hass, BED) == "on"
    assert state(hass, KITCHEN) == "off"


async def test_unknown_room(hass: HomeAssistant, talk: Talk) -> None:
    """A room the home doesn't have gets a clear answer."""
    result = await talk("turn on the lights in the garage")
    assert is_error(result)
    assert speech(result) == "I don't know a room called garage."


async def test_room_without_lights(hass: HomeAssistant, talk: Talk) -> None:
    """A room with no lights says so."""
    ar.async_get(hass).async_create("Garage")
    result = await talk("turn on the garage lights")
    assert is_error(result)
    assert speech(result) == "I couldn't find any lights in the garage."


async def test_room_deleted_mid_conversation(
    hass: HomeAssistant, talk: Talk, demo_home: dict[str, str]
) -> None:
    """A room removed between two turns is reported, not crashed on."""
    await talk("turn on the bedroom lights")
    ar.async_get(hass).async_delete(demo_home["Bedroom"])
    result = await talk("a bit brighter")
    assert is_error(result)
    assert "bedroom" in speech(result)


async def test_no_lights_anywhere(hass: HomeAssistant, talk: Talk) -> None:
    """With no exposed lights at all, OS1 says so."""
    for entity_id in hass.states.async_entity_ids("light"):
        async_expose_entity(hass, conversation.DOMAIN, entity_id, False)
    result = await talk("turn off all the lights")
    assert speech(result) == "I don't see any lights I can control."


@pytest.fixture
async def porch(hass: HomeAssistant) -> dict[str, str]:
    """Add template lights: an unavailable porch light, a plain hall light, a broken one."""
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": [
                {
                    "light": [
                        {
                            "unique_id": "porch",
                            "default_entity_id": "light.porch",
                            "name": "Porch light",
                            "state": "{{ false }}",
                            "availability": "{{ false }}",
                            "turn_on": [],
                            "turn_off": [],
                        },
                        {
                            "unique_id": "hall",
                            "default_entity_id": "light.hall",
                            "name": "Hall light",
                            "turn_on": [],
                            "turn_off": [],
                        },
                        {
                            "unique_id": "cellar",
                            "default_entity_id": "light.cellar",
                            "name": "Cellar light",
                            "turn_on": [{"action": "os1_test.not_a_service"}],
                            "turn_off": [],
                        },
                    ]
                }
            ]
        },
    )
    await hass.async_block_till_done()
    areas: dict[str, str] = {}
    for name in ("Porch", "Hall", "Cellar"):
        area = ar.async_get(hass).async_create(name)
        areas[name] = area.id
        er.async_get(hass).async_update_entity(f"light.{name.lower()}", area_id=area.id)
    return areas


async def test_unavailable_light(
    hass: HomeAssistant, porch: dict[str, str], talk: Talk
) -> None:
    """An unavailable light gets an answer, not an exception."""
    result = await talk("turn on the porch lights")
    assert is_error(result)
    assert speech(result) == "The porch light isn't responding right now."


async def test_partly_unavailable(
    hass: HomeAssistant, porch: dict[str, str], talk: Talk, demo_home: dict[str, str]
) -> None:
    """Working lights still switch; the answer mentions the one that didn't."""
    await set_lights(hass, False)
    er.async_get(hass).async_update_entity("light.porch", area_id=demo_home["Kitchen"])
    result = await talk("turn on the kitchen lights")
    assert (
        speech(result)
        == "Okay, the kitchen lights are on. One of them isn't responding."
    )
    assert state(hass, KITCHEN) == "on"


async def test_light_without_color(
    hass: HomeAssistant, porch: dict[str, str], talk: Talk
) -> None:
    """A light that can't show colors says so."""
    result = await talk("make the hall light blue")
    assert speech(result) == "The hall light can't change color."


async def test_failing_light(
    hass: HomeAssistant, porch: dict[str, str], talk: Talk
) -> None:
    """A light whose action fails gets an apology, and OS1 keeps working."""
    result = await talk("turn on the cellar light")
    assert is_error(result)
    assert speech(result) == "Sorry, I couldn't reach the cellar light."
    result = await talk("turn on the hall light")
    assert speech(result) == "Okay, the hall light is on."


async def test_rooms_through_devices(
    hass: HomeAssistant, talk: Talk, demo_home: dict[str, str]
) -> None:
    """A light placed in a room through its device counts as in that room."""
    await set_lights(hass, False)
    entities = er.async_get(hass)
    entities.async_update_entity(BED, area_id=None)
    bed = entities.async_get(BED)
    assert bed is not None
    assert bed.device_id is not None
    dr.async_get(hass).async_update_device(bed.device_id, area_id=demo_home["Bedroom"])
    await talk("turn on the bedroom lights")
    assert state(hass, BED) == "on"
    # A light in no room at all is named by itself.
    place(hass, KITCHEN, None)
    await set_lights(hass, True, KITCHEN)
    result = await talk("which lights are on?")
    assert speech(result) == "The lights are on in kitchen lights and the bedroom."


async def test_satellite_without_room_uses_its_device(
    hass: HomeAssistant, os1: MockConfigEntry, demo_home: dict[str, str], agent_id: str
) -> None:
    """A satellite entity with no room of its own is where its device is."""
    await set_lights(hass, False)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=os1.entry_id, identifiers={("os1_test", "sat")}, name="Sat"
    )
    dr.async_get(hass).async_update_device(device.id, area_id=demo_home["Bedroom"])
    entity = er.async_get(hass).async_get_or_create(
        "assist_satellite", "os1_test", "sat", device_id=device.id
    )
    assistant = os1.runtime_data.assistant
    assert assistant.agent_id == agent_id
    from custom_components.os1.rooms import area_of_request

    assert area_of_request(hass, None, entity.entity_id) == demo_home["Bedroom"]
    assert area_of_request(hass, None, "assist_satellite.unknown") is None


async def test_names_keep_their_capitals(hass: HomeAssistant, talk: Talk) -> None:
    """Room names like "TV Room" are spoken as written."""
    area = ar.async_get(hass).async_create("TV Room")
    place(hass, BED, area.id)
    result = await talk("turn on the TV Room lights")
    assert speech(result) == "Okay, the TV Room light is on."
