"""A family's request that a teacher review a rating or a term grade, and the teacher's answer.

The record is kept as it happened: who asked, why, who answered, what they said and what came of
it (the evidence entries corrected are linked). Once answered a request is not edited — a new
question is a new request — and every change is kept in its history.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords

from mastery.evidence.models import Evidence
from mastery.frameworks.models import Competency, Subskill
from mastery.grading.models import TermGrade
from mastery.lib.models import PublicModel
from mastery.rosters.models import Section
from mastery.schools.models import Student


class ReviewStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Waiting for an answer")
    ANSWERED = "answered", gettext_lazy("Answered")


class Outcome(models.TextChoices):
    UNCHANGED = "unchanged", gettext_lazy("Unchanged: the rating stands")
    EVIDENCE_CORRECTED = "evidence_corrected", gettext_lazy("Evidence corrected")
    GRADE_CHANGED = "grade_changed", gettext_lazy("Grade changed")
    OTHER = "other", gettext_lazy("Other")


class TargetKind(models.TextChoices):
    COMPETENCY = "competency", gettext_lazy("Competency rating")
    SUBSKILL = "subskill", gettext_lazy("Subskill rating")
    TERM_GRADE = "term_grade", gettext_lazy("Term grade")


_ONE_TARGET = (
    models.Q(competency__isnull=False, subskill__isnull=True, term_grade__isnull=True)
    | models.Q(competency__isnull=True, subskill__isnull=False, term_grade__isnull=True)
    | models.Q(competency__isnull=True, subskill__isnull=True, term_grade__isnull=False)
)
_ANSWER_MATCHES_STATUS = models.Q(
    status=ReviewStatus.OPEN,
    answer="",
    outcome="",
    answered_by__isnull=True,
    answered_at__isnull=True,
) | (
    models.Q(status=ReviewStatus.ANSWERED, answered_by__isnull=False, answered_at__isnull=False)
    & ~models.Q(answer="")
    & ~models.Q(outcome="")
)


class ReviewRequest(PublicModel):
    """A question about one rating (competency or subskill) or one term grade of a student in a
    section, asked by a family member or the student; the section's teachers answer it."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="review_requests")
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="review_requests",
        help_text="Its teachers answer the request",
    )
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subskill = models.ForeignKey(
        Subskill, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    term_grade = models.ForeignKey(
        TermGrade, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(help_text="Why the family asks for a review")
    requested_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    corrected_evidence = models.ManyToManyField(
        Evidence,
        blank=True,
        related_name="+",
        help_text="The ledger entries (corrections, voids) the teacher made in answer",
    )
    history = HistoricalRecords(m2m_fields=[corrected_evidence])

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["section", "status"], name="review_section_status")]
        constraints = [
            models.CheckConstraint(
                condition=_ONE_TARGET,
                name="review_questions_one_target",
                violation_error_message=gettext_lazy(
                    "A review request is about exactly one competency, subskill or term grade."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="review_has_reason",
                violation_error_message=gettext_lazy("Say why you ask for a review."),
            ),
            models.CheckConstraint(
                condition=_ANSWER_MATCHES_STATUS,
                name="review_answer_matches_status",
                violation_error_message=gettext_lazy(
                    "An answered request has an answer, an outcome, who answered and when; "
                    "an open one has none of them."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.target_label} ({self.get_status_display()})"

    def clean(self) -> None:
        if not self._state.adding:
            stored = (
                ReviewRequest.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if stored == ReviewStatus.ANSWERED:
                raise ValidationError(
                    gettext(
                        "This request has been answered and is kept as it was; "
                        "ask again in a new request."
                    )
                )
        targets = [self.competency_id, self.subskill_id, self.term_grade_id]
        if sum(target is not None for target in targets) != 1:
            raise ValidationError(
                gettext("Choose exactly one rating or grade to review."), code="one_target"
            )

    @property
    def kind(self) -> TargetKind:
        if self.competency_id is not None:
            return TargetKind.COMPETENCY
        if self.subskill_id is not None:
            return TargetKind.SUBSKILL
        return TargetKind.TERM_GRADE

    @property
    def target(self) -> Competency | Subskill | TermGrade:
        target = self.competency or self.subskill or self.term_grade
        assert target is not None, "a review request questions exactly one target"
        return target

    @property
    def target_label(self) -> str:
        """What is questioned, in the active language: "AW.1 States a precise claim",
        "Term grade in Algebra"."""
        if self.competency is not None:
            return f"{self.competency.key} {self.competency.title}"
        if self.subskill is not None:
            return f"{self.subskill.key} {self.subskill.title}"
        return gettext("Term grade in %(course)s") % {"course": self.section.course.title}

    @property
    def is_open(self) -> bool:
        return self.status == ReviewStatus.OPEN
