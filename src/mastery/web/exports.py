"""The gradebook and a learning experience's scores as CSV or XLSX, for teachers who keep a
spreadsheet beside Mastery. Both formats carry the same rows."""

import csv
import io
import logging
from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from mastery.web.access import section_to_read, section_to_teach, signed_in_user
from mastery.web.gradebook import Gradebook, Show, build_gradebook
from mastery.web.scoring import ScoringGrid, build_grid
from mastery.web.scoring_views import _experience
from mastery.web.templatetags.mastery import number

log = logging.getLogger("mastery.exports")
type Table = tuple[list[str], list[list[str]]]


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
        line = [student.student_number, student.user.last_name, student.user.first_name]
        for cell in row.cells:
            rating = cell.rating
            line += [
                rating.level_label if cell.is_rated and rating else "Insufficient evidence",
                number(rating.value) if cell.is_rated and rating else "",
                "yes" if cell.mastered else "no",
                str(cell.counted),
            ]
        grade = row.course_grade
        line += [grade.grade if grade else "", number(grade.value) if grade else ""]
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
        line = [student.student_number, student.user.last_name, student.user.first_name]
        line += [number(cell.latest.level) if cell.latest else "" for cell in row.cells]
        line += [cell.latest.assessed_on.isoformat() if cell.latest else "" for cell in row.cells]
        line += ["" if row.independent else "yes", row.comment]
        rows.append(line)
    return header, rows


def _respond(table: Table, *, name: str, fmt: str) -> HttpResponse:
    header, rows = table
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
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


def _xlsx(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_typed(value) for value in row])
    sheet.freeze_panes = "D2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _typed(value: str) -> str | float:
    """Numbers go into the spreadsheet as numbers, so teachers can compute with them."""
    try:
        return float(value) if value and value.replace(".", "", 1).isdigit() else value
    except ValueError:
        return value


@login_required
def gradebook_export(request: HttpRequest, section_uuid: str, fmt: str) -> HttpResponse:
    section = section_to_read(request, section_uuid)
    book = build_gradebook(
        section, expand=request.GET.get("expand"), sort="name", descending=False, show=Show.ALL
    )
    log.info("gradebook export: %s by %s (%s)", section.key, signed_in_user(request).username, fmt)
    return _respond(gradebook_table(book), name=f"{slugify(section.key)}-gradebook", fmt=fmt)


@login_required
def scores_export(
    request: HttpRequest, section_uuid: str, experience_uuid: str, fmt: str
) -> HttpResponse:
    section = section_to_teach(request, section_uuid)
    experience = _experience(section, experience_uuid)
    from django.utils import timezone

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
