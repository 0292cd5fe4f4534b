"""Credit toward graduation, and where a student stands against the graduation requirements.

Credit (the policy's ``credit.basis``):
- ``grade``: a course awards its credit value in its credit area(s) when its final grade passes.
  Partial credit is the course's own value per term (a semester course worth 0.5).
- ``competencies``: each credit rule awards its area values when every competency it names is
  mastered; with ``partial_increment`` a share is earned, in proportion to the competencies
  mastered, rounded down to that increment.

Standing (on track / at risk / off track), decided here and documented in
docs/grading-policies.md: expected credits are those the policy expects when starting the
student's grade. Credits count toward it only up to each area's minimum (extra electives do not
hide a missing area). Shortfall 0 or less: on track; up to ``at_risk_margin``: at risk; more: off
track. A competency requirement due by the end of the current grade and not met makes a student at
least at risk; one due by an earlier grade and not met makes them off track.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from mastery.engine.policy import CreditBasis, Policy
from mastery.engine.rollups import CourseGrade, Rated
from mastery.engine.scales import format_number


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseCredit:
    """A course taken by the student this term, its grade and its credit value per area."""

    course: str
    grade: CourseGrade
    credits: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditAward:
    """Credit earned from one course or one competency credit rule, per area."""

    source: str
    awarded: tuple[tuple[str, Decimal], ...]
    possible: tuple[tuple[str, Decimal], ...]
    reason: str

    @property
    def earned(self) -> bool:
        return any(value > 0 for _, value in self.awarded)


def award_credit(
    policy: Policy,
    *,
    courses: Sequence[CourseCredit] = (),
    competencies: Mapping[str, Rated] | None = None,
) -> tuple[CreditAward, ...]:
    """The credit a student earns, by course grade or by competency, as the policy says.

    Worked example (grade basis, passing A-D): Biology graded B, worth Science 1 -> Science 1;
    Art graded F, worth Arts 0.5 -> nothing. Competency basis, rule "Biology" (Science 1,
    partial_increment 0.5) naming 4 competencies, 3 mastered -> 1 x 3/4 = 0.75, rounded down to
    0.5 -> Science 0.5.
    """
    if policy.credit.basis is CreditBasis.GRADE:
        passing = policy.course_grade.passing if policy.course_grade else ()
        awards = []
        for course in courses:
            grade = course.grade.final_grade
            passes = not course.grade.incomplete or course.grade.override is not None
            passes = passes and grade in passing
            awards.append(
                CreditAward(
                    source=course.course,
                    awarded=course.credits
                    if passes
                    else tuple((a, Decimal(0)) for a, _ in course.credits),
                    possible=course.credits,
                    reason=f"Grade {grade} "
                    + ("passes: credit earned." if passes else "does not pass: no credit yet."),
                )
            )
        return tuple(awards)
    competencies = competencies or {}
    awards = []
    for rule in policy.credit.rules:
        mastered = [
            name
            for name in rule.competencies
            if name in competencies and competencies[name].mastered
        ]
        share = Fraction(len(mastered), len(rule.competencies))
        awarded = []
        for area, value in rule.areas:
            if share == 1:
                earned = value
            elif rule.partial_increment is not None:
                steps = math.floor(Fraction(value) * share / Fraction(rule.partial_increment))
                earned = rule.partial_increment * steps
            else:
                earned = Decimal(0)
            awarded.append((area, earned))
        reason = f"{len(mastered)} of {len(rule.competencies)} competencies mastered"
        if 0 < share < 1 and rule.partial_increment is not None:
            reason += f"; partial credit in steps of {format_number(rule.partial_increment)}"
        awards.append(
            CreditAward(
                source=rule.name, awarded=tuple(awarded), possible=rule.areas, reason=reason + "."
            )
        )
    return tuple(awards)


def total_credits(awards: Iterable[CreditAward]) -> dict[str, Decimal]:
    """Credits earned per area across `awards`."""
    totals: dict[str, Decimal] = {}
    for award in awards:
        for area, value in award.awarded:
            totals[area] = totals.get(area, Decimal(0)) + value
    return totals


class Standing(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


@dataclass(frozen=True, slots=True, kw_only=True)
class AreaProgress:
    area: str
    required: Decimal
    earned: Decimal

    @property
    def met(self) -> bool:
        return self.earned >= self.required


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementProgress:
    name: str
    by_grade: int
    met: bool
    not_yet: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GraduationCheck:
    standing: Standing
    graduation_met: bool
    ready_for_next_grade: bool
    expected_credits: Decimal
    counted_credits: Decimal
    areas: tuple[AreaProgress, ...]
    requirements: tuple[RequirementProgress, ...]
    steps: tuple[str, ...]


def check_graduation(
    policy: Policy,
    *,
    grade: int,
    earned: Mapping[str, Decimal],
    competencies: Mapping[str, Rated],
    competency_bands: Mapping[str, str] | None = None,
) -> GraduationCheck:
    """Where a student in `grade` stands against the policy's graduation requirements.

    `earned`: credits per area; `competencies`: the student's competency ratings;
    `competency_bands`: competency id -> band ("11-12"), for requirements stated by band.
    Worked example (English 4, Math 4 required, grades 9-12, margin 1): a student starting
    grade 11 should hold 8 x 2/4 = 4 credits; with English 2.5 and Math 1 they hold 3.5: at risk.
    Ready for the next grade means holding what the next grade expects, with every competency
    requirement due by the end of this grade met.
    """
    requirements = policy.graduation
    if requirements is None:
        raise ValueError("this policy has no graduation requirements")
    bands = competency_bands or {}
    areas = tuple(
        AreaProgress(area=area, required=required, earned=earned.get(area, Decimal(0)))
        for area, required in requirements.credits
    )
    counted = sum((min(area.earned, area.required) for area in areas), Decimal(0))
    expected = requirements.expected_at(grade)
    steps = [
        f"Credits counted toward the requirements: {format_number(counted)} "
        f"(expected when starting grade {grade}: {format_number(round_credits(expected))})."
    ]
    standing = Standing.ON_TRACK
    shortfall = expected - counted
    if shortfall > requirements.at_risk_margin:
        standing = Standing.OFF_TRACK
    elif shortfall > 0:
        standing = Standing.AT_RISK
    progress = []
    for requirement in requirements.competencies:
        named = requirement.competencies or tuple(
            sorted(name for name, band in bands.items() if band == requirement.band)
        )
        not_yet = tuple(
            name
            for name in named
            if name not in competencies
            or competencies[name].rating is None
            or (competencies[name].rating or 0) < requirement.minimum
        )
        progress.append(
            RequirementProgress(
                name=requirement.name,
                by_grade=requirement.by_grade,
                met=not not_yet,
                not_yet=not_yet,
            )
        )
        if not_yet:
            steps.append(
                f"{requirement.name} (by the end of grade {requirement.by_grade}) is not met yet: "
                f"{', '.join(not_yet)}."
            )
            if requirement.by_grade < grade:
                standing = Standing.OFF_TRACK
            elif requirement.by_grade == grade and standing is Standing.ON_TRACK:
                standing = Standing.AT_RISK
    for area in areas:
        if not area.met:
            steps.append(
                f"{area.area}: {format_number(area.earned)} of "
                f"{format_number(area.required)} credits."
            )
    graduation_met = all(area.met for area in areas) and all(item.met for item in progress)
    ready = counted >= requirements.expected_at(grade + 1) and all(
        item.met for item in progress if item.by_grade <= grade
    )
    steps.append(f"Standing: {standing.value.replace('_', ' ')}.")
    return GraduationCheck(
        standing=standing,
        graduation_met=graduation_met,
        ready_for_next_grade=ready,
        expected_credits=expected,
        counted_credits=counted,
        areas=areas,
        requirements=tuple(progress),
        steps=tuple(steps),
    )


def round_credits(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01")) if value != value.to_integral_value() else value
