"""Grading policies, their versions, and the ratings they produced.

A policy's versions are documents the engine reads (`mastery.engine.policy`); a published version
is never edited — a change is a new version with a later effective date. Every stored rating and
course grade names the version that produced it. Ratings are derived: recomputing them from the
evidence ledger and the policy always gives them back.
"""

from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mastery.curriculum.models import CreditArea
from mastery.frameworks.models import Competency, Subskill
from mastery.lib.models import PublicModel
from mastery.rosters.models import Enrollment, Section
from mastery.schools.models import School, Student


class PublishedVersionError(Exception):
    """Raised when code tries to change a published policy version instead of drafting a new one."""


class Policy(PublicModel):
    """A school's grading policy, or a department's (through its credit area) for course grades."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="policies")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    credit_area = models.ForeignKey(
        CreditArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
        help_text="Blank: the whole school. Set: this department's courses only.",
    )

    class Meta:
        verbose_name_plural = "policies"
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "key"], name="policy_key_unique_in_school"),
            models.UniqueConstraint(
                fields=["school"],
                condition=models.Q(credit_area__isnull=True),
                name="one_school_wide_policy",
                violation_error_message="A school has one school-wide policy; draft a new version.",
            ),
            models.UniqueConstraint(
                fields=["school", "credit_area"],
                condition=models.Q(credit_area__isnull=False),
                name="one_policy_per_department",
                violation_error_message="This department already has a policy.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PolicyVersion(PublicModel):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_on = models.DateField(null=True, blank=True, help_text="In force from this date")
    document = models.JSONField(help_text="The policy document the engine reads")
    notes = models.TextField(blank=True, help_text="What changed and why")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(status=VersionStatus.DRAFT)
                | models.Q(effective_on__isnull=False, published_at__isnull=False),
                name="published_version_has_dates",
                violation_error_message="A published version needs an effective date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = (
                PolicyVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if stored == VersionStatus.PUBLISHED:
                raise PublishedVersionError(
                    f"{self} is published and never changes: draft a new version instead."
                )
        super().save(*args, **kwargs)


class RatingKind(models.TextChoices):
    SUBSKILL = "subskill", "Subskill"
    COMPETENCY = "competency", "Competency"
    COURSE = "course", "Course grade"


class RatingStatus(models.TextChoices):
    RATED = "rated", "Rated"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", "Insufficient evidence"


class Rating(models.Model):
    """The current rating of a student on a subskill or competency, or their course grade in a
    section — as the named policy version computed it from the ledger."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="ratings")
    kind = models.CharField(max_length=12, choices=RatingKind.choices)
    subskill = models.ForeignKey(
        Subskill, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="ratings"
    )
    status = models.CharField(max_length=24, choices=RatingStatus.choices)
    value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    level_value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    level_label = models.CharField(max_length=60, blank=True)
    mastered = models.BooleanField(default=False)
    counted = models.PositiveIntegerField(default=0, help_text="At-bats (or parts) counted")
    grade = models.CharField(max_length=20, blank=True, help_text="Course grades only")
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["student", "kind"]
        indexes = [models.Index(fields=["student", "kind"], name="rating_student_kind")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind=RatingKind.SUBSKILL,
                        subskill__isnull=False,
                        competency__isnull=True,
                        section__isnull=True,
                    )
                    | models.Q(
                        kind=RatingKind.COMPETENCY,
                        subskill__isnull=True,
                        competency__isnull=False,
                        section__isnull=True,
                    )
                    | models.Q(
                        kind=RatingKind.COURSE,
                        subskill__isnull=True,
                        competency__isnull=True,
                        section__isnull=False,
                    )
                ),
                name="rating_target_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["student", "subskill"],
                condition=models.Q(kind=RatingKind.SUBSKILL),
                name="one_rating_per_student_subskill",
            ),
            models.UniqueConstraint(
                fields=["student", "competency"],
                condition=models.Q(kind=RatingKind.COMPETENCY),
                name="one_rating_per_student_competency",
            ),
            models.UniqueConstraint(
                fields=["student", "section"],
                condition=models.Q(kind=RatingKind.COURSE),
                name="one_course_grade_per_student_section",
            ),
        ]

    def __str__(self) -> str:
        target = self.subskill or self.competency or self.section
        shown = self.grade or self.level_label or self.get_status_display()
        return f"{self.student} — {target}: {shown}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class RecomputeRun(PublicModel):
    """A whole-school recomputation, run as a background task; its progress is shown to people."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="recompute_runs")
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total_students = models.PositiveIntegerField(default=0)
    done_students = models.PositiveIntegerField(default=0)
    ratings_written = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Recompute {self.school} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.total_students:
            return 100 if self.status == RunStatus.DONE else 0
        return round(100 * self.done_students / self.total_students)


class TermGrade(PublicModel):
    """A student's term grade in a section as the teacher finalized it: the computed grade and the
    final one are both kept; an override carries its reason. Finalized grades are locked until a
    registrar reopens them."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="term_grade"
    )
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    computed_grade = models.CharField(max_length=20)
    computed_value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    final_grade = models.CharField(max_length=20)
    override_reason = models.TextField(blank=True)
    is_locked = models.BooleanField(default=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finalized_at = models.DateTimeField()
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["enrollment"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(final_grade=models.F("computed_grade"))
                | ~models.Q(override_reason=""),
                name="override_needs_reason",
                violation_error_message="An override of the computed grade needs a written reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.final_grade}"

    @property
    def is_override(self) -> bool:
        return self.final_grade != self.computed_grade


class SimulationRun(PublicModel):
    """A draft version simulated on the school's evidence, as a background task with progress."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="simulations")
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total_students = models.PositiveIntegerField(default=0)
    done_students = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True, help_text="Counts and the list of changes")
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Simulation of {self.version} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.total_students:
            return 100 if self.status == RunStatus.DONE else 0
        return round(100 * self.done_students / self.total_students)
