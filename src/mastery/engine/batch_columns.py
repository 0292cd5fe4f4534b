"""Reading evidence columns for the batch path: each column as numbers, checked.

Arrow (and polars, and dicts of arrays) in; numpy arrays out: (student, target) pair codes,
levels as exact whole "units", dates as days, timestamps as microseconds, and the flags the
counting rules need. Dictionary columns are worked on once per distinct value; whole-number ids
are used as they are. A bad value raises ValueError (or LedgerError) naming its row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mastery.engine.batch_ledger import (
    KIND_CORRECTION,
    KIND_RECORD,
    KIND_VOID,
    NULL_STAMP,
    Bools,
    Int64s,
    Parts,
)
from mastery.engine.evidence import EntryKind, LedgerError, Source
from mastery.engine.methods import NO_CONTEXT
from mastery.engine.scales import Scale, format_number

MAX_DECIMALS = 9
"""The most decimals a level may have on the batch path (levels become exact integers)."""


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def as_table(evidence: Any) -> pa.Table:
    if isinstance(evidence, pa.Table):
        return evidence
    if hasattr(evidence, "to_arrow") and hasattr(evidence, "schema"):
        table = evidence.to_arrow()
        assert isinstance(table, pa.Table)
        return table
    if isinstance(evidence, Mapping):
        return pa.table({name: _as_array(values) for name, values in evidence.items()})
    raise TypeError("evidence must be an Arrow table, a polars DataFrame or a dict of columns")


def _as_array(values: Any) -> pa.Array:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    if isinstance(values, np.ndarray):
        return pa.array(values)
    return pa.array(list(values))


def column_of(table: pa.Table, name: str, *, decode: bool = True) -> pa.Array | None:
    if name not in table.column_names:
        return None
    chunked = table[name]
    column = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
    if decode and pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    return column


def first_null(column: pa.Array) -> int:
    return int(np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False))[0])


def read_groups(table: pa.Table) -> tuple[Int64s, int, Bools | None, pa.Array, pa.Array]:
    """A code per (student, target) pair, numbered in (student, target) order; the number of
    codes; which codes are pairs that occur (None: all of them); and each pair's student_id and
    target_id.

    Small whole-number ids (the usual database keys) are their own code, student x width +
    target, when that leaves few gaps: no renumbering pass.
    """
    for name in ("student_id", "target_id"):
        if table[name].null_count:
            column = column_of(table, name)
            assert column is not None
            raise ValueError(f"row {first_null(column)}: {name} is empty")
    students, targets = table["student_id"], table["target_id"]
    if pa.types.is_integer(students.type) and pa.types.is_integer(targets.type) and len(students):
        student_range = pc.min_max(table["student_id"]).as_py()
        target_range = pc.min_max(table["target_id"]).as_py()
        student_low, target_low = student_range["min"], target_range["min"]
        width = target_range["max"] - target_low + 1
        space = (student_range["max"] - student_low + 1) * width
        if space <= 4 * table.num_rows + 1024:
            # Small whole-number ids (the usual database keys): the pair is its own code.
            pair = _pair_codes(table, width, student_low * width + target_low)
            present = np.bincount(pair, minlength=space) > 0
            distinct = np.flatnonzero(present)
            ids = (
                pa.array(distinct // width + student_low).cast(students.type),
                pa.array(distinct % width + target_low).cast(targets.type),
            )
            if space <= 2 * len(distinct):
                return pair, space, present, *ids
            dense = np.cumsum(present) - 1
            return dense[pair], len(distinct), None, *ids
    students = column_of(table, "student_id")
    targets = column_of(table, "target_id")
    assert students is not None
    assert targets is not None
    student_codes, student_values = factorize(students)
    target_codes, target_values = factorize(targets)
    width = len(target_values)
    pair = student_codes * width + target_codes
    space = len(student_values) * width
    if space <= 4 * len(pair) + 1024:
        group, distinct = _dense(pair, space)
    else:
        distinct, group = np.unique(pair, return_inverse=True)
    return (
        group.astype(np.int64, copy=False),
        len(distinct),
        None,
        student_values.take(pa.array(distinct // width)),
        target_values.take(pa.array(distinct % width)),
    )


def _pair_codes(table: pa.Table, width: int, base: int) -> Int64s:
    """student_id x width + target_id - base for every row, written a record batch at a time:
    a table of several batches is not joined into one copy of each column first."""
    pair = np.empty(table.num_rows, dtype=np.int64)
    start = 0
    for batch in table.select(["student_id", "target_id"]).to_batches():
        codes = pair[start : start + batch.num_rows]
        codes[:] = batch.column(0).to_numpy()
        codes *= width
        codes += batch.column(1).to_numpy()
        codes -= base
        start += batch.num_rows
    return pair


def _dense(codes: Int64s, space: int) -> tuple[Int64s, Int64s]:
    """Codes 0..space-1 renumbered 0..k-1 in the same order, and the k codes present."""
    present = np.bincount(codes, minlength=space) > 0
    dense = np.cumsum(present) - 1
    return dense[codes], np.flatnonzero(present)


def factorize(column: pa.Array) -> tuple[Int64s, pa.Array]:
    """Codes 0..k-1 following the sorted order of the distinct values, and those values."""
    encoded = pc.dictionary_encode(column)
    dictionary = encoded.dictionary
    order = pc.array_sort_indices(dictionary).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[encoded.indices.to_numpy()], dictionary.take(pa.array(order))


def level_units(table: pa.Table, scale: Scale) -> tuple[Int64s, int]:
    """Every level as an exact whole number of units (level x factor), and the factor.

    Null levels (voids) become the lowest level, unused. A level off the scale raises
    LedgerError naming its row.
    """
    column = column_of(table, "level")
    assert column is not None
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        column = pc.cast(column, pa.float64())
    if not (
        pa.types.is_integer(column.type)
        or pa.types.is_floating(column.type)
        or pa.types.is_decimal(column.type)
        or pa.types.is_null(column.type)
    ):
        raise ValueError(f"level must be a number (got {column.type})")
    decimals = max((decimals_of(level.value) for level in scale.levels), default=0)
    factor = 10**decimals
    lowest, highest = int(scale.lowest * factor), int(scale.highest * factor)
    if pa.types.is_integer(column.type):
        # Checked before narrowing (a level far off the scale would wrap around).
        extremes = pc.min_max(column).as_py()
        wide = column.null_count < len(column) and (
            extremes["min"] * factor < lowest or extremes["max"] * factor > highest
        )
        kind = np.int64 if wide else _units_type(scale, factor)
        units = column.fill_null(0).to_numpy().astype(kind)
        if factor != 1:
            units *= factor
        if column.null_count:
            units[column.is_null().to_numpy(zero_copy_only=False)] = lowest
        if wide:
            _off_scale(units, lowest, highest, factor, scale)
        return units, factor
    present = ~column.is_null().to_numpy(zero_copy_only=False)
    values = pc.cast(column, pa.float64()).fill_null(0.0).to_numpy()
    if not np.isfinite(values).all():
        row = int(np.flatnonzero(~np.isfinite(values))[0])
        raise LedgerError(f"row {row}: level {values[row]} is not a number")
    decimals = max(decimals, _float_decimals(values[present]))
    factor = 10**decimals
    lowest, highest = int(scale.lowest * factor), int(scale.highest * factor)
    scaled = np.where(present, np.rint(values * factor), lowest)
    if len(scaled) and (scaled.min() < lowest or scaled.max() > highest):
        _off_scale(scaled, lowest, highest, factor, scale)
    return scaled.astype(_units_type(scale, factor)), factor


def _units_type(scale: Scale, factor: int) -> type[np.signedinteger[Any]]:
    """The narrowest integer type that holds every level of `scale` in units: a smaller array to
    fill (and to page in) than 64-bit numbers, and the values need no more."""
    largest = int(max(abs(scale.lowest), abs(scale.highest)) * factor)
    for kind in (np.int16, np.int32):
        if largest < np.iinfo(kind).max:
            return kind
    return np.int64


def _off_scale(
    units: npt.NDArray[Any], lowest: int, highest: int, factor: int, scale: Scale
) -> None:
    row = int(np.flatnonzero((units < lowest) | (units > highest))[0])
    level = Decimal(int(units[row])) / factor
    raise LedgerError(
        f"row {row}: level {format_number(level)} is off the scale "
        f"({format_number(scale.lowest)} to {format_number(scale.highest)})"
    )


def _float_decimals(values: npt.NDArray[np.float64]) -> int:
    """The fewest decimals that write every value exactly as its shortest decimal form does."""
    for decimals in range(MAX_DECIMALS + 1):
        scaled = np.rint(values * 10**decimals)
        if np.array_equal(scaled / 10**decimals, values):
            return decimals
    bad = values[np.rint(values * 10**MAX_DECIMALS) / 10**MAX_DECIMALS != values]
    raise ValueError(f"level {bad[0]!r} has more than {MAX_DECIMALS} decimals")


def _days(column: pa.Array, name: str) -> npt.NDArray[np.int64]:
    """Dates as days since 1970-01-01 (NULL_STAMP for a null)."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        column = pc.cast(column, pa.date32())
    elif pa.types.is_timestamp(column.type) or pa.types.is_date64(column.type):
        column = pc.cast(pc.cast(column, pa.timestamp("us")), pa.date32())
    if not pa.types.is_date32(column.type):
        raise ValueError(f"{name} must be a date (got {column.type})")
    numbers = pc.cast(column, pa.int32())
    days = (numbers.fill_null(0) if numbers.null_count else numbers).to_numpy()
    if column.null_count:
        days = days.astype(np.int64)
        days[column.is_null().to_numpy(zero_copy_only=False)] = NULL_STAMP
    return days


def _stamps(column: pa.Array) -> npt.NDArray[np.int64]:
    """Timestamps as microseconds (NULL_STAMP for a null)."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        column = pc.cast(column, pa.timestamp("us"))
    if pa.types.is_date(column.type):
        column = pc.cast(column, pa.timestamp("us"))
    if not pa.types.is_timestamp(column.type):
        raise ValueError(f"recorded_at must be a timestamp (got {column.type})")
    stamps = pc.cast(pc.cast(column, pa.timestamp("us", tz=column.type.tz)), pa.int64())
    if stamps.null_count:
        stamps = stamps.fill_null(NULL_STAMP)
    return stamps.to_numpy()


def order_columns(
    table: pa.Table, *, dates: bool
) -> tuple[
    Int64s,
    Int64s | Parts | None,
    Int64s | Parts | None,
    Int64s | None,
    pa.Array | pa.ChunkedArray | None,
]:
    """assessed_on, recorded_at, sequence, due_on and id as numbers, when `dates` (a rating
    order or ``as_of`` needs them); else placeholders."""
    if not dates:
        return np.zeros(table.num_rows, dtype=np.int64), None, None, None, None
    assessed = column_of(table, "assessed_on")
    assert assessed is not None
    assessed_on = _days(assessed, "assessed_on")
    if (assessed_on == NULL_STAMP).any():
        raise ValueError(f"row {int(np.flatnonzero(assessed_on == NULL_STAMP)[0])}: no assessed_on")
    due = column_of(table, "due_on")
    recorded_at = None
    if "recorded_at" in table.column_names and table["recorded_at"].null_count < table.num_rows:
        recorded_at = _tie_breaker(table, "recorded_at", _stamps)
    sequence = None
    if "sequence" in table.column_names:
        sequence = _tie_breaker(table, "sequence", _whole_numbers)
    ids: pa.Array | pa.ChunkedArray | None = None
    if "id" in table.column_names:
        ids = table["id"]
        if ids.num_chunks == 1 or pa.types.is_dictionary(ids.type):
            ids = column_of(table, "id")
    return (
        assessed_on,
        recorded_at,
        sequence,
        None if due is None else _days(due, "due_on"),
        ids,
    )


def _whole_numbers(column: pa.Array) -> Int64s:
    """Whole numbers as int64 (0 for a null)."""
    numbers = pc.cast(column, pa.int64())
    values: Int64s = (numbers.fill_null(0) if numbers.null_count else numbers).to_numpy()
    return values


def _tie_breaker(
    table: pa.Table, name: str, numbers: Callable[[pa.Array], Int64s]
) -> Int64s | Parts:
    """A column only the tie-breakers read (a few tied rows): in a table of several record
    batches, each batch's numbers on their own (`Parts`), without joining them into one copy."""
    chunked = table[name]
    if chunked.num_chunks == 1 or pa.types.is_dictionary(chunked.type):
        column = column_of(table, name)
        assert column is not None
        return numbers(column)
    return Parts([numbers(chunk) for chunk in chunked.chunks])


def count_columns(table: pa.Table) -> tuple[Bools, Bools, Bools | None]:
    """Teacher or external; weight above 0; independent (None: every at-bat is)."""
    rows = table.num_rows
    return (
        _counts_by_source(table, rows),
        _positive_weight(table, rows),
        _flags(table, "independent"),
    )


def increasing(values: Int64s | Parts) -> bool:
    if isinstance(values, Parts):
        arrays = [array for array in values.arrays if len(array)]
        return all(increasing(array) for array in arrays) and all(
            int(before[-1]) < int(after[0]) for before, after in pairwise(arrays)
        )
    return bool(np.all(values[1:] > values[:-1]))


def _text_values(column: pa.Array) -> tuple[pa.Array, npt.NDArray[np.integer[Any]] | None]:
    """A text column as (distinct-ish values, index of each row's value) when it is a
    dictionary, so that per-value work is done once per value; else (the column, None)."""
    if pa.types.is_dictionary(column.type):
        # A null row points at the extra null value appended to the dictionary's values.
        indices = column.indices
        if column.null_count:
            indices = pc.cast(indices, pa.int32()).fill_null(len(column.dictionary))
        values = pc.cast(column.dictionary, pa.string())
        return pa.concat_arrays([values, pa.nulls(1, pa.string())]), indices.to_numpy()
    return pc.cast(column, pa.string()), None


def _per_row(
    result: npt.NDArray[Any], indices: npt.NDArray[np.integer[Any]] | None
) -> npt.NDArray[Any]:
    """The per-value `result` for each row. When each value's result is its own index (kinds
    and contexts usually are), the indices themselves, without a gather."""
    if indices is None:
        return result
    if result.dtype != np.bool_ and np.array_equal(result, np.arange(len(result))):
        return indices  # the dictionary's own indices (read-only), no copy
    return result[indices]


def _counts_by_source(table: pa.Table, rows: int) -> Bools:
    column = column_of(table, "source", decode=False)
    if column is None:
        return np.ones(rows, dtype=bool)
    values, indices = _text_values(column)
    values = values.fill_null(Source.TEACHER.value)
    known = pc.is_in(values, value_set=pa.array([source.value for source in Source])).to_numpy(
        zero_copy_only=False
    )
    if not known.all():  # some value is unknown (per value of a dictionary): is it used?
        known = _per_row(known, indices)
    if not known.all():
        row = int(np.flatnonzero(~known)[0])
        raise ValueError(
            f"row {row}: source {column[row].as_py()!r} is not one of teacher, self, peer, external"
        )
    counting = pa.array([Source.TEACHER.value, Source.EXTERNAL.value])
    return _per_row(pc.is_in(values, value_set=counting).to_numpy(zero_copy_only=False), indices)


def _positive_weight(table: pa.Table, rows: int) -> Bools:
    column = column_of(table, "weight")
    if column is None:
        return np.ones(rows, dtype=bool)
    if not pa.types.is_integer(column.type):
        column = pc.cast(column, pa.float64())
    if column.null_count:
        column = column.fill_null(1)
    weights = column.to_numpy(zero_copy_only=False)
    if not pa.types.is_integer(column.type) or (len(weights) and weights.min() < 0):
        negative = np.flatnonzero(~(weights.astype(np.float64) >= 0))
        if len(negative):
            raise LedgerError(f"row {int(negative[0])}: weight must be 0 or more")
    positive: Bools = weights > 0
    return positive


def _flags(table: pa.Table, name: str) -> Bools | None:
    column = column_of(table, name)
    if column is None:
        return None
    column = pc.cast(column, pa.bool_())
    if column.null_count:
        column = column.fill_null(True)
    flags: Bools = column.to_numpy(zero_copy_only=False)
    return flags


def context_codes(table: pa.Table) -> tuple[Int64s, int]:
    """One code per distinct context, and how many there are; no context (missing or blank) is
    one context of its own."""
    column = column_of(table, "context", decode=False)
    if column is None:
        return np.zeros(table.num_rows, dtype=np.int64), 1
    values, indices = _text_values(column)
    blank = pc.or_kleene(pc.is_null(values), pc.equal(pc.utf8_trim_whitespace(values), ""))
    values = pc.if_else(blank.fill_null(True), NO_CONTEXT, values)
    encoded = pc.dictionary_encode(values)
    codes = encoded.indices.to_numpy().astype(np.int64)
    return _per_row(codes, indices), len(encoded.dictionary)


_KIND_CODES = {
    EntryKind.RECORD.value: KIND_RECORD,
    EntryKind.CORRECTION.value: KIND_CORRECTION,
    EntryKind.VOID.value: KIND_VOID,
}


def read_chains(table: pa.Table) -> tuple[npt.NDArray[np.int8] | None, Int64s | None]:
    """Entry kinds and, per row, the row it supersedes (-1 for none)."""
    kinds = column_of(table, "kind", decode=False)
    supersedes: pa.Array | pa.ChunkedArray | None = None
    if "supersedes" in table.column_names:
        supersedes = table["supersedes"]  # not joined: only its non-null values are read
        if pa.types.is_dictionary(supersedes.type):
            supersedes = column_of(table, "supersedes")
    kind = np.zeros(table.num_rows, dtype=np.int8)
    if kinds is None and supersedes is None:
        _check_void_levels(table, kind)
        return None, None
    if kinds is not None:
        values, indices = _text_values(kinds)
        values = values.fill_null(EntryKind.RECORD.value)
        codes = np.full(len(values), -1, dtype=np.int8)
        for name, code in _KIND_CODES.items():
            codes[pc.equal(values, name).to_numpy(zero_copy_only=False)] = code
        kind = _per_row(codes, indices)
        if (kind < 0).any():
            row = int(np.flatnonzero(kind < 0)[0])
            raise ValueError(
                f"row {row}: kind {kinds[row].as_py()!r} is not record, correction or void"
            )
    _check_void_levels(table, kind)
    if supersedes is None or supersedes.null_count == len(supersedes):
        return kind, None
    if "id" not in table.column_names:
        raise ValueError("the evidence has a supersedes column but no id column")
    rows = np.flatnonzero(supersedes.is_valid().to_numpy(zero_copy_only=False))
    wanted = pc.drop_null(supersedes)
    if isinstance(wanted, pa.ChunkedArray):
        wanted = wanted.combine_chunks()
    first = _first_of_consecutive(table["id"])
    if first is not None and pa.types.is_integer(wanted.type):
        # A ledger's own numbering: an id's row is its distance from the first (the id column
        # is not joined into one array for that).
        place = wanted.to_numpy(zero_copy_only=False).astype(np.int64) - first
        found = np.where((place >= 0) & (place < table.num_rows), place, -1)
        ids: pa.Array | pa.ChunkedArray = table["id"]
    else:
        joined = column_of(table, "id")
        assert joined is not None
        ids = joined
        found = _find_ids(joined, pc.cast(wanted, joined.type))
    if (found < 0).any():
        row = int(rows[np.flatnonzero(found < 0)[0]])
        raise LedgerError(
            f"at-bat {ids[row].as_py()!r} supersedes {supersedes[row].as_py()!r}, which is not "
            "among the entries"
        )
    parent = np.full(table.num_rows, -1, dtype=np.int64)
    parent[rows] = found
    return kind, parent


def _first_of_consecutive(ids: pa.ChunkedArray) -> int | None:
    """The first id when the ids are whole numbers counting up by one from the first row, else
    None; checked a chunk at a time."""
    if not pa.types.is_integer(ids.type) or ids.null_count or not len(ids):
        return None
    following = None
    for chunk in ids.chunks:
        if not len(chunk):
            continue
        values = chunk.to_numpy()
        start, end = int(values[0]), int(values[-1])
        if following is not None and start != following:
            return None
        if end - start != len(values) - 1 or not bool(np.all(values[1:] > values[:-1])):
            return None
        following = end + 1
    first: int = ids[0].as_py()
    return first


def _find_ids(ids: pa.Array, wanted: pa.Array) -> Int64s:
    """The row of each wanted id (-1 when absent); raises LedgerError for a repeated id."""
    if ids.null_count:
        raise LedgerError(f"row {first_null(ids)}: the id is empty")
    if pa.types.is_integer(ids.type):
        values = ids.to_numpy().astype(np.int64, copy=False)
        keys = wanted.to_numpy(zero_copy_only=False).astype(np.int64)
        increasing = bool(np.all(values[1:] > values[:-1]))
        if increasing and len(values) and int(values[-1]) - int(values[0]) == len(values) - 1:
            # Consecutive ids (a ledger's own numbering): an id's row is its distance from the
            # first.
            place = keys - int(values[0])
            return np.where((place >= 0) & (place < len(values)), place, -1)
        order = None if increasing else np.argsort(values, kind="stable")
        ordered = values if order is None else values[order]
        if order is not None:
            repeated = np.flatnonzero(ordered[1:] == ordered[:-1])
            if len(repeated):
                raise LedgerError(f"at-bat id {str(ordered[repeated[0]])!r} appears twice")
        # Looked up in their own order, the wanted ids read the ids once, front to back.
        by_key = np.argsort(keys)
        place = np.empty(len(keys), dtype=np.int64)
        place[by_key] = np.searchsorted(ordered, keys[by_key])
        place = np.minimum(place, len(ordered) - 1)
        hit = ordered[place] == keys
        rows = place if order is None else order[place]
        return np.where(hit, rows, -1)
    if pc.count_distinct(ids).as_py() != len(ids):
        counts = pc.value_counts(ids)
        repeated_id = counts.field("values").filter(pc.greater(counts.field("counts"), 1))[0]
        raise LedgerError(f"at-bat id {repeated_id.as_py()!r} appears twice")
    found: Int64s = pc.index_in(wanted, value_set=ids).fill_null(-1).to_numpy()
    return found.astype(np.int64)


def _check_void_levels(table: pa.Table, kind: npt.NDArray[np.int8]) -> None:
    level = column_of(table, "level")
    assert level is not None
    voids = np.flatnonzero(kind == KIND_VOID)
    if len(voids) == level.null_count and level.take(pa.array(voids)).null_count == len(voids):
        return  # every void is null and nothing else is
    null = level.is_null().to_numpy(zero_copy_only=False)
    bad = np.flatnonzero((kind == KIND_VOID) & ~null)
    if len(bad):
        raise LedgerError(f"row {int(bad[0])}: a void entry carries no level")
    bad = np.flatnonzero((kind != KIND_VOID) & null)
    if len(bad):
        raise LedgerError(f"row {int(bad[0])}: a record or correction needs a level")
