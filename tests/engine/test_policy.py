"""The policy document: what parses, what round-trips, and what is refused (naming the field)."""

import copy
import datetime
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from mastery.engine.evidence import OrderBy
from mastery.engine.policy import DEFAULT_POLICY, Aggregate, CourseGradeKind, Policy, PolicyError
from mastery.engine.scales import DEFAULT_SCALE

MINIMAL: dict[str, Any] = {
    "scale": {
        "levels": [
            {"value": 1, "label": "Beginning"},
            {"value": 2, "label": "Developing"},
            {"value": 3, "label": "Meeting", "mastery": True},
            {"value": 4, "label": "Exceeding"},
        ]
    },
    "method": {"name": "consistent", "at_bats": 3, "window": 5, "contexts": 2},
}

FULL: dict[str, Any] = {
    **MINIMAL,
    "targets": {"SCI.2": {"name": "decaying_average", "rate": 0.65}},
    "order_by": "due_on",
    "require_independent_for_mastery": True,
    "competency": {"aggregate": "median", "required": {"SCI": ["SCI.1"]}},
    "course_grade": {
        "rule": "rule_table",
        "rules": [
            {"grade": "A", "none_below": 3, "at_least": {"level": 4, "share": 0.5}},
            {"grade": "B", "all_mastered": True},
            {"grade": "C", "mean_at_least": 2.5},
            {"grade": "F"},
        ],
        "passing": ["A", "B", "C"],
        "when_insufficient": "ignore",
    },
    "credit": {
        "basis": "competencies",
        "rules": [
            {
                "name": "Biology",
                "competencies": ["SCI.1", "SCI.2"],
                "areas": {"Science": 1},
                "partial_increment": 0.5,
            }
        ],
    },
    "graduation": {
        "credits": {"Science": 3, "English": 4},
        "competencies": [{"name": "Upper school band", "band": "11-12", "minimum": 3}],
        "expected_credits": {"10": 1.5},
        "at_risk_margin": 0.5,
    },
    "reporting": {
        "grading_periods": ["Q1", "Q2"],
        "progress_reports_per_period": 2,
        "report_dates": ["2026-10-02", "2026-12-04"],
        "shows": {"subskills": False, "comments": True, "chart": False, "next_steps": 1},
    },
}


def test_the_minimal_ratings_cli_policy_parses():
    policy = Policy.from_dict(MINIMAL)
    assert policy.scale == DEFAULT_SCALE
    assert policy.method.name == "consistent"
    assert policy.order_by is OrderBy.ASSESSED_ON
    assert policy.course_grade is None


def test_the_default_policy_is_gradings_default():
    assert DEFAULT_POLICY.scale.mastery_level.label == "Meeting"
    assert [level.label for level in DEFAULT_POLICY.scale.levels] == [
        "Beginning",
        "Developing",
        "Meeting",
        "Exceeding",
    ]
    assert DEFAULT_POLICY.method.params.as_dict() == {"at_bats": 3, "window": 5, "contexts": 2}


def test_omitted_method_parameters_take_their_defaults():
    policy = Policy.from_dict({**MINIMAL, "method": {"name": "consistent"}})
    assert policy.method == DEFAULT_POLICY.method


@pytest.mark.parametrize("document", [MINIMAL, FULL])
def test_a_policy_round_trips_through_its_document(document):
    policy = Policy.from_dict(document)
    assert Policy.from_dict(policy.to_dict()) == policy


def test_the_default_policy_round_trips():
    assert Policy.from_dict(DEFAULT_POLICY.to_dict()) == DEFAULT_POLICY


def test_a_full_policy_reads_every_section():
    policy = Policy.from_dict(FULL)
    assert policy.method_for("SCI.2").name == "decaying_average"
    assert policy.method_for("SCI.1").name == "consistent"
    assert policy.order_by is OrderBy.DUE_ON
    assert policy.competency.aggregate is Aggregate.MEDIAN
    assert policy.competency.required_for("SCI") == ("SCI.1",)
    assert policy.course_grade is not None
    assert policy.course_grade.kind is CourseGradeKind.RULE_TABLE
    assert not policy.course_grade.incomplete_when_insufficient
    assert policy.credit.rules[0].partial_increment == Decimal("0.5")
    assert policy.graduation is not None
    assert policy.graduation.expected_at(10) == Decimal("1.5")
    assert policy.graduation.expected_at(11) == Decimal("3.5")  # 7 x (11 - 9) / 4
    assert policy.reporting.report_dates == (datetime.date(2026, 10, 2), datetime.date(2026, 12, 4))
    assert policy.reporting.reports_period("Q2")
    assert not policy.reporting.reports_period("Q3")
    assert policy.reporting.progress_reports_per_period == 2
    assert not policy.reporting.shows.subskills
    assert not policy.reporting.shows.chart
    assert policy.reporting.shows.next_steps == 1


def test_without_a_reporting_section_every_period_reports_and_a_report_shows_everything():
    reporting = Policy.from_dict(MINIMAL).reporting
    assert reporting == DEFAULT_POLICY.reporting
    assert reporting.reports_period("Q3")
    assert reporting.progress_reports_per_period == 1
    assert reporting.report_dates == ()
    shows = reporting.shows
    assert (shows.subskills, shows.comments, shows.chart, shows.next_steps) == (True, True, True, 3)
    assert DEFAULT_POLICY.to_dict()["reporting"]["shows"]["next_steps"] == 3


def with_change(path: str, value: object) -> dict[str, Any]:
    document = copy.deepcopy(FULL)
    *parents, last = path.split("/")
    target = document
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        ("method/name", "median_of_three", "method.name", "unknown method 'median_of_three'"),
        ("method/window", 2, "method.window", "must be a whole number >= at_bats (got 2)"),
        ("method/contexts", 9, "method.contexts", "at most window"),
        ("method/at_bats", 0, "method.at_bats", "whole number >= 1 (got 0)"),
        ("method/at_bats", 2.5, "method.at_bats", "whole number"),
        ("method/colour", "red", "method.colour", "is not a parameter of consistent"),
        ("targets/SCI.2/rate", 1.5, "targets.SCI.2.rate", "between 0 and 1"),
        ("order_by", "teacher", "order_by", "assessed_on, due_on, recorded_at"),
        ("require_independent_for_mastery", "yes", "require_independent_for_mastery", "true or"),
        ("competency/aggregate", "mode", "competency.aggregate", "mean, minimum, median"),
        ("course_grade/rule", "curve", "course_grade.rule", "cut_table, rule_table"),
        ("course_grade/when_insufficient", "zero", "course_grade.when_insufficient", "ignore"),
        ("course_grade/passing", ["A", "Z"], "course_grade.passing[1]", "'Z' is not one of"),
        (
            "course_grade/rules/3",
            {"grade": "F", "none_below": 1},
            "course_grade.rules[3]",
            "no con",
        ),
        ("course_grade/rules/0/none_below", 7, "course_grade.rules[0].none_below", "on the scale"),
        ("credit/basis", "seat_time", "credit.basis", "grade, competencies"),
        ("credit/rules/0/areas", {}, "credit.rules[0].areas", "at least one credit area"),
        ("graduation/last_grade", 8, "graduation.last_grade", "at or after first_grade"),
        ("graduation/at_risk_margin", -1, "graduation.at_risk_margin", "0 or more"),
        ("scale/levels/2/mastery", False, "scale.levels", "exactly one level"),
        ("colour", "red", "colour", "is not a known field"),
        ("targets", ["SCI.2"], "targets", "must be an object"),
        ("competency/required/SCI", "SCI.1", "competency.required.SCI", "must be a list"),
        ("competency/required/SCI", [""], "competency.required.SCI[0]", "non-empty text"),
        ("course_grade/incomplete_label", "", "course_grade.incomplete_label", "non-empty"),
        (
            "course_grade/rules/0/at_least/share",
            0,
            "course_grade.rules[0].at_least.share",
            "above 0",
        ),
        ("course_grade/rules/1/all_mastered", 1, "course_grade.rules[1].all_mastered", "true or"),
        ("credit/rules/0/competencies", [], "credit.rules[0].competencies", "at least one"),
        ("credit/rules/0/partial_increment", 0, "credit.rules[0].partial_increment", "above 0"),
        ("credit/rules/0/areas/Science", -1, "credit.rules[0].areas.Science", "above 0"),
        ("graduation/credits/Science", "three", "graduation.credits.Science", "must be a number"),
        (
            "graduation/competencies/0/competencies",
            ["C1"],
            "graduation.competencies[0]",
            "either competencies or a band",
        ),
        (
            "graduation/competencies/0/by_grade",
            13,
            "graduation.competencies[0].by_grade",
            "9 to 12",
        ),
        (
            "graduation/competencies/0/minimum",
            9,
            "graduation.competencies[0].minimum",
            "on the scale",
        ),
        ("graduation/expected_credits", {"tenth": 2}, "graduation.expected_credits.tenth", "grade"),
        ("graduation/first_grade", "nine", "graduation.first_grade", "whole number"),
        ("reporting/report_dates/1", "4 Dec", "reporting.report_dates[1]", "YYYY-MM-DD"),
        ("reporting/report_dates/1", "2026-09-30", "reporting.report_dates[1]", "after 2026-10-02"),
        ("reporting/report_dates/1", "2026-10-02", "reporting.report_dates[1]", "once each"),
        ("reporting/grading_periods/1", "Q1", "reporting.grading_periods[1]", "listed twice"),
        ("reporting/grading_periods/0", "", "reporting.grading_periods[0]", "non-empty text"),
        (
            "reporting/progress_reports_per_period",
            -1,
            "reporting.progress_reports_per_period",
            "from 0 to 10",
        ),
        ("reporting/shows/chart", "no", "reporting.shows.chart", "true or false"),
        ("reporting/shows/next_steps", 11, "reporting.shows.next_steps", "from 0 to 10"),
        ("reporting/shows/grades", True, "reporting.shows.grades", "is not a known field"),
        ("reporting/frequency", "weekly", "reporting.frequency", "is not a known field"),
    ],
)
def test_a_bad_policy_is_refused_naming_the_field_and_why(path, value, field, problem):
    with pytest.raises(PolicyError) as raised:
        Policy.from_dict(with_change(path, value))
    assert raised.value.field == field
    assert problem in raised.value.problem
    assert str(raised.value).startswith(f"{field}: ")


def test_the_error_message_reads_as_the_contract_shows():
    document = {**MINIMAL, "method": {"name": "consistent", "at_bats": 3, "window": 2}}
    with pytest.raises(PolicyError) as raised:
        Policy.from_dict(document)
    assert str(raised.value) == "method.window: must be a whole number >= at_bats (got 2)"


def test_a_cut_table_must_go_down_and_give_everyone_a_grade():
    cuts = [{"grade": "A", "min": 3}, {"grade": "B", "min": 3.5}]
    document = {**MINIMAL, "course_grade": {"rule": "cut_table", "cuts": cuts}}
    with pytest.raises(PolicyError, match=r"course_grade\.cuts\[1\]\.min: cuts must go"):
        Policy.from_dict(document)
    document["course_grade"] = {"rule": "cut_table", "cuts": [{"grade": "A", "min": 3}]}
    with pytest.raises(PolicyError, match="every student gets a grade"):
        Policy.from_dict(document)


def test_power_law_needs_levels_above_zero():
    document = copy.deepcopy(MINIMAL)
    document["scale"]["levels"][0]["value"] = 0
    document["method"] = {"name": "power_law"}
    with pytest.raises(PolicyError, match=r"^method\.name: power_law needs every level above 0"):
        Policy.from_dict(document)


def test_a_policy_without_a_method_or_scale_is_refused():
    with pytest.raises(PolicyError, match=r"^method: is required"):
        Policy.from_dict({"scale": MINIMAL["scale"]})
    with pytest.raises(PolicyError, match=r"^scale: is required"):
        Policy.from_dict({"method": MINIMAL["method"]})


def test_the_example_policy_in_the_docs_is_valid():
    page = Path(__file__).parents[2] / "docs" / "grading-policies.md"
    example = re.search(r"```json\n(.*?)```", page.read_text(), re.DOTALL)
    assert example is not None
    policy = Policy.from_dict(json.loads(example.group(1)))
    assert policy.method_for("SCI.LAB.2").name == "decaying_average"
