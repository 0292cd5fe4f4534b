"""Time and peak memory of `mastery ratings` on a large spreadsheet export.

    python bench/cli.py                     # a 10 M-row evidence CSV (written once to /tmp)
    python bench/cli.py --rows 1000000

The command runs in a subprocess; its peak resident memory is the child's ru_maxrss (the CSV is
written by another child, so that this process stays small when it forks). The point
is that memory stays bounded (one partition at a time) whatever the file's length.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from district import district, plain, write_csv
from engine import DATA, POLICIES, SCALE


def evidence_csv(rows: int) -> Path:
    """The export, written once by a child process (a forked child's peak memory would count
    this process's memory too, so this process stays small)."""
    path = DATA / f"evidence-{rows // 1_000_000}M.csv" if rows >= 1_000_000 else None
    path = path or DATA / f"evidence-{rows}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, __file__, "--rows", str(rows), "--write-csv", str(path)], check=True
        )
    return path


def write_evidence(rows: int, path: Path) -> None:
    # 3% of the ledger is corrections and voids, which a spreadsheet export lacks.
    write_csv(plain(district(int(rows / 0.97) + 100)).slice(0, rows), path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--method", default="consistent", choices=sorted(POLICIES))
    parser.add_argument("--write-csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write_csv:
        write_evidence(args.rows, args.write_csv)
        return 0
    evidence = evidence_csv(args.rows)
    policy = DATA / "policy.json"
    policy.write_text(json.dumps({"scale": SCALE, "method": POLICIES[args.method]}))
    output = DATA / "ratings.csv"
    started = time.perf_counter()
    command = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mastery.ratings_cli",
            "--policy",
            str(policy),
            str(evidence),
            "-o",
            str(output),
        ]
    )
    # wait4 gives this child's own usage: RUSAGE_CHILDREN would be the largest of every child,
    # the one that wrote the CSV included, on a run that had to write it first.
    _, status, usage = os.wait4(command.pid, 0)
    command.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if command.returncode != 0:
        raise SystemExit(f"mastery ratings failed with status {command.returncode}")
    peak = usage.ru_maxrss / 1024
    size = evidence.stat().st_size / 1e6
    with output.open() as file:
        pairs = sum(1 for _ in file) - 1
    print(f"mastery ratings ({args.method}) on {args.rows:,} rows ({size:.0f} MB of CSV)")
    print(f"{'seconds':>10}{'rows/s':>12}{'peak MB':>10}{'pairs':>12}")
    print(f"{seconds:>10.1f}{args.rows / seconds:>12,.0f}{peak:>10.0f}{pairs:>12,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
