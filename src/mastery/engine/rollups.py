"""Roll-ups: competency from subskills, course grade, credit, graduation and promotion.

Every result is a frozen value with the steps that produced it, in plain words. Numbers are exact
until shown, then rounded to 2 decimals half up like ratings (docs/grading-policies.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from mastery.engine.methods import round_rating
from mastery.engine.policy import Aggregate, CourseGradeKind, GradeRule, Policy
from mastery.engine.rating import Status
from mastery.engine.scales import Level, format_number


class Rated(Protocol):
    """Anything with a rating (None = insufficient evidence) and a mastery decision."""

    @property
    def rating(self) -> Decimal | None: ...

    @property
    def mastered(self) -> bool: ...


class RollupError(ValueError):
    """Inputs a roll-up cannot use (a negative weight, an override without a reason...)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CompetencyRating:
    competency: str
    status: Status
    rating: Decimal | None
    level: Level | None
    mastered: bool
    used: tuple[str, ...]
    insufficient: tuple[str, ...]
    required_not_mastered: tuple[str, ...]
    steps: tuple[str, ...]
    values: tuple[Decimal, ...] = ()
    """The rating of each part in `used`, in the same order: what the aggregate was taken of."""
    aggregate: Aggregate = Aggregate.MEAN
    """How the parts were combined (the policy's rule), so `steps` can be said from structure."""

    @property
    def text(self) -> str:
        return "\n".join(self.steps)


def rate_competency(
    policy: Policy,
    competency: str,
    subskills: Mapping[str, Rated],
    *,
    own: Rated | None = None,
) -> CompetencyRating:
    """A competency's rating from its subskills' ratings (and its own evidence, as one more part).

    Parts with insufficient evidence are left out. Every required subskill must be mastered for
    the competency to be mastered. Worked example (mean): subskills 3, 2.5 and insufficient, own
    evidence 4 -> (3 + 2.5 + 4) / 3 = 3.17, Meeting; mastered unless a required one is not.
    """
    parts: dict[str, Rated] = dict(subskills)
    if own is not None:
        parts[competency] = own
    used = tuple(name for name, part in parts.items() if part.rating is not None)
    insufficient = tuple(name for name, part in parts.items() if part.rating is None)
    values = [part.rating for part in parts.values() if part.rating is not None]
    required = policy.competency.required_for(competency)
    required_not_mastered = tuple(
        name for name in required if name not in parts or not parts[name].mastered
    )
    steps = []
    if insufficient:
        steps.append(f"Left out for now (not enough evidence yet): {', '.join(insufficient)}.")
    if not values:
        steps.append("No part of this competency has enough evidence yet for a rating.")
        return CompetencyRating(
            competency=competency,
            status=Status.INSUFFICIENT_EVIDENCE,
            rating=None,
            level=None,
            mastered=False,
            used=used,
            insufficient=insufficient,
            required_not_mastered=required_not_mastered,
            steps=tuple(steps),
            aggregate=policy.competency.aggregate,
        )
    steps.append("Ratings used: " + _named(parts, used, own_name=competency) + ".")
    rating, arithmetic = aggregate(policy.competency.aggregate, values)
    steps.append(arithmetic)
    level = policy.scale.level_for(rating)
    mastered = policy.scale.is_mastery(rating) and not required_not_mastered
    if required_not_mastered:
        steps.append(f"Required and not mastered yet: {', '.join(required_not_mastered)}.")
    steps.append(
        f"Result: {format_number(rating)}, which is {level.label}. "
        + ("Mastered." if mastered else "Not mastered yet.")
    )
    return CompetencyRating(
        competency=competency,
        status=Status.RATED,
        rating=rating,
        level=level,
        mastered=mastered,
        used=used,
        insufficient=insufficient,
        required_not_mastered=required_not_mastered,
        steps=tuple(steps),
        values=tuple(values),
        aggregate=policy.competency.aggregate,
    )


def _named(parts: Mapping[str, Rated], names: Sequence[str], own_name: str | None = None) -> str:
    """'SCI.1 3, SCI.2 2.5, SCI (its own evidence) 4'."""
    shown = []
    for name in names:
        label = f"{name} (its own evidence)" if name == own_name else name
        shown.append(f"{label} {format_number(parts[name].rating or Decimal(0))}")
    return ", ".join(shown)


def aggregate(rule: Aggregate, values: Sequence[Decimal]) -> tuple[Decimal, str]:
    """Mean, minimum or median of `values` (not empty), rounded, and the arithmetic in words.

    Worked example: 2, 3, 4, 4 -> mean 3.25, minimum 2, median (3 + 4) / 2 = 3.5. A single
    value is the result whatever the rule, and is said so.
    """
    if len(values) == 1:
        # "The average of 2: (2) / 1 = 2" is right and reads like a riddle: say it plainly.
        only = round_rating(values[0])
        said = f"One part is rated, so the competency takes its rating: {format_number(only)}."
        return only, said
    listed = ", ".join(format_number(value) for value in values)
    if rule is Aggregate.MINIMUM:
        lowest = min(values)
        return round_rating(lowest), f"The lowest of {listed} is {format_number(lowest)}."
    if rule is Aggregate.MEDIAN:
        ordered = sorted(values)
        middle = len(ordered) // 2
        if len(ordered) % 2:
            median = Fraction(ordered[middle])
        else:
            median = (Fraction(ordered[middle - 1]) + Fraction(ordered[middle])) / 2
        rounded = round_rating(median)
        return rounded, f"The middle value of {listed} is {format_number(rounded)}."
    mean = sum((Fraction(value) for value in values), Fraction(0)) / len(values)
    rounded = round_rating(mean)
    total = " + ".join(format_number(value) for value in values)
    return (
        rounded,
        f"The average of {listed}: ({total}) / {len(values)} = {format_number(rounded)}.",
    )


IN_PROGRESS = "In progress"
"""The course grade while the term runs and a competency still lacks evidence: not a grade of
the policy, and not Incomplete either -- that is only said at term end."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseGrade:
    """The computed grade, and a teacher's override (with its reason) kept beside it.

    `in_progress`: the term has not ended and the grade would be the policy's incomplete grade;
    `grade` is then IN_PROGRESS (neither passing nor incomplete)."""

    grade: str
    incomplete: bool
    passing: bool
    weighted_mean: Decimal | None
    insufficient: tuple[str, ...]
    steps: tuple[str, ...]
    override: str | None = None
    override_reason: str = ""
    in_progress: bool = False

    @property
    def final_grade(self) -> str:
        return self.override if self.override is not None else self.grade


def calculate_course_grade(
    policy: Policy,
    competencies: Mapping[str, Rated],
    *,
    weights: Mapping[str, Decimal] | None = None,
    term_closed: bool,
) -> CourseGrade:
    """The course grade from the ratings of the competencies the course assesses.

    `weights`: per competency (default 1; 0 leaves it out). A competency with insufficient evidence
    gives the policy's incomplete grade at term end (`term_closed`), unless the policy says to
    ignore it; before then the grade is IN_PROGRESS, since evidence may still come. The weighted
    mean is rounded before it meets the cut table, so a mean shown as 3.50 gets the 3.5 grade.
    Worked example (default cut table): ratings 4, 3, 3 with weights 2, 1, 1 ->
    (4 x 2 + 3 x 1 + 3 x 1) / 4 = 3.5 -> A. Ratings 4 and insufficient: In progress while the
    term runs, Incomplete once it has ended.
    """
    rule = policy.course_grade
    if rule is None:
        raise RollupError("this policy has no course_grade rule")
    weights = weights or {}
    for name, weight in weights.items():
        if weight < 0:
            raise RollupError(f"weight of {name} must be 0 or more (got {weight})")
    assessed = {name: part for name, part in competencies.items() if weights.get(name, 1) != 0}
    insufficient = tuple(name for name, part in assessed.items() if part.rating is None)
    rated = {name: part for name, part in assessed.items() if part.rating is not None}
    steps: list[str] = []
    if insufficient:
        steps.append(f"Not enough evidence yet: {', '.join(insufficient)}.")
    if (insufficient and rule.incomplete_when_insufficient) or not rated:
        if not rated:
            steps.append("No competency of this course has a rating yet.")
        if not term_closed:
            steps.append(
                f"The term has not ended, so the grade is {IN_PROGRESS.lower()}: "
                f"{rule.incomplete_label} only if evidence is still missing at term end."
            )
        steps.append(f"Grade: {rule.incomplete_label if term_closed else IN_PROGRESS}.")
        return CourseGrade(
            grade=rule.incomplete_label if term_closed else IN_PROGRESS,
            incomplete=term_closed,
            passing=False,
            weighted_mean=None,
            insufficient=insufficient,
            steps=tuple(steps),
            in_progress=not term_closed,
        )
    steps.append("Ratings used: " + _named(rated, tuple(rated)) + ".")
    weight_of = {name: Decimal(weights.get(name, 1)) for name in rated}
    total_weight = sum(weight_of.values(), Decimal(0))
    weighted = sum(
        (Fraction(part.rating or 0) * Fraction(weight_of[name]) for name, part in rated.items()),
        Fraction(0),
    )
    mean = round_rating(weighted / Fraction(total_weight))
    terms = " + ".join(
        f"{format_number(part.rating or Decimal(0))} x {format_number(weight_of[name])}"
        for name, part in rated.items()
    )
    steps.append(
        f"Weighted average: ({terms}) / {format_number(total_weight)} = {format_number(mean)}."
    )
    if rule.kind is CourseGradeKind.CUT_TABLE:
        cut = next(cut for cut in rule.cuts if mean >= cut.min)
        grade = cut.grade
        steps.append(f"{format_number(mean)} is at least {format_number(cut.min)}: grade {grade}.")
    else:
        values = [part.rating for part in rated.values() if part.rating is not None]
        mastered = all(part.mastered for part in rated.values())
        matched = next(row for row in rule.rules if _matches(row, values, mean, mastered))
        grade = matched.grade
        steps.append(f"First rule that fits: {_describe(matched)}: grade {grade}.")
    return CourseGrade(
        grade=grade,
        incomplete=False,
        passing=grade in rule.passing,
        weighted_mean=mean,
        insufficient=insufficient,
        steps=tuple(steps),
    )


def _matches(row: GradeRule, values: Sequence[Decimal], mean: Decimal, mastered: bool) -> bool:
    if row.none_below is not None and min(values) < row.none_below:
        return False
    if row.at_least_level is not None and row.at_least_share is not None:
        reaching = sum(1 for value in values if value >= row.at_least_level)
        if Fraction(reaching, len(values)) < Fraction(row.at_least_share):
            return False
    if row.mean_at_least is not None and mean < row.mean_at_least:
        return False
    return mastered or not row.all_mastered


def _describe(row: GradeRule) -> str:
    conditions = []
    if row.none_below is not None:
        conditions.append(f"none below {format_number(row.none_below)}")
    if row.at_least_level is not None and row.at_least_share is not None:
        share = format_number(row.at_least_share * 100)
        conditions.append(f"at least {share}% at {format_number(row.at_least_level)} or above")
    if row.mean_at_least is not None:
        conditions.append(f"weighted average at least {format_number(row.mean_at_least)}")
    if row.all_mastered:
        conditions.append("every competency mastered")
    return " and ".join(conditions) or "everyone else"


def override_course_grade(computed: CourseGrade, grade: str, *, reason: str) -> CourseGrade:
    """`computed` with a teacher's override; both stay visible. A written reason is required."""
    if not reason.strip():
        raise RollupError("an override of a course grade needs a written reason")
    return replace(computed, override=grade, override_reason=reason.strip())
