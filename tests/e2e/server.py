"""The demo school served by gunicorn on a free loopback port, for browser tests and screenshots."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _mastery(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "mastery.cli", *args], env=env, check=True, capture_output=True
    )


@contextmanager
def demo_server(folder: Path) -> Iterator[str]:
    """Migrate a fresh SQLite file in `folder`, load the demo school, serve it; yield its URL."""
    env = {
        **os.environ,
        "MASTERY_MODE": "demo",
        "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "MASTERY_PROJECT_DIR": str(folder),
    }
    _mastery("migrate", "--no-input", env=env)
    _mastery("demo", env=env)
    port = _free_port()
    # Background tasks (simulations, recomputations, report cards) need a worker, as in
    # `mastery serve`.
    worker = subprocess.Popen([sys.executable, "-m", "mastery.cli", "worker"], env=env)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mastery.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("The demo server did not start within 30 seconds")
        yield f"http://127.0.0.1:{port}"
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            process.wait(timeout=10)
