"""The section gradebook: students x competencies, each cell the current rating."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mastery.evidence import api as evidence
from tests.web.test_query_counts import _grow_section
from tests.world import World

pytestmark = pytest.mark.django_db


def _score(world: World, student, level: int, day: int, experience=None, subskill=None):
    return evidence.record_evidence(
        student,
        subskill or world.claims,
        level=level,
        assessed_on=datetime.date(2026, 10, day),
        recorded_by=world.dana,
        learning_experience=experience or world.lab_report,
        section=world.algebra_section,
    )


def _url(world: World, **params: str) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return reverse("gradebook", args=[world.algebra_section.uuid]) + (f"?{query}" if query else "")


def test_each_cell_shows_level_value_mastery_and_count(client: Client, graded_world: World) -> None:
    world = graded_world
    for day in (1, 2):
        _score(world, world.maya, 3, day)
    _score(world, world.maya, 4, 3, experience=world.essay)
    client.force_login(world.dana)

    page = client.get(_url(world, expand="AW")).content.decode()

    assert "Meeting" in page
    assert "AW.1" in page
    assert "✓" in page
    assert "Not yet" in page  # Sam has no evidence: a distinct look, never a zero


def test_filter_shows_only_students_not_yet_mastered(client: Client, graded_world: World) -> None:
    world = graded_world
    for day in (1, 2):
        _score(world, world.maya, 4, day)
    _score(world, world.maya, 4, 3, experience=world.essay)
    client.force_login(world.dana)

    page = client.get(_url(world, show="not-mastered")).content.decode()

    assert "Okafor, Sam" in page


def test_sorting_by_a_competency_puts_unrated_students_last(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _score(world, world.maya, 2, 1)
    client.force_login(world.dana)

    response = client.get(_url(world, sort="AW", order="desc"))

    names = [row.enrollment.student.user.first_name for row in response.context["book"].rows]
    assert names == ["Maya", "Sam"]


def test_an_htmx_request_gets_only_the_table(client: Client, graded_world: World) -> None:
    client.force_login(graded_world.dana)

    response = client.get(_url(graded_world, sort="name"), headers={"HX-Request": "true"})

    page = response.content.decode()
    assert 'id="gradebook"' in page
    assert "<html" not in page


def test_the_gradebook_makes_the_same_queries_for_5_and_35_students(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _score(world, world.maya, 3, 1)
    _grow_section(world, 3)
    client.force_login(world.dana)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(_url(world, expand="AW"))
        return len(captured)

    small = count()
    _grow_section(world, 30, start=3)
    assert count() == small


def test_the_gradebook_downloads_as_csv_and_xlsx(client: Client, graded_world: World) -> None:
    world = graded_world
    _score(world, world.maya, 3, 1)
    client.force_login(world.dana)

    csv = client.get(reverse("gradebook-export", args=[world.algebra_section.uuid, "csv"]))
    xlsx = client.get(reverse("gradebook-export", args=[world.algebra_section.uuid, "xlsx"]))

    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("Student number,Last name,First name,AW level")
    assert any(line.startswith("R-1001,Okafor,Maya,Insufficient evidence") for line in lines)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"


def test_a_reloaded_gradebook_shows_a_score_saved_in_between(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)
    counted = "Maya Okafor, States a precise claim: not enough evidence yet, 1 counted"
    assert counted not in client.get(_url(world, expand="AW")).content.decode()

    _score(world, world.maya, 1, 1)

    assert counted in client.get(_url(world, expand="AW")).content.decode()


def test_a_student_enrolled_in_between_appears_on_reload(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)
    client.get(_url(world))

    _grow_section(world, 1)

    assert "Student 0" in client.get(_url(world)).content.decode()


def test_a_second_withdrawal_on_the_same_day_disappears_on_reload(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _grow_section(world, 1)
    client.force_login(world.dana)
    section = world.algebra_section
    section.enrollments.filter(student=world.sam).update(withdrawn_on=datetime.date(2026, 10, 30))
    page = client.get(_url(world)).content.decode()
    assert "Okafor, Sam" not in page
    assert "Okafor, Maya" in page

    section.enrollments.filter(student=world.maya).update(withdrawn_on=datetime.date(2026, 10, 30))

    assert "Okafor, Maya" not in client.get(_url(world)).content.decode()
