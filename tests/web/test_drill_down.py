"""Opening a gradebook cell: the at-bats in order, why each counts or not, the explanation and
the next step — and correcting or voiding an at-bat with a reason."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from mastery.evidence import api as evidence
from mastery.evidence.models import EntryKind, Evidence, Source
from mastery.grading import api as grading
from mastery.grading.models import Rating
from tests.world import World, publish_riverside_policy

pytestmark = pytest.mark.django_db


def _score(world: World, level: int, day: int, experience=None, **options) -> Evidence:
    return evidence.record_evidence(
        world.maya,
        world.claims,
        level=level,
        assessed_on=datetime.date(2026, 10, day),
        learning_experience=experience or world.lab_report,
        section=world.algebra_section,
        **{"recorded_by": world.dana, **options},
    )


def _cell(world: World, kind: str = "subskill", target=None) -> str:
    target = target or (world.claims if kind == "subskill" else world.writing)
    return reverse(
        "drill-down", args=[world.algebra_section.uuid, world.maya.uuid, kind, target.uuid]
    )


def test_the_cell_shows_each_at_bat_and_the_engine_s_explanation_and_next_step(
    client: Client, graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    _score(world, 3, 1, comment="Precise claim")
    _score(world, 3, 2)
    evidence.record_evidence(
        world.maya,
        world.claims,
        level=4,
        assessed_on=datetime.date(2026, 10, 3),
        recorded_by=world.maya.user,
        source=Source.SELF,
        learning_experience=world.lab_report,
    )
    client.force_login(world.dana)

    response = client.get(_cell(world))

    page = response.content.decode()
    engine = grading.explain_rating(world.maya, world.claims, on=today)
    assert engine.next_step is not None
    assert engine.next_step.sentence in page
    assert engine.explanation.method in page
    assert "Precise claim" in page
    assert "self-assessments" in page
    assert page.count("Counts</span>") == 2


def test_the_competency_cell_shows_the_roll_up_from_its_subskills(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _score(world, 3, 1)
    client.force_login(world.dana)

    page = client.get(_cell(world, "competency")).content.decode()

    assert "How it rolls up from the subskills" in page
    assert "AW.1 States a precise claim" in page
    assert "AW.2 Supports with evidence" in page
    # Its at-bats are its subskills': the competency's own list is empty and says where to look.
    assert "No at-bats on the competency itself" in page
    assert "No at-bats yet." not in page


def test_a_teacher_corrects_an_at_bat_with_a_reason_and_the_history_stays(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    first = _score(world, 1, 1)
    client.force_login(world.dana)

    response = client.post(
        reverse("correct-at-bat", args=[world.algebra_section.uuid, first.uuid]),
        {"level": "3", "reason": "Scored against the wrong row"},
        follow=True,
    )

    assert response.status_code == 200
    correction = Evidence.objects.get(kind=EntryKind.CORRECTION)
    assert correction.supersedes == first
    assert correction.reason == "Scored against the wrong row"
    page = response.content.decode()
    assert "corrected later" in page
    assert "Scored against the wrong row" in page
    assert Rating.objects.get(student=world.maya, subskill=world.claims).counted == 1


def test_a_correction_without_a_reason_is_refused_in_the_page(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    first = _score(world, 1, 1)
    client.force_login(world.dana)

    response = client.post(
        reverse("correct-at-bat", args=[world.algebra_section.uuid, first.uuid]),
        {"level": "3", "reason": " "},
    )

    assert response.status_code == 400
    assert "needs a reason" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_a_correction_off_the_scale_is_refused_in_the_page(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    first = _score(world, 1, 1)
    client.force_login(world.dana)

    response = client.post(
        reverse("correct-at-bat", args=[world.algebra_section.uuid, first.uuid]),
        {"level": "9", "reason": "typo"},
    )

    assert response.status_code == 400
    assert "not on the Four levels scale" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_a_teacher_voids_an_at_bat_with_a_reason(client: Client, graded_world: World) -> None:
    world = graded_world
    first = _score(world, 2, 1)
    client.force_login(world.cole)

    client.post(
        reverse("void-at-bat", args=[world.algebra_section.uuid, first.uuid]),
        {"reason": "Maya was absent that day"},
    )

    void = Evidence.objects.get(kind=EntryKind.VOID)
    assert void.supersedes == first
    assert void.recorded_by == world.cole
    assert Rating.objects.get(student=world.maya, subskill=world.claims).counted == 0


def test_evidence_from_another_section_cannot_be_changed_from_this_one(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    elsewhere = evidence.record_evidence(
        world.maya,
        world.claims,
        level=2,
        assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.omar,
    )
    client.force_login(world.dana)

    response = client.post(
        reverse("void-at-bat", args=[world.algebra_section.uuid, elsewhere.uuid]), {"reason": "x"}
    )

    assert response.status_code == 404
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize(("source", "author"), [(Source.SELF, "maya"), (Source.PEER, "sam")])
@pytest.mark.parametrize("action", ["correct-at-bat", "void-at-bat"])
def test_a_self_or_peer_assessment_cannot_be_corrected_or_voided_by_the_teacher(
    client: Client, graded_world: World, source: Source, author: str, action: str
) -> None:
    world = graded_world
    theirs = _score(world, 4, 1, source=source, recorded_by=getattr(world, author).user)
    client.force_login(world.dana)

    response = client.post(
        reverse(action, args=[world.algebra_section.uuid, theirs.uuid]),
        {"level": "2", "reason": "Too generous"},
    )

    assert response.status_code == 404
    assert list(Evidence.objects.all()) == [theirs]


def test_the_page_offers_no_correction_of_a_self_assessment(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    theirs = _score(world, 4, 1, source=Source.SELF, recorded_by=world.maya.user)
    ours = _score(world, 3, 2)
    client.force_login(world.dana)

    page = client.get(_cell(world)).content.decode()

    assert reverse("correct-at-bat", args=[world.algebra_section.uuid, ours.uuid]) in page
    assert reverse("correct-at-bat", args=[world.algebra_section.uuid, theirs.uuid]) not in page


def test_a_target_the_course_does_not_assess_is_not_found(
    client: Client, graded_world: World
) -> None:
    from mastery.frameworks import api as frameworks

    world = graded_world
    other = frameworks.create_competency(
        world.framework, "QR", title="Quantitative reasoning", position=2
    )
    client.force_login(world.dana)

    assert client.get(_cell(world, "competency", other)).status_code == 404


@pytest.mark.parametrize(
    ("order_by", "heading"),
    [
        ("assessed_on", "At-bats, oldest first"),
        ("due_on", "At-bats, in the order they were due"),
        ("recorded_at", "At-bats, in the order they were recorded"),
    ],
)
def test_the_at_bats_heading_names_the_policy_s_order(
    client: Client, world: World, today: datetime.date, order_by: str, heading: str
) -> None:
    publish_riverside_policy(world, order_by=order_by)
    _score(world, 3, 1)
    client.force_login(world.dana)

    page = client.get(_cell(world)).content.decode()

    assert heading in page
    if order_by != "assessed_on":
        assert "oldest first" not in page
