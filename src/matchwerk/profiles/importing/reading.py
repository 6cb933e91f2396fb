"""Reading an uploaded spreadsheet (XLSX or CSV) into a header row and data rows.

Nothing here knows about organisations: the result is a list of header cells and a list
of rows of cell values (strings, numbers, dates or None), each with its spreadsheet row
number (the header is row 1). Problems with the file as a whole raise ``FileProblem``
with a German message.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is meant for the coordinator."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)   # (row number, cells)
    file_format: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    header_row: int = 1


def read_table(content: bytes, filename: str = "") -> Table:
    """Read XLSX or CSV bytes; the format is recognised from the content, not the name."""
    if not content or not content.strip():
        raise FileProblem(_("Die Datei ist leer."))
    if len(content) > MAX_FILE_BYTES:
        raise FileProblem(_("Die Datei ist größer als %(mb)d MB. Bitte teilen Sie sie in mehrere Dateien auf.")
                          % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    if content.startswith(XLSX_MAGIC):
        table = _read_xlsx(content)
    elif filename.lower().endswith((".xls", ".ods", ".numbers")) or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("Dieses Dateiformat wird nicht unterstützt. Bitte speichern Sie die Tabelle als "
                            "Excel-Arbeitsmappe (.xlsx) oder als CSV-Datei."))
    else:
        table = _read_csv(content)
    _skip_title_rows(table)
    # Empty rows (Excel often keeps formatted but empty rows) are not data.
    table.rows = [(number, cells) for number, cells in table.rows if any(_filled(c) for c in cells)]
    if not any(_filled(h) for h in table.headers):
        raise FileProblem(_("Die erste Zeile muss die Spaltenüberschriften enthalten, sie ist aber leer."))
    if not table.rows:
        raise FileProblem(_("Die Datei enthält Spaltenüberschriften, aber keine Datenzeilen."))
    if len(table.rows) > MAX_ROWS:
        raise FileProblem(_("Die Datei enthält %(rows)d Datenzeilen; höchstens %(max)d sind auf einmal möglich. "
                            "Bitte teilen Sie sie in mehrere Dateien auf.") % {"rows": len(table.rows), "max": MAX_ROWS})
    return table


def _skip_title_rows(table: Table) -> None:
    """Lists often start with a title ("Teilnehmende 2026") or empty lines above the
    headers: rows with at most one filled cell before the first wider row are skipped."""
    for _ in range(10):
        if sum(_filled(h) for h in table.headers) > 1 or not table.rows:
            return
        number, cells = table.rows.pop(0)
        table.headers, table.header_row = [_header(c) for c in cells], number


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise FileProblem(_("Die Excel-Datei ist beschädigt oder keine gültige .xlsx-Datei.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise FileProblem(_("Die Datei ist leer."))
        table = Table(headers=[_header(h) for h in headers], file_format="xlsx")
        for number, cells in enumerate(rows, start=2):
            table.rows.append((number, list(cells)))
            if len(table.rows) > MAX_ROWS + 1000:   # stop reading absurd files early
                break
    finally:
        workbook.close()
    return table


def _header(value) -> str:
    return "" if value is None else str(value).strip()


def _decode(content: bytes) -> tuple[str, str]:
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(_("Die Datei ist keine Textdatei (CSV) und keine Excel-Arbeitsmappe (.xlsx)."))
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Excel on Windows writes Windows-1252. Ask charset-normalizer, but only
    # accept single-byte Western encodings or UTF-16 (other guesses are noise for our data).
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    best = from_bytes(content[:200_000], cp_isolation=["cp1252", "latin_1", "iso8859_15", "utf_16"]).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        return content.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        try:
            return content.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as error:
            raise FileProblem(_("Die Zeichenkodierung der CSV-Datei wurde nicht erkannt. Bitte speichern Sie sie "
                                "als „CSV UTF-8“.")) from error


def _read_csv(content: bytes) -> Table:
    text, encoding = _decode(content)
    if "\x00" in text:
        raise FileProblem(_("Die Datei ist keine Textdatei (CSV) und keine Excel-Arbeitsmappe (.xlsx)."))
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader, None) or []
        table = Table(headers=[_header(h) for h in headers], file_format="csv", encoding=encoding,
                      delimiter=delimiter)
        for number, cells in enumerate(reader, start=2):
            table.rows.append((number, cells))
            if len(table.rows) > MAX_ROWS + 1000:
                break
    except csv.Error as error:
        raise FileProblem(_("Die CSV-Datei ist fehlerhaft (Zeile %(row)d): %(error)s")
                          % {"row": reader.line_num, "error": error}) from error
    return table
