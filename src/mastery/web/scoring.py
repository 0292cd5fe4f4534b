"""The scoring grid as a page shows it: students x the subskills a learning experience is
aligned to, with what was already scored from this experience and the rubric at hand."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404

from mastery.curriculum.models import LearningExperience
from mastery.evidence import api as evidence
from mastery.evidence.models import EntryKind, Evidence
from mastery.frameworks.models import PerformanceLevel, RubricDescriptor, Subskill
from mastery.grading import api as grading
from mastery.grading.models import Rating, RatingKind
from mastery.rosters.models import Enrollment, Section
from mastery.schools.models import Student
from mastery.web.levels import level_tones


@dataclass(frozen=True)
class ScoreCell:
    subskill: Subskill
    latest: Evidence | None
    rating: Rating | None


@dataclass(frozen=True)
class ScoreRow:
    enrollment: Enrollment
    cells: list[ScoreCell]
    comment: str
    independent: bool


@dataclass(frozen=True)
class RubricRow:
    subskill: Subskill
    descriptors: list[tuple[PerformanceLevel, str]]


@dataclass(frozen=True)
class ScoringGrid:
    section: Section
    experience: LearningExperience
    subskills: list[Subskill]
    rows: list[ScoreRow]
    levels: list[PerformanceLevel]
    rubric: list[RubricRow]
    assessed_on: datetime.date
    tones: dict[Decimal, str]

    @property
    def lowest(self) -> str:
        return f"{self.levels[0].value.normalize()}" if self.levels else "1"

    @property
    def highest(self) -> str:
        return f"{self.levels[-1].value.normalize()}" if self.levels else "4"


def experience_of(section: Section, experience_uuid: object) -> LearningExperience:
    """One of the section's course's learning experiences, else 404."""
    return get_object_or_404(section.course.experiences, uuid=experience_uuid)


def current_scores(
    section: Section, experience: LearningExperience, *, student: Student | None = None
) -> dict[tuple[int, int], Evidence]:
    """The newest standing entry per (student, subskill) scored from this experience here
    (for one student only, when given)."""
    scored = evidence.list_section_evidence(section).filter(
        learning_experience=experience, subskill__isnull=False, source="teacher"
    )
    if student is not None:
        scored = scored.filter(student=student)
    entries = list(scored.order_by("id"))
    replaced = {entry.supersedes_id for entry in entries if entry.supersedes_id}
    standing: dict[tuple[int, int], Evidence] = {}
    for entry in entries:
        if entry.pk in replaced or entry.kind == EntryKind.VOID:
            continue
        assert entry.subskill_id is not None
        standing[entry.student_id, entry.subskill_id] = entry
    return standing


def build_grid(
    section: Section, experience: LearningExperience, *, assessed_on: datetime.date
) -> ScoringGrid:
    subskills = [
        alignment.subskill
        for alignment in experience.alignments.select_related(
            "subskill__competency__framework__scale"
        )
    ]
    enrollments = list(
        section.enrollments.filter(withdrawn_on__isnull=True).select_related("student__user")
    )
    scale = subskills[0].competency.framework.scale if subskills else None
    levels = list(scale.levels.order_by("value")) if scale is not None else []
    descriptors: dict[int, list[tuple[PerformanceLevel, str]]] = {}
    for descriptor in (
        RubricDescriptor.objects.filter(subskill__in=subskills)
        .select_related("level")
        .order_by("level__value")
    ):
        assert descriptor.subskill_id is not None
        descriptors.setdefault(descriptor.subskill_id, []).append(
            (descriptor.level, descriptor.text)
        )
    scores = current_scores(section, experience)
    ratings = {
        (rating.student_id, rating.subskill_id): rating
        for rating in grading.list_section_ratings(
            section, [e.student_id for e in enrollments], {s.competency_id for s in subskills}
        ).filter(kind=RatingKind.SUBSKILL)
    }
    rows = []
    for enrollment in enrollments:
        cells = [
            ScoreCell(
                subskill,
                scores.get((enrollment.student_id, subskill.pk)),
                ratings.get((enrollment.student_id, subskill.pk)),
            )
            for subskill in subskills
        ]
        scored = [cell.latest for cell in cells if cell.latest is not None]
        rows.append(
            ScoreRow(
                enrollment,
                cells,
                comment=scored[-1].comment if scored else "",
                independent=all(entry.independent for entry in scored) if scored else True,
            )
        )
    return ScoringGrid(
        section=section,
        experience=experience,
        subskills=subskills,
        rows=rows,
        levels=levels,
        rubric=[RubricRow(subskill, descriptors.get(subskill.pk, [])) for subskill in subskills],
        assessed_on=assessed_on,
        tones=level_tones(levels),
    )
