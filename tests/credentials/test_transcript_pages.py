"""Transcript pages: only a registrar finalizes; the student, their family and the school's
registrars and leaders download the latest signed credential; everyone else gets a 404."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from mastery.accounts.models import User
from mastery.credentials import api as credentials
from mastery.credentials import signing
from mastery.credentials.models import Transcript
from mastery.schools.models import Student
from tests.world import World

pytestmark = pytest.mark.django_db


def _finalize(client: Client, student: Student):
    return client.post(reverse("transcript-finalize", args=[student.uuid]))


def _download(client: Client, student: Student, fmt: str = "jwt"):
    return client.get(reverse("transcript-download", args=[student.uuid, fmt]))


@pytest.fixture
def finalized(scored_world: World, client: Client) -> World:
    """Rita, the registrar, has finalized Maya's and Sam's transcripts."""
    client.force_login(scored_world.rita)
    for student in (scored_world.maya, scored_world.sam):
        assert _finalize(client, student).status_code == 302
    client.logout()
    return scored_world


def test_the_registrar_finalizes_a_signed_transcript(scored_world: World, client: Client) -> None:
    client.force_login(scored_world.rita)

    response = _finalize(client, scored_world.maya)

    assert response.status_code == 302
    assert response["Location"] == reverse("transcript", args=[scored_world.maya.uuid])
    transcript = Transcript.objects.get()
    assert (transcript.student, transcript.finalized_by) == (scored_world.maya, scored_world.rita)
    assert transcript.uuid.hex in transcript.credential["id"].replace("-", "")
    assert transcript.credential["issuer"]["url"] == "http://testserver/"
    result = credentials.verify_credential(transcript.signed)
    assert result.ok, result.reason
    assert result.key_id == transcript.key_id


@pytest.mark.parametrize(("who", "status"), [("dana", 403), ("lena", 403), ("rosa", 403)])
def test_only_a_registrar_finalizes(
    scored_world: World, client: Client, who: str, status: int
) -> None:
    client.force_login(getattr(scored_world, who))

    assert _finalize(client, scored_world.maya).status_code == status
    assert not Transcript.objects.exists()


@pytest.mark.parametrize("who", ["hugo", "ben", "hana"])
def test_someone_who_cannot_see_the_student_finalizes_nothing_and_learns_nothing(
    scored_world: World, client: Client, who: str
) -> None:
    user = getattr(scored_world, who)
    client.force_login(user if isinstance(user, User) else user.user)

    assert _finalize(client, scored_world.maya).status_code == 404
    assert not Transcript.objects.exists()


def test_finalizing_is_a_post(scored_world: World, client: Client) -> None:
    client.force_login(scored_world.rita)

    assert (
        client.get(reverse("transcript-finalize", args=[scored_world.maya.uuid])).status_code == 405
    )


def test_a_student_downloads_their_own_signed_transcript(finalized: World, client: Client) -> None:
    client.force_login(finalized.maya.user)

    response = _download(client, finalized.maya)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwt"
    assert 'filename="transcript-R-1001-' in response["Content-Disposition"]
    result = credentials.verify_credential(response.content.decode())
    assert result.ok, result.reason
    assert result.subject_name == "Maya Okafor"


def test_the_json_download_is_the_envelope_of_the_same_signed_credential(
    finalized: World, client: Client
) -> None:
    client.force_login(finalized.maya.user)

    response = _download(client, finalized.maya, "json")

    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["type"] == "EnvelopedVerifiableCredential"
    assert credentials.verify_credential(response.content.decode()).ok


@pytest.mark.parametrize(
    ("who", "whose", "status"),
    [
        ("maya", "maya", 200),
        ("maya", "sam", 404),  # another student, even a sibling
        ("rosa", "maya", 200),  # their parent
        ("rosa", "sam", 200),
        ("ben", "maya", 404),  # another family
        ("rita", "maya", 200),  # the registrar
        ("lena", "sam", 200),  # the school's leader
        ("dana", "maya", 404),  # her teacher: transcripts are for the family and the office
        ("omar", "maya", 404),  # another teacher
        ("hugo", "maya", 404),  # a teacher at another school
        ("hana", "maya", 404),  # a student at another school
    ],
)
def test_who_may_download_a_transcript(
    finalized: World, client: Client, who: str, whose: str, status: int
) -> None:
    person = getattr(finalized, who)
    client.force_login(person.user if isinstance(person, Student) else person)

    assert _download(client, getattr(finalized, whose)).status_code == status
    assert (
        client.get(reverse("transcript", args=[getattr(finalized, whose).uuid])).status_code
        == status
    )


def test_anonymous_visitors_are_sent_to_sign_in(finalized: World, client: Client) -> None:
    for response in (
        _download(client, finalized.maya),
        client.get(reverse("transcript", args=[finalized.maya.uuid])),
        _finalize(client, finalized.maya),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_nothing_to_download_before_a_registrar_finalizes(
    scored_world: World, client: Client
) -> None:
    client.force_login(scored_world.maya.user)

    assert _download(client, scored_world.maya).status_code == 404
    page = client.get(reverse("transcript", args=[scored_world.maya.uuid])).content.decode()
    assert "No transcript has been finalized yet" in page


def test_an_unknown_format_is_not_found(finalized: World, client: Client) -> None:
    client.force_login(finalized.maya.user)

    assert _download(client, finalized.maya, "pdf").status_code == 404


def test_the_page_offers_downloads_and_only_the_registrar_a_finalize_button(
    finalized: World, client: Client
) -> None:
    client.force_login(finalized.maya.user)
    page = client.get(reverse("transcript", args=[finalized.maya.uuid])).content.decode()
    assert "Your mastery transcript" in page
    assert reverse("transcript-download", args=[finalized.maya.uuid, "jwt"]) in page
    assert "Argumentative writing" in page
    assert "Finalize and sign" not in page

    client.force_login(finalized.rita)
    page = client.get(reverse("transcript", args=[finalized.maya.uuid])).content.decode()
    assert "Finalize and sign" in page


def test_a_newer_transcript_supersedes_the_older_one(finalized: World, client: Client) -> None:
    client.force_login(finalized.rita)
    _finalize(client, finalized.maya)
    latest = credentials.get_latest_transcript(finalized.maya)

    downloaded = _download(client, finalized.maya).content.decode()

    assert Transcript.objects.filter(student=finalized.maya).count() == 2
    assert downloaded == latest.signed


def test_anyone_can_fetch_the_public_key_and_verify_with_it(
    finalized: World, client: Client
) -> None:
    response = client.get(reverse("credential-key"))

    assert response.status_code == 200
    jwk = response.json()
    assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("OKP", "Ed25519", "EdDSA")
    assert reverse("credential-key") == "/.well-known/mastery-credential-key.json"
    latest = credentials.get_latest_transcript(finalized.maya)
    assert jwk["kid"] == latest.key_id
    public_key = signing.public_key_from_jwk(jwk)
    assert credentials.verify_credential(latest.signed, public_key=public_key).ok


def test_downloading_costs_the_same_few_queries_however_many_transcripts_there_are(
    finalized: World, client: Client, django_assert_max_num_queries
) -> None:
    client.force_login(finalized.rosa)
    _download(client, finalized.maya)  # the session is read once
    with django_assert_max_num_queries(8):
        assert _download(client, finalized.maya).status_code == 200

    client.force_login(finalized.rita)
    for _ in range(3):
        _finalize(client, finalized.maya)
    client.force_login(finalized.rosa)
    _download(client, finalized.maya)
    with django_assert_max_num_queries(8):
        assert _download(client, finalized.maya).status_code == 200
