"""A guardian in the browser: switch between her children, ask for a review of a rating, and read
the teacher's answer; the teacher finds the request in their inbox and answers it."""

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import sign_in

COMPETENCY = "AW Argumentative Writing"
SECTION = "ENG-CA-01"  # Dana Whitfield's section, Maya's English class
REASON = "Maya's op-ed revision made a precise claim; we think it should count for AW."
ANSWER = "I reread the op-ed with Maya: the revision is strong, and the rating stands for now."
OUTCOME = "Unchanged: the rating stands"


def _new_page(browser: Browser) -> Page:
    return browser.new_context(viewport={"width": 1280, "height": 900}).new_page()


def test_a_guardian_switches_between_her_children(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "guardian")
    page.get_by_role("link", name="Where Maya stands").click()
    switch = page.get_by_role("navigation", name="Your children")
    maya = switch.get_by_role("link", name="Maya Okafor")
    sam = switch.get_by_role("link", name="Sam Okafor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")
    expect(maya).to_have_attribute("aria-current", "page")
    expect(sam).not_to_have_attribute("aria-current", "page")

    sam.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Okafor")
    expect(sam).to_have_attribute("aria-current", "page")
    expect(maya).not_to_have_attribute("aria-current", "page")
    # A family sees the dashboard, not the student's own self-assessment forms.
    expect(page.get_by_role("region", name="Competencies")).to_be_visible()
    expect(page.get_by_role("region", name="Assess your own work")).to_have_count(0)

    # The switch is on the child's other pages too, and keeps the place in the family.
    page.get_by_role("link", name="Self-assessment and calibration").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sam Okafor")
    expect(switch.get_by_role("link", name="Sam Okafor")).to_have_attribute("aria-current", "page")
    switch.get_by_role("link", name="Maya Okafor").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")
    expect(maya).to_have_attribute("aria-current", "page")


def test_a_guardian_asks_for_a_review_and_the_teacher_answers(
    browser: Browser, demo_url: str
) -> None:
    family = _new_page(browser)
    sign_in(family, demo_url, "guardian")
    family.get_by_role("link", name="Where Maya stands").click()
    family.get_by_role("link", name="Review requests").click()
    expect(family.get_by_role("heading", level=1)).to_have_text("Review requests · Maya Okafor")

    english = family.get_by_role("table", name=re.compile(SECTION))
    row = english.get_by_role("row").filter(
        has=family.get_by_role("rowheader", name=COMPETENCY, exact=True)
    )
    now = row.get_by_role("cell").first.inner_text().strip()
    row.get_by_role("link", name="Ask for a review of AW").click()

    expect(family.get_by_role("heading", level=1)).to_have_text("Ask for a review · Maya Okafor")
    asked = family.get_by_role("region", name="What you ask about")
    expect(asked).to_contain_text(COMPETENCY)
    expect(asked).to_contain_text(SECTION)
    expect(asked).to_contain_text(now)
    # The reason is required: sending without one stays on the form.
    send = family.get_by_role("button", name="Send the request")
    send.click()
    reason = family.get_by_label("Why do you ask for a review? (required)")
    assert reason.evaluate("field => field.validity.valueMissing")
    reason.fill(REASON)
    send.click()

    expect(family.get_by_role("status")).to_contain_text("Your request was sent to the teacher.")
    expect(family.get_by_role("heading", level=1)).to_contain_text(f"Maya Okafor, {COMPETENCY}")
    expect(family.get_by_text(REASON)).to_be_visible()
    expect(family.get_by_text("The teacher has not answered yet.")).to_be_visible()
    request_url = family.url

    teacher = _new_page(browser)
    sign_in(teacher, demo_url, "teacher")
    teacher.get_by_role("link", name=re.compile("review request", re.IGNORECASE)).first.click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Review requests")
    waiting = (
        teacher.get_by_role("row")
        .filter(has_text="Maya Okafor")
        .filter(has_text=COMPETENCY)
        .filter(has_text="Rosa Okafor")
        .filter(has_text="Waiting for an answer")
    )
    expect(waiting.first).to_be_visible()
    waiting.first.get_by_role("link", name="Maya Okafor").click()
    assert teacher.url == request_url
    expect(teacher.get_by_text(REASON)).to_be_visible()
    answer_form = teacher.get_by_role("region", name="Answer the request")
    answer_form.get_by_role("radio", name=OUTCOME).check()
    answer_form.get_by_label("Your answer to the family (required)").fill(ANSWER)
    answer_form.get_by_role("button", name="Send the answer").click()
    expect(teacher.get_by_role("status")).to_contain_text("Your answer was sent to the family")
    expect(teacher.get_by_role("region", name="Answer the request")).to_have_count(0)
    teacher.context.close()

    # The family sees the answer in the list of requests and on the request itself.
    family.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Review requests"
    ).click()
    so_far = family.get_by_role("region", name="Requests so far")
    answered = so_far.get_by_role("row").filter(has_text=ANSWER)
    expect(answered).to_have_count(1)
    expect(answered).to_contain_text(OUTCOME)
    answered.get_by_role("link", name=COMPETENCY).click()
    answer = family.get_by_role("region", name="The teacher's answer")
    expect(answer).to_contain_text(OUTCOME)
    expect(answer).to_contain_text("Dana Whitfield")
    expect(answer).to_contain_text(ANSWER)
    family.context.close()
