"""The section gradebook page.

The table is the costliest thing a teacher opens many times a day, so its rendered HTML is kept
in the cache under a key that changes with every rating or roster change of the section
(`grading.api.section_ratings_stamp`): a reload between two saves costs one small query.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from mastery.grading import api as grading
from mastery.rosters.models import Section
from mastery.web.access import HtmxHttpRequest, is_teacher_of, section_to_read
from mastery.web.gradebook import Gradebook, Show, build_gradebook

# Bounds how long a change the stamp does not see (a renamed student, a new column) can show.
_CACHE_SECONDS = 300


@dataclass(frozen=True)
class GradebookQuery:
    """What the gradebook's query string asks for: the page and its downloads read it alike."""

    expand: str
    sort: str
    descending: bool
    show: Show

    @classmethod
    def read(cls, params: QueryDict) -> "GradebookQuery":
        try:
            show = Show(params.get("show", Show.ALL))
        except ValueError:
            show = Show.ALL
        return cls(
            expand=params.get("expand") or "",
            sort=params.get("sort") or "name",
            descending=params.get("order") == "desc",
            show=show,
        )

    def urlencode(self) -> str:
        """The query string that asks for this view again (for its download links)."""
        params = QueryDict(mutable=True)
        if self.expand:
            params["expand"] = self.expand
        params["show"] = self.show.value
        params["sort"] = self.sort
        if self.descending:
            params["order"] = "desc"
        return params.urlencode()

    def build(self, section: Section) -> Gradebook:
        return build_gradebook(
            section,
            expand=self.expand or None,
            sort=self.sort,
            descending=self.descending,
            show=self.show,
        )


@login_required
def gradebook(request: HtmxHttpRequest, section_uuid: str) -> HttpResponse:
    section = section_to_read(request, section_uuid)
    query = GradebookQuery.read(request.GET)
    parts = [
        section.pk,
        query.expand,
        query.sort,
        query.descending,
        query.show.value,
        grading.section_ratings_stamp(section),
    ]
    key = "gradebook:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    table = cache.get(key)
    if table is None:
        table = render_to_string(
            "web/gradebook.html#gradebook-table",
            {
                "book": query.build(section),
                "section": section,
                "shows": Show,
                "download_query": query.urlencode(),
            },
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
