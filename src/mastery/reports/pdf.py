"""PDF through WeasyPrint, from the same template partials the web pages show.

Rendering never touches the network: the fetcher below serves Mastery's own static files (the
print stylesheet) and inline `data:` images (the charts), and refuses every other URL, so a
report cannot leak who opened it and cannot hang on a slow host.
"""

import logging
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# WeasyPrint logs each rendering step at INFO (some on import); report cards would flood the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402  (after quieting its progress log)
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

STATIC_BASE = "file:///mastery-static/"
"""Static files are asked for relative to this base ("reports/print.css")."""
PRINT_STYLESHEET = "reports/print.css"


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


@dataclass(frozen=True)
class _Printer:
    fonts: FontConfiguration
    fetcher: LocalOnlyFetcher
    stylesheet: CSS


_printers = threading.local()


def _printer() -> _Printer:
    """Fonts and the parsed print stylesheet, kept per thread: setting them up again for every
    report costs about a fifth of printing one."""
    printer: _Printer | None = getattr(_printers, "printer", None)
    if printer is None:
        fonts = FontConfiguration()
        fetcher = LocalOnlyFetcher()
        stylesheet = CSS(url=STATIC_BASE + PRINT_STYLESHEET, url_fetcher=fetcher, font_config=fonts)
        printer = _printers.printer = _Printer(fonts, fetcher, stylesheet)
    return printer


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The template rendered to HTML and printed to PDF bytes with the print stylesheet."""
    printer = _printer()
    html = render_to_string(template, context)
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=printer.fetcher)
    pdf = document.write_pdf(stylesheets=[printer.stylesheet], font_config=printer.fonts)
    assert pdf is not None
    return pdf
