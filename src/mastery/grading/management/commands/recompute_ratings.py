"""`mastery recompute_ratings SCHOOL [--now]`: recompute a school's ratings from its evidence."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mastery.grading import api as grading
from mastery.schools.models import School


class Command(BaseCommand):
    help = "Recompute every rating at a school from its evidence and the policy in force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("school", help="the school's key, e.g. riverside")
        parser.add_argument(
            "--now",
            action="store_true",
            help="run here and wait, instead of queueing a background task for `mastery worker`",
        )

    def handle(self, *args: Any, school: str, now: bool, **options: Any) -> None:
        try:
            found = School.objects.get(key=school)
        except School.DoesNotExist:
            known = ", ".join(School.objects.values_list("key", flat=True)) or "none yet"
            raise CommandError(f"No school with the key {school!r} (known: {known})") from None
        if now:
            written = grading.recompute_school(found, on=timezone.localdate())
            self.stdout.write(self.style.SUCCESS(f"{found}: {written} ratings recomputed."))
            return
        run = grading.enqueue_recompute(found, requested_by=None)
        self.stdout.write(
            f"Queued recomputation {run.uuid} for {found}; `mastery worker` carries it out "
            "(its progress is in the administration, under Grading, Recompute runs)."
        )
