"""`make bench`: every benchmark, with default sizes for a 2-core machine with 24 GB (minutes).

    python bench/run.py               # all of them
    python bench/run.py engine cli    # some of them

Each module runs in its own process and prints its own table; every ratio in them is measured
against a baseline in the same run. A module that fails is reported and the others still run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

MODULES = {
    "core": "the core of a rating in numpy, polars and DuckDB (why the batch path is numpy)",
    "engine": "the batch path vs the reference engine vs DuckDB SQL, 1 M and 10 M at-bats",
    "cli": "`mastery ratings` on a 10 M-row CSV: time and peak memory",
    "fidelity": "each method against simulated learners' true levels",
    "web": "the gradebook and saving a score under load (PostgreSQL, gunicorn, locust)",
    "save_cost": "where a save's time goes, one request at a time (prepared statements on/off)",
    "reports": "report cards for the whole demo school (PDF): seconds per 100 students",
}


def main(argv: list[str]) -> int:
    chosen = argv or [name for name in MODULES if (HERE / f"{name}.py").exists()]
    failed = []
    for name in chosen:
        print(f"\n== {name}: {MODULES.get(name, '')}", flush=True)
        started = time.perf_counter()
        completed = subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=False)
        print(f"({name}: {time.perf_counter() - started:.0f} s)", flush=True)
        if completed.returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
