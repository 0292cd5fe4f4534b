"""The batch path: every rating of a school or district at once, from columns.

    ratings = rate_batch(policy, evidence)   # an Arrow table, a polars DataFrame or a dict
    ratings.to_arrow()   # student_id, target_id, rating, level, mastered, counted, status

It gives exactly what `rating.rate` gives for each (student, target) -- the same status, rating
to the cent, level, mastered and counted -- without building a Python object per at-bat; the
equivalence is a property test (tests/engine/test_batch_equivalence.py). Why numpy, and the
figures behind that choice: docs/decisions/0002-batch-engine.md.

Evidence columns (one row per ledger entry, any order; extra columns are ignored):

- required: ``student_id``, ``target_id`` (any type), ``level`` (number; null only for a void),
  ``assessed_on`` (date);
- optional: ``recorded_at`` (timestamp), ``sequence`` (int, input order by default), ``source``
  (teacher | self | peer | external, default teacher), ``context`` (text), ``weight`` (number,
  default 1), ``independent`` (bool, default true), ``due_on`` (date), and for corrections and
  voids ``id``, ``kind`` (record | correction | void) and ``supersedes`` (the id it replaces).

Nulls in optional columns take the default, as a missing field does on `AtBat`. Same-day ties are
broken as `evidence.order_key` breaks them: recorded_at, sequence, then id as text; without an
``id`` column, input order stands in for the id.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mastery.engine import batch_columns
from mastery.engine.batch_ledger import (
    Bools,
    Carried,
    CountedRows,
    Int64s,
    LedgerColumns,
    check_chains,
    counted_mask,
    latest_counted,
    latest_sorted,
    level_histogram,
    sort_counted,
    take_rows,
)
from mastery.engine.batch_methods import NEEDS_ORDER, Ordered, compute
from mastery.engine.methods import MethodChoice
from mastery.engine.policy import Policy
from mastery.engine.rating import Status
from mastery.engine.scales import Scale

__all__ = ["REQUIRED_COLUMNS", "BatchRatings", "rate_batch"]

REQUIRED_COLUMNS = ("student_id", "target_id", "level", "assessed_on")

AT_ONCE_ROWS = 120_000_000
"""Evidence up to this many rows is rated at once: ~90 bytes a row beside the input (100 M rows
of the benchmark's district: 14-16 GB with its 5.7 GB table)."""

CHUNK_ROWS = 24_000_000
"""Longer evidence is read once, then rated a range of pairs of about this many rows at a time
(the sort's working memory is ~ 50 bytes a row of a range)."""

LATEST_SCATTER_GROUPS = 1 << 21
"""Up to this many pairs, `latest` takes each pair's largest key by scattering into a per-pair
array (16 MB: it stays in the processor's cache) instead of sorting. Beyond, each scattered write
misses memory and the sort is faster (100 M at-bats, 16 M pairs: 23 s scattered, where
`mode_recent`, sorted, took 15 s): `latest_sorted`, which carries no level through the sort."""

_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True, eq=False)
class BatchRatings:
    """One rating per (student, target) pair in the evidence, sorted by student then target.

    ``cents``: the rating x 100 (meaningless where not ``rated``). ``level_index``: index into
    ``scale.levels``, -1 where not rated.
    """

    student_id: pa.Array
    target_id: pa.Array
    rated: Bools
    cents: Int64s
    level_index: Int64s
    mastered: Bools
    counted: Int64s
    scale: Scale

    def __len__(self) -> int:
        return len(self.rated)

    def to_arrow(self) -> pa.Table:
        """student_id, target_id, rating (decimal, 2 places; null when insufficient), level
        (label), mastered, counted, status (level and status dictionary-encoded)."""
        valid = pa.array(self.rated)
        words = np.empty((len(self), 2), dtype=np.int64)
        words[:, 0] = self.cents
        words[:, 1] = self.cents >> 63
        rating = pa.Array.from_buffers(
            pa.decimal128(18, 2),
            len(self),
            [valid.buffers()[1], pa.py_buffer(words)],
        )
        level = pa.DictionaryArray.from_arrays(
            pa.array(self.level_index.astype(np.int8), mask=~self.rated),
            pa.array([level.label for level in self.scale.levels]),
        )
        status = pa.DictionaryArray.from_arrays(
            pa.array((~self.rated).astype(np.int8)),
            pa.array([Status.RATED.value, Status.INSUFFICIENT_EVIDENCE.value]),
        )
        return pa.table(
            {
                "student_id": self.student_id,
                "target_id": self.target_id,
                "rating": rating,
                "level": level,
                "mastered": pa.array(self.mastered),
                "counted": pa.array(self.counted),
                "status": status,
            }
        )


def rate_batch(policy: Policy, evidence: Any, *, as_of: date | None = None) -> BatchRatings:
    """Rate every (student, target) pair in `evidence` under `policy`.

    `evidence`: a pyarrow Table, a polars DataFrame or a mapping of column name to array (see
    the module docstring for the columns). `as_of`: rate as of that date, as `rate` does.
    Raises LedgerError for a level off the scale or entries that do not form a ledger, and
    ValueError for a missing column or a value of the wrong kind.

    Evidence longer than AT_ONCE_ROWS is read once, as numbers, then rated a range of pairs
    (about CHUNK_ROWS rows) at a time -- a pair's whole ledger is always in one range -- so that
    the sort's working memory stays near a range's worth.
    """
    table = batch_columns.as_table(evidence)
    for name in REQUIRED_COLUMNS:
        if name not in table.column_names:
            raise ValueError(f"the evidence has no {name} column")
    read = _read(policy, table, as_of)
    check_chains(read.columns)
    uses = _uses_by_choice(read)
    if table.num_rows > AT_ONCE_ROWS:
        rated, cents, counts = _rate_in_ranges(policy, read, uses, as_of)
    else:
        rated, cents, counts = _rate_range(policy, read, read.columns, read.context, uses, as_of)
    if read.present is not None:
        rated, cents, counts = rated[read.present], cents[read.present], counts[read.present]
    scale = policy.scale
    level_index, mastered = _levels_of(cents, rated, scale)
    return BatchRatings(
        student_id=read.students,
        target_id=read.targets,
        rated=rated,
        cents=np.where(rated, cents, 0),
        level_index=level_index,
        mastered=mastered,
        counted=counts,
        scale=scale,
    )


@dataclass(frozen=True, slots=True, eq=False)
class _Read:
    """The evidence as numbers: its ledger columns (groups are pair codes in (student, target)
    order, see `batch_columns.read_groups`), which codes are pairs that occur (None: all), each
    pair's ids, the level factor, the context codes (when a method needs them) and the method
    of each distinct target."""

    columns: LedgerColumns
    present: Bools | None
    students: pa.Array
    targets: pa.Array
    factor: int
    context: Carried | None
    per_target: dict[Any, MethodChoice]


def _read(policy: Policy, table: pa.Table, as_of: date | None) -> _Read:
    dates = as_of is not None or any(
        choice.name in NEEDS_ORDER
        for choice in (policy.method, *(choice for _, choice in policy.target_methods))
    )
    # Each column is read on its own, so two threads share the work (numpy and Arrow release
    # the GIL in their loops); results are taken in a fixed order, so the first error reported
    # does not depend on timing.
    with ThreadPoolExecutor(max_workers=2) as pool:
        pairs = pool.submit(batch_columns.read_groups, table)
        levels = pool.submit(batch_columns.level_units, table, policy.scale)
        chains = pool.submit(batch_columns.read_chains, table)
        order_columns = pool.submit(batch_columns.order_columns, table, dates=dates)
        count_columns = pool.submit(batch_columns.count_columns, table)
        contexts = (
            pool.submit(batch_columns.context_codes, table) if _needs_context(policy) else None
        )
        group, groups, present, students, targets = pairs.result()
        units, factor = levels.result()
        kind, parent = chains.result()
        assessed_on, recorded_at, sequence, due_on, ids = order_columns.result()
        counts_by_source, positive_weight, independent = count_columns.result()
        context = None if contexts is None else contexts.result()
    if sequence is not None and parent is None and batch_columns.increasing(sequence):
        sequence = None  # input order says the same, and no correction moves a row
    columns = LedgerColumns(
        group=group,
        groups=groups,
        units=units,
        assessed_on=assessed_on,
        recorded_at=recorded_at,
        sequence=sequence,
        due_on=due_on,
        counts_by_source=counts_by_source,
        positive_weight=positive_weight,
        independent=independent,
        kind=kind,
        parent=parent,
        ids=ids,
    )
    per_target = _choices_by_target(policy, targets)
    return _Read(columns, present, students, targets, factor, context, per_target)


def _uses_by_choice(read: _Read) -> dict[MethodChoice, Bools | None]:
    """For each method the policy uses, which pair codes it rates (None: all of them)."""
    choices = list(dict.fromkeys(read.per_target.values()))
    if len(choices) == 1:
        return {choices[0]: None}
    targets = read.targets
    uses: dict[MethodChoice, Bools | None] = {}
    for choice in choices:
        chosen = [target for target, each in read.per_target.items() if each == choice]
        rows = pc.is_in(targets, value_set=pa.array(chosen, targets.type))
        uses[choice] = _spread(
            rows.to_numpy(zero_copy_only=False), read.present, read.columns.groups
        )
    return uses


def _rate_in_ranges(
    policy: Policy, read: _Read, uses: dict[MethodChoice, Bools | None], as_of: date | None
) -> tuple[Bools, Int64s, Int64s]:
    """`_rate_range` over consecutive ranges of pair codes of about CHUNK_ROWS rows each, from
    the columns read once for the whole evidence: each range takes its rows' numbers (a pass
    over ~50 bytes a row), not the Arrow table's."""
    columns = read.columns
    rows_per_group = np.bincount(columns.group, minlength=columns.groups)
    ends = np.cumsum(rows_per_group)
    cuts = np.unique(np.searchsorted(ends, np.arange(CHUNK_ROWS, ends[-1], CHUNK_ROWS), "left"))
    bounds = [0, *(int(cut) + 1 for cut in cuts if cut + 1 < columns.groups), columns.groups]
    small = np.int8 if len(bounds) <= 128 else np.int64
    range_of_group = np.repeat(np.arange(len(bounds) - 1, dtype=small), np.diff(bounds))
    range_of_row = range_of_group[columns.group]
    parts = []
    for index, (low, high) in enumerate(pairwise(bounds)):
        rows = np.flatnonzero(range_of_row == index)
        part = _columns_at(columns, rows, low, high)
        context = None if read.context is None else (read.context[0][rows], read.context[1])
        part_uses = {
            choice: None if used is None else used[low:high] for choice, used in uses.items()
        }
        parts.append(_rate_range(policy, read, part, context, part_uses, as_of))
    rated, cents, counts = zip(*parts, strict=True)
    return np.concatenate(rated), np.concatenate(cents), np.concatenate(counts)


def _columns_at(columns: LedgerColumns, rows: Int64s, low: int, high: int) -> LedgerColumns:
    """The ledger columns of `rows` (increasing: every row of pair codes low..high-1), with the
    pair codes and the rows that corrections name renumbered from 0."""

    def taken(values: Any) -> Any:
        return None if values is None else values[rows]

    group = columns.group[rows]
    group -= low
    parent = taken(columns.parent)
    if parent is not None:
        superseding = np.flatnonzero(parent >= 0)
        parent[superseding] = np.searchsorted(rows, parent[superseding])
    return LedgerColumns(
        group=group,
        groups=high - low,
        units=columns.units[rows],
        assessed_on=columns.assessed_on[rows],
        recorded_at=taken(columns.recorded_at),
        sequence=taken(columns.sequence),
        due_on=taken(columns.due_on),
        counts_by_source=columns.counts_by_source[rows],
        positive_weight=columns.positive_weight[rows],
        independent=taken(columns.independent),
        kind=taken(columns.kind),
        parent=parent,
        ids=None if columns.ids is None else take_rows(columns.ids, rows),
    )


def _rate_range(
    policy: Policy,
    read: _Read,
    columns: LedgerColumns,
    context: Carried | None,
    uses: dict[MethodChoice, Bools | None],
    as_of: date | None,
) -> tuple[Bools, Int64s, Int64s]:
    """Per pair code of `columns`: rated, the rating in cents, and the at-bats counted."""
    scale = policy.scale
    factor = read.factor
    scale_units = tuple(int(level.value * factor) for level in scale.levels)
    mastery_units = int(scale.mastery_value * factor)
    choices = list(uses)
    in_order = any(choice.name in NEEDS_ORDER for choice in choices)
    groups, units = columns.groups, columns.units
    counted = counted_mask(
        columns,
        independent_required_from=mastery_units if policy.require_independent_for_mastery else None,
        as_of=None if as_of is None else (as_of - _EPOCH).days,
    )
    low, span = scale_units[0], scale_units[-1] - scale_units[0] + 1
    histogram = (
        None if in_order else level_histogram(columns.group, groups, counted, units, low, span)
    )
    latest = None
    if all(choice.name == "latest" for choice in choices):
        find = latest_counted if groups <= LATEST_SCATTER_GROUPS else latest_sorted
        latest = find(columns, counted, policy.order_by, units)
    rows: CountedRows | None = None
    sorted_units, sorted_context = np.zeros(0, dtype=np.int64), None
    if histogram is not None:
        counts = histogram.table.sum(axis=0)
    elif latest is not None:
        counts = latest[0]
    else:
        # The level (as units above the lowest: in place, nothing reads the levels after the
        # counting rules) and the context travel with the counted rows.
        units -= low
        carried: list[Carried] = [(units, span)]
        if context is not None and any(choice.name == "consistent" for choice in choices):
            carried.append(context)
        rows = sort_counted(columns, counted, policy.order_by, carried)
        # 64-bit from here on (the methods' exact arithmetic), whatever the levels were read as.
        counts, sorted_units = rows.counts, rows.carried[0].astype(np.int64, copy=False)
        sorted_units += low
        sorted_context = rows.carried[1] if len(rows.carried) > 1 else None
    ordered = Ordered(
        counts=counts,
        counted=rows,
        units=sorted_units,
        context=sorted_context,
        factor=factor,
        scale=scale,
        scale_units=scale_units,
        mastery_units=mastery_units,
        histogram=histogram,
        latest=None if latest is None else latest[1],
    )
    rated = np.zeros(groups, dtype=bool)
    cents = np.zeros(groups, dtype=np.int64)
    for choice, used in uses.items():
        computed = compute(choice, ordered)
        if used is None:
            rated, cents = computed.rated, computed.cents
        else:
            rated = np.where(used, computed.rated, rated)
            cents = np.where(used, computed.cents, cents)
    return rated, cents, counts


def _spread(values: Bools, present: Bools | None, groups: int) -> Bools:
    """Per-pair `values` placed at their group codes (codes may leave gaps: `read_groups`)."""
    if present is None:
        return values
    spread = np.zeros(groups, dtype=bool)
    spread[present] = values
    return spread


def _choices_by_target(policy: Policy, targets: pa.Array) -> dict[Any, MethodChoice]:
    """The method for each distinct target (all the default one unless the policy says)."""
    distinct = pc.unique(targets).to_pylist()
    if not policy.target_methods:
        return dict.fromkeys(distinct, policy.method)
    return {target: policy.method_for(str(target)) for target in distinct}


def _needs_context(policy: Policy) -> bool:
    return any(
        choice.name == "consistent"
        for choice in (policy.method, *(choice for _, choice in policy.target_methods))
    )


def _levels_of(cents: Int64s, rated: Bools, scale: Scale) -> tuple[Int64s, Bools]:
    """The level each rating reports as (highest cut at or below it) and whether it is mastery."""
    decimals = max(2, *(batch_columns.decimals_of(level.cut) for level in scale.levels))
    cuts = np.array([int(level.cut.scaleb(decimals)) for level in scale.levels], dtype=np.int64)
    scaled = cents * 10 ** (decimals - 2)
    index = np.searchsorted(cuts, scaled, side="right") - 1
    if (rated & (index < 0)).any():
        low = int(cents[rated & (index < 0)][0])
        raise ValueError(f"{Decimal(low).scaleb(-2)} is below the lowest level of the scale")
    mastery_cut = int(scale.mastery_level.cut.scaleb(decimals))
    return np.where(rated, index, -1), rated & (scaled >= mastery_cut)
