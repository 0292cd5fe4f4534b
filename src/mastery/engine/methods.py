"""Calculation methods: how a policy turns counted at-bats into one rating.

Each method is one function ``(at_bats, scale, params) -> MethodResult`` plus one ``register``
line naming its parameters and the sentence that explains it. ``at_bats`` are the counted at-bats,
oldest first. Arithmetic is exact (fractions, or 34-digit decimals for ``power_law``'s logarithms)
and only the result is rounded, to 2 decimals, half up (2.675 -> 2.68, 2.665 -> 2.67): a rating
never depends on how many intermediate steps a method takes. "Insufficient evidence" is a rating
of None, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction
from typing import Any

from mastery.engine.evidence import AtBat
from mastery.engine.scales import Scale, ScaleError, format_number, to_decimal

CENT = Decimal("0.01")

type Number = int | Decimal


class ParameterError(ValueError):
    """A bad method parameter; `field` is the parameter's name ('name' for the method itself)."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class ParameterKind(StrEnum):
    WHOLE = "whole"  # a whole number, 1 or more
    FRACTION = "fraction"  # strictly between 0 and 1


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    kind: ParameterKind
    default: Number
    meaning: str


@dataclass(frozen=True, slots=True)
class Params:
    """A method's parameter values, by name."""

    values: tuple[tuple[str, Number], ...] = ()

    def whole(self, name: str) -> int:
        value = dict(self.values)[name]
        assert isinstance(value, int)
        return value

    def fraction(self, name: str) -> Decimal:
        value = dict(self.values)[name]
        assert isinstance(value, Decimal)
        return value

    def as_dict(self) -> dict[str, Number]:
        return dict(self.values)


@dataclass(frozen=True, slots=True)
class MethodResult:
    """A rating (None = insufficient evidence) and the arithmetic that produced it, step by step."""

    rating: Decimal | None
    steps: tuple[str, ...]


type Calculation = Callable[[Sequence[AtBat], Scale, Params], MethodResult]


@dataclass(frozen=True, slots=True)
class Method:
    """A registered method. `sentence` is a str.format template over the parameters."""

    name: str
    calculate: Calculation
    sentence: str
    parameters: tuple[Parameter, ...] = ()
    check: Callable[[Params], None] | None = None
    needs_positive_levels: bool = False


METHODS: dict[str, Method] = {}


def register(method: Method) -> Method:
    METHODS[method.name] = method
    return method


@dataclass(frozen=True, slots=True)
class MethodChoice:
    """A method by name with its parameter values, as a policy chooses it."""

    name: str
    params: Params = Params()

    @property
    def method(self) -> Method:
        return METHODS[self.name]

    def calculate(self, at_bats: Sequence[AtBat], scale: Scale) -> MethodResult:
        return self.method.calculate(at_bats, scale, self.params)

    def describe(self) -> str:
        """The method in one sentence, with its parameters filled in."""
        shown = {name: format_number(Decimal(value)) for name, value in self.params.values}
        return self.method.sentence.format(**shown)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MethodChoice:
        """``{"name": "consistent", "at_bats": 3, ...}``; omitted parameters take their defaults.

        Raises ParameterError whose field is 'name' or the parameter's name.
        """
        if not isinstance(data, Mapping):
            raise ParameterError("name", "the method must be an object with a 'name'")
        name = data.get("name")
        if not isinstance(name, str) or name not in METHODS:
            known = ", ".join(sorted(METHODS))
            raise ParameterError("name", f"unknown method {name!r} (known: {known})")
        method = METHODS[name]
        known_names = {parameter.name for parameter in method.parameters}
        for key in data:
            if key != "name" and key not in known_names:
                takes = ", ".join(sorted(known_names)) or "no parameters"
                raise ParameterError(key, f"is not a parameter of {name} (it takes {takes})")
        values: list[tuple[str, Number]] = []
        for parameter in method.parameters:
            raw = data.get(parameter.name, parameter.default)
            values.append((parameter.name, _parameter_value(parameter, raw)))
        params = Params(tuple(values))
        if method.check is not None:
            method.check(params)
        return cls(name, params)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        for key, value in self.params.values:
            data[key] = value if isinstance(value, int) else str(value)
        return data


def _parameter_value(parameter: Parameter, raw: object) -> Number:
    if parameter.kind is ParameterKind.WHOLE:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
            raise ParameterError(parameter.name, f"must be a whole number >= 1 (got {raw!r})")
        return raw
    try:
        value = to_decimal(raw, field=parameter.name)
    except ScaleError:
        raise ParameterError(parameter.name, f"must be a number (got {raw!r})") from None
    if not 0 < value < 1:
        raise ParameterError(parameter.name, f"must be between 0 and 1 (got {raw!r})")
    return value


def round_rating(value: Fraction | Decimal) -> Decimal:
    """`value` rounded to 2 decimals, half away from zero (ROUND_HALF_UP): 8/3 -> 2.67."""
    if isinstance(value, Decimal):
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    scaled = abs(value) * 100
    whole = math.floor(scaled + Fraction(1, 2))
    return Decimal(-whole if value < 0 else whole).scaleb(-2).quantize(CENT)


def _levels(at_bats: Sequence[AtBat]) -> list[Decimal]:
    return [at_bat.level for at_bat in at_bats if at_bat.level is not None]


def _listed(values: Sequence[Decimal | Fraction]) -> str:
    return ", ".join(_shown(value) for value in values)


def _shown(value: Decimal | Fraction) -> str:
    """A number for an explanation: exact when it has at most 6 decimals, else 'about 2.67'."""
    if isinstance(value, Fraction):
        scaled = value * 10**6
        if scaled.denominator == 1:
            return format_number(Decimal(scaled.numerator).scaleb(-6))
        return f"about {format_number(round_rating(value))}"
    return format_number(value)


def _mean(values: Sequence[Decimal]) -> Fraction:
    return sum((Fraction(value) for value in values), Fraction(0)) / len(values)


def _mean_step(values: Sequence[Decimal]) -> str:
    total = " + ".join(format_number(value) for value in values)
    if len(values) == 1:
        return f"The average of one at-bat is the at-bat itself: {format_number(values[0])}."
    return f"({total}) / {len(values)} = {_shown(_mean(values))}."


_NO_EVIDENCE = ("There are no counted at-bats yet.",)


def latest(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The most recent counted at-bat.

    Worked example: at-bats 2, 3, 4, 3 (oldest first) -> 3.00.
    """
    levels = _levels(at_bats)
    if not levels:
        return MethodResult(None, _NO_EVIDENCE)
    return MethodResult(
        round_rating(levels[-1]),
        (f"Your most recent counted at-bat is {format_number(levels[-1])}.",),
    )


def highest(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The highest counted at-bat.

    Worked example: at-bats 2, 4, 3, 3 -> 4.00.
    """
    levels = _levels(at_bats)
    if not levels:
        return MethodResult(None, _NO_EVIDENCE)
    top = max(levels)
    return MethodResult(round_rating(top), (f"The highest of {_listed(levels)} is {_shown(top)}.",))


def average(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The mean of every counted at-bat.

    Worked example: at-bats 2, 3, 4, 3 -> (2 + 3 + 4 + 3) / 4 = 3.00; at-bats 2, 3, 3 -> 2.67.
    """
    levels = _levels(at_bats)
    if not levels:
        return MethodResult(None, _NO_EVIDENCE)
    return MethodResult(round_rating(_mean(levels)), (_mean_step(levels),))


def average_recent(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The mean of the `count` most recent counted at-bats.

    Worked example, count 3: at-bats 1, 2, 3, 4, 3 -> (3 + 4 + 3) / 3 = 3.33.
    """
    levels = _levels(at_bats)
    if not levels:
        return MethodResult(None, _NO_EVIDENCE)
    recent = levels[-params.whole("count") :]
    steps = (
        f"Your {len(recent)} most recent counted at-bats: {_listed(recent)}.",
        _mean_step(recent),
    )
    return MethodResult(round_rating(_mean(recent)), steps)


def weighted_latest(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The most recent at-bat times `weight`, plus the mean of the earlier ones times 1 - weight.

    This is the "decaying average" of some learning management systems.
    Worked example, weight 0.65: at-bats 2, 3, 3, 4 -> mean of 2, 3, 3 = 8/3;
    4 x 0.65 + 8/3 x 0.35 = 2.6 + 0.9333... = 3.5333... -> 3.53. One at-bat x1 gives x1.
    """
    levels = _levels(at_bats)
    if not levels:
        return MethodResult(None, _NO_EVIDENCE)
    if len(levels) == 1:
        only = levels[0]
        return MethodResult(
            round_rating(only), (f"With one at-bat, the rating is that at-bat: {_shown(only)}.",)
        )
    weight = Fraction(params.fraction("weight"))
    earlier = _mean(levels[:-1])
    result = Fraction(levels[-1]) * weight + earlier * (1 - weight)
    steps = (
        f"Average of the at-bats before the most recent one: {_mean_step(levels[:-1])}",
        f"{format_number(levels[-1])} x {_shown(weight)} + {_shown(earlier)} x "
        f"{_shown(1 - weight)} = {_shown(result)}.",
    )
    return MethodResult(round_rating(result), steps)


def decaying_average(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """True exponential decay: d1 = x1, then each step keeps 1 - `rate` of the old value.

    Worked example, rate 0.65: at-bats 2, 3, 3, 4 -> d1 = 2; d2 = 2 x 0.35 + 3 x 0.65 = 2.65;
    d3 = 2.65 x 0.35 + 3 x 0.65 = 2.8775; d4 = 2.8775 x 0.35 + 4 x 0.65 = 3.607125 -> 3.61.
    """
    levels = _levels(at_bats)
    if not levels:
        return MethodResult(None, _NO_EVIDENCE)
    rate = Fraction(params.fraction("rate"))
    running = Fraction(levels[0])
    steps = [f"Start with your first at-bat: {format_number(levels[0])}."]
    for level in levels[1:]:
        updated = running * (1 - rate) + Fraction(level) * rate
        steps.append(
            f"{_shown(running)} x {_shown(1 - rate)} + {format_number(level)} x {_shown(rate)} "
            f"= {_shown(updated)}."
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
    at_mastery = [level for level in _levels(at_bats) if level >= mastery]
    found = (
        f"{len(at_mastery)} counted at-bat{'s' if len(at_mastery) != 1 else ''} at or above "
        f"{format_number(mastery)}"
        + (f" ({_listed(at_mastery)})" if at_mastery else "")
        + f"; {needed} needed."
    )
    if len(at_mastery) < needed:
        return MethodResult(None, (found,))
    return MethodResult(round_rating(_mean(at_mastery)), (found, _mean_step(at_mastery)))


def mode_recent(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """The most frequent level among the `count` most recent; a tie goes to the latest seen.

    Worked example, count 5: at-bats 2, 3, 3, 4, 4 -> 3 and 4 appear twice each; 4 was seen
    most recently -> 4.00.
    """
    levels = _levels(at_bats)
    if not levels:
        return MethodResult(None, _NO_EVIDENCE)
    recent = levels[-params.whole("count") :]
    counts: dict[Decimal, int] = {}
    last_seen: dict[Decimal, int] = {}
    for position, level in enumerate(recent):
        counts[level] = counts.get(level, 0) + 1
        last_seen[level] = position
    best = max(counts, key=lambda level: (counts[level], last_seen[level]))
    tally = ", ".join(
        f"{format_number(level)} x{counts[level]}" for level in sorted(counts, reverse=True)
    )
    steps = [f"Your {len(recent)} most recent counted at-bats: {_listed(recent)}.", f"{tally}."]
    tied = [level for level in counts if counts[level] == counts[best] and level != best]
    if tied:
        steps.append(f"A tie: {format_number(best)} was seen most recently, so it wins.")
    return MethodResult(round_rating(best), tuple(steps))


def power_law(at_bats: Sequence[AtBat], scale: Scale, params: Params) -> MethodResult:
    """A least-squares fit of ln(level) on ln(i), read at the latest at-bat, kept on the scale.

    It predicts where a learner is now from the shape of their growth. Levels must be above 0.
    Worked example: at-bats 1, 2, 2, 3 -> the fitted curve is about 1.04 x i^0.73; read at
    i = 4 it gives 2.8656... -> 2.87. One at-bat x1 gives x1.
    """
    levels = _levels(at_bats)
    if not levels:
        return MethodResult(None, _NO_EVIDENCE)
    if len(levels) == 1:
        only = levels[0]
        return MethodResult(
            round_rating(only), (f"With one at-bat, the rating is that at-bat: {_shown(only)}.",)
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
        f"Fitting a growth curve through {_listed(levels)}: "
        f"about {format_number(round_rating(factor))} x i^{format_number(round_rating(slope))}.",
        f"Read at at-bat {count}: about {format_number(round_rating(predicted))}.",
    ]
    clamped = min(max(predicted, scale.lowest), scale.highest)
    if clamped != predicted:
        steps.append(f"Kept on the scale: {format_number(clamped)}.")
    return MethodResult(round_rating(clamped), tuple(steps))


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
        return MethodResult(None, _NO_EVIDENCE)
    steps = [
        f"Your {len(window)} most recent counted at-bats: "
        + ", ".join(_with_context(at_bat) for at_bat in window)
        + "."
    ]
    for level in reversed(scale.levels):
        shown = [
            at_bat for at_bat in window if at_bat.level is not None and at_bat.level >= level.value
        ]
        label = f"{level.label} ({format_number(level.value)})"
        if len(shown) < needed:
            steps.append(f"{label}: {len(shown)} at or above it; {needed} needed.")
            continue
        if level.value >= scale.mastery_value:
            contexts = sorted({context_name(at_bat) for at_bat in shown})
            if len(contexts) < contexts_needed:
                steps.append(
                    f"{label}: {len(shown)} at or above it, but from {len(contexts)} "
                    f"context{'s' if len(contexts) != 1 else ''} ({', '.join(contexts)}); "
                    f"{contexts_needed} different contexts needed."
                )
                continue
            steps.append(
                f"{label}: {len(shown)} at or above it, from {len(contexts)} contexts "
                f"({', '.join(contexts)}). Shown consistently."
            )
        else:
            steps.append(f"{label}: {len(shown)} at or above it. Shown consistently.")
        return MethodResult(round_rating(level.value), tuple(steps))
    return MethodResult(None, tuple(steps))


NO_CONTEXT = "no context recorded"


def context_name(at_bat: AtBat) -> str:
    return at_bat.context or NO_CONTEXT


def _with_context(at_bat: AtBat) -> str:
    level = format_number(at_bat.level) if at_bat.level is not None else "-"
    return f"{level} ({at_bat.context})" if at_bat.context else level


def _check_consistent(params: Params) -> None:
    window = params.whole("window")
    if window < params.whole("at_bats"):
        raise ParameterError("window", f"must be a whole number >= at_bats (got {window})")
    if params.whole("contexts") > window:
        raise ParameterError(
            "contexts", f"must be at most window, {window} (got {params.whole('contexts')})"
        )


_COUNT = Parameter("count", ParameterKind.WHOLE, 3, "how many recent at-bats to use")

register(Method("latest", latest, "Your rating is your most recent counted at-bat."))
register(Method("highest", highest, "Your rating is the highest level you have shown."))
register(Method("average", average, "Your rating is the average of all your counted at-bats."))
register(
    Method(
        "average_recent",
        average_recent,
        "Your rating is the average of your {count} most recent counted at-bats.",
        (_COUNT,),
    )
)
register(
    Method(
        "weighted_latest",
        weighted_latest,
        "Your most recent at-bat makes up {weight} of your rating; the average of the ones before "
        "it makes up the rest.",
        (Parameter("weight", ParameterKind.FRACTION, Decimal("0.65"), "share of the latest"),),
    )
)
register(
    Method(
        "decaying_average",
        decaying_average,
        "Each new at-bat makes up {rate} of your rating, so older at-bats count less and less.",
        (Parameter("rate", ParameterKind.FRACTION, Decimal("0.65"), "share of each new at-bat"),),
    )
)
register(
    Method(
        "n_mastery",
        n_mastery,
        "Once you have {count} at-bats at the mastery level or above, your rating is their "
        "average.",
        (_COUNT,),
    )
)
register(
    Method(
        "mode_recent",
        mode_recent,
        "Your rating is the level you showed most often in your {count} most recent at-bats.",
        (Parameter("count", ParameterKind.WHOLE, 5, "how many recent at-bats to use"),),
    )
)
register(
    Method(
        "power_law",
        power_law,
        "Your rating is where the curve of your growth so far says you are now.",
        needs_positive_levels=True,
    )
)
register(
    Method(
        "consistent",
        consistent,
        "Your rating is the highest level you showed in at least {at_bats} of your {window} most "
        "recent at-bats; for mastery they must come from at least {contexts} different contexts.",
        (
            Parameter("at_bats", ParameterKind.WHOLE, 3, "at-bats needed at a level"),
            Parameter("window", ParameterKind.WHOLE, 5, "how many recent at-bats to look at"),
            Parameter("contexts", ParameterKind.WHOLE, 2, "different contexts needed for mastery"),
        ),
        check=_check_consistent,
    )
)
