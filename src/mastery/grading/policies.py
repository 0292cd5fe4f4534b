"""Which policy version is in force, read into the engine's `Policy`."""

import datetime
import json
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from mastery.engine.policy import DEFAULT_POLICY, Policy, PolicyError
from mastery.frameworks.models import PerformanceScale
from mastery.grading.models import PolicyVersion, VersionStatus
from mastery.schools.models import School


class NoPolicyError(LookupError):
    """The school has no published policy in force on the date asked about."""


def scale_document(scale: PerformanceScale) -> dict[str, Any]:
    """The policy document's `scale` for a framework's performance scale."""
    levels = []
    for level in scale.levels.order_by("value"):
        entry: dict[str, Any] = {"value": _number(level.value), "label": level.label}
        if level.description:
            entry["description"] = level.description
        if level.cut_score is not None:
            entry["min"] = _number(level.cut_score)
        if level.is_mastery:
            entry["mastery"] = True
        levels.append(entry)
    return {"levels": levels}


def default_document(scale: PerformanceScale) -> dict[str, Any]:
    """GRADING.md's default policy on the school's own scale."""
    document = DEFAULT_POLICY.to_dict()
    document["scale"] = scale_document(scale)
    return document


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def read_document(document: dict[str, Any]) -> Policy:
    """The engine's policy, or a ValidationError naming the bad field of the document."""
    try:
        return Policy.from_dict(document)
    except PolicyError as error:
        raise ValidationError({"document": str(error)}) from None


@lru_cache(maxsize=256)
def _read_published(version_id: int, document_text: str) -> Policy:
    # Published versions never change, so their parsed form can be kept per process.
    return read_document(json.loads(document_text))


def engine_policy(version: PolicyVersion) -> Policy:
    if version.status == VersionStatus.PUBLISHED:
        return _read_published(version.pk, json.dumps(version.document, sort_keys=True))
    return read_document(version.document)


def version_in_force(
    school: School, *, on: datetime.date, credit_area_id: int | None = None
) -> PolicyVersion:
    """The published version in force on a date: the department's (by credit area) if it has
    one, else the school-wide policy's. Raises NoPolicyError when there is none. One query."""
    scope = Q(policy__credit_area__isnull=True)
    if credit_area_id is not None:
        scope |= Q(policy__credit_area_id=credit_area_id)
    candidates = (
        PolicyVersion.objects.filter(
            scope, policy__school=school, status=VersionStatus.PUBLISHED, effective_on__lte=on
        )
        .select_related("policy")
        .order_by("-effective_on", "-number")
    )
    school_wide = None
    for version in candidates:
        if version.policy.credit_area_id is not None:
            return version  # a department's own policy wins for its courses
        school_wide = school_wide or version
    if school_wide is None:
        raise NoPolicyError(f"{school} has no grading policy in force on {on.isoformat()}")
    return school_wide


def versions_in_force(school: School, *, on: datetime.date) -> dict[int | None, PolicyVersion]:
    """The published versions in force on a date by credit area (None: the school-wide
    policy's), for callers that need several: `version_in_force`'s choice is the credit area's
    entry, else the None entry. One query."""
    in_force: dict[int | None, PolicyVersion] = {}
    for version in (
        PolicyVersion.objects.filter(
            policy__school=school, status=VersionStatus.PUBLISHED, effective_on__lte=on
        )
        .select_related("policy")
        .order_by("-effective_on", "-number")
    ):
        in_force.setdefault(version.policy.credit_area_id, version)
    return in_force
