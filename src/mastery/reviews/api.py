"""The door to review requests: a family (or the student) asks a section's teachers to review a
rating or a term grade; a teacher answers, perhaps after correcting evidence; the request, the
answer and the outcome stay visible to the family.

Who sees a request: whoever asked, the student and their family, the section's teachers and the
school's leaders. Anyone else is told it does not exist.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from mastery.accounts.models import User
from mastery.curriculum import api as curriculum
from mastery.evidence import api as evidence
from mastery.evidence.models import EntryKind, Evidence
from mastery.frameworks.models import Competency, Subskill
from mastery.grading import api as grading
from mastery.grading.models import Rating, TermGrade
from mastery.reviews import notifications
from mastery.reviews.models import Outcome, ReviewRequest, ReviewStatus, TargetKind
from mastery.rosters import api as rosters
from mastery.rosters.models import Section, TeachingAssignment
from mastery.schools.models import Guardianship, Membership, Role, Student

__all__ = [
    "Outcome",
    "Questioned",
    "ReviewStatus",
    "ReviewableSection",
    "TargetKind",
    "TargetNotFound",
    "answer_review_request",
    "count_open_for_teacher",
    "describe_questioned",
    "file_review_request",
    "find_questioned",
    "get_review_request_visible_to",
    "get_student_for_requester",
    "list_corrections_for",
    "list_review_requests_for_family",
    "list_review_requests_for_teacher",
    "list_reviewable",
]

_RELATED = (
    "student__user",
    "section__course",
    "section__term",
    "competency",
    "subskill",
    "term_grade",
    "requested_by",
    "answered_by",
)
_LEADING_ROLES = (Role.LEADER, Role.ADMIN)


class TargetNotFound(ObjectDoesNotExist):
    """No such rating or grade of this student, in a section they are in, for this person."""


@dataclass(frozen=True)
class Questioned:
    """What a review is (or would be) about, and where it stands now: the stored rating of a
    competency or subskill (None when not rated yet), or the finalized term grade."""

    student: Student
    section: Section
    competency: Competency | None = None
    subskill: Subskill | None = None
    term_grade: TermGrade | None = None
    rating: Rating | None = None

    @property
    def kind(self) -> TargetKind:
        if self.competency is not None:
            return TargetKind.COMPETENCY
        if self.subskill is not None:
            return TargetKind.SUBSKILL
        return TargetKind.TERM_GRADE

    @property
    def label(self) -> str:
        if self.competency is not None:
            return f"{self.competency.key} {self.competency.title}"
        if self.subskill is not None:
            return f"{self.subskill.key} {self.subskill.title}"
        return gettext("Term grade in %(course)s") % {"course": self.section.course.title}


@dataclass(frozen=True)
class ReviewableSection:
    """A section a student is in, with what a family may ask to have reviewed there."""

    section: Section
    competencies: list[tuple[Competency, Rating | None]]
    subskills: list[tuple[Subskill, Rating | None]]
    term_grade: TermGrade | None


def _may_request(user: User, student: Student) -> bool:
    if not user.is_authenticated:
        return False
    return (
        student.user_id == user.pk
        or Guardianship.objects.filter(student=student, guardian=user).exists()
    )


def _teaches(user: User, section: Section) -> bool:
    return TeachingAssignment.objects.filter(section=section, teacher=user).exists()


def _with_related(requests: QuerySet[ReviewRequest]) -> QuerySet[ReviewRequest]:
    return requests.select_related(*_RELATED)


def _current_rating(
    student: Student, competency: Competency | None, subskill: Subskill | None
) -> Rating | None:
    if competency is not None:
        ratings = grading.list_ratings(student, kind=grading.RatingKind.COMPETENCY)
        return ratings.filter(competency=competency).first()
    if subskill is not None:
        ratings = grading.list_ratings(student, kind=grading.RatingKind.SUBSKILL)
        return ratings.filter(subskill=subskill).first()
    return None


@transaction.atomic
def file_review_request(
    student: Student,
    /,
    *,
    requested_by: User,
    section: Section,
    competency: Competency | None = None,
    subskill: Subskill | None = None,
    term_grade: TermGrade | None = None,
    reason: str,
) -> ReviewRequest:
    """Ask the section's teachers to review one rating or term grade; they are emailed once the
    request is stored."""
    if not _may_request(requested_by, student):
        raise ValidationError(
            {
                "requested_by": gettext(
                    "Only the student or a member of their family can ask for a review."
                )
            }
        )
    if not rosters.list_enrollments(student).filter(section=section).exists():
        raise ValidationError(
            {
                "section": gettext("%(student)s is not in %(section)s.")
                % {"student": student, "section": section}
            }
        )
    if sum(target is not None for target in (competency, subskill, term_grade)) != 1:
        raise ValidationError(gettext("Choose exactly one rating or grade to review."))
    course = section.course
    if (
        competency is not None
        and not curriculum.list_assessed_competencies(course).filter(pk=competency.pk).exists()
    ):
        raise ValidationError(
            {
                "competency": gettext("%(course)s does not assess %(competency)s.")
                % {"course": course.title, "competency": competency.title}
            }
        )
    if (
        subskill is not None
        and not curriculum.list_assessed_subskills(course).filter(pk=subskill.pk).exists()
    ):
        raise ValidationError(
            {
                "subskill": gettext("%(course)s does not assess %(subskill)s.")
                % {"course": course.title, "subskill": subskill.title}
            }
        )
    if (
        term_grade is not None
        and not grading.list_finalized_grades([student])
        .filter(pk=term_grade.pk, enrollment__section=section)
        .exists()
    ):
        raise ValidationError(
            {
                "term_grade": gettext(
                    "This is not a finalized grade of %(student)s in %(section)s."
                )
                % {"student": student, "section": section}
            }
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why you ask for a review.")})
    already_open = ReviewRequest.objects.filter(
        student=student,
        section=section,
        competency=competency,
        subskill=subskill,
        term_grade=term_grade,
        status=ReviewStatus.OPEN,
    )
    if already_open.exists():
        raise ValidationError(
            gettext("A review of this is already waiting for the teacher's answer.")
        )
    review = ReviewRequest(
        student=student,
        section=section,
        competency=competency,
        subskill=subskill,
        term_grade=term_grade,
        requested_by=requested_by,
        reason=reason,
        requested_at=timezone.now(),
    )
    review.full_clean()
    review.save()
    transaction.on_commit(lambda: notifications.send_filed(review.pk))
    return review


@transaction.atomic
def answer_review_request(
    review: ReviewRequest,
    /,
    *,
    answered_by: User,
    answer: str,
    outcome: Outcome | str,
    corrected: Iterable[Evidence] = (),
) -> ReviewRequest:
    """Answer a request once, as a teacher of its section, naming the outcome and linking the
    corrections made (see `list_corrections_for`); the family is emailed once it is stored."""
    stored = (
        ReviewRequest.objects.select_for_update()
        .filter(pk=review.pk)
        .values_list("status", flat=True)
        .get()
    )
    if stored != ReviewStatus.OPEN:
        raise ValidationError(
            {"status": gettext("This request is already answered; the answer is kept as it was.")}
        )
    if not answered_by.is_authenticated or not _teaches(answered_by, review.section):
        raise ValidationError(
            {
                "answered_by": gettext("Only a teacher of %(section)s can answer this request.")
                % {"section": review.section}
            }
        )
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": gettext("Write an answer for the family.")})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": gettext("Choose what came of the review.")})
    corrected = list(corrected)
    allowed = set(list_corrections_for(review).values_list("pk", flat=True))
    if any(entry.pk not in allowed for entry in corrected):
        raise ValidationError(
            {
                "corrected": gettext(
                    "Link only corrections of %(student)s's evidence on this, made in %(section)s."
                )
                % {"student": review.student, "section": review.section}
            }
        )
    review.status = ReviewStatus.ANSWERED
    review.answer = answer
    review.outcome = Outcome(outcome)
    review.answered_by = answered_by
    review.answered_at = timezone.now()
    review.full_clean()
    review.save()
    review.corrected_evidence.set(corrected)
    transaction.on_commit(lambda: notifications.send_answered(review.pk))
    return review


def list_corrections_for(review: ReviewRequest, /) -> QuerySet[Evidence]:
    """The corrections and voids of the student's evidence on what is questioned, made in the
    request's section (for a term grade: any made there), newest first: what an answer may link."""
    entries = evidence.list_section_evidence(review.section).filter(
        student=review.student, kind__in=[EntryKind.CORRECTION, EntryKind.VOID]
    )
    if review.competency_id is not None:
        entries = entries.filter(
            Q(competency_id=review.competency_id) | Q(subskill__competency_id=review.competency_id)
        )
    elif review.subskill_id is not None:
        entries = entries.filter(subskill_id=review.subskill_id)
    return entries.select_related("subskill", "competency", "supersedes", "recorded_by").order_by(
        "-recorded_at", "-id"
    )


def get_student_for_requester(user: User, student_uuid: UUID | str, /) -> Student:
    """The student whose ratings this person may ask to have reviewed: themself, or one of
    their children. Raises Student.DoesNotExist otherwise."""
    if not user.is_authenticated:
        raise Student.DoesNotExist
    family = Exists(Guardianship.objects.filter(student=OuterRef("pk"), guardian=user))
    return (
        Student.objects.select_related("user", "school")
        .filter(Q(user=user) | Q(family), uuid=student_uuid)
        .get()
    )


def find_questioned(
    user: User,
    student: Student,
    /,
    *,
    section_uuid: UUID,
    competency_uuid: UUID | None = None,
    subskill_uuid: UUID | None = None,
    term_grade_uuid: UUID | None = None,
) -> Questioned:
    """What this person would ask to have reviewed: a competency or subskill the section's
    course assesses, or the student's finalized grade there, with its current value. Raises
    TargetNotFound for anything else (someone else's child, a section the student is not in)."""
    given = [competency_uuid, subskill_uuid, term_grade_uuid]
    if not _may_request(user, student) or sum(uuid is not None for uuid in given) != 1:
        raise TargetNotFound
    enrollment = rosters.list_enrollments(student).filter(section__uuid=section_uuid).first()
    if enrollment is None:
        raise TargetNotFound
    section = enrollment.section
    competency = subskill = term_grade = None
    if competency_uuid is not None:
        competency = (
            curriculum.list_assessed_competencies(section.course)
            .filter(uuid=competency_uuid)
            .first()
        )
    elif subskill_uuid is not None:
        subskill = (
            curriculum.list_assessed_subskills(section.course).filter(uuid=subskill_uuid).first()
        )
    elif term_grade_uuid is not None:
        term_grade = (
            grading.list_finalized_grades([student])
            .filter(uuid=term_grade_uuid, enrollment__section=section)
            .first()
        )
    if competency is None and subskill is None and term_grade is None:
        raise TargetNotFound
    return Questioned(
        student=student,
        section=section,
        competency=competency,
        subskill=subskill,
        term_grade=term_grade,
        rating=_current_rating(student, competency, subskill),
    )


def describe_questioned(review: ReviewRequest, /) -> Questioned:
    """What a request is about, with its value now (after any correction)."""
    return Questioned(
        student=review.student,
        section=review.section,
        competency=review.competency,
        subskill=review.subskill,
        term_grade=review.term_grade,
        rating=_current_rating(review.student, review.competency, review.subskill),
    )


def list_reviewable(student: Student, /) -> list[ReviewableSection]:
    """For each section the student is in: the competencies and subskills its course assesses
    with the student's current ratings, and the finalized term grade if there is one."""
    ratings = list(
        grading.list_ratings(student).filter(
            kind__in=[grading.RatingKind.COMPETENCY, grading.RatingKind.SUBSKILL]
        )
    )
    by_competency = {rating.competency_id: rating for rating in ratings if rating.competency_id}
    by_subskill = {rating.subskill_id: rating for rating in ratings if rating.subskill_id}
    grades = {
        grade.enrollment.section_id: grade
        for grade in grading.list_finalized_grades([student]).select_related("enrollment")
    }
    reviewable = []
    for enrollment in rosters.list_enrollments(student):
        course = enrollment.section.course
        reviewable.append(
            ReviewableSection(
                section=enrollment.section,
                competencies=[
                    (competency, by_competency.get(competency.pk))
                    for competency in curriculum.list_assessed_competencies(course).order_by(
                        "position", "key"
                    )
                ],
                subskills=[
                    (subskill, by_subskill.get(subskill.pk))
                    for subskill in curriculum.list_assessed_subskills(course).order_by(
                        "competency__position", "position", "key"
                    )
                ],
                term_grade=grades.get(enrollment.section_id),
            )
        )
    return reviewable


def list_review_requests_for_family(user: User, student: Student, /) -> QuerySet[ReviewRequest]:
    """The requests about this student, newest first — for the student and their family only
    (anyone else gets none)."""
    if not _may_request(user, student):
        return ReviewRequest.objects.none()
    return _with_related(ReviewRequest.objects.filter(student=student))


def _taught_by(user: User) -> QuerySet[ReviewRequest]:
    sections = TeachingAssignment.objects.filter(teacher=user).values("section_id")
    return ReviewRequest.objects.filter(section_id__in=sections)


def list_review_requests_for_teacher(user: User, /) -> QuerySet[ReviewRequest]:
    """The requests in the sections this person teaches: open ones first, then newest first."""
    if not user.is_authenticated:
        return ReviewRequest.objects.none()
    waiting_first = Case(
        When(status=ReviewStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return _with_related(_taught_by(user)).order_by(waiting_first, "-requested_at", "-id")


def count_open_for_teacher(user: User, /) -> int:
    """How many requests wait for this teacher's answer (for the home page). One query."""
    if not user.is_authenticated:
        return 0
    return _taught_by(user).filter(status=ReviewStatus.OPEN).count()


def get_review_request_visible_to(user: User, review_uuid: UUID | str, /) -> ReviewRequest:
    """One request this person may read, with `teaches` set: whether they may answer it.
    Raises ReviewRequest.DoesNotExist for anyone but whoever asked, the student and their
    family, the section's teachers and the school's leaders."""
    if not user.is_authenticated:
        raise ReviewRequest.DoesNotExist
    teaches = Exists(TeachingAssignment.objects.filter(section=OuterRef("section"), teacher=user))
    family = Exists(Guardianship.objects.filter(student=OuterRef("student"), guardian=user))
    leads = Membership.objects.filter(user=user, role__in=_LEADING_ROLES).values("school_id")
    return (
        _with_related(ReviewRequest.objects.all())
        .annotate(teaches=teaches)
        .filter(
            Q(requested_by=user)
            | Q(student__user=user)
            | Q(family)
            | Q(teaches=True)
            | Q(section__course__school_id__in=leads),
            uuid=review_uuid,
        )
        .prefetch_related("corrected_evidence__subskill", "corrected_evidence__competency")
        .get()
    )
