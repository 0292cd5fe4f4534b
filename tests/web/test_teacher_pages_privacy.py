"""Someone else's section: another teacher, a student, a family member and an anonymous visitor
reach none of the gradebook, scoring, drill-down or review URLs, nor the htmx endpoints behind
them."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from mastery.evidence import api as evidence
from mastery.evidence.models import Evidence
from mastery.grading.models import TermGrade
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(graded_world: World) -> Evidence:
    world = graded_world
    return evidence.record_evidence(
        world.maya,
        world.claims,
        level=3,
        assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana,
        learning_experience=world.lab_report,
        section=world.algebra_section,
    )


def _pages(world: World) -> list[str]:
    section = world.algebra_section.uuid
    return [
        reverse("gradebook", args=[section]),
        reverse("gradebook-export", args=[section, "csv"]),
        reverse("drill-down", args=[section, world.maya.uuid, "subskill", world.claims.uuid]),
        reverse("drill-down", args=[section, world.maya.uuid, "competency", world.writing.uuid]),
        reverse("score-pick", args=[section]),
        reverse("score-grid", args=[section, world.lab_report.uuid]),
        reverse("scores-export", args=[section, world.lab_report.uuid, "xlsx"]),
        reverse("term-review", args=[section]),
    ]


def _writes(world: World, entry: Evidence) -> list[tuple[str, dict[str, object]]]:
    section = world.algebra_section.uuid
    return [
        (
            reverse("score-save", args=[section, world.lab_report.uuid]),
            {"student": world.maya.uuid, "subskill": world.claims.uuid, "level": "1"},
        ),
        (
            reverse("score-row", args=[section, world.lab_report.uuid]),
            {"student": world.maya.uuid, "comment": "hi", "with_support": "on"},
        ),
        (reverse("correct-at-bat", args=[section, entry.uuid]), {"level": "1", "reason": "x"}),
        (reverse("void-at-bat", args=[section, entry.uuid]), {"reason": "x"}),
        (reverse("finalize-grade", args=[section, world.maya.uuid]), {"action": "finalize"}),
        (reverse("reopen-grade", args=[section, world.maya.uuid]), {"reason": "x"}),
    ]


@pytest.mark.parametrize("outsider", ["omar", "hugo", "maya", "rosa", "ben"])
def test_outsiders_get_not_found_on_every_teacher_page(
    client: Client, graded_world: World, entry: Evidence, outsider: str
) -> None:
    world = graded_world
    person = getattr(world, outsider)
    client.force_login(getattr(person, "user", person))

    for url in _pages(world):
        assert client.get(url).status_code in (403, 404), url


@pytest.mark.parametrize("outsider", ["omar", "hugo", "maya", "rosa", "lena"])
def test_outsiders_change_nothing_through_the_endpoints(
    client: Client, graded_world: World, entry: Evidence, outsider: str
) -> None:
    world = graded_world
    person = getattr(world, outsider)
    client.force_login(getattr(person, "user", person))

    for url, data in _writes(world, entry):
        status = client.post(url, data, headers={"HX-Request": "true"}).status_code
        assert status in (403, 404), url
    assert Evidence.objects.count() == 1
    assert not TermGrade.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_everywhere(
    client: Client, graded_world: World, entry: Evidence
) -> None:
    world = graded_world
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url
    for url, data in _writes(world, entry):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url
    assert Evidence.objects.count() == 1


def test_a_co_teacher_reaches_every_page_of_the_shared_section(
    client: Client, graded_world: World, entry: Evidence
) -> None:
    client.force_login(graded_world.cole)

    for url in _pages(graded_world):
        assert client.get(url).status_code == 200, url


def test_a_leader_reads_the_gradebook_but_cannot_score(
    client: Client, graded_world: World, entry: Evidence
) -> None:
    world = graded_world
    client.force_login(world.lena)

    assert client.get(reverse("gradebook", args=[world.algebra_section.uuid])).status_code == 200
    assert client.get(reverse("score-pick", args=[world.algebra_section.uuid])).status_code == 404


def test_a_student_of_another_section_is_not_found_in_this_one(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)

    url = reverse(
        "drill-down",
        args=[world.algebra_section.uuid, world.leo.uuid, "subskill", world.claims.uuid],
    )

    assert client.get(url).status_code == 404
