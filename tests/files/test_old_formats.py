"""The facts of .xls and .ods sheets that python-calamine leaves out, from LibreOffice's files.

``tests/data/values/as-shown.xlsx`` (see ``scripts/make_value_workbooks.py``) is converted by
LibreOffice into .xls and .ods at test time, so the files are of LibreOffice's own making; the
facts of its sheets "Values" and "Links" are asserted whole. LibreOffice's "as shown" CSV
export of each converted file is the judge of the format codes: with ``numfmt`` they must give
the text LibreOffice shows. Then hand-made hostile inputs, which must give a bounded result
quickly.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
import zipfile
from array import array
from pathlib import Path

import pytest

from applinks.files import ods_cells, xls_cells
from applinks.files.cell_facts import CellFacts, NumberFormat, StyledColumn, by_column
from applinks.files.ods_cells import read_ods_facts
from applinks.files.xls_cells import read_xls_facts
from tests.files import biff_build as biff

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE = ROOT / "tests" / "data" / "values" / "as-shown.xlsx"
REDFIN = "https://www.redfin.com/MA/Boston/12-Elm-St-02134/home/1234567"
ZILLOW = "https://www.zillow.com/homedetails/59187422_zpid/"
#: soffice's CSV filter: comma, double quote, UTF-8, from row 1, ..., "save cell contents as
#: shown" (the 9th token).
AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
#: Seconds a hostile input may take (it takes well under one; the machine may be busy).
QUICK = 10.0

PHONE_XLS = '[<=9999999]###\\-####;\\(###") "###\\-####'
PHONE_ODS = "[<=9999999]#-####;(#) ###-####"


def not_general(number_format: NumberFormat) -> bool:
    """Want every format but General (a built-in id without a code counts as General)."""
    return number_format != "General" and not isinstance(number_format, int)


def builtin(num_fmt_id: int) -> str | None:
    return "General" if num_fmt_id == 0 else None


def codes_by_cell(facts: CellFacts) -> dict[tuple[int, int], NumberFormat]:
    """Return (row, column) -> format code of every styled cell."""
    return {
        (row, column): facts.formats[xf]
        for column, styled in facts.styled.items()
        for row, xf in zip(styled.rows, styled.xfs, strict=True)
    }


def _cells(columns: dict[int, str], rows: dict[int, list[int]]) -> dict[tuple[int, int], str]:
    return {(row, column): code for column, code in columns.items() for row in rows[column]}


_ROWS = {column: [2, 3, 4] for column in range(1, 12)} | {13: [2, 3], 14: [2, 3], 15: [2], 16: [2]}

#: The codes LibreOffice writes into the .xls, column by column of sheet "Values".
XLS_CODES = _cells(
    {
        1: "00000",
        2: "00000\\-0000",
        3: PHONE_XLS,
        4: "000\\-00\\-0000",
        5: "000000000",
        6: "@",
        7: "0%",
        8: "0.00%",
        9: "\\$#,##0.00",
        10: "#,##0",
        11: "0.00",
        13: "yyyy\\-mm\\-dd",
        14: "h:mm",
        15: "m/d/yyyy\\ h:mm",
        16: "[h]:mm:ss",
    },
    _ROWS,
)
#: The codes of the .ods data styles. Its dates carry their style (which says whether the time
#: of day is shown); times of day are the reader's; the duration is in ``values``.
ODS_CODES = {
    (2, 13): "yyyy-mm-dd",
    (3, 13): "yyyy-mm-dd",
    (2, 15): "m/d/yyyy h:mm",
} | _cells(
    {
        1: "00000",
        2: "00000-0000",
        3: PHONE_ODS,
        4: "000-00-0000",
        5: "000000000",
        6: "@",
        7: "0%",
        8: "0.00%",
        9: "$#,##0.00",
        10: "#,##0",
        11: "0.00",
    },
    _ROWS,
)
ERRORS = {(2, 17): "#N/A", (3, 17): "#DIV/0!"}
LINKS = {(2, 1): REDFIN, (2, 6): ZILLOW, (4, 6): ZILLOW}
#: The .ods booleans (LibreOffice writes the booleans of an .xlsx as TRUE() and FALSE()
#: formulas; the header "TRUE" of column T is one) and the duration 30:10:10.
ODS_VALUES = {
    (1, 19): True,
    (2, 18): True,
    (3, 18): False,
    (2, 16): dt.timedelta(hours=30, minutes=10, seconds=10),
}
READERS = {"xls": read_xls_facts, "ods": read_ods_facts}


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from tests.office import convert

    out = tmp_path_factory.mktemp("converted")
    return {suffix: convert(SOURCE, suffix, out) for suffix in READERS}


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("suffix", "codes", "values"),
    [("xls", XLS_CODES, {}), ("ods", ODS_CODES, ODS_VALUES)],
    ids=["xls", "ods"],
)
def test_values_sheet(
    converted: dict[str, Path],
    suffix: str,
    codes: dict[tuple[int, int], str],
    values: dict[tuple[int, int], object],
) -> None:
    facts = READERS[suffix](converted[suffix], "Values", wanted=not_general, builtin=builtin)
    assert codes_by_cell(facts) == codes
    assert set(facts.formats.values()) == set(codes.values())
    assert (facts.errors, facts.links, facts.values) == (by_column(ERRORS), {}, by_column(values))
    first = READERS[suffix](converted[suffix], wanted=not_general, builtin=builtin)
    assert first == facts  # the first sheet, as the reader loads it


@pytest.mark.libreoffice
@pytest.mark.parametrize("suffix", READERS)
def test_links_sheet(converted: dict[str, Path], suffix: str) -> None:
    facts = READERS[suffix](converted[suffix], "Links", wanted=not_general, builtin=builtin)
    expected = ({}, {}, by_column(LINKS), {})
    assert (codes_by_cell(facts), facts.errors, facts.links, facts.values) == expected


@pytest.mark.libreoffice
@pytest.mark.parametrize("suffix", READERS)
def test_a_sheet_that_is_not_there_gives_no_facts(converted: dict[str, Path], suffix: str) -> None:
    assert READERS[suffix](converted[suffix], "Nope", wanted=not_general) == CellFacts()


@pytest.mark.libreoffice
@pytest.mark.parametrize("suffix", READERS)
def test_codes_show_what_libreoffice_shows(
    converted: dict[str, Path], suffix: str, tmp_path: Path
) -> None:
    """Each styled number, rendered with its code, is the text LibreOffice shows for it."""
    numfmt = pytest.importorskip("applinks.numfmt")
    import python_calamine

    from tests.office import convert

    path = converted[suffix]
    facts = READERS[suffix](path, "Values", wanted=not_general, builtin=builtin)
    shown = convert(path, AS_SHOWN, tmp_path)
    with shown.open(encoding="utf-8", newline="") as handle:
        grid = list(csv.reader(handle))
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    numbers = book.get_sheet_by_name("Values").to_python()
    compared = {}
    for (row, column), code in codes_by_cell(facts).items():
        if numfmt.format_kind(code) not in numfmt.DATE_KINDS:
            value = numbers[row - 1][column]
            compared[row, column] = (numfmt.render_number(value, code), grid[row - 1][column])
    assert len(compared) == 33  # columns B to L, rows 2 to 4
    assert {cell: pair for cell, pair in compared.items() if pair[0] != pair[1]} == {}


# ---------------------------------------------------------------------------------------------
# Hostile .xls: the walk stops at the stream's end and after MAX_RECORDS records.

GLOBALS = biff.format_record(164, "00000") + biff.xf(0, style=True) + biff.xf(164)
WANTED_ZIP = {1: "00000"}


def _xls(tmp_path: Path, stream: bytes) -> Path:
    path = tmp_path / "hostile.xls"
    path.write_bytes(biff.compound_file(stream))
    return path


def _timed(read, *args, **kwargs) -> CellFacts:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    facts = read(*args, **kwargs)
    assert time.monotonic() - start < QUICK
    return facts


def _styled(rows: list[int], xfs: list[int]) -> StyledColumn:
    return StyledColumn(array("I", rows), array("I", xfs))


def test_xls_record_longer_than_the_stream(tmp_path: Path) -> None:
    cells = biff.number(1, 0, 1, 2134.0) + biff.record(biff.NUMBER, bytes(14), length=0xFFFF)
    path = _xls(tmp_path, biff.workbook(GLOBALS, [("Deals", cells + biff.number(2, 0, 1, 1.0))]))
    facts = _timed(read_xls_facts, path, wanted=not_general)
    assert facts == CellFacts(WANTED_ZIP, {0: _styled([2], [1])})


def test_xls_globals_record_longer_than_the_stream(tmp_path: Path) -> None:
    hostile = GLOBALS + biff.record(biff.XF, bytes(20), length=0xFFFF)
    path = _xls(tmp_path, biff.workbook(hostile, [("Deals", biff.number(1, 0, 1, 1.0))]))
    assert _timed(read_xls_facts, path, wanted=not_general) == CellFacts()


def test_xls_format_cut_by_continue(tmp_path: Path) -> None:
    """A code cut into CONTINUE records is put back together, whatever each piece's width."""
    globals_records = (
        biff.format_record(164, "00000-0000", cut=5)
        + biff.format_record(165, '"€"#,##0.00', wide=True, cut=3)
        # The width may change at the cut: one byte a character, then two; and the reverse.
        + biff.format_record(166, '#,##0.00 "€"', cut=9, rest_wide=True)
        + biff.format_record(167, '"€"#,##0', wide=True, cut=3, rest_wide=False)
        + biff.xf(0, style=True)
        + biff.xf(164)
        + biff.xf(165)
        + biff.xf(166)
        + biff.xf(167)
    )
    cells = biff.number(1, 0, 1, 21340123.0) + biff.number(1, 1, 2, 5.0)
    cells += biff.number(1, 2, 3, 5.0) + biff.number(1, 3, 4, 5.0)
    path = _xls(tmp_path, biff.workbook(globals_records, [("Deals", cells)]))
    facts = _timed(read_xls_facts, path, wanted=not_general)
    assert facts.formats == {
        1: "00000-0000",
        2: '"€"#,##0.00',
        3: '#,##0.00 "€"',
        4: '"€"#,##0',
    }


def test_xls_format_whose_continue_is_missing(tmp_path: Path) -> None:
    """A FORMAT record that ends before its code does, with no CONTINUE after it: the code is
    unknown, so ``wanted`` sees the format's id."""
    cut = biff.format_record(164, "00000-0000", cut=5).split(b"\x3c\x00", 1)[0]
    globals_records = cut + biff.xf(0, style=True) + biff.xf(164)
    path = _xls(tmp_path, biff.workbook(globals_records, [("Deals", biff.number(1, 0, 1, 5.0))]))
    seen: list[NumberFormat] = []
    facts = _timed(read_xls_facts, path, wanted=lambda f: seen.append(f) or True)
    assert (seen, facts.formats, facts.styled) == ([164], {1: 164}, {0: _styled([2], [1])})


def test_xls_format_with_endless_continue_records(tmp_path: Path) -> None:
    """A code that claims 65,535 characters over 9,000 CONTINUE records of one character."""
    flood = biff.record(biff.FORMAT, bytes([164, 0, 0xFF, 0xFF, 0]) + b"0")
    flood += biff.record(biff.CONTINUE, b"\x000") * 9_000
    globals_records = flood + biff.xf(0, style=True) + biff.xf(164)
    path = _xls(tmp_path, biff.workbook(globals_records, [("Deals", biff.number(1, 0, 1, 5.0))]))
    facts = _timed(read_xls_facts, path, wanted=not_general)
    assert facts == CellFacts()  # the code is unknown, and a bare id is not wanted


@pytest.mark.parametrize(
    "stream",
    [
        biff.workbook(biff.record(biff.FILEPASS, bytes(54)) + GLOBALS, [("Deals", b"")]),
        biff.bof(0x0005, version=0x0500) + biff.workbook(GLOBALS, [("Deals", b"")])[20:],
        bytes(4096),
    ],
    ids=["encrypted", "biff5", "zeros"],
)
def test_xls_that_cannot_be_read_gives_no_facts(tmp_path: Path, stream: bytes) -> None:
    assert _timed(read_xls_facts, _xls(tmp_path, stream), wanted=not_general) == CellFacts()


@pytest.mark.parametrize(
    "content", [b"", b"not a compound file" * 300, biff.compound_file(bytes(4096))[:1000]]
)
def test_xls_that_is_not_a_compound_file_gives_no_facts(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "book.xls"
    path.write_bytes(content)
    assert _timed(read_xls_facts, path, wanted=not_general) == CellFacts()


@pytest.mark.parametrize(
    "name", ["fuzz/ole-difat-oom.xls", "bad/ole-chain-loop.xls", "bad/xml-spreadsheet.xls"]
)
def test_xls_damaged_compound_files_give_no_facts(name: str) -> None:
    """Files of the hostile catalogue: a sector table that once exhausted memory, a chain that
    loops, an XML file named .xls."""
    path = ROOT / "tests" / "data" / name
    assert _timed(read_xls_facts, path, wanted=not_general) == CellFacts()


def test_xls_walk_stops_after_max_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cells = b"".join(biff.number(row, 0, 1, 5.0) for row in range(1, 3000))
    path = _xls(tmp_path, biff.workbook(GLOBALS, [("Deals", cells)]))
    monkeypatch.setattr(xls_cells, "MAX_RECORDS", 1000)
    facts = _timed(read_xls_facts, path, wanted=not_general)
    # 1,000 records in all: BOF and 6 of the globals, the sheet's BOF, then 992 cells.
    assert facts.styled[0] == _styled(list(range(2, 994)), [1] * 992)


def test_xls_link_over_the_whole_grid_is_left_out(tmp_path: Path) -> None:
    cells = biff.hlink((0, 0xFFFF, 0, 0xFF), url=ZILLOW) + biff.hlink((1, 1, 1, 1), url=REDFIN)
    path = _xls(tmp_path, biff.workbook(GLOBALS, [("Deals", cells)]))
    assert _timed(read_xls_facts, path).links == {1: {2: REDFIN}}


def test_xls_sheet_offset_past_the_stream(tmp_path: Path) -> None:
    stream = bytearray(biff.workbook(GLOBALS, [("Deals", biff.number(1, 0, 1, 5.0))]))
    at = stream.index(b"\x85\x00") + 4  # BOUNDSHEET8's lbPlyPos
    stream[at : at + 4] = (0x7FFFFFFF).to_bytes(4, "little")
    assert _timed(read_xls_facts, _xls(tmp_path, bytes(stream)), wanted=not_general) == CellFacts()


# ---------------------------------------------------------------------------------------------
# Hostile .ods: repeated rows and cells are counted, not built.

OFFICE = "urn:oasis:names:tc:opendocument:xmlns"
CONTENT_HEAD = (
    f'<office:document-content xmlns:office="{OFFICE}:office:1.0" '
    f'xmlns:table="{OFFICE}:table:1.0" xmlns:text="{OFFICE}:text:1.0" '
    f'xmlns:style="{OFFICE}:style:1.0" xmlns:number="{OFFICE}:datastyle:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3">'
    "<office:automatic-styles>"
    '<number:number-style style:name="N1"><number:number number:decimal-places="0" '
    'number:min-integer-digits="5"/></number:number-style>'
    '<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>'
    "</office:automatic-styles><office:body><office:spreadsheet>"
)
CONTENT_TAIL = "</office:spreadsheet></office:body></office:document-content>"
ZIP_CELL = '<table:table-cell table:style-name="ce1" office:value-type="float" office:value="7"/>'
HEADER_ROW = (
    '<table:table-row><table:table-cell office:value-type="string"><text:p>Zip</text:p>'
    "</table:table-cell></table:table-row>"
)


def ods(tmp_path: Path, tables: str, *, content: bytes | None = None) -> Path:
    """Write an .ods whose content.xml holds ``tables`` (or is ``content``)."""
    path = tmp_path / "book.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        text = content if content is not None else (CONTENT_HEAD + tables + CONTENT_TAIL).encode()
        archive.writestr("content.xml", text)
    return path


def _table(name: str, rows: str) -> str:
    return f'<table:table table:name="{name}">{rows}</table:table>'


def test_ods_rows_repeated_a_billion_times(tmp_path: Path) -> None:
    """A styled row repeated 10^9 times fills the grid to its last row, and no further."""
    rows = (
        HEADER_ROW
        + f'<table:table-row table:number-rows-repeated="1000000000">{ZIP_CELL}</table:table-row>'
        + f"<table:table-row>{ZIP_CELL}</table:table-row>"
    )
    facts = _timed(read_ods_facts, ods(tmp_path, _table("Deals", rows)), wanted=not_general)
    grid = range(2, 1_048_577)
    assert facts == CellFacts({1: "00000"}, {0: _styled(list(grid), [1] * len(grid))})


def test_ods_empty_rows_repeated_a_billion_times(tmp_path: Path) -> None:
    """Empty repeated rows and cells cost nothing; the cell after them is past the grid."""
    rows = (
        HEADER_ROW
        + '<table:table-row table:number-rows-repeated="1000000000">'
        + '<table:table-cell table:number-columns-repeated="1000000000"/></table:table-row>'
        + f"<table:table-row>{ZIP_CELL}</table:table-row>"
    )
    facts = _timed(read_ods_facts, ods(tmp_path, _table("Deals", rows)), wanted=not_general)
    assert facts == CellFacts()


def test_ods_repeats_stop_at_max_repeated_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row of 16,384 error cells repeated 10^9 times: the copies stop at the budget."""
    monkeypatch.setattr(ods_cells, "MAX_REPEATED_FACTS", 50_000)
    error = (
        '<table:table-cell table:number-columns-repeated="100000" office:value-type="string" '
        'calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>'
    )
    rows = f'<table:table-row table:number-rows-repeated="1000000000">{error}</table:table-row>'
    facts = _timed(read_ods_facts, ods(tmp_path, _table("Deals", rows)))
    # The first cell, 16,383 copies across (the grid's width), then 2 whole rows of copies:
    # 50,000 - 16,383 = 33,617 facts left, two rows of 16,384.
    expected = {(row, column): "#N/A" for row in (1, 2, 3) for column in range(16_384)}
    assert facts == CellFacts(errors=by_column(expected))


@pytest.mark.parametrize(
    "content",
    [
        (CONTENT_HEAD + _table("Deals", HEADER_ROW)).encode()[:-40],
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">'
        b"]><d>&b;</d>",
        b"\xff\xfe not xml",
    ],
    ids=["truncated", "entities", "not-xml"],
)
def test_ods_damaged_content_gives_no_facts(tmp_path: Path, content: bytes) -> None:
    assert _timed(read_ods_facts, ods(tmp_path, "", content=content)) == CellFacts()


def test_ods_that_is_not_a_package_gives_no_facts(tmp_path: Path) -> None:
    (tmp_path / "not-a-zip.ods").write_bytes(b"PK\x03\x04 not really a zip")
    with zipfile.ZipFile(tmp_path / "no-content.ods", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    for name in ("not-a-zip.ods", "no-content.ods", "missing.ods"):
        assert read_ods_facts(tmp_path / name) == CellFacts()
