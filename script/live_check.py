"""Check OS1 in a real Home Assistant process of the current release.

No released test harness supports the current Home Assistant yet, so this runs
what a user runs: `hass` (from .venv-develop) with OS1, Home Assistant's MQTT
integration on a real mosquitto, the offline voice engines (script/offline_voice:
pocketsphinx, openWakeWord, espeak-ng) and the demo's lights in three rooms, all
set up through Home Assistant's own APIs as in the web UI. Then, as a user would:

1. typed, as the owner: "turn off the kitchen lights";
2. OS1's reference satellite (os1-satellite over MQTT, openWakeWord on the
   satellite) in the kitchen hears "hey jarvis ... turn on the lights": the
   kitchen light goes on and the answer is spoken back to it;
3. the real wyoming-satellite in the bedroom (Home Assistant listens for the
   wake word) hears "hey jarvis ... turn on the lights": the bedroom light goes
   on and the answer is played on it;
4. a conversation carried from the owner's typed request to a satellite in the
   living room and on: every turn is answered (a conversation belongs to the
   user who started it; no turn may be refused);
5. Home Assistant's log has no error or deprecation warning from OS1.

    .venv-develop/bin/python script/live_check.py [--keep]

Prints each step with its time; exits 1 on the first failure, keeping the
working folder (Home Assistant's and the satellites' logs) and printing where.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
import os
from pathlib import Path
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from typing import Any
import wave

import aiohttp
import paho.mqtt.client as mqtt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from demo_home import (  # noqa: E402
    HomeAssistant,
    SetupError,
    add_mqtt,
    add_offline_voice,
    follow_owner,
    furnish,
    onboard,
    os1_agent,
    poll,
    preferred_pipeline,
    talk_to_os1,
)

from script.offline_voice.voice import speak  # noqa: E402
from tests.broker import Mosquitto, free_port  # noqa: E402

VENV = Path(sys.executable).parent
SATELLITE_PYTHON = ROOT / ".cache" / "wyoming-satellite-1.0.0" / "bin" / "python"
MICROPHONE = ROOT / "script" / "offline_voice" / "microphone.py"
ROOMS: dict[str, tuple[str, ...]] = {
    "Kitchen": ("light.kitchen_lights",),
    "Living Room": ("light.living_room_rgbww_lights", "light.ceiling_lights"),
    "Bedroom": ("light.bed_light",),
}
STEP_TIMEOUT = 60.0
CONFIGURATION = """\
homeassistant:
  name: OS1 check
  unit_system: metric
  time_zone: UTC
  latitude: 34.0522
  longitude: -118.2437
  elevation: 89
  country: US
  currency: USD
frontend:
config:
conversation:
assist_pipeline:
demo:
logger:
  default: warning
  logs:
    custom_components.os1: debug
    homeassistant.components.assist_pipeline: debug
"""


def log(message: str) -> None:
    """Print one line of progress."""
    print(f"==> {message}", flush=True)


class CheckFailed(Exception):
    """A step of the check did not do what a user expects."""


async def until[T](
    attempt: Callable[[], Awaitable[T | None]], what: str, seconds: float = STEP_TIMEOUT
) -> T:
    """Wait for something, or fail saying what."""
    try:
        return await poll(attempt, seconds, what)
    except SetupError as err:
        raise CheckFailed(str(err)) from err


class LiveHome:
    """A running Home Assistant with OS1, its broker and its satellites."""

    def __init__(self, workdir: Path) -> None:
        """Work in this folder."""
        self.workdir = workdir
        self.config = workdir / "config"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.broker = Mosquitto(workdir)
        self.processes: list[asyncio.subprocess.Process] = []
        self.hass_process: asyncio.subprocess.Process | None = None
        self.api: HomeAssistant
        self.area_ids: dict[str, str] = {}
        self.agent_id = ""

    @property
    def log_file(self) -> Path:
        """Return Home Assistant's log."""
        return self.config / "home-assistant.log"

    def write_config(self) -> None:
        """Write a fresh configuration with OS1 and the offline voice in it."""
        components = self.config / "custom_components"
        components.mkdir(parents=True)
        (components / "os1").symlink_to(ROOT / "custom_components" / "os1")
        (components / "offline_voice").symlink_to(ROOT / "script" / "offline_voice")
        (self.config / "configuration.yaml").write_text(CONFIGURATION)
        # The location is set above: onboarding's location step is done (it
        # would add integrations that need the internet).
        storage = self.config / ".storage"
        storage.mkdir()
        (storage / "onboarding").write_text(
            '{"version": 4, "minor_version": 1, "key": "onboarding",'
            ' "data": {"done": ["core_config"]}}'
        )

    async def start(self) -> None:
        """Start the broker and Home Assistant."""
        self.broker.start()
        self.write_config()
        self.hass_process = await asyncio.create_subprocess_exec(
            str(VENV / "hass"),
            *("--config", str(self.config), "--skip-pip"),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=(self.workdir / "hass.out").open("wb"),
            stderr=asyncio.subprocess.STDOUT,
            # A fresh configuration's web server port.
            env={**os.environ, "SETUP_PORT": str(self.port)},
        )

    async def stop(self) -> None:
        """Stop the satellites, Home Assistant and the broker."""
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        for process in self.processes:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(10):
                    await process.wait()
        if self.hass_process is not None and self.hass_process.returncode is None:
            self.hass_process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(60):
                    await self.hass_process.wait()
            except TimeoutError:
                self.hass_process.kill()
        self.broker.stop()

    async def spawn(
        self, name: str, *command: str, **kwargs: Any
    ) -> asyncio.subprocess.Process:
        """Start a satellite, logging to its own file."""
        process = await asyncio.create_subprocess_exec(
            *command,
            stderr=(self.workdir / f"{name}.log").open("wb"),
            **kwargs,
        )
        self.processes.append(process)
        return process

    # Home Assistant's state, through its API.

    async def state(self, entity_id: str) -> str | None:
        """Return an entity's state."""
        try:
            state = await self.api.request("GET", f"/api/states/{entity_id}")
        except SetupError:
            return None
        return str(state["state"])

    async def wait_state(
        self, entity_id: str, wanted: str, what: str, seconds: float = STEP_TIMEOUT
    ) -> None:
        """Wait until an entity has a state."""

        async def attempt() -> bool | None:
            return True if await self.state(entity_id) == wanted else None

        await until(attempt, what, seconds)

    async def converse(self, text: str, conversation_id: str | None) -> dict[str, Any]:
        """Type a request as the owner, as the Assist dialog does."""
        result: dict[str, Any] = await self.api.call(
            "conversation/process",
            text=text,
            language="en",
            agent_id=self.agent_id,
            conversation_id=conversation_id,
        )
        return result

    async def satellite_entity(self, site: str) -> str:
        """Return a satellite's Assist satellite entity once it is registered."""

        async def attempt() -> str | None:
            for entry in await self.api.call("config/entity_registry/list"):
                if entry["unique_id"] == f"{site}-assist_satellite":
                    return str(entry["entity_id"])
            return None

        return await until(attempt, f"the {site} satellite's entity")


async def set_up(home: LiveHome) -> None:
    """Onboard, furnish the home and add MQTT, the offline voice and OS1."""
    await home.api.wait_until_answering()
    await onboard(home.api, home.workdir / "token")
    home.area_ids = await furnish(home.api, ROOMS)
    await add_mqtt(home.api, home.broker.port)
    await add_offline_voice(home.api)
    home.agent_id = await os1_agent(home.api)
    await talk_to_os1(home.api, home.agent_id)
    pipeline = await preferred_pipeline(home.api)
    if pipeline["stt_engine"] != "stt.pocketsphinx":
        raise CheckFailed(f"the pipeline kept its speech engine: {pipeline}")
    await follow_owner(home.api, ble_sensors=())
    await os1_ready(home)


async def os1_ready(home: LiveHome) -> None:
    """Wait until OS1 is loaded and its agent answers (adding a subentry reloads it)."""

    async def ready() -> bool | None:
        entries = await home.api.request(
            "GET", "/api/config/config_entries/entry?domain=os1"
        )
        if not any(e["state"] == "loaded" for e in entries if e["source"] != "ignore"):
            return None
        agents = (await home.api.call("conversation/agent/list"))["agents"]
        return True if any(a["id"] == home.agent_id for a in agents) else None

    await until(ready, "OS1 to be loaded")


async def typed_request(home: LiveHome) -> None:
    """Type a request as the owner: OS1 answers it and the light goes off."""
    result = await home.converse("turn off the kitchen lights", None)
    speech = result["response"]["speech"]["plain"]["speech"]
    if speech != "Okay, the kitchen light is off.":
        raise CheckFailed(f"OS1 answered {speech!r}")
    await home.wait_state("light.kitchen_lights", "off", "the kitchen light off")


async def adopt_mqtt(home: LiveHome, site: str, room: str) -> str:
    """Adopt a discovered MQTT satellite into a room, as the Discovered card does."""

    async def discovered() -> str | None:
        for flow in await home.api.call("config_entries/flow/progress"):
            if (
                flow["handler"] == "os1"
                and flow.get("context", {}).get("unique_id") == f"satellite-{site}"
            ):
                return str(flow["flow_id"])
        return None

    flow_id = await until(discovered, f"the {site} satellite to be discovered")
    result = await home.api.request(
        "POST",
        f"/api/config/config_entries/flow/{flow_id}",
        json_body={"name": f"{room} satellite", "area": home.area_ids[room]},
    )
    if result.get("reason") != "satellite_adopted":
        raise CheckFailed(f"adopting {site} ended with {result}")
    entity_id = await home.satellite_entity(site)
    await home.wait_state(entity_id, "idle", f"{entity_id} to be online")
    await os1_ready(home)
    await listening_to(home, site)
    return entity_id


async def listening_to(home: LiveHome, site: str) -> None:
    """Wait until OS1 hears the site again after the reload its adoption caused.

    Home Assistant's MQTT client sends new subscriptions in batches, a moment
    after they are made; a malformed wake message gets OS1's error reply
    (the protocol's answer to bad payloads) once it listens.
    """
    replies: asyncio.Queue[bytes] = asyncio.Queue()
    loop = asyncio.get_running_loop()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.on_message = lambda _c, _u, message: loop.call_soon_threadsafe(
        replies.put_nowait, message.payload
    )
    client.connect(home.broker.host, home.broker.port)
    client.loop_start()
    try:
        client.subscribe(f"os1/{site}/error", qos=1)
        deadline = loop.time() + STEP_TIMEOUT
        while loop.time() < deadline:
            client.publish(f"os1/{site}/wake", b"not json", qos=1)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.5):
                    await replies.get()
                    return
        raise CheckFailed(f"OS1 does not listen to the {site} satellite")
    finally:
        client.disconnect()
        client.loop_stop()


def wav_seconds(path: Path) -> float:
    """Return how long a WAV file plays (0 when it is missing)."""
    if not path.exists():
        return 0.0
    with contextlib.suppress(wave.Error, EOFError), wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()
    return 0.0


def stand_in_microphone(home: LiveHome, room: str, request: str) -> tuple[str, Path]:
    """Record "hey jarvis" and a request; return the microphone command and its go file.

    The microphone is silent until the go file exists, then plays the recording.
    """
    speech, go = home.workdir / f"{room}-speech.raw", home.workdir / f"{room}-go"
    speech.write_bytes(
        speak("hey jarvis", home.workdir / "wake")
        + speak(request, home.workdir / f"{room}-request")
        + bytes(16000 * 2 * 3)
    )
    return f"{sys.executable} {MICROPHONE} {speech} {go}", go


SAY_ATTEMPTS = 3
HEARD = re.compile(r"speech-to-text result SpeechResult\(text='([^']*)'")


async def say(home: LiveHome, go: Path, light: str, wanted: str) -> None:
    """Speak the request until the light does what it asks (three times at most).

    pocketsphinx, with espeak-ng's voice, sometimes mishears a word when the
    machine is busy (the audio reaches the end-of-speech detection late): as a
    user would, say it again.
    """
    for attempt in range(1, SAY_ATTEMPTS + 1):
        await asyncio.to_thread(go.touch)
        try:
            await home.wait_state(light, wanted, f"{light} {wanted}", seconds=30)
        except CheckFailed:
            text = await asyncio.to_thread(home.log_file.read_text, errors="replace")
            heard = HEARD.findall(text)
            log(f"  attempt {attempt}: heard {heard[-1] if heard else 'nothing'!r}")
            if attempt == SAY_ATTEMPTS:
                raise
        else:
            return


async def mqtt_spoken_request(home: LiveHome) -> None:
    """Speak to OS1's reference satellite in the kitchen; hear the answer."""
    # pocketsphinx hears espeak-ng's "turn on" surely, its "turn off" not
    # always ("turn all the light").
    microphone, go = stand_in_microphone(home, "kitchen", "turn on the lights")
    answer = home.workdir / "kitchen-answer.wav"
    await home.spawn(
        "kitchen-satellite",
        str(VENV / "os1-satellite"),
        *("--site", "kitchen", "--name", "Kitchen satellite", "--area", "Kitchen"),
        *("--host", home.broker.host, "--port", str(home.broker.port)),
        *("--mic-command", microphone),
        *("--snd-file", str(answer)),
        stdout=asyncio.subprocess.DEVNULL,
    )
    entity_id = await adopt_mqtt(home, "kitchen", "Kitchen")
    await say(home, go, "light.kitchen_lights", "on")

    async def spoken() -> float | None:
        seconds = wav_seconds(answer)
        return seconds if seconds > 0.5 else None

    seconds = await until(spoken, "the answer spoken on the kitchen satellite")
    await home.wait_state(entity_id, "idle", "the kitchen satellite idle again")
    log(f"  the kitchen satellite said {seconds:.1f} s of speech")


async def wyoming_spoken_request(home: LiveHome) -> None:
    """Speak to the real wyoming-satellite in the bedroom; hear the answer."""
    if not SATELLITE_PYTHON.exists():
        raise CheckFailed("wyoming-satellite is missing: run script/setup")
    microphone, go = stand_in_microphone(home, "bedroom", "turn on the lights")
    played = home.workdir / "bedroom-played.raw"
    port = free_port()
    await home.spawn(
        "bedroom-satellite",
        str(SATELLITE_PYTHON),
        *("-m", "wyoming_satellite", "--uri", f"tcp://127.0.0.1:{port}"),
        *("--name", "Bedroom satellite", "--area", "Bedroom"),
        *("--mic-command", microphone),
        *("--snd-command", f"sh -c 'cat >> {played}'"),
        "--no-zeroconf",
        stdout=asyncio.subprocess.DEVNULL,
    )

    async def listening() -> bool | None:
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return True
        return None

    await until(listening, "wyoming-satellite to listen")
    entry = await hub(home)
    base = "/api/config/config_entries/subentries/flow"
    result = await home.api.request(
        "POST", base, json_body={"handler": [entry, "wyoming_satellite"]}
    )
    result = await home.api.request(
        "POST",
        f"{base}/{result['flow_id']}",
        json_body={
            "host": "127.0.0.1",
            "port": port,
            "area": home.area_ids["Bedroom"],
        },
    )
    if result.get("type") != "create_entry":
        raise CheckFailed(f"adding the Wyoming satellite ended with {result}")
    entity_id = await home.satellite_entity(f"wyoming-127_0_0_1-{port}")
    await home.wait_state(entity_id, "idle", f"{entity_id} to be connected")
    await os1_ready(home)
    await say(home, go, "light.bed_light", "on")

    async def spoken() -> float | None:
        seconds = played.stat().st_size / 44100 if played.exists() else 0.0
        return seconds if seconds > 0.5 else None

    seconds = await until(spoken, "the answer played on wyoming-satellite")
    await home.wait_state(entity_id, "idle", "the bedroom satellite idle again")
    log(f"  wyoming-satellite played about {seconds:.1f} s of speech")


async def hub(home: LiveHome) -> str:
    """Return OS1's hub entry id."""
    entries = await home.api.request(
        "GET", "/api/config/config_entries/entry?domain=os1"
    )
    return next(e["entry_id"] for e in entries if e.get("source") != "ignore")


class TextSatellite:
    """OS1's reference satellite in text mode: type a line, read the answer."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        """Talk to a running `os1-satellite --text`."""
        self.process = process

    async def say(self, text: str) -> str:
        """Type a request; return OS1's answer."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(f"{text}\n".encode())
        await self.process.stdin.drain()
        try:
            async with asyncio.timeout(STEP_TIMEOUT):
                line = await self.process.stdout.readline()
        except TimeoutError as err:
            raise CheckFailed(f"no answer to {text!r} at the satellite") from err
        return line.decode().strip()


async def conversation_across_users(home: LiveHome) -> None:
    """Typed by the owner, carried on by a satellite: no turn is refused."""
    process = await home.spawn(
        "living-room-satellite",
        str(VENV / "os1-satellite"),
        *("--site", "living_room", "--name", "Living Room satellite", "--text"),
        *("--host", home.broker.host, "--port", str(home.broker.port)),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    await adopt_mqtt(home, "living_room", "Living Room")
    satellite = TextSatellite(process)

    asked = await home.converse("remind me to call mom", None)
    speech = asked["response"]["speech"]["plain"]["speech"]
    if speech != "When should I remind you to call mom?":
        raise CheckFailed(f"OS1 answered the owner {speech!r}")
    # The owner is the one person home: the satellite's voice is theirs, and
    # their conversation goes on there.
    answer = await satellite.say("in 20 minutes")
    if answer != "Okay, I'll remind you to call mom in 20 minutes.":
        raise CheckFailed(f"the satellite was answered {answer!r}")
    answer = await satellite.say("what are my reminders")
    if "call mom" not in answer:
        raise CheckFailed(f"the satellite's next turn was answered {answer!r}")
    again = await home.converse("what are my reminders", asked["conversation_id"])
    speech = again["response"]["speech"]["plain"]["speech"]
    if "call mom" not in speech:
        raise CheckFailed(f"the owner's next turn was answered {speech!r}")


OS1_TROUBLE = re.compile(
    r"(ERROR|CRITICAL).*(custom_components[./]os1|\bos1\b)"
    r"|(deprecat|Detected code that).*(custom_components[./]os1|\bos1\b)",
    re.IGNORECASE,
)


def os1_trouble(log_text: str) -> list[str]:
    """Return the log's errors and deprecation warnings that concern OS1."""
    found = []
    lines = log_text.splitlines()
    for index, line in enumerate(lines):
        if OS1_TROUBLE.search(line):
            found.append(line)
        elif line.startswith("Traceback") and any(
            "custom_components/os1" in later for later in lines[index : index + 40]
        ):
            found.append("\n".join(lines[index : index + 40]))
    return found


async def clean_log(home: LiveHome) -> None:
    """Home Assistant's log has no error or deprecation warning from OS1."""
    await asyncio.sleep(1)  # Let the last lines be written.
    text = home.log_file.read_text(errors="replace") if home.log_file.exists() else ""
    if trouble := os1_trouble(text):
        raise CheckFailed("Home Assistant's log:\n" + "\n".join(trouble[:10]))


STEPS: tuple[tuple[str, Callable[[LiveHome], Awaitable[None]]], ...] = (
    ("a typed request, as the owner", typed_request),
    ("a spoken request at OS1's MQTT satellite", mqtt_spoken_request),
    ("a spoken request at wyoming-satellite", wyoming_spoken_request),
    ("a conversation carried across users", conversation_across_users),
    ("Home Assistant's log", clean_log),
)


@contextlib.asynccontextmanager
async def running(workdir: Path) -> AsyncIterator[LiveHome]:
    """Run Home Assistant with OS1, and stop everything afterwards."""
    home = LiveHome(workdir)
    connector = aiohttp.TCPConnector(resolver=aiohttp.ThreadedResolver())
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=60)
    ) as session:
        home.api = HomeAssistant(
            session,
            home.url,
            {
                "name": "OS1 Check",
                "username": "os1",
                "password": secrets.token_urlsafe(16),
                "language": "en",
            },
        )
        try:
            await home.start()
            yield home
        finally:
            await home.api.close()
            await home.stop()


async def check(workdir: Path) -> bool:
    """Run every step; return whether all passed."""
    started = time.monotonic()
    async with running(workdir) as home:
        try:
            await set_up(home)
            config = await home.api.request("GET", "/api/config")
            log(
                f"Home Assistant {config['version']} with OS1 is up "
                f"({time.monotonic() - started:.0f} s)"
            )
            for title, step in STEPS:
                begun = time.monotonic()
                await step(home)
                log(f"ok: {title} ({time.monotonic() - begun:.1f} s)")
        except (CheckFailed, SetupError, aiohttp.ClientError, TimeoutError) as err:
            log(f"FAILED: {err}")
            return False
    log(f"the live check passed ({time.monotonic() - started:.0f} s)")
    return True


def main() -> int:
    """Run the check in a fresh folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep", action="store_true", help="keep the working folder after a pass"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="os1-live-check-"))
    passed = asyncio.run(check(workdir))
    if passed and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        log(f"logs: {workdir} (home-assistant.log under config/)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
