"""“How grading works at <school>”: generated from the published version, in plain language;
it changes when the policy does."""

import datetime
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import mastery
from mastery.calendar import api as calendar
from mastery.frameworks import api as frameworks
from mastery.grading import api as grading
from mastery.grading.models import PolicyVersion
from mastery.schools import api as schools
from tests.world import World

pytestmark = pytest.mark.django_db


def _publish(world: World, change: dict[str, object], on: datetime.date) -> PolicyVersion:
    """A new version of Riverside's policy with `change` merged into its document."""
    current = (
        PolicyVersion.objects.filter(status="published", policy__school=world.riverside)
        .order_by("-number")
        .first()
    )
    assert current is not None
    draft = grading.draft_version(
        current.policy, document={**current.document, **change}, created_by=world.lena
    )
    return grading.publish_version(draft, effective_on=on, published_by=world.lena)


def _page(client: Client, world: World) -> str:
    client.force_login(world.rosa)
    return client.get(reverse("how-grading-works")).content.decode()


def test_the_reporting_practice_is_read_from_the_policy_and_the_calendar(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    calendar.create_grading_period(
        world.term, "Q1", name="Quarter 1",
        starts_on=datetime.date(2026, 8, 24), ends_on=datetime.date(2026, 10, 30),
    )  # fmt: skip
    calendar.create_grading_period(
        world.term, "Q2", name="Quarter 2",
        starts_on=datetime.date(2026, 11, 2), ends_on=datetime.date(2027, 1, 22),
    )  # fmt: skip

    before = _page(client, world)
    assert "Quarter 1 (Aug. 24, 2026 to Oct. 30, 2026): a report card at the end." in before
    assert "One progress report in the middle of each grading period." in before
    assert "The rating of each step (subskill) of every competency." in before
    assert "Up to 3 next steps for each competency." in before
    assert "A chart of the ratings over the term." in before

    reporting = {
        "grading_periods": ["Q2"],
        "progress_reports_per_period": 0,
        "report_dates": ["2026-12-04"],
        "shows": {"subskills": False, "comments": True, "chart": False, "next_steps": 1},
    }
    _publish(world, {"reporting": reporting}, datetime.date(2026, 11, 1))

    after = _page(client, world)
    assert "Quarter 1 (Aug. 24, 2026 to Oct. 30, 2026): no report card." in after
    assert "Quarter 2 (Nov. 2, 2026 to Jan. 22, 2027): a report card at the end." in after
    assert "No progress reports between report cards." in after
    assert "Progress-report dates this year: Dec. 4, 2026." in after
    assert "The next step for each competency." in after
    assert "subskill" not in after.split("What a progress report shows")[1]
    assert "A chart of the ratings" not in after
    assert "The teachers&#x27; comments on the term&#x27;s work." in after


def test_a_rule_table_prints_each_row_s_conditions_in_plain_words(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    before = _page(client, world)
    assert "A: 3.5 or above" in before
    course_grade = {
        "rule": "rule_table",
        "rules": [
            {"grade": "A", "none_below": 3, "at_least": {"level": 4, "share": 0.5}},
            {"grade": "B", "all_mastered": True},
            {"grade": "C", "mean_at_least": 2.5},
            {"grade": "F"},
        ],
        "passing": ["A", "B", "C"],
    }
    _publish(world, {"course_grade": course_grade}, datetime.date(2026, 11, 1))

    after = _page(client, world)

    assert "A: 3.5 or above" not in after
    assert (
        "A when every competency is rated 3 (Meeting) or above and at least 50% of the "
        "competencies are rated 4 (Exceeding) or above." in after
    )
    assert "B when every competency is mastered." in after
    assert (
        "C when the weighted average of the competency ratings is 2.5 (Developing) or above."
        in after
    )
    assert "F otherwise." in after
    assert "Passing grades: A, B, C." in after


def test_exceptions_required_subskills_credit_rules_and_graduation_are_explained(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    before = _page(client, world)
    assert "Competencies rated another way" not in before
    assert "Graduation requirements" not in before
    assert "A course gives its credits when its final grade is a passing grade (A, B, C, D)" in (
        before
    )

    _publish(
        world,
        {
            "targets": {"AW.2": {"name": "decaying_average", "rate": 0.65}},
            "competency": {"aggregate": "minimum", "required": {"AW": ["AW.1"]}},
            "credit": {
                "basis": "competencies",
                "rules": [
                    {
                        "name": "Writing credit",
                        "competencies": ["AW"],
                        "areas": {"English": 1},
                        "partial_increment": 0.5,
                    }
                ],
            },
            "graduation": {
                "credits": {"English": 4, "Mathematics": 3},
                "competencies": [
                    {"name": "Writers", "competencies": ["AW"], "minimum": 3, "by_grade": 12}
                ],
            },
        },
        datetime.date(2026, 11, 1),
    )
    after = _page(client, world)

    assert "Competencies rated another way" in after
    assert "AW.2 Supports with evidence: Each new at-bat makes up 0.65 of your rating" in after
    assert "the lowest of its subskills" in after
    assert (
        "To master AW Argumentative writing, each of these must be mastered too: "
        "AW.1 States a precise claim." in after
    )
    assert "Writing credit: 1 in English when AW Argumentative writing are all mastered." in after
    assert "a share in steps of 0.5" in after
    assert "Credits to graduate: 4 in English, 3 in Mathematics; 7 in all." in after
    assert "Writers: AW Argumentative writing at 3 (Meeting) or above by the end of grade 12." in (
        after
    )
    assert "Five at-bats of a student growing into mastery" in after


def _hilltop_policy(world: World) -> None:
    scale = frameworks.create_scale(
        world.hilltop, "hilltop-four", name="Four levels",
        levels=[(1, "Novice", "", False), (2, "Apprentice", "", False),
                (3, "Practitioner", "", True), (4, "Expert", "", False)],
    )  # fmt: skip
    version = grading.create_policy(
        world.hilltop, "hilltop", name="Hilltop grading", scale=scale, created_by=world.hugo
    )
    grading.publish_version(version, effective_on=datetime.date(2026, 8, 1), published_by=None)


def test_a_family_with_children_in_two_schools_chooses_whose_policy_to_read(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _hilltop_policy(world)
    schools.link_guardian(world.rosa, world.hana)
    client.force_login(world.rosa)
    url = reverse("how-grading-works")

    first = client.get(url).content.decode()
    riverside = client.get(url, {"school": world.riverside.uuid}).content.decode()
    by_child = client.get(url, {"student": world.hana.uuid}).content.decode()

    assert "How grading works at Hilltop Academy" in first
    assert "Riverside High School (Maya Okafor, Sam Okafor)" in first
    assert "Practitioner" in first
    assert "How grading works at Riverside High School" in riverside
    assert "Meeting" in riverside
    assert "How grading works at Hilltop Academy" in by_child
    maya = client.get(url, {"student": world.maya.uuid}).content.decode()
    assert "How grading works at Riverside High School" in maya


def test_someone_else_s_child_or_school_is_not_found(client: Client, graded_world: World) -> None:
    world = graded_world
    client.force_login(world.rosa)
    url = reverse("how-grading-works")

    assert client.get(url, {"student": world.leo.uuid}).status_code == 404
    assert client.get(url, {"school": world.hilltop.uuid}).status_code == 404
    assert client.get(url, {"student": "not-a-uuid"}).status_code == 404
    client.force_login(world.maya.user)
    assert client.get(url, {"student": world.maya.uuid}).status_code == 200
    assert client.get(url, {"student": world.sam.uuid}).status_code == 404


def test_a_future_version_is_announced_but_not_yet_explained(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _publish(world, {"method": {"name": "latest"}}, datetime.date(2027, 1, 25))

    page = _page(client, world)

    assert "at least 3 of your 5 most recent" in page
    assert "(version 2) takes effect on January 25, 2027" in page


def test_every_sentence_of_the_page_is_marked_for_translation() -> None:
    template = Path(mastery.__file__).parent / "web/templates/web/how_grading_works.html"
    text = template.read_text()
    # Text between tags that is not a template tag or variable is what a reader sees untranslated.
    outside = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "", text, flags=re.DOTALL)
    stripped = re.sub(r"{%.*?%}|{{.*?}}|<[^>]+>", "\n", outside, flags=re.DOTALL)
    loose = [line.strip() for line in stripped.splitlines() if re.search(r"[A-Za-z]", line)]
    assert loose == []
