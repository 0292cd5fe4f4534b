"""A policy with `order_by: due_on` orders each student's at-bats by the due date of the learning
experience they came from; work from an experience without a due date takes the date it was done.
Stored ratings, the whole-school batch path and the explanation all agree, and follow a changed
due date."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.admin import site
from django.forms.models import model_to_dict

from mastery.curriculum import api as curriculum
from mastery.curriculum.models import LearningExperience
from mastery.evidence import api as evidence
from mastery.grading import api as grading
from mastery.grading.models import Rating
from tests.world import World, publish_riverside_policy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


def _publish(world: World, order_by: str):
    return publish_riverside_policy(world, method={"name": "latest"}, order_by=order_by)


def _score(world: World, level: int, day: int, experience) -> None:
    evidence.record_evidence(
        world.maya,
        world.claims,
        level=level,
        assessed_on=datetime.date(2026, 10, day),
        recorded_by=world.dana,
        learning_experience=experience,
        section=world.algebra_section,
    )


def _stored(world: World) -> Decimal | None:
    return Rating.objects.get(student=world.maya, subskill=world.claims).value


def _lab_report_early_and_essay_late(world: World) -> None:
    """The lab report (due 10 Oct) done early, on 3 Oct, at 2; the essay (due 5 Oct) handed in
    late, on 6 Oct, at 4. By the date of the work the essay is the latest; by due date the lab
    report is."""
    curriculum.update_learning_experience(world.lab_report, due_on=datetime.date(2026, 10, 10))
    curriculum.update_learning_experience(world.essay, due_on=datetime.date(2026, 10, 5))
    _score(world, 2, 3, world.lab_report)
    _score(world, 4, 6, world.essay)


def test_a_policy_ordering_by_due_date_rates_the_work_due_last_as_the_latest(
    world: World,
) -> None:
    _publish(world, "due_on")
    _lab_report_early_and_essay_late(world)

    assert _stored(world) == Decimal("2")
    explained = grading.explain_rating(world.maya, world.claims, on=datetime.date(2026, 11, 2))
    assert explained.rating == Decimal("2.00")
    assert [line.entry.context for line in explained.entries] == [
        "Modeling essay (ALG)",
        "Lab report (ALG)",
    ]


def test_the_same_evidence_under_the_default_order_rates_the_work_done_last(
    world: World,
) -> None:
    _publish(world, "assessed_on")
    _lab_report_early_and_essay_late(world)

    assert _stored(world) == Decimal("4")


def test_recomputing_the_whole_school_orders_by_due_date_too(world: World) -> None:
    _publish(world, "due_on")
    _lab_report_early_and_essay_late(world)
    Rating.objects.all().delete()

    grading.recompute_school(world.riverside, on=datetime.date(2026, 11, 2))

    assert _stored(world) == Decimal("2")


def test_work_from_an_experience_without_a_due_date_takes_the_date_it_was_done(
    world: World,
) -> None:
    _publish(world, "due_on")
    # The essay has no due date: it is placed on 6 Oct, the day it was done, after the lab
    # report due 5 Oct (done on the 8th), so the essay is the latest.
    curriculum.update_learning_experience(world.lab_report, due_on=datetime.date(2026, 10, 5))
    _score(world, 4, 6, world.essay)
    _score(world, 2, 8, world.lab_report)

    assert _stored(world) == Decimal("4")


def test_a_changed_due_date_recomputes_the_ratings_it_orders(world: World) -> None:
    _publish(world, "due_on")
    _lab_report_early_and_essay_late(world)
    assert _stored(world) == Decimal("2")

    curriculum.update_learning_experience(world.essay, due_on=datetime.date(2026, 10, 20))

    assert _stored(world) == Decimal("4")
    curriculum.update_learning_experience(world.essay, due_on=None)  # back to 6 Oct, the work's
    assert _stored(world) == Decimal("2")


def test_a_due_date_changed_in_the_admin_recomputes_the_ratings_too(
    world: World, rf, admin_user
) -> None:
    _publish(world, "due_on")
    _lab_report_early_and_essay_late(world)
    experience_admin = site._registry[LearningExperience]
    request = rf.post("/admin/")
    request.user = admin_user
    form_class = experience_admin.get_form(request, world.essay, change=True)
    data = {
        field: value
        for field, value in model_to_dict(world.essay).items()
        if field in form_class.base_fields
    }
    form = form_class({**data, "due_on": "2026-10-20"}, instance=world.essay)
    assert form.is_valid(), form.errors

    experience_admin.save_model(request, form.save(commit=False), form, change=True)

    assert _stored(world) == Decimal("4")
