"""Diagnostics for OS1, with secrets redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_NAME, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from . import Os1ConfigEntry
from .rooms import named_areas, named_lights

TO_REDACT = {CONF_PASSWORD, CONF_USERNAME, "token", "api_key"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: Os1ConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for the OS1 hub."""
    runtime = entry.runtime_data
    assistant = runtime.assistant
    book = runtime.reminders.book
    upcoming = book.next_due()
    return {
        "entry": {
            "title": entry.title,
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": async_redact_data(dict(entry.options), TO_REDACT),
        },
        "assistant": {
            CONF_NAME: assistant.settings.name,
            "language": assistant.settings.language,
            "agent_id": assistant.agent_id,
            "fallback_agent": assistant.settings.fallback_agent,
            "response_style": assistant.phrases.style.value,
            "active_conversations": len(assistant.memory),
        },
        "home": {
            "areas": len(named_areas(hass)),
            "lights": len(named_lights(hass)),
        },
        "reminders": {  # Counts only: what reminders say is private.
            "pending": sum(r.pending for r in book.reminders.values()),
            "said_not_acknowledged": len(book.waiting()),
            "done": sum(r.done for r in book.reminders.values()),
            "damaged": len(book.damaged),
            "next_due": upcoming.due.isoformat() if upcoming else None,
        },
        "people": {  # Counts only: where people are is private.
            "followed": len(trackers := runtime.presence.people.trackers),
            "home": sum(tracker.home for tracker in trackers.values()),
            "placed": sum(tracker.room is not None for tracker in trackers.values()),
            "music_follows": sum(map(runtime.presence.music_follows, trackers)),
        },
        "satellites": {
            "mqtt": runtime.mqtt is not None,
            "adopted": [
                {
                    "site": connection.site,
                    "online": connection.online,
                    "config": connection.config.as_dict(),
                    "settings": connection.settings.as_dict(),
                    "requests": dict(connection.stats),
                }
                for connection in runtime.satellites.values()
            ],
            "waiting": sorted(runtime.mqtt.waiting) if runtime.mqtt else [],
            "ignored": len(runtime.mqtt.ignored) if runtime.mqtt else 0,
        },
    }
