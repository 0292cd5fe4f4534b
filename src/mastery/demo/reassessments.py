"""The reassessment opportunities Riverside's teachers have opened by the demo's "today"
(2026-11-20): one that has closed, several open that day (Maya's English and Biology sections
among them, Leo's Statistics) and one still to come. Fixed dates, no randomness."""

import datetime
from dataclasses import dataclass

from mastery.accounts.models import User
from mastery.demo.term_evidence import CourseExperience
from mastery.frameworks.models import Subskill
from mastery.rosters.api import open_reassessment
from mastery.rosters.models import Section


@dataclass(frozen=True)
class ReassessmentContent:
    section: str
    opened_by: str
    title: str
    subskills: tuple[str, ...]
    opens_on: datetime.date
    closes_on: datetime.date
    details: str
    experience: int | None = None
    """The position, in its course, of the learning experience to redo, if any."""


REASSESSMENTS = (
    ReassessmentContent(
        "ENG-CA-01",
        "teacher",
        "Claim clinic retake",
        ("AW.1",),
        datetime.date(2026, 9, 21),
        datetime.date(2026, 10, 2),
        "Wednesday after school, room 112.",
        experience=1,
    ),
    ReassessmentContent(
        "ENG-CA-01",
        "teacher",
        "Op-ed revision: sharpen the claim and the evidence",
        ("AW.1", "AW.2"),
        datetime.date(2026, 11, 9),
        datetime.date(2026, 12, 4),
        "Tuesday and Thursday lunch, room 112, or hand the revision in online.",
        experience=2,
    ),
    ReassessmentContent(
        "ENG-CA-01",
        "teacher",
        "Speech: deliver it again to a new panel",
        ("CM.1", "CM.2"),
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 11),
        "Library seminar room, Monday period 1. Sign up on the sheet by the door.",
        experience=7,
    ),
    ReassessmentContent(
        "ENG-CA-02",
        "rmendel",
        "Op-ed revision: sharpen the claim and the evidence",
        ("AW.1", "AW.2"),
        datetime.date(2026, 11, 9),
        datetime.date(2026, 12, 4),
        "Friday lunch, room 112.",
        experience=2,
    ),
    ReassessmentContent(
        "SCI-BIO-01",
        "mbell",
        "Osmosis lab: redo the analysis",
        ("SI.3", "QR.1"),
        datetime.date(2026, 11, 12),
        datetime.date(2026, 11, 25),
        "Tuesday lunch, room 231. Bring your lab notebook.",
        experience=3,
    ),
    ReassessmentContent(
        "MTH-SM-01",
        "teacher2",
        "Probability retest, after test corrections",
        ("QR.3", "QR.5"),
        datetime.date(2026, 11, 16),
        datetime.date(2026, 12, 1),
        "Monday and Wednesday after school, room 206.",
        experience=5,
    ),
)


def open_reassessments(
    *,
    sections: dict[str, Section],
    experiences: dict[str, list[CourseExperience]],
    subskills: dict[str, Subskill],
    staff: dict[str, User],
) -> None:
    for content in REASSESSMENTS:
        section = sections[content.section]
        redo = (
            experiences[section.course.key][content.experience - 1].experience
            if content.experience is not None
            else None
        )
        open_reassessment(
            section,
            title=content.title,
            subskills=[subskills[key] for key in content.subskills],
            opens_on=content.opens_on,
            closes_on=content.closes_on,
            details=content.details,
            learning_experience=redo,
            created_by=staff[content.opened_by],
        )
