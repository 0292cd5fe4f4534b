"""Pass 2 of `mastery ratings`: rate each partition, then merge the sorted partitions into the
output, header first."""

from __future__ import annotations

import csv
import heapq
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from mastery.engine.batch import rate_batch
from mastery.engine.evidence import AtBat, LedgerError, Source
from mastery.engine.policy import Policy
from mastery.engine.rating import rate
from mastery.ratings_cli.evidence_columns import OPTIONAL, REQUIRED, InputError

OUTPUT = ("student_id", "target_id", "rating", "level", "mastered", "counted", "status")


def rate_partition(
    part: Path, policy: Policy, explain: bool, work: Path, *, evidence: Path
) -> Path:
    """Rate one partition; its rows, sorted, go to a CSV (no header) beside it. A problem the
    engine finds is reported against `evidence`, the user's file, with its row and column."""
    with pa.memory_map(str(part)) as source:
        table = pa.ipc.open_stream(source).read_all()
    try:
        ratings = rate_batch(policy, table).to_arrow()
    except (LedgerError, ValueError) as error:
        raise _in_the_evidence_file(str(error), evidence, table) from None
    columns = {
        "student_id": ratings["student_id"],
        "target_id": ratings["target_id"],
        "rating": ratings["rating"],
        "level": ratings["level"].cast(pa.string()),
        "mastered": ratings["mastered"],
        "counted": ratings["counted"],
        "status": ratings["status"].cast(pa.string()),
    }
    if explain:
        columns["explanation"] = pa.array(_explanations(table, policy, ratings))
    output = work / f"{part.stem}.csv"
    pa_csv.write_csv(
        pa.table(columns),
        str(output),
        write_options=pa_csv.WriteOptions(include_header=False, quoting_style="needed"),
    )
    return output


_COLUMN = re.compile(r"\b(" + "|".join((*REQUIRED, *OPTIONAL)) + r")\b")


def _in_the_evidence_file(message: str, evidence: Path, table: pa.Table) -> InputError:
    """The engine's `message` about `table` (a partition; its "row N" are indexes into it) as
    the one line about the user's file: the file, its row and the column the message names.

    Example: "row 4: weight must be 0 or more", where the partition's row 4 is the file's row
    17 -> "evidence.csv, row 17, column weight: weight must be 0 or more".
    """
    rows = table.column("sequence").to_pylist()

    def renumbered(found: re.Match[str]) -> str:
        index = int(found[1])
        return f"row {rows[index]}" if index < len(rows) else found[0]

    text = re.sub(r"\brow (\d+)", renumbered, message)
    leading = re.match(r"row (\d+):? ", text)
    if leading is None:
        return InputError(f"{evidence}: {text}")
    problem = text[leading.end() :]
    column = _COLUMN.search(problem)
    where = f"row {leading[1]}" + (f", column {column[1]}" if column else "")
    return InputError(f"{evidence}, {where}: {problem}", row=int(leading[1]))


def _explanations(table: pa.Table, policy: Policy, ratings: pa.Table) -> list[str]:
    """The reference engine's plain-language explanation of each (student, target), in the
    order of `ratings`."""
    order = pc.sort_indices(
        table, sort_keys=[("student_id", "ascending"), ("target_id", "ascending")]
    )
    rows = table.take(order).to_pylist()
    texts: dict[tuple[str, str], str] = {}
    start = 0
    while start < len(rows):
        key = (rows[start]["student_id"], rows[start]["target_id"])
        stop = start
        while stop < len(rows) and (rows[stop]["student_id"], rows[stop]["target_id"]) == key:
            stop += 1
        entries = [_at_bat(row) for row in rows[start:stop]]
        texts[key] = rate(policy, entries, target=key[1]).explanation.text
        start = stop
    return [
        texts[(student, target)]
        for student, target in zip(
            ratings["student_id"].to_pylist(), ratings["target_id"].to_pylist(), strict=True
        )
    ]


def _at_bat(row: dict[str, Any]) -> AtBat:
    assessed_on: date = row["assessed_on"]
    return AtBat(
        id=f"row {row['sequence']}",
        level=Decimal(repr(row["level"])),
        assessed_on=assessed_on,
        recorded_at=row.get("recorded_at"),
        source=Source(row.get("source") or Source.TEACHER.value),
        context=row.get("context") or None,
        weight=Decimal(repr(row["weight"])) if row.get("weight") is not None else Decimal(1),
        independent=row.get("independent", True),
        sequence=row["sequence"],
        due_on=row.get("due_on"),
    )


def write_output(parts: list[Path], output: str, explain: bool) -> None:
    """Merge the sorted partition outputs into `output` ('-' = stdout), header first."""
    header = list(OUTPUT) + (["explanation"] if explain else [])
    if output == "-":
        _merge(parts, sys.stdout, header)
        sys.stdout.flush()
        return
    target = Path(output)
    handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as sink:
            _merge(parts, sink, header)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (a temporary file is created private; the output should not be)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _merge(parts: list[Path], sink: IO[str], header: list[str]) -> None:
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow(header)
    files = [part.open(encoding="utf-8", newline="") for part in parts]
    try:
        readers: list[Iterator[list[str]]] = [csv.reader(file) for file in files]
        merged: Iterator[list[str]] = heapq.merge(*readers, key=_pair)
        writer.writerows(merged)
    finally:
        for file in files:
            file.close()


def _pair(row: Sequence[str]) -> tuple[str, str]:
    return row[0], row[1]
