"""The mastery transcript: credits by area from finalized passing grades, every competency at
its current level with the evidence that best shows it, nothing averaged."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from mastery.grading import api as grading
from mastery.graduation import api as graduation
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


def _publish(world: World, **changes: object) -> None:
    """A new version of Riverside's policy, in force from the same first day of the year."""
    policy = world.riverside.policies.get()
    latest = policy.versions.get(number=1)
    draft = grading.draft_version(
        policy, document={**latest.document, **changes}, created_by=world.lena
    )
    grading.publish_version(draft, effective_on=datetime.date(2026, 8, 1), published_by=world.lena)


def test_a_grade_11_student_s_transcript_counts_prior_credits_as_the_audit_does(
    graded_world: World, today: datetime.date
) -> None:
    """Leo came to Riverside in grade 11 with Mathematics 2 and Science 1 from his old school."""
    world = graded_world
    _publish(
        world,
        graduation={
            "credits": {"Mathematics": 4, "Science": 3},
            "first_grade": 9,
            "last_grade": 12,
        },
    )
    areas = {area.key: area for area in world.riverside.credit_areas.all()}
    for key, credits, what in [
        ("math", 2, "Algebra I and Geometry, Lakeview High 2024-26"),
        ("science", 1, "Physical science, Lakeview High 2025-26"),
    ]:
        graduation.record_prior_credit(
            world.leo, areas[key], credits=Decimal(credits), description=what,
            recorded_by=world.rita,
        )  # fmt: skip

    transcript = reports.mastery_transcript(world.leo, on=today)
    standing = graduation.get_standing(world.leo, on=today)

    audit = {area.area: area.earned for area in standing.areas}
    assert audit == {"Mathematics": Decimal(2), "Science": Decimal(1)}
    assert {area.name: area.earned for area in transcript.credit_areas} == audit
    assert transcript.total_credits_text == "3"
    assert [
        (credit.what, credit.kind, credit.credits_text) for credit in transcript.other_credits
    ] == [
        ("Algebra I and Geometry, Lakeview High 2024-26", "prior", "2"),
        ("Physical science, Lakeview High 2025-26", "prior", "1"),
    ]
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(reports.render_transcript_pdf(transcript))).pages
    )
    assert "Algebra I and Geometry, Lakeview High 2024-26" in text


def test_a_competency_credit_rule_shows_on_the_transcript(
    scored_world: World, today: datetime.date
) -> None:
    """Maya has mastered AW; the policy now awards English 1 for mastering AW, while her Algebra
    grade, finalized under version 1 (credit by grade), keeps its Mathematics credit."""
    world = scored_world
    _finalize(world)
    _publish(
        world,
        credit={
            "basis": "competencies",
            "rules": [{"name": "Writing credit", "competencies": ["AW"], "areas": {"English": 1}}],
        },
    )

    transcript = reports.mastery_transcript(world.maya, on=today)

    (rule,) = transcript.other_credits
    assert (rule.kind, rule.what, rule.credit_area, rule.credits_text) == (
        "rule",
        "Writing credit",
        "English",
        "1",
    )
    assert {area.name: area.earned for area in transcript.credit_areas} == {
        "English": Decimal(1),
        "Mathematics": Decimal(1),
        "Science": Decimal(0),
    }
    assert transcript.total_credits_text == "2"


def test_a_course_finalized_under_competency_credit_earns_no_credit_of_its_own(
    scored_world: World, today: datetime.date
) -> None:
    """Version 2 awards credit by competency rules, and Maya's Algebra grade is finalized under
    it: the course line shows no credit amount (not "0"), as the signed credential leaves it
    blank; the rule's English credit is listed with the other credits."""
    world = scored_world
    _publish(
        world,
        credit={
            "basis": "competencies",
            "rules": [{"name": "Writing credit", "competencies": ["AW"], "areas": {"English": 1}}],
        },
    )
    grading.recompute_school(world.riverside, on=today)
    _finalize(world)

    transcript = reports.mastery_transcript(world.maya, on=today)

    (course,) = transcript.courses
    assert (course.course, course.credits_earned, course.credits_text) == ("Algebra", None, "—")
    (rule,) = transcript.other_credits
    assert (rule.what, rule.credits_text) == ("Writing credit", "1")
    assert transcript.total_credits_text == "1"
