"""The simulator: what a draft policy version would change, on the school's own evidence.

Both the published versions in force and the draft derive every rating of a chunk of students in
memory (nothing is stored); the differences are counted — ratings, mastery decisions, course
grades and credits — by course and by competency, and listed student by student.

Credits are graduation's own calculation, and graduation sits above grading (it reads this
app's api), so this app never imports it: graduation hands in its comparison when the apps are
ready (`use_credit_comparison`, from `graduation.apps`). It feeds each side's derived ratings to
`graduation.api.list_credits`: a change is a credit line (a course, a competency-credit rule)
whose amount differs — earned for a finalized grade (judged by its own version, so a draft never
changes it), what the current grade would earn for a course in progress, the share a rule awards,
partial credit included.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from mastery.engine.scales import format_number
from mastery.grading.models import PolicyVersion, Rating, RatingKind
from mastery.grading.policies import NoPolicyError
from mastery.grading.recompute import Scope, VersionChooser, compute, in_force_on
from mastery.schools.models import School, Student

CHANGE_KINDS = ("ratings", "mastery", "course_grades", "credits")


@dataclass(frozen=True)
class CreditChange:
    """A credit line whose amount the draft would change."""

    student_id: int
    target: str
    """What earns it, in its area: "ALG Algebra: Mathematics", "Writing credit: English"."""
    group: str
    """The course's or the rule's title, to count the changes by."""
    before: Decimal
    after: Decimal


type CreditSide = tuple[Sequence[Rating], PolicyVersion | None]
"""One side's derived ratings, and the version whose competency-credit rules apply (None: no
policy in force)."""

type CreditComparison = Callable[
    [Sequence[Student], datetime.date, CreditSide, CreditSide], list[CreditChange]
]
"""The students' credit lines whose amounts differ between the two sides."""

_credit_comparison: list[CreditComparison] = []


def use_credit_comparison(comparison: CreditComparison) -> None:
    """Compare credits with `comparison` in every simulation from now on (graduation's, handed in
    from `graduation.apps`; without one a simulation counts no credit changes)."""
    _credit_comparison[:] = [comparison]


def with_draft(draft: PolicyVersion, *, on: datetime.date) -> VersionChooser:
    """The versions in force, with `draft` where its policy would be the one in force."""
    in_force = in_force_on(on)

    def choose(school: School, credit_area_id: int | None) -> PolicyVersion:
        department = draft.policy.credit_area_id
        if department is not None:
            return draft if credit_area_id == department else in_force(school, credit_area_id)
        if credit_area_id is None:
            return draft
        current = in_force(school, credit_area_id)
        # A department with its own policy keeps it; the rest follow the school-wide draft.
        return current if current.policy.credit_area_id is not None else draft

    return choose


def _key(rating: Rating) -> tuple[int, str, int]:
    target = rating.subskill_id or rating.competency_id or rating.section_id
    assert target is not None
    return rating.student_id, rating.kind, target


def _shown(rating: Rating | None) -> str:
    if rating is None:
        return "—"
    if rating.kind == RatingKind.COURSE:
        return rating.grade
    if rating.value is None:
        return "Not enough evidence"
    return f"{rating.level_label} {rating.value.normalize()}"


@dataclass
class Simulation:
    """Counts and the list of changes, built up chunk by chunk; stored as JSON on the run."""

    compared: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    by_course: dict[str, Counter[str]] = field(default_factory=dict)
    by_competency: dict[str, Counter[str]] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)

    def add_chunk(
        self,
        school: School,
        student_ids: frozenset[int],
        *,
        draft: PolicyVersion,
        on: datetime.date,
        names: dict[int, tuple[str, str]],
        targets: dict[tuple[str, int], tuple[str, str]],
    ) -> None:
        scope = Scope(school, student_ids)
        draft_versions = with_draft(draft, on=on)
        derived_before = compute(scope, on=on).ratings
        derived_after = compute(scope, on=on, versions=draft_versions).ratings
        before = {_key(rating): rating for rating in derived_before}
        after = {_key(rating): rating for rating in derived_after}
        for key in sorted(before.keys() | after.keys()):
            self.compared += 1
            old, new = before.get(key), after.get(key)
            if _shown(old) == _shown(new) and _mastered(old) == _mastered(new):
                continue
            student_id, kind, target_id = key
            label, group = targets[kind, target_id]
            what = ["course_grades"] if kind == RatingKind.COURSE else ["ratings"]
            if kind != RatingKind.COURSE and _mastered(old) != _mastered(new):
                what.append("mastery")
            self.counts.update(what)
            grouping = self.by_course if kind == RatingKind.COURSE else self.by_competency
            grouping.setdefault(group, Counter()).update(what)
            uuid, name = names[student_id]
            self.changes.append(
                {
                    "student": uuid,
                    "name": name,
                    "kind": kind,
                    "target": label,
                    "group": group,
                    "before": _shown(old),
                    "after": _shown(new),
                    "changes": what,
                }
            )

        self._add_credits(
            school,
            student_ids,
            on=on,
            before=(derived_before, in_force_on(on)),
            after=(derived_after, draft_versions),
            names=names,
        )

    def _add_credits(
        self,
        school: School,
        student_ids: frozenset[int],
        *,
        on: datetime.date,
        before: tuple[list[Rating], VersionChooser],
        after: tuple[list[Rating], VersionChooser],
        names: dict[int, tuple[str, str]],
    ) -> None:
        if not _credit_comparison:
            return
        (compare,) = _credit_comparison
        students = list(Student.objects.filter(id__in=student_ids).order_by("id"))
        sides: list[CreditSide] = []
        for ratings, versions in (before, after):
            try:
                rules_version: PolicyVersion | None = versions(school, None)
            except NoPolicyError:
                rules_version = None
            sides.append((ratings, rules_version))
        for change in compare(students, on, sides[0], sides[1]):
            self.counts.update(["credits"])
            self.by_course.setdefault(change.group, Counter()).update(["credits"])
            uuid, name = names[change.student_id]
            self.changes.append(
                {
                    "student": uuid,
                    "name": name,
                    "kind": "credit",
                    "target": change.target,
                    "group": change.group,
                    "before": format_number(change.before),
                    "after": format_number(change.after),
                    "changes": ["credits"],
                }
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "compared": self.compared,
            "counts": {kind: self.counts.get(kind, 0) for kind in CHANGE_KINDS},
            "by_course": {name: dict(counts) for name, counts in sorted(self.by_course.items())},
            "by_competency": {
                name: dict(counts) for name, counts in sorted(self.by_competency.items())
            },
            "changes": self.changes,
        }


def _mastered(rating: Rating | None) -> bool:
    return rating is not None and rating.mastered
