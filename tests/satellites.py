"""Helpers for the MQTT satellite tests: a real broker, real clients, real HA."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import time
from typing import Any

from homeassistant.components.mqtt.models import DATA_MQTT
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import paho.mqtt.client as mqtt

from custom_components.os1.const import DOMAIN
from os1_satellite import Satellite

from .broker import Mosquitto


async def until(
    predicate: Callable[[], object], what: str, seconds: float = 15.0
) -> None:
    """Wait for something that happens across the broker, or fail saying what."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def subscribed(hass: HomeAssistant) -> None:
    """Wait until Home Assistant's MQTT client has sent every subscription.

    It batches them (and waits for MQTT discovery to settle at start), so a
    message published right after a subscription was requested can be missed.
    """
    client = hass.data[DATA_MQTT].client
    await until(
        lambda: (
            not client._pending_subscriptions
            and time.monotonic() - client._last_subscribe > 0.3
        ),
        "MQTT subscriptions",
    )


async def connected(hass: HomeAssistant, satellite: Satellite) -> Satellite:
    """Wait until the satellite is connected to the broker."""
    assert await hass.async_add_executor_job(satellite.connected.wait, 10)
    return satellite


async def request(satellite: Satellite, text: str) -> str:
    """Type a request at a satellite and return OS1's answer."""
    answers = len(satellite.said)
    satellite.send_text(text)
    await until(lambda: len(satellite.said) > answers, f"an answer to {text!r}")
    return satellite.said[-1]


def satellite_entity(hass: HomeAssistant, site: str) -> str | None:
    """Return the Assist satellite entity of a site, if there is one."""
    return er.async_get(hass).async_get_entity_id(
        "assist_satellite", DOMAIN, f"{site}-assist_satellite"
    )


def discovery_flow(hass: HomeAssistant, site: str) -> dict[str, Any] | None:
    """Return the discovery flow in progress for a site."""
    for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN):
        if flow["context"].get("unique_id") == f"satellite-{site}":
            return dict(flow)
    return None


async def adopt(
    hass: HomeAssistant, satellite: Satellite, area_id: str | None, name: str = ""
) -> str:
    """Adopt a discovered satellite through its discovery flow; return its entity."""
    site = satellite.site
    await until(lambda: discovery_flow(hass, site), f"{site} to be discovered")
    flow = discovery_flow(hass, site)
    assert flow is not None
    user_input: dict[str, Any] = {"name": name or satellite.options.name}
    if area_id:
        user_input["area"] = area_id
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], user_input)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "satellite_adopted"
    await hass.async_block_till_done()
    await until(lambda: satellite_entity(hass, site), f"{site}'s entity")
    entity_id = satellite_entity(hass, site)
    assert entity_id is not None
    await until(
        lambda: (
            (state := hass.states.get(entity_id)) and state.state != STATE_UNAVAILABLE
        ),
        f"{entity_id} to be available",
    )
    await subscribed(hass)
    return entity_id


class RawClient:
    """A bare MQTT client, for what a well-behaved satellite would never send."""

    def __init__(
        self,
        broker: Mosquitto,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        """Connect to the broker."""
        self.received: list[tuple[str, bytes]] = []
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        if username:
            self.client.username_pw_set(username, password)
        self.client.on_message = lambda _c, _u, msg: self.received.append(
            (msg.topic, msg.payload)
        )
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes | str, retain: bool = False) -> None:
        """Publish and wait until the broker has it."""
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(5)

    def subscribe(self, topic: str) -> None:
        """Receive a topic."""
        self.client.subscribe(topic, qos=1)

    def close(self) -> None:
        """Disconnect."""
        self.client.disconnect()
        self.client.loop_stop()
