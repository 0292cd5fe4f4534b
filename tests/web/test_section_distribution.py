"""The section page shows where the class stands: the mastery distribution chart, an SVG served
from its own URL (the page's strict CSP would block the chart's inline styles)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mastery.accounts import api as accounts
from mastery.evidence import api as evidence
from mastery.rosters import api as rosters
from mastery.schools import api as schools
from tests.world import World, publish_riverside_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(world: World) -> World:
    publish_riverside_policy(world)
    evidence.record_evidence(
        world.maya, world.claims, level=3, assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana, learning_experience=world.lab_report,
        section=world.algebra_section,
    )  # fmt: skip
    return world


def _chart_url(world: World) -> str:
    return reverse("section-distribution-chart", args=[world.algebra_section.uuid])


def _grow_section(world: World, students: int, *, start: int = 0) -> None:
    """More students in ALG-1, each with a rating: an unrated student would hide a query per
    rated one."""
    for number in range(start, start + students):
        user = accounts.create_user(f"extra{number}", first_name="Extra", last_name=f"{number}")
        student = schools.create_student(
            user, world.riverside, student_number=f"X-{number}", grade_level=9, graduation_year=2030
        )
        rosters.enroll_student(
            world.algebra_section, student, enrolled_on=datetime.date(2026, 8, 24)
        )
        evidence.record_evidence(
            student, world.claims, level=1 + number % 4, assessed_on=datetime.date(2026, 10, 1),
            recorded_by=world.dana, learning_experience=world.lab_report,
            section=world.algebra_section,
        )  # fmt: skip


@pytest.mark.parametrize("viewer", ["dana", "cole"])
def test_the_section_page_shows_its_teachers_the_mastery_distribution(
    client: Client, rated: World, viewer: str
) -> None:
    client.force_login(getattr(rated, viewer))

    page = client.get(reverse("section-detail", args=[rated.algebra_section.uuid]))
    chart = client.get(_chart_url(rated))

    assert f'<img class="report-chart" src="{_chart_url(rated)}"' in page.content.decode()
    assert chart.status_code == 200
    assert chart["Content-Type"] == "image/svg+xml"
    assert b"<svg" in chart.content
    # The chart's own document may style itself inline; the page keeps the site's strict CSP.
    assert "'unsafe-inline'" in chart["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]


def test_a_course_that_assesses_no_competency_shows_no_chart(client: Client, rated: World) -> None:
    client.force_login(rated.hugo)

    response = client.get(reverse("section-detail", args=[rated.hilltop_section.uuid]))

    assert response.status_code == 200
    assert b"Where the class stands" not in response.content
    assert b"distribution.svg" not in response.content


@pytest.mark.parametrize("viewer", ["omar", "hugo"])
def test_another_teacher_sees_neither_the_page_nor_the_chart(
    client: Client, rated: World, viewer: str
) -> None:
    client.force_login(getattr(rated, viewer))

    page = client.get(reverse("section-detail", args=[rated.algebra_section.uuid]))

    assert page.status_code == 404
    assert client.get(_chart_url(rated)).status_code == 404


def test_a_student_does_not_get_the_class_chart(client: Client, rated: World) -> None:
    client.force_login(rated.maya.user)

    assert client.get(_chart_url(rated)).status_code == 404


def test_the_chart_costs_the_same_queries_for_5_and_35_students(
    client: Client, rated: World
) -> None:
    client.force_login(rated.dana)
    _grow_section(rated, 3)  # Maya, Sam and three more

    with CaptureQueriesContext(connection) as five:
        assert client.get(_chart_url(rated)).status_code == 200
    _grow_section(rated, 30, start=3)
    with CaptureQueriesContext(connection) as thirty_five:
        assert client.get(_chart_url(rated)).status_code == 200

    assert len(thirty_five) == len(five)
