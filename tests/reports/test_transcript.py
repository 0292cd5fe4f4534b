"""The mastery transcript: credits by area from finalized passing grades, every competency at
its current level with the evidence that best shows it, nothing averaged."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from mastery.grading import api as grading
from mastery.reports import api as reports
from mastery.rosters import api as rosters
from tests.world import World

pytestmark = pytest.mark.django_db


def _finalize(world: World, **override: str) -> None:
    enrollment = rosters.list_enrollments(world.maya, term=world.term).get(
        section=world.algebra_section
    )
    grading.finalize_term_grade(enrollment, finalized_by=world.dana, **override)


def test_a_finalized_passing_grade_earns_the_course_credit_in_its_area(
    scored_world: World, today: datetime.date
) -> None:
    world = scored_world
    _finalize(world)

    transcript = reports.mastery_transcript(world.maya, on=today)

    (course,) = transcript.courses
    assert (course.course, course.credit_area, course.credits_earned) == (
        "Algebra",
        "Mathematics",
        Decimal("1.00"),
    )
    assert {area.name: area.earned for area in transcript.credit_areas} == {
        "Mathematics": Decimal("1.00"),
        "Science": Decimal(0),
    }
    assert transcript.total_credits_text == "1"


def test_a_failing_grade_is_listed_and_earns_nothing(
    scored_world: World, today: datetime.date
) -> None:
    world = scored_world
    _finalize(world, final_grade="F", reason="Missing the final project")

    transcript = reports.mastery_transcript(world.maya, on=today)

    (course,) = transcript.courses
    assert (course.grade, course.credits_earned) == ("F", Decimal(0))
    assert transcript.total_credits_text == "0"


def test_a_grade_not_finalized_yet_earns_no_credit(
    scored_world: World, today: datetime.date
) -> None:
    transcript = reports.mastery_transcript(scored_world.maya, on=today)

    assert transcript.courses == ()
    assert transcript.total_credits_text == "0"


def test_competencies_show_their_level_and_the_best_recent_evidence(
    scored_world: World, today: datetime.date
) -> None:
    world = scored_world

    transcript = reports.mastery_transcript(world.maya, on=today)

    (writing,) = transcript.competencies
    assert (writing.title, writing.level_label, writing.mastered) == (
        "Argumentative writing",
        "Meeting",
        True,
    )
    assert [(item.on.day, item.level_label) for item in writing.evidence] == [
        (19, "Meeting"),
        (12, "Meeting"),
    ]
    assert writing.evidence[1].comment == "Your claim is precise and arguable."


def test_the_transcript_pdf_says_the_same(scored_world: World, today: datetime.date) -> None:
    world = scored_world
    _finalize(world)

    pdf = reports.render_transcript_pdf(reports.mastery_transcript(world.maya, on=today))

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Maya Okafor" in text
    assert "Mathematics" in text
    assert "Argumentative writing" in text
    assert "Modeling essay (Algebra)" in text
