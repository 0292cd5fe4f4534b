"""A student's own pages in the browser: read a competency and its next step, assess their own
work, and do the same in Spanish (axe on each Spanish page)."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import serious_violations, sign_in

COMPETENCY = "AW Argumentative Writing"
# An English-class experience ahead in the term, aligned with three AW subskills.
EXPERIENCE = "Timed argument essay"
REFLECTION = "My claim was clear, but I ran out of time to explain my second piece of evidence."
# Another task ahead in the English class (aligned with AW.3), assessed in Spanish.
SPANISH_EXPERIENCE = "Portfolio defense"
SPANISH_REFLECTION = "Defendí bien mi crecimiento, pero me faltó tiempo para la tercera pieza."


def _open_dashboard(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "student")
    page.get_by_role("link", name="Where I stand: competencies, next steps, credits").click()
    expect(page.get_by_role("heading", level=1, name="Where I stand")).to_be_visible()


def _card(page: Page, competency: str, region: str = "Competencies") -> Locator:
    competencies = page.get_by_role("region", name=region)
    return competencies.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=competency)
    )


def _subskill_group(page: Page, key: str) -> Locator:
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(key)} "))


def test_a_student_reads_a_competency_and_its_next_step(page: Page, demo_url: str) -> None:
    _open_dashboard(page, demo_url)
    card = _card(page, COMPETENCY)
    expect(card).to_have_count(1)
    rating = card.locator(".rating-line").inner_text().strip()
    next_step = card.locator(".next-step").inner_text().strip()
    assert rating
    assert next_step.startswith("Next step:")

    card.get_by_role("link", name=COMPETENCY).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMPETENCY)
    # The rating, and the same next step as on the dashboard, the engine's words for both.
    summary = page.get_by_role("region", name="Where you stand")
    expect(summary.locator(".rating-big")).to_have_text(rating)
    expect(summary.locator("#next-step")).to_have_text(next_step)
    expect(summary.get_by_role("heading", name="How it comes together")).to_be_visible()

    # The at-bats behind each subskill's rating, with what counts and why not.
    progression = page.get_by_role("region", name="The progression")
    at_bats = progression.get_by_role("table", name=re.compile(r"^At-bats for AW\.1"))
    expect(at_bats).to_be_visible()
    assert at_bats.locator("tbody tr").count() >= 1
    expect(progression.locator("td .counted").first).to_have_text("Counts")
    expect(progression.get_by_text("How this rating works").first).to_be_visible()

    page.go_back()
    expect(page.get_by_role("heading", level=1, name="Where I stand")).to_be_visible()


def test_a_student_assesses_their_own_work(page: Page, demo_url: str) -> None:
    _open_dashboard(page, demo_url)
    own_work = page.get_by_role("region", name="Assess your own work")
    own_work.get_by_role("link", name=EXPERIENCE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Assess your work: {EXPERIENCE}")

    form = page.locator("form.self-assessment-form")
    expect(form.get_by_role("group")).to_have_count(3)
    # A click for the first subskill, the keyboard for the second (arrow keys move within a
    # group of radio buttons), a click on a label's text for the third.
    _subskill_group(page, "AW.1").get_by_role("radio", name=re.compile("^Meeting")).click()
    developing = _subskill_group(page, "AW.2").get_by_role("radio", name=re.compile("^Developing"))
    developing.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(
        _subskill_group(page, "AW.2").get_by_role("radio", name=re.compile("^Meeting"))
    ).to_be_checked()
    _subskill_group(page, "AW.3").get_by_text("Exceeding", exact=True).click()
    expect(
        _subskill_group(page, "AW.3").get_by_role("radio", name=re.compile("^Exceeding"))
    ).to_be_checked()

    reflection = page.get_by_label("Reflection: what went well, what you would do differently")
    reflection.click()
    page.keyboard.type(REFLECTION)
    page.get_by_role("button", name="Save my self-assessment").click()

    expect(page.get_by_role("status")).to_contain_text("Your self-assessment is saved.")
    expect(page.get_by_role("heading", level=1, name="Where I stand")).to_be_visible()
    item = (
        page.get_by_role("region", name="Assess your own work")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("link", name=EXPERIENCE))
    )
    expect(item.locator(".tag", has_text="self-assessed")).to_be_visible()

    # The competency page shows it beside the teachers' scores, with the reflection.
    _card(page, COMPETENCY).get_by_role("link", name=COMPETENCY).click()
    own_rows = (
        page.get_by_role("row").filter(has_text=EXPERIENCE).filter(has_text="your self-assessment")
    )
    expect(own_rows).to_have_count(3)
    expect(own_rows.first).to_contain_text("Meeting (3)")
    expect(own_rows.first).to_contain_text(REFLECTION)
    expect(own_rows.last).to_contain_text("Exceeding (4)")

    # Opened again, the form shows what was saved.
    page.go_back()
    page.get_by_role("region", name="Assess your own work").get_by_role(
        "link", name=EXPERIENCE
    ).click()
    expect(
        _subskill_group(page, "AW.2").get_by_role("radio", name=re.compile("^Meeting"))
    ).to_be_checked()
    expect(reflection).to_have_value(REFLECTION)


@pytest.fixture
def spanish_page(browser: Browser, demo_url: str) -> Iterator[Page]:
    """The student's page; the language chosen is kept on her account, so put English back."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()


def test_a_student_reads_her_pages_and_assesses_her_own_work_in_spanish(
    spanish_page: Page, demo_url: str
) -> None:
    page = spanish_page
    _open_dashboard(page, demo_url)
    page.get_by_role("button", name="Español").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="Español")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Cómo voy")).to_be_visible()
    card = _card(page, COMPETENCY, "Competencias")
    # The engine's next step and roll-up, said in Spanish from what the engine worked out.
    next_step = card.locator(".next-step")
    expect(next_step).to_contain_text("Siguiente paso:")
    expect(next_step).not_to_contain_text("at-bat")
    said = next_step.inner_text().strip()
    expect(card.locator(".why")).to_contain_text("Por qué:")
    expect(card.locator(".why")).not_to_contain_text("Ratings used")
    assert serious_violations(page) == []

    # The competency page: how the rating comes together, the progression, the at-bats.
    card.get_by_role("link", name=COMPETENCY).click()
    summary = page.get_by_role("region", name="Cómo vas")
    expect(summary.get_by_role("heading", name="Cómo se calcula")).to_be_visible()
    expect(summary.locator(".steps li").last).to_contain_text(
        re.compile(r"^(Resultado: |Ninguna parte de esta competencia)")
    )
    expect(summary.locator("#next-step")).to_have_text(said)
    progression = page.get_by_role("region", name="La progresión")
    expect(progression.get_by_text("Cómo funciona esta calificación").first).to_be_visible()
    expect(
        progression.get_by_role("table", name=re.compile(r"^Intentos evaluados de AW\.1"))
    ).to_be_visible()
    expect(page.get_by_text("How it comes together")).to_have_count(0)
    assert serious_violations(page) == []

    # Her own self-assessment of a task still ahead, in Spanish.
    page.go_back()
    own_work = page.get_by_role("region", name="Evalúa tu propio trabajo")
    own_work.get_by_role("link", name=SPANISH_EXPERIENCE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Evalúa tu trabajo: {SPANISH_EXPERIENCE}"
    )
    groups = page.locator("form.self-assessment-form").get_by_role("group")
    assert groups.count() >= 1
    for index in range(groups.count()):
        groups.nth(index).get_by_role("radio", name=re.compile("^Meeting")).check()
    page.get_by_label("Reflexión: qué salió bien y qué harías diferente").fill(SPANISH_REFLECTION)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Guardar mi autoevaluación").click()

    expect(page.get_by_role("status")).to_contain_text("Tu autoevaluación quedó guardada.")
    expect(page.get_by_role("heading", level=1, name="Cómo voy")).to_be_visible()
    item = (
        page.get_by_role("region", name="Evalúa tu propio trabajo")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("link", name=SPANISH_EXPERIENCE))
    )
    expect(item.locator(".tag", has_text="autoevaluado")).to_be_visible()

    # Beside the teachers' scores on the competency page, never counted, and saying why in Spanish.
    _card(page, COMPETENCY, "Competencias").get_by_role("link", name=COMPETENCY).click()
    own_rows = (
        page.get_by_role("row")
        .filter(has_text=SPANISH_EXPERIENCE)
        .filter(has_text="tu autoevaluación")
    )
    expect(own_rows.first).to_contain_text("Meeting (3)")
    expect(own_rows.first).to_contain_text("nunca cuenta")
    expect(own_rows.first).to_contain_text(SPANISH_REFLECTION)
    assert serious_violations(page) == []
