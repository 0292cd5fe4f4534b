import datetime

import pytest
import time_machine

from tests.world import World, publish_riverside_policy


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
    publish_riverside_policy(world)
    return world
