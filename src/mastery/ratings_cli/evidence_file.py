"""Pass 1 of `mastery ratings`: read the evidence file in blocks, check every row, and spread the
rows, converted, over partition files by (student, target)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv

from mastery.engine.policy import Policy
from mastery.ratings_cli.evidence_columns import (
    OPTIONAL,
    REQUIRED,
    InputError,
    Reading,
    convert_block,
)

BLOCK_BYTES = 1 << 20
PARTITION_BYTES = 32 << 20
"""About this much CSV goes into one partition: a partition is rated in memory at once."""


def partition_evidence(path: Path, policy: Policy, work: Path) -> list[Path]:
    """Check every row and write them, converted, to partition files by (student, target).

    The first problem -- by row, then by column -- is raised as InputError, whether it is a
    value or a row with the wrong number of columns, wherever in the file it is.
    """
    try:
        size = path.stat().st_size
        source = pa.OSFile(str(path), "rb")
    except OSError as error:
        raise InputError(f"{path}: {error.strerror.lower() if error.strerror else error}") from None
    partitions = max(1, min(256, size // PARTITION_BYTES + 1))
    # Arrow calls this while it parses, before it hands over the block holding the row (and
    # perhaps while the block before it is still being read): a malformed row is known by the
    # time its block arrives, or when the file ends.
    malformed: list[Any] = []

    def on_invalid(row: Any) -> str:
        malformed.append(row)
        return "skip"

    try:
        reader = pa_csv.open_csv(
            source,
            read_options=pa_csv.ReadOptions(block_size=BLOCK_BYTES, use_threads=False),
            parse_options=pa_csv.ParseOptions(invalid_row_handler=on_invalid),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in (*REQUIRED, *OPTIONAL)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise InputError(f"{path}, row 1: {_arrow_message(error)}", row=1) from None
    header = tuple(reader.schema.names)
    for name in REQUIRED:
        if name not in header:
            raise InputError(
                f"{path}, row 1, column {name}: missing (the header has {', '.join(header)})",
                row=1,
            )
    reading = Reading(path, policy, tuple(name for name in header if name in REQUIRED + OPTIONAL))
    files = [work / f"part-{index}.arrow" for index in range(partitions)]
    writers: list[pa.ipc.RecordBatchStreamWriter | None] = [None] * partitions
    sinks = [pa.OSFile(str(file), "wb") for file in files]
    try:
        while True:
            try:
                block = reader.read_next_batch()
            except StopIteration:
                break
            except (pa.ArrowInvalid, UnicodeDecodeError) as error:
                if malformed:
                    raise _malformed_row(path, malformed[0], header) from None
                raise InputError(
                    f"{path}, row {reading.next_row} or after: {_arrow_message(error)}"
                ) from None
            if malformed:
                raise _first_problem(block, reading, _malformed_row(path, malformed[0], header))
            converted = convert_block(block, reading)
            reading.next_row += block.num_rows
            for index, part in _split(converted, partitions):
                writer = writers[index]
                if writer is None:
                    writer = writers[index] = pa.ipc.new_stream(sinks[index], part.schema)
                writer.write_batch(part)
        if malformed:  # the last rows, or all of them, were malformed
            raise _malformed_row(path, malformed[0], header)
    finally:
        for writer in writers:
            if writer is not None:
                writer.close()
        for sink in sinks:
            sink.close()
    return [file for file, writer in zip(files, writers, strict=True) if writer is not None]


def _malformed_row(path: Path, row: Any, header: tuple[str, ...]) -> InputError:
    """The error for a row whose number of columns is not the header's."""
    expected, got = row.expected_columns, row.actual_columns
    number = row.number or _row_with_columns_other_than(path, expected)
    if got < expected:
        column, problem = header[got], "missing"
    else:
        column, problem = str(expected + 1), "not in the header"
    return InputError(
        f"{path}, row {number}, column {column}: {problem} "
        f"(expected {expected} columns, got {got})",
        row=number if isinstance(number, int) else None,
    )


def _first_problem(block: pa.RecordBatch, reading: Reading, malformed: InputError) -> InputError:
    """`malformed`, unless a value in a row of `block` before it is bad: that one comes first.

    Rows of the block up to the malformed one keep their numbers (Arrow skipped it), so a bad
    value found before it is named exactly.
    """
    try:
        convert_block(block, reading)
    except InputError as bad:
        if bad.row is not None and (malformed.row is None or bad.row < malformed.row):
            return bad
    return malformed


def _row_with_columns_other_than(path: Path, expected: int) -> int | str:
    """The first row (header = 1) with another number of columns; only run to report one."""
    with path.open(encoding="utf-8", newline="") as file:
        for number, row in enumerate(csv.reader(file), start=1):
            if row and len(row) != expected:
                return number
    return "?"


def _arrow_message(error: Exception) -> str:
    return str(error).splitlines()[0].removeprefix("CSV parse error: ")


def _split(batch: pa.RecordBatch, partitions: int) -> Iterator[tuple[int, pa.RecordBatch]]:
    """The batch's rows by partition: a hash of (student_id, target_id)."""
    if partitions == 1:
        yield 0, batch
        return
    keys = pl.DataFrame(
        {"student_id": batch.column("student_id"), "target_id": batch.column("target_id")}
    )
    hashes = keys.select(pl.struct("student_id", "target_id").hash(seed=20260901)).to_series()
    part = (hashes.to_numpy() % partitions).astype(np.int64)
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(partitions + 1))
    for index in range(partitions):
        if bounds[index] < bounds[index + 1]:
            yield index, batch.take(pa.array(order[bounds[index] : bounds[index + 1]]))
