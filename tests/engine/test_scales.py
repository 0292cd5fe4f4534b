"""Performance scales: levels, cut scores, the mastery level."""

from decimal import Decimal

import pytest

from mastery.engine.scales import DEFAULT_SCALE, Level, Scale, ScaleError


def scale_with_meeting_cut(cut: str) -> Scale:
    return Scale(
        (
            Level(Decimal(1), "Beginning"),
            Level(Decimal(2), "Developing"),
            Level(Decimal(3), "Meeting", min=Decimal(cut), mastery=True),
            Level(Decimal(4), "Exceeding"),
        )
    )


def test_a_rating_reports_as_the_highest_level_whose_cut_it_reaches():
    assert DEFAULT_SCALE.level_for(Decimal("2.99")).label == "Developing"
    assert DEFAULT_SCALE.level_for(Decimal("3")).label == "Meeting"
    assert DEFAULT_SCALE.level_for(Decimal("4")).label == "Exceeding"


def test_a_cut_score_below_the_value_moves_the_boundary_down():
    scale = scale_with_meeting_cut("2.5")
    assert scale.level_for(Decimal("2.67")).label == "Meeting"
    assert scale.is_mastery(Decimal("2.5"))
    assert not scale.is_mastery(Decimal("2.49"))


def test_the_mastery_value_is_the_mastery_levels_value():
    assert DEFAULT_SCALE.mastery_value == Decimal(3)
    assert DEFAULT_SCALE.mastery_level.label == "Meeting"


def test_contains_is_the_closed_range_of_the_scale():
    assert DEFAULT_SCALE.contains(Decimal(1))
    assert DEFAULT_SCALE.contains(Decimal("2.5"))
    assert not DEFAULT_SCALE.contains(Decimal("4.01"))
    assert not DEFAULT_SCALE.contains(Decimal(0))


def test_a_value_between_levels_is_labelled_with_the_level_it_reports_as():
    assert DEFAULT_SCALE.label_for_value(Decimal("2.5")) == "2.5 (Developing)"
    assert DEFAULT_SCALE.label_for_value(Decimal(3)) == "Meeting"


def test_a_scale_round_trips_through_its_dict():
    scale = scale_with_meeting_cut("2.5")
    assert Scale.from_dict(scale.to_dict()) == scale


@pytest.mark.parametrize(
    ("levels", "field", "problem"),
    [
        ([], "scale.levels", "non-empty list"),
        (
            [{"value": 1, "label": "A"}, {"value": 2, "label": "B"}],
            "scale.levels",
            "exactly one level must be marked mastery (got 0)",
        ),
        (
            [
                {"value": 1, "label": "A", "mastery": True},
                {"value": 2, "label": "B", "mastery": True},
            ],
            "scale.levels",
            "exactly one level must be marked mastery (got 2)",
        ),
        (
            [{"value": 2, "label": "A", "mastery": True}, {"value": 1, "label": "B"}],
            "scale.levels[1].value",
            "from lowest to highest",
        ),
        (
            [{"value": 1, "label": "A", "mastery": True}, {"value": 1, "label": "B"}],
            "scale.levels[1].value",
            "used by two levels",
        ),
        (
            [{"value": 1, "label": "A", "mastery": True}, {"value": 2, "label": "A"}],
            "scale.levels[1].label",
            "used by two levels",
        ),
        (
            [{"value": 1, "label": "A"}, {"value": 2, "label": "B", "min": 2.5, "mastery": True}],
            "scale.levels[1].min",
            "at or below the level's value",
        ),
        (
            [{"value": 1, "label": "A"}, {"value": 2, "label": "B", "min": 1, "mastery": True}],
            "scale.levels[1].min",
            "above the value of the level below",
        ),
        ([{"label": "A", "mastery": True}], "scale.levels[0].value", "is required"),
        (
            [{"value": "x", "label": "A", "mastery": True}],
            "scale.levels[0].value",
            "must be a number",
        ),
        ([{"value": 1, "label": "", "mastery": True}], "scale.levels[0].label", "is required"),
        (
            [{"value": 1, "label": "A", "mastery": "yes"}],
            "scale.levels[0].mastery",
            "true or false",
        ),
        (
            [{"value": 1, "label": "A", "colour": "red"}],
            "scale.levels[0].colour",
            "not a level field",
        ),
    ],
)
def test_a_bad_scale_is_refused_naming_the_field(levels, field, problem):
    with pytest.raises(ScaleError) as raised:
        Scale.from_dict({"levels": levels})
    assert raised.value.field == field
    assert problem in raised.value.problem
