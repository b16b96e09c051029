"""Simulated OS1 satellites for the MQTT benchmark (runs in its own process).

Connects N satellites to the broker, each with its own MQTT connection as real
devices have, announces them, then on "go" (a line on stdin) streams one request
of silence from every satellite at once, paced at real time, and prints what it
sent as JSON.

    python bench/satellite_sim.py --host 127.0.0.1 --port 1883 --count 10
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import threading
import time

import paho.mqtt.client as mqtt

from os1_satellite.protocol import (
    AUDIO_CHUNK,
    ONLINE,
    STATUS,
    AudioStart,
    AudioStop,
    SatelliteConfig,
    Wake,
    topic,
)

CHUNK_SECONDS = 0.08
CHUNK = bytes(int(16000 * CHUNK_SECONDS) * 2)


def site(index: int) -> str:
    """Return the site id of satellite `index`."""
    return f"bench{index:03d}"


def connect(host: str, port: int, index: int) -> mqtt.Client:
    """Connect one satellite and announce it."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=site(index))
    client.will_set(topic(site(index), STATUS), "offline", qos=1, retain=True)
    client.connect(host, port)
    client.loop_start()
    config = SatelliteConfig(name=f"Bench {index}", audio_out=False)
    client.publish(topic(site(index), "config"), config.payload(), 1, True)
    client.publish(topic(site(index), STATUS), ONLINE, 1, True).wait_for_publish(10)
    return client


def stream(
    client: mqtt.Client, index: int, seconds: float, start: float, out: dict
) -> None:
    """Stream one request from one satellite, paced at real time."""
    name = site(index)
    session = f"{name}-1"
    # A wake word of its own: Home Assistant runs only one of several satellites
    # that wake up on the same phrase at the same moment (one person, one answer).
    client.publish(topic(name, Wake.topic), Wake(name, 0.9).payload(), qos=1)
    sent_start = time.time()
    client.publish(topic(name, AudioStart.topic), AudioStart(session).payload(), qos=1)
    chunks = int(seconds / CHUNK_SECONDS)
    for number in range(chunks):
        delay = start + number * CHUNK_SECONDS - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        client.publish(topic(name, AUDIO_CHUNK), CHUNK, qos=0)
    last_chunk = time.time()
    client.publish(
        topic(name, AudioStop.topic), AudioStop(session).payload(), qos=1
    ).wait_for_publish(10)
    out[name] = {"start": sent_start, "last_chunk": last_chunk, "chunks": chunks}


def main() -> None:
    """Run the simulation."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    clients = [connect(args.host, args.port, index) for index in range(args.count)]
    print("ready", flush=True)
    sys.stdin.readline()
    results: dict[str, dict] = {}
    start = time.monotonic() + 0.1
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    threads = [
        threading.Thread(
            target=stream, args=(client, index, args.seconds, start, results)
        )
        for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    used = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "satellites": results,
                "cpu": used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime,
            }
        ),
        flush=True,
    )
    sys.stdin.readline()  # Stay connected until told to leave.
    for client in clients:
        client.disconnect()
        client.loop_stop()


if __name__ == "__main__":
    main()
