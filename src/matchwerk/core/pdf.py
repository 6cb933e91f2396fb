"""PDF documents: a Django template rendered to PDF with WeasyPrint.

Every PDF of the platform (badges, agendas, table plans, funder reports …) is an HTML
template extending ``pdf/base.html`` (A4, DejaVu fonts, page numbers) rendered here. The
renderer never goes to the network: ``/static/`` URLs are read from the static files,
``data:`` URIs are allowed, anything else is refused, so a user-written text with an
``<img src="http://…">`` cannot make the server fetch something.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

# Relative and root-relative URLs in PDF templates resolve against this base; only its
# ``/static/`` paths are served (from the static files, never over the network).
PDF_BASE_URL = "http://matchwerk.invalid/"


class PdfResourceRefused(ValueError):
    """A PDF template asked for a resource outside the static files."""


def _static_file(path: str) -> Path | None:
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not path.startswith(prefix) or ".." in path.split("/"):
        return None
    relative = path[len(prefix):]
    found = finders.find(relative)
    if found is None:
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    return Path(found) if found else None


def _weasyprint_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Static files and ``data:`` URIs; every other URL is refused."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            return URLFetcherResponse(url, _static_bytes(url))

    return StaticOnlyFetcher


def _static_bytes(url: str) -> bytes:
    parsed = urlparse(url)
    base = urlparse(PDF_BASE_URL)
    path = unquote(parsed.path) if (parsed.scheme, parsed.netloc) in {(base.scheme, base.netloc), ("", "")} else ""
    found = _static_file(path) if path else None
    if found is None:
        raise PdfResourceRefused(f"PDF resource refused (only static files and data: URIs): {url[:200]}")
    return found.read_bytes()


def render_pdf(template_name: str, context: dict | None = None, request=None) -> bytes:
    """Render ``template_name`` (extending ``pdf/base.html``) to the bytes of a PDF."""
    from weasyprint import HTML

    html = render_to_string(template_name, context or {}, request=request)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_weasyprint_fetcher_class()()).write_pdf()


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """An HTTP answer carrying a PDF; ``inline`` opens it in the browser instead of saving."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    safe_name = filename.replace('"', "").replace("\n", " ").replace("\r", " ")
    response["Content-Disposition"] = f'{disposition}; filename="{safe_name}"'
    return response
