"""Sections (a course offered in a term), who teaches them, who is enrolled, and the
reassessment opportunities their teachers open."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from mastery.calendar.models import Term
from mastery.curriculum.models import Course, LearningExperience
from mastery.frameworks.models import Subskill
from mastery.lib.models import PublicModel
from mastery.schools.models import Student


class Section(PublicModel):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sections")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sections")
    key = models.CharField(max_length=40, help_text="e.g. ENG9-01")
    room = models.CharField(max_length=40, blank=True)
    period = models.CharField(max_length=20, blank=True)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeachingAssignment", related_name="sections_taught"
    )
    students = models.ManyToManyField(Student, through="Enrollment", related_name="sections")

    class Meta:
        ordering = ["term", "key"]
        constraints = [
            models.UniqueConstraint(fields=["term", "key"], name="section_key_unique_in_term"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.course.title}"


class TeachingAssignment(models.Model):
    """A teacher of a section; co-teachers share a section with equal access."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="assignments")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    is_lead = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "-is_lead"]
        constraints = [
            models.UniqueConstraint(fields=["section", "teacher"], name="teacher_once_per_section"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} teaches {self.section}"


class Enrollment(PublicModel):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="enrollments")
    enrolled_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "student__user__last_name", "student__user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["section", "student"], name="student_once_per_section"),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("enrolled_on")),
                name="withdrawn_after_enrolled",
                violation_error_message="A student cannot withdraw before they enrolled.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.section}"


class ReassessmentOpportunity(PublicModel):
    """A window in which a student who has not yet mastered some of a section's subskills can
    show them again: a retake, a revision of `learning_experience`, or a new task. Open from
    `opens_on` to `closes_on`, both days included."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="reassessments")
    title = models.CharField(max_length=200)
    learning_experience = models.ForeignKey(
        LearningExperience,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reassessments",
        help_text="The task to redo or revise, if it is one of the course's",
    )
    subskills = models.ManyToManyField(Subskill, related_name="reassessments")
    opens_on = models.DateField()
    closes_on = models.DateField()
    details = models.TextField(blank=True, help_text="Where and when, e.g. Tuesday lunch, room 204")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["section", "opens_on", "closes_on", "title"]
        verbose_name_plural = "reassessment opportunities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="reassessment_closes_after_it_opens",
                violation_error_message="A reassessment cannot close before it opens.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.section.key})"

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "A reassessment cannot close before it opens."})
