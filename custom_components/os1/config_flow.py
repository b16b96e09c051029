"""Config flow for OS1: one hub per home, set up in the UI."""

from __future__ import annotations

import sys
from typing import Any

from homeassistant.components.conversation.agent_manager import async_get_agent
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    ConversationAgentSelector,
    LanguageSelector,
    LanguageSelectorConfig,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
import voluptuous as vol

from .const import (
    CONF_FALLBACK_AGENT,
    CONF_LANGUAGE,
    CONF_RESPONSE_STYLE,
    DEFAULT_FALLBACK_AGENT,
    DEFAULT_LANGUAGE,
    DEFAULT_NAME,
    DOMAIN,
)
from .nlu import LANGUAGES
from .responses import ResponseStyle

if sys.version_info >= (3, 14):
    from homeassistant.config_entries import OptionsFlowWithReload as OptionsFlowBase
else:  # Home Assistant before 2026.3 reloads through an update listener.
    from homeassistant.config_entries import OptionsFlow as OptionsFlowBase


class Os1ConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up the OS1 hub."""

    VERSION = 1

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the assistant and choose its language."""
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


class Os1OptionsFlow(OptionsFlowBase):
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
