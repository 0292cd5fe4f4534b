"""The batch path on small worked examples (the property test proves it equals `rate()`)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from mastery.engine import batch, batch_methods
from mastery.engine.batch import rate_batch
from mastery.engine.batch_ledger import CountedRows, _order, _order_counted, is_zen_4
from mastery.engine.batch_methods import cents_of_ratio
from mastery.engine.evidence import AtBat, LedgerError
from mastery.engine.methods import METHODS
from mastery.engine.policy import Policy
from mastery.engine.rating import rate
from mastery.engine.scales import DEFAULT_SCALE

FIRST_DAY = date(2026, 9, 1)


def policy(method: dict[str, Any], **fields: Any) -> Policy:
    return Policy.from_dict({"scale": DEFAULT_SCALE.to_dict(), "method": method, **fields})


def evidence(*levels: int | str | None, contexts: tuple[str, ...] = ("Lab",), **columns: Any):
    """One student's at-bats on one target, a day apart, oldest first."""
    count = len(levels)
    return {
        "student_id": ["ana"] * count,
        "target_id": ["W.1"] * count,
        "level": [None if level is None else float(level) for level in levels],
        "assessed_on": [FIRST_DAY + timedelta(days=day) for day in range(count)],
        "context": [contexts[day % len(contexts)] for day in range(count)],
        **columns,
    }


def only_rating(policy: Policy, columns: dict[str, Any]) -> dict[str, Any]:
    rows = rate_batch(policy, columns).to_arrow().to_pylist()
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize(
    ("method", "levels", "rating"),
    [
        ({"name": "latest"}, (2, 3, 4, 3), "3.00"),
        ({"name": "highest"}, (2, 4, 3, 3), "4.00"),
        ({"name": "average"}, (2, 3, 3), "2.67"),
        ({"name": "average_recent", "count": 3}, (1, 2, 3, 4, 3), "3.33"),
        ({"name": "weighted_latest", "weight": "0.65"}, (2, 3, 3, 4), "3.53"),
        ({"name": "decaying_average", "rate": "0.65"}, (2, 3, 3, 4), "3.61"),
        ({"name": "n_mastery", "count": 3}, (2, 3, 4, 3), "3.33"),
        ({"name": "mode_recent", "count": 5}, (2, 3, 3, 4, 4), "4.00"),
        ({"name": "power_law"}, (1, 2, 2, 3), "2.87"),
    ],
)
def test_each_method_gives_the_worked_example_of_its_docstring(
    method: dict[str, Any], levels: tuple[int, ...], rating: str
) -> None:
    assert only_rating(policy(method), evidence(*levels))["rating"] == Decimal(rating)


def test_consistent_needs_the_level_in_two_contexts_for_mastery() -> None:
    levels = (2, 3, 3, 4, 3, 2)
    contexts = ("Lab", "Lab", "Essay", "Lab", "Lab", "Essay")
    across = only_rating(policy({"name": "consistent"}), evidence(*levels, contexts=contexts))
    one_context = only_rating(policy({"name": "consistent"}), evidence(*levels))
    assert (across["rating"], across["level"], across["mastered"]) == (
        Decimal("3.00"),
        "Meeting",
        True,
    )
    assert (one_context["rating"], one_context["level"], one_context["mastered"]) == (
        Decimal("2.00"),
        "Developing",
        False,
    )


def test_too_few_at_bats_at_mastery_is_insufficient_evidence_not_zero() -> None:
    row = only_rating(policy({"name": "n_mastery", "count": 3}), evidence(2, 3, 4))
    assert row == {
        "student_id": "ana",
        "target_id": "W.1",
        "rating": None,
        "level": None,
        "mastered": False,
        "counted": 3,
        "status": "insufficient_evidence",
    }


def test_a_student_with_only_self_assessments_is_listed_with_nothing_counted() -> None:
    row = only_rating(policy({"name": "latest"}), evidence(4, 4, source=["self", "peer"]))
    assert (row["status"], row["counted"]) == ("insufficient_evidence", 0)


def test_an_exact_midpoint_rounds_half_up() -> None:
    # 2 -> 2.5 -> 3.25 -> 3.625 with rate 0.5: exactly between 3.62 and 3.63.
    row = only_rating(policy({"name": "decaying_average", "rate": "0.5"}), evidence(2, 3, 4, 4))
    assert row["rating"] == Decimal("3.63")


def test_a_cut_score_decides_the_level_and_mastery() -> None:
    scale = DEFAULT_SCALE.to_dict()
    scale["levels"][2]["min"] = "2.5"
    cut = Policy.from_dict({"scale": scale, "method": {"name": "average"}})
    row = only_rating(cut, evidence(2, 3, 3))
    assert (row["rating"], row["level"], row["mastered"]) == (Decimal("2.67"), "Meeting", True)


def test_a_correction_counts_instead_of_the_record_and_a_void_retracts() -> None:
    columns = evidence(2, 3, 4, None, id=["r1", "r2", "c1", "v1"])
    columns["kind"] = ["record", "record", "correction", "void"]
    columns["supersedes"] = [None, None, "r1", "r2"]
    columns["assessed_on"][2] = FIRST_DAY  # the correction keeps r1's place
    row = only_rating(policy({"name": "average"}), columns)
    assert (row["rating"], row["counted"]) == (Decimal("4.00"), 1)


def test_a_correction_of_a_missing_entry_is_refused() -> None:
    columns = evidence(2, 3, id=["r1", "c1"], kind=["record", "correction"])
    columns["supersedes"] = [None, "r9"]
    with pytest.raises(LedgerError, match="'r9', which is not among the entries"):
        rate_batch(policy({"name": "latest"}), columns)


def test_a_level_off_the_scale_is_refused_naming_its_row() -> None:
    with pytest.raises(LedgerError, match="row 1: level 7 is off the scale"):
        rate_batch(policy({"name": "latest"}), evidence(3, 7))


def test_evidence_without_a_level_column_is_refused() -> None:
    columns = evidence(3)
    del columns["level"]
    with pytest.raises(ValueError, match="no level column"):
        rate_batch(policy({"name": "latest"}), columns)


def test_as_of_leaves_later_work_uncounted() -> None:
    row = rate_batch(policy({"name": "latest"}), evidence(2, 3, 4), as_of=FIRST_DAY).to_arrow()
    assert row.to_pylist()[0]["rating"] == Decimal("2.00")


def test_ratings_come_sorted_by_student_then_target_whatever_the_id_type() -> None:
    students, targets = [30, 4, 30, 4, 200], [2, 9, 1, 1, 2]
    as_numbers = {
        "student_id": students,
        "target_id": targets,
        "level": [1, 2, 3, 4, 3],
        "assessed_on": [FIRST_DAY] * 5,
    }
    as_text = {**as_numbers, "student_id": [f"s{student:03}" for student in students]}
    by_numbers = rate_batch(policy({"name": "latest"}), pl.DataFrame(as_numbers)).to_arrow()
    by_text = rate_batch(policy({"name": "latest"}), as_text).to_arrow()
    assert list(
        zip(by_numbers["student_id"].to_pylist(), by_numbers["target_id"].to_pylist(), strict=True)
    ) == [
        (4, 1),
        (4, 9),
        (30, 1),
        (30, 2),
        (200, 2),
    ]
    assert by_numbers["rating"] == by_text["rating"]


def test_the_two_key_sort_stands_in_when_the_keys_do_not_pack_into_64_bits() -> None:
    rng = np.random.default_rng(7)
    group = rng.integers(0, 5, 200)
    primary = rng.integers(0, 3, 200) * 2**40
    order, sorted_groups, _ = _order(group, primary, [], groups=2**58)
    assert np.array_equal(order, np.lexsort((np.arange(200), primary, group)))
    assert np.array_equal(sorted_groups, group[order])


@pytest.mark.parametrize("groups", [2**50, 2**58])
def test_values_carried_through_the_sort_stay_with_their_rows(groups: int) -> None:
    # 2**50 groups leave no room to pack 10 more bits; 2**58 not even the positions.
    rng = np.random.default_rng(11)
    group = rng.integers(0, 5, 200)
    primary = rng.integers(0, 3, 200)
    carried = rng.integers(0, 1000, 200)
    order, _, (brought,) = _order(group, primary, [], groups, [(carried, 1000)])
    assert np.array_equal(brought, carried[order])
    assert np.array_equal(order, np.lexsort((np.arange(200), primary, group)))


@pytest.mark.parametrize("walk_block", [1, 2, 16_384])
def test_cents_round_half_away_from_zero_in_any_block_of_pairs(
    walk_block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_methods, "WALK_BLOCK", walk_block)
    numerator = np.array([8, -5, 2675, -2675, 0, -1])
    denominator = np.array([3, 2, 1000, 1000, 7, 3])
    assert cents_of_ratio(numerator, denominator).tolist() == [267, -250, 268, -268, 0, -33]


def test_cents_stay_exact_beyond_64_bit_arithmetic() -> None:
    numerator = np.array([2**61 + 5, -(2**61) - 5], dtype=np.int64)
    denominator = np.array([1000, 1000], dtype=np.int64)
    expected = [
        int(Fraction(int(value), 1000) * 100 + Fraction(1, 2))
        if value > 0
        else -int(Fraction(-int(value), 1000) * 100 + Fraction(1, 2))
        for value in numerator
    ]
    assert cents_of_ratio(numerator, denominator).tolist() == expected


@pytest.mark.parametrize("last", [None, 2])
@pytest.mark.parametrize("walk_block", [1, 2, 16_384])
def test_run_sums_are_exact_past_64_bits_and_in_any_block_of_pairs(
    last: int | None, walk_block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_methods, "WALK_BLOCK", walk_block)
    runs = CountedRows.of_counts(np.array([3, 0, 1, 2]), [])
    small = np.array([1, 2, 3, 4, 5, 6])
    huge = small * (1 << 59)  # their sums pass 64 bits
    for values in (small, huge):
        sums = batch_methods._run_sums(values, runs, last=last)
        runs_of = [values[0:3], values[3:3], values[3:4], values[4:6]]
        kept = [run if last is None else run[-last:] for run in runs_of]
        expected = [sum(int(value) for value in run) for run in kept]
        assert [int(total) for total in sums] == expected


@pytest.mark.parametrize(
    "tie_breakers", [[], [lambda rows: -rows]], ids=["input order", "reversed"]
)
def test_carried_values_that_do_not_fit_in_the_sort_key_are_read_by_row_number(
    tie_breakers: list[Any],
) -> None:
    # 6 bits of groups + 45 of days + 10 of row numbers leave room for the levels (2 bits), not
    # for the contexts too (3 more): those are read back by row number after the sort.
    rng = np.random.default_rng(7)
    count, groups = 1000, 50
    group = rng.integers(0, groups, count)
    primary = rng.choice(np.array([0, 1 << 40, (1 << 45) - 1]), count)  # many same-day ties
    counted = rng.random(count) < 0.9
    levels, contexts = rng.integers(0, 4, count), rng.integers(0, 6, count).astype(np.int8)
    ordered = _order_counted(
        group, primary, counted, tie_breakers, groups, [(levels, 4), (contexts, 6)]
    )
    assert ordered is not None
    counts, (sorted_levels, sorted_contexts), _ = ordered

    rows = np.flatnonzero(counted)
    last_key = [-rows] if tie_breakers else []
    expected = rows[np.lexsort((rows, *last_key, primary[rows], group[rows]))]
    assert counts.tolist() == np.bincount(group[rows], minlength=groups).tolist()
    assert sorted_levels.tolist() == levels[expected].tolist()
    assert sorted_contexts.tolist() == contexts[expected].tolist()


def _cpuinfo(vendor: str, family: int, flags: str) -> str:
    return (
        f"processor\t: 0\nvendor_id\t: {vendor}\ncpu family\t: {family}\n"
        f"model name\t: AMD EPYC\nflags\t\t: fpu sse2 avx2 {flags}\n"
    )


@pytest.mark.parametrize(
    ("cpuinfo", "slow"),
    [
        (_cpuinfo("AuthenticAMD", 25, "avx512f avx512bw"), True),  # Zen 4
        (_cpuinfo("AuthenticAMD", 25, ""), False),  # Zen 3: no AVX-512 kernel to pick
        (_cpuinfo("AuthenticAMD", 26, "avx512f avx512bw"), False),  # Zen 5
        (_cpuinfo("GenuineIntel", 6, "avx512f avx512bw"), False),
        ("", False),
    ],
    ids=["zen 4", "zen 3", "zen 5", "intel", "nothing to read"],
)
def test_polars_sorts_the_keys_only_where_numpys_avx512_sort_is_slow(
    cpuinfo: str, slow: bool
) -> None:
    assert is_zen_4(cpuinfo) is slow


def test_every_registered_method_has_a_batch_form() -> None:
    assert set(METHODS) <= set(batch_methods._CALCULATIONS)


def test_in_chunks_an_error_still_names_the_row_of_the_whole_evidence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batch, "AT_ONCE_ROWS", 2)
    monkeypatch.setattr(batch, "CHUNK_ROWS", 2)
    columns = {
        "student_id": [1, 2, 3, 1, 2, 3],
        "target_id": [1] * 6,
        "level": [3, 3, 3, 3, 9, 3],
        "assessed_on": [FIRST_DAY] * 6,
    }
    with pytest.raises(LedgerError, match=r"^row 4: level 9 is off the scale"):
        rate_batch(policy({"name": "latest"}), columns)


def agrees_with_the_reference(method: dict[str, Any], columns: dict[str, Any]) -> None:
    """`rate_batch` on `columns` gives what `rate()` gives for every (student, target)."""
    chosen = policy(method)
    by_pair: dict[tuple[Any, Any], list[AtBat]] = {}
    for index, (student, target, level, day, context) in enumerate(
        zip(
            columns["student_id"],
            columns["target_id"],
            columns["level"],
            columns["assessed_on"],
            columns["context"],
            strict=True,
        )
    ):
        at_bat = AtBat(
            id=str(index),
            level=Decimal(str(level)),
            assessed_on=day,
            context=context,
            sequence=index,
        )
        by_pair.setdefault((student, target), []).append(at_bat)
    expected = {}
    for (student, target), entries in by_pair.items():
        rating = rate(chosen, entries, target=str(target), with_next_step=False)
        expected[(student, target)] = (rating.status.value, rating.rating, rating.counted)
    rows = rate_batch(chosen, columns).to_arrow().to_pylist()
    assert {
        (row["student_id"], row["target_id"]): (row["status"], row["rating"], row["counted"])
        for row in rows
    } == expected


def many_pairs(levels: list[float], contexts: list[str], pairs: int) -> dict[str, Any]:
    rng = np.random.default_rng(3)
    count = len(levels)
    return {
        "student_id": rng.integers(0, pairs, count).tolist(),
        "target_id": ["W.1"] * count,
        "level": levels,
        "assessed_on": [FIRST_DAY + timedelta(days=int(day)) for day in rng.integers(0, 9, count)],
        "context": contexts,
    }


@pytest.mark.parametrize("method", ["highest", "average", "n_mastery"])
def test_methods_without_an_order_agree_when_levels_are_too_varied_for_a_histogram(
    method: str,
) -> None:
    # Levels with three decimals over many pairs: more (level, pair) cells than rows, so the
    # batch path sorts the rows instead of counting them per level.
    rng = np.random.default_rng(5)
    levels = (rng.integers(1000, 4001, 600) / 1000).tolist()
    agrees_with_the_reference(
        {"name": method, "count": 2} if method == "n_mastery" else {"name": method},
        many_pairs(levels, ["Lab"] * 600, pairs=300),
    )


def test_consistent_agrees_with_more_contexts_than_fit_in_a_64_bit_set() -> None:
    rng = np.random.default_rng(9)
    levels = rng.integers(1, 5, 800).astype(float).tolist()
    contexts = [f"Context {number}" for number in rng.integers(0, 40, 800)]
    agrees_with_the_reference(
        {"name": "consistent", "at_bats": 2, "window": 4, "contexts": 2},
        many_pairs(levels, contexts, pairs=80),
    )


@pytest.mark.parametrize("ids", [[1, 2, 3, 4], [10, 20, 30, 40], [40, 10, 30, 20]])
def test_whole_number_ids_find_the_entry_a_correction_supersedes(ids: list[int]) -> None:
    columns = evidence(2, 3, 4, None, id=ids)
    columns["kind"] = ["record", "record", "correction", "void"]
    columns["supersedes"] = [None, None, ids[0], ids[1]]
    columns["assessed_on"][2] = FIRST_DAY
    row = only_rating(policy({"name": "average"}), columns)
    assert (row["rating"], row["counted"]) == (Decimal("4.00"), 1)


@pytest.mark.parametrize("missing", [0, 3, 9])
def test_a_whole_number_id_outside_the_ledger_is_refused(missing: int) -> None:
    columns = evidence(2, 3, id=[1, 2], kind=["record", "correction"])
    columns["supersedes"] = [None, missing]
    with pytest.raises(LedgerError, match=f"supersedes {missing}, which is not among the entries"):
        rate_batch(policy({"name": "latest"}), columns)


def test_a_void_with_a_level_is_refused_even_beside_a_record_without_one() -> None:
    # As many empty levels as voids, but not on the same rows.
    columns = evidence(2, 3, None, id=["r1", "v1", "r2"], kind=["record", "void", "record"])
    columns["supersedes"] = [None, "r1", None]
    with pytest.raises(LedgerError, match=r"^row 1: a void entry carries no level"):
        rate_batch(policy({"name": "latest"}), columns)


@pytest.mark.parametrize(
    "dictionary",
    [["record", "correction", "void"], ["void", "correction", "record", "unused"]],
)
def test_dictionary_columns_rate_as_plain_text_does(dictionary: list[str]) -> None:
    # A dictionary in the codes' own order is read through its indices, any other one per row.
    columns = evidence(
        2, 3, 4, None, 3, id=["r1", "r2", "c1", "v1", "r3"], contexts=("Lab", "Essay", "Lab")
    )
    columns["kind"] = ["record", "record", "correction", "void", "record"]
    columns["supersedes"] = [None, None, "r1", "r2", None]
    method = {"name": "consistent", "at_bats": 2, "window": 3, "contexts": 2}
    plain = rate_batch(policy(method), columns).to_arrow().to_pylist()
    encoded = dict(columns)
    encoded["kind"] = pa.DictionaryArray.from_arrays(
        pa.array([dictionary.index(kind) for kind in columns["kind"]], pa.int8()),
        pa.array(dictionary),
    )
    encoded["context"] = pa.array(columns["context"]).dictionary_encode()
    assert rate_batch(policy(method), encoded).to_arrow().to_pylist() == plain
    assert plain[0]["counted"] == 2  # r1 corrected by c1, r2 voided, r3


def test_a_table_in_several_batches_rates_in_chunks_as_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(13)
    count = 60
    table = pa.table(
        {
            "student_id": rng.integers(0, 9, count),
            "target_id": rng.integers(0, 3, count),
            "level": rng.integers(1, 5, count),
            "assessed_on": [
                FIRST_DAY + timedelta(days=int(day)) for day in rng.integers(0, 5, count)
            ],
        }
    )
    in_parts = pa.concat_tables([table.slice(start, 20) for start in range(0, count, 20)])
    assert in_parts["level"].num_chunks == 3
    at_once = rate_batch(policy({"name": "average_recent", "count": 2}), table).to_arrow()
    monkeypatch.setattr(batch, "AT_ONCE_ROWS", 25)
    monkeypatch.setattr(batch, "CHUNK_ROWS", 25)
    in_chunks = rate_batch(policy({"name": "average_recent", "count": 2}), in_parts).to_arrow()
    assert in_chunks.to_pylist() == at_once.to_pylist()


def test_a_level_far_off_the_scale_is_refused_though_the_levels_are_kept_in_16_bits() -> None:
    columns = {
        "student_id": [1, 1],
        "target_id": [1, 1],
        "level": pa.array([3, 65_539], pa.int64()),  # 65 539 is 3 in 16 bits
        "assessed_on": [FIRST_DAY] * 2,
    }
    with pytest.raises(LedgerError, match=r"^row 1: level 65539 is off the scale"):
        rate_batch(policy({"name": "latest"}), columns)


def test_a_decimal_level_far_off_the_scale_is_refused() -> None:
    columns = {
        "student_id": [1, 1],
        "target_id": [1, 1],
        "level": [3.5, 65_539.5],
        "assessed_on": [FIRST_DAY] * 2,
    }
    with pytest.raises(LedgerError, match=r"^row 1: level 65539.5 is off the scale"):
        rate_batch(policy({"name": "latest"}), columns)


def test_a_ledger_in_several_batches_with_corrections_rates_as_in_one() -> None:
    rng = np.random.default_rng(7)
    count = 60
    kind = ["record"] * 50 + ["correction"] * 6 + ["void"] * 4
    supersedes = [None] * 50 + [int(row) + 1 for row in rng.choice(50, 10, replace=False)]
    student = rng.integers(0, 5, count)
    target = rng.integers(0, 3, count)
    for row in range(50, count):  # a correction or void is about its record's pair
        student[row], target[row] = student[supersedes[row] - 1], target[supersedes[row] - 1]
    table = pa.table(
        {
            "id": np.arange(1, count + 1),
            "student_id": student,
            "target_id": target,
            "level": [int(level) for level in rng.integers(1, 5, 56)] + [None] * 4,
            "assessed_on": [
                FIRST_DAY + timedelta(days=int(day)) for day in rng.integers(0, 5, count)
            ],
            "kind": kind,
            "supersedes": pa.array(supersedes, pa.int64()),
        }
    )
    in_parts = pa.concat_tables([table.slice(start, 20) for start in range(0, count, 20)])
    assert in_parts["supersedes"].num_chunks == 3
    for method in ({"name": "latest"}, {"name": "average"}):
        at_once = rate_batch(policy(method), table).to_arrow().to_pylist()
        assert rate_batch(policy(method), in_parts).to_arrow().to_pylist() == at_once
        assert sum(row["counted"] for row in at_once) == 50 - 4  # 6 replaced, 4 retracted
