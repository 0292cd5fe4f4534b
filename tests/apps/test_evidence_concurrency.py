"""Two saves of the same cell at the same moment (two co-teachers, or a double submit) both
succeed: the second waits for the first and corrects its entry, instead of both superseding
the same entry (which the ledger refuses). Only PostgreSQL runs writers side by side."""

import datetime
import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from mastery.evidence import api as evidence
from mastery.evidence.models import EntryKind, Evidence
from tests.world import World

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite runs one writer at a time"
    ),
]
DAY = datetime.date(2026, 10, 1)


@pytest.fixture
def slow_corrections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each correction takes a while to build: long enough for another save to arrive."""
    build = evidence._correction_of

    def slowly(*args: object, **kwargs: object) -> Evidence:
        time.sleep(0.5)
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(evidence, "_correction_of", slowly)


def _at_once(*calls: Callable[[], object]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> None:
        start.wait()
        try:
            call()
        except BaseException as error:  # the test reports it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_two_saves_of_the_same_cell_at_once_both_land_in_the_history(
    world: World, slow_corrections: None
) -> None:
    def save(level: int, teacher=world.dana) -> Callable[[], object]:
        return lambda: evidence.record_score(
            world.maya,
            world.claims,
            level=level,
            assessed_on=DAY,
            recorded_by=teacher,
            learning_experience=world.lab_report,
            section=world.algebra_section,
        )

    save(2)()

    errors = _at_once(save(3), save(4, world.cole))

    assert errors == []
    entries = list(Evidence.objects.order_by("id"))
    assert [entry.kind for entry in entries] == [
        EntryKind.RECORD,
        EntryKind.CORRECTION,
        EntryKind.CORRECTION,
    ]
    assert [entry.supersedes_id for entry in entries] == [None, entries[0].pk, entries[1].pk]
    assert {entries[1].level, entries[2].level} == {Decimal(3), Decimal(4)}


def test_two_corrections_of_one_entry_at_once_refuse_the_second_with_a_message(
    world: World, slow_corrections: None
) -> None:
    entry = evidence.record_evidence(
        world.maya,
        world.claims,
        level=2,
        assessed_on=DAY,
        recorded_by=world.dana,
        learning_experience=world.lab_report,
        section=world.algebra_section,
    )

    errors = _at_once(
        lambda: evidence.correct_evidence(
            entry, level=3, reason="Rescored", recorded_by=world.dana
        ),
        lambda: evidence.void_evidence(entry, reason="Absent", recorded_by=world.cole),
    )

    assert [type(error).__name__ for error in errors] == ["ValidationError"]
    assert "already corrected or voided" in str(errors[0])
    assert Evidence.objects.count() == 2
