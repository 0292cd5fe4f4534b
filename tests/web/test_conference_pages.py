"""The conference pages: the student prepares from their own ratings, the family reads, a
teacher of a current section records the conversation, goals change status in place — and
everyone else finds nothing (404), on every URL."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mastery.conferences import api as conferences
from mastery.conferences.models import Conference, ConferenceStatus, Goal, GoalStatus
from mastery.evidence import api as evidence
from mastery.evidence.models import Evidence
from mastery.grading import api as grading
from tests.world import World

pytestmark = pytest.mark.django_db


def _score(world: World, level: int, day: int, subskill=None, experience=None) -> Evidence:
    return evidence.record_evidence(
        world.maya,
        subskill or world.claims,
        level=level,
        assessed_on=datetime.date(2026, 10, day),
        recorded_by=world.dana,
        learning_experience=experience or world.lab_report,
        section=world.algebra_section,
    )


def _prepared(world: World, goals: tuple[str, ...] = ("Cite two sources",)) -> Conference:
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)
    return conferences.prepare_conference(
        conference,
        strengths="Clear claims",
        growth_areas="Supporting my claims with evidence",
        evidence=[],
        goals=list(goals),
        prepared_by=world.maya.user,
    )


def _held(world: World, today: datetime.date) -> Conference:
    conference = _prepared(world)
    proposal = conference.goals.get()
    return conferences.record_conference(
        conference,
        advisor=world.dana,
        notes="Maya walked us through her lab report.",
        held_on=today,
        follow_up_on=today + datetime.timedelta(days=30),
        agreed_goals=[conferences.AgreedGoal(text=proposal.text, goal=proposal)],
    )


def _list(world: World) -> str:
    return reverse("conference-list", args=[world.maya.uuid])


def _detail(world: World, conference: Conference) -> str:
    return reverse("conference-detail", args=[world.maya.uuid, conference.uuid])


def _user(world: World, name: str):
    person = getattr(world, name)
    return person.user if name in ("maya", "sam", "leo", "hana") else person


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_the_goals_with_their_status_and_every_conference(
    client: Client, world: World, today: datetime.date
) -> None:
    _held(world, today)
    client.force_login(world.rosa)

    page = client.get(_list(world)).content.decode()

    assert "Maya Okafor: conferences and goals" in page
    assert "Cite two sources" in page
    assert "Working on it" in page
    assert "agreed at the conference" in page
    assert "Dana Whitfield" in page
    assert "Prepare a conference" not in page
    assert 'name="status"' not in page


def test_a_student_is_offered_to_prepare_a_conference_and_then_to_continue_it(
    client: Client, world: World, today: datetime.date
) -> None:
    client.force_login(world.maya.user)
    assert "Prepare a conference" in client.get(_list(world)).content.decode()

    conference = _prepared(world)
    page = client.get(_list(world)).content.decode()

    assert "Continue preparing your conference" in page
    assert _detail(world, conference) in page


def test_the_list_costs_the_same_queries_with_one_conference_or_five(
    client: Client, world: World, today: datetime.date
) -> None:
    client.force_login(world.rosa)
    _held(world, today)
    client.get(_list(world))
    with CaptureQueriesContext(connection) as one:
        assert client.get(_list(world)).status_code == 200
    for _ in range(4):
        _held(world, today)

    with CaptureQueriesContext(connection) as five:
        page = client.get(_list(world)).content.decode()

    assert page.count('<tr id="goal-') == 5
    assert len(five) == len(one)


def test_the_goals_partial_renders_from_the_goals_alone(world: World, today: datetime.date) -> None:
    _held(world, today)

    html = render_to_string("web/_goals.html", {"goals": conferences.list_open_goals(world.maya)})

    assert "Cite two sources" in html
    assert "Working on it" in html
    assert "<form" not in html


# --- Starting and preparing --------------------------------------------------------------------


def test_a_student_starts_a_conference_and_lands_on_its_preparation(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    client.force_login(world.maya.user)
    url = reverse("conference-new", args=[world.maya.uuid])
    assert "Start preparing" in client.get(url).content.decode()

    response = client.post(url)

    conference = Conference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(world, conference)
    assert client.get(url)["Location"] == _detail(world, conference)


def test_the_preparation_form_is_pre_filled_from_the_student_s_ratings(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _score(world, 3, 1, experience=world.lab_report)
    _score(world, 3, 2, experience=world.essay)
    _score(world, 4, 3, experience=world.essay)
    _score(world, 2, 4, subskill=world.evidence_use)
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)
    client.force_login(world.maya.user)

    page = client.get(_detail(world, conference)).content.decode()

    engine = grading.explain_rating(world.maya, world.evidence_use, on=today)
    assert engine.next_step is not None
    assert '<textarea id="strengths"' in page
    assert "Argumentative writing: Meeting, mastered.</textarea>" in page
    assert engine.next_step.sentence in page
    assert page.count('name="evidence"') == 4
    assert "aria-invalid" not in page


def test_a_student_saves_their_preparation(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    entry = _score(world, 3, 1)
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)
    client.force_login(world.maya.user)

    response = client.post(
        reverse("conference-prepare", args=[world.maya.uuid, conference.uuid]),
        {
            "strengths": "I state precise claims.",
            "growth_areas": "Using evidence.",
            "evidence": [str(entry.uuid)],
            "goal": ["Cite two sources", ""],
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Your preparation is saved" in response.content.decode()
    conference.refresh_from_db()
    assert conference.strengths == "I state precise claims."
    assert list(conference.chosen_evidence.all()) == [entry]
    assert list(conference.goals.values_list("text", flat=True)) == ["Cite two sources"]


def test_a_preparation_without_strengths_is_refused_in_the_page_next_to_the_field(
    client: Client, world: World, today: datetime.date
) -> None:
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)
    client.force_login(world.maya.user)

    response = client.post(
        reverse("conference-prepare", args=[world.maya.uuid, conference.uuid]),
        {"strengths": " ", "growth_areas": "Evidence", "goal": ["Cite two sources"]},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved" in page
    assert 'aria-describedby="strengths-help strengths-error"' in page
    assert '<p class="form-error" id="strengths-error">Name at least one strength.</p>' in page
    assert 'value="Cite two sources"' in page
    conference.refresh_from_db()
    assert conference.prepared_at is None
    assert not Goal.objects.exists()


def test_a_classmate_s_work_cannot_be_chosen_even_by_a_forged_form(
    client: Client, graded_world: World, today: datetime.date
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
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)
    client.force_login(world.maya.user)

    for forged in (str(classmates.uuid), "not-a-uuid"):
        response = client.post(
            reverse("conference-prepare", args=[world.maya.uuid, conference.uuid]),
            {
                "strengths": "Claims",
                "growth_areas": "Evidence",
                "evidence": [forged],
                "goal": ["Cite two sources"],
            },
        )
        assert response.status_code == 400
        assert "Choose from your own work that a teacher has scored." in response.content.decode()
    assert not conference.chosen_evidence.exists()


def test_the_family_reads_the_preparation_without_a_form(
    client: Client, world: World, today: datetime.date
) -> None:
    conference = _prepared(world)
    client.force_login(world.rosa)

    page = client.get(_detail(world, conference)).content.decode()

    assert "Clear claims" in page
    assert "Cite two sources" in page
    assert "<textarea" not in page
    assert "Record the conference" not in page


# --- Recording ---------------------------------------------------------------------------------


def test_a_teacher_of_the_student_records_the_conference(
    client: Client, world: World, today: datetime.date
) -> None:
    conference = _prepared(world, goals=("Cite two sources", "Write daily"))
    cite, daily = conference.goals.order_by("id")
    client.force_login(world.cole)
    assert "Record the conference" in client.get(_detail(world, conference)).content.decode()

    response = client.post(
        reverse("conference-record", args=[world.maya.uuid, conference.uuid]),
        {
            "notes": "Maya led the conversation.",
            "held_on": "2026-11-02",
            "follow_up_on": "2026-12-07",
            "agree": [str(cite.uuid)],
            f"goal-text-{cite.uuid}": "Cite two sources in each essay",
            f"goal-due-{cite.uuid}": "2026-12-01",
            f"goal-text-{daily.uuid}": daily.text,
            f"goal-due-{daily.uuid}": "",
            "new-goal-text": ["Ask for feedback on a draft", ""],
            "new-goal-due": ["", ""],
        },
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The conference is recorded" in page
    assert "Maya led the conversation." in page
    conference.refresh_from_db()
    assert (conference.status, conference.advisor) == (ConferenceStatus.HELD, world.cole)
    assert conference.follow_up_on == datetime.date(2026, 12, 7)
    assert sorted(conferences.list_open_goals(world.maya).values_list("text", flat=True)) == [
        "Ask for feedback on a draft",
        "Cite two sources in each essay",
    ]
    daily.refresh_from_db()
    assert daily.status == GoalStatus.DROPPED


@pytest.mark.parametrize(
    ("held_on", "follow_up_on", "field", "message"),
    [
        (
            "2026-11-02",
            "2026-10-30",
            "follow_up_on",
            "The follow-up date comes after the conference.",
        ),
        ("2026-11-02", "next week", "follow_up_on", "is not a date"),
        ("", "", "held_on", "Enter a date."),
        ("2026-11-09", "", "held_on", "cannot be in the future"),
    ],
)
def test_a_record_with_bad_dates_is_refused_in_the_page_and_nothing_is_stored(
    client: Client,
    world: World,
    today: datetime.date,
    held_on: str,
    follow_up_on: str,
    field: str,
    message: str,
) -> None:
    conference = _prepared(world)
    goal = conference.goals.get()
    client.force_login(world.dana)

    response = client.post(
        reverse("conference-record", args=[world.maya.uuid, conference.uuid]),
        {
            "notes": "Good talk.",
            "held_on": held_on,
            "follow_up_on": follow_up_on,
            "agree": [str(goal.uuid)],
            f"goal-text-{goal.uuid}": goal.text,
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert f'aria-describedby="{field}-error"' in page
    assert f'id="{field}-error"' in page
    assert message in page
    assert "Good talk." in page
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.PREPARING
    assert not Goal.objects.filter(agreed=True).exists()


def test_a_held_conference_shows_the_record_and_the_agreed_goals_to_the_family(
    client: Client, world: World, today: datetime.date
) -> None:
    conference = _held(world, today)
    client.force_login(world.rosa)

    page = client.get(_detail(world, conference)).content.decode()

    assert "Held on November 2, 2026 with Dana Whitfield." in page
    assert "Maya walked us through her lab report." in page
    assert "Cite two sources" in page
    assert '<form method="post" action="/students' not in page


# --- Goals -------------------------------------------------------------------------------------


def test_a_student_marks_a_goal_met_with_a_note_and_it_shows_in_the_history(
    client: Client, world: World, today: datetime.date
) -> None:
    _held(world, today)
    goal = Goal.objects.get()
    client.force_login(world.maya.user)

    response = client.post(
        reverse("goal-status", args=[world.maya.uuid, goal.uuid]),
        {"status": "met", "note": "Both essays cite two sources"},
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Goal updated." in page
    assert "Both essays cite two sources" in page
    goal.refresh_from_db()
    assert goal.status == GoalStatus.MET


def test_an_htmx_status_change_answers_with_the_goal_s_row_only(
    client: Client, world: World, today: datetime.date
) -> None:
    _held(world, today)
    goal = Goal.objects.get()
    client.force_login(world.dana)

    response = client.post(
        reverse("goal-status", args=[world.maya.uuid, goal.uuid]),
        {"status": "dropped", "note": "Replaced by a new goal"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<tr id="goal-{goal.uuid}">')
    assert "Dropped" in html
    assert "Replaced by a new goal" in html
    assert "<html" not in html


def test_an_unknown_goal_status_is_refused_next_to_the_goal(
    client: Client, world: World, today: datetime.date
) -> None:
    _held(world, today)
    goal = Goal.objects.get()
    client.force_login(world.maya.user)
    url = reverse("goal-status", args=[world.maya.uuid, goal.uuid])

    page = client.post(url, {"status": "someday"})
    partial = client.post(url, {"status": "someday"}, headers={"HX-Request": "true"})

    assert page.status_code == 400
    assert f'aria-describedby="goal-error-{goal.uuid}"' in page.content.decode()
    assert partial.status_code == 422
    assert "Choose working on it, met or dropped." in partial.content.decode()
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


# --- Someone else's conference: 404 on every URL -----------------------------------------------


def _every_url(world: World, conference: Conference, goal: Goal) -> list[tuple[str, str]]:
    maya = world.maya.uuid
    return [
        ("get", reverse("conference-list", args=[maya])),
        ("get", reverse("conference-new", args=[maya])),
        ("post", reverse("conference-new", args=[maya])),
        ("get", reverse("conference-detail", args=[maya, conference.uuid])),
        ("post", reverse("conference-prepare", args=[maya, conference.uuid])),
        ("post", reverse("conference-record", args=[maya, conference.uuid])),
        ("post", reverse("goal-status", args=[maya, goal.uuid])),
    ]


@pytest.mark.parametrize("viewer", ["sam", "ben", "omar", "hugo", "hana", "rita"])
def test_someone_with_no_part_in_maya_s_conferences_finds_nothing_on_any_url(
    client: Client, world: World, today: datetime.date, viewer: str
) -> None:
    conference = _prepared(world)
    goal = conference.goals.get()
    client.force_login(_user(world, viewer))

    for method, url in _every_url(world, conference, goal):
        response = getattr(client, method)(url, {"status": "met", "strengths": "x"})
        assert response.status_code == 404, (viewer, method, url)
    conference.refresh_from_db()
    assert conference.strengths == "Clear claims"


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_url(
    client: Client, world: World, today: datetime.date
) -> None:
    conference = _prepared(world)
    goal = conference.goals.get()

    for method, url in _every_url(world, conference, goal):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("viewer", "allowed"),
    [
        (
            "maya",
            {
                "conference-list",
                "conference-detail",
                "conference-new",
                "conference-prepare",
                "goal-status",
            },
        ),
        ("rosa", {"conference-list", "conference-detail"}),
        ("lena", {"conference-list", "conference-detail"}),
        ("dana", {"conference-list", "conference-detail", "conference-record", "goal-status"}),
        ("cole", {"conference-list", "conference-detail", "conference-record", "goal-status"}),
    ],
)
def test_those_who_read_maya_s_conferences_may_only_do_their_own_part(
    client: Client, world: World, today: datetime.date, viewer: str, allowed: set[str]
) -> None:
    conference = _prepared(world)
    goal = conference.goals.get()
    client.force_login(_user(world, viewer))
    names = [
        "conference-list",
        "conference-new",
        "conference-new",
        "conference-detail",
        "conference-prepare",
        "conference-record",
        "goal-status",
    ]

    for name, (method, url) in zip(names, _every_url(world, conference, goal), strict=True):
        # Empty forms: an allowed write answers 400 (or a redirect), never 404.
        response = getattr(client, method)(url)
        assert (response.status_code != 404) == (name in allowed), (viewer, method, url)


def test_another_student_s_conference_is_not_found_under_maya_s_address(
    client: Client, world: World, today: datetime.date
) -> None:
    sams = conferences.start_conference(world.sam, started_by=world.sam.user)
    client.force_login(world.maya.user)

    response = client.get(reverse("conference-detail", args=[world.maya.uuid, sams.uuid]))

    assert response.status_code == 404
