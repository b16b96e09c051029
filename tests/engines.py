"""Speech engines for the tests, set up as Home Assistant integrations of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from homeassistant.components.assist_pipeline import (
    async_get_pipeline,
    async_update_pipeline,
)
from homeassistant.config_entries import ConfigEntry, ConfigFlow
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    mock_config_flow,
    mock_integration,
    mock_platform,
)


@asynccontextmanager
async def engine(
    hass: HomeAssistant,
    domain: str,
    platform: Platform,
    entity: Entity,
    **pipeline: Any,
) -> AsyncIterator[None]:
    """Add `entity` as the only entity of a test integration; set the pipeline."""

    async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, [platform])
        return True

    async def async_add_entity(
        hass: HomeAssistant,
        entry: ConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        async_add_entities([entity])

    mock_integration(hass, MockModule(domain, async_setup_entry=async_setup_entry))
    mock_platform(hass, f"{domain}.config_flow")
    mock_platform(
        hass,
        f"{domain}.{platform.value}",
        MockPlatform(async_setup_entry=async_add_entity),
    )
    with mock_config_flow(domain, ConfigFlow):
        entry = MockConfigEntry(domain=domain)
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        await async_update_pipeline(hass, async_get_pipeline(hass), **pipeline)
        yield
