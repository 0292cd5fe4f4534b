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

from collections.abc import Callable
from dataclasses import dataclass

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
    recorded_at: Int64s | None
    sequence: Int64s | None
    due_on: Int64s | None
    counts_by_source: Bools
    positive_weight: Bools
    independent: Bools | None
    kind: npt.NDArray[np.int8] | None
    parent: Int64s | None
    ids: pa.Array | None = None


@dataclass(frozen=True, slots=True, eq=False)
class CountedRows:
    """The counted rows, sorted by group and then rating order (oldest first).

    ``rows`` are indices into the input; ``starts``/``ends`` delimit each group's run (an empty
    run for a group with nothing counted).
    """

    rows: Int64s
    group: Int64s
    starts: Int64s
    ends: Int64s

    @property
    def counts(self) -> Int64s:
        return self.ends - self.starts


def roots_of(columns: LedgerColumns) -> Int64s | None:
    """The original record of each row's correction chain (None when nothing is superseded)."""
    parent = columns.parent
    if parent is None or not (parent >= 0).any():
        return None
    root = np.where(parent >= 0, parent, np.arange(len(parent)))
    for _ in range(64):
        jumped = root[root]
        if np.array_equal(jumped, root):
            break
        root = jumped
    cyclic = np.flatnonzero(parent[root] >= 0)
    if len(cyclic):
        raise LedgerError(f"row {cyclic[0]} is part of a cycle of corrections")
    return root


def check_chains(columns: LedgerColumns) -> None:
    """Raise LedgerError for chains `count_entries` refuses, naming the first bad row."""
    parent, kind = columns.parent, columns.kind
    if kind is None:
        return
    has_parent = parent >= 0 if parent is not None else np.zeros(len(kind), dtype=bool)
    bad = np.flatnonzero((kind == KIND_RECORD) & has_parent)
    if len(bad):
        raise LedgerError(f"row {bad[0]}: a record cannot supersede; use a correction or a void")
    bad = np.flatnonzero((kind != KIND_RECORD) & ~has_parent)
    if len(bad):
        raise LedgerError(f"row {bad[0]}: a correction or void must name the entry it supersedes")
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
    twice = np.flatnonzero(np.bincount(targets, minlength=len(parent)) > 1)
    if len(twice):
        raise LedgerError(f"row {twice[0]} is superseded twice")


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


def sort_counted(columns: LedgerColumns, counted: Bools, order_by: OrderBy) -> CountedRows:
    """The counted rows in (group, rating order), with each group's run."""
    rows = np.flatnonzero(counted)
    root = roots_of(columns)
    origin = rows if root is None else root[rows]
    group = columns.group[rows]
    recorded = None if columns.recorded_at is None else columns.recorded_at[origin]
    sequence = None if columns.sequence is None else columns.sequence[origin]
    if order_by is OrderBy.RECORDED_AT:
        primary = recorded if recorded is not None else np.zeros(len(rows), dtype=np.int64)
        tie_breakers = [columns.assessed_on[origin]]
    else:
        primary = columns.assessed_on[rows]
        if order_by is OrderBy.DUE_ON and columns.due_on is not None:
            due = columns.due_on[rows]
            primary = np.where(due == NULL_STAMP, primary, due)
        tie_breakers = [] if recorded is None else [recorded]
    if sequence is not None:
        tie_breakers.append(sequence)
    last_tie_breaker = None
    if columns.ids is not None:
        ids = columns.ids

        def last_tie_breaker(positions: Int64s) -> Int64s:
            return _text_ranks(ids.take(pa.array(origin[positions])))

    order = _order(group, primary, tie_breakers, columns.groups, last_tie_breaker)
    rows, group = rows[order], group[order]
    counts = np.bincount(group, minlength=columns.groups)
    ends = np.cumsum(counts)
    return CountedRows(rows=rows, group=group, starts=ends - counts, ends=ends)


def _bits(span: int) -> int:
    return max(int(span - 1).bit_length(), 1) if span > 1 else 1


LastTieBreaker = Callable[[Int64s], Int64s]
"""Sort keys for the given positions, computed only for the few rows every other key ties."""


def _text_ranks(texts: pa.Array) -> Int64s:
    """Each text's rank in code-point order (Python's order for str)."""
    order = pc.sort_indices(texts).to_numpy()
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order))
    return ranks


def _order(
    group: Int64s,
    primary: Int64s,
    tie_breakers: list[Int64s],
    groups: int,
    last_tie_breaker: LastTieBreaker | None = None,
) -> Int64s:
    """The permutation sorting by (group, primary, *tie_breakers, last tie-breaker, position)."""
    count = len(group)
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    low = int(primary.min())
    span = int(primary.max()) - low + 1
    position_bits = _bits(count)
    if _bits(groups) + _bits(span) + position_bits > 63:
        _, primary = np.unique(primary, return_inverse=True)
        low, span = 0, int(primary.max()) + 1
    if _bits(groups) + _bits(span) + position_bits > 63:
        # Too many groups and days to pack: a (slower) two-key sort.
        order = np.lexsort((primary, group))
        head = np.unique(np.stack((group, primary)), axis=1, return_inverse=True)[1][order]
    else:
        head = (group << _bits(span)) | (primary - low)
        packed = np.sort((head << position_bits) | np.arange(count))
        order = packed & ((1 << position_bits) - 1)
        head = packed >> position_bits
    if tie_breakers or last_tie_breaker is not None:
        _fix_ties(order, head, tie_breakers, last_tie_breaker)
    return order


def _fix_ties(
    order: Int64s,
    heads: Int64s,
    tie_breakers: list[Int64s],
    last_tie_breaker: LastTieBreaker | None,
) -> None:
    """Re-sort, in place, the runs of equal (group, primary) whose tie-breakers disagree with
    position order (or tie completely, when a last tie-breaker must decide)."""
    same = np.flatnonzero(heads[1:] == heads[:-1])
    if not len(same):
        return
    later = np.zeros(len(same), dtype=bool)
    equal_so_far = np.ones(len(same), dtype=bool)
    for key in tie_breakers:
        earlier_key, later_key = key[order[same]], key[order[same + 1]]
        later |= equal_so_far & (earlier_key > later_key)
        equal_so_far &= earlier_key == later_key
    unsettled = later | equal_so_far if last_tie_breaker is not None else later
    if not unsettled.any():
        return
    run = np.concatenate(([0], np.cumsum(heads[1:] != heads[:-1])))
    bad_runs = np.unique(run[same[unsettled]])
    places = np.flatnonzero(np.isin(run, bad_runs))
    members = order[places]
    keys = [key[members] for key in tie_breakers]
    if last_tie_breaker is not None:
        keys.append(last_tie_breaker(members))
    resorted = np.lexsort((members, *reversed(keys), run[places]))
    order[places] = members[resorted]
