"""Recording many at-bats at once: every row checked as record_evidence would, then all or none.

(The demo school is the batch path's first user; these tests belong beside the ledger's own in
tests/apps once that folder is open to this change.)
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mastery.evidence import api as evidence
from mastery.evidence.api import EvidenceRow
from mastery.evidence.models import Evidence
from tests.world import World

pytestmark = pytest.mark.django_db
DONE_ON = datetime.date(2026, 10, 1)
RECORDED_AT = datetime.datetime(2026, 10, 2, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[None]:
    with time_machine.travel(
        datetime.datetime(2026, 10, 15, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


def _row(world: World, **changes: object) -> EvidenceRow:
    values: dict[str, object] = {
        "student": world.maya,
        "target": world.claims,
        "level": 3,
        "assessed_on": DONE_ON,
        "recorded_at": RECORDED_AT,
        "learning_experience": world.lab_report,
        "section": world.algebra_section,
    }
    return EvidenceRow(**{**values, **changes})  # type: ignore[arg-type]


def test_a_whole_lab_is_recorded_in_one_batch(world: World) -> None:
    rows = [
        _row(world, student=world.maya, target=world.claims, level=3),
        _row(world, student=world.maya, target=world.evidence_use, level="2.5"),
        _row(world, student=world.sam, target=world.claims, level=2, independent=False),
        _row(world, student=world.sam, target=world.evidence_use, level=4, recorded_by=world.cole),
    ]

    entries = evidence.record_evidence_batch(rows, recorded_by=world.dana)

    assert [entry.level for entry in entries] == [3, Decimal("2.5"), 2, 4]
    assert [entry.recorded_by for entry in entries] == [world.dana] * 3 + [world.cole]
    assert all(entry.pk is not None for entry in entries)
    assert Evidence.objects.filter(section=world.algebra_section).count() == 4
    assert Evidence.objects.get(student=world.sam, subskill=world.claims).independent is False


def test_one_bad_row_keeps_the_whole_batch_out_and_is_named_by_number(world: World) -> None:
    rows = [
        _row(world),
        _row(world, level=5),
        _row(world, student=world.leo),
        _row(world, learning_experience=world.essay, target=world.evidence_use),
        _row(world, assessed_on=datetime.date(2026, 12, 1)),
    ]

    with pytest.raises(ValidationError) as refused:
        evidence.record_evidence_batch(rows, recorded_by=world.dana)

    messages = refused.value.messages
    assert messages[0].startswith("Row 2: 5 is not on the Four levels scale")
    assert messages[1] == "Row 3: Leo Brandt is not enrolled in ALG-1."
    assert messages[2].startswith("Row 4: AW.2 is not one of the subskills")
    assert messages[3].startswith("Row 5: 2026-12-01 is in the future")
    assert not Evidence.objects.exists()


def test_the_checks_cost_the_same_queries_for_two_rows_or_forty(world: World) -> None:
    def queries_for(count: int) -> int:
        rows = [_row(world, level=1 + index % 4) for index in range(count)]
        with CaptureQueriesContext(connection) as captured:
            evidence.record_evidence_batch(rows, recorded_by=world.dana)
        return len(captured)

    assert queries_for(2) == queries_for(40)


def test_an_empty_batch_records_nothing(world: World) -> None:
    assert evidence.record_evidence_batch([], recorded_by=world.dana) == []
