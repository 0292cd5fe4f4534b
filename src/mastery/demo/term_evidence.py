"""A fall term of evidence, from the first week of school to the demo's "today" (2026-11-20).

Each fall section works through its course's learning experiences in order; an experience done
by the cut-off gives every student present an at-bat on each subskill it is aligned to, at the
level their latent growth curve shows that day plus scoring noise. Some students are absent
(some make the work up a few days later), some work with support, some self-assess; the
section's teachers score the work a few days after it is done. A handful of entries are then
corrected or voided through the evidence api, with the reasons a teacher would give.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from mastery.accounts.models import User
from mastery.curriculum.api import ExperienceKind, update_learning_experience
from mastery.curriculum.models import LearningExperience
from mastery.demo.evidence_content import (
    FEEDBACK,
    MAKE_UP_NOTE,
    SELF_ASSESSMENT_REMARKS,
    SUPPORT_NOTES,
)
from mastery.demo.growth import observe, self_rate
from mastery.demo.roster import DemoStudent, SectionRoster
from mastery.evidence.api import (
    EvidenceRow,
    Source,
    correct_evidence,
    record_evidence_batch,
    void_evidence,
)
from mastery.evidence.models import Evidence
from mastery.frameworks.models import Subskill

# The school's own clock: recorded times are Riverside's afternoons wherever the demo runs.
SCHOOL_TIME_ZONE = ZoneInfo("America/New_York")
FIRST_WORK_DAY = datetime.date(2026, 8, 31)
LAST_WORK_DAY = datetime.date(2026, 11, 20)
_TERM_SPAN_DAYS = (LAST_WORK_DAY - FIRST_WORK_DAY).days

# Tests are a little harder than the student's usual work, projects a little easier.
_KIND_EFFECT = {
    ExperienceKind.TEST: -0.15,
    ExperienceKind.PRACTICE: -0.1,
    ExperienceKind.PROJECT: 0.1,
}
_SELF_ASSESSED_KINDS = frozenset(
    {
        ExperienceKind.ESSAY,
        ExperienceKind.PROJECT,
        ExperienceKind.PRESENTATION,
        ExperienceKind.PERFORMANCE_TASK,
        ExperienceKind.LAB,
    }
)


@dataclass(frozen=True)
class SubskillFacts:
    subskill: Subskill
    competency_key: str
    band_lowest_grade: int
    band_highest_grade: int
    difficulty: float
    """How much harder than the first step of its band (0.15 per step)."""

    def difficulty_for(self, grade: int) -> float:
        """Harder for students below the subskill's grade band, easier above and late in it."""
        if grade < self.band_lowest_grade:
            return self.difficulty + 0.5
        if grade > self.band_highest_grade:
            return self.difficulty - 0.3
        return self.difficulty - 0.2 * (grade - self.band_lowest_grade)


@dataclass(frozen=True)
class CourseExperience:
    experience: LearningExperience
    kind: ExperienceKind
    aligned: list[Subskill]


def _weekday(day: datetime.date) -> datetime.date:
    """Saturday work is dated Friday, Sunday work Monday."""
    if day.weekday() == 5:
        return day - datetime.timedelta(days=1)
    if day.weekday() == 6:
        return day + datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, minutes_after_three: int) -> datetime.datetime:
    """A time on a school afternoon: 15:00 plus some minutes, in the school's time zone."""
    return datetime.datetime.combine(
        day, datetime.time(15, 0), tzinfo=SCHOOL_TIME_ZONE
    ) + datetime.timedelta(minutes=minutes_after_three)


def _progress(day: datetime.date) -> float:
    return (day - FIRST_WORK_DAY).days / _TERM_SPAN_DAYS


def _due_dates(rng: random.Random, done: int) -> list[datetime.date]:
    """When a section did its first `done` experiences: spread from the first week to the
    cut-off, a day or two apart from the course's other sections."""
    first = FIRST_WORK_DAY + datetime.timedelta(days=rng.randint(1, 3))
    last = LAST_WORK_DAY - datetime.timedelta(days=rng.randint(2, 5))
    span = (last - first).days
    return [
        _weekday(first + datetime.timedelta(days=round(span * index / max(1, done - 1))))
        for index in range(done)
    ]


@dataclass(frozen=True)
class _Scoring:
    """One section's teachers scoring one experience."""

    roster: SectionRoster
    item: CourseExperience
    due: datetime.date
    scored_on: datetime.date
    scorer: User


def _section_rows(
    rng: random.Random,
    roster: SectionRoster,
    experiences: list[CourseExperience],
    facts: dict[str, SubskillFacts],
    staff: dict[str, User],
    deadlines: dict[LearningExperience, datetime.date],
) -> list[EvidenceRow]:
    """The section's at-bats; `deadlines` gets, per experience, the latest day a section did it."""
    rows: list[EvidenceRow] = []
    dues = _due_dates(rng, roster.content.experiences_done)
    teachers = [staff[username] for username in roster.content.teachers]
    for item, due in zip(experiences, dues, strict=False):
        deadlines[item.experience] = max(due, deadlines.get(item.experience, due))
        scored_on = _weekday(due + datetime.timedelta(days=rng.choice((0, 1, 1, 2, 3))))
        scorer = teachers[1] if len(teachers) > 1 and rng.random() < 0.25 else teachers[0]
        scoring = _Scoring(roster, item, due, max(scored_on, due), scorer)
        for index, person in enumerate(roster.students):
            rows.extend(_student_rows(rng, scoring, person, index, facts))
    return rows


def _student_rows(
    rng: random.Random,
    scoring: _Scoring,
    person: DemoStudent,
    index: int,
    facts: dict[str, SubskillFacts],
) -> list[EvidenceRow]:
    learner = person.learner
    assessed_on, recorded_at, note = scoring.due, _at(scoring.scored_on, 3 * index), ""
    if rng.random() < learner.absence_rate:
        if rng.random() < 0.5:
            return []
        assessed_on = _weekday(scoring.due + datetime.timedelta(days=rng.randint(3, 8)))
        if assessed_on > LAST_WORK_DAY:
            return []
        recorded_at = _at(
            assessed_on + datetime.timedelta(days=rng.randint(0, 2)), rng.randint(30, 150)
        )
        note = MAKE_UP_NOTE
    independent = rng.random() >= learner.support_rate
    if not independent and not note:
        note = rng.choice(SUPPORT_NOTES)
    practice = scoring.item.kind == ExperienceKind.PRACTICE
    self_assesses = (
        learner.self_assessment_bias is not None
        and scoring.item.kind in _SELF_ASSESSED_KINDS
        and rng.random() < 0.6
    )
    remark_pending = self_assesses and rng.random() < 0.4
    rows = []
    for subskill in scoring.item.aligned:
        fact = facts[subskill.key]
        latent = learner.latent_level(
            fact.competency_key,
            difficulty=fact.difficulty_for(person.student.grade_level),
            progress=_progress(assessed_on),
        )
        level = observe(rng, latent + _KIND_EFFECT.get(scoring.item.kind, 0.0))
        comment = note
        if not comment and rng.random() < 0.1:
            comment = rng.choice(FEEDBACK[fact.competency_key][1 if level >= 3 else 0])
        rows.append(
            EvidenceRow(
                student=person.student,
                target=subskill,
                level=_as_decimal_text(level),
                assessed_on=assessed_on,
                recorded_at=recorded_at,
                recorded_by=scoring.scorer,
                learning_experience=scoring.item.experience,
                section=scoring.roster.section,
                weight=0 if practice else 1,
                independent=independent,
                comment=comment,
            )
        )
        if self_assesses and learner.self_assessment_bias is not None:
            own_level = self_rate(rng, level, learner.self_assessment_bias)
            remark = ""
            if remark_pending:
                remark = rng.choice(SELF_ASSESSMENT_REMARKS[1 if own_level >= 3 else 0])
                remark_pending = False
            rows.append(
                EvidenceRow(
                    student=person.student,
                    target=subskill,
                    level=_as_decimal_text(own_level),
                    assessed_on=assessed_on,
                    recorded_at=_at(assessed_on, -rng.randint(60, 360)),
                    recorded_by=person.student.user,
                    source=Source.SELF,
                    learning_experience=scoring.item.experience,
                    section=scoring.roster.section,
                    weight=0 if practice else 1,
                    comment=remark,
                )
            )
    return rows


def _as_decimal_text(level: float) -> str:
    return f"{level:.2f}"


def record_fall_evidence(
    rng: random.Random,
    *,
    enrollments: list[SectionRoster],
    experiences: dict[str, list[CourseExperience]],
    subskill_facts: dict[str, SubskillFacts],
    staff: dict[str, User],
) -> list[Evidence]:
    """Record the fall term's at-bats in one batch, then the demo's corrections and voids.

    Each experience a section has done gets a due date first: the day the last section did it
    (a course has one due date per experience; make-up work comes after it). Experiences no
    section has reached yet have none.
    """
    rows: list[EvidenceRow] = []
    deadlines: dict[LearningExperience, datetime.date] = {}
    for roster in enrollments:
        if roster.content.experiences_done:
            rows.extend(
                _section_rows(
                    rng,
                    roster,
                    experiences[roster.content.course],
                    subskill_facts,
                    staff,
                    deadlines,
                )
            )
    for experience, due_on in deadlines.items():
        update_learning_experience(experience, due_on=due_on)
    entries = record_evidence_batch(rows, recorded_by=staff["teacher"])
    _correct_and_void(rng, entries, staff)
    return entries


def _teacher_entries(entries: list[Evidence], section_key: str) -> list[Evidence]:
    return [
        entry
        for entry in entries
        if entry.section is not None
        and entry.section.key == section_key
        and entry.source == Source.TEACHER
        and entry.weight > 0
        and entry.level is not None
    ]


def _correct_and_void(rng: random.Random, entries: list[Evidence], staff: dict[str, User]) -> None:
    """Two corrections and a re-dating, each with a teacher's reason, and one void."""
    touched: set[int] = set()

    def pick(candidates: list[Evidence]) -> Evidence | None:
        candidates = [entry for entry in candidates if entry.pk not in touched]
        if not candidates:
            return None
        chosen = rng.choice(candidates)
        touched.add(chosen.pk)
        return chosen

    # Maya's op-ed commentary, re-scored after the English team calibrated its scoring together.
    maya = [
        entry
        for entry in _teacher_entries(entries, "ENG-CA-01")
        if entry.student.user.username == "student"
        and entry.subskill is not None
        and entry.subskill.key == "AW.3"
        and entry.level is not None
        and entry.level < 4
    ]
    maya.sort(key=lambda entry: (entry.level or 0, entry.assessed_on))
    entry = maya[0] if maya else None
    if entry is not None and entry.level is not None:
        touched.add(entry.pk)
        correct_evidence(
            entry,
            level=entry.level + 1,
            reason=(
                "Re-scored after the English team's calibration session: the commentary does "
                "explain the evidence; I had read it against the wrong row of the rubric."
            ),
            recorded_by=staff["teacher"],
            recorded_at=entry.recorded_at + datetime.timedelta(days=9, minutes=41),
        )
    low = [
        e for e in _teacher_entries(entries, "MTH-AF-02") if e.level is not None and e.level <= 2
    ]
    entry = pick(low)
    if entry is not None and entry.level is not None:
        corrected: Decimal = min(entry.level + 2, Decimal(4))
        correct_evidence(
            entry,
            level=corrected,
            reason=(
                f"Typed {entry.level.normalize()} instead of {corrected.normalize()} when "
                "copying scores from the paper rubric."
            ),
            recorded_by=staff["praman"],
            recorded_at=entry.recorded_at + datetime.timedelta(days=2, hours=1),
        )
    entry = pick(
        [e for e in _teacher_entries(entries, "ENG-LR-01") if e.assessed_on.weekday() >= 2]
    )
    if entry is not None and entry.level is not None:
        correct_evidence(
            entry,
            level=entry.level,
            assessed_on=entry.assessed_on - datetime.timedelta(days=2),
            reason="Dated the day the essays were collected, not the day this one was written.",
            recorded_by=staff["teacher"],
            recorded_at=entry.recorded_at + datetime.timedelta(days=3, minutes=12),
        )
    # A lab scored for a student who was absent that day: every entry for it is voided.
    self_assessed = {
        (entry.student_id, entry.learning_experience_id)
        for entry in entries
        if entry.source == Source.SELF
    }
    labs = [
        e
        for e in _teacher_entries(entries, "SCI-CHM-01")
        if e.learning_experience is not None
        and e.learning_experience.kind == ExperienceKind.LAB
        and (e.student_id, e.learning_experience_id) not in self_assessed
        and not e.comment
    ]
    entry = pick(labs)
    if entry is None:
        return
    for scored in entries:
        if (
            scored.student_id == entry.student_id
            and scored.learning_experience_id == entry.learning_experience_id
            and scored.section_id == entry.section_id
        ):
            void_evidence(
                scored,
                reason=(
                    f"Entered in error: {entry.student.user.first_name} was absent for this "
                    "lab and has not made it up yet."
                ),
                recorded_by=staff["evasquez"],
                recorded_at=scored.recorded_at + datetime.timedelta(days=1, hours=2),
            )
