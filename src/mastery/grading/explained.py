"""A policy version in plain language, for the "How grading works" page: generated from the
version itself, with a worked example computed by the engine, so it changes when the policy does."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mastery.calendar import api as calendar
from mastery.engine.evidence import AtBat, OrderBy
from mastery.engine.policy import CourseGradeKind, CreditBasis, Policy
from mastery.engine.rating import Rating, rate
from mastery.engine.reporting import ReportingPractice
from mastery.engine.scales import Level, format_number
from mastery.grading.models import PolicyVersion
from mastery.grading.policies import engine_policy
from mastery.schools.models import School

_ORDER_WORDS = {
    OrderBy.ASSESSED_ON: "the date you did the work",
    OrderBy.DUE_ON: "the date the work was due",
    OrderBy.RECORDED_AT: "the date your teacher recorded it",
}


@dataclass(frozen=True)
class ReportingExplained:
    """The reporting practice in plain words: when reports come and what a report shows."""

    report_cards: list[str]
    """A line per grading period of the year: its dates, and whether a report card ends it."""
    progress_reports: str
    report_dates: list[str]
    shows: list[str]


@dataclass(frozen=True)
class PolicyExplained:
    version: PolicyVersion
    levels: tuple[Level, ...]
    mastery: Level
    method: str
    order: str
    independent: bool
    competency: str
    course_grade: list[str]
    credit: str
    example_at_bats: list[tuple[str, str, str]]
    example: Rating
    reporting: ReportingExplained


def _example_at_bats(policy: Policy) -> list[AtBat]:
    """Five at-bats of a student growing into mastery across three contexts."""
    levels = policy.scale.levels
    mastery = policy.scale.mastery_level
    below = [level for level in levels if level.value < mastery.value] or [mastery]
    plan = [
        (below[-1], "Lab report"),
        (below[-1], "Essay"),
        (mastery, "Lab report"),
        (mastery, "Essay"),
        (mastery, "Presentation"),
    ]
    start = datetime.date(2026, 9, 7)
    return [
        AtBat(
            id=str(number),
            level=level.value,
            assessed_on=start + datetime.timedelta(weeks=number),
            context=context,
            sequence=number,
        )
        for number, (level, context) in enumerate(plan)
    ]


def _course_grade(policy: Policy) -> list[str]:
    rule = policy.course_grade
    if rule is None:
        return ["This policy gives no course grades."]
    lines = []
    if rule.kind is CourseGradeKind.CUT_TABLE:
        lines.append(
            "The course grade comes from the weighted average of the course's competency ratings:"
        )
        lines += [f"{cut.grade}: {format_number(cut.min)} or above" for cut in rule.cuts]
    else:
        lines.append("The course grade is the first row of this table that fits:")
        lines += [f"{row.grade}" for row in rule.rules]
    if rule.incomplete_when_insufficient:
        lines.append(
            f"If a competency has too little evidence at the end of the term, the grade is "
            f"“{rule.incomplete_label}” — never a zero."
        )
    if rule.passing:
        lines.append(f"Passing grades: {', '.join(rule.passing)}.")
    return lines


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _reporting(
    practice: ReportingPractice, school: School, on: datetime.date
) -> ReportingExplained:
    term = calendar.get_current_term(school, on=on)
    periods = list(calendar.list_grading_periods(term.school_year)) if term is not None else []
    report_cards = [
        (
            _("%(period)s (%(start)s to %(end)s): a report card at the end.")
            if practice.reports_period(period.key)
            else _("%(period)s (%(start)s to %(end)s): no report card.")
        )
        % {"period": period.name, "start": _day(period.starts_on), "end": _day(period.ends_on)}
        for period in periods
    ]
    if not periods:
        report_cards = [
            _("A report card at the end of every grading period.")
            if not practice.grading_periods
            else _("A report card at the end of these grading periods: %(periods)s.")
            % {"periods": ", ".join(practice.grading_periods)}
        ]
    count = practice.progress_reports_per_period
    progress_reports = (
        _("No progress reports between report cards.")
        if count == 0
        else ngettext(
            "One progress report in the middle of each grading period.",
            "%(count)d progress reports during each grading period.",
            count,
        )
        % {"count": count}
    )
    shows = practice.shows
    shown = [_("The rating of every competency the term's courses assess.")]
    if shows.subskills:
        shown.append(_("The rating of each step (subskill) of every competency."))
    if shows.next_steps:
        shown.append(
            ngettext(
                "The next step for each competency.",
                "Up to %(count)d next steps for each competency.",
                shows.next_steps,
            )
            % {"count": shows.next_steps}
        )
    if shows.chart:
        shown.append(_("A chart of the ratings over the term."))
    if shows.comments:
        shown.append(_("The teachers' comments on the term's work."))
    return ReportingExplained(
        report_cards=report_cards,
        progress_reports=progress_reports,
        report_dates=[_day(day) for day in practice.report_dates],
        shows=shown,
    )


def explain_policy(version: PolicyVersion, /, *, on: datetime.date) -> PolicyExplained:
    """The version in plain words; `on` picks the school year whose grading periods are shown."""
    policy = engine_policy(version)
    at_bats = _example_at_bats(policy)
    example = rate(policy, at_bats, target="example")
    aggregate = policy.competency.aggregate.value
    return PolicyExplained(
        version=version,
        levels=policy.scale.levels,
        mastery=policy.scale.mastery_level,
        method=policy.method.describe(),
        order=_ORDER_WORDS[policy.order_by],
        independent=policy.require_independent_for_mastery,
        competency=(
            f"A competency's rating is the {aggregate} of its subskills' ratings "
            "(subskills without enough evidence yet are left out)."
        ),
        course_grade=_course_grade(policy),
        credit=(
            "A course gives its credits when its grade passes."
            if policy.credit.basis is CreditBasis.GRADE
            else "Credits come from mastering the competencies the school's credit rules name."
        ),
        example_at_bats=[
            (
                f"{entry.assessed_on:%b} {entry.assessed_on.day}",
                entry.context or "",
                policy.scale.label_for_value(entry.level or Decimal(0)),
            )
            for entry in at_bats
        ],
        example=example,
        reporting=_reporting(policy.reporting, version.policy.school, on),
    )
