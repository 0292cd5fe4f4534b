"""The evidence ledger: every at-bat, append-only.

Nothing recorded here is ever updated or deleted. A correction is a new entry that supersedes
the entry it corrects; a retraction ("void") is a new entry that voids it. Both say who, when
and why. The database refuses UPDATE and DELETE on this table (see ledger_guard.py), so the rule
holds for every program that touches the database, not only this one.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from mastery.curriculum.models import LearningExperience
from mastery.frameworks.models import Competency, Subskill
from mastery.lib.models import PublicModel
from mastery.rosters.models import Section
from mastery.schools.models import Student


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a ledger entry instead of superseding it."""


class Source(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    SELF = "self", "Self-assessment"
    PEER = "peer", "Peer"
    EXTERNAL = "external", "External"


class EntryKind(models.TextChoices):
    RECORD = "record", "Recorded"
    CORRECTION = "correction", "Correction"
    VOID = "void", "Voided"


class Evidence(PublicModel):
    """One ledger entry: an at-bat, a correction of one, or the voiding of one."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="evidence")
    subskill = models.ForeignKey(
        Subskill, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    level = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Empty only for a void"
    )
    assessed_on = models.DateField(help_text="When the student did the work")
    recorded_at = models.DateTimeField(help_text="When it was entered")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence_recorded"
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.TEACHER)
    learning_experience = models.ForeignKey(
        LearningExperience,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
        help_text="The context the evidence came from",
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        help_text="0 = practice: shown, not counted",
    )
    independent = models.BooleanField(default=True, help_text="False when done with support")
    comment = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=EntryKind.choices, default=EntryKind.RECORD)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="For a correction or a void: the entry it replaces",
    )
    reason = models.TextField(blank=True, help_text="Why a correction or void was made")

    class Meta:
        ordering = ["assessed_on", "recorded_at", "id"]
        verbose_name_plural = "evidence"
        indexes = [
            models.Index(fields=["student", "subskill"], name="evidence_student_subskill"),
            models.Index(fields=["student", "competency"], name="evidence_student_competency"),
            models.Index(
                fields=["section", "learning_experience"], name="evidence_section_experience"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(subskill__isnull=False, competency__isnull=True)
                    | models.Q(subskill__isnull=True, competency__isnull=False)
                ),
                name="evidence_has_one_target",
                violation_error_message="Evidence is about a subskill or a competency, not both.",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0),
                name="evidence_weight_not_negative",
                violation_error_message="Weight cannot be negative (0 means practice).",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=EntryKind.RECORD, supersedes__isnull=True)
                    | (
                        models.Q(kind__in=[EntryKind.CORRECTION, EntryKind.VOID])
                        & models.Q(supersedes__isnull=False)
                        & ~models.Q(reason="")
                    )
                ),
                name="evidence_correction_names_entry_and_reason",
                violation_error_message=(
                    "A correction or void must name the entry it replaces and say why."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=EntryKind.VOID, level__isnull=True)
                    | (~models.Q(kind=EntryKind.VOID) & models.Q(level__isnull=False))
                ),
                name="evidence_level_unless_void",
                violation_error_message="Every entry but a void carries a level.",
            ),
        ]

    def __str__(self) -> str:
        target = self.subskill or self.competency
        if self.kind == EntryKind.VOID:
            return f"Void of #{self.supersedes_id} for {self.student} on {target}"
        return f"{self.student} — {target}: {self.level} on {self.assessed_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(
                "Evidence is append-only: record a correction instead of changing an entry."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Evidence is append-only: void an entry instead of deleting it.")

    @property
    def target(self) -> Subskill | Competency:
        target = self.subskill or self.competency
        assert target is not None
        return target
