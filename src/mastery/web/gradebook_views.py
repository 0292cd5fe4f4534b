"""The section gradebook page.

The table is the costliest thing a teacher opens many times a day, so its rendered HTML is kept
in the cache under a key that changes with every rating or roster change of the section
(`grading.api.section_ratings_stamp`): a reload between two saves costs one small query.
"""

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from mastery.grading import api as grading
from mastery.web.access import HtmxHttpRequest, is_teacher_of, section_to_read
from mastery.web.gradebook import Show, build_gradebook

# Bounds how long a change the stamp does not see (a renamed student, a new column) can show.
_CACHE_SECONDS = 300


@login_required
def gradebook(request: HtmxHttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_read(request, section_uuid)
    try:
        show = Show(request.GET.get("show", Show.ALL))
    except ValueError:
        show = Show.ALL
    expand = request.GET.get("expand") or ""
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("order") == "desc"
    parts = [
        section.pk,
        expand,
        sort,
        descending,
        show.value,
        grading.section_ratings_stamp(section),
    ]
    key = "gradebook:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    table = cache.get(key)
    if table is None:
        book = build_gradebook(
            section, expand=expand or None, sort=sort, descending=descending, show=show
        )
        table = render_to_string(
            "web/gradebook.html#gradebook-table",
            {"book": book, "section": section, "shows": Show},
            request=request,
        )
        cache.set(key, table, _CACHE_SECONDS)
    if request.htmx:
        return HttpResponse(table)
    return render(
        request,
        "web/gradebook.html",
        {"section": section, "teaches": is_teacher_of(section), "table": mark_safe(table)},
    )
