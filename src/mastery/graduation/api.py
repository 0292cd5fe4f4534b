"""The door to credits and graduation: where each student stands against the requirements.

Credits are worked out in one place, `list_credits` (graduation/credits.py): finalized term
grades under their own policy version, competency-credit rules, partial credit and prior credits;
the standing, the transcript, the signed credential and the simulator all read it.
The rules — credit minimums per area, competency minimums, the expected pace and what on track,
at risk and off track mean — are the grading policy's, applied by the engine
(`engine.credit.check_graduation`); named requirements such as a capstone are added here.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from mastery.accounts.models import User
from mastery.curriculum.models import CreditArea
from mastery.engine.credit import (
    GraduationCheck,
    RequirementProgress,
    Standing,
    check_graduation,
    round_credits,
)
from mastery.engine.policy import GraduationRequirements
from mastery.engine.scales import format_number
from mastery.frameworks import api as frameworks
from mastery.grading import api as grading
from mastery.graduation.credits import CreditLine, CreditSource, StudentCredits, list_credits
from mastery.graduation.models import NamedRequirement, PriorCredit, RequirementCompletion
from mastery.schools.models import School, Student

__all__ = [
    "AreaCredits",
    "CreditLine",
    "CreditSource",
    "NamedProgress",
    "Promotion",
    "Standing",
    "StudentCredits",
    "StudentStanding",
    "create_named_requirement",
    "get_standing",
    "list_credits",
    "list_standings",
    "record_completion",
    "record_prior_credit",
]

_WORST = {Standing.ON_TRACK: 0, Standing.AT_RISK: 1, Standing.OFF_TRACK: 2}


@dataclass(frozen=True, slots=True)
class _StoredRating:
    """A stored competency rating as the engine's graduation check reads it."""

    rating: Decimal | None
    mastered: bool


@dataclass(frozen=True)
class AreaCredits:
    area: str
    required: Decimal
    earned: Decimal
    in_progress: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.required - self.earned - self.in_progress)


@dataclass(frozen=True)
class NamedProgress:
    requirement: NamedRequirement
    completed_on: datetime.date | None


@dataclass(frozen=True)
class Promotion:
    """Whether a student is ready for the next grade (the engine's `ready_for_next_grade`), and
    what is missing if not: credits short of what the next grade expects when it starts, the
    competency requirements and named requirements due by the end of this grade and not met.
    In the last grade, `next_grade` is None: being ready means being ready to graduate.

    Worked example (3 credits over grades 9-12): Leo starting grade 11 with none counted is
    short of grade 12's 3 x 3/4 = 2.25 credits -> not ready, `credits_short` 2.25.
    """

    next_grade: int | None
    ready: bool
    expected_credits: Decimal
    credits_short: Decimal
    competencies: tuple[RequirementProgress, ...]
    named: tuple[NamedRequirement, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """What is missing, in sentences (for staff pages; student pages say it in templates)."""
        lines = []
        if self.credits_short > 0:
            lines.append(
                f"{format_number(round_credits(self.credits_short))} more credits "
                f"(expected when starting the next grade: "
                f"{format_number(round_credits(self.expected_credits))})"
            )
        lines.extend(f"{item.name}: {', '.join(item.not_yet)}" for item in self.competencies)
        lines.extend(requirement.name for requirement in self.named)
        return tuple(lines)


@dataclass(frozen=True)
class StudentStanding:
    student: Student
    areas: list[AreaCredits]
    check: GraduationCheck | None
    named: list[NamedProgress]
    standing: Standing | None
    steps: list[str] = field(default_factory=list)
    promotion: Promotion | None = None

    @property
    def earned(self) -> Decimal:
        return sum((area.earned for area in self.areas), Decimal(0))


@transaction.atomic
def record_prior_credit(
    student: Student,
    area: CreditArea,
    /,
    *,
    credits: Decimal,
    description: str,
    recorded_by: User | None,
) -> PriorCredit:
    prior = PriorCredit(
        student=student,
        credit_area=area,
        credits=credits,
        description=description,
        recorded_by=recorded_by,
    )
    prior.full_clean()
    prior.save()
    return prior


@transaction.atomic
def create_named_requirement(
    school: School, key: str, /, *, name: str, by_grade: int = 12, description: str = ""
) -> NamedRequirement:
    requirement = NamedRequirement(
        school=school, key=key, name=name, by_grade=by_grade, description=description
    )
    requirement.full_clean()
    requirement.save()
    return requirement


@transaction.atomic
def record_completion(
    student: Student,
    requirement: NamedRequirement,
    /,
    *,
    completed_on: datetime.date,
    recorded_by: User | None,
    note: str = "",
) -> RequirementCompletion:
    completion = RequirementCompletion(
        student=student,
        requirement=requirement,
        completed_on=completed_on,
        recorded_by=recorded_by,
        note=note,
    )
    completion.full_clean()
    completion.save()
    return completion


def get_standing(student: Student, /, *, on: datetime.date) -> StudentStanding:
    return list_standings(student.school, on=on, students=[student])[0]


def list_standings(
    school: School, /, *, on: datetime.date, students: Sequence[Student] | None = None
) -> list[StudentStanding]:
    """Every student's standing (or these students'), with a fixed number of queries."""
    if students is None:
        students = list(school.students.select_related("user").order_by("user__last_name"))
    try:
        version = grading.get_version_in_force(school, on=on)
    except grading.NoPolicyError:
        return [StudentStanding(student, [], None, [], None) for student in students]
    policy = grading.describe_policy(version)
    requirements = policy.graduation
    competencies: dict[int, dict[str, _StoredRating]] = defaultdict(dict)
    for rating in grading.list_competency_ratings(students):
        assert rating.competency is not None
        competencies[rating.student_id][rating.competency.key] = _StoredRating(
            rating.value, rating.mastered
        )
    credits = list_credits(students, on=on, rules_version=version)
    earned = {student.pk: credits[student.pk].earned_by_area() for student in students}
    in_progress = {student.pk: credits[student.pk].in_progress_by_area() for student in students}
    bands = (
        frameworks.list_competency_bands(school)
        if requirements is not None and any(item.band for item in requirements.competencies)
        else {}
    )
    named = list(NamedRequirement.objects.filter(school=school))
    completed = {
        (completion.student_id, completion.requirement_id): completion.completed_on
        for completion in RequirementCompletion.objects.filter(student__in=students)
    }
    standings = []
    for student in students:
        areas = [
            AreaCredits(
                area=area,
                required=required,
                earned=earned[student.pk].get(area, Decimal(0)),
                in_progress=in_progress[student.pk].get(area, Decimal(0)),
            )
            for area, required in (requirements.credits if requirements else ())
        ]
        check = (
            check_graduation(
                policy,
                grade=student.grade_level,
                earned=earned[student.pk],
                competencies=competencies[student.pk],
                competency_bands=bands,
            )
            if requirements is not None
            else None
        )
        progress = [
            NamedProgress(requirement, completed.get((student.pk, requirement.pk)))
            for requirement in named
        ]
        standing, steps = _with_named(check, progress, student.grade_level)
        promotion = (
            _promotion(requirements, check, progress, student.grade_level)
            if requirements is not None and check is not None
            else None
        )
        standings.append(
            StudentStanding(student, areas, check, progress, standing, steps, promotion)
        )
    return standings


def _promotion(
    requirements: GraduationRequirements,
    check: GraduationCheck,
    progress: list[NamedProgress],
    grade: int,
) -> Promotion:
    expected = requirements.expected_at(grade + 1)
    named = tuple(
        item.requirement
        for item in progress
        if item.completed_on is None and item.requirement.by_grade <= grade
    )
    return Promotion(
        next_grade=grade + 1 if grade < requirements.last_grade else None,
        ready=check.ready_for_next_grade and not named,
        expected_credits=expected,
        credits_short=max(Decimal(0), expected - check.counted_credits),
        competencies=tuple(
            item for item in check.requirements if not item.met and item.by_grade <= grade
        ),
        named=named,
    )


def _with_named(
    check: GraduationCheck | None, progress: list[NamedProgress], grade: int
) -> tuple[Standing | None, list[str]]:
    standing = check.standing if check is not None else None
    steps = list(check.steps) if check is not None else []
    for item in progress:
        if item.completed_on is not None:
            continue
        due = item.requirement.by_grade
        if due < grade:
            worse = Standing.OFF_TRACK
        elif due == grade:
            worse = Standing.AT_RISK
        else:
            continue
        steps.append(f"{item.requirement.name} (due by the end of grade {due}) is not done yet.")
        if standing is None or _WORST[worse] > _WORST[standing]:
            standing = worse
    return standing, steps
