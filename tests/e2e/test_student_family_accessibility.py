"""axe-core in the browser on every student and family page, reached by clicking as the student
or the guardian would: no serious or critical violations."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import sign_in

SERIOUS = {"serious", "critical"}
# Marcus Bell's biology section: requests filed here stay out of Dana Whitfield's inbox, which the
# family journey reads.
SECTION = "SCI-BIO-01"
# One subskill each: a second request about the same rating waits for the first to be answered.
SUBSKILL = {"student": "SI.1", "guardian": "SI.2"}

PAGES = [
    "home",
    "dashboard",
    "competency",
    "calibration",
    "conferences",
    "conference",
    "review requests",
    "new review request",
    "review request",
    "reports",
    "progress report",
    "mastery transcript",
    "signed transcript",
    "how grading works",
]
STUDENT_ONLY = ["self-assessment", "new conference"]
# Leo prepares no conference in any browser test, so "Prepare a conference" stays open to him
# (with one in preparation it leads to that one instead).
SIGN_IN = {"student": "student", "guardian": "guardian", "new conference": "student2"}


def _violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(f"{node['target'][0]} {node['html'][:80]}" for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def _open_dashboard(page: Page, demo_url: str, who: str, username: str = "") -> None:
    sign_in(page, demo_url, username or who)
    if who == "student":
        page.get_by_role("link", name="Where I stand: competencies, next steps, credits").click()
    else:
        page.get_by_role("link", name="Where Maya stands").click()
    expect(page.get_by_role("region", name="Competencies")).to_be_visible()


def _ensure_a_conference(browser: Browser, demo_url: str) -> None:
    """Maya starts preparing a conference unless she has one: the demo school has none."""
    context = browser.new_context()
    page = context.new_page()
    _open_dashboard(page, demo_url, "student")
    page.get_by_role("link", name="Conferences and goals").click()
    if page.get_by_role("link", name="Continue preparing your conference").count() == 0:
        page.get_by_role("link", name="Prepare a conference").click()
        page.get_by_role("button", name="Start preparing").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("student-led conference")
    context.close()


def _open(page: Page, browser: Browser, demo_url: str, who: str, name: str) -> None:
    if name == "home":
        sign_in(page, demo_url, who)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
        return
    if name == "conference":
        _ensure_a_conference(browser, demo_url)
    _open_dashboard(page, demo_url, who, SIGN_IN.get(name, who))
    if name == "how grading works":
        page.get_by_role("link", name="How grading works").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("How grading works")
    elif name in {"reports", "progress report", "mastery transcript"}:
        page.get_by_role("link", name="Progress reports").click()
        expect(page.get_by_role("region", name="Progress reports")).to_be_visible()
        if name == "progress report":
            page.get_by_role("link", name="read online").first.click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Progress report")
        elif name == "mastery transcript":
            transcript = page.get_by_role("region", name="Mastery transcript")
            transcript.get_by_role("link", name="Read online").click()
            expect(page).to_have_url(re.compile(r"/reports/transcript/$"))
    elif name == "signed transcript":
        page.get_by_role("link", name="Mastery transcript (signed credential)").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("transcript")
    elif name == "new conference":
        page.get_by_role("link", name="Conferences and goals").click()
        page.get_by_role("link", name="Prepare a conference").click()
        expect(page.get_by_role("button", name="Start preparing")).to_be_visible()
    elif name == "competency":
        page.locator(".competency-card h3 a").first.click()
        expect(page.get_by_role("region", name="The progression")).to_be_visible()
    elif name == "self-assessment":
        page.get_by_role("region", name="Assess your own work").get_by_role("link").first.click()
        expect(page.locator("form.self-assessment-form")).to_be_visible()
    elif name == "calibration":
        page.get_by_role("link", name="Self-assessment and calibration").click()
        expect(page.get_by_role("region", name="So far")).to_be_visible()
    elif name in {"conferences", "conference"}:
        page.get_by_role("link", name="Conferences and goals").click()
        expect(page.get_by_role("region", name="Goals")).to_be_visible()
        if name == "conference":
            conferences = page.get_by_role("region", name="Conferences")
            conferences.get_by_role("table").get_by_role("link").first.click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("student-led conference")
    elif name in {"review requests", "new review request", "review request"}:
        page.get_by_role("link", name="Review requests").click()
        expect(page.get_by_role("region", name="Ask for a review")).to_be_visible()
        if name != "review requests":
            biology = page.get_by_role("table", name=re.compile(SECTION))
            biology.get_by_role("link", name=f"Ask for a review of {SUBSKILL[who]}").click()
            expect(page.get_by_role("region", name="What you ask about")).to_be_visible()
        if name == "review request":
            page.get_by_label("Why do you ask for a review? (required)").fill(
                f"Checking the request page as {who}."
            )
            page.get_by_role("button", name="Send the request").click()
            expect(page.get_by_role("region", name="The request")).to_be_visible()


@pytest.mark.parametrize(
    ("who", "name"),
    [("student", name) for name in [*PAGES, *STUDENT_ONLY]]
    + [("guardian", name) for name in PAGES],
)
def test_a_student_or_family_page_has_no_serious_accessibility_violations(
    page: Page, browser: Browser, demo_url: str, who: str, name: str
) -> None:
    _open(page, browser, demo_url, who, name)
    assert _violations(page) == []
