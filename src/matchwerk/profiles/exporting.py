"""Export of organisations to XLSX and CSV, in the import format.

The columns are those of the import template, so an exported file can be edited in Excel
and imported again (the key column makes the re-import update instead of duplicate).
"""

from __future__ import annotations

import csv
import io

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from matchwerk.profiles.importing import columns as cols
from matchwerk.profiles.models import Need, Offer, Organisation, Person, Region, Topic

FORMULA_START = ("=", "+", "-", "@")


def organisations_for_export(*, listed_only: bool = True) -> QuerySet[Organisation]:
    queryset = Organisation.objects.all() if not listed_only else Organisation.objects.filter(listed_in_directory=True)
    return queryset.select_related("region").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.only("pk", "name_de").order_by("name_de")),
        Prefetch("needs", queryset=Need.objects.only("pk", "organisation_id", "title", "description").order_by("pk")),
        Prefetch("offers", queryset=Offer.objects.only("pk", "organisation_id", "title", "description").order_by("pk")),
        Prefetch("people", queryset=Person.objects.filter(is_contact=True).order_by("pk"), to_attr="contacts"),
    ).order_by("name", "pk")


def _yes_no(value: bool) -> str:
    return "ja" if value else "nein"


def export_table(organisations) -> tuple[list[str], list[list]]:
    """Header and rows (plain values) for the given organisations."""
    organisations = list(organisations)
    statements = max([1] + [max(len(o.needs.all()), len(o.offers.all()))
                                                         for o in organisations])
    headers = cols.template_headers(statements)
    rows = []
    for organisation in organisations:
        contact = organisation.contacts[0] if organisation.contacts else None
        row = [
            organisation.key, organisation.name, str(organisation.get_kind_display()), organisation.region.name,
            organisation.town, organisation.website,
            str(organisation.get_size_display()) if organisation.size else "",
            organisation.founded or "", organisation.about,
            "; ".join(t.name_de for t in organisation.topics.all()),
            contact.name if contact else "", contact.email if contact else "",
            contact.phone if contact else "", contact.position if contact else "",
        ]
        for items in (list(organisation.needs.all()), list(organisation.offers.all())):
            for index in range(statements):
                item = items[index] if index < len(items) else None
                row += [item.title if item else "", item.description if item else ""]
        row += [_yes_no(organisation.listed_in_directory), _yes_no(organisation.open_for_matching)]
        rows.append(row)
    return headers, rows


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    """Semicolon-separated UTF-8 with BOM: opens correctly in German Excel by double-click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_safe(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_safe(value):
    # A cell starting like a formula is prefixed with an apostrophe (CSV injection);
    # the importer removes it again.
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_xlsx(headers: list[str], rows: list[list], *, sheet_title: str = "Organisationen",
            notes: list[list[str]] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"      # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    if notes:
        info = workbook.create_sheet(_("Hinweise"))
        for line in notes:
            info.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_notes() -> list[list[str]]:
    """The explanation sheet of the XLSX template: columns, allowed values, regions, topics."""
    from matchwerk.profiles.enums import OrganisationKind, OrganisationSize

    lines = [[_("Vorlage für den Import von Organisationen")], [],
             [_("Eine Zeile pro Organisation. Pflichtspalten: Name, Art, Region. Erneuter Import mit demselben "
                "Schlüssel aktualisiert die Organisation. Leere Zellen ändern bestehende Angaben nicht.")],
             [_("Mehrere Themen mit „;“ trennen. Im Verzeichnis / Matching: ja oder nein.")], [],
             [_("Art"), _("Code")]]
    lines += [[str(kind.label), kind.value] for kind in OrganisationKind]
    lines += [[], [_("Größe"), _("Code")]] + [[str(size.label), size.value] for size in OrganisationSize]
    lines += [[], [_("Region"), _("Bundesland")]] + [[r.name, r.state] for r in Region.objects.order_by("name")]
    lines += [[], [_("Thema (deutsch)"), _("Thema (englisch)")]] + [
        [t.name_de, t.name_en] for t in Topic.objects.order_by("name_de")]
    return lines


def template_table() -> tuple[list[str], list[list]]:
    """The template's header and one example row (with an existing region and topics)."""
    headers = cols.template_headers()
    region = Region.objects.order_by("name").first()
    topics = list(Topic.objects.order_by("name_de")[:2])
    example = {
        "Schlüssel": "beispiel-gmbh", "Name": "Beispiel GmbH", "Art": "KMU", "Region": region.name if region else "",
        "Ort": "Musterstadt", "Website": "https://www.example.org", "Größe": 25, "Gründungsjahr": 2015,
        "Über uns": "Wir fertigen Möbel aus regionalem Holz.", "Themen": "; ".join(t.name_de for t in topics),
        "Ansprechperson": "Erika Musterfrau", "E-Mail": "erika@example.org", "Telefon": "0351 1234567",
        "Funktion": "Geschäftsführerin", "Bedarf 1 Titel": "Onlineshop aufbauen",
        "Bedarf 1 Beschreibung": "Wir möchten unsere Möbel auch online verkaufen.",
        "Angebot 1 Titel": "Holzverarbeitung", "Angebot 1 Beschreibung": "Prototypen und Kleinserien aus Holz.",
        "Im Verzeichnis": "ja", "Matching": "ja",
    }
    return headers, [[example.get(h, "") for h in headers]]
