"""The review request pages: a family asks from their child's list, the teacher answers from the
inbox (after correcting evidence in the drill-down), and the family reads the answer. No one
else reaches any of them, by any URL."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mastery.evidence import api as evidence
from mastery.reviews import api as reviews
from mastery.reviews.models import Outcome, ReviewRequest, ReviewStatus
from tests.reviews.builders import ask_for_review, finalize_grade, score
from tests.world import World

pytestmark = pytest.mark.django_db


def _list(world: World) -> str:
    return reverse("review-requests-for-student", args=[world.maya.uuid])


def _new(world: World, **target: str) -> str:
    query = "&".join(f"{name}={value}" for name, value in target.items())
    return (
        reverse("review-request-new", args=[world.maya.uuid])
        + f"?section={world.algebra_section.uuid}&{query or f'competency={world.writing.uuid}'}"
    )


def _detail(review: ReviewRequest) -> str:
    return reverse("review-request-detail", args=[review.uuid])


def _answer_url(review: ReviewRequest) -> str:
    return reverse("review-request-answer", args=[review.uuid])


# The family's side


def test_the_family_list_shows_requests_and_what_can_be_reviewed(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    score(world, level=3)
    ask_for_review(world, subskill=world.claims, reason="The lab report deserves a second look.")
    client.force_login(world.rosa)

    page = client.get(_list(world)).content.decode()

    assert "AW.1 States a precise claim" in page
    assert "Waiting for an answer" in page
    assert "AW Argumentative writing" in page
    assert f"competency={world.writing.uuid}" in page
    assert f"subskill={world.evidence_use.uuid}" in page


def test_the_student_sees_the_list_about_themself(client: Client, world: World) -> None:
    ask_for_review(world)
    client.force_login(world.maya.user)

    response = client.get(_list(world))

    assert response.status_code == 200
    assert "AW Argumentative writing" in response.content.decode()


def test_the_form_shows_what_is_questioned_and_its_current_rating(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    score(world, level=3)
    client.force_login(world.rosa)

    page = client.get(_new(world, subskill=str(world.claims.uuid))).content.decode()

    assert "AW.1 States a precise claim" in page
    assert "ALG-1 Algebra" in page
    assert '<textarea id="reason" name="reason"' in page
    assert "required" in page


def test_a_guardian_files_a_request_with_a_reason(client: Client, world: World) -> None:
    client.force_login(world.rosa)

    response = client.post(_new(world), {"reason": "Maya rewrote her essay."}, follow=True)

    review = ReviewRequest.objects.get()
    assert (review.student, review.competency, review.requested_by) == (
        world.maya,
        world.writing,
        world.rosa,
    )
    assert review.reason == "Maya rewrote her essay."
    assert response.redirect_chain[-1][0] == _detail(review)
    page = response.content.decode()
    assert "Your request was sent to the teacher" in page
    assert "Maya rewrote her essay." in page
    assert "The teacher has not answered yet" in page


def test_a_request_without_a_reason_is_refused_in_the_page(client: Client, world: World) -> None:
    client.force_login(world.rosa)

    response = client.post(_new(world), {"reason": "   "})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-describedby="reason-help reason-error"' in page
    assert 'id="reason-error"' in page
    assert "Say why you ask for a review." in page
    assert not ReviewRequest.objects.exists()


def test_a_second_request_about_the_same_rating_is_refused_in_the_page(
    client: Client, world: World
) -> None:
    ask_for_review(world)
    client.force_login(world.rosa)

    response = client.post(_new(world), {"reason": "Again"})

    assert response.status_code == 400
    assert "already waiting" in response.content.decode()
    assert ReviewRequest.objects.count() == 1


def test_a_family_asks_about_a_finalized_term_grade(client: Client, graded_world: World) -> None:
    world = graded_world
    grade = finalize_grade(world)
    client.force_login(world.rosa)

    assert f"grade={grade.uuid}" in client.get(_list(world)).content.decode()
    client.post(_new(world, grade=str(grade.uuid)), {"reason": "Her last essay is missing."})

    assert ReviewRequest.objects.get().term_grade == grade


@pytest.mark.parametrize(
    "query",
    [
        "competency=not-a-uuid",
        "subskill=00000000-0000-0000-0000-000000000000",
        "",
        "competency={writing}&subskill={claims}",
    ],
)
def test_a_form_for_something_that_is_not_there_is_not_found(
    client: Client, world: World, query: str
) -> None:
    client.force_login(world.rosa)
    url = reverse("review-request-new", args=[world.maya.uuid]) + (
        f"?section={world.algebra_section.uuid}&"
        + query.format(writing=world.writing.uuid, claims=world.claims.uuid)
    )

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert not ReviewRequest.objects.exists()


def test_a_form_for_a_section_the_child_is_not_in_is_not_found(
    client: Client, world: World
) -> None:
    client.force_login(world.rosa)
    url = (
        reverse("review-request-new", args=[world.maya.uuid])
        + f"?section={world.biology_section.uuid}&competency={world.writing.uuid}"
    )

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404


# The teacher's side


def test_the_inbox_lists_open_requests_first(client: Client, world: World) -> None:
    answered = ask_for_review(world, subskill=world.claims)
    reviews.answer_review_request(
        answered, answered_by=world.dana, answer="It stands.", outcome=Outcome.UNCHANGED
    )
    ask_for_review(world)
    client.force_login(world.dana)

    page = client.get(reverse("review-request-inbox")).content.decode()

    assert page.index("Waiting for an answer") < page.index("Unchanged: the rating stands")
    assert "Rosa Okafor" in page


def test_the_teacher_sees_the_answer_form_with_a_link_to_the_evidence(
    client: Client, world: World
) -> None:
    review = ask_for_review(world, subskill=world.claims)
    client.force_login(world.cole)

    page = client.get(_detail(review)).content.decode()

    drill_down = reverse(
        "drill-down",
        args=[world.algebra_section.uuid, world.maya.uuid, "subskill", world.claims.uuid],
    )
    assert drill_down in page
    assert f'action="{_answer_url(review)}"' in page
    for value in Outcome.values:
        assert f'value="{value}"' in page


def test_a_term_grade_request_links_to_the_term_review(client: Client, graded_world: World) -> None:
    world = graded_world
    review = ask_for_review(world, term_grade=finalize_grade(world))
    client.force_login(world.dana)

    page = client.get(_detail(review)).content.decode()

    assert reverse("term-review", args=[world.algebra_section.uuid]) in page


def test_the_teacher_corrects_evidence_and_answers_and_the_family_reads_it(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    at_bat = score(world, level=1)
    review = ask_for_review(world, subskill=world.claims)
    correction = evidence.correct_evidence(
        at_bat, level=3, reason="Scored against the wrong row", recorded_by=world.dana
    )
    client.force_login(world.dana)

    response = client.post(
        _answer_url(review),
        {
            "answer": "You were right: I scored the wrong row.",
            "outcome": Outcome.EVIDENCE_CORRECTED,
            "corrected": [str(correction.uuid)],
        },
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.ANSWERED
    assert list(review.corrected_evidence.all()) == [correction]
    client.force_login(world.rosa)
    page = client.get(_detail(review)).content.decode()
    assert "You were right: I scored the wrong row." in page
    assert "Evidence corrected" in page
    assert "Scored against the wrong row" in page
    assert 'name="answer"' not in page
    listed = client.get(_list(world)).content.decode()
    assert "Evidence corrected" in listed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"answer": "It stands."}, "Choose what came of the review."),
        ({"answer": " ", "outcome": "unchanged"}, "Write an answer for the family."),
        (
            {"answer": "Ok", "outcome": "unchanged", "corrected": ["not-a-correction"]},
            "Choose among the corrections listed.",
        ),
    ],
)
def test_a_bad_answer_is_refused_in_the_page(
    client: Client, world: World, data: dict, message: str
) -> None:
    review = ask_for_review(world)
    client.force_login(world.dana)

    response = client.post(_answer_url(review), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


def test_an_answered_request_cannot_be_answered_again_in_the_page(
    client: Client, world: World
) -> None:
    review = ask_for_review(world)
    reviews.answer_review_request(
        review, answered_by=world.dana, answer="It stands.", outcome=Outcome.UNCHANGED
    )
    client.force_login(world.cole)

    response = client.post(_answer_url(review), {"answer": "Changed", "outcome": "other"})

    assert response.status_code == 400
    assert "already answered" in response.content.decode()
    review.refresh_from_db()
    assert review.answer == "It stands."


def test_a_leader_reads_a_request_but_does_not_answer_it(client: Client, world: World) -> None:
    review = ask_for_review(world)
    client.force_login(world.lena)

    page = client.get(_detail(review)).content.decode()
    response = client.post(_answer_url(review), {"answer": "No", "outcome": "unchanged"})

    assert "Maya rewrote the essay" in page
    assert 'name="answer"' not in page
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


# Access: every URL, every outsider


def _urls(world: World, review: ReviewRequest) -> list[tuple[str, str]]:
    return [
        ("get", _list(world)),
        ("get", _new(world)),
        ("post", _new(world)),
        ("get", _detail(review)),
        ("post", _answer_url(review)),
    ]


@pytest.mark.parametrize("outsider", ["ben", "sam", "omar", "hugo", "rita"])
def test_no_one_else_reaches_a_child_s_review_requests(
    client: Client, world: World, outsider: str
) -> None:
    review = ask_for_review(world)
    person = getattr(world, outsider)
    client.force_login(person.user if outsider == "sam" else person)

    for method, url in _urls(world, review):
        response = getattr(client, method)(url, {"reason": "x", "answer": "x", "outcome": "other"})
        assert response.status_code == 404, (method, url)
    assert ReviewRequest.objects.count() == 1
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


def test_a_teacher_of_the_child_does_not_file_for_the_family(client: Client, world: World) -> None:
    client.force_login(world.dana)

    assert client.get(_list(world)).status_code == 404
    assert client.post(_new(world), {"reason": "x"}).status_code == 404


def test_the_family_does_not_answer_their_own_request(client: Client, world: World) -> None:
    review = ask_for_review(world)

    for person in (world.rosa, world.maya.user):
        client.force_login(person)
        response = client.post(_answer_url(review), {"answer": "Fine", "outcome": "other"})
        assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


def test_an_anonymous_visitor_is_sent_to_sign_in_everywhere(client: Client, world: World) -> None:
    review = ask_for_review(world)
    login = reverse("login")

    for method, url in [*_urls(world, review), ("get", reverse("review-request-inbox"))]:
        response = getattr(client, method)(url, {"reason": "x"})
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(login)
    assert ReviewRequest.objects.count() == 1


@pytest.mark.parametrize("outsider", ["omar", "hugo", "ben"])
def test_another_teacher_s_inbox_holds_none_of_these_requests(
    client: Client, world: World, outsider: str
) -> None:
    ask_for_review(world)
    client.force_login(getattr(world, outsider))

    page = client.get(reverse("review-request-inbox")).content.decode()

    assert "Maya Okafor" not in page
    assert "No review requests in your sections." in page


# Cost


def _inbox_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("review-request-inbox")).status_code == 200
    return len(captured)


def test_the_inbox_costs_the_same_for_one_request_and_six(
    client: Client, graded_world: World
) -> None:
    world = graded_world
    client.force_login(world.dana)
    ask_for_review(world)
    one = _inbox_queries(client)

    for student in (world.maya, world.sam):
        for target in ({"subskill": world.claims}, {"subskill": world.evidence_use}):
            ask_for_review(world, student=student, **target)
    ask_for_review(world, student=world.sam, term_grade=finalize_grade(world, world.sam))
    assert ReviewRequest.objects.count() == 6

    assert _inbox_queries(client) == one


def test_the_requests_are_dated_in_the_page(client: Client, world: World, today) -> None:
    ask_for_review(world)
    client.force_login(world.rosa)

    page = client.get(_list(world)).content.decode()

    assert "Nov. 2, 2026" in page
