"""Fixtures for OS1's tests: a real Home Assistant with a demo home."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.config_entries import ConfigEntryState, ConfigFlow
from homeassistant.const import CONF_NAME
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er, intent
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_config_flow,
)

# Import the integration first: the harness puts its own custom_components on sys.path.
import custom_components.os1  # noqa: F401
from custom_components.os1.const import CONF_LANGUAGE, DOMAIN

from .registry import place
from .speakers import Speakers, add_platform

ROOMS = {
    "Kitchen": ["light.kitchen_lights"],
    "Living Room": ["light.living_room_rgbww_lights", "light.ceiling_lights"],
    "Bedroom": ["light.bed_light"],
}
"""The demo home: each area and the demo lights placed in it."""
UNUSED_DEMO_LIGHTS = ("light.office_rgbw_lights", "light.entrance_color_white_lights")


def deprecations(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return what Home Assistant logged about OS1 using deprecated or wrong APIs."""
    return [
        record.getMessage()
        for record in caplog.records
        if "os1" in record.getMessage()
        and any(
            word in record.getMessage()
            for word in ("deprecated", "Detected that", "Detected code", "breaks in")
        )
    ]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load OS1 from custom_components."""


@pytest.fixture
async def demo_home(hass: HomeAssistant) -> dict[str, str]:
    """Set up demo lights and media players in Kitchen, Living Room and Bedroom.

    Returns the area id of each room by name.
    """
    assert await async_setup_component(hass, "homeassistant", {})
    demo = MockConfigEntry(domain="demo")
    demo.add_to_hass(hass)
    assert await hass.config_entries.async_setup(demo.entry_id)
    await hass.async_block_till_done()
    areas = ar.async_get(hass)
    area_ids: dict[str, str] = {}
    for room, lights in ROOMS.items():
        area = areas.async_create(room)
        area_ids[room] = area.id
        for entity_id in lights:
            place(hass, entity_id, area.id)
    # The demo's other lights stay out of the way of the tests.
    for entity_id in UNUSED_DEMO_LIGHTS:
        async_expose_entity(hass, conversation.DOMAIN, entity_id, False)
    return area_ids


@pytest.fixture
def os1_entry(hass: HomeAssistant) -> MockConfigEntry:
    """Return an OS1 hub entry, added to Home Assistant but not set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Samantha",
        data={CONF_NAME: "Samantha", CONF_LANGUAGE: "en"},
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def os1(
    hass: HomeAssistant, demo_home: dict[str, str], os1_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set up OS1 in the demo home."""
    assert await hass.config_entries.async_setup(os1_entry.entry_id)
    await hass.async_block_till_done()
    assert os1_entry.state is ConfigEntryState.LOADED
    return os1_entry


@pytest.fixture
def agent_id(hass: HomeAssistant, os1: MockConfigEntry) -> str:
    """Return OS1's conversation entity id."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "conversation", DOMAIN, os1.entry_id
    )
    assert entity_id is not None
    return entity_id


class Talk:
    """Talk to a conversation agent like the Assist dialog does."""

    def __init__(self, hass: HomeAssistant, agent_id: str) -> None:
        """Initialize."""
        self.hass = hass
        self.agent_id = agent_id
        self.conversation_id: str | None = None
        self.device_id: str | None = None

    async def __call__(
        self, text: str, **kwargs: Any
    ) -> conversation.ConversationResult:
        """Say something and return the result, keeping the conversation going."""
        result = await conversation.async_converse(
            self.hass,
            text,
            kwargs.pop("conversation_id", self.conversation_id),
            kwargs.pop("context", None) or Context(),
            language=kwargs.pop("language", "en"),
            agent_id=self.agent_id,
            device_id=kwargs.pop("device_id", self.device_id),
        )
        self.conversation_id = result.conversation_id
        return result


def speech(result: conversation.ConversationResult) -> str:
    """Return what the agent said."""
    return result.response.speech["plain"]["speech"]


def is_error(result: conversation.ConversationResult) -> bool:
    """Return True if the agent answered with an error."""
    return result.response.response_type is intent.IntentResponseType.ERROR


@pytest.fixture
def talk(hass: HomeAssistant, agent_id: str) -> Talk:
    """Return a conversation with OS1."""
    return Talk(hass, agent_id)


@pytest.fixture
def flows() -> Iterator[None]:
    """Let the test integrations have config entries."""
    with (
        mock_config_flow("library", ConfigFlow),
        mock_config_flow("music_assistant", ConfigFlow),
    ):
        yield


@pytest.fixture
async def speakers(
    hass: HomeAssistant, demo_home: dict[str, str], flows: None
) -> Speakers:
    """Put a library speaker in each room."""
    found = Speakers()
    await add_platform(hass, "library", found.all())
    office = ar.async_get(hass).async_create("Office")
    rooms = {
        "kitchen_speaker": demo_home["Kitchen"],
        "bedroom_speaker": demo_home["Bedroom"],
        "living_room_speaker": demo_home["Living Room"],
        "office_speaker": office.id,
    }
    registry = er.async_get(hass)
    for unique_id, area_id in rooms.items():
        entity_id = registry.async_get_entity_id("media_player", "library", unique_id)
        assert entity_id is not None
        place(hass, entity_id, area_id)
    return found
