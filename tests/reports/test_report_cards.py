"""Report cards for a section or a school run in the background: progress is saved as they
print, and the result is a zip holding one PDF per student."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings
from pypdf import PdfReader

from mastery.reports import api as reports
from mastery.reports import runs
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path: Path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def _pdfs(run) -> dict[str, str]:
    with run.file.open("rb") as stored, zipfile.ZipFile(io.BytesIO(stored.read())) as bundle:
        return {
            name: PdfReader(io.BytesIO(bundle.read(name))).pages[0].extract_text()
            for name in bundle.namelist()
        }


def test_a_section_s_report_cards_are_one_pdf_per_student(
    scored_world: World, today: datetime.date, django_capture_on_commit_callbacks
) -> None:
    world = scored_world
    with django_capture_on_commit_callbacks(execute=True):
        run = reports.enqueue_report_cards(
            world.term, section=world.algebra_section, requested_by=world.dana
        )

    run.refresh_from_db()
    assert run.status == reports.ReportRunStatus.DONE
    assert (run.done, run.total, run.percent) == (2, 2, 100)
    pdfs = _pdfs(run)
    assert sorted(pdfs) == ["okafor-maya-r-1001.pdf", "okafor-sam-r-1002.pdf"]
    assert "Maya Okafor" in pdfs["okafor-maya-r-1001.pdf"]
    assert "Sam Okafor" in pdfs["okafor-sam-r-1002.pdf"]


def test_the_school_s_report_cards_cover_every_student_with_a_section_in_the_term(
    scored_world: World, today: datetime.date, django_capture_on_commit_callbacks
) -> None:
    world = scored_world
    with django_capture_on_commit_callbacks(execute=True):
        run = reports.enqueue_report_cards(world.term, requested_by=world.rita)

    run.refresh_from_db()
    assert run.section is None
    assert sorted(_pdfs(run)) == [
        "brandt-leo-r-1003.pdf",
        "okafor-maya-r-1001.pdf",
        "okafor-sam-r-1002.pdf",
    ]


def test_progress_is_saved_between_chunks_while_the_run_prints(
    scored_world: World, today: datetime.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = scored_world
    run = reports.ReportRun.objects.create(
        school=world.riverside, term=world.term, requested_by=world.rita
    )
    seen: list[tuple[str, int, int]] = []

    def render(template: str, context: dict) -> bytes:
        stored = reports.ReportRun.objects.get(pk=run.pk)
        seen.append((stored.status, stored.done, stored.total))
        return b"%PDF-1.7 stand-in"

    monkeypatch.setattr(runs, "render_pdf", render)

    reports.run_report_cards(run.pk, chunk=1)

    assert seen == [("running", 0, 3), ("running", 1, 3), ("running", 2, 3)]
    run.refresh_from_db()
    assert (run.status, run.done, run.finished_at is not None) == ("done", 3, True)


def test_a_failing_run_says_why_and_keeps_its_progress(
    scored_world: World, today: datetime.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = scored_world
    run = reports.ReportRun.objects.create(
        school=world.riverside, term=world.term, section=world.algebra_section
    )

    def broken(template: str, context: dict) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(runs, "render_pdf", broken)

    with pytest.raises(OSError):
        reports.run_report_cards(run.pk)

    run.refresh_from_db()
    assert (run.status, run.error, bool(run.file)) == ("failed", "OSError: disk full", False)
