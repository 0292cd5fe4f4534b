"""`mastery ratings`: the grading engine on files, for a district data team or a school trying a
policy on its spreadsheet export -- no server, no database.

    mastery ratings --policy POLICY.json EVIDENCE.csv [-o OUT.csv] [--explain]

EVIDENCE.csv needs a header with ``student_id,target_id,level,assessed_on`` and may have
``context,source,weight,independent,recorded_at`` (other columns are ignored). Output: one row per
(student, target), sorted by student_id then target_id (as text), with the columns
``student_id,target_id,rating,level,mastered,counted,status`` (and ``explanation`` with
--explain); no -o, or ``-o -``, writes to standard output.

It streams: the file is read in blocks, checked, and spread over partition files by (student,
target), so memory stays near one partition's worth however long the file is (a 10-million-row
file included). Bad input -- a missing column, an unknown method, a level off the scale, a bad
date -- is one line on standard error naming the file, the row (the header is row 1, as in a
spreadsheet) and the column, with exit status 2; nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

# numpy's advice to use huge pages makes a cold one-shot run slower on kernels that compact
# memory for them synchronously (THP defrag=madvise): ~40% on a 10 M-row file.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from mastery.engine.batch import rate_batch
from mastery.engine.batch_columns import MAX_DECIMALS
from mastery.engine.evidence import AtBat, LedgerError, Source
from mastery.engine.policy import Policy, PolicyError
from mastery.engine.rating import rate
from mastery.engine.scales import format_number

REQUIRED = ("student_id", "target_id", "level", "assessed_on")
OPTIONAL = ("context", "source", "weight", "independent", "recorded_at")
OUTPUT = ("student_id", "target_id", "rating", "level", "mastered", "counted", "status")

BLOCK_BYTES = 1 << 20
PARTITION_BYTES = 32 << 20
"""About this much CSV goes into one partition: a partition is rated in memory at once."""

_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


class InputError(Exception):
    """Bad input; the message is the one line printed on standard error."""


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="mastery ratings",
        description="Compute ratings from an evidence CSV under a grading policy.",
    )
    parser.add_argument("--policy", required=True, type=Path, help="the policy (JSON)")
    parser.add_argument("evidence", type=Path, help="the evidence (CSV with a header)")
    parser.add_argument("-o", "--output", default="-", help="where to write (default: stdout)")
    parser.add_argument(
        "--explain", action="store_true", help="add each rating's explanation in plain words"
    )
    args = parser.parse_args(list(argv))
    try:
        policy = read_policy(args.policy)
        with tempfile.TemporaryDirectory(prefix="mastery-ratings-") as work:
            partitions = partition_evidence(args.evidence, policy, Path(work))
            rated = [rate_partition(part, policy, args.explain, Path(work)) for part in partitions]
            write_output(rated, args.output, args.explain)
    except InputError as error:
        print(error, file=sys.stderr)
        return 2
    except OSError as error:  # e.g. -o names a folder that does not exist
        print(f"{error.filename or args.output}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


def read_policy(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: {error.strerror.lower() if error.strerror else error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}, line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    if not isinstance(document, dict):
        raise InputError(f"{path}: the policy must be a JSON object")
    try:
        return Policy.from_dict(document)
    except PolicyError as error:
        raise InputError(f"{path}, field {error.field}: {error.problem}") from None


# -- pass 1: read, check, partition --------------------------------------------------------------


@dataclass
class _Reading:
    """What pass 1 carries from block to block."""

    path: Path
    policy: Policy
    columns: tuple[str, ...]
    next_row: int = 2
    stamps_with_zone: bool | None = None


def partition_evidence(path: Path, policy: Policy, work: Path) -> list[Path]:
    """Check every row and write them, converted, to partition files by (student, target)."""
    try:
        size = path.stat().st_size
        source = pa.OSFile(str(path), "rb")
    except OSError as error:
        raise InputError(f"{path}: {error.strerror.lower() if error.strerror else error}") from None
    partitions = max(1, min(256, size // PARTITION_BYTES + 1))
    invalid: list[Any] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row)
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
        raise InputError(f"{path}, row 1: {_arrow_message(error)}") from None
    header = tuple(reader.schema.names)
    for name in REQUIRED:
        if name not in header:
            raise InputError(
                f"{path}, row 1, column {name}: missing (the header has {', '.join(header)})"
            )
    reading = _Reading(path, policy, tuple(name for name in header if name in REQUIRED + OPTIONAL))
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
                raise InputError(
                    f"{path}, row {reading.next_row} or after: {_arrow_message(error)}"
                ) from None
            if invalid:
                row = invalid[0]
                number = row.number or _row_with_columns_other_than(path, row.expected_columns)
                raise InputError(
                    f"{path}, row {number}: expected {row.expected_columns} columns, "
                    f"got {row.actual_columns}"
                )
            converted = _convert(block, reading)
            reading.next_row += block.num_rows
            for index, part in _split(converted, partitions):
                writer = writers[index]
                if writer is None:
                    writer = writers[index] = pa.ipc.new_stream(sinks[index], part.schema)
                writer.write_batch(part)
    finally:
        for writer in writers:
            if writer is not None:
                writer.close()
        for sink in sinks:
            sink.close()
    return [file for file, writer in zip(files, writers, strict=True) if writer is not None]


def _row_with_columns_other_than(path: Path, expected: int) -> int | str:
    """The first row (header = 1) with another number of columns; only run to report one."""
    with path.open(encoding="utf-8", newline="") as file:
        for number, row in enumerate(csv.reader(file), start=1):
            if len(row) != expected:
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


def _convert(block: pa.RecordBatch, reading: _Reading) -> pa.RecordBatch:
    """The block's columns as the batch path reads them, or InputError for its first bad value."""
    problems: list[tuple[int, int, str, str]] = []
    columns: dict[str, pa.Array] = {}
    for order, name in enumerate(reading.columns):
        raw = block.column(name)
        try:
            columns[name] = _CONVERTERS[name](raw, reading)
        except _BadValue as bad:
            problems.append((bad.index, order, name, bad.problem))
    if problems:
        index, _, name, problem = min(problems)
        raise InputError(
            f"{reading.path}, row {reading.next_row + index}, column {name}: {problem}"
        )
    columns["sequence"] = pa.array(
        np.arange(reading.next_row, reading.next_row + block.num_rows, dtype=np.int64)
    )
    return pa.RecordBatch.from_pydict(columns)


class _BadValue(Exception):
    def __init__(self, index: int, problem: str) -> None:
        self.index = index
        self.problem = problem


def _first(mask: Any) -> int:
    return int(np.flatnonzero(np.asarray(mask))[0])


def _numpy(array: pa.Array) -> Any:
    return array.to_numpy(zero_copy_only=False)


def _trimmed(raw: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(raw)


def _identifier(raw: pa.Array, reading: _Reading) -> pa.Array:
    empty = _numpy(pc.equal(_trimmed(raw), ""))
    if empty.any():
        raise _BadValue(_first(empty), "is empty")
    return raw


_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"


def _numbers(raw: pa.Array, *, default: float | None) -> tuple[pa.Array, Any]:
    """Text to float64 (empty -> default), and which rows are not numbers."""
    text = _trimmed(raw)
    empty = pc.equal(text, "")
    wrong = pc.and_(pc.invert(pc.match_substring_regex(text, _NUMBER)), pc.invert(empty))
    if _numpy(wrong).any():
        index = _first(_numpy(wrong))
        raise _BadValue(index, f"{raw[index].as_py()!r} is not a number")
    filled = pc.if_else(empty, "0" if default is None else str(default), text)
    return pc.cast(filled, pa.float64()), _numpy(empty)


def _level(raw: pa.Array, reading: _Reading) -> pa.Array:
    values, empty = _numbers(raw, default=None)
    if empty.any():
        raise _BadValue(_first(empty), "is empty")
    numbers = _numpy(values)
    scale = reading.policy.scale
    off = (numbers < float(scale.lowest)) | (numbers > float(scale.highest))
    if off.any():
        index = _first(off)
        raise _BadValue(
            index,
            f"{raw[index].as_py().strip()} is off the scale "
            f"({format_number(scale.lowest)}-{format_number(scale.highest)})",
        )
    exact = np.rint(numbers * 10**MAX_DECIMALS) / 10**MAX_DECIMALS == numbers
    if not exact.all():
        index = _first(~exact)
        raise _BadValue(
            index, f"{raw[index].as_py().strip()} has more than {MAX_DECIMALS} decimals"
        )
    return values


def _assessed_on(raw: pa.Array, reading: _Reading) -> pa.Array:
    text = _trimmed(raw)
    try:
        return pc.cast(text, pa.date32())
    except pa.ArrowInvalid:
        pass
    # Arrow's strict ISO parser refused a value; find the first one (only on bad input).
    for index, value in enumerate(text.to_pylist()):
        try:
            date.fromisoformat(value)
            if len(value) == 10:
                continue
        except ValueError:
            pass
        problem = "is empty" if not value else f"{raw[index].as_py()!r} is not a date (YYYY-MM-DD)"
        raise _BadValue(index, problem)
    raise _BadValue(0, "has a date Arrow cannot read")


def _recorded_at(raw: pa.Array, reading: _Reading) -> pa.Array:
    """Timestamps, all as UTC instants: times without a zone keep their order (they may not be
    mixed with times that have one, as in `evidence`)."""
    text = _trimmed(raw)
    present = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    if present.null_count == len(present):
        return pa.nulls(len(present), _STAMP)
    attempts = [False, True] if reading.stamps_with_zone is None else [reading.stamps_with_zone]
    for with_zone in attempts:
        try:
            stamps = pc.cast(present, pa.timestamp("us", tz="UTC" if with_zone else None))
        except pa.ArrowInvalid:
            continue
        reading.stamps_with_zone = with_zone
        return stamps.cast(_STAMP)
    for index, value in enumerate(present.to_pylist()):
        if value is None:
            continue
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:
            raise _BadValue(index, f"{value!r} is not a date and time (ISO 8601)") from None
        if reading.stamps_with_zone is not None and (stamp.tzinfo is not None) != (
            reading.stamps_with_zone
        ):
            break
        if reading.stamps_with_zone is None:
            reading.stamps_with_zone = stamp.tzinfo is not None
    raise _BadValue(index, "mixes times with and without a time zone")


_STAMP = pa.timestamp("us", tz="UTC")


def _source(raw: pa.Array, reading: _Reading) -> pa.Array:
    text = pc.utf8_lower(_trimmed(raw))
    text = pc.if_else(pc.equal(text, ""), Source.TEACHER.value, text)
    known = _numpy(pc.is_in(text, value_set=pa.array([source.value for source in Source])))
    if not known.all():
        index = _first(~known)
        raise _BadValue(
            index, f"{raw[index].as_py()!r} is not one of teacher, self, peer, external"
        )
    return text


def _weight(raw: pa.Array, reading: _Reading) -> pa.Array:
    values, _ = _numbers(raw, default=1)
    negative = _numpy(values) < 0
    if negative.any():
        index = _first(negative)
        raise _BadValue(index, f"{raw[index].as_py().strip()} is below 0")
    return values


def _independent(raw: pa.Array, reading: _Reading) -> pa.Array:
    text = pc.utf8_lower(_trimmed(raw))
    yes = pc.is_in(text, value_set=pa.array(sorted(_TRUE | {""})))
    no = pc.is_in(text, value_set=pa.array(sorted(_FALSE)))
    wrong = _numpy(pc.invert(pc.or_(yes, no)))
    if wrong.any():
        index = _first(wrong)
        raise _BadValue(index, f"{raw[index].as_py()!r} is not true or false")
    return yes


def _context(raw: pa.Array, reading: _Reading) -> pa.Array:
    return raw


_CONVERTERS = {
    "student_id": _identifier,
    "target_id": _identifier,
    "level": _level,
    "assessed_on": _assessed_on,
    "recorded_at": _recorded_at,
    "source": _source,
    "weight": _weight,
    "independent": _independent,
    "context": _context,
}


# -- pass 2: rate each partition, then merge -----------------------------------------------------


def rate_partition(part: Path, policy: Policy, explain: bool, work: Path) -> Path:
    """Rate one partition; its rows, sorted, go to a CSV (no header) beside it."""
    with pa.memory_map(str(part)) as source:
        table = pa.ipc.open_stream(source).read_all()
    try:
        ratings = rate_batch(policy, table).to_arrow()
    except (LedgerError, ValueError) as error:
        raise InputError(f"{part.name}: {error}") from None
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
