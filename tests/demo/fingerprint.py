"""What two loads of the demo school are compared by."""

import hashlib

from mastery.accounts.models import User
from mastery.curriculum.models import Course, LearningExperience
from mastery.evidence.models import Evidence
from mastery.frameworks.models import RubricDescriptor, Subskill
from mastery.rosters.models import Enrollment, Section
from mastery.schools.models import Guardianship, Membership, Student

SMALL = 24
"""Students in the loads that only check determinism and the command: a few in every section."""


def fingerprint() -> str:
    """A digest of the school's natural data: names, keys, levels and dates, never uuids,
    primary keys or creation times."""
    parts: list[object] = [
        sorted(
            User.objects.values_list("username", "first_name", "last_name", "email", "is_staff")
        ),
        sorted(
            Membership.objects.values_list("user__username", "school__key", "role", "title")
        ),
        sorted(
            Student.objects.values_list(
                "user__username", "student_number", "grade_level", "graduation_year"
            )
        ),
        sorted(
            Guardianship.objects.values_list(
                "guardian__username", "student__user__username", "relationship"
            )
        ),
        sorted(
            Subskill.objects.values_list(
                "competency__key", "key", "title", "position", "grade_band__key"
            )
        ),
        sorted(RubricDescriptor.objects.values_list("subskill__key", "level__value", "text")),
        sorted(Course.objects.values_list("key", "title", "credit_area__key", "credit_value")),
        sorted(
            LearningExperience.objects.values_list(
                "course__key",
                "key",
                "title",
                "kind",
                "position",
                "due_on",
                "alignments__subskill__key",
            )
        ),
        sorted(
            Section.objects.values_list(
                "key", "term__key", "room", "period", "assignments__teacher__username"
            )
        ),
        sorted(
            Enrollment.objects.values_list("section__key", "student__user__username", "enrolled_on")
        ),
        sorted(
            str(row) for row in Evidence.objects.values_list(
                "student__user__username",
                "subskill__key",
                "level",
                "assessed_on",
                "recorded_at",
                "recorded_by__username",
                "source",
                "learning_experience__key",
                "section__key",
                "weight",
                "independent",
                "comment",
                "kind",
                "supersedes__student__user__username",
                "supersedes__subskill__key",
                "supersedes__assessed_on",
                "reason",
            )
        ),
    ]  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()
