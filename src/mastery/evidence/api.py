"""The door to the evidence ledger: record at-bats, correct them, void them, read them.

Every function here appends; none updates or deletes (the database refuses both anyway).
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mastery.accounts.models import User
from mastery.curriculum.models import Alignment, LearningExperience
from mastery.evidence import ledger_guard
from mastery.evidence.bulk import EvidenceRow, record_evidence_batch
from mastery.evidence.models import EntryKind, Evidence, Source
from mastery.evidence.signals import evidence_appended
from mastery.frameworks.api import get_scale_for, validate_level
from mastery.frameworks.models import Competency, Subskill
from mastery.rosters.models import Enrollment, Section
from mastery.schools.models import Student

__all__ = [
    "EntryKind",
    "EvidenceRow",
    "Source",
    "correct_evidence",
    "count_students_scored",
    "lift_ledger_guard",
    "list_evidence",
    "list_section_evidence",
    "record_evidence",
    "record_evidence_batch",
    "record_score",
    "record_score_details",
    "record_self_assessment",
    "void_evidence",
]

# The api is handed these objects, so checking that they exist again would only cost queries; the
# table's constraints are checked by the database itself on insert (the api's own checks above
# give the friendly messages).
_GIVEN_RELATIONS = [
    "student",
    "subskill",
    "competency",
    "recorded_by",
    "learning_experience",
    "section",
    "supersedes",
    "uuid",
]

# Work dated more than this far ahead of today is a typing mistake, not a plan.
_LATEST_ALLOWED_AHEAD = datetime.timedelta(days=1)


def _lock_student(student_id: int) -> None:
    """Hold the student's row until the transaction ends. Two saves of the same cell (or two
    corrections of one entry) at once would both find the same standing entry and both
    supersede it: the second now waits, then finds the first's. Grading's recomputation takes
    the same lock, so this adds no new order to wait in."""
    # Unordered: Student's default ordering would join (and on PostgreSQL also lock) the user.
    list(
        Student.objects.select_for_update()
        .filter(pk=student_id)
        .order_by()
        .values_list("pk", flat=True)
    )


def _as_level(value: Decimal | int | str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"level": f"{value!r} is not a number."}) from None


def _check_date(assessed_on: datetime.date) -> None:
    if assessed_on > timezone.localdate() + _LATEST_ALLOWED_AHEAD:
        raise ValidationError(
            {
                "assessed_on": (
                    f"{assessed_on.isoformat()} is in the future: use the date the work was done."
                )
            }
        )


def _check_context(
    student: Student,
    target: Subskill | Competency,
    experience: LearningExperience | None,
    section: Section | None,
) -> None:
    if section is not None and experience is not None and experience.course_id != section.course_id:
        raise ValidationError(
            {"learning_experience": f"{experience} is not part of the course {section.course}."}
        )
    # Both questions in one round trip: scoring a cell is on every teacher's hot path.
    questions: dict[str, Exists] = {}
    if section is not None:
        questions["enrolled"] = Exists(
            Enrollment.objects.filter(section=section, student_id=OuterRef("pk"))
        )
    if experience is not None and isinstance(target, Subskill):
        questions["aligned"] = Exists(
            Alignment.objects.filter(experience=experience, subskill=target)
        )
    if not questions:
        return
    found = Student.objects.filter(pk=student.pk).annotate(**questions).values_list(*questions)
    answers = dict(zip(questions, found.get(), strict=True))
    if section is not None and not answers["enrolled"]:
        raise ValidationError({"student": f"{student} is not enrolled in {section.key}."})
    if experience is not None and isinstance(target, Subskill) and not answers["aligned"]:
        raise ValidationError(
            {"subskill": f"{target.key} is not one of the subskills {experience} is aligned to."}
        )


def _target_fields(target: Subskill | Competency) -> dict[str, Subskill | Competency | None]:
    if isinstance(target, Subskill):
        return {"subskill": target, "competency": None}
    return {"subskill": None, "competency": target}


@transaction.atomic
def record_evidence(
    student: Student,
    target: Subskill | Competency,
    /,
    *,
    level: Decimal | int | str,
    assessed_on: datetime.date,
    recorded_by: User,
    source: Source = Source.TEACHER,
    learning_experience: LearningExperience | None = None,
    section: Section | None = None,
    weight: Decimal | int = 1,
    independent: bool = True,
    comment: str = "",
    recorded_at: datetime.datetime | None = None,
) -> Evidence:
    """Append one at-bat to the ledger. Scoring the same work again is a new at-bat, by design."""
    return _append(
        _new_record(
            student,
            target,
            level=level,
            assessed_on=assessed_on,
            recorded_by=recorded_by,
            source=source,
            learning_experience=learning_experience,
            section=section,
            weight=weight,
            independent=independent,
            comment=comment,
            recorded_at=recorded_at,
        )
    )


def _new_record(
    student: Student,
    target: Subskill | Competency,
    /,
    *,
    level: Decimal | int | str,
    assessed_on: datetime.date,
    recorded_by: User,
    source: Source,
    learning_experience: LearningExperience | None,
    section: Section | None,
    weight: Decimal | int = 1,
    independent: bool,
    comment: str,
    recorded_at: datetime.datetime | None = None,
) -> Evidence:
    level = _as_level(level)
    validate_level(get_scale_for(target), level)
    _check_date(assessed_on)
    _check_context(student, target, learning_experience, section)
    return Evidence(
        student=student,
        **_target_fields(target),
        level=level,
        assessed_on=assessed_on,
        recorded_at=recorded_at or timezone.now(),
        recorded_by=recorded_by,
        source=source,
        learning_experience=learning_experience,
        section=section,
        weight=Decimal(weight),
        independent=independent,
        comment=comment,
    )


def _append(entry: Evidence, *, student_locked: bool = False) -> Evidence:
    """Store a checked entry and recompute what it touches, in the caller's transaction (the
    public functions are atomic; this helper adds no savepoint of its own). `student_locked`:
    the caller holds the student's row (`_lock_student`)."""
    entry.full_clean(exclude=_GIVEN_RELATIONS, validate_constraints=False)
    entry.save()
    evidence_appended.send(sender=Evidence, entries=[entry], student_locked=student_locked)
    return entry


REENTRY_REASON = "Re-entered in the scoring grid"
SELF_REVISION_REASON = "Revised self-assessment"


@transaction.atomic
def record_score(
    student: Student,
    subskill: Subskill,
    /,
    *,
    level: Decimal | int | str,
    assessed_on: datetime.date,
    recorded_by: User,
    learning_experience: LearningExperience,
    section: Section,
    independent: bool = True,
    comment: str = "",
    source: Source = Source.TEACHER,
) -> Evidence:
    """A teacher's score from the scoring grid (or, with `source=Source.SELF`, a student's own).
    Given again for the same work on the same day, it corrects the standing score (a slip of
    the keyboard, or a revised self-assessment, kept in the history); on another day it is a
    new at-bat (a reassessment). Giving the same score, comment and support again changes
    nothing; a change of any of them is a correction."""
    level = _as_level(level)
    _lock_student(student.pk)
    standing = (
        Evidence.objects.filter(
            student=student,
            subskill=subskill,
            learning_experience=learning_experience,
            section=section,
            source=source,
            assessed_on=assessed_on,
            superseded_by__isnull=True,
        )
        .exclude(kind=EntryKind.VOID)
        .order_by("-id")
        .first()
    )
    if standing is None:
        return _append(
            _new_record(
                student,
                subskill,
                level=level,
                assessed_on=assessed_on,
                recorded_by=recorded_by,
                source=source,
                learning_experience=learning_experience,
                section=section,
                independent=independent,
                comment=comment,
            ),
            student_locked=True,
        )
    if (standing.level, standing.comment, standing.independent) == (level, comment, independent):
        return standing
    # The standing entry is about these very records: lend it the ones in hand rather than have
    # the correction fetch each again.
    standing.student = student
    standing.subskill = subskill
    standing.learning_experience = learning_experience
    standing.section = section
    _check_author(standing, recorded_by)
    reason = SELF_REVISION_REASON if source == Source.SELF else REENTRY_REASON
    return _append(
        _correction_of(
            standing,
            level=level,
            reason=reason,
            recorded_by=recorded_by,
            comment=comment,
            independent=independent,
        ),
        student_locked=True,
    )


DETAILS_REASON = "Comment or support changed in the scoring grid"


@transaction.atomic
def record_score_details(
    student: Student,
    learning_experience: LearningExperience,
    /,
    *,
    section: Section,
    assessed_on: datetime.date,
    comment: str,
    independent: bool,
    recorded_by: User,
) -> list[Evidence]:
    """Set the comment, and whether the work was done independently, on a student's standing
    scores from a learning experience on a date (the scoring grid's row): a correction of each
    score that differs, keeping its level. Returns the corrections (none when nothing differs,
    or nothing was scored that day)."""
    _lock_student(student.pk)
    standing = (
        Evidence.objects.filter(
            student=student,
            learning_experience=learning_experience,
            section=section,
            source=Source.TEACHER,
            assessed_on=assessed_on,
            subskill__isnull=False,
            superseded_by__isnull=True,
        )
        .exclude(kind=EntryKind.VOID)
        .select_related("subskill__competency")
        .order_by("id")
    )
    corrections = []
    for entry in standing:
        if (entry.comment, entry.independent) == (comment, independent):
            continue
        entry.student = student
        entry.learning_experience = learning_experience
        entry.section = section
        correction = _correction_of(
            entry,
            level=None,
            reason=DETAILS_REASON,
            recorded_by=recorded_by,
            comment=comment,
            independent=independent,
        )
        correction.full_clean(exclude=_GIVEN_RELATIONS, validate_constraints=False)
        correction.save()
        corrections.append(correction)
    if corrections:
        # One recomputation for the row, not one per subskill.
        evidence_appended.send(sender=Evidence, entries=corrections)
    return corrections


@transaction.atomic
def record_self_assessment(
    student: Student,
    learning_experience: LearningExperience,
    /,
    *,
    section: Section,
    levels: dict[Subskill, Decimal | int | str],
    reflection: str,
    on: datetime.date,
) -> list[Evidence]:
    """A student's own rating of their work on a learning experience: one self-assessment per
    subskill they rated (a subskill left out is simply not assessed), the reflection kept with
    each. Self-assessments are evidence with source `self`: shown beside the teacher's ratings,
    never counted. Submitted again the same day, it revises that day's entries."""
    if student.user_id is None:
        raise ValidationError(
            {"student": _("Only a student with a sign-in assesses their own work.")}
        )
    if not levels:
        raise ValidationError({"levels": _("Choose a level for at least one subskill.")})
    entries = []
    for subskill, level in levels.items():
        try:
            entries.append(
                record_score(
                    student,
                    subskill,
                    level=level,
                    assessed_on=on,
                    recorded_by=student.user,
                    learning_experience=learning_experience,
                    section=section,
                    comment=reflection.strip(),
                    source=Source.SELF,
                )
            )
        except ValidationError as error:
            raise ValidationError({f"level-{subskill.key}": error.messages}) from None
    return entries


# A self-assessment is the student's own word, a peer's rating the peer's: a teacher answers them
# with a score of their own, never by rewriting them.
_AUTHORED = {Source.SELF: "a self-assessment", Source.PEER: "a peer's assessment"}


def _check_author(entry: Evidence, recorded_by: User) -> None:
    if entry.source in _AUTHORED and entry.recorded_by_id != recorded_by.pk:
        raise ValidationError(
            {
                "supersedes": (
                    f"This is {_AUTHORED[Source(entry.source)]}: only the person who gave it "
                    "can change it. Record your own score instead."
                )
            }
        )


def _check_replaceable(entry: Evidence, reason: str, recorded_by: User) -> None:
    _lock_student(entry.student_id)
    _check_author(entry, recorded_by)
    if not reason.strip():
        raise ValidationError({"reason": "Say why: a correction or void needs a reason."})
    if entry.kind == EntryKind.VOID:
        raise ValidationError(
            {"supersedes": "A voided entry cannot be changed; record the work again."}
        )
    if Evidence.objects.filter(supersedes=entry).exists():
        raise ValidationError(
            {"supersedes": "This entry was already corrected or voided: change the newest entry."}
        )


@transaction.atomic
def correct_evidence(
    entry: Evidence,
    /,
    *,
    level: Decimal | int | str,
    reason: str,
    recorded_by: User,
    assessed_on: datetime.date | None = None,
    comment: str | None = None,
    independent: bool | None = None,
    recorded_at: datetime.datetime | None = None,
) -> Evidence:
    """A new entry that supersedes `entry` with a corrected level (and date, comment, or
    whether the work was done independently). A self- or peer assessment is corrected only by
    whoever gave it."""
    _check_replaceable(entry, reason, recorded_by)
    return _append(
        _correction_of(
            entry,
            level=level,
            reason=reason,
            recorded_by=recorded_by,
            assessed_on=assessed_on,
            comment=comment,
            independent=independent,
            recorded_at=recorded_at,
        )
    )


def _correction_of(
    entry: Evidence,
    /,
    *,
    level: Decimal | int | str | None,
    reason: str,
    recorded_by: User,
    assessed_on: datetime.date | None = None,
    comment: str | None = None,
    independent: bool | None = None,
    recorded_at: datetime.datetime | None = None,
) -> Evidence:
    """The correction, unsaved; `level=None` keeps the entry's level (already on the scale)."""
    if level is None:
        level = entry.level
    else:
        level = _as_level(level)
        validate_level(get_scale_for(entry.target), level)
    assessed_on = assessed_on or entry.assessed_on
    _check_date(assessed_on)
    return Evidence(
        student=entry.student,
        subskill=entry.subskill,
        competency=entry.competency,
        level=level,
        assessed_on=assessed_on,
        recorded_at=recorded_at or timezone.now(),
        recorded_by=recorded_by,
        source=entry.source,
        learning_experience=entry.learning_experience,
        section=entry.section,
        weight=entry.weight,
        independent=entry.independent if independent is None else independent,
        comment=entry.comment if comment is None else comment,
        kind=EntryKind.CORRECTION,
        supersedes=entry,
        reason=reason.strip(),
    )


@transaction.atomic
def void_evidence(
    entry: Evidence,
    /,
    *,
    reason: str,
    recorded_by: User,
    recorded_at: datetime.datetime | None = None,
) -> Evidence:
    """Retract `entry`: it stays in the ledger, marked void, and stops counting. A self- or
    peer assessment is voided only by whoever gave it."""
    _check_replaceable(entry, reason, recorded_by)
    void = Evidence(
        student=entry.student,
        subskill=entry.subskill,
        competency=entry.competency,
        level=None,
        assessed_on=entry.assessed_on,
        recorded_at=recorded_at or timezone.now(),
        recorded_by=recorded_by,
        source=entry.source,
        learning_experience=entry.learning_experience,
        section=entry.section,
        weight=entry.weight,
        independent=entry.independent,
        kind=EntryKind.VOID,
        supersedes=entry,
        reason=reason.strip(),
    )
    return _append(void)


def list_evidence(
    student: Student, /, *, target: Subskill | Competency | None = None
) -> QuerySet[Evidence]:
    """Every ledger entry for a student (or one target), oldest first, corrections included."""
    entries = Evidence.objects.filter(student=student)
    if isinstance(target, Subskill):
        entries = entries.filter(subskill=target)
    elif isinstance(target, Competency):
        entries = entries.filter(Q(competency=target))
    return entries.select_related("learning_experience", "recorded_by", "supersedes")


@contextmanager
def lift_ledger_guard() -> Iterator[None]:
    """Lift the database's append-only guard for the length of the block, and put it back
    after it even on error: only for emptying a whole demo or test database (`mastery demo
    --reset`), never for changing a record."""
    with ledger_guard.lifted():
        yield


def list_section_evidence(section: Section, /) -> QuerySet[Evidence]:
    """Every ledger entry recorded in a section."""
    return Evidence.objects.filter(section=section)


def count_students_scored(section: Section, /) -> dict[int, int]:
    """For each learning experience (by id), how many of the section's current students have a
    standing teacher's score on it in this section: one not superseded and not voided. One
    query, however many experiences and students."""
    scored = (
        Evidence.objects.filter(
            section=section,
            source=Source.TEACHER,
            learning_experience__isnull=False,
            subskill__isnull=False,  # the grid's cells are subskills (`web.scoring`)
            superseded_by__isnull=True,
            student__enrollments__section=section,
            student__enrollments__withdrawn_on__isnull=True,
        )
        .exclude(kind=EntryKind.VOID)
        .values("learning_experience_id")
        .annotate(students=Count("student_id", distinct=True))
        .order_by()
    )
    return {row["learning_experience_id"]: row["students"] for row in scored}
