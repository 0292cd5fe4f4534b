"""A level's colour on a page, from where it sits relative to mastery: the same colour means the
same thing on a 2-level and a 7-level scale (mastery is green, just below it amber, far below it
rose, above it blue), and the label is always shown beside it — colour is never the only signal.

    Four levels, mastery at 3:  1 below-far, 2 below-1, 3 mastery, 4 above-1
    Seven levels, mastery at 5: 1 below-far, 2-3 below-2, 4 below-1, 5 mastery, 6 above-1,
                                7 above-2
    Two levels, mastery at 2:   1 below-1, 2 mastery
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

TONES = ("below-far", "below-2", "below-1", "mastery", "above-1", "above-2")


class _Level(Protocol):
    @property
    def value(self) -> Decimal: ...

    @property
    def is_mastery(self) -> bool: ...


def tone_at(position: int, mastery: int) -> str:
    """The tone of the level at `position` (0-based, lowest first) on a scale whose mastery
    level is at `mastery`."""
    if position == mastery:
        return "mastery"
    if position > mastery:
        return "above-1" if position == mastery + 1 else "above-2"
    if position == mastery - 1:
        return "below-1"
    return "below-far" if position == 0 else "below-2"


def level_tones(levels: Sequence[_Level]) -> dict[Decimal, str]:
    """Each level's tone (as a CSS class, `tone-…`) by its value. A scale without a mastery
    level is read as mastery at its top."""
    mastery = next((level.value for level in levels if level.is_mastery), None)
    return tones_by_value([level.value for level in levels], mastery=mastery)


def tones_by_value(values: Iterable[Decimal], /, *, mastery: Decimal | None) -> dict[Decimal, str]:
    """The same from the levels' values and the mastery level's (None: the top), for levels
    that are not a scale's rows (the engine's, on "How grading works")."""
    ordered = sorted(values)
    at = ordered.index(mastery) if mastery in ordered else len(ordered) - 1
    return {value: f"tone-{tone_at(index, at)}" for index, value in enumerate(ordered)}
