"""Signing in and out."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db


def test_a_teacher_signs_in_with_their_username_and_lands_on_home(
    client: Client, world: World
) -> None:
    response = client.post(
        reverse("login"), {"username": "dana", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == world.dana


def test_a_person_can_sign_in_with_their_email_in_any_case(client: Client, world: World) -> None:
    response = client.post(
        reverse("login"), {"username": "Dana@Example.org", "password": PASSWORD}, follow=True
    )

    assert response.context["user"] == world.dana


def test_a_wrong_password_is_refused_with_a_message_and_no_session(
    client: Client, world: World
) -> None:
    response = client.post(reverse("login"), {"username": "dana", "password": "nope"})

    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_out_ends_the_session(client: Client, world: World) -> None:
    client.force_login(world.dana)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_loads_no_script_or_style_from_elsewhere(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()

    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page


def test_the_account_page_shows_who_is_signed_in(client: Client, world: World) -> None:
    client.force_login(world.dana)

    page = client.get(reverse("account")).content.decode()

    assert "Dana Whitfield" in page
    assert "dana@example.org" in page


def test_the_account_page_needs_a_sign_in(client: Client) -> None:
    assert client.get(reverse("account")).status_code == 302
