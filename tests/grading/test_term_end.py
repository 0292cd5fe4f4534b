"""On a term's last day its course grades still missing evidence turn from "In progress" to
"Incomplete", even when nobody saves evidence that day: saving a term queues its school's
recomputation for the start of that day (grading.term_end)."""

import datetime

import pytest
import time_machine
from django.tasks import default_task_backend
from django.utils import timezone

from mastery.evidence import api as evidence
from mastery.grading import api as grading
from mastery.grading.models import Rating
from tests.world import World

pytestmark = pytest.mark.django_db

MID_TERM = datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def in_progress(world: World) -> World:
    """Mid-term, Maya has one at-bat in Algebra: too little evidence, her grade is in progress."""
    with time_machine.travel(MID_TERM, tick=False):
        version = grading.create_policy(
            world.riverside, "riverside", name="Riverside grading", scale=world.scale,
            created_by=world.lena,
        )  # fmt: skip
        grading.publish_version(
            version, effective_on=datetime.date(2026, 8, 1), published_by=world.lena
        )
        evidence.record_evidence(
            world.maya, world.claims, level=3, assessed_on=datetime.date(2026, 10, 1),
            recorded_by=world.dana, learning_experience=world.lab_report,
            section=world.algebra_section,
        )  # fmt: skip
    assert _grade(world) == "In progress"
    return world


@pytest.fixture
def deferring_backend(settings):
    """The dummy backend keeps what is enqueued, with its run_after, as the database backend's
    worker does until the time comes."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    yield default_task_backend
    default_task_backend.clear()


def _grade(world: World) -> str:
    return Rating.objects.get(student=world.maya, section=world.algebra_section).grade


def test_saving_a_term_queues_the_recomputation_that_makes_its_grades_incomplete_at_its_end(
    in_progress: World, deferring_backend, django_capture_on_commit_callbacks
) -> None:
    world = in_progress
    with (
        time_machine.travel(MID_TERM, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        world.term.save()  # as the admin does; the calendar api saves terms the same way

    (queued,) = deferring_backend.results
    school_time = timezone.get_default_timezone()
    assert queued.task.run_after == datetime.datetime(2027, 1, 22, tzinfo=school_time)
    assert _grade(world) == "In progress"

    with time_machine.travel(datetime.datetime(2027, 1, 22, 0, 5, tzinfo=school_time)):
        queued.task.call(*queued.args, **queued.kwargs)

    assert _grade(world) == "Incomplete"


def test_a_term_that_has_already_ended_queues_nothing(
    in_progress: World, deferring_backend, django_capture_on_commit_callbacks
) -> None:
    with (
        time_machine.travel(datetime.datetime(2027, 2, 1, 15, 0, tzinfo=datetime.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        in_progress.term.save()

    assert deferring_backend.results == []
