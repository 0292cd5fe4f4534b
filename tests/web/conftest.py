import datetime

import pytest
import time_machine

from mastery.grading import api as grading
from tests.world import World


@pytest.fixture
def today():
    """The pages run on 2 November 2026 (mid-term) in these tests."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield datetime.date(2026, 11, 2)


@pytest.fixture
def graded_world(world: World, today: datetime.date) -> World:
    """The world with GRADING.md's default policy published from the start of the year."""
    version = grading.create_policy(
        world.riverside,
        "riverside",
        name="Riverside grading",
        scale=world.scale,
        created_by=world.lena,
    )
    grading.publish_version(
        version, effective_on=datetime.date(2026, 8, 1), published_by=world.lena
    )
    return world
