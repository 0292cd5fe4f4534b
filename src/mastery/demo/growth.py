"""How a demo student's work changes over the term: a latent growth curve plus scoring noise.

Pure Python, no database: a `Learner` is drawn once per student from the seeded generator, and
`observe` turns the learner's latent level on a date into the level a teacher would record.
"""

import random
from dataclasses import dataclass
from enum import StrEnum

LOWEST_LEVEL = 1.0
HIGHEST_LEVEL = 4.0


class Trajectory(StrEnum):
    FAST = "fast"
    STEADY = "steady"
    SLOW = "slow"
    PLATEAU = "plateau"
    STRUGGLING = "struggling"


# How common each trajectory is, and its (start, growth over the term) ranges on the 1-4 scale.
_TRAJECTORIES: dict[Trajectory, tuple[int, tuple[float, float], tuple[float, float]]] = {
    Trajectory.FAST: (18, (2.2, 2.8), (1.1, 1.6)),
    Trajectory.STEADY: (42, (2.0, 2.6), (0.6, 1.1)),
    Trajectory.SLOW: (15, (1.8, 2.3), (0.2, 0.5)),
    Trajectory.PLATEAU: (15, (2.1, 2.6), (0.8, 1.2)),
    Trajectory.STRUGGLING: (10, (1.2, 1.7), (0.0, 0.4)),
}


@dataclass(frozen=True)
class Learner:
    """One student's latent profile: where they start, how fast they grow, their habits."""

    trajectory: Trajectory
    start: float
    growth: float
    plateau_at: float
    """Fraction of the term after which a plateauing student stops growing (1.0: never)."""
    strengths: dict[str, float]
    """Per competency key: how much stronger (or weaker) than their average the student is."""
    absence_rate: float
    support_rate: float
    self_assessment_bias: float | None
    """How far the student over- (or under-) rates their own work; None: does not self-assess."""

    def latent_level(self, competency_key: str, *, difficulty: float, progress: float) -> float:
        """The level the student's work would show, on average, `progress` (0-1) into the term.

        A steady learner starting at 2.0 who grows 1.0 over the term, on a subskill of
        difficulty 0.2 in a competency they are +0.1 strong in, halfway through the term:
        2.0 + 0.1 - 0.2 + 1.0 * 0.5 = 2.4.
        """
        grown = self.growth * min(progress, self.plateau_at)
        return self.start + self.strengths.get(competency_key, 0.0) - difficulty + grown


def draw_learner(
    rng: random.Random, competency_keys: tuple[str, ...], *, start: float | None = None,
    growth: float | None = None, named_strengths: dict[str, float] | None = None,
) -> Learner:  # fmt: skip
    """A learner drawn from the trajectory mix; `start`, `growth` and `named_strengths` pin a
    named student's story (the generator is advanced the same either way)."""
    trajectories = list(_TRAJECTORIES)
    trajectory = rng.choices(trajectories, weights=[_TRAJECTORIES[t][0] for t in trajectories])[0]
    _, start_range, growth_range = _TRAJECTORIES[trajectory]
    drawn_start = rng.uniform(*start_range)
    drawn_growth = rng.uniform(*growth_range)
    plateau_at = rng.uniform(0.35, 0.6) if trajectory is Trajectory.PLATEAU else 1.0
    strengths = {key: rng.gauss(0.0, 0.3) for key in competency_keys}
    struggling = trajectory is Trajectory.STRUGGLING
    absence_rate = rng.uniform(0.08, 0.16) if struggling else rng.uniform(0.0, 0.07)
    support_rate = rng.uniform(0.2, 0.4) if struggling else rng.uniform(0.0, 0.06)
    self_assessment_bias = rng.gauss(0.25, 0.45) if rng.random() < 0.55 else None
    if start is not None and growth is not None:
        trajectory, drawn_start, drawn_growth, plateau_at = Trajectory.STEADY, start, growth, 1.0
        strengths = dict.fromkeys(competency_keys, 0.0) | (named_strengths or {})
    return Learner(
        trajectory=trajectory,
        start=drawn_start,
        growth=drawn_growth,
        plateau_at=plateau_at,
        strengths=strengths,
        absence_rate=absence_rate,
        support_rate=support_rate,
        self_assessment_bias=self_assessment_bias,
    )


def clamp_to_scale(value: float) -> float:
    return max(LOWEST_LEVEL, min(HIGHEST_LEVEL, value))


def observe(rng: random.Random, latent: float, *, noise: float = 0.4) -> float:
    """The level a teacher records for work at a latent level: whole levels, now and then a half.

    Latent 2.4 with a draw of +0.3 noise gives 2.7, recorded as 3; one time in twenty-five the
    teacher splits the difference and records 2.5.
    """
    value = clamp_to_scale(latent + rng.gauss(0.0, noise))
    if rng.random() < 0.04:
        return clamp_to_scale(round(value * 2) / 2)
    return clamp_to_scale(float(round(value)))


def self_rate(rng: random.Random, teacher_level: float, bias: float) -> float:
    """A student's rating of their own work: the teacher's level, tilted by the student's bias."""
    return clamp_to_scale(float(round(teacher_level + bias + rng.gauss(0.0, 0.5))))
