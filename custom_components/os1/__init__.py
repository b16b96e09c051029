"""OS1: a room-aware voice assistant for Home Assistant."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import device_registry as dr
from homeassistant.util.hass_dict import HassKey

from .assistant import Assistant, AssistantSettings
from .const import (
    CONF_AREA_ID,
    CONF_CONFIG,
    CONF_FALLBACK_AGENT,
    CONF_INFO,
    CONF_LANGUAGE,
    CONF_MOODS,
    CONF_REMINDERS,
    CONF_RESPONSE_STYLE,
    CONF_SITE,
    CONF_SPEAKERS,
    DEFAULT_FALLBACK_AGENT,
    DEFAULT_LANGUAGE,
    DEFAULT_NAME,
    DOMAIN,
    LOGGER,
    SUBENTRY_SATELLITE,
    SUBENTRY_WYOMING,
)
from .moods import MoodBook
from .mqtt_satellites import MqttSatellites, RetainedCache, SatelliteConnection
from .nlu import SentenceRecognizer
from .protocol import ProtocolError, SatelliteConfig
from .reminder_control import ReminderScheduler, ReminderSettings
from .responses import Phrasebook, ResponseStyle
from .satellite import SatelliteLink
from .wyoming_peer import SatelliteInfo
from .wyoming_satellites import WyomingConnection

DATA_RETAINED: HassKey[RetainedCache] = HassKey(f"{DOMAIN}_retained")

PLATFORMS: list[Platform] = [
    Platform.ASSIST_SATELLITE,
    Platform.CONVERSATION,
    Platform.SELECT,
    Platform.SWITCH,
    Platform.TODO,
]


@dataclass(slots=True)
class Os1Runtime:
    """What a loaded OS1 hub holds."""

    assistant: Assistant
    reminders: ReminderScheduler
    options: dict[str, Any]
    """The options the hub was set up with."""
    subentries: set[str] = field(default_factory=set)
    """The satellites the hub was set up with."""
    satellites: dict[str, SatelliteLink] = field(default_factory=dict)
    """Adopted satellites by subentry id."""
    mqtt: MqttSatellites | None = None


type Os1ConfigEntry = ConfigEntry[Os1Runtime]


async def async_setup_entry(hass: HomeAssistant, entry: Os1ConfigEntry) -> bool:
    """Set up the OS1 hub."""
    language = entry.data.get(CONF_LANGUAGE, DEFAULT_LANGUAGE)
    try:
        recognizer = await hass.async_add_executor_job(
            SentenceRecognizer.load, language
        )
    except ValueError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unsupported_language",
            translation_placeholders={"language": language},
        ) from err
    name = entry.data.get(CONF_NAME, DEFAULT_NAME)
    style = ResponseStyle(entry.options.get(CONF_RESPONSE_STYLE, ResponseStyle.WARM))
    settings = AssistantSettings(
        name=name,
        language=language,
        fallback_agent=entry.options.get(CONF_FALLBACK_AGENT, DEFAULT_FALLBACK_AGENT),
        phrases=Phrasebook(style, name),
        speakers=dict(entry.options.get(CONF_SPEAKERS, {})),
        moods=MoodBook.from_options(entry.options.get(CONF_MOODS, {})),
    )
    reminders = ReminderScheduler(
        hass,
        settings.phrases,
        ReminderSettings.from_options(entry.options.get(CONF_REMINDERS, {})),
    )
    await reminders.async_load()
    mqtt_satellites = _async_satellites(hass, entry)
    wyoming_satellites = _async_wyoming_satellites(hass, entry)
    runtime = entry.runtime_data = Os1Runtime(
        Assistant(hass, settings, recognizer, reminders),
        reminders,
        dict(entry.options),
        set(entry.subentries),
        {**mqtt_satellites, **wyoming_satellites},
    )
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    reminders.async_start()
    entry.async_on_unload(reminders.async_stop)
    for wyoming in wyoming_satellites.values():
        wyoming.async_start(entry)
    link = MqttSatellites(
        hass,
        {connection.site: connection for connection in mqtt_satellites.values()},
        hass.data.setdefault(DATA_RETAINED, {}),
    )
    if await link.async_start():
        runtime.mqtt = link
        entry.async_on_unload(link.async_stop)
    elif mqtt_satellites:
        LOGGER.warning(
            "OS1 has adopted satellites but Home Assistant's MQTT integration is not "
            "set up; they stay unavailable until it is"
        )
    return True


def _async_satellites(
    hass: HomeAssistant, entry: Os1ConfigEntry
) -> dict[str, SatelliteConnection]:
    """Register a device in its area for each adopted MQTT satellite."""
    satellites: dict[str, SatelliteConnection] = {}
    for subentry in entry.subentries.values():
        if subentry.subentry_type != SUBENTRY_SATELLITE:
            continue
        site = subentry.data[CONF_SITE]
        try:
            config = SatelliteConfig.from_data(subentry.data[CONF_CONFIG])
        except ProtocolError as err:  # Stored by an adoption; should not happen.
            LOGGER.error("Satellite %s has a bad stored config: %s", site, err)
            continue
        _async_device(
            hass,
            entry,
            subentry,
            site,
            model="MQTT satellite",
            sw_version=config.sw_version,
        )
        satellites[subentry.subentry_id] = SatelliteConnection(hass, site, config)
    return satellites


def _async_wyoming_satellites(
    hass: HomeAssistant, entry: Os1ConfigEntry
) -> dict[str, WyomingConnection]:
    """Register a device in its area for each adopted Wyoming satellite."""
    satellites: dict[str, WyomingConnection] = {}
    for subentry in entry.subentries.values():
        if subentry.subentry_type != SUBENTRY_WYOMING:
            continue
        site = subentry.data[CONF_SITE]
        info = SatelliteInfo.from_dict(subentry.data[CONF_INFO])
        _async_device(
            hass,
            entry,
            subentry,
            site,
            model="Wyoming satellite",
            sw_version=info.version,
        )
        satellites[subentry.subentry_id] = WyomingConnection(
            hass, site, subentry.data[CONF_HOST], subentry.data[CONF_PORT], info
        )
    return satellites


def _async_device(
    hass: HomeAssistant,
    entry: Os1ConfigEntry,
    subentry: ConfigSubentry,
    site: str,
    *,
    model: str,
    sw_version: str | None,
) -> None:
    """Register a satellite's device, in the area chosen when it was adopted."""
    device_registry = dr.async_get(hass)
    identifiers = {(DOMAIN, site)}
    known = device_registry.async_get_device(identifiers=identifiers)
    device = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        config_subentry_id=subentry.subentry_id,
        identifiers=identifiers,
        name=subentry.title,
        manufacturer="OS1",
        model=model,
        sw_version=sw_version,
    )
    if known is None and (area_id := subentry.data.get(CONF_AREA_ID)):
        device_registry.async_update_device(device.id, area_id=area_id)


async def async_unload_entry(hass: HomeAssistant, entry: Os1ConfigEntry) -> bool:
    """Unload the OS1 hub."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _async_reload(hass: HomeAssistant, entry: Os1ConfigEntry) -> None:
    """Reload after the options changed or a satellite was adopted or removed.

    Reconfiguring reloads by itself.
    """
    runtime = entry.runtime_data
    if entry.options != runtime.options or set(entry.subentries) != runtime.subentries:
        await hass.config_entries.async_reload(entry.entry_id)
