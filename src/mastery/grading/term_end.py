"""Course grades at term end: "In progress" becomes "Incomplete" the day a term ends.

A course grade is stored when evidence is saved (decision 0004), and while its term runs a
competency without evidence makes it "In progress". Once the term has ended those grades must
read "Incomplete" even if no evidence is saved, so (decision 0008):

- saving a term whose end date is new or changed queues a recomputation of the term's students
  for the start of its last day, as a policy version published for a later date is (decision
  0007); an end date moved to today or earlier (or out of the past again) recomputes them at once
  (a background task);
- a grade still stored "In progress" after its term has ended (a term that ended before this
  rule existed, or a queued run that was lost) is recomputed when the term review is built and
  when it is finalized (`recompute_grades_left_in_progress`).
"""

import datetime
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.utils import timezone

from mastery.calendar.models import Term
from mastery.curriculum.models import CourseCompetency
from mastery.engine.rollups import IN_PROGRESS
from mastery.grading.models import Rating, RatingKind
from mastery.grading.recompute import Scope, recompute
from mastery.grading.tasks import recompute_term_task
from mastery.rosters.models import Enrollment, Section

_ENDS_ON_BEFORE = "_grading_ends_on_before_save"


def on_term_saving(sender: type[Term], *, instance: Term, **_: Any) -> None:
    """Remember the stored end date, so that `on_term_saved` can tell whether it changed."""
    before = None
    if instance.pk is not None:
        before = Term.objects.filter(pk=instance.pk).values_list("ends_on", flat=True).first()
    setattr(instance, _ENDS_ON_BEFORE, before)


def on_term_saved(sender: type[Term], *, instance: Term, created: bool, **_: Any) -> None:
    """Recompute the term's students when its end date is new or changed: at once when the
    term has ended (or no longer has), else at the start of its last day."""
    ends_on = instance.ends_on
    before = getattr(instance, _ENDS_ON_BEFORE, None)
    if not created and before == ends_on:
        return  # a new name or start date changes no grade
    today = timezone.localdate()
    task = recompute_term_task
    term_id = instance.pk
    if ends_on <= today or (before is not None and before <= today):
        # Ended now, or moved out of the past: the stored grades are wrong today.
        transaction.on_commit(lambda: task.enqueue(term_id, ends_on.isoformat()))
        return
    if not task.get_backend().supports_defer:
        # A backend that cannot wait (only the tests' immediate one) would recompute today's
        # grades again, not the term end's.
        return
    start_of_day = timezone.make_aware(datetime.datetime.combine(ends_on, datetime.time.min))
    transaction.on_commit(
        lambda: task.using(run_after=start_of_day).enqueue(term_id, ends_on.isoformat())
    )


def recompute_term(term: Term, /, *, on: datetime.date) -> int:
    """Recompute the ratings of every student enrolled in the term's sections; returns ratings
    written."""
    student_ids = frozenset(
        Enrollment.objects.filter(section__term=term).values_list("student_id", flat=True)
    )
    if not student_ids:
        return 0
    return recompute(Scope(term.school_year.school, student_ids), on=on)


def recompute_grades_left_in_progress(
    section: Section, /, *, on: datetime.date, student_ids: Collection[int] | None = None
) -> int:
    """Recompute the section's course grades still stored "In progress" although its term has
    ended on `on` (only those students, only the course's competencies), all in one
    recomputation: a constant number of queries however many are stale. Returns how many were."""
    if on < section.term.ends_on:
        return 0
    stale = Rating.objects.filter(kind=RatingKind.COURSE, section=section, grade=IN_PROGRESS)
    if student_ids is not None:
        stale = stale.filter(student_id__in=student_ids)
    stale_ids = frozenset(stale.values_list("student_id", flat=True))
    if not stale_ids:
        return 0
    competency_ids = frozenset(
        CourseCompetency.objects.filter(course_id=section.course_id).values_list(
            "competency_id", flat=True
        )
    )
    recompute(Scope(section.course.school, stale_ids, competency_ids), on=on)
    return len(stale_ids)
