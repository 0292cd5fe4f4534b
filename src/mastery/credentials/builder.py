"""The mastery transcript as a CLR 2.0 credential: pure functions, frozen dataclasses in, dicts out.

The shape follows 1EdTech's samples (shared/samples/clr): a `ClrCredential` whose subject lists
every achievement definition (`achievement`), how they relate (`association`: a course
`isParentOf` the competencies it assesses) and one `OpenBadgeCredential` per achievement
(`verifiableCredential`) carrying the student's result:

- a competency: the framework's competency (`urn:uuid:` of its uuid, `humanCode` its key, an
  `alignment` to it as a CFItem), the scale of the policy version that made the rating as a
  `RubricCriterionLevel` result description, and the student's rating as the `achievedLevel`
  (no level result at all when the evidence is not yet enough: that is a status, not a level)
  plus a `Status` result: Completed once mastered, InProgress before;
- a course: its credit value (`creditsAvailable`) and credit area (`fieldOfStudy`), the final
  term grade as a `LetterGrade` result, and the credit earned (`creditsEarned`);
- a competency-credit rule or a prior credit: an `Achievement` tagged `credit-by-competency`
  or `prior-credit` with its credit area and value, and the credit earned (`creditsEarned`); a
  rule `isParentOf` the competencies it names and carries a `Status` result (Completed once
  its whole credit is earned).

The `@context` URLs are never fetched: VC-JWT signs the JSON as written
(docs/decisions/0005-signed-credentials.md), and each is pinned as a file in `contexts/` (local
subsets defining every term used here; a test keeps them complete).
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from mastery.credentials import contexts

CREDENTIALS_CONTEXT = contexts.CREDENTIALS_V2
CLR_CONTEXT = contexts.CLR_2_0_1
OB_CONTEXT = contexts.OB_3_0_3
CLR_SCHEMA = (
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
)
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"


@dataclass(frozen=True, slots=True, kw_only=True)
class Issuer:
    """The school that issues the transcript; `url` is the Mastery site, when known."""

    uuid: UUID
    name: str
    url: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Level:
    """One performance level of the school's scale (a rubric criterion level)."""

    uuid: UUID
    label: str
    value: Decimal
    description: str = ""
    is_mastery: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CompetencyResult:
    """A competency of the framework and the student's stored rating in it.

    `achieved` is the level the rating reports, or None for insufficient evidence.
    """

    uuid: UUID
    key: str
    title: str
    description: str
    framework: str
    levels: tuple[Level, ...]
    achieved: Level | None
    mastered: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseResult:
    """A course with a finalized term grade, and the credit that grade earned (None when the
    policy awards credit by competency rules instead of course grades)."""

    uuid: UUID
    key: str
    title: str
    description: str
    credit_area: str
    credit_area_key: str
    credits_available: Decimal
    credits_earned: Decimal | None
    term: str
    starts_on: datetime.date
    ends_on: datetime.date
    grade: str
    grades: tuple[str, ...]
    competencies: tuple[UUID, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditResult:
    """Credit not from a course grade: a competency-credit rule (`by_competency`, earned as
    the named competencies are mastered, partial credit included) or credit earned before the
    school used Mastery."""

    uuid: UUID
    by_competency: bool
    name: str
    reason: str
    credit_area: str
    credit_area_key: str
    credits_available: Decimal
    credits_earned: Decimal
    competencies: tuple[UUID, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Transcript:
    """Everything a transcript credential says about one student."""

    credential_uuid: UUID
    issued_at: datetime.datetime
    issuer: Issuer
    student_uuid: UUID
    student_name: str
    student_number: str
    competencies: tuple[CompetencyResult, ...]
    courses: tuple[CourseResult, ...]
    other_credits: tuple[CreditResult, ...] = ()


def urn(value: UUID) -> str:
    return f"urn:uuid:{value}"


def timestamp(moment: datetime.datetime) -> str:
    """An XML Schema dateTime in UTC to the second, as the samples write it."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def number(value: Decimal) -> int | float:
    """A credit value as a JSON number (2 -> 2, 0.5 -> 0.5)."""
    return int(value) if value == value.to_integral_value() else float(value)


def build_clr(transcript: Transcript) -> dict[str, Any]:
    """The unsigned ClrCredential for `transcript`.

    Worked example: Maya, rated Exceeding in Argumentative writing (AW, mastered) and graded A in
    Algebra (Mathematics, 1 credit, passing) -> two achievements (a Course and a Competency), one
    association (Algebra isParentOf AW), and two nested OpenBadgeCredentials: AW with
    achievedLevel the Exceeding level and status Completed; Algebra with value "A" and
    creditsEarned 1.
    """
    issuer = _profile(transcript.issuer)
    subject_id = urn(transcript.student_uuid)
    issued = timestamp(transcript.issued_at)
    # Each achievement with its nested credential's subject and the competencies it is the
    # parent of: courses, then other credits (rules, prior), then competencies.
    parts: list[tuple[dict[str, Any], dict[str, Any], tuple[UUID, ...]]] = []
    for course in transcript.courses:
        achievement = _course_achievement(course, issuer)
        parts.append(
            (achievement, _course_subject(course, subject_id, achievement), course.competencies)
        )
    for credit in transcript.other_credits:
        achievement = _credit_achievement(credit, issuer)
        parts.append(
            (achievement, _credit_subject(credit, subject_id, achievement), credit.competencies)
        )
    for competency in transcript.competencies:
        achievement = _competency_achievement(competency, issuer)
        parts.append((achievement, _competency_subject(competency, subject_id, achievement), ()))
    competency_ids = {competency.uuid for competency in transcript.competencies}
    achievements: list[dict[str, Any]] = []
    nested: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    for achievement, achieved_by, parent_of in parts:
        achievements.append(achievement)
        nested.append(
            _achievement_credential(transcript, achievement, issuer, issued, subject=achieved_by)
        )
        associations.extend(
            {
                "type": "Association",
                "associationType": "isParentOf",
                "sourceId": achievement["id"],
                "targetId": urn(competency),
            }
            for competency in parent_of
            if competency in competency_ids
        )
    subject: dict[str, Any] = {
        "id": subject_id,
        "type": ["ClrSubject"],
        "identifier": _identifiers(transcript),
        "verifiableCredential": nested,
        "achievement": achievements,
    }
    if associations:
        subject["association"] = associations
    return {
        "@context": [CREDENTIALS_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
        "id": urn(transcript.credential_uuid),
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer,
        "validFrom": issued,
        "name": f"Mastery transcript: {transcript.student_name}",
        "description": (
            f"Competencies with the level demonstrated and courses with the credit earned, "
            f"as {transcript.issuer.name} recorded them."
        ),
        "credentialSubject": subject,
        "credentialSchema": [{"id": CLR_SCHEMA, "type": SCHEMA_VALIDATOR}],
    }


def _profile(issuer: Issuer) -> dict[str, Any]:
    profile: dict[str, Any] = {"id": urn(issuer.uuid), "type": ["Profile"], "name": issuer.name}
    if issuer.url:
        profile["url"] = issuer.url
    return profile


def _identifiers(transcript: Transcript) -> list[dict[str, Any]]:
    return [
        {
            "type": "IdentityObject",
            "identityHash": transcript.student_number,
            "identityType": "studentId",
            "hashed": False,
        },
        {
            "type": "IdentityObject",
            "identityHash": transcript.student_name,
            "identityType": "name",
            "hashed": False,
        },
    ]


def _achievement_credential(
    transcript: Transcript,
    achievement: dict[str, Any],
    issuer: dict[str, Any],
    issued: str,
    *,
    subject: dict[str, Any],
) -> dict[str, Any]:
    # A stable id per transcript and achievement, so re-reading a transcript names the same parts.
    credential_uuid = uuid.uuid5(transcript.credential_uuid, achievement["id"])
    return {
        "@context": [CREDENTIALS_CONTEXT, OB_CONTEXT],
        "id": urn(credential_uuid),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": issued,
        "name": f"{achievement['name']}: {transcript.student_name}",
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB_SCHEMA, "type": SCHEMA_VALIDATOR}],
    }


def _competency_achievement(competency: CompetencyResult, issuer: dict[str, Any]) -> dict[str, Any]:
    mastery = next((level for level in competency.levels if level.is_mastery), None)
    rubric: dict[str, Any] = {
        "id": urn(uuid.uuid5(competency.uuid, "rubric")),
        "type": ["ResultDescription"],
        "name": f"{competency.title}: level demonstrated",
        "resultType": "RubricCriterionLevel",
        "allowedValue": [level.label for level in competency.levels],
        "rubricCriterionLevel": [
            {
                "id": urn(level.uuid),
                "type": ["RubricCriterionLevel"],
                "name": level.label,
                "level": level.label,
                "points": _points(level.value),
                **({"description": level.description} if level.description else {}),
            }
            for level in competency.levels
        ],
    }
    if mastery is not None:
        rubric["requiredLevel"] = urn(mastery.uuid)
    status = {
        "id": urn(uuid.uuid5(competency.uuid, "status")),
        "type": ["ResultDescription"],
        "name": f"{competency.title}: mastery",
        "resultType": "Status",
    }
    return {
        "id": urn(competency.uuid),
        "type": ["Achievement"],
        "achievementType": "Competency",
        "creator": issuer,
        "name": competency.title,
        "description": competency.description or competency.title,
        "humanCode": competency.key,
        "criteria": {
            "narrative": (
                f"Mastery is the {mastery.label} level or above, shown consistently across "
                "contexts as the school's grading policy counts it."
                if mastery is not None
                else "Rated on the school's performance scale."
            )
        },
        "alignment": [
            {
                "type": ["Alignment"],
                "targetCode": competency.key,
                "targetName": competency.title,
                "targetFramework": competency.framework,
                "targetType": "CFItem",
                "targetUrl": urn(competency.uuid),
            }
        ],
        "resultDescription": [rubric, status],
    }


def _competency_subject(
    competency: CompetencyResult, subject_id: str, achievement: dict[str, Any]
) -> dict[str, Any]:
    rubric, status = achievement["resultDescription"]
    results: list[dict[str, Any]] = []
    if competency.achieved is not None:
        results.append(
            {
                "type": ["Result"],
                "resultDescription": rubric["id"],
                "achievedLevel": urn(competency.achieved.uuid),
                "value": competency.achieved.label,
            }
        )
    # Insufficient evidence is a status, never a level: no rubric result at all (a value outside
    # the rubric's allowedValue would not be valid), only the Status result, InProgress.
    results.append(
        {
            "type": ["Result"],
            "resultDescription": status["id"],
            "status": "Completed" if competency.mastered else "InProgress",
        }
    )
    return {
        "id": subject_id,
        "type": ["AchievementSubject"],
        "achievement": achievement,
        "result": results,
    }


def _course_achievement(course: CourseResult, issuer: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": urn(course.uuid),
        "type": ["Achievement"],
        "achievementType": "Course",
        "creator": issuer,
        "name": course.title,
        "description": course.description or course.title,
        "humanCode": course.key,
        "fieldOfStudy": course.credit_area,
        "tag": [course.credit_area_key],
        "creditsAvailable": number(course.credits_available),
        "criteria": {"narrative": "A passing final term grade earns the course's credit."},
        "resultDescription": [
            {
                "id": urn(uuid.uuid5(course.uuid, "grade")),
                "type": ["ResultDescription"],
                "name": f"{course.title}: final grade",
                "resultType": "LetterGrade",
                "allowedValue": list(course.grades),
            }
        ],
    }


def _course_subject(
    course: CourseResult, subject_id: str, achievement: dict[str, Any]
) -> dict[str, Any]:
    subject: dict[str, Any] = {
        "id": subject_id,
        "type": ["AchievementSubject"],
        "achievement": achievement,
        "term": course.term,
        "activityStartDate": f"{course.starts_on.isoformat()}T00:00:00Z",
        "activityEndDate": f"{course.ends_on.isoformat()}T00:00:00Z",
        "result": [
            {
                "type": ["Result"],
                "resultDescription": achievement["resultDescription"][0]["id"],
                "value": course.grade,
            }
        ],
    }
    if course.credits_earned is not None:
        subject["creditsEarned"] = number(course.credits_earned)
    return subject


def _credit_achievement(credit: CreditResult, issuer: dict[str, Any]) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": urn(credit.uuid),
        "type": ["Achievement"],
        "achievementType": "Achievement",
        "creator": issuer,
        "name": credit.name,
        "description": (
            f"{credit.credit_area} credit earned by mastering competencies."
            if credit.by_competency
            else f"{credit.credit_area} credit earned before this school used Mastery."
        ),
        "fieldOfStudy": credit.credit_area,
        "tag": [
            "credit-by-competency" if credit.by_competency else "prior-credit",
            credit.credit_area_key,
        ],
        "creditsAvailable": number(credit.credits_available),
        "criteria": {
            "narrative": "Mastering the competencies this credit names earns it; a share of it "
            "as part of them are mastered, where the school's grading policy allows."
            if credit.by_competency
            else "Recorded by the registrar from an earlier transcript."
        },
    }
    if credit.by_competency:
        achievement["resultDescription"] = [
            {
                "id": urn(uuid.uuid5(credit.uuid, "status")),
                "type": ["ResultDescription"],
                "name": f"{credit.name}: competencies mastered",
                "resultType": "Status",
            }
        ]
    return achievement


def _credit_subject(
    credit: CreditResult, subject_id: str, achievement: dict[str, Any]
) -> dict[str, Any]:
    subject: dict[str, Any] = {
        "id": subject_id,
        "type": ["AchievementSubject"],
        "achievement": achievement,
        "creditsEarned": number(credit.credits_earned),
    }
    if credit.by_competency:
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": achievement["resultDescription"][0]["id"],
                "status": "Completed"
                if credit.credits_earned >= credit.credits_available
                else "InProgress",
            }
        ]
    return subject


def _points(value: Decimal) -> str:
    return str(number(value))
