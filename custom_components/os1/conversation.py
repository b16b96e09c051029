"""OS1's conversation agent entity."""

from __future__ import annotations

from typing import Literal

from homeassistant.components.conversation import (
    ChatLog,
    ConversationEntity,
    ConversationEntityFeature,
    ConversationInput,
    ConversationResult,
)
from homeassistant.const import MATCH_ALL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import Os1ConfigEntry
from .assistant import Assistant
from .const import DOMAIN


async def async_setup_entry(
    hass: HomeAssistant,
    entry: Os1ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up OS1's conversation agent."""
    async_add_entities([Os1ConversationEntity(entry)])


class Os1ConversationEntity(ConversationEntity):
    """The OS1 assistant, as a conversation agent for Assist."""

    _attr_has_entity_name = True
    _attr_name = None
    _attr_translation_key = "assistant"
    _attr_supported_features = ConversationEntityFeature.CONTROL

    def __init__(self, entry: Os1ConfigEntry) -> None:
        """Initialize the agent."""
        self._assistant: Assistant = entry.runtime_data.assistant
        self._attr_unique_id = entry.entry_id
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            manufacturer="OS1",
            model="Assistant",
            entry_type=DeviceEntryType.SERVICE,
        )

    @property
    def supported_languages(self) -> list[str] | Literal["*"]:
        """Return every language: OS1's own or its fallback agent's."""
        return MATCH_ALL

    async def async_added_to_hass(self) -> None:
        """Tell the assistant its own agent id, so it never hands a turn to itself."""
        await super().async_added_to_hass()
        self._assistant.agent_id = self.entity_id

    async def _async_handle_message(
        self, user_input: ConversationInput, chat_log: ChatLog
    ) -> ConversationResult:
        """Answer a turn."""
        return await self._assistant.async_handle(user_input, chat_log)
