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
from homeassistant.const import CONF_NAME
from homeassistant.core import callback
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.helpers.selector import (
    AreaSelector,
    ConversationAgentSelector,
    LanguageSelector,
    LanguageSelectorConfig,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo
import voluptuous as vol

from .const import (
    CONF_AREA_ID,
    CONF_CONFIG,
    CONF_FALLBACK_AGENT,
    CONF_LANGUAGE,
    CONF_RESPONSE_STYLE,
    CONF_SITE,
    DEFAULT_FALLBACK_AGENT,
    DEFAULT_LANGUAGE,
    DEFAULT_NAME,
    DOMAIN,
    LOGGER,
    SUBENTRY_SATELLITE,
)
from .nlu import LANGUAGES
from .protocol import ProtocolError, SatelliteConfig, split_topic
from .responses import ResponseStyle

CONF_AREA = "area"


class Os1ConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up the OS1 hub."""

    VERSION = 1

    _site: str
    _config: SatelliteConfig

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
                return self.async_update_reload_and_abort(
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
        self._site, self._config = site, config
        self.context["title_placeholders"] = {"name": config.name}
        return await self.async_step_adopt()

    async def async_step_adopt(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Adopt the discovered satellite into an area."""
        if user_input is not None:
            satellite = _satellite_subentry(self._site, self._config, user_input)
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
                _satellite_schema(), _satellite_suggestion(self.hass, self._config)
            ),
            description_placeholders={"name": self._config.name, "site": self._site},
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
        """Satellites are adopted as subentries of the hub."""
        return {SUBENTRY_SATELLITE: SatelliteSubentryFlow}

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
                    **_satellite_suggestion(self.hass, first),
                },
            ),
        )


class Os1OptionsFlow(OptionsFlow):
    """Choose who answers what OS1 does not, and how OS1 speaks."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and save the options."""
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
            else:
                return self.async_create_entry(data=user_input)
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
            }
        )
        current = user_input or {
            CONF_FALLBACK_AGENT: DEFAULT_FALLBACK_AGENT,
            CONF_RESPONSE_STYLE: ResponseStyle.WARM.value,
            **self.config_entry.options,
        }
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, current),
            errors=errors,
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
        subentry.subentry_type == SUBENTRY_SATELLITE and subentry.unique_id == site
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


def _satellite_suggestion(hass: Any, config: SatelliteConfig) -> dict[str, Any]:
    """Suggest the satellite's own name and the area it asked for, if it exists."""
    suggestion: dict[str, Any] = {CONF_NAME: config.name}
    if config.area and (area := ar.async_get(hass).async_get_area_by_name(config.area)):
        suggestion[CONF_AREA] = area.id
    return suggestion


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
