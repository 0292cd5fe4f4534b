"""Charts are SVG documents with an accessible name, drawn from the stored ratings."""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest

from mastery.reports import api as reports
from tests.world import World

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _parsed(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg.encode())
    assert root.tag == f"{SVG}svg"
    return root


def test_a_student_s_competency_progress_is_an_svg_with_a_title(
    scored_world: World, today: datetime.date
) -> None:
    world = scored_world

    root = _parsed(reports.competency_progress_chart(world.maya, world.writing))

    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "Maya Okafor: Argumentative writing over time"
    assert root.get("role") == "img"
    description = root.find(f"{SVG}desc")
    assert description is not None
    assert "2026-10-19 3.00" in (description.text or "")


def test_a_section_s_mastery_distribution_counts_each_student_once_per_competency(
    scored_world: World, today: datetime.date
) -> None:
    world = scored_world

    root = _parsed(reports.section_distribution_chart(world.algebra_section))

    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "ALG-1 Algebra: where students stand in each competency"
    description = root.find(f"{SVG}desc")
    assert description is not None
    assert description.text == (
        "AW Argumentative writing: 0 Beginning, 0 Developing, 1 Meeting, 0 Exceeding, "
        "1 not enough evidence"
    )


def test_a_student_without_evidence_gets_an_empty_chart_not_zeros(
    graded_world: World, today: datetime.date
) -> None:
    root = _parsed(reports.competency_progress_chart(graded_world.sam, graded_world.writing))

    description = root.find(f"{SVG}desc")
    assert description is not None
    assert description.text == "AW Argumentative writing: no evidence yet"
