"""A term grade's history as the review page shows it: every finalization (with its grade, the
computed one and the override's reason) and every reopening (with why), oldest first. Read from
the grade's audit trail (django-simple-history), so reopening and finalizing again never hides
an earlier override's reason."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from mastery.grading.models import TermGrade
from mastery.rosters.models import Section


@dataclass(frozen=True)
class TermGradeEvent:
    at: datetime.datetime
    by: str
    reopened: bool
    final_grade: str
    computed_grade: str
    reason: str
    """The override's reason for a finalization (empty when the computed grade was kept), the
    reopening's reason for a reopening."""

    @property
    def is_override(self) -> bool:
        return not self.reopened and self.final_grade != self.computed_grade


def list_term_grade_history(section: Section, /) -> dict[int, list[TermGradeEvent]]:
    """Each of the section's term grades' events by term grade id, oldest first. One query."""
    snapshots = (
        TermGrade.history.filter(enrollment__section=section)
        .select_related("finalized_by", "reopened_by")
        .order_by("history_date", "history_id")
    )
    events: dict[int, list[TermGradeEvent]] = defaultdict(list)
    for snapshot in snapshots:
        if snapshot.is_locked:
            event = TermGradeEvent(
                at=snapshot.finalized_at,
                by=snapshot.finalized_by.full_name if snapshot.finalized_by else "",
                reopened=False,
                final_grade=snapshot.final_grade,
                computed_grade=snapshot.computed_grade,
                reason=snapshot.override_reason,
            )
        else:
            event = TermGradeEvent(
                at=snapshot.reopened_at or snapshot.history_date,
                by=snapshot.reopened_by.full_name if snapshot.reopened_by else "",
                reopened=True,
                final_grade=snapshot.final_grade,
                computed_grade=snapshot.computed_grade,
                reason=snapshot.reopen_reason,
            )
        history = events[snapshot.id]
        # A save that changed neither (an admin's edit of another field) adds no event.
        if not history or history[-1] != event:
            history.append(event)
    return dict(events)
