"""OS1 runs the lights of the room you are in."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from .conftest import Talk, speech


async def test_kitchen_lights_on(hass: HomeAssistant, talk: Talk) -> None:
    """Naming a room turns on that room's lights only."""
    await talk("turn off all the lights")
    result = await talk("turn on the kitchen lights")
    assert speech(result) == "Okay, the kitchen light is on."
    assert hass.states.get("light.kitchen_lights").state == "on"
    assert hass.states.get("light.bed_light").state == "off"
