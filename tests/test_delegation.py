"""What OS1 doesn't own goes to another agent, with the same context."""

from __future__ import annotations

import logging
from typing import Literal

from homeassistant.components import conversation
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er, intent
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.os1.const import CONF_FALLBACK_AGENT, CONF_RESPONSE_STYLE

from .conftest import Talk, is_error, speech


class RemoteAgent(conversation.AbstractConversationAgent):
    """Stands in for a cloud or LLM agent: the outer boundary OS1 talks to."""

    def __init__(self, fail: bool = False) -> None:
        """Initialize."""
        self.inputs: list[conversation.ConversationInput] = []
        self.fail = fail

    @property
    def supported_languages(self) -> Literal["*"]:
        """Every language."""
        return "*"

    async def async_process(
        self, user_input: conversation.ConversationInput
    ) -> conversation.ConversationResult:
        """Answer every question the same way."""
        self.inputs.append(user_input)
        if self.fail:
            raise HomeAssistantError("the service is down")
        response = intent.IntentResponse(language=user_input.language)
        response.async_set_speech("The moon is about 384,000 kilometres away.")
        return conversation.ConversationResult(
            response, conversation_id=user_input.conversation_id
        )


async def set_options(
    hass: HomeAssistant, os1: MockConfigEntry, fallback: str, style: str = "warm"
) -> None:
    """Change OS1's options the way the options flow does, and reload."""
    hass.config_entries.async_update_entry(
        os1, options={CONF_FALLBACK_AGENT: fallback, CONF_RESPONSE_STYLE: style}
    )
    await hass.config_entries.async_reload(os1.entry_id)
    await hass.async_block_till_done()


async def use_remote_agent(
    hass: HomeAssistant, os1: MockConfigEntry, fail: bool = False
) -> RemoteAgent:
    """Register a remote agent and make it OS1's fallback."""
    remote_entry = MockConfigEntry(domain="remote_agent", title="Remote")
    remote_entry.add_to_hass(hass)
    remote = RemoteAgent(fail)
    conversation.async_set_agent(hass, remote_entry, remote)
    await set_options(hass, os1, remote_entry.entry_id)
    return remote


async def test_other_commands_still_work(hass: HomeAssistant, talk: Talk) -> None:
    """A standard Home Assistant command works through OS1."""
    assert hass.states.get("switch.ac").state == "off"
    result = await talk("turn on the AC")
    assert not is_error(result)
    assert hass.states.get("switch.ac").state == "on"


async def test_nonsense_gets_an_answer(hass: HomeAssistant, talk: Talk) -> None:
    """Nonsense gets the fallback agent's short answer, not an exception."""
    result = await talk("purple monkey dishwasher")
    assert is_error(result)
    assert speech(result)


async def test_default_agent_knows_the_satellite_room(
    hass: HomeAssistant, talk: Talk, os1: MockConfigEntry, demo_home: dict[str, str]
) -> None:
    """Delegated commands keep the device, so "the fan" is this room's fan."""
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=os1.entry_id, identifiers={("os1_test", "living")}
    )
    dr.async_get(hass).async_update_device(device.id, area_id=demo_home["Living Room"])
    er.async_get(hass).async_update_entity(
        "fan.living_room_fan", area_id=demo_home["Living Room"]
    )
    talk.device_id = device.id
    result = await talk("turn on the fan")
    assert not is_error(result), speech(result)
    assert hass.states.get("fan.living_room_fan").state == "on"
    assert hass.states.get("fan.ceiling_fan").state == "off"


async def test_remote_agent_gets_the_context(
    hass: HomeAssistant, talk: Talk, os1: MockConfigEntry, demo_home: dict[str, str]
) -> None:
    """The configured agent gets the same device, language and conversation."""
    remote = await use_remote_agent(hass, os1)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=os1.entry_id, identifiers={("os1_test", "sat")}
    )
    talk.device_id = device.id
    first = await talk("turn off the kitchen lights")
    result = await talk("how far away is the moon?")
    assert speech(result) == "The moon is about 384,000 kilometres away."
    assert len(remote.inputs) == 1
    delegated = remote.inputs[0]
    assert delegated.text == "how far away is the moon?"
    assert delegated.device_id == device.id
    assert delegated.conversation_id == first.conversation_id
    assert result.conversation_id == first.conversation_id
    # OS1 still answers its own sentences itself.
    assert hass.states.get("light.kitchen_lights").state == "off"


async def test_remote_agent_failure(
    hass: HomeAssistant,
    talk: Talk,
    os1: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """When the other agent fails, the user hears a short apology."""
    await use_remote_agent(hass, os1, fail=True)
    result = await talk("how far away is the moon?")
    assert is_error(result)
    assert speech(result) == "Sorry, I couldn't do that right now."
    assert "the service is down" in caplog.text


async def test_missing_fallback_agent_uses_default(
    hass: HomeAssistant,
    talk: Talk,
    os1: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A removed fallback agent falls back to Home Assistant's own, with a warning."""
    await set_options(hass, os1, "conversation.gone")
    with caplog.at_level(logging.WARNING):
        result = await talk("turn on the AC")
    assert hass.states.get("switch.ac").state == "on"
    assert not is_error(result)
    assert "conversation.gone is not available" in caplog.text


async def test_identity(hass: HomeAssistant, talk: Talk) -> None:
    """OS1 introduces itself by its configured name."""
    result = await talk("what's your name?")
    assert speech(result) == "I'm Samantha. I'm here whenever you need me."


async def test_other_language_goes_to_fallback(hass: HomeAssistant, talk: Talk) -> None:
    """OS1 only reads its own languages; others go to the fallback agent."""
    await talk("turn off the kitchen lights")
    result = await talk("turn on the kitchen lights", language="de")
    assert is_error(result)
    assert hass.states.get("light.kitchen_lights").state == "off"
    result = await talk("schalte Kitchen Lights ein", language="de")
    assert hass.states.get("light.kitchen_lights").state == "on", speech(result)


async def test_brief_style(
    hass: HomeAssistant, talk: Talk, os1: MockConfigEntry
) -> None:
    """The brief style just confirms."""
    await set_options(hass, os1, conversation.HOME_ASSISTANT_AGENT, "brief")
    assert speech(await talk("turn on the kitchen lights")) == "Done."
    assert speech(await talk("what's your name")) == "I'm Samantha."
    result = await talk("turn on the lights", conversation_id="new-conversation")
    assert speech(result) == "Which room?"
