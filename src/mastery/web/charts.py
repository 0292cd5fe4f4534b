"""Charts served as SVG documents of their own, shown on pages through <img>."""

from django.http import HttpResponse
from django.utils.csp import CSP

SVG_POLICY: dict[str, list[str]] = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["data:"],
    "frame-ancestors": [CSP.SELF],
}
"""The content security policy of a chart (`csp_override(SVG_POLICY)`). An SVG opened on its
own is a document: matplotlib styles its shapes inline, which the site's strict policy would
block (an inline SVG on a page would be painted black). It runs no script and loads nothing."""


def svg_response(content: str) -> HttpResponse:
    """A chart's SVG, never cached: it shows a person's ratings."""
    response = HttpResponse(content, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response
