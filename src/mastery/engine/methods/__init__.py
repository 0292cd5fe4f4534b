"""Calculation methods: how a policy turns counted at-bats into one rating.

Each method is one function ``(at_bats, scale, params) -> MethodResult`` (in `levels` or
`averages`) plus one ``register`` line below naming its parameters and the sentence that explains
it. ``at_bats`` are the counted at-bats, oldest first. "Insufficient evidence" is a rating of None,
never 0. See docs/recipes/add-a-calculation-method.md.
"""

from __future__ import annotations

from decimal import Decimal

from mastery.engine.methods.averages import (
    average,
    average_recent,
    decaying_average,
    n_mastery,
    power_law,
    weighted_latest,
)
from mastery.engine.methods.levels import (
    NO_CONTEXT,
    check_consistent,
    consistent,
    context_name,
    highest,
    latest,
    mode_recent,
)
from mastery.engine.methods.registry import (
    CENT,
    METHODS,
    Calculation,
    Method,
    MethodChoice,
    MethodResult,
    Number,
    Parameter,
    ParameterError,
    ParameterKind,
    Params,
    register,
    round_rating,
)
from mastery.engine.methods.steps import ArithmeticStep, Operation, evaluate, replay

__all__ = [
    "CENT",
    "METHODS",
    "NO_CONTEXT",
    "ArithmeticStep",
    "Calculation",
    "Method",
    "MethodChoice",
    "MethodResult",
    "Number",
    "Operation",
    "Parameter",
    "ParameterError",
    "ParameterKind",
    "Params",
    "average",
    "average_recent",
    "consistent",
    "context_name",
    "decaying_average",
    "evaluate",
    "highest",
    "latest",
    "mode_recent",
    "n_mastery",
    "power_law",
    "register",
    "replay",
    "round_rating",
    "weighted_latest",
]

_COUNT = Parameter("count", ParameterKind.WHOLE, 3, "how many recent at-bats to use")

register(Method("latest", latest, "Your rating is your most recent counted at-bat."))
register(Method("highest", highest, "Your rating is the highest level you have shown."))
register(Method("average", average, "Your rating is the average of all your counted at-bats."))
register(
    Method(
        "average_recent",
        average_recent,
        "Your rating is the average of your {count} most recent counted at-bats.",
        (_COUNT,),
        window="count",
    )
)
register(
    Method(
        "weighted_latest",
        weighted_latest,
        "Your most recent at-bat makes up {weight} of your rating; the average of the ones before "
        "it makes up the rest.",
        (Parameter("weight", ParameterKind.FRACTION, Decimal("0.65"), "share of the latest"),),
    )
)
register(
    Method(
        "decaying_average",
        decaying_average,
        "Each new at-bat makes up {rate} of your rating, so older at-bats count less and less.",
        (Parameter("rate", ParameterKind.FRACTION, Decimal("0.65"), "share of each new at-bat"),),
    )
)
register(
    Method(
        "n_mastery",
        n_mastery,
        "Once you have {count} at-bats at the mastery level or above, your rating is their "
        "average.",
        (_COUNT,),
    )
)
register(
    Method(
        "mode_recent",
        mode_recent,
        "Your rating is the level you showed most often in your {count} most recent at-bats.",
        (Parameter("count", ParameterKind.WHOLE, 5, "how many recent at-bats to use"),),
        window="count",
    )
)
register(
    Method(
        "power_law",
        power_law,
        "Your rating is where the curve of your growth so far says you are now.",
        needs_positive_levels=True,
    )
)
register(
    Method(
        "consistent",
        consistent,
        "Your rating is the highest level you showed in at least {at_bats} of your {window} most "
        "recent at-bats; for mastery they must come from at least {contexts} different contexts.",
        (
            Parameter("at_bats", ParameterKind.WHOLE, 3, "at-bats needed at a level"),
            Parameter("window", ParameterKind.WHOLE, 5, "how many recent at-bats to look at"),
            Parameter("contexts", ParameterKind.WHOLE, 2, "different contexts needed for mastery"),
        ),
        check=check_consistent,
        window="window",
    )
)
