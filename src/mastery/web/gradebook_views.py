"""The section gradebook page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from mastery.web.access import HtmxHttpRequest, section_to_read, signed_in_user
from mastery.web.gradebook import Show, build_gradebook


@login_required
def gradebook(request: HtmxHttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_read(request, section_uuid)
    try:
        show = Show(request.GET.get("show", Show.ALL))
    except ValueError:
        show = Show.ALL
    book = build_gradebook(
        section,
        expand=request.GET.get("expand") or None,
        sort=request.GET.get("sort", "name"),
        descending=request.GET.get("order") == "desc",
        show=show,
    )
    teaches = section.teachers.filter(pk=signed_in_user(request).pk).exists()
    template = "web/gradebook.html#gradebook-table" if request.htmx else "web/gradebook.html"
    return render(
        request, template, {"book": book, "section": section, "teaches": teaches, "shows": Show}
    )
