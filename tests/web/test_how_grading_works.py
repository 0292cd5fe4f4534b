"""“How grading works at <school>”: generated from the published version, in plain language;
it changes when the policy does."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from mastery.calendar import api as calendar
from mastery.grading import api as grading
from mastery.grading.models import PolicyVersion
from tests.world import World

pytestmark = pytest.mark.django_db


def _publish(world: World, change: dict[str, object], on: datetime.date) -> PolicyVersion:
    """A new version of Riverside's policy with `change` merged into its document."""
    current = PolicyVersion.objects.filter(status="published").order_by("-number").first()
    assert current is not None
    draft = grading.draft_version(
        current.policy, document={**current.document, **change}, created_by=world.lena
    )
    return grading.publish_version(draft, effective_on=on, published_by=world.lena)


def _page(client: Client, world: World) -> str:
    client.force_login(world.rosa)
    return client.get(reverse("how-grading-works")).content.decode()


def test_the_reporting_practice_is_read_from_the_policy_and_the_calendar(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    calendar.create_grading_period(
        world.term, "Q1", name="Quarter 1",
        starts_on=datetime.date(2026, 8, 24), ends_on=datetime.date(2026, 10, 30),
    )  # fmt: skip
    calendar.create_grading_period(
        world.term, "Q2", name="Quarter 2",
        starts_on=datetime.date(2026, 11, 2), ends_on=datetime.date(2027, 1, 22),
    )  # fmt: skip

    before = _page(client, world)
    assert "Quarter 1 (Aug. 24, 2026 to Oct. 30, 2026): a report card at the end." in before
    assert "One progress report in the middle of each grading period." in before
    assert "The rating of each step (subskill) of every competency." in before
    assert "Up to 3 next steps for each competency." in before
    assert "A chart of the ratings over the term." in before

    reporting = {
        "grading_periods": ["Q2"],
        "progress_reports_per_period": 0,
        "report_dates": ["2026-12-04"],
        "shows": {"subskills": False, "comments": True, "chart": False, "next_steps": 1},
    }
    _publish(world, {"reporting": reporting}, datetime.date(2026, 11, 1))

    after = _page(client, world)
    assert "Quarter 1 (Aug. 24, 2026 to Oct. 30, 2026): no report card." in after
    assert "Quarter 2 (Nov. 2, 2026 to Jan. 22, 2027): a report card at the end." in after
    assert "No progress reports between report cards." in after
    assert "Progress-report dates this year: Dec. 4, 2026." in after
    assert "The next step for each competency." in after
    assert "subskill" not in after.split("What a progress report shows")[1]
    assert "A chart of the ratings" not in after
    assert "The teachers&#x27; comments on the term&#x27;s work." in after
