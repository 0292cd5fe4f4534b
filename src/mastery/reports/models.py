"""Report-card runs: a section's or a whole school's progress reports printed in the
background, one PDF per student, kept together as a zip in MEDIA_ROOT."""

from django.conf import settings
from django.db import models

from mastery.calendar.models import Term
from mastery.lib.models import PublicModel
from mastery.rosters.models import Section
from mastery.schools.models import School


class ReportRunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReportRun(PublicModel):
    """Report cards for one term: every student of a section, or (no section) of the school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="report_runs")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="report_runs")
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_runs",
        help_text="Blank: every student with a section in the term at the school.",
    )
    status = models.CharField(
        max_length=12, choices=ReportRunStatus.choices, default=ReportRunStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0, help_text="Students to report on")
    done = models.PositiveIntegerField(default=0, help_text="Reports printed so far")
    file = models.FileField(upload_to="report-cards/%Y/", blank=True, help_text="A zip of PDFs")
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")),
                name="report_run_done_within_total",
                violation_error_message="A run cannot have printed more reports than it has.",
            ),
        ]

    def __str__(self) -> str:
        scope = self.section.key if self.section else self.school.name
        return f"Report cards {scope} {self.term} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == ReportRunStatus.DONE else 0
        return round(100 * self.done / self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in {ReportRunStatus.DONE, ReportRunStatus.FAILED}
