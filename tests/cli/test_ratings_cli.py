"""`mastery ratings`: good files (values worked out by hand), each kind of bad file, exit status."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from mastery import ratings_cli
from mastery.cli import main as mastery
from mastery.engine.evidence import LedgerError
from mastery.ratings_cli import evidence_file, ratings_file

POLICY: dict[str, Any] = {
    "scale": {
        "levels": [
            {"value": 1, "label": "Beginning"},
            {"value": 2, "label": "Developing"},
            {"value": 3, "label": "Meeting", "mastery": True},
            {"value": 4, "label": "Exceeding"},
        ]
    },
    "method": {"name": "consistent", "at_bats": 3, "window": 5, "contexts": 2},
}

# ana on W.1: window 3 Lab, 3 Essay, 4 Lab, 3 Lab, 2 Essay (the first at-bat falls out):
#   at 4 or above: 1 (3 needed); at 3 or above: 4, from Lab and Essay -> 3.00, Meeting, mastered.
# ana on R.2: 4, 4, 4 all in Lab -> Exceeding and Meeting fail on contexts; Developing (2.00).
# ben on W.1: a self-assessment only -> nothing counted, insufficient evidence.
EVIDENCE = """student_id,target_id,level,assessed_on,context,source,notes
ana,W.1,2,2026-09-01,Lab,teacher,first try
ana,W.1,3,2026-09-02,Lab,,
ana,W.1,3,2026-09-03,Essay,teacher,
ana,W.1,4,2026-09-04,Lab,external,
ana,W.1,3,2026-09-05,Lab,teacher,"late, but fine"
ana,W.1,2,2026-09-06,Essay,teacher,
ana,R.2,4,2026-09-01,Lab,teacher,
ana,R.2,4,2026-09-02,Lab,teacher,
ana,R.2,4,2026-09-03,Lab,teacher,
ben,W.1,4,2026-09-01,Lab,self,
"""

EXPECTED = """student_id,target_id,rating,level,mastered,counted,status
ana,R.2,2.00,Developing,false,3,rated
ana,W.1,3.00,Meeting,true,6,rated
ben,W.1,,,false,0,insufficient_evidence
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(POLICY))
    evidence = tmp_path / "evidence.csv"
    evidence.write_text(EVIDENCE)
    return {"policy": policy, "evidence": evidence, "out": tmp_path / "out.csv"}


def run(*args: object) -> int:
    return ratings_cli.main([str(arg) for arg in args])


def test_ratings_go_to_standard_output_by_default(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--policy", files["policy"], files["evidence"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (EXPECTED, "")


def test_a_dash_also_means_standard_output(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--policy", files["policy"], files["evidence"], "-o", "-") == 0
    assert capsys.readouterr().out == EXPECTED


def test_ratings_are_written_to_the_output_file(files: dict[str, Path]) -> None:
    assert run("--policy", files["policy"], files["evidence"], "-o", files["out"]) == 0
    assert files["out"].read_text() == EXPECTED


def test_mastery_ratings_is_the_same_command(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert mastery(["ratings", "--policy", str(files["policy"]), str(files["evidence"])]) == 0
    assert capsys.readouterr().out == EXPECTED


def test_an_averaging_policy_gives_two_decimals(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files["policy"].write_text(json.dumps({**POLICY, "method": {"name": "average"}}))
    assert run("--policy", files["policy"], files["evidence"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # W.1: (2 + 3 + 3 + 4 + 3 + 2) / 6 = 2.833... -> 2.83, Developing.
    assert lines[2] == "ana,W.1,2.83,Developing,false,6,rated"


def test_explain_adds_the_reference_explanation(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--policy", files["policy"], files["evidence"], "--explain") == 0
    out = capsys.readouterr().out
    assert out.startswith("student_id,target_id,rating,level,mastered,counted,status,explanation\n")
    assert "Meeting (3): 4 at or above it, from 2 contexts (Essay, Lab)" in out
    assert "a self-assessment" in out
    assert "Not enough evidence yet for a rating. This is not a zero." in out


def test_a_file_spread_over_many_blocks_and_partitions_gives_the_same_ratings(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = EVIDENCE.splitlines()
    rows = [
        line.replace("ana,", f"s{copy:03},").replace("ben,", f"t{copy:03},")
        for copy in range(40)
        for line in lines[1:]
    ]
    files["evidence"].write_text("\n".join([lines[0], *rows]) + "\n")
    assert run("--policy", files["policy"], files["evidence"]) == 0
    whole = capsys.readouterr().out
    monkeypatch.setattr(evidence_file, "BLOCK_BYTES", 1024)
    monkeypatch.setattr(evidence_file, "PARTITION_BYTES", 2048)
    assert run("--policy", files["policy"], files["evidence"]) == 0
    assert capsys.readouterr().out == whole
    body = whole.splitlines()[1:]
    assert len(body) == 120
    assert body == sorted(body, key=lambda line: tuple(line.split(",")[:2]))


BAD_EVIDENCE = [
    (
        "student_id,target_id,assessed_on\nana,W.1,2026-09-01\n",
        "row 1, column level: missing (the header has student_id, target_id, assessed_on)",
    ),
    (
        "student_id,target_id,level,assessed_on\nana,W.1,3,2026-09-01\nana,W.1,7,2026-09-02\n",
        "row 3, column level: 7 is off the scale (1-4)",
    ),
    (
        "student_id,target_id,level,assessed_on\nana,W.1,three,2026-09-01\n",
        "row 2, column level: 'three' is not a number",
    ),
    (
        "student_id,target_id,level,assessed_on\nana,W.1,3,2026-02-30\n",
        "row 2, column assessed_on: '2026-02-30' is not a date (YYYY-MM-DD)",
    ),
    (
        "student_id,target_id,level,assessed_on\nana,W.1,3,09/01/2026\n",
        "row 2, column assessed_on: '09/01/2026' is not a date (YYYY-MM-DD)",
    ),
    (
        "student_id,target_id,level,assessed_on\n,W.1,3,2026-09-01\n",
        "row 2, column student_id: is empty",
    ),
    (
        "student_id,target_id,level,assessed_on,source\nana,W.1,3,2026-09-01,tutor\n",
        "row 2, column source: 'tutor' is not one of teacher, self, peer, external",
    ),
    (
        "student_id,target_id,level,assessed_on,weight\nana,W.1,3,2026-09-01,-1\n",
        "row 2, column weight: -1 is below 0",
    ),
    (
        "student_id,target_id,level,assessed_on,independent\nana,W.1,3,2026-09-01,maybe\n",
        "row 2, column independent: 'maybe' is not true or false",
    ),
    (
        "student_id,target_id,level,assessed_on,recorded_at\nana,W.1,3,2026-09-01,soon\n",
        "row 2, column recorded_at: 'soon' is not a date and time (ISO 8601)",
    ),
    (
        "student_id,target_id,level,assessed_on,due_on\nana,W.1,3,2026-09-01,\nana,W.1,3,2026-09-01,Friday\n",
        "row 3, column due_on: 'Friday' is not a date (YYYY-MM-DD)",
    ),
    (
        "student_id,target_id,level,assessed_on\nana,W.1,3,2026-09-01\nana,W.1,3\n",
        "row 3, column assessed_on: missing (expected 4 columns, got 3)",
    ),
    (
        # The only row is malformed: nothing is rated, and that is an error, not an empty file.
        "student_id,target_id,level,assessed_on\nana,W.1,3\n",
        "row 2, column assessed_on: missing (expected 4 columns, got 3)",
    ),
    (
        "student_id,target_id,level,assessed_on\nana,W.1,3,2026-09-01,Lab\n",
        "row 2, column 5: not in the header (expected 4 columns, got 5)",
    ),
    (
        # A bad value before a malformed row in the same block is the first problem.
        "student_id,target_id,level,assessed_on\nana,W.1,8,2026-09-01\nana,W.1\n",
        "row 2, column level: 8 is off the scale (1-4)",
    ),
    (
        "student_id,target_id,level,assessed_on\nana,W.1,3,2026-09-01\nana,W.1\nana,W.1,8,2026-09-01\n",
        "row 3, column level: missing (expected 4 columns, got 2)",
    ),
    (
        # Two problems in one row: the one in the leftmost column is reported.
        "student_id,target_id,level,assessed_on\nana,W.1,9,someday\n",
        "row 2, column level: 9 is off the scale (1-4)",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_EVIDENCE)
def test_bad_evidence_is_one_line_naming_file_row_and_column_and_exit_status_2(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    files["evidence"].write_text(text)
    files["out"].write_text("yesterday's ratings\n")
    assert run("--policy", files["policy"], files["evidence"], "-o", files["out"]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"{files['evidence']}, {message}\n"
    assert captured.out == ""
    assert files["out"].read_text() == "yesterday's ratings\n"


BAD_POLICIES = [
    (
        {**POLICY, "method": {"name": "median"}},
        "field method.name: unknown method 'median'",
    ),
    (
        {**POLICY, "method": {"name": "consistent", "at_bats": 3, "window": 2}},
        "field method.window: must be a whole number >= at_bats (got 2)",
    ),
    ({"method": {"name": "latest"}}, "field scale: is required"),
]


@pytest.mark.parametrize(("document", "message"), BAD_POLICIES)
def test_a_bad_policy_names_its_field_and_exits_with_status_2(
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    document: dict[str, Any],
    message: str,
) -> None:
    files["policy"].write_text(json.dumps(document))
    assert run("--policy", files["policy"], files["evidence"], "-o", files["out"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{files['policy']}, {message}")
    assert err.count("\n") == 1
    assert not files["out"].exists()


def test_policy_json_that_does_not_parse_names_line_and_column(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files["policy"].write_text('{"scale":\n  {"levels": [}')
    assert run("--policy", files["policy"], files["evidence"]) == 2
    assert capsys.readouterr().err == (
        f"{files['policy']}, line 2, column 15: not valid JSON (Expecting value)\n"
    )


def test_a_missing_evidence_file_exits_with_status_2(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = files["evidence"].with_name("nowhere.csv")
    assert run("--policy", files["policy"], missing) == 2
    assert capsys.readouterr().err == f"{missing}: no such file or directory\n"


def test_without_a_policy_the_usage_error_exits_with_status_2(files: dict[str, Path]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run(files["evidence"])
    assert stopped.value.code == 2


def test_an_output_folder_that_does_not_exist_exits_with_status_2(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = files["out"].parent / "missing" / "out.csv"
    assert run("--policy", files["policy"], files["evidence"], "-o", out) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize(
    ("first", "second", "latest"),
    [
        # 09:00 is recorded before 10:00, so the 10:00 at-bat (4) is the latest.
        ("2026-09-01T10:00:00", "2026-09-01 09:00:00", "4.00,Exceeding,true"),
        # 10:00+02:00 is 08:00 UTC, before 09:00 UTC, so the second at-bat (2) is the latest.
        ("2026-09-01T10:00:00+02:00", "2026-09-01T09:00:00Z", "2.00,Developing,false"),
    ],
)
def test_recorded_times_break_same_day_ties_with_or_without_a_zone(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], first: str, second: str, latest: str
) -> None:
    files["policy"].write_text(json.dumps({**POLICY, "method": {"name": "latest"}}))
    files["evidence"].write_text(
        "student_id,target_id,level,assessed_on,recorded_at\n"
        f"ana,W.1,4,2026-09-01,{first}\n"
        f"ana,W.1,2,2026-09-01,{second}\n"
    )
    assert run("--policy", files["policy"], files["evidence"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == f"ana,W.1,{latest},2,rated"


def test_times_with_and_without_a_zone_may_not_be_mixed(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files["evidence"].write_text(
        "student_id,target_id,level,assessed_on,recorded_at\n"
        "ana,W.1,4,2026-09-01,2026-09-01T10:00:00\n"
        "ana,W.1,2,2026-09-01,2026-09-01T09:00:00+02:00\n"
    )
    assert run("--policy", files["policy"], files["evidence"]) == 2
    assert capsys.readouterr().err == (
        f"{files['evidence']}, row 3, column recorded_at: mixes times with and without a time "
        "zone\n"
    )


def test_a_file_whose_last_rows_are_malformed_is_refused_whatever_the_block_size(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = [f"s{number:03},W.1,3,2026-09-01" for number in range(200)]
    files["evidence"].write_text(
        "\n".join(["student_id,target_id,level,assessed_on", *good, "s900,W.1", "s901,W.1,3"])
        + "\n"
    )
    files["out"].write_text("yesterday's ratings\n")
    for block_bytes in (1 << 20, 256):  # the bad rows in the one block, or in a last block
        monkeypatch.setattr(evidence_file, "BLOCK_BYTES", block_bytes)
        assert run("--policy", files["policy"], files["evidence"], "-o", files["out"]) == 2
        assert capsys.readouterr().err == (
            f"{files['evidence']}, row 202, column level: missing (expected 4 columns, got 2)\n"
        )
        assert files["out"].read_text() == "yesterday's ratings\n"


def test_a_problem_the_engine_finds_names_the_evidence_file_and_its_row(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse_the_second_row(policy: object, table: object) -> None:
        raise LedgerError("row 1: weight must be 0 or more")

    monkeypatch.setattr(ratings_file, "rate_batch", refuse_the_second_row)
    assert run("--policy", files["policy"], files["evidence"]) == 2
    # The partition's second row (index 1) is the file's row 3: rows keep their file numbers.
    assert capsys.readouterr().err == (
        f"{files['evidence']}, row 3, column weight: weight must be 0 or more\n"
    )


def test_a_policy_ordering_by_due_date_reads_the_due_on_column(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # ana: the essay (4) was done on the 12th but due on the 10th; the quiz (2) due and done on
    # the 11th is the latest by due date. ben: the quiz (2) has no due date, so its day of work,
    # the 11th, stands in and it comes after the essay due on the 10th.
    files["evidence"].write_text(
        "student_id,target_id,level,assessed_on,due_on\n"
        "ana,W.1,4,2026-09-12,2026-09-10\n"
        "ana,W.1,2,2026-09-11,2026-09-11\n"
        "ben,W.1,2,2026-09-11,\n"
        "ben,W.1,4,2026-09-12,2026-09-10\n"
    )
    by_due = {**POLICY, "method": {"name": "latest"}, "order_by": "due_on"}
    files["policy"].write_text(json.dumps(by_due))
    assert run("--policy", files["policy"], files["evidence"], "--explain") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    assert [row[:3] for row in rows] == [["ana", "W.1", "2.00"], ["ben", "W.1", "2.00"]]
    assert all("Your most recent counted at-bat is 2." in row[-1] for row in rows)
    assert "12 Sep 2026 (due 10 Sep 2026): Exceeding (4) - counted." in rows[0][-1]

    files["policy"].write_text(json.dumps({**by_due, "order_by": "assessed_on"}))
    assert run("--policy", files["policy"], files["evidence"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert [row.split(",")[:3] for row in rows] == [["ana", "W.1", "4.00"], ["ben", "W.1", "4.00"]]
