"""Setting OS1 up in the UI: every path of the config and options flows."""

from __future__ import annotations

from homeassistant import config_entries
from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.os1.const import (
    CONF_FALLBACK_AGENT,
    CONF_LANGUAGE,
    CONF_RESPONSE_STYLE,
    DOMAIN,
)

from .conftest import Talk, deprecations, speech


async def setup_conversation(hass: HomeAssistant) -> None:
    """Set up what OS1 depends on."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})


async def test_user_flow(hass: HomeAssistant) -> None:
    """The user names the assistant and gets a working hub."""
    await setup_conversation(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "  Samantha ", CONF_LANGUAGE: "en"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Samantha"
    assert result["data"] == {CONF_NAME: "Samantha", CONF_LANGUAGE: "en"}
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    assert er.async_get(hass).async_get_entity_id(
        "conversation", DOMAIN, entry.entry_id
    )


async def test_user_flow_suggests_home_language(hass: HomeAssistant) -> None:
    """The language defaults to Home Assistant's when OS1 speaks it, else English."""
    await setup_conversation(hass)
    hass.config.language = "fr"
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    schema = result["data_schema"].schema
    suggested = {str(key): key.description["suggested_value"] for key in schema}
    assert suggested == {CONF_NAME: "Samantha", CONF_LANGUAGE: "en"}


async def test_user_flow_requires_a_name(hass: HomeAssistant) -> None:
    """An empty name is refused, and fixing it still creates the hub."""
    await setup_conversation(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "   ", CONF_LANGUAGE: "en"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_NAME: "name_required"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Theodora", CONF_LANGUAGE: "en"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Theodora"


async def test_one_hub_per_home(
    hass: HomeAssistant, os1_entry: MockConfigEntry
) -> None:
    """A second hub is refused."""
    await setup_conversation(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "single_instance_allowed"


async def test_reconfigure(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    agent_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Renaming the assistant reloads it under the new name, with nothing deprecated."""
    result = await os1.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "", CONF_LANGUAGE: "en"}
    )
    assert result["errors"] == {CONF_NAME: "name_required"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Ava", CONF_LANGUAGE: "en"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert os1.title == "Ava"
    assert os1.data[CONF_NAME] == "Ava"
    assert os1.state is ConfigEntryState.LOADED
    reply = await Talk(hass, agent_id)("who are you")
    assert speech(reply) == "I'm Ava. I'm here whenever you need me."
    assert not deprecations(caplog)


async def test_options(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    agent_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Options are validated, saved, and take effect at once."""
    assert await async_setup_component(
        hass, "person", {"person": [{"id": "anna", "name": "Anna"}]}
    )
    result = await hass.config_entries.options.async_init(os1.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_FALLBACK_AGENT: agent_id, CONF_RESPONSE_STYLE: "brief"},
    )
    assert result["errors"] == {CONF_FALLBACK_AGENT: "fallback_is_self"}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_FALLBACK_AGENT: "conversation.nobody", CONF_RESPONSE_STYLE: "brief"},
    )
    assert result["errors"] == {CONF_FALLBACK_AGENT: "agent_not_found"}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_FALLBACK_AGENT: conversation.HOME_ASSISTANT_AGENT,
            CONF_RESPONSE_STYLE: "brief",
            "moods": {"sad": {"playlists": 3}},
        },
    )
    assert result["errors"] == {"moods": "invalid_moods"}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_FALLBACK_AGENT: conversation.HOME_ASSISTANT_AGENT,
            CONF_RESPONSE_STYLE: "brief",
            "moods": {"sad": {"playlists": "Rainy day"}},
        },
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "speakers"
    assert {str(key) for key in result["data_schema"].schema} == {
        "Kitchen",
        "Living Room",
        "Bedroom",
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"Kitchen": "media_player.kitchen"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reminders"
    assert {str(key) for key in result["data_schema"].schema} >= {"notify", "Anna"}
    reminders = {"repeat_minutes": 3, "repeat_times": 1.0, "say_everywhere": False}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**reminders, "Anna": "notify.anna_phone"}
    )
    assert result["errors"] == {"Anna": "notify_not_found"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**reminders, "Anna": "notify.notifier", "notify": " "}
    )
    assert result["step_id"] == "presence"
    shown = {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }
    assert shown == {
        "dwell": 10,
        "hysteresis": 25,
        "unknown_after": 15,
        "conversation_window": 120,
    }
    presence = {
        "dwell": 20,
        "hysteresis": 50,
        "unknown_after": 30,
        "conversation_window": 60,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], presence
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    kitchen = ar.async_get(hass).async_get_area_by_name("Kitchen")
    assert kitchen is not None
    assert os1.options == {
        CONF_FALLBACK_AGENT: conversation.HOME_ASSISTANT_AGENT,
        CONF_RESPONSE_STYLE: "brief",
        "moods": {"sad": {"playlists": "Rainy day"}},
        "speakers": {kitchen.id: "media_player.kitchen"},
        "reminders": {
            "repeat_minutes": 3,
            "repeat_times": 1,
            "say_everywhere": False,
            "notify": {"person.anna": "notify.notifier"},
        },
        "presence": presence,
    }
    assert os1.state is ConfigEntryState.LOADED
    tracker = os1.runtime_data.presence.people.settings
    assert (tracker.dwell, tracker.hysteresis, tracker.unknown_after) == (
        20,
        0.5,
        1800,
    )
    assert os1.runtime_data.assistant.settings.conversation_window == 60
    reply = await Talk(hass, agent_id)("turn on the kitchen lights")
    assert speech(reply) == "Done."
    assert not deprecations(caplog)


async def test_options_show_the_saved_choices(
    hass: HomeAssistant, os1: MockConfigEntry
) -> None:
    """Reopened, the options show every mood and the speakers chosen before."""
    kitchen = ar.async_get(hass).async_get_area_by_name("Kitchen")
    assert kitchen is not None
    hass.config_entries.async_update_entry(
        os1,
        options={
            CONF_FALLBACK_AGENT: conversation.HOME_ASSISTANT_AGENT,
            CONF_RESPONSE_STYLE: "warm",
            "moods": {"sad": {"playlists": "Rainy day"}},
            "speakers": {kitchen.id: "media_player.kitchen"},
            "reminders": {
                "repeat_minutes": 2,
                "notify": {"default": "notify.notifier"},
            },
        },
    )
    await hass.async_block_till_done()
    result = await hass.config_entries.options.async_init(os1.entry_id)
    shown = {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }
    assert shown["moods"]["sad"] == {
        "playlists": "Rainy day",
        "genres": "indie folk, singer-songwriter, acoustic",
    }
    assert set(shown["moods"]) >= {"happy", "sleep", "lonely"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_FALLBACK_AGENT: conversation.HOME_ASSISTANT_AGENT,
            CONF_RESPONSE_STYLE: "warm",
        },
    )
    shown = {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }
    assert shown["Kitchen"] == "media_player.kitchen"
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["step_id"] == "reminders"
    shown = {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }
    assert shown == {
        "repeat_minutes": 2,
        "repeat_times": 2,
        "say_everywhere": True,
        "notify": "notify.notifier",
    }
