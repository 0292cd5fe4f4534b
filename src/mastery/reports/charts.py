"""Charts as SVG, drawn on the server by matplotlib (no pyplot: figures are built directly, so
rendering is safe in threads and never opens a window).

Every chart starts with a `<title>` and carries `role="img"`, so a screen reader names it; the
same numbers are always printed beside it in the report, so the chart is never the only place
a number lives.
"""

import datetime
import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

from matplotlib.dates import AutoDateLocator, DateFormatter, MonthLocator, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

_RC = {
    "svg.fonttype": "none",  # text stays text: searchable, selectable, smaller
    "svg.hashsalt": "mastery",  # the same chart gives the same bytes
    "font.family": ["DejaVu Sans", "Liberation Sans", "sans-serif"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_LINE_COLOURS = ("#1f4e79", "#0b6e4f", "#a4262c", "#7a4d00", "#5b2a86", "#00607a", "#8a3b12")
_LEVEL_COLOURS = ("#e8a29d", "#f3cf86", "#8fcfa8", "#8db5e3", "#b9b1d9", "#c7d8a8")
_INSUFFICIENT_COLOUR = "#d8dde4"


@dataclass(frozen=True)
class ProgressPoint:
    """A rating as of a day (None: not enough evidence yet on that day)."""

    on: datetime.date
    rating: Decimal | None


@dataclass(frozen=True)
class ProgressSeries:
    label: str
    points: tuple[ProgressPoint, ...]


@dataclass(frozen=True)
class ScaleLevel:
    value: Decimal
    label: str
    is_mastery: bool


@dataclass(frozen=True)
class DistributionRow:
    """How many students stand at each level (in scale order) of one competency."""

    label: str
    counts: tuple[int, ...]
    insufficient: int


def _svg(figure: Figure, title: str, description: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    # Put an accessible name first inside the root element (matplotlib writes only RDF metadata).
    accessible = (
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(description)}</desc>'
    )
    return re.sub(
        r"<svg\b([^>]*)>",
        lambda match: (
            f'<svg{match.group(1)} role="img" aria-labelledby="chart-title chart-desc">'
            + accessible
        ),
        text,
        count=1,
    )


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context():
        cast(Any, matplotlib.rcParams).update(_RC)
        yield


@dataclass(frozen=True)
class ProgressWords:
    """What a progress chart says besides names and numbers, in the reader's language."""

    empty: str = "No evidence yet"
    """Written across a chart without a single at-bat."""
    not_enough: str = "not enough evidence"
    """A day without enough evidence for a rating, in the chart's description."""
    none_yet: str = "no evidence yet"
    """A series without a single day, in the chart's description."""
    day: Callable[[datetime.date], str] | None = None
    """A day on the time axis (default: Oct 01)."""


def _spoken(rating: Decimal | None, words: ProgressWords) -> str:
    return words.not_enough if rating is None else str(rating)


def progress_chart(
    title: str,
    series: Sequence[ProgressSeries],
    levels: Sequence[ScaleLevel],
    *,
    span: tuple[datetime.date, datetime.date] | None = None,
    words: ProgressWords = ProgressWords(),
) -> str:
    """A line per series: its rating over time, on the scale's levels, the mastery level marked.
    Days without enough evidence are gaps, never zeros. `words`: the chart's own words."""
    with _style():
        figure = Figure(figsize=(7, 2.8))
        axes = figure.add_subplot()
        for index, line in enumerate(series):
            days = [point.on for point in line.points]
            values = [
                float(point.rating) if point.rating is not None else float("nan")
                for point in line.points
            ]
            axes.plot(
                cast(Any, days),
                values,
                marker="o",
                markersize=3,
                linewidth=1.6,
                color=_LINE_COLOURS[index % len(_LINE_COLOURS)],
                label=line.label,
            )
        if levels:
            axes.set_ylim(float(levels[0].value) - 0.25, float(levels[-1].value) + 0.25)
            axes.set_yticks([float(level.value) for level in levels])
            axes.set_yticklabels([level.label for level in levels])
            mastery = next((level for level in levels if level.is_mastery), None)
            if mastery is not None:
                axes.axhline(float(mastery.value), color="#5a6473", linestyle="--", linewidth=0.8)
        if not any(line.points for line in series):
            axes.text(0.5, 0.5, words.empty, ha="center", va="center", transform=axes.transAxes)
        axes.grid(axis="y", color="#e4e8ee", linewidth=0.6)
        days = [point.on for line in series for point in line.points]
        shown = span or ((min(days), max(days)) if days else None)
        if shown is None:
            axes.set_xticks([])  # no day to show: no made-up dates on the axis
        else:
            axes.set_xlim(*cast(Any, _at_least_two_weeks(*shown)))
            axes.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=8))
            axes.xaxis.set_major_formatter(_day_formatter(words.day))
        if len(series) > 1:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=7)
        figure.tight_layout()
        described = "; ".join(
            f"{line.label}: "
            + (
                ", ".join(
                    f"{point.on.isoformat()} {_spoken(point.rating, words)}"
                    for point in line.points
                )
                or words.none_yet
            )
            for line in series
        )
        return _svg(figure, title, described)


def _day_formatter(day: Callable[[datetime.date], str] | None) -> DateFormatter | FuncFormatter:
    if day is None:
        return DateFormatter("%b %d")
    return FuncFormatter(lambda value, _position: day(num2date(value).date()))


def _at_least_two_weeks(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The days an axis spans: a single day or a few are widened around their middle to two
    weeks, so the ticks fall on whole days and no label repeats (Oct 01, Oct 01, ...).

    >>> _at_least_two_weeks(datetime.date(2026, 10, 1), datetime.date(2026, 10, 1))
    (datetime.date(2026, 9, 24), datetime.date(2026, 10, 8))
    """
    missing = datetime.timedelta(days=14) - (last - first)
    if missing <= datetime.timedelta(0):
        return first, last
    before = datetime.timedelta(days=missing.days // 2)
    return first - before, last + (missing - before)


def distribution_chart(
    title: str, rows: Sequence[DistributionRow], levels: Sequence[ScaleLevel]
) -> str:
    """One horizontal bar per competency, split into how many students stand at each level;
    students without enough evidence are a grey part of their own."""
    with _style():
        figure = Figure(figsize=(7, 0.45 * max(len(rows), 1) + 1.2))
        axes = figure.add_subplot()
        labels = [row.label for row in rows]
        positions = list(range(len(rows)))
        left = [0] * len(rows)
        for index, level in enumerate(levels):
            widths = [row.counts[index] for row in rows]
            axes.barh(
                positions,
                widths,
                left=left,
                color=_LEVEL_COLOURS[index % len(_LEVEL_COLOURS)],
                label=level.label,
                height=0.6,
            )
            left = [start + width for start, width in zip(left, widths, strict=True)]
        axes.barh(
            positions,
            [row.insufficient for row in rows],
            left=left,
            color=_INSUFFICIENT_COLOUR,
            label="Not enough evidence yet",
            height=0.6,
        )
        axes.set_yticks(positions)
        axes.set_yticklabels(labels)
        axes.invert_yaxis()
        axes.set_xlabel("Students")
        axes.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=5, frameon=False, fontsize=7
        )
        figure.tight_layout()
        names = [level.label for level in levels] + ["not enough evidence"]
        described = "; ".join(
            f"{row.label}: "
            + ", ".join(
                f"{count} {name}"
                for count, name in zip([*row.counts, row.insufficient], names, strict=True)
            )
            for row in rows
        )
        return _svg(figure, title, described or "No students yet")


@dataclass(frozen=True)
class CalibrationPoint:
    """One month of self-assessment beside the teacher's scores."""

    month: datetime.date
    mean_difference: Decimal
    within_one: Decimal


def calibration_chart(
    title: str, points: Sequence[CalibrationPoint], *, labels: Sequence[str]
) -> str:
    """Month by month, how far self-ratings sit from the teacher's (bars: mean difference, self
    minus teacher, zero marked) and the share within one level (line, right axis).
    `labels` names, in the reader's language: the two series and the empty chart."""
    difference_label, within_label, empty_label = labels
    with _style():
        figure = Figure(figsize=(6, 2.4))
        axes = figure.add_subplot()
        months = [point.month for point in points]
        axes.bar(
            cast(Any, months),
            [float(point.mean_difference) for point in points],
            width=18,
            color=_LINE_COLOURS[0],
            label=difference_label,
        )
        axes.axhline(0, color="#5a6473", linewidth=0.8)
        axes.set_ylim(-3.2, 3.2)
        axes.set_ylabel(difference_label, fontsize=7)
        share = axes.twinx()
        share.plot(
            cast(Any, months),
            [float(point.within_one) * 100 for point in points],
            marker="o",
            markersize=3,
            color=_LINE_COLOURS[1],
            label=within_label,
        )
        share.set_ylim(0, 105)
        share.set_ylabel(within_label, fontsize=7)
        share.spines["right"].set_visible(True)
        if points:
            # One tick per month at most (never "Sep 2026 Sep 2026"), about eight at most.
            axes.set_xlim(
                cast(Any, min(months) - datetime.timedelta(days=20)),
                cast(Any, max(months) + datetime.timedelta(days=20)),
            )
            every = max(1, -(-len(months) // 8))
            first = min(months).month
            axes.xaxis.set_major_locator(
                MonthLocator(bymonth=[(first - 1 + step) % 12 + 1 for step in range(0, 12, every)])
            )
            axes.xaxis.set_major_formatter(DateFormatter("%b %Y"))
        else:
            axes.set_xticks([])
            axes.text(0.5, 0.5, empty_label, ha="center", va="center", transform=axes.transAxes)
        figure.tight_layout()
        described = "; ".join(
            f"{point.month:%B %Y}: {difference_label} {point.mean_difference}, "
            f"{within_label} {point.within_one * 100:.0f}%"
            for point in points
        )
        return _svg(figure, title, described or empty_label)
