"""A student's own pages, and their family's: where I stand, why, what's next; one competency
up close; assessing my own work; how my self-assessments compare with my teachers' scores."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from mastery.conferences import api as conferences
from mastery.curriculum.models import LearningExperience
from mastery.engine.calibration import calibrate
from mastery.evidence import api as evidence
from mastery.frameworks import api as frameworks
from mastery.frameworks.models import Exemplar, PerformanceScale
from mastery.grading import api as grading
from mastery.graduation import api as graduation
from mastery.reports import api as reports
from mastery.reviews import api as reviews
from mastery.rosters import api as rosters
from mastery.rosters.models import Section
from mastery.schools import api as schools
from mastery.schools.models import Student
from mastery.web.access import section_to_teach, signed_in_user
from mastery.web.charts import SVG_POLICY, svg_response
from mastery.web.levels import level_tones
from mastery.web.student_dashboard import (
    build_overview,
    competency_cards,
    find_experience,
    standing_self_assessments,
)


def _student(request: HttpRequest, student_uuid: str) -> Student:
    """A student the person may see (themself, their child, their section's, their school's)."""
    return get_object_or_404(
        rosters.list_students_visible_to(signed_in_user(request)), uuid=student_uuid
    )


def _own_student(request: HttpRequest, student_uuid: str) -> Student:
    """The signed-in student themself: only they assess their own work."""
    student = _student(request, student_uuid)
    if student.user_id != signed_in_user(request).pk:
        raise Http404("Only the student assesses their own work")
    return student


def _scale(student: Student) -> PerformanceScale | None:
    framework = frameworks.get_published_framework(student.school)
    return framework.scale if framework else None


def _mastery_label(scale: PerformanceScale | None) -> str:
    if scale is None:
        return ""
    level = next((level for level in scale.levels.all() if level.is_mastery), None)
    return level.label if level else ""


def _family(request: HttpRequest, student: Student) -> dict[str, Any]:
    """Who else's pages this person can switch to: a guardian's other children."""
    user = signed_in_user(request)
    children = list(schools.list_children(user))
    return {
        "is_self": student.user_id == user.pk,
        "is_family": any(child.pk == student.pk for child in children),
        "children": children if len(children) > 1 else [],
    }


@login_required
def student_detail(request: HttpRequest, student_uuid: str) -> HttpResponse:
    student = _student(request, student_uuid)
    user = signed_in_user(request)
    today = timezone.localdate()
    overview = build_overview(student, today)
    scale = _scale(student)
    levels = list(scale.levels.all()) if scale else []
    needed = overview.unmastered
    return render(
        request,
        "web/student_detail.html",
        {
            "student": student,
            "overview": overview,
            "mastery_label": _mastery_label(scale),
            "tones": level_tones(levels),
            "enrollments": rosters.list_enrollments_visible_to(user, student),
            "standing": graduation.get_standing(student, on=today),
            "reads_transcript": reports.may_read_transcript(user, student),
            "reassessments": rosters.list_open_reassessments(student, on=today, subskills=needed),
            "goals": conferences.list_open_goals(student),
            "review_requests": reviews.list_review_requests_for_family(user, student)[:5],
            **_family(request, student),
        },
    )


@login_required
def competency_detail(
    request: HttpRequest, student_uuid: str, competency_uuid: str
) -> HttpResponse:
    student = _student(request, student_uuid)
    framework = frameworks.get_published_framework(student.school)
    if framework is None:
        raise Http404("No framework is published at this school")
    competency = get_object_or_404(frameworks.list_competencies(framework), uuid=competency_uuid)
    today = timezone.localdate()
    cards, no_policy = competency_cards(student, today, [competency])
    card = cards[0] if cards else None
    entries = {
        entry.pk: entry
        for entry in evidence.list_evidence(student)
        .filter(subskill__competency=competency)
        .select_related("learning_experience", "recorded_by")
    }
    scale = framework.scale
    levels = list(scale.levels.order_by("value"))
    current = card.current if card else None
    next_level = _next_level(levels, current.rating if current else None)
    return render(
        request,
        "web/student_competency.html",
        {
            "student": student,
            "competency": competency,
            "card": card,
            "no_policy": no_policy,
            "entries": entries,
            "labels": {level.value: level.label for level in levels},
            "tones": level_tones(levels),
            "mastery_label": _mastery_label(scale),
            "next_level": next_level,
            "descriptors": frameworks.list_descriptors_at(competency, level=next_level)
            if next_level
            else [],
            "exemplars": frameworks.list_exemplars(current.subskill, level=next_level)
            if current and next_level
            else [],
            **_family(request, student),
        },
    )


def _next_level(levels: list[Any], rating: Any) -> Any:
    """The level to aim for next: one above the current rating's level, else the mastery level."""
    if rating is not None and rating.is_rated and rating.level is not None:
        above = [level for level in levels if level.value > rating.level.value]
        return above[0] if above else None
    return next((level for level in levels if level.is_mastery), None)


@login_required
def self_assessment(request: HttpRequest, student_uuid: str, experience_uuid: str) -> HttpResponse:
    student = _own_student(request, student_uuid)
    try:
        experience, section = find_experience(student, experience_uuid)
    except LearningExperience.DoesNotExist:
        raise Http404("Not a learning experience of your sections") from None
    scale = _scale(student)
    levels = list(scale.levels.order_by("value")) if scale else []
    subskills = [alignment.subskill for alignment in experience.alignments.all()]
    standing = standing_self_assessments(student, experience)
    errors: dict[str, list[str]] = {}
    chosen: dict[str, str] = {
        subskill.key: _plain(level)
        for subskill in subskills
        if subskill.pk in standing and (level := standing[subskill.pk].level) is not None
    }
    reflection = next((entry.comment for entry in standing.values() if entry.comment), "")
    if request.method == "POST":
        chosen = {
            subskill.key: request.POST.get(f"level-{subskill.key}", "").strip()
            for subskill in subskills
        }
        reflection = request.POST.get("reflection", "")
        try:
            evidence.record_self_assessment(
                student,
                experience,
                section=section,
                levels={
                    subskill: Decimal(chosen[subskill.key])
                    for subskill in subskills
                    if chosen[subskill.key]
                },
                reflection=reflection,
                on=timezone.localdate(),
            )
        except ValidationError as error:
            errors = error.message_dict
        except ArithmeticError:
            errors = {"levels": [_("Choose one of the levels shown.")]}
        else:
            messages.success(
                request,
                _("Your self-assessment is saved. Your teacher sees it beside their own scores."),
            )
            return redirect("student-detail", student.uuid)
    descriptors = frameworks.list_subskill_descriptors(subskills)
    return render(
        request,
        "web/self_assessment.html",
        {
            "student": student,
            "experience": experience,
            "section": section,
            "rows": [
                (
                    subskill,
                    [
                        (
                            level,
                            _plain(level.value),
                            descriptors.get((subskill.pk, level.pk), level.description),
                            chosen.get(subskill.key) == _plain(level.value),
                        )
                        for level in levels
                    ],
                    not chosen.get(subskill.key),
                )
                for subskill in subskills
            ],
            "chosen": chosen,
            "reflection": reflection,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


def _plain(value: Decimal) -> str:
    """A level as a form value: 3, 3.5 (never 3.00 or 1E+1)."""
    return f"{value.normalize():f}"


def _calibration_labels() -> tuple[str, str, str]:
    return (
        _("Self minus teacher (levels)"),
        _("Within one level (%)"),
        _("No self-assessments beside a teacher's score yet"),
    )


@login_required
def calibration(request: HttpRequest, student_uuid: str) -> HttpResponse:
    student = _student(request, student_uuid)
    return render(
        request,
        "web/calibration.html",
        {
            "student": student,
            "calibration": grading.calibrate_student(student),
            "chart_title": _student_chart_title(student),
            **_family(request, student),
        },
    )


def _student_chart_title(student: Student) -> str:
    return _("How %(name)s's self-assessments compare with teachers' scores") % {
        "name": student.full_name
    }


def _section_chart_title(section: Section) -> str:
    return _("%(section)s: self-assessments beside your scores") % {"section": section.key}


@login_required
@require_GET
@csp_override(SVG_POLICY)
def calibration_chart(request: HttpRequest, student_uuid: str) -> HttpResponse:
    student = _student(request, student_uuid)
    return svg_response(
        reports.calibration_svg(
            grading.calibrate_student(student),
            title=_student_chart_title(student),
            labels=_calibration_labels(),
        )
    )


@login_required
def section_calibration(request: HttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    rows = grading.calibrate_section(section)
    return render(
        request,
        "web/section_calibration.html",
        {
            "section": section,
            "rows": rows,
            "overall": calibrate([pair for _student, result in rows for pair in result.pairs]),
            "chart_title": _section_chart_title(section),
        },
    )


@login_required
@require_GET
@csp_override(SVG_POLICY)
def section_calibration_chart(request: HttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    rows = grading.calibrate_section(section)
    return svg_response(
        reports.calibration_svg(
            calibrate([pair for _student, result in rows for pair in result.pairs]),
            title=_section_chart_title(section),
            labels=_calibration_labels(),
        )
    )


@login_required
def exemplar_file(request: HttpRequest, exemplar_uuid: str) -> FileResponse:
    """Exemplar work, for anyone who belongs to the school whose framework it illustrates."""
    user = signed_in_user(request)
    school_ids = set(schools.list_memberships(user).values_list("school_id", flat=True))
    school_ids |= {child.school_id for child in schools.list_children(user)}
    try:
        exemplar = frameworks.get_exemplar_visible_to(school_ids, exemplar_uuid)
    except Exemplar.DoesNotExist:
        raise Http404("No such exemplar") from None
    return FileResponse(
        exemplar.file.open("rb"), filename=(exemplar.file.name or "exemplar").rsplit("/", 1)[-1]
    )
