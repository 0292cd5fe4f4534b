"""The grading policy: one versionable JSON document, read into a frozen `Policy`.

The smallest policy names a scale and a method (the form `mastery ratings` reads)::

    {"scale": {"levels": [{"value": 1, "label": "Beginning"}, ...,
                          {"value": 3, "label": "Meeting", "mastery": true}, ...]},
     "method": {"name": "consistent", "at_bats": 3, "window": 5, "contexts": 2}}

Everything else has a default (see DEFAULT_POLICY and docs/grading-policies.md): per-target method
exceptions (``targets``), ``order_by``, ``require_independent_for_mastery``, the competency roll-up
(``competency``), the course grade (``course_grade``), credit (``credit``), graduation
(``graduation``) and the reporting practice (``reporting``, see `mastery.engine.reporting`).
`Policy.from_dict` refuses a bad document with a `PolicyError` whose message starts with the
path of the bad field: ``method.window: must be a whole number >= at_bats (got 2)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from mastery.engine.evidence import OrderBy
from mastery.engine.methods import MethodChoice, ParameterError
from mastery.engine.reporting import ReportingPractice
from mastery.engine.scales import DEFAULT_SCALE, Scale, ScaleError, to_decimal


class PolicyError(ValueError):
    """A policy document that cannot be used: `field` is the path of the bad field."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class Aggregate(StrEnum):
    MEAN = "mean"
    MINIMUM = "minimum"
    MEDIAN = "median"


class CourseGradeKind(StrEnum):
    CUT_TABLE = "cut_table"
    RULE_TABLE = "rule_table"


class CreditBasis(StrEnum):
    GRADE = "grade"
    COMPETENCIES = "competencies"


@dataclass(frozen=True, slots=True)
class CompetencyRule:
    """How subskill ratings roll up into a competency rating."""

    aggregate: Aggregate = Aggregate.MEAN
    required: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def required_for(self, competency_id: str) -> tuple[str, ...]:
        return dict(self.required).get(competency_id, ())


@dataclass(frozen=True, slots=True)
class GradeCut:
    grade: str
    min: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class GradeRule:
    """One row of a rule table. Every condition set must hold; a row with none always matches.

    ``none_below``: every competency rated at or above it. ``at_least_level`` with
    ``at_least_share``: at least that share of the competencies at or above that level.
    ``mean_at_least``: the weighted mean at or above it. ``all_mastered``: every one mastered.
    """

    grade: str
    none_below: Decimal | None = None
    at_least_level: Decimal | None = None
    at_least_share: Decimal | None = None
    mean_at_least: Decimal | None = None
    all_mastered: bool = False

    @property
    def is_catch_all(self) -> bool:
        return (
            self.none_below is None
            and self.at_least_level is None
            and self.mean_at_least is None
            and not self.all_mastered
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseGradeRule:
    kind: CourseGradeKind
    cuts: tuple[GradeCut, ...] = ()
    rules: tuple[GradeRule, ...] = ()
    passing: tuple[str, ...] = ()
    incomplete_when_insufficient: bool = True
    incomplete_label: str = "Incomplete"


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditRule:
    """Competency credit: `areas` credit values, earned when the named competencies are mastered.

    With ``partial_increment`` (e.g. 0.5) a part is earned in steps of that size, in proportion
    to the competencies mastered, rounded down.
    """

    name: str
    competencies: tuple[str, ...]
    areas: tuple[tuple[str, Decimal], ...]
    partial_increment: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CreditPolicy:
    basis: CreditBasis = CreditBasis.GRADE
    rules: tuple[CreditRule, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CompetencyRequirement:
    """Competencies that must be rated at `minimum` or above by the end of grade `by_grade`.

    Either names `competencies` or a framework `band` (e.g. "11-12"); a band is resolved by the
    caller's competency-to-band map.
    """

    name: str
    minimum: Decimal
    by_grade: int
    competencies: tuple[str, ...] = ()
    band: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GraduationRequirements:
    """Credit minimums per area, competency minimums, and the expected pace through the grades.

    `expected_credits` maps a grade to the credits a student should hold when starting it; a
    grade missing from it expects total x (grade - first_grade) / (last_grade - first_grade + 1).
    """

    credits: tuple[tuple[str, Decimal], ...] = ()
    competencies: tuple[CompetencyRequirement, ...] = ()
    first_grade: int = 9
    last_grade: int = 12
    expected_credits: tuple[tuple[int, Decimal], ...] = ()
    at_risk_margin: Decimal = Decimal(1)

    @property
    def total_credits(self) -> Decimal:
        return sum((credits for _, credits in self.credits), Decimal(0))

    def expected_at(self, grade: int) -> Decimal:
        table = dict(self.expected_credits)
        if grade in table:
            return table[grade]
        years = self.last_grade - self.first_grade + 1
        done = min(max(grade - self.first_grade, 0), years)
        return self.total_credits * done / years


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    scale: Scale
    method: MethodChoice
    target_methods: tuple[tuple[str, MethodChoice], ...] = ()
    order_by: OrderBy = OrderBy.ASSESSED_ON
    require_independent_for_mastery: bool = False
    competency: CompetencyRule = field(default_factory=CompetencyRule)
    course_grade: CourseGradeRule | None = None
    credit: CreditPolicy = field(default_factory=CreditPolicy)
    graduation: GraduationRequirements | None = None
    reporting: ReportingPractice = field(default_factory=ReportingPractice)

    def method_for(self, target_id: str | None = None) -> MethodChoice:
        """The method for `target_id` (a subskill or competency id): its own, or the default."""
        if target_id is not None:
            for target, choice in self.target_methods:
                if target == target_id:
                    return choice
        return self.method

    # The document reader lives in policy_document (it needs these classes, so it is imported
    # when called rather than at the top of this module). The writer is at the end of this one.
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """Read and validate a policy document; raises PolicyError naming the bad field."""
        from mastery.engine import policy_document

        return policy_document.read_policy(data)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-shaped document; `Policy.from_dict` of it gives an equal Policy."""
        return _write_policy(self)


def read_method(data: object, field_path: str, scale: Scale) -> MethodChoice:
    """A MethodChoice from `data`, with errors under `field_path` ('method', 'targets.X')."""
    try:
        choice = MethodChoice.from_dict(data)  # type: ignore[arg-type]
    except ParameterError as error:
        raise PolicyError(f"{field_path}.{error.field}", error.problem) from None
    if choice.method.needs_positive_levels and scale.lowest <= 0:
        raise PolicyError(
            f"{field_path}.name",
            f"{choice.name} needs every level above 0 (the lowest is {scale.lowest})",
        )
    return choice


def read_scale(data: object) -> Scale:
    try:
        return Scale.from_dict(data)  # type: ignore[arg-type]
    except ScaleError as error:
        raise PolicyError(error.field, error.problem) from None


def number(raw: object, field_path: str) -> Decimal:
    try:
        return to_decimal(raw, field=field_path)
    except ScaleError as error:
        raise PolicyError(error.field, error.problem) from None


DEFAULT_COURSE_GRADE = CourseGradeRule(
    kind=CourseGradeKind.CUT_TABLE,
    cuts=(
        GradeCut("A", Decimal("3.5")),
        GradeCut("B", Decimal("3.0")),
        GradeCut("C", Decimal("2.5")),
        GradeCut("D", Decimal("2.0")),
        GradeCut("F", Decimal("1")),
    ),
    passing=("A", "B", "C", "D"),
)

DEFAULT_POLICY = Policy(
    scale=DEFAULT_SCALE,
    method=MethodChoice.from_dict({"name": "consistent", "at_bats": 3, "window": 5, "contexts": 2}),
    course_grade=DEFAULT_COURSE_GRADE,
)


def _json_number(value: Decimal) -> int | float | str:
    """An int or float when that reads back exactly, else the exact decimal text."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def _write_policy(policy: Policy) -> dict[str, Any]:
    scale = policy.scale.to_dict()
    for level in scale["levels"]:
        for key in ("value", "min"):
            if key in level:
                level[key] = _json_number(Decimal(level[key]))
    document: dict[str, Any] = {
        "scale": scale,
        "method": _method(policy.method.to_dict()),
        "order_by": policy.order_by.value,
        "require_independent_for_mastery": policy.require_independent_for_mastery,
        "competency": {
            "aggregate": policy.competency.aggregate.value,
            "required": {
                competency: list(subskills) for competency, subskills in policy.competency.required
            },
        },
        "credit": {
            "basis": policy.credit.basis.value,
            "rules": [
                {
                    "name": rule.name,
                    "competencies": list(rule.competencies),
                    "areas": {area: _json_number(value) for area, value in rule.areas},
                    **(
                        {}
                        if rule.partial_increment is None
                        else {"partial_increment": _json_number(rule.partial_increment)}
                    ),
                }
                for rule in policy.credit.rules
            ],
        },
        "reporting": policy.reporting.to_dict(),
    }
    if policy.target_methods:
        document["targets"] = {
            target: _method(choice.to_dict()) for target, choice in policy.target_methods
        }
    if policy.course_grade is not None:
        document["course_grade"] = _write_course_grade(policy.course_grade)
    if policy.graduation is not None:
        document["graduation"] = _write_graduation(policy.graduation)
    return document


def _method(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _json_number(Decimal(value)) if isinstance(value, str) and key != "name" else value
        for key, value in data.items()
    }


def _write_course_grade(rule: CourseGradeRule) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": rule.kind.value,
        "passing": list(rule.passing),
        "when_insufficient": "incomplete" if rule.incomplete_when_insufficient else "ignore",
        "incomplete_label": rule.incomplete_label,
    }
    if rule.kind is CourseGradeKind.CUT_TABLE:
        data["cuts"] = [{"grade": cut.grade, "min": _json_number(cut.min)} for cut in rule.cuts]
    else:
        rows = []
        for grade_rule in rule.rules:
            row: dict[str, Any] = {"grade": grade_rule.grade}
            if grade_rule.none_below is not None:
                row["none_below"] = _json_number(grade_rule.none_below)
            if grade_rule.at_least_level is not None and grade_rule.at_least_share is not None:
                row["at_least"] = {
                    "level": _json_number(grade_rule.at_least_level),
                    "share": _json_number(grade_rule.at_least_share),
                }
            if grade_rule.mean_at_least is not None:
                row["mean_at_least"] = _json_number(grade_rule.mean_at_least)
            if grade_rule.all_mastered:
                row["all_mastered"] = True
            rows.append(row)
        data["rules"] = rows
    return data


def _write_graduation(requirements: GraduationRequirements) -> dict[str, Any]:
    return {
        "credits": {area: _json_number(value) for area, value in requirements.credits},
        "competencies": [
            {
                "name": requirement.name,
                "minimum": _json_number(requirement.minimum),
                "by_grade": requirement.by_grade,
                **({"band": requirement.band} if requirement.band else {}),
                **(
                    {"competencies": list(requirement.competencies)}
                    if requirement.competencies
                    else {}
                ),
            }
            for requirement in requirements.competencies
        ],
        "first_grade": requirements.first_grade,
        "last_grade": requirements.last_grade,
        "expected_credits": {
            str(grade): _json_number(value) for grade, value in requirements.expected_credits
        },
        "at_risk_margin": _json_number(requirements.at_risk_margin),
    }
