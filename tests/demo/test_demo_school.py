"""The demo school: the same seed gives the same school, and its named people tell the story
the issue promises (Dana teaches Maya, Omar teaches neither Okafor child, ...)."""

import hashlib
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Avg, Count

from mastery.accounts.models import User
from mastery.curriculum.models import Course, CreditArea
from mastery.demo.school import STAFF_GROUP, DemoSummary, load_demo_school
from mastery.evidence.models import EntryKind, Evidence, Source
from mastery.frameworks.models import Competency
from mastery.rosters.models import Enrollment, Section
from mastery.schools.models import Guardianship, Membership, Role, Student
from tests.demo.fingerprint import SMALL, fingerprint


def _load_and_fingerprint(*, seed: int) -> tuple[str, str]:
    """Load into a savepoint, take the fingerprints, and roll the load back."""
    with transaction.atomic():
        load_demo_school(seed=seed, students=SMALL)
        whole = fingerprint()
        evidence = hashlib.sha256(
            repr(
                list(
                    Evidence.objects.order_by(
                        "student__student_number",
                        "subskill__key",
                        "assessed_on",
                        "recorded_at",
                        "id",
                    ).values_list("student__student_number", "subskill__key", "level")
                )
            ).encode()
        ).hexdigest()
        transaction.set_rollback(True)
    return whole, evidence


@pytest.mark.django_db
def test_loading_again_with_the_same_seed_changes_nothing() -> None:
    first = load_demo_school(students=SMALL)
    before = fingerprint()

    second = load_demo_school(students=SMALL)

    assert first.created
    assert not second.created
    assert (second.students, second.sections, second.at_bats) == (
        first.students,
        first.sections,
        first.at_bats,
    )
    assert fingerprint() == before


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_school_and_another_seed_other_evidence() -> None:
    first, first_evidence = _load_and_fingerprint(seed=2026)
    again, again_evidence = _load_and_fingerprint(seed=2026)
    _, other_evidence = _load_and_fingerprint(seed=7)

    assert first == again
    assert first_evidence == again_evidence
    assert other_evidence != first_evidence


# The full-size school is loaded once for the tests below, and rolled back after them.
@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        yield load_demo_school()
        transaction.set_rollback(True)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _sections_of(username: str) -> set[str]:
    return set(
        Enrollment.objects.filter(student__user__username=username).values_list(
            "section__key", flat=True
        )
    )


def _taught_by(username: str) -> set[str]:
    return set(
        Section.objects.filter(assignments__teacher__username=username).values_list(
            "key", flat=True
        )
    )


@pytest.mark.django_db
def test_the_full_school_has_the_size_the_issue_asks_for(demo: DemoSummary) -> None:
    fall = Section.objects.filter(term__key="S1")

    assert demo.students == 240
    assert set(Student.objects.values_list("grade_level", flat=True)) == {9, 10, 11, 12}
    assert demo.teachers == 10
    assert 11 <= fall.count() <= 13
    assert Section.objects.filter(term__key="S2").exists()
    assert not Evidence.objects.filter(section__term__key="S2").exists()
    assert CreditArea.objects.count() == 4
    assert Course.objects.count() >= 8
    assert demo.at_bats > 5000


@pytest.mark.django_db
def test_every_competency_is_a_progression_with_rubric_language_at_every_level(
    demo: DemoSummary,
) -> None:
    competencies = Competency.objects.prefetch_related("subskills__descriptors")

    assert competencies.count() == 8
    for competency in competencies:
        subskills = list(competency.subskills.all())
        assert 4 <= len(subskills) <= 6, competency
        assert {s.grade_band.key for s in subskills if s.grade_band} == {"9-10", "11-12"}
        for subskill in subskills:
            texts = [d.text for d in subskill.descriptors.all()]
            assert len(texts) == 4, subskill
            assert len(set(texts)) == 4, subskill


@pytest.mark.django_db
def test_every_course_assesses_competencies_through_aligned_experiences(
    demo: DemoSummary,
) -> None:
    for course in Course.objects.prefetch_related("assessed", "experiences__alignments"):
        assert 3 <= course.assessed.count() <= 5, course
        experiences = list(course.experiences.all())
        assert 6 <= len(experiences) <= 10, course
        assert len({e.kind for e in experiences}) >= 3, course
        for experience in experiences:
            assert 2 <= experience.alignments.count() <= 4, experience


@pytest.mark.django_db
def test_the_named_sign_ins_have_their_roles_and_the_demo_password(demo: DemoSummary) -> None:
    roles = {
        "leader": Role.LEADER,
        "registrar": Role.REGISTRAR,
        "teacher": Role.TEACHER,
        "teacher2": Role.TEACHER,
        "student": Role.STUDENT,
        "student2": Role.STUDENT,
        "guardian": Role.GUARDIAN,
        "guardian2": Role.GUARDIAN,
    }
    for username, role in roles.items():
        user = _user(username)
        assert user.check_password("demo"), username
        assert Membership.objects.filter(user=user, role=role).exists(), username
    for username in ("leader", "registrar"):
        user = _user(username)
        assert user.is_staff
        assert user.has_perm("rosters.change_section")
        assert user.has_perm("evidence.add_evidence")
        assert not user.has_perm("evidence.change_evidence")
        assert user.groups.filter(name=STAFF_GROUP).exists()
    assert _user("teacher").full_name == "Dana Whitfield"
    assert _user("teacher2").full_name == "Omar Haddad"
    assert (_user("student").full_name, _user("student").student.grade_level) == ("Maya Okafor", 10)
    assert (_user("student2").full_name, _user("student2").student.grade_level) == (
        "Leo Brandt",
        11,
    )


@pytest.mark.django_db
def test_the_named_families_are_linked_to_their_children_only(demo: DemoSummary) -> None:
    def children(username: str) -> set[tuple[str, str]]:
        return set(
            Guardianship.objects.filter(guardian__username=username).values_list(
                "student__user__first_name", "student__user__last_name"
            )
        )

    assert _user("guardian").full_name == "Rosa Okafor"
    assert children("guardian") == {("Maya", "Okafor"), ("Sam", "Okafor")}
    assert _user("guardian2").full_name == "Ben Brandt"
    assert children("guardian2") == {("Leo", "Brandt")}


@pytest.mark.django_db
def test_dana_whitfield_teaches_several_sections_including_mayas(demo: DemoSummary) -> None:
    dana = _taught_by("teacher")

    assert len(dana) >= 3
    assert dana & _sections_of("student")


@pytest.mark.django_db
def test_omar_haddad_teaches_none_of_maya_or_sam_okafors_sections(demo: DemoSummary) -> None:
    omar = _taught_by("teacher2")
    okafor_children = _sections_of("student") | _sections_of("sam.okafor")

    assert omar
    assert okafor_children
    assert not omar & okafor_children


@pytest.mark.django_db
def test_nobody_else_is_named_okafor_or_brandt(demo: DemoSummary) -> None:
    okafors = set(User.objects.filter(last_name="Okafor").values_list("username", flat=True))
    brandts = set(User.objects.filter(last_name="Brandt").values_list("username", flat=True))

    assert okafors == {"guardian", "student", "sam.okafor"}
    assert brandts == {"guardian2", "student2"}


@pytest.mark.django_db
def test_families_vary_in_size(demo: DemoSummary) -> None:
    children_per_guardian = [
        row["children"]
        for row in Guardianship.objects.values("guardian").annotate(children=Count("student"))
    ]
    guardians_per_student = [
        row["guardians"]
        for row in Student.objects.annotate(guardians=Count("guardianships")).values("guardians")
    ]

    assert max(children_per_guardian) >= 2
    assert min(guardians_per_student) == 1
    assert max(guardians_per_student) == 2


@pytest.mark.django_db
def test_every_student_has_evidence_in_each_of_their_fall_sections(demo: DemoSummary) -> None:
    fall = Enrollment.objects.filter(section__term__key="S1")
    with_evidence = set(
        Evidence.objects.filter(source=Source.TEACHER).values_list("section_id", "student_id")
    )

    assert set(Student.objects.values_list("id", flat=True)) == set(
        fall.values_list("student_id", flat=True)
    )
    assert set(fall.values_list("section_id", "student_id")) <= with_evidence


@pytest.mark.django_db
def test_the_fall_evidence_looks_like_a_real_term(demo: DemoSummary) -> None:
    evidence = Evidence.objects.all()
    dates = sorted(evidence.values_list("assessed_on", flat=True))
    voids = evidence.filter(kind=EntryKind.VOID)

    assert dates[0].isoformat() >= "2026-08-31"
    assert dates[-1].isoformat() <= "2026-11-20"
    assert evidence.filter(source=Source.SELF).exists()
    assert evidence.filter(independent=False).exists()
    assert evidence.filter(weight=0).exists()
    assert set(evidence.values_list("level", flat=True)) >= {1, 2, 3, 4}
    assert evidence.filter(kind=EntryKind.CORRECTION).exclude(reason="").count() >= 2
    assert voids.exists()
    assert not voids.filter(reason="").exists()
    for section in Section.objects.filter(term__key="S1").select_related("course"):
        done = section.evidence.values("learning_experience").distinct().count()
        assert 0 < done < section.course.experiences.count(), section


@pytest.mark.django_db
def test_students_grow_over_the_term(demo: DemoSummary) -> None:
    counted = Evidence.objects.filter(source=Source.TEACHER, kind=EntryKind.RECORD, weight__gt=0)

    september = counted.filter(assessed_on__month=9).aggregate(mean=Avg("level"))["mean"]
    november = counted.filter(assessed_on__month=11).aggregate(mean=Avg("level"))["mean"]

    assert november > september + Decimal("0.3")
