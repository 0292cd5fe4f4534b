"""PDF through WeasyPrint, from the same template partials the web pages show.

Rendering never touches the network: the fetcher below serves Mastery's own static files (the
print stylesheet) and inline `data:` images (the charts), and refuses every other URL, so a
report cannot leak who opened it and cannot hang on a slow host.
"""

import logging
import mimetypes
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# WeasyPrint logs each rendering step at INFO (some on import); report cards would flood the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402  (after quieting its progress log)
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

STATIC_BASE = "file:///mastery-static/"
"""Print templates link their stylesheet relative to this base ("reports/print.css")."""


class RefusedURLError(ValueError):
    """A report asked for something outside Mastery's own static files."""


class LocalOnlyFetcher(URLFetcher):
    """Serves Mastery's static files and `data:` URLs; refuses http(s), file paths, the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "file"))

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_BASE):
            name = url.removeprefix(STATIC_BASE).split("?")[0]
            found = finders.find(name) if ".." not in name.split("/") else None
            if isinstance(found, str):
                content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, Path(found).read_bytes(), headers={"Content-Type": content_type}
                )
        raise RefusedURLError(f"Reports fetch nothing from outside Mastery: {url}")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The template rendered to HTML and printed to PDF bytes."""
    html = render_to_string(template, context)
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=LocalOnlyFetcher())
    pdf = document.write_pdf()
    assert pdf is not None
    return pdf
