"""A policy version in plain language, for the "How grading works" page: generated from the
version itself, with a worked example computed by the engine, so it changes when the policy does."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from mastery.calendar import api as calendar
from mastery.engine.evidence import AtBat, OrderBy
from mastery.engine.policy import Aggregate, CourseGradeKind, CreditBasis, GradeRule, Policy
from mastery.engine.rating import Rating, rate
from mastery.engine.reporting import ReportingPractice
from mastery.engine.scales import Level, Scale, format_number
from mastery.frameworks.models import Competency, Subskill
from mastery.grading.models import PolicyVersion
from mastery.grading.policies import engine_policy
from mastery.grading.words import describe_method
from mastery.schools.models import School

_ORDER_WORDS = {
    OrderBy.ASSESSED_ON: gettext_lazy("the date you did the work"),
    OrderBy.DUE_ON: gettext_lazy("the date the work was due"),
    OrderBy.RECORDED_AT: gettext_lazy("the date your teacher recorded it"),
}


_AGGREGATE_WORDS = {
    Aggregate.MEAN: gettext_lazy("average"),
    Aggregate.MINIMUM: gettext_lazy("lowest"),
    Aggregate.MEDIAN: gettext_lazy("median"),
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
    credit: list[str]
    exceptions: list[str]
    """Per-competency (or subskill) methods that differ from the default."""
    required: list[str]
    graduation: list[str]
    example_at_bats: list[tuple[str, str, str]]
    example: Rating
    reporting: ReportingExplained


def _example_at_bats(policy: Policy) -> list[AtBat]:
    """Five at-bats of a student growing into mastery across three contexts."""
    levels = policy.scale.levels
    mastery = policy.scale.mastery_level
    below = [level for level in levels if level.value < mastery.value] or [mastery]
    # The example's contexts, in the reader's language (the engine names them in its steps).
    lab = pgettext("a kind of work in the worked example", "Lab report")
    essay = pgettext("a kind of work in the worked example", "Essay")
    talk = pgettext("a kind of work in the worked example", "Presentation")
    plan = [
        (below[-1], lab),
        (below[-1], essay),
        (mastery, lab),
        (mastery, essay),
        (mastery, talk),
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


def _level(scale: Scale, value: Decimal) -> str:
    """'3 (Meeting)'; '2.5 (Developing)' for a value between levels."""
    label = scale.label_for_value(value)
    return label if label.startswith(format_number(value)) else f"{format_number(value)} ({label})"


def _rule_row(row: GradeRule, scale: Scale, *, first: bool) -> str:
    """One row of a rule table in plain words: "A when every competency is rated 3 (Meeting) or
    above and at least 50% of the competencies are rated 4 (Exceeding) or above."."""
    conditions = []
    if row.none_below is not None:
        conditions.append(
            _("every competency is rated %(level)s or above")
            % {"level": _level(scale, row.none_below)}
        )
    if row.at_least_level is not None and row.at_least_share is not None:
        conditions.append(
            _("at least %(share)s%% of the competencies are rated %(level)s or above")
            % {
                "share": format_number(row.at_least_share * 100),
                "level": _level(scale, row.at_least_level),
            }
        )
    if row.mean_at_least is not None:
        conditions.append(
            _("the weighted average of the competency ratings is %(level)s or above")
            % {"level": _level(scale, row.mean_at_least)}
        )
    if row.all_mastered:
        conditions.append(_("every competency is mastered"))
    if not conditions:
        return (_("%(grade)s for everyone.") if first else _("%(grade)s otherwise.")) % {
            "grade": row.grade
        }
    return _("%(grade)s when %(conditions)s.") % {
        "grade": row.grade,
        "conditions": _(" and ").join(conditions),
    }


def _course_grade(policy: Policy) -> list[str]:
    rule = policy.course_grade
    if rule is None:
        return [_("This policy gives no course grades.")]
    lines = []
    if rule.kind is CourseGradeKind.CUT_TABLE:
        lines.append(
            _(
                "The course grade comes from the weighted average of the course's competency "
                "ratings:"
            )
        )
        lines += [
            _("%(grade)s: %(minimum)s or above")
            % {"grade": cut.grade, "minimum": format_number(cut.min)}
            for cut in rule.cuts
        ]
    else:
        lines.append(_("The course grade is the first row of this table that fits:"))
        lines += [
            _rule_row(row, policy.scale, first=index == 0) for index, row in enumerate(rule.rules)
        ]
    if rule.incomplete_when_insufficient:
        lines.append(
            _(
                "If a competency has too little evidence at the end of the term, the grade is "
                "“%(label)s” — never a zero."
            )
            % {"label": rule.incomplete_label}
        )
    else:
        lines.append(
            _(
                "A competency with too little evidence at the end of the term is left out of the "
                "grade; with none rated, the grade is “%(label)s”."
            )
            % {"label": rule.incomplete_label}
        )
    if rule.passing:
        lines.append(_("Passing grades: %(grades)s.") % {"grades": ", ".join(rule.passing)})
    return lines


def _names(school: School, keys: set[str]) -> dict[str, str]:
    """'AW.1 States a precise claim' for each competency or subskill key of the school's."""
    if not keys:
        return {}
    names = {
        key: f"{key} {title}"
        for key, title in Competency.objects.filter(
            framework__school=school, key__in=keys
        ).values_list("key", "title")
    }
    for key, title in Subskill.objects.filter(
        competency__framework__school=school, key__in=keys
    ).values_list("key", "title"):
        names.setdefault(key, f"{key} {title}")
    return names


def _exceptions(policy: Policy, names: dict[str, str]) -> list[str]:
    return [
        _("%(target)s: %(method)s")
        % {"target": names.get(target, target), "method": describe_method(choice)}
        for target, choice in policy.target_methods
    ]


def _required(policy: Policy, names: dict[str, str]) -> list[str]:
    return [
        _("To master %(competency)s, each of these must be mastered too: %(subskills)s.")
        % {
            "competency": names.get(competency, competency),
            "subskills": ", ".join(names.get(key, key) for key in subskills),
        }
        for competency, subskills in policy.competency.required
        if subskills
    ]


def _areas(values: tuple[tuple[str, Decimal], ...]) -> str:
    return ", ".join(
        _("%(credits)s in %(area)s") % {"credits": format_number(value), "area": area}
        for area, value in values
    )


def _credit(policy: Policy, names: dict[str, str]) -> list[str]:
    credit = policy.credit
    passing = policy.course_grade.passing if policy.course_grade is not None else ()
    if credit.basis is CreditBasis.GRADE:
        lines = [
            _(
                "A course gives its credits when its final grade is a passing grade "
                "(%(grades)s); an Incomplete gives none until it is resolved."
            )
            % {"grades": ", ".join(passing)}
            if passing
            else _("A course gives its credits when its final grade passes."),
            _(
                "Partial credit: a course that runs for part of the year gives its own share "
                "each term (for example 0.5 credit for a semester)."
            ),
        ]
    else:
        lines = [_("Credits come from mastering competencies, as these rules say:")]
    for rule in credit.rules:
        line = _("%(name)s: %(areas)s when %(competencies)s are all mastered.") % {
            "name": rule.name,
            "areas": _areas(rule.areas),
            "competencies": ", ".join(names.get(key, key) for key in rule.competencies),
        }
        if rule.partial_increment is not None:
            line += " " + _(
                "Partial credit: before that, a share in steps of %(step)s, in proportion to "
                "the competencies mastered."
            ) % {"step": format_number(rule.partial_increment)}
        lines.append(line)
    return lines


def _graduation(policy: Policy, names: dict[str, str]) -> list[str]:
    requirements = policy.graduation
    if requirements is None:
        return []
    lines = []
    if requirements.credits:
        lines.append(
            _("Credits to graduate: %(areas)s; %(total)s in all.")
            % {
                "areas": _areas(requirements.credits),
                "total": format_number(requirements.total_credits),
            }
        )
    for requirement in requirements.competencies:
        values = {
            "name": requirement.name,
            "level": _level(policy.scale, requirement.minimum),
            "grade": requirement.by_grade,
        }
        if requirement.band is not None:
            line = _(
                "%(name)s: every competency of the %(band)s grade band at %(level)s or above "
                "by the end of grade %(grade)s."
            ) % {**values, "band": requirement.band}
        else:
            line = _(
                "%(name)s: %(competencies)s at %(level)s or above by the end of grade %(grade)s."
            ) % {
                **values,
                "competencies": ", ".join(names.get(key, key) for key in requirement.competencies),
            }
        lines.append(line)
    lines.append(
        _(
            "Each year a student is on track when they hold the credits expected for their "
            "grade; up to %(margin)s behind is at risk, more is off track."
        )
        % {"margin": format_number(requirements.at_risk_margin)}
    )
    return lines


def _keys(policy: Policy) -> set[str]:
    """Every competency and subskill key the policy names."""
    keys = {target for target, _choice in policy.target_methods}
    for competency, subskills in policy.competency.required:
        keys |= {competency, *subskills}
    for rule in policy.credit.rules:
        keys |= set(rule.competencies)
    if policy.graduation is not None:
        for requirement in policy.graduation.competencies:
            keys |= set(requirement.competencies)
    return keys


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
    school = version.policy.school
    names = _names(school, _keys(policy))
    at_bats = _example_at_bats(policy)
    example = rate(policy, at_bats, target="example")
    example_day = pgettext("a day in the worked example (Django date format)", "M j")
    return PolicyExplained(
        version=version,
        levels=policy.scale.levels,
        mastery=policy.scale.mastery_level,
        method=describe_method(policy.method),
        order=str(_ORDER_WORDS[policy.order_by]),
        independent=policy.require_independent_for_mastery,
        competency=_(
            "A competency's rating is the %(aggregate)s of its subskills' ratings "
            "(subskills without enough evidence yet are left out)."
        )
        % {"aggregate": _AGGREGATE_WORDS[policy.competency.aggregate]},
        course_grade=_course_grade(policy),
        credit=_credit(policy, names),
        exceptions=_exceptions(policy, names),
        required=_required(policy, names),
        graduation=_graduation(policy, names),
        example_at_bats=[
            (
                date_format(entry.assessed_on, example_day),
                entry.context or "",
                policy.scale.label_for_value(entry.level or Decimal(0)),
            )
            for entry in at_bats
        ],
        example=example,
        reporting=_reporting(policy.reporting, school, on),
    )
