"""Which at-bats count, in what order, and why the others do not."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from mastery.engine.evidence import (
    AtBat,
    EntryKind,
    LedgerError,
    NotCounted,
    OrderBy,
    Source,
    count_entries,
    counted_at_bats,
)
from tests.engine.builders import at_bat


def reasons(lines):
    return {line.entry.id: line.reason for line in lines}


def test_teacher_and_external_evidence_counts():
    lines = count_entries(
        [at_bat(3, entry_id="t"), at_bat(2, entry_id="x", source=Source.EXTERNAL)]
    )
    assert [line.counted for line in lines] == [True, True]


def test_self_and_peer_assessments_are_shown_but_not_counted():
    lines = count_entries(
        [
            at_bat(4, entry_id="self", source=Source.SELF),
            at_bat(4, entry_id="peer", source=Source.PEER),
        ]
    )
    assert reasons(lines) == {
        "self": NotCounted.SELF_ASSESSMENT,
        "peer": NotCounted.PEER_ASSESSMENT,
    }
    assert all(line.why for line in lines)


def test_weight_zero_is_practice_and_not_counted():
    lines = count_entries([at_bat(4, weight=Decimal(0))])
    assert lines[0].reason is NotCounted.PRACTICE


def test_a_correction_supersedes_the_entry_it_points_at():
    lines = count_entries(
        [
            at_bat(2, entry_id="r1"),
            at_bat(3, entry_id="c1", kind=EntryKind.CORRECTION, supersedes="r1"),
        ]
    )
    assert reasons(lines) == {"r1": NotCounted.SUPERSEDED, "c1": None}
    assert [at_bat.level for at_bat in counted_at_bats(lines)] == [Decimal(3)]


def test_correcting_a_correction_leaves_only_the_last_one_counted():
    lines = count_entries(
        [
            at_bat(2, entry_id="r1"),
            at_bat(3, entry_id="c1", kind=EntryKind.CORRECTION, supersedes="r1"),
            at_bat(4, entry_id="c2", kind=EntryKind.CORRECTION, supersedes="c1"),
        ]
    )
    assert reasons(lines) == {"r1": NotCounted.SUPERSEDED, "c1": NotCounted.SUPERSEDED, "c2": None}


def test_a_void_retracts_the_entry_it_points_at():
    lines = count_entries(
        [
            at_bat(2, entry_id="r1"),
            at_bat(None, entry_id="v1", kind=EntryKind.VOID, supersedes="r1"),
        ]
    )
    assert reasons(lines) == {"r1": NotCounted.VOIDED, "v1": NotCounted.RETRACTION}
    assert counted_at_bats(lines) == ()


def test_voiding_a_correction_retracts_the_whole_at_bat():
    lines = count_entries(
        [
            at_bat(2, entry_id="r1"),
            at_bat(3, entry_id="c1", kind=EntryKind.CORRECTION, supersedes="r1"),
            at_bat(None, entry_id="v1", kind=EntryKind.VOID, supersedes="c1"),
        ]
    )
    assert reasons(lines) == {
        "r1": NotCounted.VOIDED,
        "c1": NotCounted.VOIDED,
        "v1": NotCounted.RETRACTION,
    }


def test_a_retraction_is_listed_just_after_the_entry_it_retracts():
    lines = count_entries(
        [
            at_bat(2, entry_id="r1", day=0),
            at_bat(3, entry_id="r2", day=5),
            at_bat(None, entry_id="v1", day=9, kind=EntryKind.VOID, supersedes="r1"),
        ]
    )
    assert [line.entry.id for line in lines] == ["r1", "v1", "r2"]


def test_a_correction_keeps_the_place_of_the_at_bat_it_corrects_on_the_same_day():
    entries = [
        at_bat(2, entry_id="first", recorded_hour=9),
        at_bat(3, entry_id="second", recorded_hour=10),
        at_bat(4, entry_id="fix", recorded_hour=23, kind=EntryKind.CORRECTION, supersedes="first"),
    ]
    counted = counted_at_bats(count_entries(entries))
    assert [entry.id for entry in counted] == ["fix", "second"]


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ([at_bat(3, kind=EntryKind.CORRECTION, supersedes="ghost")], "not in the ledger"),
        (
            [
                at_bat(2, entry_id="r1"),
                at_bat(3, entry_id="c1", kind=EntryKind.CORRECTION, supersedes="r1"),
                at_bat(4, entry_id="c2", kind=EntryKind.CORRECTION, supersedes="r1"),
            ],
            "superseded twice",
        ),
        (
            [
                at_bat(2, entry_id="r1"),
                at_bat(None, entry_id="v1", kind=EntryKind.VOID, supersedes="r1"),
                at_bat(None, entry_id="v2", kind=EntryKind.VOID, supersedes="v1"),
            ],
            "supersedes a void",
        ),
        (
            [
                at_bat(2, entry_id="c1", kind=EntryKind.CORRECTION, supersedes="c2"),
                at_bat(3, entry_id="c2", kind=EntryKind.CORRECTION, supersedes="c1"),
            ],
            "cycle",
        ),
        ([at_bat(2, entry_id="r1"), at_bat(3, entry_id="r1")], "appears twice"),
    ],
)
def test_entries_that_do_not_form_a_ledger_are_refused(entries, problem):
    with pytest.raises(LedgerError, match=problem):
        count_entries(entries)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"level": None}, "needs a level"),
        ({"kind": EntryKind.VOID}, "carries no level"),
        ({"supersedes": "r0"}, "cannot supersede"),
        ({"kind": EntryKind.CORRECTION}, "must name the entry"),
        ({"weight": Decimal(-1)}, "weight must be 0 or more"),
    ],
)
def test_an_at_bat_that_cannot_exist_is_refused(fields, problem):
    with pytest.raises(LedgerError, match=problem):
        AtBat(**{"id": "a", "level": Decimal(3), "assessed_on": date(2026, 9, 1), **fields})


def test_same_day_at_bats_are_ordered_by_recorded_at_then_input_order():
    entries = [
        at_bat(2, entry_id="late", recorded_hour=15, sequence=0),
        at_bat(3, entry_id="early-b", recorded_hour=9, sequence=2),
        at_bat(4, entry_id="early-a", recorded_hour=9, sequence=1),
        at_bat(1, entry_id="yesterday", day=-1, recorded_hour=20, sequence=3),
    ]
    ordered = [line.entry.id for line in count_entries(entries)]
    assert ordered == ["yesterday", "early-a", "early-b", "late"]


def test_order_by_due_on_orders_by_due_date_then_assessed_date_when_there_is_none():
    entries = [
        at_bat(3, entry_id="handed-in-late", day=10, due_on=date(2026, 9, 2)),
        at_bat(2, entry_id="on-time", day=5),
    ]
    by_assessed = [line.entry.id for line in count_entries(entries, OrderBy.ASSESSED_ON)]
    by_due = [line.entry.id for line in count_entries(entries, OrderBy.DUE_ON)]
    assert by_assessed == ["on-time", "handed-in-late"]
    assert by_due == ["handed-in-late", "on-time"]


def test_order_by_recorded_at_orders_by_when_it_was_entered():
    entries = [
        AtBat(
            id="entered-late",
            level=Decimal(3),
            assessed_on=date(2026, 9, 1),
            recorded_at=datetime(2026, 9, 20, 8),
        ),
        AtBat(
            id="entered-first",
            level=Decimal(2),
            assessed_on=date(2026, 9, 4),
            recorded_at=datetime(2026, 9, 5, 8),
        ),
    ]
    by_assessed = [line.entry.id for line in count_entries(entries, OrderBy.ASSESSED_ON)]
    by_recorded = [line.entry.id for line in count_entries(entries, OrderBy.RECORDED_AT)]
    assert by_assessed == ["entered-late", "entered-first"]
    assert by_recorded == ["entered-first", "entered-late"]


def test_supported_work_at_mastery_does_not_count_when_independence_is_required():
    entries = [
        at_bat(3, entry_id="supported-3", independent=False),
        at_bat(2, entry_id="supported-2", day=1, independent=False),
        at_bat(3, entry_id="alone-3", day=2),
    ]
    lines = count_entries(entries, independent_required_from=Decimal(3))
    assert reasons(lines) == {
        "supported-3": NotCounted.SUPPORTED,
        "supported-2": None,
        "alone-3": None,
    }


def test_supported_work_counts_when_independence_is_not_required():
    lines = count_entries([at_bat(3, independent=False)])
    assert lines[0].counted


def test_work_assessed_after_as_of_is_shown_but_not_counted():
    lines = count_entries([at_bat(3, day=0), at_bat(4, day=9)], as_of=date(2026, 9, 5))
    assert [line.reason for line in lines] == [None, NotCounted.AFTER_AS_OF]


def test_levels_are_read_exactly_from_text_and_json_numbers():
    entry = AtBat(id="a", level=2.5, assessed_on=date(2026, 9, 1))  # type: ignore[arg-type]
    assert entry.level == Decimal("2.5")
    with pytest.raises(LedgerError, match="must be a number"):
        AtBat(id="b", level="three", assessed_on=date(2026, 9, 1))  # type: ignore[arg-type]


def test_entries_tied_on_every_date_and_sequence_are_ordered_by_id():
    entries = [at_bat(3, entry_id="b"), at_bat(2, entry_id="a")]
    assert [line.entry.id for line in count_entries(entries)] == ["a", "b"]
    assert [line.entry.id for line in count_entries(entries[::-1])] == ["a", "b"]


def test_recorded_times_with_and_without_a_time_zone_are_refused():
    entries = [
        AtBat(
            id="a",
            level=Decimal(2),
            assessed_on=date(2026, 9, 1),
            recorded_at=datetime(2026, 9, 1, 9),
        ),
        AtBat(
            id="b",
            level=Decimal(3),
            assessed_on=date(2026, 9, 1),
            recorded_at=datetime(2026, 9, 1, 9, tzinfo=UTC),
        ),
    ]
    with pytest.raises(LedgerError, match="time zone"):
        count_entries(entries)


def test_an_unknown_source_is_refused_naming_the_choices():
    with pytest.raises(LedgerError, match=r"source must be one of teacher, self, peer, external"):
        AtBat(id="a", level=Decimal(3), assessed_on=date(2026, 9, 1), source="boss")  # type: ignore[arg-type]
