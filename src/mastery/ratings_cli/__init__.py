"""`mastery ratings`: the grading engine on files, for a district data team or a school trying a
policy on its spreadsheet export -- no server, no database.

    mastery ratings --policy POLICY.json EVIDENCE.csv [-o OUT.csv] [--explain]

EVIDENCE.csv needs a header with ``student_id,target_id,level,assessed_on`` and may have
``context,source,weight,independent,recorded_at,due_on`` (other columns are ignored; ``due_on``
is read by a policy with ``"order_by": "due_on"``, and an at-bat without one is ordered by its
``assessed_on``). Output: one row per
(student, target), sorted by student_id then target_id (as text), with the columns
``student_id,target_id,rating,level,mastered,counted,status`` (and ``explanation`` with
--explain); no -o, or ``-o -``, writes to standard output.

It streams: the file is read in blocks, checked, and spread over partition files by (student,
target), so memory stays near one partition's worth however long the file is (a 10-million-row
file included). Bad input -- a missing column, an unknown method, a level off the scale, a bad
date, a row with too few or too many columns -- is one line on standard error naming the file,
the row (the header is row 1, as in a spreadsheet) and the column, with exit status 2; nothing is
written.

The modules: `evidence_file` reads, checks and partitions (pass 1), `evidence_columns` checks and
converts each column, `ratings_file` rates the partitions and merges them (pass 2).
"""

from __future__ import annotations

import os

# numpy's advice to use huge pages makes a cold one-shot run slower on kernels that compact
# memory for them synchronously (THP defrag=madvise): ~40% on a 10 M-row file. Set before
# anything imports numpy.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from mastery.engine.policy import Policy, PolicyError
from mastery.ratings_cli.evidence_columns import InputError
from mastery.ratings_cli.evidence_file import partition_evidence
from mastery.ratings_cli.ratings_file import rate_partition, write_output

__all__ = ["InputError", "main", "read_policy"]


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="mastery ratings",
        description="Compute ratings from an evidence CSV under a grading policy.",
        epilog=(
            "Evidence columns: student_id, target_id, level, assessed_on (required); context, "
            "source, weight, independent, recorded_at, due_on (optional; others are ignored). "
            'A policy with "order_by": "due_on" orders at-bats by due_on; an at-bat with no '
            "due date is ordered by its assessed_on."
        ),
    )
    parser.add_argument("--policy", required=True, type=Path, help="the policy (JSON)")
    parser.add_argument("evidence", type=Path, help="the evidence (CSV with a header)")
    parser.add_argument("-o", "--output", default="-", help="where to write (default: stdout)")
    parser.add_argument(
        "--explain", action="store_true", help="add each rating's explanation in plain words"
    )
    args = parser.parse_args(list(argv))
    try:
        policy = read_policy(args.policy)
        with tempfile.TemporaryDirectory(prefix="mastery-ratings-") as work:
            partitions = partition_evidence(args.evidence, policy, Path(work))
            rated = [
                rate_partition(part, policy, args.explain, Path(work), evidence=args.evidence)
                for part in partitions
            ]
            write_output(rated, args.output, args.explain)
    except InputError as error:
        print(error, file=sys.stderr)
        return 2
    except OSError as error:  # e.g. -o names a folder that does not exist
        print(f"{error.filename or args.output}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


def read_policy(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: {error.strerror.lower() if error.strerror else error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}, line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    if not isinstance(document, dict):
        raise InputError(f"{path}: the policy must be a JSON object")
    try:
        return Policy.from_dict(document)
    except PolicyError as error:
        raise InputError(f"{path}, field {error.field}: {error.problem}") from None
