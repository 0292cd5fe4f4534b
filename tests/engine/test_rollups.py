"""Roll-ups: competency from subskills, course grade, credit, graduation standing."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from mastery.engine.credit import (
    CourseCredit,
    Standing,
    award_credit,
    check_graduation,
    total_credits,
)
from mastery.engine.policy import DEFAULT_POLICY, Aggregate, Policy
from mastery.engine.rating import Status, rate
from mastery.engine.rollups import (
    IN_PROGRESS,
    RollupError,
    calculate_course_grade,
    override_course_grade,
    rate_competency,
)
from tests.engine.builders import at_bats, policy


@dataclass(frozen=True)
class Part:
    rating: Decimal | None
    mastered: bool = False


def rated(value: str | None) -> Part:
    if value is None:
        return Part(None)
    return Part(Decimal(value), DEFAULT_POLICY.scale.is_mastery(Decimal(value)))


def test_a_competency_averages_its_rated_subskills_and_its_own_evidence():
    competency = rate_competency(
        DEFAULT_POLICY,
        "SCI",
        {"SCI.1": rated("3"), "SCI.2": rated("2.5"), "SCI.3": rated(None)},
        own=rated("4"),
    )
    assert competency.rating == Decimal("3.17")
    assert competency.level is not None
    assert competency.level.label == "Meeting"
    assert competency.mastered
    assert competency.insufficient == ("SCI.3",)
    assert "(3 + 2.5 + 4) / 3 = 3.17" in competency.text


def test_a_competency_rating_carries_the_parts_it_used_and_how_it_combined_them():
    """What `steps` says in words is also data, so a page can say it in another language."""
    chosen = policy(competency={"aggregate": "median"})
    competency = rate_competency(
        chosen, "SCI", {"SCI.1": rated("3"), "SCI.2": rated(None), "SCI.3": rated("2.5")}
    )

    assert competency.used == ("SCI.1", "SCI.3")
    assert competency.values == (Decimal("3"), Decimal("2.5"))
    assert competency.aggregate is Aggregate.MEDIAN
    assert competency.insufficient == ("SCI.2",)


@pytest.mark.parametrize(("aggregate", "expected"), [("minimum", "2"), ("median", "3.5")])
def test_a_competency_can_take_the_minimum_or_the_median(aggregate, expected):
    chosen = policy(competency={"aggregate": aggregate})
    parts = {name: rated(value) for name, value in zip("abcd", ["2", "3", "4", "4"], strict=True)}
    assert rate_competency(chosen, "X", parts).rating == Decimal(expected)


@pytest.mark.parametrize("aggregate", ["mean", "minimum", "median"])
def test_a_competency_with_one_rated_part_takes_its_rating_and_says_so(aggregate):
    chosen = policy(competency={"aggregate": aggregate})
    competency = rate_competency(chosen, "QR", {"QR.1": rated("2.5"), "QR.2": rated(None)})

    assert competency.rating == Decimal("2.5")
    assert "One part is rated, so the competency takes its rating: 2.5." in competency.steps
    assert "/ 1 =" not in competency.text


def test_a_required_subskill_not_mastered_keeps_the_competency_from_mastery():
    chosen = policy(competency={"required": {"SCI": ["SCI.2"]}})
    competency = rate_competency(chosen, "SCI", {"SCI.1": rated("4"), "SCI.2": rated("2")})
    assert competency.rating == Decimal("3.00")
    assert not competency.mastered
    assert competency.required_not_mastered == ("SCI.2",)


def test_a_required_subskill_without_evidence_is_not_mastered():
    chosen = policy(competency={"required": {"SCI": ["SCI.2"]}})
    competency = rate_competency(chosen, "SCI", {"SCI.1": rated("4"), "SCI.2": rated(None)})
    assert not competency.mastered


def test_a_competency_with_no_rated_part_has_insufficient_evidence():
    competency = rate_competency(DEFAULT_POLICY, "SCI", {"SCI.1": rated(None)})
    assert competency.status is Status.INSUFFICIENT_EVIDENCE
    assert competency.rating is None


def test_a_competency_rolls_up_real_ratings():
    subskill = rate(DEFAULT_POLICY, at_bats(3, 3, 3, contexts=("Lab", "Essay")))
    competency = rate_competency(DEFAULT_POLICY, "SCI", {"SCI.1": subskill})
    assert competency.mastered


def test_the_course_grade_uses_the_cut_table_on_the_weighted_mean():
    ratings = {"A": rated("4"), "B": rated("3"), "C": rated("3")}
    weighted = calculate_course_grade(
        DEFAULT_POLICY,
        ratings,
        weights={"A": Decimal(2), "B": Decimal(1), "C": Decimal(1)},
        term_closed=True,
    )
    assert weighted.weighted_mean == Decimal("3.50")
    assert weighted.grade == "A"
    assert weighted.passing
    assert calculate_course_grade(DEFAULT_POLICY, ratings, term_closed=True).grade == "B"


def test_a_course_grade_with_every_competency_rated_is_the_same_before_term_end():
    ratings = {"A": rated("4"), "B": rated("3"), "C": rated("3")}
    before = calculate_course_grade(DEFAULT_POLICY, ratings, term_closed=False)
    assert (before.grade, before.in_progress, before.incomplete) == ("B", False, False)


def test_a_competency_with_insufficient_evidence_at_term_end_makes_the_grade_incomplete():
    grade = calculate_course_grade(
        DEFAULT_POLICY, {"A": rated("4"), "B": rated(None)}, term_closed=True
    )
    assert grade.grade == "Incomplete"
    assert grade.incomplete
    assert not grade.in_progress
    assert not grade.passing
    assert grade.insufficient == ("B",)


def test_before_term_end_a_competency_with_insufficient_evidence_leaves_the_grade_in_progress():
    grade = calculate_course_grade(
        DEFAULT_POLICY, {"A": rated("4"), "B": rated(None)}, term_closed=False
    )
    assert grade.grade == IN_PROGRESS == "In progress"
    assert grade.in_progress
    assert not grade.incomplete
    assert not grade.passing
    assert grade.weighted_mean is None
    assert grade.insufficient == ("B",)
    assert grade.steps == (
        "Not enough evidence yet: B.",
        "The term has not ended, so the grade is in progress: Incomplete only if evidence is "
        "still missing at term end.",
        "Grade: In progress.",
    )


def test_before_term_end_a_course_with_no_rating_at_all_is_in_progress_whatever_the_policy():
    cuts = {"rule": "cut_table", "cuts": [{"grade": "P", "min": 3}, {"grade": "NP", "min": 1}]}
    lenient = policy(course_grade={**cuts, "when_insufficient": "ignore", "passing": ["P"]})
    nothing = {"A": rated(None)}
    assert calculate_course_grade(lenient, nothing, term_closed=False).grade == "In progress"
    assert calculate_course_grade(lenient, nothing, term_closed=True).grade == "Incomplete"


def test_an_in_progress_grade_earns_no_credit_yet():
    grade = calculate_course_grade(DEFAULT_POLICY, {"A": rated(None)}, term_closed=False)
    (award,) = award_credit(
        DEFAULT_POLICY,
        courses=[CourseCredit(course="BIO", grade=grade, credits=(("Science", Decimal(1)),))],
    )
    assert award.awarded == (("Science", Decimal(0)),)


def test_a_policy_may_grade_on_the_competencies_that_have_evidence():
    cuts = {"rule": "cut_table", "cuts": [{"grade": "P", "min": 3}, {"grade": "NP", "min": 1}]}
    lenient = policy(course_grade={**cuts, "when_insufficient": "ignore", "passing": ["P"]})
    for term_closed in (False, True):
        grade = calculate_course_grade(
            lenient, {"A": rated("4"), "B": rated(None)}, term_closed=term_closed
        )
        assert grade.grade == "P"
        assert not grade.incomplete
        assert not grade.in_progress


def test_a_weight_of_zero_leaves_a_competency_out_of_the_grade():
    grade = calculate_course_grade(
        DEFAULT_POLICY,
        {"A": rated("4"), "B": rated(None)},
        weights={"B": Decimal(0)},
        term_closed=False,
    )
    assert grade.grade == "A"


RULE_TABLE = {
    "rule": "rule_table",
    "rules": [
        {"grade": "A", "none_below": 3, "at_least": {"level": 4, "share": 0.5}},
        {"grade": "B", "all_mastered": True},
        {"grade": "C", "mean_at_least": 2.5},
        {"grade": "F"},
    ],
    "passing": ["A", "B", "C"],
}


@pytest.mark.parametrize(
    ("ratings", "grade"),
    [
        (["4", "3", "4", "3"], "A"),
        (["4", "3", "3", "3"], "B"),
        (["4", "3", "2"], "C"),
        (["2", "2", "1"], "F"),
    ],
)
def test_the_rule_table_takes_the_first_rule_that_fits(ratings, grade):
    table = policy(course_grade=RULE_TABLE)
    parts = {str(index): rated(value) for index, value in enumerate(ratings)}
    assert calculate_course_grade(table, parts, term_closed=True).grade == grade


def test_an_override_keeps_the_computed_grade_and_needs_a_reason():
    computed = calculate_course_grade(DEFAULT_POLICY, {"A": rated("3")}, term_closed=True)
    with pytest.raises(RollupError, match="written reason"):
        override_course_grade(computed, "A", reason="  ")
    overridden = override_course_grade(computed, "A", reason="Portfolio reviewed at conference")
    assert overridden.grade == "B"
    assert overridden.final_grade == "A"
    assert overridden.override_reason == "Portfolio reviewed at conference"


def test_a_passing_grade_earns_the_courses_credit():
    passed = calculate_course_grade(DEFAULT_POLICY, {"A": rated("3")}, term_closed=True)
    failed = calculate_course_grade(DEFAULT_POLICY, {"A": rated("1")}, term_closed=True)
    incomplete = calculate_course_grade(DEFAULT_POLICY, {"A": rated(None)}, term_closed=True)
    awards = award_credit(
        DEFAULT_POLICY,
        courses=[
            CourseCredit(course="Biology", grade=passed, credits=(("Science", Decimal(1)),)),
            CourseCredit(course="Art", grade=failed, credits=(("Arts", Decimal("0.5")),)),
            CourseCredit(course="Music", grade=incomplete, credits=(("Arts", Decimal("0.5")),)),
        ],
    )
    assert [award.earned for award in awards] == [True, False, False]
    assert total_credits(awards) == {"Science": Decimal(1), "Arts": Decimal(0)}


def competency_credit_policy(increment: float | None) -> Policy:
    rule = {
        "name": "Biology",
        "competencies": ["B1", "B2", "B3", "B4"],
        "areas": {"Science": 1},
        **({"partial_increment": increment} if increment else {}),
    }
    return policy(credit={"basis": "competencies", "rules": [rule]})


@pytest.mark.parametrize(
    ("increment", "mastered", "credit"),
    [(0.5, 3, "0.5"), (None, 3, "0"), (0.5, 4, "1"), (0.25, 3, "0.75"), (0.5, 1, "0")],
)
def test_competency_credit_is_earned_by_mastery_with_partial_credit_in_steps(
    increment, mastered, credit
):
    ratings = {f"B{index}": Part(Decimal(3), index <= mastered) for index in range(1, 5)}
    awards = award_credit(competency_credit_policy(increment), competencies=ratings)
    assert total_credits(awards) == {"Science": Decimal(credit)}


GRADUATION = {
    "credits": {"English": 4, "Math": 4},
    "competencies": [{"name": "Research", "competencies": ["R1"], "minimum": 3, "by_grade": 11}],
}


@pytest.mark.parametrize(
    ("grade", "english", "math", "research", "standing"),
    [
        (11, "4", "0", "3", Standing.ON_TRACK),
        (11, "2.5", "1", "3", Standing.AT_RISK),
        (11, "2", "0", "3", Standing.OFF_TRACK),
        (11, "6", "0", "3", Standing.ON_TRACK),
        (11, "4", "0", "2", Standing.AT_RISK),
        (12, "4", "2", "2", Standing.OFF_TRACK),
        (9, "0", "0", None, Standing.ON_TRACK),
    ],
)
def test_standing_compares_credits_and_competencies_with_the_expected_pace(
    grade, english, math, research, standing
):
    check = check_graduation(
        policy(graduation=GRADUATION),
        grade=grade,
        earned={"English": Decimal(english), "Math": Decimal(math)},
        competencies={"R1": rated(research)},
    )
    assert check.standing is standing


def test_surplus_credits_in_one_area_do_not_hide_a_missing_area():
    check = check_graduation(
        policy(graduation=GRADUATION),
        grade=12,
        earned={"English": Decimal(8), "Math": Decimal(0)},
        competencies={"R1": rated("3")},
    )
    assert check.counted_credits == Decimal(4)
    assert check.standing is Standing.OFF_TRACK
    assert not check.graduation_met


def test_a_student_who_meets_every_requirement_can_graduate():
    check = check_graduation(
        policy(graduation=GRADUATION),
        grade=12,
        earned={"English": Decimal(4), "Math": Decimal(4)},
        competencies={"R1": rated("3")},
    )
    assert check.graduation_met
    assert check.standing is Standing.ON_TRACK
    assert check.ready_for_next_grade


def test_a_band_requirement_covers_every_competency_in_the_band():
    band_policy = policy(
        graduation={"credits": {}, "competencies": [{"name": "Upper", "band": "11-12"}]}
    )
    check = check_graduation(
        band_policy,
        grade=12,
        earned={},
        competencies={"C1": rated("3"), "C2": rated("2")},
        competency_bands={"C1": "11-12", "C2": "11-12", "C3": "9-10"},
    )
    assert check.requirements[0].not_yet == ("C2",)
    assert not check.graduation_met
