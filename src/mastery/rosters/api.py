"""The door to rosters: sections, who teaches them, who is enrolled, and who may see whom."""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from mastery.accounts.models import User
from mastery.calendar.models import Term
from mastery.curriculum.models import Course
from mastery.rosters.models import Enrollment, Section, TeachingAssignment
from mastery.schools.models import Membership, Role, School, Student

__all__ = [
    "assign_teacher",
    "create_section",
    "enroll_student",
    "get_section_taught_by",
    "get_section_visible_to",
    "list_enrollments",
    "list_enrollments_visible_to",
    "list_sections_taught_by",
    "list_sections_visible_to",
    "list_students_visible_to",
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
