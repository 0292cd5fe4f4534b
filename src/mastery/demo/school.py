"""Riverside High School, the demo school: built from a seed, the same every time.

`load_demo_school(seed=2026)` creates the school, its framework, courses, people, sections and a
fall term of evidence through the apps' apis (which validate everything), in one transaction.
Nothing here reads the clock: the school year is fixed (2026-27) and every date and time is
derived from the seed, so two loads with the same seed hold the same data.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from mastery.accounts.api import create_user
from mastery.accounts.models import User
from mastery.calendar.api import create_grading_period, create_school_year, create_term
from mastery.calendar.models import Term
from mastery.curriculum.api import (
    align_experience,
    assess_competency,
    create_course,
    create_credit_area,
    create_learning_experience,
)
from mastery.curriculum.models import Course
from mastery.demo import curriculum_content, framework_content
from mastery.demo.exemplars import post_exemplars
from mastery.demo.graduation_content import graduation_document, record_earlier_years
from mastery.demo.people_content import STAFF
from mastery.demo.reassessments import open_reassessments
from mastery.demo.roster import create_people, enroll_students
from mastery.demo.term_evidence import (
    CourseExperience,
    SubskillFacts,
    record_fall_evidence,
)
from mastery.evidence.models import Evidence
from mastery.frameworks.api import (
    create_competency,
    create_framework,
    create_grade_band,
    create_scale,
    create_subskill,
    publish_framework,
    set_descriptor,
)
from mastery.frameworks.models import GradeBand, PerformanceScale, Subskill
from mastery.grading.api import create_policy, publish_version, update_draft
from mastery.rosters.api import assign_teacher, create_section
from mastery.rosters.models import Section
from mastery.schools.api import Role, add_membership, create_school
from mastery.schools.models import School

SCHOOL_KEY = "riverside"
SCHOOL_NAME = "Riverside High School"
DEFAULT_SEED = 2026
DEFAULT_STUDENTS = 240
DEMO_PASSWORD = "demo"
STAFF_GROUP = "School office"

YEAR_KEY = "2026-27"
YEAR = (datetime.date(2026, 8, 24), datetime.date(2027, 6, 18))
TERMS = {
    curriculum_content.FALL: ("S1", "Fall", datetime.date(2026, 8, 24), datetime.date(2027, 1, 22)),
    curriculum_content.SPRING: (
        "S2",
        "Spring",
        datetime.date(2027, 1, 25),
        datetime.date(2027, 6, 18),
    ),
}
GRADING_PERIODS = {
    curriculum_content.FALL: (
        ("Q1", "Quarter 1", datetime.date(2026, 8, 24), datetime.date(2026, 10, 30)),
        ("Q2", "Quarter 2", datetime.date(2026, 11, 2), datetime.date(2027, 1, 22)),
    ),
    curriculum_content.SPRING: (
        ("Q3", "Quarter 3", datetime.date(2027, 1, 25), datetime.date(2027, 4, 2)),
        ("Q4", "Quarter 4", datetime.date(2027, 4, 5), datetime.date(2027, 6, 18)),
    ),
}

# Apps whose records the school office may manage in the Django admin (the grading admin itself
# keeps ratings read-only: they are derived); the ledger is append-only, so for evidence the
# office may look and add, never change.
_OFFICE_APPS = (
    "accounts",
    "schools",
    "calendar",
    "frameworks",
    "curriculum",
    "rosters",
    "grading",
)


@dataclass(frozen=True)
class SignIn:
    username: str
    who: str
    role: str
    look_at: str


SIGN_INS = (
    SignIn("leader", "Angela Brooks", "Instructional leader", "The school, its framework; /admin/"),
    SignIn("registrar", "Paul Jensen", "Registrar", "Rosters, terms and courses; /admin/"),
    SignIn("teacher", "Dana Whitfield", "Teacher", "Three English sections, Maya's among them"),
    SignIn("teacher2", "Omar Haddad", "Teacher", "Statistics and design; Leo Brandt's class"),
    SignIn("student", "Maya Okafor", "Student, grade 10", "Her courses and her evidence"),
    SignIn("student2", "Leo Brandt", "Student, grade 11", "His courses and his evidence"),
    SignIn("guardian", "Rosa Okafor", "Family member", "Her children Maya and Sam"),
    SignIn("guardian2", "Ben Brandt", "Family member", "His son Leo"),
)


@dataclass(frozen=True)
class DemoSummary:
    """What a load left in the database (or found there already, when `created` is False)."""

    school: School
    created: bool
    students: int
    teachers: int
    guardians: int
    sections: int
    at_bats: int


def demo_school_exists() -> bool:
    return School.objects.filter(key=SCHOOL_KEY).exists()


def summarize_demo_school(*, created: bool = False) -> DemoSummary:
    school = School.objects.get(key=SCHOOL_KEY)
    return DemoSummary(
        school=school,
        created=created,
        students=school.students.count(),
        teachers=school.memberships.filter(role=Role.TEACHER).count(),
        guardians=school.memberships.filter(role=Role.GUARDIAN).count(),
        sections=Section.objects.filter(course__school=school).count(),
        at_bats=Evidence.objects.filter(student__school=school).count(),
    )


@transaction.atomic
def load_demo_school(*, seed: int = DEFAULT_SEED, students: int = DEFAULT_STUDENTS) -> DemoSummary:
    """Create Riverside High School with `students` students, unless it already exists."""
    if demo_school_exists():
        return summarize_demo_school(created=False)
    school = create_school(SCHOOL_KEY, name=SCHOOL_NAME, lowest_grade=9, highest_grade=12)
    terms = _create_calendar(school)
    subskills, facts, scale = _create_framework(school)
    courses, experiences = _create_curriculum(school, subskills)
    staff = _create_staff(school)
    _adopt_grading_policy(school, scale, staff["leader"])
    sections = _create_sections(courses, terms, staff)
    people = create_people(
        random.Random(f"{seed}:people"),
        school,
        students=students,
        competency_keys=tuple(c.key for c in framework_content.COMPETENCIES),
    )
    record_earlier_years(
        random.Random(f"{seed}:earlier-years"), school, list(people), staff["registrar"]
    )
    enrollments = enroll_students(
        random.Random(f"{seed}:enrollments"), people, sections, start_dates=_term_starts()
    )
    record_fall_evidence(
        random.Random(f"{seed}:evidence"),
        enrollments=enrollments,
        experiences=experiences,
        subskill_facts=facts,
        staff=staff,
    )
    open_reassessments(sections=sections, experiences=experiences, subskills=subskills, staff=staff)
    post_exemplars(subskills=subskills, scale=scale, teacher=staff["teacher"])
    return summarize_demo_school(created=True)


def _term_starts() -> dict[str, datetime.date]:
    return {term: starts_on for term, (_, _, starts_on, _) in TERMS.items()}


def _create_calendar(school: School) -> dict[str, Term]:
    year = create_school_year(school, YEAR_KEY, starts_on=YEAR[0], ends_on=YEAR[1])
    terms = {}
    for term_name, (key, name, starts_on, ends_on) in TERMS.items():
        term = create_term(year, key, name=name, starts_on=starts_on, ends_on=ends_on)
        for period_key, period_name, period_start, period_end in GRADING_PERIODS[term_name]:
            create_grading_period(
                term, period_key, name=period_name, starts_on=period_start, ends_on=period_end
            )
        terms[term_name] = term
    return terms


def _create_framework(
    school: School,
) -> tuple[dict[str, Subskill], dict[str, SubskillFacts], PerformanceScale]:
    scale = create_scale(
        school,
        framework_content.SCALE_KEY,
        name=framework_content.SCALE_NAME,
        levels=[
            (level.value, level.label, level.description, level.is_mastery)
            for level in framework_content.LEVELS
        ],
    )
    levels = list(scale.levels.order_by("value"))
    framework = create_framework(
        school,
        "riverside-competencies",
        title="Riverside Graduate Competencies",
        scale=scale,
        description=(
            "The eight competencies every Riverside graduate demonstrates, each an ordered "
            "progression of subskills from grades 9-10 to grades 11-12."
        ),
    )
    bands: dict[str, GradeBand] = {
        key: create_grade_band(framework, key, lowest_grade=low, highest_grade=high)
        for key, low, high in (
            (framework_content.BAND_9_10, 9, 10),
            (framework_content.BAND_11_12, 11, 12),
        )
    }
    subskills: dict[str, Subskill] = {}
    facts: dict[str, SubskillFacts] = {}
    for position, content in enumerate(framework_content.COMPETENCIES, start=1):
        competency = create_competency(
            framework,
            content.key,
            title=content.title,
            description=content.description,
            position=position,
        )
        for step, subskill_content in enumerate(content.subskills, start=1):
            band = bands[subskill_content.band]
            subskill = create_subskill(
                competency,
                subskill_content.key,
                title=subskill_content.title,
                position=step,
                grade_band=band,
                description=subskill_content.description,
            )
            for level, text in zip(levels, subskill_content.descriptors, strict=True):
                set_descriptor(subskill, level, text=text, grade_band=band)
            subskills[subskill.key] = subskill
            steps_into_band = sum(
                1 for earlier in content.subskills[: step - 1] if earlier.band == band.key
            )
            facts[subskill.key] = SubskillFacts(
                subskill=subskill,
                competency_key=content.key,
                band_lowest_grade=band.lowest_grade,
                band_highest_grade=band.highest_grade,
                difficulty=0.15 * steps_into_band,
            )
    publish_framework(framework)
    return subskills, facts, scale


def _adopt_grading_policy(school: School, scale: PerformanceScale, leader: User) -> None:
    """GRADING.md's default policy, in force from the first day of the year, so every at-bat
    the demo records is rated as it is appended."""
    draft = create_policy(
        school, "riverside", name="Riverside grading policy", scale=scale, created_by=leader
    )
    document = dict(draft.document)
    document["graduation"] = graduation_document()
    update_draft(draft, document=document, notes="GRADING.md's default, with Riverside's diploma.")
    publish_version(draft, effective_on=YEAR[0], published_by=leader)


def _create_curriculum(
    school: School, subskills: dict[str, Subskill]
) -> tuple[dict[str, Course], dict[str, list[CourseExperience]]]:
    areas = {
        key: create_credit_area(school, key, name=name)
        for key, name in curriculum_content.CREDIT_AREAS
    }
    competencies = {subskill.competency.key: subskill.competency for subskill in subskills.values()}
    courses: dict[str, Course] = {}
    experiences: dict[str, list[CourseExperience]] = {}
    for content in curriculum_content.COURSES:
        course = create_course(
            school,
            content.key,
            title=content.title,
            credit_area=areas[content.credit_area],
            credit_value=content.credit_value,
            lowest_grade=content.lowest_grade,
            highest_grade=content.highest_grade,
            description=content.description,
        )
        for competency_key, weight in content.competencies:
            assess_competency(course, competencies[competency_key], weight=weight)
        course_experiences = []
        for position, experience_content in enumerate(content.experiences, start=1):
            experience = create_learning_experience(
                course,
                f"{content.key}.{position}",
                title=experience_content.title,
                kind=experience_content.kind,
                position=position,
                description=experience_content.description,
            )
            aligned = [subskills[key] for key in experience_content.subskills]
            align_experience(experience, aligned)
            course_experiences.append(
                CourseExperience(
                    experience=experience, kind=experience_content.kind, aligned=aligned
                )
            )
        courses[course.key] = course
        experiences[course.key] = course_experiences
    return courses, experiences


def _create_staff(school: School) -> dict[str, User]:
    staff = {}
    for person in STAFF:
        user = create_user(
            person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@riverside.example",
            password=DEMO_PASSWORD if person.has_demo_password else None,
            is_staff=person.role in (Role.LEADER, Role.REGISTRAR),
        )
        add_membership(user, school, role=person.role, title=person.title)
        staff[person.username] = user
    office = _office_group()
    for username in ("leader", "registrar"):
        staff[username].groups.add(office)
    return staff


def _office_group() -> Group:
    """The Django admin group for leaders and registrars: view, add and change the school's
    records; for the append-only evidence ledger, view and add only."""
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            Q(
                content_type__app_label__in=_OFFICE_APPS,
                codename__regex=r"^(view|add|change)_",
            )
            | Q(content_type__app_label="evidence", codename__regex=r"^(view|add)_")
        )
    )
    return group


def _create_sections(
    courses: dict[str, Course], terms: dict[str, Term], staff: dict[str, User]
) -> dict[str, Section]:
    sections = {}
    for content in curriculum_content.SECTIONS:
        section = create_section(
            courses[content.course],
            terms[content.term],
            content.key,
            room=content.room,
            period=content.period,
        )
        for index, username in enumerate(content.teachers):
            assign_teacher(section, staff[username], is_lead=index == 0)
        sections[content.key] = section
    return sections
