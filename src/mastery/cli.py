"""The `mastery` command: Django's management commands, plus serve, worker and ratings.

mastery migrate | mastery shell | mastery demo [--reset] | ...   (Django management commands)
mastery serve     gunicorn on 127.0.0.1:$PORT and one background-task worker beside it
mastery worker    a background-task worker alone
mastery ratings   the grading engine on files, no server or database (see GRADING.md)
"""

import os
import signal
import subprocess
import sys
from collections.abc import Sequence


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


def serve(extra: Sequence[str]) -> int:
    """Run the web server and one task worker until interrupted; stop both together."""
    port = os.environ.get("PORT", "8000")
    worker = subprocess.Popen([sys.executable, "-m", "mastery.cli", "worker"])
    web = subprocess.Popen(
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
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
