from decimal import Decimal
from typing import Any

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: object) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params: QueryDict = context["request"].GET.copy()
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def number(value: Decimal | None) -> str:
    """A rating as people read it: 3, 2.5, 3.17 — never 3.00."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text


@register.filter
def level_name(value: Decimal | None, labels: dict[Decimal, str]) -> str:
    """'Meeting (3)' for a level on the scale, the bare number between levels."""
    if value is None:
        return "—"
    label = labels.get(Decimal(value))
    return f"{label} ({number(value)})" if label else number(value)


@register.filter
def tone_of(value: Decimal | None, tones: dict[Decimal, str]) -> str:
    """A level's colour class, from `web.levels.level_tones` ("" between levels or off the
    scale)."""
    if value is None:
        return ""
    return tones.get(Decimal(value), "")


@register.filter
def words(value: object) -> str:
    """An enum value as words: "on_track" -> "On track"."""
    return str(value).replace("_", " ").capitalize()


@register.filter
def get_entry(entries: dict[int, Any], entry_id: str) -> Any:
    """The ledger row behind an engine at-bat (engine ids are the rows' ids as text)."""
    try:
        return entries.get(int(entry_id))
    except (TypeError, ValueError):
        return None
