"""Building spreadsheets for the import tests (CSV bytes in any encoding, real XLSX files); no tests here."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

HEADERS = ["Schlüssel", "Name", "Art", "Region", "Ort", "Website", "Größe", "Gründungsjahr", "Über uns", "Themen",
           "Ansprechperson", "E-Mail", "Telefon", "Funktion", "Bedarf 1 Titel", "Bedarf 1 Beschreibung",
           "Angebot 1 Titel", "Angebot 1 Beschreibung", "Im Verzeichnis", "Matching"]


def org_row(n: int, **values) -> dict:
    row = {"Schlüssel": f"org-{n}", "Name": f"Organisation Nr. {n}", "Art": "KMU", "Region": "Dresden",
           "Ort": "Dresden", "Themen": "Digitalisierung; Tourismus", "Ansprechperson": f"Person {n}",
           "E-Mail": f"person{n}@example.org", "Bedarf 1 Titel": f"Bedarf von {n}",
           "Angebot 1 Titel": f"Angebot von {n}", "Im Verzeichnis": "ja", "Matching": "nein"}
    row.update(values)
    return row


def csv_bytes(rows: list[dict], headers=HEADERS, *, delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], headers=HEADERS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Organisationen")
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
