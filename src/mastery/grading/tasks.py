"""Background tasks of the grading app (django.tasks; the database backend runs them)."""

from django.tasks import task


@task()
def recompute_school_task(run_id: int) -> int:
    """Recompute a whole school's ratings for a queued RecomputeRun; returns ratings written."""
    from mastery.grading.api import run_recompute

    return run_recompute(run_id).ratings_written
