"""The door to frameworks: scales, competencies, their progressions, rubrics and exemplars."""

from collections.abc import Iterable
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mastery.accounts.models import User
from mastery.frameworks.models import (
    Competency,
    Exemplar,
    Framework,
    FrameworkStatus,
    GradeBand,
    PerformanceLevel,
    PerformanceScale,
    RubricDescriptor,
    Subskill,
)
from mastery.schools.models import School

__all__ = [
    "LevelSpec",
    "add_exemplar",
    "create_competency",
    "create_framework",
    "create_grade_band",
    "create_scale",
    "create_subskill",
    "get_exemplar_visible_to",
    "get_published_framework",
    "get_scale_for",
    "list_competencies",
    "list_competency_bands",
    "list_descriptors_at",
    "list_exemplars",
    "list_subskill_descriptors",
    "publish_framework",
    "set_descriptor",
    "validate_level",
]

type LevelSpec = tuple[Decimal | int, str, str, bool]
"""(value, label, description, is_mastery) — one performance level."""


@transaction.atomic
def create_scale(
    school: School, key: str, /, *, name: str, levels: Iterable[LevelSpec]
) -> PerformanceScale:
    """A performance scale; exactly one of its levels must be the mastery level."""
    specs = list(levels)
    if sum(1 for *_, is_mastery in specs if is_mastery) != 1:
        raise ValidationError({"levels": "A scale needs exactly one mastery level."})
    scale = PerformanceScale(school=school, key=key, name=name)
    scale.full_clean()
    scale.save()
    for value, label, description, is_mastery in specs:
        level = PerformanceLevel(
            scale=scale,
            value=Decimal(value),
            label=label,
            description=description,
            is_mastery=is_mastery,
        )
        level.full_clean()
        level.save()
    return scale


@transaction.atomic
def create_framework(
    school: School,
    key: str,
    /,
    *,
    title: str,
    scale: PerformanceScale,
    description: str = "",
) -> Framework:
    framework = Framework(school=school, key=key, title=title, scale=scale, description=description)
    framework.full_clean()
    framework.save()
    return framework


@transaction.atomic
def publish_framework(framework: Framework, /) -> Framework:
    if not framework.competencies.exists():
        raise ValidationError("A framework needs at least one competency before it is published.")
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at"])
    return framework


@transaction.atomic
def create_grade_band(
    framework: Framework, key: str, /, *, lowest_grade: int, highest_grade: int
) -> GradeBand:
    band = GradeBand(
        framework=framework, key=key, lowest_grade=lowest_grade, highest_grade=highest_grade
    )
    band.full_clean()
    band.save()
    return band


@transaction.atomic
def create_competency(
    framework: Framework, key: str, /, *, title: str, description: str = "", position: int = 0
) -> Competency:
    competency = Competency(
        framework=framework, key=key, title=title, description=description, position=position
    )
    competency.full_clean()
    competency.save()
    return competency


@transaction.atomic
def create_subskill(
    competency: Competency,
    key: str,
    /,
    *,
    title: str,
    position: int,
    grade_band: GradeBand | None = None,
    description: str = "",
) -> Subskill:
    subskill = Subskill(
        competency=competency,
        key=key,
        title=title,
        position=position,
        grade_band=grade_band,
        description=description,
    )
    subskill.full_clean()
    subskill.save()
    return subskill


@transaction.atomic
def set_descriptor(
    target: Competency | Subskill,
    level: PerformanceLevel,
    /,
    *,
    text: str,
    grade_band: GradeBand | None = None,
) -> RubricDescriptor:
    """The rubric language for one level of a competency or subskill, replacing earlier text."""
    if isinstance(target, Subskill):
        descriptor, _ = RubricDescriptor.objects.update_or_create(
            subskill=target, level=level, grade_band=grade_band, defaults={"text": text}
        )
    else:
        descriptor, _ = RubricDescriptor.objects.update_or_create(
            competency=target, level=level, grade_band=grade_band, defaults={"text": text}
        )
    return descriptor


def get_published_framework(school: School, /) -> Framework | None:
    return (
        Framework.objects.filter(school=school, status=FrameworkStatus.PUBLISHED)
        .select_related("scale")
        .order_by("-published_at")
        .first()
    )


def list_competencies(framework: Framework, /) -> QuerySet[Competency]:
    """The framework's competencies in order, each with its progression of subskills."""
    return framework.competencies.prefetch_related(
        Prefetch("subskills", queryset=Subskill.objects.select_related("grade_band"))
    )


def list_competency_bands(school: School, /) -> dict[str, str]:
    """Competency key -> the grade band its progression reaches, for graduation requirements
    stated by band ("every competency at Meeting in the 11-12 band"). One query.

    Bands hang on subskills; a competency belongs to the band of its highest-grade subskill,
    since its rating can be expected at a minimum only once its whole progression has been
    taught. Worked example: AW with AW.1 in 9-10 and AW.2 in 11-12 -> "11-12"; a competency
    whose subskills have no band is in no band.
    """
    highest: dict[str, GradeBand] = {}
    subskills = Subskill.objects.filter(
        competency__framework__school=school, grade_band__isnull=False
    ).select_related("competency", "grade_band")
    for subskill in subskills:
        band = subskill.grade_band
        assert band is not None
        key = subskill.competency.key
        current = highest.get(key)
        if current is None or (band.highest_grade, band.lowest_grade) > (
            current.highest_grade,
            current.lowest_grade,
        ):
            highest[key] = band
    return {key: band.key for key, band in highest.items()}


def get_scale_for(target: Competency | Subskill, /) -> PerformanceScale:
    competency = target.competency if isinstance(target, Subskill) else target
    return competency.framework.scale


def validate_level(scale: PerformanceScale, level: Decimal, /) -> None:
    """Refuse a level outside the scale's range, naming the range in the message."""
    levels = list(scale.levels.order_by("value"))
    lowest, highest = levels[0], levels[-1]
    if not lowest.value <= level <= highest.value:
        raise ValidationError(
            {
                "level": (
                    f"{level.normalize()} is not on the {scale.name} scale: levels run from "
                    f"{lowest.value.normalize()} ({lowest.label}) to "
                    f"{highest.value.normalize()} ({highest.label})."
                )
            }
        )


def list_descriptors_at(
    competency: Competency, /, *, level: PerformanceLevel
) -> list[RubricDescriptor]:
    """What work at `level` looks like for a competency and each subskill of its progression,
    the competency's own first, then the subskills in order."""
    descriptors = (
        RubricDescriptor.objects.filter(level=level)
        .filter(models.Q(competency=competency) | models.Q(subskill__competency=competency))
        .select_related("subskill", "grade_band")
    )
    return sorted(
        descriptors,
        key=lambda descriptor: (
            descriptor.subskill is not None,
            descriptor.subskill.position if descriptor.subskill else 0,
        ),
    )


def list_subskill_descriptors(subskills: Iterable[Subskill], /) -> dict[tuple[int, int], str]:
    """Rubric text by (subskill id, level id), for the subskills given (one query)."""
    descriptors = RubricDescriptor.objects.filter(subskill__in=list(subskills))
    return {(row.subskill_id, row.level_id): row.text for row in descriptors if row.subskill_id}


def list_exemplars(subskill: Subskill, /, *, level: PerformanceLevel) -> QuerySet[Exemplar]:
    return Exemplar.objects.filter(subskill=subskill, level=level).select_related("level")


def get_exemplar_visible_to(school_ids: Iterable[int], exemplar_uuid: UUID | str, /) -> Exemplar:
    """An exemplar of a framework at one of the given schools; DoesNotExist otherwise."""
    return Exemplar.objects.select_related("subskill__competency__framework").get(
        uuid=exemplar_uuid, subskill__competency__framework__school_id__in=list(school_ids)
    )


@transaction.atomic
def add_exemplar(
    subskill: Subskill,
    level: PerformanceLevel,
    /,
    *,
    name: str,
    content: bytes,
    caption: str,
    uploaded_by: User | None = None,
) -> Exemplar:
    """Real student work showing what `level` looks like for `subskill` (stored in MEDIA_ROOT)."""
    from django.core.files.base import ContentFile

    exemplar = Exemplar(subskill=subskill, level=level, caption=caption, uploaded_by=uploaded_by)
    exemplar.file.save(name, ContentFile(content), save=False)
    exemplar.full_clean()
    exemplar.save()
    return exemplar
