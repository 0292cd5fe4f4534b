"""The school calendar: years, terms and the grading periods inside them."""

from django.db import models

from mastery.lib.models import PublicModel
from mastery.schools.models import School


class SchoolYear(PublicModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="school_years")
    key = models.CharField(max_length=20, help_text="e.g. 2026-27")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["school", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "key"], name="school_year_key_unique"),
            models.CheckConstraint(
                condition=models.Q(starts_on__lt=models.F("ends_on")),
                name="school_year_starts_before_it_ends",
                violation_error_message="A school year must start before it ends.",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Term(PublicModel):
    """A span that sections run in and course grades are given for (a semester, a trimester)."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="terms")
    key = models.CharField(max_length=20, help_text="e.g. S1")
    name = models.CharField(max_length=80)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["school_year", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "key"], name="term_key_unique_in_year"),
            models.CheckConstraint(
                condition=models.Q(starts_on__lt=models.F("ends_on")),
                name="term_starts_before_it_ends",
                violation_error_message="A term must start before it ends.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.school_year.key}"


class GradingPeriod(PublicModel):
    """A reporting window inside a term (a quarter, a progress-report period)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="grading_periods")
    key = models.CharField(max_length=20, help_text="e.g. Q1")
    name = models.CharField(max_length=80)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["term", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "key"], name="grading_period_key_unique_in_term"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__lt=models.F("ends_on")),
                name="grading_period_starts_before_it_ends",
                violation_error_message="A grading period must start before it ends.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
