"""Someone else's record: every page answers 404 (or sends an anonymous visitor to sign in)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import World

pytestmark = pytest.mark.django_db


def _status(client: Client, user, url: str) -> int:
    client.force_login(user)
    return client.get(url).status_code


def _section(world: World, name: str) -> str:
    return reverse("section-detail", args=[getattr(world, name).uuid])


def _student(world: World, name: str) -> str:
    return reverse("student-detail", args=[getattr(world, name).uuid])


@pytest.mark.parametrize(
    ("viewer", "section", "expected"),
    [
        ("dana", "algebra_section", 200),
        ("cole", "algebra_section", 200),
        ("lena", "algebra_section", 200),
        ("rita", "biology_section", 200),
        ("omar", "algebra_section", 404),
        ("dana", "biology_section", 404),
        ("hugo", "algebra_section", 404),
        ("lena", "hilltop_section", 404),
        ("rosa", "algebra_section", 404),
    ],
)
def test_a_section_page_opens_only_for_its_teachers_and_school_staff(
    client: Client, world: World, viewer: str, section: str, expected: int
) -> None:
    assert _status(client, getattr(world, viewer), _section(world, section)) == expected


def test_a_student_cannot_open_their_section_s_roster(client: Client, world: World) -> None:
    assert _status(client, world.maya.user, _section(world, "algebra_section")) == 404


@pytest.mark.parametrize(
    ("viewer", "student", "expected"),
    [
        ("rosa", "maya", 200),
        ("rosa", "sam", 200),
        ("rosa", "leo", 404),
        ("ben", "leo", 200),
        ("ben", "maya", 404),
        ("dana", "maya", 200),
        ("dana", "leo", 404),
        ("omar", "maya", 404),
        ("hugo", "maya", 404),
        ("lena", "leo", 200),
        ("lena", "hana", 404),
    ],
)
def test_a_student_record_opens_only_for_them_their_family_teachers_and_staff(
    client: Client, world: World, viewer: str, student: str, expected: int
) -> None:
    assert _status(client, getattr(world, viewer), _student(world, student)) == expected


def test_a_student_sees_their_own_record_and_not_a_classmate_s(
    client: Client, world: World
) -> None:
    assert _status(client, world.maya.user, _student(world, "maya")) == 200
    assert _status(client, world.maya.user, _student(world, "sam")) == 404


def test_a_teacher_sees_only_their_own_section_on_a_shared_student_s_record(
    client: Client, world: World
) -> None:
    from mastery.rosters import api as rosters

    rosters.enroll_student(world.biology_section, world.maya, enrolled_on=world.term.starts_on)
    client.force_login(world.dana)

    page = client.get(_student(world, "maya")).content.decode()

    assert "Algebra" in page
    assert "Biology" not in page


@pytest.mark.parametrize("page", ["section", "student"])
def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_record(
    client: Client, world: World, page: str
) -> None:
    url = _section(world, "algebra_section") if page == "section" else _student(world, "maya")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
