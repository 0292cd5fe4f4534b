"""Small builders for engine tests: at-bats on consecutive days and policies from a method."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from mastery.engine.evidence import AtBat, EntryKind, Source
from mastery.engine.policy import Policy
from mastery.engine.scales import DEFAULT_SCALE

FIRST_DAY = date(2026, 9, 1)


def at_bat(
    level: int | str | None,
    *,
    day: int = 0,
    entry_id: str | None = None,
    context: str | None = "Lab Report",
    source: Source = Source.TEACHER,
    kind: EntryKind = EntryKind.RECORD,
    supersedes: str | None = None,
    recorded_hour: int | None = None,
    **fields: Any,
) -> AtBat:
    return AtBat(
        id=entry_id or f"day{day}",
        level=None if level is None else Decimal(level),
        assessed_on=FIRST_DAY + timedelta(days=day),
        recorded_at=None
        if recorded_hour is None
        else datetime(2026, 9, 1, recorded_hour) + timedelta(days=day),
        context=context,
        source=source,
        kind=kind,
        supersedes=supersedes,
        **fields,
    )


def at_bats(*levels: int | str, contexts: tuple[str, ...] = ("Lab Report",)) -> list[AtBat]:
    """One teacher at-bat a day, oldest first; contexts cycle through `contexts`."""
    return [
        at_bat(level, day=index, context=contexts[index % len(contexts)], sequence=index)
        for index, level in enumerate(levels)
    ]


def policy(method: dict[str, Any] | None = None, **fields: Any) -> Policy:
    return Policy.from_dict(
        {"scale": DEFAULT_SCALE.to_dict(), "method": method or {"name": "consistent"}, **fields}
    )
