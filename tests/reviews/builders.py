"""Review requests and the evidence behind them, built through the app APIs."""

import datetime

from mastery.accounts.models import User
from mastery.curriculum.models import LearningExperience
from mastery.evidence import api as evidence
from mastery.evidence.models import Evidence
from mastery.grading import api as grading
from mastery.grading.models import TermGrade
from mastery.reviews import api as reviews
from mastery.reviews.models import ReviewRequest
from mastery.rosters.models import Enrollment, Section
from mastery.schools.models import Student
from tests.world import World


def score(
    world: World,
    student: Student | None = None,
    *,
    level: int = 2,
    day: int = 1,
    experience: LearningExperience | None = None,
) -> Evidence:
    """An at-bat on AW.1 (in the lab report unless told), scored by Dana in ALG-1 in October."""
    return evidence.record_evidence(
        student or world.maya,
        world.claims,
        level=level,
        assessed_on=datetime.date(2026, 10, day),
        recorded_by=world.dana,
        learning_experience=experience or world.lab_report,
        section=world.algebra_section,
    )


def finalize_grade(world: World, student: Student | None = None) -> TermGrade:
    """The student's Algebra grade, scored and finalized by Dana (needs graded_world)."""
    student = student or world.maya
    for day, experience in [(1, world.lab_report), (2, world.lab_report), (3, world.essay)]:
        score(world, student, level=4, day=day, experience=experience)
    enrollment = Enrollment.objects.get(section=world.algebra_section, student=student)
    return grading.finalize_term_grade(enrollment, finalized_by=world.dana)


def ask_for_review(
    world: World,
    *,
    student: Student | None = None,
    requested_by: User | None = None,
    section: Section | None = None,
    reason: str = "Maya rewrote the essay after the feedback.",
    **target: object,
) -> ReviewRequest:
    """By default: Rosa asks ALG-1's teachers to review Maya's Argumentative writing rating."""
    return reviews.file_review_request(
        student or world.maya,
        requested_by=requested_by or world.rosa,
        section=section or world.algebra_section,
        reason=reason,
        **(target or {"competency": world.writing}),  # type: ignore[arg-type]
    )
