"""The engine's sentences in the reader's language (decision 0006).

The engine explains in English and also returns every explanation as structured data: the method
and its parameters, why an at-bat is not counted, how many more at-bats the next step needs and
where, which parts a competency's roll-up used and how it combined them. In English these
functions return the engine's own words, unchanged; in another language they say the same thing
from the same structure, so a translation can never drift from the rating it explains. The pages
use them through `web/templatetags/engine_words.py`; reports and conferences call them directly.
"""

from decimal import Decimal

from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mastery.engine.evidence import LedgerLine, NotCounted
from mastery.engine.methods.levels import NO_CONTEXT
from mastery.engine.policy import Aggregate
from mastery.engine.rating import NextStep, NextStepKind
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


def method_words(rating: EngineRating) -> str:
    """The rating's method in one sentence."""
    if in_english() or rating.method.name not in _METHODS:
        return rating.explanation.method
    shown = {name: format_number(Decimal(value)) for name, value in rating.method.params.values}
    return str(_METHODS[rating.method.name]).format(**shown)


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
