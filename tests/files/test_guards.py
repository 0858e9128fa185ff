"""Guards that refuse hostile workbooks before a parser sees them, and the notes they add."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook

from applinks.errors import InputError
from applinks.files import guards
from applinks.files.read import read_table

SHEET = "xl/worksheets/sheet1.xml"


def _book(path: Path, rows: list[list[object]] | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Deals"
    for row in rows or [["Name", "Stage"], ["A", "Active"]]:
        sheet.append(row)
    workbook.save(path)
    return path


def _rewrite(path: Path, part: str, edit) -> Path:
    """Rewrite one part of a zip through ``edit(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = edit(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def _add_cells(xml: bytes, cells: str) -> bytes:
    return xml.replace(b"</sheetData>", cells.encode() + b"</sheetData>")


def test_dtd_in_a_part_is_refused(tmp_path: Path) -> None:
    path = _rewrite(
        _book(tmp_path / "b.xlsx"),
        SHEET,
        lambda xml: b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "x">]>' + xml,
    )
    with pytest.raises(InputError, match="XML document type declaration \\(in " + SHEET):
        read_table(path)


def test_entities_in_utf16_part_are_refused(tmp_path: Path) -> None:
    def edit(xml: bytes) -> bytes:
        text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY a "x">]>'
        text += xml.decode()
        return text.encode("utf-16")

    path = _rewrite(_book(tmp_path / "b.xlsx"), SHEET, edit)
    with pytest.raises(InputError, match="document type declaration"):
        read_table(path)


UTF16_DTD = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY a "x">]><w/>'


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?><!doctype w [<!entity a "x">]><w/>',  # any letter case
        b'<?xml version="1.0"?><!Entity a "x"><w/>',
        UTF16_DTD.encode("utf-16-le"),  # UTF-16 without a byte order mark
        UTF16_DTD.encode("utf-16-be"),
    ],
    ids=["doctype-lower-case", "entity-mixed-case", "utf-16-le", "utf-16-be"],
)
def test_every_spelling_of_an_entity_is_refused(head: bytes) -> None:
    with pytest.raises(InputError) as refused:
        guards.check_xml_prolog(head, path=Path("b.xlsx"), part=SHEET)
    assert str(refused.value) == (
        '"b.xlsx" contains an XML document type declaration (in xl/worksheets/sheet1.xml), '
        "which Excel never writes and which can be used to attack programs that read it; it "
        "was not opened. Open the file in Excel and save it again, or export it again."
    )


def test_a_doctype_without_entities_is_read(tmp_path: Path) -> None:
    """defusedxml's rule: a document type declaration is harmless until it declares entities
    (this one even names an external DTD, which no reader here fetches)."""
    path = _rewrite(
        _book(tmp_path / "b.xlsx"),
        SHEET,
        lambda xml: (
            b'<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "http://example.com/w.dtd">' + xml
        ),
    )
    table = read_table(path)
    assert (table.headers, list(table.rows)) == (["Name", "Stage"], [["A", "Active"]])


def test_cells_far_apart_are_refused_before_the_reader_allocates(tmp_path: Path) -> None:
    path = _rewrite(
        _book(tmp_path / "b.xlsx"),
        SHEET,
        lambda xml: _add_cells(xml, '<row r="900000"><c r="AZZ900000"><v>1</v></c></row>'),
    )
    with pytest.raises(InputError, match="spans 900,000 rows by 1,378 columns"):
        read_table(path)


def test_cell_past_column_xfd_is_refused(tmp_path: Path) -> None:
    path = _rewrite(
        _book(tmp_path / "b.xlsx"),
        SHEET,
        lambda xml: _add_cells(xml, '<row r="3"><c r="XFE3"><v>1</v></c></row>'),
    )
    with pytest.raises(InputError, match="past column XFD"):
        read_table(path)


def test_cell_past_the_last_excel_row_is_refused(tmp_path: Path) -> None:
    path = _rewrite(
        _book(tmp_path / "b.xlsx"),
        SHEET,
        lambda xml: _add_cells(xml, '<row r="1048577"><c r="A1048577"><v>1</v></c></row>'),
    )
    with pytest.raises(InputError, match="past row 1,048,576"):
        read_table(path)


def test_lower_case_references_count_too(tmp_path: Path) -> None:
    assert guards.column_number("xfd") == guards.EXCEL_MAX_COLUMNS
    path = _rewrite(
        _book(tmp_path / "b.xlsx"),
        SHEET,
        lambda xml: _add_cells(xml, '<row r="3"><c r="zzzz3"><v>1</v></c></row>'),
    )
    with pytest.raises(InputError, match="past column XFD"):
        read_table(path)


def test_wide_but_short_sheet_is_read(tmp_path: Path) -> None:
    """A 200-column sheet of two rows is fine: the exact last row is found."""
    header = ["Name"] + [f"C{i}" for i in range(199)]
    table = read_table(_book(tmp_path / "b.xlsx", [header, ["x"] * 200]))
    assert (table.width, len(table.rows)) == (200, 1)


def test_ratio_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _book(tmp_path / "b.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (2 * guards.MIB))
    monkeypatch.setattr(guards, "RATIO_FLOOR_BYTES", guards.MIB)
    with pytest.raises(InputError, match='part "xl/media/padding.bin" inflates 1,0[0-9]{2} times'):
        read_table(path)


def test_a_small_part_may_inflate_any_number_of_times(tmp_path: Path) -> None:
    """The ratio is checked from 16 MiB on: 2 MiB of zeros inflate a thousand times, harmlessly."""
    path = _book(tmp_path / "b.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (2 * 1024 * 1024))
    assert read_table(path).rows == [["A", "Active"]]


def test_an_empty_part_may_name_any_compression_method(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(zipfile.ZipInfo("xl/media/empty.bin"), b"", zipfile.ZIP_BZIP2)
    assert read_table(path).rows == [["A", "Active"]]
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(zipfile.ZipInfo("xl/media/full.bin"), b"x", zipfile.ZIP_BZIP2)
    with pytest.raises(InputError, match="is damaged or incomplete"):
        read_table(path)


def test_the_cell_limit_allows_80_million_cells_and_no_more() -> None:
    guards.check_extent(80, 1_000_000, sheet="Deals", path=Path("b.xlsx"))
    with pytest.raises(InputError) as refused:
        guards.check_extent(80, 1_000_001, sheet="Deals", path=Path("b.xlsx"))
    assert str(refused.value) == (
        '"b.xlsx" is too large to read safely (sheet "Deals" spans 1,000,001 rows by 80 '
        "columns; the limit is 80,000,000 cells); split it into smaller files, or open it in "
        "Excel and save it again if it should be small."
    )


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        ("MAX_ZIP_ENTRIES", 3, "parts inside, the limit is 3"),
        ("MAX_PART_BYTES", 1000, "inflates to 0.0 GiB"),
        ("MAX_TOTAL_BYTES", 1000, "its parts inflate to 0.0 GiB in total"),
        ("MAX_FILE_BYTES", 1000, "the limit is 0 GiB"),
    ],
    ids=["entries", "part", "total", "file"],
)
def test_size_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int, message: str
) -> None:
    monkeypatch.setattr(guards, limit, value)
    with pytest.raises(InputError, match=f"too large to read safely .*{message}"):
        read_table(_book(tmp_path / "b.xlsx"))


def test_formula_without_saved_result_is_noted(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", [["Name", "Price", "Tax"], ["A", 10, "=B2*0.2"]])
    table = read_table(path)
    assert table.rows == [["A", 10, None]]
    assert table.notes == [
        'Sheet "Deals" has 1 formula cell with no saved result (the file was not last saved by '
        "Excel), so it reads as empty; open the file in Excel, save it, and run this again to "
        "use their values."
    ]


def test_formula_with_saved_result_is_read_silently(tmp_path: Path) -> None:
    path = _rewrite(
        _book(tmp_path / "b.xlsx", [["Name", "Price", "Tax"], ["A", 10, "=B2*0.2"]]),
        SHEET,
        lambda xml: xml.replace(b"<f>B2*0.2</f><v /></c>", b"<f>B2*0.2</f><v>2</v></c>"),
    )
    table = read_table(path)
    assert (table.rows, table.notes) == ([["A", 10, 2]], [])


def test_a_formula_whose_saved_text_is_empty_has_its_result(tmp_path: Path) -> None:
    """=IF(A2="x","x","") shows nothing, and Excel and LibreOffice save that empty text as the
    formula's value (``<c t="str"><f>...</f><v></v></c>``): no note asks to save it again.
    The workbook is saved by LibreOffice, which calculates the formulas."""
    from tests.office import convert

    rows = [["Name", "Flag"], *([f"{n} Elm", f'=IF(A{n}="x","x","")'] for n in (2, 3, 4))]
    (tmp_path / "source").mkdir()
    saved = convert(_book(tmp_path / "source" / "f.xlsx", rows), "xlsx", tmp_path)
    with zipfile.ZipFile(saved) as package:
        assert package.read(SHEET).count(b't="str"><f') == 3  # (saved as text formulas)
    table = read_table(saved)
    assert (table.rows, table.notes) == ([["2 Elm", None], ["3 Elm", None], ["4 Elm", None]], [])


def test_hidden_first_sheet_is_read_and_noted(tmp_path: Path) -> None:
    workbook = Workbook()
    hidden = workbook.active
    hidden.title = "Old"
    hidden.append(["Name"])
    hidden.append(["from the hidden sheet"])
    hidden.sheet_state = "hidden"
    workbook.create_sheet("Deals").append(["Name"])
    workbook.active = 1
    workbook.save(tmp_path / "b.xlsx")
    table = read_table(tmp_path / "b.xlsx")
    assert (table.sheet, table.rows) == ("Old", [["from the hidden sheet"]])
    assert table.notes == [
        'Sheet "Old" is hidden in Excel; it is read because it is the first sheet. '
        "Use --sheet NAME to read another one."
    ]
    assert read_table(tmp_path / "b.xlsx", sheet="Deals").notes == []


def test_merged_header_cells_are_noted(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Deals"
    sheet.append(["Name", "Address", None])
    sheet.append(["A", "1 Main St", "Boston"])
    sheet.merge_cells("B1:C1")
    workbook.save(tmp_path / "b.xlsx")
    table = read_table(tmp_path / "b.xlsx")
    assert table.headers == ["Name", "Address", ""]
    assert table.notes == [
        "Header cells B1:C1 are merged, so only the first of those columns has a header and the "
        "others are read without one; unmerge them in Excel and give each column its own header."
    ]


def test_openpyxl_parses_through_defusedxml() -> None:
    """Any code path that opens a workbook with openpyxl refuses entities too."""
    import openpyxl
    from defusedxml import EntitiesForbidden
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
    bomb = Path(__file__).parent.parent / "data" / "bad" / "entity-bomb.xlsx"
    with pytest.raises(ValueError) as caught:
        openpyxl.load_workbook(bomb)
    assert isinstance(caught.value.__context__, EntitiesForbidden)


def test_calamine_does_not_expand_entities_even_unguarded(tmp_path: Path) -> None:
    """The guard refuses DTDs first; behind it, the reader refuses unknown entities anyway."""
    import python_calamine

    path = _rewrite(
        _book(tmp_path / "b.xlsx"),
        SHEET,
        lambda xml: (
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "EXPANDED">]>'
            + xml.replace(b"<t>A</t>", b"<t>&a;</t>")
        ),
    )
    with pytest.raises(python_calamine.CalamineError, match="unrecognized entity"):
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


@pytest.mark.parametrize("space", ["\n", "\t", "\r\n"], ids=["newline", "tab", "crlf"])
def test_references_after_any_white_space_are_found(tmp_path: Path, space: str) -> None:
    path = _rewrite(
        _book(tmp_path / "b.xlsx"),
        SHEET,
        lambda xml: _add_cells(xml, f'<row{space}r="3"><c{space}r="XFE3"><v>1</v></c></row>'),
    )
    with pytest.raises(InputError, match="past column XFD"):
        read_table(path)


def test_a_far_row_is_found_in_any_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan reads in chunks; a reference near a chunk's edge must not be missed."""
    monkeypatch.setattr(guards, "_CHUNK", 64)
    path = _rewrite(
        _book(tmp_path / "b.xlsx", [["Name", "Stage"]] + [["A", "Active"]] * 50),
        SHEET,
        lambda xml: _add_cells(xml, '<row r="1048577"><c r="A1048577"><v>1</v></c></row>'),
    )
    with pytest.raises(InputError, match="past row 1,048,576"):
        read_table(path)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # a row of seven digits named only by its <row> (its cell has no reference)
        ('<row r="1000001"><c><v>1</v></c></row>', guards.SheetScan(max_row=1000001)),
        ('<row r="3"><c r="AB3"><v>1</v></c></row>', guards.SheetScan(28, 0, 28, 0)),
        ('<row r="3"><c r="ab3"><v>1</v></c></row>', guards.SheetScan(28, 0, 28, 0)),
        ('<row r="3"><c r="XFD3" s="1"/></row>', guards.SheetScan(max_column=16384)),
        (
            '<row r="1000001"><c r="A1000001"><v>1</v></c></row>',
            guards.SheetScan(max_row=1000001, used_row=1000001),
        ),
        ('<row r="1000001"><c r="AB1000001"/></row>', guards.SheetScan(28, 1000001)),
        # near ones: one letter, six digits (they bound the rectangle well enough unparsed)
        ('<row r="999999"><c r="Z999999"><v>1</v></c></row>', guards.SheetScan()),
    ],
)
def test_far_references_are_noted_exactly(cells: str, expected: guards.SheetScan) -> None:
    first = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    xml = f"<worksheet><sheetData>{first}{cells}</sheetData></worksheet>"
    scan = guards.scan_sheet_xml(io.BytesIO(xml.encode()), sheet="Deals", path=Path("b.xlsx"))
    assert scan == expected


@pytest.mark.parametrize("chunk", [64, 256, 1 << 20])
def test_merges_after_many_rows_are_found_in_any_chunk(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Merges are searched after the chunk's last row, so page breaks after them (whose tag
    begins "<row" too) and a chunk boundary inside the rows must not hide them."""
    monkeypatch.setattr(guards, "_CHUNK", chunk)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 40))
    xml = (
        f"<worksheet><sheetData>{rows}</sheetData>"
        '<mergeCells count="2"><mergeCell ref="B1:C1"/><mergeCell ref="A39:B39"/></mergeCells>'
        '<rowBreaks count="1"><brk id="20" max="16383" man="1"/></rowBreaks></worksheet>'
    ).encode()
    scan = guards.scan_sheet_xml(io.BytesIO(xml), sheet="Deals", path=Path("b.xlsx"))
    assert scan == guards.SheetScan(merged=["B1:C1", "A39:B39"])


def _zip_crypto(data: bytes, password: bytes, check_byte: int) -> bytes:
    """Encrypt ``data`` with the zip format's own ("traditional PKWARE") cipher (APPNOTE 6.1):
    a 12-byte header whose last byte is ``check_byte``, then the data."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(byte: int) -> None:
        keys[0] = zlib.crc32(bytes([byte]), keys[0] ^ 0xFFFFFFFF) ^ 0xFFFFFFFF
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = zlib.crc32(bytes([keys[1] >> 24]), keys[2] ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    for byte in password:
        update(byte)
    out = bytearray()
    for plain in bytes(range(11)) + bytes([check_byte]) + data:
        temp = (keys[2] | 2) & 0xFFFF
        out.append(plain ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        update(plain)
    return bytes(out)


def _pkware_encrypted(source: Path, target: Path, password: bytes) -> Path:
    """Write ``source``'s parts to ``target``, each stored and encrypted with ``password``."""
    with zipfile.ZipFile(source) as book:
        parts = [(info.filename, book.read(info)) for info in book.infolist()]
    out = io.BytesIO()
    central = []
    for name, data in parts:
        crc = zlib.crc32(data)
        sealed = _zip_crypto(data, password, crc >> 24)
        encoded = name.encode()
        # version 2.0, flag bit 0 (encrypted), stored, 1980-01-01 00:00
        fields = struct.pack("<HHHHHIII", 20, 1, 0, 0, 0x21, crc, len(sealed), len(data))
        central.append((out.tell(), encoded, fields))
        out.write(b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + sealed)
    start = out.tell()
    for offset, encoded, fields in central:
        # made by version 2.0; no extra field, comment or attributes; where its header is
        tail = struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset)
        out.write(b"PK\x01\x02" + struct.pack("<H", 20) + fields + tail + encoded)
    size, count = out.tell() - start, len(parts)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, size, start, 0))
    target.write_bytes(out.getvalue())
    return target


def test_a_zip_encrypted_with_a_password_is_called_protected_not_damaged(tmp_path: Path) -> None:
    """A workbook zipped with a password by a zip tool (not Excel's own encryption, which is an
    OLE box): the user must hear that it is protected with a password, not that it is damaged."""
    path = _pkware_encrypted(_book(tmp_path / "plain.xlsx"), tmp_path / "locked.xlsx", b"secret")
    with zipfile.ZipFile(path) as locked, zipfile.ZipFile(tmp_path / "plain.xlsx") as plain:
        # A real encrypted zip: Python's own zip reader opens it with the password only.
        assert locked.read(SHEET, pwd=b"secret") == plain.read(SHEET)
        with pytest.raises(RuntimeError, match="password required"):
            locked.read(SHEET)
    with pytest.raises(InputError) as refused:
        read_table(path)
    assert str(refused.value) == (
        '"locked.xlsx" is protected with a password; open it, remove the password, save it and '
        "try again."
    )
