"""The door to curriculum: credit areas, courses, learning experiences and their alignment."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from mastery.curriculum.models import (
    Alignment,
    Course,
    CourseCompetency,
    CreditArea,
    ExperienceKind,
    LearningExperience,
)
from mastery.curriculum.signals import due_date_changed
from mastery.frameworks.models import Competency, Subskill
from mastery.schools.models import School

__all__ = [
    "ExperienceKind",
    "align_experience",
    "assess_competency",
    "create_course",
    "create_credit_area",
    "create_learning_experience",
    "get_alignment",
    "list_assessed_competencies",
    "list_assessed_subskills",
    "list_courses",
    "list_experiences",
    "update_learning_experience",
]


@transaction.atomic
def create_credit_area(school: School, key: str, /, *, name: str) -> CreditArea:
    area = CreditArea(school=school, key=key, name=name)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def create_course(
    school: School,
    key: str,
    /,
    *,
    title: str,
    credit_area: CreditArea,
    credit_value: Decimal = Decimal("1"),
    lowest_grade: int = 9,
    highest_grade: int = 12,
    description: str = "",
) -> Course:
    if credit_area.school_id != school.id:
        raise ValidationError({"credit_area": f"{credit_area} belongs to another school."})
    course = Course(
        school=school,
        key=key,
        title=title,
        credit_area=credit_area,
        credit_value=credit_value,
        lowest_grade=lowest_grade,
        highest_grade=highest_grade,
        description=description,
    )
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def assess_competency(
    course: Course, competency: Competency, /, *, weight: Decimal = Decimal("1")
) -> CourseCompetency:
    """Say that a course assesses a competency, with its weight in the course grade."""
    if competency.framework.school_id != course.school_id:
        raise ValidationError(
            {"competency": f"{competency} belongs to another school's framework."}
        )
    link, _ = CourseCompetency.objects.update_or_create(
        course=course, competency=competency, defaults={"weight": weight}
    )
    link.full_clean()
    return link


@transaction.atomic
def create_learning_experience(
    course: Course,
    key: str,
    /,
    *,
    title: str,
    kind: ExperienceKind,
    position: int,
    description: str = "",
    due_on: datetime.date | None = None,
) -> LearningExperience:
    experience = LearningExperience(
        course=course,
        key=key,
        title=title,
        kind=kind,
        position=position,
        description=description,
        due_on=due_on,
    )
    experience.full_clean()
    experience.save()
    return experience


@transaction.atomic
def update_learning_experience(
    experience: LearningExperience, /, *, due_on: datetime.date | None
) -> LearningExperience:
    """Set (or, with None, clear) when the experience is due. Ratings under a policy that
    orders at-bats by due date follow, in the same transaction (`signals.due_date_changed`)."""
    if experience.due_on == due_on:
        return experience
    experience.due_on = due_on
    experience.full_clean()
    experience.save(update_fields=["due_on"])
    due_date_changed.send(sender=LearningExperience, experience=experience)
    return experience


@transaction.atomic
def align_experience(experience: LearningExperience, subskills: Iterable[Subskill], /) -> None:
    """Align an experience to subskills of competencies its course assesses."""
    assessed = set(experience.course.assessed.values_list("competency_id", flat=True))
    for subskill in subskills:
        if subskill.competency_id not in assessed:
            raise ValidationError(
                {
                    "subskill": (
                        f"{subskill.key} belongs to a competency "
                        f"{experience.course} does not assess."
                    )
                }
            )
        Alignment.objects.get_or_create(experience=experience, subskill=subskill)


def get_alignment(
    course_id: int, /, *, experience_uuid: UUID | str, subskill_uuid: UUID | str
) -> Alignment:
    """The course's experience aligned to the subskill, with both (and the subskill's scale) in
    one query; raises Alignment.DoesNotExist when they are not aligned."""
    return (
        Alignment.objects.select_related("experience", "subskill__competency__framework__scale")
        .order_by()
        .get(
            experience__uuid=experience_uuid,
            experience__course_id=course_id,
            subskill__uuid=subskill_uuid,
        )
    )


def list_courses(school: School, /) -> QuerySet[Course]:
    return Course.objects.filter(school=school).select_related("credit_area")


def list_experiences(course: Course, /) -> QuerySet[LearningExperience]:
    return course.experiences.prefetch_related("alignments__subskill")


def list_assessed_competencies(course: Course, /) -> QuerySet[Competency]:
    return Competency.objects.filter(courses=course)


def list_assessed_subskills(course: Course, /) -> QuerySet[Subskill]:
    return Subskill.objects.filter(competency__courses=course).select_related("competency")
