"""The mastery transcript: credits by area, every competency at its current level, and a few
pieces of evidence that show it — no averaging anywhere.

Credits are graduation's (`graduation.api.list_credits`), the same the audit counts: a
finalized (locked) term grade judged by the policy version it was given under, competency-credit
rules, and prior credits. Worked example: Algebra (Mathematics, 1.0) finalized B under a policy
passing A-D -> Mathematics 1.0; Biology (Science, 1.0) finalized F -> Science 0, still listed
with the grade; a prior credit of Science 1 -> Science 1, listed under other credit.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from mastery.engine.policy import Policy
from mastery.engine.scales import Scale, format_number
from mastery.evidence import api as evidence
from mastery.evidence.models import Evidence
from mastery.frameworks.models import Competency
from mastery.grading import api as grading
from mastery.graduation import api as graduation
from mastery.schools.models import Student

EVIDENCE_PER_COMPETENCY = 2
NOT_ENOUGH_EVIDENCE = "Not enough evidence yet"


@dataclass(frozen=True)
class TranscriptCourse:
    school_year: str
    term: str
    course_key: str
    course: str
    credit_area: str
    grade: str
    credits_possible: Decimal
    credits_earned: Decimal | None
    """None when the grade's policy version awards credit by competency rules, not by course
    grade: the course earns none itself (its rules are among the other credits), as on the
    signed credential."""

    @property
    def credits_text(self) -> str:
        return "—" if self.credits_earned is None else format_number(self.credits_earned)


@dataclass(frozen=True)
class OtherCredit:
    """Credit not from a course grade: a competency-credit rule, or credit from before Mastery."""

    kind: str
    """"rule" or "prior" (graduation's CreditSource)."""
    what: str
    credit_area: str
    detail: str
    credits_earned: Decimal

    @property
    def credits_text(self) -> str:
        return format_number(self.credits_earned)


@dataclass(frozen=True)
class CreditAreaTotal:
    name: str
    earned: Decimal

    @property
    def earned_text(self) -> str:
        return format_number(self.earned)


@dataclass(frozen=True)
class EvidenceItem:
    on: datetime.date
    what: str
    """The learning experience and course, or "Scored directly" (in the reader's language)."""
    subskill: str
    level_label: str
    comment: str


@dataclass(frozen=True)
class TranscriptCompetency:
    key: str
    title: str
    level_label: str
    rating: Decimal | None
    mastered: bool
    evidence: tuple[EvidenceItem, ...]

    @property
    def rating_text(self) -> str:
        return "" if self.rating is None else format_number(self.rating)


@dataclass(frozen=True)
class Transcript:
    student_uuid: str
    student_name: str
    student_number: str
    grade_level: int
    graduation_year: int
    school_name: str
    issued_on: datetime.date
    courses: tuple[TranscriptCourse, ...]
    other_credits: tuple[OtherCredit, ...]
    credit_areas: tuple[CreditAreaTotal, ...]
    competencies: tuple[TranscriptCompetency, ...]

    @property
    def total_credits_text(self) -> str:
        return format_number(sum((area.earned for area in self.credit_areas), Decimal(0)))


def _courses(
    student: Student, on: datetime.date
) -> tuple[list[TranscriptCourse], list[OtherCredit], list[CreditAreaTotal]]:
    credits = graduation.list_credits([student], on=on)[student.pk]
    courses = []
    for line in credits.finalized_courses:
        assert line.enrollment is not None
        section = line.enrollment.section
        courses.append(
            TranscriptCourse(
                school_year=section.term.school_year.key,
                term=section.term.name,
                course_key=line.key,
                course=line.title,
                credit_area=line.area,
                grade=line.grade,
                credits_possible=line.possible,
                credits_earned=line.earned if line.graded_credit else None,
            )
        )
    others = [
        OtherCredit(
            kind=line.source,
            what=line.title,
            credit_area=line.area,
            detail=line.reason,
            credits_earned=line.earned,
        )
        for line in [*credits.rules, *credits.prior]
    ]
    earned = credits.earned_by_area()
    names = [area.name for area in student.school.credit_areas.order_by("name")]
    names += sorted(set(earned) - set(names))
    areas = [CreditAreaTotal(name=name, earned=earned.get(name, Decimal(0))) for name in names]
    return courses, others, areas


def _scale(student: Student, on: datetime.date) -> Scale | None:
    try:
        version = grading.get_version_in_force(student.school, on=on)
    except grading.NoPolicyError:
        return None
    return Policy.from_dict(version.document).scale


def _selected_evidence(
    student: Student, scale: Scale | None
) -> dict[int, tuple[EvidenceItem, ...]]:
    """Per competency, the most recent counted at-bats at the highest level the student has
    shown in it: the work that best shows where they stand."""
    entries = (
        evidence.list_evidence(student)
        .filter(
            source__in=[evidence.Source.TEACHER, evidence.Source.EXTERNAL],
            superseded_by__isnull=True,
            weight__gt=0,
        )
        .exclude(kind=evidence.EntryKind.VOID)
        .select_related("subskill__competency", "learning_experience__course")
    )
    by_competency: dict[int, list[Evidence]] = defaultdict(list)
    for entry in entries:
        competency_id = entry.subskill.competency_id if entry.subskill else entry.competency_id
        assert competency_id is not None
        by_competency[competency_id].append(entry)
    selected = {}
    for competency_id, shown in by_competency.items():
        shown.sort(key=lambda entry: (entry.level or 0, entry.assessed_on, entry.pk), reverse=True)
        items = []
        for entry in shown[:EVIDENCE_PER_COMPETENCY]:
            assert entry.level is not None
            experience = entry.learning_experience
            items.append(
                EvidenceItem(
                    on=entry.assessed_on,
                    what=f"{experience.title} ({experience.course.title})"
                    if experience
                    else gettext("Scored directly"),
                    subskill=f"{entry.subskill.key} {entry.subskill.title}"
                    if entry.subskill
                    else "",
                    level_label=scale.label_for_value(entry.level)
                    if scale
                    else format_number(entry.level),
                    comment=entry.comment,
                )
            )
        selected[competency_id] = tuple(items)
    return selected


def mastery_transcript(student: Student, /, *, on: datetime.date) -> Transcript:
    """The student's mastery transcript as of `on`."""
    courses, others, areas = _courses(student, on)
    ratings = {
        rating.competency_id: rating
        for rating in grading.list_ratings(student, kind=grading.RatingKind.COMPETENCY)
    }
    selected = _selected_evidence(student, _scale(student, on))
    competencies = Competency.objects.filter(framework__school=student.school).filter(
        id__in={competency_id for competency_id in [*ratings, *selected] if competency_id}
    )
    lines = []
    for competency in competencies.order_by("framework__title", "position", "key"):
        stored = ratings.get(competency.pk)
        rated = stored is not None and stored.status == "rated"
        lines.append(
            TranscriptCompetency(
                key=competency.key,
                title=competency.title,
                level_label=stored.level_label if stored and rated else NOT_ENOUGH_EVIDENCE,
                rating=stored.value if stored and rated else None,
                mastered=bool(stored and stored.mastered),
                evidence=selected.get(competency.pk, ()),
            )
        )
    return Transcript(
        student_uuid=str(student.uuid),
        student_name=student.full_name,
        student_number=student.student_number,
        grade_level=student.grade_level,
        graduation_year=student.graduation_year,
        school_name=student.school.name,
        issued_on=on,
        courses=tuple(courses),
        other_credits=tuple(others),
        credit_areas=tuple(areas),
        competencies=tuple(lines),
    )
