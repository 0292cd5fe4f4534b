"""The door to credentials: the mastery transcript as a signed CLR 2.0 / Open Badges 3.0 credential.

Build it from a student's stored competency ratings and finalized term grades
(`build_transcript_credential`), sign it as VC-JWT with this installation's Ed25519 key
(`sign_credential`), verify one (`verify_credential`), and keep what a registrar finalized
(`finalize_transcript`, `get_latest_transcript`).
"""

import datetime
import json
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from mastery.accounts.models import User
from mastery.credentials import builder, keys, signing, verification
from mastery.credentials.models import Transcript
from mastery.credentials.verification import Problem, VerificationResult
from mastery.curriculum import api as curriculum
from mastery.frameworks.models import Competency, PerformanceScale
from mastery.grading import api as grading
from mastery.grading.models import PolicyVersion, Rating, RatingStatus
from mastery.graduation import api as graduation
from mastery.schools.api import has_role
from mastery.schools.models import Role, Student

__all__ = [
    "KeyFileError",
    "Problem",
    "Transcript",
    "VerificationResult",
    "build_transcript_credential",
    "envelope_credential",
    "finalize_transcript",
    "get_latest_transcript",
    "get_public_jwk",
    "read_public_key_file",
    "sign_credential",
    "verify_credential",
]

KeyFileError = keys.KeyFileError


def build_transcript_credential(
    student: Student,
    /,
    *,
    issued_at: datetime.datetime,
    credential_uuid: uuid.UUID | None = None,
    issuer_url: str = "",
) -> dict[str, Any]:
    """The unsigned ClrCredential of a student's transcript as it stands now: every competency
    with a stored rating (the level reached, or insufficient evidence), every course with a
    finalized term grade (the grade, and the credit it earned under the grade's policy version),
    every competency-credit rule and every prior credit — the credits graduation counts.
    """
    school = student.school
    courses, other_credits = _credit_results(student, timezone.localdate(issued_at))
    transcript = builder.Transcript(
        credential_uuid=credential_uuid or uuid.uuid4(),
        issued_at=issued_at,
        issuer=builder.Issuer(uuid=school.uuid, name=school.name, url=issuer_url),
        student_uuid=student.uuid,
        student_name=student.full_name,
        student_number=student.student_number,
        competencies=_competency_results(student),
        courses=courses,
        other_credits=other_credits,
    )
    return builder.build_clr(transcript)


def sign_credential(credential: dict[str, Any], /) -> str:
    """The compact VC-JWT (EdDSA) of a credential, signed with this installation's key."""
    return verification.sign_credential_with(credential, keys.load_private_key())


def verify_credential(
    text: str,
    /,
    *,
    public_key: Ed25519PublicKey | None = None,
    now: datetime.datetime | None = None,
) -> VerificationResult:
    """Verify a signed credential (a compact VC-JWT, or its JSON envelope) against `public_key`,
    by default this installation's. Never raises for a bad credential: the result says why."""
    return verification.verify_text(
        text, public_key or keys.load_public_key(), now=now or timezone.now()
    )


def envelope_credential(signed: str, /) -> dict[str, Any]:
    """The `.json` form of a signed credential: its VC Data Model 2.0 envelope."""
    return verification.envelope(signed)


def get_public_jwk() -> dict[str, str]:
    """This installation's public key as a JSON Web Key, for others to verify with."""
    return signing.public_jwk(keys.load_public_key())


def read_public_key_file(path: Path, /) -> Ed25519PublicKey:
    """A public key from a PEM file or a JWK file (as served at
    /.well-known/mastery-credential-key.json); raises KeyFileError."""
    data = path.read_bytes()
    if data.lstrip().startswith(b"{"):
        try:
            return signing.public_key_from_jwk(json.loads(data))
        except (ValueError, signing.MalformedTokenError) as error:
            raise KeyFileError(f"{path} is not an Ed25519 JSON Web Key ({error})") from None
    return keys.read_public_key(data, name=str(path))


@transaction.atomic
def finalize_transcript(
    student: Student, /, *, finalized_by: User, issuer_url: str = ""
) -> Transcript:
    """Issue the student's transcript as it stands: build, sign and keep it. Registrars only."""
    if not has_role(finalized_by, student.school, Role.REGISTRAR):
        raise PermissionDenied("Only a registrar can finalize a transcript.")
    issued_at = timezone.now().replace(microsecond=0)
    credential_uuid = uuid.uuid4()
    credential = build_transcript_credential(
        student, issued_at=issued_at, credential_uuid=credential_uuid, issuer_url=issuer_url
    )
    return Transcript.objects.create(
        uuid=credential_uuid,
        student=student,
        credential=credential,
        signed=sign_credential(credential),
        key_id=get_public_jwk()["kid"],
        issued_at=issued_at,
        finalized_by=finalized_by,
    )


def get_latest_transcript(student: Student, /) -> Transcript:
    """The most recently finalized transcript; raises Transcript.DoesNotExist if none yet."""
    found = (
        Transcript.objects.filter(student=student)
        .select_related("finalized_by")
        .order_by("-issued_at", "-id")
        .first()
    )
    if found is None:
        raise Transcript.DoesNotExist(f"{student} has no finalized transcript yet")
    return found


def _competency_results(student: Student) -> tuple[builder.CompetencyResult, ...]:
    ratings = (
        grading.list_ratings(student, kind=grading.RatingKind.COMPETENCY)
        .select_related("competency__framework__scale")
        .prefetch_related("competency__framework__scale__levels")
        .order_by("competency__framework__title", "competency__position", "competency__key")
    )
    levels_of: dict[tuple[int, int], tuple[builder.Level, ...]] = {}
    results = []
    for rating in ratings:
        competency = rating.competency
        assert competency is not None  # a competency rating names its competency
        scale = competency.framework.scale
        key = (rating.policy_version_id, scale.pk)
        if key not in levels_of:
            levels_of[key] = _levels(rating.policy_version, scale)
        levels = levels_of[key]
        results.append(
            builder.CompetencyResult(
                uuid=competency.uuid,
                key=competency.key,
                title=competency.title,
                description=competency.description,
                framework=competency.framework.title,
                levels=levels,
                achieved=_achieved(rating, levels),
                mastered=rating.mastered,
            )
        )
    return tuple(results)


def _levels(version: PolicyVersion, scale: PerformanceScale) -> tuple[builder.Level, ...]:
    """The levels of the scale the rating was made on: the policy version's own, which may
    differ from the framework's (other labels, cut scores, rubric language).

    A level the framework's scale also has (same value and label) keeps that level's uuid and,
    if the policy gives none, its rubric language; any other level is named from the version
    (uuid5), so the same version always names it the same way. Worked example: the framework
    says 3 Meeting, the version says 3 Proficient -> the credential's level is Proficient.
    """
    framework = {(level.value, level.label): level for level in scale.levels.all()}
    levels = []
    for level in grading.describe_policy(version).scale.levels:
        known = framework.get((level.value, level.label))
        levels.append(
            builder.Level(
                uuid=known.uuid
                if known is not None
                else uuid.uuid5(version.uuid, f"level:{level.value}:{level.label}"),
                label=level.label,
                value=level.value,
                description=level.description or (known.description if known else ""),
                is_mastery=level.mastery,
            )
        )
    return tuple(levels)


def _achieved(rating: Rating, levels: tuple[builder.Level, ...]) -> builder.Level | None:
    """The scale level the stored rating reports (by label, else by value)."""
    if rating.status == RatingStatus.INSUFFICIENT_EVIDENCE:
        return None
    for level in levels:
        if level.label == rating.level_label:
            return level
    return next((level for level in levels if level.value == rating.level_value), None)


def _credit_results(
    student: Student, on: datetime.date
) -> tuple[tuple[builder.CourseResult, ...], tuple[builder.CreditResult, ...]]:
    """Courses with a finalized grade, competency-credit rules and prior credits, with the
    credit each earned as graduation counts it (`graduation.api.list_credits`)."""
    credits = graduation.list_credits([student], on=on)[student.pk]
    area_keys = {area.name: area.key for area in student.school.credit_areas.all()}
    courses = []
    for line in credits.finalized_courses:
        assert line.term_grade is not None
        assert line.enrollment is not None
        section = line.enrollment.section
        course = section.course
        courses.append(
            builder.CourseResult(
                uuid=course.uuid,
                key=course.key,
                title=course.title,
                description=course.description,
                credit_area=line.area,
                credit_area_key=course.credit_area.key,
                credits_available=line.possible,
                credits_earned=line.earned if line.graded_credit else None,
                term=str(section.term),
                starts_on=section.term.starts_on,
                ends_on=section.term.ends_on,
                grade=line.grade,
                grades=tuple(grading.grade_labels(line.term_grade.policy_version)),
                competencies=tuple(
                    competency.uuid for competency in curriculum.list_assessed_competencies(course)
                ),
            )
        )
    competency_uuids = dict(
        Competency.objects.filter(framework__school=student.school).values_list("key", "uuid")
    )
    others = []
    for line in [*credits.rules, *credits.prior]:
        is_rule = line.source is graduation.CreditSource.RULE
        others.append(
            builder.CreditResult(
                uuid=line.prior.uuid
                if line.prior is not None
                else uuid.uuid5(student.school.uuid, f"credit-rule:{line.key}:{line.area}"),
                by_competency=is_rule,
                name=line.title,
                reason=line.reason,
                credit_area=line.area,
                credit_area_key=area_keys.get(line.area, line.area),
                credits_available=line.possible,
                credits_earned=line.earned,
                competencies=tuple(
                    competency_uuids[key] for key in line.competencies if key in competency_uuids
                ),
            )
        )
    return tuple(courses), tuple(others)
