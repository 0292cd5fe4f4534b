"""Districts, schools, and who belongs to them in which role."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from mastery.lib.models import PublicModel


class District(PublicModel):
    """Optional: several schools in one installation, for the district data team."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(PublicModel):
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    lowest_grade = models.PositiveSmallIntegerField(default=9, validators=[MaxValueValidator(12)])
    highest_grade = models.PositiveSmallIntegerField(default=12, validators=[MaxValueValidator(12)])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lowest_grade__lte=models.F("highest_grade")),
                name="school_grades_in_order",
                violation_error_message="The lowest grade must not be above the highest grade.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    GUARDIAN = "guardian", "Family member"
    TEACHER = "teacher", "Teacher"
    LEADER = "leader", "Instructional leader"
    REGISTRAR = "registrar", "Registrar"
    ADMIN = "admin", "School administrator"


class Membership(PublicModel):
    """A person's role at a school; one person may hold several (a teacher who is a parent)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    title = models.CharField(max_length=120, blank=True, help_text="e.g. Head of Science")

    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                name="membership_one_role_once",
                violation_error_message="This person already has this role at this school.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.school}"


class Student(PublicModel):
    """A learner enrolled at a school, with the account they sign in with."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="student"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    student_number = models.CharField(max_length=32)
    grade_level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(12)], help_text="0 is kindergarten"
    )
    graduation_year = models.PositiveSmallIntegerField(help_text="The cohort's expected year")

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"],
                name="student_number_unique_in_school",
                violation_error_message="Another student at this school has this student number.",
            ),
            models.CheckConstraint(
                condition=models.Q(grade_level__lte=12),
                name="student_grade_level_k_to_12",
                violation_error_message="Grade level must be between 0 (kindergarten) and 12.",
            ),
        ]

    def __str__(self) -> str:
        return self.user.full_name

    @property
    def full_name(self) -> str:
        return self.user.full_name


class Guardianship(PublicModel):
    """A family member who may see a student's records."""

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships"
    )
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardianships")
    relationship = models.CharField(max_length=40, default="Parent")

    history = HistoricalRecords()

    class Meta:
        ordering = ["student", "guardian"]
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "student"],
                name="guardianship_once",
                violation_error_message="This family member is already linked to this student.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} ({self.relationship} of {self.student})"
