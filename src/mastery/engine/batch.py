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
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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
    Carried,
    Int64s,
    LedgerColumns,
    check_chains,
    counted_mask,
    group_counted,
    sort_counted,
)
from mastery.engine.batch_methods import NEEDS_ORDER, Ordered, compute
from mastery.engine.evidence import EntryKind, LedgerError, Source
from mastery.engine.methods import NO_CONTEXT, MethodChoice
from mastery.engine.policy import Policy
from mastery.engine.rating import Status
from mastery.engine.scales import Scale, format_number

__all__ = ["REQUIRED_COLUMNS", "BatchRatings", "rate_batch"]

REQUIRED_COLUMNS = ("student_id", "target_id", "level", "assessed_on")

CHUNK_ROWS = 24_000_000
"""Evidence longer than this is rated in ranges of students (peak memory ~ 150 bytes a row)."""

MAX_DECIMALS = 9
"""The most decimals a level may have on the batch path (levels become exact integers)."""

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
    table = _as_table(evidence)
    for name in REQUIRED_COLUMNS:
        if name not in table.column_names:
            raise ValueError(f"the evidence has no {name} column")
    if table.num_rows > CHUNK_ROWS:
        return _rate_in_chunks(policy, table, as_of)
    return _rate_table(policy, table, as_of)


def _rate_in_chunks(policy: Policy, table: pa.Table, as_of: date | None) -> BatchRatings:
    """`rate_batch` a range of students at a time; the results, concatenated, stay sorted."""
    students = _column(table, "student_id")
    assert students is not None
    if students.null_count:
        raise ValueError(f"row {_first_null(students)}: student_id is empty")
    if pa.types.is_integer(students.type):
        keys = students.to_numpy()
    else:
        keys, _ = _factorize(students)
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
            parts.append(_rate_table(policy, table.take(pa.array(rows)), as_of))
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
        pairs = pool.submit(_groups, table)
        levels = pool.submit(_level_units, table, scale)
        chains = pool.submit(_chains, table)
        order_columns = pool.submit(_order_columns, table, dates=dates)
        count_columns = pool.submit(_count_columns, table)
        contexts = pool.submit(_context_codes, table) if _needs_context(policy) else None
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
    if sequence is not None and parent is None and _increasing(sequence):
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
    # The level (as units above the lowest) and the context travel with the counted rows.
    carried: list[Carried] = [(units - scale_units[0], scale_units[-1] - scale_units[0] + 1)]
    if context is not None and any(choice.name == "consistent" for choice in choices):
        carried.append(context)
    rows = (
        sort_counted(columns, counted, policy.order_by, carried)
        if in_order
        else group_counted(group, groups, counted, carried)
    )
    ordered = Ordered(
        counted=rows,
        units=rows.carried[0] + scale_units[0],
        context=rows.carried[1] if len(rows.carried) > 1 else None,
        factor=factor,
        scale=scale,
        scale_units=scale_units,
        mastery_units=mastery_units,
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
    counts = rows.counts
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
    """Per-pair `values` placed at their group codes (codes may leave gaps, see `_groups`)."""
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
    decimals = max(2, *(_decimals_of(level.cut) for level in scale.levels))
    cuts = np.array([int(level.cut.scaleb(decimals)) for level in scale.levels], dtype=np.int64)
    scaled = cents * 10 ** (decimals - 2)
    index = np.searchsorted(cuts, scaled, side="right") - 1
    if (rated & (index < 0)).any():
        low = int(cents[rated & (index < 0)][0])
        raise ValueError(f"{Decimal(low).scaleb(-2)} is below the lowest level of the scale")
    mastery_cut = int(scale.mastery_level.cut.scaleb(decimals))
    return np.where(rated, index, -1), rated & (scaled >= mastery_cut)


def _decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


# -- reading the columns ------------------------------------------------------------------------


def _as_table(evidence: Any) -> pa.Table:
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


def _column(table: pa.Table, name: str, *, decode: bool = True) -> pa.Array | None:
    if name not in table.column_names:
        return None
    chunked = table[name]
    column = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
    if decode and pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    return column


def _first_null(column: pa.Array) -> int:
    return int(np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False))[0])


def _groups(table: pa.Table) -> tuple[Int64s, int, Bools | None, pa.Array, pa.Array]:
    """A code per (student, target) pair, numbered in (student, target) order; the number of
    codes; which codes are pairs that occur (None: all of them); and each pair's student_id and
    target_id.

    Small whole-number ids (the usual database keys) are their own code, student x width +
    target, when that leaves few gaps: no renumbering pass.
    """
    students = _column(table, "student_id")
    targets = _column(table, "target_id")
    assert students is not None
    assert targets is not None
    for name, column in (("student_id", students), ("target_id", targets)):
        if column.null_count:
            raise ValueError(f"row {_first_null(column)}: {name} is empty")
    if pa.types.is_integer(students.type) and pa.types.is_integer(targets.type) and len(students):
        student = students.to_numpy()
        target = targets.to_numpy()
        student_low, target_low = int(student.min()), int(target.min())
        width = int(target.max()) - target_low + 1
        space = (int(student.max()) - student_low + 1) * width
        if space <= 4 * len(student) + 1024:
            # Small whole-number ids (the usual database keys): the pair is its own code.
            pair = student.astype(np.int64)
            pair -= student_low
            pair *= width
            pair += target
            pair -= target_low
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
    student_codes, student_values = _factorize(students)
    target_codes, target_values = _factorize(targets)
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


def _dense(codes: Int64s, space: int) -> tuple[Int64s, Int64s]:
    """Codes 0..space-1 renumbered 0..k-1 in the same order, and the k codes present."""
    present = np.bincount(codes, minlength=space) > 0
    dense = np.cumsum(present) - 1
    return dense[codes], np.flatnonzero(present)


def _factorize(column: pa.Array) -> tuple[Int64s, pa.Array]:
    """Codes 0..k-1 following the sorted order of the distinct values, and those values."""
    encoded = pc.dictionary_encode(column)
    dictionary = encoded.dictionary
    order = pc.array_sort_indices(dictionary).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[encoded.indices.to_numpy()], dictionary.take(pa.array(order))


def _level_units(table: pa.Table, scale: Scale) -> tuple[Int64s, int]:
    """Every level as an exact whole number of units (level x factor), and the factor.

    Null levels (voids) become the lowest level, unused. A level off the scale raises
    LedgerError naming its row.
    """
    column = _column(table, "level")
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
    decimals = max((_decimals_of(level.value) for level in scale.levels), default=0)
    factor = 10**decimals
    lowest, highest = int(scale.lowest * factor), int(scale.highest * factor)
    if pa.types.is_integer(column.type):
        units = column.fill_null(0).to_numpy().astype(np.int64)
        if factor != 1:
            units *= factor
        if column.null_count:
            units[column.is_null().to_numpy(zero_copy_only=False)] = lowest
        if len(units) and (int(units.min()) < lowest or int(units.max()) > highest):
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
    units = np.where(present, np.rint(values * factor), lowest).astype(np.int64)
    if len(units) and (int(units.min()) < lowest or int(units.max()) > highest):
        _off_scale(units, lowest, highest, factor, scale)
    return units, factor


def _off_scale(units: Int64s, lowest: int, highest: int, factor: int, scale: Scale) -> None:
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


def _stamps(column: pa.Array) -> npt.NDArray[np.int64] | None:
    """Timestamps as microseconds (NULL_STAMP for a null); None when every one is null."""
    if column.null_count == len(column):
        return None
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


def _order_columns(
    table: pa.Table, *, dates: bool
) -> tuple[Int64s, Int64s | None, Int64s | None, Int64s | None, pa.Array | None]:
    """assessed_on, recorded_at, sequence, due_on and id as numbers, when `dates` (a rating
    order or ``as_of`` needs them); else placeholders."""
    if not dates:
        return np.zeros(table.num_rows, dtype=np.int64), None, None, None, None
    assessed = _column(table, "assessed_on")
    assert assessed is not None
    assessed_on = _days(assessed, "assessed_on")
    if (assessed_on == NULL_STAMP).any():
        raise ValueError(f"row {int(np.flatnonzero(assessed_on == NULL_STAMP)[0])}: no assessed_on")
    recorded = _column(table, "recorded_at")
    due = _column(table, "due_on")
    sequence = _column(table, "sequence")
    if sequence is not None:
        sequence = pc.cast(sequence, pa.int64())
        sequence = (sequence.fill_null(0) if sequence.null_count else sequence).to_numpy()
    return (
        assessed_on,
        None if recorded is None else _stamps(recorded),
        sequence,
        None if due is None else _days(due, "due_on"),
        _column(table, "id"),
    )


def _count_columns(table: pa.Table) -> tuple[Bools, Bools, Bools | None]:
    """Teacher or external; weight above 0; independent (None: every at-bat is)."""
    rows = table.num_rows
    return (
        _counts_by_source(table, rows),
        _positive_weight(table, rows),
        _flags(table, "independent"),
    )


def _increasing(values: Int64s) -> bool:
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
    return result if indices is None else result[indices]


def _counts_by_source(table: pa.Table, rows: int) -> Bools:
    column = _column(table, "source", decode=False)
    if column is None:
        return np.ones(rows, dtype=bool)
    values, indices = _text_values(column)
    values = values.fill_null(Source.TEACHER.value)
    known = _per_row(
        pc.is_in(values, value_set=pa.array([source.value for source in Source])).to_numpy(
            zero_copy_only=False
        ),
        indices,
    )
    if not known.all():
        row = int(np.flatnonzero(~known)[0])
        raise ValueError(
            f"row {row}: source {column[row].as_py()!r} is not one of teacher, self, peer, external"
        )
    counting = pa.array([Source.TEACHER.value, Source.EXTERNAL.value])
    return _per_row(pc.is_in(values, value_set=counting).to_numpy(zero_copy_only=False), indices)


def _positive_weight(table: pa.Table, rows: int) -> Bools:
    column = _column(table, "weight")
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
    column = _column(table, name)
    if column is None:
        return None
    column = pc.cast(column, pa.bool_())
    if column.null_count:
        column = column.fill_null(True)
    flags: Bools = column.to_numpy(zero_copy_only=False)
    return flags


def _context_codes(table: pa.Table) -> tuple[Int64s, int]:
    """One code per distinct context, and how many there are; no context (missing or blank) is
    one context of its own."""
    column = _column(table, "context", decode=False)
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


def _chains(table: pa.Table) -> tuple[npt.NDArray[np.int8] | None, Int64s | None]:
    """Entry kinds and, per row, the row it supersedes (-1 for none)."""
    kinds = _column(table, "kind", decode=False)
    supersedes = _column(table, "supersedes")
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
    ids = _column(table, "id")
    if ids is None:
        raise ValueError("the evidence has a supersedes column but no id column")
    rows = np.flatnonzero(supersedes.is_valid().to_numpy(zero_copy_only=False))
    wanted = supersedes.take(pa.array(rows))
    found = _find_ids(ids, pc.cast(wanted, ids.type))
    if (found < 0).any():
        row = int(rows[np.flatnonzero(found < 0)[0]])
        raise LedgerError(
            f"at-bat {ids[row].as_py()!r} supersedes {supersedes[row].as_py()!r}, which is not "
            "among the entries"
        )
    parent = np.full(table.num_rows, -1, dtype=np.int64)
    parent[rows] = found
    return kind, parent


def _find_ids(ids: pa.Array, wanted: pa.Array) -> Int64s:
    """The row of each wanted id (-1 when absent); raises LedgerError for a repeated id."""
    if ids.null_count:
        raise LedgerError(f"row {_first_null(ids)}: the id is empty")
    if pa.types.is_integer(ids.type):
        values = ids.to_numpy().astype(np.int64, copy=False)
        keys = wanted.to_numpy(zero_copy_only=False).astype(np.int64)
        increasing = bool(np.all(values[1:] > values[:-1]))
        order = None if increasing else np.argsort(values, kind="stable")
        ordered = values if order is None else values[order]
        repeated = np.flatnonzero(ordered[1:] == ordered[:-1])
        if len(repeated):
            raise LedgerError(f"at-bat id {str(ordered[repeated[0]])!r} appears twice")
        place = np.minimum(np.searchsorted(ordered, keys), len(ordered) - 1)
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
    level = _column(table, "level")
    assert level is not None
    null = level.is_null().to_numpy(zero_copy_only=False)
    bad = np.flatnonzero((kind == KIND_VOID) & ~null)
    if len(bad):
        raise LedgerError(f"row {int(bad[0])}: a void entry carries no level")
    bad = np.flatnonzero((kind != KIND_VOID) & null)
    if len(bad):
        raise LedgerError(f"row {int(bad[0])}: a record or correction needs a level")
