"""On a real-looking school, the whole-school recomputation (the engine's batch path) stores
exactly the ratings that recording the term's at-bats one batch at a time stored (the reference
engine)."""

import datetime

import pytest

from mastery.demo.school import load_demo_school
from mastery.grading import api as grading
from mastery.grading.models import Rating

pytestmark = pytest.mark.django_db

FIELDS = (
    "student_id", "kind", "subskill_id", "competency_id", "section_id", "status", "value",
    "level_label", "mastered", "counted", "grade", "policy_version_id",
)  # fmt: skip


def test_the_batch_recompute_of_a_school_equals_the_ratings_kept_as_evidence_arrived() -> None:
    summary = load_demo_school(seed=11, students=40)
    as_recorded = sorted(Rating.objects.values_list(*FIELDS))
    assert len(as_recorded) > 300

    grading.recompute_school(summary.school, on=datetime.date(2026, 11, 30))

    assert sorted(Rating.objects.values_list(*FIELDS)) == as_recorded
