"""The reassessment pages: a section's teachers list the opportunities they opened (open today,
upcoming, closed) and open new ones; students and families find the open ones in a partial.
Anyone who does not teach or oversee the section finds nothing there."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from mastery.rosters import api as rosters
from mastery.rosters.models import ReassessmentOpportunity
from tests.world import World

pytestmark = pytest.mark.django_db


def _list_url(world: World) -> str:
    return reverse("section-reassessments", args=[world.algebra_section.uuid])


def _open_url(world: World) -> str:
    return reverse("open-reassessment", args=[world.algebra_section.uuid])


def _open(
    world: World, title: str, opens_on: datetime.date, closes_on: datetime.date
) -> ReassessmentOpportunity:
    return rosters.open_reassessment(
        world.algebra_section,
        title=title,
        subskills=[world.claims],
        opens_on=opens_on,
        closes_on=closes_on,
        details="Tuesday lunch, room 104",
        created_by=world.dana,
    )


def _form(world: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Lab report revision",
        "subskills": [str(world.claims.uuid), str(world.evidence_use.uuid)],
        "opens_on": "2026-11-02",
        "closes_on": "2026-11-20",
        "details": "Thursday after school, room 104",
        "learning_experience": str(world.lab_report.uuid),
    }
    data.update(changes)
    return data


def test_a_teacher_sees_what_is_open_upcoming_and_closed(
    client: Client, world: World, today: datetime.date
) -> None:
    _open(world, "Claim retake", datetime.date(2026, 10, 26), datetime.date(2026, 11, 6))
    _open(world, "Essay revision", datetime.date(2026, 11, 16), datetime.date(2026, 11, 20))
    _open(world, "Early check", datetime.date(2026, 10, 1), datetime.date(2026, 10, 9))
    client.force_login(world.cole)

    page = client.get(_list_url(world)).content.decode()

    open_at, upcoming_at, closed_at = (
        page.index("Open today"),
        page.index("Upcoming"),
        page.index("Closed"),
    )
    assert open_at < page.index("Claim retake") < upcoming_at
    assert upcoming_at < page.index("Essay revision") < closed_at
    assert closed_at < page.index("Early check")
    assert "AW.1 States a precise claim" in page
    assert "Tuesday lunch, room 104" in page


def test_the_form_offers_the_course_s_subskills_grouped_by_competency(
    client: Client, world: World, today: datetime.date
) -> None:
    client.force_login(world.dana)

    page = client.get(_list_url(world)).content.decode()

    assert "<legend>Argumentative writing</legend>" in page
    assert f'value="{world.claims.uuid}"' in page
    assert f'value="{world.evidence_use.uuid}"' in page
    assert f'<option value="{world.lab_report.uuid}">Lab report</option>' in page
    assert 'value="2026-11-02"' in page


def test_a_teacher_opens_a_reassessment_and_finds_it_open(
    client: Client, world: World, today: datetime.date
) -> None:
    client.force_login(world.dana)

    response = client.post(_open_url(world), _form(world), follow=True)

    assert response.redirect_chain == [(_list_url(world), 302)]
    opportunity = ReassessmentOpportunity.objects.get()
    assert opportunity.title == "Lab report revision"
    assert set(opportunity.subskills.all()) == {world.claims, world.evidence_use}
    assert opportunity.learning_experience == world.lab_report
    assert opportunity.created_by == world.dana
    page = response.content.decode()
    assert "“Lab report revision” is open from Nov 2 to Nov 20." in page
    assert page.index("Open today") < page.index("Redo: Lab report") < page.index("Upcoming")


def test_a_window_that_closes_before_it_opens_is_refused_beside_the_date(
    client: Client, world: World, today: datetime.date
) -> None:
    client.force_login(world.dana)

    response = client.post(_open_url(world), _form(world, closes_on="2026-11-01"))

    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-describedby="closes-on-error"' in page
    assert 'id="closes-on-error">A reassessment cannot close before it opens.' in page
    assert 'value="Lab report revision"' in page
    assert not ReassessmentOpportunity.objects.exists()


@pytest.mark.parametrize(
    ("changes", "error_id", "message"),
    [
        ({"title": ""}, "title-error", "Give the reassessment a title"),
        ({"subskills": []}, "subskills-error", "Choose at least one subskill to reassess."),
        ({"opens_on": "next week"}, "opens-on-error", "Enter the opening date as YYYY-MM-DD."),
        (
            {"learning_experience": "00000000-0000-0000-0000-000000000000"},
            "experience-error",
            "Choose one of this course",
        ),
    ],
)
def test_bad_input_is_named_beside_its_field_and_nothing_is_stored(
    client: Client,
    world: World,
    today: datetime.date,
    changes: dict[str, object],
    error_id: str,
    message: str,
) -> None:
    client.force_login(world.dana)

    response = client.post(_open_url(world), _form(world, **changes))

    assert response.status_code == 400
    page = response.content.decode()
    assert f'aria-describedby="{error_id}"' in page
    assert f'id="{error_id}">{message}' in page.replace("&#x27;", "'")
    assert not ReassessmentOpportunity.objects.exists()


def test_a_subskill_of_another_course_cannot_be_chosen(
    client: Client, world: World, today: datetime.date
) -> None:
    from mastery.frameworks import api as frameworks

    reasoning = frameworks.create_competency(
        world.framework, "QR", title="Quantitative reasoning", position=2
    )
    elsewhere = frameworks.create_subskill(reasoning, "QR.1", title="Models", position=1)
    client.force_login(world.dana)

    response = client.post(_open_url(world), _form(world, subskills=[str(elsewhere.uuid)]))

    assert response.status_code == 400
    assert "Choose subskills this course assesses." in response.content.decode()
    assert not ReassessmentOpportunity.objects.exists()


def test_the_section_page_links_teachers_to_the_reassessments(
    client: Client, world: World, today: datetime.date
) -> None:
    section_url = reverse("section-detail", args=[world.algebra_section.uuid])
    client.force_login(world.dana)
    assert f'href="{_list_url(world)}"' in client.get(section_url).content.decode()

    client.force_login(world.lena)
    assert f'href="{_list_url(world)}"' not in client.get(section_url).content.decode()


def test_a_leader_reads_the_list_but_cannot_open_one(
    client: Client, world: World, today: datetime.date
) -> None:
    _open(world, "Claim retake", datetime.date(2026, 10, 26), datetime.date(2026, 11, 6))
    client.force_login(world.lena)

    page = client.get(_list_url(world)).content.decode()

    assert "Claim retake" in page
    assert "Open a reassessment" not in page
    assert client.post(_open_url(world), _form(world)).status_code == 404
    assert ReassessmentOpportunity.objects.count() == 1


@pytest.mark.parametrize("who", ["omar", "hugo", "maya", "rosa"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_who_does_not_teach_or_oversee_the_section_finds_nothing(
    client: Client, world: World, today: datetime.date, who: str, method: str
) -> None:
    person = getattr(world, who)
    client.force_login(getattr(person, "user", person))
    url = _list_url(world) if method == "get" else _open_url(world)

    response = getattr(client, method)(url, _form(world) if method == "post" else None)

    assert response.status_code == 404
    assert not ReassessmentOpportunity.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, world: World, today: datetime.date, method: str
) -> None:
    url = _list_url(world) if method == "get" else _open_url(world)

    response = getattr(client, method)(url, _form(world) if method == "post" else None)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ReassessmentOpportunity.objects.exists()


def test_the_student_partial_shows_what_is_open_for_her(world: World, today: datetime.date) -> None:
    _open(world, "Claim retake", datetime.date(2026, 10, 26), datetime.date(2026, 11, 20))

    html = render_to_string(
        "web/_reassessments.html",
        {"reassessments": list(rosters.list_open_reassessments(world.maya, on=today))},
    )

    assert "Claim retake" in html
    assert "Algebra · ALG-1" in html
    assert "open until Nov 20" in html
    assert '<span class="tag">AW.1</span> States a precise claim' in html
    assert "Where and when: Tuesday lunch, room 104" in html


def test_the_student_partial_says_when_nothing_is_open(world: World) -> None:
    html = render_to_string("web/_reassessments.html", {"reassessments": []})

    assert "No reassessment is open for you right now." in html


def test_several_mistakes_are_named_at_once(
    client: Client, world: World, today: datetime.date
) -> None:
    client.force_login(world.dana)

    response = client.post(_open_url(world), _form(world, subskills=[], closes_on="2026-11-01"))

    page = response.content.decode()
    assert 'id="subskills-error">Choose at least one subskill' in page
    assert 'id="closes-on-error">A reassessment cannot close before it opens.' in page
