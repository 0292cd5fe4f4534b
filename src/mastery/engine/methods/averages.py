"""Methods that average: every at-bat, the recent ones, or with decay; and a growth curve."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from mastery.engine.evidence import AtBat
from mastery.engine.methods.registry import (
    NO_EVIDENCE,
    MethodResult,
    Params,
    levels_of,
    listed,
    mean,
    mean_step,
    round_rating,
    shown_number,
)
from mastery.engine.scales import Scale, format_number


def average(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The mean of every counted at-bat.

    Worked example: at-bats 2, 3, 4, 3 -> (2 + 3 + 4 + 3) / 4 = 3.00; at-bats 2, 3, 3 -> 2.67.
    """
    levels = levels_of(at_bats)
    if not levels:
        return MethodResult(None, NO_EVIDENCE)
    return MethodResult(round_rating(mean(levels)), (mean_step(levels),))


def average_recent(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The mean of the `count` most recent counted at-bats.

    Worked example, count 3: at-bats 1, 2, 3, 4, 3 -> (3 + 4 + 3) / 3 = 3.33.
    """
    levels = levels_of(at_bats)
    if not levels:
        return MethodResult(None, NO_EVIDENCE)
    recent = levels[-params.whole("count") :]
    steps = (
        f"Your {len(recent)} most recent counted at-bats: {listed(recent)}.",
        mean_step(recent),
    )
    return MethodResult(round_rating(mean(recent)), steps)


def weighted_latest(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The most recent at-bat times `weight`, plus the mean of the earlier ones times 1 - weight.

    This is the "decaying average" of some learning management systems.
    Worked example, weight 0.65: at-bats 2, 3, 3, 4 -> mean of 2, 3, 3 = 8/3;
    4 x 0.65 + 8/3 x 0.35 = 2.6 + 0.9333... = 3.5333... -> 3.53. One at-bat x1 gives x1.
    """
    levels = levels_of(at_bats)
    if not levels:
        return MethodResult(None, NO_EVIDENCE)
    if len(levels) == 1:
        only = levels[0]
        return MethodResult(
            round_rating(only),
            (f"With one at-bat, the rating is that at-bat: {shown_number(only)}.",),
        )
    weight = Fraction(params.fraction("weight"))
    earlier = mean(levels[:-1])
    result = Fraction(levels[-1]) * weight + earlier * (1 - weight)
    steps = (
        f"Average of the at-bats before the most recent one: {mean_step(levels[:-1])}",
        f"{format_number(levels[-1])} x {shown_number(weight)} + {shown_number(earlier)} x "
        f"{shown_number(1 - weight)} = {shown_number(result)}.",
    )
    return MethodResult(round_rating(result), steps)


def decaying_average(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """True exponential decay: d1 = x1, then each step keeps 1 - `rate` of the old value.

    Worked example, rate 0.65: at-bats 2, 3, 3, 4 -> d1 = 2; d2 = 2 x 0.35 + 3 x 0.65 = 2.65;
    d3 = 2.65 x 0.35 + 3 x 0.65 = 2.8775; d4 = 2.8775 x 0.35 + 4 x 0.65 = 3.607125 -> 3.61.
    """
    levels = levels_of(at_bats)
    if not levels:
        return MethodResult(None, NO_EVIDENCE)
    rate = Fraction(params.fraction("rate"))
    running = Fraction(levels[0])
    steps = [f"Start with your first at-bat: {format_number(levels[0])}."]
    for level in levels[1:]:
        updated = running * (1 - rate) + Fraction(level) * rate
        steps.append(
            f"{shown_number(running)} x {shown_number(1 - rate)} + {format_number(level)} x "
            f"{shown_number(rate)} = {shown_number(updated)}."
        )
        running = updated
    return MethodResult(round_rating(running), tuple(steps))


def n_mastery(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The mean of the at-bats at or above the mastery value, once there are `count` of them.

    Worked example, count 3, mastery at 3: at-bats 2, 3, 4, 3 -> 3, 4, 3 are at or above 3;
    (3 + 4 + 3) / 3 = 3.33. At-bats 2, 3, 4 -> only 2 at or above 3: insufficient evidence.
    """
    needed = params.whole("count")
    mastery = scale.mastery_value
    at_mastery = [level for level in levels_of(at_bats) if level >= mastery]
    found = (
        f"{len(at_mastery)} counted at-bat{'s' if len(at_mastery) != 1 else ''} at or above "
        f"{format_number(mastery)}"
        + (f" ({listed(at_mastery)})" if at_mastery else "")
        + f"; {needed} needed."
    )
    if len(at_mastery) < needed:
        return MethodResult(None, (found,))
    return MethodResult(round_rating(mean(at_mastery)), (found, mean_step(at_mastery)))


def power_law(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """A least-squares fit of ln(level) on ln(i), read at the latest at-bat, kept on the scale.

    It predicts where a learner is now from the shape of their growth. Levels must be above 0.
    Worked example: at-bats 1, 2, 2, 3 -> the fitted curve is about 1.04 x i^0.73; read at
    i = 4 it gives 2.8656... -> 2.87. One at-bat x1 gives x1.
    """
    levels = levels_of(at_bats)
    if not levels:
        return MethodResult(None, NO_EVIDENCE)
    if len(levels) == 1:
        only = levels[0]
        return MethodResult(
            round_rating(only),
            (f"With one at-bat, the rating is that at-bat: {shown_number(only)}.",),
        )
    with localcontext() as context:
        context.prec = 34
        count = len(levels)
        xs = [Decimal(position).ln() for position in range(1, count + 1)]
        ys = [level.ln() for level in levels]
        mean_x = sum(xs, Decimal(0)) / count
        mean_y = sum(ys, Decimal(0)) / count
        spread = sum(((x - mean_x) ** 2 for x in xs), Decimal(0))
        slope = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), Decimal(0))
        slope /= spread
        intercept = mean_y - slope * mean_x
        predicted = (intercept + slope * xs[-1]).exp()
        factor = intercept.exp()
    steps = [
        f"Fitting a growth curve through {listed(levels)}: "
        f"about {format_number(round_rating(factor))} x i^{format_number(round_rating(slope))}.",
        f"Read at at-bat {count}: about {format_number(round_rating(predicted))}.",
    ]
    clamped = min(max(predicted, scale.lowest), scale.highest)
    if clamped != predicted:
        steps.append(f"Kept on the scale: {format_number(clamped)}.")
    return MethodResult(round_rating(clamped), tuple(steps))
