"""What the grading policy cannot derive from evidence: credits earned before Mastery, and named
graduation requirements (a capstone, service hours) with who recorded each completion."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from mastery.curriculum.models import CreditArea
from mastery.lib.models import PublicModel
from mastery.schools.models import School, Student


class PriorCredit(PublicModel):
    """Credit earned before the school used Mastery (from an earlier transcript or a transfer)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="prior_credits")
    credit_area = models.ForeignKey(CreditArea, on_delete=models.PROTECT, related_name="+")
    credits = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    description = models.CharField(max_length=200, help_text="e.g. English 9, 2025-26 transcript")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["student", "credit_area"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credits__gte=0),
                name="prior_credit_not_negative",
                violation_error_message="Credits cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.credits} {self.credit_area} ({self.description})"


class NamedRequirement(PublicModel):
    """A graduation requirement that is neither credits nor competencies: a capstone, say."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="named_requirements")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    by_grade = models.PositiveSmallIntegerField(
        default=12, validators=[MaxValueValidator(12)], help_text="Due by the end of this grade"
    )

    class Meta:
        ordering = ["school", "by_grade", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "key"], name="named_requirement_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class RequirementCompletion(PublicModel):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="completions")
    requirement = models.ForeignKey(
        NamedRequirement, on_delete=models.CASCADE, related_name="completions"
    )
    completed_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["student", "requirement"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "requirement"],
                name="requirement_completed_once",
                violation_error_message="This requirement is already recorded as completed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} completed {self.requirement}"
