"""Once a term has ended its course grades still missing evidence read "Incomplete", not "In
progress", even when nobody saves evidence (decision 0008): a term whose end date is new or
changed queues its students' recomputation for the start of its last day, or runs it at once
when that day has come; a grade left "In progress" anyway is recomputed when the term is
reviewed or the grade finalized."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.tasks import default_task_backend
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mastery.accounts import api as accounts
from mastery.evidence import api as evidence
from mastery.grading import api as grading
from mastery.grading.models import Rating
from mastery.rosters import api as rosters
from mastery.schools import api as schools
from tests.world import World, publish_riverside_policy

pytestmark = pytest.mark.django_db

MID_TERM = datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC)
AFTER_THE_TERM = datetime.datetime(2027, 2, 1, 15, 0, tzinfo=datetime.UTC)


def _score_once(world: World, student) -> None:
    evidence.record_evidence(
        student, world.claims, level=3, assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana, learning_experience=world.lab_report,
        section=world.algebra_section,
    )  # fmt: skip


@pytest.fixture
def in_progress(world: World) -> World:
    """Mid-term, Maya has one at-bat in Algebra: too little evidence, her grade is in progress."""
    with time_machine.travel(MID_TERM, tick=False):
        publish_riverside_policy(world)
        _score_once(world, world.maya)
    assert _grade(world) == "In progress"
    return world


@pytest.fixture
def deferring_backend(settings):
    """The dummy backend keeps what is enqueued, with its run_after, as the database backend's
    worker does until the time comes."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    yield default_task_backend
    default_task_backend.clear()


def _grade(world: World, student=None) -> str:
    return Rating.objects.get(student=student or world.maya, section=world.algebra_section).grade


def test_a_new_end_date_queues_the_recomputation_that_makes_its_grades_incomplete_at_its_end(
    in_progress: World, deferring_backend, django_capture_on_commit_callbacks
) -> None:
    world = in_progress
    with (
        time_machine.travel(MID_TERM, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        world.term.ends_on = datetime.date(2027, 1, 29)
        world.term.save()  # as the admin does; the calendar api saves terms the same way

    (queued,) = deferring_backend.results
    school_time = timezone.get_default_timezone()
    assert queued.task.run_after == datetime.datetime(2027, 1, 29, tzinfo=school_time)
    assert _grade(world) == "In progress"

    with time_machine.travel(datetime.datetime(2027, 1, 29, 0, 5, tzinfo=school_time)):
        queued.task.call(*queued.args, **queued.kwargs)

    assert _grade(world) == "Incomplete"


def test_saving_a_term_without_moving_its_end_queues_nothing(
    in_progress: World, deferring_backend, django_capture_on_commit_callbacks
) -> None:
    with (
        time_machine.travel(MID_TERM, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        in_progress.term.name = "Fall semester"
        in_progress.term.save()

    assert deferring_backend.results == []


def test_a_run_queued_for_an_end_date_the_term_no_longer_has_changes_nothing(
    in_progress: World, deferring_backend, django_capture_on_commit_callbacks
) -> None:
    world = in_progress
    with (
        time_machine.travel(MID_TERM, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        world.term.ends_on = datetime.date(2027, 1, 29)
        world.term.save()
        world.term.ends_on = datetime.date(2027, 2, 5)
        world.term.save()
    first, _second = deferring_backend.results

    with time_machine.travel(datetime.datetime(2027, 1, 30, 9, 0, tzinfo=datetime.UTC)):
        assert first.task.call(*first.args, **first.kwargs) == 0

    assert _grade(world) == "In progress"


def test_an_end_date_moved_to_today_makes_the_grades_incomplete_at_once(
    in_progress: World, django_capture_on_commit_callbacks
) -> None:
    world = in_progress
    with (
        time_machine.travel(MID_TERM, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        world.term.ends_on = datetime.date(2026, 11, 2)
        world.term.save()

    assert _grade(world) == "Incomplete"


def test_an_ended_term_extended_into_the_future_is_in_progress_again(
    in_progress: World, django_capture_on_commit_callbacks
) -> None:
    world = in_progress
    with time_machine.travel(MID_TERM, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            world.term.ends_on = datetime.date(2026, 10, 30)
            world.term.save()
        assert _grade(world) == "Incomplete"

        with django_capture_on_commit_callbacks(execute=True):
            world.term.ends_on = datetime.date(2026, 12, 18)
            world.term.save()

    assert _grade(world) == "In progress"


def test_a_grade_left_in_progress_after_the_term_ended_is_finalized_as_incomplete(
    in_progress: World,
) -> None:
    """The run at the term's end was lost (or the term ended before this rule existed)."""
    with time_machine.travel(AFTER_THE_TERM, tick=False):
        enrollment = in_progress.algebra_section.enrollments.get(student=in_progress.maya)
        grade = grading.finalize_term_grade(enrollment, finalized_by=in_progress.dana)

    assert (grade.computed_grade, grade.final_grade) == ("Incomplete", "Incomplete")
    assert _grade(in_progress) == "Incomplete"


def test_a_grade_in_progress_while_the_term_runs_is_still_refused(in_progress: World) -> None:
    with time_machine.travel(MID_TERM, tick=False):
        enrollment = in_progress.algebra_section.enrollments.get(student=in_progress.maya)
        with pytest.raises(ValidationError, match="in progress"):
            grading.finalize_term_grade(enrollment, finalized_by=in_progress.dana)


def _grow_with_one_at_bat(world: World, students: int, *, start: int = 0) -> None:
    with time_machine.travel(MID_TERM, tick=False):
        for number in range(start, start + students):
            user = accounts.create_user(f"extra{number}", first_name="Extra", last_name=f"{number}")
            student = schools.create_student(
                user, world.riverside, student_number=f"X-{number}", grade_level=9,
                graduation_year=2030,
            )  # fmt: skip
            rosters.enroll_student(
                world.algebra_section, student, enrolled_on=datetime.date(2026, 8, 24)
            )
            _score_once(world, student)


def test_the_section_s_stale_grades_are_recomputed_in_one_go(in_progress: World) -> None:
    world = in_progress
    _grow_with_one_at_bat(world, 2)
    with (
        time_machine.travel(AFTER_THE_TERM, tick=False),
        CaptureQueriesContext(connection) as few,
    ):
        assert (
            grading.recompute_grades_left_in_progress(
                world.algebra_section, on=timezone.localdate()
            )
            == 3
        )
    _grow_with_one_at_bat(world, 30, start=2)
    Rating.objects.filter(section=world.algebra_section).update(grade="In progress")

    with (
        time_machine.travel(AFTER_THE_TERM, tick=False),
        CaptureQueriesContext(connection) as many,
    ):
        assert (
            grading.recompute_grades_left_in_progress(
                world.algebra_section, on=timezone.localdate()
            )
            == 33
        )

    assert len(many) == len(few)
    assert set(
        Rating.objects.filter(section=world.algebra_section).values_list("grade", flat=True)
    ) == {"Incomplete"}


def test_the_recompute_command_settles_terms_that_ended_before_this_rule(
    in_progress: World,
) -> None:
    with time_machine.travel(AFTER_THE_TERM, tick=False):
        call_command("recompute_ratings", "riverside", "--now")

    assert _grade(in_progress) == "Incomplete"
