"""What a progress report shows follows the policy's reporting practice (`reporting.shows`):
subskills, teacher comments, the progress chart, and how many next steps per competency."""

import datetime

import pytest
from django.template.loader import render_to_string

from mastery.evidence import api as evidence
from mastery.grading import api as grading
from mastery.grading.models import PolicyVersion
from mastery.reports import api as reports
from tests.world import World

pytestmark = pytest.mark.django_db


def _publish_showing(world: World, **shows: object) -> None:
    """A new version of Riverside's policy, in force from today, with these `shows` flags."""
    current = PolicyVersion.objects.get()
    document = dict(current.document)
    document["reporting"] = {**document["reporting"], "shows": {**shows}}
    draft = grading.draft_version(current.policy, document=document, created_by=world.lena)
    grading.publish_version(draft, effective_on=datetime.date(2026, 11, 1), published_by=world.lena)


def _html(report: reports.ProgressReport) -> str:
    return render_to_string("reports/_progress_report.html", {"report": report})


def test_by_default_a_report_shows_subskills_comments_the_chart_and_next_steps(
    scored_world: World, today: datetime.date
) -> None:
    report = reports.build_progress_report(scored_world.maya, scored_world.term, on=today)

    (line,) = report.competencies
    assert [subskill.key for subskill in line.subskills] == ["AW.1", "AW.2"]
    assert len(line.next_steps) == 1
    assert report.comments
    assert report.chart_svg
    page = _html(report)
    assert "Teacher comments" in page
    assert "Progress over time" in page
    assert "Step of the progression" in page


def test_a_policy_that_hides_subskills_comments_and_the_chart_gets_a_report_without_them(
    scored_world: World, today: datetime.date
) -> None:
    _publish_showing(scored_world, subskills=False, comments=False, chart=False, next_steps=0)

    report = reports.build_progress_report(scored_world.maya, scored_world.term, on=today)

    (line,) = report.competencies
    assert line.subskills == ()
    assert line.next_steps == ()
    assert line.progress.points == ()
    assert report.comments == ()
    assert report.chart_svg == ""
    page = _html(report)
    assert "Teacher comments" not in page
    assert "Your claim is precise and arguable." not in page
    assert "Progress over time" not in page
    assert "Step of the progression" not in page
    assert "Argumentative writing" in page  # the ratings themselves are always shown
    assert "Meeting" in page


def test_the_number_of_next_steps_per_competency_is_the_policy_s(
    scored_world: World, today: datetime.date
) -> None:
    world = scored_world
    # Maya has not yet mastered AW.1 either once a lower score is the most recent evidence.
    for day in (20, 21, 22):
        evidence.record_evidence(
            world.maya, world.claims, level=1, assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana, learning_experience=world.essay,
            section=world.algebra_section,
        )  # fmt: skip
    two = reports.build_progress_report(world.maya, world.term, on=today)
    assert len(two.competencies[0].next_steps) == 2

    _publish_showing(world, next_steps=1)
    one = reports.build_progress_report(world.maya, world.term, on=today)

    assert len(one.competencies[0].next_steps) == 1
