"""The simulator: a draft policy run on the school's own evidence, compared with the published
one — and its counts are exactly what publishing the draft and recomputing would change."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mastery.curriculum.models import CreditArea
from mastery.evidence import api as evidence
from mastery.grading import api as grading
from mastery.grading.models import Rating, RatingKind, RunStatus
from mastery.graduation import api as graduation
from tests.world import World, publish_riverside_policy

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def published(world: World):
    return publish_riverside_policy(world)


@pytest.fixture
def scored(world: World, published) -> World:
    plan = {
        world.maya: [(3, world.lab_report), (3, world.essay)],
        world.sam: [(4, world.lab_report), (4, world.essay), (2, world.lab_report)],
    }
    for student, scores in plan.items():
        for day, (level, experience) in enumerate(scores, start=1):
            evidence.record_evidence(
                student,
                world.claims,
                level=level,
                assessed_on=datetime.date(2026, 10, day),
                recorded_by=world.dana,
                learning_experience=experience,
                section=world.algebra_section,
            )
    return world


def _draft(world: World, published, **method) -> object:
    document = dict(published.document)
    document["method"] = {"name": "consistent", "at_bats": 3, "window": 5, "contexts": 2, **method}
    return grading.draft_version(published.policy, document=document, created_by=world.lena)


def _simulate(world: World, draft, capture) -> dict:
    with capture(execute=True):
        run = grading.start_simulation(draft, requested_by=world.lena)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.percent == 100
    return run.result


def _snapshot() -> dict[tuple, tuple]:
    return {
        (row[0], row[1], row[2] or row[3] or row[4]): row[5:]
        for row in Rating.objects.values_list(
            "student_id", "kind", "subskill_id", "competency_id", "section_id",
            "value", "level_label", "mastered", "grade",
        )
    }  # fmt: skip


def test_two_at_bats_instead_of_three_changes_who_is_rated_and_who_masters(
    scored: World, published, django_capture_on_commit_callbacks
) -> None:
    draft = _draft(scored, published, at_bats=2)

    result = _simulate(scored, draft, django_capture_on_commit_callbacks)

    changed = {(change["name"], change["target"]) for change in result["changes"]}
    assert ("Maya Okafor", "AW.1 States a precise claim") in changed
    assert result["counts"]["mastery"] >= 1
    assert "Argumentative writing" in result["by_competency"]


def test_the_simulator_counts_equal_publishing_and_recomputing(
    scored: World, published, django_capture_on_commit_callbacks
) -> None:
    draft = _draft(scored, published, at_bats=2)
    result = _simulate(scored, draft, django_capture_on_commit_callbacks)
    grading.recompute_school(scored.riverside, on=TODAY)
    before = _snapshot()

    grading.publish_version(draft, effective_on=TODAY, published_by=scored.lena)
    grading.recompute_school(scored.riverside, on=TODAY)
    after = _snapshot()

    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    courses = {key for key in changed if key[1] == RatingKind.COURSE}
    mastery = {
        key for key in changed - courses
        if (before.get(key) or (None, None, False))[2] != (after.get(key) or (None, None, False))[2]
    }  # fmt: skip
    assert result["counts"]["ratings"] == len(changed - courses)
    assert result["counts"]["course_grades"] == len(courses)
    assert result["counts"]["mastery"] == len(mastery)


def test_the_same_policy_changes_nothing(
    scored: World, published, django_capture_on_commit_callbacks
) -> None:
    draft = _draft(scored, published)

    result = _simulate(scored, draft, django_capture_on_commit_callbacks)

    assert result["changes"] == []
    assert result["compared"] > 0


def test_a_published_version_is_not_simulated(scored: World, published) -> None:
    with pytest.raises(ValidationError, match="simulate a draft"):
        grading.start_simulation(published, requested_by=scored.lena)


def _credit_amounts(world: World) -> dict[tuple, Decimal]:
    students = [world.maya, world.sam, world.leo]
    credits = graduation.list_credits(students, on=TODAY)
    return {
        (student_id, *line.identity): line.amount
        for student_id, student_credits in credits.items()
        for line in student_credits.lines
    }


def _changed(before: dict[tuple, Decimal], after: dict[tuple, Decimal]) -> set[tuple]:
    return {
        key
        for key in before.keys() | after.keys()
        if before.get(key, Decimal(0)) != after.get(key, Decimal(0))
    }


def test_the_credits_count_equals_recomputing_credits_under_the_published_draft(
    scored: World, published, django_capture_on_commit_callbacks
) -> None:
    """Published: credit by grade, three at-bats. Sam's Algebra would earn its credit now (his
    4, 4, 2 give Developing, a D, which passes); Maya's is in progress (two at-bats). The draft
    asks for two at-bats and awards English 1 for mastering AW instead: both master AW (Maya
    3, 3 and Sam 4, 4 in two contexts), so both earn the rule's credit, and Sam's Algebra no
    longer earns credit by its grade. Maya's prior Science credit is the same either way.
    By hand: 3 credit changes."""
    science = CreditArea.objects.get(school=scored.riverside, key="science")
    graduation.record_prior_credit(
        scored.maya, science, credits=Decimal(1), description="Biology, 2025-26",
        recorded_by=scored.rita,
    )  # fmt: skip
    draft = _draft(scored, published, at_bats=2)
    draft.document["credit"] = {
        "basis": "competencies",
        "rules": [{"name": "Writing credit", "competencies": ["AW"], "areas": {"English": 1}}],
    }
    draft.save()
    result = _simulate(scored, draft, django_capture_on_commit_callbacks)
    before = _credit_amounts(scored)

    grading.publish_version(draft, effective_on=TODAY, published_by=scored.lena)
    grading.recompute_school(scored.riverside, on=TODAY)
    after = _credit_amounts(scored)

    assert result["counts"]["credits"] == len(_changed(before, after)) == 3
    credit_changes = {
        (change["name"], change["target"], change["before"], change["after"])
        for change in result["changes"]
        if change["kind"] == "credit"
    }
    assert credit_changes == {
        ("Sam Okafor", "ALG Algebra: Mathematics", "1", "0"),
        ("Maya Okafor", "Writing credit: English", "0", "1"),
        ("Sam Okafor", "Writing credit: English", "0", "1"),
    }
    assert result["by_course"]["Writing credit"] == {"credits": 2}


def test_a_draft_that_only_changes_a_rule_s_credit_value_counts_the_credit_changes(
    scored: World, django_capture_on_commit_callbacks
) -> None:
    """No rating moves, yet the credit does. In force: two at-bats make mastery, and mastering
    AW earns English 1 — Maya (3, 3) and Sam (4, 4, 2) both have. The draft makes the rule worth
    English 0.5: two credit changes of 1 -> 0.5, and nothing else."""
    version = scored.riverside.policies.get().versions.get()
    rules = {
        "basis": "competencies",
        "rules": [{"name": "Writing credit", "competencies": ["AW"], "areas": {"English": 1}}],
    }
    method = {"name": "consistent", "at_bats": 2, "window": 5, "contexts": 2}
    current = grading.draft_version(
        version.policy,
        document={**version.document, "credit": rules, "method": method},
        created_by=scored.lena,
    )
    grading.publish_version(current, effective_on=TODAY, published_by=scored.lena)
    grading.recompute_school(scored.riverside, on=TODAY)
    half = {**rules, "rules": [{**rules["rules"][0], "areas": {"English": 0.5}}]}
    draft = grading.draft_version(
        version.policy,
        document={**current.document, "credit": half},
        created_by=scored.lena,
    )

    result = _simulate(scored, draft, django_capture_on_commit_callbacks)

    assert result["counts"] == {"ratings": 0, "mastery": 0, "course_grades": 0, "credits": 2}
    assert {
        (change["name"], change["before"], change["after"]) for change in result["changes"]
    } == {("Maya Okafor", "1", "0.5"), ("Sam Okafor", "1", "0.5")}
