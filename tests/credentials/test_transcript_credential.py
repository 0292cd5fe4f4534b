"""The transcript credential: a CLR 2.0 credential shaped like 1EdTech's samples, with each
competency's rubric level and each finalized course's credit."""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from mastery.credentials import api as credentials
from mastery.grading import api as grading
from mastery.grading.models import Rating, RatingKind, TermGrade
from mastery.graduation import api as graduation
from tests.world import World

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
ISSUED_AT = datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC)


def _sample(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def _nested(credential: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [
        item["credentialSubject"]
        for item in credential["credentialSubject"]["verifiableCredential"]
        if item["credentialSubject"]["achievement"]["achievementType"] == kind
    ]


def _property_names(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(_property_names(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_property_names(item) for item in value))
    return set()


@pytest.fixture
def maya_credential(scored_world: World) -> dict[str, Any]:
    return credentials.build_transcript_credential(scored_world.maya, issued_at=ISSUED_AT)


def test_the_credential_is_a_clr_with_the_contexts_and_types_of_the_sample(
    maya_credential: dict[str, Any], scored_world: World
) -> None:
    sample = _sample("clr20_simple.json")

    assert maya_credential["@context"] == sample["@context"][:3]
    assert maya_credential["type"] == ["VerifiableCredential", "ClrCredential"]
    assert maya_credential["issuer"] == {
        "id": f"urn:uuid:{scored_world.riverside.uuid}",
        "type": ["Profile"],
        "name": "Riverside High School",
    }
    assert maya_credential["validFrom"] == "2026-11-02T15:00:00Z"
    subject = maya_credential["credentialSubject"]
    assert subject["id"] == f"urn:uuid:{scored_world.maya.uuid}"
    assert subject["type"] == ["ClrSubject"]
    for nested in subject["verifiableCredential"]:
        assert (
            nested["@context"] == sample["credentialSubject"]["verifiableCredential"][0]["@context"]
        )
        assert nested["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert nested["credentialSubject"]["type"] == ["AchievementSubject"]
        assert nested["credentialSubject"]["id"] == subject["id"]


def test_every_property_the_credential_uses_is_one_the_samples_use(
    maya_credential: dict[str, Any],
) -> None:
    known = _property_names(_sample("clr20_simple.json")) | _property_names(
        _sample("ob30_complete.json")
    )

    assert _property_names(maya_credential) - known == set()


def test_a_competency_carries_the_framework_identifiers_and_the_rubric_level_reached(
    maya_credential: dict[str, Any], scored_world: World
) -> None:
    stored = Rating.objects.get(
        student=scored_world.maya, kind=RatingKind.COMPETENCY, competency=scored_world.writing
    )
    assert (stored.level_label, stored.mastered) == ("Meeting", True)
    meeting = scored_world.scale.levels.get(label="Meeting")

    [writing] = _nested(maya_credential, "Competency")

    achievement = writing["achievement"]
    assert achievement["id"] == f"urn:uuid:{scored_world.writing.uuid}"
    assert achievement["humanCode"] == "AW"
    assert achievement["alignment"][0] | {"targetUrl": None} == {
        "type": ["Alignment"],
        "targetCode": "AW",
        "targetName": "Argumentative writing",
        "targetFramework": "Riverside competencies",
        "targetType": "CFItem",
        "targetUrl": None,
    }
    rubric, status = achievement["resultDescription"]
    assert rubric["resultType"] == "RubricCriterionLevel"
    assert [level["level"] for level in rubric["rubricCriterionLevel"]] == [
        "Beginning",
        "Developing",
        "Meeting",
        "Exceeding",
    ]
    assert rubric["requiredLevel"] == f"urn:uuid:{meeting.uuid}"
    assert status["resultType"] == "Status"
    level_result, status_result = writing["result"]
    assert level_result == {
        "type": ["Result"],
        "resultDescription": rubric["id"],
        "achievedLevel": f"urn:uuid:{meeting.uuid}",
        "value": "Meeting",
    }
    assert status_result["status"] == "Completed"
    assert achievement in maya_credential["credentialSubject"]["achievement"]


def test_a_course_with_a_finalized_passing_grade_carries_its_credit(
    maya_credential: dict[str, Any], scored_world: World
) -> None:
    grade = TermGrade.objects.get(enrollment__student=scored_world.maya)
    assert grade.final_grade == "B"  # passing under the default policy (A-D)

    [algebra] = _nested(maya_credential, "Course")

    assert algebra["achievement"]["id"] == f"urn:uuid:{scored_world.algebra.uuid}"
    assert algebra["achievement"]["humanCode"] == "ALG"
    assert algebra["achievement"]["creditsAvailable"] == 1
    assert algebra["achievement"]["fieldOfStudy"] == "Mathematics"
    assert algebra["creditsEarned"] == 1
    assert algebra["term"] == "Fall 2026-27"
    assert algebra["result"][0]["value"] == "B"
    assert {
        "type": "Association",
        "associationType": "isParentOf",
        "sourceId": f"urn:uuid:{scored_world.algebra.uuid}",
        "targetId": f"urn:uuid:{scored_world.writing.uuid}",
    } in maya_credential["credentialSubject"]["association"]


def test_a_failing_final_grade_earns_no_credit(scored_world: World) -> None:
    enrollment = scored_world.algebra_section.enrollments.get(student=scored_world.maya)
    grade = TermGrade.objects.get(enrollment=enrollment)
    grading.reopen_term_grade(grade, reopened_by=scored_world.rita, reason="Exhibition missed")
    grading.finalize_term_grade(
        enrollment, finalized_by=scored_world.dana, final_grade="F", reason="No exhibition"
    )

    credential = credentials.build_transcript_credential(scored_world.maya, issued_at=ISSUED_AT)

    [algebra] = _nested(credential, "Course")
    assert (algebra["result"][0]["value"], algebra["creditsEarned"]) == ("F", 0)


def test_a_reopened_grade_is_not_on_the_transcript(scored_world: World) -> None:
    grade = TermGrade.objects.get(enrollment__student=scored_world.maya)
    grading.reopen_term_grade(grade, reopened_by=scored_world.rita, reason="Late work arrived")

    credential = credentials.build_transcript_credential(scored_world.maya, issued_at=ISSUED_AT)

    assert _nested(credential, "Course") == []
    assert len(_nested(credential, "Competency")) == 1


def test_insufficient_evidence_shows_no_level_and_work_in_progress(scored_world: World) -> None:
    credential = credentials.build_transcript_credential(scored_world.sam, issued_at=ISSUED_AT)

    [writing] = _nested(credential, "Competency")
    (status_result,) = writing["result"]
    rubric, status = writing["achievement"]["resultDescription"]
    assert status_result == {
        "type": ["Result"],
        "resultDescription": status["id"],
        "status": "InProgress",
    }
    assert rubric["resultType"] == "RubricCriterionLevel"  # offered, but no level is claimed
    assert _nested(credential, "Course") == []  # Sam's Algebra grade is not finalized


def test_every_result_value_is_one_its_result_description_allows(scored_world: World) -> None:
    for student in (scored_world.maya, scored_world.sam):
        credential = credentials.build_transcript_credential(student, issued_at=ISSUED_AT)
        for nested in credential["credentialSubject"]["verifiableCredential"]:
            subject = nested["credentialSubject"]
            described = {
                description["id"]: description
                for description in subject["achievement"].get("resultDescription", [])
            }
            for result in subject.get("result", []):
                description = described[result["resultDescription"]]
                if "value" in result:
                    assert result["value"] in description["allowedValue"]
                if "achievedLevel" in result:
                    levels = [level["id"] for level in description["rubricCriterionLevel"]]
                    assert result["achievedLevel"] in levels


def test_levels_come_from_the_scale_of_the_policy_version_that_made_the_rating(
    scored_world: World,
) -> None:
    """Version 2 calls the levels Emerging, Approaching, Proficient (mastery) and Advanced; the
    framework's scale still says Beginning ... Exceeding. Maya's AW, Meeting (3) under version 1,
    is Proficient recomputed under version 2: the credential says so, on version 2's scale."""
    policy = scored_world.riverside.policies.get()
    document = dict(policy.versions.get(number=1).document)
    names = ["Emerging", "Approaching", "Proficient", "Advanced"]
    document["scale"] = {
        "levels": [
            {**level, "label": name}
            for level, name in zip(document["scale"]["levels"], names, strict=True)
        ]
    }
    later = grading.draft_version(policy, document=document, created_by=scored_world.lena)
    grading.publish_version(
        later, effective_on=datetime.date(2026, 9, 1), published_by=scored_world.lena
    )
    grading.recompute_school(scored_world.riverside, on=datetime.date(2026, 11, 2))

    credential = credentials.build_transcript_credential(scored_world.maya, issued_at=ISSUED_AT)

    [writing] = _nested(credential, "Competency")
    rubric, _ = writing["achievement"]["resultDescription"]
    assert rubric["allowedValue"] == names
    assert [level["level"] for level in rubric["rubricCriterionLevel"]] == names
    proficient = rubric["rubricCriterionLevel"][2]
    assert rubric["requiredLevel"] == proficient["id"]
    level_result, _ = writing["result"]
    assert (level_result["value"], level_result["achievedLevel"]) == (
        "Proficient",
        proficient["id"],
    )


def test_the_credential_is_plain_json(maya_credential: dict[str, Any]) -> None:
    assert json.loads(json.dumps(maya_credential)) == maya_credential


def test_issued_at_any_time_zone_is_written_in_utc(scored_world: World) -> None:
    new_york = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=timezone.get_default_timezone())

    credential = credentials.build_transcript_credential(scored_world.maya, issued_at=new_york)

    assert credential["validFrom"] == "2026-11-02T15:00:00Z"


def test_a_competency_credit_rule_is_an_achievement_with_the_credit_earned(
    scored_world: World,
) -> None:
    """The policy now awards English 1 for mastering AW (Maya has): the credential carries it
    beside Algebra, whose grade was finalized under version 1 and keeps its credit by grade."""
    policy = scored_world.riverside.policies.get()
    document = dict(policy.versions.get(number=1).document)
    document["credit"] = {
        "basis": "competencies",
        "rules": [{"name": "Writing credit", "competencies": ["AW"], "areas": {"English": 1}}],
    }
    later = grading.draft_version(policy, document=document, created_by=scored_world.lena)
    grading.publish_version(
        later, effective_on=datetime.date(2026, 9, 1), published_by=scored_world.lena
    )

    credential = credentials.build_transcript_credential(scored_world.maya, issued_at=ISSUED_AT)

    [rule] = _nested(credential, "Achievement")
    achievement = rule["achievement"]
    assert (achievement["name"], achievement["fieldOfStudy"], achievement["tag"][0]) == (
        "Writing credit",
        "English",
        "credit-by-competency",
    )
    assert (achievement["creditsAvailable"], rule["creditsEarned"]) == (1, 1)
    assert rule["result"][0]["status"] == "Completed"
    assert {
        "type": "Association",
        "associationType": "isParentOf",
        "sourceId": achievement["id"],
        "targetId": f"urn:uuid:{scored_world.writing.uuid}",
    } in credential["credentialSubject"]["association"]
    [algebra] = _nested(credential, "Course")
    assert algebra["creditsEarned"] == 1


def test_a_prior_credit_is_on_the_credential(scored_world: World) -> None:
    science = scored_world.riverside.credit_areas.get(key="science")
    graduation.record_prior_credit(
        scored_world.maya, science, credits=Decimal("0.5"), description="Earth science, 2025-26",
        recorded_by=scored_world.rita,
    )  # fmt: skip

    credential = credentials.build_transcript_credential(scored_world.maya, issued_at=ISSUED_AT)

    [prior] = _nested(credential, "Achievement")
    assert prior["achievement"]["name"] == "Earth science, 2025-26"
    assert prior["achievement"]["tag"] == ["prior-credit", "science"]
    assert prior["creditsEarned"] == 0.5
