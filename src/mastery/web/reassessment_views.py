"""Reassessment opportunities: a section's teachers open a window in which a student who has not
yet mastered some subskills can show them again (a retake, a revision, a new task); anyone who
may read the section sees what is open, upcoming and closed."""

import datetime
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from mastery.curriculum import api as curriculum
from mastery.curriculum.models import LearningExperience
from mastery.frameworks.models import Competency, Subskill
from mastery.rosters import api as rosters
from mastery.rosters.models import ReassessmentOpportunity, Section
from mastery.web.access import is_teacher_of, section_to_read, section_to_teach, signed_in_user

_TWO_WEEKS = datetime.timedelta(days=14)
"""How long a new reassessment is open unless the teacher says otherwise."""


class ReassessmentForm(forms.Form):
    """Parses the "open a reassessment" form; the subskills and the learning experience are
    looked up by uuid among the course's own, so anything else is refused here."""

    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Give the reassessment a title students will recognise."},
    )
    subskills = forms.ModelMultipleChoiceField(
        queryset=Subskill.objects.none(),
        to_field_name="uuid",
        error_messages={
            "required": "Choose at least one subskill to reassess.",
            "invalid_choice": "Choose subskills this course assesses.",
            "invalid_pk_value": "Choose subskills this course assesses.",
        },
    )
    opens_on = forms.DateField(
        error_messages={
            "required": "Say when the reassessment opens.",
            "invalid": "Enter the opening date as YYYY-MM-DD.",
        }
    )
    closes_on = forms.DateField(
        error_messages={
            "required": "Say when the reassessment closes.",
            "invalid": "Enter the closing date as YYYY-MM-DD.",
        }
    )
    details = forms.CharField(required=False, max_length=1000)
    learning_experience = forms.ModelChoiceField(
        queryset=LearningExperience.objects.none(),
        required=False,
        to_field_name="uuid",
        error_messages={"invalid_choice": "Choose one of this course's learning experiences."},
    )

    def __init__(self, *args: Any, section: Section, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subskills = self.fields["subskills"]
        experiences = self.fields["learning_experience"]
        assert isinstance(subskills, forms.ModelMultipleChoiceField)
        assert isinstance(experiences, forms.ModelChoiceField)
        subskills.queryset = curriculum.list_assessed_subskills(section.course)
        experiences.queryset = curriculum.list_experiences(section.course)

    def clean(self) -> dict[str, Any]:
        """The dates' order is checked here too (by the model's own rule), so a form with
        several mistakes names them all at once."""
        cleaned = super().clean() or {}
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on is None or closes_on is None:
            return cleaned
        try:
            ReassessmentOpportunity(opens_on=opens_on, closes_on=closes_on).clean()
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                self.add_error(field, field_messages)
        return cleaned

    def chosen_uuids(self) -> set[str]:
        """The subskills ticked in what was posted (or nothing, on a fresh form)."""
        if not self.is_bound:
            return set()
        return {str(value) for value in self.data.getlist("subskills")}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SubskillChoice:
    subskill: Subskill
    checked: bool


@dataclass(frozen=True)
class CompetencyGroup:
    competency: Competency
    choices: list[SubskillChoice]


def _subskill_groups(section: Section, checked: set[str]) -> list[CompetencyGroup]:
    subskills = curriculum.list_assessed_subskills(section.course).order_by(
        "competency__position", "competency__key", "position", "key"
    )
    return [
        CompetencyGroup(
            competency=competency,
            choices=[SubskillChoice(subskill, str(subskill.uuid) in checked) for subskill in group],
        )
        for competency, group in groupby(subskills, key=lambda subskill: subskill.competency)
    ]


def _by_window(
    opportunities: list[ReassessmentOpportunity], today: datetime.date
) -> dict[str, list[ReassessmentOpportunity]]:
    """Open today, upcoming (soonest first) and closed (latest first)."""
    return {
        "open": sorted(
            (item for item in opportunities if item.opens_on <= today <= item.closes_on),
            key=lambda item: (item.closes_on, item.title),
        ),
        "upcoming": sorted(
            (item for item in opportunities if item.opens_on > today),
            key=lambda item: (item.opens_on, item.title),
        ),
        "closed": [item for item in opportunities if item.closes_on < today],
    }


def _page(
    request: HttpRequest, section: Section, form: ReassessmentForm | None, *, status: int = 200
) -> HttpResponse:
    teaches = is_teacher_of(section)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "section": section,
        "teaches": teaches,
        "today": today,
        "windows": _by_window(list(rosters.list_section_reassessments(section)), today),
    }
    if teaches:
        form = form or ReassessmentForm(section=section)
        context["form"] = form
        context["dates"] = (
            {name: form.data.get(name, "") for name in ("opens_on", "closes_on")}
            if form.is_bound
            else {"opens_on": today.isoformat(), "closes_on": (today + _TWO_WEEKS).isoformat()}
        )
        context["groups"] = _subskill_groups(section, form.chosen_uuids())
        context["experiences"] = curriculum.list_experiences(section.course)
        context["chosen_experience"] = form.data.get("learning_experience", "")
    return render(request, "web/reassessments.html", context, status=status)


@login_required
@require_GET
def section_reassessments(request: HttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_read(request, section_uuid)
    return _page(request, section, None)


@login_required
@require_POST
def open_reassessment(request: HttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    form = ReassessmentForm(request.POST, section=section)
    if form.is_valid():
        data = form.cleaned_data
        try:
            opportunity = rosters.open_reassessment(
                section,
                title=data["title"],
                subskills=data["subskills"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                details=data["details"],
                learning_experience=data["learning_experience"],
                created_by=signed_in_user(request),
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            messages.success(
                request,
                f"“{opportunity.title}” is open from {date_format(opportunity.opens_on, 'M j')} "
                f"to {date_format(opportunity.closes_on, 'M j')}.",
            )
            return redirect("section-reassessments", section.uuid)
    return _page(request, section, form, status=400)
