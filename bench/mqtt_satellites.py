"""Stream audio from 10, 50 and 100 MQTT satellites at once into Home Assistant.

A real mosquitto broker, a real Home Assistant core in this process (MQTT
integration, demo lights, OS1 with the satellites adopted) and simulated
satellites in another process, each with its own MQTT connection. Every
satellite wakes up and streams 3 s of audio at real time, all at once, into its
Assist pipeline (speech to text: a counting engine that takes the whole stream,
then OS1's agent). Printed per size:

- Home Assistant's CPU per satellite, in ms per second of audio, and the broker's;
- chunks dropped between the satellite and the pipeline;
- latency from the satellite's last chunk to the end of speech to text (the
  pipeline moving on to the agent), and from its audio/start to the pipeline run.

The baseline, in the same run: the same number of streams fed straight into
Home Assistant's own pipeline API (`async_pipeline_from_audio_stream`, what the
Wyoming and ESPHome integrations call), with the same engines: the floor that
any transport adds to. Then the reference satellite's wake word CPU.

    .venv/bin/python bench/mqtt_satellites.py [--sizes 10 50 100] [--seconds 3]
"""

from __future__ import annotations

import argparse
import asyncio
from collections import defaultdict
from collections.abc import AsyncIterable, AsyncIterator
import json
from pathlib import Path
import resource
import statistics
import sys
import tempfile
import time
from types import MappingProxyType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homeassistant import loader  # noqa: E402
from homeassistant.components import stt  # noqa: E402
from homeassistant.components.assist_pipeline import (  # noqa: E402
    PipelineEvent,
    PipelineEventType,
    PipelineStage,
    async_get_pipeline,
    async_pipeline_from_audio_stream,
    async_update_pipeline,
)
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigSubentry  # noqa: E402
from homeassistant.const import CONF_NAME, Platform  # noqa: E402
from homeassistant.core import Context, HomeAssistant  # noqa: E402
from homeassistant.helpers import device_registry as dr, entity_registry as er  # noqa: E402
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback  # noqa: E402
from homeassistant.setup import async_setup_component  # noqa: E402
from pytest_homeassistant_custom_component.common import (  # noqa: E402
    MockConfigEntry,
    MockModule,
    MockPlatform,
    async_test_home_assistant,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.os1 import assist_satellite, mqtt_satellites  # noqa: E402
from custom_components.os1.const import SUBENTRY_SATELLITE  # noqa: E402
from custom_components.os1.protocol import SatelliteConfig  # noqa: E402
from tests.broker import Mosquitto  # noqa: E402
from tests.satellites import subscribed, until  # noqa: E402
from tests.sphinx import PocketsphinxSpeechToText, speak  # noqa: E402

CHUNK_SECONDS = 0.08
CHUNK = bytes(int(16000 * CHUNK_SECONDS) * 2)
EVENTS: dict[str, dict[str, float]] = defaultdict(dict)
"""Pipeline event times (wall clock) by run owner and event type."""


class CountingSpeechToText(PocketsphinxSpeechToText):
    """Takes the whole stream, then "hears" a light command."""

    _attr_name = "Bench"
    _attr_unique_id = "bench"

    async def async_process_audio_stream(
        self, metadata: stt.SpeechMetadata, stream: AsyncIterable[bytes]
    ) -> stt.SpeechResult:
        """Read everything, like a real engine must."""
        async for _chunk in stream:
            pass
        return stt.SpeechResult("turn on the lights", stt.SpeechResultState.SUCCESS)


def cpu_seconds() -> float:
    """Return this process's CPU time, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pid: int) -> float:
    """Return another process's CPU time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


def record(owner: str, event: PipelineEvent) -> None:
    """Note when a pipeline event happened."""
    EVENTS[owner].setdefault(str(event.type), time.time())


def pct(values: list[float], q: float) -> float:
    """Return a percentile (q in 0..100)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100)[int(q) - 1]


async def build(hass: HomeAssistant, broker: Mosquitto) -> MockConfigEntry:
    """Set up MQTT, the bench speech engine and OS1 as the pipeline's agent."""
    hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
    assert await async_setup_component(hass, "homeassistant", {})
    demo = MockConfigEntry(domain="demo")
    demo.add_to_hass(hass)
    assert await hass.config_entries.async_setup(demo.entry_id)
    mqtt = MockConfigEntry(
        domain="mqtt", data={"broker": broker.host, "port": broker.port}
    )
    mqtt.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mqtt.entry_id)

    async def setup_stt(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, [Platform.STT])
        return True

    async def add_stt(
        hass: HomeAssistant,
        entry: ConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        async_add_entities([CountingSpeechToText(Path())])

    mock_integration(hass, MockModule("bench", async_setup_entry=setup_stt))
    mock_platform(hass, "bench.config_flow")
    mock_platform(hass, "bench.stt", MockPlatform(async_setup_entry=add_stt))
    bench = MockConfigEntry(domain="bench")
    bench.add_to_hass(hass)
    assert await hass.config_entries.async_setup(bench.entry_id)
    os1 = MockConfigEntry(domain="os1", title="Samantha", data={CONF_NAME: "Samantha"})
    os1.add_to_hass(hass)
    assert await hass.config_entries.async_setup(os1.entry_id)
    await hass.async_block_till_done()
    agent = er.async_get(hass).async_get_entity_id("conversation", "os1", os1.entry_id)
    assert agent is not None
    await async_update_pipeline(
        hass,
        async_get_pipeline(hass),
        conversation_engine=agent,
        conversation_language="en",
        stt_engine="stt.bench",
        stt_language="en",
    )
    return os1


async def adopt_all(hass: HomeAssistant, os1: MockConfigEntry, count: int) -> None:
    """Adopt `count` satellites at once (one reload) and wait until they are online."""
    await hass.config_entries.async_unload(os1.entry_id)
    for subentry_id in list(os1.subentries):
        hass.config_entries.async_remove_subentry(os1, subentry_id)
    for index in range(count):
        site = f"bench{index:03d}"
        config = SatelliteConfig(name=f"Bench {index}", audio_out=False)
        hass.config_entries.async_add_subentry(
            os1,
            ConfigSubentry(
                data=MappingProxyType(
                    {"site": site, "config": config.as_dict(), "area_id": None}
                ),
                subentry_type=SUBENTRY_SATELLITE,
                title=config.name,
                unique_id=site,
            ),
        )
    await hass.config_entries.async_setup(os1.entry_id)
    await hass.async_block_till_done()
    connections = list(os1.runtime_data.satellites.values())
    await until(lambda: all(c.available for c in connections), "satellites online", 60)
    await subscribed(hass)


async def over_mqtt(
    hass: HomeAssistant,
    os1: MockConfigEntry,
    broker: Mosquitto,
    count: int,
    seconds: float,
) -> dict[str, Any]:
    """Stream from `count` simulated satellites at once; return the figures."""
    sim = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bench" / "satellite_sim.py"),
        f"--port={broker.port}",
        f"--count={count}",
        f"--seconds={seconds}",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert sim.stdin is not None
    assert sim.stdout is not None
    try:
        assert (await sim.stdout.readline()).strip() == b"ready"
        await adopt_all(hass, os1, count)
        EVENTS.clear()
        cpu, broker_cpu = cpu_seconds(), process_cpu(broker.pid)
        sim.stdin.write(b"go\n")
        sent = json.loads(await sim.stdout.readline())
        await until(
            lambda: (
                sum(str(PipelineEventType.RUN_END) in e for e in EVENTS.values())
                >= count
            ),
            "every pipeline to end",
            60,
        )
        cpu, broker_cpu = cpu_seconds() - cpu, process_cpu(broker.pid) - broker_cpu
        received = {
            c.site: c.stats["chunks"] for c in os1.runtime_data.satellites.values()
        }
        sim.stdin.write(b"bye\n")
    finally:
        async with asyncio.timeout(30):
            await sim.wait()
    after_last, to_start, in_ha = [], [], []
    for site, figures in sent["satellites"].items():
        events = EVENTS[site]
        after_last.append(
            events[str(PipelineEventType.STT_END)] - figures["last_chunk"]
        )
        in_ha.append(events[str(PipelineEventType.STT_END)] - events["audio-stop"])
        to_start.append(events[str(PipelineEventType.RUN_START)] - figures["start"])
    chunks_sent = sum(f["chunks"] for f in sent["satellites"].values())
    return {
        "cpu": cpu * 1000 / count / seconds,
        "broker": broker_cpu * 1000 / count / seconds,
        "dropped": chunks_sent - sum(received.values()),
        "sent": chunks_sent,
        "after_last": after_last,
        "in_ha": in_ha,
        "to_start": to_start,
    }


async def direct(hass: HomeAssistant, count: int, seconds: float) -> dict[str, Any]:
    """Feed `count` streams straight into Home Assistant's pipeline API."""
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=hass.config_entries.async_entries("bench")[0].entry_id,
        identifiers={("bench", "direct")},
        name="Direct",
    )
    EVENTS.clear()
    last_chunk: dict[str, float] = {}
    start = time.monotonic() + 0.1

    async def audio(owner: str) -> AsyncIterator[bytes]:
        for number in range(int(seconds / CHUNK_SECONDS)):
            delay = start + number * CHUNK_SECONDS - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            yield CHUNK
        last_chunk[owner] = time.time()

    async def run_one(owner: str) -> None:
        await async_pipeline_from_audio_stream(
            hass,
            context=Context(),
            event_callback=lambda event: record(owner, event),
            stt_metadata=stt.SpeechMetadata(
                language="",
                format=stt.AudioFormats.WAV,
                codec=stt.AudioCodecs.PCM,
                bit_rate=stt.AudioBitRates.BITRATE_16,
                sample_rate=stt.AudioSampleRates.SAMPLERATE_16000,
                channel=stt.AudioChannels.CHANNEL_MONO,
            ),
            stt_stream=audio(owner),
            device_id=device.id,
            start_stage=PipelineStage.STT,
            end_stage=PipelineStage.INTENT,
        )

    cpu = cpu_seconds()
    await asyncio.gather(*(run_one(f"direct{index}") for index in range(count)))
    cpu = cpu_seconds() - cpu
    after_last = [
        EVENTS[owner][str(PipelineEventType.STT_END)] - last
        for owner, last in last_chunk.items()
    ]
    return {"cpu": cpu * 1000 / count / seconds, "after_last": after_last}


def wake_word_cost(repeats: int = 10) -> tuple[float, float, int]:
    """Run the reference satellite's detector over "hey jarvis" and silence.

    Returns CPU ms and wall ms per second of audio, and the detections.
    """
    from os1_satellite.wake import WakeWordDetector

    with tempfile.TemporaryDirectory() as tmp:
        spoken = speak("hey jarvis", Path(tmp) / "wake")
    audio = (spoken + bytes(2 * 32000)) * repeats
    seconds = len(audio) / 32000
    detector = WakeWordDetector("hey_jarvis")
    detector.process(bytes(2560))  # Load and warm up the models.
    cpu, wall, hits = time.process_time(), time.perf_counter(), 0
    for offset in range(0, len(audio), 2560):
        if detector.process(audio[offset : offset + 2560].ljust(2560, b"\0")):
            hits += 1
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1000 / seconds, wall * 1000 / seconds, hits


async def run(sizes: list[int], seconds: float) -> None:
    """Run every size and print the table."""
    # Record the pipeline events of OS1's satellites (wall clock, by site).
    original = assist_satellite.Os1AssistSatellite.on_pipeline_event

    def on_event(
        self: assist_satellite.Os1AssistSatellite, event: PipelineEvent
    ) -> None:
        record(self.connection.site, event)
        original(self, event)

    assist_satellite.Os1AssistSatellite.on_pipeline_event = on_event  # type: ignore[method-assign]
    # And when each satellite's audio/stop reached Home Assistant.
    original_stop = mqtt_satellites.SatelliteConnection._on_audio_stop

    def on_stop(self: mqtt_satellites.SatelliteConnection, payload: bytes) -> None:
        EVENTS[self.site]["audio-stop"] = time.time()
        original_stop(self, payload)

    mqtt_satellites.SatelliteConnection._on_audio_stop = on_stop  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        config_dir = Path(tmp) / "config"
        config_dir.mkdir()
        (config_dir / "configuration.yaml").write_text("")
        (config_dir / "custom_components").symlink_to(ROOT / "custom_components")
        broker = Mosquitto(Path(tmp))
        broker.start()
        try:
            with mock_config_flow("bench", ConfigFlow):
                async with async_test_home_assistant(
                    config_dir=str(config_dir)
                ) as hass:
                    os1 = await build(hass, broker)
                    rows = []
                    for count in sizes:
                        mqtt = await over_mqtt(hass, os1, broker, count, seconds)
                        base = await direct(hass, count, seconds)
                        rows.append((count, mqtt, base))
                    await hass.async_stop(force=True)
        finally:
            broker.stop()
    print(
        f"{seconds:.0f} s of 16 kHz audio from every satellite at once; CPU in ms per "
        "satellite per second of audio; latency in ms (median / p95)\n"
    )
    print(
        f"{'satellites':>10} | {'HA CPU (MQTT)':>13} | {'HA CPU (direct)':>15} | "
        f"{'broker CPU':>10} | {'dropped':>9} | {'last chunk -> STT end (MQTT)':>28} | "
        f"{'(direct)':>13} | {'audio/stop in HA -> STT end':>27} | "
        f"{'audio/start -> run':>18}"
    )
    for count, mqtt, base in rows:
        print(
            f"{count:>10} | {mqtt['cpu']:>13.2f} | {base['cpu']:>15.2f} | "
            f"{mqtt['broker']:>10.2f} | {mqtt['dropped']:>4}/{mqtt['sent']:<4} | "
            f"{1000 * statistics.median(mqtt['after_last']):>12.1f} / "
            f"{1000 * pct(mqtt['after_last'], 95):<13.1f} | "
            f"{1000 * statistics.median(base['after_last']):>5.1f} / "
            f"{1000 * pct(base['after_last'], 95):<5.1f} | "
            f"{1000 * statistics.median(mqtt['in_ha']):>11.1f} / "
            f"{1000 * pct(mqtt['in_ha'], 95):<13.1f} | "
            f"{1000 * statistics.median(mqtt['to_start']):>7.1f} / "
            f"{1000 * pct(mqtt['to_start'], 95):<8.1f}"
        )
    cpu, wall, hits = wake_word_cost()
    print(
        f"\nReference satellite wake word (openWakeWord hey_jarvis, 10 spoken "
        f"wake words in 30 s): {cpu:.0f} ms CPU ({wall:.0f} ms wall) per second of "
        f"audio, {hits}/10 detected"
    )


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    asyncio.run(run(args.sizes, args.seconds))


if __name__ == "__main__":
    main()
