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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from mastery.engine.batch_ledger import Bools, CountedRows, Int64s
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
    """The counted rows of every group in rating order, as the methods need them.

    ``units``: each row's level x `factor`. ``context``: each row's context code (only for
    `consistent`). ``scale_units``: the scale's level values in units, lowest first.
    """

    counted: CountedRows
    units: Int64s
    context: Int64s | None
    factor: int
    scale: Scale
    scale_units: tuple[int, ...]
    mastery_units: int

    @property
    def groups(self) -> int:
        return len(self.counted.starts)


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
    if len(ordered.units) == 0:
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
    big = int(np.abs(numerator).max()) * 200 + int(denominator.max()) * 2
    if big >= _SAFE:
        numerator = numerator.astype(object)
        denominator = denominator.astype(object)
    magnitude = (np.abs(numerator) * 200 + denominator) // (denominator * 2)
    return np.where(numerator < 0, -magnitude, magnitude).astype(np.int64)


def _cents_of_units(units: Int64s, factor: int) -> Int64s:
    return cents_of_ratio(units, np.full(len(units), factor, dtype=np.int64))


def _group_sums(group: Int64s, values: Int64s, groups: int) -> Int64s:
    """Exact per-group sums of integer `values`."""
    if len(values) == 0:
        return np.zeros(groups, dtype=np.int64)
    if int(np.abs(values).max()) * len(values) < 2**53:
        return np.bincount(group, weights=values, minlength=groups).astype(np.int64)
    sums = np.zeros(groups, dtype=np.int64)
    np.add.at(sums, group, values)
    return sums


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
    counted = ordered.counted
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
    counted = ordered.counted
    rated = counted.counts > 0
    last = ordered.units[_last_rows(counted)]
    return Computed(rated, _cents_of_units(last, ordered.factor))


def _highest(choice: MethodChoice, ordered: Ordered) -> Computed:
    counted = ordered.counted
    best = np.full(ordered.groups, ordered.scale_units[0], dtype=np.int64)
    np.maximum.at(best, counted.group, ordered.units)
    return Computed(counted.counts > 0, _cents_of_units(best, ordered.factor))


def _average(choice: MethodChoice, ordered: Ordered) -> Computed:
    counted = ordered.counted
    counts = counted.counts
    sums = _group_sums(counted.group, ordered.units, ordered.groups)
    rated = counts > 0
    return Computed(rated, cents_of_ratio(sums, np.maximum(counts, 1) * ordered.factor))


def _average_recent(choice: MethodChoice, ordered: Ordered) -> Computed:
    counted = ordered.counted
    prefix = np.concatenate(([0], np.cumsum(ordered.units)))
    first = np.maximum(counted.starts, counted.ends - choice.params.whole("count"))
    sums = prefix[counted.ends] - prefix[first]
    sizes = counted.ends - first
    return Computed(sizes > 0, cents_of_ratio(sums, np.maximum(sizes, 1) * ordered.factor))


def _weighted_latest(choice: MethodChoice, ordered: Ordered) -> Computed:
    """xn*w + mean(x1..xn-1)*(1-w) with w = p/q, as one exact fraction:
    (xn*p*(n-1) + sum(x1..xn-1)*(q-p)) / (q*(n-1)*factor)."""
    counted = ordered.counted
    counts = counted.counts
    weight = Fraction(choice.params.fraction("weight"))
    p, q = weight.numerator, weight.denominator
    last = ordered.units[_last_rows(counted)]
    earlier = _group_sums(counted.group, ordered.units, ordered.groups) - last
    before = np.maximum(counts - 1, 1)
    if (int(np.abs(last).max(initial=0)) * p + int(np.abs(earlier).max(initial=0)) * q) * int(
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
    """d1 = x1, dk = d(k-1)*(1-r) + xk*r, one at-bat position at a time across all groups, in
    floating point; results within a hair of x.xx5 are redone exactly (`_exact_decay`)."""
    counted = ordered.counted
    counts = counted.counts
    rate = float(choice.params.fraction("rate"))
    levels = ordered.units / ordered.factor
    rated = counts > 0
    running = np.zeros(ordered.groups)
    running[rated] = levels[counted.starts[rated]]
    for groups, offset in _by_position(counts):
        places = counted.starts[groups] + offset
        running[groups] = running[groups] * (1 - rate) + levels[places] * rate
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


def _exact_decay(choice: MethodChoice, ordered: Ordered, groups: Int64s) -> Int64s:
    """The decaying average of `groups` in exact whole numbers: with r = p/q and
    N1 = U1, Nk = N(k-1)*(q-p) + Uk*p*q**(k-2), the value is Nn / (q**(n-1) * factor)."""
    rate = Fraction(choice.params.fraction("rate"))
    p, q = rate.numerator, rate.denominator
    counted = ordered.counted
    counts = counted.counts[groups]
    units = ordered.units.astype(object)
    running = units[counted.starts[groups]]
    for subset, offset in _by_position(counts):
        places = counted.starts[groups[subset]] + offset
        running[subset] = running[subset] * (q - p) + units[places] * (p * q ** (offset - 1))
    denominators = np.array([q ** (int(count) - 1) * ordered.factor for count in counts])
    return cents_of_ratio(running, denominators)


def _float_cents(values: Floats, rated: Bools) -> tuple[Int64s, Int64s]:
    """Cents of floating-point ratings, and the groups too close to x.xx5 to trust them."""
    scaled = np.abs(values) * 100
    fraction = scaled - np.floor(scaled)
    cents = np.floor(scaled + 0.5).astype(np.int64)
    cents = np.where(values < 0, -cents, cents)
    return cents, np.flatnonzero(rated & (np.abs(fraction - 0.5) < MIDPOINT_MARGIN))


def _n_mastery(choice: MethodChoice, ordered: Ordered) -> Computed:
    counted = ordered.counted
    at_mastery = ordered.units >= ordered.mastery_units
    group = counted.group[at_mastery]
    sizes = np.bincount(group, minlength=ordered.groups)
    sums = _group_sums(group, ordered.units[at_mastery], ordered.groups)
    rated = sizes >= choice.params.whole("count")
    return Computed(rated, cents_of_ratio(sums, np.maximum(sizes, 1) * ordered.factor))


def _mode_recent(choice: MethodChoice, ordered: Ordered) -> Computed:
    """The most frequent level among the `count` most recent; a tie goes to the level seen
    most recently.

    When every at-bat is at a scale level (the usual case), the window is walked one offset at
    a time from the most recent, filling a (level, group) table of counts and of the offset
    where each level was first (most recently) seen; else `_mode_recent_any_values`.
    """
    counted = ordered.counted
    size = choice.params.whole("count")
    scale_units = np.asarray(ordered.scale_units, dtype=np.int64)
    levels, groups = len(scale_units), ordered.groups
    counts, ends = counted.counts, counted.ends
    seen = np.zeros(levels * groups, dtype=np.int64)
    newest = np.full(levels * groups, size, dtype=np.int64)
    for offset in range(min(size, int(counts.max()))):
        active = np.flatnonzero(counts > offset)
        units = ordered.units[ends[active] - 1 - offset]
        level = np.minimum(np.searchsorted(scale_units, units), levels - 1)
        if not np.array_equal(scale_units[level], units):
            return _mode_recent_any_values(choice, ordered)
        slot = level * groups + active
        seen[slot] += 1
        newest[slot] = np.minimum(newest[slot], offset)
    # Score: more at-bats first, then seen more recently (a smaller offset).
    score = (seen * (size + 1) + (size - newest)) * (seen > 0)
    chosen = np.argmax(score.reshape(levels, groups), axis=0)
    return Computed(counts > 0, _cents_of_units(scale_units[chosen], ordered.factor))


def _mode_recent_any_values(choice: MethodChoice, ordered: Ordered) -> Computed:
    """`_mode_recent` for at-bats between levels: per group, the (count, last offset) of each
    value in the window, packed into one sortable number; the largest wins."""
    counted = ordered.counted
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
    steps, each touching every group once), filling two small tables: at-bats per (level
    reached, group) and the best level reached per (context, group). "At or above level L" is
    then a running sum down the levels.
    """
    counted = ordered.counted
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
        slot = active if context is None else context[place] * groups + active
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
    counted = ordered.counted
    counts = counted.counts
    groups = ordered.groups
    rated = counts > 0
    position = np.arange(len(ordered.units)) - np.repeat(counted.starts, counts) + 1
    x = np.log(position)
    y = np.log(ordered.units / ordered.factor)

    def sums(values: Floats) -> Floats:
        return np.bincount(counted.group, weights=values, minlength=groups)

    size = np.maximum(counts, 1).astype(np.float64)
    mean_x, mean_y = sums(x) / size, sums(y) / size
    spread = sums(x * x) - size * mean_x * mean_x
    covariance = sums(x * y) - size * mean_x * mean_y
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
