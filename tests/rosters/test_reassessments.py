"""Reassessment opportunities: a section's teachers open a window in which students who have not
yet mastered some subskills can show them again, and each student finds the ones open to them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from mastery.accounts.models import User
from mastery.curriculum import api as curriculum
from mastery.frameworks import api as frameworks
from mastery.frameworks.models import Subskill
from mastery.rosters import api as rosters
from mastery.rosters.models import ReassessmentOpportunity, Section
from tests.world import World

pytestmark = pytest.mark.django_db

NOV_2 = datetime.date(2026, 11, 2)


def _open(
    world: World,
    *,
    section: Section | None = None,
    opens_on: datetime.date = datetime.date(2026, 10, 26),
    closes_on: datetime.date = datetime.date(2026, 11, 6),
    subskills: list[Subskill] | None = None,
    created_by: User | None = None,
    title: str = "Claim retake",
    **options: object,
) -> ReassessmentOpportunity:
    return rosters.open_reassessment(
        section or world.algebra_section,
        title=title,
        subskills=[world.claims] if subskills is None else subskills,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=created_by or world.dana,
        **options,  # type: ignore[arg-type]
    )


def _other_competency_subskill(world: World) -> Subskill:
    reasoning = frameworks.create_competency(
        world.framework, "QR", title="Quantitative reasoning", position=2
    )
    return frameworks.create_subskill(reasoning, "QR.1", title="Models with functions", position=1)


# Opening one


def test_a_teacher_opens_a_reassessment_for_subskills_the_course_assesses(world: World) -> None:
    opportunity = _open(
        world,
        subskills=[world.claims, world.evidence_use],
        details="Tuesday lunch, room 104",
        learning_experience=world.lab_report,
    )

    assert opportunity.section == world.algebra_section
    assert set(opportunity.subskills.all()) == {world.claims, world.evidence_use}
    assert opportunity.learning_experience == world.lab_report
    assert opportunity.details == "Tuesday lunch, room 104"
    assert opportunity.created_by == world.dana


def test_a_co_teacher_may_open_one_too(world: World) -> None:
    assert _open(world, created_by=world.cole).created_by == world.cole


def test_a_window_of_a_single_day_is_allowed(world: World) -> None:
    day = datetime.date(2026, 11, 10)

    opportunity = _open(world, opens_on=day, closes_on=day)

    assert (opportunity.opens_on, opportunity.closes_on) == (day, day)


@pytest.mark.parametrize("who", ["omar", "hugo", "lena", "rita"])
def test_only_a_teacher_of_the_section_may_open_one(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        _open(world, created_by=getattr(world, who))

    assert not ReassessmentOpportunity.objects.exists()


def test_a_reassessment_cannot_close_before_it_opens(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        _open(world, opens_on=datetime.date(2026, 11, 6), closes_on=datetime.date(2026, 11, 5))

    assert refused.value.message_dict == {
        "closes_on": ["A reassessment cannot close before it opens."]
    }
    assert not ReassessmentOpportunity.objects.exists()


def test_the_database_itself_refuses_a_window_that_closes_before_it_opens(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ReassessmentOpportunity.objects.create(
            section=world.algebra_section,
            title="Backwards",
            opens_on=datetime.date(2026, 11, 6),
            closes_on=datetime.date(2026, 11, 5),
            created_by=world.dana,
        )


def test_a_subskill_the_course_does_not_assess_is_refused(world: World) -> None:
    elsewhere = _other_competency_subskill(world)

    with pytest.raises(ValidationError) as refused:
        _open(world, subskills=[world.claims, elsewhere])

    assert list(refused.value.message_dict) == ["subskills"]
    assert "does not assess QR.1" in refused.value.message_dict["subskills"][0]
    assert not ReassessmentOpportunity.objects.exists()


def test_a_reassessment_needs_at_least_one_subskill(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        _open(world, subskills=[])

    assert list(refused.value.message_dict) == ["subskills"]


def test_the_task_to_redo_must_be_one_of_the_course_s(world: World) -> None:
    dissection = curriculum.create_learning_experience(
        world.biology_section.course,
        "DISSECT",
        title="Dissection lab",
        kind=curriculum.ExperienceKind.LAB,
        position=1,
    )

    with pytest.raises(ValidationError) as refused:
        _open(world, learning_experience=dissection)

    assert list(refused.value.message_dict) == ["learning_experience"]


def test_a_reassessment_needs_a_title_and_every_problem_is_named_at_once(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        _open(
            world,
            title="  ",
            subskills=[],
            opens_on=datetime.date(2026, 11, 6),
            closes_on=datetime.date(2026, 11, 5),
        )

    assert set(refused.value.message_dict) == {"title", "subskills", "closes_on"}


# Finding the open ones


def test_a_student_sees_the_open_reassessments_of_her_sections(world: World) -> None:
    retake = _open(world)

    assert list(rosters.list_open_reassessments(world.maya, on=NOV_2)) == [retake]
    assert list(rosters.list_open_reassessments(world.sam, on=NOV_2)) == [retake]


def test_another_section_s_reassessments_are_not_shown(world: World) -> None:
    _open(world, section=world.biology_section, created_by=world.omar)

    assert not rosters.list_open_reassessments(world.maya, on=NOV_2).exists()
    assert rosters.list_open_reassessments(world.leo, on=NOV_2).count() == 1


def test_closed_and_upcoming_reassessments_are_not_open(world: World) -> None:
    _open(world, opens_on=datetime.date(2026, 10, 1), closes_on=datetime.date(2026, 11, 1))
    _open(world, opens_on=datetime.date(2026, 11, 3), closes_on=datetime.date(2026, 11, 13))

    assert not rosters.list_open_reassessments(world.maya, on=NOV_2).exists()


def test_the_first_and_the_last_day_are_both_open(world: World) -> None:
    retake = _open(world, opens_on=NOV_2, closes_on=datetime.date(2026, 11, 6))

    for day in (NOV_2, datetime.date(2026, 11, 6)):
        assert list(rosters.list_open_reassessments(world.maya, on=day)) == [retake]
    assert not rosters.list_open_reassessments(world.maya, on=datetime.date(2026, 11, 7)).exists()


def test_the_soonest_to_close_comes_first(world: World) -> None:
    later = _open(world, title="Lab revision", closes_on=datetime.date(2026, 11, 20))
    sooner = _open(world, title="Claim retake", closes_on=datetime.date(2026, 11, 4))

    assert list(rosters.list_open_reassessments(world.maya, on=NOV_2)) == [sooner, later]


def test_only_those_targeting_the_subskills_asked_for(world: World) -> None:
    claims = _open(world, title="Claim retake", subskills=[world.claims])
    both = _open(world, title="Lab revision", subskills=[world.claims, world.evidence_use])

    still_needed = rosters.list_open_reassessments(
        world.maya, on=NOV_2, subskills=[world.evidence_use]
    )
    anything = rosters.list_open_reassessments(
        world.maya, on=NOV_2, subskills=[world.claims, world.evidence_use]
    )

    assert list(still_needed) == [both]
    assert sorted(o.pk for o in anything) == sorted([claims.pk, both.pk])
    assert not rosters.list_open_reassessments(world.maya, on=NOV_2, subskills=[]).exists()


def _queries_to_show_open_reassessments(world: World) -> int:
    with CaptureQueriesContext(connection) as captured:
        for opportunity in rosters.list_open_reassessments(world.maya, on=NOV_2):
            _ = opportunity.section.course.title, opportunity.section.key
            _ = [(subskill.key, subskill.title) for subskill in opportunity.subskills.all()]
            _ = opportunity.learning_experience and opportunity.learning_experience.title
    return len(captured)


def test_listing_the_open_reassessments_takes_the_same_queries_for_one_or_five(
    world: World,
) -> None:
    _open(world, learning_experience=world.lab_report)
    one = _queries_to_show_open_reassessments(world)
    for number in range(4):
        _open(world, title=f"Retake {number}", subskills=[world.claims, world.evidence_use])

    five = _queries_to_show_open_reassessments(world)

    assert one == five == 2


def test_a_section_lists_all_its_reassessments_latest_first(world: World) -> None:
    closed = _open(world, opens_on=datetime.date(2026, 10, 1), closes_on=datetime.date(2026, 10, 9))
    upcoming = _open(
        world, opens_on=datetime.date(2026, 11, 16), closes_on=datetime.date(2026, 11, 20)
    )
    _open(world, section=world.biology_section, created_by=world.omar)

    assert list(rosters.list_section_reassessments(world.algebra_section)) == [upcoming, closed]


# The demo school


def test_the_demo_has_a_reassessment_open_for_maya_in_dana_s_english_on_its_today() -> None:
    from mastery.demo.school import load_demo_school
    from mastery.demo.term_evidence import LAST_WORK_DAY
    from mastery.schools.models import Student
    from tests.demo.fingerprint import SMALL

    load_demo_school(students=SMALL)
    maya = Student.objects.get(user__username="student")

    open_for_maya = rosters.list_open_reassessments(maya, on=LAST_WORK_DAY)

    english = [item for item in open_for_maya if item.section.key == "ENG-CA-01"]
    assert [item.created_by.username for item in english] == ["teacher"]
    assert {subskill.key for subskill in english[0].subskills.all()} == {"AW.1", "AW.2"}
    assert {item.section.key for item in open_for_maya} == {"ENG-CA-01", "SCI-BIO-01"}
