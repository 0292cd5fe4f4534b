"""Deriving stored ratings from the ledger: one student after an at-bat, or a whole school.

Both paths share one computation (`_compute`) over rows loaded with a constant number of queries,
and both replace the derived rows they cover in one transaction. Ratings are never edited by
hand: they are whatever the evidence and the policy version in force say.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pyarrow as pa
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from mastery.curriculum.models import CourseCompetency, LearningExperience
from mastery.engine.batch import rate_batch
from mastery.engine.evidence import AtBat, EntryKind, Source
from mastery.engine.methods import MethodChoice
from mastery.engine.policy import Policy
from mastery.engine.rating import Rating as EngineRating
from mastery.engine.rating import Status, rate
from mastery.engine.rollups import CompetencyRating, calculate_course_grade, rate_competency
from mastery.engine.scales import Level
from mastery.evidence.models import Evidence
from mastery.frameworks.models import Competency, Subskill
from mastery.grading.models import PolicyVersion, Rating, RatingKind, RatingStatus
from mastery.grading.policies import NoPolicyError, engine_policy, versions_in_force
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
    "learning_experience__due_on",
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


@dataclass(frozen=True, slots=True)
class Part:
    """A subskill's (or a competency's own evidence's) rating, as roll-ups and storage need it."""

    status: Status
    rating: Decimal | None
    level: Level | None
    mastered: bool
    counted: int

    @classmethod
    def of(cls, rated: EngineRating) -> "Part":
        return cls(rated.status, rated.rating, rated.level, rated.mastered, rated.counted)


def rate_subskills_in_batch(
    policy: Policy,
    rows: list[dict[str, Any]],
    contexts: dict[int, str],
    subskill_keys: dict[int, str],
) -> dict[tuple[int, int], Part]:
    """Every (student, subskill) rating in `rows` through the engine's batch path, one call per
    calculation method the policy uses (a per-competency exception is its own batch)."""
    by_choice: dict[MethodChoice, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        subskill_id = row["subskill_id"]
        if subskill_id in subskill_keys:
            by_choice[policy.method_for(subskill_keys[subskill_id])].append(row)
    parts: dict[tuple[int, int], Part] = {}
    for choice, chosen in by_choice.items():
        table = pa.table(
            {
                "id": [str(row["id"]) for row in chosen],
                "student_id": [row["student_id"] for row in chosen],
                "target_id": [row["subskill_id"] for row in chosen],
                "level": pa.array([row["level"] for row in chosen], pa.decimal128(9, 2)),
                "assessed_on": [row["assessed_on"] for row in chosen],
                "recorded_at": [row["recorded_at"] for row in chosen],
                "sequence": [row["id"] for row in chosen],
                "source": [row["source"] for row in chosen],
                "context": [contexts.get(row["learning_experience_id"]) for row in chosen],
                "due_on": pa.array(
                    [row.get("learning_experience__due_on") for row in chosen], pa.date32()
                ),
                "weight": pa.array([row["weight"] for row in chosen], pa.decimal128(9, 2)),
                "independent": [row["independent"] for row in chosen],
                "kind": [row["kind"] for row in chosen],
                "supersedes": [
                    str(row["supersedes_id"]) if row["supersedes_id"] else None for row in chosen
                ],
            }
        )
        rated = rate_batch(replace(policy, method=choice, target_methods=()), table)
        levels = policy.scale.levels
        students = rated.student_id.to_pylist()
        targets = rated.target_id.to_pylist()
        for index, (student_id, subskill_id) in enumerate(zip(students, targets, strict=True)):
            is_rated = bool(rated.rated[index])
            parts[student_id, subskill_id] = Part(
                status=Status.RATED if is_rated else Status.INSUFFICIENT_EVIDENCE,
                rating=Decimal(int(rated.cents[index])) / 100 if is_rated else None,
                level=levels[int(rated.level_index[index])] if is_rated else None,
                mastered=bool(rated.mastered[index]),
                counted=int(rated.counted[index]),
            )
    return parts


def context_label(experience: LearningExperience) -> str:
    """How a context is named to the engine: unique per course, readable in a next step."""
    return _context_name(experience.title, experience.course.key)


def _context_name(title: str, course_key: str) -> str:
    return f"{title} ({course_key})"


def at_bat_from_row(row: dict[str, Any], contexts: dict[int, str]) -> AtBat:
    """The engine's at-bat for a ledger row (`values()` of `_EVIDENCE_FIELDS`): its context is
    its learning experience, and so is its due date (None without an experience, or when the
    experience has none: a policy ordering by due date then uses the date of the work)."""
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
        due_on=row.get("learning_experience__due_on"),
    )


def method_target(policy: Policy, subskill_key: str, competency_key: str) -> str:
    """A subskill follows its own method exception, else its competency's, else the default."""
    named = {target for target, _ in policy.target_methods}
    return subskill_key if subskill_key in named else competency_key


def _load_contexts(rows: Iterable[dict[str, Any]]) -> dict[int, str]:
    ids = {row["learning_experience_id"] for row in rows if row["learning_experience_id"]}
    experiences = LearningExperience.objects.filter(id__in=ids).select_related("course")
    return {experience.id: context_label(experience) for experience in experiences}


# A few students' rows (a save) name their contexts themselves: one query fewer on the hot
# path. A school's rows do not, to keep each row small; their contexts are one query.
_CONTEXT_FIELDS = ("learning_experience__title", "learning_experience__course__key")


def _evidence_rows(scope: Scope) -> list[dict[str, Any]]:
    entries = Evidence.objects.filter(student_id__in=scope.student_ids)
    fields: tuple[str, ...] = _EVIDENCE_FIELDS
    if scope.competency_ids is not None:
        entries = entries.filter(
            Q(subskill__competency_id__in=scope.competency_ids)
            | Q(competency_id__in=scope.competency_ids)
        )
        fields += _CONTEXT_FIELDS
    return list(entries.order_by("id").values(*fields))


def _contexts(scope: Scope, rows: list[dict[str, Any]]) -> dict[int, str]:
    if scope.competency_ids is None:
        return _load_contexts(rows)
    return {
        row["learning_experience_id"]: _context_name(*(row[field] for field in _CONTEXT_FIELDS))
        for row in rows
        if row["learning_experience_id"]
    }


def _competencies(scope: Scope) -> list[Competency]:
    competencies = Competency.objects.filter(framework__school=scope.school)
    if scope.competency_ids is not None:
        competencies = competencies.filter(id__in=scope.competency_ids)
    # Orderings by column, not by relation: a default ordering through `framework` or
    # `competency` joins those tables again for every save.
    subskills = Prefetch("subskills", queryset=Subskill.objects.order_by("position", "key"))
    return list(
        competencies.order_by("framework_id", "position", "key").prefetch_related(subskills)
    )


def _enrollments(scope: Scope) -> list[Enrollment]:
    enrollments = Enrollment.objects.filter(
        student_id__in=scope.student_ids, withdrawn_on__isnull=True
    ).select_related("section__course", "section__term")
    if scope.competency_ids is not None:
        enrollments = enrollments.filter(
            section__course__assessed__competency_id__in=scope.competency_ids
        ).distinct()
    # By id: Enrollment's default ordering joins the term, the year and the user for nothing.
    return list(enrollments.order_by("id"))


def _rating_row(
    student_id: int,
    version: PolicyVersion,
    rated: Part | CompetencyRating,
    now: datetime.datetime,
    **target: Any,
) -> Rating:
    counted = rated.counted if isinstance(rated, Part) else len(rated.used)
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


type VersionChooser = Callable[[School, int | None], PolicyVersion]
"""Which policy version rates a school's competencies (credit area None) or grades a credit
area's courses. Raises NoPolicyError when there is none."""


def in_force_on(on: datetime.date) -> VersionChooser:
    """The published versions in force on a date: what stored ratings always use."""

    found: dict[int, dict[int | None, PolicyVersion]] = {}

    def choose(school: School, credit_area_id: int | None) -> PolicyVersion:
        if school.pk not in found:
            # One query for every credit area: a save needs the school-wide version and its
            # course's department's.
            found[school.pk] = versions_in_force(school, on=on)
        in_force = found[school.pk]
        version = in_force.get(credit_area_id) or in_force.get(None)
        if version is None:
            raise NoPolicyError(f"{school} has no grading policy in force on {on.isoformat()}")
        return version

    return choose


def compute(scope: Scope, *, on: datetime.date, versions: VersionChooser | None = None) -> _Derived:
    """Derive the scope's ratings without storing them (the simulator compares two of these)."""
    return _compute(scope, on=on, versions=versions)


def _compute(
    scope: Scope, *, on: datetime.date, versions: VersionChooser | None = None
) -> _Derived:
    choose = versions or in_force_on(on)
    try:
        version = choose(scope.school, None)
    except NoPolicyError:
        return _Derived([], set())
    policy = engine_policy(version)
    rows = _evidence_rows(scope)
    contexts = _contexts(scope, rows)
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
    for link in (
        CourseCompetency.objects.filter(
            course_id__in={enrollment.section.course_id for enrollment in enrollments}
        )
        .select_related("competency")
        .order_by("course_id", "competency__position", "competency_id")
    ):
        assessed_by_course[link.course_id].append(link)
    assessed_by_student: dict[int, set[int]] = defaultdict(set)
    for enrollment in enrollments:
        for link in assessed_by_course[enrollment.section.course_id]:
            assessed_by_student[enrollment.student_id].add(link.competency_id)

    now = timezone.now()
    subskill_keys = {
        subskill.id: method_target(policy, subskill.key, competency.key)
        for competency in competencies
        for subskill in competency.subskills.all()
    }
    # A whole school goes through the batch path; one student's at-bat through the reference
    # engine. Both give the same ratings (tests/engine/test_batch_equivalence.py).
    if scope.competency_ids is None:
        subskill_parts = rate_subskills_in_batch(policy, rows, contexts, subskill_keys)
    else:
        subskill_parts = {
            pair: Part.of(
                rate(policy, entries, target=subskill_keys[pair[1]], with_next_step=False)
            )
            for pair, entries in by_subskill.items()
            if pair[1] in subskill_keys
        }
    results: list[Rating] = []
    competency_ratings: dict[tuple[int, int], CompetencyRating | Part] = {}
    for student_id in sorted(scope.student_ids):
        for competency in competencies:
            parts: dict[str, Part] = {}
            for subskill in competency.subskills.all():
                part = subskill_parts.get((student_id, subskill.id))
                if part is None:
                    continue
                parts[subskill.key] = part
                results.append(
                    _rating_row(
                        student_id, version, part, now, kind=RatingKind.SUBSKILL, subskill=subskill
                    )
                )
            own_entries = by_competency.get((student_id, competency.id))
            own = (
                Part.of(rate(policy, own_entries, target=competency.key, with_next_step=False))
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
        _course_grades(
            scope,
            enrollments,
            assessed_by_course,
            competency_ratings,
            choose=choose,
            now=now,
            on=on,
        )
    )
    return _Derived(results, {enrollment.section_id for enrollment in enrollments})


def _stored_competency_ratings(
    enrollments: Sequence[Enrollment], assessed_by_course: dict[int, list[CourseCompetency]]
) -> dict[tuple[int, int], Part]:
    competency_ids = {link.competency_id for links in assessed_by_course.values() for link in links}
    stored = Rating.objects.filter(
        kind=RatingKind.COMPETENCY,
        student_id__in={enrollment.student_id for enrollment in enrollments},
        competency_id__in=competency_ids,
    ).values_list("student_id", "competency_id", "status", "value", "mastered", "counted")
    stored = stored.order_by()  # a dict: Rating's default ordering would join the student
    return {
        (student_id, competency_id): Part(Status(status), value, None, mastered, counted)
        for student_id, competency_id, status, value, mastered, counted in stored
    }


def _course_grades(
    scope: Scope,
    enrollments: Sequence[Enrollment],
    assessed_by_course: dict[int, list[CourseCompetency]],
    competency_ratings: dict[tuple[int, int], CompetencyRating | Part],
    *,
    choose: VersionChooser,
    now: datetime.datetime,
    on: datetime.date,
) -> list[Rating]:
    """Each enrollment's course grade. A section's term has ended (`term_closed`) from its last
    day on: until then a competency without evidence makes the grade "In progress", after it
    "Incomplete" (GRADING.md: insufficient evidence *at term end*)."""
    grades = []
    if scope.competency_ids is not None:
        # The course grade also rests on competencies this at-bat did not touch: their stored
        # ratings stand (one query for all of them).
        competency_ratings = {
            **_stored_competency_ratings(enrollments, assessed_by_course),
            **competency_ratings,
        }
    versions: dict[int, PolicyVersion] = {}
    for enrollment in enrollments:
        course = enrollment.section.course
        if course.credit_area_id not in versions:
            versions[course.credit_area_id] = choose(scope.school, course.credit_area_id)
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
            policy,
            ratings,
            weights={link.competency.key: link.weight for link in links},
            term_closed=on >= enrollment.section.term.ends_on,
        )
        grades.append(
            Rating(
                student_id=enrollment.student_id,
                kind=RatingKind.COURSE,
                section=enrollment.section,
                policy_version=version,
                status=RatingStatus.INSUFFICIENT_EVIDENCE
                if grade.incomplete or grade.in_progress
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
    return _replace(scope, on=on)


def _replace(scope: Scope, *, on: datetime.date, locked: bool = False) -> int:
    # Two at-bats for one student saved at once would both replace the same derived rows: lock
    # the students (in id order, so two recomputations never wait on each other in a circle),
    # unless the caller already holds them (`locked`).
    if not locked:
        list(
            Student.objects.select_for_update()
            .filter(id__in=scope.student_ids)
            .order_by("id")
            .values_list("id", flat=True)
        )
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


def on_evidence_appended(
    sender: type[Evidence],
    *,
    entries: Sequence[Evidence],
    student_locked: bool = False,
    **_: Any,
) -> None:
    """Recompute the ratings the new entries touch, inside the transaction that appended them."""
    if not entries:
        return
    assert transaction.get_connection().in_atomic_block, "evidence is appended in a transaction"
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
        # Already inside the appending transaction: no savepoint of its own.
        _replace(
            Scope(school, frozenset(student_ids), competency_ids),
            on=today,
            locked=student_locked and len(students) == 1,
        )


def on_due_date_changed(
    sender: type[LearningExperience], *, experience: LearningExperience, **_: Any
) -> None:
    """Recompute the ratings resting on the experience's evidence: a policy may order at-bats by
    due date. Inside the transaction that changed it."""
    touched = (
        Evidence.objects.filter(learning_experience=experience)
        .annotate(target_competency_id=Coalesce("subskill__competency_id", "competency_id"))
        .values_list("student_id", "target_competency_id")
        .distinct()
    )
    students: set[int] = set()
    competencies: set[int] = set()
    for student_id, competency_id in touched:
        students.add(student_id)
        competencies.add(competency_id)
    if students:
        recompute(
            Scope(experience.course.school, frozenset(students), frozenset(competencies)),
            on=timezone.localdate(),
        )
