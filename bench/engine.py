"""Throughput and peak memory of the batch path, against the reference engine and DuckDB SQL.

    python bench/engine.py                  # 1 M and 10 M at-bats, every method
    python bench/engine.py --huge           # and 100 M (~6 GB of /tmp; DuckDB capped at 14 GB)
    python bench/engine.py --sizes 1000000 --methods latest,consistent

Every figure comes from this run, on this machine: each (size, method, engine) runs in a fresh
subprocess so that its peak resident memory (ru_maxrss, input included) is its own; a time is
the fastest of --repeat runs (2), since the machine may be shared.

- batch: `rate_batch` on the Arrow table (in memory), through to the output table, with numpy's
  own memory settings, as the school recompute (`grading.recompute`) runs it; --no-huge-pages
  runs it without numpy's huge-page advice instead (NUMPY_MADVISE_HUGEPAGE=0, as `mastery
  ratings` sets it for its small partitions).
- DuckDB SQL: the same ratings written the way a district data analyst would -- window functions
  over the same Arrow table (no extensions), output sorted like the batch path's.
- reference: `rate()` per (student, target) on a sample of about 20 000 at-bats (no next step),
  extrapolated as at-bats per second; the fastest of --repeat passes, as for the engines.

"agree" is the share of (student, target) pairs where DuckDB's status and rating (to the cent)
equal the batch path's; the batch path itself equals the reference by property test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from district import read_district, write_district

DATA = Path(os.environ.get("MASTERY_BENCH_DATA", "/tmp/mastery-bench"))
DEFAULT_SIZES = (1_000_000, 10_000_000)
HUGE = 100_000_000
HUGE_DUCKDB_MEMORY = "14GB"
REFERENCE_SAMPLE = 20_000

POLICIES: dict[str, dict[str, Any]] = {
    "latest": {"name": "latest"},
    "highest": {"name": "highest"},
    "average": {"name": "average"},
    "average_recent": {"name": "average_recent", "count": 3},
    "weighted_latest": {"name": "weighted_latest", "weight": "0.65"},
    "decaying_average": {"name": "decaying_average", "rate": "0.65"},
    "n_mastery": {"name": "n_mastery", "count": 3},
    "mode_recent": {"name": "mode_recent", "count": 5},
    "power_law": {"name": "power_law"},
    "consistent": {"name": "consistent", "at_bats": 3, "window": 5, "contexts": 2},
}

SCALE = {
    "levels": [
        {"value": 1, "label": "Beginning"},
        {"value": 2, "label": "Developing"},
        {"value": 3, "label": "Meeting", "mastery": True},
        {"value": 4, "label": "Exceeding"},
    ]
}

# -- DuckDB SQL, as an analyst writes it ---------------------------------------------------------

_LEDGER = """
with ledger as (
  -- a correction takes the place of the record it corrects; corrected and voided rows drop out
  select e.student_id, e.target_id, e.level, e.assessed_on, e.context, e.source, e.weight, e.kind,
         coalesce(o.recorded_at, e.recorded_at) as tie_recorded_at,
         coalesce(o.sequence, e.sequence) as tie_sequence
  from evidence e left join evidence o on o.id = e.supersedes
  where e.id not in (select supersedes from evidence where supersedes is not null)
),
counted as (
  select * from ledger where kind <> 'void' and source in ('teacher', 'external') and weight > 0
),
ranked as (
  select *,
         row_number() over (partition by student_id, target_id
                            order by assessed_on desc, tie_recorded_at desc nulls last,
                                     tie_sequence desc) as recent,
         count(*) over (partition by student_id, target_id) as n
  from counted
),
pairs as (select distinct student_id, target_id from evidence),
"""

_RATED = {
    "latest": """rated as (
  select student_id, target_id, max(level) filter (where recent = 1) as rating, count(*) as n
  from ranked group by all)""",
    "highest": """rated as (
  select student_id, target_id, max(level) as rating, count(*) as n from counted group by all)""",
    "average": """rated as (
  select student_id, target_id, avg(level) as rating, count(*) as n from counted group by all)""",
    "average_recent": """rated as (
  select student_id, target_id, avg(level) filter (where recent <= {count}) as rating,
         count(*) as n
  from ranked group by all)""",
    "weighted_latest": """rated as (
  select student_id, target_id, count(*) as n,
         case when count(*) = 1 then max(level)
              else max(level) filter (where recent = 1) * {weight}
                   + (sum(level) - max(level) filter (where recent = 1)) / (count(*) - 1)
                     * (1 - {weight}) end as rating
  from ranked group by all)""",
    "decaying_average": """rated as (
  select student_id, target_id, count(*) as n,
         sum(level * case when recent = n then pow(1 - {rate}, n - 1)
                          else {rate} * pow(1 - {rate}, recent - 1) end) as rating
  from ranked group by all)""",
    "n_mastery": """rated as (
  select student_id, target_id, count(*) as n,
         case when count(*) filter (where level >= 3) >= {count}
              then avg(level) filter (where level >= 3) end as rating
  from counted group by all)""",
    "mode_recent": """tallies as (
  select student_id, target_id, level, count(*) as times, min(recent) as last_seen
  from ranked where recent <= {count} group by all),
totals as (select student_id, target_id, count(*) as n from counted group by all),
rated as (
  select t.student_id, t.target_id, any_value(totals.n) as n,
         arg_max(t.level, t.times * 1000000 - t.last_seen) as rating
  from tallies t join totals using (student_id, target_id) group by all)""",
    "power_law": """rated as (
  select student_id, target_id, count(*) as n,
         case when count(*) = 1 then max(level)
              else least(greatest(exp(regr_intercept(ln(level), ln(n - recent + 1))
                   + regr_slope(ln(level), ln(n - recent + 1)) * ln(count(*))), 1), 4)
         end as rating
  from ranked group by all)""",
    "consistent": """levels as (select * from (values (1), (2), (3), (4)) as l(value)),
recent as (
  select student_id, target_id, level,
         coalesce(nullif(trim(context), ''), 'no context recorded') as context
  from ranked where recent <= {window}),
shown as (
  select r.student_id, r.target_id, l.value,
         count(*) filter (where r.level >= l.value) as at_bats,
         count(distinct r.context) filter (where r.level >= l.value) as contexts
  from recent r cross join levels l group by all),
totals as (select student_id, target_id, count(*) as n from counted group by all),
rated as (
  select s.student_id, s.target_id, any_value(totals.n) as n,
         max(s.value) filter (where s.at_bats >= {at_bats}
                              and (s.value < 3 or s.contexts >= {contexts})) as rating
  from shown s join totals using (student_id, target_id) group by all)""",
}

_REPORT = """
select p.student_id, p.target_id, round(r.rating, 2) as rating,
       case when round(r.rating, 2) >= 4 then 'Exceeding'
            when round(r.rating, 2) >= 3 then 'Meeting'
            when round(r.rating, 2) >= 2 then 'Developing'
            when round(r.rating, 2) >= 1 then 'Beginning' end as level,
       coalesce(round(r.rating, 2) >= 3, false) as mastered,
       coalesce(r.n, 0) as counted,
       case when r.rating is null then 'insufficient_evidence' else 'rated' end as status
from pairs p left join rated r using (student_id, target_id)
order by p.student_id, p.target_id
"""


def duckdb_sql(method: str) -> str:
    parameters = {key: value for key, value in POLICIES[method].items() if key != "name"}
    return _LEDGER + _RATED[method].format(**parameters) + _REPORT


# -- one case, in its own process ----------------------------------------------------------------


def run_case(engine: str, method: str, data: Path, output: Path, repeat: int) -> dict[str, float]:
    import duckdb
    import pyarrow as pa
    import pyarrow.ipc

    from mastery.engine.batch import rate_batch
    from mastery.engine.policy import Policy

    table = read_district(data)
    policy = Policy.from_dict({"scale": SCALE, "method": POLICIES[method]})
    connection = duckdb.connect()
    if table.num_rows >= HUGE:
        # Beside the 5.7 GB input on a 24 GB machine DuckDB may not take its default 80% of
        # memory: past its limit it spills (or, for what cannot spill, runs out of memory).
        connection.execute(f"set memory_limit = '{HUGE_DUCKDB_MEMORY}'")
        connection.execute(f"set temp_directory = '{DATA / 'duckdb-spill'}'")
        # What DuckDB's own advice on running out of memory says first (the query orders its
        # output itself).
        connection.execute("set preserve_insertion_order = false")
    connection.register("evidence", table)
    seconds = float("inf")
    result = None
    for _ in range(repeat):
        # The last run's output is let go first: DuckDB counts its Arrow result against its
        # memory limit, so keeping it would leave the next run less.
        result = None
        started = time.perf_counter()
        if engine == "batch":
            result = rate_batch(policy, table).to_arrow()
        else:
            result = connection.sql(duckdb_sql(method)).to_arrow_table()
        seconds = min(seconds, time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert result is not None, "--repeat must be at least 1"
    with pa.OSFile(str(output), "wb") as sink, pa.ipc.new_file(sink, result.schema) as writer:
        writer.write_table(result)
    return {"seconds": seconds, "peak_mb": peak, "pairs": result.num_rows}


def _in_subprocess(
    engine: str, method: str, data: Path, repeat: int, *, huge_pages: bool = True
) -> dict[str, float]:
    output = DATA / f"out-{engine}-{method}-{data.stem}.arrow"
    environment = {**os.environ, "NUMPY_MADVISE_HUGEPAGE": "1" if huge_pages else "0"}
    completed = subprocess.run(
        [
            sys.executable,
            __file__,
            "--case",
            engine,
            "--methods",
            method,
            "--data",
            str(data),
            "--output",
            str(output),
            "--repeat",
            str(repeat),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{engine} {method} failed:\n{completed.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def agreement(method: str, data: Path) -> float:
    """Share of pairs where DuckDB's status and rating (to the cent) equal the batch path's."""
    import numpy as np

    tables = [
        read_district(DATA / f"out-{engine}-{method}-{data.stem}.arrow")
        for engine in ("batch", "duckdb")
    ]
    batch, sql = tables
    if batch.num_rows != sql.num_rows:
        return 0.0
    batch_rating = batch["rating"].cast("float64").to_numpy(zero_copy_only=False)
    sql_rating = sql["rating"].cast("float64").to_numpy(zero_copy_only=False)
    both_null = np.isnan(batch_rating) & np.isnan(sql_rating)
    same = both_null | (np.abs(batch_rating - sql_rating) < 0.005)
    same &= batch["status"].to_numpy(zero_copy_only=False) == sql["status"].to_numpy(
        zero_copy_only=False
    )
    for engine in ("batch", "duckdb"):
        (DATA / f"out-{engine}-{method}-{data.stem}.arrow").unlink()
    return float(same.mean())


def reference_rate(
    method: str, data: Path, sample: int = REFERENCE_SAMPLE, repeat: int = 1
) -> float:
    """At-bats per second of `rate()` (no next step) over the pairs of a sample of students,
    from the fastest of `repeat` passes."""
    import pyarrow.compute as pc

    from mastery.engine.evidence import AtBat
    from mastery.engine.policy import Policy
    from mastery.engine.rating import rate

    table = read_district(data, memory_map=True)
    students = pc.unique(table["student_id"])
    share = max(1, int(len(students) * sample / table.num_rows))
    chosen = students.slice(0, share)
    rows = table.filter(pc.is_in(table["student_id"], value_set=chosen)).to_pylist()
    by_pair: dict[tuple[int, int], list[AtBat]] = {}
    for row in rows:
        entry = AtBat(
            id=str(row["id"]),
            level=row["level"],
            assessed_on=row["assessed_on"],
            recorded_at=row["recorded_at"],
            sequence=row["sequence"],
            source=row["source"],
            context=row["context"],
            weight=row["weight"],
            independent=row["independent"],
            kind=row["kind"],
            supersedes=None if row["supersedes"] is None else str(row["supersedes"]),
        )
        by_pair.setdefault((row["student_id"], row["target_id"]), []).append(entry)
    policy = Policy.from_dict({"scale": SCALE, "method": POLICIES[method]})
    seconds = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for (_, target), entries in by_pair.items():
            rate(policy, entries, target=str(target), with_next_step=False)
        seconds = min(seconds, time.perf_counter() - started)
    return len(rows) / seconds


# -- the table -----------------------------------------------------------------------------------


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(size) for size in DEFAULT_SIZES))
    parser.add_argument("--huge", action="store_true", help="also 100 M at-bats")
    parser.add_argument("--methods", default=",".join(POLICIES))
    parser.add_argument("--no-duckdb", action="store_true", help="skip the DuckDB SQL baseline")
    parser.add_argument(
        "--no-huge-pages",
        action="store_true",
        help="run the batch path without numpy's huge-page advice (as `mastery ratings` does)",
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs per case; the fastest counts (default 2)"
    )
    parser.add_argument("--case", choices=("batch", "duckdb"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    methods = args.methods.split(",")
    if args.case:
        print(json.dumps(run_case(args.case, methods[0], args.data, args.output, args.repeat)))
        return 0
    sizes = [int(size) for size in args.sizes.split(",")] + ([HUGE] if args.huge else [])
    DATA.mkdir(parents=True, exist_ok=True)
    print(
        f"Batch path vs reference engine vs DuckDB SQL ({os.cpu_count()} cores; "
        "peak = max resident memory of the process, input included)"
    )
    header = (
        f"{'method':<17}{'at-bats':>8}{'batch s':>9}{'M/s':>7}{'peak MB':>9}"
        f"{'DuckDB s':>10}{'peak MB':>9}{'ref k/s':>9}{'x ref':>8}{'x DuckDB':>9}{'agree':>8}"
    )
    print(header)
    print("-" * len(header))
    reference: dict[str, float] = {}
    for size in sizes:
        data = DATA / f"district-{_label(size)}.arrow"
        if not data.exists():
            started = time.perf_counter()
            write_district(size, data)
            print(f"(wrote {data} in {time.perf_counter() - started:.0f} s)", flush=True)
        for method in methods:
            if method not in reference:
                reference[method] = reference_rate(method, data, repeat=args.repeat)
            batch = _in_subprocess(
                "batch", method, data, args.repeat, huge_pages=not args.no_huge_pages
            )
            rate = size / batch["seconds"]
            line = (
                f"{method:<17}{_label(size):>8}{batch['seconds']:>9.2f}{rate / 1e6:>7.1f}"
                f"{batch['peak_mb']:>9.0f}"
            )
            if args.no_duckdb:
                line += f"{'-':>10}{'-':>9}"
                versus_duckdb, agree = "-", "-"
            else:
                try:
                    sql = _in_subprocess("duckdb", method, data, args.repeat)
                except RuntimeError as error:
                    reason = "out of memory" if "Out of Memory" in str(error) else "failed"
                    line += f"{reason:>19}"
                    versus_duckdb, agree = "-", "-"
                    (DATA / f"out-batch-{method}-{data.stem}.arrow").unlink(missing_ok=True)
                else:
                    line += f"{sql['seconds']:>10.2f}{sql['peak_mb']:>9.0f}"
                    versus_duckdb = f"{sql['seconds'] / batch['seconds']:.1f}x"
                    agree = f"{100 * agreement(method, data):.2f}%"
            line += (
                f"{reference[method] / 1e3:>9.1f}{rate / reference[method]:>7.0f}x"
                f"{versus_duckdb:>9}{agree:>8}"
            )
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
