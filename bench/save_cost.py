"""Where a save's time goes: one request at a time, in process, on PostgreSQL.

    .venv/bin/python bench/save_cost.py [--requests 300] [--rounds 2]

`bench/web.py` measures the pages under load; this one explains its save figure. It loads the
demo school into a fresh PostgreSQL database of its own (dropped afterwards), signs in as the
demo's teacher with Django's test client (no server, no network: only the application and the
database), and times, each as a ratio to the bare signed-in page measured in the same process:

  bare page              /accounts/me/: session, user, a small template
  save                   one cell of the scoring grid: the at-bat and the recomputation of the
                         student's subskill, competency and course grades, in one transaction
  save, no recompute     the same request with grading's recomputation disconnected: what a
                         validated, durable write of one at-bat costs on its own (the floor of
                         any save that keeps the ledger's rules; an experiment, never a setting)
  gradebook, warm/cold   the section gradebook with its table cached / rendered afresh

with prepared statements (the default, decision 0009) and without, in alternating rounds, each
figure the best of its rounds. Prints p50 and p95 (ms), queries per request and the ratios. The
machine's other work moves the absolute times; read the ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from web import demo_database  # bench/web.py: a demo school in a database of its own

CASES = ("bare page", "save", "save, no recompute", "gradebook, warm", "gradebook, cold")


def _measure(requests: int) -> dict[str, dict[str, float]]:
    """Runs inside a child process whose environment names the database and the settings."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mastery.evidence.signals import evidence_appended
    from mastery.grading.recompute import on_evidence_appended

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="teacher"))
    home = client.get("/").content.decode()
    section = re.findall(r"/sections/([0-9a-f-]{36})/gradebook/", home)[0]
    pick = client.get(f"/sections/{section}/score/").content.decode()
    experience = re.findall(r"/experiences/([0-9a-f-]{36})/score/", pick)[-1]
    grid_path = f"/sections/{section}/experiences/{experience}/score/"
    grid = client.get(grid_path).content.decode()
    cells = re.findall(r'"student": "([0-9a-f-]{36})", "subskill": "([0-9a-f-]{36})"', grid)
    gradebook = f"/sections/{section}/gradebook/"
    fresh = iter(range(10**9))

    def save() -> Any:
        student, subskill = random.choice(cells)
        return client.post(
            grid_path + "save/",
            {"student": student, "subskill": subskill, "level": random.randint(1, 4)},
            HTTP_HX_REQUEST="true",
        )

    steps: dict[str, Callable[[], Any]] = {
        "bare page": lambda: client.get("/accounts/me/"),
        "save": save,
        "save, no recompute": save,
        "gradebook, warm": lambda: client.get(gradebook),
        # A sort key of its own: no earlier request can have cached this very table.
        "gradebook, cold": lambda: client.get(f"{gradebook}?sort=bench-{next(fresh)}"),
    }
    results = {}
    for case in CASES:
        if case == "save, no recompute":
            evidence_appended.disconnect(dispatch_uid="grading-recompute")
        times = []
        for index in range(requests + 20):  # the first 20 warm the connection's statements
            started = time.perf_counter()
            response = steps[case]()
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (case, response.status_code)
            if index >= 20:
                times.append(elapsed * 1000)
        # Counted on one more request, untimed: capturing queries costs time of its own (more
        # with server-side binding), which must not land in one setting's figures only.
        connection.queries_log.clear()  # it keeps 9,000: a full log captures nothing
        with CaptureQueriesContext(connection) as queries:
            steps[case]()
        if case == "save, no recompute":
            evidence_appended.connect(on_evidence_appended, dispatch_uid="grading-recompute")
        times.sort()
        results[case] = {
            "p50": statistics.median(times),
            "p95": times[int(len(times) * 0.95)],
            "queries": len(queries.captured_queries),
        }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="per case (default 300)")
    parser.add_argument("--rounds", type=int, default=2, help="best of (default 2)")
    parser.add_argument("--case", choices=("measure",), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.case == "measure":
        print(json.dumps(_measure(options.requests)))
        return 0
    with demo_database("save") as (env, _scratch):
        runs: dict[str, dict[str, dict[str, float]]] = {}
        # Rounds alternate the two settings, and each figure is the best of its rounds: the
        # machine's other work comes and goes, and should not decide which setting looks better.
        for round_number in range(options.rounds):
            # Every save grows the ledger: the order of the settings alternates too.
            for prepared in ("1", "0") if round_number % 2 == 0 else ("0", "1"):
                measured = subprocess.run(
                    [sys.executable, __file__, "--case=measure", f"--requests={options.requests}"],
                    env={**env, "DATABASE_PREPARED_STATEMENTS": prepared},
                    check=True,
                    capture_output=True,
                    text=True,
                )
                results = json.loads(measured.stdout.strip().splitlines()[-1])
                best = runs.setdefault(prepared, results)
                for case, result in results.items():
                    for figure in ("p50", "p95"):
                        best[case][figure] = min(best[case][figure], result[figure])
        _report(runs, requests=options.requests, rounds=options.rounds)
    return 0


def _report(runs: dict[str, dict[str, dict[str, float]]], *, requests: int, rounds: int) -> None:
    print(
        "\nOne request at a time, in process, demo school on PostgreSQL "
        f"({requests} requests a case, best of {rounds} rounds)"
    )
    header = f"{'':<22}{'statements':>12}{'queries':>9}{'p50 ms':>9}{'p95 ms':>9}"
    print(header + f"{'p50 x':>8}{'p95 x':>8}")
    for prepared, results in runs.items():
        label = "prepared" if prepared == "1" else "not prepared"
        bare = results["bare page"]
        for case in CASES:
            result = results[case]
            print(
                f"{case:<22}{label:>12}{result['queries']:>9.0f}{result['p50']:>9.2f}"
                f"{result['p95']:>9.2f}{result['p50'] / bare['p50']:>8.2f}"
                f"{result['p95'] / bare['p95']:>8.2f}"
            )


if __name__ == "__main__":
    sys.exit(main())
