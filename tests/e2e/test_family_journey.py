"""A guardian in the browser, in English and in Spanish: switch between her children, ask for a
review of a rating, and read the teacher's answer; the teacher finds the request in their inbox
and answers it (in English, the teacher's language). axe checks each Spanish page."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import serious_violations, sign_in

COMPETENCY = "AW Argumentative Writing"
SECTION = "ENG-CA-01"  # Dana Whitfield's section, Maya's English class
OUTCOME = "Unchanged: the rating stands"

# What the guardian reads and clicks, in her language.
WORDS = {
    "en": {
        "where maya": "Where Maya stands",
        "children": "Your children",
        "competencies": "Competencies",
        "own work": "Assess your own work",
        "calibration": "Self-assessment and calibration",
        "review requests": "Review requests",
        "ask about AW": "Ask for a review of AW",
        "ask": "Ask for a review",
        "asked about": "What you ask about",
        "send": "Send the request",
        "reason": "Why do you ask for a review? (required)",
        "sent": "Your request was sent to the teacher.",
        "not answered": "The teacher has not answered yet.",
        "breadcrumb": "Breadcrumb",
        "so far": "Requests so far",
        "answer": "The teacher's answer",
        "outcome": OUTCOME,
    },
    "es": {
        "where maya": "Cómo va Maya",
        "children": "Tus hijos",
        "competencies": "Competencias",
        "own work": "Evalúa tu propio trabajo",
        "calibration": "Autoevaluación y calibración",
        "review requests": "Solicitudes de revisión",
        "ask about AW": "Pedir una revisión de AW",
        "ask": "Pedir una revisión",
        "asked about": "Lo que quieres que se revise",
        "send": "Enviar la solicitud",
        "reason": "¿Por qué pides una revisión? (obligatorio)",
        "sent": "Tu solicitud se envió al docente.",
        "not answered": "El docente aún no ha respondido.",
        "breadcrumb": "Ruta de navegación",
        "so far": "Solicitudes hasta ahora",
        "answer": "La respuesta del docente",
        "outcome": "Sin cambios: la calificación se mantiene",
    },
}
# Each run files its own request: the same rating may be asked about again once answered.
REASON = {
    "en": "Maya's op-ed revision made a precise claim; we think it should count for AW.",
    "es": "La revisión del artículo de Maya tiene una tesis precisa; creemos que debería contar.",
}
ANSWER = {
    "en": "I reread the op-ed with Maya: the revision is strong, and the rating stands for now.",
    "es": "I read the revision with Maya again: strong work; the rating stands until May.",
}


def _new_page(browser: Browser) -> Page:
    return browser.new_context(viewport={"width": 1280, "height": 900}).new_page()


@pytest.fixture(params=["en", "es"])
def language(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def family(browser: Browser, demo_url: str, language: str) -> Iterator[Page]:
    """Rosa signed in, reading in `language`. The choice is kept on her account, so English is
    put back afterwards for the other tests."""
    page = _new_page(browser)
    sign_in(page, demo_url, "guardian")
    if language != "en":
        page.get_by_role("button", name="Español").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
    yield page
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.context.close()


def _accessible(page: Page, language: str) -> None:
    """axe on a Spanish page (the English ones are checked in test_student_family_accessibility)."""
    if language != "en":
        assert serious_violations(page) == []


def test_a_guardian_switches_between_her_children(family: Page, language: str) -> None:
    page, words = family, WORDS[language]
    page.get_by_role("link", name=words["where maya"]).click()
    switch = page.get_by_role("navigation", name=words["children"])
    maya = switch.get_by_role("link", name="Maya Okafor")
    sam = switch.get_by_role("link", name="Sam Okafor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")
    expect(maya).to_have_attribute("aria-current", "page")
    expect(sam).not_to_have_attribute("aria-current", "page")
    _accessible(page, language)

    sam.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Okafor")
    expect(sam).to_have_attribute("aria-current", "page")
    expect(maya).not_to_have_attribute("aria-current", "page")
    # A family sees the dashboard, not the student's own self-assessment forms.
    expect(page.get_by_role("region", name=words["competencies"])).to_be_visible()
    expect(page.get_by_role("region", name=words["own work"])).to_have_count(0)
    _accessible(page, language)

    # The switch is on the child's other pages too, and keeps the place in the family.
    page.get_by_role("link", name=words["calibration"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sam Okafor")
    expect(switch.get_by_role("link", name="Sam Okafor")).to_have_attribute("aria-current", "page")
    _accessible(page, language)
    switch.get_by_role("link", name="Maya Okafor").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{words['calibration']} · Maya Okafor"
    )
    expect(maya).to_have_attribute("aria-current", "page")
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_a_guardian_asks_for_a_review_and_the_teacher_answers(
    family: Page, browser: Browser, demo_url: str, language: str
) -> None:
    words, reason, answer_text = WORDS[language], REASON[language], ANSWER[language]
    family.get_by_role("link", name=words["where maya"]).click()
    family.get_by_role("link", name=words["review requests"]).click()
    expect(family.get_by_role("heading", level=1)).to_have_text(
        f"{words['review requests']} · Maya Okafor"
    )
    _accessible(family, language)

    english = family.get_by_role("table", name=re.compile(SECTION))
    row = english.get_by_role("row").filter(
        has=family.get_by_role("rowheader", name=COMPETENCY, exact=True)
    )
    now = row.get_by_role("cell").first.inner_text().strip()
    row.get_by_role("link", name=words["ask about AW"]).click()

    expect(family.get_by_role("heading", level=1)).to_have_text(f"{words['ask']} · Maya Okafor")
    asked = family.get_by_role("region", name=words["asked about"])
    expect(asked).to_contain_text(COMPETENCY)
    expect(asked).to_contain_text(SECTION)
    expect(asked).to_contain_text(now)
    _accessible(family, language)
    # The reason is required: sending without one stays on the form.
    send = family.get_by_role("button", name=words["send"])
    send.click()
    reason_field = family.get_by_label(words["reason"])
    assert reason_field.evaluate("field => field.validity.valueMissing")
    reason_field.fill(reason)
    send.click()

    expect(family.get_by_role("status")).to_contain_text(words["sent"])
    expect(family.get_by_role("heading", level=1)).to_contain_text(f"Maya Okafor, {COMPETENCY}")
    expect(family.get_by_text(reason)).to_be_visible()
    expect(family.get_by_text(words["not answered"])).to_be_visible()
    _accessible(family, language)
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
    expect(teacher.get_by_text(reason)).to_be_visible()
    answer_form = teacher.get_by_role("region", name="Answer the request")
    answer_form.get_by_role("radio", name=OUTCOME).check()
    answer_form.get_by_label("Your answer to the family (required)").fill(answer_text)
    answer_form.get_by_role("button", name="Send the answer").click()
    expect(teacher.get_by_role("status")).to_contain_text("Your answer was sent to the family")
    expect(teacher.get_by_role("region", name="Answer the request")).to_have_count(0)
    teacher.context.close()

    # The family sees the answer, in her language, in the list of requests and on the request.
    family.get_by_role("navigation", name=words["breadcrumb"]).get_by_role(
        "link", name=words["review requests"]
    ).click()
    so_far = family.get_by_role("region", name=words["so far"])
    answered = so_far.get_by_role("row").filter(has_text=answer_text)
    expect(answered).to_have_count(1)
    expect(answered).to_contain_text(words["outcome"])
    answered.get_by_role("link", name=COMPETENCY).click()
    answer = family.get_by_role("region", name=words["answer"])
    expect(answer).to_contain_text(words["outcome"])
    expect(answer).to_contain_text("Dana Whitfield")
    expect(answer).to_contain_text(answer_text)
    _accessible(family, language)
