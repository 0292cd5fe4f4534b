"""The `mastery` command: Django's management commands, plus serve, worker and ratings.

mastery migrate | mastery shell | mastery demo [--reset] | ...   (Django management commands)
mastery serve     gunicorn on 127.0.0.1:$PORT and one background-task worker beside it; Ctrl-C
                  or SIGTERM stops both, and if either dies the other is stopped too
mastery worker    a background-task worker alone
mastery ratings   the grading engine on files, no server or database (see GRADING.md)
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from types import FrameType


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "help"
    if command == "ratings":
        from mastery.ratings_cli import main as ratings

        return ratings(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mastery.settings")
    if command == "serve":
        return serve(args[1:])
    if command == "worker":
        args = ["db_worker", *args[1:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mastery", *args])
    return 0


class _Stop(Exception):
    """SIGTERM arrived: stop serving."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def serve(extra: Sequence[str]) -> int:
    """Run the web server and one task worker until interrupted; stop both together.

    Ctrl-C or SIGTERM stops both children and exits 0. If either child exits on its own (a
    worker that crashed, a port already in use), the other is stopped too and serve exits
    non-zero with one line on standard error saying which.
    """
    port = os.environ.get("PORT", "8000")
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        children["task worker"] = subprocess.Popen([sys.executable, "-m", "mastery.cli", "worker"])
        children["web server"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "mastery.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                os.environ.get("WEB_CONCURRENCY", "2"),
                "--access-logfile",
                "-",
                *extra,
            ]
        )
        print(f"Mastery is serving http://127.0.0.1:{port}/ (Ctrl-C stops it)", flush=True)
        return _watch(children)
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the stop
        _stop(children.values())
        signal.signal(signal.SIGTERM, previous)


def _watch(children: dict[str, subprocess.Popen[bytes]]) -> int:
    """Wait until a child exits; say which, and return a non-zero status."""
    while True:
        for name, process in children.items():
            status = process.poll()
            if status is not None:
                others = " and ".join(other for other in children if other != name)
                print(
                    f"mastery serve: the {name} exited (status {status}); stopping the {others}.",
                    file=sys.stderr,
                    flush=True,
                )
                return status or 1
        time.sleep(WATCH_INTERVAL)


WATCH_INTERVAL = 0.5
"""Seconds between looks at the children."""


def _stop(processes: Iterable[subprocess.Popen[bytes]]) -> None:
    """SIGTERM to each running child, then wait; one that is still there after 10 s is killed."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    for process in running:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    sys.exit(main())
