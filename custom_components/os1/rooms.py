"""Where a request comes from and what the home's rooms and lights are called."""

from __future__ import annotations

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.components.light import DOMAIN as LIGHT_DOMAIN
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)

from .nlu import NamedTarget

ASSISTANT = "conversation"
"""The assistant whose exposure settings OS1 honours: Assist."""


def spoken(name: str) -> str:
    """Return a name as it reads mid-sentence ("Living Room" -> "living room").

    Names with capitals inside a word ("TV Room") are kept as they are.
    """
    if any(char.isupper() for word in name.split() for char in word[1:]):
        return name
    return name.lower()


def area_of_request(
    hass: HomeAssistant, device_id: str | None, satellite_id: str | None
) -> str | None:
    """Return the area of the satellite or device a request came from."""
    if satellite_id and (entry := er.async_get(hass).async_get(satellite_id)):
        if entry.area_id:
            return entry.area_id
        device_id = device_id or entry.device_id
    if device_id and (device := dr.async_get(hass).async_get(device_id)):
        return device.area_id
    return None


def area_of_entity(hass: HomeAssistant, entity_id: str) -> str | None:
    """Return the area of an entity, or of its device."""
    if (entry := er.async_get(hass).async_get(entity_id)) is None:
        return None
    if entry.area_id:
        return entry.area_id
    if entry.device_id and (device := dr.async_get(hass).async_get(entry.device_id)):
        return device.area_id
    return None


def area_named(hass: HomeAssistant, value: str) -> str | None:
    """Return the id of the area that has this id, name or alias."""
    registry = ar.async_get(hass)
    if area := registry.async_get_area(value) or registry.async_get_area_by_name(value):
        return area.id
    wanted = value.casefold()
    return next(
        (
            area.id
            for area in registry.async_list_areas()
            if any(alias.casefold() == wanted for alias in area.aliases)
        ),
        None,
    )


def area_name(hass: HomeAssistant, area_id: str) -> str:
    """Return an area's name as spoken, falling back to its id."""
    area = ar.async_get(hass).async_get_area(area_id)
    return spoken(area.name if area else area_id)


def named_areas(hass: HomeAssistant) -> list[NamedTarget]:
    """Return every area with its name and aliases."""
    return [
        NamedTarget(area.id, (area.name, *sorted(area.aliases)))
        for area in ar.async_get(hass).async_list_areas()
    ]


def named_lights(hass: HomeAssistant) -> list[NamedTarget]:
    """Return every light with its name and aliases, exposed or not.

    Unexposed lights are recognized by name so that OS1 can say it may not
    control them, rather than misunderstanding the sentence.
    """
    registry = er.async_get(hass)
    lights = []
    for state in hass.states.async_all(LIGHT_DOMAIN):
        entry = registry.async_get(state.entity_id)
        # Newer Home Assistant lists the entity's own name among its aliases.
        aliases = (
            sorted(a for a in entry.aliases if isinstance(a, str)) if entry else []
        )
        lights.append(NamedTarget(state.entity_id, (state.name, *aliases)))
    return lights


def is_exposed(hass: HomeAssistant, state: State) -> bool:
    """Return True if the user exposed an entity to Assist."""
    return async_should_expose(hass, ASSISTANT, state.entity_id)
