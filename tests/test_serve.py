"""`mastery serve` runs gunicorn and a task worker as its children and never leaves either behind:
SIGTERM stops both, and if one dies the other is stopped and serve exits non-zero saying which.

These start the real command on a free loopback port against a migrated SQLite file, so they
take a few seconds; every wait is bounded.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

MASTERY = Path(sys.executable).with_name("mastery")
START_SECONDS = 60
STOP_SECONDS = 30


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The demo mode's settings on a freshly migrated SQLite file of this module's own."""
    folder = tmp_path_factory.mktemp("serve")
    env = {
        **os.environ,
        "MASTERY_MODE": "demo",
        "DATABASE_URL": f"sqlite:///{folder / 'serve.sqlite3'}",
        "MASTERY_PROJECT_DIR": str(folder),
        "WEB_CONCURRENCY": "1",
    }
    subprocess.run(
        [str(MASTERY), "migrate", "--no-input"],
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    """The process's children (Linux /proc)."""
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in found.read_text().split()] if found.exists() else []


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return False
    return fields[0] != "Z"


def _wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


type Served = tuple[subprocess.Popen[str], str, dict[str, int]]


def _command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")


@pytest.fixture
def served(environment: dict[str, str]) -> Iterator[Served]:
    """`mastery serve` answering on a free port; yields it, its URL and its two children by
    name ("web server", "task worker")."""
    port = _free_port()
    serve = subprocess.Popen(
        [str(MASTERY), "serve"],
        env={**environment, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/accounts/login/"
    try:
        _wait_until(lambda: _answers(url), START_SECONDS, f"{url} answers 200")
        _wait_until(lambda: len(_children(serve.pid)) == 2, 10, "serve has its two children")
        children = {
            ("web server" if "gunicorn" in _command(pid) else "task worker"): pid
            for pid in _children(serve.pid)
        }
        assert "worker" in _command(children["task worker"])
        yield serve, url, children
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait(timeout=STOP_SECONDS)
        for child in _children(serve.pid):
            os.kill(child, signal.SIGKILL)


def test_sigterm_stops_the_web_server_and_the_worker_with_it(served: Served) -> None:
    serve, url, children = served
    started = [*children.values(), *_children(children["web server"])]  # gunicorn's workers too

    serve.send_signal(signal.SIGTERM)

    assert serve.wait(timeout=STOP_SECONDS) == 0
    _wait_until(
        lambda: not any(_alive(pid) for pid in started),
        STOP_SECONDS,
        "every process serve started is gone",
    )
    assert not _answers(url)


def test_when_the_worker_dies_serve_stops_the_web_server_and_says_so(served: Served) -> None:
    serve, url, children = served

    os.kill(children["task worker"], signal.SIGKILL)

    assert serve.wait(timeout=STOP_SECONDS) != 0
    assert serve.stderr is not None
    said = serve.stderr.read().splitlines()  # gunicorn's own log lines are there too
    assert "mastery serve: the task worker exited (status -9); stopping the web server." in said
    _wait_until(lambda: not _alive(children["web server"]), STOP_SECONDS, "the server is gone")
    assert not _answers(url)
