"""A policy version in plain language, for the "How grading works" page: generated from the
version itself, with a worked example computed by the engine, so it changes when the policy does."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from mastery.engine.evidence import AtBat, OrderBy
from mastery.engine.policy import CourseGradeKind, CreditBasis, Policy
from mastery.engine.rating import Rating, rate
from mastery.engine.scales import Level, format_number
from mastery.grading.models import PolicyVersion
from mastery.grading.policies import engine_policy

_ORDER_WORDS = {
    OrderBy.ASSESSED_ON: "the date you did the work",
    OrderBy.DUE_ON: "the date the work was due",
    OrderBy.RECORDED_AT: "the date your teacher recorded it",
}


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


def explain_policy(version: PolicyVersion) -> PolicyExplained:
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
    )
