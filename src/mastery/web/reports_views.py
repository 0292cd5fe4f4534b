"""Reports: a student's progress report per term (HTML and PDF), the mastery transcript (HTML
and PDF), the charts as SVG, and report cards for a section or a school, printed in the
background with a page that follows the run.

Who sees what: a progress report is about the whole student, so it is open to the student,
their family, any teacher of any of their sections, and the school's leaders, registrars and
administrators (`rosters.api.list_students_visible_to`). The transcript is narrower: the
student, their family and school staff, never a teacher as such. Anyone else gets a 404.
"""

import logging
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods

from mastery.calendar import api as calendar
from mastery.calendar.models import Term
from mastery.curriculum import api as curriculum
from mastery.reports import api as reports
from mastery.reports.models import ReportRun
from mastery.rosters import api as rosters
from mastery.schools.models import School, Student
from mastery.web.access import HtmxHttpRequest, section_to_read, signed_in_user
from mastery.web.charts import SVG_POLICY, svg_response

log = logging.getLogger("mastery.reports")


def _student(request: HttpRequest, student_uuid: str) -> Student:
    user = signed_in_user(request)
    return get_object_or_404(rosters.list_students_visible_to(user), uuid=student_uuid)


def _transcript_student(request: HttpRequest, student_uuid: str) -> Student:
    student = _student(request, student_uuid)
    if not reports.may_read_transcript(signed_in_user(request), student):
        raise Http404("No such student")
    return student


def _term(student: Student, term_uuid: str) -> Term:
    return get_object_or_404(calendar.list_terms(student.school), uuid=term_uuid)


def _logged(request: HttpRequest, what: str, student: Student) -> None:
    log.info("%s of %s viewed by %s", what, student.uuid, signed_in_user(request).username)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def student_reports(request: HttpRequest, student_uuid: str) -> HttpResponse:
    student = _student(request, student_uuid)
    return render(
        request,
        "web/report_index.html",
        {
            "student": student,
            "terms": reports.list_report_terms(student),
            "reads_transcript": reports.may_read_transcript(signed_in_user(request), student),
        },
    )


@login_required
@require_GET
def progress_report(request: HttpRequest, student_uuid: str, term_uuid: str) -> HttpResponse:
    student = _student(request, student_uuid)
    term = _term(student, term_uuid)
    report = reports.build_progress_report(student, term, on=timezone.localdate())
    _logged(request, f"progress report {term.key}", student)
    return render(request, "web/report_progress.html", {"report": report, "student": student})


@login_required
@require_GET
def progress_report_pdf(request: HttpRequest, student_uuid: str, term_uuid: str) -> HttpResponse:
    student = _student(request, student_uuid)
    term = _term(student, term_uuid)
    report = reports.build_progress_report(student, term, on=timezone.localdate())
    _logged(request, f"progress report PDF {term.key}", student)
    name = slugify(f"progress report {student.full_name} {term.key} {term.school_year.key}")
    return _pdf(reports.render_progress_report_pdf(report), f"{name}.pdf")


@login_required
@require_GET
def transcript(request: HttpRequest, student_uuid: str) -> HttpResponse:
    student = _transcript_student(request, student_uuid)
    data = reports.mastery_transcript(student, on=timezone.localdate())
    _logged(request, "mastery transcript", student)
    return render(request, "web/report_transcript.html", {"transcript": data, "student": student})


@login_required
@require_GET
def transcript_pdf(request: HttpRequest, student_uuid: str) -> HttpResponse:
    student = _transcript_student(request, student_uuid)
    data = reports.mastery_transcript(student, on=timezone.localdate())
    _logged(request, "mastery transcript PDF", student)
    name = slugify(f"mastery transcript {student.full_name}")
    return _pdf(reports.render_transcript_pdf(data), f"{name}.pdf")


@login_required
@require_GET
@csp_override(SVG_POLICY)
def competency_progress_chart(
    request: HttpRequest, student_uuid: str, competency_uuid: str
) -> HttpResponse:
    student = _student(request, student_uuid)
    competency = get_object_or_404(
        reports.list_competencies_of(student.school), uuid=competency_uuid
    )
    return svg_response(reports.competency_progress_chart(student, competency))


@login_required
@require_GET
@csp_override(SVG_POLICY)
def section_distribution_chart(request: HttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_read(request, section_uuid)
    return svg_response(reports.section_distribution_chart(section))


@login_required
@require_http_methods(["GET", "POST"])
def section_report_cards(request: HttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_read(request, section_uuid)
    if request.method == "POST":
        run = reports.enqueue_report_cards(
            section.term, section=section, requested_by=signed_in_user(request)
        )
        log.info("report cards for %s requested by %s", section.key, request.user)
        return redirect("report-run", run.uuid)
    return render(
        request,
        "web/report_cards_section.html",
        {
            "section": section,
            "competencies": curriculum.list_assessed_competencies(section.course),
            "runs": reports.list_report_runs(section.course.school, section=section)[:10],
        },
    )


def _school_for_report_cards(request: HttpRequest, school_uuid: str) -> School:
    staff_at = reports.list_schools_printing_report_cards(signed_in_user(request))
    return get_object_or_404(staff_at, uuid=school_uuid)


@login_required
@require_http_methods(["GET", "POST"])
def school_report_cards(request: HttpRequest, school_uuid: str) -> HttpResponse:
    school = _school_for_report_cards(request, school_uuid)
    terms = calendar.list_terms(school)
    error = ""
    if request.method == "POST":
        chosen = _uuid_or_none(request.POST.get("term", ""))
        term = terms.filter(uuid=chosen).first() if chosen else None
        if term is not None:
            run = reports.enqueue_report_cards(term, requested_by=signed_in_user(request))
            log.info("report cards for %s %s requested by %s", school.key, term.key, request.user)
            return redirect("report-run", run.uuid)
        error = "Choose one of the school's terms."
    current = calendar.get_current_term(school, on=timezone.localdate())
    return render(
        request,
        "web/report_cards_school.html",
        {
            "school": school,
            "terms": terms,
            "current": current,
            "runs": reports.list_report_runs(school)[:10],
            "error": error,
        },
        status=400 if error else 200,
    )


def _uuid_or_none(text: str) -> str | None:
    try:
        return str(UUID(text))
    except ValueError:
        return None


def _run(request: HttpRequest, run_uuid: str) -> ReportRun:
    try:
        return reports.get_report_run_visible_to(signed_in_user(request), run_uuid)
    except ReportRun.DoesNotExist:
        raise Http404("No such run") from None


@login_required
@require_GET
def report_run(request: HtmxHttpRequest, run_uuid: str) -> HttpResponse:
    run = _run(request, run_uuid)
    template = "web/report_run.html#progress" if request.htmx else "web/report_run.html"
    return render(request, template, {"run": run})


@login_required
@require_GET
def report_run_download(request: HttpRequest, run_uuid: str) -> FileResponse:
    run = _run(request, run_uuid)
    if run.status != reports.ReportRunStatus.DONE or not run.file:
        raise Http404("These report cards are not printed yet")
    log.info("report cards %s downloaded by %s", run.uuid, request.user)
    return FileResponse(
        run.file.open("rb"),
        as_attachment=True,
        filename=(run.file.name or "report-cards.zip").rsplit("/", 1)[-1],
        content_type="application/zip",
    )
