"""The child switch: a guardian with more than one child moves between their children on any
student or family page, landing on the same page for the other child."""

from typing import Any

from django import template
from django.urls import reverse

from mastery.schools import api as schools
from mastery.schools.models import Student

register = template.Library()


@register.inclusion_tag("web/_child_switch.html", takes_context=True)
def child_switch(
    context: template.Context, student: Student, page: str = "student-detail"
) -> dict[str, Any]:
    """`page` names a URL that takes only a student's uuid: each child links to theirs. A
    page about one record (a conference, a competency) passes the list it belongs to, or the
    dashboard. Uses the view's `children` when it has them, else asks (one query)."""
    children = context.get("children")
    if children is None:
        children = list(schools.list_children(context["request"].user))
    if len(children) < 2 or not any(child.pk == student.pk for child in children):
        return {"switch": []}
    return {
        "switch": [
            (child, reverse(page, args=[child.uuid]), child.pk == student.pk) for child in children
        ]
    }
