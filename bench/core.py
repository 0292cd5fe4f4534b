"""The core of every rating, three ways: why the batch path is numpy (docs/decisions/0002).

    python bench/core.py [--rows 10000000]

The core: order each (student, target)'s at-bats by date, then input order, and take the most
recent one and the mean of the three most recent. Done on the same in-memory columns by

- numpy: the pair, the date and the position packed into one 64-bit integer, one plain sort;
- polars: a multi-column sort, then group_by with last() and tail(3).mean();
- DuckDB: SQL with row_number() over a window, straight from the Arrow table (no extensions).

Each is timed (best of 2) in this process; the table prints the ratio to numpy.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa


def columns(rows: int, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "pair": rng.integers(0, rows // 6, rows),
        "day": rng.integers(0, 180, rows).astype(np.int32),
        "level": rng.integers(1, 5, rows).astype(np.int64),
    }


def with_numpy(data: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    pair, day, level = data["pair"], data["day"], data["level"]
    count = len(pair)
    position_bits = int(count - 1).bit_length()
    packed = pair << 8
    packed += day
    packed <<= position_bits
    packed |= np.arange(count)
    packed.sort()
    order = packed & ((1 << position_bits) - 1)
    group = packed >> (8 + position_bits)
    levels = level[order]
    counts = np.bincount(group)
    ends = np.cumsum(counts)[counts > 0]
    starts = ends - counts[counts > 0]
    prefix = np.concatenate(([0], np.cumsum(levels)))
    first = np.maximum(starts, ends - 3)
    return levels[ends - 1], (prefix[ends] - prefix[first]) / (ends - first)


def with_polars(data: dict[str, np.ndarray]) -> pl.DataFrame:
    frame = pl.DataFrame(data).with_row_index("position")
    return (
        frame.sort(["pair", "day", "position"])
        .group_by("pair", maintain_order=True)
        .agg(pl.col("level").last().alias("latest"), pl.col("level").tail(3).mean().alias("recent"))
    )


def with_duckdb(data: dict[str, np.ndarray]) -> pa.Table:
    evidence = pa.table({**data, "position": np.arange(len(data["pair"]))})
    connection = duckdb.connect()
    connection.register("evidence", evidence)
    return connection.sql(
        """
        select pair, max(level) filter (where recent = 1) as latest,
               avg(level) filter (where recent <= 3) as recent
        from (select *, row_number() over (partition by pair order by day desc, position desc)
                        as recent
              from evidence)
        group by pair order by pair
        """
    ).to_arrow_table()


def best_of(runs: int, work: Callable[[], object]) -> float:
    fastest = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args(argv)
    data = columns(args.rows)
    latest, _ = with_numpy(data)
    check = with_polars(data)
    assert np.array_equal(latest, check["latest"].to_numpy()), "numpy and polars disagree"
    timings = {
        "numpy (packed sort)": best_of(2, lambda: with_numpy(data)),
        "polars (sort + group_by)": best_of(2, lambda: with_polars(data)),
        "DuckDB (window SQL)": best_of(2, lambda: with_duckdb(data)),
    }
    base = timings["numpy (packed sort)"]
    print(f"Core (order, latest, mean of 3 most recent) on {args.rows:,} at-bats")
    print(f"{'engine':<26}{'seconds':>9}{'x numpy':>9}")
    for name, seconds in timings.items():
        print(f"{name:<26}{seconds:>9.2f}{seconds / base:>8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
