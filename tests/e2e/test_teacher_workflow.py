"""The teacher's day in the browser: score a whole section from the keyboard, correct an at-bat,
finalize a term grade with an override."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import sign_in


def _open_maya_gradebook(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "teacher")
    sections = page.get_by_role("table", name="Sections you teach")
    for link in sections.get_by_role("link", name=re.compile("^Gradebook of")).all():
        link.click()
        if page.get_by_role("link", name="Okafor, Maya").count():
            return
        page.go_back()
    raise AssertionError("Dana's sections should include Maya Okafor's")


_FOCUSED_NAME = """() => {
  const element = document.activeElement;
  if (!element) return "";
  return (element.getAttribute("aria-label") || element.innerText || "").trim();
}"""


def _tab_to(page: Page, name: str | re.Pattern[str], *, presses: int = 300) -> None:
    """Press Tab until the focused element's accessible name is `name`, as a keyboard user
    moves through a page."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED_NAME)
        if name.search(focused) if isinstance(name, re.Pattern) else focused == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def _tab_into(page: Page, selector: str, *, presses: int = 300) -> None:
    """Press Tab until the focus is on an element matching `selector`."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _follow(page: Page, name: str | re.Pattern[str]) -> None:
    _tab_to(page, name)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _statuses(grid: Locator) -> list[str]:
    return grid.locator(".score-status[id^='status-']").all_inner_texts()


def test_a_teacher_scores_a_whole_section_with_the_keyboard_and_sees_ratings_change(
    page: Page, demo_url: str
) -> None:
    sign_in(page, demo_url, "teacher")
    # From here on, the keyboard only: Tab to a link and Enter, arrows and Enter in the grid.
    _follow(page, re.compile("^Gradebook of "))
    _follow(page, "Score a learning experience")
    experiences = page.get_by_role("listitem").get_by_role("link").all_inner_texts()
    # The last experience of the course is still ahead in the term: nobody has scored it yet.
    _follow(page, experiences[-1].strip())
    grid = page.locator("[data-score-grid]")
    expect(grid).to_be_visible()
    rows = grid.locator("tbody tr")
    columns = rows.first.locator("input.score-input").count()
    student_count = rows.count()
    assert columns >= 1
    assert student_count >= 5
    values = grid.locator("input.score-input").evaluate_all("cells => cells.map(c => c.value)")
    assert set(values) == {""}
    before = _statuses(grid)

    _tab_into(page, "input.score-input")
    assert page.evaluate("() => document.activeElement.dataset.row") == "0"
    for row in range(student_count):
        for column in range(columns):
            page.keyboard.type(str(1 + (row + column) % 4))
            if column < columns - 1:
                page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        for _ in range(columns - 1):
            page.keyboard.press("ArrowLeft")
    page.keyboard.press("Tab")

    statuses = grid.locator(".score-status[id^='status-']")
    expect(statuses.filter(has_text="counted")).to_have_count(
        student_count * columns, timeout=20000
    )
    expect(grid.locator(".score-status--error")).to_have_count(0)
    for index, old in enumerate(before):
        # Every cell's rating took the new at-bat in: its status is not what it was.
        expect(statuses.nth(index)).not_to_have_text(old)

    page.reload()
    first_cell = page.locator("input.score-input").first
    expect(first_cell).to_have_value("1")


def test_enter_on_the_edge_of_the_grid_saves_only_a_changed_score(
    page: Page, demo_url: str
) -> None:
    _open_maya_gradebook(page, demo_url)
    page.get_by_role("link", name="Score a learning experience").click()
    # The first experience of the term is scored for everyone: every cell shows a score.
    page.get_by_role("listitem").get_by_role("link").first.click()
    saves: list[str] = []
    page.on(
        "request", lambda request: saves.append(request.url) if "/save/" in request.url else None
    )
    cells = page.locator("input.score-input[data-col='0']")
    last, first = cells.last, cells.first
    expect(last).not_to_have_value("")

    last.focus()
    page.keyboard.press("Enter")
    first.focus()
    page.keyboard.press("Shift+Enter")
    page.wait_for_timeout(500)
    assert saves == [], "an unchanged score must not be posted again"

    last.focus()
    changed = "1" if last.input_value() != "1" else "2"
    page.keyboard.type(changed)
    with page.expect_response(lambda response: "/save/" in response.url):
        page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    first.focus()  # leaving the cell fires the browser's own change event
    page.wait_for_timeout(500)
    assert len(saves) == 1, "a changed score is posted once, then it is the cell's value"


def test_a_teacher_opens_a_cell_and_corrects_an_at_bat_with_a_reason(
    page: Page, demo_url: str
) -> None:
    _open_maya_gradebook(page, demo_url)
    page.get_by_label("Columns").select_option(index=1)
    expect(page.get_by_text("Showing the subskills of")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Maya Okafor, .* counted")).first.click()
    expect(page.get_by_role("heading", name="At-bats, oldest first")).to_be_visible()
    expect(page.get_by_text("How this rating works")).to_be_visible()

    actions = page.locator("details.entry-actions").first
    actions.locator("summary").click()
    actions.get_by_label("Corrected level").fill("4")
    actions.get_by_label("Why", exact=True).fill("Rescored with the moderation panel")
    actions.get_by_role("button", name="Record correction").click()

    expect(page.get_by_role("status").filter(has_text="Correction recorded")).to_be_visible()
    expect(page.get_by_text("Rescored with the moderation panel").first).to_be_visible()
    expect(page.get_by_text("corrected later").first).to_be_visible()


def test_a_teacher_finalizes_a_term_grade_with_an_override(page: Page, demo_url: str) -> None:
    _open_maya_gradebook(page, demo_url)
    page.get_by_role("link", name="Term review").click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Okafor, Maya"))
    # The computed grade is the row's first bold figure (the term may still be "In progress",
    # which the final-grade menu does not offer).
    computed = row.locator("td strong").first.inner_text()
    row.locator("summary", has_text="Override").click()
    grade = row.get_by_label("Final grade")
    options = grade.locator("option").all_inner_texts()
    different = next(option for option in options if option != computed)
    grade.select_option(different)
    row.get_by_label("Reason").fill("Portfolio defence showed more than the ratings")
    row.get_by_role("button", name="Finalize with override").click()

    row = page.locator("tr", has=page.get_by_role("rowheader", name="Okafor, Maya"))
    expect(row).to_contain_text(
        f"Override of {computed}: Portfolio defence showed more than the ratings"
    )
    expect(row).to_contain_text("Finalized by Dana Whitfield")
