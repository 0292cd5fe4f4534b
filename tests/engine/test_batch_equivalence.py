"""The batch path gives exactly what the reference engine gives, on random evidence.

Hypothesis builds a small school's ledger -- several students and targets, same-day at-bats,
self and peer evidence, practice (weight 0), corrections, voids, several contexts, recorded times
and sequences, due dates (some at-bats without one) -- and a policy for every method with random
parameters. For every (student, target), `rate_batch` must equal `rate()`: status, rating to the
cent, level, mastered, counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import ModuleType
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mastery.engine import batch, batch_ledger, batch_methods
from mastery.engine.batch import rate_batch
from mastery.engine.evidence import AtBat, EntryKind, Source
from mastery.engine.policy import Policy
from mastery.engine.rating import rate

FIRST_DAY = date(2026, 9, 1)

SCALES: dict[str, dict[str, Any]] = {
    "default": {
        "levels": [
            {"value": 1, "label": "Beginning"},
            {"value": 2, "label": "Developing"},
            {"value": 3, "label": "Meeting", "mastery": True},
            {"value": 4, "label": "Exceeding"},
        ]
    },
    "cut scores and halves": {
        "levels": [
            {"value": "0.5", "label": "Emerging"},
            {"value": 1, "label": "Beginning"},
            {"value": 2, "label": "Developing", "min": "1.75"},
            {"value": "3.25", "label": "Proficient", "min": "2.625", "mastery": True},
            {"value": 4, "label": "Advanced", "min": "3.5"},
        ]
    },
}

FRACTIONS = st.sampled_from(["0.5", "0.65", "0.3", "0.125", "0.9", "0.01", "0.333"])

METHODS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "latest": st.just({}),
    "highest": st.just({}),
    "average": st.just({}),
    "average_recent": st.fixed_dictionaries({"count": st.integers(1, 6)}),
    "weighted_latest": st.fixed_dictionaries({"weight": FRACTIONS}),
    "decaying_average": st.fixed_dictionaries({"rate": FRACTIONS}),
    "n_mastery": st.fixed_dictionaries({"count": st.integers(1, 4)}),
    "mode_recent": st.fixed_dictionaries({"count": st.integers(1, 7)}),
    "power_law": st.just({}),
    "consistent": st.integers(1, 4).flatmap(
        lambda at_bats: st.integers(at_bats, 7).flatmap(
            lambda window: st.fixed_dictionaries(
                {
                    "at_bats": st.just(at_bats),
                    "window": st.just(window),
                    "contexts": st.integers(1, min(window, 3)),
                }
            )
        )
    ),
}


@dataclass(frozen=True)
class Ledger:
    """Entries in input order, each with the student and target it is about."""

    rows: list[tuple[str, str, AtBat]]
    with_sequence: bool
    with_recorded_at: bool
    with_due_on: bool = False


@st.composite
def ledgers(draw: st.DrawFn, scale: dict[str, Any]) -> Ledger:
    values = [Decimal(str(level["value"])) for level in scale["levels"]]
    level_choices = st.sampled_from(values) | st.sampled_from(
        [values[0], (values[0] + values[-1]) / 2, Decimal("2.5"), Decimal("3.125")]
    ).filter(lambda value: values[0] <= value <= values[-1])
    students = draw(st.lists(st.sampled_from(["ana", "ben", "cy", "dee"]), min_size=1, unique=True))
    targets = draw(st.lists(st.sampled_from(["W.1", "W.2", "R.1"]), min_size=1, unique=True))
    with_sequence = draw(st.booleans())
    with_recorded_at = draw(st.booleans())
    with_due_on = draw(st.booleans())
    rows: list[tuple[str, str, AtBat]] = []
    open_ends: list[tuple[str, str, AtBat]] = []
    for index in range(draw(st.integers(1, 30))):
        student = draw(st.sampled_from(students))
        target = draw(st.sampled_from(targets))
        day = FIRST_DAY + timedelta(days=draw(st.integers(0, 5)))
        hour = draw(st.none() | st.integers(8, 10)) if with_recorded_at else None
        fields: dict[str, Any] = {
            "level": draw(level_choices),
            "assessed_on": day,
            "recorded_at": None if hour is None else datetime(2026, 9, 1, hour),
            "source": draw(
                st.sampled_from([Source.TEACHER] * 4 + [Source.EXTERNAL] + [Source.SELF])
                | st.just(Source.PEER)
            ),
            "context": draw(st.sampled_from(["Lab", "Essay", "Quiz", None, "  "])),
            "weight": draw(st.sampled_from([Decimal(1)] * 4 + [Decimal(0), Decimal("0.5")])),
            "independent": draw(st.booleans() | st.just(True)),
            "sequence": draw(st.integers(0, 5)) if with_sequence else 0,
            # Due before, on or after the day of the work, or never (then that day stands in).
            "due_on": draw(
                st.none() | st.integers(0, 5).map(lambda days: FIRST_DAY + timedelta(days))
            )
            if with_due_on
            else None,
        }
        action = draw(st.sampled_from(["record"] * 5 + ["correction", "void"]))
        if action != "record" and open_ends:
            position = draw(st.integers(0, len(open_ends) - 1))
            student, target, replaced = open_ends.pop(position)
            if action == "void":
                fields["level"] = None
            entry = AtBat(
                id=f"e{index}",
                kind=EntryKind.CORRECTION if action == "correction" else EntryKind.VOID,
                supersedes=replaced.id,
                **fields,
            )
        else:
            entry = AtBat(id=f"e{index}", **fields)
        rows.append((student, target, entry))
        if entry.kind is not EntryKind.VOID:
            open_ends.append((student, target, entry))
    return Ledger(rows, with_sequence, with_recorded_at, with_due_on)


NUMBERS = {"ana": 7, "ben": 12, "cy": 9, "dee": 400, "W.1": 3, "W.2": 1, "R.1": 2}
NAMES = {number: name for name, number in NUMBERS.items() if name.startswith(("W", "R"))}
STUDENT_NAMES = {number: name for name, number in NUMBERS.items() if name not in NAMES.values()}


def table_of(ledger: Ledger, *, numeric_ids: bool = False) -> pa.Table:
    """The ledger as columns; with `numeric_ids`, students and targets are database-style
    numbers (the batch path's fast path for ids)."""
    entries = [entry for _, _, entry in ledger.rows]

    def identifier(name: str) -> str | int:
        return NUMBERS[name] if numeric_ids else name

    columns: dict[str, Any] = {
        "student_id": [identifier(student) for student, _, _ in ledger.rows],
        "target_id": [identifier(target) for _, target, _ in ledger.rows],
        "level": pa.array([entry.level for entry in entries], pa.decimal128(9, 3)),
        "assessed_on": [entry.assessed_on for entry in entries],
        "source": [entry.source.value for entry in entries],
        "context": [entry.context for entry in entries],
        "weight": pa.array([entry.weight for entry in entries], pa.decimal128(9, 2)),
        "independent": [entry.independent for entry in entries],
        "id": [entry.id for entry in entries],
        "kind": [entry.kind.value for entry in entries],
        "supersedes": pa.array([entry.supersedes for entry in entries], pa.string()),
    }
    if ledger.with_recorded_at:
        columns["recorded_at"] = pa.array(
            [entry.recorded_at for entry in entries], pa.timestamp("us")
        )
    if ledger.with_sequence:
        columns["sequence"] = [entry.sequence for entry in entries]
    if ledger.with_due_on:
        columns["due_on"] = pa.array([entry.due_on for entry in entries], pa.date32())
    return pa.table(columns)


def reference_ratings(
    policy: Policy, ledger: Ledger, as_of: date | None
) -> dict[tuple[str, str], tuple[Any, ...]]:
    by_pair: dict[tuple[str, str], list[AtBat]] = {}
    for student, target, entry in ledger.rows:
        by_pair.setdefault((student, target), []).append(entry)
    results = {}
    for (student, target), entries in by_pair.items():
        rating = rate(policy, entries, target=target, as_of=as_of, with_next_step=False)
        results[(student, target)] = (
            rating.status.value,
            rating.rating,
            None if rating.level is None else rating.level.label,
            rating.mastered,
            rating.counted,
        )
    return results


def batch_ratings(
    policy: Policy, ledger: Ledger, as_of: date | None, *, numeric_ids: bool = False
) -> dict[tuple[str, str], tuple[Any, ...]]:
    table = rate_batch(policy, table_of(ledger, numeric_ids=numeric_ids), as_of=as_of).to_arrow()

    def names(student: Any, target: Any) -> tuple[str, str]:
        if numeric_ids:
            return STUDENT_NAMES[student], NAMES[target]
        return student, target

    return {
        names(row["student_id"], row["target_id"]): (
            row["status"],
            row["rating"],
            row["level"],
            row["mastered"],
            row["counted"],
        )
        for row in table.to_pylist()
    }


@st.composite
def cases(draw: st.DrawFn, method: str) -> tuple[Policy, Ledger, date | None]:
    scale = SCALES[draw(st.sampled_from(sorted(SCALES)))]
    document = {
        "scale": scale,
        "method": {"name": method, **draw(METHODS[method])},
        "order_by": draw(st.sampled_from(["assessed_on", "due_on", "recorded_at"])),
        "require_independent_for_mastery": draw(st.booleans()),
    }
    as_of = draw(st.none() | st.just(FIRST_DAY + timedelta(days=3)))
    return Policy.from_dict(document), draw(ledgers(scale)), as_of


@pytest.mark.parametrize("method", sorted(METHODS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_batch_path_rates_every_pair_exactly_as_the_reference_engine(
    method: str, data: st.DataObject
) -> None:
    policy, ledger, as_of = data.draw(cases(method))
    numeric_ids = data.draw(st.booleans())
    assert batch_ratings(policy, ledger, as_of, numeric_ids=numeric_ids) == reference_ratings(
        policy, ledger, as_of
    )


@contextmanager
def _set(module: ModuleType, name: str, value: Any) -> Iterator[None]:
    """`module.name` is `value` inside the block (hypothesis runs many examples in one test,
    so pytest's function-scoped monkeypatch cannot undo it between them)."""
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_latest_over_more_pairs_than_its_scatter_keeps_in_cache_sorts_and_agrees(
    data: st.DataObject,
) -> None:
    policy, ledger, as_of = data.draw(cases("latest"))
    numeric_ids = data.draw(st.booleans())
    with _set(batch, "LATEST_SCATTER_GROUPS", 0):
        sorted_ratings = batch_ratings(policy, ledger, as_of, numeric_ids=numeric_ids)
    assert sorted_ratings == reference_ratings(policy, ledger, as_of)


@pytest.mark.parametrize("method", ["mode_recent", "consistent", "decaying_average"])
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rating_the_runs_a_few_pairs_at_a_time_changes_nothing(
    method: str, data: st.DataObject
) -> None:
    policy, ledger, as_of = data.draw(cases(method))
    walk_block = data.draw(st.integers(1, 4))
    with _set(batch_methods, "WALK_BLOCK", walk_block):
        in_blocks = batch_ratings(policy, ledger, as_of)
    assert in_blocks == reference_ratings(policy, ledger, as_of)


@settings(max_examples=60, deadline=None)
@given(
    methods=st.fixed_dictionaries(
        {"W.1": st.sampled_from(sorted(METHODS)), "R.1": st.just("latest")}
    ),
    ledger=ledgers(SCALES["default"]),
)
def test_a_target_with_its_own_method_is_rated_with_that_method(
    methods: dict[str, str], ledger: Ledger
) -> None:
    policy = Policy.from_dict(
        {
            "scale": SCALES["default"],
            "method": {"name": "consistent"},
            "targets": {target: {"name": name} for target, name in methods.items()},
        }
    )
    assert batch_ratings(policy, ledger, None) == reference_ratings(policy, ledger, None)


@settings(max_examples=60, deadline=None)
@given(
    method=st.sampled_from(sorted(METHODS)),
    target_method=st.none() | st.sampled_from(sorted(METHODS)),
    ledger=ledgers(SCALES["default"]),
    numeric_ids=st.booleans(),
    chunk_rows=st.integers(1, 8),
    pack_block=st.integers(1, 5),
    batch_rows=st.integers(1, 12),
    polars_sorts=st.booleans(),
)
def test_rating_a_large_district_in_ranges_of_pairs_changes_nothing(
    method: str,
    target_method: str | None,
    ledger: Ledger,
    numeric_ids: bool,
    chunk_rows: int,
    pack_block: int,
    batch_rows: int,
    polars_sorts: bool,
) -> None:
    """Beyond AT_ONCE_ROWS the evidence is read once and rated a range of pairs at a time, the
    sort keys are always packed (and their runs counted) a block of rows at a time, the most
    recent at-bats walked a block of pairs at a time, a table of several record batches is
    read batch by batch, and the keys are sorted by numpy or, on processors where it is slow,
    by polars: none of it may change a rating."""
    document: dict[str, Any] = {"scale": SCALES["default"], "method": {"name": method}}
    if target_method is not None:
        document["targets"] = {"R.1": {"name": target_method}}
    policy = Policy.from_dict(document)
    at_once = rate_batch(policy, table_of(ledger, numeric_ids=numeric_ids)).to_arrow()
    original = (
        batch.AT_ONCE_ROWS,
        batch.CHUNK_ROWS,
        batch_ledger.PACK_BLOCK,
        batch_methods.WALK_BLOCK,
        batch_ledger._numpy_sorts_slowly,
    )
    (
        batch.AT_ONCE_ROWS,
        batch.CHUNK_ROWS,
        batch_ledger.PACK_BLOCK,
        batch_methods.WALK_BLOCK,
        batch_ledger._numpy_sorts_slowly,
    ) = (chunk_rows, chunk_rows, pack_block, pack_block, lambda: polars_sorts)
    try:
        whole = table_of(ledger, numeric_ids=numeric_ids)
        in_batches = pa.concat_tables(
            whole.slice(start, batch_rows) for start in range(0, whole.num_rows, batch_rows)
        )
        in_ranges = rate_batch(policy, in_batches).to_arrow()
    finally:
        (
            batch.AT_ONCE_ROWS,
            batch.CHUNK_ROWS,
            batch_ledger.PACK_BLOCK,
            batch_methods.WALK_BLOCK,
            batch_ledger._numpy_sorts_slowly,
        ) = original
    assert in_ranges.to_pylist() == at_once.to_pylist()
