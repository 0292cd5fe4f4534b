"""The policy editor's forms: a leader changes every part of a draft without touching JSON, adds
and removes table rows, and sees a bad field named where it is; a school without a policy
creates one from the default. Only leaders reach any of it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from mastery.accounts import api as accounts
from mastery.curriculum.models import CreditArea
from mastery.grading.models import Policy, PolicyVersion, VersionStatus
from mastery.schools import api as schools
from mastery.schools.models import Role
from tests.web.page_forms import form_fields
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client: Client, graded_world: World) -> PolicyVersion:
    client.force_login(graded_world.lena)
    client.post(reverse("policy-draft", args=[PolicyVersion.objects.get().uuid]))
    return PolicyVersion.objects.get(status=VersionStatus.DRAFT)


def _fields(client: Client, version: PolicyVersion) -> dict[str, object]:
    page = client.get(reverse("policy-version", args=[version.uuid])).content.decode()
    return {**form_fields(page, "policy-form")}


def _save(client: Client, version: PolicyVersion, changes: dict[str, object]):
    return client.post(
        reverse("policy-version", args=[version.uuid]), {**_fields(client, version), **changes}
    )


def test_every_part_of_the_policy_is_edited_through_the_forms(
    client: Client, draft: PolicyVersion
) -> None:
    response = _save(
        client,
        draft,
        {
            "levels-2-label": "Proficient",
            "levels-2-min": "2.5",
            "levels-2-description": "Does it alone",
            "exceptions-0-target": "AW.2",
            "exceptions-0-method": "decaying_average",
            "exceptions-0-rate": "0.65",
            "required-0-competency": "AW",
            "required-0-subskills": "AW.1",
            "course_grade-rule": "rule_table",
            "course_grade-passing": "A, P",
            "rules-TOTAL_FORMS": "2",
            "rules-0-grade": "A",
            "rules-0-none_below": "3",
            "rules-0-at_least_level": "4",
            "rules-0-at_least_share": "0.5",
            "rules-1-grade": "P",
            "credit-basis": "competencies",
            "credit_rules-0-name": "Writing",
            "credit_rules-0-competencies": "AW",
            "credit_rules-0-areas": "English: 1; Electives: 0.5",
            "credit_rules-0-partial_increment": "0.5",
            "graduation-enabled": "on",
            "graduation_credits-0-area": "English",
            "graduation_credits-0-credits": "4",
            "graduation_competencies-0-name": "Writers",
            "graduation_competencies-0-competencies": "AW",
            "graduation_competencies-0-minimum": "3",
            "graduation_competencies-0-by_grade": "12",
            "expected_credits-0-grade": "10",
            "expected_credits-0-credits": "1",
            "reporting-progress_reports_per_period": "2",
            "reporting-shows_chart": "",
            "reporting-next_steps": "1",
            "report_dates-0-date": "2026-12-04",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    document = draft.document
    assert document["scale"]["levels"][2] == {
        "value": 3, "label": "Proficient", "description": "Does it alone", "min": 2.5,
        "mastery": True,
    }  # fmt: skip
    assert document["targets"] == {"AW.2": {"name": "decaying_average", "rate": 0.65}}
    assert document["competency"]["required"] == {"AW": ["AW.1"]}
    assert document["course_grade"]["rules"] == [
        {"grade": "A", "none_below": 3, "at_least": {"level": 4, "share": 0.5}},
        {"grade": "P"},
    ]
    assert document["course_grade"]["passing"] == ["A", "P"]
    assert document["credit"] == {
        "basis": "competencies",
        "rules": [
            {"name": "Writing", "competencies": ["AW"], "areas": {"English": 1, "Electives": 0.5},
             "partial_increment": 0.5}
        ],
    }  # fmt: skip
    assert document["graduation"]["credits"] == {"English": 4}
    assert document["graduation"]["competencies"] == [
        {"name": "Writers", "minimum": 3, "by_grade": 12, "competencies": ["AW"]}
    ]
    assert document["graduation"]["expected_credits"] == {"10": 1}
    assert document["reporting"] == {
        "grading_periods": [], "progress_reports_per_period": 2, "report_dates": ["2026-12-04"],
        "shows": {"subskills": True, "comments": True, "chart": False, "next_steps": 1},
    }  # fmt: skip

    again = _fields(client, draft)  # the forms read back what was saved
    assert again["levels-2-label"] == "Proficient"
    assert again["credit_rules-0-areas"] == "English: 1; Electives: 0.5"
    assert again["rules-0-at_least_share"] == "0.5"


def test_saving_the_forms_unchanged_keeps_the_document(
    client: Client, draft: PolicyVersion
) -> None:
    before = draft.document

    assert _save(client, draft, {}).status_code == 302

    draft.refresh_from_db()
    assert draft.document == before


def test_add_a_row_shows_one_more_blank_row_and_saves_nothing(
    client: Client, draft: PolicyVersion
) -> None:
    fields = _fields(client, draft)
    assert fields["cuts-TOTAL_FORMS"] == "6"  # five cuts and a blank row

    response = client.post(
        reverse("policy-version", args=[draft.uuid]), {**fields, "add_row": "cuts"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="cuts-TOTAL_FORMS" value="7"' in page
    assert 'name="cuts-6-grade"' in page
    assert "Add a cut" in page


def test_a_row_ticked_remove_is_taken_out(client: Client, draft: PolicyVersion) -> None:
    response = _save(client, draft, {"cuts-3-DELETE": "on", "course_grade-passing": "A, B, C"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert [cut["grade"] for cut in draft.document["course_grade"]["cuts"]] == ["A", "B", "C", "F"]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"cuts-1-min": "3.9"}, "course_grade.cuts[1].min: cuts must go from highest to lowest"),
        (
            {"report_dates-TOTAL_FORMS": "2", "report_dates-0-date": "2026-12-04",
             "report_dates-1-date": "2026-10-02"},
            "reporting.report_dates[1]: must be after 2026-12-04",
        ),
        ({"levels-3-mastery": "on"}, "scale.levels"),
        ({"method": "consistent", "window": "2"}, "method.window: must be a whole number"),
        ({"course_grade-passing": "A, Z"}, "course_grade.passing[1]: &#x27;Z&#x27; is not one"),
        ({"reporting-next_steps": "12"}, "reporting.shows.next_steps: must be from 0 to 10"),
        (
            {"credit_rules-0-name": "W", "credit_rules-0-competencies": "AW",
             "credit_rules-0-areas": "English one"},
            "Write each area as “Name: credits”",
        ),
        (
            {"required-0-competency": "AW", "required-0-subskills": "AW.9"},
            "Not subskills of AW: AW.9.",
        ),
    ],
)  # fmt: skip
def test_a_bad_field_is_named_on_the_page_and_nothing_is_saved(
    client: Client, draft: PolicyVersion, changes: dict[str, str], named: str
) -> None:
    before = draft.document

    response = _save(client, draft, changes)

    assert response.status_code == 400
    page = response.content.decode()
    assert named in page
    assert "Not saved" in page
    draft.refresh_from_db()
    assert draft.document == before


def test_the_engine_s_error_is_shown_beside_the_field_that_wrote_it(
    client: Client, draft: PolicyVersion
) -> None:
    page = _save(client, draft, {"cuts-1-min": "3.9"}).content.decode()

    cuts_table = page.split('id="table-cuts"')[1].split("</table>")[0]
    row = cuts_table.split('name="cuts-1-min"')[1].split("</td>")[0]
    assert "course_grade.cuts[1].min" in row


def test_a_school_without_a_policy_creates_one_from_the_default(
    client: Client, world: World, today: datetime.date
) -> None:
    client.force_login(world.lena)
    overview = client.get(reverse("policy-overview")).content.decode()
    assert "No grading policy yet" in overview
    assert "Create the school's policy from the default" in overview

    response = client.post(reverse("policy-create", args=[world.riverside.uuid]))

    policy = Policy.objects.get(school=world.riverside)
    (version,) = policy.versions.all()
    assert response["Location"] == reverse("policy-version", args=[version.uuid])
    assert version.status == VersionStatus.DRAFT
    assert version.document["method"] == {
        "name": "consistent", "at_bats": 3, "window": 5, "contexts": 2
    }  # fmt: skip
    assert [level["label"] for level in version.document["scale"]["levels"]][2] == "Meeting"
    assert version.document["reporting"]["shows"]["next_steps"] == 3
    again = client.post(reverse("policy-create", args=[world.riverside.uuid]), follow=True)
    assert "already has a school-wide policy" in again.content.decode()
    assert Policy.objects.filter(school=world.riverside).count() == 1


def test_a_department_gets_its_own_policy_starting_from_the_school_s(
    client: Client, draft: PolicyVersion, graded_world: World
) -> None:
    world = graded_world
    math = CreditArea.objects.get(school=world.riverside, key="math")
    overview = client.get(reverse("policy-overview")).content.decode()
    assert "Create a department policy" in overview

    client.post(reverse("policy-create", args=[world.riverside.uuid]), {"credit_area": math.uuid})

    department = Policy.objects.get(school=world.riverside, credit_area=math)
    assert department.versions.get().document == draft.document
    hilltop_math = CreditArea.objects.get(school=world.hilltop, key="math")
    response = client.post(
        reverse("policy-create", args=[world.riverside.uuid]), {"credit_area": hilltop_math.uuid}
    )
    assert response.status_code == 404
    assert not Policy.objects.filter(credit_area=hilltop_math).exists()


@pytest.mark.parametrize("person", ["dana", "rita", "rosa", "hugo", "student", "hilltop_leader"])
def test_only_the_school_s_leaders_reach_the_editor(
    client: Client, graded_world: World, draft: PolicyVersion, person: str
) -> None:
    world = graded_world
    if person == "student":
        user = world.maya.user
    elif person == "hilltop_leader":
        user = accounts.create_user("hal", first_name="Hal", last_name="Berg", password="x" * 12)
        schools.add_membership(user, world.hilltop, role=Role.LEADER)
    else:
        user = getattr(world, person)
    before = draft.document
    client.force_login(user)

    assert client.get(reverse("policy-version", args=[draft.uuid])).status_code == 404
    assert (
        client.post(reverse("policy-version", args=[draft.uuid]), {"add_row": "cuts"}).status_code
        == 404
    )
    assert client.get(reverse("policy-document", args=[draft.uuid])).status_code == 404
    assert (
        client.post(reverse("policy-document", args=[draft.uuid]), {"document": "{}"}).status_code
        == 404
    )
    assert client.post(reverse("policy-create", args=[world.riverside.uuid])).status_code == 404
    draft.refresh_from_db()
    assert draft.document == before
    assert Policy.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, draft: PolicyVersion) -> None:
    client.logout()
    for url in (
        reverse("policy-version", args=[draft.uuid]),
        reverse("policy-document", args=[draft.uuid]),
        reverse("policy-create", args=[draft.policy.school.uuid]),
    ):
        response = client.post(url, {})
        assert response.status_code == 302
        assert "sign" in response["Location"] or "login" in response["Location"]
    assert PolicyVersion.objects.get(pk=draft.pk).document == draft.document
