"""Background tasks of the reports app (django.tasks; the database backend runs them)."""

from django.tasks import task


@task()
def report_cards_task(run_id: int) -> int:
    """Print the report cards of a queued ReportRun; returns how many were printed."""
    from mastery.reports.api import run_report_cards

    return run_report_cards(run_id).done
