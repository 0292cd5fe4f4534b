"""Student-led conferences: the student prepares from their own data, a teacher of a current
section records the conversation and the agreed goals, and the goals are tracked with their
history. Data is made through the app APIs on the small named world."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mastery.conferences import api as conferences
from mastery.conferences.models import Conference, ConferenceStatus, Goal, GoalStatus
from mastery.evidence import api as evidence
from mastery.evidence.models import Evidence, Source
from mastery.frameworks.models import Subskill
from mastery.grading import api as grading
from tests.world import World

pytestmark = pytest.mark.django_db


def _score(world: World, subskill: Subskill, level: int, day: int, experience=None) -> Evidence:
    return evidence.record_evidence(
        world.maya,
        subskill,
        level=level,
        assessed_on=datetime.date(2026, 10, day),
        recorded_by=world.dana,
        learning_experience=experience or world.lab_report,
        section=world.algebra_section,
    )


def _mastered_claims_and_developing_evidence_use(world: World) -> list[Evidence]:
    return [
        _score(world, world.claims, 3, 1, world.lab_report),
        _score(world, world.claims, 3, 2, world.essay),
        _score(world, world.claims, 4, 3, world.essay),
        _score(world, world.evidence_use, 2, 4, world.lab_report),
    ]


def _prepared(world: World, goals: tuple[str, ...] = ("Cite two sources in every essay",)):
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)
    return conferences.prepare_conference(
        conference,
        strengths="Clear claims",
        growth_areas="Supporting my claims",
        evidence=[],
        goals=list(goals),
        prepared_by=world.maya.user,
    )


def _record(world: World, conference: Conference, **changes) -> Conference:
    proposal = conference.goals.get()
    options = {
        "advisor": world.dana,
        "notes": "Maya led the conversation and showed her lab report.",
        "held_on": datetime.date(2026, 11, 2),
        "follow_up_on": datetime.date(2026, 12, 7),
        "agreed_goals": [conferences.AgreedGoal(text=proposal.text, goal=proposal)],
    }
    options.update(changes)
    return conferences.record_conference(conference, **options)


def _message(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(error.value.message_dict[field])


# --- Starting ----------------------------------------------------------------------------------


def test_a_student_starts_a_conference_in_the_term_running_today(
    world: World, today: datetime.date
) -> None:
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)

    assert conference.status == ConferenceStatus.PREPARING
    assert conference.term == world.term
    assert conference.advisor is None


def test_a_student_prepares_one_conference_at_a_time(world: World, today: datetime.date) -> None:
    conferences.start_conference(world.maya, started_by=world.maya.user)

    with pytest.raises(ValidationError, match="already a conference in preparation"):
        conferences.start_conference(world.maya, started_by=world.maya.user)
    assert Conference.objects.count() == 1


def test_only_the_student_starts_their_conference(world: World, today: datetime.date) -> None:
    with pytest.raises(ValidationError) as error:
        conferences.start_conference(world.maya, started_by=world.dana)

    assert "Only the student" in _message(error, "started_by")
    assert not Conference.objects.exists()


# --- What the database refuses -----------------------------------------------------------------


def test_the_database_refuses_a_second_conference_in_preparation(world: World) -> None:
    Conference.objects.create(student=world.maya)

    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.create(student=world.maya)


def test_the_database_refuses_a_held_conference_without_its_advisor_and_date(
    world: World,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.create(student=world.maya, status=ConferenceStatus.HELD)


def test_the_database_refuses_a_follow_up_before_the_conference(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.create(
            student=world.maya,
            held_on=datetime.date(2026, 11, 2),
            follow_up_on=datetime.date(2026, 11, 1),
        )


def test_the_database_refuses_an_agreed_goal_outside_a_conference(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(student=world.maya, text="Read more", agreed=True)


def test_the_database_refuses_a_goal_without_words_or_with_an_unknown_status(
    world: World,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(student=world.maya, text="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(student=world.maya, text="Read more", status="someday")


# --- Drawn from the student's data -------------------------------------------------------------


def test_strengths_are_the_mastered_competencies_and_growth_areas_carry_the_engine_s_next_step(
    graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _mastered_claims_and_developing_evidence_use(world)

    suggested = conferences.suggest_preparation(world.maya, on=today)

    assert [item.competency for item in suggested.strengths] == [world.writing]
    assert suggested.strengths[0].mastered
    assert suggested.strengths_text == "Argumentative writing: Meeting, mastered."
    engine = grading.explain_rating(world.maya, world.evidence_use, on=today)
    assert engine.next_step is not None
    assert suggested.growth_areas[0].next_step == (
        f"AW.2 Supports with evidence: {engine.next_step.sentence}"
    )
    assert engine.next_step.sentence in suggested.growth_areas_text


def test_with_nothing_mastered_the_highest_rated_competency_is_the_strength_and_still_to_grow(
    graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _score(world, world.claims, 2, 1, world.lab_report)
    _score(world, world.claims, 2, 2, world.essay)
    _score(world, world.claims, 2, 3, world.lab_report)

    suggested = conferences.suggest_preparation(world.maya, on=today)

    assert suggested.strengths_text == "Argumentative writing: Developing."
    engine = grading.explain_rating(world.maya, world.claims, on=today)
    assert engine.next_step is not None
    assert suggested.growth_areas[0].next_step == (
        f"AW.1 States a precise claim: {engine.next_step.sentence}"
    )


def test_a_student_without_ratings_gets_no_suggestions(
    graded_world: World, today: datetime.date
) -> None:
    suggested = conferences.suggest_preparation(graded_world.maya, on=today)

    assert suggested.strengths == ()
    assert suggested.growth_areas == ()


def test_the_work_a_student_may_show_is_their_own_standing_teacher_scored_entries(
    graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    first = _score(world, world.claims, 1, 1)
    correction = evidence.correct_evidence(
        first, level=3, reason="Wrong row", recorded_by=world.dana
    )
    voided = _score(world, world.claims, 2, 2)
    evidence.void_evidence(voided, reason="Absent", recorded_by=world.dana)
    evidence.record_evidence(
        world.maya,
        world.claims,
        level=4,
        assessed_on=datetime.date(2026, 10, 3),
        recorded_by=world.maya.user,
        source=Source.SELF,
    )

    assert list(conferences.list_evidence_to_choose(world.maya)) == [correction]


# --- Preparing ---------------------------------------------------------------------------------


def test_a_student_saves_their_preparation_with_chosen_work_and_proposed_goals(
    graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    entries = _mastered_claims_and_developing_evidence_use(world)
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)

    conferences.prepare_conference(
        conference,
        strengths=" Clear claims ",
        growth_areas="Using evidence",
        evidence=entries[:2],
        goals=["Cite two sources", "  ", "Revise one essay"],
        prepared_by=world.maya.user,
    )

    conference.refresh_from_db()
    assert conference.strengths == "Clear claims"
    assert conference.prepared_at is not None
    assert set(conference.chosen_evidence.all()) == set(entries[:2])
    assert [goal.text for goal in conference.goals.order_by("id")] == [
        "Cite two sources",
        "Revise one essay",
    ]
    assert all(not goal.agreed for goal in conference.goals.all())


def test_preparing_again_replaces_the_proposed_goals(world: World, today: datetime.date) -> None:
    conference = _prepared(world, goals=("Cite two sources", "Revise one essay"))
    kept = conference.goals.get(text="Cite two sources")

    conferences.prepare_conference(
        conference,
        strengths="Clear claims",
        growth_areas="Evidence",
        evidence=[],
        goals=["Cite two sources", "Read a model essay"],
        prepared_by=world.maya.user,
    )

    assert sorted(conference.goals.values_list("text", flat=True)) == [
        "Cite two sources",
        "Read a model essay",
    ]
    assert conference.goals.get(text="Cite two sources") == kept


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"strengths": "  "}, "strengths", "Name at least one strength."),
        ({"growth_areas": ""}, "growth_areas", "Name at least one area to grow in."),
        ({"goals": ["", " "]}, "goals", "Propose at least one goal."),
        ({"goals": ["x" * 301]}, "goals", "under 300 characters"),
    ],
)
def test_a_preparation_with_a_missing_part_is_refused_and_nothing_is_saved(
    world: World, today: datetime.date, change: dict, field: str, message: str
) -> None:
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)
    options = {
        "strengths": "Clear claims",
        "growth_areas": "Evidence",
        "evidence": [],
        "goals": ["Cite two sources"],
        "prepared_by": world.maya.user,
    } | change

    with pytest.raises(ValidationError) as error:
        conferences.prepare_conference(conference, **options)

    assert message in _message(error, field)
    conference.refresh_from_db()
    assert conference.prepared_at is None
    assert not Goal.objects.exists()


def test_a_student_cannot_show_a_classmate_s_work_or_their_own_self_assessment(
    graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    classmates = evidence.record_evidence(
        world.sam,
        world.claims,
        level=3,
        assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana,
        section=world.algebra_section,
    )
    own_self_assessment = evidence.record_evidence(
        world.maya,
        world.claims,
        level=4,
        assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.maya.user,
        source=Source.SELF,
    )
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)

    for entry in (classmates, own_self_assessment):
        with pytest.raises(ValidationError) as error:
            conferences.prepare_conference(
                conference,
                strengths="Claims",
                growth_areas="Evidence",
                evidence=[entry],
                goals=["Cite two sources"],
                prepared_by=world.maya.user,
            )
        assert "your own work" in _message(error, "evidence")
    assert not conference.chosen_evidence.exists()


def test_only_the_student_prepares_their_conference(world: World, today: datetime.date) -> None:
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)

    with pytest.raises(ValidationError) as error:
        conferences.prepare_conference(
            conference,
            strengths="Claims",
            growth_areas="Evidence",
            evidence=[],
            goals=["Cite two sources"],
            prepared_by=world.rosa,
        )

    assert "Only the student" in _message(error, "prepared_by")


# --- Recording ---------------------------------------------------------------------------------


def test_the_advisor_records_the_conference_and_the_agreed_goals(
    world: World, today: datetime.date
) -> None:
    conference = _prepared(world, goals=("Cite two sources", "Write every day"))
    cite = conference.goals.get(text="Cite two sources")

    conferences.record_conference(
        conference,
        advisor=world.cole,
        notes="Maya led well.",
        held_on=today,
        follow_up_on=datetime.date(2026, 12, 7),
        agreed_goals=[
            conferences.AgreedGoal(
                text="Cite two sources in each essay", due_on=datetime.date(2026, 12, 1), goal=cite
            ),
            conferences.AgreedGoal(text="Ask for feedback on a draft"),
        ],
    )

    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.HELD
    assert conference.advisor == world.cole
    assert conference.recorded_by == world.cole
    assert conference.recorded_at is not None
    cite.refresh_from_db()
    assert (cite.text, cite.agreed, cite.due_on) == (
        "Cite two sources in each essay",
        True,
        datetime.date(2026, 12, 1),
    )
    new = conference.goals.get(text="Ask for feedback on a draft")
    assert (new.agreed, new.proposed_by) == (True, world.cole)
    dropped = conference.goals.get(text="Write every day")
    assert (dropped.agreed, dropped.status) == (False, GoalStatus.DROPPED)
    assert [goal.text for goal in conferences.list_open_goals(world.maya)] == [
        "Cite two sources in each essay",
        "Ask for feedback on a draft",
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"follow_up_on": datetime.date(2026, 11, 1)},
            "follow_up_on",
            "The follow-up date comes after the conference.",
        ),
        (
            {"follow_up_on": datetime.date(2026, 11, 2)},
            "follow_up_on",
            "The follow-up date comes after the conference.",
        ),
        ({"held_on": datetime.date(2026, 11, 3)}, "held_on", "cannot be in the future"),
        (
            {"held_on": datetime.date(2026, 10, 30), "follow_up_on": None},
            "held_on",
            "cannot be held before it was started (2026-11-02)",
        ),
        ({"notes": " "}, "notes", "Write a few notes"),
        ({"agreed_goals": []}, "agreed_goals", "Agree at least one goal"),
        (
            {"agreed_goals": [conferences.AgreedGoal(text=" ")]},
            "agreed_goals",
            "says what the student will do",
        ),
        ({"advisor": "omar"}, "advisor", "Only a teacher of one of the student's current"),
        ({"advisor": "lena"}, "advisor", "Only a teacher of one of the student's current"),
    ],
)
def test_a_record_with_bad_input_is_refused_and_nothing_is_stored(
    world: World, today: datetime.date, change: dict, field: str, message: str
) -> None:
    conference = _prepared(world)
    if isinstance(change.get("advisor"), str):
        change = {"advisor": getattr(world, change["advisor"])}

    with pytest.raises(ValidationError) as error:
        _record(world, conference, **change)

    assert message in _message(error, field)
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.PREPARING
    assert conference.held_on is None
    assert not Goal.objects.filter(agreed=True).exists()


def test_a_held_conference_is_neither_prepared_nor_recorded_again(
    world: World, today: datetime.date
) -> None:
    conference = _record(world, _prepared(world))

    with pytest.raises(ValidationError, match="preparation is closed"):
        conferences.prepare_conference(
            conference,
            strengths="More",
            growth_areas="More",
            evidence=[],
            goals=["Another"],
            prepared_by=world.maya.user,
        )
    with pytest.raises(ValidationError, match="already recorded"):
        conferences.record_conference(
            conference,
            advisor=world.dana,
            notes="Again",
            held_on=today,
            follow_up_on=None,
            agreed_goals=[conferences.AgreedGoal(text="Another")],
        )


def test_after_one_conference_is_held_the_student_starts_the_next(
    world: World, today: datetime.date
) -> None:
    _record(world, _prepared(world))

    second = conferences.start_conference(world.maya, started_by=world.maya.user)

    assert second.status == ConferenceStatus.PREPARING


# --- Goals -------------------------------------------------------------------------------------


def test_a_goal_s_status_changes_stay_in_its_history_with_who_and_why(
    world: World, today: datetime.date
) -> None:
    _record(world, _prepared(world))
    goal = conferences.list_open_goals(world.maya).get()

    conferences.set_goal_status(
        goal, status=GoalStatus.MET, changed_by=world.maya.user, note="Two sources in both essays"
    )

    goal = conferences.list_goals(world.maya).get()
    assert goal.status == GoalStatus.MET
    changes = list(goal.changes.all())
    assert [change.status for change in changes] == ["active", "active", "met"]
    assert [change.agreed for change in changes] == [False, True, True]
    assert changes[-1].history_user == world.maya.user
    assert changes[-1].history_change_reason == "Two sources in both essays"
    assert changes[1].history_user == world.dana
    assert not conferences.list_open_goals(world.maya).exists()


def test_a_teacher_may_reopen_a_goal_and_a_family_member_may_not_change_it(
    world: World, today: datetime.date
) -> None:
    _record(world, _prepared(world))
    goal = conferences.list_open_goals(world.maya).get()
    conferences.set_goal_status(goal, status="met", changed_by=world.maya.user)

    conferences.set_goal_status(goal, status="active", changed_by=world.cole, note="One more")
    with pytest.raises(ValidationError) as error:
        conferences.set_goal_status(goal, status="dropped", changed_by=world.rosa)

    assert "Only the student and their teachers" in _message(error, "changed_by")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_an_unknown_goal_status_is_refused(world: World, today: datetime.date) -> None:
    goal = _prepared(world).goals.get()

    with pytest.raises(ValidationError) as error:
        conferences.set_goal_status(goal, status="someday", changed_by=world.maya.user)

    assert "Choose" in _message(error, "status")


def test_a_student_sets_a_goal_of_their_own_between_conferences(
    world: World, today: datetime.date
) -> None:
    goal = conferences.create_goal(
        world.maya, text="Read one article a week", proposed_by=world.maya.user
    )

    assert (goal.conference, goal.agreed, goal.status) == (None, False, GoalStatus.ACTIVE)
    with pytest.raises(ValidationError):
        conferences.create_goal(world.maya, text="Read more", proposed_by=world.rosa)


# --- Who may read ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "reads", "prepares", "records"),
    [
        ("maya", True, True, False),
        ("rosa", True, False, False),
        ("dana", True, False, True),
        ("cole", True, False, True),
        ("lena", True, False, False),
        ("rita", False, False, False),
        ("omar", False, False, False),
        ("hugo", False, False, False),
        ("ben", False, False, False),
        ("sam", False, False, False),
    ],
)
def test_who_reads_prepares_and_records_maya_s_conferences(
    world: World, today: datetime.date, viewer: str, reads: bool, prepares: bool, records: bool
) -> None:
    conference = _prepared(world)
    person = getattr(world, viewer)
    user = person.user if viewer in ("maya", "sam") else person

    listed = list(conferences.list_conferences_visible_to(user, world.maya))

    assert listed == ([conference] if reads else [])
    if reads:
        access = conferences.get_access(user, world.maya.uuid)
        assert (access.prepares, access.records) == (prepares, records)
    else:
        with pytest.raises(type(world.maya).DoesNotExist):
            conferences.get_access(user, world.maya.uuid)


def test_once_the_term_is_over_its_teachers_no_longer_see_or_record_the_conferences(
    world: World, today: datetime.date
) -> None:
    conference = _prepared(world)

    with time_machine.travel(datetime.date(2027, 1, 25), tick=False):
        assert not conferences.list_conferences_visible_to(world.dana, world.maya).exists()
        assert list(conferences.list_conferences_visible_to(world.maya.user, world.maya)) == [
            conference
        ]
        with pytest.raises(ValidationError) as error:
            _record(world, conference, held_on=datetime.date(2027, 1, 25), follow_up_on=None)
    assert "advisor" in error.value.message_dict
