"""A department's first policy starts from the school-wide policy everyone agreed to: its latest
published version, never a draft still being written."""

import datetime

import pytest
import time_machine

from mastery.curriculum.models import CreditArea
from mastery.grading import api as grading
from tests.world import World, publish_riverside_policy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


def test_a_department_starts_from_the_latest_published_version_not_a_draft(world: World) -> None:
    published = publish_riverside_policy(world, method={"name": "latest"})
    grading.draft_version(
        published.policy,
        document={**published.document, "method": {"name": "highest"}},
        created_by=world.lena,
    )
    math = CreditArea.objects.get(school=world.riverside, key="math")

    department = grading.create_policy_from_default(
        world.riverside, created_by=world.lena, credit_area=math
    )

    assert department.document["method"] == {"name": "latest"}
    assert department.document == published.document
