"""Filing a request emails the section's teachers; answering it emails whoever asked and the
student's family — each in their own language, once the change is stored."""

import pytest
from django.core.exceptions import ValidationError

from mastery.accounts import api as accounts
from mastery.reviews import api as reviews
from mastery.reviews.models import Outcome
from tests.reviews.builders import ask_for_review
from tests.world import World

pytestmark = pytest.mark.django_db


def _answer(world: World, review, **options) -> None:
    reviews.answer_review_request(
        review,
        answered_by=world.dana,
        answer=options.pop("answer", "The rating stands: the rewrite was not scored yet."),
        outcome=options.pop("outcome", Outcome.UNCHANGED),
    )


def test_filing_emails_each_teacher_of_the_section(
    world: World, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review = ask_for_review(world, reason="Maya rewrote the essay after the feedback.")

    assert sorted(message.to[0] for message in mailoutbox) == [
        "cole@example.org",
        "dana@example.org",
    ]
    message = mailoutbox[0]
    assert message.subject == "Review requested: Maya Okafor, AW Argumentative writing"
    assert "Rosa Okafor asks for a review of AW Argumentative writing" in message.body
    assert "Maya rewrote the essay after the feedback." in message.body
    assert f"/reviews/{review.uuid}/" in message.body


def test_nothing_is_emailed_before_the_request_is_stored(
    world: World, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask_for_review(world)

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_a_refused_request_emails_no_one(
    world: World, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        ask_for_review(world, reason=" ")

    assert mailoutbox == []


def test_a_teacher_without_an_email_address_is_skipped(
    world: World, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    world.cole.email = ""
    world.cole.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        ask_for_review(world)

    assert [message.to for message in mailoutbox] == [["dana@example.org"]]


def test_answering_emails_whoever_asked_and_the_student_s_family(
    world: World, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    review = ask_for_review(world, requested_by=world.maya.user)

    with django_capture_on_commit_callbacks(execute=True):
        _answer(world, review)

    assert sorted(message.to[0] for message in mailoutbox) == [
        "maya@example.org",
        "rosa@example.org",
    ]
    message = mailoutbox[0]
    assert message.subject == (
        "Your review request was answered: Maya Okafor, AW Argumentative writing"
    )
    assert "Outcome: Unchanged: the rating stands" in message.body
    assert "The rating stands: the rewrite was not scored yet." in message.body
    assert f"/reviews/{review.uuid}/" in message.body


def test_a_spanish_speaking_guardian_gets_the_answer_in_spanish(
    world: World, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    accounts.set_preferred_language(world.rosa, "es")
    review = ask_for_review(world, requested_by=world.maya.user)

    with django_capture_on_commit_callbacks(execute=True):
        _answer(world, review)

    by_recipient = {message.to[0]: message for message in mailoutbox}
    rosa, maya = by_recipient["rosa@example.org"], by_recipient["maya@example.org"]
    # The translations shipped in src/mastery/locale/es, not ones put in place by the test.
    assert rosa.subject == (
        "Tu solicitud de revisión fue respondida: Maya Okafor, AW Argumentative writing"
    )
    assert rosa.body.startswith("Hola Rosa Okafor,")
    assert (
        "Dana Whitfield respondió la solicitud de revisión de AW Argumentative writing "
        "para Maya Okafor." in rosa.body
    )
    assert "Resultado: Sin cambios: la calificación se mantiene" in rosa.body
    assert "La respuesta del docente:" in rosa.body
    assert "The rating stands: the rewrite was not scored yet." in rosa.body
    assert maya.subject.startswith("Your review request was answered")
    assert "Unchanged: the rating stands" in maya.body


def test_each_teacher_gets_the_request_in_their_own_language(
    world: World, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    accounts.set_preferred_language(world.cole, "es")

    with django_capture_on_commit_callbacks(execute=True):
        ask_for_review(world)

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert {address: message.subject for address, message in by_recipient.items()} == {
        "cole@example.org": "Solicitud de revisión: Maya Okafor, AW Argumentative writing",
        "dana@example.org": "Review requested: Maya Okafor, AW Argumentative writing",
    }
    cole = by_recipient["cole@example.org"].body
    assert cole.startswith("Hola Cole ")
    assert "Su motivo:" in cole
    assert "Lee la solicitud y respóndela aquí" in cole
    assert "Their reason:" not in cole
