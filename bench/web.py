"""Web benchmark: the gradebook page and saving a score, against a bare signed-in page.

    .venv/bin/python bench/web.py [--users 100] [--seconds 30] [--requests 50] [--workers 4]

Loads the demo school into a fresh PostgreSQL database of its own on the server DATABASE_URL
names (default postgres://postgres@127.0.0.1:5432; the database is dropped afterwards), serves
it with gunicorn on loopback, signs in as the demo's two teachers, and drives four scenarios one
after the other with locust (headless, in the dev dependencies: nothing to install from apt),
each with N concurrent users working without pause, bounded by a number of requests per user
and by time:

  bare page        /accounts/me/: session, user, a small template
  gradebook warm   the section gradebook, its table cached (a reload between two saves)
  gradebook cold   a save, then the gradebook: its table rendered afresh (the honest figure)
  save             saving one cell of the scoring grid (the at-bat and its recomputation)

Prints p50 / p95 of each and its ratio to the bare page, all measured in the same run on the
same server, and whether the targets (issue 4: gradebook p95 <= 3x and save p95 <= 2x the bare
page at 100 users) are met. The load generator shares the machine with the server, so absolute
times are noisy; the ratios are the figure to read.
"""

import argparse
import csv
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent
PYTHON = sys.executable
LOCUST = Path(sys.executable).with_name("locust")
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
TEACHERS = ("teacher", "teacher2")  # the demo's teachers who can sign in (password "demo")
SCENARIOS = {
    "bare": "bare signed-in page",
    "gradebook-warm": "gradebook, warm",
    "gradebook-cold": "gradebook, cold",
    "save": "save a score",
}
TARGETS = {"gradebook, cold": 3.0, "gradebook, warm": 3.0, "save a score": 2.0}


def _server_url() -> str:
    """The PostgreSQL server of DATABASE_URL (any database name dropped), else the default."""
    configured = os.environ.get("DATABASE_URL", "")
    parts = urllib.parse.urlsplit(configured)
    if parts.scheme.startswith("postgres"):
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    return DEFAULT_SERVER


def _admin(server: str, statement: sql.Composed) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


@contextmanager
def demo_database(label: str) -> Iterator[tuple[dict[str, str], Path]]:
    """A fresh PostgreSQL database of this run's own, migrated and loaded with the demo school;
    yields the environment naming it and a scratch folder, and drops both afterwards."""
    server_url = _server_url()
    database = f"mastery_bench_{label}_{os.getpid()}"
    scratch = Path(tempfile.mkdtemp(prefix=f"mastery-bench-{label}-"))
    env = {
        **os.environ,
        "MASTERY_MODE": "demo",
        "DATABASE_URL": f"{server_url}/{database}",
        "MASTERY_PROJECT_DIR": str(scratch),
        "DJANGO_SETTINGS_MODULE": "mastery.settings",
        "LOG_LEVEL": "WARNING",
    }
    _admin(server_url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        print(f"Loading the demo school into PostgreSQL ({database}) ...", flush=True)
        _mastery("migrate", "--no-input", env=env)
        _mastery("demo", env=env)
        yield env, scratch
    finally:
        _admin(
            server_url,
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)),
        )
        shutil.rmtree(scratch, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _mastery(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "-m", "mastery.cli", *args], env=env, check=True, capture_output=True)


def _sign_in(base: str, username: str) -> tuple[str, str, urllib.request.OpenerDirector]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/")
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    data = urllib.parse.urlencode(
        {"username": username, "password": "demo", "csrfmiddlewaretoken": csrf}
    )
    opener.open(
        urllib.request.Request(
            f"{base}/accounts/login/", data=data.encode(), headers={"Referer": base}
        )
    )
    session = next(cookie.value for cookie in jar if cookie.name == "sessionid")
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    return session, csrf, opener


def _desks(base: str) -> list[dict[str, Any]]:
    """Every section the demo's teachers teach, with a session and the cells of the section's
    last learning experience to score."""
    desks = []
    for username in TEACHERS:
        session, csrf, opener = _sign_in(base, username)
        home = opener.open(f"{base}/").read().decode()
        for section in dict.fromkeys(re.findall(r"/sections/([0-9a-f-]{36})/gradebook/", home)):
            pick = opener.open(f"{base}/sections/{section}/score/").read().decode()
            experiences = re.findall(r"/experiences/([0-9a-f-]{36})/score/", pick)
            if not experiences:
                continue
            grid_path = f"/sections/{section}/experiences/{experiences[-1]}/score/"
            grid = opener.open(base + grid_path).read().decode()
            cells = re.findall(r'"student": "([0-9a-f-]{36})", "subskill": "([0-9a-f-]{36})"', grid)
            if cells:
                desks.append(
                    {
                        "teacher": username,
                        "session": session,
                        "csrf": csrf,
                        "gradebook": f"/sections/{section}/gradebook/",
                        "save": f"{grid_path}save/",
                        "cells": cells,
                    }
                )
    assert desks, "the demo's teachers should have sections with students to score"
    return desks


def _warm_up(base: str, desks: list[dict[str, Any]]) -> None:
    """Each worker process loads its code and templates, and caches each gradebook once."""
    for desk in desks:
        for path in ("/accounts/me/", desk["gradebook"]):
            for _ in range(6):
                request = urllib.request.Request(
                    base + path, headers={"Cookie": f"sessionid={desk['session']}"}
                )
                urllib.request.urlopen(request).read()


def _locust(
    scenario: str, *, base: str, plan: Path, users: int, seconds: int, requests: int, folder: Path
) -> dict[str, dict[str, float]]:
    prefix = folder / scenario
    subprocess.run(
        [
            str(LOCUST),
            "-f",
            str(ROOT / "web_locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
        ],
        env={
            **os.environ,
            "BENCH_PLAN": str(plan),
            "BENCH_SCENARIO": scenario,
            "BENCH_REQUESTS": str(requests),
        },
        check=False,  # locust exits 1 when any request failed: the table shows the failures
        capture_output=True,
    )
    results = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                continue
            results[row["Name"]] = {
                "requests": float(row["Request Count"]),
                "failures": float(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "rps": float(row["Requests/s"]),
            }
    return results


def _serve(port: int, *, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "mastery.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start within 60 seconds")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=100, help="concurrent users (default 100)")
    parser.add_argument(
        "--seconds", type=int, default=30, help="most seconds per scenario (default 30)"
    )
    parser.add_argument(
        "--requests", type=int, default=50, help="most tasks per user per scenario (default 50)"
    )
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn worker processes (default 4)"
    )
    options = parser.parse_args()
    if not LOCUST.exists():
        print(f"bench/web.py needs locust ({LOCUST}): make setup installs it", file=sys.stderr)
        return 2
    with demo_database("web") as (env, scratch):
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(port, workers=options.workers, env=env)
        try:
            desks = _desks(base)
            plan = scratch / "plan.json"
            plan.write_text(json.dumps({"base": base, "desks": desks}))
            _warm_up(base, desks)
            results: dict[str, dict[str, float]] = {}
            for scenario in SCENARIOS:
                print(
                    f"  {scenario}: {options.users} users, at most {options.requests} each "
                    f"or {options.seconds} s ...",
                    flush=True,
                )
                results.update(
                    _locust(
                        scenario,
                        base=base,
                        plan=plan,
                        users=options.users,
                        seconds=options.seconds,
                        requests=options.requests,
                        folder=scratch,
                    )
                )
            _report(results, options=options, sections=len(desks))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


def _report(
    results: dict[str, dict[str, float]], *, options: argparse.Namespace, sections: int
) -> None:
    bare = results["bare signed-in page"]
    print(
        f"\nWeb benchmark: demo school on PostgreSQL, gunicorn x{options.workers}, "
        f"{options.users} users over {sections} sections, locust (closed loop)"
    )
    columns = ("requests", "failed", "req/s", "p50 ms", "p95 ms", "p50 x", "p95 x")
    widths = (10, 8, 8, 9, 9, 8, 8)
    print(f"{'':<34}" + "".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for name, result in results.items():
        print(
            f"{name:<34}{result['requests']:>10.0f}{result['failures']:>8.0f}"
            f"{result['rps']:>8.1f}{result['p50']:>9.0f}{result['p95']:>9.0f}"
            f"{result['p50'] / bare['p50']:>8.2f}{result['p95'] / bare['p95']:>8.2f}"
        )
    print()
    for name, limit in TARGETS.items():
        ratio = results[name]["p95"] / bare["p95"]
        verdict = "met" if ratio <= limit else "NOT met"
        print(f"Target {name} p95 <= {limit:g}x the bare page: {ratio:.2f}x, {verdict}")


if __name__ == "__main__":
    sys.exit(main())
