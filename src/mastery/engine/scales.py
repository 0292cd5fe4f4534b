"""Performance scales: ordered levels, cut scores, and the mastery threshold.

A scale turns numbers into words a student can read. Example (GRADING.md's default)::

    1 Beginning, 2 Developing, 3 Meeting (mastery), 4 Exceeding

A numeric rating reports as the highest level whose cut score (its ``min``, or its own value when
it has none) is at or below the rating: 2.67 reports as Developing, 3.5 as Meeting. With a cut
score of 2.5 on Meeting, 2.67 would report as Meeting instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


class ScaleError(ValueError):
    """A scale or a level that cannot be used; the message names the field and says why."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.problem = message
        super().__init__(f"{field}: {message}" if field else message)


def to_decimal(raw: object, *, field: str) -> Decimal:
    """`raw` as an exact Decimal.

    A float (what JSON gives for 2.5) becomes the shortest decimal that reads back as it, so
    2.5 -> Decimal("2.5") and 0.65 -> Decimal("0.65"), not the binary approximation.
    """
    if isinstance(raw, bool):
        raise ScaleError(field, f"must be a number (got {raw!r})")
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int | str | float):
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ScaleError(field, f"must be a number (got {raw!r})") from None
    else:
        raise ScaleError(field, f"must be a number (got {raw!r})")
    if not number.is_finite():
        raise ScaleError(field, f"must be a finite number (got {raw!r})")
    return number


@dataclass(frozen=True, slots=True)
class Level:
    """One performance level. ``min`` is its cut score; without one the cut is the level's value."""

    value: Decimal
    label: str
    description: str = ""
    min: Decimal | None = None
    mastery: bool = False

    @property
    def cut(self) -> Decimal:
        return self.value if self.min is None else self.min

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": str(self.value), "label": self.label}
        if self.description:
            data["description"] = self.description
        if self.min is not None:
            data["min"] = str(self.min)
        if self.mastery:
            data["mastery"] = True
        return data


@dataclass(frozen=True, slots=True)
class Scale:
    """Levels from lowest to highest, exactly one of them the mastery level.

    Each level's cut lies above the level below's value and at or below its own value, so every
    level's own value reports as that level.
    """

    levels: tuple[Level, ...]

    def __post_init__(self) -> None:
        if not self.levels:
            raise ScaleError("scale.levels", "needs at least one level")
        labels: set[str] = set()
        for index, level in enumerate(self.levels):
            field = f"scale.levels[{index}]"
            if not level.label.strip():
                raise ScaleError(f"{field}.label", "must not be empty")
            if level.label in labels:
                raise ScaleError(f"{field}.label", f"{level.label!r} is used by two levels")
            labels.add(level.label)
            if level.min is not None and level.min > level.value:
                raise ScaleError(
                    f"{field}.min",
                    f"must be at or below the level's value {level.value} (got {level.min})",
                )
            if index == 0:
                continue
            below = self.levels[index - 1]
            if level.value == below.value:
                raise ScaleError(f"{field}.value", f"{level.value} is used by two levels")
            if level.value < below.value:
                raise ScaleError(
                    f"{field}.value",
                    f"levels must go from lowest to highest ({level.value} comes after "
                    f"{below.value})",
                )
            if level.cut <= below.value:
                raise ScaleError(
                    f"{field}.min",
                    f"must be above the value of the level below, {below.value} (got {level.cut})",
                )
        mastery_levels = [level for level in self.levels if level.mastery]
        if len(mastery_levels) != 1:
            raise ScaleError(
                "scale.levels",
                f"exactly one level must be marked mastery (got {len(mastery_levels)})",
            )

    @property
    def mastery_level(self) -> Level:
        return next(level for level in self.levels if level.mastery)

    @property
    def mastery_value(self) -> Decimal:
        return self.mastery_level.value

    @property
    def lowest(self) -> Decimal:
        return self.levels[0].value

    @property
    def highest(self) -> Decimal:
        return self.levels[-1].value

    def contains(self, value: Decimal) -> bool:
        """Whether `value` lies inside [lowest value, highest value]."""
        return self.lowest <= value <= self.highest

    def level_for(self, rating: Decimal) -> Level:
        """The highest level whose cut is at or below `rating`.

        Raises ValueError for a rating below every cut (only possible for a number off the scale).
        """
        for level in reversed(self.levels):
            if level.cut <= rating:
                return level
        raise ValueError(f"{rating} is below the lowest level of the scale ({self.lowest})")

    def is_mastery(self, rating: Decimal) -> bool:
        """Whether `rating` reports as the mastery level or above."""
        return rating >= self.mastery_level.cut

    def label_for_value(self, value: Decimal) -> str:
        """'Meeting' for 3; '2.5 (Developing)' for a value between levels."""
        level = self.level_for(value)
        if level.value == value:
            return level.label
        return f"{format_number(value)} ({level.label})"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, field: str = "scale") -> Scale:
        """Build a scale from ``{"levels": [{"value": 1, "label": "Beginning"}, ...]}``."""
        if not isinstance(data, Mapping):
            raise ScaleError(field, "must be an object with a 'levels' list")
        raw_levels = data.get("levels")
        if not isinstance(raw_levels, list) or not raw_levels:
            raise ScaleError(f"{field}.levels", "must be a non-empty list of levels")
        unknown = set(data) - {"levels"}
        if unknown:
            raise ScaleError(f"{field}.{sorted(unknown)[0]}", "is not a scale field")
        levels = []
        for index, raw in enumerate(raw_levels):
            level_field = f"{field}.levels[{index}]"
            if not isinstance(raw, Mapping):
                raise ScaleError(level_field, "must be an object with a value and a label")
            unknown = set(raw) - {"value", "label", "description", "min", "mastery"}
            if unknown:
                raise ScaleError(f"{level_field}.{sorted(unknown)[0]}", "is not a level field")
            if "value" not in raw:
                raise ScaleError(f"{level_field}.value", "is required")
            label = raw.get("label")
            if not isinstance(label, str) or not label.strip():
                raise ScaleError(f"{level_field}.label", "is required and must be text")
            description = raw.get("description", "")
            if not isinstance(description, str):
                raise ScaleError(f"{level_field}.description", "must be text")
            mastery = raw.get("mastery", False)
            if not isinstance(mastery, bool):
                raise ScaleError(
                    f"{level_field}.mastery", f"must be true or false (got {mastery!r})"
                )
            minimum = raw.get("min")
            levels.append(
                Level(
                    value=to_decimal(raw["value"], field=f"{level_field}.value"),
                    label=label.strip(),
                    description=description,
                    min=None
                    if minimum is None
                    else to_decimal(minimum, field=f"{level_field}.min"),
                    mastery=mastery,
                )
            )
        try:
            return cls(tuple(levels))
        except ScaleError as error:
            raise ScaleError(error.field.replace("scale", field, 1), error.problem) from None

    def to_dict(self) -> dict[str, Any]:
        return {"levels": [level.to_dict() for level in self.levels]}


def format_number(value: Decimal) -> str:
    """A number as a student reads it: 3 not 3.00, 2.5 not 2.50, 2.67 as is."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


DEFAULT_SCALE = Scale(
    (
        Level(Decimal(1), "Beginning"),
        Level(Decimal(2), "Developing"),
        Level(Decimal(3), "Meeting", mastery=True),
        Level(Decimal(4), "Exceeding"),
    )
)
