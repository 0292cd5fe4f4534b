"""`mastery demo [--reset] [--seed N]`: load Riverside High School, the demo school."""

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from mastery.demo.school import (
    DEFAULT_SEED,
    DEFAULT_STUDENTS,
    DEMO_PASSWORD,
    SIGN_INS,
    DemoSummary,
    demo_school_exists,
    load_demo_school,
    summarize_demo_school,
)
from mastery.evidence.api import lift_ledger_guard
from mastery.lib.env import Mode

_ALLOWED_MODES = (Mode.DEMO, Mode.TEST)


class Command(BaseCommand):
    help = (
        "Load the demo school (Riverside High School) into the configured database. "
        f"Every demo sign-in has the password '{DEMO_PASSWORD}', so this runs only with "
        "MASTERY_MODE=demo (or test)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the whole database first (every table, the evidence ledger included).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"The seed the school is generated from (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--students",
            type=int,
            default=DEFAULT_STUDENTS,
            help=f"How many students (default {DEFAULT_STUDENTS}).",
        )

    def handle(self, *args: Any, reset: bool, seed: int, students: int, **options: Any) -> None:
        if settings.MODE not in _ALLOWED_MODES:
            raise CommandError(
                f"The demo school's sign-ins all have the password '{DEMO_PASSWORD}', so "
                f"`mastery demo` runs only with MASTERY_MODE=demo or test (this process is in "
                f"{settings.MODE} mode). Use a separate database for the demo."
            )
        if students < 4:
            raise CommandError("The demo school needs at least 4 students (one per grade).")
        if reset:
            self.stdout.write("Emptying the database (--reset) ...")
            with lift_ledger_guard():
                call_command("flush", interactive=False, verbosity=0)
        elif demo_school_exists():
            self.stdout.write(
                "The demo school is already loaded; nothing changed "
                "(run `mastery demo --reset` to rebuild it from scratch)."
            )
            self._print_summary(summarize_demo_school())
            return
        self.stdout.write(f"Loading the demo school (seed {seed}, {students} students) ...")
        started = time.perf_counter()
        summary = load_demo_school(seed=seed, students=students)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Loaded {summary.school.name} in {elapsed:.1f} s."))
        self._print_summary(summary)

    def _print_summary(self, summary: DemoSummary) -> None:
        self.stdout.write(
            f"\n{summary.school.name}: {summary.students} students, {summary.teachers} teachers, "
            f"{summary.guardians} family members, {summary.sections} sections, "
            f"{summary.at_bats} at-bats.\n"
        )
        headers = ("Username", "Who", "Role", "What to look at")
        rows = [(s.username, s.who, s.role, s.look_at) for s in SIGN_INS]
        widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
        line = "  ".join("-" * width for width in widths)
        self.stdout.write(f"Sign in with any of these; the password is '{DEMO_PASSWORD}':\n")
        self.stdout.write(
            "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
        )
        self.stdout.write(line)
        for row in rows:
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )
