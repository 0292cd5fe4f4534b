"""A method's arithmetic as data: one record per sentence of the explanation.

Each `ArithmeticStep` says what was done (`operation`), to what (`operands`, plus the threshold,
weights or counts the operation needs) and what came of it (`value`, exact: a Decimal or a
Fraction), beside the English sentence (`text`) that says the same. A program, or a page in
another language, reads the arithmetic from the record and never parses the sentence.

`evaluate(step)` works a step out again from its operands; `replay(steps)` checks every step and
gives the rating they lead to: the last step's value, rounded (None: insufficient evidence).

    rating = rate(policy, entries)
    replay(rating.explanation.arithmetic) == rating.rating   # always
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from mastery.engine.methods.registry import (
    MethodResult,
    mean,
    mean_step,
    round_rating,
    shown_number,
)

type Exact = Decimal | Fraction


class Operation(StrEnum):
    """What a step does. Where a step gives no number its value is None."""

    NO_EVIDENCE = "no_evidence"
    """Nothing is counted yet: no value."""
    ONLY = "only"
    """One at-bat: its value is the rating."""
    LATEST = "latest"
    """The last of `operands` (oldest first)."""
    FIRST = "first"
    """The first of `operands`: where a decaying average starts."""
    MAXIMUM = "maximum"
    MEAN = "mean"
    """The exact mean of `operands` (a Fraction)."""
    MOST_RECENT = "most_recent"
    """The `count` most recent at-bats, which are the `operands` (with their `contexts`, when a
    method reads them); no value."""
    WEIGHTED_SUM = "weighted_sum"
    """The sum of each operand times its weight in `weights`."""
    AT_OR_ABOVE = "at_or_above"
    """How many `operands` are at or above `threshold` (`count`), of the `needed`; no value."""
    MODE = "mode"
    """The most frequent of `operands`; a tie goes to the tied value seen last."""
    TIE = "tie"
    """The same rule as MODE, said for the tie it settled."""
    FIT_CURVE = "fit_curve"
    """The least-squares fit of ln(level) on ln(i), i = 1..n: level = factor x i^exponent;
    `weights` = (factor, exponent), to 34 digits; no value."""
    READ_CURVE = "read_curve"
    """That fitted curve read at i = `count` (the latest at-bat)."""
    CLAMP = "clamp"
    """`operands` (x, lowest, highest): x kept on the scale."""
    LEVEL_SHOWN = "level_shown"
    """`consistent` trying one level (`threshold`, `label`): `count` of the `operands` are at or
    above it, `needed` must be; at a mastery level they must also come from `contexts_needed`
    different `contexts` (one per operand; at-bats with none recorded share one). The value is
    the level when it is shown consistently, else None."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ArithmeticStep:
    """One step of a method's arithmetic; see `Operation` for what each field means there."""

    operation: Operation
    operands: tuple[Exact, ...] = ()
    value: Exact | None = None
    weights: tuple[Exact, ...] = ()
    threshold: Decimal | None = None
    count: int | None = None
    needed: int | None = None
    contexts: tuple[str, ...] = ()
    contexts_needed: int | None = None
    label: str = ""
    text: str = ""


class StepMismatch(ValueError):
    """A step whose recorded value (or count) is not what its operands give."""


def evaluate(step: ArithmeticStep) -> Exact | None:
    """The value `step.operation` gives on `step.operands` (None where it gives no number).

    Worked example: MEAN of 2, 3, 3 -> Fraction(8, 3); WEIGHTED_SUM of 4 and 8/3 with weights
    0.65 and 0.35 -> 53/15.
    """
    operands = step.operands
    match step.operation:
        case Operation.NO_EVIDENCE | Operation.MOST_RECENT | Operation.FIT_CURVE:
            return None
        case Operation.ONLY | Operation.FIRST:
            return operands[0]
        case Operation.LATEST:
            return operands[-1]
        case Operation.MAXIMUM:
            return max(operands)
        case Operation.MEAN:
            return sum((Fraction(operand) for operand in operands), Fraction(0)) / len(operands)
        case Operation.WEIGHTED_SUM:
            return sum(
                (
                    Fraction(operand) * Fraction(weight)
                    for operand, weight in zip(operands, step.weights, strict=True)
                ),
                Fraction(0),
            )
        case Operation.AT_OR_ABOVE:
            return None
        case Operation.MODE | Operation.TIE:
            return most_frequent(operands)
        case Operation.READ_CURVE:
            return fit_growth_curve(_levels(step))[2]
        case Operation.CLAMP:
            value, lowest, highest = operands
            return min(max(value, lowest), highest)
        case Operation.LEVEL_SHOWN:
            return step.threshold if _level_shown(step) else None
    raise ValueError(f"unknown operation {step.operation!r}")


def replay(steps: Sequence[ArithmeticStep]) -> Decimal | None:
    """The rating `steps` lead to, each step worked out again and checked: the last step's value
    rounded to 2 decimals, or None (insufficient evidence). Raises StepMismatch for a step whose
    record disagrees with its operands."""
    for step in steps:
        value = evaluate(step)
        if value != step.value:
            raise StepMismatch(f"{step.operation}: recorded {step.value}, works out to {value}")
        counts = step.operation in {Operation.AT_OR_ABOVE, Operation.LEVEL_SHOWN}
        if counts and step.count != _at_or_above(step):
            raise StepMismatch(f"{step.operation}: count {step.count} is not {_at_or_above(step)}")
        if step.operation is Operation.FIT_CURVE:
            factor, exponent, _ = fit_growth_curve(_levels(step))
            if step.weights != (factor, exponent):
                raise StepMismatch(f"{step.operation}: the curve is not {step.weights}")
    if not steps or steps[-1].value is None:
        return None
    return round_rating(steps[-1].value)


def most_frequent(values: Sequence[Exact]) -> Exact:
    """The most frequent of `values`; a tie goes to the tied value seen last."""
    counts: dict[Exact, int] = {}
    last_seen: dict[Exact, int] = {}
    for position, value in enumerate(values):
        counts[value] = counts.get(value, 0) + 1
        last_seen[value] = position
    return max(counts, key=lambda value: (counts[value], last_seen[value]))


def fit_growth_curve(levels: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """(factor, exponent, the curve at i = n) of the least-squares fit of ln(level) on ln(i),
    i = 1..n (n >= 2, levels > 0), to 34 digits.

    Worked example: 1, 2, 2, 3 -> about 1.04 x i^0.73, which is about 2.8656 at i = 4.
    """
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
    return factor, slope, predicted


def _levels(step: ArithmeticStep) -> list[Decimal]:
    """The operands of a step over levels (a growth curve is fitted to levels, not to means)."""
    levels = [operand for operand in step.operands if isinstance(operand, Decimal)]
    if len(levels) != len(step.operands):
        raise StepMismatch(f"{step.operation}: its operands must be levels")
    return levels


def _at_or_above(step: ArithmeticStep) -> int:
    assert step.threshold is not None
    return sum(1 for operand in step.operands if operand >= step.threshold)


def _level_shown(step: ArithmeticStep) -> bool:
    if step.needed is None or _at_or_above(step) < step.needed:
        return False
    if step.contexts_needed is None:
        return True
    assert step.threshold is not None
    shown = {
        context
        for operand, context in zip(step.operands, step.contexts, strict=True)
        if operand >= step.threshold
    }
    return len(shown) >= step.contexts_needed


NO_EVIDENCE_TEXT = "There are no counted at-bats yet."


def no_evidence() -> MethodResult:
    """Insufficient evidence because nothing is counted."""
    return MethodResult.of(
        None, (ArithmeticStep(operation=Operation.NO_EVIDENCE, text=NO_EVIDENCE_TEXT),)
    )


def only_record(level: Decimal) -> ArithmeticStep:
    return ArithmeticStep(
        operation=Operation.ONLY,
        operands=(level,),
        value=level,
        text=f"With one at-bat, the rating is that at-bat: {shown_number(level)}.",
    )


def mean_record(values: Sequence[Decimal]) -> ArithmeticStep:
    """The mean of `values`, said as `mean_step` says it."""
    return ArithmeticStep(
        operation=Operation.MEAN, operands=tuple(values), value=mean(values), text=mean_step(values)
    )
