"""The charts on the student and teacher pages are seen, not painted as black boxes: each is an
image of its own, so the page's strict style policy never blocks the chart's styles."""

import io

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import sign_in


def _shares(chart: Locator) -> tuple[float, float]:
    """The share of the chart's pixels that are nearly black (a blocked-style SVG is all black)
    and the share that are not white (a chart that drew nothing is all white)."""
    shades = Image.open(io.BytesIO(chart.screenshot())).convert("L").histogram()
    return sum(shades[:40]) / sum(shades), sum(shades[:200]) / sum(shades)


def _assert_drawn(chart: Locator) -> None:
    expect(chart).to_be_visible()
    chart.scroll_into_view_if_needed()
    chart.page.wait_for_function("image => image.complete", arg=chart.element_handle())
    width, height = chart.evaluate("image => [image.naturalWidth, image.naturalHeight]")
    assert width > 0
    assert height > 0
    dark, inked = _shares(chart)
    assert dark < 0.2
    assert inked > 0.01


def _calibration_as_student(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "student")
    page.get_by_role("link", name="Where I stand: competencies, next steps, credits").click()
    page.get_by_role("link", name="Self-assessment and calibration").click()


def _calibration_as_teacher(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "teacher")
    page.get_by_role("region", name="Your sections").get_by_role("rowheader").get_by_role(
        "link"
    ).first.click()
    page.get_by_role("link", name="Self-assessment calibration").click()


@pytest.mark.parametrize("who", ["student", "teacher"])
def test_the_calibration_chart_is_drawn(page: Page, demo_url: str, who: str) -> None:
    if who == "student":
        _calibration_as_student(page, demo_url)
    else:
        _calibration_as_teacher(page, demo_url)

    _assert_drawn(page.locator("figure.chart img"))


def test_the_competency_progress_charts_are_drawn(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "student")
    page.get_by_role("link", name="Where I stand: competencies, next steps, credits").click()

    _assert_drawn(page.locator(".competency-card img.spark").first)
    page.locator(".competency-card h3 a").first.click()
    _assert_drawn(page.locator("figure.chart img"))
