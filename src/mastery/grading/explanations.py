"""A student's ratings as the engine explains them: the at-bats in order, counted or not and why,
the arithmetic, the result and the next step. Pages read stored ratings for numbers at a glance;
anything that says *why* comes from here, straight from the engine, so what a student or family
reads is exactly what produced the number."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q

from mastery.engine.policy import Policy as EnginePolicy
from mastery.engine.rating import Rating as EngineRating
from mastery.engine.rating import rate
from mastery.engine.rollups import CompetencyRating, rate_competency
from mastery.evidence.models import Evidence
from mastery.frameworks.models import Competency, Subskill
from mastery.grading.policies import engine_policy, version_in_force
from mastery.grading.recompute import at_bat_from_row, context_label, method_target
from mastery.schools.models import Student


@dataclass(frozen=True)
class CompetencyExplanation:
    """A competency's roll-up, with each subskill's own rating (None: no evidence yet)."""

    rolled: CompetencyRating
    subskills: list[tuple[Subskill, EngineRating | None]]
    own: EngineRating | None

    @property
    def next_subskill(self) -> tuple[Subskill, EngineRating | None] | None:
        """The first subskill in the progression that is not mastered yet: where to work next."""
        for subskill, rated in self.subskills:
            if rated is None or not rated.mastered:
                return subskill, rated
        return None


@dataclass(frozen=True)
class StudentExplanations:
    """Every competency of a framework for one student, explained, in framework order."""

    student: Student
    competencies: list[tuple[Competency, CompetencyExplanation]]


def _engine_rating(
    policy: EnginePolicy, rows: Sequence[Evidence], engine_target: str
) -> EngineRating:
    contexts = {
        row.learning_experience.pk: context_label(row.learning_experience)
        for row in rows
        if row.learning_experience is not None
    }
    at_bats = [
        at_bat_from_row(
            {
                "id": row.id,
                "level": row.level,
                "assessed_on": row.assessed_on,
                "recorded_at": row.recorded_at,
                "source": row.source,
                "learning_experience_id": row.learning_experience_id,
                "learning_experience__due_on": (
                    row.learning_experience.due_on if row.learning_experience else None
                ),
                "weight": row.weight,
                "independent": row.independent,
                "kind": row.kind,
                "supersedes_id": row.supersedes_id,
                "reason": row.reason,
            },
            contexts,
        )
        for row in rows
    ]
    return rate(policy, at_bats, target=engine_target)


def _explain(
    policy: EnginePolicy,
    competency: Competency,
    subskills: Iterable[Subskill],
    by_subskill: dict[int, list[Evidence]],
    own_rows: list[Evidence],
) -> CompetencyExplanation:
    rated = [
        (
            subskill,
            _engine_rating(
                policy,
                by_subskill[subskill.pk],
                method_target(policy, subskill.key, competency.key),
            )
            if by_subskill.get(subskill.pk)
            else None,
        )
        for subskill in subskills
    ]
    own = _engine_rating(policy, own_rows, competency.key) if own_rows else None
    parts = {subskill.key: rating for subskill, rating in rated if rating is not None}
    rolled = rate_competency(policy, competency.key, parts, own=own)
    return CompetencyExplanation(rolled=rolled, subskills=rated, own=own)


def _ledger(student: Student, *conditions: Q) -> list[Evidence]:
    return list(
        Evidence.objects.filter(*conditions, student=student)
        .select_related("learning_experience__course")
        .order_by("id")
    )


def explain_rating(
    student: Student, target: Subskill | Competency, /, *, on: datetime.date
) -> EngineRating:
    """The full engine rating for one student and target: explanation and next step included."""
    policy = engine_policy(version_in_force(student.school, on=on))
    entries = Evidence.objects.filter(student=student)
    if isinstance(target, Subskill):
        entries = entries.filter(subskill=target)
        engine_target = method_target(policy, target.key, target.competency.key)
    else:
        entries = entries.filter(competency=target)
        engine_target = target.key
    rows = list(entries.select_related("learning_experience__course").order_by("id"))
    return _engine_rating(policy, rows, engine_target)


def explain_competency(
    student: Student, competency: Competency, /, *, on: datetime.date
) -> CompetencyExplanation:
    policy = engine_policy(version_in_force(student.school, on=on))
    by_subskill: dict[int, list[Evidence]] = defaultdict(list)
    own_rows = []
    for row in _ledger(student, Q(subskill__competency=competency) | Q(competency=competency)):
        if row.subskill_id is not None:
            by_subskill[row.subskill_id].append(row)
        else:
            own_rows.append(row)
    return _explain(policy, competency, competency.subskills.all(), by_subskill, own_rows)


def explain_competencies(
    student: Student, competencies: Iterable[Competency], /, *, on: datetime.date
) -> StudentExplanations:
    """Each competency explained for the student, from one read of their ledger: a fixed
    handful of queries however many competencies, subskills and at-bats there are.
    `competencies` should come with `subskills` prefetched."""
    policy = engine_policy(version_in_force(student.school, on=on))
    by_subskill: dict[int, list[Evidence]] = defaultdict(list)
    by_competency: dict[int, list[Evidence]] = defaultdict(list)
    for row in _ledger(student):
        if row.subskill_id is not None:
            by_subskill[row.subskill_id].append(row)
        elif row.competency_id is not None:
            by_competency[row.competency_id].append(row)
    return StudentExplanations(
        student=student,
        competencies=[
            (
                competency,
                _explain(
                    policy,
                    competency,
                    competency.subskills.all(),
                    by_subskill,
                    by_competency[competency.pk],
                ),
            )
            for competency in competencies
        ],
    )
