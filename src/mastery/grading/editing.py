"""What the policy editor needs besides the document: the school's own names to choose from, and
creating a school's (or a department's) first policy from the default."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from mastery.accounts.models import User
from mastery.calendar.models import GradingPeriod
from mastery.curriculum.models import CreditArea
from mastery.frameworks.models import Competency, GradeBand, PerformanceScale, Subskill
from mastery.grading.models import Policy, PolicyVersion, VersionStatus
from mastery.grading.policies import default_document
from mastery.schools.models import School


@dataclass(frozen=True)
class PolicyVocabulary:
    """The keys a school's policy may name, with words for people."""

    competencies: dict[str, str]
    """'AW' -> 'AW Argumentative writing'."""
    subskills: dict[str, tuple[str, str]]
    """'AW.1' -> ('AW.1 States a precise claim', 'AW')."""
    credit_areas: list[str]
    """Credit area names (credit rules and graduation name areas by name)."""
    grading_periods: list[tuple[str, str]]
    """(key, 'Q1 — Quarter 1') for every grading period key in the school's calendar."""
    bands: list[str]


def policy_vocabulary(school: School, /) -> PolicyVocabulary:
    """Five queries, whatever the size of the framework."""
    competencies = {
        key: f"{key} {title}"
        for key, title in Competency.objects.filter(framework__school=school)
        .order_by("position", "key")
        .values_list("key", "title")
    }
    subskills = {
        key: (f"{key} {title}", competency)
        for key, title, competency in Subskill.objects.filter(competency__framework__school=school)
        .order_by("competency__position", "position", "key")
        .values_list("key", "title", "competency__key")
    }
    periods: dict[str, str] = {}
    for key, name in (
        GradingPeriod.objects.filter(term__school_year__school=school)
        .order_by("starts_on")
        .values_list("key", "name")
    ):
        periods.setdefault(key, f"{key} — {name}")
    return PolicyVocabulary(
        competencies=competencies,
        subskills=subskills,
        credit_areas=list(
            CreditArea.objects.filter(school=school).order_by("name").values_list("name", flat=True)
        ),
        grading_periods=list(periods.items()),
        bands=list(
            dict.fromkeys(
                GradeBand.objects.filter(framework__school=school)
                .order_by("lowest_grade")
                .values_list("key", flat=True)
            )
        ),
    )


def _scale(school: School) -> PerformanceScale:
    scale = (
        PerformanceScale.objects.filter(school=school, frameworks__school=school)
        .order_by("-frameworks__published_at")
        .first()
        or PerformanceScale.objects.filter(school=school).order_by("id").first()
    )
    if scale is None:
        raise ValidationError(
            {"scale": f"{school} has no performance scale yet: set up its framework first."}
        )
    return scale


@transaction.atomic
def create_policy_from_default(
    school: School, /, *, created_by: User, credit_area: CreditArea | None = None
) -> PolicyVersion:
    """The school's policy (or a department's, for a credit area) as a first draft: GRADING.md's
    default on the school's scale; a department starts from the school-wide policy's latest
    published version when there is one (never a draft nobody has agreed to yet)."""
    from mastery.grading.api import create_policy

    policies = Policy.objects.filter(school=school)
    scale = _scale(school)
    if credit_area is None:
        if policies.filter(credit_area__isnull=True).exists():
            raise ValidationError({"policy": f"{school} already has a school-wide policy."})
        key, name = "school", f"{school.name} grading policy"
        document = default_document(scale)
    else:
        if credit_area.school_id != school.pk:
            raise ValidationError({"credit_area": "That credit area is another school's."})
        if policies.filter(credit_area=credit_area).exists():
            raise ValidationError({"credit_area": f"{credit_area.name} already has a policy."})
        key, name = f"department-{credit_area.key}", f"{credit_area.name} grading policy"
        school_wide = (
            PolicyVersion.objects.filter(
                policy__school=school,
                policy__credit_area__isnull=True,
                status=VersionStatus.PUBLISHED,
            )
            .order_by("-number")
            .first()
        )
        document = dict(school_wide.document) if school_wide else default_document(scale)
    return create_policy(
        school,
        key,
        name=name,
        scale=scale,
        created_by=created_by,
        document=document,
        credit_area=credit_area,
    )


def list_areas_without_policy(school: School, /) -> list[CreditArea]:
    """The school's credit areas (departments) that have no policy of their own yet."""
    return list(
        CreditArea.objects.filter(school=school).exclude(policies__isnull=False).order_by("name")
    )
