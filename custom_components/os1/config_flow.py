"""Config flow for OS1: one hub per home, set up in the UI."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from homeassistant.components.conversation.agent_manager import async_get_agent
from homeassistant.config_entries import (
    SOURCE_IGNORE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentry,
    ConfigSubentryData,
    ConfigSubentryFlow,
    OptionsFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.helpers.selector import (
    AreaSelector,
    BooleanSelector,
    ConversationAgentSelector,
    EntitySelector,
    EntitySelectorConfig,
    LanguageSelector,
    LanguageSelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    ObjectSelector,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo

from .compat import vol
from .const import (
    CONF_AREA_ID,
    CONF_BLE_SENSORS,
    CONF_CONFIG,
    CONF_CONVERSATION_WINDOW,
    CONF_DWELL,
    CONF_FALLBACK_AGENT,
    CONF_FOLLOW_MUSIC,
    CONF_HYSTERESIS,
    CONF_INFO,
    CONF_LANGUAGE,
    CONF_MOODS,
    CONF_NOTIFY,
    CONF_PERSON,
    CONF_PRESENCE,
    CONF_REMINDERS,
    CONF_REPEAT_MINUTES,
    CONF_REPEAT_TIMES,
    CONF_RESPONSE_STYLE,
    CONF_ROOM_SENSORS,
    CONF_SAY_EVERYWHERE,
    CONF_SITE,
    CONF_SPEAKERS,
    CONF_UNKNOWN_AFTER,
    DEFAULT_CONVERSATION_WINDOW,
    DEFAULT_FALLBACK_AGENT,
    DEFAULT_LANGUAGE,
    DEFAULT_NAME,
    DOMAIN,
    LOGGER,
    NOTIFY_DEFAULT,
    SUBENTRY_PERSON,
    SUBENTRY_SATELLITE,
    SUBENTRY_WYOMING,
)
from .moods import Mood, MoodBook
from .nlu import LANGUAGES
from .presence_control import presence_settings
from .protocol import ProtocolError, SatelliteConfig, split_topic
from .reminder_control import ReminderSettings, notify_service
from .responses import ResponseStyle
from .wyoming_peer import SatelliteInfo, WyomingError, async_describe

CONF_AREA = "area"
DEFAULT_WYOMING_PORT = 10700


class Os1ConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up the OS1 hub."""

    VERSION = 1

    _adopting: ConfigSubentryData
    _suggested: dict[str, Any]

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the assistant and choose its language."""
        if self._hub() is not None:
            return self.async_abort(reason="single_instance_allowed")
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _clean(user_input)
            errors = self._validate(data)
            if not errors:
                return self.async_create_entry(title=data[CONF_NAME], data=data)
        suggested = user_input or {
            CONF_NAME: DEFAULT_NAME,
            CONF_LANGUAGE: self._default_language(),
        }
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(_hub_schema(), suggested),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the assistant or change its language."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _clean(user_input)
            errors = self._validate(data)
            if not errors:
                # OS1's update listener reloads it (it also follows subentries).
                return self.async_update_and_abort(
                    entry, title=data[CONF_NAME], data_updates=data
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _hub_schema(), user_input or dict(entry.data)
            ),
            errors=errors,
        )

    async def async_step_mqtt(
        self, discovery_info: MqttServiceInfo
    ) -> ConfigFlowResult:
        """Offer a satellite that announced itself on os1/<site>/config."""
        if not discovery_info.payload:
            return self.async_abort(reason="invalid_discovery_info")  # Config removed.
        try:
            site, _ = split_topic(discovery_info.topic)
            config = SatelliteConfig.from_payload(
                bytes(discovery_info.payload)
                if not isinstance(discovery_info.payload, str)
                else discovery_info.payload
            )
        except ProtocolError as err:
            LOGGER.warning("Ignoring satellite on %s: %s", discovery_info.topic, err)
            return self.async_abort(reason="invalid_discovery_info")
        await self.async_set_unique_id(f"satellite-{site}")
        self._abort_if_unique_id_configured()
        if (hub := self._hub()) is not None and _adopted(hub, site):
            return self.async_abort(reason="already_configured")
        self._adopting = _satellite_subentry(site, config, {})
        self._suggested = _satellite_suggestion(self.hass, config.name, config.area)
        self.context["title_placeholders"] = {"name": config.name}
        return await self.async_step_adopt()

    async def async_step_zeroconf(
        self, discovery_info: ZeroconfServiceInfo
    ) -> ConfigFlowResult:
        """Offer a Wyoming satellite found on the network."""
        host, port = discovery_info.host, discovery_info.port or DEFAULT_WYOMING_PORT
        await self.async_set_unique_id(_wyoming_unique_id(host, port))
        self._abort_if_unique_id_configured()
        if (hub := self._hub()) is not None and _adopted(
            hub, _wyoming_site(host, port)
        ):
            return self.async_abort(reason="already_configured")
        try:
            info = await async_describe(host, port)
        except WyomingError as err:
            LOGGER.debug(
                "Not offering the Wyoming service at %s:%s: %s", host, port, err
            )
            return self.async_abort(reason="not_a_satellite")
        self._adopting = _wyoming_subentry(host, port, info, {})
        self._suggested = _satellite_suggestion(self.hass, info.name, info.area)
        self.context["title_placeholders"] = {"name": info.name}
        return await self.async_step_adopt()

    async def async_step_adopt(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Adopt the discovered satellite into an area."""
        adopting = self._adopting
        if user_input is not None:
            name = str(user_input.get(CONF_NAME) or "").strip() or adopting["title"]
            satellite = ConfigSubentryData(
                data={**adopting["data"], CONF_AREA_ID: user_input.get(CONF_AREA)},
                subentry_type=adopting["subentry_type"],
                title=name,
                unique_id=adopting["unique_id"],
            )
            if (hub := self._hub()) is None:
                # The first satellite sets the hub up too, with the defaults.
                await self.async_set_unique_id(None)
                return self.async_create_entry(
                    title=DEFAULT_NAME,
                    data={
                        CONF_NAME: DEFAULT_NAME,
                        CONF_LANGUAGE: self._default_language(),
                    },
                    subentries=[satellite],
                )
            self.hass.config_entries.async_add_subentry(
                hub,
                ConfigSubentry(
                    data=MappingProxyType(dict(satellite["data"])),
                    subentry_type=satellite["subentry_type"],
                    title=satellite["title"],
                    unique_id=satellite["unique_id"],
                ),
            )
            return self.async_abort(
                reason="satellite_adopted",
                description_placeholders={"name": satellite["title"]},
            )
        return self.async_show_form(
            step_id="adopt",
            data_schema=self.add_suggested_values_to_schema(
                _satellite_schema(), self._suggested
            ),
            description_placeholders={
                "name": adopting["title"],
                "site": adopting["data"][CONF_SITE],
            },
        )

    def _hub(self) -> ConfigEntry | None:
        """Return the OS1 hub, if it is set up (ignored discoveries aside)."""
        for entry in self.hass.config_entries.async_entries(DOMAIN):
            if entry.source != SOURCE_IGNORE:
                return entry
        return None

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Satellites are adopted, and people added, as subentries of the hub."""
        return {
            SUBENTRY_SATELLITE: SatelliteSubentryFlow,
            SUBENTRY_WYOMING: WyomingSubentryFlow,
            SUBENTRY_PERSON: PersonSubentryFlow,
        }

    @staticmethod
    def _validate(data: dict[str, Any]) -> dict[str, str]:
        """Check the form (the language selector only offers OS1's languages)."""
        if not data[CONF_NAME]:
            return {CONF_NAME: "name_required"}
        return {}

    def _default_language(self) -> str:
        """Return Home Assistant's language when OS1 speaks it."""
        language = self.hass.config.language.split("-")[0]
        return language if language in LANGUAGES else DEFAULT_LANGUAGE

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> Os1OptionsFlow:
        """Return the options flow."""
        return Os1OptionsFlow()


class SatelliteSubentryFlow(ConfigSubentryFlow):
    """Adopt a satellite that is online but not adopted yet."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Choose the satellite, its name and its area."""
        hub = self._get_entry()
        link = getattr(hub.runtime_data, "mqtt", None)
        waiting: dict[str, SatelliteConfig] = {
            site: config
            for site, config in (link.waiting.items() if link else ())
            if not _adopted(hub, site)
        }
        if not waiting:
            return self.async_abort(reason="no_satellites")
        if user_input is not None:
            site = user_input[CONF_SITE]
            satellite = _satellite_subentry(site, waiting[site], user_input)
            # The satellite's discovery notice has been answered.
            flows = self.hass.config_entries.flow
            for flow in flows.async_progress_by_handler(
                DOMAIN, match_context={"unique_id": f"satellite-{site}"}
            ):
                flows.async_abort(flow["flow_id"])
            return self.async_create_entry(
                title=satellite["title"],
                data=satellite["data"],
                unique_id=satellite["unique_id"],
            )
        first = next(iter(waiting.values()))
        schema = vol.Schema(
            {
                vol.Required(CONF_SITE): SelectSelector(
                    SelectSelectorConfig(
                        options=[
                            SelectOptionDict(
                                value=site, label=f"{config.name} ({site})"
                            )
                            for site, config in waiting.items()
                        ],
                        mode=SelectSelectorMode.LIST,
                    )
                ),
                **_satellite_schema().schema,
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                schema,
                {
                    CONF_SITE: next(iter(waiting)),
                    **_satellite_suggestion(self.hass, first.name, first.area),
                },
            ),
        )


class WyomingSubentryFlow(ConfigSubentryFlow):
    """Adopt a Wyoming satellite by its address."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for the satellite's host and port, its name and its area."""
        errors: dict[str, str] = {}
        placeholders = {"reason": ""}
        if user_input is not None:
            host = str(user_input[CONF_HOST]).strip()
            port = int(user_input[CONF_PORT])
            if _adopted(self._get_entry(), _wyoming_site(host, port)):
                return self.async_abort(reason="already_configured")
            try:
                info = await async_describe(host, port)
            except WyomingError as err:
                errors["base"] = "cannot_connect"
                placeholders["reason"] = str(err)
            else:
                satellite = _wyoming_subentry(host, port, info, user_input)
                # A discovery notice for the same satellite has been answered.
                flows = self.hass.config_entries.flow
                for flow in flows.async_progress_by_handler(
                    DOMAIN,
                    match_context={"unique_id": _wyoming_unique_id(host, port)},
                ):
                    flows.async_abort(flow["flow_id"])
                return self.async_create_entry(
                    title=satellite["title"],
                    data=satellite["data"],
                    unique_id=satellite["unique_id"],
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_HOST): TextSelector(),
                vol.Required(CONF_PORT, default=DEFAULT_WYOMING_PORT): NumberSelector(
                    NumberSelectorConfig(
                        min=1, max=65535, step=1, mode=NumberSelectorMode.BOX
                    )
                ),
                vol.Optional(CONF_NAME): TextSelector(),
                vol.Optional(CONF_AREA): AreaSelector(),
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
            description_placeholders=placeholders,
        )


class PersonSubentryFlow(ConfigSubentryFlow):
    """Follow a person from room to room: who they are and what places them."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Choose the person and their sensors."""
        errors: dict[str, str] = {}
        if user_input is not None:
            person = user_input[CONF_PERSON]
            if any(
                subentry.unique_id == person
                for subentry in self._get_entry().subentries.values()
            ):
                return self.async_abort(reason="already_configured")
            if (state := self.hass.states.get(person)) is None:
                errors[CONF_PERSON] = "person_not_found"
            else:
                return self.async_create_entry(
                    title=state.name, data=_person_data(user_input), unique_id=person
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                _person_schema(with_person=True),
                user_input or {CONF_FOLLOW_MUSIC: True},
            ),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a person's sensors and whether their music follows them."""
        subentry = self._get_reconfigure_subentry()
        if user_input is not None:
            return self.async_update_and_abort(
                self._get_entry(),
                subentry,
                data=_person_data({**user_input, CONF_PERSON: subentry.unique_id}),
            )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _person_schema(with_person=False), dict(subentry.data)
            ),
            description_placeholders={"name": subentry.title},
        )


def _person_schema(*, with_person: bool) -> vol.Schema:
    """Return the form of a person's evidence."""
    fields: dict[vol.Marker, Any] = {}
    if with_person:
        fields[vol.Required(CONF_PERSON)] = EntitySelector(
            EntitySelectorConfig(domain="person")
        )
    fields.update(
        {
            vol.Optional(CONF_BLE_SENSORS): EntitySelector(
                EntitySelectorConfig(domain="sensor", multiple=True)
            ),
            vol.Optional(CONF_ROOM_SENSORS): EntitySelector(
                EntitySelectorConfig(domain="binary_sensor", multiple=True)
            ),
            vol.Required(CONF_FOLLOW_MUSIC): BooleanSelector(),
        }
    )
    return vol.Schema(fields)


def _person_data(user_input: dict[str, Any]) -> dict[str, Any]:
    """Return what a person subentry keeps."""
    return {
        CONF_PERSON: user_input[CONF_PERSON],
        CONF_BLE_SENSORS: list(user_input.get(CONF_BLE_SENSORS) or []),
        CONF_ROOM_SENSORS: list(user_input.get(CONF_ROOM_SENSORS) or []),
        CONF_FOLLOW_MUSIC: bool(user_input.get(CONF_FOLLOW_MUSIC, True)),
    }


class Os1OptionsFlow(OptionsFlow):
    """Choose who answers what OS1 does not, how OS1 speaks, and the music."""

    def __init__(self) -> None:
        """Start with nothing chosen."""
        self._options: dict[str, Any] = {}

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the agent, the style and the moods."""
        errors: dict[str, str] = {}
        if user_input is not None:
            agent_id = user_input[CONF_FALLBACK_AGENT]
            own = er.async_get(self.hass).async_get_entity_id(
                "conversation", DOMAIN, self.config_entry.entry_id
            )
            if agent_id == own:
                errors[CONF_FALLBACK_AGENT] = "fallback_is_self"
            elif async_get_agent(self.hass, agent_id) is None:
                errors[CONF_FALLBACK_AGENT] = "agent_not_found"
            elif not _valid_moods(user_input.get(CONF_MOODS, {})):
                errors[CONF_MOODS] = "invalid_moods"
            else:
                self._options = dict(user_input)
                return await self.async_step_speakers()
        language = self.config_entry.data.get(CONF_LANGUAGE, DEFAULT_LANGUAGE)
        schema = vol.Schema(
            {
                vol.Required(CONF_FALLBACK_AGENT): ConversationAgentSelector(
                    {"language": language}
                ),
                vol.Required(CONF_RESPONSE_STYLE): SelectSelector(
                    SelectSelectorConfig(
                        options=[style.value for style in ResponseStyle],
                        translation_key=CONF_RESPONSE_STYLE,
                        mode=SelectSelectorMode.LIST,
                    )
                ),
                vol.Optional(CONF_MOODS): ObjectSelector(),
            }
        )
        current = user_input or {
            CONF_FALLBACK_AGENT: DEFAULT_FALLBACK_AGENT,
            CONF_RESPONSE_STYLE: ResponseStyle.WARM.value,
            CONF_MOODS: _mood_options(self.config_entry.options.get(CONF_MOODS)),
            **{
                key: value
                for key, value in self.config_entry.options.items()
                if key != CONF_MOODS
            },
        }
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, current),
            errors=errors,
        )

    async def async_step_speakers(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose the speaker music plays on in each room (empty: OS1 picks)."""
        areas = ar.async_get(self.hass).async_list_areas()
        if user_input is not None:
            names = {area.name: area.id for area in areas}
            speakers = {
                names[name]: entity_id
                for name, entity_id in user_input.items()
                if name in names and entity_id
            }
            self._options[CONF_SPEAKERS] = speakers
            return await self.async_step_reminders()
        chosen: dict[str, str] = self.config_entry.options.get(CONF_SPEAKERS, {})
        schema = vol.Schema(
            {
                vol.Optional(area.name): EntitySelector(
                    EntitySelectorConfig(domain="media_player")
                )
                for area in sorted(areas, key=lambda area: area.name)
            }
        )
        return self.async_show_form(
            step_id="speakers",
            data_schema=self.add_suggested_values_to_schema(
                schema,
                {area.name: chosen[area.id] for area in areas if area.id in chosen},
            ),
        )

    async def async_step_reminders(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose how reminders are repeated, and where they go when unheard."""
        people = {
            state.name: state.entity_id
            for state in sorted(
                self.hass.states.async_all("person"), key=lambda state: state.name
            )
        }
        errors: dict[str, str] = {}
        if user_input is not None:
            notify: dict[str, str] = {}
            for field, target in user_input.items():
                if (field not in people and field != CONF_NOTIFY) or not target.strip():
                    continue
                if notify_service(self.hass, target.strip()) is None:
                    errors[field] = "notify_not_found"
                notify[people.get(field, NOTIFY_DEFAULT)] = target.strip()
            if not errors:
                self._options[CONF_REMINDERS] = {
                    CONF_REPEAT_MINUTES: user_input[CONF_REPEAT_MINUTES],
                    CONF_REPEAT_TIMES: int(user_input[CONF_REPEAT_TIMES]),
                    CONF_SAY_EVERYWHERE: user_input[CONF_SAY_EVERYWHERE],
                    CONF_NOTIFY: notify,
                }
                return await self.async_step_presence()
        settings = ReminderSettings.from_options(
            self.config_entry.options.get(CONF_REMINDERS, {})
        )
        fields: dict[vol.Marker, Any] = {
            vol.Required(CONF_REPEAT_MINUTES): NumberSelector(
                NumberSelectorConfig(
                    min=0,
                    max=60,
                    step=1,
                    unit_of_measurement="min",
                    mode=NumberSelectorMode.BOX,
                )
            ),
            vol.Required(CONF_REPEAT_TIMES): NumberSelector(
                NumberSelectorConfig(min=0, max=10, step=1, mode=NumberSelectorMode.BOX)
            ),
            vol.Required(CONF_SAY_EVERYWHERE): BooleanSelector(),
            vol.Optional(CONF_NOTIFY): TextSelector(),
        }
        fields.update({vol.Optional(name): TextSelector() for name in people})
        schema = vol.Schema(fields)
        suggested: dict[str, Any] = {
            CONF_REPEAT_MINUTES: settings.repeat_minutes,
            CONF_REPEAT_TIMES: settings.repeat_times,
            CONF_SAY_EVERYWHERE: settings.say_everywhere,
            CONF_NOTIFY: settings.notify.get(NOTIFY_DEFAULT),
            **{
                name: settings.notify.get(entity_id)
                for name, entity_id in people.items()
            },
        }
        return self.async_show_form(
            step_id="reminders",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or suggested
            ),
            errors=errors,
        )

    async def async_step_presence(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose how eagerly people move between rooms, and the conversation."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    **self._options,
                    CONF_PRESENCE: {
                        CONF_DWELL: user_input[CONF_DWELL],
                        CONF_HYSTERESIS: user_input[CONF_HYSTERESIS],
                        CONF_UNKNOWN_AFTER: user_input[CONF_UNKNOWN_AFTER],
                        CONF_CONVERSATION_WINDOW: user_input[CONF_CONVERSATION_WINDOW],
                    },
                }
            )
        saved = self.config_entry.options.get(CONF_PRESENCE, {})
        settings = presence_settings(saved)

        def number(maximum: int, unit: str, minimum: int = 0) -> NumberSelector:
            return NumberSelector(
                NumberSelectorConfig(
                    min=minimum,
                    max=maximum,
                    step=1,
                    unit_of_measurement=unit,
                    mode=NumberSelectorMode.BOX,
                )
            )

        schema = vol.Schema(
            {
                vol.Required(CONF_DWELL): number(300, "s"),
                vol.Required(CONF_HYSTERESIS): number(200, "%"),
                vol.Required(CONF_UNKNOWN_AFTER): number(240, "min", minimum=1),
                vol.Required(CONF_CONVERSATION_WINDOW): number(3600, "s"),
            }
        )
        suggested = {
            CONF_DWELL: settings.dwell,
            CONF_HYSTERESIS: round(settings.hysteresis * 100),
            CONF_UNKNOWN_AFTER: round(settings.unknown_after / 60),
            CONF_CONVERSATION_WINDOW: saved.get(
                CONF_CONVERSATION_WINDOW, DEFAULT_CONVERSATION_WINDOW
            ),
        }
        return self.async_show_form(
            step_id="presence",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
        )


def _mood_options(saved: dict[str, Any] | None) -> dict[str, Any]:
    """Return the moods as the options form shows them: every mood, editable."""
    book = MoodBook.from_options(saved or {})
    return {
        mood.value: {
            "playlists": ", ".join(music.playlists),
            "genres": ", ".join(music.genres),
        }
        for mood, music in book.moods.items()
    }


def _valid_moods(moods: Any) -> bool:
    """Return whether the moods option has the shape OS1 reads."""
    return isinstance(moods, dict) and all(
        isinstance(name, str)
        and name in {mood.value for mood in Mood}
        and isinstance(music, dict)
        and all(
            key in ("playlists", "genres") and isinstance(value, str)
            for key, value in music.items()
        )
        for name, music in moods.items()
    )


def _hub_schema() -> vol.Schema:
    """Return the form for the hub's name and language."""
    return vol.Schema(
        {
            vol.Required(CONF_NAME): TextSelector(),
            vol.Required(CONF_LANGUAGE): LanguageSelector(
                LanguageSelectorConfig(languages=LANGUAGES, native_name=True)
            ),
        }
    )


def _clean(user_input: dict[str, Any]) -> dict[str, Any]:
    """Trim the assistant's name."""
    return {**user_input, CONF_NAME: str(user_input[CONF_NAME]).strip()}


def _adopted(hub: ConfigEntry, site: str) -> bool:
    """Return whether the hub already serves this satellite."""
    return any(
        subentry.subentry_type in (SUBENTRY_SATELLITE, SUBENTRY_WYOMING)
        and subentry.unique_id == site
        for subentry in hub.subentries.values()
    )


def _satellite_schema() -> vol.Schema:
    """Return the form for a satellite's name and area."""
    return vol.Schema(
        {
            vol.Required(CONF_NAME): TextSelector(),
            vol.Optional(CONF_AREA): AreaSelector(),
        }
    )


def _satellite_suggestion(
    hass: HomeAssistant, name: str, area_name: str | None
) -> dict[str, Any]:
    """Suggest the satellite's own name and the area it asked for, if it exists."""
    suggestion: dict[str, Any] = {CONF_NAME: name}
    if area_name and (area := ar.async_get(hass).async_get_area_by_name(area_name)):
        suggestion[CONF_AREA] = area.id
    return suggestion


def _wyoming_site(host: str, port: int) -> str:
    """Return the site id OS1 gives a Wyoming satellite: its address."""
    return f"wyoming-{host}-{port}".replace(".", "_").replace(":", "_").lower()


def _wyoming_unique_id(host: str, port: int) -> str:
    """Return the discovery flow's unique id for a Wyoming satellite."""
    return f"satellite-{_wyoming_site(host, port)}"


def _wyoming_subentry(
    host: str, port: int, info: SatelliteInfo, user_input: dict[str, Any]
) -> ConfigSubentryData:
    """Return the subentry that adopts a Wyoming satellite."""
    site = _wyoming_site(host, port)
    name = str(user_input.get(CONF_NAME) or "").strip() or info.name
    return ConfigSubentryData(
        data={
            CONF_SITE: site,
            CONF_HOST: host,
            CONF_PORT: port,
            CONF_INFO: info.as_dict(),
            CONF_AREA_ID: user_input.get(CONF_AREA),
        },
        subentry_type=SUBENTRY_WYOMING,
        title=name,
        unique_id=site,
    )


def _satellite_subentry(
    site: str, config: SatelliteConfig, user_input: dict[str, Any]
) -> ConfigSubentryData:
    """Return the subentry that adopts a satellite."""
    name = str(user_input.get(CONF_NAME) or config.name).strip() or config.name
    return ConfigSubentryData(
        data={
            CONF_SITE: site,
            CONF_CONFIG: config.as_dict(),
            CONF_AREA_ID: user_input.get(CONF_AREA),
        },
        subentry_type=SUBENTRY_SATELLITE,
        title=name,
        unique_id=site,
    )
