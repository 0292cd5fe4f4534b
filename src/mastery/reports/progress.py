"""A student's progress report for a term: what the grading engine says, gathered for print.

For the current term every number comes from the stored ratings (the ones the gradebook shows);
a past term's report rates the student as of the term's last day (the engine's `as_of`, under
the policy in force on the report date), so later evidence does not rewrite it. Every sentence
comes from `grading.api`'s explanations and next steps; this module only selects and arranges.
The words are the reader's language (the language active when the report is built): the
engine's own English, or the same explanation said from its structure (`grading.api`'s words).
"""

import base64
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from mastery.calendar.models import Term
from mastery.engine.policy import Policy
from mastery.engine.rating import NextStepKind, rate
from mastery.engine.rating import Rating as EngineRating
from mastery.engine.reporting import ReportContents
from mastery.engine.rollups import IN_PROGRESS, rate_competency
from mastery.engine.scales import format_number
from mastery.evidence import api as evidence
from mastery.frameworks.models import Competency, Subskill
from mastery.grading import api as grading
from mastery.grading.models import Rating, RatingStatus
from mastery.reports.charts import (
    ProgressPoint,
    ProgressSeries,
    ProgressWords,
    ScaleLevel,
    progress_chart,
)
from mastery.rosters import api as rosters
from mastery.schools.models import Student

NOT_ENOUGH_EVIDENCE = "Not enough evidence yet"
"""What a level label says without enough evidence to rate (in English; see `_not_yet`)."""


def _not_yet() -> str:
    """NOT_ENOUGH_EVIDENCE in the reader's language."""
    return gettext("Not enough evidence yet")


def progress_words() -> ProgressWords:
    """A progress chart's own words in the reader's language."""
    day_format = pgettext("a day on a chart's time axis (Django date format)", "M d")
    return ProgressWords(
        empty=gettext("No evidence yet"),
        not_enough=gettext("not enough evidence"),
        none_yet=gettext("no evidence yet"),
        day=lambda day: date_format(day, day_format),
    )


@dataclass(frozen=True)
class SubskillLine:
    key: str
    title: str
    level_label: str
    """The level, or NOT_ENOUGH_EVIDENCE ("not yet" is a status, never a zero)."""
    mastered: bool
    counted: int


@dataclass(frozen=True)
class CompetencyLine:
    uuid: str
    key: str
    title: str
    rating: Decimal | None
    level_label: str
    mastered: bool
    is_rated: bool
    highlight: tuple[str, ...]
    """The engine's roll-up in plain words: which parts were used, the arithmetic, the result."""
    next_steps: tuple[str, ...]
    subskills: tuple[SubskillLine, ...]
    progress: ProgressSeries

    @property
    def rating_text(self) -> str:
        """3, 2.5, 3.17: never 3.00."""
        return "" if self.rating is None else format_number(self.rating)


@dataclass(frozen=True)
class CourseLine:
    course: str
    section: str
    teachers: str
    grade: str
    grade_status: str
    """"Finalized", "Finalized (changed by the teacher)", "In progress" or "" (in the reader's
    language)."""


@dataclass(frozen=True)
class TeacherComment:
    on: datetime.date
    context: str
    teacher: str
    text: str


@dataclass(frozen=True)
class ProgressReport:
    student_uuid: str
    student_name: str
    student_number: str
    grade_level: int
    school_name: str
    term_uuid: str
    term_name: str
    school_year: str
    prepared_on: datetime.date
    policy_name: str
    courses: tuple[CourseLine, ...]
    competencies: tuple[CompetencyLine, ...]
    comments: tuple[TeacherComment, ...]
    levels: tuple[ScaleLevel, ...]
    chart_svg: str
    shows: ReportContents
    """What the policy's reporting practice says a report shows (subskills, comments, chart,
    how many next steps); what it leaves out is not gathered at all."""

    @property
    def chart_data_uri(self) -> str:
        """The chart as an <img> source: the page's strict CSP never applies inside it."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.chart_svg.encode()).decode()

    @property
    def has_insufficient_evidence(self) -> bool:
        return any(not line.is_rated for line in self.competencies)


def _policy(student: Student, on: datetime.date) -> tuple[Policy | None, str]:
    try:
        version = grading.get_version_in_force(student.school, on=on)
    except grading.NoPolicyError:
        return None, ""
    return Policy.from_dict(version.document), gettext("%(policy)s, version %(number)s") % {
        "policy": version.policy.name,
        "number": version.number,
    }


def _method_target(policy: Policy, subskill_key: str, competency_key: str) -> str:
    named = {target for target, _ in policy.target_methods}
    return subskill_key if subskill_key in named else competency_key


def _history(
    policy: Policy,
    competency: Competency,
    explained: grading.CompetencyExplanation,
    until: datetime.date,
) -> tuple[ProgressPoint, ...]:
    """The competency's rating as of each day it got evidence: the engine rates the at-bats
    known on that day (`as_of`) under the report's policy and rolls them up the same way."""
    parts: list[tuple[str, EngineRating]] = [
        (subskill.key, rated) for subskill, rated in explained.subskills if rated is not None
    ]
    own = explained.own
    days = sorted(
        {
            line.entry.assessed_on
            for _, rated in [*parts, *([("own", own)] if own else [])]
            for line in rated.entries
            if line.entry.counts_as_evidence and line.entry.assessed_on <= until
        }
    )
    points = []
    for day in days:
        rated_then = {
            key: rate(
                policy,
                [line.entry for line in rated.entries],
                target=rated.target,
                as_of=day,
                with_next_step=False,
            )
            for key, rated in parts
        }
        own_then = (
            rate(
                policy,
                [line.entry for line in own.entries],
                target=own.target,
                as_of=day,
                with_next_step=False,
            )
            if own is not None
            else None
        )
        rolled = rate_competency(policy, competency.key, rated_then, own=own_then)
        points.append(ProgressPoint(day, rolled.rating))
    return tuple(points)


def _as_of(
    policy: Policy,
    competency: Competency,
    explained: grading.CompetencyExplanation,
    day: datetime.date,
) -> grading.CompetencyExplanation:
    """The competency as it stood on `day`: each part re-rated by the engine with only the
    at-bats assessed by then (`as_of`; later ones are shown, not counted), rolled up again.
    Worked example: AW.1 at Meeting three times in October, then Exceeding three times in
    February -> as of the fall term's last day in January, still Meeting (3)."""
    subskills = [
        (
            subskill,
            rate(policy, [line.entry for line in rated.entries], target=rated.target, as_of=day)
            if rated is not None
            else None,
        )
        for subskill, rated in explained.subskills
    ]
    own = explained.own
    own_then = (
        rate(policy, [line.entry for line in own.entries], target=own.target, as_of=day)
        if own is not None
        else None
    )
    parts = {subskill.key: rated for subskill, rated in subskills if rated is not None}
    rolled = rate_competency(policy, competency.key, parts, own=own_then)
    return grading.CompetencyExplanation(rolled=rolled, subskills=subskills, own=own_then)


def _rating_then(explained: grading.CompetencyExplanation) -> Rating:
    """The re-rated competency in the shape of a stored rating (never saved)."""
    rolled = explained.rolled
    return Rating(
        status=RatingStatus(rolled.status.value),
        value=rolled.rating,
        level_value=rolled.level.value if rolled.level else None,
        level_label=rolled.level.label if rolled.level else "",
        mastered=rolled.mastered,
    )


def competency_history(
    student: Student, competency: Competency, policy: Policy, /, *, until: datetime.date
) -> tuple[ProgressPoint, ...]:
    """The competency's rating as of each day it got evidence, up to `until`."""
    explained = grading.explain_competency(student, competency, on=until)
    return _history(policy, competency, explained, until)


def _competency_line(
    student: Student,
    competency: Competency,
    stored: Rating | None,
    policy: Policy | None,
    taught_subskills: set[int],
    *,
    on: datetime.date,
    until: datetime.date,
    shows: ReportContents,
) -> CompetencyLine:
    is_rated = stored is not None and stored.status == "rated"
    highlight: tuple[str, ...] = ()
    next_steps: list[str] = []
    subskills: list[SubskillLine] = []
    progress: tuple[ProgressPoint, ...] = ()
    if policy is not None:
        explained = grading.explain_competency(student, competency, on=until)
        if until < on:
            # A past term's report says where the student stood when the term ended.
            explained = _as_of(policy, competency, explained, until)
            stored = _rating_then(explained)
            is_rated = stored.status == RatingStatus.RATED
        highlight = grading.rollup_words(explained.rolled)
        for subskill, rated in explained.subskills:
            if rated is None and subskill.pk not in taught_subskills:
                continue
            if rated is None:
                rated = rate(
                    policy, [], target=_method_target(policy, subskill.key, competency.key)
                )
            if shows.subskills:
                subskills.append(
                    SubskillLine(
                        key=subskill.key,
                        title=subskill.title,
                        level_label=rated.level.label if rated.level else _not_yet(),
                        mastered=rated.mastered,
                        counted=rated.counted,
                    )
                )
            step = rated.next_step
            if step is not None and step.kind is not NextStepKind.ALREADY_MASTERED:
                said = grading.next_step_words(step, policy.scale.mastery_level.label)
                next_steps.append(f"{subskill.key} {subskill.title}: {said}")
        if shows.chart:
            progress = _history(policy, competency, explained, until)
    return CompetencyLine(
        uuid=str(competency.uuid),
        key=competency.key,
        title=competency.title,
        rating=stored.value if stored is not None and is_rated else None,
        level_label=stored.level_label if stored is not None and is_rated else _not_yet(),
        mastered=bool(stored and stored.mastered),
        is_rated=is_rated,
        highlight=highlight,
        next_steps=tuple(next_steps[: shows.next_steps]),
        subskills=tuple(subskills),
        progress=ProgressSeries(f"{competency.key} {competency.title}", progress),
    )


def _comments(student: Student, term: Term) -> tuple[TeacherComment, ...]:
    """The teachers' comments on the term's current at-bats, once each per task and day."""
    entries = (
        evidence.list_evidence(student)
        .filter(
            assessed_on__gte=term.starts_on,
            assessed_on__lte=term.ends_on,
            source=evidence.Source.TEACHER,
            superseded_by__isnull=True,
        )
        .exclude(comment="")
        .exclude(kind=evidence.EntryKind.VOID)
        .select_related("learning_experience__course")
        .order_by("assessed_on", "id")
    )
    seen: set[tuple[datetime.date, int | None, str]] = set()
    comments = []
    for entry in entries:
        marker = (entry.assessed_on, entry.learning_experience_id, entry.comment)
        if marker in seen:
            continue
        seen.add(marker)
        experience = entry.learning_experience
        comments.append(
            TeacherComment(
                on=entry.assessed_on,
                context=f"{experience.title} ({experience.course.title})" if experience else "",
                teacher=entry.recorded_by.full_name,
                text=entry.comment,
            )
        )
    return tuple(comments)


def _course_lines(student: Student, term: Term) -> tuple[list[CourseLine], list[int]]:
    enrollments = list(rosters.list_enrollments(student, term=term))
    grades = {
        rating.section_id: rating
        for rating in grading.list_ratings(student, kind=grading.RatingKind.COURSE)
    }
    lines = []
    for enrollment in enrollments:
        section = enrollment.section
        finalized = grading.list_term_grades(section).get(enrollment.pk)
        computed = grades.get(section.pk)
        if finalized is not None and finalized.is_locked:
            grade = finalized.final_grade
            status = (
                gettext("Finalized (changed by the teacher)")
                if finalized.is_override
                else gettext("Finalized")
            )
        elif computed is not None and computed.grade == IN_PROGRESS:
            # No grade yet (a competency lacks evidence and the term runs): say it once.
            grade, status = gettext("In progress"), ""
        elif computed is not None:
            grade, status = computed.grade, gettext("In progress")
        else:
            grade, status = "", ""
        lines.append(
            CourseLine(
                course=section.course.title,
                section=section.key,
                teachers=", ".join(teacher.full_name for teacher in section.teachers.all()),
                grade=grade,
                grade_status=status,
            )
        )
    return lines, [enrollment.section.course_id for enrollment in enrollments]


def _competencies_of(course_ids: Sequence[int]) -> list[Competency]:
    """The competencies the term's courses assess, in the framework's order."""
    return list(
        Competency.objects.filter(courses__id__in=course_ids)
        .distinct()
        .prefetch_related("subskills")
        .order_by("position", "key")
    )


def _aligned_subskill_ids(course_ids: Sequence[int]) -> set[int]:
    """Subskills the term's learning experiences give a chance to show."""
    return set(
        Subskill.objects.filter(alignments__experience__course_id__in=course_ids).values_list(
            "id", flat=True
        )
    )


def build_progress_report(student: Student, term: Term, /, *, on: datetime.date) -> ProgressReport:
    """The progress report of one student for one term, as of `on`: a past term's as of its
    last day, rated under the policy version in force that day, not today's."""
    until = min(on, term.ends_on)
    policy, policy_name = _policy(student, until)
    shows = policy.reporting.shows if policy is not None else ReportContents()
    courses, course_ids = _course_lines(student, term)
    competencies = _competencies_of(course_ids)
    stored = {
        rating.competency_id: rating
        for rating in grading.list_ratings(student, kind=grading.RatingKind.COMPETENCY)
    }
    taught = _aligned_subskill_ids(course_ids)
    lines = tuple(
        _competency_line(
            student,
            competency,
            stored.get(competency.pk),
            policy,
            taught,
            on=on,
            until=until,
            shows=shows,
        )
        for competency in competencies
    )
    levels = (
        tuple(ScaleLevel(level.value, level.label, level.mastery) for level in policy.scale.levels)
        if policy is not None
        else ()
    )
    chart = (
        progress_chart(
            gettext("%(name)s: competency ratings over time") % {"name": student.full_name},
            [line.progress for line in lines],
            levels,
            span=(term.starts_on, until) if until > term.starts_on else None,
            words=progress_words(),
        )
        if shows.chart
        else ""
    )
    return ProgressReport(
        student_uuid=str(student.uuid),
        student_name=student.full_name,
        student_number=student.student_number,
        grade_level=student.grade_level,
        school_name=student.school.name,
        term_uuid=str(term.uuid),
        term_name=term.name,
        school_year=term.school_year.key,
        prepared_on=on,
        policy_name=policy_name,
        courses=tuple(courses),
        competencies=lines,
        comments=_comments(student, term) if shows.comments else (),
        levels=levels,
        chart_svg=chart,
        shows=shows,
    )
