"""The leader's policy pages: draft, edit (bad fields named), simulate, publish; and "How
grading works", which follows the published version."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from mastery.evidence import api as evidence
from mastery.grading.models import PolicyVersion, RecomputeRun, SimulationRun, VersionStatus
from tests.web.page_forms import form_fields
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(graded_world: World) -> PolicyVersion:
    world = graded_world
    for day, experience in [(1, world.lab_report), (2, world.essay), (3, world.lab_report)]:
        evidence.record_evidence(
            world.maya, world.claims, level=3, assessed_on=datetime.date(2026, 10, day),
            recorded_by=world.dana, learning_experience=experience, section=world.algebra_section,
        )  # fmt: skip
    return PolicyVersion.objects.get()


def _draft(client: Client, version: PolicyVersion) -> PolicyVersion:
    client.post(reverse("policy-draft", args=[version.uuid]))
    return PolicyVersion.objects.get(status=VersionStatus.DRAFT)


def _form(client: Client, version: PolicyVersion, **changes: object) -> dict[str, object]:
    """The editor's fields as the page shows them, with `changes` made."""
    page = client.get(reverse("policy-version", args=[version.uuid])).content.decode()
    data: dict[str, object] = {**form_fields(page, "policy-form")}
    data.update({"notes": "Four at-bats for mastery", **changes})
    return data


def _document_form(version: PolicyVersion, document: object) -> dict[str, object]:
    return {"document": document, "notes": "Pasted"}


def test_a_leader_drafts_edits_simulates_and_publishes(
    client: Client,
    graded_world: World,
    published: PolicyVersion,
    django_capture_on_commit_callbacks,
) -> None:
    world = graded_world
    client.force_login(world.lena)
    assert client.get(reverse("policy-overview")).status_code == 200
    draft = _draft(client, published)

    client.post(reverse("policy-version", args=[draft.uuid]), _form(client, draft, at_bats=4))
    draft.refresh_from_db()
    assert draft.document["method"]["at_bats"] == 4

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("policy-simulate", args=[draft.uuid]))
    page = client.get(response["Location"]).content.decode()
    assert "Maya Okafor" in page
    assert "AW.1 States a precise claim" in page
    run = SimulationRun.objects.get()
    csv = client.get(reverse("policy-simulation-csv", args=[run.uuid])).content.decode()
    assert "Maya Okafor" in csv

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("policy-publish", args=[draft.uuid]), {"effective_on": "2026-11-02"})
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert RecomputeRun.objects.get().status == "done"
    how = client.get(reverse("how-grading-works")).content.decode()
    assert "at least 4 of your 5 most recent" in how
    assert f"version {draft.number}" in how


def test_a_bad_field_in_the_document_is_named_and_nothing_is_saved(
    client: Client, graded_world: World, published: PolicyVersion
) -> None:
    client.force_login(graded_world.lena)
    draft = _draft(client, published)
    document = dict(draft.document)
    document["course_grade"] = {**document["course_grade"], "passing": "A"}

    response = client.post(
        reverse("policy-document", args=[draft.uuid]),
        _document_form(draft, json.dumps(document)),
    )

    assert response.status_code == 400
    assert "course_grade.passing" in response.content.decode()
    draft.refresh_from_db()
    assert draft.document == published.document


def test_a_document_that_is_not_json_is_refused_with_line_and_column(
    client: Client, graded_world: World, published: PolicyVersion
) -> None:
    client.force_login(graded_world.lena)
    draft = _draft(client, published)

    response = client.post(
        reverse("policy-document", args=[draft.uuid]), _document_form(draft, "{oops")
    )

    assert response.status_code == 400
    assert "Line 1, column 2" in response.content.decode()


def test_a_published_version_cannot_be_edited(
    client: Client, graded_world: World, published: PolicyVersion
) -> None:
    client.force_login(graded_world.lena)

    response = client.post(
        reverse("policy-version", args=[published.uuid]), _form(client, published, at_bats=4)
    )
    as_json = client.post(
        reverse("policy-document", args=[published.uuid]),
        _document_form(published, json.dumps(published.document)),
    )

    assert response.status_code == 404
    assert as_json.status_code == 404
    published.refresh_from_db()
    assert published.document["method"]["at_bats"] == 3


@pytest.mark.parametrize("person", ["dana", "rita", "rosa", "hugo"])
def test_only_leaders_reach_the_policy_pages(
    client: Client, graded_world: World, published: PolicyVersion, person: str
) -> None:
    client.force_login(getattr(graded_world, person))

    assert client.get(reverse("policy-overview")).status_code == 404
    assert client.get(reverse("policy-version", args=[published.uuid])).status_code == 404
    assert client.post(reverse("policy-draft", args=[published.uuid])).status_code == 404
    assert client.post(reverse("policy-publish", args=[published.uuid])).status_code == 404
    assert PolicyVersion.objects.count() == 1


def test_everyone_at_the_school_reads_how_grading_works(
    client: Client, graded_world: World, published: PolicyVersion
) -> None:
    for person in (graded_world.maya.user, graded_world.rosa, graded_world.dana):
        client.force_login(person)
        page = client.get(reverse("how-grading-works")).content.decode()
        assert "How grading works at Riverside High School" in page
        assert "at least 3 of your 5 most recent" in page
        assert "never a zero" in page


def test_how_grading_works_needs_a_sign_in(client: Client) -> None:
    assert client.get(reverse("how-grading-works")).status_code == 302
