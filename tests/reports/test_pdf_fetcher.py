"""Printing never reaches the network: only Mastery's static files and data: URLs are served."""

import pytest
from weasyprint.urls import URLFetchingError

from mastery.reports.pdf import STATIC_BASE, LocalOnlyFetcher, RefusedURLError


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/tracker.png",
        "http://127.0.0.1:8000/static/web/mastery.css",
        "file:///etc/passwd",
        f"{STATIC_BASE}../../settings.py",
        f"{STATIC_BASE}reports/missing.css",
    ],
)
def test_anything_but_mastery_s_own_static_files_is_refused(url: str) -> None:
    with pytest.raises((RefusedURLError, URLFetchingError)):
        LocalOnlyFetcher().fetch(url)


def test_the_print_stylesheet_and_inline_images_are_served() -> None:
    stylesheet = LocalOnlyFetcher().fetch(f"{STATIC_BASE}reports/print.css")
    image = LocalOnlyFetcher().fetch("data:image/svg+xml;base64,PHN2Zy8+")

    assert b"@page" in stylesheet.read()
    assert stylesheet.content_type == "text/css"
    assert image.read() == b"<svg/>"
