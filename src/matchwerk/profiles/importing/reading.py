"""Reading an uploaded spreadsheet (XLSX or CSV) into a header row and data rows.

Nothing here knows about organisations: the result is a list of header cells and a list
of rows of cell values (strings, numbers, dates or None), each with its spreadsheet row
number (the header is row 1). Problems with the file as a whole raise ``FileProblem``
with a German message.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"
# An XLSX file is a zip of XML files; a small file can unpack to gigabytes (one huge
# shared string) or hold millions of cells. These limits are checked on the zip's
# directory and by counting cell elements in the unpacked stream, before any parsing.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024      # all members together
MAX_XLSX_MEMBER_BYTES = 100 * 1024 * 1024        # one sheet or the shared strings
MAX_XLSX_CELLS = 1_000_000                       # e.g. 20,000 rows × 50 filled columns
MAX_COLUMNS = 200                                # columns read per row
_ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")


def _count_cells(stream, limit: int) -> int:
    """Cell elements (``<c …>``, also with a namespace prefix) in a worksheet's unpacked
    XML, read in 1 MB chunks; stops once more than ``limit`` are seen."""
    cells, tail, tags = 0, b"", None
    while chunk := stream.read(1024 * 1024):
        data = tail + chunk
        if tags is None:
            found = _ROOT_PREFIX.search(data)
            prefix = (found.group(1) or b"") if found else b""
            tags = [b"<" + prefix + b"c" + end for end in (b">", b" ", b"/", b"\t", b"\n", b"\r")]
        cut = max(0, len(data) - 64)   # a tag cut at the chunk's end is counted with the next chunk
        head, tail = data[:cut], data[cut:]
        cells += sum(head.count(tag) for tag in tags)
        if cells > limit:
            return cells
    return cells + sum(tail.count(tag) for tag in tags or ())


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


def _xlsx_too_large() -> FileProblem:
    return FileProblem(_("Die Excel-Datei ist entpackt zu groß oder enthält zu viele Zellen (höchstens "
                         "%(cells)d Zellen und %(mb)d MB entpackt). Bitte teilen Sie sie in mehrere Dateien auf "
                         "oder speichern Sie sie als CSV-Datei.")
                       % {"cells": MAX_XLSX_CELLS, "mb": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)})


def _check_xlsx_size(content: bytes) -> None:
    """Refuse zip bombs and cell floods before openpyxl parses anything.

    The declared sizes in the zip directory are an upper bound (``zipfile`` never
    unpacks more than a member declares); the cells of every worksheet are counted in
    the unpacked stream, chunk by chunk, stopping as soon as the limit is passed.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileProblem(_("Die Excel-Datei ist beschädigt oder keine gültige .xlsx-Datei.")) from error
    if sum(m.file_size for m in members) > MAX_XLSX_UNPACKED_BYTES \
            or any(m.file_size > MAX_XLSX_MEMBER_BYTES for m in members):
        raise _xlsx_too_large()
    cells = 0
    try:
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                with archive.open(member) as stream:
                    cells += _count_cells(stream, MAX_XLSX_CELLS - cells)
                if cells > MAX_XLSX_CELLS:
                    raise _xlsx_too_large()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
        raise FileProblem(_("Die Excel-Datei ist beschädigt oder keine gültige .xlsx-Datei.")) from error
    if cells > MAX_XLSX_CELLS:
        raise _xlsx_too_large()


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    _check_xlsx_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise FileProblem(_("Die Excel-Datei ist beschädigt oder keine gültige .xlsx-Datei.")) from error
    try:
        sheet = workbook.worksheets[0]
        # The declared dimension ("A1:XFD20000") is not trusted: rows would be padded to it.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise FileProblem(_("Die Datei ist leer."))
        table = Table(headers=[_header(h) for h in headers[:MAX_COLUMNS]], file_format="xlsx")
        for number, cells in enumerate(rows, start=2):
            table.rows.append((number, list(cells[:MAX_COLUMNS])))
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
