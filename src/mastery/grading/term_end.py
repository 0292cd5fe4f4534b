"""Course grades at term end: "In progress" becomes "Incomplete" the day a term ends.

A course grade is stored when evidence is saved (decision 0004), and while its term runs a
competency without evidence makes it "In progress". On the term's last day those grades must
become "Incomplete" even if no evidence is saved that day, so saving a term (through the calendar
api or the admin) queues a recomputation of its school to run at the start of that day, as a
policy version published for a later date is (decision 0007).
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from mastery.calendar.models import Term
from mastery.grading.tasks import recompute_school_on_term_end_task


def on_term_saved(sender: type[Term], *, instance: Term, **_: Any) -> None:
    """Queue the recomputation at the start of the term's last day (a term that has already
    ended needs none: grades computed from now on see it closed)."""
    ends_on = instance.ends_on
    task = recompute_school_on_term_end_task
    if ends_on <= timezone.localdate() or not task.get_backend().supports_defer:
        # A backend that cannot wait (only the tests' immediate one) would recompute today's
        # grades again, not the term end's.
        return
    start_of_day = timezone.make_aware(datetime.datetime.combine(ends_on, datetime.time.min))
    school_id = instance.school_year.school_id
    transaction.on_commit(
        lambda: task.using(run_after=start_of_day).enqueue(school_id, ends_on.isoformat())
    )
