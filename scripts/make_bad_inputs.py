"""Make the catalogue of broken and hostile inputs in tests/data/bad/ and its docs page.

``python scripts/make_bad_inputs.py`` rewrites every file in ``tests/data/bad/`` and
``docs/bad-inputs.md``. The output is deterministic (fixed zip dates, seeded randomness, a
seeded salt for the encrypted workbook), so running it again changes nothing. It needs the
``dev`` extra (openpyxl, xlwt for the old ``.xls`` format, msoffcrypto-tool for the
password-protected workbook).

:data:`CATALOGUE` is the single source of truth: ``tests/files/test_bad_inputs.py`` runs the
command line on every entry and asserts the exit code and the exact message listed here, and a
test checks that ``docs/bad-inputs.md`` equals :func:`render_doc`.
"""

from __future__ import annotations

import io
import random
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
DOC = ROOT / "docs" / "bad-inputs.md"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

HEADERS = ["Name", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL"]
ROWS = [
    [
        "12 Elm St",
        "Active",
        "zillow.com",
        "59187422",
        "Zillow",
        "https://www.zillow.com/homedetails/59187422_zpid/",
    ],
    [
        "4 Oak Ave",
        "Potential",
        "zillow.com",
        "2077112233",
        "Zillow",
        "https://www.zillow.com/homedetails/2077112233_zpid/",
    ],
]


@dataclass(frozen=True)
class Entry:
    """One catalogue file and what ``applinks check FILE`` must do with it."""

    file: str
    what: str
    #: "refused" (exit 2, one sentence, nothing written) or "read".
    outcome: str
    #: Exit code of ``applinks check``.
    exit_code: int
    #: Refused: the exact sentence on stderr. Read: what the user is told, or "" for nothing.
    message: str


def _refused(name: str, what: str, message: str) -> Entry:
    return Entry(name, what, "refused", 2, message)


def _damaged(name: str) -> str:
    return (
        f'"{name}" is damaged or incomplete and cannot be opened as a workbook; download or '
        "export it again."
    )


def _too_large(name: str, what: str) -> str:
    return (
        f'"{name}" is too large to read safely ({what}); split it into smaller files, or open it '
        "in Excel and save it again if it should be small."
    )


def _dtd(name: str, part: str) -> str:
    return (
        f'"{name}" contains an XML document type declaration (in {part}), which Excel never '
        "writes and which can be used to attack programs that read it; it was not opened. Open "
        "the file in Excel and save it again, or export it again."
    )


def _web(name: str, what: str) -> str:
    return (
        f'"{name}" is {what}, so it cannot be read as a workbook; open it in Excel and save it '
        "as an Excel workbook (.xlsx), then try again."
    )


CATALOGUE: list[Entry] = [
    _refused(
        "empty.xlsx",
        "an empty file (0 bytes)",
        '"empty.xlsx" is empty (0 bytes); export or save it again.',
    ),
    _refused(
        "truncated.xlsx",
        "the first half of a real workbook (a download cut short)",
        _damaged("truncated.xlsx"),
    ),
    _refused(
        "random-bytes.xlsx",
        "4 KiB of random bytes",
        '"random-bytes.xlsx" is not an Excel workbook (its contents are not in any Excel '
        "format); open it in Excel and save it as .xlsx, or export it again.",
    ),
    _refused(
        "web-page.xlsx",
        "an HTML page saved as .xlsx",
        _web("web-page.xlsx", "a web page saved with a spreadsheet name"),
    ),
    _refused(
        "web-page.xls",
        "an HTML table saved as .xls (what many web apps call an Excel export)",
        _web("web-page.xls", "a web page saved with a spreadsheet name"),
    ),
    _refused(
        "xml-spreadsheet.xls",
        "an Excel 2003 XML spreadsheet saved as .xls",
        _web("xml-spreadsheet.xls", "an XML or web file saved with a spreadsheet name"),
    ),
    _refused(
        "not-a-workbook.xlsx",
        "a zip of text files, renamed .xlsx",
        '"not-a-workbook.xlsx" is a zip file but not an Excel workbook; save the sheet as .xlsx '
        "and try again.",
    ),
    _refused(
        "encrypted.xlsx",
        "a workbook protected with a password (Excel's File > Info > Protect Workbook > Encrypt)",
        '"encrypted.xlsx" is protected with a password; open it in Excel, remove the password '
        "(File > Info > Protect Workbook), save it and try again.",
    ),
    _refused(
        "entity-bomb.xlsx",
        'an XML entity-expansion bomb ("billion laughs") in the sheet',
        _dtd("entity-bomb.xlsx", "xl/worksheets/sheet1.xml"),
    ),
    _refused(
        "external-entity.xlsx",
        "an XML external entity that names a local file",
        _dtd("external-entity.xlsx", "xl/worksheets/sheet1.xml"),
    ),
    _refused(
        "zip-bomb.xlsx",
        "a zip bomb: under 1 MB on disk, six parts of 768 MiB each (4.5 GiB)",
        _too_large(
            "zip-bomb.xlsx",
            'part "xl/worksheets/sheet1.xml" inflates 1,028 times, more than any real workbook; '
            "it looks like a zip bomb",
        ),
    ),
    _refused(
        "zip-bomb-lying-size.xlsx",
        "a sheet that declares 40 KiB but inflates to 256 MiB",
        # (Read up to the size it declares, its bytes fail their checksum: that sheet is
        # damaged; another sheet of the package could be read.)
        'Sheet "Deals" of "zip-bomb-lying-size.xlsx" is damaged and cannot be read; open the '
        "file in Excel, save it again and try again.",
    ),
    _refused(
        "far-apart-cells.xlsx",
        "two cells, A1 and XFD1048576: a tiny file whose cell rectangle is 17 billion cells",
        _too_large(
            "far-apart-cells.xlsx",
            'sheet "Deals" spans 1,048,576 rows by 16,384 columns; the limit is 80,000,000 cells',
        ),
    ),
    _refused(
        "too-many-columns.xlsx",
        "a cell in column XFE, past Excel's last column (16,385 columns)",
        'Sheet "Deals" of "too-many-columns.xlsx" has a cell past column XFD (more than 16,384 '
        "columns, which Excel does not allow), so it was not made by Excel and is not read; "
        "export it again.",
    ),
    _refused(
        "too-many-columns.csv",
        "a CSV with 16,385 columns",
        '"too-many-columns.csv" has 16,385 columns, more than the 16,384 Excel allows; keep only '
        "the columns Cloze needs and try again.",
    ),
    _refused(
        "nul-bytes.csv",
        "a CSV with NUL bytes in it (a binary file named .csv)",
        '"nul-bytes.csv" contains NUL bytes, so it is not a plain CSV file; open it in Excel and '
        'save it as "CSV UTF-8".',
    ),
    _refused(
        "ole-chain-loop.xls",
        "an .xls whose directory sector chain loops back on itself (found by fuzzing)",
        _damaged("ole-chain-loop.xls"),
    ),
    _refused(
        "far-apart-cells.xlsb",
        "the same two far-apart cells in an Excel binary workbook",
        _too_large(
            "far-apart-cells.xlsb",
            'sheet "Deals" spans 1,048,576 rows by 16,384 columns; the limit is 80,000,000 cells',
        ),
    ),
    _refused(
        "repeated-cells.ods",
        "an OpenDocument sheet with one cell repeated 16 billion times",
        '"repeated-cells.ods" is damaged or not a workbook this tool can read; open it in Excel, '
        "save it as .xlsx and try again.",
    ),
    Entry("legacy.xls", "an Excel 97-2003 workbook (BIFF8)", "read", 0, "read like the .xlsx"),
    Entry("binary.xlsb", "an Excel binary workbook (.xlsb)", "read", 0, "read like the .xlsx"),
    Entry(
        "spreadsheet.ods",
        "an OpenDocument spreadsheet (LibreOffice)",
        "read",
        0,
        "read like the .xlsx",
    ),
    Entry(
        "utf16.csv",
        'a CSV in UTF-16 (Excel\'s "Unicode Text")',
        "read",
        0,
        'read; the summary says "read as UTF-16"',
    ),
    Entry(
        "cp1252.csv",
        'a CSV in Windows-1252 (Excel\'s "CSV (Comma delimited)")',
        "read",
        0,
        'read; the summary says "read as Windows-1252"',
    ),
    Entry(
        "ragged-rows.csv",
        "a CSV whose rows have fewer and more cells than the header",
        "read",
        0,
        "read as written: a short row ends early, an extra cell becomes a column without a header",
    ),
    Entry("header-only.xlsx", "a sheet with the header row and no data", "read", 0, "read: 0 rows"),
    Entry(
        "no-header.xlsx",
        "data from row 1, no header row",
        "read",
        1,
        "read; the check reports once that the sheet has no Name column (`name-column-missing`)",
    ),
    Entry(
        "duplicate-headers.xlsx",
        'two columns headed "Stage"',
        "read",
        1,
        "read; the check reports `header-duplicate`",
    ),
    Entry(
        "merged-header.xlsx",
        "header cells B1:C1 merged",
        "read",
        0,
        "Note: Header cells B1:C1 are merged, so only the first of those columns has a header "
        "and the others are read without one; unmerge them in Excel and give each column its "
        "own header.",
    ),
    Entry(
        "hidden-first-sheet.xlsx",
        "the first sheet is hidden",
        "read",
        0,
        'Note: Sheet "Old" is hidden in Excel; it is read because it is the first sheet. Use '
        "--sheet NAME to read another one.",
    ),
    Entry(
        "formula-cached.xlsx",
        "formula cells with saved results",
        "read",
        0,
        "read: the saved results",
    ),
    Entry(
        "formula-uncached.xlsx",
        "formula cells without saved results (written by a program, never opened in Excel)",
        "read",
        0,
        'Note: Sheet "Deals" has 2 formula cells with no saved result (the file was not last '
        "saved by Excel), so they read as empty; open the file in Excel, save it, and run this "
        "again to use their values.",
    ),
    Entry(
        "long-cell.xlsx",
        "a cell of 40,000 characters (Excel's limit is 32,767)",
        "read",
        0,
        "read whole and written unchanged",
    ),
]


# ---------------------------------------------------------------------------------------------
# Writers


def _zip(parts: dict[str, bytes], *, stored: tuple[str, ...] = ()) -> bytes:
    """Return a zip of ``parts`` in order, with fixed dates so the bytes never change."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


def _xlsx_parts(rows: list[list[object]], *, edit=None, sheets=None) -> dict[str, bytes]:
    """Return the parts of a workbook made by openpyxl, then passed through ``edit``."""
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = dt.datetime(2024, 1, 1)
    sheet = workbook.active
    sheet.title = "Deals"
    for row in rows:
        sheet.append(row)
    if sheets:
        sheets(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    # openpyxl stamps the save time; a fixed one keeps the bytes the same on every run.
    parts["docProps/core.xml"] = re.sub(
        rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
        rb"\g<1>2024-01-01T00:00:00Z",
        parts["docProps/core.xml"],
    )
    if edit:
        edit(parts)
    return parts


def _xlsx(rows: list[list[object]] | None = None, **kwargs) -> bytes:
    return _zip(_xlsx_parts([HEADERS, *ROWS] if rows is None else rows, **kwargs))


SHEET = "xl/worksheets/sheet1.xml"


def _sheet_edit(change):
    def edit(parts: dict[str, bytes]) -> None:
        parts[SHEET] = change(parts[SHEET])

    return edit


def _raw_zip(entries: list[dict]) -> bytes:
    """Write a zip by hand, so sizes and offsets can be what an attacker chooses.

    Each entry: name, data (compressed bytes), crc, size (declared uncompressed size), and
    optionally ``same_as``: reuse the local header of an earlier entry (overlapping entries).
    """
    out = bytearray()
    directory = bytearray()
    offsets: dict[str, int] = {}
    for entry in entries:
        name = entry["name"].encode()
        if "same_as" in entry:
            offset = offsets[entry["same_as"]]
        else:
            offset = offsets[entry["name"]] = len(out)
            out += struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21,
                entry["crc"], len(entry["data"]), entry["size"], len(name), 0,
            )  # fmt: skip
            out += name + entry["data"]
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21,
            entry["crc"], len(entry["data"]), entry["size"], len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        directory += name
    start = len(out)
    out += directory
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), start, 0
    )
    return bytes(out)


def _deflate_stream(head: bytes, unit: bytes, count: int, tail: bytes) -> tuple[bytes, int, int]:
    """Deflate head + unit * count + tail without holding it all; return data, crc, size."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = zlib.crc32(head)
    chunks = [packer.compress(head)]
    block = unit * 65536
    for _ in range(count // 65536):
        crc = zlib.crc32(block, crc)
        chunks.append(packer.compress(block))
    rest = unit * (count % 65536) + tail
    crc = zlib.crc32(rest, crc)
    chunks.append(packer.compress(rest))
    chunks.append(packer.flush())
    return b"".join(chunks), crc, len(head) + len(unit) * count + len(tail)


def _bomb_entries(sheet_data: tuple[bytes, int, int]) -> list[dict]:
    """Entries of a small real workbook whose sheet part is replaced by ``sheet_data``."""
    parts = _xlsx_parts([HEADERS])
    entries = []
    for name, data in parts.items():
        if name == SHEET:
            body, crc, size = sheet_data
        else:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            body, crc, size = packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)
        entries.append({"name": name, "data": body, "crc": crc, "size": size})
    return entries


def zip_bomb() -> bytes:
    """Six sheet parts of 768 MiB each that share one deflate stream: 4.5 GiB from < 1 MB.

    The sheet is valid XML: a row, then 768 MiB of blank space (which deflate packs best).
    """
    unit = b" "
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    head += b'<sheetData><row r="1"><c r="A1" t="n"><v>0</v></c></row>'
    tail = b"</sheetData></worksheet>"
    count = (768 * 2**20 - len(head) - len(tail)) // len(unit)
    entries = _bomb_entries(_deflate_stream(head, unit, count, tail))
    sheet = next(e for e in entries if e["name"] == SHEET)
    for number in range(2, 7):
        entries.append({**sheet, "name": f"xl/worksheets/sheet{number}.xml", "same_as": SHEET})
    return _raw_zip(entries)


def zip_bomb_lying_size() -> bytes:
    """A sheet part that says it is 40 KiB and inflates to 256 MiB."""
    unit = b" "
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    head += b"<sheetData>"
    data, crc, _ = _deflate_stream(head, unit, 256 * 2**20, b"</sheetData></worksheet>")
    entries = _bomb_entries((data, crc, 40 * 1024))
    return _raw_zip(entries)


def entity_bomb() -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    dtd = '<?xml version="1.0"?><!DOCTYPE worksheet [' + "".join(levels) + "]>"
    return _xlsx(
        edit=_sheet_edit(
            lambda xml: dtd.encode() + xml.replace(b"<t>12 Elm St", b"<t>&lol9;12 Elm St")
        )
    )


def external_entity() -> bytes:
    dtd = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return _xlsx(
        edit=_sheet_edit(lambda xml: dtd + xml.replace(b"<t>12 Elm St", b"<t>&x;12 Elm St"))
    )


def add_cells(cells: bytes):
    return _sheet_edit(lambda xml: xml.replace(b"</sheetData>", cells + b"</sheetData>"))


def encrypted() -> bytes:
    """Encrypt a real workbook with the password "secret", with a seeded salt."""
    import datetime as dt
    import secrets

    import msoffcrypto.format.ooxml
    from msoffcrypto.method.container import ecma376_encrypted

    class FixedClock(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # the container's timestamps
            return cls(2024, 1, 1)

    seeded = random.Random(6)
    real_bytes, real_clock = secrets.token_bytes, ecma376_encrypted.datetime
    secrets.token_bytes = lambda n=32: bytes(seeded.getrandbits(8) for _ in range(n))
    ecma376_encrypted.datetime = FixedClock
    try:
        plain = io.BytesIO(_xlsx())
        out = io.BytesIO()
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("secret", out)
    finally:
        secrets.token_bytes, ecma376_encrypted.datetime = real_bytes, real_clock
    return out.getvalue()


def legacy_xls() -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Deals")
    for r, row in enumerate([HEADERS, *ROWS]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ole_chain_loop() -> bytes:
    """The .xls above with its directory's sector chain pointing back at itself.

    A reader that follows chains to their end marker never gets there and runs out of memory
    (fuzzing found this with a one-byte change).
    """
    data = bytearray(legacy_xls())
    sector = 1 << int.from_bytes(data[30:32], "little")
    dir_start = int.from_bytes(data[48:52], "little")
    first_fat = int.from_bytes(data[76:80], "little")
    entry = (first_fat + 1) * sector + 4 * dir_start
    data[entry : entry + 4] = dir_start.to_bytes(4, "little")
    return bytes(data)


def _record(kind: int, body: bytes = b"") -> bytes:
    """One BIFF12 record: type and size as 7-bit variable-length numbers, then the body."""

    def varint(value: int) -> bytes:
        out = bytearray()
        while True:
            byte = value & 0x7F
            value >>= 7
            out.append(byte | (0x80 if value else 0))
            if not value:
                return bytes(out)

    return varint(kind) + varint(len(body)) + body


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def binary_xlsb() -> bytes:
    """A minimal Excel binary workbook (MS-XLSB): one sheet of text cells."""
    book = (
        _record(0x83)  # BrtBeginBook
        + _record(0x8F)  # BrtBeginBundleShs
        + _record(0x9C, struct.pack("<II", 0, 1) + _wide("rId1") + _wide("Deals"))  # BrtBundleSh
        + _record(0x90)  # BrtEndBundleShs
        + _record(0x84)  # BrtEndBook
    )
    rows = [HEADERS, *ROWS]
    cells = bytearray()
    for r, row in enumerate(rows):
        cells += _record(0x00, struct.pack("<IIHHBBI", r, 0, 300, 0, 0, 0, 0))  # BrtRowHdr
        for c, value in enumerate(row):
            cells += _record(0x06, struct.pack("<II", c, 0) + _wide(str(value)))  # BrtCellSt
    sheet = (
        _record(0x81)  # BrtBeginSheet
        + _record(0x94, struct.pack("<IIII", 0, len(rows) - 1, 0, len(HEADERS) - 1))  # BrtWsDim
        + _record(0x91)  # BrtBeginSheetData
        + bytes(cells)
        + _record(0x92)  # BrtEndSheetData
        + _record(0x82)  # BrtEndSheet
    )
    ns = "http://schemas.openxmlformats.org"
    rel = f"{ns}/officeDocument/2006/relationships"
    return _zip(
        {
            "[Content_Types].xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/'
                'content-types"><Default Extension="bin" ContentType="application/'
                'vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/'
                'vnd.ms-excel.worksheet"/></Types>'
            ).encode(),
            "_rels/.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/'
                f'2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                'Target="xl/workbook.bin"/></Relationships>'
            ).encode(),
            "xl/_rels/workbook.bin.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/'
                f'2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
                'Target="worksheets/sheet1.bin"/></Relationships>'
            ).encode(),
            "xl/workbook.bin": book,
            "xl/worksheets/sheet1.bin": sheet,
        }
    )


def xlsb_far_apart() -> bytes:
    """The .xlsb above plus one cell at XFD1048576: 17 billion cells between its corners."""
    data = binary_xlsb()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    far = _record(0x00, struct.pack("<IIHHBBI", 1048575, 0, 300, 0, 0, 0, 0))
    far += _record(0x06, struct.pack("<II", 16383, 0) + _wide("far"))
    end = _record(0x92)  # BrtEndSheetData
    parts["xl/worksheets/sheet1.bin"] = parts["xl/worksheets/sheet1.bin"].replace(end, far + end)
    return _zip(parts)


def ods_repeated() -> bytes:
    """The .ods above plus a row of 16,000 cells repeated a million times (16 billion cells)."""
    with zipfile.ZipFile(io.BytesIO(spreadsheet_ods())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["content.xml"] = parts["content.xml"].replace(
        b"</table:table>",
        b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        b'table:number-columns-repeated="16000" office:value-type="float" office:value="1"/>'
        b"</table:table-row></table:table>",
    )
    return _zip(parts, stored=("mimetype",))


def spreadsheet_ods() -> bytes:
    """A minimal OpenDocument spreadsheet: one table of text cells."""
    from xml.sax.saxutils import escape

    def row(values: list[str]) -> str:
        cells = "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
            "</table:table-cell>"
            for v in values
        )
        return f"<table:table-row>{cells}</table:table-row>"

    office = "urn:oasis:names:tc:opendocument:xmlns"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content xmlns:office="{office}:office:1.0" '
        f'xmlns:table="{office}:table:1.0" xmlns:text="{office}:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Deals">'
        + "".join(row(r) for r in [HEADERS, *ROWS])
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<manifest:manifest xmlns:manifest="{office}:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
        '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "META-INF/manifest.xml": manifest.encode(),
            "content.xml": content.encode(),
        },
        stored=("mimetype",),
    )


def _csv(rows: list[list[str]]) -> str:
    return "".join(",".join(row) + "\r\n" for row in rows)


def hidden_first_sheet(workbook) -> None:
    old = workbook.active
    old.title = "Old"
    old.sheet_state = "hidden"
    workbook.create_sheet("Deals").append(HEADERS)
    workbook.active = 1


def merged_header(workbook) -> None:
    sheet = workbook.active
    sheet.insert_cols(3)
    sheet["C1"] = None
    for row in range(2, 4):
        sheet.cell(row, 3, "Boston")
    sheet["B1"] = "Stage"
    sheet.merge_cells("B1:C1")


def cached_formulas(parts: dict[str, bytes]) -> None:
    xml = parts[SHEET]
    for row, value in ((2, b"450000"), (3, b"315000")):
        xml = xml.replace(
            f"<f>B{row}*0+{value.decode()}</f><v /></c>".encode(),
            f"<f>B{row}*0+{value.decode()}</f><v>{value.decode()}</v></c>".encode(),
        )
    parts[SHEET] = xml


def build() -> dict[str, bytes]:
    """Return every catalogue file's bytes, by name."""
    rng = random.Random(6)
    valid = _xlsx()
    formula_rows = [
        [*HEADERS, "Price"],
        [*ROWS[0], "=B2*0+450000"],
        [*ROWS[1], "=B3*0+315000"],
    ]
    files = {
        "empty.xlsx": b"",
        "truncated.xlsx": valid[: len(valid) // 2],
        "random-bytes.xlsx": bytes(rng.getrandbits(8) for _ in range(4096)),
        "web-page.xlsx": (
            b"<!DOCTYPE html>\n<html><head><title>Export</title></head><body><table>"
            b"<tr><td>Name</td><td>Stage</td></tr><tr><td>12 Elm St</td><td>Active</td></tr>"
            b"</table></body></html>\n"
        ),
        "web-page.xls": (
            b'<html xmlns:o="urn:schemas-microsoft-com:office:office">\n<body><table>'
            b"<tr><td>Name</td></tr><tr><td>12 Elm St</td></tr></table></body></html>\n"
        ),
        "xml-spreadsheet.xls": (
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Deals">'
            b'<Table><Row><Cell><Data ss:Type="String">Name</Data></Cell></Row></Table>'
            b"</Worksheet></Workbook>\n"
        ),
        "not-a-workbook.xlsx": _zip({"readme.txt": b"Hello\n", "data/list.txt": b"1\n2\n"}),
        "encrypted.xlsx": encrypted(),
        "entity-bomb.xlsx": entity_bomb(),
        "external-entity.xlsx": external_entity(),
        "zip-bomb.xlsx": zip_bomb(),
        "zip-bomb-lying-size.xlsx": zip_bomb_lying_size(),
        "far-apart-cells.xlsx": _xlsx(
            edit=add_cells(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
        ),
        "too-many-columns.xlsx": _xlsx(
            edit=add_cells(b'<row r="4"><c r="XFE4"><v>1</v></c></row>')
        ),
        "too-many-columns.csv": _csv(
            [HEADERS + [f"Extra {i}" for i in range(16385 - len(HEADERS))], ROWS[0]]
        ).encode(),
        "nul-bytes.csv": _csv([HEADERS, ROWS[0]]).encode().replace(b"Active", b"Act\0ive"),
        "ole-chain-loop.xls": ole_chain_loop(),
        "far-apart-cells.xlsb": xlsb_far_apart(),
        "repeated-cells.ods": ods_repeated(),
        "legacy.xls": legacy_xls(),
        "binary.xlsb": binary_xlsb(),
        "spreadsheet.ods": spreadsheet_ods(),
        "utf16.csv": _csv([HEADERS, *ROWS]).replace("12 Elm St", "12 Élan St").encode("utf-16"),
        "cp1252.csv": _csv([HEADERS, *ROWS]).replace("12 Elm St", "12 Élan St").encode("cp1252"),
        "ragged-rows.csv": _csv([HEADERS, ROWS[0][:4], [*ROWS[1], "an extra cell"]]).encode(),
        "header-only.xlsx": _xlsx([HEADERS]),
        "no-header.xlsx": _xlsx(ROWS),
        "duplicate-headers.xlsx": _xlsx(
            [[*HEADERS, "Stage"], [*ROWS[0], "Active"], [*ROWS[1], "Potential"]]
        ),
        "merged-header.xlsx": _xlsx(sheets=merged_header),
        "hidden-first-sheet.xlsx": _xlsx(sheets=hidden_first_sheet),
        "formula-cached.xlsx": _xlsx(formula_rows, edit=cached_formulas),
        "formula-uncached.xlsx": _xlsx(formula_rows),
        # openpyxl cuts text at Excel's limit, so the long text goes into the XML directly.
        "long-cell.xlsx": _xlsx(
            [[*HEADERS, "Notes"], [*ROWS[0], "LONG-CELL"], [*ROWS[1], "short"]],
            edit=_sheet_edit(lambda xml: xml.replace(b"LONG-CELL", LONG_TEXT.encode())),
        ),
    }
    assert list(files) == [e.file for e in CATALOGUE], "CATALOGUE and build() disagree"
    return files


#: 40,000 characters: more than Excel's 32,767 per cell, with accents and line breaks.
LONG_TEXT = ("Notes on the house: café, garden, garage.\n" * 1000)[:40_000]


#: Where the page's section on real-world files begins (scripts/corpus.py writes it).
CORPUS_HEADING = "## Real-world files"


def render_doc() -> str:
    """Return docs/bad-inputs.md: the catalogue as a table."""
    lines = [
        "# Broken and hostile inputs",
        "",
        "Every file below is in `tests/data/bad/`, made by `scripts/make_bad_inputs.py`; "
        "`tests/files/test_bad_inputs.py` runs `applinks check` and `applinks prepare` on each "
        "and asserts the exit code and the exact message shown here, that no output file "
        "appears for a refused file, and that the input is byte-for-byte unchanged. This page is "
        "generated from the same table, and a test keeps the two equal.",
        "",
        "*Refused* means exit code 2, one sentence on stderr, no traceback, nothing written. "
        "*Read* means the file is read correctly (exit code 0, or 1 when the check finds errors "
        "in the data); lines starting `Note:` are printed on stderr.",
        "",
        "| file | what it is | outcome | exit | what the user is told |",
        "|---|---|---|---|---|",
    ]
    for entry in CATALOGUE:
        message = entry.message.replace("|", "\\|")
        lines.append(
            f"| `{entry.file}` | {entry.what} | {entry.outcome} | {entry.exit_code} | {message} |"
        )
    lines += [
        "",
        "Choices made where a user could expect either:",
        "",
        "- `.xls`, `.xlsb` and `.ods` are read (python-calamine reads them well), with the same "
        "values as the `.xlsx`.",
        "- A hidden first sheet is still the first sheet, which is what Cloze imports, so it is "
        "read, and a note says it is hidden and how to choose another (`--sheet NAME`).",
        "- Formula cells are read as their saved results; no formula is ever calculated. When a "
        "file has formulas without saved results (written by a program and never opened in "
        "Excel), they read as empty and a note says how many and how to fix it.",
        "- Merged header cells: only the first column of the merge has a header (that is what "
        "the file holds); a note says so.",
        "- A cell longer than Excel's 32,767 characters is read whole and written to the CSV "
        "unchanged; nothing is cut.",
        "- More than 16,384 columns, or a cell past row 1,048,576, cannot come from Excel: "
        "refused.",
        "- Two cells far apart would make the reader allocate the whole rectangle between them; "
        "sheets spanning more than 80,000,000 cells are refused before reading (.xlsx, .xlsm, "
        ".xlsb; the .ods reader has its own limit of 100,000,000 cells, and .xls cannot be larger "
        "than 65,536 rows by 256 columns).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    BAD.mkdir(parents=True, exist_ok=True)
    for name, data in build().items():
        (BAD / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
    # The real-world section (written by scripts/corpus.py) is kept as it is.
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    kept = old[old.index(CORPUS_HEADING) :] if CORPUS_HEADING in old else ""
    DOC.write_text(render_doc() + ("\n" + kept if kept else ""), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
