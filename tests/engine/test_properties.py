"""Properties every policy must keep, checked on random evidence (hypothesis)."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mastery.engine.evidence import AtBat, EntryKind, Source
from mastery.engine.methods import METHODS
from mastery.engine.policy import Policy
from mastery.engine.rating import NextStepKind, rate
from tests.engine.builders import policy

LEVELS = [Decimal(value) for value in ("1", "1.5", "2", "2.5", "3", "3.5", "4")]
CONTEXTS = [None, "Lab Report", "Essay", "Debate"]


@st.composite
def ledgers(draw: st.DrawFn, max_size: int = 9) -> list[AtBat]:
    """At-bats on a few days (so ties happen), some recorded at the same instant."""
    count = draw(st.integers(min_value=0, max_value=max_size))
    entries = []
    for index in range(count):
        hour = draw(st.none() | st.integers(min_value=8, max_value=10))
        day = date(2026, 9, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=4)))
        entries.append(
            AtBat(
                id=f"e{index}",
                level=draw(st.sampled_from(LEVELS)),
                assessed_on=day,
                recorded_at=None if hour is None else datetime(2026, 9, 10, hour),
                context=draw(st.sampled_from(CONTEXTS)),
                source=draw(st.sampled_from([Source.TEACHER] * 4 + [Source.SELF])),
                weight=draw(st.sampled_from([Decimal(1)] * 4 + [Decimal(0)])),
                sequence=index,
            )
        )
    return entries


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    name = draw(st.sampled_from(sorted(METHODS)))
    method: dict[str, object] = {"name": name}
    if name == "consistent":
        at_bats = draw(st.integers(min_value=1, max_value=4))
        window = draw(st.integers(min_value=at_bats, max_value=6))
        contexts = draw(st.integers(min_value=1, max_value=min(window, 3)))
        method |= {"at_bats": at_bats, "window": window, "contexts": contexts}
    elif name in {"average_recent", "n_mastery", "mode_recent"}:
        method["count"] = draw(st.integers(min_value=1, max_value=5))
    elif name in {"weighted_latest", "decaying_average"}:
        key = "weight" if name == "weighted_latest" else "rate"
        method[key] = draw(st.sampled_from(["0.2", "0.5", "0.65", "0.9"]))
    return policy(method)


@given(ledgers(), st.sampled_from(LEVELS), st.integers(min_value=0, max_value=6))
def test_highest_never_drops_when_an_at_bat_is_added(entries, level, day):
    highest = policy({"name": "highest"})
    before = rate(highest, entries, with_next_step=False).rating
    added = AtBat(
        id="added", level=level, assessed_on=date(2026, 9, 1) + timedelta(days=day), sequence=99
    )
    after = rate(highest, [*entries, added], with_next_step=False).rating
    assert after is not None
    assert before is None or after >= before


@given(ledgers(), policies())
def test_consistent_never_reports_mastery_without_n_at_bats_from_c_contexts(entries, chosen):
    if chosen.method.name != "consistent":
        return
    rating = rate(chosen, entries, with_next_step=False)
    if not rating.mastered:
        return
    params = chosen.method.params
    window = [line.entry for line in rating.entries if line.counted][-params.whole("window") :]
    qualifying = [
        entry for entry in window if entry.level is not None and entry.level >= Decimal(3)
    ]
    assert len(qualifying) >= params.whole("at_bats")
    assert len({entry.context for entry in qualifying}) >= params.whole("contexts")


@given(ledgers(), policies(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_rows_arrive_in(entries, chosen, random):
    shuffled = list(entries)
    random.shuffle(shuffled)
    first = rate(chosen, entries, with_next_step=False)
    second = rate(chosen, shuffled, with_next_step=False)
    assert (first.rating, first.mastered, first.status) == (
        second.rating,
        second.mastered,
        second.status,
    )
    assert first.entries == second.entries


@settings(max_examples=150, deadline=None)
@given(ledgers(max_size=7), policies())
def test_the_next_step_is_exactly_enough_for_mastery(entries, chosen):
    rating = rate(chosen, entries)
    step = rating.next_step
    assert step is not None
    if rating.mastered:
        assert step.kind is NextStepKind.ALREADY_MASTERED
        return
    if step.kind is NextStepKind.OUT_OF_REACH:
        return
    assert len(step.hypothetical) == step.at_bats
    assert rate(chosen, [*entries, *step.hypothetical], with_next_step=False).mastered
    one_fewer = [*entries, *step.hypothetical[:-1]]
    assert not rate(chosen, one_fewer, with_next_step=False).mastered


@settings(max_examples=60, deadline=None)
@given(ledgers(max_size=7))
def test_the_next_step_under_consistent_is_never_out_of_reach(entries):
    step = rate(policy({"name": "consistent"}), entries).next_step
    assert step is not None
    assert step.kind is not NextStepKind.OUT_OF_REACH


@given(ledgers(), policies(), st.data())
def test_corrections_and_voids_rate_like_a_ledger_edited_in_place(entries, chosen, data):
    """Appending corrections and retractions gives the rating of the ledger as if it had been
    edited in place: corrected levels where the originals were, retracted at-bats gone."""
    ledger = list(entries)
    edited = {entry.id: entry for entry in entries}
    for index, entry in enumerate(entries):
        action = data.draw(st.sampled_from(["keep", "keep", "correct", "correct twice", "void"]))
        if action == "keep":
            continue
        if action == "void":
            ledger.append(_void(entry, f"v{index}"))
            del edited[entry.id]
            continue
        latest = entry
        for round_ in range(1 if action == "correct" else 2):
            latest = _correction(latest, f"c{index}-{round_}", data.draw(st.sampled_from(LEVELS)))
            ledger.append(latest)
        edited[entry.id] = replace(entry, level=latest.level)
        if data.draw(st.booleans()):
            ledger.append(_void(latest, f"cv{index}"))
            del edited[entry.id]
    with_history = rate(chosen, ledger, with_next_step=False)
    in_place = rate(chosen, list(edited.values()), with_next_step=False)
    assert (with_history.rating, with_history.mastered) == (in_place.rating, in_place.mastered)
    assert with_history.counted == in_place.counted


def _correction(entry: AtBat, entry_id: str, level: Decimal) -> AtBat:
    return replace(
        entry,
        id=entry_id,
        level=level,
        kind=EntryKind.CORRECTION,
        supersedes=entry.id,
        recorded_at=datetime(2026, 12, 1),
        sequence=1000,
    )


def _void(entry: AtBat, entry_id: str) -> AtBat:
    return replace(
        entry, id=entry_id, level=None, kind=EntryKind.VOID, supersedes=entry.id, sequence=1000
    )


@settings(max_examples=60, deadline=None)
@given(ledgers(max_size=7), policies())
def test_every_explanation_reads_as_plain_words(entries, chosen):
    rating = rate(chosen, entries)
    text = rating.explanation.text
    for leak in ("Decimal", "Fraction", "None", "{", "_"):
        assert leak not in text
    assert rating.explanation.method in text
    assert len(rating.explanation.entries) == len(entries)
