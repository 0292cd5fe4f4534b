"""Storing an at-bat recomputes the student's ratings, in the same transaction, under the
policy version in force — and a whole-school recomputation gives the same ratings."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from mastery.evidence import api as evidence
from mastery.grading import api as grading
from mastery.grading.models import PublishedVersionError, Rating, RecomputeRun, RunStatus
from tests.world import World, publish_riverside_policy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def policy(world: World):
    return publish_riverside_policy(world)


def _score(world: World, level: int, day: int, experience=None, subskill=None):
    return evidence.record_evidence(
        world.maya,
        subskill or world.claims,
        level=level,
        assessed_on=datetime.date(2026, 10, day),
        recorded_by=world.dana,
        learning_experience=experience or world.lab_report,
        section=world.algebra_section,
    )


def _rating(world: World, **target) -> Rating:
    return Rating.objects.get(student=world.maya, **target)


def test_one_at_bat_is_not_enough_under_the_default_policy(world: World, policy) -> None:
    _score(world, 3, 1)

    rating = _rating(world, subskill=world.claims)
    assert rating.status == "insufficient_evidence"
    assert rating.value is None
    assert rating.counted == 1
    assert rating.policy_version == policy


def test_three_meeting_at_bats_in_two_contexts_are_mastery(world: World, policy) -> None:
    _score(world, 3, 1)
    _score(world, 3, 5)
    _score(world, 4, 9, experience=world.essay)

    rating = _rating(world, subskill=world.claims)
    assert rating.status == "rated"
    assert rating.value == Decimal("3")
    assert rating.level_label == "Meeting"
    assert rating.mastered is True


def test_the_competency_rolls_up_from_its_subskills(world: World, policy) -> None:
    for day in (1, 2, 3):
        _score(world, 3, day)
    _score(world, 3, 4, experience=world.essay)
    for day in (5, 6, 7):
        _score(world, 2, day, subskill=world.evidence_use)

    competency = _rating(world, competency=world.writing)
    assert competency.value == Decimal("2.5")
    assert competency.level_label == "Developing"
    assert competency.mastered is False
    assert competency.counted == 2


def test_the_course_grade_follows_and_is_in_progress_while_evidence_is_missing_in_term(
    world: World, policy
) -> None:
    _score(world, 3, 1)

    grade = _rating(world, section=world.algebra_section)
    assert grade.kind == "course"
    assert grade.grade == "In progress"
    assert grade.status == "insufficient_evidence"
    assert grade.value is None
    assert grade.mastered is False

    for day in (2, 3):
        _score(world, 4, day, experience=world.essay)
    grade = _rating(world, section=world.algebra_section)
    assert grade.grade in {"A", "B"}
    assert grade.value is not None


def test_a_correction_recomputes_and_the_superseded_score_stops_counting(
    world: World, policy
) -> None:
    first = _score(world, 1, 1)
    _score(world, 3, 2)
    _score(world, 3, 3, experience=world.essay)
    assert _rating(world, subskill=world.claims).value == Decimal("1")

    evidence.correct_evidence(
        first, level=3, reason="Scored the wrong student", recorded_by=world.dana
    )

    rating = _rating(world, subskill=world.claims)
    assert rating.value == Decimal("3")
    assert rating.mastered is True


def test_a_refused_at_bat_leaves_the_ratings_as_they_were(world: World, policy) -> None:
    _score(world, 3, 1)
    before = list(Rating.objects.values_list("kind", "value", "status"))

    with pytest.raises(ValidationError), transaction.atomic():
        _score(world, 9, 2)

    assert list(Rating.objects.values_list("kind", "value", "status")) == before


def test_without_a_published_policy_evidence_is_kept_and_nothing_is_rated(world: World) -> None:
    _score(world, 3, 1)

    assert evidence.list_evidence(world.maya).count() == 1
    assert not Rating.objects.exists()


def test_recomputing_the_school_gives_the_same_ratings_as_recording_one_by_one(
    world: World, policy
) -> None:
    for day, level in [(1, 2), (2, 3), (3, 3)]:
        _score(world, level, day)
    _score(world, 4, 4, experience=world.essay)
    _score(world, 2, 5, subskill=world.evidence_use)

    def snapshot() -> list[tuple]:
        return sorted(
            Rating.objects.filter(student=world.maya).values_list(
                "student_id",
                "kind",
                "subskill_id",
                "competency_id",
                "section_id",
                "status",
                "value",
                "level_label",
                "mastered",
                "counted",
                "grade",
                "policy_version_id",
            )
        )

    one_by_one = snapshot()
    Rating.objects.all().delete()

    grading.recompute_school(world.riverside, on=datetime.date(2026, 11, 2))

    assert snapshot() == one_by_one
    # Classmates with no evidence yet get what they have: in progress mid-term, never a zero.
    sam_grade = Rating.objects.get(student=world.sam, section=world.algebra_section)
    assert sam_grade.grade == "In progress"


def test_from_the_terms_last_day_missing_evidence_makes_the_course_grade_incomplete(
    world: World, policy
) -> None:
    _score(world, 3, 1)  # the fall term ends on 22 Jan 2027

    grading.recompute_school(world.riverside, on=datetime.date(2027, 1, 21))
    assert _rating(world, section=world.algebra_section).grade == "In progress"

    grading.recompute_school(world.riverside, on=datetime.date(2027, 1, 22))
    assert _rating(world, section=world.algebra_section).grade == "Incomplete"


def test_a_score_saved_after_the_term_ends_leaves_an_incomplete_where_evidence_is_missing(
    world: World, policy
) -> None:
    with time_machine.travel(
        datetime.datetime(2027, 1, 25, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        _score(world, 3, 1)

    assert _rating(world, section=world.algebra_section).grade == "Incomplete"


def test_a_background_run_reports_progress_and_finishes(
    world: World, policy, django_capture_on_commit_callbacks
) -> None:
    _score(world, 3, 1)

    with django_capture_on_commit_callbacks(execute=True):
        run = grading.enqueue_recompute(world.riverside, requested_by=world.lena)
    run.refresh_from_db()

    assert run.status == RunStatus.DONE
    assert run.total_students == 3
    assert run.done_students == 3
    assert run.percent == 100
    assert run.ratings_written == Rating.objects.count()
    assert RecomputeRun.objects.count() == 1


def test_a_published_version_never_changes(world: World, policy) -> None:
    policy.notes = "sneaky edit"

    with pytest.raises(PublishedVersionError, match="draft a new version"):
        policy.save()


def test_a_new_draft_is_validated_and_names_the_bad_field(world: World, policy) -> None:
    document = dict(policy.document)
    document["method"] = {"name": "consistent", "at_bats": 3, "window": 2, "contexts": 2}

    with pytest.raises(ValidationError, match=r"method\.window"):
        grading.draft_version(policy.policy, document=document, created_by=world.lena)


def test_ratings_name_the_version_that_produced_them(world: World, policy) -> None:
    _score(world, 3, 1)
    document = dict(policy.document)
    document["method"] = {"name": "latest"}
    newer = grading.draft_version(policy.policy, document=document, created_by=world.lena)
    grading.publish_version(newer, effective_on=datetime.date(2026, 11, 1), published_by=world.lena)

    _score(world, 2, 2)

    rating = _rating(world, subskill=world.claims)
    assert rating.policy_version == newer
    assert rating.value == Decimal("2")


def test_a_department_policy_sets_its_courses_grades_and_the_school_policy_the_rest(
    world: World, policy
) -> None:
    document = dict(policy.document)
    document["course_grade"] = {
        "rule": "cut_table",
        "cuts": [{"grade": "Mastered", "min": 3}, {"grade": "Not yet", "min": 1}],
        "passing": ["Mastered"],
    }
    department = grading.create_policy(
        world.riverside,
        "math",
        name="Mathematics department",
        scale=world.scale,
        created_by=world.lena,
        document=document,
        credit_area=world.algebra.credit_area,
    )
    grading.publish_version(
        department, effective_on=datetime.date(2026, 8, 1), published_by=world.lena
    )

    for day in (1, 2):
        _score(world, 3, day)
    _score(world, 3, 3, experience=world.essay)

    grade = _rating(world, section=world.algebra_section)
    assert grade.grade == "Mastered"
    assert grade.policy_version == department
    assert _rating(world, subskill=world.claims).policy_version == policy
