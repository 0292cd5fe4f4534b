"""Charts are SVG documents with an accessible name, drawn from the stored ratings."""

import datetime
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest

from mastery.reports import api as reports
from mastery.reports.charts import (
    CalibrationPoint,
    ProgressPoint,
    ProgressSeries,
    ScaleLevel,
    calibration_chart,
    progress_chart,
)
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


def _tick_labels(svg: str) -> list[str]:
    root = _parsed(svg)
    return [text.text or "" for text in root.iter(f"{SVG}text")]


def _progress(*days: datetime.date) -> list[ProgressSeries]:
    return [
        ProgressSeries(
            "AW Argumentative writing", tuple(ProgressPoint(day, Decimal(3)) for day in days)
        )
    ]


LEVELS = [
    ScaleLevel(Decimal(1), "Beginning", False),
    ScaleLevel(Decimal(3), "Meeting", True),
]


@pytest.mark.parametrize(
    "days",
    [
        (datetime.date(2026, 10, 1),),
        (datetime.date(2026, 10, 1), datetime.date(2026, 10, 2)),
        (datetime.date(2026, 9, 1), datetime.date(2027, 3, 1)),
    ],
)
def test_a_progress_chart_s_days_are_each_named_once_even_for_a_single_at_bat(
    days: tuple[datetime.date, ...],
) -> None:
    labels = [
        label
        for label in _tick_labels(progress_chart("Progress", _progress(*days), LEVELS))
        if label not in {"Beginning", "Meeting"}
    ]

    assert len(labels) >= 3
    assert len(labels) == len(set(labels))  # never "Jan 01, Jan 01, Jan 01"
    assert days[0].strftime("%b %d") in labels  # the at-bat's own day


def test_a_progress_chart_without_evidence_names_no_made_up_day() -> None:
    labels = _tick_labels(progress_chart("Progress", _progress(), LEVELS))

    assert labels == ["Beginning", "Meeting", "No evidence yet"]


@pytest.mark.parametrize("months", [1, 2, 3, 10])
def test_a_calibration_chart_names_each_month_once(months: int) -> None:
    firsts = [
        datetime.date(2026 + (8 + index) // 12, (8 + index) % 12 + 1, 1) for index in range(months)
    ]
    points = [CalibrationPoint(first, Decimal("0.5"), Decimal("1")) for first in firsts]

    labels = [
        label
        for label in _tick_labels(calibration_chart("Calibration", points, labels=("a", "b", "c")))
        if label[:3] in {"Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun"}
    ]

    assert labels
    assert len(labels) == len(set(labels))  # never "Sep 2026 Sep 2026 Sep 2026"
    assert labels[0] == "Sep 2026"
    assert set(labels) <= {f"{first:%b %Y}" for first in firsts}
