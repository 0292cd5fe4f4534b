"""The engine's sentences in the reader's language (decision 0006).

The engine explains in English and also returns every explanation as structured data: the method
and its parameters, why an at-bat is not counted, how many more at-bats the next step needs and
where, which parts a competency's roll-up used and how it combined them. In English these
functions return the engine's own words, unchanged; in another language they say the same thing
from the same structure, so a translation can never drift from the rating it explains. The pages
use them through `web/templatetags/engine_words.py`; reports and conferences call them directly.
"""

from decimal import Decimal
from fractions import Fraction

from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mastery.engine.evidence import LedgerLine, NotCounted
from mastery.engine.methods import ArithmeticStep, MethodChoice, Operation, round_rating
from mastery.engine.methods.levels import NO_CONTEXT
from mastery.engine.policy import Aggregate
from mastery.engine.rating import NextStep, NextStepKind, Status
from mastery.engine.rating import Rating as EngineRating
from mastery.engine.rollups import CompetencyRating
from mastery.engine.scales import format_number

_METHODS = {
    "latest": _("Your rating is your most recent counted at-bat."),
    "highest": _("Your rating is the highest level you have shown."),
    "average": _("Your rating is the average of all your counted at-bats."),
    "average_recent": _("Your rating is the average of your {count} most recent counted at-bats."),
    "weighted_latest": _(
        "Your most recent at-bat makes up {weight} of your rating; the average of the ones "
        "before it makes up the rest."
    ),
    "decaying_average": _(
        "Each new at-bat makes up {rate} of your rating, so older at-bats count less and less."
    ),
    "n_mastery": _(
        "Once you have {count} at-bats at the mastery level or above, your rating is their average."
    ),
    "mode_recent": _(
        "Your rating is the level you showed most often in your {count} most recent at-bats."
    ),
    "power_law": _("Your rating is where the curve of your growth so far says you are now."),
    "consistent": _(
        "Your rating is the highest level you showed in at least {at_bats} of your {window} "
        "most recent at-bats; for mastery they must come from at least {contexts} different "
        "contexts."
    ),
}

_NOT_COUNTED = {
    NotCounted.SELF_ASSESSMENT: _("a self-assessment (shown beside your rating, never counted)"),
    NotCounted.PEER_ASSESSMENT: _("a peer assessment (shown beside your rating, never counted)"),
    NotCounted.SUPERSEDED: _("corrected later: the correction counts instead"),
    NotCounted.VOIDED: _("retracted, so it no longer counts"),
    NotCounted.RETRACTION: _("this note retracts an earlier entry"),
    NotCounted.PRACTICE: _("practice (weight 0): shown, not counted"),
    NotCounted.SUPPORTED: _(
        "done with support: at this level this school needs work done on your own"
    ),
    NotCounted.AFTER_AS_OF: _("done after the date this rating is for"),
}


def in_english() -> bool:
    """Whether the reader's language is English: then the engine's own words are shown."""
    return (get_language() or "en").split("-")[0] == "en"


def describe_method(choice: MethodChoice) -> str:
    """A method with its parameters in one sentence (what `MethodChoice.describe` says)."""
    if in_english() or choice.name not in _METHODS:
        return choice.describe()
    shown = {name: format_number(Decimal(value)) for name, value in choice.params.values}
    return str(_METHODS[choice.name]).format(**shown)


def method_words(rating: EngineRating) -> str:
    """The rating's method in one sentence."""
    if in_english():
        return rating.explanation.method
    return describe_method(rating.method)


def why_words(line: LedgerLine) -> str:
    """Why an at-bat is not counted ('' when it is)."""
    if line.counted or line.reason is None:
        return ""
    if in_english():
        return line.why
    return str(_NOT_COUNTED[line.reason])


def _beyond(shown: tuple[str, ...]) -> str:
    if NO_CONTEXT in shown:
        return gettext("in a context other than your earlier ones")
    places = " & ".join(shown) if len(shown) <= 2 else ", ".join(shown)
    return ngettext(
        "outside the %(places)s context", "outside the %(places)s contexts", len(shown)
    ) % {"places": places}


def next_step_words(step: NextStep | None, mastery_label: str) -> str:
    """What would make the rating mastered, as the engine worked it out."""
    if step is None:
        return ""
    if in_english():
        return step.sentence
    if step.kind is NextStepKind.ALREADY_MASTERED:
        return gettext("Already mastered.")
    if step.kind is NextStepKind.OUT_OF_REACH:
        return gettext(
            "More at-bats at %(label)s alone would not make this mastered under this grading "
            "policy. Talk with your teacher about what comes next."
        ) % {"label": mastery_label}
    count, new = step.at_bats, step.new_contexts
    more = ngettext(
        "%(count)s more at-bat at %(label)s", "%(count)s more at-bats at %(label)s", count
    ) % {"count": count, "label": mastery_label}
    if new == 0:
        return f"{more}."
    if not step.contexts_shown:
        distinct = new + (1 if count > new else 0)
        return gettext("%(more)s, from at least %(distinct)s different contexts.") % {
            "more": more,
            "distinct": distinct,
        }
    beyond = _beyond(step.contexts_shown)
    if count == 1:
        return f"{more}, {beyond}."
    if new == 1:
        return gettext("%(more)s, one of them %(beyond)s.") % {"more": more, "beyond": beyond}
    if new == count:
        return gettext("%(more)s, each in a different context, %(beyond)s.") % {
            "more": more,
            "beyond": beyond,
        }
    return gettext("%(more)s, %(new)s of them in different contexts, %(beyond)s.") % {
        "more": more,
        "new": new,
        "beyond": beyond,
    }


def _arithmetic(rolled: CompetencyRating, rating: Decimal) -> str:
    values = rolled.values
    if len(values) == 1:
        return gettext("One part is rated, so the competency takes its rating: %(result)s.") % {
            "result": format_number(rating)
        }
    listed = ", ".join(format_number(value) for value in values)
    if rolled.aggregate is Aggregate.MINIMUM:
        return gettext("The lowest of %(values)s is %(result)s.") % {
            "values": listed,
            "result": format_number(min(values)),
        }
    if rolled.aggregate is Aggregate.MEDIAN:
        return gettext("The middle value of %(values)s is %(result)s.") % {
            "values": listed,
            "result": format_number(rating),
        }
    return gettext("The average of %(values)s: (%(sum)s) / %(count)s = %(result)s.") % {
        "values": listed,
        "sum": " + ".join(format_number(value) for value in values),
        "count": len(values),
        "result": format_number(rating),
    }


def rollup_words(rolled: CompetencyRating) -> tuple[str, ...]:
    """How a competency's rating comes together from its parts, one step a line."""
    if in_english() or (rolled.rating is not None and len(rolled.values) != len(rolled.used)):
        return rolled.steps
    steps = []
    if rolled.insufficient:
        steps.append(
            gettext("Left out for now (not enough evidence yet): %(parts)s.")
            % {"parts": ", ".join(rolled.insufficient)}
        )
    if rolled.rating is None or rolled.level is None:
        steps.append(gettext("No part of this competency has enough evidence yet for a rating."))
        return tuple(steps)
    used = ", ".join(
        (
            gettext("%(part)s (its own evidence) %(rating)s")
            if name == rolled.competency
            else gettext("%(part)s %(rating)s")
        )
        % {"part": name, "rating": format_number(value)}
        for name, value in zip(rolled.used, rolled.values, strict=True)
    )
    steps.append(gettext("Ratings used: %(parts)s.") % {"parts": used})
    steps.append(_arithmetic(rolled, rolled.rating))
    if rolled.required_not_mastered:
        steps.append(
            gettext("Required and not mastered yet: %(parts)s.")
            % {"parts": ", ".join(rolled.required_not_mastered)}
        )
    result = {"rating": format_number(rolled.rating), "label": rolled.level.label}
    steps.append(
        (
            gettext("Result: %(rating)s, which is %(label)s. Mastered.")
            if rolled.mastered
            else gettext("Result: %(rating)s, which is %(label)s. Not mastered yet.")
        )
        % result
    )
    return tuple(steps)


# --- A rating's arithmetic and result (Explanation.arithmetic and .outcome) ---------------------


def _number(value: Decimal | Fraction) -> str:
    """A number as the engine's explanations show it: exact up to 6 decimals, else about."""
    if isinstance(value, Fraction):
        scaled = value * 10**6
        if scaled.denominator != 1:
            return gettext("about %(number)s") % {"number": format_number(round_rating(value))}
        value = Decimal(scaled.numerator).scaleb(-6)
    return format_number(value)


def _listed(values: tuple[Decimal | Fraction, ...]) -> str:
    return ", ".join(_number(value) for value in values)


def _context(name: str) -> str:
    return gettext("no context recorded") if name == NO_CONTEXT else name


def _most_recent(step: ArithmeticStep) -> str:
    if step.contexts:
        shown = ", ".join(
            _number(level) if name == NO_CONTEXT else f"{_number(level)} ({name})"
            for level, name in zip(step.operands, step.contexts, strict=True)
        )
    else:
        shown = _listed(step.operands)
    # The engine says "Your 1 most recent counted at-bats" too; a translation may say it better.
    return ngettext(
        "Your %(count)s most recent counted at-bats: %(levels)s.",
        "Your %(count)s most recent counted at-bats: %(levels)s.",
        len(step.operands),
    ) % {"count": len(step.operands), "levels": shown}


def _level_shown(step: ArithmeticStep) -> str:
    assert step.threshold is not None
    assert step.count is not None
    label = f"{step.label} ({format_number(step.threshold)})"
    values = {"level": label, "count": step.count, "needed": step.needed}
    if step.count < (step.needed or 0):
        return gettext("%(level)s: %(count)s at or above it; %(needed)s needed.") % values
    if step.contexts_needed is None:
        return gettext("%(level)s: %(count)s at or above it. Shown consistently.") % values
    contexts = sorted(
        {
            _context(name)
            for level, name in zip(step.operands, step.contexts, strict=True)
            if level >= step.threshold
        }
    )
    values |= {"contexts": len(contexts), "names": ", ".join(contexts)}
    if step.value is None:
        return ngettext(
            "%(level)s: %(count)s at or above it, but from %(contexts)s context (%(names)s); "
            "%(wanted)s different contexts needed.",
            "%(level)s: %(count)s at or above it, but from %(contexts)s contexts (%(names)s); "
            "%(wanted)s different contexts needed.",
            len(contexts),
        ) % (values | {"wanted": step.contexts_needed})
    return (
        gettext(
            "%(level)s: %(count)s at or above it, from %(contexts)s contexts (%(names)s). "
            "Shown consistently."
        )
        % values
    )


def _step_words(step: ArithmeticStep, after: ArithmeticStep | None) -> str:
    operands, value = step.operands, step.value
    match step.operation:
        case Operation.NO_EVIDENCE:
            return gettext("There are no counted at-bats yet.")
        case Operation.ONLY:
            return gettext("With one at-bat, the rating is that at-bat: %(level)s.") % {
                "level": _number(operands[0])
            }
        case Operation.LATEST:
            return gettext("Your most recent counted at-bat is %(level)s.") % {
                "level": _number(operands[-1])
            }
        case Operation.FIRST:
            return gettext("Start with your first at-bat: %(level)s.") % {
                "level": _number(operands[0])
            }
        case Operation.MAXIMUM:
            assert value is not None
            return gettext("The highest of %(levels)s is %(top)s.") % {
                "levels": _listed(operands),
                "top": _number(value),
            }
        case Operation.MEAN:
            assert value is not None
            if len(operands) == 1:
                said = gettext("The average of one at-bat is the at-bat itself: %(level)s.") % {
                    "level": _number(operands[0])
                }
            else:
                said = f"({' + '.join(_number(level) for level in operands)}) / {len(operands)}"
                said += f" = {_number(value)}."
            if after is not None and after.operation is Operation.WEIGHTED_SUM:
                return gettext(
                    "Average of the at-bats before the most recent one: %(arithmetic)s"
                ) % {"arithmetic": said}
            return said
        case Operation.MOST_RECENT:
            return _most_recent(step)
        case Operation.WEIGHTED_SUM:
            assert value is not None
            terms = " + ".join(
                f"{_number(operand)} x {_number(weight)}"
                for operand, weight in zip(operands, step.weights, strict=True)
            )
            return f"{terms} = {_number(value)}."
        case Operation.AT_OR_ABOVE:
            assert step.threshold is not None
            assert step.count is not None
            reached = tuple(level for level in operands if level >= step.threshold)
            values = {
                "count": step.count,
                "level": format_number(step.threshold),
                "levels": _listed(reached),
                "needed": step.needed,
            }
            if not reached:
                return (
                    ngettext(
                        "%(count)s counted at-bat at or above %(level)s; %(needed)s needed.",
                        "%(count)s counted at-bats at or above %(level)s; %(needed)s needed.",
                        step.count,
                    )
                    % values
                )
            return (
                ngettext(
                    "%(count)s counted at-bat at or above %(level)s (%(levels)s); "
                    "%(needed)s needed.",
                    "%(count)s counted at-bats at or above %(level)s (%(levels)s); "
                    "%(needed)s needed.",
                    step.count,
                )
                % values
            )
        case Operation.MODE:
            counts: dict[Decimal | Fraction, int] = {}
            for level in operands:
                counts[level] = counts.get(level, 0) + 1
            return (
                ", ".join(
                    f"{_number(level)} x{counts[level]}" for level in sorted(counts, reverse=True)
                )
                + "."
            )
        case Operation.TIE:
            assert value is not None
            return gettext("A tie: %(level)s was seen most recently, so it wins.") % {
                "level": _number(value)
            }
        case Operation.FIT_CURVE:
            factor, exponent = step.weights
            return gettext("Fitting a growth curve through %(levels)s: about %(curve)s.") % {
                "levels": _listed(operands),
                "curve": f"{format_number(round_rating(factor))} x "
                f"i^{format_number(round_rating(exponent))}",
            }
        case Operation.READ_CURVE:
            assert value is not None
            return gettext("Read at at-bat %(count)s: about %(level)s.") % {
                "count": step.count,
                "level": format_number(round_rating(value)),
            }
        case Operation.CLAMP:
            assert value is not None
            return gettext("Kept on the scale: %(level)s.") % {"level": _number(value)}
        case Operation.LEVEL_SHOWN:
            return _level_shown(step)
    return step.text


def arithmetic_words(rating: EngineRating) -> tuple[str, ...]:
    """How the rating was worked out, one line per step (the engine's "Working it out")."""
    explanation = rating.explanation
    if in_english() or len(explanation.arithmetic) != len(explanation.steps):
        return explanation.steps
    steps = explanation.arithmetic
    return tuple(
        _step_words(step, steps[index + 1] if index + 1 < len(steps) else None)
        for index, step in enumerate(steps)
    )


def result_words(rating: EngineRating) -> str:
    """The result in one sentence: the rating, its level, and mastered or not yet."""
    outcome = rating.explanation.outcome
    if in_english() or outcome is None:
        return rating.explanation.result
    if outcome.status is not Status.RATED or outcome.rating is None or outcome.level is None:
        return gettext("Not enough evidence yet for a rating. This is not a zero.")
    values = {
        "rating": format_number(outcome.rating),
        "label": outcome.level.label,
        "mastery": outcome.mastery_level.label,
    }
    if outcome.mastered:
        return gettext("%(rating)s, which is %(label)s. Mastered.") % values
    return gettext("%(rating)s, which is %(label)s. Not yet at %(mastery)s.") % values
