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
