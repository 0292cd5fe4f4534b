"""Student-led conferences: the student prepares (strengths, growth areas, work to show, goals),
a teacher of a current section records the conversation, and everyone who may read the
student's record follows the goals. A record someone may not see is not found (404)."""

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mastery.conferences import api as conferences
from mastery.conferences.models import Conference, Goal
from mastery.evidence.models import Evidence
from mastery.frameworks import api as frameworks
from mastery.schools.models import Student
from mastery.web.access import signed_in_user

# Empty rows offered for new goals under the ones already written.
_BLANK_GOALS = 2


def _access(request: HttpRequest, student_uuid: object) -> conferences.ConferenceAccess:
    try:
        return conferences.get_access(signed_in_user(request), str(student_uuid))
    except Student.DoesNotExist:
        raise Http404("No such student") from None


def _conference(request: HttpRequest, student: Student, conference_uuid: object) -> Conference:
    try:
        return conferences.get_conference_visible_to(
            signed_in_user(request), student, str(conference_uuid)
        )
    except Conference.DoesNotExist:
        raise Http404("No such conference") from None


def _errors(error: ValidationError) -> dict[str, str]:
    """Field name -> message, with errors about the whole form under "form" (templates cannot
    read "__all__")."""
    if not hasattr(error, "error_dict"):
        return {"form": " ".join(error.messages)}
    return {
        ("form" if field == "__all__" else field): " ".join(messages)
        for field, messages in error.message_dict.items()
    }


def _date(raw: str, field: str, *, required: bool) -> datetime.date | None:
    raw = raw.strip()
    if not raw:
        if required:
            raise ValidationError({field: _("Enter a date.")})
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {field: _("%(value)s is not a date (use YYYY-MM-DD).") % {"value": raw}}
        ) from None


def _level_labels(student: Student) -> dict[Any, str]:
    framework = frameworks.get_published_framework(student.school)
    if framework is None:
        return {}
    return {level.value: level.label for level in framework.scale.levels.all()}


# --- The list of conferences and goals ----------------------------------------------------------


@login_required
def conference_list(request: HttpRequest, student_uuid: str) -> HttpResponse:
    access = _access(request, student_uuid)
    return _render_list(request, access)


def _render_list(
    request: HttpRequest,
    access: conferences.ConferenceAccess,
    *,
    goal_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    listed = list(conferences.list_conferences_visible_to(signed_in_user(request), access.student))
    goals = list(conferences.list_goals(access.student))
    for goal in goals:
        goal.status_error = (goal_errors or {}).get(goal.pk, "")  # type: ignore[attr-defined]
    return render(
        request,
        "web/conference_list.html",
        {
            "access": access,
            "student": access.student,
            "conferences": listed,
            "preparing": next(
                (each for each in listed if each.status == conferences.ConferenceStatus.PREPARING),
                None,
            ),
            "goals": goals,
            "changes_goals": access.changes_goals,
            "goal_statuses": conferences.GoalStatus.choices,
        },
        status=status,
    )


# --- Starting one ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conference_new(request: HttpRequest, student_uuid: str) -> HttpResponse:
    access = _access(request, student_uuid)
    if not access.prepares:
        raise Http404("Only the student starts their conference")
    student = access.student
    preparing = (
        conferences.list_conferences_visible_to(signed_in_user(request), student)
        .filter(status=conferences.ConferenceStatus.PREPARING)
        .first()
    )
    if preparing is not None:
        return redirect("conference-detail", student.uuid, preparing.uuid)
    if request.method == "POST":
        try:
            conference = conferences.start_conference(student, started_by=signed_in_user(request))
        except ValidationError as error:
            return render(
                request,
                "web/conference_new.html",
                {"student": student, "errors": _errors(error)},
                status=400,
            )
        return redirect("conference-detail", student.uuid, conference.uuid)
    return render(request, "web/conference_new.html", {"student": student, "errors": {}})


# --- One conference ----------------------------------------------------------------------------


@login_required
def conference_detail(
    request: HttpRequest, student_uuid: str, conference_uuid: str
) -> HttpResponse:
    access = _access(request, student_uuid)
    conference = _conference(request, access.student, conference_uuid)
    return render(request, "web/conference_detail.html", _detail(access, conference))


def _detail(
    access: conferences.ConferenceAccess,
    conference: Conference,
    *,
    errors: dict[str, str] | None = None,
    preparation: dict[str, Any] | None = None,
    record: dict[str, Any] | None = None,
) -> dict[str, Any]:
    student = access.student
    today = timezone.localdate()
    preparing = conference.status == conferences.ConferenceStatus.PREPARING
    goals = list(conference.goals.all())
    proposals = [goal for goal in goals if not goal.agreed]
    context: dict[str, Any] = {
        "access": access,
        "student": student,
        "conference": conference,
        "preparing": preparing,
        "errors": errors or {},
        "goals": goals,
        "agreed_goals": [goal for goal in goals if goal.agreed],
        "proposals": proposals,
        "chosen_evidence": list(conference.chosen_evidence.all()),
        "labels": _level_labels(student),
        "today": today,
    }
    if preparing and access.prepares:
        suggestions = conferences.suggest_preparation(student, on=today)
        chosen = {entry.pk for entry in context["chosen_evidence"]}
        texts = [goal.text for goal in proposals]
        context["suggestions"] = suggestions
        context["preparation"] = preparation or {
            "strengths": conference.strengths or suggestions.strengths_text,
            "growth_areas": conference.growth_areas or suggestions.growth_areas_text,
            "chosen": chosen,
            "goals": texts + [""] * _BLANK_GOALS,
        }
        context["evidence_choices"] = list(conferences.list_evidence_to_choose(student))
    if preparing and access.records:
        context["record"] = record or {
            "notes": "",
            "held_on": today.isoformat(),
            "follow_up_on": "",
            "proposals": [
                {"goal": goal, "agreed": True, "text": goal.text, "due": ""} for goal in proposals
            ],
            "new_goals": [("", "")] * _BLANK_GOALS,
        }
    return context


def _refuse(
    request: HttpRequest,
    access: conferences.ConferenceAccess,
    conference: Conference,
    error: ValidationError,
    **posted: Any,
) -> HttpResponse:
    context = _detail(access, conference, errors=_errors(error), **posted)
    return render(request, "web/conference_detail.html", context, status=400)


def _uuids(raw: list[str]) -> set[uuid.UUID] | None:
    try:
        return {uuid.UUID(value) for value in raw}
    except ValueError:
        return None


@login_required
@require_POST
def conference_prepare(
    request: HttpRequest, student_uuid: str, conference_uuid: str
) -> HttpResponse:
    access = _access(request, student_uuid)
    if not access.prepares:
        raise Http404("Only the student prepares their conference")
    student = access.student
    conference = _conference(request, student, conference_uuid)
    chosen_uuids = _uuids(request.POST.getlist("evidence"))
    chosen: list[Evidence] = (
        list(conferences.list_evidence_to_choose(student).filter(uuid__in=chosen_uuids))
        if chosen_uuids
        else []
    )
    preparation: dict[str, Any] = {
        "strengths": request.POST.get("strengths", ""),
        "growth_areas": request.POST.get("growth_areas", ""),
        "chosen": {entry.pk for entry in chosen},
        "goals": [*request.POST.getlist("goal"), *[""] * _BLANK_GOALS],
    }
    try:
        if chosen_uuids is None or len(chosen) != len(chosen_uuids):
            raise ValidationError(
                {"evidence": _("Choose from your own work that a teacher has scored.")}
            )
        conferences.prepare_conference(
            conference,
            strengths=preparation["strengths"],
            growth_areas=preparation["growth_areas"],
            evidence=chosen,
            goals=request.POST.getlist("goal"),
            prepared_by=signed_in_user(request),
        )
    except ValidationError as error:
        return _refuse(request, access, conference, error, preparation=preparation)
    messages.success(
        request, _("Your preparation is saved. You can change it until the conference.")
    )
    return redirect("conference-detail", student.uuid, conference.uuid)


def _agreed_goals(record: dict[str, Any]) -> list[conferences.AgreedGoal]:
    """The goals the record form agrees: ticked proposals (perhaps reworded) and new ones."""
    agreed = [
        conferences.AgreedGoal(
            text=row["text"],
            due_on=_date(row["due"], "agreed_goals", required=False),
            goal=row["goal"],
        )
        for row in record["proposals"]
        if row["agreed"]
    ]
    agreed += [
        conferences.AgreedGoal(text=text, due_on=_date(due, "agreed_goals", required=False))
        for text, due in record["new_goals"]
        if text.strip()
    ]
    return agreed


@login_required
@require_POST
def conference_record(
    request: HttpRequest, student_uuid: str, conference_uuid: str
) -> HttpResponse:
    access = _access(request, student_uuid)
    if not access.records:
        raise Http404("Only a teacher of the student records the conference")
    student = access.student
    conference = _conference(request, student, conference_uuid)
    proposals = [goal for goal in conference.goals.all() if not goal.agreed]
    ticked = set(request.POST.getlist("agree"))
    record: dict[str, Any] = {
        "notes": request.POST.get("notes", ""),
        "held_on": request.POST.get("held_on", ""),
        "follow_up_on": request.POST.get("follow_up_on", ""),
        "proposals": [
            {
                "goal": goal,
                "agreed": str(goal.uuid) in ticked,
                "text": request.POST.get(f"goal-text-{goal.uuid}", goal.text),
                "due": request.POST.get(f"goal-due-{goal.uuid}", ""),
            }
            for goal in proposals
        ],
        "new_goals": list(
            zip(
                request.POST.getlist("new-goal-text"),
                request.POST.getlist("new-goal-due"),
                strict=False,
            )
        )
        or [("", "")] * _BLANK_GOALS,
    }
    try:
        held_on = _date(record["held_on"], "held_on", required=True)
        assert held_on is not None
        conferences.record_conference(
            conference,
            advisor=signed_in_user(request),
            notes=record["notes"],
            held_on=held_on,
            follow_up_on=_date(record["follow_up_on"], "follow_up_on", required=False),
            agreed_goals=_agreed_goals(record),
        )
    except ValidationError as error:
        return _refuse(request, access, conference, error, record=record)
    messages.success(
        request,
        _("The conference is recorded. %(student)s and their family can see the agreed goals.")
        % {"student": student.user.first_name},
    )
    return redirect("conference-detail", student.uuid, conference.uuid)


# --- Goals -------------------------------------------------------------------------------------


@login_required
@require_POST
def goal_status(request: HttpRequest, student_uuid: str, goal_uuid: str) -> HttpResponse:
    access = _access(request, student_uuid)
    if not access.changes_goals:
        raise Http404("Only the student and their teachers change a goal")
    goal = get_object_or_404(conferences.list_goals(access.student), uuid=goal_uuid)
    htmx = bool(getattr(request, "htmx", False))
    try:
        conferences.set_goal_status(
            goal,
            status=request.POST.get("status", ""),
            changed_by=signed_in_user(request),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        if htmx:
            return _goal_row(request, access, goal, error=message, status=422)
        return _render_list(request, access, goal_errors={goal.pk: message}, status=400)
    if htmx:
        return _goal_row(request, access, conferences.list_goals(access.student).get(pk=goal.pk))
    messages.success(request, _("Goal updated."))
    return redirect(reverse("conference-list", args=[access.student.uuid]))


def _goal_row(
    request: HttpRequest,
    access: conferences.ConferenceAccess,
    goal: Goal,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    goal.status_error = error  # type: ignore[attr-defined]
    return render(
        request,
        "web/_goals.html#goal",
        {
            "goal": goal,
            "student": access.student,
            "changes_goals": access.changes_goals,
            "goal_statuses": conferences.GoalStatus.choices,
        },
        status=status,
    )
