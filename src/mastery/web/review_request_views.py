"""Review requests: a family (or the student) asks a teacher to review a rating or a term grade,
the teacher answers in their inbox, and both see the request, the answer and the outcome."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mastery.frameworks import api as frameworks
from mastery.reviews import api as reviews
from mastery.reviews.models import ReviewRequest
from mastery.schools.models import Student
from mastery.web.access import signed_in_user
from mastery.web.levels import level_tones

# The fields a page shows an error beside; any other error is shown above the form.
_FORM_FIELDS = {"reason", "answer", "outcome", "corrected"}


def _errors(error: ValidationError) -> dict[str, list[str]]:
    """An api's error by form field; "form" holds the rest (the template cannot read __all__)."""
    by_field: dict[str, list[str]] = {}
    named = (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    )
    for name, problems in named.items():
        by_field.setdefault(name if name in _FORM_FIELDS else "form", []).extend(problems)
    return by_field


def _uuid(value: str | None) -> UUID | None:
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError:
        raise Http404("No such rating or grade") from None


def _student(request: HttpRequest, student_uuid: UUID) -> Student:
    try:
        return reviews.get_student_for_requester(signed_in_user(request), student_uuid)
    except Student.DoesNotExist:
        raise Http404("No such student") from None


def _review(request: HttpRequest, review_uuid: UUID) -> ReviewRequest:
    try:
        return reviews.get_review_request_visible_to(signed_in_user(request), review_uuid)
    except ReviewRequest.DoesNotExist:
        raise Http404("No such review request") from None


@login_required
@require_GET
def family_requests(request: HttpRequest, student_uuid: UUID) -> HttpResponse:
    """The student's and the family's page: every request about this student, and what they
    may ask to have reviewed."""
    student = _student(request, student_uuid)
    return render(
        request,
        "web/review_request_list.html",
        {
            "student": student,
            "review_requests": reviews.list_review_requests_for_family(
                signed_in_user(request), student
            ),
            "reviewable": reviews.list_reviewable(student),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_request(request: HttpRequest, student_uuid: UUID) -> HttpResponse:
    user = signed_in_user(request)
    student = _student(request, student_uuid)
    section_uuid = _uuid(request.GET.get("section"))
    if section_uuid is None:
        raise Http404("Which section?")
    try:
        questioned = reviews.find_questioned(
            user,
            student,
            section_uuid=section_uuid,
            competency_uuid=_uuid(request.GET.get("competency")),
            subskill_uuid=_uuid(request.GET.get("subskill")),
            term_grade_uuid=_uuid(request.GET.get("grade")),
        )
    except reviews.TargetNotFound:
        raise Http404("No such rating or grade to review") from None
    context: dict[str, Any] = {
        "student": student,
        "questioned": questioned,
        "tones": _tones(questioned),
        "errors": {},
    }
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            review = reviews.file_review_request(
                student,
                requested_by=user,
                section=questioned.section,
                competency=questioned.competency,
                subskill=questioned.subskill,
                term_grade=questioned.term_grade,
                reason=reason,
            )
        except ValidationError as error:
            context.update(errors=_errors(error), reason=reason)
            return render(request, "web/review_request_new.html", context, status=400)
        messages.success(
            request, _("Your request was sent to the teacher. Their answer will appear here.")
        )
        return redirect("review-request-detail", review.uuid)
    return render(request, "web/review_request_new.html", context)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """A teacher's review requests, the ones waiting for an answer first."""
    return render(
        request,
        "web/review_request_inbox.html",
        {"review_requests": reviews.list_review_requests_for_teacher(signed_in_user(request))},
    )


def _tones(questioned: reviews.Questioned) -> dict[Decimal, str]:
    """The colours of the levels of the rating's scale (none for a term grade)."""
    target = questioned.subskill or questioned.competency
    if questioned.rating is None or target is None:
        return {}
    return level_tones(list(frameworks.get_scale_for(target).levels.all()))


def _detail_context(review: ReviewRequest) -> dict[str, Any]:
    teaches = bool(getattr(review, "teaches", False))
    questioned = reviews.describe_questioned(review)
    return {
        "review": review,
        "questioned": questioned,
        "tones": _tones(questioned),
        "teaches": teaches,
        "corrections": (
            list(reviews.list_corrections_for(review)) if teaches and review.is_open else []
        ),
        "outcomes": reviews.Outcome.choices,
        "errors": {},
        "chosen": [],
    }


@login_required
@require_GET
def request_detail(request: HttpRequest, review_uuid: UUID) -> HttpResponse:
    review = _review(request, review_uuid)
    return render(request, "web/review_request_detail.html", _detail_context(review))


@login_required
@require_POST
def answer_request(request: HttpRequest, review_uuid: UUID) -> HttpResponse:
    review = _review(request, review_uuid)
    if not getattr(review, "teaches", False):
        raise Http404("Only the section's teachers answer a review request")
    context = _detail_context(review)
    answer = request.POST.get("answer", "")
    outcome = request.POST.get("outcome", "")
    chosen = request.POST.getlist("corrected")
    context.update(answer=answer, outcome=outcome, chosen=chosen)
    by_uuid = {str(entry.uuid): entry for entry in context["corrections"]}
    if any(value not in by_uuid for value in chosen):
        # Shown beside the list of corrections, or above the form when there is none to tick.
        field = "corrected" if by_uuid else "form"
        context["errors"] = {field: [_("Choose among the corrections listed.")]}
        return render(request, "web/review_request_detail.html", context, status=400)
    try:
        reviews.answer_review_request(
            review,
            answered_by=signed_in_user(request),
            answer=answer,
            outcome=outcome,
            corrected=[by_uuid[value] for value in chosen],
        )
    except ValidationError as error:
        context["errors"] = _errors(error)
        return render(request, "web/review_request_detail.html", context, status=400)
    messages.success(request, _("Your answer was sent to the family and is kept with the request."))
    return redirect("review-request-detail", review.uuid)
