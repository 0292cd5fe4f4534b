"""How faithfully each calculation method reports what a student truly knows.

    python bench/fidelity.py               # print the table
    python bench/fidelity.py --write-docs  # and put it in docs/grading-policies.md (## Fidelity)

Simulated learners with a known true level over a 12-week term, one at-bat a week (seeded, so
the table is reproducible). Observed level = true level + rater noise (normal, sd 0.5), rounded
to the 1-4 scale, in one of four contexts. Six kinds of learner, equally many of each:

- steady growth: 1.5 -> 3.5 over the term;
- late growth: 1.5 until week 8, then 3.4;
- plateau: 2.0 -> 2.6 by week 4, then flat (never masters);
- decline: 3.5 -> 2.2 (masters early, loses it);
- off days: 3.3 all term, but one at-bat in five is an off day 1.5 lower;
- late make-up work: steady growth, but weeks 3-6 were done late and recorded in week 12
  (rated in assessed-date order, the policy default, they sit where they belong).

For every method with its default parameters, at term end:

- error: mean absolute difference between the rating and the true level (rated learners only);
- false mastery: share of learners reported mastered whose true level is below mastery (3);
- missed mastery: share of learners truly at mastery not reported mastered (insufficient
  evidence included);
- lag: for learners who cross mastery during the term, at-bats from the first one taken at a
  true level of 3 or above until the method first reports mastery (never: counted in "never");
- unrated: share left with insufficient evidence.

Every rating comes from the batch path (proven equal to the reference engine by property test).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

from mastery.engine.batch import rate_batch
from mastery.engine.policy import Policy

WEEKS = 12
LEARNERS_PER_KIND = 2000
NOISE = 0.5
MASTERY = 3.0
CONTEXTS = ("Lab Report", "Essay", "Quiz", "Project")
FIRST_DAY = date(2026, 9, 7)
DOCS = Path(__file__).resolve().parent.parent / "docs" / "grading-policies.md"

SCALE = {
    "levels": [
        {"value": 1, "label": "Beginning"},
        {"value": 2, "label": "Developing"},
        {"value": 3, "label": "Meeting", "mastery": True},
        {"value": 4, "label": "Exceeding"},
    ]
}
METHODS: dict[str, dict[str, object]] = {
    "latest": {"name": "latest"},
    "highest": {"name": "highest"},
    "average": {"name": "average"},
    "average_recent (3)": {"name": "average_recent", "count": 3},
    "weighted_latest (0.65)": {"name": "weighted_latest", "weight": "0.65"},
    "decaying_average (0.65)": {"name": "decaying_average", "rate": "0.65"},
    "n_mastery (3)": {"name": "n_mastery", "count": 3},
    "mode_recent (5)": {"name": "mode_recent", "count": 5},
    "power_law": {"name": "power_law"},
    "consistent (3, 5, 2)": {"name": "consistent", "at_bats": 3, "window": 5, "contexts": 2},
}

Floats = npt.NDArray[np.float64]


def true_levels(kind: str, count: int, rng: np.random.Generator) -> Floats:
    """(count x WEEKS) true levels for learners of `kind`."""
    week = np.arange(WEEKS) / (WEEKS - 1)
    jitter = rng.normal(0, 0.1, (count, 1))
    if kind in {"steady growth", "late make-up work"}:
        levels = 1.5 + 2.0 * week + 0 * jitter
    elif kind == "late growth":
        levels = np.where(np.arange(WEEKS) >= 8, 3.4, 1.5) + 0 * jitter
    elif kind == "plateau":
        levels = np.minimum(2.0 + 0.6 * np.arange(WEEKS) / 4, 2.6) + 0 * jitter
    elif kind == "decline":
        levels = 3.5 - 1.3 * week + 0 * jitter
    elif kind == "off days":
        levels = np.full(WEEKS, 3.3) + 0 * jitter
    else:
        raise ValueError(kind)
    return np.broadcast_to(levels + jitter, (count, WEEKS)).copy()


KINDS = (
    "steady growth",
    "late growth",
    "plateau",
    "decline",
    "off days",
    "late make-up work",
)


@dataclass(frozen=True)
class Term:
    """Every simulated at-bat: learner, week, true and observed level, context, date order."""

    truth: Floats  # learners x WEEKS
    observed: npt.NDArray[np.int64]  # learners x WEEKS
    context: npt.NDArray[np.int64]  # learners x WEEKS
    recorded_week: npt.NDArray[np.int64]  # learners x WEEKS
    kind: list[str]


def simulate(seed: int = 2026, per_kind: int = LEARNERS_PER_KIND) -> Term:
    rng = np.random.default_rng(seed)
    truths, kinds = [], []
    for kind in KINDS:
        truths.append(true_levels(kind, per_kind, rng))
        kinds += [kind] * per_kind
    truth = np.vstack(truths)
    shown = truth.copy()
    off_days = np.array([kind == "off days" for kind in kinds])
    off = rng.random(truth.shape) < 0.2
    shown[off_days[:, None] & off] -= 1.5
    observed = np.clip(np.rint(shown + rng.normal(0, NOISE, truth.shape)), 1, 4).astype(np.int64)
    recorded = np.tile(np.arange(WEEKS), (len(kinds), 1))
    late = np.array([kind == "late make-up work" for kind in kinds])
    recorded[late, 2:6] = WEEKS - 1
    context = rng.integers(0, len(CONTEXTS), truth.shape)
    return Term(truth, observed, context, recorded, kinds)


def prefix_evidence(term: Term) -> tuple[dict[str, object], int]:
    """Evidence where 'student' (learner, k) holds the learner's first k at-bats (1..WEEKS), in
    recording order (as a ledger export lists them), so one batch call rates every learner after
    every week."""
    learners = term.truth.shape[0]
    students, weeks = [], []
    for prefix in range(1, WEEKS + 1):
        for at_bat in range(WEEKS):
            students.append(np.arange(learners) * (WEEKS + 1) + prefix)
            weeks.append(np.full(learners, at_bat))
    student = np.concatenate(students)
    week = np.concatenate(weeks)
    learner = student // (WEEKS + 1)
    known = student % (WEEKS + 1)
    # A prefix holds what was recorded by then: the at-bats recorded in weeks < known.
    keep = term.recorded_week[learner, week] < known
    student, week, learner = student[keep], week[keep], learner[keep]
    order = np.lexsort((week, term.recorded_week[learner, week]))
    student, week, learner = student[order], week[order], learner[order]
    days = np.array([FIRST_DAY + timedelta(weeks=int(each)) for each in range(WEEKS)])
    return (
        {
            "student_id": student,
            "target_id": np.zeros(len(student), dtype=np.int64),
            "level": term.observed[learner, week],
            "assessed_on": days[week],
            "context": np.array(CONTEXTS)[term.context[learner, week]],
        },
        learners,
    )


@dataclass(frozen=True)
class Fidelity:
    error: float
    false_mastery: float
    missed_mastery: float
    lag: float
    never: float
    unrated: float
    error_by_kind: dict[str, float]


def measure(term: Term, method: dict[str, object]) -> Fidelity:
    policy = Policy.from_dict({"scale": SCALE, "method": method})
    evidence, learners = prefix_evidence(term)
    ratings = rate_batch(policy, evidence)
    student = ratings.student_id.to_numpy()
    learner, known = student // (WEEKS + 1), student % (WEEKS + 1)
    rated = np.zeros((learners, WEEKS + 1), dtype=bool)
    rating = np.full((learners, WEEKS + 1), np.nan)
    mastered = np.zeros((learners, WEEKS + 1), dtype=bool)
    rated[learner, known] = ratings.rated
    rating[learner, known] = np.where(ratings.rated, ratings.cents / 100, np.nan)
    mastered[learner, known] = ratings.mastered
    end_truth = term.truth[:, -1]
    end_rated, end_rating, end_mastered = rated[:, WEEKS], rating[:, WEEKS], mastered[:, WEEKS]
    truly = end_truth >= MASTERY
    error = np.abs(end_rating - end_truth)
    kinds = np.array(term.kind)
    # Lag: learners whose true level reaches mastery during the term. Their first at-bat at a
    # true Meeting is week `crossing`, known from prefix crossing + 1 on; an earlier (noisy)
    # "mastered" does not count as growth showing.
    crossing = np.argmax(term.truth >= MASTERY, axis=1)
    crosses = (term.truth >= MASTERY).any(axis=1) & (term.truth[:, 0] < MASTERY)
    known_after = np.arange(WEEKS + 1)[None, :] >= (crossing + 1)[:, None]
    showing = mastered & known_after
    first_shown = np.where(showing.any(axis=1), np.argmax(showing, axis=1), -1)
    shown = crosses & (first_shown >= 0)
    lags = first_shown[shown] - (crossing[shown] + 1)
    return Fidelity(
        error=float(np.nanmean(error)),
        false_mastery=float(np.mean(end_mastered & ~truly)),
        missed_mastery=float(np.mean(~end_mastered & truly) / max(np.mean(truly), 1e-9)),
        lag=float(lags.mean()) if len(lags) else float("nan"),
        never=float(np.mean(first_shown[crosses] < 0)),
        unrated=float(np.mean(~end_rated)),
        error_by_kind={kind: float(np.nanmean(error[kinds == kind])) for kind in KINDS},
    )


def table(results: dict[str, Fidelity]) -> str:
    lines = [
        "| method | error | false mastery | missed mastery | lag (at-bats) | never shows "
        "| unrated |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, result in results.items():
        lines.append(
            f"| `{name}` | {result.error:.2f} | {result.false_mastery:.1%} | "
            f"{result.missed_mastery:.1%} | {result.lag:.1f} | {result.never:.1%} | "
            f"{result.unrated:.1%} |"
        )
    lines += [
        "",
        "Error at term end by kind of learner:",
        "",
        "| method | " + " | ".join(KINDS) + " |",
        "|---|" + "---:|" * len(KINDS),
    ]
    for name, result in results.items():
        cells = " | ".join(f"{result.error_by_kind[kind]:.2f}" for kind in KINDS)
        lines.append(f"| `{name}` | {cells} |")
    return "\n".join(lines)


SECTION_INTRO = """Measured by `bench/fidelity.py` (seeded; `make bench` reproduces it):
{learners:,} simulated learners over a {weeks}-week term, one at-bat a week, six kinds of
learner (steady growth, late growth, plateau, decline, off days, late make-up work recorded
late), observed level = true level + rater noise (sd {noise}) rounded to the 1-4 scale.
*Error*: mean absolute difference between the rating and the true level at term end. *False
mastery*: share of all learners reported mastered whose true level is below Meeting. *Missed
mastery*: share of the learners truly at Meeting or above who are not reported mastered. *Lag*:
for learners who grow into mastery, at-bats from the first one at a true Meeting until the rating
first says mastered (*never shows*: share for whom it never does during the term). *Unrated*:
insufficient evidence at term end.
"""


def write_docs(text: str, path: Path = DOCS) -> None:
    """Replace the body of the '## Fidelity' section of `path` (nothing else)."""
    document = path.read_text(encoding="utf-8")
    start = document.index("## Fidelity")
    body_start = document.index("\n", start) + 1
    following = document.find("\n## ", body_start)
    end = len(document) if following < 0 else following + 1
    path.write_text(document[:body_start] + "\n" + text + "\n" + document[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=LEARNERS_PER_KIND, help="per kind")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    term = simulate(per_kind=args.learners)
    results = {name: measure(term, method) for name, method in METHODS.items()}
    rendered = table(results)
    print(f"Fidelity: {args.learners * len(KINDS):,} simulated learners, {WEEKS} at-bats each")
    print(rendered)
    if args.write_docs:
        intro = SECTION_INTRO.format(learners=args.learners * len(KINDS), weeks=WEEKS, noise=NOISE)
        write_docs(intro + "\n" + rendered)
        print(f"(written to {DOCS})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
