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
from mastery.web.levels import TONES, level_tones
from tests.world import World

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
