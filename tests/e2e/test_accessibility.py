"""axe-core in the browser: no serious or critical violations on the pages people use daily."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.e2e.conftest import sign_in

SERIOUS = {"serious", "critical"}


def _violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def _gradebook(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "teacher")
    page.get_by_role("link", name=re.compile("^Gradebook of")).first.click()


@pytest.mark.parametrize(
    "journey",
    ["sign-in", "home", "gradebook", "scoring", "drill-down", "term review", "how grading works"],
)
def test_a_page_has_no_serious_accessibility_violations(
    page: Page, demo_url: str, journey: str
) -> None:
    if journey == "sign-in":
        page.goto(f"{demo_url}/accounts/login/")
    elif journey == "home":
        sign_in(page, demo_url, "teacher")
    elif journey == "how grading works":
        sign_in(page, demo_url, "guardian")
        page.get_by_role("link", name="How grading works").click()
    else:
        _gradebook(page, demo_url)
        if journey == "scoring":
            page.get_by_role("link", name="Score a learning experience").click()
            page.get_by_role("listitem").get_by_role("link").first.click()
        elif journey == "drill-down":
            page.locator("a.cell__link").first.click()
        elif journey == "term review":
            page.get_by_role("link", name="Term review").click()

    assert _violations(page) == []
