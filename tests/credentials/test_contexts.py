"""The contexts a transcript credential names are pinned as files (local subsets), every term the
credential uses is defined by one of them, and nothing is ever fetched."""

import datetime
import socket
from decimal import Decimal
from typing import Any

import pytest

from mastery.credentials import api as credentials
from mastery.credentials import contexts
from mastery.grading import api as grading
from mastery.graduation import api as graduation
from tests.world import World

pytestmark = pytest.mark.django_db

ISSUED_AT = datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC)


def _documents(
    value: object, inherited: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], set[str]]]:
    """Each JSON-LD document in `value` (the credential, every nested credential): the contexts
    it names and the terms it uses — its property names and `type` values, nested objects
    included, nested documents (with their own @context) counted on their own."""
    found: list[tuple[tuple[str, ...], set[str]]] = []

    def walk(node: object, terms: set[str]) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, terms)
        elif isinstance(node, dict):
            if "@context" in node and node is not top:
                found.extend(_documents(node, names))
                return
            for key, item in node.items():
                if not key.startswith("@"):
                    terms.add(key)
                if key == "type":
                    terms.update(item if isinstance(item, list) else [item])
                walk(item, terms)

    assert isinstance(value, dict)
    top = value
    names = tuple(value.get("@context", inherited))
    terms: set[str] = set()
    walk(value, terms)
    return [(names, terms), *found]


@pytest.fixture
def full_credential(scored_world: World) -> dict[str, Any]:
    """Maya's transcript with every kind of part: a competency, a finalized course, a
    competency-credit rule and a prior credit, issued with the site's address."""
    world = scored_world
    policy = world.riverside.policies.get()
    document = dict(policy.versions.get(number=1).document)
    document["credit"] = {
        "basis": "competencies",
        "rules": [{"name": "Writing credit", "competencies": ["AW"], "areas": {"English": 1}}],
    }
    later = grading.draft_version(policy, document=document, created_by=world.lena)
    grading.publish_version(later, effective_on=datetime.date(2026, 9, 1), published_by=world.lena)
    graduation.record_prior_credit(
        world.maya, world.riverside.credit_areas.get(key="science"), credits=Decimal(1),
        description="Physical science, 2025-26", recorded_by=world.rita,
    )  # fmt: skip
    return credentials.build_transcript_credential(
        world.maya, issued_at=ISSUED_AT, issuer_url="https://mastery.riverside.example"
    )


def test_every_context_the_credential_names_is_pinned(full_credential: dict[str, Any]) -> None:
    envelope = credentials.envelope_credential(credentials.sign_credential(full_credential))

    named = {
        url
        for document in (full_credential, envelope)
        for urls, _ in _documents(document)
        for url in urls
    }

    assert named == set(contexts.PINNED)
    for url in named:
        assert contexts.load_context(url)["@context"]


def test_every_term_the_credential_uses_is_defined_by_a_context_it_names(
    full_credential: dict[str, Any], scored_world: World
) -> None:
    envelope = credentials.envelope_credential(credentials.sign_credential(full_credential))
    sam = credentials.build_transcript_credential(scored_world.sam, issued_at=ISSUED_AT)

    documents = [
        document for value in (full_credential, envelope, sam) for document in _documents(value)
    ]

    assert len(documents) > 4  # the CLR, its nested credentials, the envelope...
    for urls, terms in documents:
        defined = frozenset().union(*(contexts.defined_terms(url) for url in urls))
        assert terms - defined == set(), urls


def test_a_term_no_pinned_context_defines_is_caught() -> None:
    credential = {
        "@context": [contexts.CREDENTIALS_V2],
        "type": ["VerifiableCredential"],
        "gpa": 3.2,
    }

    ((urls, terms),) = _documents(credential)

    assert terms - contexts.defined_terms(urls[0]) == {"gpa"}


def test_an_unpinned_context_is_refused_not_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setattr(socket.socket, "connect", _no_network)

    with pytest.raises(contexts.UnpinnedContextError, match="nothing is fetched"):
        contexts.load_context("https://w3id.org/security/suites/ed25519-2020/v1")


def test_pinned_files_say_they_are_local_subsets() -> None:
    for url in contexts.PINNED:
        assert contexts.load_context(url)["comment"].startswith("LOCAL SUBSET")


def test_building_signing_and_verifying_touch_no_network(
    scored_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setattr(socket.socket, "connect", _no_network)

    credential = credentials.build_transcript_credential(scored_world.maya, issued_at=ISSUED_AT)
    result = credentials.verify_credential(credentials.sign_credential(credential))
    for url in contexts.PINNED:
        contexts.load_context(url)

    assert result.ok


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("a credential must never reach the network")
