"""Fetching the records a page is about, through the scoped querysets the apps provide.
Anything outside the person's scope is simply not found (404)."""

from uuid import UUID

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django_htmx.middleware import HtmxDetails

from mastery.accounts.models import User
from mastery.rosters import api as rosters
from mastery.rosters.models import Enrollment, Section


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (for type checking)."""

    htmx: HtmxDetails


def signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "the view must be login_required"
    return user


def section_to_read(request: HttpRequest, section_uuid: UUID | str) -> Section:
    """A section the person teaches, or one at a school they lead or keep the records of;
    `section.teaches` says whether they teach it."""
    try:
        return rosters.get_section_visible_to(signed_in_user(request), section_uuid)
    except Section.DoesNotExist:
        raise Http404("No such section") from None


def section_to_teach(request: HttpRequest, section_uuid: UUID | str) -> Section:
    """A section the person teaches (co-teachers included): scoring and grading happen here."""
    try:
        section = rosters.get_section_taught_by(signed_in_user(request), section_uuid)
    except Section.DoesNotExist:
        raise Http404("No such section") from None
    section.teaches = True  # type: ignore[attr-defined]
    return section


def enrollment_in(section: Section, student_uuid: object) -> Enrollment:
    return get_object_or_404(
        section.enrollments.select_related("student__user", "student__school"),
        student__uuid=student_uuid,
        withdrawn_on__isnull=True,
    )


def is_teacher_of(section: Section) -> bool:
    """Whether the person a section was fetched for (by section_to_read) teaches it."""
    return bool(getattr(section, "teaches", False))
