"""The reporting practice of a policy: when the school reports, and what a progress report shows.

The policy document's ``reporting`` section (every field optional)::

    "reporting": {
      "grading_periods": ["Q1", "Q2"],
      "progress_reports_per_period": 1,
      "report_dates": ["2026-10-02", "2026-12-04"],
      "shows": {"subskills": true, "comments": true, "chart": true, "next_steps": 3}
    }

``grading_periods`` are the keys of the grading periods that end with a report card (none listed:
every one); ``progress_reports_per_period`` the progress reports sent between report cards (1: one
in the middle of each period); ``report_dates`` the progress-report dates the school has set,
earliest first; ``shows`` what a progress report shows. The reader is in `policy_document`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

MOST_NEXT_STEPS = 10
MOST_PROGRESS_REPORTS_PER_PERIOD = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportContents:
    """What a progress report shows beside the competency ratings (always shown)."""

    subskills: bool = True
    comments: bool = True
    chart: bool = True
    next_steps: int = 3
    """At most this many next steps per competency; 0 shows none."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportingPractice:
    grading_periods: tuple[str, ...] = ()
    progress_reports_per_period: int = 1
    report_dates: tuple[datetime.date, ...] = ()
    shows: ReportContents = field(default_factory=ReportContents)

    def reports_period(self, key: str) -> bool:
        """Whether the grading period `key` ends with a report card (no list: every one)."""
        return not self.grading_periods or key in self.grading_periods

    def to_dict(self) -> dict[str, object]:
        return {
            "grading_periods": list(self.grading_periods),
            "progress_reports_per_period": self.progress_reports_per_period,
            "report_dates": [day.isoformat() for day in self.report_dates],
            "shows": {
                "subskills": self.shows.subskills,
                "comments": self.shows.comments,
                "chart": self.shows.chart,
                "next_steps": self.shows.next_steps,
            },
        }
