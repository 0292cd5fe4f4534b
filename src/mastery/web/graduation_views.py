"""The registrar's graduation audit of a cohort."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mastery.graduation import api as graduation
from mastery.schools import api as schools
from mastery.schools.models import Role
from mastery.web.access import signed_in_user


@login_required
def graduation_audit(request: HttpRequest) -> HttpResponse:
    school = schools.list_schools_where(
        signed_in_user(request), Role.REGISTRAR, Role.LEADER
    ).first()
    if school is None:
        raise Http404("Only registrars and leaders audit graduation")
    cohorts = sorted(set(schools.list_students(school).values_list("graduation_year", flat=True)))
    try:
        cohort = int(request.GET.get("cohort", cohorts[0] if cohorts else 0))
    except ValueError:
        cohort = cohorts[0] if cohorts else 0
    students = list(
        schools.list_students(school).filter(graduation_year=cohort).order_by("user__last_name")
    )
    standings = graduation.list_standings(school, on=timezone.localdate(), students=students)
    counts = dict.fromkeys(graduation.Standing, 0)
    for item in standings:
        if item.standing is not None:
            counts[item.standing] += 1
    return render(
        request,
        "web/graduation_audit.html",
        {
            "school": school,
            "cohorts": cohorts,
            "cohort": cohort,
            "standings": standings,
            "counts": counts,
        },
    )
