"""The method registry, parameters, exact arithmetic and rounding shared by every method.

Arithmetic is exact (fractions, or 34-digit decimals for logarithms) and only a method's result is
rounded, to 2 decimals, half up (2.675 -> 2.68, 2.665 -> 2.67): a rating never depends on how many
intermediate steps a method takes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from mastery.engine.evidence import AtBat
from mastery.engine.scales import Scale, ScaleError, format_number, to_decimal

if TYPE_CHECKING:
    from mastery.engine.methods.steps import ArithmeticStep

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
        if not isinstance(value, int):
            raise TypeError(f"parameter {name} is not a whole number")
        return value

    def fraction(self, name: str) -> Decimal:
        value = dict(self.values)[name]
        if not isinstance(value, Decimal):
            raise TypeError(f"parameter {name} is not a fraction")
        return value

    def as_dict(self) -> dict[str, Number]:
        return dict(self.values)


@dataclass(frozen=True, slots=True)
class MethodResult:
    """A rating (None = insufficient evidence) and the arithmetic that produced it, step by step:
    in words (`steps`) and, one record per sentence, as data (`records`; see `methods.steps`)."""

    rating: Decimal | None
    steps: tuple[str, ...]
    records: tuple[ArithmeticStep, ...] = ()

    @classmethod
    def of(cls, rating: Decimal | None, records: Sequence[ArithmeticStep]) -> MethodResult:
        """The result whose sentences are the records' own."""
        return cls(rating, tuple(record.text for record in records), tuple(records))


type Calculation = Callable[[Sequence[AtBat], Scale, Params], MethodResult]


@dataclass(frozen=True, slots=True)
class Method:
    """A registered method.

    `sentence`: the method in one sentence, a str.format template over the parameters.
    `check`: cross-parameter rules, raising ParameterError. `needs_positive_levels`: the policy
    refuses a scale with a level at or below 0. `window`: the parameter that limits which recent
    at-bats count, if any (the next step names the contexts shown within it).
    """

    name: str
    calculate: Calculation
    sentence: str
    parameters: tuple[Parameter, ...] = ()
    check: Callable[[Params], None] | None = None
    needs_positive_levels: bool = False
    window: str | None = None


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


def levels_of(at_bats: Sequence[AtBat]) -> list[Decimal]:
    return [at_bat.level for at_bat in at_bats if at_bat.level is not None]


def listed(values: Sequence[Decimal | Fraction]) -> str:
    return ", ".join(shown_number(value) for value in values)


def shown_number(value: Decimal | Fraction) -> str:
    """A number for an explanation: exact when it has at most 6 decimals, else 'about 2.67'."""
    if isinstance(value, Fraction):
        scaled = value * 10**6
        if scaled.denominator == 1:
            return format_number(Decimal(scaled.numerator).scaleb(-6))
        return f"about {format_number(round_rating(value))}"
    return format_number(value)


def mean(values: Sequence[Decimal]) -> Fraction:
    return sum((Fraction(value) for value in values), Fraction(0)) / len(values)


def mean_step(values: Sequence[Decimal]) -> str:
    total = " + ".join(format_number(value) for value in values)
    if len(values) == 1:
        return f"The average of one at-bat is the at-bat itself: {format_number(values[0])}."
    return f"({total}) / {len(values)} = {shown_number(mean(values))}."
