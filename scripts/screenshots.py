"""Take the screenshots in docs/screenshots/ from the demo school:
`.venv/bin/python scripts/screenshots.py`.

Starts the demo school on a fresh SQLite file (as the browser tests do), signs in as the demo
people and saves PNGs of the pages the docs show.
"""

import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in  # noqa: E402
from tests.e2e.server import demo_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def _maya_section(page: Page) -> None:
    for link in page.get_by_role("link", name=re.compile("^Gradebook of")).all():
        link.click()
        if page.get_by_role("link", name="Okafor, Maya").count():
            return
        page.go_back()


def _student_and_family(browser: Browser, url: str) -> None:
    """Maya's dashboard and one competency up close; her mother's view of her, with the switch
    between her two children."""
    # Taller than the teacher's pages: the cards and the explanation are the point.
    viewport = ViewportSize(width=1280, height=1200)
    page = browser.new_page(viewport=viewport)
    sign_in(page, url, "student")
    page.get_by_role("link", name="Where I stand: competencies, next steps, credits").click()
    competencies = page.get_by_role("region", name="Competencies")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / "student-dashboard.png")
    competencies.get_by_role("link", name="AW Argumentative Writing").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / "student-competency.png")
    page.context.close()

    page = browser.new_page(viewport=viewport)
    sign_in(page, url, "guardian")
    page.get_by_role("link", name="Where Maya stands").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / "family-view.png")
    page.context.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as folder,
        demo_server(Path(folder)) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        sign_in(page, url, "teacher")
        page.screenshot(path=OUT / "teacher-home.png")
        _maya_section(page)
        page.screenshot(path=OUT / "gradebook.png")
        page.get_by_label("Columns").select_option(index=1)
        page.get_by_text("Showing the subskills of").wait_for()
        page.screenshot(path=OUT / "gradebook-subskills.png")
        page.get_by_role("link", name=re.compile(r"^Maya Okafor, .* counted")).first.click()
        page.screenshot(path=OUT / "drill-down.png", full_page=True)
        page.get_by_role("link", name=re.compile("gradebook$")).click()
        page.get_by_role("link", name="Score a learning experience").click()
        page.get_by_role("listitem").get_by_role("link").nth(2).click()
        page.locator("input.score-input").first.focus()
        page.screenshot(path=OUT / "scoring.png")
        _student_and_family(browser, url)
        browser.close()
    print(f"Saved screenshots in {OUT}")


if __name__ == "__main__":
    main()
