"""The grading policy pages: the leader's editor and simulator, and the plain-language page
"How grading works" that every member of the school reads."""

import csv
import datetime
import io
import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mastery.grading import api as grading
from mastery.grading.models import PolicyVersion, VersionStatus
from mastery.schools import api as schools
from mastery.schools.models import Role, School
from mastery.web.access import HtmxHttpRequest, signed_in_user
from mastery.web.levels import tones_by_value
from mastery.web.policy_editor import PolicyEditor
from mastery.web.policy_forms import PolicyDocumentForm


def _led_schools(request: HttpRequest) -> QuerySet[School]:
    return schools.list_schools_where(signed_in_user(request), Role.LEADER)


def _version(request: HttpRequest, version_uuid: str) -> PolicyVersion:
    return get_object_or_404(grading.list_versions_for(_led_schools(request)), uuid=version_uuid)


@login_required
def policy_overview(request: HttpRequest) -> HttpResponse:
    led = list(_led_schools(request))
    if not led:
        raise Http404("Only instructional leaders edit grading policies")
    return render(
        request,
        "web/policy_overview.html",
        {
            "schools": [
                (school, grading.list_policies(school), grading.list_areas_without_policy(school))
                for school in led
            ]
        },
    )


@login_required
@require_POST
def create_policy(request: HttpRequest, school_uuid: str) -> HttpResponse:
    """The school's policy, or a department's (credit_area in the POST), from the default."""
    school = get_object_or_404(_led_schools(request), uuid=school_uuid)
    area_uuid = request.POST.get("credit_area", "")
    credit_area = None
    if area_uuid:
        credit_area = next(
            (
                area
                for area in grading.list_areas_without_policy(school)
                if str(area.uuid) == area_uuid
            ),
            None,
        )
        if credit_area is None:
            raise Http404("No such department without a policy")
    try:
        draft = grading.create_policy_from_default(
            school, created_by=signed_in_user(request), credit_area=credit_area
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("policy-overview")
    messages.success(
        request, "A first draft from the default policy: change it, simulate it, then publish it."
    )
    return redirect("policy-version", draft.uuid)


@login_required
@require_POST
def draft_new_version(request: HttpRequest, version_uuid: str) -> HttpResponse:
    """A new draft starting from an existing version of the same policy."""
    source = _version(request, version_uuid)
    draft = grading.draft_version(
        source.policy,
        document=source.document,
        created_by=signed_in_user(request),
        notes=f"Drafted from version {source.number}.",
    )
    return redirect("policy-version", draft.uuid)


def _earliest_effective_date(version: PolicyVersion) -> datetime.date | None:
    published = [
        other.effective_on
        for other in version.policy.versions.all()
        if other.status == VersionStatus.PUBLISHED and other.effective_on is not None
    ]
    return max(published, default=None)


@login_required
def policy_version(request: HttpRequest, version_uuid: str) -> HttpResponse:
    """The draft's forms (scale, methods, roll-ups, grades, credit, graduation, reporting)."""
    version = _version(request, version_uuid)
    vocabulary = grading.policy_vocabulary(version.policy.school)
    editor = PolicyEditor(version.document, vocabulary, notes=version.notes)
    status = 200
    if request.method == "POST":
        if version.status != VersionStatus.DRAFT:
            raise Http404("A published version never changes: draft a new one")
        add_row = request.POST.get("add_row", "")
        if add_row:
            data = PolicyEditor.with_added_row(request.POST, add_row)
            editor = PolicyEditor(version.document, vocabulary, data=data)
        else:
            editor = PolicyEditor(version.document, vocabulary, data=request.POST)
            if editor.is_valid():
                document = editor.document()
                if not editor.has_row_errors():
                    try:
                        grading.update_draft(version, document=document, notes=editor.notes)
                    except ValidationError as error:
                        for message in error.messages:
                            editor.add_document_error(message)
                    else:
                        messages.success(
                            request, "Draft saved. Simulate it to see who it would change."
                        )
                        return redirect("policy-version", version.uuid)
            status = 400
    return render(
        request,
        "web/policy_version.html",
        {
            "version": version,
            "editor": editor,
            "has_errors": status == 400,
            "explained": grading.explain_policy(version, on=timezone.localdate()),
            "simulations": grading.list_simulations(_led_schools(request)).filter(version=version)[
                :5
            ],
            "today": timezone.localdate(),
            "earliest": _earliest_effective_date(version),
        },
        status=status,
    )


@login_required
def policy_document(request: HttpRequest, version_uuid: str) -> HttpResponse:
    """Advanced: the whole document as JSON (read-only once published)."""
    version = _version(request, version_uuid)
    form = PolicyDocumentForm.from_document(version.document, version.notes)
    status = 200
    if request.method == "POST":
        if version.status != VersionStatus.DRAFT:
            raise Http404("A published version never changes: draft a new one")
        form = PolicyDocumentForm(request.POST)
        if form.is_valid():
            try:
                grading.update_draft(
                    version,
                    document=form.cleaned_data["document"],
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, "Draft saved. Simulate it to see who it would change.")
                return redirect("policy-version", version.uuid)
        status = 400
    return render(
        request,
        "web/policy_document.html",
        {
            "version": version,
            "form": form,
            "document_text": json.dumps(version.document, indent=2),
        },
        status=status,
    )


@login_required
@require_POST
def simulate_version(request: HttpRequest, version_uuid: str) -> HttpResponse:
    version = _version(request, version_uuid)
    try:
        run = grading.start_simulation(version, requested_by=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("policy-version", version.uuid)
    return redirect("policy-simulation", run.uuid)


@login_required
def simulation(request: HtmxHttpRequest, run_uuid: str) -> HttpResponse:
    run = get_object_or_404(grading.list_simulations(_led_schools(request)), uuid=run_uuid)
    template = (
        "web/policy_simulation.html#progress" if request.htmx else "web/policy_simulation.html"
    )
    return render(request, template, {"run": run, "version": run.version})


@login_required
def simulation_csv(request: HttpRequest, run_uuid: str) -> HttpResponse:
    run = get_object_or_404(grading.list_simulations(_led_schools(request)), uuid=run_uuid)
    if not run.result:
        raise Http404("The simulation has not finished")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["student", "name", "kind", "target", "course or competency", "before", "after", "changes"]
    )
    for change in run.result["changes"]:
        writer.writerow(
            [change["student"], change["name"], change["kind"], change["target"], change["group"],
             change["before"], change["after"], " ".join(change["changes"])]
        )  # fmt: skip
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="simulation-{run.uuid}.csv"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest, version_uuid: str) -> HttpResponse:
    version = _version(request, version_uuid)
    try:
        effective_on = datetime.date.fromisoformat(request.POST.get("effective_on", ""))
    except ValueError:
        messages.error(request, "Give the date the version takes effect (YYYY-MM-DD).")
        return redirect("policy-version", version.uuid)
    try:
        grading.publish_version(
            version, effective_on=effective_on, published_by=signed_in_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("policy-version", version.uuid)
    grading.enqueue_recompute(
        version.policy.school, requested_by=signed_in_user(request), run_on=effective_on
    )
    if effective_on > timezone.localdate():
        messages.success(
            request,
            f"Version {version.number} is published and takes effect on "
            f"{effective_on:%B %-d, %Y}. Until then ratings follow the version in force; that "
            "day every rating is recomputed under it and “How grading works” shows it.",
        )
    else:
        messages.success(
            request,
            f"Version {version.number} is published from {effective_on:%B %-d, %Y}. "
            "Every rating is being recomputed; “How grading works” already shows it.",
        )
    return redirect("policy-overview")


@dataclass(frozen=True)
class SchoolChoice:
    school: School
    label: str


def _school_choices(request: HttpRequest) -> list[SchoolChoice]:
    """The schools whose policy this person may read: where they hold a role; a family member's
    entry names their children there."""
    user = signed_in_user(request)
    children: dict[int, list[str]] = {}
    for child in schools.list_children(user):
        children.setdefault(child.school_id, []).append(child.full_name)
    choices: dict[int, SchoolChoice] = {}
    for membership in schools.list_memberships(user).order_by("school__name"):
        school = membership.school
        names = children.get(school.pk)
        label = f"{school.name} ({', '.join(names)})" if names else school.name
        choices.setdefault(school.pk, SchoolChoice(school, label))
    return list(choices.values())


def _chosen_school(request: HttpRequest, choices: list[SchoolChoice]) -> School:
    """?student= (one's own child, or oneself) picks that student's school; ?school= one of
    the person's schools; otherwise the first. Anything else is not found."""
    if not choices:
        raise Http404("You are not a member of a school")
    student_uuid = request.GET.get("student")
    if student_uuid:
        user = signed_in_user(request)
        children = schools.list_children(user)
        own = [child for child in children if str(child.uuid) == student_uuid]
        student = getattr(user, "student", None)
        if not own and student is not None and str(student.uuid) == student_uuid:
            own = [student]
        if not own:
            raise Http404("No such student of yours")
        return own[0].school
    school_uuid = request.GET.get("school")
    if school_uuid:
        for choice in choices:
            if str(choice.school.uuid) == school_uuid:
                return choice.school
        raise Http404("Not one of your schools")
    return choices[0].school


@login_required
def how_grading_works(request: HttpRequest) -> HttpResponse:
    choices = _school_choices(request)
    school = _chosen_school(request, choices)
    today = timezone.localdate()
    try:
        version = grading.get_version_in_force(school, on=today)
    except grading.NoPolicyError:
        version = None
    explained = grading.explain_policy(version, on=today) if version else None
    return render(
        request,
        "web/how_grading_works.html",
        {
            "school": school,
            "choices": choices,
            "version": version,
            "explained": explained,
            "tones": tones_by_value(
                [level.value for level in explained.levels], mastery=explained.mastery.value
            )
            if explained
            else {},
            "upcoming": grading.get_upcoming_version(school, after=today),
        },
    )
