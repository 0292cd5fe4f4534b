"""Riverside's graduation requirements, and what the students of grades 10-12 earned in the
years before the school started using Mastery (their earlier transcripts), from the seed."""

import datetime
import random
from decimal import Decimal
from typing import Any

from mastery.accounts.models import User
from mastery.curriculum.models import CreditArea
from mastery.demo import framework_content
from mastery.demo.roster import DemoStudent
from mastery.graduation.api import create_named_requirement, record_completion, record_prior_credit
from mastery.schools.models import School

CREDITS_REQUIRED = {"English": 4, "Mathematics": 4, "Science": 3, "Social Studies": 3}
FIRST_YEAR = 2026  # the school year the demo's term belongs to (2026-27)


def graduation_document() -> dict[str, Any]:
    """The policy's `graduation` section: credits per area, every competency at Meeting by the
    end of grade 12, a one-credit margin before "off track"."""
    return {
        "credits": CREDITS_REQUIRED,
        "competencies": [
            {
                "name": "Every competency at Meeting",
                "competencies": [competency.key for competency in framework_content.COMPETENCIES],
                "minimum": 3,
                "by_grade": 12,
            }
        ],
        "first_grade": 9,
        "last_grade": 12,
        "at_risk_margin": 1,
    }


def record_earlier_years(
    rng: random.Random, school: School, people: list[DemoStudent], registrar: User
) -> None:
    """Credits from each finished year (a few students fell behind), and service learning,
    which most students complete in grade 9 or 10."""
    areas = {area.name: area for area in CreditArea.objects.filter(school=school)}
    service = create_named_requirement(
        school,
        "service-learning",
        name="Service learning",
        by_grade=10,
        description="Twenty hours of service with a community partner, and a reflection.",
    )
    create_named_requirement(
        school,
        "capstone",
        name="Senior capstone",
        by_grade=12,
        description="A year-long project presented to a panel in the spring of grade 12.",
    )
    for person in people:
        student = person.student
        for done in range(student.grade_level - 9):
            year = FIRST_YEAR - (student.grade_level - 9) + done
            school_year = f"{year}-{year % 100 + 1:02}"
            for name, required in CREDITS_REQUIRED.items():
                credits = Decimal(required) / 4
                if rng.random() < 0.07:
                    credits = Decimal(0)  # a course failed or not taken that year
                if credits:
                    record_prior_credit(
                        student,
                        areas[name],
                        credits=credits,
                        description=f"Grade {9 + done} {name}, {school_year} transcript",
                        recorded_by=registrar,
                    )
        if student.grade_level >= 10 and rng.random() < 0.85:
            record_completion(
                student,
                service,
                completed_on=rng.choice(
                    [
                        datetime.date(FIRST_YEAR - 1, 5, 20),
                        datetime.date(FIRST_YEAR - 1, 11, 14),
                    ]
                ),
                recorded_by=registrar,
                note="Hours confirmed by the community partner.",
            )
