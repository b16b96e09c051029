"""OS1: a room-aware voice assistant for Home Assistant."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT, Platform
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from homeassistant.exceptions import ConfigEntryError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType
from homeassistant.util.hass_dict import HassKey

from .assistant import Assistant, AssistantSettings
from .compat import vol
from .const import (
    CONF_AREA_ID,
    CONF_CONFIG,
    CONF_CONVERSATION_WINDOW,
    CONF_FALLBACK_AGENT,
    CONF_FOLLOW_MUSIC,
    CONF_INFO,
    CONF_LANGUAGE,
    CONF_MOODS,
    CONF_PRESENCE,
    CONF_REMINDERS,
    CONF_RESPONSE_STYLE,
    CONF_SITE,
    CONF_SPEAKERS,
    DEFAULT_CONVERSATION_WINDOW,
    DEFAULT_FALLBACK_AGENT,
    DEFAULT_LANGUAGE,
    DEFAULT_NAME,
    DOMAIN,
    LOGGER,
    SUBENTRY_PERSON,
    SUBENTRY_SATELLITE,
    SUBENTRY_WYOMING,
)
from .entity import person_device
from .moods import MoodBook
from .mqtt_satellites import MqttSatellites, RetainedCache, SatelliteConnection
from .nlu import SentenceRecognizer
from .presence_control import PresenceMonitor, people_of, presence_settings
from .protocol import ProtocolError, SatelliteConfig
from .reminder_control import ReminderScheduler, ReminderSettings
from .responses import Phrasebook, ResponseStyle
from .satellite import SatelliteLink
from .wyoming_peer import SatelliteInfo
from .wyoming_satellites import WyomingConnection

DATA_RETAINED: HassKey[RetainedCache] = HassKey(f"{DOMAIN}_retained")
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

SERVICE_ANNOUNCE = "announce"
ATTR_PERSON = "person"
ATTR_MESSAGE = "message"
ANNOUNCE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_PERSON): cv.entity_id,
        vol.Required(ATTR_MESSAGE): vol.All(cv.string, vol.Length(min=1, max=1000)),
    }
)

PLATFORMS: list[Platform] = [
    Platform.ASSIST_SATELLITE,
    Platform.CONVERSATION,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TODO,
]


@dataclass(slots=True)
class Os1Runtime:
    """What a loaded OS1 hub holds."""

    assistant: Assistant
    reminders: ReminderScheduler
    presence: PresenceMonitor
    options: dict[str, Any]
    """The options the hub was set up with."""
    data: dict[str, Any] = field(default_factory=dict)
    """The name and language the hub was set up with."""
    subentries: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The satellites and people the hub was set up with (what needs a reload)."""
    satellites: dict[str, SatelliteLink] = field(default_factory=dict)
    """Adopted satellites by subentry id."""
    mqtt: MqttSatellites | None = None


type Os1ConfigEntry = ConfigEntry[Os1Runtime]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register OS1's services."""

    async def announce(call: ServiceCall) -> ServiceResponse:
        """Say something to a person in the room they are in."""
        person = call.data[ATTR_PERSON]
        entries: list[Os1ConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
        if not entries:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_hub"
            )
        runtime = entries[0].runtime_data
        if not runtime.presence.tracks(person):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="person_not_followed",
                translation_placeholders={"person": person},
            )
        link = await runtime.reminders.delivery.async_tell(
            person, call.data[ATTR_MESSAGE]
        )
        return {
            ATTR_PERSON: person,
            "area_id": runtime.presence.room_of(person),
            "delivered": link,
        }

    hass.services.async_register(
        DOMAIN,
        SERVICE_ANNOUNCE,
        announce,
        schema=ANNOUNCE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    return True


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
    presence_options = entry.options.get(CONF_PRESENCE, {})
    style = ResponseStyle(entry.options.get(CONF_RESPONSE_STYLE, ResponseStyle.WARM))
    settings = AssistantSettings(
        name=name,
        language=language,
        fallback_agent=entry.options.get(CONF_FALLBACK_AGENT, DEFAULT_FALLBACK_AGENT),
        phrases=Phrasebook(style, name),
        speakers=dict(entry.options.get(CONF_SPEAKERS, {})),
        moods=MoodBook.from_options(entry.options.get(CONF_MOODS, {})),
        conversation_window=float(
            presence_options.get(CONF_CONVERSATION_WINDOW, DEFAULT_CONVERSATION_WINDOW)
        ),
    )
    presence = PresenceMonitor(
        hass, people_of(entry.subentries), presence_settings(presence_options)
    )
    reminders = ReminderScheduler(
        hass,
        settings.phrases,
        ReminderSettings.from_options(entry.options.get(CONF_REMINDERS, {})),
    )
    reminders.delivery.presence = presence
    await reminders.async_load()
    mqtt_satellites = _async_satellites(hass, entry)
    wyoming_satellites = _async_wyoming_satellites(hass, entry)
    _async_people(hass, entry, presence)
    assistant = Assistant(hass, settings, recognizer, reminders, presence)
    runtime = entry.runtime_data = Os1Runtime(
        assistant,
        reminders,
        presence,
        dict(entry.options),
        dict(entry.data),
        _reloading(entry),
        {**mqtt_satellites, **wyoming_satellites},
    )
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    entry.async_on_unload(presence.async_add_listener(assistant.async_room_changed))
    entry.async_on_unload(assistant.async_unload)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    presence.async_start()
    entry.async_on_unload(presence.async_stop)
    reminders.async_start()
    entry.async_on_unload(reminders.async_stop)
    for wyoming in wyoming_satellites.values():
        wyoming.async_start(entry)
    for connection in mqtt_satellites.values():
        connection.presence = presence
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
        device_id = _async_device(
            hass,
            entry,
            subentry,
            site,
            model="MQTT satellite",
            sw_version=config.sw_version,
        )
        satellites[subentry.subentry_id] = SatelliteConnection(
            hass, site, config, device_id
        )
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


def _async_people(
    hass: HomeAssistant, entry: Os1ConfigEntry, presence: PresenceMonitor
) -> None:
    """Register a device for each person OS1 follows; keep their follow setting."""
    device_registry = dr.async_get(hass)
    for person, subentry_id in presence.subentries.items():
        subentry = entry.subentries[subentry_id]
        device_registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            config_subentry_id=subentry_id,
            identifiers={(DOMAIN, person_device(person))},
            name=subentry.title,
            manufacturer="OS1",
            model="Person",
        )

    def save_follow(person: str, follow: bool) -> None:
        subentry = entry.subentries[presence.subentries[person]]
        hass.config_entries.async_update_subentry(
            entry, subentry, data={**subentry.data, CONF_FOLLOW_MUSIC: follow}
        )

    presence.save_follow = save_follow


def _reloading(entry: Os1ConfigEntry) -> dict[str, dict[str, Any]]:
    """Return the subentries' data that needs a reload when it changes.

    Whether a person's music follows them changes without one.
    """
    return {
        subentry_id: {
            key: value
            for key, value in subentry.data.items()
            if subentry.subentry_type != SUBENTRY_PERSON or key != CONF_FOLLOW_MUSIC
        }
        for subentry_id, subentry in entry.subentries.items()
    }


def _async_device(
    hass: HomeAssistant,
    entry: Os1ConfigEntry,
    subentry: ConfigSubentry,
    site: str,
    *,
    model: str,
    sw_version: str | None,
) -> str:
    """Register a satellite's device, in the area chosen when it was adopted.

    Returns the device's id.
    """
    device_registry = dr.async_get(hass)
    identifiers = {(DOMAIN, site)}
    known = any(
        (DOMAIN, site) in device.identifiers
        for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    )
    device = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        config_subentry_id=subentry.subentry_id,
        identifiers=identifiers,
        name=subentry.title,
        manufacturer="OS1",
        model=model,
        sw_version=sw_version,
    )
    if not known and (area_id := subentry.data.get(CONF_AREA_ID)):
        device_registry.async_update_device(device.id, area_id=area_id)
    return device.id


async def async_unload_entry(hass: HomeAssistant, entry: Os1ConfigEntry) -> bool:
    """Unload the OS1 hub."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _async_reload(hass: HomeAssistant, entry: Os1ConfigEntry) -> None:
    """Reload after a change to the hub, its options, its satellites or people.

    That is: the hub reconfigured, the options changed, or a satellite or person
    added, changed or removed. Whether a person's music follows them changes
    without a reload.
    """
    runtime = entry.runtime_data
    if (
        entry.data != runtime.data
        or entry.options != runtime.options
        or _reloading(entry) != runtime.subentries
    ):
        await hass.config_entries.async_reload(entry.entry_id)
        return
    for person, subentry_id in runtime.presence.subentries.items():
        follow = entry.subentries[subentry_id].data.get(CONF_FOLLOW_MUSIC, True)
        runtime.presence.async_set_follow(person, bool(follow))
