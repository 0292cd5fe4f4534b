"""What a student's own pages show, and a family's: every competency with its rating, the
engine's explanation and next step, the progression inside each competency, and what comes next
in the student's sections. Reads app APIs only; every sentence about a rating is the engine's."""

import datetime
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from django.db.models import Prefetch

from mastery.curriculum.models import Alignment, LearningExperience
from mastery.engine.rating import Rating as EngineRating
from mastery.evidence import api as evidence
from mastery.evidence.models import Evidence
from mastery.frameworks import api as frameworks
from mastery.frameworks.models import Competency, Subskill
from mastery.grading import api as grading
from mastery.rosters import api as rosters
from mastery.rosters.models import Enrollment, Section
from mastery.schools.models import Student


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    NEXT = "next"
    LATER = "later"


@dataclass(frozen=True)
class ProgressionStep:
    subskill: Subskill
    rating: EngineRating | None
    state: StepState


@dataclass(frozen=True)
class CompetencyCard:
    competency: Competency
    explained: grading.CompetencyExplanation
    progression: list[ProgressionStep]

    @property
    def why(self) -> tuple[str, ...]:
        """The engine's roll-up in the reader's language (in English, its own words): which
        ratings were used or left out and how they were combined; without its last step when
        rated (the result the card shows)."""
        rolled = self.explained.rolled
        steps = grading.rollup_words(rolled)
        return steps[:-1] if rolled.rating is not None else steps

    @property
    def current(self) -> ProgressionStep | None:
        """The subskill to work on now: the first in the progression not yet mastered."""
        return next((step for step in self.progression if step.state is StepState.CURRENT), None)


@dataclass(frozen=True)
class ExperienceStatus:
    """A learning experience in one of the student's sections, as the student stands with it."""

    experience: LearningExperience
    section: Section
    scored: bool
    self_assessed: bool
    needed: list[Subskill]
    current: bool
    """In a section whose term has not ended: work still ahead can only be there."""

    @property
    def upcoming(self) -> bool:
        return self.current and not self.scored


@dataclass(frozen=True)
class StudentOverview:
    student: Student
    cards: list[CompetencyCard]
    no_policy: bool
    experiences: list[ExperienceStatus]

    @property
    def unmastered(self) -> list[Subskill]:
        return [
            step.subskill
            for card in self.cards
            for step in card.progression
            if step.state is not StepState.DONE
        ]

    @property
    def upcoming(self) -> list[ExperienceStatus]:
        """What's next: experiences not yet done, in sections of the current or a coming term,
        that target subskills still to master."""
        return [status for status in self.experiences if status.upcoming and status.needed]


def progression(explained: grading.CompetencyExplanation) -> list[ProgressionStep]:
    """Done (mastered), current (the first not yet mastered), next (the one after it), later."""
    steps = []
    seen_current = False
    handed_next = False
    for subskill, rated in explained.subskills:
        if rated is not None and rated.mastered:
            state = StepState.DONE
        elif not seen_current:
            state, seen_current = StepState.CURRENT, True
        elif not handed_next:
            state, handed_next = StepState.NEXT, True
        else:
            state = StepState.LATER
        steps.append(ProgressionStep(subskill, rated, state))
    return steps


def _competencies(student: Student) -> list[Competency]:
    framework = frameworks.get_published_framework(student.school)
    if framework is None:
        return []
    # list_competencies prefetches the subskills, in progression order.
    return list(frameworks.list_competencies(framework))


def competency_cards(
    student: Student, on: datetime.date, competencies: list[Competency] | None = None
) -> tuple[list[CompetencyCard], bool]:
    """The student's competencies explained, and whether the school has no policy yet."""
    chosen = _competencies(student) if competencies is None else competencies
    try:
        explained = grading.explain_competencies(student, chosen, on=on)
    except grading.NoPolicyError:
        return [], True
    return [
        CompetencyCard(competency, explanation, progression(explanation))
        for competency, explanation in explained.competencies
    ], False


def _experiences(
    student: Student, unmastered: set[int], on: datetime.date
) -> list[ExperienceStatus]:
    enrollments = list(
        rosters.list_enrollments(student).prefetch_related(
            Prefetch(
                "section__course__experiences",
                queryset=LearningExperience.objects.order_by("position", "key").prefetch_related(
                    Prefetch(
                        "alignments",
                        queryset=Alignment.objects.select_related("subskill").order_by(
                            "subskill__position"
                        ),
                    )
                ),
            )
        )
    )
    done = set(
        evidence.list_evidence(student)
        .exclude(learning_experience=None)
        .values_list("learning_experience_id", "source")
        .distinct()
    )
    statuses = []
    for enrollment in enrollments:
        for experience in enrollment.section.course.experiences.all():
            subskills = [alignment.subskill for alignment in experience.alignments.all()]
            statuses.append(
                ExperienceStatus(
                    experience=experience,
                    section=enrollment.section,
                    scored=(experience.pk, evidence.Source.TEACHER) in done,
                    self_assessed=(experience.pk, evidence.Source.SELF) in done,
                    needed=[subskill for subskill in subskills if subskill.pk in unmastered],
                    current=enrollment.section.term.ends_on >= on,
                )
            )
    return statuses


def build_overview(student: Student, on: datetime.date) -> StudentOverview:
    cards, no_policy = competency_cards(student, on)
    overview = StudentOverview(student, cards, no_policy, [])
    unmastered = {subskill.pk for subskill in overview.unmastered}
    return StudentOverview(student, cards, no_policy, _experiences(student, unmastered, on))


def find_experience(
    student: Student, experience_uuid: UUID | str
) -> tuple[LearningExperience, Section]:
    """A learning experience in one of the student's current sections, with that section.
    Raises LearningExperience.DoesNotExist for any other."""
    enrollment: Enrollment | None = (
        rosters.list_enrollments(student)
        .filter(section__course__experiences__uuid=experience_uuid)
        .first()
    )
    if enrollment is None:
        raise LearningExperience.DoesNotExist
    experience = (
        enrollment.section.course.experiences.prefetch_related(
            Prefetch(
                "alignments",
                queryset=Alignment.objects.select_related("subskill__competency").order_by(
                    "subskill__competency__position", "subskill__position"
                ),
            )
        )
    ).get(uuid=experience_uuid)
    return experience, enrollment.section


def standing_self_assessments(
    student: Student, experience: LearningExperience
) -> dict[int, Evidence]:
    """The student's standing self-assessment of each subskill of an experience (latest wins)."""
    entries = (
        evidence.list_evidence(student)
        .filter(learning_experience=experience, source=evidence.Source.SELF, superseded_by=None)
        .exclude(kind=evidence.EntryKind.VOID)
        .order_by("id")
    )
    return {entry.subskill_id: entry for entry in entries if entry.subskill_id is not None}
