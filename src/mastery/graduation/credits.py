"""Credits, worked out one way for everything that shows them: the graduation standing and audit,
the mastery transcript, the signed credential and the policy simulator.

A student's credit lines:
- **a course with a finalized (locked) term grade**, judged by the policy version the grade was
  finalized under, never today's: under `credit.basis: grade` it earns its credit value in its
  credit area when the final grade passes (`engine.credit.award_credit`: an Incomplete earns
  nothing until resolved, an override with its reason counts); under a competency-credit version
  the course itself earns nothing (its competencies earn credit through the rules);
- **a course in progress** (enrolled, not finalized): its credit value is "in progress" under a
  grade-basis version, and `projected` is what its current computed grade would earn if it were
  finalized now (what the simulator compares);
- **a competency-credit rule** of the school-wide version in force, when that version's basis is
  `competencies`: the share of the rule's area values the mastered competencies earn, partial
  credit (`partial_increment`) included;
- **a prior credit**, as the registrar recorded it.

Worked example (Riverside, grade basis, passing A-D): Maya's Algebra finalized B under version 1
-> Mathematics 1 earned; her Biology prior credit -> Science 1 earned; Sam's Algebra not
finalized, computed C -> Mathematics 1 in progress, 1 projected.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TypedDict

from mastery.curriculum.models import Course
from mastery.engine.credit import CourseCredit, CreditAward, award_credit
from mastery.engine.policy import CreditBasis
from mastery.engine.policy import Policy as EnginePolicy
from mastery.engine.rollups import CourseGrade, Rated
from mastery.grading import api as grading
from mastery.grading.models import PolicyVersion, Rating, RatingKind, RatingStatus, TermGrade
from mastery.graduation.models import PriorCredit
from mastery.rosters.models import Enrollment
from mastery.schools.models import School, Student


@dataclass(frozen=True, slots=True)
class _Held:
    """A competency rating as the engine's credit rules read it."""

    rating: Decimal | None
    mastered: bool


class CreditSource(StrEnum):
    COURSE = "course"
    RULE = "rule"
    PRIOR = "prior"


@dataclass(frozen=True)
class CreditLine:
    """Credit in one area from one course, competency-credit rule or prior credit."""

    student_id: int
    source: CreditSource
    key: str
    """The course key, the rule's name, or the prior credit's uuid."""
    title: str
    """The course title, the rule's name, or the prior credit's description."""
    area: str
    possible: Decimal
    earned: Decimal
    reason: str
    finalized: bool = True
    """False for a course in progress: `earned` is then 0."""
    in_progress: Decimal = Decimal(0)
    projected: Decimal = Decimal(0)
    """In progress: what the current computed grade would earn if finalized now."""
    grade: str = ""
    term_grade: TermGrade | None = None
    enrollment: Enrollment | None = None
    competencies: tuple[str, ...] = ()
    """A rule's competency keys."""
    prior: PriorCredit | None = None
    graded_credit: bool = True
    """A course: False when its policy version awards credit by competency rules instead."""

    @property
    def amount(self) -> Decimal:
        """The credit this line counts for: earned once finalized, projected while in progress."""
        return self.earned if self.finalized else self.projected

    @property
    def identity(self) -> tuple[str, str, str]:
        """Names the same line under two policies (a retaken course is another enrollment)."""
        reference = str(self.enrollment.pk) if self.enrollment is not None else self.key
        return self.source, reference, self.area


@dataclass(frozen=True)
class StudentCredits:
    """Every credit line of one student, courses in term order, then rules, then prior credit."""

    student_id: int
    lines: tuple[CreditLine, ...] = field(default_factory=tuple)

    @property
    def finalized_courses(self) -> tuple[CreditLine, ...]:
        return tuple(
            line for line in self.lines if line.source is CreditSource.COURSE and line.finalized
        )

    @property
    def rules(self) -> tuple[CreditLine, ...]:
        return tuple(line for line in self.lines if line.source is CreditSource.RULE)

    @property
    def prior(self) -> tuple[CreditLine, ...]:
        return tuple(line for line in self.lines if line.source is CreditSource.PRIOR)

    def earned_by_area(self) -> dict[str, Decimal]:
        earned: dict[str, Decimal] = defaultdict(Decimal)
        for line in self.lines:
            if line.finalized:
                earned[line.area] += line.earned
        return dict(earned)

    def in_progress_by_area(self) -> dict[str, Decimal]:
        progress: dict[str, Decimal] = defaultdict(Decimal)
        for line in self.lines:
            progress[line.area] += line.in_progress
        return dict(progress)


def list_credits(
    students: Sequence[Student],
    /,
    *,
    on: datetime.date,
    ratings: Iterable[Rating] | None = None,
    rules_version: PolicyVersion | None = None,
) -> dict[int, StudentCredits]:
    """Every student's credit lines, with a fixed number of queries however many students.

    `ratings`: course grades and competency ratings to use instead of the stored ones (the
    simulator passes the ones a draft would give); `rules_version`: the version whose
    competency-credit rules apply, instead of the school-wide version in force on `on`.
    """
    students = list(students)
    rules = _rules_policies(students, on=on, rules_version=rules_version)
    course_ratings: dict[tuple[int, int], Rating] = {}
    competencies: dict[int, dict[str, Rated]] = defaultdict(dict)
    needs_competencies = any(
        policy.credit.basis is CreditBasis.COMPETENCIES for policy in rules.values() if policy
    )
    if ratings is None:
        stored: list[Rating] = list(grading.list_course_ratings(students))
        if needs_competencies:
            stored.extend(grading.list_competency_ratings(students))
        ratings = stored
    for rating in ratings:
        if rating.kind == RatingKind.COURSE and rating.section_id is not None:
            course_ratings[rating.student_id, rating.section_id] = rating
        elif rating.kind == RatingKind.COMPETENCY and rating.competency is not None:
            competencies[rating.student_id][rating.competency.key] = _Held(
                rating.value, rating.mastered
            )

    lines: dict[int, list[CreditLine]] = defaultdict(list)
    finalized = (
        grading.list_finalized_grades(students)
        .select_related("policy_version", "enrollment__section__term__school_year")
        .order_by("enrollment__section__term__starts_on", "enrollment__section__course__key", "id")
    )
    for term_grade in finalized:
        lines[term_grade.enrollment.student_id].append(_finalized_line(term_grade))
    in_progress = (
        Enrollment.objects.filter(student__in=students, withdrawn_on__isnull=True)
        .exclude(term_grade__is_locked=True)
        .select_related("section__course__credit_area", "section__term__school_year")
        .order_by("section__term__starts_on", "section__course__key", "id")
    )
    for enrollment in in_progress:
        computed = course_ratings.get((enrollment.student_id, enrollment.section_id))
        lines[enrollment.student_id].append(
            _in_progress_line(enrollment, computed, rules.get(enrollment.student_id))
        )
    for student in students:
        policy = rules.get(student.pk)
        if policy is not None and policy.credit.basis is CreditBasis.COMPETENCIES:
            awards = award_credit(policy, competencies=competencies[student.pk])
            lines[student.pk].extend(_rule_lines(student.pk, policy, awards))
    for prior in PriorCredit.objects.filter(student__in=students).select_related("credit_area"):
        lines[prior.student_id].append(
            CreditLine(
                student_id=prior.student_id,
                source=CreditSource.PRIOR,
                key=str(prior.uuid),
                title=prior.description,
                area=prior.credit_area.name,
                possible=prior.credits,
                earned=prior.credits,
                reason="Credit earned before this school used Mastery.",
                prior=prior,
            )
        )
    return {
        student.pk: StudentCredits(student.pk, tuple(lines[student.pk])) for student in students
    }


def compare_credits(
    students: Sequence[Student],
    on: datetime.date,
    before: grading.CreditSide,
    after: grading.CreditSide,
) -> list[grading.CreditChange]:
    """The credit lines whose amount differs between two sides of a policy simulation (each
    side's derived ratings and the version whose competency-credit rules apply): what the
    simulator counts as credit changes (`grading.simulation.use_credit_comparison`)."""
    sides = [
        list_credits(students, on=on, ratings=ratings, rules_version=rules_version)
        for ratings, rules_version in (before, after)
    ]
    changes = []
    for student in students:
        old_lines = {line.identity: line for line in sides[0][student.pk].lines}
        new_lines = {line.identity: line for line in sides[1][student.pk].lines}
        for identity in sorted(old_lines.keys() | new_lines.keys()):
            old, new = old_lines.get(identity), new_lines.get(identity)
            old_amount = old.amount if old is not None else Decimal(0)
            new_amount = new.amount if new is not None else Decimal(0)
            if old_amount == new_amount:
                continue
            line = new or old
            assert line is not None
            is_course = line.source is CreditSource.COURSE
            changes.append(
                grading.CreditChange(
                    student_id=student.pk,
                    target=f"{line.key} {line.title}: {line.area}"
                    if is_course
                    else f"{line.title}: {line.area}",
                    group=line.title,
                    before=old_amount,
                    after=new_amount,
                )
            )
    return changes


def _rules_policies(
    students: Sequence[Student], *, on: datetime.date, rules_version: PolicyVersion | None
) -> dict[int, EnginePolicy | None]:
    """Per student, the school-wide policy whose credit rules apply (None: no policy)."""
    if rules_version is not None:
        policy = grading.describe_policy(rules_version)
        return {student.pk: policy for student in students}
    by_school: dict[int, EnginePolicy | None] = {}
    found = {}
    for student in students:
        if student.school_id not in by_school:
            by_school[student.school_id] = _in_force(student.school, on)
        found[student.pk] = by_school[student.school_id]
    return found


def _in_force(school: School, on: datetime.date) -> EnginePolicy | None:
    try:
        return grading.describe_policy(grading.get_version_in_force(school, on=on))
    except grading.NoPolicyError:
        return None


_BY_RULES = "This policy awards credit by competency rules, not by course grade."


def _course_award(policy: EnginePolicy, course: Course, grade: CourseGrade) -> tuple[Decimal, str]:
    """The credit a course grade earns under `policy`, and why."""
    if policy.credit.basis is not CreditBasis.GRADE:
        return Decimal(0), _BY_RULES
    value = ((course.credit_area.name, course.credit_value),)
    (award,) = award_credit(
        policy, courses=[CourseCredit(course=course.key, grade=grade, credits=value)]
    )
    return sum((credits for _, credits in award.awarded), Decimal(0)), award.reason


class _CourseFields(TypedDict):
    student_id: int
    source: CreditSource
    key: str
    title: str
    area: str
    possible: Decimal
    enrollment: Enrollment


def _course_fields(enrollment: Enrollment) -> _CourseFields:
    """What a course's line says about the course, finalized or in progress."""
    course = enrollment.section.course
    return _CourseFields(
        student_id=enrollment.student_id,
        source=CreditSource.COURSE,
        key=course.key,
        title=course.title,
        area=course.credit_area.name,
        possible=course.credit_value,
        enrollment=enrollment,
    )


def _finalized_line(term_grade: TermGrade) -> CreditLine:
    """Worked example (passing A-D): computed Incomplete overridden to C with a reason -> the
    course's credit; final grade F -> 0."""
    enrollment = term_grade.enrollment
    policy = grading.describe_policy(term_grade.policy_version)
    rule = policy.course_grade
    computed = term_grade.computed_grade
    grade = CourseGrade(
        grade=computed,
        incomplete=rule is not None and computed == rule.incomplete_label,
        passing=rule is not None and computed in rule.passing,
        weighted_mean=term_grade.computed_value,
        insufficient=(),
        steps=(),
        override=term_grade.final_grade if term_grade.is_override else None,
        override_reason=term_grade.override_reason,
    )
    earned, reason = _course_award(policy, enrollment.section.course, grade)
    return CreditLine(
        **_course_fields(enrollment),
        earned=earned,
        reason=reason,
        grade=term_grade.final_grade,
        term_grade=term_grade,
        graded_credit=policy.credit.basis is CreditBasis.GRADE,
    )


def _in_progress_line(
    enrollment: Enrollment, rating: Rating | None, school_policy: EnginePolicy | None
) -> CreditLine:
    course = enrollment.section.course
    policy = grading.describe_policy(rating.policy_version) if rating is not None else None
    governing = policy or school_policy
    by_grade = governing is not None and governing.credit.basis is CreditBasis.GRADE
    projected, reason = Decimal(0), "No computed grade yet."
    if policy is not None and rating is not None:
        projected, reason = _course_award(
            policy,
            course,
            CourseGrade(
                grade=rating.grade,
                incomplete=rating.status == RatingStatus.INSUFFICIENT_EVIDENCE,
                passing=rating.mastered,
                weighted_mean=rating.value,
                insufficient=(),
                steps=(),
            ),
        )
    return CreditLine(
        **_course_fields(enrollment),
        earned=Decimal(0),
        reason=reason,
        finalized=False,
        in_progress=course.credit_value if by_grade else Decimal(0),
        projected=projected,
        grade=rating.grade if rating is not None else "",
        graded_credit=by_grade,
    )


def _rule_lines(
    student_id: int, policy: EnginePolicy, awards: Iterable[CreditAward]
) -> list[CreditLine]:
    named: Mapping[str, tuple[str, ...]] = {
        rule.name: rule.competencies for rule in policy.credit.rules
    }
    lines = []
    for award in awards:
        possible = dict(award.possible)
        for area, earned in award.awarded:
            lines.append(
                CreditLine(
                    student_id=student_id,
                    source=CreditSource.RULE,
                    key=award.source,
                    title=award.source,
                    area=area,
                    possible=possible.get(area, earned),
                    earned=earned,
                    reason=award.reason,
                    competencies=named.get(award.source, ()),
                )
            )
    return lines
