"""Reading and writing the policy document (JSON-shaped dicts) for `mastery.engine.policy`.

Kept apart from the dataclasses so each module stays short; call `Policy.from_dict` and
`Policy.to_dict` rather than these functions.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from mastery.engine.evidence import OrderBy
from mastery.engine.policy import (
    Aggregate,
    CompetencyRequirement,
    CompetencyRule,
    CourseGradeKind,
    CourseGradeRule,
    CreditBasis,
    CreditPolicy,
    CreditRule,
    GradeCut,
    GradeRule,
    GraduationRequirements,
    Policy,
    PolicyError,
    number,
    read_method,
    read_scale,
)
from mastery.engine.reporting import (
    MOST_NEXT_STEPS,
    MOST_PROGRESS_REPORTS_PER_PERIOD,
    ReportContents,
    ReportingPractice,
)
from mastery.engine.scales import Scale

_TOP_LEVEL = {
    "scale",
    "method",
    "targets",
    "order_by",
    "require_independent_for_mastery",
    "competency",
    "course_grade",
    "credit",
    "graduation",
    "reporting",
    "name",
    "description",
}


def _object(data: object, path: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise PolicyError(path, f"must be an object (got {type(data).__name__})")
    for key in data:
        if key not in allowed:
            raise PolicyError(f"{path}.{key}" if path else str(key), "is not a known field")
    return data


def _mapping(data: object, path: str) -> Mapping[str, Any]:
    """An object whose keys are the school's own names (targets, credit areas, grades)."""
    if not isinstance(data, Mapping):
        raise PolicyError(path, f"must be an object (got {type(data).__name__})")
    return data


def _list(data: object, path: str) -> list[Any]:
    if not isinstance(data, list):
        raise PolicyError(path, "must be a list")
    return data


def _text(data: object, path: str) -> str:
    if not isinstance(data, str) or not data.strip():
        raise PolicyError(path, "must be non-empty text")
    return data.strip()


def _texts(data: object, path: str) -> tuple[str, ...]:
    return tuple(_text(item, f"{path}[{index}]") for index, item in enumerate(_list(data, path)))


def _flag(data: object, path: str) -> bool:
    if not isinstance(data, bool):
        raise PolicyError(path, f"must be true or false (got {data!r})")
    return data


def _choice[E: StrEnum](kind: type[E], data: object, path: str) -> E:
    for member in kind:
        if member.value == data:
            return member
    allowed = ", ".join(member.value for member in kind)
    raise PolicyError(path, f"must be one of {allowed} (got {data!r})")


def _whole(data: object, path: str) -> int:
    if isinstance(data, bool) or not isinstance(data, int):
        raise PolicyError(path, f"must be a whole number (got {data!r})")
    return data


def _on_scale(data: object, path: str, scale: Scale) -> Decimal:
    value = number(data, path)
    if not scale.contains(value):
        raise PolicyError(
            path, f"must be on the scale, {scale.lowest} to {scale.highest} (got {value})"
        )
    return value


def read_policy(data: Mapping[str, Any]) -> Policy:
    data = _object(data, "", _TOP_LEVEL)
    if "scale" not in data:
        raise PolicyError("scale", "is required")
    if "method" not in data:
        raise PolicyError("method", "is required")
    scale = read_scale(data["scale"])
    targets = _mapping(data.get("targets", {}), "targets")
    return Policy(
        scale=scale,
        method=read_method(data["method"], "method", scale),
        target_methods=tuple(
            (str(target), read_method(choice, f"targets.{target}", scale))
            for target, choice in targets.items()
        ),
        order_by=_choice(OrderBy, data.get("order_by", "assessed_on"), "order_by"),
        require_independent_for_mastery=_flag(
            data.get("require_independent_for_mastery", False), "require_independent_for_mastery"
        ),
        competency=_competency(data.get("competency", {})),
        course_grade=None
        if data.get("course_grade") is None
        else _course_grade(data["course_grade"], scale),
        credit=_credit(data.get("credit", {})),
        graduation=None
        if data.get("graduation") is None
        else _graduation(data["graduation"], scale),
        reporting=_reporting(data.get("reporting", {})),
    )


def _competency(data: object) -> CompetencyRule:
    data = _object(data, "competency", {"aggregate", "required"})
    required = _mapping(data.get("required", {}), "competency.required")
    return CompetencyRule(
        aggregate=_choice(Aggregate, data.get("aggregate", "mean"), "competency.aggregate"),
        required=tuple(
            (str(competency), _texts(subskills, f"competency.required.{competency}"))
            for competency, subskills in required.items()
        ),
    )


def _course_grade(data: object, scale: Scale) -> CourseGradeRule:
    path = "course_grade"
    data = _object(
        data, path, {"rule", "cuts", "rules", "passing", "when_insufficient", "incomplete_label"}
    )
    kind = _choice(CourseGradeKind, data.get("rule"), f"{path}.rule")
    when_insufficient = data.get("when_insufficient", "incomplete")
    if when_insufficient not in {"incomplete", "ignore"}:
        raise PolicyError(
            f"{path}.when_insufficient", f"must be incomplete or ignore (got {when_insufficient!r})"
        )
    cuts: list[GradeCut] = []
    rules: list[GradeRule] = []
    if kind is CourseGradeKind.CUT_TABLE:
        for index, raw in enumerate(_list(data.get("cuts"), f"{path}.cuts")):
            where = f"{path}.cuts[{index}]"
            raw = _object(raw, where, {"grade", "min"})
            cut = GradeCut(
                _text(raw.get("grade"), f"{where}.grade"), number(raw.get("min"), f"{where}.min")
            )
            if cuts and cut.min >= cuts[-1].min:
                raise PolicyError(
                    f"{where}.min",
                    f"cuts must go from highest to lowest (got {cut.min} after {cuts[-1].min})",
                )
            cuts.append(cut)
        if not cuts:
            raise PolicyError(f"{path}.cuts", "needs at least one grade")
        if cuts[-1].min > scale.lowest:
            raise PolicyError(
                f"{path}.cuts[{len(cuts) - 1}].min",
                f"the last cut must be at or below the lowest level, {scale.lowest}, so every "
                f"student gets a grade (got {cuts[-1].min})",
            )
        grades = [cut.grade for cut in cuts]
    else:
        for index, raw in enumerate(_list(data.get("rules"), f"{path}.rules")):
            rules.append(_grade_rule(raw, f"{path}.rules[{index}]", scale))
        if not rules or not rules[-1].is_catch_all:
            raise PolicyError(
                f"{path}.rules[{len(rules) - 1 if rules else 0}]",
                "the last rule must have no conditions, so that every student gets a grade",
            )
        grades = [rule.grade for rule in rules]
    passing = _texts(data.get("passing", []), f"{path}.passing")
    for index, grade in enumerate(passing):
        if grade not in grades:
            raise PolicyError(f"{path}.passing[{index}]", f"{grade!r} is not one of the grades")
    return CourseGradeRule(
        kind=kind,
        cuts=tuple(cuts),
        rules=tuple(rules),
        passing=passing,
        incomplete_when_insufficient=when_insufficient == "incomplete",
        incomplete_label=_text(
            data.get("incomplete_label", "Incomplete"), f"{path}.incomplete_label"
        ),
    )


def _grade_rule(data: object, path: str, scale: Scale) -> GradeRule:
    data = _object(data, path, {"grade", "none_below", "at_least", "mean_at_least", "all_mastered"})
    at_least_level = at_least_share = None
    if "at_least" in data:
        at_least = _object(data["at_least"], f"{path}.at_least", {"level", "share"})
        at_least_level = _on_scale(at_least.get("level"), f"{path}.at_least.level", scale)
        at_least_share = number(at_least.get("share"), f"{path}.at_least.share")
        if not 0 < at_least_share <= 1:
            raise PolicyError(
                f"{path}.at_least.share", f"must be above 0 and at most 1 (got {at_least_share})"
            )
    return GradeRule(
        grade=_text(data.get("grade"), f"{path}.grade"),
        none_below=None
        if "none_below" not in data
        else _on_scale(data["none_below"], f"{path}.none_below", scale),
        at_least_level=at_least_level,
        at_least_share=at_least_share,
        mean_at_least=None
        if "mean_at_least" not in data
        else _on_scale(data["mean_at_least"], f"{path}.mean_at_least", scale),
        all_mastered=_flag(data.get("all_mastered", False), f"{path}.all_mastered"),
    )


def _credit(data: object) -> CreditPolicy:
    data = _object(data, "credit", {"basis", "rules"})
    rules = []
    for index, raw in enumerate(_list(data.get("rules", []), "credit.rules")):
        path = f"credit.rules[{index}]"
        raw = _object(raw, path, {"name", "competencies", "areas", "partial_increment"})
        competencies = _texts(raw.get("competencies"), f"{path}.competencies")
        if not competencies:
            raise PolicyError(f"{path}.competencies", "must name at least one competency")
        areas = _mapping(raw.get("areas"), f"{path}.areas")
        if not areas:
            raise PolicyError(f"{path}.areas", "must give at least one credit area and its value")
        values = tuple(
            (str(area), number(value, f"{path}.areas.{area}")) for area, value in areas.items()
        )
        for area, value in values:
            if value <= 0:
                raise PolicyError(f"{path}.areas.{area}", f"must be above 0 (got {value})")
        increment = None
        if raw.get("partial_increment") is not None:
            increment = number(raw["partial_increment"], f"{path}.partial_increment")
            if increment <= 0:
                raise PolicyError(f"{path}.partial_increment", f"must be above 0 (got {increment})")
        rules.append(
            CreditRule(
                name=_text(raw.get("name"), f"{path}.name"),
                competencies=competencies,
                areas=values,
                partial_increment=increment,
            )
        )
    return CreditPolicy(
        basis=_choice(CreditBasis, data.get("basis", "grade"), "credit.basis"), rules=tuple(rules)
    )


def _graduation(data: object, scale: Scale) -> GraduationRequirements:
    path = "graduation"
    data = _object(
        data,
        path,
        {
            "credits",
            "competencies",
            "first_grade",
            "last_grade",
            "expected_credits",
            "at_risk_margin",
        },
    )
    first = _whole(data.get("first_grade", 9), f"{path}.first_grade")
    last = _whole(data.get("last_grade", 12), f"{path}.last_grade")
    if last < first:
        raise PolicyError(
            f"{path}.last_grade", f"must be at or after first_grade, {first} (got {last})"
        )
    credits = _mapping(data.get("credits", {}), f"{path}.credits")
    requirements = []
    for index, raw in enumerate(_list(data.get("competencies", []), f"{path}.competencies")):
        where = f"{path}.competencies[{index}]"
        raw = _object(raw, where, {"name", "competencies", "band", "minimum", "by_grade"})
        named = _texts(raw.get("competencies", []), f"{where}.competencies")
        band = None if raw.get("band") is None else _text(raw["band"], f"{where}.band")
        if bool(named) == (band is not None):
            raise PolicyError(where, "must name either competencies or a band, not both or neither")
        by_grade = _whole(raw.get("by_grade", last), f"{where}.by_grade")
        if not first <= by_grade <= last:
            raise PolicyError(
                f"{where}.by_grade", f"must be a grade from {first} to {last} (got {by_grade})"
            )
        requirements.append(
            CompetencyRequirement(
                name=_text(raw.get("name"), f"{where}.name"),
                minimum=_on_scale(
                    raw.get("minimum", scale.mastery_value), f"{where}.minimum", scale
                ),
                by_grade=by_grade,
                competencies=named,
                band=band,
            )
        )
    expected = _mapping(data.get("expected_credits", {}), f"{path}.expected_credits")
    expected_credits = []
    for grade, value in expected.items():
        try:
            grade_number = int(grade)
        except ValueError:
            raise PolicyError(
                f"{path}.expected_credits.{grade}", "must be keyed by a grade number"
            ) from None
        expected_credits.append((grade_number, number(value, f"{path}.expected_credits.{grade}")))
    margin = number(data.get("at_risk_margin", 1), f"{path}.at_risk_margin")
    if margin < 0:
        raise PolicyError(f"{path}.at_risk_margin", f"must be 0 or more (got {margin})")
    return GraduationRequirements(
        credits=tuple(
            (str(area), number(value, f"{path}.credits.{area}")) for area, value in credits.items()
        ),
        competencies=tuple(requirements),
        first_grade=first,
        last_grade=last,
        expected_credits=tuple(sorted(expected_credits)),
        at_risk_margin=margin,
    )


def _between(data: object, path: str, lowest: int, highest: int) -> int:
    value = _whole(data, path)
    if not lowest <= value <= highest:
        raise PolicyError(path, f"must be from {lowest} to {highest} (got {value})")
    return value


def _reporting(data: object) -> ReportingPractice:
    path = "reporting"
    data = _object(
        data, path, {"grading_periods", "progress_reports_per_period", "report_dates", "shows"}
    )
    periods = _texts(data.get("grading_periods", []), f"{path}.grading_periods")
    for index, key in enumerate(periods):
        if key in periods[:index]:
            raise PolicyError(f"{path}.grading_periods[{index}]", f"{key!r} is listed twice")
    dates: list[datetime.date] = []
    for index, raw in enumerate(_list(data.get("report_dates", []), f"{path}.report_dates")):
        where = f"{path}.report_dates[{index}]"
        try:
            day = datetime.date.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            day = None
        if day is None:
            raise PolicyError(where, f"must be a date written YYYY-MM-DD (got {raw!r})")
        if dates and day <= dates[-1]:
            raise PolicyError(
                where, f"must be after {dates[-1].isoformat()}: dates go earliest first, once each"
            )
        dates.append(day)
    shows = _object(
        data.get("shows", {}), f"{path}.shows", {"subskills", "comments", "chart", "next_steps"}
    )
    return ReportingPractice(
        grading_periods=periods,
        progress_reports_per_period=_between(
            data.get("progress_reports_per_period", 1),
            f"{path}.progress_reports_per_period",
            0,
            MOST_PROGRESS_REPORTS_PER_PERIOD,
        ),
        report_dates=tuple(dates),
        shows=ReportContents(
            subskills=_flag(shows.get("subskills", True), f"{path}.shows.subskills"),
            comments=_flag(shows.get("comments", True), f"{path}.shows.comments"),
            chart=_flag(shows.get("chart", True), f"{path}.shows.chart"),
            next_steps=_between(
                shows.get("next_steps", 3), f"{path}.shows.next_steps", 0, MOST_NEXT_STEPS
            ),
        ),
    )
