"""The gradebook and a learning experience's scores as CSV or XLSX, for teachers who keep a
spreadsheet beside Mastery. Both formats carry the same rows.

Numbers (levels, ratings, at-bat counts) go in as numbers and dates as dates, so a teacher can
compute and sort with them; everything else is text, kept exactly: a student number "00123"
keeps its zeros. Text that a spreadsheet would read as a formula (it starts with = + - @, or a
tab or carriage return) is neutralised the standard way: CSV prefixes it with an apostrophe
(OWASP's advice for CSV injection); XLSX stores it as a text cell with the quote prefix, which is
what Excel itself does when a person types a leading apostrophe.
"""

import csv
import datetime
import io
import logging
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from mastery.web.access import section_to_read, section_to_teach, signed_in_user
from mastery.web.gradebook import Gradebook
from mastery.web.gradebook_views import GradebookQuery
from mastery.web.scoring import ScoringGrid, build_grid, experience_of
from mastery.web.templatetags.mastery import number

log = logging.getLogger("mastery.exports")

type Value = str | int | Decimal | datetime.date | None
type Table = tuple[list[str], list[list[Value]]]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def gradebook_table(book: Gradebook) -> Table:
    header = ["Student number", "Last name", "First name"]
    for column in book.columns:
        header += [
            f"{column.key} level",
            f"{column.key} rating",
            f"{column.key} mastered",
            f"{column.key} at-bats",
        ]
    header += ["Course grade", "Course grade value"]
    rows = []
    for row in book.rows:
        student = row.enrollment.student
        line: list[Value] = [
            student.student_number,
            student.user.last_name,
            student.user.first_name,
        ]
        for cell in row.cells:
            rating = cell.rating
            line += [
                rating.level_label if cell.is_rated and rating else "Insufficient evidence",
                rating.value if cell.is_rated and rating else None,
                "yes" if cell.mastered else "no",
                cell.counted,
            ]
        grade = row.course_grade
        line += [grade.grade if grade else "", grade.value if grade else None]
        rows.append(line)
    return header, rows


def scores_table(grid: ScoringGrid) -> Table:
    header = ["Student number", "Last name", "First name"]
    header += [f"{subskill.key} level" for subskill in grid.subskills]
    header += [f"{subskill.key} date" for subskill in grid.subskills]
    header += ["With support", "Comment"]
    rows = []
    for row in grid.rows:
        student = row.enrollment.student
        line: list[Value] = [
            student.student_number,
            student.user.last_name,
            student.user.first_name,
        ]
        line += [cell.latest.level if cell.latest else None for cell in row.cells]
        line += [cell.latest.assessed_on if cell.latest else None for cell in row.cells]
        line += ["" if row.independent else "yes", row.comment]
        rows.append(line)
    return header, rows


def _is_formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_STARTS)


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return f"'{value}" if _is_formula_like(value) else value


def _respond(table: Table, *, name: str, fmt: str) -> HttpResponse:
    header, rows = table
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_csv_text(value) for value in header])
        writer.writerows([_csv_text(value) for value in row] for row in rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            _xlsx(header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("Exports come as csv or xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _xlsx(header: Sequence[str], rows: Sequence[Sequence[Value]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(value) if isinstance(value, Decimal) else value for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and _is_formula_like(cell.value):
                # openpyxl reads a leading "=" as a formula: store the text as text.
                cell.data_type = "s"
                cell.quotePrefix = True
    sheet.freeze_panes = "D2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
def gradebook_export(request: HttpRequest, section_uuid: str, fmt: str) -> HttpResponse:
    """The gradebook as the page shows it: the same columns, filter and order."""
    section = section_to_read(request, section_uuid)
    book = GradebookQuery.read(request.GET).build(section)
    log.info("gradebook export: %s by %s (%s)", section.key, signed_in_user(request).username, fmt)
    return _respond(gradebook_table(book), name=f"{slugify(section.key)}-gradebook", fmt=fmt)


@login_required
def scores_export(
    request: HttpRequest, section_uuid: str, experience_uuid: str, fmt: str
) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    experience = experience_of(section, experience_uuid)
    grid = build_grid(section, experience, assessed_on=timezone.localdate())
    log.info(
        "scores export: %s %s by %s (%s)",
        section.key,
        experience.key,
        signed_in_user(request).username,
        fmt,
    )
    return _respond(
        scores_table(grid), name=f"{slugify(section.key)}-{slugify(experience.key)}-scores", fmt=fmt
    )
