"""The arithmetic of every explanation is also data: one record per sentence (operation,
operands, value) from which a program can work the rating out again without reading the words."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mastery.engine.methods import METHODS, ArithmeticStep, Operation, evaluate, replay
from mastery.engine.methods.steps import StepMismatch
from mastery.engine.rating import Status, rate
from tests.engine.builders import at_bats, policy

# Per method: its parameters and ledgers (levels, with contexts cycling Lab, Essay) that take
# every branch of its arithmetic -- the docstring's worked example among them.
CASES: dict[str, tuple[dict[str, object], list[tuple[int | str, ...]]]] = {
    "latest": ({}, [(2, 3, 4, 3), ()]),
    "highest": ({}, [(2, 4, 3, 3), ()]),
    "average": ({}, [(2, 3, 4, 3), (2, 3, 3), (3,), ()]),
    "average_recent": ({"count": 3}, [(1, 2, 3, 4, 3), (2, 3), ()]),
    "weighted_latest": ({"weight": 0.65}, [(2, 3, 3, 4), (2,), ()]),
    "decaying_average": ({"rate": 0.65}, [(2, 3, 3, 4), (1, 2, 3, 1), (3,), ()]),
    "n_mastery": ({"count": 3}, [(2, 3, 4, 3), (2, 3, 4), ()]),
    "mode_recent": ({"count": 5}, [(2, 3, 3, 4, 4), (1, 2, 2, 3), ()]),
    "power_law": ({}, [(1, 2, 2, 3), (4, 4, 1), (2,), ()]),
    "consistent": (
        {"at_bats": 3, "window": 5, "contexts": 2},
        [(2, 3, 3, 4, 3, 2), (4, 4, 4), (1, 2), ()],
    ),
}


def test_every_method_has_cases() -> None:
    assert set(CASES) == set(METHODS)


@pytest.mark.parametrize(
    ("method", "levels"),
    [(name, levels) for name, (_, ledgers) in CASES.items() for levels in ledgers],
)
def test_the_structured_steps_reproduce_the_rating(method: str, levels: tuple) -> None:
    params, _ = CASES[method]
    rating = rate(
        policy({"name": method, **params}),
        at_bats(*levels, contexts=("Lab", "Essay")),
        with_next_step=False,
    )

    arithmetic = rating.explanation.arithmetic
    assert [step.text for step in arithmetic] == list(rating.explanation.steps)
    assert all(evaluate(step) == step.value for step in arithmetic)
    assert replay(arithmetic) == rating.rating


def test_weighted_latest_s_records_carry_the_exact_numbers() -> None:
    rating = rate(policy({"name": "weighted_latest", "weight": 0.65}), at_bats(2, 3, 3, 4))

    earlier, blend = rating.explanation.arithmetic
    assert (earlier.operation, earlier.operands, earlier.value) == (
        Operation.MEAN,
        (Decimal(2), Decimal(3), Decimal(3)),
        Fraction(8, 3),
    )
    assert blend.operation is Operation.WEIGHTED_SUM
    assert blend.operands == (Decimal(4), Fraction(8, 3))
    assert blend.weights == (Fraction(13, 20), Fraction(7, 20))
    assert blend.value == Fraction(53, 15)  # 3.5333... -> 3.53
    assert rating.rating == Decimal("3.53")


def test_consistent_s_records_say_which_level_was_shown_and_why_the_higher_one_was_not() -> None:
    rating = rate(policy({"name": "consistent"}), at_bats(4, 4, 4, 3, contexts=("Lab",)))

    window, exceeding, meeting, developing = rating.explanation.arithmetic
    assert window.operation is Operation.MOST_RECENT
    assert window.contexts == ("Lab",) * 4
    assert (exceeding.label, exceeding.count, exceeding.needed, exceeding.value) == (
        "Exceeding",
        3,
        3,
        None,  # three at 4, but all in one context: 2 are needed
    )
    assert exceeding.contexts_needed == 2
    assert (meeting.label, meeting.count, meeting.value) == ("Meeting", 4, None)
    assert (developing.label, developing.contexts_needed, developing.value) == (
        "Developing",
        None,
        Decimal(2),
    )
    assert rating.rating == Decimal("2.00")


def test_the_outcome_says_as_data_what_the_result_says_in_words() -> None:
    mastered = rate(policy({"name": "latest"}), at_bats(2, 3)).explanation
    assert mastered.outcome is not None
    assert (mastered.outcome.status, mastered.outcome.rating, mastered.outcome.mastered) == (
        Status.RATED,
        Decimal("3.00"),
        True,
    )
    assert mastered.outcome.level is not None
    assert mastered.outcome.level.label == "Meeting"
    assert mastered.result == "3, which is Meeting. Mastered."

    nothing = rate(policy({"name": "latest"}), []).explanation
    assert nothing.outcome is not None
    assert (nothing.outcome.status, nothing.outcome.rating, nothing.outcome.level) == (
        Status.INSUFFICIENT_EVIDENCE,
        None,
        None,
    )
    assert nothing.outcome.mastery_level.label == "Meeting"
    assert [step.operation for step in nothing.arithmetic] == [Operation.NO_EVIDENCE]


def test_a_record_that_disagrees_with_its_operands_is_caught() -> None:
    wrong = ArithmeticStep(
        operation=Operation.MEAN, operands=(Decimal(2), Decimal(3)), value=Decimal(3)
    )
    with pytest.raises(StepMismatch, match="works out to 5/2"):
        replay([wrong])


METHOD_DOCUMENTS = st.sampled_from(
    [{"name": name, **params} for name, (params, _) in CASES.items()]
    + [
        {"name": "average_recent", "count": 1},
        {"name": "mode_recent", "count": 2},
        {"name": "consistent", "at_bats": 1, "window": 2, "contexts": 1},
        {"name": "decaying_average", "rate": "0.125"},
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    method=METHOD_DOCUMENTS,
    levels=st.lists(st.sampled_from([1, 2, 3, 4, "2.5", "3.25", "1.5"]), max_size=12),
    contexts=st.sampled_from([("Lab",), ("Lab", "Essay"), ("Lab", "Essay", "Quiz")]),
)
def test_on_any_evidence_the_records_replay_to_the_rating(
    method: dict[str, object], levels: list[int | str], contexts: tuple[str, ...]
) -> None:
    rating = rate(policy(method), at_bats(*levels, contexts=contexts), with_next_step=False)

    assert len(rating.explanation.arithmetic) == len(rating.explanation.steps)
    assert replay(rating.explanation.arithmetic) == rating.rating
