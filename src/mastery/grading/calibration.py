"""Calibration from the ledger: each student's self-assessments beside their teachers' scores
of the same work (the engine's `calibration` does the pairing and the arithmetic)."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from mastery.curriculum.models import LearningExperience
from mastery.engine.calibration import Calibration, Pair, calibrate, pair_judgements
from mastery.engine.evidence import count_entries
from mastery.evidence.models import Evidence, Source
from mastery.grading.recompute import at_bat_from_row, context_label
from mastery.rosters.models import Section
from mastery.schools.models import Student

_FIELDS = (
    "id",
    "student_id",
    "subskill_id",
    "subskill__key",
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


def _pairs_by_student(
    entries: Iterable[dict[str, object]], contexts: dict[int, str]
) -> dict[int, list[Pair]]:
    ledgers: dict[tuple[int, int], list[dict[str, object]]] = defaultdict(list)
    for row in entries:
        ledgers[(int(row["student_id"]), int(row["subskill_id"]))].append(row)  # type: ignore[call-overload]
    pairs: dict[int, list[Pair]] = defaultdict(list)
    for (student_id, _subskill), rows in ledgers.items():
        at_bats = [at_bat_from_row(row, contexts) for row in rows]
        pairs[student_id] += pair_judgements(str(rows[0]["subskill__key"]), count_entries(at_bats))
    return pairs


def _ledger(students: Q) -> tuple[list[dict[str, object]], dict[int, str]]:
    # Only subskills the students assessed themselves can pair; the rest of the ledger is not read.
    self_assessed = Evidence.objects.filter(students, source=Source.SELF).values("subskill_id")
    rows = list(
        Evidence.objects.filter(
            students,
            subskill_id__in=self_assessed,
            source__in=[Source.SELF, Source.TEACHER, Source.EXTERNAL],
        )
        .order_by("id")
        .values(*_FIELDS)
    )
    experiences = {row["learning_experience_id"] for row in rows if row["learning_experience_id"]}
    contexts = {
        experience.pk: context_label(experience)
        for experience in LearningExperience.objects.filter(pk__in=experiences).select_related(
            "course"
        )
    }
    return rows, contexts


def calibrate_student(student: Student, /) -> Calibration:
    """How the student's self-assessments compare with their teachers' scores, over time."""
    rows, contexts = _ledger(Q(student=student))
    return calibrate(_pairs_by_student(rows, contexts).get(student.pk, []))


def calibrate_section(section: Section, /) -> list[tuple[Student, Calibration]]:
    """Each student of the section, calibrated on the work scored in this section."""
    students = list(
        Student.objects.filter(
            enrollments__section=section, enrollments__withdrawn_on__isnull=True
        ).select_related("user")
    )
    rows, contexts = _ledger(Q(student__in=students, section=section))
    pairs = _pairs_by_student(rows, contexts)
    return [(student, calibrate(pairs.get(student.pk, []))) for student in students]
