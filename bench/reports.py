"""Report cards benchmark: the whole demo school's fall progress reports, printed to PDF.

    .venv/bin/python bench/reports.py [--students N]

Loads the demo school (`mastery demo`, 240 students, about 10,000 at-bats by default) into a
scratch SQLite file in a temporary folder, then runs the same code the background task runs
(`reports.api.run_report_cards`) for every student with a fall section, in this process, and
prints seconds per 100 students, with the share spent gathering each report (ratings, the
engine's explanations, the progress chart) and printing it (WeasyPrint).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _mastery(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "mastery.cli", *args], env=env, check=True, capture_output=True
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=None, help="demo size (default: 240)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mastery-bench-reports-") as folder:
        scratch = Path(folder)
        env = {
            **os.environ,
            "MASTERY_MODE": "demo",
            "DATABASE_URL": f"sqlite:///{scratch / 'demo.sqlite3'}",
            "MASTERY_PROJECT_DIR": str(scratch),
            "MEDIA_ROOT": str(scratch / "media"),
            "LOG_LEVEL": "WARNING",
        }
        started = time.perf_counter()
        _mastery("migrate", "--no-input", env=env)
        demo = ["demo"] + (["--students", str(options.students)] if options.students else [])
        _mastery(*demo, env=env)
        print(f"demo school loaded in {time.perf_counter() - started:.1f} s", flush=True)
        os.environ.update(env)
        return _run()


def _run() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mastery.settings")
    django.setup()
    from mastery.calendar import api as calendar
    from mastery.reports import api as reports
    from mastery.reports.pdf import render_pdf
    from mastery.schools.models import School

    school = School.objects.get(key="riverside")
    term = calendar.list_terms(school).get(key="S1")
    run = reports.ReportRun.objects.create(school=school, term=term)

    started = time.perf_counter()
    run = reports.run_report_cards(run.pk)
    seconds = time.perf_counter() - started
    size = run.file.size

    # Where the time goes, on a sample of the same students.
    sample = list(reports.students_of(run)[:20])
    gathering = printing = 0.0
    for student in sample:
        mark = time.perf_counter()
        report = reports.build_progress_report(student, term, on=run.created_at.date())
        gathering += time.perf_counter() - mark
        mark = time.perf_counter()
        render_pdf("reports/progress_print.html", {"report": report})
        printing += time.perf_counter() - mark
    share = gathering / (gathering + printing)

    print(
        f"report cards for {run.total} students ({run.school.name}, {term.name}): {seconds:.1f} s"
    )
    print(f"zip of PDFs: {size / 1e6:.1f} MB")
    print(f"seconds per 100 students: {100 * seconds / max(run.total, 1):.1f}")
    print(
        f"of which gathering (ratings, explanations, chart) {share:.0%}, printing {1 - share:.0%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
