"""Calibration: how a student's self-assessments compare with their teachers' scores.

A self-assessment is paired with the teacher's score on the same target from the same context
(learning experience): the two judgements of one piece of work. Only standing entries pair: a
corrected or voided entry is replaced by its correction, or drops out. When a context holds
several teacher scores (a reassessment), the self-assessment pairs with the latest of them, and
a context holds one pair at most: the latest self-assessment with the latest teacher score.
Never counted in any rating; calibration is a conversation, not a grade.

Worked example: self 3 vs teacher 2 on a lab, self 2 vs teacher 2 on an essay, self 4 vs teacher 2
on a project -> differences +1, 0, +2; mean difference +1.00 (rates themself a level above);
within one level: 2 of 3 = 0.67.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mastery.engine.evidence import AtBat, LedgerLine, NotCounted, Source

_GONE = {NotCounted.SUPERSEDED, NotCounted.VOIDED, NotCounted.RETRACTION}
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Pair:
    """One piece of work judged twice: by the student and by the teacher."""

    target: str
    context: str
    on: datetime.date
    self_level: Decimal
    teacher_level: Decimal

    @property
    def difference(self) -> Decimal:
        """Positive: the student rated the work higher than the teacher did."""
        return self.self_level - self.teacher_level


@dataclass(frozen=True, slots=True)
class Period:
    """Calibration over the pairs whose teacher score falls in one month."""

    month: datetime.date
    count: int
    mean_difference: Decimal
    within_one: Decimal


@dataclass(frozen=True, slots=True)
class Calibration:
    pairs: tuple[Pair, ...]
    mean_difference: Decimal | None
    within_one: Decimal | None
    months: tuple[Period, ...]

    @property
    def count(self) -> int:
        return len(self.pairs)

    @property
    def within_one_count(self) -> int:
        return sum(1 for pair in self.pairs if abs(pair.difference) <= 1)


def _standing(lines: Iterable[LedgerLine]) -> list[AtBat]:
    return [
        line.entry
        for line in lines
        if line.reason not in _GONE and line.entry.level is not None and line.entry.context
    ]


def pair_judgements(target: str, lines: Iterable[LedgerLine]) -> list[Pair]:
    """The self/teacher pairs on one target, from its ledger lines in rating order
    (`count_entries`), one per context, oldest first."""
    latest_self: dict[str, AtBat] = {}
    latest_teacher: dict[str, AtBat] = {}
    for entry in _standing(lines):
        assert entry.context is not None  # _standing keeps entries with a context only
        if entry.source is Source.SELF:
            latest_self[entry.context] = entry
        elif entry.source in (Source.TEACHER, Source.EXTERNAL):
            latest_teacher[entry.context] = entry
    pairs = []
    for context, teacher in latest_teacher.items():
        own = latest_self.get(context)
        if own is None or own.level is None or teacher.level is None:
            continue
        pairs.append(
            Pair(
                target=target,
                context=context,
                on=teacher.assessed_on,
                self_level=own.level,
                teacher_level=teacher.level,
            )
        )
    return sorted(pairs, key=lambda pair: (pair.on, pair.target, pair.context))


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(_CENT, ROUND_HALF_UP)


def _share_within_one(pairs: list[Pair]) -> Decimal:
    close = sum(1 for pair in pairs if abs(pair.difference) <= 1)
    return (Decimal(close) / len(pairs)).quantize(_CENT, ROUND_HALF_UP)


def calibrate(pairs: Iterable[Pair]) -> Calibration:
    """Mean difference (self minus teacher) and the share of pairs within one level, overall
    and month by month (by the teacher score's date). No pairs: both are None."""
    ordered = sorted(pairs, key=lambda pair: (pair.on, pair.target, pair.context))
    if not ordered:
        return Calibration(pairs=(), mean_difference=None, within_one=None, months=())
    by_month: dict[datetime.date, list[Pair]] = {}
    for pair in ordered:
        by_month.setdefault(pair.on.replace(day=1), []).append(pair)
    months = tuple(
        Period(
            month=month,
            count=len(group),
            mean_difference=_mean([pair.difference for pair in group]),
            within_one=_share_within_one(group),
        )
        for month, group in by_month.items()
    )
    return Calibration(
        pairs=tuple(ordered),
        mean_difference=_mean([pair.difference for pair in ordered]),
        within_one=_share_within_one(ordered),
        months=months,
    )
