"""Student-led conferences and the goals that come out of them.

The student prepares a conference (strengths, growth areas, the work they want to show, the
goals they propose); a teacher of one of their current sections records it (notes, the agreed
goals, a follow-up date). Goals are kept and tracked afterwards: every change of status stays in
the goal's history, with who made it and why.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mastery.calendar.models import Term
from mastery.evidence.models import Evidence
from mastery.lib.models import PublicModel
from mastery.schools.models import Student

GOAL_TEXT_LIMIT = 300


class ConferenceStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    HELD = "held", _("Held")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    MET = "met", _("Met")
    DROPPED = "dropped", _("Dropped")


class Conference(PublicModel):
    """One student-led conference: the student's preparation, then the advisor's record."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="conferences")
    term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    status = models.CharField(
        max_length=12, choices=ConferenceStatus.choices, default=ConferenceStatus.PREPARING
    )
    # The student's preparation.
    strengths = models.TextField(blank=True)
    growth_areas = models.TextField(blank=True)
    chosen_evidence = models.ManyToManyField(
        Evidence,
        blank=True,
        related_name="+",
        help_text="Teacher-scored work of the student's own that they want to talk about",
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    # The advisor's record of the conversation.
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences_advised",
        help_text="The teacher who held the conference with the student",
    )
    notes = models.TextField(blank=True)
    held_on = models.DateField(null=True, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["student", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ConferenceStatus.values),
                name="conference_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ConferenceStatus.PREPARING)
                | models.Q(
                    status=ConferenceStatus.HELD,
                    advisor__isnull=False,
                    held_on__isnull=False,
                    recorded_by__isnull=False,
                    recorded_at__isnull=False,
                ),
                name="conference_held_is_recorded",
                violation_error_message=_(
                    "A held conference names its advisor, the day it was held and who recorded it."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(follow_up_on__isnull=True)
                | models.Q(held_on__isnull=False, follow_up_on__gt=models.F("held_on")),
                name="conference_follow_up_after_held",
                violation_error_message=_("The follow-up date comes after the conference."),
            ),
            models.UniqueConstraint(
                fields=["student"],
                condition=models.Q(status=ConferenceStatus.PREPARING),
                name="one_conference_in_preparation",
                violation_error_message=_("There is already a conference in preparation."),
            ),
        ]

    def __str__(self) -> str:
        return f"Conference of {self.student} ({self.get_status_display()})"


class Goal(PublicModel):
    """A goal the student works towards; `agreed` once the advisor agreed it at a conference."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="goals")
    conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="goals"
    )
    text = models.CharField(max_length=GOAL_TEXT_LIMIT)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    due_on = models.DateField(null=True, blank=True)

    # `goal.changes` lists every version of the goal (status changes with who and why), and can
    # be prefetched for a whole list of goals.
    history = HistoricalRecords(
        related_name="changes", history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        ordering = ["student", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=GoalStatus.values), name="goal_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="goal_has_text",
                violation_error_message=_("A goal says what the student will do."),
            ),
            models.CheckConstraint(
                condition=models.Q(agreed=False) | models.Q(conference__isnull=False),
                name="goal_agreed_at_a_conference",
                violation_error_message=_("A goal is agreed at a conference."),
            ),
        ]

    def __str__(self) -> str:
        return self.text
