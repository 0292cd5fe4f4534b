"""The door to schools and people: districts, schools, roles, students and their families."""

from django.db import transaction
from django.db.models import QuerySet

from mastery.accounts.models import User
from mastery.schools.models import District, Guardianship, Membership, Role, School, Student

__all__ = [
    "Role",
    "add_membership",
    "create_district",
    "create_school",
    "create_student",
    "get_student",
    "has_role",
    "link_guardian",
    "list_children",
    "list_memberships",
    "list_schools_where",
    "list_students",
    "roles_at",
]


@transaction.atomic
def create_district(key: str, /, *, name: str) -> District:
    district = District(key=key, name=name)
    district.full_clean()
    district.save()
    return district


@transaction.atomic
def create_school(
    key: str,
    /,
    *,
    name: str,
    district: District | None = None,
    lowest_grade: int = 9,
    highest_grade: int = 12,
) -> School:
    school = School(
        key=key,
        name=name,
        district=district,
        lowest_grade=lowest_grade,
        highest_grade=highest_grade,
    )
    school.full_clean()
    school.save()
    return school


@transaction.atomic
def add_membership(user: User, school: School, /, *, role: Role, title: str = "") -> Membership:
    """Give a person a role at a school; adding a role they already hold changes nothing."""
    membership, created = Membership.objects.get_or_create(
        user=user, school=school, role=role, defaults={"title": title}
    )
    if not created and title and membership.title != title:
        membership.title = title
        membership.save(update_fields=["title"])
    return membership


@transaction.atomic
def create_student(
    user: User,
    school: School,
    /,
    *,
    student_number: str,
    grade_level: int,
    graduation_year: int,
) -> Student:
    """A student record for an account, with the student role at the school."""
    student = Student(
        user=user,
        school=school,
        student_number=student_number,
        grade_level=grade_level,
        graduation_year=graduation_year,
    )
    student.full_clean()
    student.save()
    add_membership(user, school, role=Role.STUDENT)
    return student


@transaction.atomic
def link_guardian(
    guardian: User, student: Student, /, *, relationship: str = "Parent"
) -> Guardianship:
    guardianship, _ = Guardianship.objects.get_or_create(
        guardian=guardian, student=student, defaults={"relationship": relationship}
    )
    add_membership(guardian, student.school, role=Role.GUARDIAN)
    return guardianship


def roles_at(user: User, school: School, /) -> set[Role]:
    return {
        Role(role) for role in user.memberships.filter(school=school).values_list("role", flat=True)
    }


def has_role(user: User, school: School, /, *roles: Role) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, school=school, role__in=roles).exists()


def list_memberships(user: User, /) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("school")


def list_schools_where(user: User, /, *roles: Role) -> QuerySet[School]:
    """The schools at which the person holds any of the roles."""
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def list_children(guardian: User, /) -> QuerySet[Student]:
    """The students this family member is linked to, and no one else."""
    if not guardian.is_authenticated:
        return Student.objects.none()
    return Student.objects.filter(guardianships__guardian=guardian).select_related("user", "school")


def list_students(school: School, /) -> QuerySet[Student]:
    return Student.objects.filter(school=school).select_related("user")


def get_student(student_uuid: str, /) -> Student:
    return Student.objects.select_related("user", "school").get(uuid=student_uuid)
