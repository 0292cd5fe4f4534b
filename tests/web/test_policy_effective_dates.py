"""Effective dates: a published version takes effect on its date, never before the version it
follows, and the stored ratings switch to it the day it does (a recomputation waits for it)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.tasks import default_task_backend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mastery.evidence import api as evidence
from mastery.grading import api as grading
from mastery.grading.models import PolicyVersion, Rating, RecomputeRun, VersionStatus
from tests.world import World

pytestmark = pytest.mark.django_db

FUTURE = datetime.date(2026, 11, 16)


@pytest.fixture
def deferring_backend(settings):
    """The dummy task backend keeps what is enqueued (with its run_after) instead of running it,
    as the database backend's worker would until the time comes."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def scored(graded_world: World) -> World:
    """Maya has shown AW.1 at Meeting three times in two contexts (mastered under 3 at-bats)."""
    world = graded_world
    for day, experience in [(1, world.lab_report), (2, world.essay), (3, world.lab_report)]:
        evidence.record_evidence(
            world.maya, world.claims, level=3, assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana, learning_experience=experience, section=world.algebra_section,
        )  # fmt: skip
    return world


def _draft(world: World, **method: int) -> PolicyVersion:
    current = PolicyVersion.objects.get(status=VersionStatus.PUBLISHED)
    document = {**current.document, "method": {**current.document["method"], **method}}
    return grading.draft_version(current.policy, document=document, created_by=world.lena)


def test_a_version_cannot_take_effect_before_the_published_one_it_follows(
    graded_world: World,
) -> None:
    draft = _draft(graded_world, at_bats=4)

    with pytest.raises(ValidationError) as refused:
        grading.publish_version(
            draft, effective_on=datetime.date(2026, 7, 31), published_by=graded_world.lena
        )

    assert list(refused.value.message_dict) == ["effective_on"]
    (message,) = refused.value.message_dict["effective_on"]
    assert "effective date (effective_on) must be on or after August 1, 2026" in message
    assert "version 1 took effect" in message
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_version_may_take_effect_the_same_day_as_the_one_before_and_then_wins(
    graded_world: World, today: datetime.date
) -> None:
    draft = _draft(graded_world, at_bats=4)

    grading.publish_version(
        draft, effective_on=datetime.date(2026, 8, 1), published_by=graded_world.lena
    )

    assert grading.get_version_in_force(graded_world.riverside, on=today) == draft


def test_the_publish_page_names_the_effective_date_when_it_is_too_early(
    client: Client, graded_world: World
) -> None:
    draft = _draft(graded_world, at_bats=4)
    client.force_login(graded_world.lena)

    response = client.post(
        reverse("policy-publish", args=[draft.uuid]), {"effective_on": "2026-07-01"}, follow=True
    )

    assert "effective date (effective_on) must be on or after August 1, 2026" in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_future_version_switches_the_ratings_the_day_it_takes_effect(
    client: Client,
    scored: World,
    today: datetime.date,
    deferring_backend,
    django_capture_on_commit_callbacks,
) -> None:
    world = scored
    first = PolicyVersion.objects.get(status=VersionStatus.PUBLISHED)
    draft = _draft(world, at_bats=4)
    client.force_login(world.lena)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("policy-publish", args=[draft.uuid]), {"effective_on": FUTURE.isoformat()},
            follow=True,
        )  # fmt: skip

    page = response.content.decode()
    assert "takes effect on November 16, 2026" in page
    assert "already shows it" not in page
    (queued,) = deferring_backend.results
    assert queued.task.name == "recompute_school_task"
    # midnight at the school (the site's time zone), not in UTC
    school_time = timezone.get_default_timezone()
    assert queued.task.run_after == datetime.datetime(2026, 11, 16, tzinfo=school_time)
    claims = Rating.objects.get(student=world.maya, subskill=world.claims)
    assert (claims.policy_version, claims.mastered) == (first, True)
    how = client.get(reverse("how-grading-works")).content.decode()
    assert "at least 3 of your 5 most recent" in how

    with time_machine.travel(datetime.datetime(2026, 11, 16, 0, 5, tzinfo=school_time)):
        queued.task.call(*queued.args, **queued.kwargs)
        how = client.get(reverse("how-grading-works")).content.decode()

    claims = Rating.objects.get(student=world.maya, subskill=world.claims)
    assert (claims.policy_version, claims.mastered) == (draft, False)  # 3 at-bats, 4 needed
    assert RecomputeRun.objects.get().status == "done"
    assert "at least 4 of your 5 most recent" in how


def test_a_version_in_force_today_is_recomputed_at_once(
    scored: World, today: datetime.date, deferring_backend, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        grading.enqueue_recompute(scored.riverside, requested_by=scored.lena, run_on=today)

    (queued,) = deferring_backend.results
    assert queued.task.run_after is None
