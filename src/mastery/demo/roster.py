"""The demo's students and families, and which sections each student is enrolled in.

Every name comes from the pools in people_content, drawn with the seeded generator; the named
families (Okafor, Brandt) come first, and their surnames are never drawn for anyone else.
"""

import datetime
import math
import random
import unicodedata
from dataclasses import dataclass, replace

from mastery.accounts.api import create_user
from mastery.accounts.models import Language
from mastery.demo import curriculum_content
from mastery.demo.curriculum_content import SectionContent
from mastery.demo.growth import Learner, draw_learner
from mastery.demo.people_content import (
    ADULT_FIRST_NAMES,
    GUARDIAN_RELATIONSHIPS,
    LAST_NAMES,
    NAMED_FAMILIES,
    RESERVED_LAST_NAMES,
    STUDENT_FIRST_NAMES,
)
from mastery.rosters.api import enroll_student
from mastery.rosters.models import Section
from mastery.schools.api import create_student, link_guardian
from mastery.schools.models import School, Student

DEMO_PASSWORD = "demo"
# Seniors in 2026-27 graduate in 2027; a ninth grader in 2030.
_SENIOR_GRADUATION_YEAR = 2027
_GRADES = (9, 10, 11, 12)
# Surnames whose families, now and then, prefer Spanish for messages home.
_SPANISH_SURNAMES = frozenset(
    {
        "Acosta", "Alvarez", "Castillo", "Chavez", "Cruz", "Delgado", "Diaz", "Flores",
        "García", "Gomez", "Gonzalez", "Gutierrez", "Hernandez", "Jimenez", "Lopez", "Martinez",
        "Morales", "Moreno", "Ortiz", "Perez", "Quispe", "Ramirez", "Reyes", "Rivera",
        "Rodriguez", "Romero", "Sanchez", "Santos", "Torres", "Vargas",
    }
)  # fmt: skip


@dataclass(frozen=True)
class DemoStudent:
    student: Student
    learner: Learner
    fixed_sections: tuple[str, ...] = ()
    """Sections a named student is always in; others are placed by the generator."""


@dataclass(frozen=True)
class SectionRoster:
    section: Section
    content: SectionContent
    students: tuple[DemoStudent, ...]


class _Usernames:
    """Readable, unique usernames: maya.okafor, then maya.okafor2 for a namesake."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, first_name: str, last_name: str) -> str:
        base = _ascii(f"{first_name}.{last_name}")
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}{number}"
        self.taken.add(candidate)
        return candidate


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch in ".-")).lower()


class _StudentNumbers:
    """RHS + graduation year + a running number in the cohort: RHS29001."""

    def __init__(self) -> None:
        self.issued: dict[int, int] = {}

    def next(self, graduation_year: int) -> str:
        self.issued[graduation_year] = self.issued.get(graduation_year, 0) + 1
        return f"RHS{graduation_year % 100:02d}{self.issued[graduation_year]:03d}"


def graduation_year(grade: int) -> int:
    return _SENIOR_GRADUATION_YEAR + (12 - grade)


def create_people(
    rng: random.Random, school: School, *, students: int, competency_keys: tuple[str, ...]
) -> list[DemoStudent]:
    """The named families, then generated families until the school has `students` students,
    spread evenly over grades 9-12."""
    usernames = _Usernames()
    numbers = _StudentNumbers()
    people: list[DemoStudent] = []
    for family in NAMED_FAMILIES:
        guardian = create_user(
            family.guardian_username,
            first_name=family.guardian_first_name,
            last_name=family.last_name,
            email=f"{family.guardian_username}@example.com",
            password=DEMO_PASSWORD,
        )
        usernames.taken.add(family.guardian_username)
        for child in family.children:
            usernames.taken.add(child.username)
            user = create_user(
                child.username,
                first_name=child.first_name,
                last_name=family.last_name,
                email=f"{child.username}@students.riverside.example",
                password=DEMO_PASSWORD if child.has_demo_password else None,
            )
            year = graduation_year(child.grade)
            student = create_student(
                user,
                school,
                student_number=numbers.next(year),
                grade_level=child.grade,
                graduation_year=year,
            )
            link_guardian(guardian, student, relationship="Mother")
            learner = replace(
                draw_learner(
                    rng,
                    competency_keys,
                    start=child.start,
                    growth=child.growth,
                    named_strengths=dict(child.strengths),
                ),
                absence_rate=0.03,
                support_rate=0.1 if child.grade == 9 else 0.0,
                self_assessment_bias=child.self_assessment_bias,
            )
            people.append(DemoStudent(student, learner, child.fall_sections))
    grades = _grades_to_fill(students, [person.student.grade_level for person in people])
    surnames = [name for name in LAST_NAMES if name not in RESERVED_LAST_NAMES]
    while grades:
        people.extend(
            _create_family(rng, school, grades, surnames, usernames, numbers, competency_keys)
        )
    return people


def _grades_to_fill(students: int, taken: list[int]) -> list[int]:
    """The grade of every student still to create, so each grade ends up with a quarter."""
    per_grade = [students // 4 + (1 if index < students % 4 else 0) for index in range(4)]
    needed = []
    for grade, count in zip(_GRADES, per_grade, strict=True):
        needed.extend([grade] * max(0, count - taken.count(grade)))
    return needed


def _create_family(
    rng: random.Random,
    school: School,
    grades: list[int],
    surnames: list[str],
    usernames: _Usernames,
    numbers: _StudentNumbers,
    competency_keys: tuple[str, ...],
) -> list[DemoStudent]:
    """One family: one to three children at Riverside, one or two family members."""
    children_count = min(len(grades), rng.choices((1, 2, 3), weights=(80, 17, 3))[0])
    last_name = rng.choice(surnames)
    language = (
        Language.SPANISH
        if last_name in _SPANISH_SURNAMES and rng.random() < 0.3
        else Language.ENGLISH
    )
    guardians = []
    for index in range(rng.choices((1, 2), weights=(65, 35))[0]):
        guardian_last = last_name if index == 0 or rng.random() < 0.75 else rng.choice(surnames)
        first_name = rng.choice(ADULT_FIRST_NAMES)
        username = usernames.claim(first_name, guardian_last)
        guardians.append(
            (
                create_user(
                    username,
                    first_name=first_name,
                    last_name=guardian_last,
                    email=f"{username}@example.com",
                    preferred_language=language,
                ),
                rng.choice(GUARDIAN_RELATIONSHIPS),
            )
        )
    family = []
    for _ in range(children_count):
        grade = grades.pop(rng.randrange(len(grades)))
        first_name = rng.choice(STUDENT_FIRST_NAMES)
        username = usernames.claim(first_name, last_name)
        user = create_user(
            username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@students.riverside.example",
        )
        year = graduation_year(grade)
        student = create_student(
            user, school, student_number=numbers.next(year), grade_level=grade, graduation_year=year
        )
        for guardian, relationship in guardians:
            link_guardian(guardian, student, relationship=relationship)
        family.append(DemoStudent(student, draw_learner(rng, competency_keys)))
    return family


def _band(content: SectionContent) -> int:
    """Sections are filled by grade band: courses for grades 9-10, and for 11-12."""
    course = next(c for c in curriculum_content.COURSES if c.key == content.course)
    return course.lowest_grade


class _Placement:
    """Who is in which section so far, and which courses each student already takes."""

    def __init__(self) -> None:
        self.rosters: dict[str, list[DemoStudent]] = {
            content.key: [] for content in curriculum_content.SECTIONS
        }
        self.courses: dict[int, set[str]] = {}

    def add(self, person: DemoStudent, content: SectionContent) -> None:
        self.rosters[content.key].append(person)
        self.courses.setdefault(person.student.pk, set()).add(content.course)

    def courses_of(self, person: DemoStudent) -> set[str]:
        return self.courses.get(person.student.pk, set())


def enroll_students(
    rng: random.Random,
    people: list[DemoStudent],
    sections: dict[str, Section],
    *,
    start_dates: dict[str, datetime.date],
) -> list[SectionRoster]:
    """Place every student in one or two fall sections of their grade band (named students in
    their fixed ones), and some in a spring section too; return each section's roster."""
    contents = {content.key: content for content in curriculum_content.SECTIONS}
    placement = _Placement()
    for person in people:
        for key in person.fixed_sections:
            placement.add(person, contents[key])
    for band in (9, 11):
        in_band = [
            person
            for person in people
            if not person.fixed_sections and _band_of_grade(person.student.grade_level) == band
        ]
        fall = [
            content
            for content in curriculum_content.SECTIONS
            if content.term == curriculum_content.FALL and _band(content) == band
        ]
        for person in in_band:
            _place(rng, person, fall, placement)
        for person in [person for person in in_band if rng.random() < 0.5]:
            _place(rng, person, fall, placement)
        _fill_spring(rng, in_band, band, placement)
    result = []
    for key, members in placement.rosters.items():
        content = contents[key]
        section = sections[key]
        for person in members:
            enroll_student(section, person.student, enrolled_on=start_dates[content.term])
        result.append(SectionRoster(section, content, tuple(members)))
    return result


def _band_of_grade(grade: int) -> int:
    return 9 if grade <= 10 else 11


def _place(
    rng: random.Random,
    person: DemoStudent,
    candidates: list[SectionContent],
    placement: _Placement,
) -> None:
    """Into the least-full section of a course the student is not already taking."""
    taken = placement.courses_of(person)
    open_sections = [content for content in candidates if content.course not in taken]
    if not open_sections:
        return
    fewest = min(len(placement.rosters[content.key]) for content in open_sections)
    placement.add(
        person,
        rng.choice(
            [content for content in open_sections if len(placement.rosters[content.key]) == fewest]
        ),
    )


def _fill_spring(
    rng: random.Random, in_band: list[DemoStudent], band: int, placement: _Placement
) -> None:
    """Spring sections take students of the band who are not in that course this fall,
    preferring those with a lighter fall schedule."""
    size = max(1, math.ceil(len(in_band) * 1.5 / 6) * 4 // 5)
    for content in curriculum_content.SECTIONS:
        if content.term != curriculum_content.SPRING or _band(content) != band:
            continue
        eligible = [p for p in in_band if content.course not in placement.courses_of(p)]
        light = [p for p in eligible if len(placement.courses_of(p)) <= 1]
        pool = light if len(light) >= size else eligible
        for person in rng.sample(pool, min(len(pool), size)):
            placement.add(person, content)
