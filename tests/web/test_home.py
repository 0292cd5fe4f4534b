"""Each role's home shows real data, and only what that role may see."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import World

pytestmark = pytest.mark.django_db


def _home(client: Client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_teacher_sees_their_sections_with_co_teachers_and_counts(
    client: Client, world: World
) -> None:
    page = _home(client, world.dana)

    assert "Your sections" in page
    assert "ALG-1" in page
    assert "Cole Marsh" in page
    assert "BIO-1" not in page
    assert "GEO-1" not in page


def test_a_co_teacher_sees_the_shared_section(client: Client, world: World) -> None:
    assert "ALG-1" in _home(client, world.cole)


def test_another_teacher_never_sees_dana_s_sections(client: Client, world: World) -> None:
    page = _home(client, world.omar)

    assert "BIO-1" in page
    assert "ALG-1" not in page


def test_a_student_sees_their_own_courses_and_no_one_else(client: Client, world: World) -> None:
    page = _home(client, world.maya.user)

    assert "Your courses" in page
    assert "Algebra" in page
    assert "Biology" not in page
    assert "Sam" not in page


def test_a_guardian_sees_each_of_their_children(client: Client, world: World) -> None:
    page = _home(client, world.rosa)

    assert "Your children" in page
    assert "Maya Okafor" in page
    assert "Sam Okafor" in page
    assert "Leo Brandt" not in page


def test_a_guardian_never_sees_another_family_s_child(client: Client, world: World) -> None:
    page = _home(client, world.ben)

    assert "Leo Brandt" in page
    assert "Okafor" not in page


def test_a_leader_sees_their_school_at_a_glance(client: Client, world: World) -> None:
    page = _home(client, world.lena)

    assert "Riverside High School" in page
    assert "Argumentative writing" in page
    assert "Hilltop" not in page


def test_a_person_with_no_role_is_told_what_to_do(client: Client, world: World) -> None:
    from mastery.accounts import api as accounts

    stranger = accounts.create_user("newcomer", first_name="New", last_name="Comer")

    assert "Ask your school's registrar" in _home(client, stranger)
