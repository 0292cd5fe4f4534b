"""Level colours follow a level's place relative to mastery, so scales of 2 to 7 levels all get
one, and the same colour means the same thing on any scale."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from mastery import web
from mastery.evidence import api as evidence
from mastery.frameworks.models import PerformanceLevel
from mastery.web.levels import TONES, level_tones
from tests.world import World, publish_riverside_policy

STYLESHEET = Path(web.__file__).parent / "static" / "web" / "mastery.css"


@dataclass(frozen=True)
class Level:
    value: Decimal
    is_mastery: bool


def _scale(count: int, mastery: int) -> list[Level]:
    return [Level(Decimal(value), value == mastery) for value in range(1, count + 1)]


def _tones(count: int, mastery: int) -> list[str]:
    return list(level_tones(_scale(count, mastery)).values())


def test_four_levels_keep_the_colours_teachers_know() -> None:
    assert _tones(4, 3) == ["tone-below-far", "tone-below-1", "tone-mastery", "tone-above-1"]


def test_seven_levels_get_a_colour_each_by_their_place_relative_to_mastery() -> None:
    assert _tones(7, 5) == [
        "tone-below-far",
        "tone-below-2",
        "tone-below-2",
        "tone-below-1",
        "tone-mastery",
        "tone-above-1",
        "tone-above-2",
    ]


def test_two_levels_are_not_yet_and_mastery() -> None:
    assert _tones(2, 2) == ["tone-below-1", "tone-mastery"]


def test_a_scale_without_a_mastery_level_reads_its_top_as_mastery() -> None:
    assert _tones(3, 0) == ["tone-below-far", "tone-below-1", "tone-mastery"]


@pytest.mark.parametrize("count", range(2, 8))
def test_every_level_of_scales_of_two_to_seven_levels_has_a_colour_in_the_stylesheet(
    count: int,
) -> None:
    stylesheet = STYLESHEET.read_text()
    styled = set(re.findall(r"\.(tone-[a-z0-9-]+) \{[^}]*background", stylesheet))
    assert styled == {f"tone-{tone}" for tone in TONES}
    for mastery in range(1, count + 1):
        tones = _tones(count, mastery)
        assert set(tones) <= styled
        assert tones.count("tone-mastery") == 1


def _score(world: World, level: int, day: int) -> None:
    evidence.record_evidence(
        world.maya,
        world.claims,
        level=level,
        assessed_on=datetime.date(2026, 10, day),
        recorded_by=world.dana,
        learning_experience=world.lab_report,
        section=world.algebra_section,
    )


@pytest.mark.django_db
def test_gradebook_cells_and_legend_carry_the_level_s_colour(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    for day in (1, 2, 3):
        _score(world, 2, day)
    client.force_login(world.dana)

    page = client.get(
        reverse("gradebook", args=[world.algebra_section.uuid]) + "?expand=AW"
    ).content.decode()

    assert '<td class="cell tone-below-1">' in page
    for tone in ("tone-below-far", "tone-below-1", "tone-mastery", "tone-above-1"):
        assert f'<span class="chip {tone}">' in page


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["subskill", "competency"])
def test_the_drill_down_s_rating_chip_has_the_level_s_colour(
    client: Client, graded_world: World, kind: str
) -> None:
    world = graded_world
    for day in (1, 2, 3):
        _score(world, 2, day)
    client.force_login(world.dana)
    target = world.claims if kind == "subskill" else world.writing

    page = client.get(
        reverse("drill-down", args=[world.algebra_section.uuid, world.maya.uuid, kind, target.uuid])
    ).content.decode()

    assert '<span class="chip tone-below-1">Developing</span>' in page


@pytest.fixture
def five_levels(world: World, today: datetime.date) -> World:
    """Riverside's scale gets a fifth level and mastery moves up to 4 ("Proficient"), before
    its policy is published; Maya shows 4 three times in two contexts: mastered."""
    world.scale.levels.filter(value=3).update(is_mastery=False)
    world.scale.levels.filter(value=4).update(label="Proficient", is_mastery=True)
    PerformanceLevel.objects.create(scale=world.scale, value=5, label="Distinguished")
    publish_riverside_policy(world)
    for day, experience in [(1, world.lab_report), (2, world.essay), (3, world.lab_report)]:
        evidence.record_evidence(
            world.maya, world.claims, level=4, assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana, learning_experience=experience,
            section=world.algebra_section,
        )  # fmt: skip
    return world


@pytest.mark.django_db
def test_mastery_on_a_five_level_scale_is_mastery_s_colour_on_the_student_pages(
    client: Client, five_levels: World
) -> None:
    world = five_levels
    client.force_login(world.maya.user)

    dashboard = client.get(reverse("student-detail", args=[world.maya.uuid])).content.decode()
    competency = client.get(
        reverse("student-competency", args=[world.maya.uuid, world.writing.uuid])
    ).content.decode()

    chip = '<span class="chip tone-mastery">Proficient</span>'
    assert chip in dashboard
    assert competency.count(chip) == 2  # the competency, and AW.1 in its progression
    assert "level-4" not in dashboard + competency


@pytest.mark.django_db
def test_how_grading_works_colours_the_levels_by_their_place_relative_to_mastery(
    client: Client, five_levels: World
) -> None:
    client.force_login(five_levels.maya.user)

    page = client.get(reverse("how-grading-works")).content.decode()

    for tone, label in [("tone-mastery", "Proficient"), ("tone-above-1", "Distinguished")]:
        assert f'<div class="{tone}"><dt>{label}' in page


@pytest.mark.django_db
def test_a_review_request_shows_the_rating_in_its_level_s_colour(
    client: Client, five_levels: World
) -> None:
    world = five_levels
    client.force_login(world.rosa)
    url = reverse("review-request-new", args=[world.maya.uuid])

    page = client.get(
        url, {"section": world.algebra_section.uuid, "competency": world.writing.uuid}
    ).content.decode()

    assert '<span class="chip tone-mastery">Proficient</span>' in page
