"""The spreadsheet format: which columns exist, how headers and values are recognised.

One row per organisation. Headers are German (as in the downloadable template); English
headers and a few common spellings are accepted too. Matching of headers, kinds, regions
and topics ignores case, spaces, punctuation and umlaut spelling ("Größe" = "Groesse").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from matchwerk.profiles.enums import OrganisationKind, OrganisationSize

# How many need and offer column pairs the template offers; more are accepted on import.
TEMPLATE_STATEMENTS = 3
MAX_STATEMENTS = 20


def normalise(text) -> str:
    """Lower-case ASCII letters and digits only: 'Über uns' -> 'ueberuns', 'Größe' -> 'groesse'."""
    text = str(text or "").strip().lower()
    for umlaut, ascii_ in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ascii_)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text)


@dataclass(frozen=True)
class Column:
    field: str          # internal name, e.g. "name", "need_2_title"
    header: str         # German header in the template
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("key", "Schlüssel", ("key", "id", "kennung")),
    Column("name", "Name", ("organisation", "organization", "name der organisation", "firma")),
    Column("kind", "Art", ("kind", "type", "typ", "organisationsart")),
    Column("region", "Region", ("landkreis", "kreis", "district")),
    Column("town", "Ort", ("town", "city", "stadt", "gemeinde")),
    Column("website", "Website", ("webseite", "homepage", "url", "internetseite")),
    Column("size", "Größe", ("size", "mitarbeitende", "beschaeftigte", "employees")),
    Column("founded", "Gründungsjahr", ("founded", "year founded", "gruendung")),
    Column("about", "Über uns", ("about", "about us", "beschreibung", "description")),
    Column("topics", "Themen", ("topics", "thema", "topic")),
    Column("contact_name", "Ansprechperson", ("contact", "contact person", "kontakt", "ansprechpartner",
                                              "ansprechpartnerin")),
    Column("contact_email", "E-Mail", ("email", "e-mail-adresse", "mail")),
    Column("contact_phone", "Telefon", ("phone", "telefonnummer", "tel")),
    Column("contact_position", "Funktion", ("position", "role", "rolle")),
    Column("listed", "Im Verzeichnis", ("listed", "listed in directory", "directory", "verzeichnis")),
    Column("matching", "Matching", ("open for matching", "matching freigegeben")),
)
REQUIRED_FIELDS = ("name", "kind", "region")

_STATEMENT_HEADER = re.compile(r"^(bedarf|need|angebot|offer)(\d{1,2})(titel|title|beschreibung|description)$")
_STATEMENT_KIND = {"bedarf": "need", "need": "need", "angebot": "offer", "offer": "offer"}
_STATEMENT_PART = {"titel": "title", "title": "title", "beschreibung": "description", "description": "description"}

_HEADER_INDEX: dict[str, str] = {}
for _column in COLUMNS:
    for _alias in (_column.header, _column.field, *_column.aliases):
        _HEADER_INDEX[normalise(_alias)] = _column.field


def field_for_header(header) -> str | None:
    """The internal field name of a header cell, or None if the column is unknown."""
    text = normalise(header)
    if not text:
        return None
    if text in _HEADER_INDEX:
        return _HEADER_INDEX[text]
    match = _STATEMENT_HEADER.match(text)
    if match and 1 <= int(match.group(2)) <= MAX_STATEMENTS:
        kind, number, part = match.groups()
        return f"{_STATEMENT_KIND[kind]}_{int(number)}_{_STATEMENT_PART[part]}"
    return None


def statement_header(kind: str, number: int, part: str) -> str:
    word = "Bedarf" if kind == "need" else "Angebot"
    return f"{word} {number} {'Titel' if part == 'title' else 'Beschreibung'}"


def template_headers(statements: int = TEMPLATE_STATEMENTS) -> list[str]:
    """The German headers in template order (needs and offers before the consent columns)."""
    headers = [c.header for c in COLUMNS if c.field not in ("listed", "matching")]
    for kind in ("need", "offer"):
        for number in range(1, statements + 1):
            headers += [statement_header(kind, number, "title"), statement_header(kind, number, "description")]
    return headers + ["Im Verzeichnis", "Matching"]


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Values -------------------------------------------------------------------------------

_KIND_WORDS = {
    OrganisationKind.STARTUP: ("digital startup", "start-up", "startup"),
    OrganisationKind.CREATIVE: ("creative", "creatives", "creative professionals", "kreativ", "kreativwirtschaft",
                                "kultur- und kreativwirtschaft", "kreativschaffender", "kreativschaffende"),
    OrganisationKind.SME: ("kmu", "sme", "small/medium enterprise", "small and medium enterprise", "unternehmen",
                           "mittelstand", "kleines unternehmen", "mittleres unternehmen"),
    OrganisationKind.PUBLIC: ("public", "public administration", "verwaltung", "kommune", "behoerde"),
    OrganisationKind.RESEARCH: ("research", "hochschule", "wissenschaft", "forschungseinrichtung", "university"),
    OrganisationKind.INTERMEDIARY: ("intermediary", "network", "network/intermediary", "netzwerk", "intermediaer",
                                    "verband", "kammer"),
}
KIND_INDEX: dict[str, str] = {}
for _kind in OrganisationKind:
    for _word in (_kind.value, str(_kind.label), *_KIND_WORDS[_kind]):
        KIND_INDEX[normalise(_word)] = _kind.value

SIZE_INDEX: dict[str, str] = {}
for _size in OrganisationSize:
    SIZE_INDEX[normalise(_size.value)] = _size.value
    SIZE_INDEX[normalise(str(_size.label))] = _size.value
SIZE_INDEX.update({normalise("1 Person"): "1", normalise("250 und mehr"): "250+", normalise("über 250"): "250+"})


def size_for_headcount(count: int) -> str:
    if count <= 1:
        return OrganisationSize.SOLO
    if count <= 9:
        return OrganisationSize.MICRO
    if count <= 49:
        return OrganisationSize.SMALL
    if count <= 249:
        return OrganisationSize.MEDIUM
    return OrganisationSize.LARGE


YES = {"ja", "j", "yes", "y", "x", "1", "true", "wahr"}
NO = {"nein", "n", "no", "0", "false", "falsch"}

# Messages shown for the template's explanation sheet and the documentation page.
KIND_HINT = _("Art: KMU, Digitales Startup, Kreativschaffende, Öffentliche Verwaltung, Forschung, "
              "Netzwerk/Intermediär (oder die Codes sme, startup, creative, public, research, intermediary)")
