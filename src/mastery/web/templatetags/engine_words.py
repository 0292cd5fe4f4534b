"""The engine's sentences in the reader's language, as template filters.

The engine explains in English and also returns every explanation as structured data (the method
and its parameters, why an at-bat is not counted, how many more at-bats the next step needs and
where, how a competency's parts were combined, where a student stands against the graduation
requirements). In English the pages print the engine's own words, unchanged; in another language
these filters say the same thing from the same structure, so a translation can never drift from
the rating it explains. The sentences about one rating live in `grading.api` (reports and
conferences use them too); the graduation standing is said here.
"""

from django import template
from django.utils.translation import gettext

from mastery.engine.credit import Standing, round_credits
from mastery.engine.evidence import LedgerLine
from mastery.engine.rating import NextStep
from mastery.engine.rating import Rating as EngineRating
from mastery.engine.rollups import CompetencyRating
from mastery.engine.scales import format_number
from mastery.grading import api as grading
from mastery.graduation import api as graduation

register = template.Library()


@register.filter
def method_words(rating: EngineRating) -> str:
    """The rating's method in one sentence."""
    return grading.method_words(rating)


@register.filter
def why_words(line: LedgerLine) -> str:
    """Why an at-bat is not counted ('' when it is)."""
    return grading.why_words(line)


@register.filter
def next_step_words(step: NextStep | None, mastery_label: str) -> str:
    """What would make the rating mastered, as the engine worked it out."""
    return grading.next_step_words(step, mastery_label)


@register.filter
def arithmetic_words(rating: EngineRating) -> tuple[str, ...]:
    """How the rating was worked out, one line per step."""
    return grading.arithmetic_words(rating)


@register.filter
def result_words(rating: EngineRating) -> str:
    """The result: the rating, its level, mastered or not yet."""
    return grading.result_words(rating)


@register.filter
def rollup_words(rolled: CompetencyRating) -> tuple[str, ...]:
    """How a competency's rating comes together from its parts, one step a line."""
    return grading.rollup_words(rolled)


def _standing(standing: Standing) -> str:
    return {
        Standing.ON_TRACK: gettext("on track"),
        Standing.AT_RISK: gettext("at risk"),
        Standing.OFF_TRACK: gettext("off track"),
    }[standing]


@register.filter
def standing_words(standing: graduation.StudentStanding) -> list[str]:
    """Why a student is on track, at risk or off track: the engine's graduation check, then the
    school's named requirements (a capstone...) that are due and not done."""
    if grading.in_english():
        return standing.steps
    grade = standing.student.grade_level
    steps = []
    check = standing.check
    if check is not None:
        steps.append(
            gettext(
                "Credits counted toward the requirements: %(counted)s (expected when starting "
                "grade %(grade)s: %(expected)s)."
            )
            % {
                "counted": format_number(check.counted_credits),
                "grade": grade,
                "expected": format_number(round_credits(check.expected_credits)),
            }
        )
        steps += [
            gettext("%(requirement)s (by the end of grade %(grade)s) is not met yet: %(missing)s.")
            % {
                "requirement": requirement.name,
                "grade": requirement.by_grade,
                "missing": ", ".join(requirement.not_yet),
            }
            for requirement in check.requirements
            if not requirement.met
        ]
        steps += [
            gettext("%(area)s: %(earned)s of %(required)s credits.")
            % {
                "area": area.area,
                "earned": format_number(area.earned),
                "required": format_number(area.required),
            }
            for area in check.areas
            if not area.met
        ]
        steps.append(gettext("Standing: %(standing)s.") % {"standing": _standing(check.standing)})
    steps += [
        gettext("%(requirement)s (due by the end of grade %(grade)s) is not done yet.")
        % {"requirement": item.requirement.name, "grade": item.requirement.by_grade}
        for item in standing.named
        if item.completed_on is None and item.requirement.by_grade <= grade
    ]
    return steps
