"""The English catalogue is complete and well-formed, and the site switches language."""

import ast
import re
import gettext as gettext_module
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def parse_po(path: Path) -> list[dict]:
    """A minimal .po reader for files written by gettext tools (entries separated by blank
    lines): one dict per entry with flags, msgid, msgid_plural and msgstr (a list: one
    string, or one per plural form). Obsolete (#~) entries are skipped."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, field = {"flags": set(), "msgstr": {}}, None
        for line in block.strip().splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                text = ast.literal_eval(line)
                if isinstance(field, int):
                    entry["msgstr"][field] += text
                else:
                    entry[field] += text
            else:
                keyword, _, value = line.partition(" ")
                text = ast.literal_eval(value)
                if keyword.startswith("msgstr"):
                    field = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                    entry["msgstr"][field] = text
                else:
                    field = keyword
                    entry[field] = text
        if "msgid" in entry:
            entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def catalogue():
    return parse_po(PO)


def test_catalogue_is_parsed(catalogue):
    assert catalogue[0]["msgid"] == ""  # the header
    assert len(catalogue) > 500


def test_no_untranslated_entries(catalogue):
    untranslated = [e["msgid"] for e in catalogue[1:]
                    if not e["msgstr"] or not all(s.strip() for s in e["msgstr"])
                    or ("msgid_plural" in e and len(e["msgstr"]) < 2)]
    assert untranslated == []


def test_no_fuzzy_entries(catalogue):
    assert [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]] == []


def test_header_declares_english(catalogue):
    header = catalogue[0]["msgstr"][0]
    assert "Language: en\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header


def test_msgfmt_check_passes():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    result = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(PO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def compiled_catalogue():
    """The .mo is not in git (the Makefile compiles it); compile it here if it is missing
    or older than the .po, and make Django read it afresh."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            pytest.skip("django.mo is missing or stale and msgfmt is not installed")
        subprocess.run([msgfmt, "--check", "-o", str(MO), str(PO)], check=True)
        from django.utils.translation import trans_real

        gettext_module._translations.clear()
        trans_real._translations = {}
        trans_real._default = None


@pytest.mark.django_db
def test_start_page_is_german_by_default(client, compiled_catalogue):
    body = client.get("/", headers={"accept-language": "de"}).content.decode()
    assert '<html lang="de">' in body
    assert "Verzeichnis durchsuchen" in body
    assert "Search the directory" not in body


@pytest.mark.django_db
def test_start_page_is_german_without_any_preference(client, compiled_catalogue):
    body = client.get("/").content.decode()
    assert '<html lang="de">' in body
    assert "Verzeichnis durchsuchen" in body


@pytest.mark.django_db
def test_start_page_in_english_by_cookie(client, compiled_catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Search the directory" in body
    assert "Matchwerk – cross-innovation in Saxony" in body
    assert "Verzeichnis durchsuchen" not in body


@pytest.mark.django_db
def test_start_page_in_english_by_accept_language(client, compiled_catalogue):
    body = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"}).content.decode()
    assert '<html lang="en">' in body
    assert "Organisations in the directory" in body


def test_every_translatable_string_of_the_code_has_an_english_entry(tmp_path, monkeypatch):
    """makemessages over a copy of the package: a German string added to a template or a
    module without an English entry shows up as new (empty or guessed, i.e. fuzzy)."""
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext (GNU gettext) is not installed")
    from django.core.management import call_command
    from django.test import override_settings

    package = LOCALE.parent
    copy = tmp_path / package.name
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    real_before = PO.read_bytes()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    assert PO.read_bytes() == real_before  # the real catalogue is never touched
    entries = parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")[1:]
    missing = sorted(e["msgid"] for e in entries
                     if "fuzzy" in e["flags"] or not e["msgstr"] or not all(s.strip() for s in e["msgstr"]))
    assert missing == [], f"strings without an English entry in {PO.name}: {missing}"


def test_the_german_ui_keeps_djangos_wording_beside_the_api_packages():
    """DRF and django-filter bring German catalogues in another voice ("Gib eine gültige
    E-Mail Adresse an."); locale/de restores Django's wording for the messages they share."""
    from django.utils import translation

    subprocess.run([shutil.which("msgfmt") or "msgfmt", "--check", "-o", str(LOCALE / "de" / "LC_MESSAGES" / "django.mo"),
                    str(LOCALE / "de" / "LC_MESSAGES" / "django.po")], check=True)
    from django.utils.translation import trans_real

    gettext_module._translations.clear()
    trans_real._translations = {}
    with translation.override("de"):
        assert translation.gettext("Enter a valid email address.") == "Bitte gültige E-Mail-Adresse eingeben."
        assert translation.gettext("Enter a valid URL.") == "Bitte eine gültige Adresse eingeben."
