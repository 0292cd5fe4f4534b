"""The evidence file's columns, checked and converted to what the batch path reads.

Each converter takes a block's column as text and returns it converted, or raises `_BadValue`
with the index of its first bad value; `convert_block` turns the leftmost problem of the
earliest row into the one-line `InputError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mastery.engine.batch_columns import MAX_DECIMALS
from mastery.engine.evidence import Source
from mastery.engine.policy import Policy
from mastery.engine.scales import format_number

REQUIRED = ("student_id", "target_id", "level", "assessed_on")
OPTIONAL = ("context", "source", "weight", "independent", "recorded_at", "due_on")

_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


class InputError(Exception):
    """Bad input; the message is the one line printed on standard error. `row` is the file's
    row it names (the header is row 1), when it names one."""

    def __init__(self, message: str, *, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


@dataclass
class Reading:
    """What reading carries from block to block."""

    path: Path
    policy: Policy
    columns: tuple[str, ...]
    next_row: int = 2
    stamps_with_zone: bool | None = None


def convert_block(block: pa.RecordBatch, reading: Reading) -> pa.RecordBatch:
    """The block's columns as the batch path reads them (plus ``sequence``, the file's row
    number), or InputError for its first bad value: the earliest row, then the leftmost column.
    """
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
        row = reading.next_row + index
        raise InputError(f"{reading.path}, row {row}, column {name}: {problem}", row=row)
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


def _identifier(raw: pa.Array, reading: Reading) -> pa.Array:
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


def _level(raw: pa.Array, reading: Reading) -> pa.Array:
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


def _assessed_on(raw: pa.Array, reading: Reading) -> pa.Array:
    return _dates(_trimmed(raw), raw)


def _due_on(raw: pa.Array, reading: Reading) -> pa.Array:
    """Due dates; an empty one is null (the at-bat is then ordered by its assessed_on)."""
    text = _trimmed(raw)
    return _dates(pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text), raw)


def _dates(text: pa.Array, raw: pa.Array) -> pa.Array:
    try:
        return pc.cast(text, pa.date32())
    except pa.ArrowInvalid:
        pass
    # Arrow's strict ISO parser refused a value; find the first one (only on bad input).
    for index, value in enumerate(text.to_pylist()):
        if value is None:
            continue
        try:
            date.fromisoformat(value)
            if len(value) == 10:
                continue
        except ValueError:
            pass
        problem = "is empty" if not value else f"{raw[index].as_py()!r} is not a date (YYYY-MM-DD)"
        raise _BadValue(index, problem)
    raise _BadValue(0, "has a date Arrow cannot read")


def _recorded_at(raw: pa.Array, reading: Reading) -> pa.Array:
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


def _source(raw: pa.Array, reading: Reading) -> pa.Array:
    text = pc.utf8_lower(_trimmed(raw))
    text = pc.if_else(pc.equal(text, ""), Source.TEACHER.value, text)
    known = _numpy(pc.is_in(text, value_set=pa.array([source.value for source in Source])))
    if not known.all():
        index = _first(~known)
        raise _BadValue(
            index, f"{raw[index].as_py()!r} is not one of teacher, self, peer, external"
        )
    return text


def _weight(raw: pa.Array, reading: Reading) -> pa.Array:
    values, _ = _numbers(raw, default=1)
    negative = _numpy(values) < 0
    if negative.any():
        index = _first(negative)
        raise _BadValue(index, f"{raw[index].as_py().strip()} is below 0")
    return values


def _independent(raw: pa.Array, reading: Reading) -> pa.Array:
    text = pc.utf8_lower(_trimmed(raw))
    yes = pc.is_in(text, value_set=pa.array(sorted(_TRUE | {""})))
    no = pc.is_in(text, value_set=pa.array(sorted(_FALSE)))
    wrong = _numpy(pc.invert(pc.or_(yes, no)))
    if wrong.any():
        index = _first(wrong)
        raise _BadValue(index, f"{raw[index].as_py()!r} is not true or false")
    return yes


def _context(raw: pa.Array, reading: Reading) -> pa.Array:
    return raw


_CONVERTERS = {
    "student_id": _identifier,
    "target_id": _identifier,
    "level": _level,
    "assessed_on": _assessed_on,
    "due_on": _due_on,
    "recorded_at": _recorded_at,
    "source": _source,
    "weight": _weight,
    "independent": _independent,
    "context": _context,
}
