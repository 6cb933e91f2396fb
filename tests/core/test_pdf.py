"""core.pdf: a template becomes a real PDF; the renderer reads static files only."""

from __future__ import annotations

import io

import pytest
from django.template import engines
from django.utils import translation
from pypdf import PdfReader

from matchwerk.core.pdf import PdfResourceRefused, _static_bytes, pdf_response, render_pdf


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_template_renders_to_a_pdf_with_its_text_and_page_numbers(settings, tmp_path):
    (tmp_path / "probe.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>Förderbericht {{ name }}</h1>'
        '<p class="page-break">2.500,00 €</p><p>zweite Seite</p>{% endblock %}', encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    engines._engines = {}
    try:
        with translation.override("de"):  # earlier tests may leave English active
            pdf = render_pdf("probe.html", {"name": "Kreativ trifft Mittelstand"})
    finally:
        engines._engines = {}
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    text = _text(pdf)
    assert "Förderbericht Kreativ trifft Mittelstand" in text
    assert "2.500,00 €" in text
    assert "Seite 1 / 2" in text


def test_static_files_are_read_and_everything_else_is_refused():
    assert b"htmx" in _static_bytes("http://matchwerk.invalid/static/vendor/htmx/htmx.min.js")
    assert b"htmx" in _static_bytes("/static/vendor/htmx/htmx.min.js")
    for url in ("http://169.254.169.254/latest/meta-data", "http://169.254.169.254/static/vendor/htmx/htmx.min.js",
                "file:///etc/passwd", "/etc/passwd", "/static/../../settings.py"):
        with pytest.raises(PdfResourceRefused):
            _static_bytes(url)


def test_a_user_written_remote_image_does_not_stop_the_document(settings, tmp_path):
    (tmp_path / "remote.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<p>{{ text|safe }}</p>{% endblock %}', encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    engines._engines = {}
    try:
        pdf = render_pdf("remote.html", {"text": 'Hallo <img src="http://example.org/x.png">'})
    finally:
        engines._engines = {}
    assert "Hallo" in _text(pdf)


def test_the_response_names_the_file_and_strips_quotes():
    response = pdf_response(b"%PDF-1.7", 'Bericht "2026".pdf')
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Bericht 2026.pdf"'
    assert pdf_response(b"%PDF-1.7", "a.pdf", inline=True)["Content-Disposition"].startswith("inline;")


def test_the_web_process_imports_the_pdf_and_chart_libraries_at_start_and_nothing_else_does(tmp_path):
    """Importing WeasyPrint takes seconds in a fresh process: ``matchwerk.wsgi`` (the web
    server's entry) imports it at start, so the first PDF request does not pay for it, and
    freezes the start-up objects out of the garbage collector's full passes;
    ``django.setup()`` alone (management commands, the task worker) stays without both."""
    import os
    import subprocess
    import sys

    probe = ("import sys, django; django.setup(); "
             "loaded = lambda: [name in sys.modules for name in ('weasyprint', 'matplotlib.figure')]; "
             "print(*loaded()); import gc, matchwerk.wsgi; print(*loaded(), gc.get_freeze_count() > 10000)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "matchwerk.settings", "MATCHWERK_DATA_DIR": str(tmp_path),
           "MATCHWERK_DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}"}
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True", "True", "True"]
