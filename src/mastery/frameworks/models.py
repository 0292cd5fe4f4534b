"""A school's competency framework: what mastery means, and the progression that leads to it."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from mastery.lib.models import PublicModel
from mastery.schools.models import School


class PerformanceScale(PublicModel):
    """The ordered levels work is scored on (Beginning, Developing, Meeting, Exceeding)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="scales")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "key"], name="scale_key_unique_in_school"),
        ]

    def __str__(self) -> str:
        return self.name


class PerformanceLevel(PublicModel):
    scale = models.ForeignKey(PerformanceScale, on_delete=models.CASCADE, related_name="levels")
    value = models.DecimalField(max_digits=5, decimal_places=2)
    label = models.CharField(max_length=60)
    description = models.TextField(blank=True, help_text="What work at this level looks like")
    cut_score = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The lowest numeric rating reported as this level; blank means the level's value",
    )
    is_mastery = models.BooleanField(
        default=False, help_text="The mastery threshold: exactly one level per scale"
    )

    class Meta:
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="level_value_unique_in_scale"),
            models.UniqueConstraint(fields=["scale", "label"], name="level_label_unique_in_scale"),
            models.UniqueConstraint(
                fields=["scale"],
                condition=models.Q(is_mastery=True),
                name="one_mastery_level_per_scale",
                violation_error_message="A scale has exactly one mastery level.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.value.normalize()})"


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Framework(PublicModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="frameworks")
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    scale = models.ForeignKey(PerformanceScale, on_delete=models.PROTECT, related_name="frameworks")
    status = models.CharField(
        max_length=12, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    source_identifier = models.CharField(
        max_length=255, blank=True, help_text="Where it came from, e.g. a CASE document identifier"
    )

    class Meta:
        ordering = ["school", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "key"], name="framework_key_unique_in_school"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GradeBand(PublicModel):
    """A span of grades a subskill or rubric descriptor is written for (9-10, 11-12)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="grade_bands")
    key = models.CharField(max_length=20)
    lowest_grade = models.PositiveSmallIntegerField(validators=[MaxValueValidator(12)])
    highest_grade = models.PositiveSmallIntegerField(validators=[MaxValueValidator(12)])

    class Meta:
        ordering = ["framework", "lowest_grade"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="grade_band_key_unique"),
            models.CheckConstraint(
                condition=models.Q(lowest_grade__lte=models.F("highest_grade")),
                name="grade_band_in_order",
                violation_error_message="A grade band must not start above where it ends.",
            ),
        ]

    def __str__(self) -> str:
        return f"Grades {self.key}"


class Competency(PublicModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    key = models.CharField(max_length=40, help_text="A short code unique in the framework, e.g. AW")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position", "key"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="competency_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Subskill(PublicModel):
    """One step of a competency's progression; `position` orders the progression."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="subskills")
    key = models.CharField(max_length=40, help_text="Unique in the competency, e.g. AW.1")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    grade_band = models.ForeignKey(
        GradeBand, null=True, blank=True, on_delete=models.PROTECT, related_name="subskills"
    )

    class Meta:
        ordering = ["competency", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "key"], name="subskill_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"


class RubricDescriptor(PublicModel):
    """What work at one level looks like, for a competency or a subskill, in a grade band."""

    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.CASCADE, related_name="descriptors"
    )
    subskill = models.ForeignKey(
        Subskill, null=True, blank=True, on_delete=models.CASCADE, related_name="descriptors"
    )
    level = models.ForeignKey(
        PerformanceLevel, on_delete=models.PROTECT, related_name="descriptors"
    )
    grade_band = models.ForeignKey(
        GradeBand, null=True, blank=True, on_delete=models.PROTECT, related_name="descriptors"
    )
    text = models.TextField()

    class Meta:
        ordering = ["level__value"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(competency__isnull=False, subskill__isnull=True)
                    | models.Q(competency__isnull=True, subskill__isnull=False)
                ),
                name="descriptor_describes_one_target",
                violation_error_message="A descriptor is for a competency or a subskill, not both.",
            ),
            models.UniqueConstraint(
                fields=["subskill", "level", "grade_band"],
                name="one_descriptor_per_subskill_level_band",
                condition=models.Q(subskill__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["competency", "level", "grade_band"],
                name="one_descriptor_per_competency_level_band",
                condition=models.Q(competency__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subskill or self.competency} — {self.level.label}"


class Exemplar(PublicModel):
    """A piece of real student work that shows what a level looks like for a subskill."""

    subskill = models.ForeignKey(Subskill, on_delete=models.CASCADE, related_name="exemplars")
    level = models.ForeignKey(PerformanceLevel, on_delete=models.PROTECT, related_name="exemplars")
    file = models.FileField(upload_to="exemplars/%Y/")
    caption = models.CharField(max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["subskill", "level__value"]

    def __str__(self) -> str:
        return self.caption
