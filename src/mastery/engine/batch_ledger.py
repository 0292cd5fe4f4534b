"""The batch path's counting and ordering rules, on columns: which rows count, in what order.

The same rules as `mastery.engine.evidence.count_entries`, for a whole school at once:

- a correction replaces the entry it supersedes, a void retracts it; only the last entry of a
  chain can count, and never a void;
- counted: teacher or external, weight above 0, assessed on or before ``as_of``, and (when the
  policy requires independent work for mastery) not done with support at or above mastery;
- order: ``assessed_on`` (or ``due_on``, or ``recorded_at``), then the original record's
  ``recorded_at`` (none first), then its ``sequence``, then its ``id`` (as text); without an
  ``id`` column, input order stands in for the id.

Sorting is the expensive part. Most ratings need only the (group, date, input position) order, so
those three are packed into one 64-bit number and sorted as plain integers (an order of magnitude
faster than a multi-key sort); the few same-day runs whose ``recorded_at``, ``sequence`` or
``id`` disagree with input order are then re-sorted on their own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mastery.engine.evidence import LedgerError, OrderBy

Int64s = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

NULL_STAMP = np.iinfo(np.int64).min
"""A missing ``recorded_at``: before every real one, as in `evidence.order_key`."""

KIND_RECORD, KIND_CORRECTION, KIND_VOID = 0, 1, 2


class Parts:
    """A column of numbers left in its record batches' arrays, not joined into one copy: read a
    few rows at a time (the tie-breakers need only the tied rows), by row number of the whole.

    Example: Parts([a, b]) with len(a) == 3: parts[[1, 4]] is [a[1], b[1]].
    """

    __slots__ = ("arrays", "starts")

    def __init__(self, arrays: Sequence[Int64s]) -> None:
        self.arrays = list(arrays)
        self.starts = np.cumsum([0, *(len(array) for array in self.arrays)])

    def __len__(self) -> int:
        return int(self.starts[-1])

    def __getitem__(self, rows: Int64s) -> Int64s:
        rows = np.asarray(rows, dtype=np.int64)
        part = np.searchsorted(self.starts, rows, side="right") - 1
        values = np.empty(len(rows), dtype=np.int64)
        for index in np.unique(part):
            here = part == index
            values[here] = self.arrays[index][rows[here] - self.starts[index]]
        return values


Numbers = Int64s | Parts
"""A column of whole numbers: one array, or a table's batches' arrays (`Parts`)."""


@dataclass(frozen=True, slots=True, eq=False)
class LedgerColumns:
    """One row per ledger entry, already reduced to numbers (see `batch.rate_batch`).

    ``group``: the (student, target) pair, 0..groups-1. ``units``: the level times 10**decimals
    (unused for a void). ``parent``: the row a correction or void supersedes, -1 for a record.
    ``counts_by_source``: teacher or external. Dates are days, stamps microseconds. ``ids``:
    each entry's id as text, the last tie-breaker (None: input order instead).
    """

    group: Int64s
    groups: int
    units: Int64s
    assessed_on: Int64s
    recorded_at: Numbers | None
    sequence: Numbers | None
    due_on: Int64s | None
    counts_by_source: Bools
    positive_weight: Bools
    independent: Bools | None
    kind: npt.NDArray[np.int8] | None
    parent: Int64s | None
    ids: pa.Array | pa.ChunkedArray | None = None


@dataclass(frozen=True, eq=False)
class CountedRows:
    """The counted rows, grouped (and, when sorted, in rating order within each group).

    ``carried``: the per-row values the caller asked to bring along, in this order.
    ``starts``/``ends`` delimit each group's run (an empty run for a group with nothing counted).
    """

    starts: Int64s
    ends: Int64s
    carried: tuple[Int64s, ...]

    @functools.cached_property
    def counts(self) -> Int64s:
        return self.ends - self.starts

    @classmethod
    def of_counts(cls, counts: Int64s, carried: Sequence[Int64s]) -> CountedRows:
        ends = np.cumsum(counts)
        return cls(ends - counts, ends, tuple(carried))


Carried = tuple[Int64s, int]
"""Per-row values 0..span-1 to bring along into rating order, and their span."""


@dataclass(frozen=True, slots=True, eq=False)
class LevelHistogram:
    """Counted rows per (level, group): ``table[i, g]`` rows of group g hold level ``units[i]``
    (in units; increasing)."""

    units: Int64s
    table: Int64s


HISTOGRAM_CELLS_PER_ROW = 4
"""`level_histogram` builds its table only up to this many cells a row (plus a few)."""


def level_histogram(
    group: Int64s, groups: int, counted: Bools, units: Int64s, low: int, span: int
) -> LevelHistogram | None:
    """Counted rows per (level, group), in one pass over the rows and no sort: all that the
    methods without an order need. `units` lie in low..low+span-1. None when the table would be
    much larger than the rows (many groups and many distinct levels)."""
    limit = HISTOGRAM_CELLS_PER_ROW * len(group) + 1024
    if span * groups <= limit:
        values = np.arange(low, low + span, dtype=np.int64)
        cell = np.multiply(units, groups, dtype=np.int64)
        cell -= low * groups
    elif span <= limit:
        # Levels with decimals: a row per level value that occurs, not per possible one.
        occurs = np.bincount(units - low, minlength=span) > 0
        values = np.flatnonzero(occurs) + low
        if len(values) * groups > limit:
            return None
        cell = (np.cumsum(occurs) - 1)[units - low]
        cell *= groups
    else:
        return None
    cell += group
    cell += 1
    cell *= counted  # rows that do not count land in cell 0, before the table (a masked copy
    # would take five times as long)
    cells = len(values) * groups
    table = np.bincount(cell, minlength=cells + 1)[1:].reshape(len(values), groups)
    return LevelHistogram(values, table)


def origins_of(parent: Int64s | None, rows: Int64s) -> Int64s:
    """The original record of each of `rows`' correction chains (a record is its own)."""
    if parent is None:
        return rows
    origin = rows.copy()
    moving = np.flatnonzero(parent[rows] >= 0)
    while len(moving):
        origin[moving] = parent[origin[moving]]
        moving = moving[parent[origin[moving]] >= 0]
    return origin


def _check_cycles(parent: Int64s, superseding: Int64s) -> None:
    """Raise LedgerError when following `superseding` rows' chains never reaches a record."""
    current = parent[superseding]
    for _ in range(len(superseding) + 1):
        going_on = parent[current] >= 0
        if not going_on.any():
            return
        superseding, current = superseding[going_on], parent[current[going_on]]
    raise LedgerError(f"row {superseding[0]} is part of a cycle of corrections")


def check_chains(columns: LedgerColumns) -> None:
    """Raise LedgerError for chains `count_entries` refuses, naming the first bad row."""
    parent, kind = columns.parent, columns.kind
    if kind is None:
        return
    has_parent = parent >= 0 if parent is not None else np.zeros(len(kind), dtype=bool)
    mismatched = (kind != KIND_RECORD) != has_parent
    if mismatched.any():
        row = int(np.flatnonzero(mismatched)[0])
        if has_parent[row]:
            raise LedgerError(f"row {row}: a record cannot supersede; use a correction or a void")
        raise LedgerError(f"row {row}: a correction or void must name the entry it supersedes")
    if parent is None:
        return
    rows = np.flatnonzero(has_parent)
    targets = parent[rows]
    bad = rows[kind[targets] == KIND_VOID]
    if len(bad):
        raise LedgerError(f"row {bad[0]} supersedes a void entry (row {parent[bad[0]]})")
    bad = rows[columns.group[targets] != columns.group[rows]]
    if len(bad):
        raise LedgerError(f"row {bad[0]} supersedes an entry of another student or target")
    ordered = np.sort(targets)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    if len(twice):
        raise LedgerError(f"row {twice[0]} is superseded twice")
    _check_cycles(parent, rows)


def counted_mask(
    columns: LedgerColumns,
    *,
    independent_required_from: int | None,
    as_of: int | None,
) -> Bools:
    """Which rows count. `independent_required_from` is the mastery value in level units."""
    counted = columns.counts_by_source & columns.positive_weight
    if columns.kind is not None:
        counted &= columns.kind != KIND_VOID
    if columns.parent is not None:
        replaced = np.zeros(len(counted), dtype=bool)
        replaced[columns.parent[columns.parent >= 0]] = True
        counted &= ~replaced
    if as_of is not None:
        counted &= columns.assessed_on <= as_of
    if independent_required_from is not None and columns.independent is not None:
        counted &= columns.independent | (columns.units < independent_required_from)
    return counted


Key = Callable[[Int64s], Int64s]
"""Sort keys for the given positions (indices into the counted rows), computed only for the rows
that need them: tie-breakers matter only where (group, primary) ties."""


def sort_counted(
    columns: LedgerColumns, counted: Bools, order_by: OrderBy, carried: list[Carried]
) -> CountedRows:
    """The counted rows in (group, rating order), with each group's run."""
    primary, tie_breakers = _rating_order(columns, order_by)
    sorted_rows = _order_counted(
        columns.group, primary, counted, tie_breakers, columns.groups, carried
    )
    if sorted_rows is not None:
        return CountedRows.of_counts(*sorted_rows[:2])
    rows = np.flatnonzero(counted)
    _, group, brought = _order(
        columns.group[rows],
        primary[rows],
        [_of_positions(key, rows) for key in tie_breakers],
        columns.groups,
        [(values[rows], span) for values, span in carried],
    )
    return CountedRows.of_counts(np.bincount(group, minlength=columns.groups), brought)


def latest_sorted(
    columns: LedgerColumns, counted: Bools, order_by: OrderBy, units: npt.NDArray[Any]
) -> tuple[Int64s, Int64s] | None:
    """What `latest_counted` gives, for more pairs than its scatter keeps in the processor's
    cache: the counted rows sorted by a key that carries no level, and each group's last row
    read by number (one small gather, where carrying the level makes an array as long as the
    rows). None when the key does not fit in 64 bits."""
    primary, tie_breakers = _rating_order(columns, order_by)
    ordered = _order_counted(
        columns.group, primary, counted, tie_breakers, columns.groups, [], last_rows=True
    )
    if ordered is None:
        return None
    counts, _, last = ordered
    assert last is not None
    return counts, units[last].astype(np.int64)


def latest_counted(
    columns: LedgerColumns, counted: Bools, order_by: OrderBy, units: npt.NDArray[Any]
) -> tuple[Int64s, Int64s] | None:
    """Per group: how many rows count, and the `units` of the most recent of them in rating
    order -- all that `latest` needs, without a sort.

    The most recent row is the largest (primary, row number) of its group, packed into one
    number: one pass to pack, one to take each group's largest. Only groups whose most recent
    day holds several counted rows go on to the tie-breakers (recorded_at, sequence, id), and
    only those rows are ordered. None when the key does not fit in 64 bits (then sort).

    Example: a group's counted rows (day 3, row 7), (day 5, row 2), (day 5, row 9): the largest
    key is (5, 9); day 5 holds two rows, so rows 2 and 9 are ordered by the tie-breakers.
    """
    primary, tie_breakers = _rating_order(columns, order_by)
    count, groups = len(counted), columns.groups
    if not counted.any():
        return None
    low = int(primary.min())
    primary_bits, position_bits = _bits(int(primary.max()) - low + 1), _bits(count)
    if _bits(groups) + primary_bits + position_bits > 63:
        return None
    packed = _pack_counted(columns.group, primary, low, counted, [], primary_bits, position_bits)
    group = packed >> (primary_bits + position_bits)
    counts = np.bincount(group, minlength=groups)
    best = np.full(groups, -1, dtype=np.int64)  # below every key: no row counts
    np.maximum.at(best, group, packed)
    last = np.where(best >= 0, best & ((1 << position_bits) - 1), 0)
    if tie_breakers:
        # A row is on its group's latest day when its key is at least that day's first
        # possible key; compared a block at a time (no full-length temporaries).
        day_starts = best & ~((1 << position_bits) - 1)
        on_last_day = np.empty(len(packed), dtype=bool)
        for start in range(0, len(packed), PACK_BLOCK):
            stop = start + PACK_BLOCK
            np.greater_equal(
                packed[start:stop], day_starts[group[start:stop]], out=on_last_day[start:stop]
            )
        several = np.bincount(group[on_last_day], minlength=groups) > 1
        if several.any():
            places = np.flatnonzero(on_last_day & several[group])
            rows = packed[places] & ((1 << position_bits) - 1)
            order, tied_group, _ = _order(
                group[places],
                np.zeros(len(places), dtype=np.int64),
                [_of_positions(key, rows) for key in tie_breakers],
                groups,
            )
            ends = np.flatnonzero(np.append(tied_group[1:] != tied_group[:-1], True))
            last[tied_group[ends]] = rows[order[ends]]
    return counts, units[last].astype(np.int64)


def _rating_order(columns: LedgerColumns, order_by: OrderBy) -> tuple[Int64s, list[Key]]:
    """Each row's primary order value (a day, or a time), and the tie-breakers that order rows
    equal on it (they take row numbers and read the original records)."""

    def of_origin(values: Numbers) -> Key:
        # Only the tie-breakers need the original records, and only for the few tied rows.
        return lambda rows: values[origins_of(columns.parent, rows)]

    count = len(columns.group)
    tie_breakers: list[Key] = []
    if order_by is OrderBy.RECORDED_AT:
        if columns.recorded_at is None:
            primary = np.zeros(count, dtype=np.int64)
        else:
            primary = columns.recorded_at[origins_of(columns.parent, np.arange(count))]
        tie_breakers.append(of_origin(columns.assessed_on))
    else:
        primary = columns.assessed_on
        if order_by is OrderBy.DUE_ON and columns.due_on is not None:
            primary = np.where(columns.due_on == NULL_STAMP, primary, columns.due_on)
        if columns.recorded_at is not None:
            tie_breakers.append(of_origin(columns.recorded_at))
    if columns.sequence is not None:
        tie_breakers.append(of_origin(columns.sequence))
    if columns.ids is not None:
        ids = columns.ids
        tie_breakers.append(
            lambda rows: _text_ranks(
                pc.cast(take_rows(ids, origins_of(columns.parent, rows)), pa.string())
            )
        )
    return primary, tie_breakers


def take_rows(column: pa.Array | pa.ChunkedArray, rows: Int64s) -> pa.Array:
    """`column.take(rows)`, a record batch at a time for a column of several: Arrow's own take
    on a chunked column first joins its chunks into one copy."""
    if isinstance(column, pa.Array):
        return column.take(pa.array(rows))
    starts = np.cumsum([0, *(len(chunk) for chunk in column.chunks)])
    part = np.searchsorted(starts, rows, side="right") - 1
    order = np.argsort(part, kind="stable")
    pieces = [
        column.chunk(index).take(pa.array(rows[order[part[order] == index]] - starts[index]))
        for index in np.unique(part)
    ]
    if not pieces:
        return pa.array([], column.type)
    taken = pa.concat_arrays(pieces)
    back = np.empty(len(rows), dtype=np.int64)
    back[order] = np.arange(len(rows))
    return taken.take(pa.array(back))


def _of_positions(key: Key, rows: Int64s) -> Key:
    """`key`, which takes row numbers, for positions among `rows`."""
    return lambda positions: key(rows[positions])


def _order_counted(
    group: Int64s,
    primary: npt.NDArray[np.signedinteger[Any]],
    counted: Bools,
    tie_breakers: list[Key],
    groups: int,
    carried: Sequence[Carried],
    *,
    last_rows: bool = False,
) -> tuple[Int64s, list[Int64s], Int64s | None] | None:
    """`_order` of the `counted` rows, with the key packed over every row and the counted ones
    kept in one pass (no gather of each column first): the counted rows per group, the carried
    values in rating order and, with `last_rows`, each group's last row number in rating order
    (0 for a group with none). The tie-breakers get row numbers. None when the key does not
    fit in 64 bits.

    Each new array of this size costs as much in page faults as the work done in it, so the
    only new ones are the key (sorted in place) and the carried values (the last packed one
    in the key's buffer): the groups are counted and the ties found a block of sorted keys at
    a time, and row numbers are read back only for the tied rows.
    """
    count = len(group)
    if not counted.any():
        return None
    # Over every row (a masked minimum is ten times slower): rows that do not count have real
    # dates too, or else the span is too wide and the caller sorts the counted rows alone.
    low = int(primary.min())
    span = int(primary.max()) - low + 1
    primary_bits, position_bits = _bits(span), _bits(count)
    room = 63 - _bits(groups) - primary_bits - position_bits
    if room < 0:
        return None
    # The carried values that fit in the key ride along; the others are read by row number.
    carried_bits: list[int] = []
    for _, values_span in carried:
        if _bits(values_span) > room - sum(carried_bits):
            break
        carried_bits.append(_bits(values_span))
    packed_along = carried[: len(carried_bits)]
    keys = sort_keys(
        _pack_counted(group, primary, low, counted, packed_along, primary_bits, position_bits)
    )
    shift = sum(carried_bits)  # the row numbers' place in the key
    read = _read_along(keys, shift, position_bits, carried[len(carried_bits) :])
    counts, tied = _runs_of_sorted(keys, shift + position_bits, primary_bits, groups)

    def rows_at(places: Int64s) -> Int64s:
        rows = keys[places]
        rows >>= shift
        rows &= (1 << position_bits) - 1
        return rows

    last = None
    if last_rows:
        # Each group's last place (-1 before the first row; an empty group reads a
        # neighbour's row: it is not rated).
        ends = np.cumsum(counts)
        ends -= 1
        last = rows_at(np.maximum(ends, 0))
    places, rows = _fix_ties(rows_at, tied, tie_breakers) if tie_breakers else (None, None)
    # Nothing reads the keys after the packed values: the lowest is taken in the keys' own
    # buffer (a new array this long costs as much in page faults as the sort).
    packed_values = []
    field_shift = shift
    for index, bits in enumerate(carried_bits):
        field_shift -= bits
        if field_shift or not keys.flags.writeable:  # polars' sorted keys are read-only
            packed_values.append(_field(keys, field_shift, bits))
        else:
            assert index == len(carried_bits) - 1
            keys &= (1 << bits) - 1
            packed_values.append(keys)
    brought = packed_values + read
    if places is not None and rows is not None:
        for sorted_values, (values, _) in zip(brought, carried, strict=True):
            sorted_values[places] = values[rows]
        if last is not None and len(places):
            # The re-sorted places that are a group's last: the first group ending there
            # (the empty groups after it end there too).
            owner = np.searchsorted(ends, places)
            at_end = owner < len(ends)
            at_end[at_end] = ends[owner[at_end]] == places[at_end]
            last[owner[at_end]] = rows[at_end]
    return counts, brought, last


def _read_along(
    keys: Int64s, shift: int, position_bits: int, carried: Sequence[Carried]
) -> list[npt.NDArray[Any]]:
    """The `carried` values of the rows whose numbers the sorted keys hold (`position_bits`
    from `shift` up), in the keys' order, read a block of keys at a time."""
    brought = [np.empty(len(keys), dtype=values.dtype) for values, _ in carried]
    for start in range(0, len(keys), PACK_BLOCK):
        rows = keys[start : start + PACK_BLOCK] >> shift
        rows &= (1 << position_bits) - 1
        for (values, _), out in zip(carried, brought, strict=True):
            np.take(values, rows, out=out[start : start + len(rows)])
    return brought


def _runs_of_sorted(
    keys: Int64s, shift: int, primary_bits: int, groups: int
) -> tuple[Int64s, Bools]:
    """From sorted keys whose bits from `shift` up are (group, primary): the keys per group and
    which neighbours tie on (group, primary), a block of keys at a time (the keys are sorted,
    so a block's groups are one short range)."""
    counts = np.zeros(groups, dtype=np.int64)
    tied = np.empty(max(len(keys) - 1, 0), dtype=bool)
    for start in range(0, len(keys), PACK_BLOCK):
        stop = min(start + PACK_BLOCK, len(keys))
        # One key past the block, to compare its last key with the next block's first.
        ordered = keys[start : stop + 1] >> shift
        np.equal(ordered[:-1], ordered[1:], out=tied[start : start + len(ordered) - 1])
        block_groups = ordered[: stop - start]
        block_groups >>= primary_bits
        first = int(block_groups[0])
        block_groups -= first
        tally = np.bincount(block_groups)
        counts[first : first + len(tally)] += tally
    return counts, tied


PACK_BLOCK = 1 << 16
"""Rows packed at a time by `_pack_counted`: its temporaries stay in the processor's cache."""


def _pack_counted(
    group: Int64s,
    primary: npt.NDArray[np.signedinteger[Any]],
    low: int,
    counted: Bools,
    carried: Sequence[Carried],
    primary_bits: int,
    position_bits: int,
) -> Int64s:
    """The sort key of every counted row, in row order: (group, primary - low, row number, the
    carried values), packed into one int64.

    Built a block of rows at a time straight into the counted rows' array: one pass over the
    columns and one new array the size of the counted rows, where whole-column arithmetic
    would make a key for every row, then a second array for the counted ones (each new array
    of this size costs as much in page faults as the arithmetic done in it).
    """
    count = len(group)
    packed = np.empty(int(np.count_nonzero(counted)), dtype=np.int64)
    block = np.empty(min(count, PACK_BLOCK), dtype=np.int64)
    positions = np.arange(len(block), dtype=np.int64)
    filled = 0
    for start in range(0, count, PACK_BLOCK):
        stop = min(start + PACK_BLOCK, count)
        key = block[: stop - start]
        np.left_shift(group[start:stop], primary_bits, out=key)
        key += primary[start:stop]
        key -= low
        key <<= position_bits
        key += start
        key += positions[: stop - start]
        for values, span in carried:
            key <<= _bits(span)
            key |= values[start:stop]
        kept = counted[start:stop]
        taken = int(np.count_nonzero(kept))
        np.compress(kept, key, out=packed[filled : filled + taken])
        filled += taken
    return packed


def _bits(span: int) -> int:
    return max(int(span - 1).bit_length(), 1) if span > 1 else 1


def _text_ranks(texts: pa.Array) -> Int64s:
    """Each text's rank in code-point order (Python's order for str)."""
    order = pc.sort_indices(texts).to_numpy()
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order))
    return ranks


def _order(
    group: Int64s,
    primary: Int64s,
    tie_breakers: list[Key],
    groups: int,
    carried: Sequence[Carried] = (),
) -> tuple[Int64s, Int64s, list[Int64s]]:
    """The permutation sorting by (group, primary, *tie_breakers, position), the sorted groups,
    and the `carried` values in that order.

    The carried values ride in the packed key's lowest bits, below the position (which is
    unique, so they never change the order): sorting brings them along without a gather.
    """
    count = len(group)
    if count == 0:
        return np.zeros(0, dtype=np.int64), group, [values for values, _ in carried]
    low = int(primary.min())
    span = int(primary.max()) - low + 1
    group_bits, position_bits = _bits(groups), _bits(count)
    if group_bits + _bits(span) + position_bits > 63:
        primary = np.unique(primary, return_inverse=True)[1]
        low, span = 0, int(primary.max()) + 1
    primary_bits = _bits(span)
    if group_bits + primary_bits + position_bits > 63:
        # Too many groups and days to pack into one number: a (slower) two-key sort.
        order = np.lexsort((primary, group))
        group, primary = group[order], primary[order]
        tied = (group[1:] == group[:-1]) & (primary[1:] == primary[:-1])
        places, rows = _fix_ties(order.__getitem__, tied, tie_breakers)
        order[places] = rows
        return order, group, [values[order] for values, _ in carried]
    carried_bits = [_bits(span) for _, span in carried]
    if group_bits + primary_bits + position_bits + sum(carried_bits) > 63:
        order, group, _ = _order(group, primary, tie_breakers, groups)
        return order, group, [values[order] for values, _ in carried]
    packed = group << primary_bits
    packed += primary
    packed -= low
    packed <<= position_bits
    packed |= np.arange(count)
    for (values, _), bits in zip(carried, carried_bits, strict=True):
        packed <<= bits
        packed |= values
    packed = sort_keys(packed)
    brought = []
    shift = 0
    for bits in reversed(carried_bits):
        brought.append(_field(packed, shift, bits))
        shift += bits
    brought.reverse()
    order = _field(packed, shift, position_bits)
    packed = packed >> (shift + position_bits)
    if tie_breakers:
        places, rows = _fix_ties(order.__getitem__, packed[1:] == packed[:-1], tie_breakers)
        order[places] = rows
        for sorted_values, (values, _) in zip(brought, carried, strict=True):
            sorted_values[places] = values[rows]
    packed >>= primary_bits
    return order, packed, brought


def sort_keys(keys: Int64s) -> Int64s:
    """`keys` sorted: in place (the array passed in is spent), unless numpy sorts slowly here.

    numpy's in-place sort is the fastest and makes no new array (the new array's page faults
    cost as much as the sort): on AMD Zen 5, 6 ns a key for 95 M keys against polars' 19 (and
    polars returns a new array). But numpy picks its AVX-512 code wherever the processor has
    AVX-512, and on AMD Zen 4 that code is about five times slower than its AVX2 code (60
    against 12 ns a key for 8 M keys; its compress-store instruction is microcoded there): there
    polars sorts, on every core.
    """
    if _numpy_sorts_slowly():
        import polars as pl

        ordered: Int64s = pl.Series(keys).sort().to_numpy()
        return ordered
    keys.sort()
    return keys


@functools.cache
def _numpy_sorts_slowly() -> bool:
    """True on AMD Zen 4, read from /proc/cpuinfo where there is one."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            return is_zen_4(info.read(8192))  # the first processor's entry
    except OSError:
        return False


def is_zen_4(cpuinfo: str) -> bool:
    """Whether /proc/cpuinfo's first entry is an AMD processor of family 25 with AVX-512 (Zen 4;
    Zen 3, the same family, has no AVX-512, and Zen 5 is family 26)."""
    family = re.search(r"^cpu family\s*:\s*(\d+)", cpuinfo, re.MULTILINE)
    flags = re.search(r"^flags\s*:(.*)$", cpuinfo, re.MULTILINE)
    return (
        "AuthenticAMD" in cpuinfo
        and family is not None
        and int(family.group(1)) == 25
        and flags is not None
        and "avx512f" in flags.group(1).split()
    )


def _field(packed: Int64s, shift: int, bits: int) -> Int64s:
    """The `bits` bits of every packed key that start `shift` bits up, as a new array."""
    values = packed >> shift if shift else packed.copy()
    values &= (1 << bits) - 1
    return values


def _fix_ties(
    rows_at: Callable[[Int64s], Int64s], tied: Bools, tie_breakers: list[Key]
) -> tuple[Int64s, Int64s]:
    """Re-sort the runs of tied (group, primary) that the tie-breakers put in another order than
    position order. `rows_at` gives the row number at sorted places; rows equal on every
    tie-breaker keep position order. Returns the places that change and their rows in the
    right order (empty when none do)."""
    nothing = np.zeros(0, dtype=np.int64)
    same = np.flatnonzero(tied)
    if not len(same):
        return nothing, nothing
    earlier, later = rows_at(same), rows_at(same + 1)
    out_of_order = np.zeros(len(same), dtype=bool)
    pending = np.arange(len(same))
    for key in tie_breakers:
        if not len(pending):
            break
        # One call for both sides, so that keys computed as ranks are comparable.
        keys = key(np.concatenate((earlier[pending], later[pending])))
        earlier_key, later_key = keys[: len(pending)], keys[len(pending) :]
        out_of_order[pending[earlier_key > later_key]] = True
        pending = pending[earlier_key == later_key]
    if not out_of_order.any():
        return nothing, nothing
    # Runs: maximal stretches of tied neighbours (read off the tied places, not the whole
    # mask); re-sort those with a doubtful pair.
    breaks = np.flatnonzero(np.diff(same) != 1)
    starts = same[np.concatenate(([0], breaks + 1))]
    stops = same[np.append(breaks, len(same) - 1)] + 2
    doubtful = same[out_of_order]
    which = np.unique(np.searchsorted(starts, doubtful, side="right") - 1)
    lengths = stops[which] - starts[which]
    places = np.repeat(starts[which], lengths) + (
        np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    run = np.repeat(np.arange(len(which)), lengths)
    members = rows_at(places)
    member_keys = [key(members) for key in tie_breakers]
    return places, members[np.lexsort((members, *reversed(member_keys), run))]
