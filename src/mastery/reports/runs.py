"""Report cards in the background: a progress-report PDF per student, zipped, progress saved
between chunks so that the page following the run can show it."""

import logging
import tempfile
import zipfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from mastery.accounts.models import User
from mastery.calendar.models import Term
from mastery.reports.models import ReportRun, ReportRunStatus
from mastery.reports.pdf import render_pdf
from mastery.reports.progress import build_progress_report
from mastery.rosters.models import Section
from mastery.schools.models import School, Student

log = logging.getLogger("mastery.reports")


@transaction.atomic
def enqueue_report_cards(
    term: Term, /, *, section: Section | None = None, requested_by: User | None
) -> ReportRun:
    """Queue the report cards of a section (or, without one, of the term's whole school)."""
    from mastery.reports.tasks import report_cards_task

    school = term.school_year.school
    run = ReportRun.objects.create(
        school=school, term=term, section=section, requested_by=requested_by
    )
    transaction.on_commit(lambda: report_cards_task.enqueue(run.pk))
    return run


def students_of(run: ReportRun) -> QuerySet[Student]:
    """The students a run reports on, in name order."""
    students = Student.objects.select_related("user", "school")
    if run.section_id is not None:
        students = students.filter(
            enrollments__section_id=run.section_id, enrollments__withdrawn_on__isnull=True
        )
    else:
        students = students.filter(
            school_id=run.school_id,
            enrollments__section__term_id=run.term_id,
            enrollments__withdrawn_on__isnull=True,
        )
    return students.distinct().order_by("user__last_name", "user__first_name", "student_number")


def _file_name(student: Student) -> str:
    name = slugify(f"{student.user.last_name} {student.user.first_name}") or "student"
    return f"{name}-{slugify(student.student_number)}.pdf"


def run_report_cards(run_id: int, /, *, chunk: int = 10) -> ReportRun:
    """Carry out a queued run: print each student's progress report for the term, a chunk at a
    time, saving progress after each chunk; store the zip when all are printed."""
    run = ReportRun.objects.select_related("school", "term__school_year", "section").get(pk=run_id)
    students = list(students_of(run))
    run.status = ReportRunStatus.RUNNING
    run.started_at = timezone.now()
    run.total = len(students)
    run.done = 0
    run.save(update_fields=["status", "started_at", "total", "done"])
    today = timezone.localdate()
    try:
        with tempfile.TemporaryDirectory() as folder:
            archive = Path(folder) / "report-cards.zip"
            with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
                for index, student in enumerate(students, start=1):
                    report = build_progress_report(student, run.term, on=today)
                    bundle.writestr(
                        _file_name(student),
                        render_pdf("reports/progress_print.html", {"report": report}),
                    )
                    if index % chunk == 0 or index == len(students):
                        run.done = index
                        run.save(update_fields=["done"])
            scope = run.section.key if run.section else run.school.key
            name = f"report-cards-{slugify(scope)}-{slugify(run.term.key)}-{run.uuid.hex[:8]}.zip"
            with archive.open("rb") as stored:
                run.file.save(name, File(stored), save=False)
    except Exception as error:
        run.status = ReportRunStatus.FAILED
        run.error = f"{type(error).__name__}: {error}"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        log.exception("report cards run %s failed", run.uuid)
        raise
    run.status = ReportRunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "file", "finished_at"])
    return run


def list_report_runs(school: School, /, *, section: Section | None = None) -> QuerySet[ReportRun]:
    """A school's runs (or one section's), newest first."""
    runs = ReportRun.objects.filter(school=school).select_related("term", "section")
    if section is not None:
        runs = runs.filter(section=section)
    return runs
