"""rate(): status, level, mastery, the explanation a student reads, and the next step."""

from datetime import date
from decimal import Decimal

import pytest

from mastery.engine.evidence import EntryKind, LedgerError, Source
from mastery.engine.policy import DEFAULT_POLICY
from mastery.engine.rating import NEXT_STEP_LIMIT, NextStepKind, Status, rate
from tests.engine.builders import at_bat, at_bats, policy


def test_a_student_with_no_evidence_has_insufficient_evidence_not_zero():
    rating = rate(DEFAULT_POLICY, [])
    assert rating.status is Status.INSUFFICIENT_EVIDENCE
    assert rating.rating is None
    assert rating.level is None
    assert not rating.mastered
    assert rating.counted == 0
    assert "not a zero" in rating.explanation.result


def test_meeting_in_one_context_is_developing_under_the_default_policy():
    rating = rate(DEFAULT_POLICY, at_bats(3, 3, 3))
    assert rating.status is Status.RATED
    assert rating.rating == Decimal("2.00")
    assert rating.level is not None
    assert rating.level.label == "Developing"
    assert not rating.mastered
    assert rating.counted == 3


def test_meeting_across_two_contexts_is_mastered():
    rating = rate(DEFAULT_POLICY, at_bats(3, 3, 3, contexts=("Lab Report", "Essay")))
    assert rating.rating == Decimal("3.00")
    assert rating.mastered
    assert rating.next_step is not None
    assert rating.next_step.kind is NextStepKind.ALREADY_MASTERED


def test_a_level_off_the_scale_is_refused_with_a_clear_error():
    with pytest.raises(LedgerError, match=r"at-bat 'day1': level 5 is off the scale \(1 to 4\)"):
        rate(DEFAULT_POLICY, [at_bat(3, day=0), at_bat(5, day=1)])


def test_a_self_assessment_off_the_scale_is_refused_too():
    with pytest.raises(LedgerError, match="off the scale"):
        rate(DEFAULT_POLICY, [at_bat(0, source=Source.SELF)])


def test_self_assessments_are_shown_beside_the_rating_and_not_counted():
    entries = [*at_bats(2, 2, 2), at_bat(4, entry_id="mine", day=3, source=Source.SELF)]
    rating = rate(DEFAULT_POLICY, entries)
    assert rating.rating == Decimal("2.00")
    assert [entry.id for entry in rating.self_assessments] == ["mine"]
    assert rating.counted == 3


def test_a_corrected_self_assessment_shows_only_its_correction_beside_the_rating():
    entries = [
        at_bat(4, entry_id="mine", source=Source.SELF),
        at_bat(
            3, entry_id="mine-2", source=Source.SELF, kind=EntryKind.CORRECTION, supersedes="mine"
        ),
    ]
    assert [entry.id for entry in rate(DEFAULT_POLICY, entries).self_assessments] == ["mine-2"]


def test_same_day_at_bats_take_the_one_recorded_last_as_the_latest():
    entries = [
        at_bat(4, entry_id="recorded-later", recorded_hour=14, sequence=0),
        at_bat(2, entry_id="recorded-first", recorded_hour=9, sequence=1),
    ]
    assert rate(policy({"name": "latest"}), entries).rating == Decimal("4.00")


def test_same_day_at_bats_recorded_together_fall_back_to_input_order():
    entries = [
        at_bat(2, entry_id="second", recorded_hour=9, sequence=2),
        at_bat(4, entry_id="first", recorded_hour=9, sequence=1),
    ]
    assert rate(policy({"name": "latest"}), entries).rating == Decimal("2.00")


def test_a_policy_ordering_by_due_date_takes_the_work_due_last_as_the_latest():
    # The essay due 10 Sep was handed in on the 12th; the quiz was due and done on the 11th.
    entries = [
        at_bat(2, entry_id="late-essay", day=11, due_on=date(2026, 9, 10)),
        at_bat(4, entry_id="quiz", day=10, due_on=date(2026, 9, 11)),
    ]
    by_due = rate(policy({"name": "latest"}, order_by="due_on"), entries)
    assert by_due.rating == Decimal("4.00")
    assert rate(policy({"name": "latest"}), entries).rating == Decimal("2.00")
    # The explanation lists them as they were ordered, and says so.
    assert "Your at-bats, in the order they were due" in by_due.explanation.text
    assert by_due.explanation.order_by == "due_on"  # the same as data, for other languages
    assert by_due.explanation.entries == (
        "12 Sep 2026 (due 10 Sep 2026), Lab Report: Developing (2) - counted.",
        "11 Sep 2026 (due 11 Sep 2026), Lab Report: Exceeding (4) - counted.",
    )


def test_work_without_a_due_date_takes_the_date_it_was_done_under_order_by_due_on():
    # Done 10 Sep but due 3 Sep; the other has no due date and was done 6 Sep: 6 Sep comes after
    # 3 Sep, so it is the latest.
    entries = [
        at_bat(4, entry_id="due-3-sep", day=9, due_on=date(2026, 9, 3)),
        at_bat(2, entry_id="no-due-date", day=5),
    ]
    by_due = rate(policy({"name": "latest"}, order_by="due_on"), entries)
    assert [line.entry.id for line in by_due.entries] == ["due-3-sep", "no-due-date"]
    assert by_due.rating == Decimal("2.00")
    assert rate(policy({"name": "latest"}), entries).rating == Decimal("4.00")


def test_a_target_with_its_own_method_is_rated_with_it():
    exceptions = {"targets": {"ELA.W.2": {"name": "highest"}}}
    chosen = policy({"name": "latest"}, **exceptions)
    assert rate(chosen, at_bats(4, 2), target="ELA.W.2").rating == Decimal("4.00")
    assert rate(chosen, at_bats(4, 2), target="ELA.W.1").rating == Decimal("2.00")


def test_supported_work_cannot_show_mastery_when_independence_is_required():
    strict = policy({"name": "latest"}, require_independent_for_mastery=True)
    entries = [at_bat(2, day=0), at_bat(3, day=1, independent=False)]
    rating = rate(strict, entries)
    assert rating.rating == Decimal("2.00")
    assert not rating.mastered
    assert rate(policy({"name": "latest"}), entries).mastered


def test_as_of_rates_only_the_work_done_by_that_date():
    rating = rate(policy({"name": "latest"}), at_bats(2, 3, 4), as_of=date(2026, 9, 2))
    assert rating.rating == Decimal("3.00")
    assert rating.counted == 2


def test_the_explanation_tells_the_method_the_at_bats_the_arithmetic_and_the_result():
    entries = [*at_bats(2, 3, 3), at_bat(4, entry_id="self", day=3, source=Source.SELF)]
    text = rate(policy({"name": "average"}), entries).explanation.text
    assert "Your rating is the average of all your counted at-bats." in text
    assert "1 Sep 2026, Lab Report: Developing (2) - counted." in text
    assert "not counted, a self-assessment" in text
    assert "(2 + 3 + 3) / 3 = about 2.67." in text
    assert "Result: 2.67, which is Developing. Not yet at Meeting." in text
    assert "Next step:" in text


def test_next_step_asks_for_a_new_context_when_consistent_needs_one():
    rating = rate(DEFAULT_POLICY, at_bats(3, 3, 3))
    assert rating.next_step is not None
    assert rating.next_step.sentence == "1 more at-bat at Meeting, outside the Lab Report context."
    assert rating.next_step.at_bats == 1
    assert rating.next_step.new_contexts == 1


def test_next_step_counts_the_at_bats_and_the_contexts_still_needed():
    rating = rate(DEFAULT_POLICY, at_bats(2, 2, 3))
    assert rating.next_step is not None
    assert rating.next_step.sentence == (
        "2 more at-bats at Meeting, one of them outside the Lab Report context."
    )


def test_next_step_without_evidence_asks_for_at_bats_from_two_contexts():
    rating = rate(DEFAULT_POLICY, [])
    assert rating.next_step is not None
    assert rating.next_step.sentence == (
        "3 more at-bats at Meeting, from at least two different contexts."
    )


def test_next_step_for_n_mastery_counts_the_missing_at_bats():
    rating = rate(policy({"name": "n_mastery", "count": 3}), at_bats(3, 2))
    assert rating.next_step is not None
    assert rating.next_step.sentence == "2 more at-bats at Meeting."


def test_next_step_says_when_more_evidence_at_mastery_cannot_reach_it():
    # (1 + 1 + 1 + 3k) / (3 + k) rounds to 3.00 only from k = 1197.
    rating = rate(policy({"name": "average"}), at_bats(1, 1, 1))
    assert rating.next_step is not None
    assert rating.next_step.kind is NextStepKind.OUT_OF_REACH
    assert f"Even {NEXT_STEP_LIMIT} more at-bats at Meeting" in rating.next_step.sentence


def test_next_step_is_dated_after_the_latest_evidence():
    rating = rate(DEFAULT_POLICY, at_bats(3, 3, 3))
    assert rating.next_step is not None
    assert all(entry.assessed_on > date(2026, 9, 3) for entry in rating.next_step.hypothetical)


def test_next_step_can_be_skipped_for_bulk_work():
    assert rate(DEFAULT_POLICY, at_bats(3), with_next_step=False).next_step is None


def test_a_retracted_self_assessment_is_no_longer_shown_beside_the_rating():
    entries = [
        at_bat(4, entry_id="mine", source=Source.SELF),
        at_bat(None, entry_id="oops", kind=EntryKind.VOID, supersedes="mine", source=Source.SELF),
    ]
    assert rate(DEFAULT_POLICY, entries).self_assessments == ()
