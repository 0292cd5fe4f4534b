"""Methods that average: every at-bat, the recent ones, or with decay; and a growth curve."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from mastery.engine.evidence import AtBat
from mastery.engine.methods.registry import (
    MethodResult,
    Params,
    levels_of,
    listed,
    mean,
    mean_step,
    round_rating,
    shown_number,
)
from mastery.engine.methods.steps import (
    ArithmeticStep,
    Operation,
    fit_growth_curve,
    mean_record,
    no_evidence,
    only_record,
)
from mastery.engine.scales import Scale, format_number


def average(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The mean of every counted at-bat.

    Worked example: at-bats 2, 3, 4, 3 -> (2 + 3 + 4 + 3) / 4 = 3.00; at-bats 2, 3, 3 -> 2.67.
    """
    levels = levels_of(at_bats)
    if not levels:
        return no_evidence()
    return MethodResult.of(round_rating(mean(levels)), (mean_record(levels),))


def average_recent(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The mean of the `count` most recent counted at-bats.

    Worked example, count 3: at-bats 1, 2, 3, 4, 3 -> (3 + 4 + 3) / 3 = 3.33.
    """
    levels = levels_of(at_bats)
    if not levels:
        return no_evidence()
    recent = levels[-params.whole("count") :]
    steps = (
        ArithmeticStep(
            operation=Operation.MOST_RECENT,
            operands=tuple(recent),
            count=params.whole("count"),
            text=f"Your {len(recent)} most recent counted at-bats: {listed(recent)}.",
        ),
        mean_record(recent),
    )
    return MethodResult.of(round_rating(mean(recent)), steps)


def weighted_latest(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The most recent at-bat times `weight`, plus the mean of the earlier ones times 1 - weight.

    This is the "decaying average" of some learning management systems.
    Worked example, weight 0.65: at-bats 2, 3, 3, 4 -> mean of 2, 3, 3 = 8/3;
    4 x 0.65 + 8/3 x 0.35 = 2.6 + 0.9333... = 3.5333... -> 3.53. One at-bat x1 gives x1.
    """
    levels = levels_of(at_bats)
    if not levels:
        return no_evidence()
    if len(levels) == 1:
        return MethodResult.of(round_rating(levels[0]), (only_record(levels[0]),))
    weight = Fraction(params.fraction("weight"))
    earlier = mean(levels[:-1])
    result = Fraction(levels[-1]) * weight + earlier * (1 - weight)
    steps = (
        ArithmeticStep(
            operation=Operation.MEAN,
            operands=tuple(levels[:-1]),
            value=earlier,
            text=f"Average of the at-bats before the most recent one: {mean_step(levels[:-1])}",
        ),
        ArithmeticStep(
            operation=Operation.WEIGHTED_SUM,
            operands=(levels[-1], earlier),
            weights=(weight, 1 - weight),
            value=result,
            text=f"{format_number(levels[-1])} x {shown_number(weight)} + {shown_number(earlier)}"
            f" x {shown_number(1 - weight)} = {shown_number(result)}.",
        ),
    )
    return MethodResult.of(round_rating(result), steps)


def decaying_average(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """True exponential decay: d1 = x1, then each step keeps 1 - `rate` of the old value.

    Worked example, rate 0.65: at-bats 2, 3, 3, 4 -> d1 = 2; d2 = 2 x 0.35 + 3 x 0.65 = 2.65;
    d3 = 2.65 x 0.35 + 3 x 0.65 = 2.8775; d4 = 2.8775 x 0.35 + 4 x 0.65 = 3.607125 -> 3.61.
    """
    levels = levels_of(at_bats)
    if not levels:
        return no_evidence()
    rate = Fraction(params.fraction("rate"))
    running = Fraction(levels[0])
    steps = [
        ArithmeticStep(
            operation=Operation.FIRST,
            operands=tuple(levels),
            value=levels[0],
            text=f"Start with your first at-bat: {format_number(levels[0])}.",
        )
    ]
    for level in levels[1:]:
        updated = running * (1 - rate) + Fraction(level) * rate
        steps.append(
            ArithmeticStep(
                operation=Operation.WEIGHTED_SUM,
                operands=(running, level),
                weights=(1 - rate, rate),
                value=updated,
                text=f"{shown_number(running)} x {shown_number(1 - rate)} + "
                f"{format_number(level)} x {shown_number(rate)} = {shown_number(updated)}.",
            )
        )
        running = updated
    return MethodResult.of(round_rating(running), steps)


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
    counted = ArithmeticStep(
        operation=Operation.AT_OR_ABOVE,
        operands=tuple(levels_of(at_bats)),
        threshold=mastery,
        count=len(at_mastery),
        needed=needed,
        text=found,
    )
    if len(at_mastery) < needed:
        return MethodResult.of(None, (counted,))
    return MethodResult.of(round_rating(mean(at_mastery)), (counted, mean_record(at_mastery)))


def power_law(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """A least-squares fit of ln(level) on ln(i), read at the latest at-bat, kept on the scale.

    It predicts where a learner is now from the shape of their growth. Levels must be above 0.
    Worked example: at-bats 1, 2, 2, 3 -> the fitted curve is about 1.04 x i^0.73; read at
    i = 4 it gives 2.8656... -> 2.87. One at-bat x1 gives x1.
    """
    levels = levels_of(at_bats)
    if not levels:
        return no_evidence()
    if len(levels) == 1:
        return MethodResult.of(round_rating(levels[0]), (only_record(levels[0]),))
    factor, slope, predicted = fit_growth_curve(levels)
    count = len(levels)
    steps = [
        ArithmeticStep(
            operation=Operation.FIT_CURVE,
            operands=tuple(levels),
            weights=(factor, slope),
            text=f"Fitting a growth curve through {listed(levels)}: "
            f"about {format_number(round_rating(factor))} x "
            f"i^{format_number(round_rating(slope))}.",
        ),
        ArithmeticStep(
            operation=Operation.READ_CURVE,
            operands=tuple(levels),
            count=count,
            value=predicted,
            text=f"Read at at-bat {count}: about {format_number(round_rating(predicted))}.",
        ),
    ]
    clamped = min(max(predicted, scale.lowest), scale.highest)
    if clamped != predicted:
        steps.append(
            ArithmeticStep(
                operation=Operation.CLAMP,
                operands=(predicted, scale.lowest, scale.highest),
                value=clamped,
                text=f"Kept on the scale: {format_number(clamped)}.",
            )
        )
    return MethodResult.of(round_rating(clamped), steps)
