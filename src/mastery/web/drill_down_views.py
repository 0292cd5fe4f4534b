"""The evidence behind one gradebook cell: the at-bats in order, the explanation and next step
from the engine, self-assessments beside them — and correcting or voiding an at-bat."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mastery.curriculum import api as curriculum
from mastery.evidence import api as evidence
from mastery.evidence.models import Evidence
from mastery.frameworks import api as frameworks
from mastery.frameworks.models import Competency, Subskill
from mastery.grading import api as grading
from mastery.rosters.models import Enrollment, Section
from mastery.web.access import (
    enrollment_in,
    is_teacher_of,
    section_to_read,
    section_to_teach,
    signed_in_user,
)
from mastery.web.levels import level_tones


def _target(section: Section, kind: str, target_uuid: object) -> Subskill | Competency:
    if kind == "subskill":
        return get_object_or_404(
            curriculum.list_assessed_subskills(section.course), uuid=target_uuid
        )
    if kind == "competency":
        return get_object_or_404(
            curriculum.list_assessed_competencies(section.course), uuid=target_uuid
        )
    raise Http404("No such kind of rating")


def _context(
    request: HttpRequest, section: Section, enrollment: Enrollment, target: Subskill | Competency
) -> dict[str, Any]:
    student = enrollment.student
    today = timezone.localdate()
    entries = {entry.pk: entry for entry in evidence.list_evidence(student, target=target)}
    levels = list(frameworks.get_scale_for(target).levels.all())
    context: dict[str, Any] = {
        "section": section,
        "student": student,
        "target": target,
        "kind": "subskill" if isinstance(target, Subskill) else "competency",
        "teaches": is_teacher_of(section),
        "entries": entries,
        "superseded": {entry.supersedes_id for entry in entries.values() if entry.supersedes_id},
        "no_policy": False,
        "labels": {level.value: level.label for level in levels},
        "tones": level_tones(levels),
        "order_by": None,  # the ledger's order (oldest first) when no policy rates it
    }
    try:
        if isinstance(target, Subskill):
            rating = grading.explain_rating(student, target, on=today)
            context["rating"] = rating
            context["order_by"] = rating.explanation.order_by
            context["lines"] = [(line, entries.get(int(line.entry.id))) for line in rating.entries]
        else:
            context["competency"] = grading.explain_competency(student, target, on=today)
            own = context["competency"].own
            context["order_by"] = own.explanation.order_by if own else None
            context["lines"] = (
                [(line, entries.get(int(line.entry.id))) for line in own.entries] if own else []
            )
    except grading.NoPolicyError:
        context["no_policy"] = True
        context["lines"] = [(None, entry) for entry in entries.values()]
    return context


@login_required
def drill_down(
    request: HttpRequest, section_uuid: str, student_uuid: str, kind: str, target_uuid: str
) -> HttpResponse:
    section = section_to_read(request, section_uuid)
    enrollment = enrollment_in(section, student_uuid)
    target = _target(section, kind, target_uuid)
    return render(request, "web/drill_down.html", _context(request, section, enrollment, target))


def _entry_to_change(section: Section, evidence_uuid: str) -> Evidence:
    """A teacher's at-bat recorded in this section (corrections are made where the work was
    scored). A student's self-assessment or a peer's rating is theirs: not found here."""
    return get_object_or_404(
        evidence.list_section_evidence(section)
        .filter(source=evidence.Source.TEACHER)
        .select_related("subskill", "competency", "student"),
        uuid=evidence_uuid,
    )


def _back(section: Section, entry: Evidence) -> str:
    target = entry.target
    kind = "subskill" if isinstance(target, Subskill) else "competency"
    return reverse("drill-down", args=[section.uuid, entry.student.uuid, kind, target.uuid])


def _refuse(
    request: HttpRequest, section: Section, entry: Evidence, error: ValidationError
) -> HttpResponse:
    enrollment = enrollment_in(section, entry.student.uuid)
    context = _context(request, section, enrollment, entry.target)
    context["form_error"] = " ".join(error.messages)
    context["failed_entry"] = entry.pk
    return render(request, "web/drill_down.html", context, status=400)


@login_required
@require_POST
def correct_at_bat(request: HttpRequest, section_uuid: str, evidence_uuid: str) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    entry = _entry_to_change(section, evidence_uuid)
    try:
        evidence.correct_evidence(
            entry,
            level=request.POST.get("level", "").strip(),
            reason=request.POST.get("reason", ""),
            recorded_by=signed_in_user(request),
        )
    except ValidationError as error:
        return _refuse(request, section, entry, error)
    messages.success(request, "Correction recorded. The earlier score stays in the history.")
    return redirect(_back(section, entry))


@login_required
@require_POST
def void_at_bat(request: HttpRequest, section_uuid: str, evidence_uuid: str) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    entry = _entry_to_change(section, evidence_uuid)
    try:
        evidence.void_evidence(
            entry, reason=request.POST.get("reason", ""), recorded_by=signed_in_user(request)
        )
    except ValidationError as error:
        return _refuse(request, section, entry, error)
    messages.success(request, "At-bat voided. It stays in the history, marked void.")
    return redirect(_back(section, entry))
