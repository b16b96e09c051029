"""Command line for OS1's reference satellite: ``os1-satellite --help``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import logging
import os
from pathlib import Path
import signal
import sys

from .audio import (
    AudioError,
    CommandSpeaker,
    FileSpeaker,
    Speaker,
    command_source,
    file_source,
)
from .client import VERSION, Satellite, SatelliteOptions
from .protocol import AudioFormat, ProtocolError, check_site
from .wake import WAKE_WORDS, WakeWordDetector

_LOGGER = logging.getLogger("os1_satellite")


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"OS1_{name}", default)


def build_parser() -> argparse.ArgumentParser:
    """Return the command line parser; every flag also reads an OS1_* variable."""
    parser = argparse.ArgumentParser(
        prog="os1-satellite",
        description="A room satellite for OS1: wake word on the device, "
        "requests and answers over MQTT.",
    )
    parser.add_argument(
        "--site", default=_env("SITE"), help="site id, e.g. kitchen (OS1_SITE)"
    )
    parser.add_argument("--name", default=_env("NAME"), help="display name (OS1_NAME)")
    parser.add_argument(
        "--area", default=_env("AREA"), help="suggested area (OS1_AREA)"
    )
    mqtt = parser.add_argument_group("MQTT broker")
    mqtt.add_argument(
        "--host", default=_env("MQTT_HOST", "localhost"), help="(OS1_MQTT_HOST)"
    )
    mqtt.add_argument(
        "--port",
        type=int,
        default=int(_env("MQTT_PORT", "1883") or 1883),
        help="(OS1_MQTT_PORT)",
    )
    mqtt.add_argument(
        "--username", default=_env("MQTT_USERNAME"), help="(OS1_MQTT_USERNAME)"
    )
    mqtt.add_argument(
        "--password",
        default=_env("MQTT_PASSWORD"),
        help="prefer the OS1_MQTT_PASSWORD variable: flags show up in ps",
    )
    mqtt.add_argument(
        "--tls",
        action="store_true",
        default=_env("MQTT_TLS") == "1",
        help="(OS1_MQTT_TLS=1)",
    )
    mqtt.add_argument(
        "--ca-certs", default=_env("MQTT_CA_CERTS"), help="(OS1_MQTT_CA_CERTS)"
    )
    wake = parser.add_argument_group("wake word")
    wake.add_argument(
        "--wake-word",
        default=_env("WAKE_WORD", "hey_jarvis"),
        choices=WAKE_WORDS,
        help="(OS1_WAKE_WORD)",
    )
    wake.add_argument(
        "--threshold",
        type=float,
        default=float(_env("WAKE_THRESHOLD", "0.5") or 0.5),
        help="(OS1_WAKE_THRESHOLD)",
    )
    audio = parser.add_argument_group("audio")
    source = audio.add_mutually_exclusive_group()
    source.add_argument(
        "--mic-command",
        default=_env("MIC_COMMAND"),
        help="command printing 16 kHz 16-bit mono raw audio, e.g. "
        "'arecord -q -r 16000 -c 1 -f S16_LE -t raw' (OS1_MIC_COMMAND)",
    )
    source.add_argument(
        "--mic-file",
        type=Path,
        default=_env("MIC_FILE"),
        help="WAV or raw file played as the microphone, at real time (OS1_MIC_FILE)",
    )
    source.add_argument(
        "--text", action="store_true", help="type requests instead of speaking them"
    )
    sink = audio.add_mutually_exclusive_group()
    sink.add_argument(
        "--snd-command",
        default=_env("SND_COMMAND"),
        help="command playing raw audio from its input; {rate}, {bits} and {channels} "
        "are filled in, e.g. 'aplay -q -r {rate} -c {channels} -f S{bits}_LE -t raw' (OS1_SND_COMMAND)",
    )
    sink.add_argument(
        "--snd-file",
        type=Path,
        default=_env("SND_FILE"),
        help="write each answer to this WAV file (OS1_SND_FILE)",
    )
    audio.add_argument(
        "--snd-rate",
        type=int,
        default=int(_env("SND_RATE", "22050") or 22050),
        help="sample rate of answers (OS1_SND_RATE)",
    )
    parser.add_argument("--debug", action="store_true", help="log everything")
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the satellite until interrupted or, for a file, until it has played."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.site:
        parser.error("--site (or OS1_SITE) is required")
    try:
        check_site(args.site)
    except ProtocolError as err:
        parser.error(str(err))
    speaker = _speaker(args)
    options = _options(args)
    detector = None if args.text else WakeWordDetector(args.wake_word, args.threshold)
    satellite = Satellite(
        options, speaker, on_say=lambda text: print(text, flush=True), detector=detector
    )
    # systemd stops services with SIGTERM: leave through `finally` to say goodbye.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    satellite.connect()
    if not satellite.connected.wait(30):
        _LOGGER.warning("Still waiting for the broker at %s:%s", args.host, args.port)
    try:
        if args.text:
            _type_requests(satellite)
        elif args.mic_file:
            satellite.run(file_source(args.mic_file))
        elif args.mic_command:
            satellite.run(command_source(args.mic_command))
        else:
            parser.error("choose --mic-command, --mic-file or --text")
    except AudioError as err:
        parser.exit(1, f"os1-satellite: {err}\n")
    except KeyboardInterrupt:
        pass
    finally:
        satellite.close()
    return 0


def _speaker(args: argparse.Namespace) -> Speaker | None:
    if args.snd_command:
        return CommandSpeaker(args.snd_command)
    if args.snd_file:
        return FileSpeaker(args.snd_file)
    return None


def _options(args: argparse.Namespace) -> SatelliteOptions:
    return SatelliteOptions(
        site=args.site,
        name=args.name or args.site.replace("_", " ").replace("-", " ").title(),
        area=args.area,
        host=args.host,
        port=args.port,
        username=args.username,
        password=args.password,
        tls=args.tls,
        ca_certs=args.ca_certs,
        wake_word=args.wake_word,
        threshold=args.threshold,
        audio_in=not args.text,
        output=AudioFormat(rate=args.snd_rate),
    )


def _type_requests(satellite: Satellite) -> None:
    """Send each line typed as a request and print the answers."""
    if sys.stdin.isatty():
        print("Type a request (Ctrl-D to quit):", flush=True)
    for line in sys.stdin:
        if text := line.strip():
            satellite.send_text(text)
            satellite.wait_idle()


if __name__ == "__main__":
    sys.exit(main())
