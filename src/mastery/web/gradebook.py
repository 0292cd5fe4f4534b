"""The section gradebook as a page shows it: students x competencies (or one competency's
subskills), each cell a stored rating. Built with a fixed number of queries for any class size."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from mastery.engine.rollups import IN_PROGRESS
from mastery.frameworks.models import Competency, PerformanceLevel, Subskill
from mastery.grading import api as grading
from mastery.grading.models import RatingKind, RatingStatus
from mastery.rosters.models import Enrollment, Section
from mastery.web.levels import level_tones
from mastery.web.templatetags.mastery import number

_MARK = "00000000-0000-0000-0000-000000000000"


class Show(StrEnum):
    ALL = "all"
    NOT_MASTERED = "not-mastered"
    INSUFFICIENT = "insufficient"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    competency: Competency
    subskill: Subskill | None = None

    @property
    def target(self) -> Competency | Subskill:
        return self.subskill or self.competency


@dataclass(frozen=True, slots=True)
class ShownRating:
    """A stored rating as the gradebook shows it (read as plain values: a page shows hundreds)."""

    status: str
    value: Decimal | None
    level_value: Decimal | None
    level_label: str
    mastered: bool
    counted: int
    grade: str

    @property
    def in_progress(self) -> bool:
        """A course grade the term's end will settle: a competency has no evidence yet."""
        return self.grade == IN_PROGRESS


@dataclass(frozen=True)
class Cell:
    column: Column
    rating: ShownRating | None
    tone: str
    url: str
    student_name: str

    @property
    def is_rated(self) -> bool:
        return self.rating is not None and self.rating.status == RatingStatus.RATED

    @property
    def mastered(self) -> bool:
        return self.is_rated and self.rating is not None and self.rating.mastered

    @property
    def counted(self) -> int:
        return self.rating.counted if self.rating is not None else 0

    @property
    def sort_value(self) -> Decimal | None:
        return self.rating.value if self.is_rated and self.rating is not None else None

    @property
    def description(self) -> str:
        """What a screen reader says for the cell."""
        if not self.is_rated or self.rating is None:
            return f"{self.column.title}: not enough evidence yet, {self.counted} counted"
        value = "" if self.rating.value is None else f" {self.rating.value.normalize()}"
        mastered = ", mastered" if self.mastered else ""
        level = f"{self.rating.level_label}{value}{mastered}"
        return f"{self.column.title}: {level}, {self.counted} counted"

    @property
    def html(self) -> SafeString:
        """The cell's markup. Built here rather than in the template because a gradebook shows
        hundreds of cells and template lookups dominate its cost (bench/web.py); only the text
        is escaped (the tone, the URL and the numbers are ours)."""
        label = escape(f"{self.student_name}, {self.description}")
        if self.is_rated and self.rating is not None:
            mastered = _MASTERED if self.mastered else ""
            # Every text part is escaped, above or here.
            return mark_safe(
                f'<td class="cell {self.tone}"><a class="cell__link" href="{self.url}" '
                f'aria-label="{label}"><span class="cell__label">'
                f"{escape(self.rating.level_label)}</span>"
                f'<span class="cell__value">{number(self.rating.value)}{mastered}</span>'
                f'<span class="cell__count" aria-hidden="true">{self.counted}</span></a></td>'
            )
        return mark_safe(
            f'<td class="cell cell--insufficient"><a class="cell__link" href="{self.url}" '
            f'aria-label="{label}"><span class="cell__label">Not yet</span>'
            f'<span class="cell__count" aria-hidden="true">{self.counted}</span></a></td>'
        )


_MASTERED = '<span class="cell__mastered" aria-hidden="true">✓</span>'


@dataclass(frozen=True)
class Row:
    enrollment: Enrollment
    cells: list[Cell]
    course_grade: ShownRating | None
    url: str = ""
    """The student's page."""

    @property
    def html(self) -> SafeString:
        """The row's markup, for the reason the cells build their own."""
        user = self.enrollment.student.user
        name = escape(f"{user.last_name}, {user.first_name}")
        grade = self.course_grade
        if grade is None:
            shown = '<span class="muted">—</span>'
        else:
            value = (
                "" if grade.value is None else f' <span class="muted">{number(grade.value)}</span>'
            )
            shown = f"{escape(grade.grade)}{value}"
        cells = "".join(cell.html for cell in self.cells)
        return mark_safe(
            f'<tr><th scope="row" class="sticky-col"><a href="{self.url}">{name}</a></th>'
            f'{cells}<td class="cell cell--grade">{shown}</td></tr>'
        )


@dataclass(frozen=True)
class Gradebook:
    section: Section
    competencies: list[Competency]
    columns: list[Column]
    rows: list[Row]
    levels: list[PerformanceLevel]
    expanded: Competency | None
    sort: str
    descending: bool
    show: Show
    total_students: int

    @property
    def mastery_label(self) -> str:
        return next((level.label for level in self.levels if level.is_mastery), "mastery")

    @property
    def legend(self) -> list[tuple[PerformanceLevel, str]]:
        """Each level of the scale with its colour (its tone class)."""
        tones = level_tones(self.levels)
        return [(level, tones[level.value]) for level in self.levels]


def _tone(tones: dict[Decimal, str], rating: ShownRating | None) -> str:
    if rating is None or rating.level_value is None:
        return ""
    return tones.get(rating.level_value, "")


def build_gradebook(
    section: Section, *, expand: str | None, sort: str, descending: bool, show: Show
) -> Gradebook:
    # Unordered: the rows are sorted below, in Python. Only what the rows, the exports and the
    # term review show of each student (no password hashes and the like to build models from).
    enrollments = list(
        section.enrollments.filter(withdrawn_on__isnull=True)
        .select_related("student__user")
        .only(
            "section_id",
            "student__uuid",
            "student__student_number",
            "student__user__username",
            "student__user__first_name",
            "student__user__last_name",
        )
        .order_by()
    )
    competencies = [
        link.competency
        for link in section.course.assessed.select_related("competency__framework__scale")
    ]
    expanded = next((competency for competency in competencies if competency.key == expand), None)
    if expanded is None:
        columns = [Column(c.key, c.title, c) for c in competencies]
    else:
        columns = [
            Column(subskill.key, subskill.title, expanded, subskill)
            for subskill in expanded.subskills.all()
        ] + [Column(expanded.key, f"{expanded.title} (overall)", expanded)]
    scale = competencies[0].framework.scale if competencies else None
    levels = list(scale.levels.order_by("value")) if scale is not None else []
    tones = level_tones(levels)
    ratings = grading.list_section_ratings(
        section,
        [e.student_id for e in enrollments],
        [c.id for c in competencies],
        subskills_of=[expanded.id] if expanded is not None else [],
    ).order_by().values_list(
        "student_id", "kind", "subskill_id", "competency_id", "section_id", "status", "value",
        "level_value", "level_label", "mastered", "counted", "grade",
    )  # fmt: skip
    by_target: dict[tuple[int, str, int], ShownRating] = {}
    for (
        student_id, kind, subskill_id, competency_id, section_id,
        status, value, level_value, level_label, mastered, counted, grade,
    ) in ratings:  # fmt: skip
        target_id = subskill_id or competency_id or section_id
        assert target_id is not None
        by_target[student_id, kind, target_id] = ShownRating(
            status, value, level_value, level_label, mastered, counted, grade
        )
    # One reverse() for the page, not one per cell: cells differ only in their ids.
    cell_url = reverse("drill-down", args=[section.uuid, _MARK, "subskill", _MARK]).replace(
        f"/{_MARK}/subskill/{_MARK}/", "/{student}/{kind}/{target}/"
    )
    student_url = reverse("student-detail", args=[_MARK]).replace(_MARK, "{student}")
    rows = []
    for enrollment in enrollments:
        name = enrollment.student.full_name
        cells = []
        for column in columns:
            kind = RatingKind.SUBSKILL if column.subskill else RatingKind.COMPETENCY
            found = by_target.get((enrollment.student_id, kind, column.target.pk))
            url = cell_url.format(
                student=enrollment.student.uuid, kind=kind.value, target=column.target.uuid
            )
            cells.append(Cell(column, found, _tone(tones, found), url, name))
        course_grade = by_target.get((enrollment.student_id, RatingKind.COURSE, section.pk))
        rows.append(
            Row(
                enrollment, cells, course_grade, student_url.format(student=enrollment.student.uuid)
            )
        )
    total = len(rows)
    rows = [row for row in rows if _shown(row, show)]
    rows = _sorted(rows, columns, sort, descending)
    return Gradebook(
        section=section,
        competencies=competencies,
        columns=columns,
        rows=rows,
        levels=levels,
        expanded=expanded,
        sort=sort,
        descending=descending,
        show=show,
        total_students=total,
    )


def _shown(row: Row, show: Show) -> bool:
    if show is Show.NOT_MASTERED:
        return any(not cell.mastered for cell in row.cells)
    if show is Show.INSUFFICIENT:
        return any(not cell.is_rated for cell in row.cells)
    return True


def _sorted(rows: list[Row], columns: list[Column], sort: str, descending: bool) -> list[Row]:
    position = next((index for index, column in enumerate(columns) if column.key == sort), None)
    if position is None:
        return sorted(
            rows,
            key=lambda row: (
                row.enrollment.student.user.last_name,
                row.enrollment.student.user.first_name,
            ),
            reverse=descending,
        )
    rated = [row for row in rows if row.cells[position].sort_value is not None]
    unrated = [row for row in rows if row.cells[position].sort_value is None]
    rated.sort(key=lambda row: row.cells[position].sort_value or Decimal(0), reverse=descending)
    # Students without a rating yet stay together at the end, whichever way the column sorts.
    return rated + unrated
