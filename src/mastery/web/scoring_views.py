"""Scoring a learning experience: a keyboard-first grid that saves each cell as it is typed."""

import contextlib
import datetime
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from mastery.curriculum import api as curriculum
from mastery.curriculum.models import Alignment, LearningExperience
from mastery.evidence import api as evidence
from mastery.evidence.models import Evidence
from mastery.frameworks.models import Subskill
from mastery.grading.models import Rating, RatingKind
from mastery.rosters.models import Section
from mastery.schools.models import Student
from mastery.web.access import section_to_teach, signed_in_user
from mastery.web.scoring import ScoreCell, build_grid, current_scores, experience_of


def _date(raw: str | None) -> datetime.date:
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"assessed_on": f"{raw!r} is not a date (use YYYY-MM-DD)."}) from None


@login_required
def score_pick(request: HttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    scored = evidence.count_students_scored(section)
    experiences = [
        (experience, scored.get(experience.pk, 0))
        for experience in curriculum.list_experiences(section.course)
    ]
    return render(
        request,
        "web/score_pick.html",
        {
            "section": section,
            "experiences": experiences,
            "students": section.enrollments.filter(withdrawn_on__isnull=True).count(),
        },
    )


@login_required
def score_grid(request: HttpRequest, section_uuid: str, experience_uuid: str) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    experience = experience_of(section, experience_uuid)
    try:
        assessed_on = _date(request.GET.get("assessed_on"))
    except ValidationError:
        assessed_on = timezone.localdate()
    grid = build_grid(section, experience, assessed_on=assessed_on)
    return render(request, "web/score_grid.html", {"grid": grid, "section": section})


def _cell_response(
    request: HttpRequest,
    cell: ScoreCell,
    student_uuid: str,
    *,
    error: str = "",
    typed: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "web/score_grid.html#score-status",
        {"cell": cell, "student_uuid": student_uuid, "error": error, "typed": typed},
        status=status,
    )


@login_required
@require_POST
def save_score(request: HttpRequest, section_uuid: str, experience_uuid: str) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    teacher = signed_in_user(request)
    student_uuid = _uuid_or_none(request.POST.get("student"))
    subskill_uuid = _uuid_or_none(request.POST.get("subskill"))
    typed = request.POST.get("level", "").strip()
    # The experience and the subskill in one query when they are aligned (every save but a
    # refused one): the cell is on the teacher's hot path.
    alignment = None
    if subskill_uuid:
        with contextlib.suppress(Alignment.DoesNotExist):  # refused below, with the reason
            alignment = curriculum.get_alignment(
                section.course_id, experience_uuid=experience_uuid, subskill_uuid=subskill_uuid
            )
    experience = alignment.experience if alignment else experience_of(section, experience_uuid)
    subskill = alignment.subskill if alignment else None
    # At most one: no ordering (Enrollment's default one joins the term, the year and the user).
    enrollment = (
        section.enrollments.filter(student__uuid=student_uuid, withdrawn_on__isnull=True)
        .select_related("student__school")
        .order_by()
        .first()
        if student_uuid
        else None
    )
    if enrollment is None or subskill is None:
        message = (
            "That student is not in this section."
            if enrollment is None
            else "That subskill is not one this learning experience is aligned to."
        )
        return render(request, "web/score_grid.html#score-error", {"error": message}, status=422)
    if not typed:
        # An empty cell means "not assessed": nothing is recorded, never a zero. Emptying a
        # scored cell removes nothing either: that is a void, with a reason, in the evidence.
        standing = _standing(section, experience, enrollment.student, subskill)
        return render(
            request,
            "web/score_grid.html#score-status",
            {
                "cell": ScoreCell(subskill, standing, _rating(enrollment.student, subskill)),
                "student_uuid": str(enrollment.student.uuid),
                "cleared": reverse(
                    "drill-down",
                    args=[section.uuid, enrollment.student.uuid, "subskill", subskill.uuid],
                )
                if standing is not None
                else "",
            },
        )
    try:
        assessed_on = _date(request.POST.get("assessed_on"))
        independent = request.POST.get("with_support") != "on"
        comment = request.POST.get("comment", "").strip()
        entry = evidence.record_score(
            enrollment.student,
            subskill,
            level=typed,
            assessed_on=assessed_on,
            recorded_by=teacher,
            learning_experience=experience,
            section=section,
            independent=independent,
            comment=comment,
        )
    except ValidationError as error:
        return _cell_response(
            request,
            ScoreCell(
                subskill,
                _standing(section, experience, enrollment.student, subskill),
                _rating(enrollment.student, subskill),
            ),
            str(enrollment.student.uuid),
            error=" ".join(error.messages),
            typed=typed,
            status=422,
        )
    return _cell_response(
        request,
        ScoreCell(subskill, entry, _rating(enrollment.student, subskill)),
        str(enrollment.student.uuid),
    )


def _standing(
    section: Section, experience: LearningExperience, student: Student, subskill: Subskill
) -> Evidence | None:
    # Only for a cell shown unchanged: record_score finds the standing score itself.
    return current_scores(section, experience, student=student).get((student.pk, subskill.pk))


def _rating(student: Student, subskill: Subskill) -> Rating | None:
    # The cell shows only these fields: no joins, no other columns (a save's hot path).
    return (
        Rating.objects.filter(student=student, kind=RatingKind.SUBSKILL, subskill=subskill)
        .only("status", "value", "level_label", "mastered", "counted")
        .order_by()
        .first()
    )


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@login_required
@require_POST
def save_row_details(request: HttpRequest, section_uuid: str, experience_uuid: str) -> HttpResponse:
    """A student's comment and "with support" for this experience on this date: corrections of
    that day's scores that keep their levels (the ledger never changes in place)."""
    section = section_to_teach(request, section_uuid)
    experience = experience_of(section, experience_uuid)
    enrollment = get_object_or_404(
        section.enrollments.select_related("student__school"),
        student__uuid=_uuid_or_none(request.POST.get("student", "")),
        withdrawn_on__isnull=True,
    )
    try:
        assessed_on = _date(request.POST.get("assessed_on"))
    except ValidationError as error:
        return render(
            request,
            "web/score_grid.html#score-error",
            {"error": " ".join(error.messages)},
            status=422,
        )
    corrected = evidence.record_score_details(
        enrollment.student,
        experience,
        section=section,
        assessed_on=assessed_on,
        comment=request.POST.get("comment", "").strip(),
        independent=request.POST.get("with_support") != "on",
        recorded_by=signed_in_user(request),
    )
    if corrected:
        message = f"Comment and support saved on {len(corrected)} score{pluralize(len(corrected))}."
    else:
        message = (
            f"No score changed on {date_format(assessed_on, 'M j')}: "
            "kept for the scores you enter next."
        )
    return render(request, "web/score_grid.html#row-status", {"message": message})
