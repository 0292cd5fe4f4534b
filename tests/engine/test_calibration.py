"""Calibration: self-assessments beside the teacher's scores of the same work."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mastery.engine.calibration import Pair, calibrate, pair_judgements
from mastery.engine.evidence import EntryKind, Source, count_entries
from tests.engine.builders import FIRST_DAY, at_bat


def _pairs(*entries):
    return pair_judgements("AW.1", count_entries(entries))


def test_the_docstring_example_a_level_above_on_average_two_of_three_within_one():
    pairs = [
        *_pairs(at_bat(3, day=1, entry_id="s1", context="Lab", source=Source.SELF)),
        *_pairs(at_bat(2, day=2, entry_id="t1", context="Lab")),
    ]
    assert pairs == []  # one ledger holds both judgements: see the next lines
    ledger = [
        at_bat(3, day=1, entry_id="s1", context="Lab", source=Source.SELF),
        at_bat(2, day=2, entry_id="t1", context="Lab"),
        at_bat(2, day=3, entry_id="s2", context="Essay", source=Source.SELF),
        at_bat(2, day=4, entry_id="t2", context="Essay"),
        at_bat(4, day=5, entry_id="s3", context="Project", source=Source.SELF),
        at_bat(2, day=6, entry_id="t3", context="Project"),
    ]
    calibration = calibrate(_pairs(*ledger))
    assert [pair.difference for pair in calibration.pairs] == [1, 0, 2]
    assert calibration.mean_difference == Decimal("1.00")
    assert calibration.within_one == Decimal("0.67")
    assert calibration.within_one_count == 2


def test_a_self_assessment_without_a_teacher_score_of_the_same_work_does_not_pair():
    ledger = [
        at_bat(3, day=1, entry_id="s1", context="Lab", source=Source.SELF),
        at_bat(2, day=2, entry_id="t1", context="Essay"),
    ]
    assert _pairs(*ledger) == []
    assert calibrate([]).mean_difference is None


def test_a_corrected_teacher_score_pairs_through_its_correction_and_a_voided_one_not_at_all():
    ledger = [
        at_bat(3, day=1, entry_id="s1", context="Lab", source=Source.SELF),
        at_bat(1, day=2, entry_id="t1", context="Lab"),
        at_bat(3, day=2, entry_id="c1", context="Lab", kind=EntryKind.CORRECTION, supersedes="t1"),
        at_bat(4, day=3, entry_id="s2", context="Essay", source=Source.SELF),
        at_bat(2, day=4, entry_id="t2", context="Essay"),
        at_bat(None, day=4, entry_id="v2", context="Essay", kind=EntryKind.VOID, supersedes="t2"),
    ]
    pairs = _pairs(*ledger)
    assert [(pair.context, pair.teacher_level) for pair in pairs] == [("Lab", 3)]


def test_a_reassessment_pairs_the_latest_self_assessment_with_the_latest_teacher_score():
    ledger = [
        at_bat(2, day=1, entry_id="s1", context="Lab", source=Source.SELF),
        at_bat(1, day=2, entry_id="t1", context="Lab"),
        at_bat(3, day=8, entry_id="s2", context="Lab", source=Source.SELF),
        at_bat(3, day=9, entry_id="t2", context="Lab"),
    ]
    (pair,) = _pairs(*ledger)
    assert (pair.self_level, pair.teacher_level, pair.on) == (3, 3, at_bat(3, day=9).assessed_on)


def test_months_are_calibrated_separately_so_growth_in_judgement_shows():
    ledger = [
        at_bat(4, day=0, entry_id="s1", context="A", source=Source.SELF),
        at_bat(1, day=1, entry_id="t1", context="A"),
        at_bat(3, day=40, entry_id="s2", context="B", source=Source.SELF),
        at_bat(3, day=41, entry_id="t2", context="B"),
    ]
    months = calibrate(_pairs(*ledger)).months
    assert [
        (period.month.month, period.mean_difference, period.within_one) for period in months
    ] == [
        (FIRST_DAY.month, Decimal("3.00"), Decimal("0.00")),
        (10, Decimal("0.00"), Decimal("1.00")),
    ]


@given(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 4)), max_size=12))
def test_the_mean_difference_and_the_share_stay_within_their_bounds(judgements):
    pairs = [
        Pair("AW.1", f"context {index}", FIRST_DAY, Decimal(own), Decimal(teacher))
        for index, (own, teacher) in enumerate(judgements)
    ]
    calibration = calibrate(pairs)
    if not pairs:
        assert calibration.within_one is None
        return
    assert Decimal(-3) <= calibration.mean_difference <= Decimal(3)
    assert Decimal(0) <= calibration.within_one <= Decimal(1)
    assert calibration.count == len(pairs)
