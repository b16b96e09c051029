"""Turn a freshly started Home Assistant into OS1's demo home.

script/develop runs this next to Home Assistant on every start. It does what a
newcomer would do in the web UI, through the same HTTP and websocket APIs, and
skips whatever is already done, so later runs are quick and change nothing:

1. onboarding: the owner account (os1 / samantha), then the remaining steps;
2. the rooms: Kitchen, Living Room and Bedroom, with demo devices in them;
3. OS1: added through its config flow, then made the conversation agent of
   the preferred Assist pipeline, so that the Assist dialog talks to OS1;
4. follow me: OS1 follows the owner, placed by the demo's phone area sensor
   (an input_select on the Overview stands in for a BLE area sensor).

It also keeps a long-lived access token in a file, for trying the API with
curl. It exits with 1 when something could not be done; Home Assistant keeps
running either way.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Mapping
import contextlib
import json
import os
from pathlib import Path
import sys
from typing import Any

import aiohttp
import yarl

OWNER = {
    "name": "OS1 Demo",
    "username": "os1",
    "password": "samantha",
    "language": "en",
}

# The demo integration's entities that have a unique ID, hence can be placed in
# an area. Its media players have none: configuration.yaml wraps each room's
# demo player in a universal media player that has one.
ROOMS: dict[str, tuple[str, ...]] = {
    "Kitchen": (
        "light.kitchen_lights",
        "cover.kitchen_window",
        "media_player.kitchen_speaker",
    ),
    "Living Room": (
        "light.living_room_rgbww_lights",
        "light.ceiling_lights",
        "cover.living_room_window",
        "fan.living_room_fan",
        "switch.decorative_lights",
        "media_player.living_room_speaker",
    ),
    "Bedroom": (
        "light.bed_light",
        "fan.ceiling_fan",
        "switch.ac",
        "media_player.bedroom_speaker",
    ),
}

OS1_DOMAIN = "os1"
# Answers to OS1's config flow; any other field gets its default.
OS1_ANSWERS: dict[str, Any] = {"name": "Samantha", "language": "en"}

# What assist_pipeline/pipeline/update takes besides the pipeline ID.
PIPELINE_FIELDS = (
    "conversation_engine",
    "conversation_language",
    "language",
    "name",
    "stt_engine",
    "stt_language",
    "tts_engine",
    "tts_language",
    "tts_voice",
    "wake_word_entity",
    "wake_word_id",
    "prefer_local_intents",
)

STARTUP_TIMEOUT = 600.0
SETTLE_TIMEOUT = 60.0
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=60)


def log(message: str) -> None:
    """Print one line of progress, in script/develop's style."""
    print(f"==> {message}", flush=True)


class SetupError(Exception):
    """A step of the demo home could not be done."""


class HttpError(SetupError):
    """Home Assistant answered an HTTP request with an error."""

    def __init__(self, status: int, message: str) -> None:
        """Keep the status for callers that expect some errors."""
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message


async def poll[T](
    attempt: Callable[[], Awaitable[T | None]], seconds: float, what: str
) -> T:
    """Call attempt every second until it returns something, for so many seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (result := await attempt()) is None:
        if loop.time() > deadline:
            raise SetupError(f"gave up waiting for {what} after {seconds:.0f}s")
        await asyncio.sleep(1)
    return result


class HomeAssistant:
    """Just enough of Home Assistant's HTTP and websocket APIs."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        owner: Mapping[str, str] = OWNER,
    ) -> None:
        """Talk to the Home Assistant at url, not logged in yet."""
        self.session = session
        self.url = url.rstrip("/")
        self.owner = owner
        # The web UI is the OAuth client: its URL is the client ID.
        self.client_id = f"{self.url}/"
        self.redirect_uri = f"{self.url}/?auth_callback=1"
        self.token = ""
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._message_id = 0

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        form: Mapping[str, str] | None = None,
        authenticated: bool = True,
    ) -> Any:
        """Make one API request and return its decoded JSON answer."""
        headers = {"Authorization": f"Bearer {self.token}"} if authenticated else {}
        async with self.session.request(
            method, self.url + path, json=json_body, data=form, headers=headers
        ) as response:
            text = await response.text()
            try:
                body = json.loads(text) if text else None
            except json.JSONDecodeError:
                body = text
            if response.status >= 400:
                message = body.get("message") if isinstance(body, dict) else None
                raise HttpError(
                    response.status, str(message or body or response.reason)
                )
            return body

    # Onboarding and logging in.

    async def onboarding(self) -> list[str]:
        """Return the onboarding steps left to do, in order."""
        try:
            steps = await self.request("GET", "/api/onboarding", authenticated=False)
        except HttpError as err:
            if err.status == 404:  # Onboarded: Home Assistant drops the API.
                return []
            raise
        return [step["step"] for step in steps if not step["done"]]

    async def wait_until_answering(self) -> list[str]:
        """Wait for the web server, then return the onboarding steps left.

        The server starts once the web UI is set up, which comes after
        onboarding, so its first answer about onboarding is the right one.
        """

        async def attempt() -> list[str] | None:
            try:
                return await self.onboarding()
            except (aiohttp.ClientError, TimeoutError, HttpError):
                return None

        return await poll(attempt, STARTUP_TIMEOUT, f"Home Assistant at {self.url}")

    async def create_owner(self) -> None:
        """Create the owner account, the first step of onboarding, and log in."""
        result = await self.request(
            "POST",
            "/api/onboarding/users",
            json_body={"client_id": self.client_id, **self.owner},
            authenticated=False,
        )
        await self._fetch_token(result["auth_code"])

    async def log_in(self) -> None:
        """Log in as the owner, through the same login flow as the login page."""
        flow = await self.request(
            "POST",
            "/auth/login_flow",
            json_body={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.redirect_uri,
            },
            authenticated=False,
        )
        result = await self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json_body={
                "client_id": self.client_id,
                "username": self.owner["username"],
                "password": self.owner["password"],
            },
            authenticated=False,
        )
        if result.get("type") != "create_entry":
            raise SetupError(
                f"cannot log in as {self.owner['username']} / {self.owner['password']} "
                "(changed in the UI? script/develop --reset starts over)"
            )
        await self._fetch_token(result["result"])

    async def _fetch_token(self, code: str) -> None:
        """Trade an authorization code for an access token."""
        tokens = await self.request(
            "POST",
            "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
            authenticated=False,
        )
        self.token = tokens["access_token"]

    async def token_works(self, token: str) -> bool:
        """Return whether a saved token still opens the API, and if so use it."""
        previous, self.token = self.token, token
        try:
            await self.request("GET", "/api/")
        except HttpError:
            self.token = previous
            return False
        return True

    async def finish_onboarding_step(self, step: str) -> None:
        """Finish one of the onboarding steps that follow the owner account."""
        body: dict[str, str] = {}
        if step == "integration":
            body = {"client_id": self.client_id, "redirect_uri": self.redirect_uri}
        try:
            await self.request("POST", f"/api/onboarding/{step}", json_body=body)
        except HttpError as err:
            if err.status != 403:  # 403: the step is already done
                raise

    async def wait_until_running(self) -> None:
        """Wait until Home Assistant has set up its integrations."""

        async def attempt() -> bool | None:
            config = await self.request("GET", "/api/config")
            return True if config.get("state") == "RUNNING" else None

        await poll(attempt, STARTUP_TIMEOUT, "Home Assistant to finish starting")

    # The websocket API.

    async def connect(self) -> None:
        """Open the websocket API with the access token."""
        self._ws = await self.session.ws_connect(f"{self.url}/api/websocket")
        await self._ws.receive_json()  # auth_required
        await self._ws.send_json({"type": "auth", "access_token": self.token})
        answer = await self._ws.receive_json()
        if answer.get("type") != "auth_ok":
            raise SetupError(f"websocket API refused the token: {answer}")

    async def call(self, command: str, **data: Any) -> Any:
        """Send one websocket command and return its result."""
        if self._ws is None:
            raise SetupError("the websocket API is not connected")
        self._message_id += 1
        await self._ws.send_json({"id": self._message_id, "type": command, **data})
        while (answer := await self._ws.receive_json()).get("id") != self._message_id:
            pass  # not ours; nothing is subscribed to, but be safe
        if not answer.get("success"):
            raise SetupError(f"{command}: {answer.get('error', {}).get('message')}")
        return answer["result"]

    async def close(self) -> None:
        """Close the websocket, if open."""
        if self._ws is not None:
            await self._ws.close()


def read_token(path: Path) -> str:
    """Return the saved access token, or an empty string."""
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


def save_token(path: Path, token: str) -> None:
    """Save an access token where only its owner can read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(f"{token}\n", encoding="utf-8")


async def onboard(hass: HomeAssistant, token_file: Path) -> None:
    """Create the owner account and finish onboarding, or just log in."""
    steps = await hass.wait_until_answering()
    saved = read_token(token_file)
    if "user" in steps:
        log(f"onboarding: creating the owner account {hass.owner['username']}")
        await hass.create_owner()
    elif steps or not (saved and await hass.token_works(saved)):
        await hass.log_in()
    for step in steps:
        if step != "user":
            log(f"onboarding: finishing the {step} step")
            await hass.finish_onboarding_step(step)
    await hass.wait_until_running()
    await hass.connect()
    if hass.token != saved:
        token = await hass.call(
            "auth/long_lived_access_token", client_name="script/develop", lifespan=3650
        )
        save_token(token_file, token)


async def furnish(
    hass: HomeAssistant, rooms: Mapping[str, tuple[str, ...]] = ROOMS
) -> dict[str, str]:
    """Create the rooms and put demo devices that are in no area yet in them.

    Returns each room's area id.
    """
    areas = await hass.call("config/area_registry/list")
    area_ids = {area["name"].casefold(): area["area_id"] for area in areas}
    for room in rooms:
        if room.casefold() not in area_ids:
            log(f"creating the area {room}")
            area = await hass.call("config/area_registry/create", name=room)
            area_ids[room.casefold()] = area["area_id"]

    wanted = {entity_id for entity_ids in rooms.values() for entity_id in entity_ids}

    async def registered() -> dict[str, dict[str, Any]] | None:
        entries = await hass.call("config/entity_registry/list")
        found = {e["entity_id"]: e for e in entries if e["entity_id"] in wanted}
        return found if len(found) == len(wanted) else None

    try:
        entities = await poll(registered, SETTLE_TIMEOUT, "the demo entities")
    except SetupError:
        entries = await hass.call("config/entity_registry/list")
        entities = {e["entity_id"]: e for e in entries if e["entity_id"] in wanted}
        log(f"warning: no demo entities {', '.join(sorted(wanted - set(entities)))}")
    devices = {d["id"]: d for d in await hass.call("config/device_registry/list")}

    for room, entity_ids in rooms.items():
        area_id = area_ids[room.casefold()]
        for entity_id in entity_ids:
            if (entity := entities.get(entity_id)) is None:
                continue
            device = devices.get(entity.get("device_id") or "")
            if entity.get("area_id") or (device and device.get("area_id")):
                continue  # already placed, maybe by you: leave it there
            log(f"putting {entity_id} in the {room}")
            if device:
                await hass.call(
                    "config/device_registry/update",
                    device_id=device["id"],
                    area_id=area_id,
                )
                device["area_id"] = area_id
            else:
                await hass.call(
                    "config/entity_registry/update",
                    entity_id=entity_id,
                    area_id=area_id,
                )
    return {room: area_ids[room.casefold()] for room in rooms}


LOCAL_ONLY = ["127.0.0.1"]


def url_port(url: str) -> int:
    """Return the port of a URL."""
    return yarl.URL(url).port or 80


async def listen_locally(hass: HomeAssistant, port: int) -> bool:
    """Limit the web server to this machine, as Settings > System > Network does.

    Home Assistant applies a new network setting by restarting, on trial,
    and keeps it once it is confirmed. Returns whether it is restarting now.
    """
    config = await hass.call("http/config")
    stable, pending = config["stable"], config["pending"]
    wanted = {"server_host": LOCAL_ONLY, "server_port": port}
    if all(stable.get(key) == value for key, value in wanted.items()):
        return False
    if (
        pending is not None
        and config["active_config_type"] == "pending"
        and all(pending.get(key) == value for key, value in wanted.items())
    ):
        log("web server: keeping it to this machine (confirmed)")
        await hass.call("http/config/promote")
        return False
    log(f"web server: limiting it to this machine ({LOCAL_ONLY[0]}:{port}); restarting")
    result = await hass.call("http/config/configure", config=wanted)
    return bool(result.get("restart"))


def answer_form(
    result: Mapping[str, Any], given: Mapping[str, Any] = OS1_ANSWERS
) -> dict[str, Any]:
    """Fill a config flow form: the given answers, else each field's default."""
    answers: dict[str, Any] = {}
    for field in result.get("data_schema") or []:
        name = field["name"]
        suggested = (field.get("description") or {}).get("suggested_value")
        if field.get("type") == "expandable":  # A section of the form: its own fields.
            answers[name] = answer_form(
                {"data_schema": field["schema"], "step_id": result.get("step_id")},
                given.get(name, {}),
            )
        elif name in given:
            answers[name] = given[name]
        elif "default" in field:
            answers[name] = field["default"]
        elif suggested is not None:
            answers[name] = suggested
        elif field.get("required"):
            raise SetupError(
                f"OS1's setup form ({result.get('step_id')}) asks for {name!r}, "
                "which has no default: add an answer to OS1_ANSWERS in "
                "script/demo_home.py"
            )
    return answers


async def add_os1(hass: HomeAssistant) -> None:
    """Add the OS1 hub through its config flow, as the Add integration dialog does."""
    log("adding OS1 (Settings > Devices & services > Add integration > OS1)")
    await add_integration(hass, OS1_DOMAIN, OS1_ANSWERS)


async def add_mqtt(hass: HomeAssistant, port: int) -> None:
    """Connect Home Assistant's MQTT integration to the demo's broker."""
    if await hass.request("GET", "/api/config/config_entries/entry?domain=mqtt"):
        return
    log(f"adding MQTT (the demo's broker on port {port}) for OS1's satellites")
    await add_integration(
        hass,
        "mqtt",
        {
            "broker": "127.0.0.1",
            "port": port,
            # A plain local broker: no certificates.
            "other_settings": {"set_client_cert": False, "set_ca_cert": "off"},
        },
    )


async def add_integration(
    hass: HomeAssistant, handler: str, given: Mapping[str, Any]
) -> None:
    """Walk an integration's config flow with the given answers."""
    base = "/api/config/config_entries/flow"
    try:
        result = await hass.request(
            "POST",
            base,
            json_body={"handler": handler, "show_advanced_options": False},
        )
    except HttpError as err:
        raise SetupError(
            f"{handler}'s config flow did not start ({err.message}); "
            "Home Assistant's log says more"
        ) from err
    flow_id = result.get("flow_id")
    try:
        for _ in range(10):
            match result.get("type"):
                case "create_entry":
                    return
                case "abort":
                    raise SetupError(
                        f"{handler}'s setup aborted: {result.get('reason')}"
                    )
                case "form":
                    if result.get("errors"):
                        raise SetupError(
                            f"{handler}'s setup form ({result.get('step_id')}) "
                            f"refused the answers: {result['errors']}"
                        )
                    result = await hass.request(
                        "POST",
                        f"{base}/{flow_id}",
                        json_body=answer_form(result, given),
                    )
                case other:
                    raise SetupError(
                        f"{handler}'s setup stopped at a {other} step "
                        f"({result.get('step_id')}) the demo cannot answer"
                    )
        raise SetupError(f"{handler}'s setup asked too many questions")
    except HttpError as err:
        raise SetupError(
            f"{handler}'s setup failed ({err.message}); see the log"
        ) from err
    finally:
        if result.get("type") not in ("create_entry", "abort"):
            with contextlib.suppress(HttpError):
                await hass.request("DELETE", f"{base}/{flow_id}")


async def os1_agent(hass: HomeAssistant) -> str:
    """Make sure OS1 is added and loaded; return its conversation agent ID."""
    path = f"/api/config/config_entries/entry?domain={OS1_DOMAIN}"
    if not [e for e in await hass.request("GET", path) if e.get("source") != "ignore"]:
        await add_os1(hass)

    async def settled() -> dict[str, Any] | None:
        entries: list[dict[str, Any]] = await hass.request("GET", path)
        # Ignored satellites are entries of OS1 too; the hub is the other one.
        hubs = [entry for entry in entries if entry.get("source") != "ignore"]
        if hubs and hubs[0]["state"] not in ("not_loaded", "setup_in_progress"):
            return hubs[0]
        return None

    entry = await poll(settled, SETTLE_TIMEOUT, "OS1 to load")
    if entry.get("disabled_by"):
        raise SetupError("OS1 is disabled (Settings > Devices & services > OS1)")
    if entry["state"] != "loaded":
        reason = f": {entry['reason']}" if entry.get("reason") else ""
        raise SetupError(f"OS1 is added but not loaded ({entry['state']}{reason})")

    async def agent() -> str | None:
        for item in await hass.call("config/entity_registry/list"):
            if item["platform"] == OS1_DOMAIN and item["entity_id"].startswith(
                "conversation."
            ):
                # Registered first, then added: an agent once it has a state.
                with contextlib.suppress(HttpError):
                    await hass.request("GET", f"/api/states/{item['entity_id']}")
                    return str(item["entity_id"])
                return None
        agents = (await hass.call("conversation/agent/list"))["agents"]
        if any(a["id"] == entry["entry_id"] for a in agents):
            return str(entry["entry_id"])
        return None

    return await poll(agent, SETTLE_TIMEOUT, "OS1's conversation agent")


PHONE_AREA_SENSOR = "sensor.os1_demo_phone_area"


async def follow_owner(
    hass: HomeAssistant, ble_sensors: tuple[str, ...] = (PHONE_AREA_SENSOR,)
) -> None:
    """Have OS1 follow the owner, as "Follow a person" in OS1's entry does."""
    path = f"/api/config/config_entries/entry?domain={OS1_DOMAIN}"
    hubs = [e for e in await hass.request("GET", path) if e.get("source") != "ignore"]
    if not hubs:
        return
    entry_id = hubs[0]["entry_id"]
    subentries = await hass.call("config_entries/subentries/list", entry_id=entry_id)
    if any(subentry["subentry_type"] == "person" for subentry in subentries):
        return  # Already following someone (maybe you changed it): leave it.
    states = await hass.request("GET", "/api/states")
    people = [s["entity_id"] for s in states if s["entity_id"].startswith("person.")]
    if not people:
        log("warning: no person to follow (the owner's person is missing)")
        return
    log(f"OS1 follows {people[0]} (OS1 > Follow a person)")
    base = "/api/config/config_entries/subentries/flow"
    result = await hass.request(
        "POST", base, json_body={"handler": [entry_id, "person"]}
    )
    result = await hass.request(
        "POST",
        f"{base}/{result['flow_id']}",
        json_body={
            "person": people[0],
            "ble_sensors": list(ble_sensors),
            "follow_music": True,
        },
    )
    if result.get("type") != "create_entry":
        raise SetupError(f"following {people[0]} failed: {result}")


async def talk_to_os1(hass: HomeAssistant, agent_id: str) -> None:
    """Make OS1 the agent of the preferred Assist pipeline, with the offline voice.

    Once OS1 is the agent, the pipeline is yours: later starts leave it.
    """
    preferred = await preferred_pipeline(hass)
    if preferred["conversation_engine"] != agent_id:
        await update_pipeline(
            hass, preferred, conversation_engine=agent_id, **OFFLINE_VOICE
        )


OFFLINE_VOICE = {
    "language": "en",
    "conversation_language": "en",
    "stt_engine": "stt.pocketsphinx",
    "stt_language": "en",
    "tts_engine": "tts.espeak_ng",
    "tts_language": "en",
    "tts_voice": None,
    "wake_word_entity": "wake_word.openwakeword",
    "wake_word_id": "hey_jarvis",
}
"""The pipeline's engines: the offline voice (script/offline_voice)."""


async def add_offline_voice(hass: HomeAssistant) -> None:
    """Add the offline voice engines (script/offline_voice), if not added yet."""
    path = "/api/config/config_entries/entry?domain=offline_voice"
    if await hass.request("GET", path):
        return
    log("adding the offline voice (pocketsphinx, openWakeWord, espeak-ng)")
    await add_integration(hass, "offline_voice", {})


async def preferred_pipeline(hass: HomeAssistant) -> dict[str, Any]:
    """Return the preferred Assist pipeline."""
    pipelines = await hass.call("assist_pipeline/pipeline/list")
    for pipeline in pipelines["pipelines"]:
        if pipeline["id"] == pipelines["preferred_pipeline"]:
            return dict(pipeline)
    raise SetupError("there is no preferred Assist pipeline")


async def update_pipeline(
    hass: HomeAssistant, pipeline: Mapping[str, Any], **changes: Any
) -> None:
    """Change some fields of a pipeline."""
    log(f"Assist pipeline {pipeline['name']!r}: {', '.join(sorted(changes))}")
    fields = {key: pipeline[key] for key in PIPELINE_FIELDS if key in pipeline}
    await hass.call(
        "assist_pipeline/pipeline/update",
        pipeline_id=pipeline["id"],
        **{**fields, **changes},
    )


async def main() -> int:
    """Set up the demo home and report how to use it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8123")
    parser.add_argument("--token-file", type=Path, default=Path(".develop/token"))
    parser.add_argument(
        "--mqtt-port",
        type=int,
        default=int(os.environ.get("OS1_DEVELOP_MQTT_PORT", "1884")),
    )
    args = parser.parse_args()

    # The system's resolver, rather than aiodns, which aiohttp picks if installed.
    connector = aiohttp.TCPConnector(resolver=aiohttp.ThreadedResolver())
    async with aiohttp.ClientSession(
        connector=connector, timeout=REQUEST_TIMEOUT
    ) as session:
        hass = HomeAssistant(session, args.url)
        try:
            await onboard(hass, args.token_file)
            if await listen_locally(hass, url_port(args.url)):
                await hass.close()
                return 0  # Set up again once Home Assistant is back.
            await furnish(hass)
            await add_mqtt(hass, args.mqtt_port)
            await add_offline_voice(hass)
        except (SetupError, aiohttp.ClientError, TimeoutError) as err:
            log(f"the demo home could not be set up: {err}")
            await hass.close()
            return 1
        try:
            await talk_to_os1(hass, await os1_agent(hass))
            await follow_owner(hass)
            os1_problem = None
        except (SetupError, aiohttp.ClientError, TimeoutError) as err:
            os1_problem = str(err)
        finally:
            await hass.close()

    print(
        f"==> The OS1 demo home is ready: {args.url}\n"
        f"    Login: {OWNER['username']} / {OWNER['password']}",
        flush=True,
    )
    if os1_problem is None:
        print(
            "    Talk to OS1: open Assist (the speech bubble at the top right of the\n"
            '    Overview, or press "a") and type "turn on the kitchen lights".\n'
            "    A kitchen satellite is waiting in Settings > Devices & services >\n"
            "    Discovered: adopt it into the Kitchen, then speak through it with\n"
            '      echo "turn off the lights" >> .develop/kitchen-satellite.txt\n'
            "    and read its answers in .develop/kitchen-satellite.log.\n"
            '    Follow me: change "Where my phone is" on the Overview and watch your\n'
            "    Room sensor (Settings > Devices > OS1 Demo) follow you.\n"
            f"    API token for curl: {args.token_file}",
            flush=True,
        )
        return 0
    print(
        f"    But OS1 is not set up: {os1_problem}.\n"
        "    Home Assistant keeps running. Once OS1 is fixed, restart Home Assistant\n"
        "    (Settings > System > Restart) and this set-up runs again.",
        flush=True,
    )
    return 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
