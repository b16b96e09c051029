"""Loading, unloading and diagnosing the OS1 hub."""

from __future__ import annotations

from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_NAME, STATE_UNAVAILABLE
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.os1.const import CONF_LANGUAGE, DOMAIN
from custom_components.os1.diagnostics import async_get_config_entry_diagnostics

from .conftest import Talk


async def test_load_and_unload(
    hass: HomeAssistant, os1: MockConfigEntry, agent_id: str
) -> None:
    """Unloading leaves no agent, no listener and no task behind."""
    assert hass.states.get(agent_id) is not None
    kitchen = hass.states.get("light.kitchen_lights").state
    assert os1.update_listeners  # Reloads when its data, options or subentries change.
    assert await hass.config_entries.async_unload(os1.entry_id)
    await hass.async_block_till_done()
    assert os1.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get(agent_id).state == STATE_UNAVAILABLE
    assert not os1.update_listeners
    assert not [
        task for task in (*os1._tasks, *os1._background_tasks) if not task.done()
    ]
    try:
        await conversation.async_converse(
            hass, "turn off the kitchen lights", None, Context(), agent_id=agent_id
        )
    except ValueError:
        pass  # The agent is gone.
    else:  # pragma: no cover - a failing test
        raise AssertionError("OS1 still answered after unloading")
    assert hass.states.get("light.kitchen_lights").state == kitchen


async def test_unsupported_language(
    hass: HomeAssistant, demo_home: dict[str, str]
) -> None:
    """A hub in a language OS1 has no sentences for fails setup with a reason."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Samantha",
        data={CONF_NAME: "Samantha", CONF_LANGUAGE: "tlh"},
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.reason is not None
    assert "tlh" in entry.reason


async def test_agent_entity(
    hass: HomeAssistant, os1: MockConfigEntry, agent_id: str
) -> None:
    """The agent is named after the assistant and records its last activity."""
    entity = er.async_get(hass).async_get(agent_id)
    assert entity is not None
    assert entity.unique_id == os1.entry_id
    attributes = hass.states.get(agent_id).attributes
    assert attributes["friendly_name"] == "Samantha"
    # Without CONTROL the Assist dialog warns "This assistant cannot control your home".
    assert (
        attributes["supported_features"]
        == conversation.ConversationEntityFeature.CONTROL
    )
    assert "*" in conversation.async_get_conversation_languages(hass)
    await Talk(hass, agent_id)("turn on the kitchen lights")
    assert hass.states.get(agent_id).state not in ("unknown", STATE_UNAVAILABLE)


async def test_diagnostics(
    hass: HomeAssistant, os1: MockConfigEntry, agent_id: str
) -> None:
    """Diagnostics describe the hub without secrets."""
    await Talk(hass, agent_id)("turn on the kitchen lights")
    hass.config_entries.async_update_entry(
        os1, data={**os1.data, "password": "hunter2"}
    )
    await hass.async_block_till_done()  # New data: the hub reloads.
    await Talk(hass, agent_id)("turn on the kitchen lights")
    diagnostics = await async_get_config_entry_diagnostics(hass, os1)
    assert diagnostics["entry"]["data"]["password"] == "**REDACTED**"
    assert "hunter2" not in str(diagnostics)
    assert diagnostics["assistant"]["agent_id"] == agent_id
    assert diagnostics["assistant"]["active_conversations"] == 1
    assert (
        diagnostics["assistant"]["fallback_agent"] == conversation.HOME_ASSISTANT_AGENT
    )
    assert diagnostics["home"] == {"areas": 3, "lights": 6}
