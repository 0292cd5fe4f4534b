"""The door to conferences: who may read, prepare and record a student's conferences, the
suggestions drawn from the student's ratings, and the goals that are agreed and tracked."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mastery.accounts.models import User
from mastery.calendar import api as calendar
from mastery.calendar.models import Term
from mastery.conferences.models import (
    GOAL_TEXT_LIMIT,
    Conference,
    ConferenceStatus,
    Goal,
    GoalStatus,
)
from mastery.evidence import api as evidence
from mastery.evidence.models import Evidence
from mastery.frameworks import api as frameworks
from mastery.frameworks.models import Competency, Framework
from mastery.grading import api as grading
from mastery.grading.models import Rating
from mastery.rosters import api as rosters
from mastery.schools.models import Role, Student

__all__ = [
    "AgreedGoal",
    "ConferenceAccess",
    "ConferenceStatus",
    "GoalStatus",
    "Suggestion",
    "Suggestions",
    "create_goal",
    "get_access",
    "get_conference_visible_to",
    "list_conferences_visible_to",
    "list_evidence_to_choose",
    "list_goals",
    "list_open_goals",
    "list_students_visible_to",
    "prepare_conference",
    "record_conference",
    "set_goal_status",
    "start_conference",
    "suggest_preparation",
]

# Leaders and administrators read every conference at their school; registrars keep records,
# not conversations, so they do not.
_READS_SCHOOL_WIDE = (Role.LEADER, Role.ADMIN)
# How many strengths and growth areas the preparation form suggests: a conference is a
# conversation about a few things, not a report card.
_SUGGESTED = 3


# --- Who may do what ---------------------------------------------------------------------------


def _teaches_now(user: User, on: datetime.date) -> Q:
    """Students in a section the person teaches, enrolled and in a term that has not ended."""
    return Q(
        enrollments__withdrawn_on__isnull=True,
        enrollments__section__assignments__teacher=user,
        enrollments__section__term__ends_on__gte=on,
    )


def list_students_visible_to(user: User, /) -> QuerySet[Student]:
    """Students whose conferences and goals a person may read: themself, their children, the
    students in the sections they teach this term, and everyone at a school they lead."""
    if not user.is_authenticated:
        return Student.objects.none()
    return rosters.list_students_visible_to(user).filter(
        Q(user=user)
        | Q(guardianships__guardian=user)
        | _teaches_now(user, timezone.localdate())
        | Q(school__memberships__user=user, school__memberships__role__in=_READS_SCHOOL_WIDE)
    )


@dataclass(frozen=True)
class ConferenceAccess:
    """What a person may do with a student's conferences: everyone who gets one may read;
    `prepares` (the student themself) and `records` (a teacher of a current section)."""

    student: Student
    prepares: bool
    records: bool

    @property
    def changes_goals(self) -> bool:
        return self.prepares or self.records


def get_access(user: User, student_uuid: UUID | str, /) -> ConferenceAccess:
    """Raises Student.DoesNotExist when the person may not read the student's conferences."""
    student = list_students_visible_to(user).get(uuid=student_uuid)
    return ConferenceAccess(
        student=student,
        prepares=student.user_id == user.pk,
        records=_records_for(user, student),
    )


def _records_for(user: User, student: Student) -> bool:
    if not user.is_authenticated:
        return False
    return Student.objects.filter(_teaches_now(user, timezone.localdate()), pk=student.pk).exists()


def list_conferences_visible_to(user: User, student: Student, /) -> QuerySet[Conference]:
    """The student's conferences, newest first, if the person may read them (else none), with
    `goal_count`."""
    return (
        Conference.objects.filter(student=student, student__in=list_students_visible_to(user))
        .select_related("advisor", "term")
        .annotate(goal_count=Count("goals"))
    )


def get_conference_visible_to(
    user: User, student: Student, conference_uuid: UUID | str, /
) -> Conference:
    """One conference with its chosen evidence and goals; raises Conference.DoesNotExist when
    it is not the student's or the person may not read it."""
    return (
        list_conferences_visible_to(user, student)
        .prefetch_related(
            Prefetch(
                "chosen_evidence",
                queryset=Evidence.objects.select_related(
                    "subskill", "competency", "learning_experience"
                ),
            ),
            Prefetch("goals", queryset=_goals_with_history(Goal.objects.all())),
        )
        .get(uuid=conference_uuid)
    )


# --- Drawn from the student's data -------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A competency to talk about, as the stored rating has it; `next_step` is the engine's
    next step for the first subskill in the progression the student has not mastered, in the
    reader's language (`grading.api.next_step_words`)."""

    competency: Competency
    level_label: str
    rating: Decimal | None
    mastered: bool
    next_step: str = ""

    @property
    def line(self) -> str:
        if self.rating is None:
            said = _("%(competency)s: not enough evidence yet.") % {
                "competency": self.competency.title
            }
        elif self.mastered:
            said = _("%(competency)s: %(level)s, mastered.") % {
                "competency": self.competency.title,
                "level": self.level_label,
            }
        else:
            said = _("%(competency)s: %(level)s.") % {
                "competency": self.competency.title,
                "level": self.level_label,
            }
        return f"{said} {self.next_step}".strip()


@dataclass(frozen=True)
class Suggestions:
    strengths: tuple[Suggestion, ...]
    growth_areas: tuple[Suggestion, ...]

    @property
    def strengths_text(self) -> str:
        return "\n".join(suggestion.line for suggestion in self.strengths)

    @property
    def growth_areas_text(self) -> str:
        return "\n".join(suggestion.line for suggestion in self.growth_areas)


def suggest_preparation(student: Student, /, *, on: datetime.date) -> Suggestions:
    """Strengths and growth areas from the student's stored competency ratings.

    Strengths are the mastered competencies, highest rated first (or, if none is mastered yet,
    the highest rated one). Growth areas are the others, lowest rated first, then those without
    enough evidence for a rating, each with the engine's next step. Example: AW mastered at 3.5,
    RS Developing at 2, IN rated on too little evidence -> strengths AW; growth areas RS, IN.
    """
    framework = frameworks.get_published_framework(student.school)
    if framework is None:
        return Suggestions(strengths=(), growth_areas=())
    ratings = {
        rating.competency_id: rating for rating in grading.list_competency_ratings([student])
    }
    found = [
        (position, competency, ratings[competency.pk])
        for position, competency in enumerate(frameworks.list_competencies(framework))
        if competency.pk in ratings
    ]
    rated = sorted(
        (entry for entry in found if entry[2].value is not None),
        key=lambda entry: (-(entry[2].value or 0), entry[0]),
    )
    unrated = [entry for entry in found if entry[2].value is None]
    strengths = [entry for entry in rated if entry[2].mastered][:_SUGGESTED] or rated[:1]
    to_grow = [entry for entry in reversed(rated) if entry not in strengths] + unrated
    to_grow = [entry for entry in to_grow if not entry[2].mastered] or [
        entry for entry in strengths if not entry[2].mastered
    ]
    # The engine's next step, in the reader's language: said with the mastery level's label.
    mastery_label = "" if grading.in_english() else _mastery_label(framework)
    growth_areas = [
        _suggestion(
            competency, rating, next_step=_next_step(student, competency, on, mastery_label)
        )
        for _position, competency, rating in to_grow[:_SUGGESTED]
    ]
    # A mastered competency can still have a subskill to grow in (mastery may rest on the
    # others); those come after the competencies not yet mastered.
    for _position, competency, rating in reversed(rated):
        if len(growth_areas) >= _SUGGESTED:
            break
        if rating.mastered:
            next_step = _next_step(student, competency, on, mastery_label)
            if next_step:
                growth_areas.append(_suggestion(competency, rating, next_step=next_step))
    return Suggestions(
        strengths=tuple(
            _suggestion(competency, rating) for _position, competency, rating in strengths
        ),
        growth_areas=tuple(growth_areas),
    )


def _suggestion(competency: Competency, rating: Rating, *, next_step: str = "") -> Suggestion:
    return Suggestion(
        competency=competency,
        level_label=rating.level_label,
        rating=rating.value,
        mastered=rating.mastered,
        next_step=next_step,
    )


def _mastery_label(framework: Framework) -> str:
    level = next((level for level in framework.scale.levels.all() if level.is_mastery), None)
    return level.label if level else ""


def _next_step(
    student: Student, competency: Competency, on: datetime.date, mastery_label: str
) -> str:
    try:
        explained = grading.explain_competency(student, competency, on=on)
    except grading.NoPolicyError:
        return ""
    for subskill, rated in explained.subskills:
        if rated is None:
            return _("%(subskill)s: no evidence yet.") % {
                "subskill": f"{subskill.key} {subskill.title}"
            }
        if not rated.mastered and rated.next_step is not None:
            said = grading.next_step_words(rated.next_step, mastery_label)
            return f"{subskill.key} {subskill.title}: {said}"
    own = explained.own
    if own is not None and not own.mastered and own.next_step is not None:
        return grading.next_step_words(own.next_step, mastery_label)
    return ""


def list_evidence_to_choose(student: Student, /) -> QuerySet[Evidence]:
    """The student's own teacher-scored work they may show at a conference, newest first:
    standing scores only (not voided, not replaced by a correction)."""
    return (
        evidence.list_evidence(student)
        .filter(source=evidence.Source.TEACHER, superseded_by__isnull=True)
        .exclude(kind=evidence.EntryKind.VOID)
        .select_related("subskill", "competency")
        .order_by("-assessed_on", "-id")
    )


# --- Conferences -------------------------------------------------------------------------------


@transaction.atomic
def start_conference(
    student: Student, /, *, started_by: User, term: Term | None = None
) -> Conference:
    """A new conference in preparation, in the term running today unless one is given."""
    if started_by.pk != student.user_id:
        raise ValidationError({"started_by": _("Only the student starts their conference.")})
    if Conference.objects.filter(student=student, status=ConferenceStatus.PREPARING).exists():
        raise ValidationError(
            {"__all__": _("There is already a conference in preparation. Finish that one first.")}
        )
    if term is None:
        term = calendar.get_current_term(student.school, on=timezone.localdate())
    conference = Conference(student=student, term=term)
    conference.full_clean(exclude=["student", "term", "uuid"])
    conference.save()
    return conference


def _goal_texts(texts: Iterable[str], field: str) -> list[str]:
    cleaned = list(dict.fromkeys(" ".join(text.split()) for text in texts if text.strip()))
    for text in cleaned:
        if len(text) > GOAL_TEXT_LIMIT:
            raise ValidationError(
                {
                    field: _("Keep each goal under %(limit)d characters.")
                    % {"limit": GOAL_TEXT_LIMIT}
                }
            )
    return cleaned


@transaction.atomic
def prepare_conference(
    conference: Conference,
    /,
    *,
    strengths: str,
    growth_areas: str,
    evidence: Iterable[Evidence],
    goals: Sequence[str],
    prepared_by: User,
) -> Conference:
    """Save the student's preparation; it can be saved again until the conference is held.
    `goals` are the goals the student proposes: they replace the earlier proposals."""
    student = conference.student
    errors: dict[str, str] = {}
    if prepared_by.pk != student.user_id:
        errors["prepared_by"] = _("Only the student prepares their conference.")
    if conference.status != ConferenceStatus.PREPARING:
        errors["__all__"] = _("This conference has been held: its preparation is closed.")
    if not strengths.strip():
        errors["strengths"] = _("Name at least one strength.")
    if not growth_areas.strip():
        errors["growth_areas"] = _("Name at least one area to grow in.")
    chosen = list(evidence)
    chosen_ids = {entry.pk for entry in chosen}
    allowed = set(
        list_evidence_to_choose(student).filter(pk__in=chosen_ids).values_list("pk", flat=True)
    )
    if chosen_ids - allowed:
        errors["evidence"] = _("Choose from your own work that a teacher has scored.")
    try:
        texts = _goal_texts(goals, "goals")
    except ValidationError as error:
        errors.update({field: " ".join(messages) for field, messages in error.message_dict.items()})
        texts = []
    if not texts and "goals" not in errors:
        errors["goals"] = _("Propose at least one goal.")
    if errors:
        raise ValidationError(errors)

    conference.strengths = strengths.strip()
    conference.growth_areas = growth_areas.strip()
    conference.prepared_at = timezone.now()
    conference.save(update_fields=["strengths", "growth_areas", "prepared_at"])
    conference.chosen_evidence.set(chosen)
    proposals = {goal.text: goal for goal in conference.goals.filter(agreed=False)}
    for text, goal in proposals.items():
        if text not in texts:
            goal._history_user = prepared_by  # type: ignore[attr-defined]
            goal.delete()
    for text in texts:
        if text not in proposals:
            _new_goal(student, text, proposed_by=prepared_by, conference=conference)
    return conference


@dataclass(frozen=True)
class AgreedGoal:
    """A goal agreed at a conference: one of the student's proposals (`goal`), perhaps
    reworded, or a new one."""

    text: str
    due_on: datetime.date | None = None
    goal: Goal | None = None


@transaction.atomic
def record_conference(
    conference: Conference,
    /,
    *,
    advisor: User,
    notes: str,
    held_on: datetime.date,
    follow_up_on: datetime.date | None,
    agreed_goals: Sequence[AgreedGoal],
) -> Conference:
    """Record the conference as held. The student's proposals that are not among the agreed
    goals are dropped (they stay in the history)."""
    student = conference.student
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if conference.status != ConferenceStatus.PREPARING:
        errors["__all__"] = _("This conference is already recorded.")
    if not _records_for(advisor, student):
        errors["advisor"] = _("Only a teacher of one of the student's current sections records it.")
    if not notes.strip():
        errors["notes"] = _("Write a few notes about the conversation.")
    started_on = timezone.localdate(conference.created_at)
    if held_on > today:
        errors["held_on"] = _("The conference date cannot be in the future.")
    elif held_on < started_on:
        errors["held_on"] = _("The conference cannot be held before it was started (%(date)s).") % {
            "date": started_on.isoformat()
        }
    if follow_up_on is not None and follow_up_on <= held_on:
        errors["follow_up_on"] = _("The follow-up date comes after the conference.")
    proposals = {goal.pk: goal for goal in conference.goals.filter(agreed=False)}
    for agreed in agreed_goals:
        if agreed.goal is not None and agreed.goal.pk not in proposals:
            errors["agreed_goals"] = _("Agree to goals proposed for this conference.")
        elif not agreed.text.strip():
            errors["agreed_goals"] = _("An agreed goal says what the student will do.")
        elif len(agreed.text.strip()) > GOAL_TEXT_LIMIT:
            errors["agreed_goals"] = _("Keep each goal under %(limit)d characters.") % {
                "limit": GOAL_TEXT_LIMIT
            }
        elif agreed.due_on is not None and agreed.due_on <= held_on:
            errors["agreed_goals"] = _("A goal's due date comes after the conference.")
    if not agreed_goals:
        errors["agreed_goals"] = _("Agree at least one goal with the student.")
    if errors:
        raise ValidationError(errors)

    conference.status = ConferenceStatus.HELD
    conference.advisor = advisor
    conference.notes = notes.strip()
    conference.held_on = held_on
    conference.follow_up_on = follow_up_on
    conference.recorded_by = advisor
    conference.recorded_at = timezone.now()
    conference._history_user = advisor  # type: ignore[attr-defined]
    conference.full_clean(exclude=["student", "term", "advisor", "recorded_by", "uuid"])
    conference.save()
    kept = set()
    for agreed in agreed_goals:
        if agreed.goal is None:
            _new_goal(
                student,
                " ".join(agreed.text.split()),
                proposed_by=advisor,
                conference=conference,
                agreed=True,
                due_on=agreed.due_on,
            )
            continue
        goal = proposals[agreed.goal.pk]
        goal.text = " ".join(agreed.text.split())
        goal.due_on = agreed.due_on
        goal.agreed = True
        goal._history_user = advisor  # type: ignore[attr-defined]
        goal.save(update_fields=["text", "due_on", "agreed"])
        kept.add(goal.pk)
    for goal in proposals.values():
        if goal.pk not in kept and goal.status == GoalStatus.ACTIVE:
            goal.status = GoalStatus.DROPPED
            goal._history_user = advisor  # type: ignore[attr-defined]
            goal.save(update_fields=["status"])
    return conference


# --- Goals -------------------------------------------------------------------------------------


def _new_goal(
    student: Student,
    text: str,
    /,
    *,
    proposed_by: User,
    conference: Conference | None = None,
    agreed: bool = False,
    due_on: datetime.date | None = None,
) -> Goal:
    goal = Goal(
        student=student,
        conference=conference,
        text=text,
        proposed_by=proposed_by,
        agreed=agreed,
        due_on=due_on,
    )
    goal._history_user = proposed_by  # type: ignore[attr-defined]
    goal.full_clean(exclude=["student", "conference", "proposed_by", "uuid"])
    goal.save()
    return goal


@transaction.atomic
def create_goal(
    student: Student,
    /,
    *,
    text: str,
    proposed_by: User,
    due_on: datetime.date | None = None,
) -> Goal:
    """A goal the student sets themself between conferences (not agreed at one)."""
    if proposed_by.pk != student.user_id:
        raise ValidationError({"proposed_by": _("Only the student adds their own goals.")})
    texts = _goal_texts([text], "text")
    if not texts:
        raise ValidationError({"text": _("A goal says what the student will do.")})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("A goal's due date cannot be in the past.")})
    return _new_goal(student, texts[0], proposed_by=proposed_by, due_on=due_on)


@transaction.atomic
def set_goal_status(
    goal: Goal, /, *, status: GoalStatus | str, changed_by: User, note: str = ""
) -> Goal:
    """Mark a goal met, dropped or active again; the change and its note stay in the goal's
    history. The student and their current teachers may change it."""
    try:
        status = GoalStatus(status)
    except ValueError:
        raise ValidationError({"status": _("Choose working on it, met or dropped.")}) from None
    student = goal.student
    if changed_by.pk != student.user_id and not _records_for(changed_by, student):
        raise ValidationError(
            {"changed_by": _("Only the student and their teachers change a goal.")}
        )
    if len(note) > 500:
        raise ValidationError({"note": _("Keep the note under 500 characters.")})
    if goal.status == status:
        return goal
    goal.status = status
    goal._history_user = changed_by  # type: ignore[attr-defined]
    goal._change_reason = note.strip() or None  # type: ignore[attr-defined]
    goal.save(update_fields=["status"])
    return goal


def _goals_with_history(goals: QuerySet[Goal]) -> QuerySet[Goal]:
    history = Goal.history.model.objects.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    return goals.select_related("proposed_by", "conference").prefetch_related(
        Prefetch("changes", queryset=history)
    )


def list_goals(student: Student, /) -> QuerySet[Goal]:
    """Every goal of the student, open ones first, each with `changes`: its history, oldest
    first (who changed it, when, to which status, and the note)."""
    return _goals_with_history(Goal.objects.filter(student=student)).order_by(
        ExpressionWrapper(Q(status=GoalStatus.ACTIVE), output_field=BooleanField()).desc(),
        "-created_at",
        "-id",
    )


def list_open_goals(student: Student, /) -> QuerySet[Goal]:
    """The goals the student is working on (proposed or agreed), oldest first, with history."""
    return _goals_with_history(Goal.objects.filter(student=student, status=GoalStatus.ACTIVE))
