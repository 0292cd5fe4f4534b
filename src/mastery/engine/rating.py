"""Rating one student on one target: counting rules, the policy's method, the explanation and
the next step.

    rating = rate(policy, entries, target="ELA.W.2")
    rating.status, rating.rating, rating.level, rating.mastered
    rating.explanation.text     # plain language, for a student and their family
    rating.next_step.sentence   # "2 more at-bats at Meeting, one of them outside the Lab context."

The next step is found by simulation: hypothetical at-bats at the mastery value, dated after the
latest entry, are added one at a time (up to NEXT_STEP_LIMIT) until the policy would call the
rating mastered; then the fewest of them that must come from new contexts is found.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from mastery.engine.evidence import (
    AtBat,
    LedgerError,
    LedgerLine,
    NotCounted,
    OrderBy,
    Source,
    count_entries,
    counted_at_bats,
    spoken_date,
)
from mastery.engine.methods import NO_CONTEXT, MethodChoice, context_name
from mastery.engine.methods.steps import ArithmeticStep
from mastery.engine.policy import Policy
from mastery.engine.scales import Level, Scale, format_number

NEXT_STEP_LIMIT = 20
"""The most hypothetical at-bats the next-step search tries: about a term of weekly evidence.

Averaging methods approach the mastery value only gradually (one early 1 needs 399 more 3s for
`average` to round to 3.00), so past this bound the next step says mastery is out of reach of
more evidence at the mastery level alone."""

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


class Status(StrEnum):
    RATED = "rated"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"


class NextStepKind(StrEnum):
    ALREADY_MASTERED = "already_mastered"
    MORE_AT_BATS = "more_at_bats"
    OUT_OF_REACH = "out_of_reach"


@dataclass(frozen=True, slots=True, kw_only=True)
class NextStep:
    """What would make the rating mastered: `at_bats` more at the mastery level, `new_contexts`
    of them each in a different context outside `contexts_shown`. `hypothetical` holds the
    simulated at-bats (add them to the entries and the rating is mastered)."""

    kind: NextStepKind
    sentence: str
    at_bats: int = 0
    new_contexts: int = 0
    contexts_shown: tuple[str, ...] = ()
    hypothetical: tuple[AtBat, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """The result as data: what `Explanation.result` says in words."""

    status: Status
    rating: Decimal | None
    level: Level | None
    mastered: bool
    mastery_level: Level
    """The level that means mastery on this scale (what "Not yet at ..." names)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """The method in one sentence, the entries in order, the arithmetic and the result.

    Each is text a student reads; the arithmetic and the result are also data, for a program or
    a page in another language: `arithmetic` holds one record per sentence of `steps` (the
    operation, its operands and its value; `methods.steps`), `outcome` what `result` says.
    """

    method: str
    entries: tuple[str, ...]
    steps: tuple[str, ...]
    result: str
    next_step: str
    order: str = "oldest first"
    """How `entries` are ordered, in words (the policy's ``order_by``)."""
    order_by: OrderBy = OrderBy.ASSESSED_ON
    """The same as data: pages in another language say it from this."""
    arithmetic: tuple[ArithmeticStep, ...] = ()
    outcome: Outcome | None = None

    @property
    def text(self) -> str:
        parts = [f"How this rating works: {self.method}", "", f"Your at-bats, {self.order}:"]
        parts += [f"  {line}" for line in self.entries] or ["  (none yet)"]
        parts += ["", "Working it out:"]
        parts += [f"  - {step}" for step in self.steps]
        parts += ["", f"Result: {self.result}"]
        if self.next_step:
            parts.append(f"Next step: {self.next_step}")
        return "\n".join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Rating:
    """A student's rating on one target under one policy."""

    target: str | None
    status: Status
    rating: Decimal | None
    level: Level | None
    mastered: bool
    counted: int
    method: MethodChoice
    entries: tuple[LedgerLine, ...]
    self_assessments: tuple[AtBat, ...]
    peer_assessments: tuple[AtBat, ...]
    explanation: Explanation
    next_step: NextStep | None

    @property
    def is_rated(self) -> bool:
        return self.status is Status.RATED


@dataclass(frozen=True, slots=True)
class _Outcome:
    lines: tuple[LedgerLine, ...]
    rating: Decimal | None
    mastered: bool
    steps: tuple[str, ...]
    records: tuple[ArithmeticStep, ...] = ()


def check_levels(entries: Iterable[AtBat], scale: Scale) -> None:
    """Raise LedgerError for the first entry whose level lies off `scale`."""
    for entry in entries:
        if entry.level is not None and not scale.contains(entry.level):
            raise LedgerError(
                f"at-bat {entry.id!r}: level {format_number(entry.level)} is off the scale "
                f"({format_number(scale.lowest)} to {format_number(scale.highest)})"
            )


def _evaluate(
    policy: Policy, choice: MethodChoice, entries: Sequence[AtBat], as_of: date | None
) -> _Outcome:
    lines = count_entries(
        entries,
        policy.order_by,
        independent_required_from=(
            policy.scale.mastery_value if policy.require_independent_for_mastery else None
        ),
        as_of=as_of,
    )
    result = choice.calculate(counted_at_bats(lines), policy.scale)
    mastered = result.rating is not None and policy.scale.is_mastery(result.rating)
    return _Outcome(lines, result.rating, mastered, result.steps, result.records)


def rate(
    policy: Policy,
    entries: Iterable[AtBat],
    *,
    target: str | None = None,
    as_of: date | None = None,
    with_next_step: bool = True,
) -> Rating:
    """Rate one student on `target` from their ledger `entries` (any order) under `policy`.

    `as_of`: rate as of that date (entries assessed later are shown, not counted).
    `with_next_step`: False skips the simulation (next_step is then None), for bulk work.
    Raises LedgerError for a level off the scale or entries that do not form a ledger.
    """
    entries = list(entries)
    check_levels(entries, policy.scale)
    choice = policy.method_for(target)
    outcome = _evaluate(policy, choice, entries, as_of)
    scale = policy.scale
    level = None if outcome.rating is None else scale.level_for(outcome.rating)
    next_step = None
    if with_next_step:
        next_step = _next_step(policy, choice, entries, outcome, as_of)
    if outcome.rating is None:
        result = "Not enough evidence yet for a rating. This is not a zero."
    else:
        assert level is not None
        verdict = "Mastered." if outcome.mastered else f"Not yet at {scale.mastery_level.label}."
        result = f"{format_number(outcome.rating)}, which is {level.label}. {verdict}"
    replaced = {NotCounted.SUPERSEDED, NotCounted.VOIDED, NotCounted.RETRACTION}
    current = [line.entry for line in outcome.lines if line.reason not in replaced]
    explanation = Explanation(
        method=choice.describe(),
        entries=tuple(_entry_line(line, scale, policy.order_by) for line in outcome.lines),
        steps=outcome.steps,
        result=result,
        next_step="" if next_step is None else next_step.sentence,
        order=_ORDER_WORDS[policy.order_by],
        order_by=policy.order_by,
        arithmetic=outcome.records,
        outcome=Outcome(
            status=Status.INSUFFICIENT_EVIDENCE if outcome.rating is None else Status.RATED,
            rating=outcome.rating,
            level=level,
            mastered=outcome.mastered,
            mastery_level=scale.mastery_level,
        ),
    )
    return Rating(
        target=target,
        status=Status.INSUFFICIENT_EVIDENCE if outcome.rating is None else Status.RATED,
        rating=outcome.rating,
        level=level,
        mastered=outcome.mastered,
        counted=sum(1 for line in outcome.lines if line.counted),
        method=choice,
        entries=outcome.lines,
        self_assessments=tuple(entry for entry in current if entry.source is Source.SELF),
        peer_assessments=tuple(entry for entry in current if entry.source is Source.PEER),
        explanation=explanation,
        next_step=next_step,
    )


_ORDER_WORDS = {
    OrderBy.ASSESSED_ON: "oldest first",
    OrderBy.DUE_ON: "in the order they were due (work with no due date goes by the day you did it)",
    OrderBy.RECORDED_AT: "in the order they were recorded",
}


def _entry_line(line: LedgerLine, scale: Scale, order_by: OrderBy) -> str:
    entry = line.entry
    day = spoken_date(entry.assessed_on)
    if order_by is OrderBy.DUE_ON and entry.due_on is not None:
        day += f" (due {spoken_date(entry.due_on)})"
    where = f", {entry.context}" if entry.context else ""
    if entry.level is None:
        what = "retraction"
    else:
        what = scale.label_for_value(entry.level)
        what += "" if what == format_number(entry.level) else f" ({format_number(entry.level)})"
    status = "counted" if line.counted else f"not counted, {line.why}"
    return f"{day}{where}: {what} - {status}."


def _next_step(
    policy: Policy,
    choice: MethodChoice,
    entries: list[AtBat],
    outcome: _Outcome,
    as_of: date | None,
) -> NextStep:
    scale = policy.scale
    mastery = scale.mastery_level
    if outcome.mastered:
        return NextStep(kind=NextStepKind.ALREADY_MASTERED, sentence="Already mastered.")
    # Work done after `as_of` is out of this rating's view; the hypothetical work comes after
    # everything that is in view.
    in_view = [line.entry for line in outcome.lines if line.reason is not NotCounted.AFTER_AS_OF]
    counted = counted_at_bats(outcome.lines)
    # The contexts where mastery-level work already counts; "anywhere" at-bats are simulated in
    # the most recent of them (the one most likely to still be in the window), new-context
    # at-bats each in a context of their own.
    qualifying = [
        at_bat
        for at_bat in counted[-_window(choice, len(counted)) :]
        if at_bat.level is not None and at_bat.level >= mastery.value
    ]
    shown = tuple(sorted({context_name(at_bat) for at_bat in qualifying}))
    anywhere = qualifying[-1].context if qualifying else "any context"

    def simulate(count: int, new_contexts: int) -> tuple[bool, tuple[AtBat, ...]]:
        contexts = [
            f"new context {index + 1}" if index >= count - new_contexts else anywhere
            for index in range(count)
        ]
        hypothetical = _hypothetical(in_view, contexts, mastery.value, policy.order_by)
        trial = _evaluate(policy, choice, [*in_view, *hypothetical], None)
        return trial.mastered, hypothetical

    for count in range(1, NEXT_STEP_LIMIT + 1):
        if not simulate(count, count)[0]:
            continue
        for new_contexts in range(count + 1):
            mastered, hypothetical = simulate(count, new_contexts)
            if mastered:
                return NextStep(
                    kind=NextStepKind.MORE_AT_BATS,
                    sentence=_sentence(count, new_contexts, shown, mastery.label),
                    at_bats=count,
                    new_contexts=new_contexts,
                    contexts_shown=shown,
                    hypothetical=hypothetical,
                )
    return NextStep(
        kind=NextStepKind.OUT_OF_REACH,
        sentence=(
            f"Even {NEXT_STEP_LIMIT} more at-bats at {mastery.label} would not make this mastered "
            "under this grading policy. Talk with your teacher about what comes next."
        ),
    )


def _window(choice: MethodChoice, counted: int) -> int:
    """How many recent at-bats can still count toward mastery (all of them for most methods)."""
    window = choice.method.window
    return choice.params.whole(window) if window else max(counted, 1)


def _hypothetical(
    entries: Sequence[AtBat], contexts: Sequence[str | None], level: Decimal, order_by: OrderBy
) -> tuple[AtBat, ...]:
    last_day = max((entry.assessed_on for entry in entries), default=date(2000, 1, 1))
    if order_by is OrderBy.DUE_ON:
        last_day = max([last_day, *(entry.due_on for entry in entries if entry.due_on)])
    stamps = [entry.recorded_at for entry in entries if entry.recorded_at is not None]
    last_stamp = max(stamps) if stamps else None
    last_sequence = max((entry.sequence for entry in entries), default=0)
    template = AtBat(id="next", level=level, assessed_on=last_day)
    return tuple(
        replace(
            template,
            id=f"next-step-{index}",
            assessed_on=last_day + timedelta(days=index),
            due_on=last_day + timedelta(days=index) if order_by is OrderBy.DUE_ON else None,
            recorded_at=None if last_stamp is None else last_stamp + timedelta(days=index),
            context=context,
            sequence=last_sequence + index,
        )
        for index, context in enumerate(contexts, start=1)
    )


def _in_words(number: int) -> str:
    return _NUMBER_WORDS[number] if number < len(_NUMBER_WORDS) else str(number)


def _sentence(count: int, new_contexts: int, shown: tuple[str, ...], label: str) -> str:
    more = f"{count} more at-bat{'s' if count != 1 else ''} at {label}"
    if new_contexts == 0:
        return f"{more}."
    if not shown:
        distinct = new_contexts + (1 if count > new_contexts else 0)
        return f"{more}, from at least {_in_words(distinct)} different contexts."
    if NO_CONTEXT in shown:
        beyond = "in a context other than your earlier ones"
    else:
        places = " and ".join(shown) if len(shown) <= 2 else ", ".join(shown)
        beyond = f"outside the {places} context{'s' if len(shown) > 1 else ''}"
    if count == 1:
        return f"{more}, {beyond}."
    if new_contexts == 1:
        return f"{more}, one of them {beyond}."
    if new_contexts == count:
        return f"{more}, each in a different context, {beyond}."
    return f"{more}, {_in_words(new_contexts)} of them in different contexts, {beyond}."
