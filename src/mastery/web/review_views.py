"""Term review: each student's computed course grade, finalized as is or overridden (with why)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mastery.grading import api as grading
from mastery.rosters.models import Section
from mastery.schools import api as schools
from mastery.web.access import (
    enrollment_in,
    is_teacher_of,
    section_to_read,
    section_to_teach,
    signed_in_user,
)
from mastery.web.gradebook import Show, build_gradebook


def _review_context(request: HttpRequest, section: Section, **extra: object) -> dict[str, object]:
    user = signed_in_user(request)
    # A term that has ended may still have grades stored "In progress" (decision 0008).
    grading.recompute_grades_left_in_progress(section, on=timezone.localdate())
    book = build_gradebook(section, expand=None, sort="name", descending=False, show=Show.ALL)
    term_grades = grading.list_term_grades(section)
    history = grading.list_term_grade_history(section)
    rows = []
    for row in book.rows:
        grade = term_grades.get(row.enrollment.pk)
        rows.append((row, grade, history.get(grade.pk, []) if grade else []))
    try:
        version = grading.get_version_in_force(
            section.course.school, on=timezone.localdate(), credit_area=section.course.credit_area
        )
        labels = grading.grade_labels(version)
    except grading.NoPolicyError:
        labels = []
    return {
        "section": section,
        "book": book,
        "rows": rows,
        "labels": labels,
        "teaches": is_teacher_of(section),
        "is_registrar": schools.has_role(user, section.course.school, schools.Role.REGISTRAR),
        **extra,
    }


@login_required
def term_review(request: HttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_read(request, section_uuid)
    return render(request, "web/term_review.html", _review_context(request, section))


@login_required
@require_POST
def finalize_grade(request: HttpRequest, section_uuid: str, student_uuid: str) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    enrollment = enrollment_in(section, student_uuid)
    override = request.POST.get("action") == "override"
    try:
        grade = grading.finalize_term_grade(
            enrollment,
            finalized_by=signed_in_user(request),
            final_grade=request.POST.get("final_grade") if override else None,
            reason=request.POST.get("reason", "") if override else "",
        )
    except ValidationError as error:
        context = _review_context(
            request, section, form_error=" ".join(error.messages), failed=enrollment.pk
        )
        return render(request, "web/term_review.html", context, status=400)
    messages.success(request, f"{enrollment.student.full_name}: {grade.final_grade} finalized.")
    return redirect("term-review", section.uuid)


@login_required
@require_POST
def reopen_grade(request: HttpRequest, section_uuid: str, student_uuid: str) -> HttpResponse:
    section = section_to_read(request, section_uuid)
    enrollment = enrollment_in(section, student_uuid)
    grade = grading.list_term_grades(section).get(enrollment.pk)
    if grade is None:
        raise Http404("This grade has not been finalized")
    try:
        grading.reopen_term_grade(
            grade, reopened_by=signed_in_user(request), reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        context = _review_context(
            request, section, form_error=" ".join(error.messages), failed=enrollment.pk
        )
        return render(request, "web/term_review.html", context, status=400)
    messages.success(
        request, f"{enrollment.student.full_name}'s grade is reopened for the teacher."
    )
    return redirect("term-review", section.uuid)
