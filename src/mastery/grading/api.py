"""The door to grading: policies and their versions, stored ratings, and recomputing them."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from mastery.accounts.models import User
from mastery.curriculum.models import CreditArea
from mastery.engine.policy import Policy as EnginePolicy
from mastery.engine.rollups import IN_PROGRESS
from mastery.frameworks.models import Competency, PerformanceScale, Subskill
from mastery.grading.calibration import calibrate_section, calibrate_student
from mastery.grading.editing import (
    PolicyVocabulary,
    create_policy_from_default,
    list_areas_without_policy,
    policy_vocabulary,
)
from mastery.grading.explained import PolicyExplained, explain_policy
from mastery.grading.explanations import (
    CompetencyExplanation,
    StudentExplanations,
    explain_competencies,
    explain_competency,
    explain_rating,
)
from mastery.grading.models import (
    Policy,
    PolicyVersion,
    Rating,
    RatingKind,
    RecomputeRun,
    RunStatus,
    SimulationRun,
    TermGrade,
    VersionStatus,
)
from mastery.grading.policies import (
    NoPolicyError,
    default_document,
    engine_policy,
    read_document,
    version_in_force,
)
from mastery.grading.recompute import (
    Scope,
    recompute,
)
from mastery.grading.simulation import (
    CreditChange,
    CreditSide,
    Simulation,
    use_credit_comparison,
)
from mastery.grading.term_end import recompute_grades_left_in_progress
from mastery.grading.term_history import TermGradeEvent, list_term_grade_history
from mastery.grading.words import (
    arithmetic_words,
    in_english,
    method_words,
    next_step_words,
    result_words,
    rollup_words,
    why_words,
)
from mastery.rosters.models import Enrollment, Section
from mastery.schools.api import has_role
from mastery.schools.models import Role, School, Student

__all__ = [
    "CompetencyExplanation",
    "CreditChange",
    "CreditSide",
    "EnginePolicy",
    "NoPolicyError",
    "PolicyExplained",
    "PolicyVocabulary",
    "RatingKind",
    "StudentExplanations",
    "TermGradeEvent",
    "arithmetic_words",
    "calibrate_section",
    "calibrate_student",
    "create_policy",
    "create_policy_from_default",
    "describe_policy",
    "draft_version",
    "enqueue_recompute",
    "explain_competencies",
    "explain_competency",
    "explain_policy",
    "explain_rating",
    "finalize_term_grade",
    "get_upcoming_version",
    "get_version_in_force",
    "grade_labels",
    "in_english",
    "list_areas_without_policy",
    "list_competency_ratings",
    "list_course_ratings",
    "list_finalized_grades",
    "list_policies",
    "list_ratings",
    "list_section_ratings",
    "list_simulations",
    "list_term_grade_history",
    "list_term_grades",
    "list_versions_for",
    "method_words",
    "next_step_words",
    "policy_vocabulary",
    "publish_version",
    "recompute_grades_left_in_progress",
    "recompute_school",
    "reopen_term_grade",
    "result_words",
    "rollup_words",
    "run_recompute",
    "run_simulation",
    "section_ratings_stamp",
    "start_simulation",
    "update_draft",
    "use_credit_comparison",
    "why_words",
]


@transaction.atomic
def create_policy(
    school: School,
    key: str,
    /,
    *,
    name: str,
    scale: PerformanceScale,
    created_by: User | None,
    document: dict[str, Any] | None = None,
    credit_area: CreditArea | None = None,
) -> PolicyVersion:
    """A new policy with its first version as a draft (GRADING.md's default unless given)."""
    policy = Policy(school=school, key=key, name=name, credit_area=credit_area)
    policy.full_clean()
    policy.save()
    return draft_version(
        policy, document=document or default_document(scale), created_by=created_by
    )


@transaction.atomic
def draft_version(
    policy: Policy, /, *, document: dict[str, Any], created_by: User | None, notes: str = ""
) -> PolicyVersion:
    """A new draft version; the document is validated and a bad field is named."""
    read_document(document)
    number = (policy.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = PolicyVersion(
        policy=policy, number=number, document=document, notes=notes, created_by=created_by
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def update_draft(
    version: PolicyVersion, /, *, document: dict[str, Any], notes: str = ""
) -> PolicyVersion:
    """Change a draft; a published version raises PublishedVersionError (draft a new one)."""
    read_document(document)
    version.document = document
    version.notes = notes
    version.save()
    return version


@transaction.atomic
def publish_version(
    version: PolicyVersion, /, *, effective_on: datetime.date, published_by: User | None
) -> PolicyVersion:
    """Publish a draft in force from `effective_on`, which may not come before the policy's
    latest published version took effect (the versions in force follow each other in time).

    Ratings are not recomputed here: `enqueue_recompute(..., run_on=effective_on)` does it the
    day the version takes effect."""
    if version.status != VersionStatus.DRAFT:
        raise ValidationError({"status": f"{version} is already published."})
    read_document(version.document)
    latest = (
        version.policy.versions.filter(status=VersionStatus.PUBLISHED)
        .order_by("-effective_on", "-number")
        .first()
    )
    if latest is not None and latest.effective_on and effective_on < latest.effective_on:
        raise ValidationError(
            {
                "effective_on": f"The effective date (effective_on) must be on or after "
                f"{latest.effective_on:%B %-d, %Y}, when version {latest.number} took effect "
                f"(got {effective_on:%B %-d, %Y})."
            }
        )
    version.status = VersionStatus.PUBLISHED
    version.effective_on = effective_on
    version.published_at = timezone.now()
    version.published_by = published_by
    version.full_clean()
    version.save()
    return version


def get_version_in_force(
    school: School, /, *, on: datetime.date, credit_area: CreditArea | None = None
) -> PolicyVersion:
    return version_in_force(
        school, on=on, credit_area_id=credit_area.pk if credit_area is not None else None
    )


def get_upcoming_version(school: School, /, *, after: datetime.date) -> PolicyVersion | None:
    """The school-wide policy's next published version to take effect after a date, if any."""
    return (
        PolicyVersion.objects.filter(
            policy__school=school,
            policy__credit_area__isnull=True,
            status=VersionStatus.PUBLISHED,
            effective_on__gt=after,
        )
        .order_by("effective_on", "number")
        .first()
    )


def list_ratings(student: Student, /, *, kind: RatingKind | None = None) -> QuerySet[Rating]:
    ratings = Rating.objects.filter(student=student)
    if kind is not None:
        ratings = ratings.filter(kind=kind)
    return ratings.select_related(
        "subskill", "competency", "section__course", "policy_version__policy"
    )


def list_section_ratings(
    section: Section,
    student_ids: Iterable[int],
    competency_ids: Iterable[int],
    /,
    *,
    subskills_of: Iterable[int] | None = None,
) -> QuerySet[Rating]:
    """In one query: the students' competency ratings for these competencies, their subskill
    ratings (for every one of these competencies, or only `subskills_of`), and their course
    grades in this section."""
    competency_ids = list(competency_ids)
    subskill_competencies = competency_ids if subskills_of is None else list(subskills_of)
    return Rating.objects.filter(student_id__in=list(student_ids)).filter(
        Q(kind=RatingKind.SUBSKILL, subskill__competency_id__in=subskill_competencies)
        | Q(kind=RatingKind.COMPETENCY, competency_id__in=competency_ids)
        | Q(kind=RatingKind.COURSE, section=section)
    )


def section_ratings_stamp(section: Section, /) -> str:
    """Changes whenever the section's roster or a rating of one of its students changes: a
    cache key for pages built from them. One query."""
    withdrawn = Q(withdrawn_on__isnull=False)
    stamp = Enrollment.objects.filter(section=section).aggregate(
        roster=Count("id", distinct=True),
        newest=Max("id"),
        # Which enrollments are withdrawn, not on how many dates: a second withdrawal on the
        # same day must change the stamp too (count and id sum, distinct over the ratings join).
        withdrawn=Count("id", filter=withdrawn, distinct=True),
        withdrawn_ids=Sum("id", filter=withdrawn, distinct=True),
        latest=Max("student__ratings__computed_at"),
        ratings=Count("student__ratings"),
    )
    names = ("roster", "newest", "withdrawn", "withdrawn_ids", "latest", "ratings")
    return "|".join(str(stamp[name]) for name in names)


def grade_labels(version: PolicyVersion, /) -> list[str]:
    """Every grade the version's course-grade rule can give, best first, Incomplete last."""
    rule = engine_policy(version).course_grade
    if rule is None:
        return []
    grades = [cut.grade for cut in rule.cuts] or [row.grade for row in rule.rules]
    return [*dict.fromkeys(grades), rule.incomplete_label]


def list_term_grades(section: Section, /) -> dict[int, TermGrade]:
    """The section's term grades by enrollment id."""
    grades = TermGrade.objects.filter(enrollment__section=section).select_related("finalized_by")
    return {grade.enrollment_id: grade for grade in grades}


@transaction.atomic
def finalize_term_grade(
    enrollment: Enrollment,
    /,
    *,
    finalized_by: User,
    final_grade: str | None = None,
    reason: str = "",
) -> TermGrade:
    """Finalize the computed course grade, or override it with a written reason; both are kept.

    A finalized grade is locked: finalizing again needs a registrar to reopen it first. A grade
    still stored "In progress" after the term has ended is recomputed first (decision 0008)."""
    recompute_grades_left_in_progress(
        enrollment.section, on=timezone.localdate(), student_ids=[enrollment.student_id]
    )
    computed = (
        Rating.objects.filter(
            student_id=enrollment.student_id,
            section_id=enrollment.section_id,
            kind=RatingKind.COURSE,
        )
        .select_related("policy_version")
        .first()
    )
    if computed is None:
        raise ValidationError({"grade": "There is no computed grade yet: score some work first."})
    if computed.grade == IN_PROGRESS and not (final_grade or "").strip():
        raise ValidationError(
            {
                "grade": "This grade is still in progress: a competency of the course has no "
                "evidence yet and the term has not ended. Finalize it when the term ends (it is "
                "Incomplete then if evidence is still missing), or override it with a reason."
            }
        )
    existing = TermGrade.objects.filter(enrollment=enrollment).first()
    if existing is not None and existing.is_locked:
        raise ValidationError(
            {"grade": "This grade is finalized and locked; a registrar can reopen it."}
        )
    final = (final_grade or "").strip() or computed.grade
    allowed = grade_labels(computed.policy_version)
    if final not in allowed:
        raise ValidationError(
            {"grade": f"{final!r} is not a grade of this policy ({', '.join(allowed)})."}
        )
    reason = reason.strip()
    if final != computed.grade and not reason:
        raise ValidationError({"reason": "Say why: an override needs a written reason."})
    grade = existing or TermGrade(enrollment=enrollment)
    grade.policy_version = computed.policy_version
    grade.computed_grade = computed.grade
    grade.computed_value = computed.value
    grade.final_grade = final
    grade.override_reason = reason if final != computed.grade else ""
    grade.is_locked = True
    grade.finalized_by = finalized_by
    grade.finalized_at = timezone.now()
    grade.full_clean()
    grade.save()
    return grade


@transaction.atomic
def reopen_term_grade(grade: TermGrade, /, *, reopened_by: User, reason: str) -> TermGrade:
    """Unlock a finalized grade so the teacher can finalize it again (registrars only)."""
    school = grade.enrollment.section.course.school
    if not has_role(reopened_by, school, Role.REGISTRAR):
        raise PermissionDenied("Only a registrar can reopen a finalized grade.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the grade is reopened."})
    grade.is_locked = False
    grade.reopened_by = reopened_by
    grade.reopened_at = timezone.now()
    grade.reopen_reason = reason.strip()
    grade.save()
    return grade


def recompute_school(school: School, /, *, on: datetime.date) -> int:
    """Recompute every rating at a school now, in this process; returns ratings written."""
    student_ids = frozenset(school.students.values_list("id", flat=True))
    return recompute(Scope(school, student_ids), on=on)


@transaction.atomic
def enqueue_recompute(
    school: School, /, *, requested_by: User | None, run_on: datetime.date | None = None
) -> RecomputeRun:
    """Queue a whole-school recomputation as a background task; follow it on the returned run.

    With a future `run_on` (a version published to take effect that day) the task waits until
    the start of that day in the site's time zone (django.tasks' ``run_after``; decision 0007),
    so the ratings switch to the new version the day it takes effect."""
    from mastery.grading.tasks import recompute_school_task

    run = RecomputeRun.objects.create(school=school, requested_by=requested_by)
    task = recompute_school_task
    if run_on is not None and run_on > timezone.localdate():
        start_of_day = datetime.datetime.combine(run_on, datetime.time.min)
        if task.get_backend().supports_defer:
            task = task.using(run_after=timezone.make_aware(start_of_day))
        # A backend without run_after (only the tests' immediate one) runs it now instead.
    transaction.on_commit(lambda: task.enqueue(run.pk))
    return run


def run_recompute(run_id: int, /, *, chunk: int = 50) -> RecomputeRun:
    """Carry out a queued run, a chunk of students per transaction, saving progress between
    chunks so that pages can show it while it runs."""
    run = RecomputeRun.objects.select_related("school").get(pk=run_id)
    student_ids = sorted(run.school.students.values_list("id", flat=True))
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.total_students = len(student_ids)
    run.save(update_fields=["status", "started_at", "total_students"])
    today = timezone.localdate()
    try:
        for start in range(0, len(student_ids), chunk):
            part = frozenset(student_ids[start : start + chunk])
            run.ratings_written += recompute(Scope(run.school, part), on=today)
            run.done_students = min(start + chunk, len(student_ids))
            run.save(update_fields=["done_students", "ratings_written"])
    except Exception as error:
        run.status = RunStatus.FAILED
        run.error = f"{type(error).__name__}: {error}"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


@transaction.atomic
def start_simulation(version: PolicyVersion, /, *, requested_by: User | None) -> SimulationRun:
    """Queue a simulation of a draft version on the school's evidence; follow it on the run."""
    from mastery.grading.tasks import simulate_policy_task

    if version.status != VersionStatus.DRAFT:
        raise ValidationError({"version": f"{version} is published: simulate a draft."})
    read_document(version.document)
    run = SimulationRun.objects.create(version=version, requested_by=requested_by)
    transaction.on_commit(lambda: simulate_policy_task.enqueue(run.pk))
    return run


def _simulation_labels(
    school: School,
) -> tuple[dict[int, tuple[str, str]], dict[tuple[str, int], tuple[str, str]]]:
    names = {
        student.pk: (str(student.uuid), student.full_name)
        for student in school.students.select_related("user")
    }
    targets: dict[tuple[str, int], tuple[str, str]] = {}
    for subskill in Subskill.objects.filter(competency__framework__school=school).select_related(
        "competency"
    ):
        targets[RatingKind.SUBSKILL, subskill.pk] = (
            f"{subskill.key} {subskill.title}",
            subskill.competency.title,
        )
    for competency in Competency.objects.filter(framework__school=school):
        targets[RatingKind.COMPETENCY, competency.pk] = (competency.title, competency.title)
    for section in Section.objects.filter(course__school=school).select_related("course"):
        targets[RatingKind.COURSE, section.pk] = (
            f"{section.key} {section.course.title}",
            section.course.title,
        )
    return names, targets


def run_simulation(run_id: int, /, *, chunk: int = 50) -> SimulationRun:
    """Carry out a queued simulation a chunk of students at a time, saving progress between."""
    run = SimulationRun.objects.select_related("version__policy__school").get(pk=run_id)
    school = run.version.policy.school
    student_ids = sorted(school.students.values_list("id", flat=True))
    run.status = RunStatus.RUNNING
    run.total_students = len(student_ids)
    run.save(update_fields=["status", "total_students"])
    names, targets = _simulation_labels(school)
    simulation = Simulation()
    today = timezone.localdate()
    try:
        for start in range(0, len(student_ids), chunk):
            simulation.add_chunk(
                school,
                frozenset(student_ids[start : start + chunk]),
                draft=run.version,
                on=today,
                names=names,
                targets=targets,
            )
            run.done_students = min(start + chunk, len(student_ids))
            run.save(update_fields=["done_students"])
    except Exception as error:
        run.status = RunStatus.FAILED
        run.error = f"{type(error).__name__}: {error}"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.status = RunStatus.DONE
    run.result = simulation.to_json()
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "result", "finished_at"])
    return run


def list_policies(school: School, /) -> QuerySet[Policy]:
    return (
        Policy.objects.filter(school=school)
        .select_related("credit_area")
        .prefetch_related("versions")
    )


def describe_policy(version: PolicyVersion, /) -> EnginePolicy:
    """The engine's reading of a version (for pages that explain it)."""
    return engine_policy(version)


def list_versions_for(schools: QuerySet[School], /) -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.filter(policy__school__in=schools).select_related(
        "policy__school", "policy__credit_area"
    )


def list_simulations(schools: QuerySet[School], /) -> QuerySet[SimulationRun]:
    return SimulationRun.objects.filter(version__policy__school__in=schools).select_related(
        "version__policy__school"
    )


def list_finalized_grades(students: Iterable[Student], /) -> QuerySet[TermGrade]:
    """The students' finalized (locked) term grades, with the course and its credit area."""
    return TermGrade.objects.filter(
        enrollment__student__in=list(students), is_locked=True
    ).select_related("enrollment__section__course__credit_area", "enrollment__section__term")


def list_competency_ratings(students: Iterable[Student], /) -> QuerySet[Rating]:
    return Rating.objects.filter(
        student__in=list(students), kind=RatingKind.COMPETENCY
    ).select_related("competency")


def list_course_ratings(students: Iterable[Student], /) -> QuerySet[Rating]:
    """The students' computed course grades (one per section), with the version that gave each."""
    return Rating.objects.filter(student__in=list(students), kind=RatingKind.COURSE).select_related(
        "policy_version"
    )
