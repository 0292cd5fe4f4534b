"""Pages make the same number of queries however large the class is."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mastery.accounts import api as accounts
from mastery.rosters import api as rosters
from mastery.schools import api as schools
from tests.world import World

pytestmark = pytest.mark.django_db


def _grow_section(world: World, extra: int, *, start: int = 0) -> None:
    for number in range(start, start + extra):
        user = accounts.create_user(
            f"extra{number}", first_name="Extra", last_name=f"Student {number}"
        )
        student = schools.create_student(
            user, world.riverside, student_number=f"X-{number}", grade_level=9, graduation_year=2030
        )
        rosters.enroll_student(
            world.algebra_section, student, enrolled_on=datetime.date(2026, 8, 24)
        )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("viewer", ["dana", "lena"])
def test_home_and_section_pages_do_not_grow_with_the_class(
    client: Client, world: World, viewer: str
) -> None:
    client.force_login(getattr(world, viewer))
    section_url = reverse("section-detail", args=[world.algebra_section.uuid])
    small = (_queries(client, reverse("home")), _queries(client, section_url))

    _grow_section(world, 30)

    assert (_queries(client, reverse("home")), _queries(client, section_url)) == small
