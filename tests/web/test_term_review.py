"""Term review: the computed grade, finalized as is or overridden with a written reason; locked
until a registrar reopens it."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mastery.evidence import api as evidence
from mastery.grading.models import TermGrade
from tests.web.test_query_counts import _grow_section
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(graded_world: World) -> World:
    world = graded_world
    for day, experience in [(1, world.lab_report), (2, world.lab_report), (3, world.essay)]:
        for subskill in (world.claims,):
            evidence.record_evidence(
                world.maya,
                subskill,
                level=4,
                assessed_on=datetime.date(2026, 10, day),
                recorded_by=world.dana,
                learning_experience=experience,
                section=world.algebra_section,
            )
    return world


def _finalize(client: Client, world: World, **data: str):
    return client.post(
        reverse("finalize-grade", args=[world.algebra_section.uuid, world.maya.uuid]), data
    )


def test_the_review_shows_each_computed_grade_with_the_ratings_behind_it(
    client: Client, scored: World
) -> None:
    client.force_login(scored.dana)

    page = client.get(reverse("term-review", args=[scored.algebra_section.uuid])).content.decode()

    assert "Okafor, Maya" in page
    assert "Exceeding" in page
    assert "Finalize A" in page
    assert "Incomplete" in page  # a grade the teacher may choose (the override's list)


@pytest.fixture
def in_progress(graded_world: World) -> World:
    """Mid-term (2 Nov), one at-bat for Maya: her competency has too little evidence yet."""
    world = graded_world
    evidence.record_evidence(
        world.maya, world.claims, level=3, assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana, learning_experience=world.lab_report,
        section=world.algebra_section,
    )  # fmt: skip
    return world


def test_a_grade_in_progress_is_not_offered_for_finalizing_and_says_when_it_settles(
    client: Client, in_progress: World
) -> None:
    client.force_login(in_progress.dana)

    page = client.get(
        reverse("term-review", args=[in_progress.algebra_section.uuid])
    ).content.decode()

    assert "<strong>In progress</strong>" in page
    assert "It becomes a grade, or Incomplete, when the term ends on January 22, 2027" in page
    assert "Finalize In progress" not in page
    assert "Finalize with override" in page


def test_a_grade_left_in_progress_after_the_term_ended_is_reviewed_as_incomplete(
    client: Client, in_progress: World
) -> None:
    """Nobody saved evidence and no run recomputed it since the term ended (decision 0008)."""
    url = reverse("term-review", args=[in_progress.algebra_section.uuid])

    with time_machine.travel(datetime.datetime(2027, 2, 1, 15, 0, tzinfo=datetime.UTC)):
        client.force_login(in_progress.dana)
        page = client.get(url).content.decode()

    assert "<strong>In progress</strong>" not in page
    assert "Finalize Incomplete" in page


def test_finalizing_a_grade_in_progress_needs_an_override_with_a_reason(
    client: Client, in_progress: World
) -> None:
    client.force_login(in_progress.dana)

    refused = _finalize(client, in_progress, action="finalize")
    assert refused.status_code == 400
    assert "This grade is still in progress" in refused.content.decode()
    assert not TermGrade.objects.exists()

    _finalize(client, in_progress, action="override", final_grade="C", reason="Moving away")

    grade = TermGrade.objects.get()
    assert (grade.computed_grade, grade.final_grade) == ("In progress", "C")


def test_finalizing_keeps_the_computed_grade_and_locks_it(client: Client, scored: World) -> None:
    client.force_login(scored.dana)

    _finalize(client, scored, action="finalize")

    grade = TermGrade.objects.get()
    assert (grade.computed_grade, grade.final_grade, grade.is_locked) == ("A", "A", True)
    assert grade.finalized_by == scored.dana


def test_an_override_needs_a_reason_and_keeps_both_grades(client: Client, scored: World) -> None:
    client.force_login(scored.dana)

    refused = _finalize(client, scored, action="override", final_grade="B", reason="")
    assert refused.status_code == 400
    assert "needs a written reason" in refused.content.decode()
    assert not TermGrade.objects.exists()

    _finalize(
        client, scored, action="override", final_grade="B", reason="Missed the final exhibition"
    )

    grade = TermGrade.objects.get()
    assert (grade.computed_grade, grade.final_grade) == ("A", "B")
    assert grade.override_reason == "Missed the final exhibition"
    page = client.get(reverse("term-review", args=[scored.algebra_section.uuid])).content.decode()
    assert "Override of A: Missed the final exhibition" in page


def test_a_grade_that_is_not_in_the_policy_is_refused(client: Client, scored: World) -> None:
    client.force_login(scored.dana)

    response = _finalize(client, scored, action="override", final_grade="A+", reason="Brilliant")

    assert response.status_code == 400
    assert "not a grade of this policy" in response.content.decode()


def test_a_locked_grade_cannot_be_finalized_again_until_a_registrar_reopens_it(
    client: Client, scored: World
) -> None:
    client.force_login(scored.dana)
    _finalize(client, scored, action="finalize")

    again = _finalize(client, scored, action="override", final_grade="C", reason="Second thoughts")
    assert again.status_code == 400
    assert "locked" in again.content.decode()

    client.force_login(scored.rita)
    client.post(
        reverse("reopen-grade", args=[scored.algebra_section.uuid, scored.maya.uuid]),
        {"reason": "Teacher asked to fix a typo"},
    )
    client.force_login(scored.dana)
    _finalize(client, scored, action="override", final_grade="C", reason="Second thoughts")

    grade = TermGrade.objects.get()
    assert grade.final_grade == "C"
    assert grade.history.count() == 3


def test_a_teacher_cannot_reopen_their_own_locked_grade(client: Client, scored: World) -> None:
    client.force_login(scored.dana)
    _finalize(client, scored, action="finalize")

    response = client.post(
        reverse("reopen-grade", args=[scored.algebra_section.uuid, scored.maya.uuid]),
        {"reason": "x"},
    )

    assert response.status_code == 403
    assert TermGrade.objects.get().is_locked


def _reopen(client: Client, world: World, reason: str) -> None:
    client.force_login(world.rita)
    client.post(
        reverse("reopen-grade", args=[world.algebra_section.uuid, world.maya.uuid]),
        {"reason": reason},
    )
    client.force_login(world.dana)


def test_reopening_and_finalizing_again_keeps_every_override_reason_on_the_page(
    client: Client, scored: World
) -> None:
    client.force_login(scored.dana)
    _finalize(client, scored, action="override", final_grade="B", reason="Missed the exhibition")
    _reopen(client, scored, "Exhibition made up in December")
    _finalize(client, scored, action="finalize")

    page = client.get(reverse("term-review", args=[scored.algebra_section.uuid])).content.decode()

    assert "History (3)" in page
    assert "B finalized by Dana Whitfield (override of A: Missed the exhibition)" in page
    assert "Reopened by Rita Chen: Exhibition made up in December" in page
    assert "A finalized by Dana Whitfield</li>" in page


def test_the_review_makes_the_same_queries_for_5_and_35_students(
    client: Client, scored: World
) -> None:
    client.force_login(scored.dana)
    _finalize(client, scored, action="override", final_grade="B", reason="Missed the exhibition")
    _reopen(client, scored, "Exhibition made up in December")
    _finalize(client, scored, action="finalize")
    _grow_section(scored, 3)
    url = reverse("term-review", args=[scored.algebra_section.uuid])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = count()
    _grow_section(scored, 30, start=3)

    assert count() == small
