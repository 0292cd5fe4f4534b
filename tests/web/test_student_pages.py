"""A student's own pages and their family's: where they stand, why, what's next, assessing their
own work, and calibration — each shown only to the student, their family and their teachers."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from mastery.engine.calibration import calibrate
from mastery.evidence import api as evidence
from mastery.evidence.models import EntryKind, Evidence, Source
from mastery.grading import api as grading
from mastery.grading.models import Rating
from mastery.rosters import api as rosters
from mastery.schools import api as schools
from tests.world import PASSWORD, World, publish_riverside_policy

pytestmark = pytest.mark.django_db


def _score(world: World, level: int, day: int, experience=None, subskill=None, **options):
    return evidence.record_evidence(
        world.maya,
        subskill or world.claims,
        level=level,
        assessed_on=datetime.date(2026, 10, day),
        recorded_by=world.dana,
        learning_experience=experience or world.lab_report,
        section=world.algebra_section,
        **options,
    )


def _dashboard(world: World) -> str:
    return reverse("student-detail", args=[world.maya.uuid])


def _competency(world: World) -> str:
    return reverse("student-competency", args=[world.maya.uuid, world.writing.uuid])


def _self_assessment(world: World, experience=None) -> str:
    experience = experience or world.essay
    return reverse("self-assessment", args=[world.maya.uuid, experience.uuid])


def test_the_dashboard_shows_each_competency_with_the_engine_s_next_step(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _score(world, 3, 1, comment="A precise claim")
    _score(world, 3, 2, experience=world.essay)
    client.force_login(world.maya.user)

    page = client.get(_dashboard(world)).content.decode()

    engine = grading.explain_rating(world.maya, world.claims, on=today)
    assert engine.next_step is not None
    assert "Where I stand" in page
    assert "AW Argumentative writing" in page
    assert engine.next_step.sentence in page
    stored = Rating.objects.get(student=world.maya, competency=world.writing)
    assert stored.level_label in page


def test_a_competency_without_enough_evidence_says_so_and_never_shows_a_zero(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.maya.user)

    page = client.get(_dashboard(world)).content.decode()

    assert "Not enough evidence yet" in page
    assert "no evidence yet: your first at-bats" in page
    assert ">0.00<" not in page


def _why_line(page: str) -> str:
    return page.split('<p class="why small">', 1)[1].split("</p>", 1)[0]


def test_each_competency_card_says_why_in_the_engine_s_words(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _score(world, 2, 1)
    _score(world, 3, 2, experience=world.essay)
    _score(world, 3, 3, experience=world.essay)
    _score(world, 2, 4, subskill=world.evidence_use)  # one at-bat: not enough for a rating
    client.force_login(world.maya.user)

    page = client.get(_dashboard(world)).content.decode()

    rolled = grading.explain_competency(world.maya, world.writing, on=today).rolled
    assert rolled.rating is not None
    *why, result = rolled.steps
    assert why == [
        "Left out for now (not enough evidence yet): AW.2.",
        "Ratings used: AW.1 2.",
        "One part is rated, so the competency takes its rating: 2.",
    ]
    assert _why_line(page) == f"<strong>Why:</strong> {escape(' '.join(why))}"
    assert result.startswith("Result:")  # the card's chip already says it


def test_a_card_without_enough_evidence_says_why_in_the_engine_s_words_too(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _score(world, 2, 1)
    client.force_login(world.rosa)  # the family reads the same why

    page = client.get(_dashboard(world)).content.decode()

    rolled = grading.explain_competency(world.maya, world.writing, on=today).rolled
    assert rolled.rating is None
    assert _why_line(page) == f"<strong>Why:</strong> {escape(' '.join(rolled.steps))}"
    assert "No part of this competency has enough evidence yet for a rating." in _why_line(page)


def test_the_competency_page_shows_the_progression_the_at_bats_with_comments_and_the_explanation(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _score(world, 2, 1, comment="Claim is too broad")
    _score(world, 3, 5, experience=world.essay, comment="Much sharper")
    client.force_login(world.maya.user)

    page = client.get(_competency(world)).content.decode()

    engine = grading.explain_rating(world.maya, world.claims, on=today)
    assert engine.explanation.method in page
    assert engine.next_step is not None
    assert engine.next_step.sentence in page
    assert "Claim is too broad" in page
    assert "Much sharper" in page
    assert "AW.1 States a precise claim" in page
    assert "AW.2 Supports with evidence" in page
    assert "current" in page
    assert "What Meeting looks like" in page  # the next level for a Developing student


def test_the_explanation_on_the_page_matches_the_engine_for_insufficient_evidence_too(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _score(world, 2, 1)
    client.force_login(world.maya.user)

    page = client.get(_competency(world)).content.decode()

    engine = grading.explain_rating(world.maya, world.claims, on=today)
    assert not engine.is_rated
    assert engine.explanation.method in page
    assert engine.next_step is not None
    assert engine.next_step.sentence in page


def test_what_s_next_lists_experiences_not_yet_done_that_target_unmastered_subskills(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _score(world, 2, 1)  # the lab report is done; the essay is still to come
    client.force_login(world.maya.user)

    page = client.get(_dashboard(world)).content.decode()

    coming_up = page.split("Coming up in your courses", 1)[1].split("</section>", 1)[0]
    assert "Modeling essay" in coming_up
    assert "Lab report" not in coming_up


def _section_in_term(world: World, course_key: str, title: str, term) -> None:
    """A writing course with one experience on AW.1, in `term`, with Maya enrolled."""
    from mastery.curriculum import api as curriculum

    course = curriculum.create_course(
        world.riverside, course_key, title=f"{title} course", credit_area=world.algebra.credit_area
    )
    curriculum.assess_competency(course, world.writing)
    experience = curriculum.create_learning_experience(
        course, "X", title=title, kind=curriculum.ExperienceKind.ESSAY, position=1
    )
    curriculum.align_experience(experience, [world.claims])
    section = rosters.create_section(course, term, f"{course_key}-1")
    rosters.enroll_student(section, world.maya, enrolled_on=term.starts_on)


def test_what_s_next_leaves_out_sections_of_a_term_that_has_ended(
    client: Client, graded_world: World
) -> None:
    from mastery.calendar import api as calendar

    world = graded_world
    last_year = calendar.create_school_year(
        world.riverside,
        "2025-26",
        starts_on=datetime.date(2025, 8, 25),
        ends_on=datetime.date(2026, 6, 12),
    )
    spring_past = calendar.create_term(
        last_year,
        "S2",
        name="Last spring",
        starts_on=datetime.date(2026, 1, 20),
        ends_on=datetime.date(2026, 6, 12),
    )
    spring_next = calendar.create_term(
        world.term.school_year,
        "S2",
        name="Spring",
        starts_on=datetime.date(2027, 1, 25),
        ends_on=datetime.date(2027, 6, 18),
    )
    _section_in_term(world, "OLD", "Last spring's journal", spring_past)
    _section_in_term(world, "NEW", "Spring op-ed", spring_next)
    client.force_login(world.maya.user)

    page = client.get(_dashboard(world)).content.decode()

    coming_up = page.split("Coming up in your courses", 1)[1].split("</section>", 1)[0]
    assert "Modeling essay" in coming_up  # this term
    assert "Spring op-ed" in coming_up  # the coming term
    assert "Last spring&#x27;s journal" not in coming_up
    assert "Last spring&#x27;s journal" in page  # still there to assess her own work


def test_a_student_assesses_their_own_work_with_a_reflection_and_it_is_never_counted(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _score(world, 2, 1)
    before = grading.explain_rating(world.maya, world.claims, on=today)
    client.force_login(world.maya.user)

    form = client.get(_self_assessment(world)).content.decode()
    response = client.post(
        _self_assessment(world),
        {"level-AW.1": "4", "reflection": "I found a sharper claim this time."},
    )

    assert "Shows the skill independently." in form  # the rubric at hand
    assert response.status_code == 302
    entry = Evidence.objects.get(student=world.maya, source=Source.SELF)
    assert (entry.level, entry.comment) == (Decimal("4"), "I found a sharper claim this time.")
    assert entry.learning_experience == world.essay
    assert entry.recorded_by == world.maya.user
    after = grading.explain_rating(world.maya, world.claims, on=today)
    assert (after.rating, after.counted) == (before.rating, before.counted)
    assert [own.level for own in after.self_assessments] == [Decimal("4")]


def test_revising_a_self_assessment_the_same_day_supersedes_it_and_keeps_the_first(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    client.force_login(world.maya.user)

    client.post(_self_assessment(world), {"level-AW.1": "4", "reflection": "First try"})
    client.post(_self_assessment(world), {"level-AW.1": "3", "reflection": "On reflection"})

    entries = list(Evidence.objects.filter(student=world.maya).order_by("id"))
    assert [(entry.kind, entry.level) for entry in entries] == [
        (EntryKind.RECORD, Decimal("4")),
        (EntryKind.CORRECTION, Decimal("3")),
    ]
    assert entries[1].supersedes == entries[0]
    page = client.get(_self_assessment(world)).content.decode()
    assert 'value="3" checked' in page
    assert "On reflection" in page


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"level-AW.1": "7"}, "scale"),
        ({"level-AW.1": "many"}, "Choose one of the levels shown."),
        ({"level-AW.1": ""}, "Choose a level for at least one subskill."),
    ],
)
def test_a_bad_self_assessment_is_refused_with_a_message_and_nothing_is_stored(
    client: Client, graded_world: World, posted: dict[str, str], message: str
) -> None:
    world = graded_world
    client.force_login(world.maya.user)

    response = client.post(_self_assessment(world), {**posted, "reflection": "x"})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Evidence.objects.filter(student=world.maya).exists()


def test_calibration_compares_self_assessments_with_the_teacher_s_scores_of_the_same_work(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _score(world, 2, 1)
    _score(world, 3, 2, experience=world.essay)
    for experience, level in ((world.lab_report, 3), (world.essay, 3)):
        evidence.record_evidence(
            world.maya,
            world.claims,
            level=level,
            assessed_on=datetime.date(2026, 10, 3),
            recorded_by=world.maya.user,
            source=Source.SELF,
            learning_experience=experience,
            section=world.algebra_section,
        )
    client.force_login(world.maya.user)

    page = client.get(reverse("student-calibration", args=[world.maya.uuid])).content.decode()

    result = grading.calibrate_student(world.maya)
    assert (result.count, result.mean_difference, result.within_one) == (
        2,
        Decimal("0.50"),
        Decimal("1.00"),
    )
    assert "+0.5" in page
    assert "100%" in page
    assert reverse("student-calibration-chart", args=[world.maya.uuid]) in page
    client.force_login(world.dana)
    section_page = client.get(
        reverse("section-calibration", args=[world.algebra_section.uuid])
    ).content.decode()
    assert "Maya Okafor" in section_page
    assert "+0.5" in section_page
    assert calibrate(result.pairs) == result


def test_the_calibration_charts_are_images_of_their_own_so_the_page_keeps_its_strict_styles(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _score(world, 2, 1)
    evidence.record_evidence(
        world.maya,
        world.claims,
        level=3,
        assessed_on=datetime.date(2026, 10, 3),
        recorded_by=world.maya.user,
        source=Source.SELF,
        learning_experience=world.lab_report,
        section=world.algebra_section,
    )
    pages_and_charts = [
        (world.maya.user, "student-calibration", "student-calibration-chart", world.maya.uuid),
        (
            world.dana,
            "section-calibration",
            "section-calibration-chart",
            world.algebra_section.uuid,
        ),
    ]
    for person, page_name, chart_name, uuid in pages_and_charts:
        client.force_login(person)
        page = client.get(reverse(page_name, args=[uuid]))
        chart = client.get(reverse(chart_name, args=[uuid]))

        html = page.content.decode()
        # An inline chart's style attributes are blocked by the page's policy: it paints black.
        assert "style-src 'self'" in page["Content-Security-Policy"]
        assert "<style" not in html
        assert ' style="' not in html
        assert f'<img src="{reverse(chart_name, args=[uuid])}"' in html
        assert chart.status_code == 200
        assert chart["Content-Type"] == "image/svg+xml"
        assert "style-src 'unsafe-inline'" in chart["Content-Security-Policy"]
        assert "script-src" not in chart["Content-Security-Policy"]  # default-src 'none'
        assert chart.content.decode().lstrip().startswith("<?xml")
        assert chart.content.decode().count(">Oct 2026</text>") == 1  # one tick per month


def test_a_guardian_with_two_children_switches_between_them(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.rosa)

    maya_page = client.get(_dashboard(world)).content.decode()
    sam_page = client.get(reverse("student-detail", args=[world.sam.uuid])).content.decode()

    for page in (maya_page, sam_page):
        assert reverse("student-detail", args=[world.maya.uuid]) in page
        assert reverse("student-detail", args=[world.sam.uuid]) in page
    assert 'aria-current="page">Sam Okafor' in sam_page
    assert "Assess your own work" not in maya_page  # only the student assesses their own work


def _switch(page: str) -> str:
    return page.split('<nav class="child-switch"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize(
    "name",
    [
        "student-calibration",
        "conference-list",
        "review-requests-for-student",
        "student-reports",
        "mastery-transcript",
        "transcript",
    ],
)
def test_the_child_switch_leads_a_guardian_to_the_same_page_for_the_other_child(
    client: Client, graded_world: World, name: str
) -> None:
    world = graded_world
    client.force_login(world.rosa)

    response = client.get(reverse(name, args=[world.maya.uuid]))

    assert response.status_code == 200
    switch = _switch(response.content.decode())
    assert f'href="{reverse(name, args=[world.sam.uuid])}">Sam Okafor' in switch
    assert f'href="{reverse(name, args=[world.maya.uuid])}" aria-current="page">Maya' in switch


def test_the_child_switch_on_one_record_leads_to_the_other_child_s_list(
    client: Client, graded_world: World
) -> None:
    from mastery.conferences import api as conferences

    world = graded_world
    conference = conferences.start_conference(world.maya, started_by=world.maya.user)
    client.force_login(world.rosa)

    page = client.get(reverse("conference-detail", args=[world.maya.uuid, conference.uuid]))

    switch = _switch(page.content.decode())
    assert reverse("conference-list", args=[world.sam.uuid]) in switch


@pytest.mark.parametrize("person", ["maya", "ben", "dana"])
def test_no_child_switch_for_a_student_a_one_child_family_or_a_teacher(
    client: Client, graded_world: World, person: str
) -> None:
    world = graded_world
    users = {"maya": world.maya.user, "ben": world.ben, "dana": world.dana}
    student = world.leo if person == "ben" else world.maya
    client.force_login(users[person])

    for name in ("student-detail", "student-reports", "student-calibration"):
        page = client.get(reverse(name, args=[student.uuid])).content.decode()
        assert 'class="child-switch"' not in page, name


def test_the_dashboard_and_competency_page_cost_the_same_queries_for_few_and_many_at_bats(
    client: Client, graded_world: World, django_assert_max_num_queries
) -> None:
    world = graded_world
    client.force_login(world.maya.user)
    _score(world, 2, 1)
    client.get(_dashboard(world))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(_dashboard(world))
        client.get(_competency(world))
    for day in range(2, 12):
        _score(world, 3, day, experience=world.essay if day % 2 else world.lab_report)
        _score(world, 2, day, subskill=world.evidence_use)
    with CaptureQueriesContext(connection) as many:
        client.get(_dashboard(world))
        client.get(_competency(world))

    assert len(many) == len(few)


STUDENT_URLS = [
    ("student-detail", lambda world: [world.maya.uuid]),
    ("student-competency", lambda world: [world.maya.uuid, world.writing.uuid]),
    ("student-calibration", lambda world: [world.maya.uuid]),
    ("competency-progress-chart", lambda world: [world.maya.uuid, world.writing.uuid]),
    ("student-calibration-chart", lambda world: [world.maya.uuid]),
]


@pytest.mark.parametrize(("name", "args"), STUDENT_URLS)
@pytest.mark.parametrize("outsider", ["sam", "leo", "hana", "ben", "omar", "hugo"])
def test_no_one_else_reaches_a_student_s_pages(
    client: Client, graded_world: World, name: str, args, outsider: str
) -> None:
    """Not her brother, another student of her school or of another school, another family,
    a teacher who does not teach her, a teacher at another school."""
    world = graded_world
    person = {
        "sam": world.sam.user,
        "leo": world.leo.user,
        "hana": world.hana.user,
        "ben": world.ben,
        "omar": world.omar,
        "hugo": world.hugo,
    }
    client.force_login(person[outsider])

    response = client.get(reverse(name, args=args(world)))

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "args"), STUDENT_URLS)
def test_an_anonymous_visitor_is_sent_to_sign_in(
    client: Client, graded_world: World, name: str, args
) -> None:
    response = client.get(reverse(name, args=args(graded_world)))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("person", ["sam", "rosa", "dana", "leo", "hana"])
def test_only_the_student_themself_assesses_their_own_work(
    client: Client, graded_world: World, person: str
) -> None:
    world = graded_world
    users = {
        "sam": world.sam.user,
        "rosa": world.rosa,
        "dana": world.dana,
        "leo": world.leo.user,
        "hana": world.hana.user,
    }
    client.force_login(users[person])

    read = client.get(_self_assessment(world))
    write = client.post(_self_assessment(world), {"level-AW.1": "4", "reflection": "not mine"})

    assert (read.status_code, write.status_code) == (404, 404)
    assert not Evidence.objects.exists()


def test_a_student_cannot_self_assess_an_experience_outside_their_sections(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.leo.user)  # Leo is in Biology, not Algebra

    response = client.get(reverse("self-assessment", args=[world.leo.uuid, world.essay.uuid]))

    assert response.status_code == 404


def test_the_section_calibration_is_for_the_section_s_teachers_only(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    for name in ("section-calibration", "section-calibration-chart"):
        url = reverse(name, args=[world.algebra_section.uuid])
        for person in (world.omar, world.hugo, world.maya.user, world.rosa):
            client.force_login(person)
            assert client.get(url).status_code == 404, (name, person.username)
        client.logout()
        assert client.get(url).status_code == 302
        client.force_login(world.cole)  # the co-teacher
        assert client.get(url).status_code == 200


def _grow_with_assessed_work(world: World, students: int, *, start: int = 0) -> None:
    """More students in ALG-1, each with a teacher's score and their own self-assessment of the
    same lab report: students without either would hide a query per compared student."""
    for number in range(start, start + students):
        student = schools.create_student(
            _user(f"extra{number}"),
            world.riverside,
            student_number=f"X-{number}",
            grade_level=10,
            graduation_year=2029,
        )
        rosters.enroll_student(world.algebra_section, student, enrolled_on=world.term.starts_on)
        for source, level, recorded_by in [
            (Source.TEACHER, 2, world.dana),
            (Source.SELF, 3, student.user),
        ]:
            evidence.record_evidence(
                student, world.claims, level=level, assessed_on=datetime.date(2026, 10, 1),
                recorded_by=recorded_by, source=source, learning_experience=world.lab_report,
                section=world.algebra_section if source == Source.TEACHER else None,
            )  # fmt: skip


@pytest.mark.parametrize("page", ["section-calibration", "section-calibration-chart"])
def test_the_section_calibration_costs_the_same_queries_for_a_small_and_a_large_class(
    client: Client, graded_world: World, page: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = graded_world
    client.force_login(world.dana)
    url = reverse(page, args=[world.algebra_section.uuid])
    _grow_with_assessed_work(world, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow_with_assessed_work(world, 30, start=3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200

    assert len(large) == len(small)


def _user(username: str):
    from mastery.accounts import api as accounts

    return accounts.create_user(username, first_name="Extra", last_name=username, password=PASSWORD)


def _exemplar(world: World):
    from mastery.frameworks import api as frameworks

    meeting = world.scale.levels.get(label="Meeting")
    return frameworks.add_exemplar(
        world.claims,
        meeting,
        name="claim-at-meeting.txt",
        content=b"The city should close Main Street to cars on summer Saturdays.",
        caption="A claim someone could dispute",
        uploaded_by=world.dana,
    )


def _open_reassessment(world: World):
    return rosters.open_reassessment(
        world.algebra_section,
        title="Claim retake",
        subskills=[world.claims],
        opens_on=datetime.date(2026, 10, 26),
        closes_on=datetime.date(2026, 11, 20),
        created_by=world.dana,
    )


def test_open_reassessments_are_headed_once_under_what_s_next(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _open_reassessment(world)
    client.force_login(world.maya.user)

    page = client.get(_dashboard(world)).content.decode()

    assert page.count("Open reassessment opportunities") == 1
    assert '<h3 id="reassessments-title">Open reassessment opportunities</h3>' in page
    assert "<h4>Claim retake</h4>" in page
    assert "Subskills you can show again:" in page


def test_a_family_reads_about_maya_not_about_you(client: Client, graded_world: World) -> None:
    world = graded_world
    _open_reassessment(world)
    client.force_login(world.rosa)

    dashboard = client.get(_dashboard(world)).content.decode()
    competency = client.get(_competency(world)).content.decode()
    calibration = client.get(
        reverse("student-calibration", args=[world.maya.uuid])
    ).content.decode()

    assert "the evidence Maya's teachers recorded" in dashboard
    assert "Maya's first at-bats will come" in dashboard
    assert "Coming up in Maya's courses" in dashboard
    assert "Practises what Maya still needs" in dashboard
    assert "Subskills Maya can show again:" in dashboard
    assert "Where Maya stands" in competency
    assert "Maya's first at-bats will come" in competency
    assert "Maya judges their own work" in calibration
    for page in (dashboard, competency, calibration):
        for student_wording in (
            "your teachers",
            "your first at-bats",
            "your courses",
            "what you still need",
            "you can show again",
            "Where you stand",
            "your own work",
        ):
            assert student_wording not in page


def test_the_competency_page_shows_exemplar_work_for_the_level_to_aim_for(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    exemplar = _exemplar(world)
    _score(world, 2, 1)  # Developing: Meeting is the level to aim for
    client.force_login(world.maya.user)

    page = client.get(_competency(world)).content.decode()
    file = client.get(reverse("exemplar-file", args=[exemplar.uuid]))

    assert "A claim someone could dispute" in page
    assert reverse("exemplar-file", args=[exemplar.uuid]) in page
    assert file.status_code == 200
    assert b"close Main Street" in b"".join(file.streaming_content)


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("rosa", 200),  # a family at the school
        # Another student of the school: an exemplar belongs to the framework, not to a
        # student, and his own competency page shows it for the same level.
        ("leo", 200),
        ("dana", 200),
        ("hana", 404),  # a student at another school
        ("hugo", 404),  # a teacher at another school
    ],
)
def test_exemplar_work_is_for_the_school_s_own_people(
    client: Client, graded_world: World, person: str, status: int
) -> None:
    world = graded_world
    url = reverse("exemplar-file", args=[_exemplar(world).uuid])
    users = {
        "rosa": world.rosa,
        "leo": world.leo.user,
        "dana": world.dana,
        "hana": world.hana.user,
        "hugo": world.hugo,
    }
    client.force_login(users[person])

    assert client.get(url).status_code == status


def test_exemplar_work_is_for_signed_in_people_only(client: Client, graded_world: World) -> None:
    url = reverse("exemplar-file", args=[_exemplar(graded_world).uuid])

    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("order_by", "caption"),
    [
        ("assessed_on", "At-bats for AW.1, oldest first"),
        ("due_on", "At-bats for AW.1, in the order they were due"),
        ("recorded_at", "At-bats for AW.1, in the order they were recorded"),
    ],
)
def test_the_competency_page_names_the_order_its_at_bats_are_in(
    client: Client, world: World, today: datetime.date, order_by: str, caption: str
) -> None:
    publish_riverside_policy(world, order_by=order_by)
    _score(world, 3, 1)
    client.force_login(world.maya.user)

    page = client.get(_competency(world)).content.decode()

    assert caption in page
    if order_by != "assessed_on":
        assert "oldest first" not in page
