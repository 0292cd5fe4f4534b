"""Courses and the learning experiences in them, aligned to the framework's subskills."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from mastery.frameworks.models import Competency, Subskill
from mastery.lib.models import PublicModel
from mastery.schools.models import School


class CreditArea(PublicModel):
    """A graduation-requirement bucket credits are earned in (English, Mathematics, ...)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="credit_areas")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "key"], name="credit_area_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Course(PublicModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="courses")
    key = models.CharField(max_length=40, help_text="The course code, e.g. ENG9")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    credit_value = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    credit_area = models.ForeignKey(CreditArea, on_delete=models.PROTECT, related_name="courses")
    lowest_grade = models.PositiveSmallIntegerField(default=9, validators=[MaxValueValidator(12)])
    highest_grade = models.PositiveSmallIntegerField(default=12, validators=[MaxValueValidator(12)])
    competencies = models.ManyToManyField(
        Competency, through="CourseCompetency", related_name="courses"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "key"]
        constraints = [
            models.UniqueConstraint(fields=["school", "key"], name="course_key_unique"),
            models.CheckConstraint(
                condition=models.Q(credit_value__gte=0),
                name="course_credit_not_negative",
                violation_error_message="A course's credit value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(lowest_grade__lte=models.F("highest_grade")),
                name="course_grades_in_order",
                violation_error_message="The lowest grade must not be above the highest grade.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def grade_levels(self) -> str:
        if self.lowest_grade == self.highest_grade:
            return str(self.lowest_grade)
        return f"{self.lowest_grade}-{self.highest_grade}"


class CourseCompetency(models.Model):
    """A competency a course assesses, and how much it weighs in the course grade."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assessed")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("1.00"))

    class Meta:
        ordering = ["course", "competency__position"]
        verbose_name_plural = "course competencies"
        constraints = [
            models.UniqueConstraint(fields=["course", "competency"], name="course_competency_once"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0),
                name="course_competency_weight_positive",
                violation_error_message="A competency's weight in a course must be above zero.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.key}: {self.competency.title} x{self.weight.normalize()}"


class ExperienceKind(models.TextChoices):
    """Labels in the reader's language (students and families see them)."""

    PROJECT = "project", pgettext_lazy("learning experience kind", "Project")
    LAB = "lab", pgettext_lazy("learning experience kind", "Lab")
    ESSAY = "essay", pgettext_lazy("learning experience kind", "Essay")
    PERFORMANCE_TASK = (
        "performance_task",
        pgettext_lazy("learning experience kind", "Performance task"),
    )
    PRESENTATION = "presentation", pgettext_lazy("learning experience kind", "Presentation")
    DISCUSSION = "discussion", pgettext_lazy("learning experience kind", "Discussion")
    TEST = "test", pgettext_lazy("learning experience kind", "Test")
    PRACTICE = "practice", pgettext_lazy("learning experience kind", "Practice")


class LearningExperience(PublicModel):
    """A task students do in a course; its place in the scope and sequence is `position`."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="experiences")
    key = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ExperienceKind.choices)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the work is due. A policy may order at-bats by it (order_by due_on); "
        "without one, an at-bat is ordered by the date the student did the work.",
    )
    subskills = models.ManyToManyField(Subskill, through="Alignment", related_name="experiences")

    class Meta:
        ordering = ["course", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], name="experience_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Alignment(models.Model):
    """A learning experience gives students a chance to show a subskill."""

    experience = models.ForeignKey(
        LearningExperience, on_delete=models.CASCADE, related_name="alignments"
    )
    subskill = models.ForeignKey(Subskill, on_delete=models.PROTECT, related_name="alignments")

    class Meta:
        ordering = ["experience", "subskill__competency__position", "subskill__position"]
        constraints = [
            models.UniqueConstraint(fields=["experience", "subskill"], name="alignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.experience} → {self.subskill.key}"
