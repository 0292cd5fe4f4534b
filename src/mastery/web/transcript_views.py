"""Mastery transcript credentials: the registrar finalizes one; the student, their family and the
school's registrars and leaders download the latest; anyone may fetch the public key."""

import json
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from mastery.credentials import api as credentials
from mastery.rosters import api as rosters
from mastery.schools import api as schools
from mastery.schools.models import Student
from mastery.web.access import signed_in_user

# Who may read a student's transcript besides the student and their family.
_SCHOOL_READERS = (schools.Role.REGISTRAR, schools.Role.LEADER)

# Who finalized or downloaded whose transcript, for the school's access log.
logger = logging.getLogger("mastery.credentials")

_DOWNLOADS = {
    "jwt": "application/jwt",
    "json": "application/json",
}


def _student_whose_transcript(request: HttpRequest, student_uuid: str) -> Student:
    """The student if the person is them, their family, or a registrar or leader at their
    school; anyone else (their teachers included) gets a 404."""
    user = signed_in_user(request)
    student = get_object_or_404(rosters.list_students_visible_to(user), uuid=student_uuid)
    if (
        student.user_id == user.pk
        or student.guardianships.filter(guardian=user).exists()
        or schools.has_role(user, student.school, *_SCHOOL_READERS)
    ):
        return student
    raise Http404("No such student")


@login_required
@require_GET
def transcript(request: HttpRequest, student_uuid: str) -> HttpResponse:
    student = _student_whose_transcript(request, student_uuid)
    try:
        latest = credentials.get_latest_transcript(student)
    except credentials.Transcript.DoesNotExist:
        latest = None
    user = signed_in_user(request)
    return render(
        request,
        "web/transcript.html",
        {
            "student": student,
            "transcript": latest,
            "is_self": student.user_id == user.pk,
            "is_registrar": schools.has_role(user, student.school, schools.Role.REGISTRAR),
        },
    )


@login_required
@require_POST
def finalize_transcript(request: HttpRequest, student_uuid: str) -> HttpResponse:
    user = signed_in_user(request)
    student = get_object_or_404(rosters.list_students_visible_to(user), uuid=student_uuid)
    if not schools.has_role(user, student.school, schools.Role.REGISTRAR):
        raise PermissionDenied("Only a registrar can finalize a transcript.")
    credentials.finalize_transcript(
        student, finalized_by=user, issuer_url=request.build_absolute_uri("/")
    )
    logger.info("transcript finalized: student %s by user %s", student.uuid, user.uuid)
    messages.success(request, f"{student.full_name}'s transcript is finalized and signed.")
    return redirect("transcript", student.uuid)


@login_required
@require_GET
def download_transcript(request: HttpRequest, student_uuid: str, fmt: str) -> HttpResponse:
    if fmt not in _DOWNLOADS:
        raise Http404("Transcripts download as .jwt or .json")
    student = _student_whose_transcript(request, student_uuid)
    try:
        latest = credentials.get_latest_transcript(student)
    except credentials.Transcript.DoesNotExist:
        raise Http404("No transcript has been finalized yet") from None
    if fmt == "jwt":
        body = latest.signed
    else:
        body = json.dumps(credentials.envelope_credential(latest.signed), indent=2)
    logger.info(
        "transcript %s downloaded (.%s): student %s by user %s",
        latest.uuid,
        fmt,
        student.uuid,
        signed_in_user(request).uuid,
    )
    response = HttpResponse(body, content_type=_DOWNLOADS[fmt])
    filename = f"transcript-{student.student_number}-{latest.issued_at:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def credential_key(request: HttpRequest) -> JsonResponse:
    """The public key transcripts are signed with, as a JSON Web Key."""
    return JsonResponse(credentials.get_public_jwk())
