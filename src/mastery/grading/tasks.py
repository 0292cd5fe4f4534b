"""Background tasks of the grading app (django.tasks; the database backend runs them)."""

from django.tasks import task


@task()
def recompute_school_task(run_id: int) -> int:
    """Recompute a whole school's ratings for a queued RecomputeRun; returns ratings written."""
    from mastery.grading.api import run_recompute

    return run_recompute(run_id).ratings_written


@task()
def simulate_policy_task(run_id: int) -> int:
    """Simulate a draft policy version for a queued SimulationRun; returns changes found."""
    from mastery.grading.api import run_simulation

    result = run_simulation(run_id).result or {}
    return len(result.get("changes", []))


@task()
def recompute_term_task(term_id: int, ends_on: str) -> int:
    """Recompute the ratings of a term's students once its end date `ends_on` has come or been
    moved (`grading.term_end`), so that course grades still missing evidence turn from "In
    progress" to "Incomplete" (or back, if the term was extended). A run queued for an end date
    the term no longer has does nothing: the change queued its own."""
    from django.utils import timezone

    from mastery.calendar.models import Term
    from mastery.grading.term_end import recompute_term

    term = Term.objects.select_related("school_year__school").filter(pk=term_id).first()
    if term is None or term.ends_on.isoformat() != ends_on:
        return 0
    # Today, not the end date: a term extended into the future is open again today.
    return recompute_term(term, on=timezone.localdate())


@task()
def recompute_school_on_term_end_task(school_id: int, ends_on: str) -> int:
    """Recompute a school's ratings on a term's last day. Kept for the runs queued before
    `recompute_term_task` replaced it (a queued task is found by this name)."""
    import datetime

    from django.utils import timezone

    from mastery.grading.api import recompute_school
    from mastery.schools.models import School

    school = School.objects.get(pk=school_id)
    return recompute_school(
        school, on=max(timezone.localdate(), datetime.date.fromisoformat(ends_on))
    )
