"""Constants for OS1."""

from __future__ import annotations

import logging
from typing import Final

from homeassistant.components.conversation import HOME_ASSISTANT_AGENT

DOMAIN: Final = "os1"
LOGGER = logging.getLogger(__package__)

CONF_LANGUAGE: Final = "language"
CONF_FALLBACK_AGENT: Final = "fallback_agent"
CONF_RESPONSE_STYLE: Final = "response_style"
CONF_MOODS: Final = "moods"
"""Per mood, the playlists and genres to look for (comma-separated)."""
CONF_SPEAKERS: Final = "speakers"
"""The speaker music plays on, by area id."""

DEFAULT_NAME: Final = "Samantha"
DEFAULT_LANGUAGE: Final = "en"
DEFAULT_FALLBACK_AGENT: Final = HOME_ASSISTANT_AGENT

SUBENTRY_SATELLITE: Final = "satellite"
CONF_SITE: Final = "site"
CONF_CONFIG: Final = "config"
"""The satellite's config payload as it was when the user adopted it."""
CONF_AREA_ID: Final = "area_id"

CONF_REMINDERS: Final = "reminders"
"""How reminders are delivered: the keys below."""
CONF_REPEAT_MINUTES: Final = "repeat_minutes"
CONF_REPEAT_TIMES: Final = "repeat_times"
CONF_SAY_EVERYWHERE: Final = "say_everywhere"
CONF_NOTIFY: Final = "notify"
"""A notify service or entity per person entity id, and NOTIFY_DEFAULT."""
NOTIFY_DEFAULT: Final = "default"

SUBENTRY_WYOMING: Final = "wyoming_satellite"
CONF_INFO: Final = "info"
"""What a Wyoming satellite said it was when the user adopted it."""

SUBENTRY_PERSON: Final = "person"
CONF_PERSON: Final = "person"
"""The person entity a person subentry is about."""
CONF_BLE_SENSORS: Final = "ble_sensors"
"""Their BLE area sensors (Bermuda, ESPresense): state is the area."""
CONF_ROOM_SENSORS: Final = "room_sensors"
"""Motion and occupancy sensors that can only be them (or confirm them)."""
CONF_FOLLOW_MUSIC: Final = "follow_music"

CONF_PRESENCE: Final = "presence"
"""How people are followed from room to room: the keys below."""
CONF_DWELL: Final = "dwell"
CONF_HYSTERESIS: Final = "hysteresis"
CONF_UNKNOWN_AFTER: Final = "unknown_after"
CONF_CONVERSATION_WINDOW: Final = "conversation_window"
DEFAULT_CONVERSATION_WINDOW: Final = 120

EVENT_ROOM_CHANGED: Final = f"{DOMAIN}_room_changed"
