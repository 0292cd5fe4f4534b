"""Pages: each view parses the request, asks the app APIs, and renders. Nothing else."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from mastery.accounts import api as accounts
from mastery.accounts.models import Language, User
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


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The language switch in the header: kept on the account when signed in, in a cookie
    otherwise (the sign-in page), then back to the page the person was on."""
    language = request.POST.get("language", "")
    if language not in Language.values:
        return HttpResponseBadRequest("Choose English (en) or Spanish (es).")
    if request.user.is_authenticated:
        accounts.set_preferred_language(_user(request), language)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = redirect(back)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", httponly=True)
    return response


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
