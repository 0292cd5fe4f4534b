"""The gradebook and a learning experience's scores as spreadsheets: opened with openpyxl and
python-calamine as a teacher's spreadsheet program would, numbers as numbers, student numbers
as written, nothing a spreadsheet would run as a formula."""

import csv
import datetime
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from mastery.accounts import api as accounts
from mastery.evidence import api as evidence
from mastery.rosters import api as rosters
from mastery.schools import api as schools
from mastery.schools.models import Student
from tests.world import World

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.com","Click")'


def _student(world: World, number: str, last: str, first: str = "Ada") -> Student:
    user = accounts.create_user(f"s{number}", first_name=first, last_name=last)
    student = schools.create_student(
        user, world.riverside, student_number=number, grade_level=9, graduation_year=2030
    )
    rosters.enroll_student(world.algebra_section, student, enrolled_on=datetime.date(2026, 8, 24))
    return student


def _score(world: World, student: Student, level: int, **options) -> None:
    evidence.record_evidence(
        student,
        world.claims,
        level=level,
        assessed_on=datetime.date(2026, 10, 1),
        recorded_by=world.dana,
        learning_experience=world.lab_report,
        section=world.algebra_section,
        **options,
    )


def _gradebook(client: Client, world: World, fmt: str, query: str = "") -> bytes:
    url = reverse("gradebook-export", args=[world.algebra_section.uuid, fmt])
    response = client.get(url + query)
    assert response.status_code == 200
    return response.content


def _scores(client: Client, world: World, fmt: str) -> bytes:
    url = reverse("scores-export", args=[world.algebra_section.uuid, world.lab_report.uuid, fmt])
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def _rows(xlsx: bytes) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(xlsx)).get_sheet_by_index(0).to_python()


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def test_the_gradebook_xlsx_has_numbers_as_numbers_and_names_as_text(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    for _ in range(3):
        _score(world, world.maya, 3)
    client.force_login(world.dana)

    sheet = load_workbook(io.BytesIO(_gradebook(client, world, "xlsx"))).active
    assert sheet is not None

    header = [cell.value for cell in sheet[1]]
    assert header[:7] == [
        "Student number", "Last name", "First name", "AW level", "AW rating", "AW mastered",
        "AW at-bats",
    ]  # fmt: skip
    maya = next(row for row in sheet.iter_rows(min_row=2) if row[2].value == "Maya")
    assert [cell.value for cell in maya[:3]] == ["R-1001", "Okafor", "Maya"]
    assert maya[3].value == "Developing"  # AW.2 has no evidence yet
    assert (maya[4].data_type, maya[6].value, maya[6].data_type) == ("n", 1, "n")


def test_a_student_number_keeps_its_leading_zeros_in_both_formats(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _student(world, "00123", "Zero")
    client.force_login(world.dana)

    assert ["00123", "Zero", "Ada"] in [row[:3] for row in _rows(_gradebook(client, world, "xlsx"))]
    assert ["00123", "Zero", "Ada"] in [row[:3] for row in _csv(_gradebook(client, world, "csv"))]
    assert ["00123", "Zero", "Ada"] in [row[:3] for row in _rows(_scores(client, world, "xlsx"))]
    assert ["00123", "Zero", "Ada"] in [row[:3] for row in _csv(_scores(client, world, "csv"))]


@pytest.mark.parametrize("text", [FORMULA, "+1 and more", "-2 points", "@SUM(A1:A9)"])
def test_a_name_or_comment_that_looks_like_a_formula_stays_text(
    client: Client, graded_world: World, text: str
) -> None:
    world = graded_world
    student = _student(world, "X-9", text)
    _score(world, student, 2, comment=text)
    client.force_login(world.dana)

    for xlsx in (_gradebook(client, world, "xlsx"), _scores(client, world, "xlsx")):
        sheet = load_workbook(io.BytesIO(xlsx)).active
        assert sheet is not None
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == text]
        assert cells, "the text is kept as it was written"
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
        assert (
            "<f>" not in zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml").decode()
        )
        assert [text] in [[value] for row in _rows(xlsx) for value in row if value == text]
    gradebook = _csv(_gradebook(client, world, "csv"))
    assert ["X-9", f"'{text}", "Ada"] in [row[:3] for row in gradebook]
    scores = _csv(_scores(client, world, "csv"))
    row = next(row for row in scores if row[0] == "X-9")
    assert (row[1], row[-1]) == (f"'{text}", f"'{text}")


def test_the_scores_export_has_levels_as_numbers_and_dates_as_dates(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    _score(world, world.maya, 3, independent=False, comment="Clear claim")
    client.force_login(world.dana)

    rows = _rows(_scores(client, world, "xlsx"))

    assert rows[0] == [
        "Student number", "Last name", "First name", "AW.1 level", "AW.2 level", "AW.1 date",
        "AW.2 date", "With support", "Comment",
    ]  # fmt: skip
    maya = next(row for row in rows if row[0] == "R-1001")
    assert maya[3:] == [3.0, "", datetime.date(2026, 10, 1), "", "yes", "Clear claim"]


def test_the_gradebook_export_follows_the_page_s_columns_filter_and_order(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    for _ in range(3):
        _score(world, world.maya, 4)
        evidence.record_evidence(
            world.maya,
            world.evidence_use,
            level=4,
            assessed_on=datetime.date(2026, 10, 1),
            recorded_by=world.dana,
            learning_experience=world.lab_report,
            section=world.algebra_section,
        )
    _student(world, "X-1", "Abbott")
    client.force_login(world.dana)

    every = _csv(_gradebook(client, world, "csv", "?expand=AW&sort=name&order=desc"))
    too_little = _csv(_gradebook(client, world, "csv", "?expand=AW&show=insufficient"))

    assert [row[1] for row in every[1:]] == ["Okafor", "Okafor", "Abbott"]
    assert [name for name in every[0] if name.endswith(" level")] == [
        "AW.1 level",
        "AW.2 level",
        "AW level",
    ]
    assert [row[2] for row in too_little[1:]] == ["Ada", "Sam"]


def test_the_pages_link_their_downloads(client: Client, graded_world: World) -> None:
    world = graded_world
    section = world.algebra_section.uuid
    client.force_login(world.dana)

    gradebook = client.get(
        reverse("gradebook", args=[section]) + "?expand=AW&show=insufficient"
    ).content.decode()
    grid = client.get(reverse("score-grid", args=[section, world.lab_report.uuid])).content.decode()

    expected = "?expand=AW&amp;show=insufficient&amp;sort=name"
    assert reverse("gradebook-export", args=[section, "xlsx"]) + expected in gradebook
    assert reverse("gradebook-export", args=[section, "csv"]) + expected in gradebook
    for fmt in ("xlsx", "csv"):
        assert reverse("scores-export", args=[section, world.lab_report.uuid, fmt]) in grid


def _exports(world: World) -> list[str]:
    section = world.algebra_section.uuid
    return [reverse("gradebook-export", args=[section, fmt]) for fmt in ("xlsx", "csv")] + [
        reverse("scores-export", args=[section, world.lab_report.uuid, fmt])
        for fmt in ("xlsx", "csv")
    ]


@pytest.mark.parametrize("outsider", ["omar", "hugo", "maya", "rosa"])
def test_another_teacher_a_student_and_a_guardian_download_nothing(
    client: Client, graded_world: World, outsider: str
) -> None:
    world = graded_world
    person = getattr(world, outsider)
    client.force_login(getattr(person, "user", person))

    for url in _exports(world):
        assert client.get(url).status_code == 404, url


def test_an_anonymous_visitor_is_sent_to_sign_in_for_every_download(
    client: Client, graded_world: World
) -> None:
    for url in _exports(graded_world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_an_unknown_format_is_not_found(client: Client, graded_world: World) -> None:
    client.force_login(graded_world.dana)

    url = reverse("gradebook-export", args=[graded_world.algebra_section.uuid, "pdf"])

    assert client.get(url).status_code == 404
