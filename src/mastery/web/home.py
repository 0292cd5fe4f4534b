"""What the home page shows a person, by the roles they hold. Reads app APIs only."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from mastery.accounts.models import User
from mastery.frameworks import api as frameworks
from mastery.frameworks.models import Competency, Framework
from mastery.reviews import api as reviews
from mastery.rosters import api as rosters
from mastery.rosters.models import Enrollment, Section
from mastery.schools import api as schools
from mastery.schools.models import Role, School, Student


@dataclass(frozen=True)
class SchoolOverview:
    school: School
    roles: list[str]
    student_count: int
    teacher_count: int
    section_count: int
    course_count: int
    framework: Framework | None
    competencies: list[Competency]


@dataclass(frozen=True)
class ChildSummary:
    student: Student
    enrollments: list[Enrollment]


@dataclass(frozen=True)
class HomePage:
    user: User
    teaching: list[Section] = field(default_factory=list)
    own_student: Student | None = None
    own_enrollments: list[Enrollment] = field(default_factory=list)
    children: list[ChildSummary] = field(default_factory=list)
    schools: list[SchoolOverview] = field(default_factory=list)
    open_reviews: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.teaching or self.own_student or self.children or self.schools)


def _overview(school: School, roles: list[str]) -> SchoolOverview:
    framework = frameworks.get_published_framework(school)
    return SchoolOverview(
        school=school,
        roles=roles,
        student_count=school.students.count(),
        teacher_count=school.memberships.filter(role=Role.TEACHER).count(),
        section_count=Section.objects.filter(course__school=school).count(),
        course_count=school.courses.count(),
        framework=framework,
        competencies=list(frameworks.list_competencies(framework)) if framework else [],
    )


def _children(user: User) -> list[ChildSummary]:
    children = schools.list_children(user).prefetch_related(
        Prefetch(
            "enrollments",
            queryset=Enrollment.objects.filter(withdrawn_on__isnull=True)
            .select_related("section__course", "section__term")
            .prefetch_related("section__teachers"),
        )
    )
    return [
        ChildSummary(student=child, enrollments=list(child.enrollments.all())) for child in children
    ]


def build_home(user: User) -> HomePage:
    memberships = list(schools.list_memberships(user))
    roles = {Role(membership.role) for membership in memberships}
    student = Student.objects.filter(user=user).select_related("school").first()
    by_school: dict[School, list[str]] = {}
    for membership in memberships:
        if membership.role in (Role.LEADER, Role.REGISTRAR, Role.ADMIN):
            by_school.setdefault(membership.school, []).append(membership.get_role_display())
    return HomePage(
        user=user,
        teaching=list(rosters.list_sections_taught_by(user)) if Role.TEACHER in roles else [],
        open_reviews=reviews.count_open_for_teacher(user) if Role.TEACHER in roles else 0,
        own_student=student,
        own_enrollments=list(rosters.list_enrollments(student)) if student else [],
        children=_children(user) if Role.GUARDIAN in roles else [],
        schools=[_overview(school, labels) for school, labels in by_school.items()],
    )
