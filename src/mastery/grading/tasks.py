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
