"""Hostile XLSX files for the import tests, built in memory (never shipped): a 1.5 MB file
whose one shared string unpacks to 1.5 GB, and a small file with 100 × 16,384 cells.

The zip is written by hand so that a long run of identical data can be deflated once and
repeated (each piece ends in a full flush, which resets the compressor); its CRC-32 is
computed without touching 1.5 GB, since a CRC step over a fixed block is an affine map
of the register. No tests here.
"""

from __future__ import annotations

import struct
import zlib

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
ROOT_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
             f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Organisationen" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
                 f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                 f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                 '</Relationships>')


def _crc_of_repeats(block: bytes, count: int, crc: int) -> int:
    """zlib.crc32 of ``block`` repeated ``count`` times, continuing from ``crc``."""
    offset = zlib.crc32(block, 0)
    columns = [zlib.crc32(block, 1 << i) ^ offset for i in range(32)]
    for _ in range(count):
        value = offset
        for i in range(32):
            if crc >> i & 1:
                value ^= columns[i]
        crc = value
    return crc


def _member(head: bytes, block: bytes = b"", count: int = 0, tail: bytes = b"") -> tuple[bytes, int, int]:
    """(deflated data, CRC-32, unpacked size) of head + block × count + tail."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    if count:
        data += (compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)) * count
    data += compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(tail, _crc_of_repeats(block, count, zlib.crc32(head)))
    return data, crc, len(head) + len(block) * count + len(tail)


def _zip(members: dict[str, tuple[bytes, int, int]]) -> bytes:
    local, central = b"", b""
    for name, (data, crc, size) in members.items():
        encoded = name.encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                               len(encoded), 0, 0, 0, 0, 0, len(local)) + encoded
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size,
                             len(encoded), 0) + encoded + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    return local + central + end


def _workbook(sheet: tuple[bytes, int, int], shared: tuple[bytes, int, int]) -> bytes:
    return _zip({"[Content_Types].xml": _member(CONTENT_TYPES.encode()), "_rels/.rels": _member(ROOT_RELS.encode()),
                 "xl/workbook.xml": _member(WORKBOOK.encode()),
                 "xl/_rels/workbook.xml.rels": _member(WORKBOOK_RELS.encode()),
                 "xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": shared})


def huge_shared_string(megabytes: int = 1500) -> bytes:
    """A header "Name" and one data cell whose shared string is ``megabytes`` MB of "A"."""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
             '</sheetData></worksheet>').encode()
    head = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="2" uniqueCount="2">'
            '<si><t>Name</t></si><si><t>').encode()
    return _workbook(_member(sheet), _member(head, b"A" * (1 << 20), megabytes, b"</t></si></sst>"))


def cell_flood(rows: int = 100, columns: int = 16_384) -> bytes:
    """``rows`` rows of ``columns`` numeric cells each (cell references are optional in XLSX)."""
    head = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
            f'<dimension ref="A1:XFD{rows}"/><sheetData>').encode()
    row = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
    shared = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="0" uniqueCount="0"/>').encode()
    return _workbook(_member(head, row, rows, b"</sheetData></worksheet>"), _member(shared))
