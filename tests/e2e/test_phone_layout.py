"""A student's pages on a phone: tables turn into one card per row and every cell names its
column (the header row is hidden), nothing is wider than the screen, and axe finds nothing
serious."""

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import sign_in

SERIOUS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def _serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def _label_shown_before(cell: Locator) -> str:
    """The column name the stylesheet writes before a cell's value ('' when none is shown)."""
    content = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    return "" if content in {"none", "normal"} else content.strip('"')


def _assert_fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"


def _assert_cells_say_their_column(table: Locator, first_column: str) -> None:
    expect(table.locator("thead")).to_be_hidden()
    cell = table.locator("tbody td[data-label]").first
    expect(cell).to_be_visible()
    assert _label_shown_before(cell) == f"{first_column}: "


def test_a_student_reads_their_dashboard_and_a_competency_on_a_phone(
    phone: Page, demo_url: str
) -> None:
    sign_in(phone, demo_url, "student")
    phone.get_by_role("link", name="Where I stand: competencies, next steps, credits").click()
    expect(phone.get_by_role("heading", level=1, name="Where I stand")).to_be_visible()

    credits = phone.get_by_role("table", name="Credits by area")
    _assert_cells_say_their_column(credits, "Earned")
    _assert_fits_the_screen(phone)
    assert _serious_violations(phone) == []

    phone.locator(".competency-card h3 a").first.click()
    expect(phone.get_by_role("region", name="The progression")).to_be_visible()
    at_bats = phone.locator("table.at-bats").first
    _assert_cells_say_their_column(at_bats, "Date")
    _assert_fits_the_screen(phone)
    assert _serious_violations(phone) == []
