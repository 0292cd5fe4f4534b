"""The report pages: who may open each one (everyone else gets a 404, anonymous people the
sign-in page), what they show, and that their queries do not grow with the evidence or the class."""

import datetime
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mastery.accounts import api as accounts
from mastery.calendar import api as calendar
from mastery.evidence import api as evidence
from mastery.reports import api as reports
from mastery.rosters import api as rosters
from mastery.schools import api as schools
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path: Path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def _progress(world: World, suffix: str = "") -> str:
    name = "progress-report-pdf" if suffix == "pdf" else "progress-report"
    return reverse(name, args=[world.maya.uuid, world.term.uuid])


def _student_pages(world: World) -> list[str]:
    return [
        reverse("student-reports", args=[world.maya.uuid]),
        _progress(world),
        _progress(world, "pdf"),
        reverse("competency-progress-chart", args=[world.maya.uuid, world.writing.uuid]),
    ]


def _transcript_pages(world: World) -> list[str]:
    return [
        reverse("mastery-transcript", args=[world.maya.uuid]),
        reverse("mastery-transcript-pdf", args=[world.maya.uuid]),
    ]


def _section_pages(world: World) -> list[str]:
    return [
        reverse("section-report-cards", args=[world.algebra_section.uuid]),
        reverse("section-distribution-chart", args=[world.algebra_section.uuid]),
    ]


def _status(client: Client, world: World, viewer: str, url: str) -> int:
    client.force_login(
        getattr(world, viewer).user if viewer in {"maya", "sam"} else getattr(world, viewer)
    )
    return client.get(url).status_code


@pytest.mark.parametrize("viewer", ["maya", "rosa", "dana", "cole", "lena", "rita"])
def test_the_student_their_family_their_teachers_and_school_staff_read_the_progress_report(
    client: Client, scored_world: World, viewer: str
) -> None:
    for url in _student_pages(scored_world):
        assert _status(client, scored_world, viewer, url) == 200, url


@pytest.mark.parametrize("viewer", ["sam", "ben", "omar", "hugo"])
def test_another_student_another_family_and_other_teachers_get_a_404(
    client: Client, scored_world: World, viewer: str
) -> None:
    for url in [*_student_pages(scored_world), *_transcript_pages(scored_world)]:
        assert _status(client, scored_world, viewer, url) == 404, url


def test_anonymous_people_are_sent_to_sign_in(client: Client, scored_world: World) -> None:
    world = scored_world
    run = reports.ReportRun.objects.create(
        school=world.riverside, term=world.term, section=world.algebra_section
    )
    urls = [
        *_student_pages(world),
        *_transcript_pages(world),
        *_section_pages(world),
        reverse("school-report-cards", args=[world.riverside.uuid]),
        reverse("report-run", args=[run.uuid]),
        reverse("report-run-download", args=[run.uuid]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("viewer", ["maya", "rosa", "lena", "rita"])
def test_the_student_their_family_and_school_staff_read_the_transcript(
    client: Client, scored_world: World, viewer: str
) -> None:
    for url in _transcript_pages(scored_world):
        assert _status(client, scored_world, viewer, url) == 200, url


def test_a_teacher_reads_the_progress_report_but_not_the_transcript(
    client: Client, scored_world: World
) -> None:
    world = scored_world
    for url in _transcript_pages(world):
        assert _status(client, world, "dana", url) == 404
    client.force_login(world.dana)
    page = client.get(reverse("student-reports", args=[world.maya.uuid])).content.decode()
    assert "Mastery transcript" not in page
    assert _progress(world) in page


def test_the_progress_report_page_shows_the_report_and_links_its_pdf(
    client: Client, scored_world: World
) -> None:
    world = scored_world
    client.force_login(world.rosa)

    page = client.get(_progress(world)).content.decode()

    assert "Progress report: Maya Okafor" in page
    assert "Not enough evidence yet" in page
    assert "3 more at-bats at Meeting" in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert _progress(world, "pdf") in page
    assert reverse("competency-progress-chart", args=[world.maya.uuid, world.writing.uuid]) in page


def test_the_pdf_downloads_as_a_pdf(client: Client, scored_world: World) -> None:
    client.force_login(scored_world.maya.user)

    response = client.get(_progress(scored_world, "pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith(b"%PDF-")


def test_a_term_of_another_school_is_not_found(client: Client, scored_world: World) -> None:
    world = scored_world
    other_term = calendar.list_terms(world.hilltop).get()
    client.force_login(world.lena)

    response = client.get(reverse("progress-report", args=[world.maya.uuid, other_term.uuid]))

    assert response.status_code == 404


def test_the_svg_charts_are_served_as_svg_with_their_own_style_policy(
    client: Client, scored_world: World
) -> None:
    world = scored_world
    client.force_login(world.dana)

    response = client.get(_section_pages(world)[1])

    assert response["Content-Type"] == "image/svg+xml"
    assert "style-src 'unsafe-inline'" in response["Content-Security-Policy"]
    assert response.content.decode().count("<title") == 1


def test_the_student_page_links_to_the_reports(client: Client, scored_world: World) -> None:
    client.force_login(scored_world.maya.user)

    page = client.get(reverse("student-detail", args=[scored_world.maya.uuid])).content.decode()

    assert reverse("student-reports", args=[scored_world.maya.uuid]) in page


@pytest.mark.parametrize("viewer", ["dana", "cole", "lena", "rita"])
def test_the_section_s_teachers_and_school_staff_open_its_report_cards(
    client: Client, scored_world: World, viewer: str
) -> None:
    for url in _section_pages(scored_world):
        assert _status(client, scored_world, viewer, url) == 200, url


@pytest.mark.parametrize("viewer", ["omar", "hugo", "maya", "rosa"])
def test_nobody_else_opens_a_section_s_report_cards(
    client: Client, scored_world: World, viewer: str
) -> None:
    world = scored_world
    for url in _section_pages(world):
        assert _status(client, world, viewer, url) == 404, url
    assert client.post(_section_pages(world)[0]).status_code == 404
    assert not reports.ReportRun.objects.exists()


def test_a_teacher_prints_the_section_s_report_cards_and_downloads_them(
    client: Client, scored_world: World, django_capture_on_commit_callbacks
) -> None:
    world = scored_world
    client.force_login(world.dana)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_section_pages(world)[0])

    run = reports.ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report-run", args=[run.uuid])
    page = client.get(response["Location"]).content.decode()
    download = reverse("report-run-download", args=[run.uuid])
    assert download in page
    assert "hx-trigger" not in page
    archive = client.get(download)
    assert archive["Content-Type"] == "application/zip"
    with zipfile.ZipFile(BytesIO(b"".join(archive.streaming_content))) as bundle:
        assert len(bundle.namelist()) == 2


def test_a_running_run_polls_every_second_through_its_partial(
    client: Client, scored_world: World
) -> None:
    world = scored_world
    run = reports.ReportRun.objects.create(
        school=world.riverside,
        term=world.term,
        section=world.algebra_section,
        status=reports.ReportRunStatus.RUNNING,
        total=4,
        done=1,
    )
    client.force_login(world.cole)

    partial = client.get(reverse("report-run", args=[run.uuid]), headers={"HX-Request": "true"})

    body = partial.content.decode()
    assert "<html" not in body
    assert 'hx-trigger="every 1s"' in body
    assert "Printing 1 of 4" in body
    assert client.get(reverse("report-run-download", args=[run.uuid])).status_code == 404


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("lena", 200), ("rita", 200), ("dana", 404), ("maya", 404), ("hugo", 404)],
)
def test_only_school_staff_follow_a_whole_school_run(
    client: Client, scored_world: World, viewer: str, status: int
) -> None:
    world = scored_world
    run = reports.ReportRun.objects.create(school=world.riverside, term=world.term)
    section_run = reports.ReportRun.objects.create(
        school=world.riverside, term=world.term, section=world.algebra_section
    )

    assert _status(client, world, viewer, reverse("report-run", args=[run.uuid])) == status
    assert (
        _status(client, world, viewer, reverse("school-report-cards", args=[world.riverside.uuid]))
        == status
    )
    expected = 200 if viewer in {"lena", "rita", "dana"} else 404
    assert (
        _status(client, world, viewer, reverse("report-run", args=[section_run.uuid])) == expected
    )


def test_the_registrar_prints_the_whole_school_for_a_term(
    client: Client, scored_world: World, django_capture_on_commit_callbacks
) -> None:
    world = scored_world
    client.force_login(world.rita)
    url = reverse("school-report-cards", args=[world.riverside.uuid])

    assert client.post(url, {"term": "not-a-term"}).status_code == 400
    other_term = calendar.list_terms(world.hilltop).get()
    assert client.post(url, {"term": str(other_term.uuid)}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"term": str(world.term.uuid)})

    run = reports.ReportRun.objects.get()
    assert response["Location"] == reverse("report-run", args=[run.uuid])
    assert (run.status, run.total, run.section) == ("done", 3, None)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_progress_report_s_queries_do_not_grow_with_the_at_bats(
    client: Client, scored_world: World
) -> None:
    world = scored_world
    client.force_login(world.rosa)
    before = [_queries(client, _progress(world)), _queries(client, _progress(world, "pdf"))]

    for day in range(20, 31):
        evidence.record_evidence(
            world.maya,
            world.claims,
            level=4,
            assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana,
            learning_experience=world.essay,
            section=world.algebra_section,
            comment=f"Note {day}",
        )

    after = [_queries(client, _progress(world)), _queries(client, _progress(world, "pdf"))]
    assert after == before


def test_the_section_report_card_pages_do_not_grow_with_the_class(
    client: Client, scored_world: World
) -> None:
    world = scored_world
    client.force_login(world.dana)
    before = [_queries(client, url) for url in _section_pages(world)]

    for number in range(15):
        user = accounts.create_user(f"extra{number}", first_name="Extra", last_name=f"S{number}")
        student = schools.create_student(
            user, world.riverside, student_number=f"X-{number}", grade_level=9, graduation_year=2030
        )
        rosters.enroll_student(
            world.algebra_section, student, enrolled_on=datetime.date(2026, 8, 24)
        )

    assert [_queries(client, url) for url in _section_pages(world)] == before


def test_the_transcript_and_the_reports_list_do_not_grow_with_the_at_bats(
    client: Client, scored_world: World
) -> None:
    world = scored_world
    client.force_login(world.rita)
    urls = [*_transcript_pages(world)[:1], reverse("student-reports", args=[world.maya.uuid])]
    before = [_queries(client, url) for url in urls]

    for day in range(20, 31):
        evidence.record_evidence(
            world.maya,
            world.evidence_use,
            level=3,
            assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana,
            learning_experience=world.lab_report,
            section=world.algebra_section,
        )

    assert [_queries(client, url) for url in urls] == before
