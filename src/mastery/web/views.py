"""Pages: each view parses the request, asks the app APIs, and renders. Nothing else."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from mastery.accounts.models import User
from mastery.graduation import api as graduation
from mastery.reports import api as reports
from mastery.rosters import api as rosters
from mastery.web.home import build_home


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Who is signed in, in which roles: the lightest signed-in page (the benchmarks' baseline)."""
    return render(request, "web/account.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    page = build_home(_user(request))
    return render(request, "web/home.html", {"page": page})


@login_required
def section_detail(request: HttpRequest, section_uuid: str) -> HttpResponse:
    user = _user(request)
    section = get_object_or_404(rosters.list_sections_visible_to(user), uuid=section_uuid)
    enrollments = section.enrollments.filter(withdrawn_on__isnull=True).select_related(
        "student__user"
    )
    return render(
        request,
        "web/section_detail.html",
        {
            "section": section,
            "enrollments": enrollments,
            "assessed": section.course.assessed.select_related("competency"),
            "experiences": section.course.experiences.prefetch_related("alignments__subskill"),
        },
    )


@login_required
def student_detail(request: HttpRequest, student_uuid: str) -> HttpResponse:
    user = _user(request)
    student = get_object_or_404(rosters.list_students_visible_to(user), uuid=student_uuid)
    return render(
        request,
        "web/student_detail.html",
        {
            "student": student,
            "enrollments": rosters.list_enrollments_visible_to(user, student),
            "is_self": student.user_id == user.pk,
            "standing": graduation.get_standing(student, on=timezone.localdate()),
            "reads_transcript": reports.may_read_transcript(user, student),
        },
    )
