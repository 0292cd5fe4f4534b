"""axe-core on every student and family page in Spanish, reached by clicking the Spanish links:
no serious or critical violations (longer words, other headings and labels, the same rules)."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import serious_violations, sign_in

# Page -> the Spanish links clicked from the dashboard to reach it, and where they lead.
UUID = "[0-9a-f-]{36}"
PAGES = {
    "dashboard": ([], rf"/students/{UUID}/$"),
    "competency": (["AW Argumentative Writing"], rf"/competencies/{UUID}/$"),
    "calibration": (["Autoevaluación y calibración"], r"/calibration/$"),
    "conferences": (["Conferencias y metas"], r"/conferences/$"),
    "review requests": (["Solicitudes de revisión"], rf"/students/{UUID}/reviews/$"),
    "reports": (["Informes de progreso"], r"/reports/$"),
    "progress report": (["Informes de progreso", "leer en línea"], rf"/reports/{UUID}/$"),
    "mastery transcript": (["Informes de progreso", "Leer en línea"], r"/reports/transcript/$"),
    "signed transcript": (
        ["Historial académico por competencias (credencial firmada)"],
        rf"/students/{UUID}/transcript/$",
    ),
    "how grading works": (["Cómo funciona la calificación"], r"/how-grading-works/"),
}
DASHBOARD = {
    "student": "Cómo voy: competencias, siguientes pasos, créditos",
    "guardian": "Cómo va Maya",
}


@pytest.fixture
def spanish(browser: Browser, demo_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Signed in as the test's reader, in Spanish; English is put back on the account after."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, demo_url, request.node.callspec.params["reader"])
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    yield page
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.context.close()


@pytest.mark.parametrize("name", [*PAGES, "account"])
@pytest.mark.parametrize("reader", ["student", "guardian"])
def test_a_student_or_family_page_in_spanish_has_no_serious_accessibility_violations(
    spanish: Page, reader: str, name: str
) -> None:
    page = spanish
    if name == "account":
        page.get_by_role("banner").get_by_role(
            "link", name="Maya Okafor" if reader == "student" else "Rosa Okafor"
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Tu cuenta")
    else:
        page.get_by_role("link", name=DASHBOARD[reader]).click()
        links, where = PAGES[name]
        for link in links:
            page.get_by_role("main").get_by_role("link", name=link, exact=True).first.click()
        expect(page).to_have_url(re.compile(where))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()

    assert serious_violations(page) == []
