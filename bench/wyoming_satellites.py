"""Wyoming satellites: answer latency, and how many one Home Assistant holds.

A real Home Assistant core in this process (demo lights, OS1 as the Assist
agent, pocketsphinx speech to text with OS1's grammar, the demo text to speech
converted by ffmpeg) and Wyoming satellites emulated with the wyoming library's
own TCP server.

1. Latency, median of 20 runs: a satellite streams espeak-ng's "turn on the
   kitchen lights" and a second and a half of silence at real-time pace; timed
   from the end of the speech to the first byte of the spoken answer arriving at
   the satellite (end-of-speech detection, speech to text, OS1, text to speech
   and the transport). Baseline, interleaved in the same run: the same satellite
   served by Home Assistant's own Wyoming integration.
2. Connections: 100, 300 and 600 satellites (in another process) adopted at
   once; time until all are connected, Home Assistant's memory and CPU per
   connected satellite while idle (each is pinged every 10 s).

    .venv/bin/python bench/wyoming_satellites.py [--runs 20] [--sizes 100 300 600]
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
import resource
import statistics
import sys
import tempfile
import time
from types import MappingProxyType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homeassistant import loader  # noqa: E402
from homeassistant.components.assist_pipeline import (  # noqa: E402
    async_get_pipeline,
    async_update_pipeline,
)
from homeassistant.config_entries import ConfigSubentry  # noqa: E402
from homeassistant.const import CONF_NAME  # noqa: E402
from homeassistant.core import HomeAssistant  # noqa: E402
from homeassistant.helpers import area_registry as ar, entity_registry as er  # noqa: E402
from homeassistant.setup import async_setup_component  # noqa: E402
from pytest_homeassistant_custom_component.common import (  # noqa: E402
    MockConfigEntry,
    async_test_home_assistant,
)
from wyoming.audio import AudioChunk  # noqa: E402
from wyoming.pipeline import PipelineStage, RunPipeline  # noqa: E402

from custom_components.os1.const import (  # noqa: E402
    CONF_AREA_ID,
    CONF_INFO,
    CONF_SITE,
    SUBENTRY_WYOMING,
)
from custom_components.os1.satellite import SatelliteLink  # noqa: E402
from custom_components.os1.wyoming_peer import SatelliteInfo  # noqa: E402
from tests.registry import place  # noqa: E402
from tests.sphinx import pocketsphinx_stt, speak  # noqa: E402
from tests.wyoming_satellites import EmulatedSatellite  # noqa: E402

CHUNK_SECONDS = 0.064


class TimedSatellite(EmulatedSatellite):
    """An emulated satellite that notes when the answer's first audio arrives."""

    first_audio: float | None = None
    answered: asyncio.Event | None = None

    def note(self) -> None:
        """Note the first audio chunk received since the last reset."""
        if self.first_audio is None:
            self.first_audio = time.perf_counter()
            if self.answered is not None:
                self.answered.set()


async def build(hass: HomeAssistant, tmp: Path) -> MockConfigEntry:
    """Set up the demo home, the speech engines and OS1 as the Assist agent."""
    hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
    assert await async_setup_component(hass, "homeassistant", {})
    demo = MockConfigEntry(domain="demo")
    demo.add_to_hass(hass)
    assert await hass.config_entries.async_setup(demo.entry_id)
    assert await async_setup_component(hass, "tts", {"tts": {"platform": "demo"}})
    kitchen = ar.async_get(hass).async_create("Kitchen")
    place(hass, "light.kitchen_lights", kitchen.id)
    os1 = MockConfigEntry(domain="os1", title="Samantha", data={CONF_NAME: "Samantha"})
    os1.add_to_hass(hass)
    assert await hass.config_entries.async_setup(os1.entry_id)
    await hass.async_block_till_done()
    agent = er.async_get(hass).async_get_entity_id("conversation", "os1", os1.entry_id)
    await async_update_pipeline(
        hass,
        async_get_pipeline(hass),
        conversation_engine=agent,
        conversation_language="en",
        tts_engine="demo",
        tts_language="en",
    )
    return os1


async def adopt(
    hass: HomeAssistant, os1: MockConfigEntry, ports: list[int], area_id: str | None
) -> None:
    """Adopt satellites on these ports at once (one reload of the hub)."""
    await hass.config_entries.async_unload(os1.entry_id)
    for subentry_id in list(os1.subentries):
        hass.config_entries.async_remove_subentry(os1, subentry_id)
    for port in ports:
        site = f"wyoming-127_0_0_1-{port}"
        hass.config_entries.async_add_subentry(
            os1,
            _subentry(site, port, area_id),
        )
    await hass.config_entries.async_setup(os1.entry_id)
    await hass.async_block_till_done()


def _subentry(site: str, port: int, area_id: str | None) -> object:

    info = SatelliteInfo(name=f"Satellite {port}")
    return ConfigSubentry(
        data=MappingProxyType(
            {
                CONF_SITE: site,
                "host": "127.0.0.1",
                "port": port,
                CONF_INFO: info.as_dict(),
                CONF_AREA_ID: area_id,
            }
        ),
        subentry_type=SUBENTRY_WYOMING,
        title=info.name,
        unique_id=site,
    )


async def one_request(satellite: TimedSatellite, speech: bytes) -> float:
    """Stream the request; return ms from the end of speech to the first answer audio."""
    satellite.first_audio = None
    satellite.answered = asyncio.Event()
    await satellite.send(
        RunPipeline(start_stage=PipelineStage.ASR, end_stage=PipelineStage.TTS).event()
    )
    size = int(16000 * CHUNK_SECONDS) * 2
    stream = speech + bytes(int(16000 * 1.5) * 2)
    end_of_speech = 0.0
    for start in range(0, len(stream), size):
        chunk = AudioChunk(
            rate=16000, width=2, channels=1, audio=stream[start : start + size]
        )
        await satellite.send(chunk.event())
        if start + size >= len(speech) and not end_of_speech:
            end_of_speech = time.perf_counter()
        await asyncio.sleep(CHUNK_SECONDS)
        if satellite.first_audio is not None:
            break
    async with asyncio.timeout(30):
        await satellite.answered.wait()
    assert satellite.first_audio is not None
    # Let the answer finish before the next request.
    await asyncio.sleep(1.5)
    return (satellite.first_audio - end_of_speech) * 1000


async def latency(runs: int) -> None:
    """OS1 against Home Assistant's Wyoming integration, interleaved."""
    with tempfile.TemporaryDirectory() as config_dir:
        tmp = Path(config_dir)
        (tmp / "custom_components").symlink_to(ROOT / "custom_components")
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            os1 = await build(hass, tmp)
            async with pocketsphinx_stt(hass, tmp):
                speech = await hass.async_add_executor_job(
                    speak, "turn on the kitchen lights", tmp / "speech"
                )
                ours, theirs = TimedSatellite(), TimedSatellite(name="Baseline")
                for satellite in (ours, theirs):
                    _hook(satellite)
                    await satellite.start()
                kitchen = ar.async_get(hass).async_get_area_by_name("Kitchen")
                await adopt(hass, os1, [ours.port], kitchen.id if kitchen else None)
                wyoming = MockConfigEntry(
                    domain="wyoming", data={"host": "127.0.0.1", "port": theirs.port}
                )
                wyoming.add_to_hass(hass)
                assert await hass.config_entries.async_setup(wyoming.entry_id)
                await hass.async_block_till_done()
                await ours.wait_for("run-satellite")
                await theirs.wait_for("run-satellite")
                times: dict[str, list[float]] = {"OS1": [], "HA Wyoming": []}
                for run in range(runs):
                    order = [("OS1", ours), ("HA Wyoming", theirs)]
                    if run % 2:
                        order.reverse()
                    for name, satellite in order:
                        times[name].append(await one_request(satellite, speech))
                print(
                    f"End of speech to the first answer audio at the satellite ({runs} runs each):"
                )
                for name, values in times.items():
                    print(
                        f"  {name:<11} median {statistics.median(values):7.0f} ms   "
                        f"p95 {statistics.quantiles(values, n=20)[-1]:7.0f} ms"
                    )
                await hass.config_entries.async_unload(wyoming.entry_id)
                await hass.config_entries.async_unload(os1.entry_id)
                for satellite in (ours, theirs):
                    await satellite.stop()
            await hass.async_stop(force=True)


def _hook(satellite: TimedSatellite) -> None:
    """Time the first audio chunk the satellite receives."""
    original = satellite._make_handler

    def make(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):  # type: ignore[no-untyped-def]
        handler = original(reader, writer)
        handle = handler.handle_event

        async def handle_event(event):  # type: ignore[no-untyped-def]
            if AudioChunk.is_type(event.type):
                satellite.note()
            return await handle(event)

        handler.handle_event = handle_event  # type: ignore[method-assign]
        return handler

    satellite._make_handler = make  # type: ignore[method-assign]


SERVE = """
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from tests.wyoming_satellites import EmulatedSatellite
async def main():
    satellites = [EmulatedSatellite(name=f"S{i}", area=None) for i in range(int(sys.argv[2]))]
    for satellite in satellites:
        await satellite.start()
    print(" ".join(str(s.port) for s in satellites), flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
"""


def rss_mb() -> float:
    """Return this process's resident memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    """Return this process's CPU time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def all_up(links: list[SatelliteLink]) -> None:
    """Wait until every satellite is connected."""
    done = asyncio.Event()

    def check() -> None:
        if all(link.available for link in links):
            done.set()

    removers = [link.async_add_listener(check) for link in links]
    check()
    try:
        async with asyncio.timeout(120):
            await done.wait()
    finally:
        for remove in removers:
            remove()


async def connections(sizes: list[int]) -> None:
    """Adopt many satellites at once; time the connections, memory and idle CPU."""
    with tempfile.TemporaryDirectory() as config_dir:
        tmp = Path(config_dir)
        (tmp / "custom_components").symlink_to(ROOT / "custom_components")
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            os1 = await build(hass, tmp)
            print("\nConnections (satellites in another process, pinged every 10 s):")
            print(f"  {'satellites':>10} {'all up':>9} {'memory':>16} {'idle CPU':>24}")
            for size in sizes:
                server = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-c",
                    SERVE,
                    str(ROOT),
                    str(size),
                    stdout=asyncio.subprocess.PIPE,
                )
                assert server.stdout is not None
                line = await server.stdout.readline()
                ports = [int(port) for port in line.split()]
                await adopt(hass, os1, [], None)
                before = rss_mb()
                start = time.perf_counter()
                await adopt(hass, os1, ports, None)
                runtime = os1.runtime_data
                await all_up(list(runtime.satellites.values()))
                up = time.perf_counter() - start
                grown = rss_mb() - before
                cpu, wall = cpu_seconds(), time.perf_counter()
                await asyncio.sleep(30)
                idle = (cpu_seconds() - cpu) / (time.perf_counter() - wall)
                still = sum(link.available for link in runtime.satellites.values())
                print(
                    f"  {size:>10} {up:>7.2f} s {grown / size * 1024:>9.0f} KB each"
                    f" {idle / size * 1e6:>8.1f} us CPU/s each ({still} up)"
                )
                server.terminate()
                await server.wait()
            await hass.config_entries.async_unload(os1.entry_id)
            await hass.async_stop(force=True)


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 600])
    args = parser.parse_args()
    asyncio.run(latency(args.runs))
    asyncio.run(connections(args.sizes))


if __name__ == "__main__":
    main()
