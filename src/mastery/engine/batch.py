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

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mastery.engine import batch_columns
from mastery.engine.batch_ledger import (
    Bools,
    Carried,
    Int64s,
    LedgerColumns,
    check_chains,
    counted_mask,
    level_histogram,
    sort_counted,
)
from mastery.engine.batch_methods import NEEDS_ORDER, Ordered, compute
from mastery.engine.methods import MethodChoice
from mastery.engine.policy import Policy
from mastery.engine.rating import Status
from mastery.engine.scales import Scale

__all__ = ["REQUIRED_COLUMNS", "BatchRatings", "rate_batch"]

REQUIRED_COLUMNS = ("student_id", "target_id", "level", "assessed_on")

CHUNK_ROWS = 24_000_000
"""Evidence longer than this is rated in ranges of students (peak memory ~ 100 bytes a row)."""

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

    Evidence longer than CHUNK_ROWS is rated a range of students at a time (a student's whole
    ledger is always in one chunk), so that memory stays near CHUNK_ROWS' worth.
    """
    table = batch_columns.as_table(evidence)
    for name in REQUIRED_COLUMNS:
        if name not in table.column_names:
            raise ValueError(f"the evidence has no {name} column")
    if table.num_rows > CHUNK_ROWS:
        return _rate_in_chunks(policy, table, as_of)
    return _rate_table(policy, table, as_of)


def _rate_in_chunks(policy: Policy, table: pa.Table, as_of: date | None) -> BatchRatings:
    """`rate_batch` a range of students at a time; the results, concatenated, stay sorted."""
    students = batch_columns.column_of(table, "student_id")
    assert students is not None
    if students.null_count:
        raise ValueError(f"row {batch_columns.first_null(students)}: student_id is empty")
    if pa.types.is_integer(students.type):
        keys = students.to_numpy()
    else:
        keys, _ = batch_columns.factorize(students)
    chunks = -(-table.num_rows // CHUNK_ROWS)
    sample = keys[np.random.default_rng(0).integers(0, len(keys), 1_000_000)]
    bounds = np.unique(np.quantile(sample, np.arange(1, chunks) / chunks, method="lower"))
    chunk = np.searchsorted(bounds, keys, side="right")
    del keys
    parts = []
    for index in range(len(bounds) + 1):
        rows = np.flatnonzero(chunk == index)
        if not len(rows):
            continue
        try:
            parts.append(_rate_table(policy, _take_rows(table, rows), as_of))
        except ValueError as error:  # LedgerError too: name the row of the whole evidence
            raise type(error)(_rows_renumbered(str(error), rows)) from None
    return BatchRatings(
        student_id=pa.concat_arrays([part.student_id for part in parts]),
        target_id=pa.concat_arrays([part.target_id for part in parts]),
        rated=np.concatenate([part.rated for part in parts]),
        cents=np.concatenate([part.cents for part in parts]),
        level_index=np.concatenate([part.level_index for part in parts]),
        mastered=np.concatenate([part.mastered for part in parts]),
        counted=np.concatenate([part.counted for part in parts]),
        scale=policy.scale,
    )


def _take_rows(table: pa.Table, rows: Int64s) -> pa.Table:
    """`table.take(rows)` for increasing `rows`, one record batch at a time: on a table of
    several batches (a file written in parts) Arrow's take first joins each column's chunks,
    five times slower."""
    batches = table.to_batches()
    if len(batches) <= 1:
        return table.take(pa.array(rows))
    bounds = np.cumsum([0, *(batch.num_rows for batch in batches)])
    cuts = np.searchsorted(rows, bounds)
    return pa.concat_tables(
        pa.Table.from_batches([batch], table.schema).take(
            pa.array(rows[cuts[index] : cuts[index + 1]] - bounds[index])
        )
        for index, batch in enumerate(batches)
    )


def _rows_renumbered(message: str, rows: Int64s) -> str:
    """`message` with each "row N" of a chunk replaced by that row's place in the evidence."""

    def renumbered(found: re.Match[str]) -> str:
        return f"row {rows[int(found[1])]}"

    return re.sub(r"\brow (\d+)", renumbered, message)


def _rate_table(policy: Policy, table: pa.Table, as_of: date | None) -> BatchRatings:
    scale = policy.scale
    dates = as_of is not None or any(
        choice.name in NEEDS_ORDER
        for choice in (policy.method, *(choice for _, choice in policy.target_methods))
    )
    # Each column is read on its own, so two threads share the work (numpy and Arrow release
    # the GIL in their loops); results are taken in a fixed order, so the first error reported
    # does not depend on timing.
    with ThreadPoolExecutor(max_workers=2) as pool:
        pairs = pool.submit(batch_columns.read_groups, table)
        levels = pool.submit(batch_columns.level_units, table, scale)
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
    scale_units = tuple(int(level.value * factor) for level in scale.levels)
    mastery_units = int(scale.mastery_value * factor)
    per_target = _choices_by_target(policy, targets)
    choices = list(dict.fromkeys(per_target.values()))
    in_order = any(choice.name in NEEDS_ORDER for choice in choices)
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
    check_chains(columns)
    counted = counted_mask(
        columns,
        independent_required_from=mastery_units if policy.require_independent_for_mastery else None,
        as_of=None if as_of is None else (as_of - _EPOCH).days,
    )
    low, span = scale_units[0], scale_units[-1] - scale_units[0] + 1
    histogram = None if in_order else level_histogram(group, groups, counted, units, low, span)
    if histogram is not None:
        rows, counts = None, histogram.table.sum(axis=0)
        sorted_units, sorted_context = np.zeros(0, dtype=np.int64), None
    else:
        # The level (as units above the lowest: in place, the array is this function's own)
        # and the context travel with the counted rows.
        units -= low
        carried: list[Carried] = [(units, span)]
        if context is not None and any(choice.name == "consistent" for choice in choices):
            carried.append(context)
        rows = sort_counted(columns, counted, policy.order_by, carried)
        counts, sorted_units = rows.counts, rows.carried[0]
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
    )
    rated = np.zeros(groups, dtype=bool)
    cents = np.zeros(groups, dtype=np.int64)
    for choice in choices:
        computed = compute(choice, ordered)
        if len(choices) == 1:
            rated, cents = computed.rated, computed.cents
        else:
            chosen = [target for target, each in per_target.items() if each == choice]
            uses = pc.is_in(targets, value_set=pa.array(chosen, targets.type))
            uses_numpy = _spread(uses.to_numpy(zero_copy_only=False), present, groups)
            rated = np.where(uses_numpy, computed.rated, rated)
            cents = np.where(uses_numpy, computed.cents, cents)
    if present is not None:
        rated, cents, counts = rated[present], cents[present], counts[present]
    level_index, mastered = _levels_of(cents, rated, scale)
    return BatchRatings(
        student_id=students,
        target_id=targets,
        rated=rated,
        cents=np.where(rated, cents, 0),
        level_index=level_index,
        mastered=mastered,
        counted=counts,
        scale=scale,
    )


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
