"""Credits and graduation standing on the small named world, every number worked out by hand.

The policy asks for Mathematics 2 and Science 1 (3 credits over grades 9-12, so a student starting
grade g should hold 3 x (g - 9) / 4), Argumentative writing at 3 by grade 12, and an at-risk margin
of 1 credit. The school also names Service learning (due by the end of grade 10).
"""

import datetime
from decimal import Decimal

import pytest
import time_machine

from mastery.curriculum.models import CreditArea
from mastery.evidence import api as evidence
from mastery.frameworks import api as frameworks
from mastery.grading import api as grading
from mastery.graduation import api as graduation
from mastery.graduation.api import Standing
from tests.world import World, publish_riverside_policy

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def school(world: World) -> World:
    publish_riverside_policy(
        world,
        graduation={
            "credits": {"Mathematics": 2, "Science": 1},
            "competencies": [
                {"name": "Writing", "competencies": ["AW"], "minimum": 3, "by_grade": 12}
            ],
            "first_grade": 9,
            "last_grade": 12,
            "at_risk_margin": 1,
        },
    )
    graduation.create_named_requirement(
        world.riverside, "service", name="Service learning", by_grade=10
    )
    # Maya: three Exceeding at-bats in two contexts -> A in Algebra, finalized: Mathematics 1.
    for day, experience in [(1, world.lab_report), (2, world.essay), (3, world.lab_report)]:
        evidence.record_evidence(
            world.maya, world.claims, level=4, assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana, learning_experience=experience, section=world.algebra_section,
        )  # fmt: skip
    enrollment = world.algebra_section.enrollments.get(student=world.maya)
    grading.finalize_term_grade(enrollment, finalized_by=world.dana)
    science = CreditArea.objects.get(school=world.riverside, key="science")
    graduation.record_prior_credit(
        world.maya, science, credits=Decimal("1"), description="Biology, 2025-26 transcript",
        recorded_by=world.rita,
    )  # fmt: skip
    return world


def _areas(standing: graduation.StudentStanding) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    return {a.area: (a.earned, a.in_progress, a.remaining) for a in standing.areas}


def test_maya_has_earned_her_credits_but_service_learning_is_due_this_year(school: World) -> None:
    standing = graduation.get_standing(school.maya, on=TODAY)

    assert _areas(standing) == {
        "Mathematics": (Decimal("1"), Decimal("0"), Decimal("1")),
        "Science": (Decimal("1"), Decimal("0"), Decimal("0")),
    }
    assert standing.check is not None
    assert standing.check.expected_credits == Decimal("0.75")
    assert standing.check.counted_credits == Decimal("2")
    assert standing.check.standing is Standing.ON_TRACK
    assert standing.standing is Standing.AT_RISK
    assert any("Service learning" in step for step in standing.steps)


def test_completing_service_learning_puts_maya_on_track(school: World) -> None:
    requirement = school.riverside.named_requirements.get(key="service")
    graduation.record_completion(
        school.maya, requirement, completed_on=TODAY, recorded_by=school.rita
    )

    assert graduation.get_standing(school.maya, on=TODAY).standing is Standing.ON_TRACK


def test_sam_in_grade_9_is_on_track_with_algebra_in_progress(school: World) -> None:
    standing = graduation.get_standing(school.sam, on=TODAY)

    assert _areas(standing)["Mathematics"] == (Decimal("0"), Decimal("1"), Decimal("1"))
    assert standing.standing is Standing.ON_TRACK


def test_leo_starting_grade_11_with_no_credits_is_off_track(school: World) -> None:
    standing = graduation.get_standing(school.leo, on=TODAY)

    assert standing.check is not None
    assert standing.check.expected_credits == Decimal("1.5")
    assert _areas(standing)["Science"] == (Decimal("0"), Decimal("1"), Decimal("0"))
    assert standing.standing is Standing.OFF_TRACK


def test_the_whole_school_in_a_fixed_number_of_queries(
    school: World, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(12):
        standings = graduation.list_standings(school.riverside, on=TODAY)

    assert [s.student.full_name for s in standings] == ["Leo Brandt", "Maya Okafor", "Sam Okafor"]


def test_the_registrar_audits_a_cohort(client, school: World) -> None:
    from django.urls import reverse

    client.force_login(school.rita)

    page = client.get(reverse("graduation-audit") + "?cohort=2029").content.decode()

    assert "Okafor, Maya" in page
    assert "At risk" in page
    assert "Service learning" in page


@pytest.mark.parametrize("person", ["dana", "rosa", "hugo"])
def test_only_registrars_and_leaders_reach_the_audit(client, school: World, person: str) -> None:
    from django.urls import reverse

    person_object = getattr(school, person)
    client.force_login(person_object)

    assert client.get(reverse("graduation-audit")).status_code == 404


def test_a_student_is_not_a_registrar(client, school: World) -> None:
    from django.urls import reverse

    client.force_login(school.maya.user)

    assert client.get(reverse("graduation-audit")).status_code == 404


def test_competency_credit_is_earned_as_the_rule_s_competencies_are_mastered(world: World) -> None:
    """Competency basis: "Writing credit" gives English 1 when AW is mastered; Maya masters it."""
    publish_riverside_policy(
        world,
        credit={
            "basis": "competencies",
            "rules": [{"name": "Writing credit", "competencies": ["AW"], "areas": {"English": 1}}],
        },
        graduation={"credits": {"English": 1}, "first_grade": 9, "last_grade": 12},
    )
    # AW.1 at Meeting in two contexts; AW.2 has no evidence yet, so AW rolls up from AW.1 alone.
    plan = [(world.claims, world.lab_report), (world.claims, world.essay)] * 2
    for day, (subskill, experience) in enumerate(plan, start=1):
        evidence.record_evidence(
            world.maya,
            subskill,
            level=3,
            assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana,
            learning_experience=experience,
            section=world.algebra_section,
        )

    standings = {s.student: s for s in graduation.list_standings(world.riverside, on=TODAY)}

    assert _areas(standings[world.maya]) == {"English": (Decimal("1"), Decimal("0"), Decimal("0"))}
    assert _areas(standings[world.sam]) == {"English": (Decimal("0"), Decimal("0"), Decimal("1"))}


@pytest.fixture
def banded(world: World) -> World:
    """AW's progression runs through the 9-10 band (AW.3) into the 11-12 band (AW.4), and the
    policy asks for every 11-12 competency at Meeting (3) by the end of grade 11. Maya has AW at
    Exceeding (three 4s in AW.1, the other steps not rated yet); Leo has no evidence in AW."""
    lower = frameworks.create_grade_band(world.framework, "9-10", lowest_grade=9, highest_grade=10)
    upper = frameworks.create_grade_band(
        world.framework, "11-12", lowest_grade=11, highest_grade=12
    )
    frameworks.create_subskill(
        world.writing, "AW.3", title="Names a counterclaim", position=3, grade_band=lower
    )
    frameworks.create_subskill(
        world.writing, "AW.4", title="Answers counterclaims", position=4, grade_band=upper
    )
    publish_riverside_policy(
        world,
        graduation={
            "credits": {},
            "competencies": [{"name": "Upper band", "band": "11-12", "minimum": 3, "by_grade": 11}],
            "first_grade": 9,
            "last_grade": 12,
        },
    )
    for day, experience in [(1, world.lab_report), (2, world.essay), (3, world.lab_report)]:
        evidence.record_evidence(
            world.maya, world.claims, level=4, assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana, learning_experience=experience, section=world.algebra_section,
        )  # fmt: skip
    return world


def test_a_competency_belongs_to_the_band_its_progression_reaches(banded: World) -> None:
    assert frameworks.list_competency_bands(banded.riverside) == {"AW": "11-12"}


def test_leo_in_grade_11_has_not_met_the_band_minimum_so_he_is_at_risk(banded: World) -> None:
    standing = graduation.get_standing(banded.leo, on=TODAY)

    assert standing.check is not None
    (upper,) = standing.check.requirements
    assert (upper.name, upper.met, upper.not_yet) == ("Upper band", False, ("AW",))
    assert not standing.check.graduation_met
    assert standing.standing is Standing.AT_RISK
    assert any("Upper band" in step and "AW" in step for step in standing.steps)


def test_maya_at_exceeding_meets_the_band_minimum(banded: World) -> None:
    standing = graduation.get_standing(banded.maya, on=TODAY)

    assert standing.check is not None
    assert standing.check.requirements[0].met
    assert standing.check.graduation_met


def test_maya_is_not_ready_for_grade_11_until_service_learning_is_done(school: World) -> None:
    """Grade 11 expects 3 x 2/4 = 1.5 credits when it starts; Maya holds 2, but Service
    learning is due by the end of grade 10."""
    promotion = graduation.get_standing(school.maya, on=TODAY).promotion

    assert promotion is not None
    assert (promotion.next_grade, promotion.ready) == (11, False)
    assert (promotion.expected_credits, promotion.credits_short) == (Decimal("1.5"), 0)
    assert promotion.missing == ("Service learning",)

    requirement = school.riverside.named_requirements.get(key="service")
    graduation.record_completion(
        school.maya, requirement, completed_on=TODAY, recorded_by=school.rita
    )
    promotion = graduation.get_standing(school.maya, on=TODAY).promotion
    assert promotion is not None
    assert promotion.ready
    assert promotion.missing == ()


def test_leo_is_short_of_the_credits_grade_12_expects(school: World) -> None:
    """Grade 12 expects 3 x 3/4 = 2.25 credits when it starts; Leo has none finalized, and
    Service learning was due by the end of grade 10."""
    promotion = graduation.get_standing(school.leo, on=TODAY).promotion

    assert promotion is not None
    assert (promotion.next_grade, promotion.ready) == (12, False)
    assert promotion.credits_short == Decimal("2.25")
    assert promotion.missing == (
        "2.25 more credits (expected when starting the next grade: 2.25)",
        "Service learning",
    )


def test_a_band_minimum_due_this_grade_holds_leo_back(banded: World) -> None:
    promotion = graduation.get_standing(banded.leo, on=TODAY).promotion

    assert promotion is not None
    assert not promotion.ready
    assert [item.name for item in promotion.competencies] == ["Upper band"]
    assert promotion.missing == ("Upper band: AW",)


def test_the_student_page_says_whether_maya_is_ready_for_the_next_grade(
    client, school: World
) -> None:
    from django.urls import reverse

    client.force_login(school.maya.user)
    url = reverse("student-detail", args=[school.maya.uuid])

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not yet ready for grade 11" in page
    assert "<li>Service learning</li>" in page

    requirement = school.riverside.named_requirements.get(key="service")
    graduation.record_completion(
        school.maya, requirement, completed_on=TODAY, recorded_by=school.rita
    )
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ready for grade 11" in page
    assert "Not yet ready" not in page


def test_the_audit_says_who_is_ready_for_the_next_grade_and_what_is_missing(
    client, school: World
) -> None:
    from django.urls import reverse

    client.force_login(school.rita)

    leo = client.get(reverse("graduation-audit") + "?cohort=2028").content.decode()
    maya = client.get(reverse("graduation-audit") + "?cohort=2029").content.decode()

    assert "Not yet ready for grade 12: 2.25 more credits" in leo
    assert "Service learning" in leo
    assert "Not yet ready for grade 11: Service learning" in maya


def test_another_family_does_not_see_maya_s_promotion(client, school: World) -> None:
    from django.urls import reverse

    client.force_login(school.ben)

    response = client.get(reverse("student-detail", args=[school.maya.uuid]))

    assert response.status_code == 404


def test_a_finalized_grade_keeps_the_credit_its_own_policy_version_gave(school: World) -> None:
    """Maya's Algebra was finalized D (overridden, with a reason) under version 1, where D
    passes. Version 2 passes only A-C: her D still earns Mathematics 1, as it did when given."""
    enrollment = school.algebra_section.enrollments.get(student=school.maya)
    grade = enrollment.term_grade
    grading.reopen_term_grade(grade, reopened_by=school.rita, reason="Grade change")
    grading.finalize_term_grade(
        enrollment, finalized_by=school.dana, final_grade="D", reason="Final exhibition missed"
    )
    policy = school.riverside.policies.get()
    document = dict(policy.versions.get(number=1).document)
    document["course_grade"] = {**document["course_grade"], "passing": ["A", "B", "C"]}
    later = grading.draft_version(policy, document=document, created_by=school.lena)
    grading.publish_version(later, effective_on=datetime.date(2026, 9, 1), published_by=school.lena)

    standing = graduation.get_standing(school.maya, on=TODAY)
    (algebra,) = graduation.list_credits([school.maya], on=TODAY)[school.maya.pk].finalized_courses

    assert _areas(standing)["Mathematics"] == (Decimal("1"), Decimal("0"), Decimal("1"))
    assert (algebra.grade, algebra.earned) == ("D", Decimal("1"))
