"""Deriving stored ratings from the ledger: one student after an at-bat, or a whole school.

Both paths share one computation (`_compute`) over rows loaded with a constant number of queries,
and both replace the derived rows they cover in one transaction. Ratings are never edited by
hand: they are whatever the evidence and the policy version in force say.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mastery.curriculum.models import CourseCompetency, LearningExperience
from mastery.engine.evidence import AtBat, EntryKind, Source
from mastery.engine.policy import Policy
from mastery.engine.rating import Rating as EngineRating
from mastery.engine.rating import rate
from mastery.engine.rollups import CompetencyRating, calculate_course_grade, rate_competency
from mastery.evidence.models import Evidence
from mastery.frameworks.models import Competency, Subskill
from mastery.grading.models import PolicyVersion, Rating, RatingKind, RatingStatus
from mastery.grading.policies import NoPolicyError, engine_policy, version_in_force
from mastery.rosters.models import Enrollment
from mastery.schools.models import School, Student

_EVIDENCE_FIELDS = (
    "id",
    "student_id",
    "subskill_id",
    "competency_id",
    "subskill__competency_id",
    "level",
    "assessed_on",
    "recorded_at",
    "source",
    "learning_experience_id",
    "weight",
    "independent",
    "kind",
    "supersedes_id",
    "reason",
)


@dataclass(frozen=True)
class Scope:
    """Whose ratings to derive, and for which competencies (None: every competency)."""

    school: School
    student_ids: frozenset[int]
    competency_ids: frozenset[int] | None = None


def context_label(experience: LearningExperience) -> str:
    """How a context is named to the engine: unique per course, readable in a next step."""
    return f"{experience.title} ({experience.course.key})"


def at_bat_from_row(row: dict[str, Any], contexts: dict[int, str]) -> AtBat:
    experience_id = row["learning_experience_id"]
    return AtBat(
        id=str(row["id"]),
        level=row["level"],
        assessed_on=row["assessed_on"],
        recorded_at=row["recorded_at"],
        source=Source(row["source"]),
        context=contexts.get(experience_id) if experience_id else None,
        weight=row["weight"],
        independent=row["independent"],
        kind=EntryKind(row["kind"]),
        supersedes=str(row["supersedes_id"]) if row["supersedes_id"] else None,
        reason=row["reason"],
        sequence=row["id"],
    )


def method_target(policy: Policy, subskill_key: str, competency_key: str) -> str:
    """A subskill follows its own method exception, else its competency's, else the default."""
    named = {target for target, _ in policy.target_methods}
    return subskill_key if subskill_key in named else competency_key


def _load_contexts(rows: Iterable[dict[str, Any]]) -> dict[int, str]:
    ids = {row["learning_experience_id"] for row in rows if row["learning_experience_id"]}
    experiences = LearningExperience.objects.filter(id__in=ids).select_related("course")
    return {experience.id: context_label(experience) for experience in experiences}


def _evidence_rows(scope: Scope) -> list[dict[str, Any]]:
    entries = Evidence.objects.filter(student_id__in=scope.student_ids)
    if scope.competency_ids is not None:
        entries = entries.filter(
            Q(subskill__competency_id__in=scope.competency_ids)
            | Q(competency_id__in=scope.competency_ids)
        )
    return list(entries.order_by("id").values(*_EVIDENCE_FIELDS))


def _competencies(scope: Scope) -> list[Competency]:
    competencies = Competency.objects.filter(framework__school=scope.school)
    if scope.competency_ids is not None:
        competencies = competencies.filter(id__in=scope.competency_ids)
    return list(competencies.prefetch_related("subskills"))


def _enrollments(scope: Scope) -> list[Enrollment]:
    enrollments = Enrollment.objects.filter(
        student_id__in=scope.student_ids, withdrawn_on__isnull=True
    ).select_related("section__course")
    if scope.competency_ids is not None:
        enrollments = enrollments.filter(
            section__course__assessed__competency_id__in=scope.competency_ids
        ).distinct()
    return list(enrollments)


def _rating_row(
    student_id: int,
    version: PolicyVersion,
    rated: EngineRating | CompetencyRating,
    now: datetime.datetime,
    **target: Any,
) -> Rating:
    counted = rated.counted if isinstance(rated, EngineRating) else len(rated.used)
    return Rating(
        student_id=student_id,
        policy_version=version,
        status=RatingStatus(rated.status.value),
        value=rated.rating,
        level_value=rated.level.value if rated.level else None,
        level_label=rated.level.label if rated.level else "",
        mastered=rated.mastered,
        counted=counted,
        computed_at=now,
        **target,
    )


@dataclass(frozen=True)
class _Derived:
    ratings: list[Rating]
    section_ids: set[int]
    """Sections whose course grades the scope covers: enrolled students, touched competencies."""


def _compute(scope: Scope, *, on: datetime.date) -> _Derived:
    try:
        version = version_in_force(scope.school, on=on)
    except NoPolicyError:
        return _Derived([], set())
    policy = engine_policy(version)
    rows = _evidence_rows(scope)
    contexts = _load_contexts(rows)
    by_subskill: dict[tuple[int, int], list[AtBat]] = defaultdict(list)
    by_competency: dict[tuple[int, int], list[AtBat]] = defaultdict(list)
    for row in rows:
        at_bat = at_bat_from_row(row, contexts)
        if row["subskill_id"]:
            by_subskill[row["student_id"], row["subskill_id"]].append(at_bat)
        else:
            by_competency[row["student_id"], row["competency_id"]].append(at_bat)
    competencies = _competencies(scope)
    enrollments = _enrollments(scope)
    assessed_by_course: dict[int, list[CourseCompetency]] = defaultdict(list)
    for link in CourseCompetency.objects.filter(
        course_id__in={enrollment.section.course_id for enrollment in enrollments}
    ).select_related("competency"):
        assessed_by_course[link.course_id].append(link)
    assessed_by_student: dict[int, set[int]] = defaultdict(set)
    for enrollment in enrollments:
        for link in assessed_by_course[enrollment.section.course_id]:
            assessed_by_student[enrollment.student_id].add(link.competency_id)

    now = timezone.now()
    results: list[Rating] = []
    competency_ratings: dict[tuple[int, int], CompetencyRating] = {}
    for student_id in sorted(scope.student_ids):
        for competency in competencies:
            parts: dict[str, EngineRating] = {}
            for subskill in competency.subskills.all():
                entries = by_subskill.get((student_id, subskill.id))
                if not entries:
                    continue
                rated = rate(
                    policy,
                    entries,
                    target=method_target(policy, subskill.key, competency.key),
                    with_next_step=False,
                )
                parts[subskill.key] = rated
                results.append(
                    _rating_row(
                        student_id, version, rated, now, kind=RatingKind.SUBSKILL, subskill=subskill
                    )
                )
            own_entries = by_competency.get((student_id, competency.id))
            own = (
                rate(policy, own_entries, target=competency.key, with_next_step=False)
                if own_entries
                else None
            )
            if not parts and own is None and competency.id not in assessed_by_student[student_id]:
                continue
            rolled = rate_competency(policy, competency.key, parts, own=own)
            competency_ratings[student_id, competency.id] = rolled
            results.append(
                _rating_row(
                    student_id,
                    version,
                    rolled,
                    now,
                    kind=RatingKind.COMPETENCY,
                    competency=competency,
                )
            )
    results.extend(
        _course_grades(scope, enrollments, assessed_by_course, competency_ratings, on=on, now=now)
    )
    return _Derived(results, {enrollment.section_id for enrollment in enrollments})


def _course_grades(
    scope: Scope,
    enrollments: Sequence[Enrollment],
    assessed_by_course: dict[int, list[CourseCompetency]],
    competency_ratings: dict[tuple[int, int], CompetencyRating],
    *,
    on: datetime.date,
    now: datetime.datetime,
) -> list[Rating]:
    grades = []
    versions: dict[int, PolicyVersion] = {}
    for enrollment in enrollments:
        course = enrollment.section.course
        if course.credit_area_id not in versions:
            versions[course.credit_area_id] = version_in_force(
                scope.school, on=on, credit_area_id=course.credit_area_id
            )
        version = versions[course.credit_area_id]
        policy = engine_policy(version)
        links = assessed_by_course[course.id]
        if policy.course_grade is None or not links:
            continue
        ratings = {
            link.competency.key: competency_ratings[enrollment.student_id, link.competency_id]
            for link in links
            if (enrollment.student_id, link.competency_id) in competency_ratings
        }
        # A competency the course assesses with no rating at all has insufficient evidence.
        missing = {link.competency.key for link in links} - ratings.keys()
        for key in missing:
            ratings[key] = rate_competency(policy, key, {})
        grade = calculate_course_grade(
            policy, ratings, weights={link.competency.key: link.weight for link in links}
        )
        grades.append(
            Rating(
                student_id=enrollment.student_id,
                kind=RatingKind.COURSE,
                section=enrollment.section,
                policy_version=version,
                status=RatingStatus.INSUFFICIENT_EVIDENCE
                if grade.incomplete
                else RatingStatus.RATED,
                value=grade.weighted_mean,
                grade=grade.grade,
                mastered=grade.passing,
                counted=len(ratings) - len(grade.insufficient),
                computed_at=now,
            )
        )
    return grades


@transaction.atomic
def recompute(scope: Scope, *, on: datetime.date) -> int:
    """Derive the scope's ratings and replace the stored ones; returns how many were written."""
    derived = _compute(scope, on=on)
    stale = Rating.objects.filter(student_id__in=scope.student_ids)
    if scope.competency_ids is not None:
        stale = stale.filter(
            Q(kind=RatingKind.SUBSKILL, subskill__competency_id__in=scope.competency_ids)
            | Q(kind=RatingKind.COMPETENCY, competency_id__in=scope.competency_ids)
            | Q(kind=RatingKind.COURSE, section_id__in=derived.section_ids)
        )
    stale.delete()
    Rating.objects.bulk_create(derived.ratings, batch_size=2000)
    return len(derived.ratings)


def on_evidence_appended(sender: type[Evidence], *, entries: Sequence[Evidence], **_: Any) -> None:
    """Recompute the ratings the new entries touch, inside the transaction that appended them."""
    if not entries:
        return
    touched: dict[int, set[int]] = defaultdict(set)
    students: dict[int, Student] = {}
    for entry in entries:
        target = entry.subskill or entry.competency
        competency_id = (
            target.competency_id if isinstance(target, Subskill) else entry.competency_id
        )
        assert competency_id is not None
        touched[entry.student_id].add(competency_id)
        students[entry.student_id] = entry.student
    by_school: dict[int, list[int]] = defaultdict(list)
    for student_id, student in students.items():
        by_school[student.school_id].append(student_id)
    today = timezone.localdate()
    for student_ids in by_school.values():
        school = students[student_ids[0]].school
        competency_ids = frozenset(
            set().union(*(touched[student_id] for student_id in student_ids))
        )
        recompute(Scope(school, frozenset(student_ids), competency_ids), on=today)
