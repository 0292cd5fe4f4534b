"""Methods that report a level the student has shown: latest, highest, mode, consistent."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import partial

from mastery.engine.evidence import AtBat
from mastery.engine.methods.registry import (
    MethodResult,
    ParameterError,
    Params,
    levels_of,
    listed,
    round_rating,
    shown_number,
)
from mastery.engine.methods.steps import ArithmeticStep, Operation, most_frequent, no_evidence
from mastery.engine.scales import Scale, format_number


def latest(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The most recent counted at-bat.

    Worked example: at-bats 2, 3, 4, 3 (oldest first) -> 3.00.
    """
    levels = levels_of(at_bats)
    if not levels:
        return no_evidence()
    step = ArithmeticStep(
        operation=Operation.LATEST,
        operands=tuple(levels),
        value=levels[-1],
        text=f"Your most recent counted at-bat is {format_number(levels[-1])}.",
    )
    return MethodResult.of(round_rating(levels[-1]), (step,))


def highest(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The highest counted at-bat.

    Worked example: at-bats 2, 4, 3, 3 -> 4.00.
    """
    levels = levels_of(at_bats)
    if not levels:
        return no_evidence()
    top = max(levels)
    step = ArithmeticStep(
        operation=Operation.MAXIMUM,
        operands=tuple(levels),
        value=top,
        text=f"The highest of {listed(levels)} is {shown_number(top)}.",
    )
    return MethodResult.of(round_rating(top), (step,))


def mode_recent(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The most frequent level among the `count` most recent; a tie goes to the latest seen.

    Worked example, count 5: at-bats 2, 3, 3, 4, 4 -> 3 and 4 appear twice each; 4 was seen
    most recently -> 4.00.
    """
    levels = levels_of(at_bats)
    if not levels:
        return no_evidence()
    recent = tuple(levels[-params.whole("count") :])
    counts: dict[Decimal, int] = {}
    for level in recent:
        counts[level] = counts.get(level, 0) + 1
    best = most_frequent(recent)
    assert isinstance(best, Decimal)
    tally = ", ".join(
        f"{format_number(level)} x{counts[level]}" for level in sorted(counts, reverse=True)
    )
    steps = [
        ArithmeticStep(
            operation=Operation.MOST_RECENT,
            operands=recent,
            count=params.whole("count"),
            text=f"Your {len(recent)} most recent counted at-bats: {listed(recent)}.",
        ),
        ArithmeticStep(operation=Operation.MODE, operands=recent, value=best, text=f"{tally}."),
    ]
    tied = [level for level in counts if counts[level] == counts[best] and level != best]
    if tied:
        steps.append(
            ArithmeticStep(
                operation=Operation.TIE,
                operands=recent,
                value=best,
                text=f"A tie: {format_number(best)} was seen most recently, so it wins.",
            )
        )
    return MethodResult.of(round_rating(best), steps)


def consistent(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The highest level shown in at least `at_bats` of the `window` most recent at-bats; a level
    at or above mastery also needs those at-bats to come from `contexts` different contexts.

    At-bats with no context recorded count together as one context.
    Worked example, at_bats 3, window 5, contexts 2, mastery at 3: at-bats (oldest first)
    2 Lab, 3 Lab, 3 Essay, 4 Lab, 3 Lab, 2 Essay -> window 3 Lab, 3 Essay, 4 Lab, 3 Lab, 2 Essay;
    at 4 or above: 1 (3 needed); at 3 or above: 4, from Lab and Essay -> 3.00 (Meeting).
    With every at-bat from Lab it would be Developing (2.00): shown 4 times, but in 1 context.
    """
    needed = params.whole("at_bats")
    contexts_needed = params.whole("contexts")
    window = list(at_bats)[-params.whole("window") :]
    if not window:
        return no_evidence()
    levels = tuple(at_bat.level for at_bat in window if at_bat.level is not None)
    names = tuple(context_name(at_bat) for at_bat in window if at_bat.level is not None)
    steps = [
        ArithmeticStep(
            operation=Operation.MOST_RECENT,
            operands=levels,
            count=params.whole("window"),
            contexts=names,
            text=f"Your {len(window)} most recent counted at-bats: "
            + ", ".join(_with_context(at_bat) for at_bat in window)
            + ".",
        )
    ]
    for level in reversed(scale.levels):
        shown = [
            at_bat for at_bat in window if at_bat.level is not None and at_bat.level >= level.value
        ]
        label = f"{level.label} ({format_number(level.value)})"
        at_mastery = level.value >= scale.mastery_value
        check = partial(
            ArithmeticStep,
            operation=Operation.LEVEL_SHOWN,
            operands=levels,
            contexts=names,
            threshold=level.value,
            label=level.label,
            count=len(shown),
            needed=needed,
            contexts_needed=contexts_needed if at_mastery else None,
        )
        if len(shown) < needed:
            steps.append(
                check(value=None, text=f"{label}: {len(shown)} at or above it; {needed} needed.")
            )
            continue
        if at_mastery:
            contexts = sorted({context_name(at_bat) for at_bat in shown})
            if len(contexts) < contexts_needed:
                steps.append(
                    check(
                        value=None,
                        text=f"{label}: {len(shown)} at or above it, but from {len(contexts)} "
                        f"context{'s' if len(contexts) != 1 else ''} ({', '.join(contexts)}); "
                        f"{contexts_needed} different contexts needed.",
                    )
                )
                continue
            text = (
                f"{label}: {len(shown)} at or above it, from {len(contexts)} contexts "
                f"({', '.join(contexts)}). Shown consistently."
            )
        else:
            text = f"{label}: {len(shown)} at or above it. Shown consistently."
        steps.append(check(value=level.value, text=text))
        return MethodResult.of(round_rating(level.value), steps)
    return MethodResult.of(None, steps)


NO_CONTEXT = "no context recorded"


def context_name(at_bat: AtBat) -> str:
    return at_bat.context or NO_CONTEXT


def _with_context(at_bat: AtBat) -> str:
    level = format_number(at_bat.level) if at_bat.level is not None else "-"
    return f"{level} ({at_bat.context})" if at_bat.context else level


def check_consistent(params: Params) -> None:
    window = params.whole("window")
    if window < params.whole("at_bats"):
        raise ParameterError("window", f"must be a whole number >= at_bats (got {window})")
    if params.whole("contexts") > window:
        raise ParameterError(
            "contexts", f"must be at most window, {window} (got {params.whole('contexts')})"
        )
