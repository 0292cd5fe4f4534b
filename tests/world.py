"""A small named world, built through the app APIs, that app and page tests share.

Riverside: Dana teaches Algebra (section ALG-1) with co-teacher Cole; Omar teaches Biology
(BIO-1). Maya and Sam Okafor are in ALG-1, Leo Brandt in BIO-1. Rosa is Maya and Sam's parent,
Ben is Leo's. Lena leads Riverside, Rita keeps its records. Hilltop is another school with its
own teacher, Hugo, and student, Hana.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mastery.accounts import api as accounts
from mastery.accounts.models import User
from mastery.calendar import api as calendar
from mastery.calendar.models import Term
from mastery.curriculum import api as curriculum
from mastery.curriculum.models import Course, LearningExperience
from mastery.frameworks import api as frameworks
from mastery.frameworks.models import Competency, Framework, PerformanceScale, Subskill
from mastery.grading import api as grading
from mastery.grading.models import PolicyVersion
from mastery.rosters import api as rosters
from mastery.rosters.models import Section
from mastery.schools import api as schools
from mastery.schools.models import Role, School, Student

PASSWORD = "correct horse battery staple"
FOUR_LEVELS = [
    (1, "Beginning", "Starts the work with help.", False),
    (2, "Developing", "Shows parts of the skill.", False),
    (3, "Meeting", "Shows the skill independently.", True),
    (4, "Exceeding", "Transfers the skill to new contexts.", False),
]


@dataclass(frozen=True)
class World:
    riverside: School
    hilltop: School
    scale: PerformanceScale
    framework: Framework
    writing: Competency
    claims: Subskill
    evidence_use: Subskill
    term: Term
    algebra: Course
    lab_report: LearningExperience
    essay: LearningExperience
    algebra_section: Section
    biology_section: Section
    hilltop_section: Section
    dana: User
    cole: User
    omar: User
    hugo: User
    lena: User
    rita: User
    rosa: User
    ben: User
    maya: Student
    sam: Student
    leo: Student
    hana: Student


def _person(username: str, first: str, last: str) -> User:
    return accounts.create_user(
        username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        password=PASSWORD,
    )


def _student(
    school: School, username: str, first: str, last: str, number: str, grade: int
) -> Student:
    return schools.create_student(
        _person(username, first, last),
        school,
        student_number=number,
        grade_level=grade,
        graduation_year=2027 + (12 - grade),
    )


def _teacher(school: School, username: str, first: str, last: str) -> User:
    user = _person(username, first, last)
    schools.add_membership(user, school, role=Role.TEACHER)
    return user


def build_world() -> World:
    riverside = schools.create_school("riverside", name="Riverside High School")
    hilltop = schools.create_school("hilltop", name="Hilltop Academy")
    scale = frameworks.create_scale(riverside, "four-level", name="Four levels", levels=FOUR_LEVELS)
    framework = frameworks.create_framework(
        riverside, "core", title="Riverside competencies", scale=scale
    )
    writing = frameworks.create_competency(
        framework, "AW", title="Argumentative writing", position=1
    )
    claims = frameworks.create_subskill(writing, "AW.1", title="States a precise claim", position=1)
    evidence_use = frameworks.create_subskill(
        writing, "AW.2", title="Supports with evidence", position=2
    )
    frameworks.publish_framework(framework)

    year = calendar.create_school_year(
        riverside,
        "2026-27",
        starts_on=datetime.date(2026, 8, 24),
        ends_on=datetime.date(2027, 6, 18),
    )
    term = calendar.create_term(
        year,
        "S1",
        name="Fall",
        starts_on=datetime.date(2026, 8, 24),
        ends_on=datetime.date(2027, 1, 22),
    )
    math = curriculum.create_credit_area(riverside, "math", name="Mathematics")
    science = curriculum.create_credit_area(riverside, "science", name="Science")
    algebra = curriculum.create_course(riverside, "ALG", title="Algebra", credit_area=math)
    biology = curriculum.create_course(
        riverside, "BIO", title="Biology", credit_area=science, credit_value=Decimal("1.0")
    )
    curriculum.assess_competency(algebra, writing, weight=Decimal("1"))
    curriculum.assess_competency(biology, writing, weight=Decimal("2"))
    lab_report = curriculum.create_learning_experience(
        algebra, "LAB", title="Lab report", kind=curriculum.ExperienceKind.LAB, position=1
    )
    essay = curriculum.create_learning_experience(
        algebra, "ESSAY", title="Modeling essay", kind=curriculum.ExperienceKind.ESSAY, position=2
    )
    curriculum.align_experience(lab_report, [claims, evidence_use])
    curriculum.align_experience(essay, [claims])

    dana = _teacher(riverside, "dana", "Dana", "Whitfield")
    cole = _teacher(riverside, "cole", "Cole", "Marsh")
    omar = _teacher(riverside, "omar", "Omar", "Haddad")
    lena = _person("lena", "Lena", "Ortiz")
    schools.add_membership(lena, riverside, role=Role.LEADER)
    rita = _person("rita", "Rita", "Chen")
    schools.add_membership(rita, riverside, role=Role.REGISTRAR)

    maya = _student(riverside, "maya", "Maya", "Okafor", "R-1001", 10)
    sam = _student(riverside, "sam", "Sam", "Okafor", "R-1002", 9)
    leo = _student(riverside, "leo", "Leo", "Brandt", "R-1003", 11)
    rosa = _person("rosa", "Rosa", "Okafor")
    schools.link_guardian(rosa, maya)
    schools.link_guardian(rosa, sam)
    ben = _person("ben", "Ben", "Brandt")
    schools.link_guardian(ben, leo)

    start = term.starts_on
    algebra_section = rosters.create_section(algebra, term, "ALG-1", period="2", room="104")
    rosters.assign_teacher(algebra_section, dana)
    rosters.assign_teacher(algebra_section, cole, is_lead=False)
    rosters.enroll_student(algebra_section, maya, enrolled_on=start)
    rosters.enroll_student(algebra_section, sam, enrolled_on=start)
    biology_section = rosters.create_section(biology, term, "BIO-1", period="3")
    rosters.assign_teacher(biology_section, omar)
    rosters.enroll_student(biology_section, leo, enrolled_on=start)

    hilltop_year = calendar.create_school_year(
        hilltop, "2026-27", starts_on=datetime.date(2026, 8, 24), ends_on=datetime.date(2027, 6, 18)
    )
    hilltop_term = calendar.create_term(
        hilltop_year, "S1", name="Fall", starts_on=start, ends_on=datetime.date(2027, 1, 22)
    )
    hilltop_math = curriculum.create_credit_area(hilltop, "math", name="Mathematics")
    geometry = curriculum.create_course(hilltop, "GEO", title="Geometry", credit_area=hilltop_math)
    hugo = _teacher(hilltop, "hugo", "Hugo", "Lind")
    hana = _student(hilltop, "hana", "Hana", "Sato", "H-2001", 10)
    hilltop_section = rosters.create_section(geometry, hilltop_term, "GEO-1")
    rosters.assign_teacher(hilltop_section, hugo)
    rosters.enroll_student(hilltop_section, hana, enrolled_on=start)

    return World(
        riverside=riverside,
        hilltop=hilltop,
        scale=scale,
        framework=framework,
        writing=writing,
        claims=claims,
        evidence_use=evidence_use,
        term=term,
        algebra=algebra,
        lab_report=lab_report,
        essay=essay,
        algebra_section=algebra_section,
        biology_section=biology_section,
        hilltop_section=hilltop_section,
        dana=dana,
        cole=cole,
        omar=omar,
        hugo=hugo,
        lena=lena,
        rita=rita,
        rosa=rosa,
        ben=ben,
        maya=maya,
        sam=sam,
        leo=leo,
        hana=hana,
    )


def publish_riverside_policy(
    world: World, /, *, effective_on: datetime.date = datetime.date(2026, 8, 1), **document: Any
) -> PolicyVersion:
    """Riverside's school-wide policy, published by Lena from `effective_on` (the start of the
    year unless said): GRADING.md's default, with each keyword replacing that key of its
    document (`method={"name": "latest"}`, `graduation={...}`)."""
    draft = grading.create_policy(
        world.riverside, "riverside", name="Riverside grading", scale=world.scale,
        created_by=world.lena,
    )  # fmt: skip
    if document:
        grading.update_draft(draft, document={**draft.document, **document})
    return grading.publish_version(draft, effective_on=effective_on, published_by=world.lena)
