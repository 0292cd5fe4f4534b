"""The door to rosters: sections, who teaches them, who is enrolled, who may see whom, and the
reassessment opportunities a section's teachers open."""

import datetime
from collections.abc import Iterable
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from mastery.accounts.models import User
from mastery.calendar.models import Term
from mastery.curriculum import api as curriculum
from mastery.curriculum.models import Course, LearningExperience
from mastery.frameworks.models import Subskill
from mastery.rosters.models import (
    Enrollment,
    ReassessmentOpportunity,
    Section,
    TeachingAssignment,
)
from mastery.schools.models import Membership, Role, School, Student

__all__ = [
    "assign_teacher",
    "create_section",
    "enroll_student",
    "get_section_taught_by",
    "get_section_visible_to",
    "list_enrollments",
    "list_enrollments_visible_to",
    "list_open_reassessments",
    "list_section_reassessments",
    "list_sections_taught_by",
    "list_sections_visible_to",
    "list_students_visible_to",
    "open_reassessment",
]

_SCHOOL_WIDE_ROLES = (Role.LEADER, Role.REGISTRAR, Role.ADMIN)


@transaction.atomic
def create_section(
    course: Course, term: Term, key: str, /, *, room: str = "", period: str = ""
) -> Section:
    if term.school_year.school_id != course.school_id:
        raise ValidationError({"term": f"{term} belongs to another school than {course}."})
    section = Section(course=course, term=term, key=key, room=room, period=period)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def assign_teacher(
    section: Section, teacher: User, /, *, is_lead: bool = True
) -> TeachingAssignment:
    school = section.course.school
    if not Membership.objects.filter(user=teacher, school=school, role=Role.TEACHER).exists():
        raise ValidationError({"teacher": f"{teacher} is not a teacher at {school}."})
    assignment, _ = TeachingAssignment.objects.get_or_create(
        section=section, teacher=teacher, defaults={"is_lead": is_lead}
    )
    return assignment


@transaction.atomic
def enroll_student(
    section: Section, student: Student, /, *, enrolled_on: datetime.date
) -> Enrollment:
    if student.school_id != section.course.school_id:
        raise ValidationError(
            {"student": f"{student} is not a student at {section.course.school}."}
        )
    enrollment, created = Enrollment.objects.get_or_create(
        section=section, student=student, defaults={"enrolled_on": enrolled_on}
    )
    if created:
        enrollment.full_clean()
    return enrollment


def _with_counts(sections: QuerySet[Section]) -> QuerySet[Section]:
    return (
        sections.select_related("course", "course__credit_area", "term", "term__school_year")
        .prefetch_related("teachers")
        .annotate(
            student_count=Count("enrollments", filter=Q(enrollments__withdrawn_on__isnull=True))
        )
        .order_by("term__starts_on", "period", "key")
    )


def list_sections_taught_by(teacher: User, /) -> QuerySet[Section]:
    """The sections a teacher teaches (alone or with co-teachers), with their student counts."""
    return _with_counts(Section.objects.filter(assignments__teacher=teacher))


def list_sections_visible_to(user: User, /) -> QuerySet[Section]:
    """Sections a person may open: their own as teacher; every section at a school they lead
    or keep the records of. Students and families see courses through their enrollments."""
    if not user.is_authenticated:
        return Section.objects.none()
    schools = School.objects.filter(
        memberships__user=user, memberships__role__in=_SCHOOL_WIDE_ROLES
    )
    return _with_counts(
        Section.objects.filter(
            Q(assignments__teacher=user) | Q(course__school__in=schools)
        ).distinct()
    )


def get_section_visible_to(user: User, section_uuid: UUID | str, /) -> Section:
    """One section a person may open (as `list_sections_visible_to` decides), with `teaches`
    set: whether they teach it. One query; raises Section.DoesNotExist otherwise."""
    if not user.is_authenticated:
        raise Section.DoesNotExist
    teaches = Exists(TeachingAssignment.objects.filter(section=OuterRef("pk"), teacher=user))
    school_wide = Membership.objects.filter(user=user, role__in=_SCHOOL_WIDE_ROLES).values(
        "school_id"
    )
    return (
        Section.objects.select_related("course__school", "course__credit_area", "term")
        .annotate(teaches=teaches)
        .filter(Q(teaches=True) | Q(course__school_id__in=school_wide), uuid=section_uuid)
        .get()
    )


def get_section_taught_by(teacher: User, section_uuid: UUID | str, /) -> Section:
    """One section the person teaches (co-teachers too). One query; raises
    Section.DoesNotExist otherwise."""
    if not teacher.is_authenticated:
        raise Section.DoesNotExist
    return (
        Section.objects.select_related("course__school", "course__credit_area", "term")
        .filter(uuid=section_uuid, assignments__teacher=teacher)
        .get()
    )


def list_students_visible_to(user: User, /) -> QuerySet[Student]:
    """Students whose records a person may see: themself, their children, the students in the
    sections they teach, and everyone at a school they lead or keep the records of."""
    if not user.is_authenticated:
        return Student.objects.none()
    schools = School.objects.filter(
        memberships__user=user, memberships__role__in=_SCHOOL_WIDE_ROLES
    )
    return (
        Student.objects.filter(
            Q(user=user)
            | Q(guardianships__guardian=user)
            | Q(enrollments__section__assignments__teacher=user)
            | Q(school__in=schools)
        )
        .distinct()
        .select_related("user", "school")
    )


def list_enrollments(student: Student, /, *, term: Term | None = None) -> QuerySet[Enrollment]:
    enrollments = Enrollment.objects.filter(student=student, withdrawn_on__isnull=True)
    if term is not None:
        enrollments = enrollments.filter(section__term=term)
    return enrollments.select_related(
        "section", "section__course", "section__course__credit_area", "section__term"
    ).prefetch_related("section__teachers")


def list_enrollments_visible_to(user: User, student: Student, /) -> QuerySet[Enrollment]:
    """A student's current enrollments as a person may see them: all of them for the student,
    their family and school-wide staff; for a teacher, only the sections they teach."""
    enrollments = list_enrollments(student)
    sees_everything = (
        student.user_id == user.pk
        or student.guardianships.filter(guardian=user).exists()
        or Membership.objects.filter(
            user=user, school=student.school, role__in=_SCHOOL_WIDE_ROLES
        ).exists()
    )
    if sees_everything:
        return enrollments
    return enrollments.filter(section__assignments__teacher=user)


@transaction.atomic
def open_reassessment(
    section: Section,
    /,
    *,
    title: str,
    subskills: Iterable[Subskill],
    opens_on: datetime.date,
    closes_on: datetime.date,
    details: str = "",
    learning_experience: LearningExperience | None = None,
    created_by: User,
) -> ReassessmentOpportunity:
    """Open a window, from `opens_on` to `closes_on` (both included), in which the section's
    students can show `subskills` again. Only a teacher of the section (co-teachers too) may
    open one; the subskills must be ones the section's course assesses, and the learning
    experience, if any, one of the course's."""
    if not TeachingAssignment.objects.filter(section=section, teacher=created_by).exists():
        raise PermissionDenied(f"{created_by} does not teach {section}.")
    chosen = list(dict.fromkeys(subskills))
    errors: dict[str, list[str]] = {}
    assessed = set(curriculum.list_assessed_subskills(section.course).values_list("pk", flat=True))
    outside = sorted(subskill.key for subskill in chosen if subskill.pk not in assessed)
    if not chosen:
        errors["subskills"] = ["Choose at least one subskill to reassess."]
    elif outside:
        errors["subskills"] = [f"{section.course} does not assess {', '.join(outside)}."]
    if learning_experience is not None and learning_experience.course_id != section.course_id:
        errors["learning_experience"] = [
            f"{learning_experience.title} is not a learning experience of {section.course}."
        ]
    opportunity = ReassessmentOpportunity(
        section=section,
        title=title.strip(),
        learning_experience=learning_experience,
        opens_on=opens_on,
        closes_on=closes_on,
        details=details.strip(),
        created_by=created_by,
    )
    try:
        opportunity.full_clean(exclude=list(errors))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    opportunity.save()
    opportunity.subskills.set(chosen)
    return opportunity


def _with_details(
    opportunities: QuerySet[ReassessmentOpportunity],
) -> QuerySet[ReassessmentOpportunity]:
    """Everything a page shows of an opportunity, in two queries however many there are."""
    return opportunities.select_related(
        "section__course", "section__term", "learning_experience", "created_by"
    ).prefetch_related(
        Prefetch(
            "subskills",
            queryset=Subskill.objects.select_related("competency").order_by(
                "competency__position", "position", "key"
            ),
        )
    )


def list_open_reassessments(
    student: Student, /, *, on: datetime.date, subskills: Iterable[Subskill] | None = None
) -> QuerySet[ReassessmentOpportunity]:
    """The opportunities open on `on` (opens_on <= on <= closes_on) in the sections the student
    is currently enrolled in, soonest to close first, with their subskills prefetched; with
    `subskills`, only those that target at least one of them (the ones the student still
    needs, say)."""
    current = Enrollment.objects.filter(
        section=OuterRef("section"), student=student, withdrawn_on__isnull=True
    )
    opportunities = ReassessmentOpportunity.objects.filter(
        Exists(current), opens_on__lte=on, closes_on__gte=on
    )
    if subskills is not None:
        targeting = ReassessmentOpportunity.subskills.through.objects.filter(
            reassessmentopportunity=OuterRef("pk"), subskill__in=list(subskills)
        )
        opportunities = opportunities.filter(Exists(targeting))
    return _with_details(opportunities).order_by("closes_on", "opens_on", "title", "pk")


def list_section_reassessments(section: Section, /) -> QuerySet[ReassessmentOpportunity]:
    """Every opportunity opened in a section, latest to open first, with its subskills."""
    return _with_details(ReassessmentOpportunity.objects.filter(section=section)).order_by(
        "-opens_on", "-closes_on", "title", "pk"
    )
