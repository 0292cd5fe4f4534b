"""Every calculation method, vectorized over all (student, target) groups at once.

Each function gets the counted rows in rating order (`Ordered`) and returns, per group, whether
it is rated and its rating in cents (hundredths), rounded half up exactly like
`methods.round_rating`. Levels arrive as whole numbers of "units" (level x 10**decimals), so
sums and means are exact integer arithmetic, as in the reference's fractions.

Two methods cannot be exact in machine arithmetic: `decaying_average` (its exact value has a
denominator that grows with every at-bat) and `power_law` (logarithms). They are computed in
floating point, whose error (about 1e-13) only matters when a result lies within a hair of a
rounding midpoint (x.xx5); those few groups are recomputed by the reference method itself, so the
batch path agrees with `rate()` to the cent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from mastery.engine import batch_ledger
from mastery.engine.batch_ledger import Bools, CountedRows, Int64s, LevelHistogram
from mastery.engine.evidence import AtBat
from mastery.engine.methods import METHODS, MethodChoice
from mastery.engine.scales import Scale

Floats = npt.NDArray[np.float64]

MIDPOINT_MARGIN = 1e-6
"""How close (in cents) a floating-point result may come to x.5 cents before the group is
recomputed exactly. Floating-point error here is below 1e-9 cents."""

_SAFE = 2**62


@dataclass(frozen=True, slots=True, eq=False)
class Ordered:
    """The counted rows of every group, as the methods need them.

    ``counts``: counted rows per group. ``counted``: the counted rows in rating order, with each
    group's run (None when only ``histogram`` was built: methods outside `NEEDS_ORDER` use
    either). ``units``: each counted row's level x `factor` (in ``counted``'s order; empty
    without it). ``context``: each row's context code (only for `consistent`).
    ``scale_units``: the scale's level values in units, lowest first. ``histogram``: when
    built, counted rows per (level, group). ``latest``: when built instead of the runs (a
    policy that uses only `latest`), each group's most recent counted level in units.
    """

    counts: Int64s
    counted: CountedRows | None
    units: Int64s
    context: Int64s | None
    factor: int
    scale: Scale
    scale_units: tuple[int, ...]
    mastery_units: int
    histogram: LevelHistogram | None = None
    latest: Int64s | None = None

    @property
    def groups(self) -> int:
        return len(self.counts)

    @property
    def runs(self) -> CountedRows:
        """The counted rows in rating order (every method in `NEEDS_ORDER` has them)."""
        assert self.counted is not None
        return self.counted


@dataclass(frozen=True, slots=True, eq=False)
class Computed:
    """Per group: rated (False = insufficient evidence) and the rating in cents."""

    rated: Bools
    cents: Int64s


def compute(choice: MethodChoice, ordered: Ordered) -> Computed:
    """The rating of every group under `choice`."""
    calculation = _CALCULATIONS.get(choice.name)
    if calculation is None:
        raise NotImplementedError(f"the batch path has no form of the method {choice.name!r} yet")
    if not ordered.counts.any():
        return Computed(np.zeros(ordered.groups, dtype=bool), np.zeros(ordered.groups, np.int64))
    return calculation(choice, ordered)


# -- exact arithmetic ---------------------------------------------------------------------------


def cents_of_ratio(numerator: Int64s, denominator: Int64s) -> Int64s:
    """numerator / denominator in cents, half away from zero (denominator > 0).

    Example: 8 / 3 -> 267; -5 / 2 -> -250; 2675 / 1000 -> 268.
    """
    numerator = np.asarray(numerator)
    denominator = np.asarray(denominator)
    if len(numerator) == 0:
        return np.zeros(0, dtype=np.int64)
    big = _largest_magnitude(numerator) * 200 + int(denominator.max()) * 2
    if big >= _SAFE:
        numerator = numerator.astype(object)
        denominator = denominator.astype(object)
        magnitude = (np.abs(numerator) * 200 + denominator) // (denominator * 2)
        return np.where(numerator < 0, -magnitude, magnitude).astype(np.int64)
    numerator = numerator.astype(np.int64, copy=False)
    denominator = denominator.astype(np.int64, copy=False)
    # A block of groups at a time: the temporaries stay in the processor's cache.
    cents = np.empty(len(numerator), dtype=np.int64)
    for block in _blocks(len(numerator)):
        magnitude = np.abs(numerator[block])
        magnitude *= 200
        magnitude += denominator[block]
        magnitude //= denominator[block] * 2
        np.negative(magnitude, out=magnitude, where=numerator[block] < 0)
        cents[block] = magnitude
    return cents


def _cents_of_units(units: Int64s, factor: int) -> Int64s:
    if 100 % factor == 0:  # whole cents: no rounding
        cents: Int64s = np.multiply(units, 100 // factor, dtype=np.int64)
        return cents
    return cents_of_ratio(units, np.full(len(units), factor, dtype=np.int64))


def _run_reduce(
    reduce: np.ufunc, values: npt.NDArray[Any], counted: CountedRows, empty: Any, dtype: Any = None
) -> npt.NDArray[Any]:
    """`reduce` (np.add, np.maximum...) over each group's run, in row order; `empty` for a
    group with none. The runs tile the rows in group order, so one `reduceat` over the starts
    of the runs that are not empty does it."""
    out = np.full(len(counted.starts), empty, dtype=dtype or values.dtype)
    if len(values):
        nonempty = counted.ends > counted.starts
        out[nonempty] = reduce.reduceat(values, counted.starts[nonempty], dtype=out.dtype)
    return out


def _run_sums(values: Int64s, counted: CountedRows, *, last: int | None = None) -> Int64s:
    """Exact per-group sums of integer `values` (of the `last` of each run, or all of it;
    Python integers past 64 bits): differences of running sums, a block of groups at a time
    (their rows are one stretch, and its running sums stay in the processor's cache)."""
    groups = len(counted.starts)
    firsts = counted.starts if last is None else np.maximum(counted.starts, counted.ends - last)
    if _largest_magnitude(values) * len(values) >= _SAFE:
        runs = zip(firsts.tolist(), counted.ends.tolist(), strict=True)
        return np.array([sum(values[first:end].tolist()) for first, end in runs], dtype=object)
    sums = np.empty(groups, dtype=np.int64)
    for block in _blocks(groups):
        offset, stop = int(counted.starts[block.start]), int(counted.ends[block][-1])
        running = np.zeros(stop - offset + 1, dtype=np.int64)
        np.cumsum(values[offset:stop], out=running[1:])
        sums[block] = running[counted.ends[block] - offset]
        sums[block] -= running[firsts[block] - offset]
    return sums


def _histogram_sums(histogram: LevelHistogram, first: int = 0) -> Int64s:
    """Exact per-group sums of the units counted in the histogram from its level `first` up."""
    values, table = histogram.units[first:], histogram.table[first:]
    if int(np.abs(values).max(initial=0)) * int(table.sum()) >= _SAFE:
        return np.asarray(values.astype(object) @ table.astype(object))
    sums: Int64s = values @ table
    return sums


def _walk_recent(
    counted: CountedRows, units: Int64s, held: Int64s
) -> Iterator[tuple[slice, int, Bools, Int64s, Int64s]]:
    """Each group's at-bats from the most recent back, one offset at a time (up to `held` of
    each group), a block of groups at a time: (groups, offset, inside, place, level) where
    ``groups`` is the block's slice of the groups, ``place`` the row of each of its groups'
    at-bat that many places before the latest, ``level`` its units, and ``inside`` marks the
    groups that have such an at-bat (for the others, place and level are some other row's:
    multiply by ``inside``, five times faster than a masked copy).

    The block's arrays are reused from one offset to the next and stay in the processor's
    cache while its offsets are walked: over all the groups at once (16 M at 100 M at-bats)
    each offset's every step was a pass over memory."""
    ends = counted.ends
    size = min(len(ends), WALK_BLOCK)
    last, place, level = (np.empty(size, dtype=np.int64) for _ in range(3))
    inside = np.empty(size, dtype=bool)
    for groups in _blocks(len(ends)):
        count = groups.stop - groups.start
        block_last, block_place, block_level = last[:count], place[:count], level[:count]
        block_inside, block_held = inside[:count], held[groups]
        np.subtract(ends[groups], 1, out=block_last)
        np.maximum(block_last, 0, out=block_last)
        for offset in range(int(block_held.max(initial=0))):
            np.subtract(block_last, offset, out=block_place)
            np.maximum(block_place, 0, out=block_place)
            np.greater(block_held, offset, out=block_inside)
            np.take(units, block_place, out=block_level, mode="clip")
            yield groups, offset, block_inside, block_place, block_level


WALK_BLOCK = 1 << 14
"""Groups worked on at a time by `_walk_recent` and the other per-group steps (a few arrays of
128 KB: in the processor's cache)."""


def _blocks(count: int) -> Iterator[slice]:
    """Slices of WALK_BLOCK groups (the last one shorter) covering 0..count-1."""
    for low in range(0, count, WALK_BLOCK):
        yield slice(low, min(low + WALK_BLOCK, count))


def _unit_levels(ordered: Ordered, *, reached: bool) -> Int64s | None:
    """A table from a level in units (0 to the highest) to the index of the scale level it is
    (-1: none) or, with `reached`, the highest it reaches; None when the units are too many."""
    scale_units = np.asarray(ordered.scale_units, dtype=np.int64)
    if scale_units[0] < 0 or scale_units[-1] >= 1 << 16:
        return None
    every = np.arange(scale_units[-1] + 1)
    if reached:
        table: Int64s = np.maximum(np.searchsorted(scale_units, every, side="right") - 1, 0)
        return table
    table = np.full(len(every), -1, dtype=np.int64)
    table[scale_units] = np.arange(len(scale_units))
    return table


def _last_rows(counted: CountedRows) -> Int64s:
    """Each group's most recent counted row position (0 for an empty group: mask it)."""
    return np.maximum(counted.ends - 1, 0)


def _window(counted: CountedRows, size: int) -> tuple[Int64s, Int64s, Int64s]:
    """The `size` most recent positions of every group: (positions, their group, their offset
    in the window), oldest first within a group."""
    starts = np.maximum(counted.starts, counted.ends - size)
    lengths = counted.ends - starts
    total = int(lengths.sum())
    group = np.repeat(np.arange(len(starts)), lengths)
    first = np.cumsum(lengths) - lengths
    offset = np.arange(total) - np.repeat(first, lengths)
    return np.repeat(starts, lengths) + offset, group, offset


def _float_fallback(
    choice: MethodChoice,
    ordered: Ordered,
    rated: Bools,
    values: Floats,
) -> Int64s:
    """Cents from floating-point ratings, recomputing near-midpoint groups by the reference."""
    cents, doubtful = _float_cents(values, rated)
    if len(doubtful):
        cents[doubtful] = [_reference_cents(choice, ordered, int(group)) for group in doubtful]
    return cents


def _reference_cents(choice: MethodChoice, ordered: Ordered, group: int) -> int:
    counted = ordered.runs
    units = ordered.units[counted.starts[group] : counted.ends[group]]
    at_bats = [
        AtBat(
            id=str(index),
            level=Decimal(int(value)) / ordered.factor,
            assessed_on=_DAY_ZERO,
            sequence=index,
        )
        for index, value in enumerate(units)
    ]
    rating = METHODS[choice.name].calculate(at_bats, ordered.scale, choice.params).rating
    assert rating is not None
    return int(rating.scaleb(2))


_DAY_ZERO = date(2000, 1, 1)


# -- the methods --------------------------------------------------------------------------------


def _latest(choice: MethodChoice, ordered: Ordered) -> Computed:
    rated = ordered.counts > 0
    if ordered.latest is not None:
        return Computed(rated, _cents_of_units(ordered.latest, ordered.factor))
    last = ordered.units[_last_rows(ordered.runs)]
    return Computed(rated, _cents_of_units(last, ordered.factor))


def _highest(choice: MethodChoice, ordered: Ordered) -> Computed:
    if ordered.histogram is not None:
        best = np.zeros(ordered.groups, dtype=np.int64)
        for value, present in zip(
            ordered.histogram.units, ordered.histogram.table > 0, strict=True
        ):
            np.maximum(best, present * value, out=best)
    else:
        best = _run_reduce(np.maximum, ordered.units, ordered.runs, ordered.scale_units[0])
    return Computed(ordered.counts > 0, _cents_of_units(best, ordered.factor))


def _average(choice: MethodChoice, ordered: Ordered) -> Computed:
    counts = ordered.counts
    if ordered.histogram is not None:
        sums = _histogram_sums(ordered.histogram)
    else:
        sums = _run_sums(ordered.units, ordered.runs)
    rated = counts > 0
    return Computed(rated, cents_of_ratio(sums, np.maximum(counts, 1) * ordered.factor))


def _average_recent(choice: MethodChoice, ordered: Ordered) -> Computed:
    counted = ordered.runs
    count = choice.params.whole("count")
    sums = _run_sums(ordered.units, counted, last=count)
    sizes = np.minimum(counted.counts, count)
    return Computed(sizes > 0, cents_of_ratio(sums, np.maximum(sizes, 1) * ordered.factor))


def _weighted_latest(choice: MethodChoice, ordered: Ordered) -> Computed:
    """xn*w + mean(x1..xn-1)*(1-w) with w = p/q, as one exact fraction:
    (xn*p*(n-1) + sum(x1..xn-1)*(q-p)) / (q*(n-1)*factor)."""
    counted = ordered.runs
    counts = counted.counts
    weight = Fraction(choice.params.fraction("weight"))
    p, q = weight.numerator, weight.denominator
    last = ordered.units[_last_rows(counted)]
    earlier = _run_sums(ordered.units, counted) - last
    before = np.maximum(counts - 1, 1)
    if (_largest_magnitude(last) * p + _largest_magnitude(earlier) * q) * int(
        before.max(initial=1)
    ) >= _SAFE // 400:
        last, earlier, before = (
            last.astype(object),
            earlier.astype(object),
            before.astype(object),
        )
    numerator = last * p * before + earlier * (q - p)
    denominator = before * (q * ordered.factor)
    cents = np.where(
        counts == 1,
        _cents_of_units(np.asarray(last, dtype=np.int64), ordered.factor),
        cents_of_ratio(numerator, denominator),
    )
    return Computed(counts > 0, cents)


def _decaying_average(choice: MethodChoice, ordered: Ordered) -> Computed:
    """d1 = x1, dk = d(k-1)*(1-r) + xk*r unrolled: dn = x1*(1-r)**(n-1) + the sum over k >= 2
    of xk*r*(1-r)**(n-k), each at-bat weighted by how many came after it, summed per group in
    floating point; results within a hair of x.xx5 are redone exactly (`_exact_decay`).

    A block of groups at a time (their rows are one stretch): the weights, each row's place
    and its group stay in the processor's cache, where arrays as long as the rows were each a
    pass over memory and a page-fault bill."""
    counted = ordered.runs
    counts = counted.counts
    rate = float(choice.params.fraction("rate"))
    rated = counts > 0
    kept = (1 - rate) ** np.arange(int(counts.max(initial=1)), dtype=np.float64)
    decayed = rate * kept
    running = np.empty(len(counts), dtype=np.float64)
    for block in _blocks(len(counts)):
        block_counts, block_starts = counts[block], counted.starts[block]
        first, stop = int(block_starts[0]), int(counted.ends[block][-1])
        # Each row's place from its group's latest (0 for the most recent).
        places = np.repeat(counted.ends[block] - 1 - first, block_counts)
        places -= np.arange(stop - first)
        weights = decayed[places]
        has = block_counts > 0
        weights[block_starts[has] - first] = kept[block_counts[has] - 1]  # each oldest at-bat
        weights *= ordered.units[first:stop]
        group = np.repeat(np.arange(len(block_counts)), block_counts)
        running[block] = np.bincount(group, weights=weights, minlength=len(block_counts))
    running /= ordered.factor
    cents, doubtful = _float_cents(running, rated)
    if len(doubtful):
        cents[doubtful] = _exact_decay(choice, ordered, doubtful)
    return Computed(rated, cents)


def _by_position(counts: Int64s) -> list[tuple[Int64s, int]]:
    """For each at-bat position k >= 1 (0-based), the groups that have one there."""
    by_length = np.argsort(-counts, kind="stable")
    descending = -counts[by_length]
    return [
        (by_length[: int(np.searchsorted(descending, -offset, side="left"))], offset)
        for offset in range(1, int(counts.max(initial=0)))
    ]


def _largest_magnitude(values: Int64s) -> int:
    """max(|values|) without the new array `np.abs` would make (0 for none)."""
    if not len(values):
        return 0
    return max(abs(int(values.max())), abs(int(values.min())))


def _exact_decay(choice: MethodChoice, ordered: Ordered, groups: Int64s) -> Int64s:
    """The decaying average of `groups` in exact whole numbers: with r = p/q and
    N1 = U1, Nk = N(k-1)*(q-p) + Uk*p*q**(k-2), the value is Nn / (q**(n-1) * factor)."""
    rate = Fraction(choice.params.fraction("rate"))
    p, q = rate.numerator, rate.denominator
    counted = ordered.runs
    counts = counted.counts[groups]
    starts = counted.starts[groups]
    # Nk <= max(U) * q**(k-1): 64-bit integers while that stays well inside them (short runs,
    # the usual case), Python integers past it.
    largest = _largest_magnitude(ordered.units) * q ** int(counts.max())
    exact: type = np.int64 if largest * 200 < _SAFE else object
    running: npt.NDArray[Any] = ordered.units[starts].astype(exact)
    for subset, offset in _by_position(counts):
        places = starts[subset] + offset
        running[subset] = running[subset] * (q - p) + ordered.units[places].astype(exact) * (
            p * q ** (offset - 1)
        )
    denominators: npt.NDArray[Any] = (
        np.power(q, counts - 1) * ordered.factor
        if exact is np.int64 and q ** int(counts.max()) * ordered.factor < _SAFE
        else np.array([q ** (int(count) - 1) * ordered.factor for count in counts], exact)
    )
    return cents_of_ratio(running, denominators)


def _float_cents(values: Floats, rated: Bools) -> tuple[Int64s, Int64s]:
    """Cents of floating-point ratings, and the groups too close to x.xx5 to trust them."""
    # In place where it can be: a new array per step costs more in page faults than the step.
    scaled = np.abs(values)
    scaled *= 100
    fraction = np.floor(scaled)
    np.subtract(scaled, fraction, out=fraction)
    scaled += 0.5
    np.floor(scaled, out=scaled)
    cents = scaled.astype(np.int64)
    np.negative(cents, out=cents, where=values < 0)
    fraction -= 0.5
    np.abs(fraction, out=fraction)
    near = fraction < MIDPOINT_MARGIN
    near &= rated
    return cents, np.flatnonzero(near)


def _n_mastery(choice: MethodChoice, ordered: Ordered) -> Computed:
    if ordered.histogram is not None:
        first = int(np.searchsorted(ordered.histogram.units, ordered.mastery_units))
        sizes = ordered.histogram.table[first:].sum(axis=0)
        sums = _histogram_sums(ordered.histogram, first)
    else:
        at_mastery = ordered.units >= ordered.mastery_units
        sizes = _run_reduce(np.add, at_mastery, ordered.runs, 0, np.int64)
        sums = _run_sums(np.where(at_mastery, ordered.units, 0), ordered.runs)
    rated = sizes >= choice.params.whole("count")
    return Computed(rated, cents_of_ratio(sums, np.maximum(sizes, 1) * ordered.factor))


def _mode_recent(choice: MethodChoice, ordered: Ordered) -> Computed:
    """The most frequent level among the `count` most recent; a tie goes to the level seen
    most recently.

    When every at-bat is at a scale level (the usual case), each group's window -- how many
    at-bats it holds and the level of each, most recent first -- is written as one number in
    base L (L levels), one offset at a time; a table made once per (count, L) holds the
    winning level of every possible window. Else (at-bats between levels, or more possible
    windows than MODE_TABLE_LIMIT) `_mode_recent_any_values`.
    """
    counted = ordered.runs
    size = choice.params.whole("count")
    levels = len(ordered.scale_units)
    table = _unit_levels(ordered, reached=False)
    if table is None or (size + 1) * levels**size > MODE_TABLE_LIMIT:
        return _mode_recent_any_values(choice, ordered)
    held = np.minimum(counted.counts, size)
    window = held * levels**size
    steps = np.empty(min(ordered.groups, WALK_BLOCK), dtype=np.int64)
    for groups, offset, inside, _, level in _walk_recent(counted, ordered.units, held):
        step = steps[: len(level)]
        np.take(table, level, out=step, mode="clip")
        if step.min() < 0 and ((step < 0) & inside).any():  # an at-bat between levels
            return _mode_recent_any_values(choice, ordered)
        step *= inside
        step *= levels**offset
        window[groups] += step
    chosen = _mode_table(size, levels)[window]
    counts = counted.counts
    scale_units = np.asarray(ordered.scale_units, dtype=np.int64)
    return Computed(counts > 0, _cents_of_units(scale_units[chosen], ordered.factor))


MODE_TABLE_LIMIT = 1 << 16
"""The most possible windows ((count + 1) x levels**count) `_mode_recent` tabulates."""


@functools.lru_cache(maxsize=16)
def _mode_table(size: int, levels: int) -> Int64s:
    """The winning level of every window number of `_mode_recent`: more at-bats first, then
    seen more recently (a smaller offset)."""
    codes = np.arange((size + 1) * levels**size, dtype=np.int64)
    held = codes // levels**size
    seen = np.zeros((levels, len(codes)), dtype=np.int64)
    newest = np.full((levels, len(codes)), size, dtype=np.int64)
    for offset in range(size):
        step = codes // levels**offset % levels
        for level in range(levels):
            here = (held > offset) & (step == level)
            seen[level] += here
            newest[level] = np.where(here, np.minimum(newest[level], offset), newest[level])
    score = (seen * (size + 1) + (size - newest)) * (seen > 0)
    table: Int64s = np.argmax(score, axis=0)
    table.flags.writeable = False
    return table


def _mode_recent_any_values(choice: MethodChoice, ordered: Ordered) -> Computed:
    """`_mode_recent` for at-bats between levels: per group, the (count, last offset) of each
    value in the window, packed into one sortable number; the largest wins."""
    counted = ordered.runs
    size = choice.params.whole("count")
    positions, group, offset = _window(counted, size)
    units = ordered.units[positions]
    values, value_rank = np.unique(units, return_inverse=True)
    offset_bits = max(size.bit_length(), 1)
    rank_bits = max(len(values).bit_length(), 1)
    packed = np.sort((group << (rank_bits + offset_bits)) | (value_rank << offset_bits) | offset)
    run_key = packed >> offset_bits
    run_end = np.flatnonzero(np.append(run_key[1:] != run_key[:-1], True))
    run_length = np.diff(np.concatenate(([-1], run_end)))
    last_offset = packed[run_end] & ((1 << offset_bits) - 1)
    score = (run_length << offset_bits) | last_offset
    best = np.full(ordered.groups, -1, dtype=np.int64)
    np.maximum.at(best, run_key[run_end] >> rank_bits, score)
    rated = best >= 0
    first = np.maximum(counted.starts, counted.ends - size)
    chosen = first + (np.maximum(best, 0) & ((1 << offset_bits) - 1))
    chosen_units = ordered.units[np.minimum(chosen, len(ordered.units) - 1)]
    return Computed(rated, _cents_of_units(chosen_units, ordered.factor))


def _consistent(choice: MethodChoice, ordered: Ordered) -> Computed:
    """For each scale level (highest first): how many window at-bats reach it and from how many
    contexts; the first level that qualifies is the rating.

    The window is walked one offset at a time from the most recent at-bat (at most `window`
    steps, each touching every group once). Per group, one 64-bit number counts the at-bats by
    the highest level each reaches (a few bits a level), and another holds the contexts (a bit
    each) of the at-bats reaching each level at or above mastery; "at or above level L" is then
    a sum, and a union, down from the highest level. When those do not fit in 64 bits (many
    levels, or more than a few dozen contexts): `_consistent_by_tables`.
    """
    counted = ordered.runs
    needed = choice.params.whole("at_bats")
    contexts_needed = choice.params.whole("contexts")
    size = choice.params.whole("window")
    levels, groups = len(ordered.scale_units), ordered.groups
    mastery = int(np.searchsorted(ordered.scale_units, ordered.mastery_units))
    context = ordered.context
    contexts = 1 if context is None else int(context.max()) + 1
    count_bits = size.bit_length()
    table = _unit_levels(ordered, reached=True)
    if table is None or levels * count_bits > 63 or (levels - mastery + 1) * contexts > 63:
        return _consistent_by_tables(choice, ordered)
    # Per level in units: the at-bat count it adds, and the first bit of its contexts (below
    # mastery: bits past the levels that count, never read).
    increments = np.left_shift(1, table * count_bits)
    firsts = np.where(table >= mastery, (table - mastery) * contexts, (levels - mastery) * contexts)
    tally = np.zeros(groups, dtype=np.int64)
    shown_in = np.zeros(groups, dtype=np.int64)
    buffers = [np.empty(min(groups, WALK_BLOCK), dtype=np.int64) for _ in range(3)]
    for block, _, inside, place, level in _walk_recent(
        counted, ordered.units, np.minimum(counted.counts, size)
    ):
        count = len(level)
        increment, flag, other = (buffer[:count] for buffer in buffers)
        np.take(increments, level, out=increment, mode="clip")
        increment *= inside
        tally[block] += increment
        np.take(firsts, level, out=flag, mode="clip")
        if context is not None:
            flag += np.take(context, place, out=other, mode="clip")
        np.left_shift(inside, flag, out=flag)
        shown_in[block] |= flag
    chosen = np.full(groups, -1, dtype=np.int64)
    # A block of groups at a time, like the walk: the level loop's arrays stay in cache.
    for block in _blocks(groups):
        block_tally, block_shown_in = tally[block], shown_in[block]
        at_bats = np.zeros(len(block_tally), dtype=np.int64)
        shown = np.zeros(len(block_tally), dtype=np.int64)
        for index in reversed(range(levels)):
            at_bats += (block_tally >> (index * count_bits)) & ((1 << count_bits) - 1)
            qualifies = at_bats >= needed
            if index >= mastery:
                shown |= (block_shown_in >> ((index - mastery) * contexts)) & ((1 << contexts) - 1)
                qualifies &= np.bitwise_count(shown) >= contexts_needed
            # The highest level that qualifies.
            np.maximum(chosen[block], qualifies * (index + 1) - 1, out=chosen[block])
    rated = chosen >= 0
    scale_units = np.asarray(ordered.scale_units, dtype=np.int64)
    return Computed(rated, _cents_of_units(scale_units[np.maximum(chosen, 0)], ordered.factor))


def _consistent_by_tables(choice: MethodChoice, ordered: Ordered) -> Computed:
    """`_consistent` for many levels or contexts.

    The window is walked one offset at a time from the most recent at-bat (at most `window`
    steps, each touching every group once), filling two small tables: at-bats per (level
    reached, group) and the best level reached per (context, group). "At or above level L" is
    then a running sum down the levels.
    """
    counted = ordered.runs
    needed = choice.params.whole("at_bats")
    contexts_needed = choice.params.whole("contexts")
    scale_units = np.asarray(ordered.scale_units, dtype=np.int64)
    levels, groups = len(scale_units), ordered.groups
    counts, ends = counted.counts, counted.ends
    reached_count = np.zeros(levels * groups, dtype=np.int32)
    context = ordered.context
    contexts = 1 if context is None else int(context.max()) + 1
    best: npt.NDArray[np.signedinteger[Any]] = np.full(
        contexts * groups, -1, dtype=np.int8 if levels < 127 else np.int64
    )
    for offset in range(min(choice.params.whole("window"), int(counts.max()))):
        active = np.flatnonzero(counts > offset)
        place = ends[active] - 1 - offset
        reached = np.searchsorted(scale_units, ordered.units[place], side="right") - 1
        reached_count[reached * groups + active] += 1
        slot = active if context is None else context[place].astype(np.int64) * groups + active
        best[slot] = np.maximum(best[slot], reached)
    shown = np.cumsum(reached_count.reshape(levels, groups)[::-1], axis=0)[::-1]
    by_context = best.reshape(contexts, groups)
    mastery = int(np.searchsorted(scale_units, ordered.mastery_units))
    chosen = np.full(groups, -1, dtype=np.int64)
    for level in reversed(range(levels)):
        qualifies = shown[level] >= needed
        if level >= mastery:
            qualifies &= (by_context >= level).sum(axis=0) >= contexts_needed
        chosen = np.where((chosen < 0) & qualifies, level, chosen)
    rated = chosen >= 0
    return Computed(rated, _cents_of_units(scale_units[np.maximum(chosen, 0)], ordered.factor))


def _power_law(choice: MethodChoice, ordered: Ordered) -> Computed:
    """Least squares of ln(x) on ln(i) per group from four sums, read at i = n, kept on the
    scale; one at-bat gives itself."""
    counted = ordered.runs
    counts = counted.counts
    rated = counts > 0
    # ln(i) for i = 1..n depends only on the position: its sums are running sums of a table.
    logs = np.log(np.arange(1, int(counts.max()) + 1, dtype=np.float64))
    sum_x = np.concatenate(([0.0], np.cumsum(logs)))[counts]
    sum_xx = np.concatenate(([0.0], np.cumsum(logs * logs)))[counts]
    sum_y, sum_xy = _power_law_sums(ordered, logs)
    size = np.maximum(counts, 1).astype(np.float64)
    mean_x, mean_y = sum_x / size, sum_y / size
    spread = sum_xx - size * mean_x * mean_x
    covariance = sum_xy - size * mean_x * mean_y
    several = counts > 1
    slope = np.where(several, covariance / np.where(several, spread, 1.0), 0.0)
    predicted = np.exp(mean_y - slope * mean_x + slope * np.log(size))
    low, high = ordered.scale_units[0], ordered.scale_units[-1]
    predicted = np.clip(predicted, low / ordered.factor, high / ordered.factor)
    cents = _float_fallback(choice, ordered, rated & several, predicted)
    single = rated & ~several
    if single.any():
        cents[single] = _cents_of_units(ordered.units[counted.starts[single]], ordered.factor)
    return Computed(rated, cents)


def _power_law_sums(ordered: Ordered, logs: Floats) -> tuple[Floats, Floats]:
    """Per group, over its at-bats in rating order (the i-th has ln(i) = ``logs[i - 1]``): the
    sum of ln(level) and of ln(i) x ln(level).

    A block of rows at a time (the runs tile the rows, so a block's groups are one short range):
    no array as long as the rows is made, each of which costs as much in page faults as the
    arithmetic done in it."""
    counted = ordered.runs
    starts, ends = counted.starts, counted.ends
    level_logs = _level_logs(ordered)
    sum_y = np.zeros(len(starts), dtype=np.float64)
    sum_xy = np.zeros(len(starts), dtype=np.float64)
    rows = len(ordered.units)
    for start in range(0, rows, batch_ledger.PACK_BLOCK):
        stop = min(start + batch_ledger.PACK_BLOCK, rows)
        first = int(np.searchsorted(ends, start, side="right"))
        last = int(np.searchsorted(ends, stop - 1, side="right")) + 1
        lengths = np.minimum(ends[first:last], stop) - np.maximum(starts[first:last], start)
        group = np.repeat(np.arange(last - first), lengths)
        x = logs[np.arange(start, stop) - np.repeat(starts[first:last], lengths)]
        y = level_logs(ordered.units[start:stop])
        sum_y[first:last] += np.bincount(group, weights=y, minlength=last - first)
        x *= y
        sum_xy[first:last] += np.bincount(group, weights=x, minlength=last - first)
    return sum_y, sum_xy


def _level_logs(ordered: Ordered) -> Callable[[Int64s], Floats]:
    """ln(level) of counted rows' units (from a table of the scale's unit values when small)."""
    low, high = ordered.scale_units[0], ordered.scale_units[-1]
    factor = ordered.factor
    if high - low < 1 << 16:
        table = np.log(np.arange(low, high + 1, dtype=np.int64) / factor)
        return lambda units: table[units - low]
    return lambda units: np.log(units / factor)


_CALCULATIONS: dict[str, Callable[[MethodChoice, Ordered], Computed]] = {
    "latest": _latest,
    "highest": _highest,
    "average": _average,
    "average_recent": _average_recent,
    "weighted_latest": _weighted_latest,
    "decaying_average": _decaying_average,
    "n_mastery": _n_mastery,
    "mode_recent": _mode_recent,
    "power_law": _power_law,
    "consistent": _consistent,
}

NEEDS_ORDER = frozenset(_CALCULATIONS) - {"highest", "average", "n_mastery"}
"""Methods that need the counted rows in rating order (the others only need their groups)."""
