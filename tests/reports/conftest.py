import datetime

import pytest
import time_machine

from mastery.evidence import api as evidence
from tests.world import World, publish_riverside_policy


@pytest.fixture
def today():
    """Reports are printed on 2 November 2026 (mid-term) in these tests."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield datetime.date(2026, 11, 2)


@pytest.fixture
def graded_world(world: World, today: datetime.date) -> World:
    """The world with GRADING.md's default policy published from the start of the year."""
    publish_riverside_policy(world)
    return world


@pytest.fixture
def scored_world(graded_world: World) -> World:
    """Maya has shown "States a precise claim" at Meeting three times in two contexts (mastered)
    and has no at-bat yet in "Supports with evidence"; Dana left a comment on the essay."""
    world = graded_world
    for day, experience, comment in [
        (5, world.lab_report, ""),
        (12, world.essay, "Your claim is precise and arguable."),
        (19, world.lab_report, ""),
    ]:
        evidence.record_evidence(
            world.maya,
            world.claims,
            level=3,
            assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana,
            learning_experience=experience,
            section=world.algebra_section,
            comment=comment,
        )
    return world
