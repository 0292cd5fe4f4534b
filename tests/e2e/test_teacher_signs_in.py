"""A teacher signs in from the browser and finds their sections."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in


def test_the_demo_teacher_signs_in_and_sees_their_sections(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "teacher")

    expect(page.get_by_role("heading", name="Hello, Dana")).to_be_visible()
    sections = page.get_by_role("table", name="Sections you teach")
    expect(sections).to_be_visible()
    assert sections.get_by_role("row").count() > 2

    sections.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Students")).to_be_visible()
    expect(page.get_by_role("link", name="Sign out")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_wrong_password_keeps_the_teacher_on_the_sign_in_page(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "teacher", password="not-the-password")

    expect(page.get_by_role("alert")).to_contain_text("do not match an account")


def test_another_family_s_child_is_not_found(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "guardian2")
    expect(page.get_by_role("heading", name="Your children")).to_be_visible()
    expect(page.get_by_text("Okafor")).to_have_count(0)
