"""The door to reports: progress reports, report-card runs, the mastery transcript, charts.

report = build_progress_report(student, term, on=today)
pdf = render_progress_report_pdf(report)            # bytes, WeasyPrint, no network
svg = competency_progress_chart(student, competency)
run = enqueue_report_cards(term, section=section, requested_by=teacher)
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from mastery.accounts.models import User
from mastery.calendar.models import Term
from mastery.curriculum import api as curriculum
from mastery.engine.calibration import Calibration
from mastery.engine.policy import Policy
from mastery.frameworks.models import Competency
from mastery.grading import api as grading
from mastery.reports.charts import (
    CalibrationPoint,
    DistributionRow,
    ProgressPoint,
    ProgressSeries,
    ScaleLevel,
    calibration_chart,
    distribution_chart,
    progress_chart,
)
from mastery.reports.models import ReportRun, ReportRunStatus
from mastery.reports.pdf import render_pdf
from mastery.reports.progress import (
    NOT_ENOUGH_EVIDENCE,
    CompetencyLine,
    CourseLine,
    ProgressReport,
    SubskillLine,
    TeacherComment,
    build_progress_report,
    competency_history,
    progress_words,
)
from mastery.reports.runs import (
    enqueue_report_cards,
    list_report_runs,
    run_report_cards,
    students_of,
)
from mastery.reports.transcript import (
    CreditAreaTotal,
    EvidenceItem,
    Transcript,
    TranscriptCompetency,
    TranscriptCourse,
    mastery_transcript,
)
from mastery.rosters import api as rosters
from mastery.rosters.models import Section
from mastery.schools import api as schools
from mastery.schools.models import Role, School, Student

__all__ = [
    "NOT_ENOUGH_EVIDENCE",
    "CompetencyLine",
    "CourseLine",
    "CreditAreaTotal",
    "EvidenceItem",
    "ProgressReport",
    "ReportRun",
    "ReportRunStatus",
    "SubskillLine",
    "TeacherComment",
    "Transcript",
    "TranscriptCompetency",
    "TranscriptCourse",
    "build_progress_report",
    "calibration_svg",
    "competency_progress_chart",
    "enqueue_report_cards",
    "get_report_run_visible_to",
    "list_competencies_of",
    "list_report_runs",
    "list_report_terms",
    "list_schools_printing_report_cards",
    "mastery_transcript",
    "may_print_school_report_cards",
    "may_read_transcript",
    "render_progress_report_pdf",
    "render_transcript_pdf",
    "run_report_cards",
    "section_distribution_chart",
    "students_of",
]

_SCHOOL_STAFF = (Role.LEADER, Role.REGISTRAR, Role.ADMIN)


def render_progress_report_pdf(report: ProgressReport, /) -> bytes:
    """The progress report as a PDF (the same partial the web page shows, print styles)."""
    return render_pdf("reports/progress_print.html", {"report": report})


def render_transcript_pdf(transcript: Transcript, /) -> bytes:
    return render_pdf("reports/transcript_print.html", {"transcript": transcript})


def _levels(school: School, on: datetime.date) -> tuple[Policy | None, tuple[ScaleLevel, ...]]:
    try:
        version = grading.get_version_in_force(school, on=on)
    except grading.NoPolicyError:
        return None, ()
    policy = Policy.from_dict(version.document)
    return policy, tuple(
        ScaleLevel(level.value, level.label, level.mastery) for level in policy.scale.levels
    )


def competency_progress_chart(
    student: Student, competency: Competency, /, *, on: datetime.date | None = None
) -> str:
    """SVG: the student's rating in one competency as of each day it got evidence."""
    on = on or timezone.localdate()
    policy, levels = _levels(student.school, on)
    points = competency_history(student, competency, policy, until=on) if policy else ()
    return progress_chart(
        gettext("%(name)s: %(competency)s over time")
        % {"name": student.full_name, "competency": competency.title},
        [_series(competency, points)],
        levels,
        words=progress_words(),
    )


def _series(competency: Competency, points: tuple[ProgressPoint, ...]) -> ProgressSeries:
    return ProgressSeries(f"{competency.key} {competency.title}", points)


def calibration_svg(calibration: Calibration, /, *, title: str, labels: Sequence[str]) -> str:
    """SVG: a calibration month by month (labels: the difference, the share, the empty chart)."""
    points = [
        CalibrationPoint(period.month, period.mean_difference, period.within_one)
        for period in calibration.months
    ]
    return calibration_chart(title, points, labels=labels)


def section_distribution_chart(section: Section, /, *, on: datetime.date | None = None) -> str:
    """SVG: for each competency the section's course assesses, how many of its students stand
    at each level (and how many have not enough evidence yet). Four queries."""
    on = on or timezone.localdate()
    _, levels = _levels(section.course.school, on)
    competencies = list(curriculum.list_assessed_competencies(section.course).order_by("position"))
    student_ids = list(
        section.enrollments.filter(withdrawn_on__isnull=True).values_list("student_id", flat=True)
    )
    ratings = grading.list_section_ratings(
        section, student_ids, [competency.pk for competency in competencies], subskills_of=[]
    ).filter(kind=grading.RatingKind.COMPETENCY)
    at_level: dict[int, Counter[Decimal]] = {
        competency.pk: Counter() for competency in competencies
    }
    for rating in ratings:
        if rating.competency_id and rating.status == "rated" and rating.level_value is not None:
            at_level[rating.competency_id][rating.level_value] += 1
    rows = [
        DistributionRow(
            label=f"{competency.key} {competency.title}",
            counts=tuple(at_level[competency.pk][level.value] for level in levels),
            insufficient=len(student_ids) - sum(at_level[competency.pk].values()),
        )
        for competency in competencies
    ]
    return distribution_chart(
        f"{section.key} {section.course.title}: where students stand in each competency",
        rows,
        levels,
    )


def list_report_terms(student: Student, /) -> QuerySet[Term]:
    """The terms a student has (or had) sections in: the terms they have a progress report for."""
    return (
        Term.objects.filter(sections__enrollments__student=student)
        .distinct()
        .select_related("school_year")
        .order_by("starts_on")
    )


def may_print_school_report_cards(user: User, school: School, /) -> bool:
    """School-wide report cards are for the school's leaders, registrars and administrators."""
    return schools.has_role(user, school, *_SCHOOL_STAFF)


def list_schools_printing_report_cards(user: User, /) -> QuerySet[School]:
    """The schools where the person may print report cards for everyone."""
    return schools.list_schools_where(user, *_SCHOOL_STAFF)


def may_read_transcript(user: User, student: Student, /) -> bool:
    """The transcript is for the student, their family and the school's staff (leaders,
    registrars, administrators); a teacher reads the progress report instead."""
    if not user.is_authenticated:
        return False
    return (
        student.user_id == user.pk
        or student.guardianships.filter(guardian=user).exists()
        or schools.has_role(user, student.school, *_SCHOOL_STAFF)
    )


def list_competencies_of(school: School, /) -> QuerySet[Competency]:
    return Competency.objects.filter(framework__school=school)


def get_report_run_visible_to(user: User, run_uuid: UUID | str, /) -> ReportRun:
    """A run the person may follow and download: a section's for its teachers and the school's
    staff, a whole school's for its staff. Raises ReportRun.DoesNotExist otherwise."""
    if not user.is_authenticated:
        raise ReportRun.DoesNotExist
    run = ReportRun.objects.select_related("school", "term", "section").get(uuid=run_uuid)
    if may_print_school_report_cards(user, run.school):
        return run
    if run.section is not None:
        try:
            rosters.get_section_visible_to(user, run.section.uuid)
        except Section.DoesNotExist:
            raise ReportRun.DoesNotExist from None
        return run
    raise ReportRun.DoesNotExist
