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
def recompute_school_on_term_end_task(school_id: int, ends_on: str) -> int:
    """Recompute a school's ratings on a term's last day (`grading.term_end`), so that its
    course grades still missing evidence turn from "In progress" to "Incomplete"."""
    import datetime

    from django.utils import timezone

    from mastery.grading.api import recompute_school
    from mastery.schools.models import School

    school = School.objects.get(pk=school_id)
    return recompute_school(
        school, on=max(timezone.localdate(), datetime.date.fromisoformat(ends_on))
    )
