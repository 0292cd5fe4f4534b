"""Recording many at-bats at once: an import, a whole class's scores, the demo school's term.

Every row is checked in memory against the same rules `record_evidence` applies (the level is
on the target's scale, the date is not in the future, the student is enrolled in the section,
the experience belongs to the section's course and is aligned to the subskill), using a fixed
number of queries whatever the number of rows. Then all rows are inserted together, or, if any
row is wrong, none is and every bad row is reported by its number.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mastery.accounts.models import User
from mastery.curriculum.models import Alignment, LearningExperience
from mastery.evidence.models import Evidence, Source
from mastery.evidence.signals import evidence_appended
from mastery.frameworks.models import Competency, PerformanceLevel, Subskill
from mastery.rosters.models import Enrollment, Section
from mastery.schools.models import Student

# The same tolerance as record_evidence: work dated further ahead than this is a typing mistake.
_LATEST_ALLOWED_AHEAD = datetime.timedelta(days=1)
_MOST_ERRORS_LISTED = 20
_LARGEST_LEVEL = Decimal("999.99")


@dataclass(frozen=True)
class EvidenceRow:
    """One at-bat to record; `recorded_by` and `recorded_at` default to the batch's."""

    student: Student
    target: Subskill | Competency
    level: Decimal | int | str
    assessed_on: datetime.date
    recorded_at: datetime.datetime | None = None
    recorded_by: User | None = None
    source: Source = Source.TEACHER
    learning_experience: LearningExperience | None = None
    section: Section | None = None
    weight: Decimal | int = 1
    independent: bool = True
    comment: str = ""


@dataclass(frozen=True)
class _Scale:
    name: str
    lowest: PerformanceLevel
    highest: PerformanceLevel


class _Context:
    """Everything the rows refer to, read with one query per kind of thing."""

    def __init__(self, rows: Sequence[EvidenceRow]) -> None:
        subskill_ids = {row.target.pk for row in rows if isinstance(row.target, Subskill)}
        competency_ids = {row.target.pk for row in rows if isinstance(row.target, Competency)}
        section_ids = {row.section.pk for row in rows if row.section is not None}
        experience_ids = {
            row.learning_experience.pk for row in rows if row.learning_experience is not None
        }
        self.subskill_scales: dict[int, int] = dict(
            Subskill.objects.filter(pk__in=subskill_ids).values_list(
                "pk", "competency__framework__scale_id"
            )
        )
        self.competency_scales: dict[int, int] = dict(
            Competency.objects.filter(pk__in=competency_ids).values_list(
                "pk", "framework__scale_id"
            )
        )
        scale_ids = set(self.subskill_scales.values()) | set(self.competency_scales.values())
        levels: dict[int, list[PerformanceLevel]] = {}
        for level in PerformanceLevel.objects.filter(scale_id__in=scale_ids).select_related(
            "scale"
        ).order_by("scale_id", "value"):  # fmt: skip
            levels.setdefault(level.scale_id, []).append(level)
        self.scales = {
            scale_id: _Scale(name=found[0].scale.name, lowest=found[0], highest=found[-1])
            for scale_id, found in levels.items()
        }
        self.section_courses: dict[int, int] = dict(
            Section.objects.filter(pk__in=section_ids).values_list("pk", "course_id")
        )
        self.experience_courses: dict[int, int] = dict(
            LearningExperience.objects.filter(pk__in=experience_ids).values_list("pk", "course_id")
        )
        self.enrolled: set[tuple[int, int]] = set(
            Enrollment.objects.filter(section_id__in=section_ids).values_list(
                "section_id", "student_id"
            )
        )
        self.aligned: set[tuple[int, int]] = set(
            Alignment.objects.filter(experience_id__in=experience_ids).values_list(
                "experience_id", "subskill_id"
            )
        )

    def scale_of(self, target: Subskill | Competency) -> _Scale | None:
        if isinstance(target, Subskill):
            scale_id = self.subskill_scales.get(target.pk)
        else:
            scale_id = self.competency_scales.get(target.pk)
        return None if scale_id is None else self.scales.get(scale_id)


def _level_problem(row: EvidenceRow, context: _Context) -> tuple[Decimal | None, str | None]:
    try:
        level = Decimal(str(row.level))
    except InvalidOperation:
        return None, f"{row.level!r} is not a number."
    if not level.is_finite() or abs(level) > _LARGEST_LEVEL or level != level.quantize(
        Decimal("0.01")
    ):  # fmt: skip
        return None, f"{row.level} is not a level: use at most two decimal places."
    scale = context.scale_of(row.target)
    if scale is None:
        return None, f"{row.target} is not in the database."
    if not scale.lowest.value <= level <= scale.highest.value:
        return None, (
            f"{level.normalize()} is not on the {scale.name} scale: levels run from "
            f"{scale.lowest.value.normalize()} ({scale.lowest.label}) to "
            f"{scale.highest.value.normalize()} ({scale.highest.label})."
        )
    return level, None


def _context_problems(row: EvidenceRow, context: _Context) -> list[str]:
    problems = []
    section, experience = row.section, row.learning_experience
    if section is not None and (section.pk, row.student.pk) not in context.enrolled:
        problems.append(f"{row.student} is not enrolled in {section.key}.")
    if (
        section is not None
        and experience is not None
        and context.experience_courses.get(experience.pk) != context.section_courses.get(section.pk)
    ):
        problems.append(f"{experience} is not part of the course of {section.key}.")
    if (
        experience is not None
        and isinstance(row.target, Subskill)
        and (experience.pk, row.target.pk) not in context.aligned
    ):
        problems.append(f"{row.target.key} is not one of the subskills {experience} is aligned to.")
    return problems


def _row_problems(
    row: EvidenceRow, context: _Context, *, latest_allowed: datetime.date
) -> tuple[Decimal | None, list[str]]:
    unsaved = [
        name
        for name, instance in (
            ("student", row.student),
            ("target", row.target),
            ("recorded_by", row.recorded_by),
            ("learning_experience", row.learning_experience),
            ("section", row.section),
        )
        if instance is not None and instance.pk is None
    ]
    if unsaved:
        return None, [f"{', '.join(unsaved)} must be saved before evidence refers to it."]
    level, level_problem = _level_problem(row, context)
    problems = [level_problem] if level_problem else []
    if row.assessed_on > latest_allowed:
        problems.append(
            f"{row.assessed_on.isoformat()} is in the future: use the date the work was done."
        )
    if row.recorded_at is not None and timezone.is_naive(row.recorded_at):
        problems.append("recorded_at needs a time zone.")
    if row.source not in Source.values:
        problems.append(f"{row.source!r} is not a source of evidence.")
    if Decimal(row.weight) < 0:
        problems.append("Weight cannot be negative (0 means practice).")
    problems.extend(_context_problems(row, context))
    return level, problems


@transaction.atomic
def record_evidence_batch(
    rows: Sequence[EvidenceRow],
    /,
    *,
    recorded_by: User,
    recorded_at: datetime.datetime | None = None,
) -> list[Evidence]:
    """Append every row to the ledger, or none: a ValidationError lists each bad row by number.

    Rows are numbered from 1 in the message ("Row 3: 5 is not on the ... scale"), and only the
    first twenty problems are listed.
    """
    if not rows:
        return []
    context = _Context(rows)
    latest_allowed = timezone.localdate() + _LATEST_ALLOWED_AHEAD
    batch_recorded_at = recorded_at or timezone.now()
    entries: list[Evidence] = []
    errors: list[str] = []
    for number, row in enumerate(rows, start=1):
        level, problems = _row_problems(row, context, latest_allowed=latest_allowed)
        errors.extend(f"Row {number}: {problem}" for problem in problems)
        if problems or level is None:
            continue
        entries.append(
            Evidence(
                student=row.student,
                subskill=row.target if isinstance(row.target, Subskill) else None,
                competency=row.target if isinstance(row.target, Competency) else None,
                level=level,
                assessed_on=row.assessed_on,
                recorded_at=row.recorded_at or batch_recorded_at,
                recorded_by=row.recorded_by or recorded_by,
                source=row.source,
                learning_experience=row.learning_experience,
                section=row.section,
                weight=Decimal(row.weight),
                independent=row.independent,
                comment=row.comment,
            )
        )
    if errors:
        listed = errors[:_MOST_ERRORS_LISTED]
        if len(errors) > len(listed):
            listed.append(f"... and {len(errors) - len(listed)} more.")
        raise ValidationError(listed)
    created = Evidence.objects.bulk_create(entries, batch_size=500)
    evidence_appended.send(sender=Evidence, entries=created)
    return created
