"""Synthetic district evidence for the benchmarks: the shape of a real ledger export, seeded.

Each student is assessed on 40 targets, about 6 at-bats each, over a 180-day year: mostly teacher
evidence (some external, self and peer), 5% practice (weight 0), 6 contexts, 1 in 20 at-bats done
with support, and corrections (2%) and voids (1%) appended as later ledger entries, as the
evidence app records them. Rows arrive in ledger order (by id), so a student's at-bats are spread
across the whole file.

    table = district(10_000_000)            # a pyarrow Table
    write_csv(table, path)                  # the same data as `mastery ratings` reads it
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.ipc

TARGETS_PER_STUDENT = 40
AT_BATS_PER_PAIR = 6
CONTEXTS = ("Lab Report", "Essay", "Quiz", "Project", "Presentation", "Fieldwork")
SOURCES = ("teacher", "external", "self", "peer")
SOURCE_SHARES = (0.82, 0.06, 0.08, 0.04)
FIRST_DAY = np.datetime64("2026-09-01")


def district(at_bats: int, *, seed: int = 2026, first_id: int = 1, first_pair: int = 0) -> pa.Table:
    """About `at_bats` ledger rows: records in recording order, then corrections and voids.

    `first_id` and `first_pair` let several calls build one larger district in parts.
    """
    rng = np.random.default_rng(seed)
    corrections = at_bats // 50
    voids = at_bats // 100
    records = at_bats - corrections - voids
    pairs = max(records // AT_BATS_PER_PAIR, 1)
    pair = rng.integers(0, pairs, records)
    # Each student-target pair has a true level that grows over the year; observations scatter
    # around it.
    start = rng.normal(1.8, 0.5, pairs)
    growth = rng.normal(1.2, 0.5, pairs)
    day = rng.integers(0, 180, records)
    recorded = (day * 86_400 + rng.integers(8 * 3600, 86_400 * 3, records)) * 1_000_000
    recorded += FIRST_DAY.astype("datetime64[us]").astype(np.int64)
    by_time = np.argsort(recorded, kind="stable")
    pair, day, recorded = pair[by_time], day[by_time], recorded[by_time]
    true = start[pair] + growth[pair] * day / 180
    level = np.clip(np.rint(true + rng.normal(0, 0.6, records)), 1, 4).astype(np.int8)
    source = rng.choice(len(SOURCES), records, p=SOURCE_SHARES).astype(np.int8)

    changed = rng.choice(records, corrections + voids, replace=False)
    fixed, voided = changed[:corrections], changed[corrections:]
    total = records + corrections + voids
    later = np.concatenate(
        (
            recorded[fixed] + 7 * 86_400_000_000,
            recorded[voided] + 86_400_000_000,
        )
    )
    kind = np.concatenate(
        (np.zeros(records, np.int8), np.ones(corrections, np.int8), np.full(voids, 2, np.int8))
    )
    new_level = np.clip(level[fixed] + rng.integers(-1, 2, corrections), 1, 4).astype(np.int8)
    every_pair = np.concatenate((pair, pair[changed])) + first_pair
    ids = np.arange(first_id, first_id + total, dtype=np.int64)
    return pa.table(
        {
            "id": ids,
            "student_id": every_pair // TARGETS_PER_STUDENT + 100_000,
            "target_id": every_pair % TARGETS_PER_STUDENT + 1,
            "level": pa.array(
                np.concatenate((level, new_level, np.zeros(voids, np.int8))), mask=kind == 2
            ),
            "assessed_on": pa.array(
                FIRST_DAY + np.concatenate((day, day[changed])).astype("timedelta64[D]")
            ),
            "recorded_at": pa.array(np.concatenate((recorded, later)).astype("datetime64[us]")),
            "sequence": ids,
            "source": _labels(np.concatenate((source, source[changed])), SOURCES),
            "context": _labels(rng.integers(0, len(CONTEXTS), total), CONTEXTS),
            "weight": np.where(rng.random(total) < 0.05, 0, 1).astype(np.int8),
            "independent": rng.random(total) >= 0.05,
            "kind": _labels(kind, ("record", "correction", "void")),
            "supersedes": pa.array(
                np.concatenate((np.zeros(records, np.int64), changed + first_id)), mask=kind == 0
            ),
        }
    )


def write_district(at_bats: int, path: Path, *, part: int = 10_000_000) -> None:
    """A district of `at_bats` rows as an Arrow IPC file, built `part` rows at a time."""
    written = 0
    with pa.OSFile(str(path), "wb") as sink:
        writer = None
        while written < at_bats:
            size = min(part, at_bats - written)
            table = district(
                size,
                seed=2026 + written,
                first_id=written + 1,
                first_pair=written // AT_BATS_PER_PAIR,
            )
            if writer is None:
                writer = pa.ipc.new_file(sink, table.schema)
            writer.write_table(table)
            written += size
        if writer is not None:
            writer.close()


def read_district(path: Path, *, memory_map: bool = False) -> pa.Table:
    """The district at `path`, read into memory (or memory-mapped: pages the kernel may drop)."""
    with pa.memory_map(str(path)) if memory_map else pa.OSFile(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def _labels(codes: np.ndarray, labels: tuple[str, ...]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int8)), pa.array(labels))


def plain(table: pa.Table) -> pa.Table:
    """Only what a spreadsheet export has: no ids, no corrections (their result applied)."""
    kind = table["kind"].combine_chunks().dictionary_decode()
    keep = pc.equal(kind, "record")
    return table.filter(keep).select(
        [
            "student_id",
            "target_id",
            "level",
            "assessed_on",
            "context",
            "source",
            "weight",
            "independent",
            "recorded_at",
        ]
    )


def write_csv(table: pa.Table, path: Path) -> None:
    """`table` as `mastery ratings` reads it (dictionary columns written as their text)."""
    decoded = pa.table(
        {
            name: column.combine_chunks().dictionary_decode()
            if pa.types.is_dictionary(column.type)
            else column
            for name, column in zip(table.column_names, table.columns, strict=True)
        }
    )
    pa_csv.write_csv(decoded, path)
