"""The emails a review request sends: to the section's teachers when a family files it, to the
family when a teacher answers. Each is written in its recipient's language.

They are sent after the transaction commits (the api registers them with `on_commit`), one
message per recipient, so no one sees another's address and each gets their own language. A mail
server that is down loses the email, never the request: the request page shows the same thing.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from mastery.accounts.models import User
from mastery.reviews.models import ReviewRequest

logger = logging.getLogger(__name__)

_RELATED = (
    "student__user",
    "section__course",
    "competency",
    "subskill",
    "term_grade",
    "requested_by",
    "answered_by",
)


def _link(review: ReviewRequest) -> str:
    # No request to build an absolute address from: the site's address comes from the
    # settings when it is set (SITE_URL), else the address `mastery serve` listens on.
    base = str(getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("review-request-detail", args=[review.uuid])


def _recipients(people: Iterable[User]) -> list[User]:
    """Each person once, only those with an email address."""
    seen: dict[int, User] = {}
    for person in people:
        if person.email and person.pk not in seen:
            seen[person.pk] = person
    return list(seen.values())


def _send(review: ReviewRequest, recipients: list[User], template: str) -> int:
    sent = 0
    for recipient in recipients:
        with translation.override(recipient.preferred_language):
            context = {"review": review, "recipient": recipient, "link": _link(review)}
            subject = " ".join(render_to_string(f"reviews/{template}_subject.txt", context).split())
            body = render_to_string(f"reviews/{template}_body.txt", context)
        try:
            sent += send_mail(subject, body, None, [recipient.email])
        except OSError:  # smtplib's errors are OSErrors
            logger.exception("Could not email %s about review request %s", recipient, review.uuid)
    return sent


def send_filed(review_id: int, /) -> int:
    """Tell each teacher of the section that a review was requested. Returns emails sent."""
    review = ReviewRequest.objects.select_related(*_RELATED).get(pk=review_id)
    return _send(review, _recipients(review.section.teachers.all()), "filed")


def send_answered(review_id: int, /) -> int:
    """Tell whoever asked, and the student's family, the teacher's answer. Returns emails sent."""
    review = ReviewRequest.objects.select_related(*_RELATED).get(pk=review_id)
    guardians = User.objects.filter(guardianships__student=review.student_id)
    return _send(review, _recipients([review.requested_by, *guardians]), "answered")
