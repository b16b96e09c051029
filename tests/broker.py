"""A real mosquitto broker for the tests, on a free local port."""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import os
from pathlib import Path
import shutil
import socket
import subprocess
import time

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
PASSWD = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"


def free_port() -> int:
    """Return a TCP port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mosquitto:
    """Start, stop and restart mosquitto; optionally with users and an ACL."""

    def __init__(
        self,
        directory: Path,
        users: dict[str, str] | None = None,
        acl: str | None = None,
    ) -> None:
        """Write the broker's config; `users` maps names to passwords."""
        self.host = "127.0.0.1"
        self.port = free_port()
        self.directory = directory
        self._process: subprocess.Popen[bytes] | None = None
        lines = [f"listener {self.port} {self.host}", "persistence false"]
        if os.geteuid() == 0:
            lines.append("user root")  # Read the password file in a tmp dir.
        if users:
            password_file = directory / "passwords"
            password_file.touch()
            for name, password in users.items():
                subprocess.run(
                    [PASSWD, "-b", str(password_file), name, password], check=True
                )
            password_file.chmod(0o600)
            lines += ["allow_anonymous false", f"password_file {password_file}"]
        else:
            lines.append("allow_anonymous true")
        if acl:
            acl_file = directory / "acl"
            acl_file.write_text(acl)
            acl_file.chmod(0o600)
            lines.append(f"acl_file {acl_file}")
        self.config = directory / "mosquitto.conf"
        self.config.write_text("\n".join(lines) + "\n")
        self.log = directory / "mosquitto.log"

    def start(self) -> None:
        """Start the broker and wait until it accepts connections."""
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                [MOSQUITTO, "-c", str(self.config)], stdout=log, stderr=log
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection((self.host, self.port), timeout=0.2),
            ):
                return
            time.sleep(0.02)
        raise RuntimeError(f"mosquitto did not start: {self.log.read_text()}")

    @property
    def pid(self) -> int:
        """Return the broker's process id."""
        assert self._process is not None
        return self._process.pid

    def stop(self) -> None:
        """Stop the broker."""
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)
            self._process = None

    def restart(self) -> None:
        """Stop and start again on the same port (retained messages are lost)."""
        self.stop()
        self.start()


@contextlib.contextmanager
def running_broker(
    directory: Path, users: dict[str, str] | None = None, acl: str | None = None
) -> Iterator[Mosquitto]:
    """Run a broker for the duration of a block."""
    broker = Mosquitto(directory, users, acl)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
