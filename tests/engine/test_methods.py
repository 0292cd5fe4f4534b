"""Every calculation method: the worked example from its docstring, and its edge cases."""

from decimal import Decimal

import pytest

from mastery.engine.methods import METHODS, MethodChoice, round_rating
from mastery.engine.scales import DEFAULT_SCALE
from tests.engine.builders import at_bat, at_bats


def rating_of(
    method: dict[str, object], *levels: int | str, **kwargs: tuple[str, ...]
) -> Decimal | None:
    choice = MethodChoice.from_dict(method)
    return choice.calculate(at_bats(*levels, **kwargs), DEFAULT_SCALE).rating


def test_latest_is_the_most_recent_at_bat():
    assert rating_of({"name": "latest"}, 2, 3, 4, 3) == Decimal("3.00")


def test_highest_is_the_highest_at_bat():
    assert rating_of({"name": "highest"}, 2, 4, 3, 3) == Decimal("4.00")


def test_average_is_the_mean_of_every_at_bat():
    assert rating_of({"name": "average"}, 2, 3, 4, 3) == Decimal("3.00")


def test_average_rounds_to_two_decimals_half_up():
    assert rating_of({"name": "average"}, 2, 3, 3) == Decimal("2.67")


def test_average_recent_uses_only_the_most_recent_count():
    assert rating_of({"name": "average_recent", "count": 3}, 1, 2, 3, 4, 3) == Decimal("3.33")


def test_average_recent_with_fewer_at_bats_than_count_averages_them_all():
    assert rating_of({"name": "average_recent", "count": 3}, 2, 3) == Decimal("2.50")


def test_weighted_latest_weighs_the_latest_against_the_mean_of_the_rest():
    assert rating_of({"name": "weighted_latest", "weight": 0.65}, 2, 3, 3, 4) == Decimal("3.53")


def test_weighted_latest_with_one_at_bat_is_that_at_bat():
    assert rating_of({"name": "weighted_latest", "weight": 0.65}, 2) == Decimal("2.00")


def test_decaying_average_decays_exponentially():
    assert rating_of({"name": "decaying_average", "rate": 0.65}, 2, 3, 3, 4) == Decimal("3.61")


def test_decaying_average_rounds_only_the_result():
    # d = 1, 1.65, 2.5275, 1.534625 -> 1.53. Rounding every step (2.5275 -> 2.53) would drift
    # to 1.5355 -> 1.54.
    assert rating_of({"name": "decaying_average", "rate": 0.65}, 1, 2, 3, 1) == Decimal("1.53")


def test_n_mastery_averages_the_at_bats_at_or_above_mastery():
    assert rating_of({"name": "n_mastery", "count": 3}, 2, 3, 4, 3) == Decimal("3.33")


def test_n_mastery_is_insufficient_with_fewer_than_count_at_mastery():
    assert rating_of({"name": "n_mastery", "count": 3}, 2, 3, 4, 1, 1) is None


def test_mode_recent_tie_goes_to_the_level_seen_most_recently():
    assert rating_of({"name": "mode_recent", "count": 5}, 2, 3, 3, 4, 4) == Decimal("4.00")
    assert rating_of({"name": "mode_recent", "count": 5}, 4, 4, 3, 3, 2) == Decimal("3.00")


def test_mode_recent_looks_only_at_the_most_recent_count():
    assert rating_of({"name": "mode_recent", "count": 3}, 1, 1, 1, 3, 3, 2) == Decimal("3.00")


def test_power_law_fits_the_growth_curve():
    assert rating_of({"name": "power_law"}, 1, 2, 2, 3) == Decimal("2.87")


def test_power_law_with_one_at_bat_is_that_at_bat():
    assert rating_of({"name": "power_law"}, 3) == Decimal("3.00")


def test_power_law_is_clamped_to_the_scale():
    # Steep growth extrapolates above 4; the rating stays on the scale.
    assert rating_of({"name": "power_law"}, 1, 4) == Decimal("4.00")


def test_power_law_of_a_constant_is_that_constant():
    assert rating_of({"name": "power_law"}, 3, 3, 3) == Decimal("3.00")


def test_consistent_reports_the_highest_level_shown_consistently_across_contexts():
    entries = [
        at_bat(2, day=0, context="Lab"),
        at_bat(3, day=1, context="Lab"),
        at_bat(3, day=2, context="Essay"),
        at_bat(4, day=3, context="Lab"),
        at_bat(3, day=4, context="Lab"),
        at_bat(2, day=5, context="Essay"),
    ]
    result = MethodChoice.from_dict({"name": "consistent"}).calculate(entries, DEFAULT_SCALE)
    assert result.rating == Decimal("3.00")


def test_consistent_needs_two_contexts_for_mastery():
    result = MethodChoice.from_dict({"name": "consistent"}).calculate(
        at_bats(2, 3, 3, 4, 3, 2, contexts=("Lab",)), DEFAULT_SCALE
    )
    assert result.rating == Decimal("2.00")
    assert any("1 context" in step for step in result.steps)


def test_consistent_below_mastery_does_not_need_contexts():
    assert rating_of({"name": "consistent"}, 2, 2, 2, contexts=("Lab",)) == Decimal("2.00")


def test_consistent_is_insufficient_with_fewer_than_n_at_bats():
    assert rating_of({"name": "consistent"}, 4, 4) is None


def test_consistent_looks_only_at_the_window():
    # Three 4s long ago, then 1s: the window of 5 holds one 4.
    levels = (4, 4, 4, 1, 1, 1, 1)
    assert rating_of({"name": "consistent"}, *levels, contexts=("Lab", "Essay")) == Decimal("1.00")


def test_consistent_counts_at_bats_without_a_context_as_one_context():
    entries = [at_bat(3, day=day, context=None) for day in range(3)]
    consistent = MethodChoice.from_dict({"name": "consistent"})
    assert consistent.calculate(entries, DEFAULT_SCALE).rating == Decimal("2.00")
    entries.append(at_bat(3, day=4, context="Lab"))
    assert consistent.calculate(entries, DEFAULT_SCALE).rating == Decimal("3.00")


def test_consistent_with_one_context_required_ignores_contexts():
    levels = (3, 3, 3)
    assert rating_of({"name": "consistent", "contexts": 1}, *levels) == Decimal("3.00")


@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_method_gives_insufficient_evidence_not_zero_without_at_bats(name):
    result = MethodChoice.from_dict({"name": name}).calculate([], DEFAULT_SCALE)
    assert result.rating is None
    assert result.steps


@pytest.mark.parametrize("name", sorted(set(METHODS) - {"n_mastery", "consistent"}))
def test_every_method_rates_one_at_bat_as_that_at_bat(name):
    assert rating_of({"name": name}, 2) == Decimal("2.00")


@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_method_explains_itself_in_one_sentence(name):
    sentence = MethodChoice.from_dict({"name": name}).describe()
    assert sentence.endswith(".")
    assert "{" not in sentence


def test_levels_between_scale_levels_are_averaged_exactly():
    assert rating_of({"name": "average"}, "2.5", "3.5", "3") == Decimal("3.00")


def test_rounding_is_half_up_not_to_even():
    assert round_rating(Decimal("2.665")) == Decimal("2.67")
    assert round_rating(Decimal("2.675")) == Decimal("2.68")
    assert round_rating(Decimal("2.664")) == Decimal("2.66")
