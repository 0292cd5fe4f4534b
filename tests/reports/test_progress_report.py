"""A student's progress report for a term: the stored ratings, the engine's explanations and
next steps, the teachers' comments, and a PDF whose text says the same."""

import datetime
import io

import pytest
import time_machine
from pypdf import PdfReader

from mastery.evidence import api as evidence
from mastery.grading import api as grading
from mastery.reports import api as reports
from tests.world import World

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _line_after(text: str, heading: str) -> str:
    """The line of the PDF text that follows `heading` (a competency's rating line follows its
    title); the header's explanation of "Not enough evidence yet" is never it."""
    lines = [line.strip() for line in text.splitlines()]
    return lines[lines.index(heading) + 1]


def test_the_pdf_names_the_student_each_competency_and_says_not_enough_evidence_where_so(
    scored_world: World, today: datetime.date
) -> None:
    world = scored_world
    report = reports.build_progress_report(world.maya, world.term, on=today)

    pdf = reports.render_progress_report_pdf(report)

    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf)
    assert "Maya Okafor" in text
    assert "Argumentative writing" in text
    assert "States a precise claim" in text
    assert _line_after(text, "AW · Argumentative writing") == "Meeting (3) · Mastered"
    assert "AW.2 Supports with evidence Not enough evidence yet 0" in text.splitlines()
    assert "Your claim is precise and arguable." in text
    assert "Page 1 of 2" in text  # the print stylesheet's page footer


def test_a_student_with_no_evidence_at_all_gets_a_report_that_says_so_not_a_zero(
    graded_world: World, today: datetime.date
) -> None:
    world = graded_world

    report = reports.build_progress_report(world.sam, world.term, on=today)
    text = _pdf_text(reports.render_progress_report_pdf(report))

    (line,) = report.competencies
    assert not line.is_rated
    assert line.level_label == reports.NOT_ENOUGH_EVIDENCE
    assert report.has_insufficient_evidence
    assert "Sam Okafor" in text
    assert _line_after(text, "AW · Argumentative writing") == "Not enough evidence yet"
    assert "AW.1 States a precise claim Not enough evidence yet 0" in text.splitlines()
    assert " 0 · " not in text


def test_the_report_carries_the_stored_rating_the_engine_s_reasons_and_next_step(
    scored_world: World, today: datetime.date
) -> None:
    world = scored_world

    report = reports.build_progress_report(world.maya, world.term, on=today)

    (line,) = report.competencies
    assert (line.level_label, line.rating_text, line.mastered) == ("Meeting", "3", True)
    assert line.highlight[-1] == "Result: 3, which is Meeting. Mastered."
    claims, evidence_use = line.subskills
    assert (claims.key, claims.level_label, claims.counted) == ("AW.1", "Meeting", 3)
    assert (evidence_use.key, evidence_use.level_label) == ("AW.2", reports.NOT_ENOUGH_EVIDENCE)
    assert line.next_steps == (
        "AW.2 Supports with evidence: 3 more at-bats at Meeting, "
        "from at least two different contexts.",
    )
    (course,) = report.courses
    assert (course.course, course.section, course.grade_status) == (
        "Algebra",
        "ALG-1",
        "In progress",
    )


def test_a_course_grade_still_in_progress_is_said_once_not_as_a_grade_and_a_status(
    graded_world: World, today: datetime.date
) -> None:
    world = graded_world
    evidence.record_evidence(
        world.maya, world.claims, level=3, assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana, learning_experience=world.lab_report,
        section=world.algebra_section,
    )  # fmt: skip

    report = reports.build_progress_report(world.maya, world.term, on=today)

    (course,) = report.courses
    assert (course.grade, course.grade_status) == ("In progress", "")


def test_the_progress_line_is_the_rating_as_of_each_day_with_evidence(
    scored_world: World, today: datetime.date
) -> None:
    world = scored_world

    report = reports.build_progress_report(world.maya, world.term, on=today)

    points = report.competencies[0].progress.points
    assert [(point.on.day, point.rating) for point in points] == [
        (5, None),
        (12, None),
        (19, 3),
    ]


def test_a_comment_kept_through_a_correction_is_shown_once_and_a_voided_one_not_at_all(
    scored_world: World, today: datetime.date
) -> None:
    world = scored_world
    noted = evidence.record_evidence(
        world.maya,
        world.evidence_use,
        level=2,
        assessed_on=datetime.date(2026, 10, 20),
        recorded_by=world.dana,
        learning_experience=world.lab_report,
        section=world.algebra_section,
        comment="Cite the data table.",
    )
    evidence.correct_evidence(noted, level=3, reason="Rescored", recorded_by=world.dana)
    withdrawn = evidence.record_evidence(
        world.maya,
        world.evidence_use,
        level=1,
        assessed_on=datetime.date(2026, 10, 21),
        recorded_by=world.dana,
        learning_experience=world.lab_report,
        section=world.algebra_section,
        comment="Wrong student.",
    )
    evidence.void_evidence(withdrawn, reason="Wrong student", recorded_by=world.dana)

    report = reports.build_progress_report(world.maya, world.term, on=today)

    assert [comment.text for comment in report.comments] == [
        "Your claim is precise and arguable.",
        "Cite the data table.",
    ]


def test_without_a_grading_policy_the_report_still_prints_the_status(
    world: World, today: datetime.date
) -> None:
    report = reports.build_progress_report(world.maya, world.term, on=today)

    assert report.policy_name == ""
    assert report.competencies[0].level_label == reports.NOT_ENOUGH_EVIDENCE
    assert "Maya Okafor" in _pdf_text(reports.render_progress_report_pdf(report))


def test_a_past_term_s_report_rates_as_of_the_term_s_last_day(
    scored_world: World, today: datetime.date
) -> None:
    """Maya showed AW.1 at Meeting three times in October (AW: Meeting, 3). The fall term ends
    on 22 January; in February she shows Exceeding three times in two contexts, which makes her
    AW Exceeding (4) today. The fall report printed on 10 February still says Meeting."""
    world = scored_world
    with time_machine.travel(
        datetime.datetime(2027, 2, 10, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        for day, experience in [(1, world.lab_report), (2, world.essay), (3, world.lab_report)]:
            evidence.record_evidence(
                world.maya, world.claims, level=4, assessed_on=datetime.date(2027, 2, day),
                recorded_by=world.dana, learning_experience=experience,
                section=world.algebra_section,
            )  # fmt: skip
        today_rating = grading.list_ratings(world.maya, kind=grading.RatingKind.COMPETENCY).get()
        report = reports.build_progress_report(
            world.maya, world.term, on=datetime.date(2027, 2, 10)
        )

    assert (today_rating.level_label, today_rating.value) == ("Exceeding", 4)
    (line,) = report.competencies
    assert (line.level_label, line.rating_text, line.mastered) == ("Meeting", "3", True)
    assert line.highlight[-1] == "Result: 3, which is Meeting. Mastered."
    claims = line.subskills[0]
    assert (claims.key, claims.level_label, claims.counted) == ("AW.1", "Meeting", 3)
    assert line.progress.points[-1].rating == 3
    text = _pdf_text(reports.render_progress_report_pdf(report))
    assert "Meeting (3) · Mastered" in text
    assert "(4)" not in text


def test_a_past_term_s_report_keeps_the_policy_in_force_when_the_term_ended(
    scored_world: World, today: datetime.date
) -> None:
    """Riverside publishes version 2 from 1 February: mastery now needs four at-bats at Meeting
    (`n_mastery`), which Maya's three October ones are not. The fall report printed on 10
    February rates her under version 1, in force on 22 January: still Meeting."""
    world = scored_world
    first = grading.get_version_in_force(world.riverside, on=today)
    second = grading.draft_version(
        first.policy,
        document={**first.document, "method": {"name": "n_mastery", "count": 4}},
        created_by=world.lena,
    )
    grading.publish_version(second, effective_on=datetime.date(2027, 2, 1), published_by=world.lena)

    with time_machine.travel(
        datetime.datetime(2027, 2, 10, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        fall = reports.build_progress_report(world.maya, world.term, on=datetime.date(2027, 2, 10))
        explained_today = grading.explain_competency(
            world.maya, world.writing, on=datetime.date(2027, 2, 10)
        )

    assert not explained_today.rolled.mastered  # version 2 would say "not yet"
    assert fall.policy_name == "Riverside grading, version 1"
    (line,) = fall.competencies
    assert (line.level_label, line.rating_text, line.mastered) == ("Meeting", "3", True)
    assert line.progress.points[-1].rating == 3
