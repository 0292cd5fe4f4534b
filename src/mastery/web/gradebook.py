"""The section gradebook as a page shows it: students x competencies (or one competency's
subskills), each cell a stored rating. Built with a fixed number of queries for any class size."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from mastery.frameworks.models import Competency, PerformanceLevel, Subskill
from mastery.grading import api as grading
from mastery.grading.models import Rating, RatingKind, RatingStatus
from mastery.rosters.models import Enrollment, Section


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


@dataclass(frozen=True)
class Cell:
    column: Column
    rating: Rating | None
    level_index: int | None

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


@dataclass(frozen=True)
class Row:
    enrollment: Enrollment
    cells: list[Cell]
    course_grade: Rating | None


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


def _level_index(levels: list[PerformanceLevel], rating: Rating | None) -> int | None:
    if rating is None or rating.level_value is None:
        return None
    for index, level in enumerate(levels, start=1):
        if level.value == rating.level_value:
            return index
    return None


def build_gradebook(
    section: Section, *, expand: str | None, sort: str, descending: bool, show: Show
) -> Gradebook:
    enrollments = list(
        section.enrollments.filter(withdrawn_on__isnull=True).select_related("student__user")
    )
    competencies = [
        link.competency
        for link in section.course.assessed.select_related(
            "competency__framework__scale"
        ).prefetch_related("competency__subskills")
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
    ratings = grading.list_section_ratings(
        section, [e.student_id for e in enrollments], [c.id for c in competencies]
    )
    by_target: dict[tuple[int, str, int], Rating] = {}
    for rating in ratings:
        target_id = rating.subskill_id or rating.competency_id or rating.section_id
        assert target_id is not None
        by_target[rating.student_id, rating.kind, target_id] = rating
    rows = []
    for enrollment in enrollments:
        cells = []
        for column in columns:
            kind = RatingKind.SUBSKILL if column.subskill else RatingKind.COMPETENCY
            found = by_target.get((enrollment.student_id, kind, column.target.pk))
            cells.append(Cell(column, found, _level_index(levels, found)))
        course_grade = by_target.get((enrollment.student_id, RatingKind.COURSE, section.pk))
        rows.append(Row(enrollment, cells, course_grade))
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
