"""A family asks for a review of a rating or a grade; a teacher of the section answers once; the
request, the answer and the outcome are kept."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mastery.evidence import api as evidence
from mastery.frameworks import api as frameworks
from mastery.reviews import api as reviews
from mastery.reviews.models import Outcome, ReviewRequest, ReviewStatus
from tests.reviews.builders import ask_for_review, finalize_grade, score
from tests.world import World

pytestmark = pytest.mark.django_db


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


def test_a_guardian_asks_for_a_review_of_a_competency_rating(world: World) -> None:
    review = ask_for_review(world, reason="  Maya rewrote the essay after the feedback.  ")

    assert review.status == ReviewStatus.OPEN
    assert review.requested_by == world.rosa
    assert review.reason == "Maya rewrote the essay after the feedback."
    assert review.target == world.writing
    assert review.target_label == "AW Argumentative writing"
    assert review.requested_at is not None


def test_a_student_asks_for_a_review_of_their_own_subskill_rating(world: World) -> None:
    review = ask_for_review(world, requested_by=world.maya.user, subskill=world.claims)

    assert review.target == world.claims
    assert review.kind == "subskill"


def test_a_family_asks_for_a_review_of_a_finalized_term_grade(graded_world: World) -> None:
    world = graded_world
    grade = finalize_grade(world)

    review = ask_for_review(world, term_grade=grade)

    assert review.target == grade
    assert review.target_label == "Term grade in Algebra"


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_a_request_needs_a_reason(world: World, reason: str) -> None:
    with pytest.raises(ValidationError) as error:
        ask_for_review(world, reason=reason)

    assert _fields(error) == {"reason"}
    assert not ReviewRequest.objects.exists()


def test_a_guardian_cannot_ask_about_someone_else_s_child(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        ask_for_review(world, requested_by=world.ben)

    assert _fields(error) == {"requested_by"}


def test_a_classmate_cannot_ask_about_another_student(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        ask_for_review(world, requested_by=world.sam.user)

    assert _fields(error) == {"requested_by"}


def test_a_section_the_child_is_not_in_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        ask_for_review(world, section=world.biology_section)

    assert _fields(error) == {"section"}


def test_a_competency_the_course_does_not_assess_is_refused(world: World) -> None:
    speaking = frameworks.create_competency(world.framework, "SP", title="Speaking", position=2)
    presents = frameworks.create_subskill(speaking, "SP.1", title="Presents a case", position=1)

    with pytest.raises(ValidationError) as competency_error:
        ask_for_review(world, competency=speaking)
    with pytest.raises(ValidationError) as subskill_error:
        ask_for_review(world, subskill=presents)

    assert _fields(competency_error) == {"competency"}
    assert _fields(subskill_error) == {"subskill"}
    assert not ReviewRequest.objects.exists()


def test_another_student_s_term_grade_is_refused(graded_world: World) -> None:
    world = graded_world
    sams_grade = finalize_grade(world, world.sam)

    with pytest.raises(ValidationError) as error:
        ask_for_review(world, term_grade=sams_grade)

    assert _fields(error) == {"term_grade"}


def test_a_request_is_about_exactly_one_rating_or_grade(world: World) -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        ask_for_review(world, competency=world.writing, subskill=world.claims)


def test_the_database_refuses_a_request_about_two_things(world: World) -> None:
    review = ask_for_review(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRequest.objects.filter(pk=review.pk).update(subskill=world.claims)


def test_a_second_open_request_about_the_same_rating_is_refused(world: World) -> None:
    ask_for_review(world)

    with pytest.raises(ValidationError, match="already waiting"):
        ask_for_review(world, requested_by=world.maya.user)

    assert ReviewRequest.objects.count() == 1


def test_a_co_teacher_answers_and_the_answer_is_kept(world: World) -> None:
    review = ask_for_review(world)

    answered = reviews.answer_review_request(
        review,
        answered_by=world.cole,
        answer="  The rewrite is scored in the next at-bat.  ",
        outcome=Outcome.UNCHANGED,
    )

    answered.refresh_from_db()
    assert answered.status == ReviewStatus.ANSWERED
    assert answered.answer == "The rewrite is scored in the next at-bat."
    assert answered.outcome == Outcome.UNCHANGED
    assert answered.answered_by == world.cole
    assert answered.answered_at is not None


def test_the_teacher_links_the_corrections_they_made(graded_world: World) -> None:
    world = graded_world
    at_bat = score(world, level=1)
    correction = evidence.correct_evidence(
        at_bat, level=3, reason="Scored against the wrong row", recorded_by=world.dana
    )
    review = ask_for_review(world, subskill=world.claims)

    assert list(reviews.list_corrections_for(review)) == [correction]
    reviews.answer_review_request(
        review,
        answered_by=world.dana,
        answer="You were right: corrected to Meeting.",
        outcome=Outcome.EVIDENCE_CORRECTED,
        corrected=[correction],
    )

    assert list(review.corrected_evidence.all()) == [correction]


def test_an_answer_cannot_link_a_correction_of_someone_else_s_evidence(
    graded_world: World,
) -> None:
    world = graded_world
    sams = score(world, world.sam, level=1)
    sams_correction = evidence.correct_evidence(
        sams, level=2, reason="typo", recorded_by=world.dana
    )
    review = ask_for_review(world, subskill=world.claims)

    with pytest.raises(ValidationError) as error:
        reviews.answer_review_request(
            review,
            answered_by=world.dana,
            answer="Corrected.",
            outcome=Outcome.EVIDENCE_CORRECTED,
            corrected=[sams_correction],
        )

    assert _fields(error) == {"corrected"}


@pytest.mark.parametrize("who", ["omar", "hugo", "lena", "rosa"])
def test_only_a_teacher_of_the_section_answers(world: World, who: str) -> None:
    review = ask_for_review(world)

    with pytest.raises(ValidationError) as error:
        reviews.answer_review_request(
            review, answered_by=getattr(world, who), answer="No.", outcome=Outcome.UNCHANGED
        )

    assert _fields(error) == {"answered_by"}
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


@pytest.mark.parametrize(
    ("answer", "outcome", "field"),
    [
        ("  ", Outcome.UNCHANGED, "answer"),
        ("It stands.", "", "outcome"),
        ("Ok", "maybe", "outcome"),
    ],
)
def test_an_answer_needs_words_and_an_outcome(
    world: World, answer: str, outcome: str, field: str
) -> None:
    review = ask_for_review(world)

    with pytest.raises(ValidationError) as error:
        reviews.answer_review_request(
            review, answered_by=world.dana, answer=answer, outcome=outcome
        )

    assert _fields(error) == {field}


def test_an_answered_request_cannot_be_answered_again(world: World) -> None:
    review = ask_for_review(world)
    reviews.answer_review_request(
        review, answered_by=world.dana, answer="It stands.", outcome=Outcome.UNCHANGED
    )

    with pytest.raises(ValidationError) as error:
        reviews.answer_review_request(
            ReviewRequest.objects.get(pk=review.pk),
            answered_by=world.cole,
            answer="Changed my mind.",
            outcome=Outcome.OTHER,
        )

    assert _fields(error) == {"status"}
    review.refresh_from_db()
    assert (review.answer, review.answered_by) == ("It stands.", world.dana)


def test_an_answered_request_is_not_edited(world: World) -> None:
    review = ask_for_review(world)
    reviews.answer_review_request(
        review, answered_by=world.dana, answer="It stands.", outcome=Outcome.UNCHANGED
    )
    review.answer = "Something else"

    with pytest.raises(ValidationError, match="kept as it was"):
        review.full_clean()


def test_every_change_is_kept_in_the_history(world: World) -> None:
    review = ask_for_review(world)
    reviews.answer_review_request(
        review, answered_by=world.dana, answer="It stands.", outcome=Outcome.UNCHANGED
    )

    statuses = [entry.status for entry in review.history.order_by("history_date")]
    assert statuses == [ReviewStatus.OPEN, ReviewStatus.ANSWERED]


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("rosa", True),
        ("maya", True),
        ("dana", True),
        ("cole", True),
        ("lena", True),
        ("sam", False),
        ("ben", False),
        ("omar", False),
        ("hugo", False),
        ("rita", False),
    ],
)
def test_a_request_is_visible_to_the_family_the_section_s_teachers_and_leaders(
    world: World, viewer: str, sees: bool
) -> None:
    review = ask_for_review(world)
    person = getattr(world, viewer)
    user = person.user if viewer in {"maya", "sam"} else person

    if sees:
        found = reviews.get_review_request_visible_to(user, review.uuid)
        assert found == review
        assert found.teaches is (viewer in {"dana", "cole"})
    else:
        with pytest.raises(ReviewRequest.DoesNotExist):
            reviews.get_review_request_visible_to(user, review.uuid)


def test_the_family_list_holds_only_their_child_s_requests(world: World) -> None:
    about_maya = ask_for_review(world)
    ask_for_review(world, student=world.leo, requested_by=world.ben, section=world.biology_section)

    assert list(reviews.list_review_requests_for_family(world.rosa, world.maya)) == [about_maya]
    assert list(reviews.list_review_requests_for_family(world.maya.user, world.maya)) == [
        about_maya
    ]
    assert not reviews.list_review_requests_for_family(world.ben, world.maya).exists()
    assert not reviews.list_review_requests_for_family(world.dana, world.maya).exists()


def test_the_teacher_s_inbox_puts_open_requests_first(world: World) -> None:
    answered = ask_for_review(world)
    reviews.answer_review_request(
        answered, answered_by=world.dana, answer="It stands.", outcome=Outcome.UNCHANGED
    )
    waiting = ask_for_review(world, subskill=world.claims)
    ask_for_review(world, student=world.leo, requested_by=world.ben, section=world.biology_section)

    assert list(reviews.list_review_requests_for_teacher(world.dana)) == [waiting, answered]
    assert reviews.count_open_for_teacher(world.dana) == 1
    assert reviews.count_open_for_teacher(world.cole) == 1
    assert reviews.count_open_for_teacher(world.omar) == 1
    assert reviews.count_open_for_teacher(world.hugo) == 0


def test_what_a_family_may_ask_about_shows_the_current_values(graded_world: World) -> None:
    world = graded_world
    grade = finalize_grade(world)

    (algebra,) = reviews.list_reviewable(world.maya)

    assert algebra.section == world.algebra_section
    assert [competency for competency, _rating in algebra.competencies] == [world.writing]
    assert [subskill for subskill, _rating in algebra.subskills] == [
        world.claims,
        world.evidence_use,
    ]
    claims_rating = dict(algebra.subskills)[world.claims]
    assert claims_rating is not None
    assert claims_rating.level_label == "Exceeding"
    assert algebra.term_grade == grade


def test_finding_what_is_questioned_refuses_someone_else_s_child(world: World) -> None:
    with pytest.raises(reviews.TargetNotFound):
        reviews.find_questioned(
            world.ben,
            world.maya,
            section_uuid=world.algebra_section.uuid,
            competency_uuid=world.writing.uuid,
        )
    found = reviews.find_questioned(
        world.rosa,
        world.maya,
        section_uuid=world.algebra_section.uuid,
        competency_uuid=world.writing.uuid,
    )
    assert (found.section, found.competency, found.rating) == (
        world.algebra_section,
        world.writing,
        None,
    )
