"""A large sheet read in two halves (cut at a row, the second half parsed in a thread) gives the
same table, the same report and the same CSV for Cloze as the sheet read whole.

Each workbook is read twice in one process, as a command reads it (``read_then``, which reads
the workbook again, whole, when the halves ask it to): once with the halves forced, once whole.
A spy on :func:`applinks.files.xlsx_halves.split_sheet` proves the halves were really used (a
read that quietly fell back to the whole sheet would prove nothing), and that the sheets that
must not be cut were not. Each case is read with the second half parsed before any row is
given, and after the first row is given: which rows the reader has seen when the second half
arrives decides whether the halves must be read again, so both orders are fixed, not left to
timing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import sys
import threading
import weakref
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.styles import PatternFill
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from applinks.errors import ReadAgain
from applinks.files import guards, xlsx_halves, xlsx_in
from applinks.files.csv_out import write_cloze_csv
from applinks.files.read import read_then
from applinks.link_source import LinkSource
from applinks.operations import prepare
from applinks.table import Table
from tests.files.xlsx_package import MAIN, relationships, sheet_xml, write_package

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data"
ROWS = 600


@dataclasses.dataclass
class Reader:
    """Reads a workbook as a command does (:func:`~applinks.files.read.read_then`), with the
    halves forced or whole, and records what ``split_sheet`` gave and each read again."""

    monkeypatch: pytest.MonkeyPatch
    folder: Path
    #: For each call of ``split_sheet``: whether it gave a split (True) or None (False).
    splits: list[bool] = dataclasses.field(default_factory=list)
    #: How many times the halves asked for the workbook to be read again, whole.
    read_again: int = 0
    #: When the second half is parsed (see :meth:`second_half`), once it is fixed.
    order: str | None = None

    def halves(self, path: Path, **how: Any) -> tuple[Any, ...]:
        self.monkeypatch.setattr(xlsx_in, "HALVES_FROM", 0)
        return self._read(path, "halves", **how)

    def second_half(self, order: str) -> None:
        """Fix when the second half is parsed: ``"first"``, before any row is given; ``"late"``,
        once the first row is given (or after half a second, when the first half has none), so
        rows are given as narrow as the first half, as a large sheet's quick checks may well
        have them."""
        if self.order is not None:  # (once for a test: Hypothesis runs its body many times)
            assert order == self.order
            return
        self.order = order
        halves = xlsx_halves.TwoHalves
        parse, rows = halves.parse_second, halves.iter_rows
        lock = threading.Lock()
        events = weakref.WeakKeyDictionary[Any, threading.Event]()

        def event(sheet: Any) -> threading.Event:
            with lock:
                return events.setdefault(sheet, threading.Event())

        def parse_then_say(self: Any) -> None:
            try:
                parse(self)
            finally:
                event(self).set()

        def rows_once_parsed(self: Any) -> Iterator[list[Any]]:
            event(self).wait(5)
            yield from rows(self)

        def parse_once_given(self: Any) -> None:
            event(self).wait(0.5)
            parse(self)

        def first_then_rest(self: Any) -> Iterator[list[Any]]:
            made = rows(self)
            try:
                first = next(made)  # (which sees the second half not parsed yet)
            except StopIteration:
                return
            finally:
                event(self).set()
            yield first
            yield from made

        early = order == "first"
        parse_second = parse_then_say if early else parse_once_given
        self.monkeypatch.setattr(halves, "parse_second", parse_second)
        self.monkeypatch.setattr(
            halves, "iter_rows", rows_once_parsed if early else first_then_rest
        )

    def whole(self, path: Path, **how: Any) -> tuple[Any, ...]:
        self.monkeypatch.setattr(xlsx_in, "HALVES_FROM", 1 << 62)
        return self._read(path, "whole", **how)

    def _read(
        self,
        path: Path,
        way: str,
        *,
        sheet: str | None = None,
        link_columns: tuple[str, ...] = (),
        source: LinkSource | None = None,
    ) -> tuple[Any, ...]:
        seen: list[tuple[Any, ...]] = []

        def run(reading: Callable[[], Table]) -> int:
            seen.append(self._outcome(reading(), path.stem + "-" + way, source))
            return 0

        assert read_then(path, run, sheet=sheet, link_columns=link_columns) == 0
        (outcome,) = seen
        return outcome

    def _outcome(self, table: Table, name: str, source: LinkSource | None) -> tuple[Any, ...]:
        """Return the table's parts, the prepared CSV's bytes and the report's issues."""
        rows = [list(row) for row in table.rows]
        seen = (
            table.headers,
            rows,
            table.header_row,
            table.rows_above,
            table.unused_columns,
            table.notes,
            table.links,
        )
        # Rows read on demand are made afresh on each pass, and may be counted and indexed.
        middle = len(rows) // 2
        at = sorted({0, middle - 1, middle, middle + 1, len(rows) - 1} & set(range(len(rows))))
        again = ([list(row) for row in table.rows], len(table.rows), [table.rows[i] for i in at])
        result = prepare(table, source)
        written = write_cloze_csv(result.table, self.folder / f"{name}.csv", force=True)
        report = result.report
        issues = [dataclasses.astuple(issue) for issue in report.issues]
        return (*seen, *again, written.read_bytes(), issues, report.rows, report.blank_rows)


@pytest.fixture
def reader(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Reader:
    """Make every workbook take the halves' path where the halves are on (see ``Reader``)."""
    made = Reader(monkeypatch, tmp_path / "out")
    made.folder.mkdir()
    real = xlsx_halves.split_sheet

    def spy(*args: Any, **kwargs: Any) -> Any:
        split = real(*args, **kwargs)
        made.splits.append(split is not None)
        return split

    class Counted(ReadAgain):
        def __init__(self, *args: object) -> None:
            super().__init__(*args)
            made.read_again += 1

    monkeypatch.setattr(xlsx_halves, "ReadAgain", Counted)
    # The module's name and any module that imported it by name.
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("applinks") and (
            getattr(module, "split_sheet", None) is real
        ):
            monkeypatch.setattr(module, "split_sheet", spy)
    monkeypatch.setattr(xlsx_in, "PARSE_BESIDE_FROM", 0)
    monkeypatch.setattr(xlsx_in.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("APPLINKS_WORKERS", "1")
    return made


# Workbooks written by openpyxl (shared strings, styles, as a spreadsheet program writes them).

DATE = "yyyy-mm-dd"
HEADERS = ["Name", "Zillow ID", "Price", "Baths", "Listed", "Zip", "Notes"]


def _listing(i: int, rng: random.Random) -> list[Any]:
    """Return the cells of one listing; about one cell in ten is empty."""
    cells: list[Any] = [
        f"Home {i}",
        rng.choice([1_000_000 + i, str(2_000_000 + i), f"{i}a", 1_000_000 + i]),
        rng.choice([350_000 + i * 7, 349_999.5 + i, 0.1 + 0.2 + i]),
        rng.choice([1, 2.5, 3, 1.75]),
        dt.datetime(2024, 1, 1) + dt.timedelta(days=i % 400, hours=(i % 3) * 6),
        rng.choice([2134, 90210, 501, 1001]),
        rng.choice(["", "corner lot", "Pool, garage", 'say "hi"', "line\nbreak", "née"]),
    ]
    return [None if rng.random() < 0.1 else c for c in cells]


def _sheet_of_listings(
    sheet: Any, *, first_row: int = 1, first_column: int = 1, rows: int = ROWS, seed: int = 1
) -> None:
    """Write the header and ``rows`` listings from ``first_row``, ``first_column`` on."""
    rng = random.Random(seed)
    for offset, text in enumerate(HEADERS):
        sheet.cell(first_row, first_column + offset, text)
    for i in range(1, rows + 1):
        for offset, value in enumerate(_listing(i, rng)):
            if value is None or value == "":
                continue
            cell = sheet.cell(first_row + i, first_column + offset, value)
            if offset == 4:
                cell.number_format = DATE
            elif offset == 5:
                cell.number_format = "00000"


def _saved(book: Any, path: Path) -> Path:
    book.save(path)
    return path


def plain(path: Path) -> Path:
    """Header in row 1, 600 listings: text, ids, prices, dates, zips under 00000, gaps."""
    book = openpyxl.Workbook()
    _sheet_of_listings(book.active)
    return _saved(book, path)


def rows_above_and_columns_left(path: Path) -> Path:
    """A title in row 1, the header in row 4 from column C."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Listings export"
    _sheet_of_listings(sheet, first_row=4, first_column=3)
    return _saved(book, path)


def left_edge_only_in_second_half(path: Path) -> Path:
    """Data from column C, but one cell of column A far down: the sheet starts at column A for
    the whole sheet, at column C for its first half."""
    book = openpyxl.Workbook()
    sheet = book.active
    _sheet_of_listings(sheet, first_column=3)
    sheet.cell(ROWS - 20, 1, "stray")
    return _saved(book, path)


def left_edge_only_in_first_half(path: Path) -> Path:
    """Data from column C, one cell of column A near the top: the second half starts at C."""
    book = openpyxl.Workbook()
    sheet = book.active
    _sheet_of_listings(sheet, first_column=3)
    sheet.cell(5, 1, "stray")
    return _saved(book, path)


def _last_column(path: Path, *, header: str | None, rows: range) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    _sheet_of_listings(sheet)
    column = len(HEADERS) + 1
    if header is not None:
        sheet.cell(1, column, header)
    for row in rows:
        sheet.cell(row, column, f"extra {row}")
    return _saved(book, path)


def last_column_first_half(path: Path) -> Path:
    return _last_column(path, header="Extra", rows=range(2, 200))


def last_column_second_half(path: Path) -> Path:
    return _last_column(path, header="Extra", rows=range(420, ROWS + 1))


def unheaded_column_first_half(path: Path) -> Path:
    return _last_column(path, header=None, rows=range(2, 200, 3))


def unheaded_column_second_half(path: Path) -> Path:
    return _last_column(path, header=None, rows=range(420, ROWS + 1, 3))


def _with_gap(path: Path, gap: range, *, styled_gap: bool = False, styled_end: int = 0) -> Path:
    """Listings with the rows of ``gap`` empty (styled only, when ``styled_gap``), and
    ``styled_end`` styled empty rows after the last listing."""
    book = openpyxl.Workbook()
    sheet = book.active
    _sheet_of_listings(sheet)
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in gap:
        for column in range(1, len(HEADERS) + 1):
            sheet.cell(row, column).value = None
            if styled_gap:
                sheet.cell(row, column).fill = fill
    for row in range(ROWS + 2, ROWS + 2 + styled_end):
        for column in range(1, len(HEADERS) + 3):
            sheet.cell(row, column).fill = fill
    return _saved(book, path)


def gap_in_the_middle(path: Path) -> Path:
    return _with_gap(path, range(251, 351))


def gap_ending_at_the_middle(path: Path) -> Path:
    return _with_gap(path, range(201, 301))


def gap_starting_at_the_middle(path: Path) -> Path:
    return _with_gap(path, range(301, 401))


def styled_gap_and_styled_end(path: Path) -> Path:
    return _with_gap(path, range(251, 351), styled_gap=True, styled_end=150)


def second_half_only_styled(path: Path) -> Path:
    """All the listings in the first half; the rest of the sheet is styled empty rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    _sheet_of_listings(sheet, rows=250)
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(260, 900):
        for column in range(1, 12):
            sheet.cell(row, column).fill = fill
    return _saved(book, path)


def header_empty_at_the_end(path: Path) -> Path:
    """Headers A-C with C empty; column C has data only in the second half, D none at all."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Zillow ID", None])
    for i in range(2, ROWS + 2):
        sheet.append([f"Home {i}", 1_000_000 + i, f"c{i}" if i > 450 and i % 7 else None])
    return _saved(book, path)


def header_blank_at_the_end(path: Path) -> Path:
    """Headers A-B, then a header cell that shows nothing (a space); data in column E only, in
    the second half: the table's width is found by a pass over every row."""
    return _far_right(path, " ", lambda i: f"e{i}")


def header_empty_data_far_right(path: Path) -> Path:
    """Headers A-B, then an empty header C; data in column E only, in the second half."""
    return _far_right(path, "", lambda i: i * 1.5)


def _far_right(path: Path, third_header: str, value: Callable[[int], object]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Zillow ID", third_header])
    for i in range(2, ROWS + 2):
        sheet.append([f"Home {i}", 1_000_000 + i])
        if i > 500 and i % 11 == 0:
            sheet.cell(i, 5, value(i))
    return _saved(book, path)


def date_1904(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    _sheet_of_listings(book.active, seed=7)
    return _saved(book, path)


LINKED = ["Name", "App Unique ID", "App Content URL", "Listing", "City", "State"]


def links_and_merges(path: Path) -> Path:
    """Hyperlinks in App Content URL and Listing, in both halves; merged cells in the header,
    across the middle and near the end."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(LINKED)
    for i in range(2, ROWS + 2):
        sheet.append([f"Home {i}", None, None, None, "Boston", "MA"])
        if i % 3:
            url = sheet.cell(i, 3, f"open {i}")
            url.hyperlink = f"https://www.zillow.com/homedetails/{1_000_000 + i}_zpid/"
        if i % 5 != 1:
            listing = sheet.cell(i, 4, f"listing {i}" if i % 2 else None)
            listing.hyperlink = f"https://www.zillow.com/homedetails/{2_000_000 + i}_zpid/"
    sheet.merge_cells("E1:F1")
    sheet.merge_cells("E280:F330")
    sheet.merge_cells("A590:B595")
    return _saved(book, path)


def second_sheet_by_name(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "First"
    first.append(["Name", "Phone"])
    first.append(["Elm St", 6175550100])
    _sheet_of_listings(book.create_sheet("Second"), seed=3)
    return _saved(book, path)


def odd_sheet_name(path: Path) -> Path:
    """The data sheet's name needs escaping in XML."""
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.active["A1"] = "see the next sheet"
    _sheet_of_listings(book.create_sheet("R&D <'Deals'>"), seed=4)
    return _saved(book, path)


def hidden_first_sheet(path: Path) -> Path:
    """The first sheet is hidden (a note says so) and is the one read."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Hidden data"
    _sheet_of_listings(sheet, seed=5)
    sheet.sheet_state = "hidden"
    book.create_sheet("Visible")["A1"] = "x"
    return _saved(book, path)


def formulas_without_results(path: Path) -> Path:
    """openpyxl saves formulas without results: some in each half (a note counts them)."""
    book = openpyxl.Workbook()
    sheet = book.active
    _sheet_of_listings(sheet, seed=6)
    for row in (10, 11, 400, 598):
        sheet.cell(row, 3, f"=D{row}*2")
    return _saved(book, path)


def tiny(path: Path) -> Path:
    book = openpyxl.Workbook()
    _sheet_of_listings(book.active, rows=2)
    return _saved(book, path)


# Workbooks written by hand (parts no spreadsheet program writes this way).


@dataclasses.dataclass(frozen=True)
class Xml:
    """A cell written as it is: ``kind`` is its t= (or ""), ``inner`` its contents."""

    kind: str
    inner: str


def _cell(ref: str | None, value: Any, *, p: str = "", style: int | None = None) -> str:
    at = f' r="{ref}"' if ref else ""
    s = f' s="{style}"' if style is not None else ""
    if value is None:
        return f"<{p}c{at}{s}/>"
    if isinstance(value, Xml):
        kind = f' t="{value.kind}"' if value.kind else ""
        return f"<{p}c{at}{s}{kind}>{value.inner}</{p}c>"
    if isinstance(value, bool):
        return f'<{p}c{at}{s} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if isinstance(value, int | float):
        return f"<{p}c{at}{s}><{p}v>{value!r}</{p}v></{p}c>"
    text = escape(str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<{p}c{at}{s} t="inlineStr"><{p}is><{p}t{space}>{text}</{p}t></{p}is></{p}c>'


def _column(number: int) -> str:
    return openpyxl.utils.get_column_letter(number)


def _rows_xml(
    rows: list[list[Any]],
    *,
    p: str = "",
    numbered: bool = True,
    styles: dict[int, int] | None = None,
    between: str = "",
    empty: Callable[[int], str] | None = None,
) -> str:
    """Return <row> elements for ``rows`` (sheet rows from 1); ``styles``: column -> style;
    ``empty(row)`` writes a row with no cells (None: left out)."""
    out: list[str] = []
    for number, cells in enumerate(rows, 1):
        written = [
            _cell(
                f"{_column(col)}{number}" if numbered else None,
                value,
                p=p,
                style=(styles or {}).get(col) if number > 1 else None,
            )
            for col, value in enumerate(cells, 1)
            if value is not None or not numbered
        ]
        if not any(v is not None for v in cells):
            if empty is not None:
                out.append(empty(number))
            elif not numbered:
                out.append(f"<{p}row/>")  # (rows without r= count by position)
            continue
        at = f' r="{number}"' if numbered else ""
        out.append(f"<{p}row{at}>{between}{between.join(written)}</{p}row>")
    return between.join(out)


def _grid(rows: int = ROWS) -> list[list[Any]]:
    """Header and listings for the hand-written sheets: text, ids, floats, dates (style 1 and
    built-in 14 as serial numbers), zips, and cells of other kinds."""
    grid: list[list[Any]] = [["Name", "Zillow ID", "Price", "Listed", "Seen", "Flag", "Notes"]]
    rng = random.Random(11)
    for i in range(1, rows + 1):
        grid.append(
            [
                f"Home {i}" if i % 13 else f" Home {i} & <co> ",
                1_000_000 + i if i % 17 else f"{i}x",
                rng.choice([1.5, 350_000, 0.1 + 0.2, 1e20]),
                45_000 + i,
                45_000.25 + i if i % 4 else None,
                i % 2 == 0 if i % 9 else None,
                rng.choice([None, "n\u00e9e", "a, b", ""]),
            ]
        )
    return grid


DATE_STYLES = {4: 1, 5: 3}


def inline_strings(path: Path) -> Path:
    """Every text cell an inline string (t="inlineStr"), no shared strings part; some in runs
    of rich text."""
    grid = _grid()
    for i in range(2, ROWS, 7):
        grid[i][0] = Xml(
            "inlineStr", f"<is><r><t>Ho</t></r><r><rPr><b/></rPr><t>me {i}</t></r></is>"
        )
    return write_package(path, {"Sheet1": sheet_xml(_rows_xml(grid, styles=DATE_STYLES))})


def sheet_part_elsewhere(path: Path) -> Path:
    """The worksheet is not xl/worksheets/sheetN.xml, and its relationship's target is absolute."""
    part = "xl/sheets/listings.xml"
    rels = relationships(
        ("rId1", "worksheet", "/xl/sheets/listings.xml", False),
        ("rIdStyles", "styles", "/xl/styles.xml", False),
    )
    write_package(path, {"Listings": sheet_xml(_rows_xml(_grid(), styles=DATE_STYLES))})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = parts.pop("xl/worksheets/sheet1.xml")
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sheets/listings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def names_taken(path: Path) -> Path:
    """The names the second half would take are taken: sheets "applinks 2" and "applinks 3",
    and a part xl/worksheets/applinks-second-half.xml (the other sheet's)."""
    other = sheet_xml(_rows_xml([["Name", "Phone"], ["Elm St", 6175550100]]))
    write_package(
        path, {"applinks 2": sheet_xml(_rows_xml(_grid(), styles=DATE_STYLES)), "applinks 3": other}
    )
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/applinks-second-half.xml"] = parts.pop("xl/worksheets/sheet2.xml")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"worksheets/sheet2.xml", b"worksheets/applinks-second-half.xml"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _styled_only(sheet: Any) -> None:
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(1, ROWS + 1):
        for column in range(1, 8):
            sheet.cell(row, column).fill = fill


def empty_first_sheet(path: Path) -> Path:
    """The first sheet has hundreds of styled rows and no value: the sentence names the sheet
    that has data."""
    book = openpyxl.Workbook()
    book.active.title = "Styled"
    _styled_only(book.active)
    _sheet_of_listings(book.create_sheet("Data"))
    return _saved(book, path)


def empty_first_sheet_data_low(path: Path) -> Path:
    """An empty first sheet, and a second whose header is below the middle of its XML: the
    sentence names the second sheet (its rows are looked at to find that it has data)."""
    book = openpyxl.Workbook()
    book.active.title = "Styled"
    _styled_only(book.active)
    _listings_low(book.create_sheet("Data"), seed=9)
    return _saved(book, path)


def stored_parts(path: Path) -> Path:
    """The listings of ``plain`` in a package whose parts are stored, not compressed."""
    plain(path)
    with zipfile.ZipFile(path) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts:
            archive.writestr(name, data)
    return path


def empty_named_sheet(path: Path) -> Path:
    book = openpyxl.Workbook()
    _sheet_of_listings(book.active)
    _styled_only(book.create_sheet("Styled"))
    return _saved(book, path)


def namespace_prefix(path: Path) -> Path:
    """The worksheet's elements carry a prefix (x:), with parts before and after sheetData."""
    rows = _rows_xml(_grid(), p="x:", styles=DATE_STYLES)
    head = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<x:worksheet xmlns:x="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><x:dimension ref="A1:G601"/>'
        '<x:sheetViews><x:sheetView workbookViewId="0"/></x:sheetViews>'
        '<x:sheetFormatPr defaultRowHeight="15"/>'
    )
    tail = '<x:mergeCells count="1"><x:mergeCell ref="G300:G305"/></x:mergeCells>'
    xml = f"{head}<x:sheetData>{rows}</x:sheetData>{tail}</x:worksheet>"
    return write_package(path, {"Sheet1": xml})


def pretty_printed(path: Path) -> Path:
    """Line breaks and indents between rows and cells, rows with no cells (<row r=".."/>)
    through the middle, and cells of every kind: booleans, errors, t="d" dates, formulas with
    their results and without, text formulas (t="str"), a declared dimension wider than the
    data."""
    grid = _grid()
    for row in range(280, 330):
        grid[row - 1] = [None] * 7
    grid[5][6] = Xml("e", "<v>#N/A</v>")
    grid[450][6] = Xml("e", "<v>#DIV/0!</v>")
    grid[451][6] = Xml("str", '<f>A452&amp;"!"</f><v>Home 451!</v>')
    grid[452][2] = Xml("", "<f>B453*2</f>")  # no saved result
    grid[453][2] = Xml("", "<f>B454*2</f><v>2000908</v>")
    grid[454][3] = Xml("d", "<v>2024-03-05T00:00:00</v>")
    rows = _rows_xml(
        grid,
        styles=DATE_STYLES,
        between="\n    ",
        empty=lambda number: f'<row r="{number}" spans="1:7" ht="20" customHeight="1"/>',
    )
    xml = sheet_xml(f"\n  {rows}\n", tail='\n<pageMargins left="0.7" right="0.7"/>\n').replace(
        "<sheetData>", '<dimension ref="A1:K900"/>\n<sheetData>'
    )
    return write_package(path, {"Sheet1": xml})


def attributes_otherwise(path: Path) -> Path:
    """Rows whose r= is not their first attribute, columns' widths before the rows."""
    xml = sheet_xml(_rows_xml(_grid(), styles=DATE_STYLES)).replace(
        "<sheetData>", '<cols><col min="1" max="7" width="12" customWidth="1"/></cols><sheetData>'
    )
    xml = re.sub(r'<row r="(\d+)">', r'<row spans="1:7" r="\1" x14ac:dyDescent="0.25">', xml)
    xml = xml.replace(
        "<worksheet ",
        '<worksheet xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" ',
    )
    return write_package(path, {"Sheet1": xml})


def single_quotes(path: Path) -> Path:
    """Attributes in single quotes (XML allows them; no spreadsheet program writes them)."""
    xml = sheet_xml(_rows_xml(_grid(), styles=DATE_STYLES))
    xml = re.sub(r'<row r="(\d+)">', r"<row r='\1'>", xml)
    xml = re.sub(r'<c r="([A-Z]+\d+)"', r"<c r='\1'", xml)
    return write_package(path, {"Sheet1": xml})


def markup_in_comments_and_text(path: Path) -> Path:
    """Comments between rows and CDATA text that hold row and sheetData tags: they are not
    markup (a cut there would cut the sheet at no row)."""
    grid = _grid()
    for i in range(3, ROWS, 10):
        grid[i][6] = Xml(
            "inlineStr",
            f'<is><t><![CDATA[x</t></is></c></row></sheetData><row r="{i}">]]></t></is>',
        )
    rows = _rows_xml(grid, styles=DATE_STYLES)
    rows = re.sub(
        r'(<row r="(\d+)">)',
        lambda m: (
            f'<!-- <row r="{m.group(2)}"><c r="A{m.group(2)}"><v>1</v></c></row> -->' + m.group(1)
        ),
        rows,
    )
    return write_package(path, {"Sheet1": sheet_xml(rows)})


def _last_cells(path: Path, last: Callable[[int], str]) -> Path:
    """Every listing's row ends with ``last(row)`` written into it as it is."""
    rows = _rows_xml(_grid(), styles=DATE_STYLES)
    rows = re.sub(
        r'<row r="(\d+)">(.*?)</row>',
        lambda m: f'<row r="{m.group(1)}">{m.group(2)}{last(int(m.group(1)))}</row>',
        rows,
    )
    return write_package(path, {"Sheet1": sheet_xml(rows)})


def row_tags_in_text(path: Path) -> Path:
    """The last cell of each row is text (CDATA) that reads like the end of the row and the
    start of the next: a cut there would cut in the middle of a cell."""
    return _last_cells(
        path,
        lambda r: (
            f'<c r="H{r}" t="inlineStr"><is><t><![CDATA[end</row><row r="{r + 1}">]]></t></is></c>'
        ),
    )


def row_tags_in_comments(path: Path) -> Path:
    """A comment at the end of each row reads like the end of the row and the start of the
    next one."""
    return _last_cells(path, lambda r: f'<!-- </row><row r="{r + 1}"> -->')


def row_out_of_order(path: Path) -> Path:
    """Row 5 comes again at the end of the sheet, with a cell of its own (no spreadsheet
    program writes rows out of order; python-calamine places each cell where its row says)."""
    grid = _rows_xml(_grid(), styles=DATE_STYLES)
    grid += '<row r="5"><c r="G5" t="inlineStr"><is><t>late</t></is></c></row>'
    return write_package(path, {"Sheet1": sheet_xml(grid)})


def shared_formulas(path: Path) -> Path:
    """A shared formula from the top of the sheet to its end, with results (two without)."""
    grid = _grid()
    for i in range(1, ROWS + 1):
        formula = (
            f'<f t="shared" ref="C2:C{ROWS + 1}" si="0">B2*2</f>'
            if i == 1
            else '<f t="shared" si="0"/>'
        )
        result = "" if i in (420, 421) else f"<v>{2 * (1_000_000 + i)}</v>"
        grid[i][2] = Xml("", formula + result)
    return write_package(path, {"Sheet1": sheet_xml(_rows_xml(grid, styles=DATE_STYLES))})


def header_in_the_second_half(path: Path) -> Path:
    """Hundreds of styled empty rows, wide, above the header: most of the sheet's XML comes
    before its header row."""
    book = openpyxl.Workbook()
    _listings_low(book.active, seed=8)
    return _saved(book, path)


def _listings_low(sheet: Any, seed: int) -> None:
    """350 rows of 30 styled empty cells, then 250 listings with their header in row 351."""
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(1, 351):
        for column in range(1, 31):
            sheet.cell(row, column).fill = fill
    _sheet_of_listings(sheet, first_row=351, rows=250, seed=seed)


def data_only_in_the_second_half(path: Path) -> Path:
    """The header alone in row 1, then nothing until row 351."""
    return _with_gap(path, range(2, 351))


def no_row_numbers(path: Path) -> Path:
    """Rows and cells without r= (each counts from the one before): must not be cut."""
    grid = _grid()
    grid[100] = [None] * 7
    return write_package(
        path, {"Sheet1": sheet_xml(_rows_xml(grid, numbered=False, styles=DATE_STYLES))}
    )


def inline_tiny(path: Path) -> Path:
    return write_package(path, {"Sheet1": sheet_xml(_rows_xml(_grid(rows=2), styles=DATE_STYLES))})


@dataclasses.dataclass(frozen=True)
class Case:
    build: Callable[[Path], Path]
    #: Whether ``split_sheet`` cuts the sheet (None: either way, the table is the same).
    splits: bool | None = True
    sheet: str | None = None
    link_columns: tuple[str, ...] = ()
    source: LinkSource | None = LinkSource(app="zillow.com", id_column="Zillow ID")
    suffix: str = ".xlsx"
    #: The read raises (the same exception, with the same sentence, both ways).
    raises: bool = False
    #: When the halves ask to read the workbook again, whole (once it is cut): ``"late"``, when
    #: the second half is parsed after the first rows are given and holds a cell right of every
    #: cell of the first; ``"always"``, when the halves cannot make the sheet; "": never.
    read_again: str = ""


NO_IDS = LinkSource()

CASES = [
    Case(plain),
    Case(rows_above_and_columns_left),
    Case(left_edge_only_in_second_half),
    Case(left_edge_only_in_first_half),
    Case(last_column_first_half),
    Case(last_column_second_half),
    Case(unheaded_column_first_half),
    Case(unheaded_column_second_half, read_again="late"),
    Case(gap_in_the_middle),
    Case(data_only_in_the_second_half),
    Case(header_in_the_second_half, read_again="late"),
    Case(gap_ending_at_the_middle),
    Case(gap_starting_at_the_middle),
    Case(styled_gap_and_styled_end),
    Case(second_half_only_styled),
    Case(header_empty_at_the_end, read_again="late"),
    Case(header_empty_data_far_right, read_again="late"),
    Case(header_blank_at_the_end, read_again="late"),
    Case(inline_strings),
    Case(sheet_part_elsewhere),
    Case(names_taken),
    Case(names_taken, sheet="applinks 2"),
    Case(empty_first_sheet, splits=None, raises=True),
    Case(empty_named_sheet, splits=None, raises=True, sheet="Styled"),
    Case(empty_first_sheet_data_low, splits=None, raises=True, read_again="late"),
    Case(stored_parts),
    Case(plain, suffix=".xlsm"),
    Case(namespace_prefix),
    Case(pretty_printed),
    Case(attributes_otherwise),
    Case(single_quotes, splits=None),
    Case(shared_formulas),
    Case(markup_in_comments_and_text, splits=None),
    Case(row_tags_in_text, splits=None),
    Case(row_tags_in_comments, splits=None),
    Case(row_out_of_order, splits=None, read_again="always"),
    Case(date_1904),
    Case(
        links_and_merges,
        link_columns=("Listing",),
        source=LinkSource(app="zillow.com", from_url="Listing"),
    ),
    Case(links_and_merges, source=NO_IDS),
    Case(second_sheet_by_name, sheet="Second"),
    Case(odd_sheet_name, sheet="R&D <'Deals'>"),
    Case(hidden_first_sheet),
    Case(formulas_without_results),
    Case(no_row_numbers, splits=False),
    Case(tiny, splits=True),  # (cut: only the size of the package keeps small ones whole)
    Case(inline_tiny, splits=True),
]
IDS = [
    case.build.__name__
    + ("-from-url" if case.link_columns else "")
    + ("-no-ids" if case.source is NO_IDS else "")
    + (case.suffix if case.suffix != ".xlsx" else "")
    + ("-by-name" if case.sheet else "")
    for case in CASES
]
assert len(set(IDS)) == len(IDS)


def _cases() -> Iterator[Any]:
    for case, name in zip(CASES, IDS, strict=True):
        for order in ("first", "late"):
            yield pytest.param(case, order, id=f"{name}-second-half-{order}")


@pytest.mark.parametrize(("case", "order"), list(_cases()))
def test_the_halves_read_what_the_whole_sheet_reads(
    case: Case, order: str, reader: Reader, tmp_path: Path
) -> None:
    path = case.build(tmp_path / f"{case.build.__name__}{case.suffix}")
    reader.second_half(order)
    how = {"sheet": case.sheet, "link_columns": case.link_columns, "source": case.source}
    whole = _outcome_or_raised(lambda: reader.whole(path, **how))
    assert reader.splits == []
    assert whole[0] == ("raised" if case.raises else "read"), whole
    halves = _outcome_or_raised(lambda: reader.halves(path, **how))
    if whole[0] == "read" and halves[0] == "read":
        _assert_same(halves[1:], whole[1:])
    assert halves[0] == whole[0], halves if halves[0] == "raised" else whole
    assert halves == whole
    if case.splits is not None:
        assert reader.splits == [case.splits]
    again = case.read_again == "always" or (case.read_again == order == "late")
    assert reader.read_again == (again if any(reader.splits) else 0)


#: Workbooks for the command line: plain ones, ones with notes, ones the halves read again.
COMMAND_CASES = [
    plain,
    formulas_without_results,
    hidden_first_sheet,
    header_empty_at_the_end,
    header_blank_at_the_end,
    header_in_the_second_half,
]
#: Each command with options that write every output it has.
COMMANDS = {
    "prepare": ["--app", "zillow.com", "--allow-errors", "-o", "out.csv", "--report", "r.json"],
    "check": ["--format", "json", "--report", "r.csv", "--annotate", "annotated.xlsx"],
    "export": ["--allow-errors", "-o", "out.csv"],
    "fill": ["--app", "zillow.com", "-o", "out.csv"],
}
OUTPUTS = ("out.csv", "r.json", "r.csv", "annotated.xlsx")


def _command_cases() -> Iterator[Any]:
    for build in COMMAND_CASES:
        for command in COMMANDS:
            for order in ("first", "late"):
                name = f"{build.__name__}-{command}-second-half-{order}"
                yield pytest.param(build, command, order, id=name)


@pytest.mark.parametrize(("build", "command", "order"), list(_command_cases()))
def test_the_command_line_says_and_writes_the_same(
    build: Callable[[Path], Path],
    command: str,
    order: str,
    reader: Reader,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each command on the halves: the same exit code, output, notes and files (notes told
    once, though the workbook may be read twice)."""
    from click.testing import CliRunner

    from applinks.cli import main

    path = build(tmp_path / f"{build.__name__}.xlsx")
    reader.second_half(order)
    monkeypatch.chdir(tmp_path)
    args = [command, path.name, *COMMANDS[command], "--force"]
    if "--app" in args and build not in (header_empty_at_the_end, header_blank_at_the_end):
        args += ["--id-column", "Zillow ID"]

    def run(halves_from: int) -> tuple[Any, ...]:
        reader.monkeypatch.setattr(xlsx_in, "HALVES_FROM", halves_from)
        for name in OUTPUTS:
            (tmp_path / name).unlink(missing_ok=True)
        done = CliRunner().invoke(main, args)
        written = {n: _output(tmp_path / n) for n in OUTPUTS if (tmp_path / n).exists()}
        return (done.exit_code, done.stdout, done.stderr, written)

    whole = run(1 << 62)
    assert reader.splits == []
    assert whole[0] in (0, 1), whole
    assert set(whole[3]) == set(COMMANDS[command]) & set(OUTPUTS)
    assert run(0) == whole
    assert reader.splits == [True]


def _output(path: Path) -> object:
    """Return a file's bytes, or a workbook's parts' bytes (its zip's dates aside)."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


_CELLS = st.one_of(
    st.none(),
    st.text(alphabet="ab <&\"'\u00e9", max_size=4),
    st.integers(-5, 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
)


@st.composite
def _sheets(draw: st.DrawFn) -> list[list[Any]]:
    """A sheet's rows from row 1: rows left out, cells left out, any column from A to J."""
    rows = draw(st.integers(2, 70))
    grid: list[list[Any]] = []
    for _ in range(rows):
        if draw(st.integers(0, 5)) == 0:
            grid.append([None] * 10)
            continue
        start, width = draw(st.integers(0, 9)), draw(st.integers(1, 10))
        cells = draw(st.lists(_CELLS, min_size=width, max_size=width))
        grid.append(([None] * start + cells + [None] * 10)[:10])
    return grid


@pytest.mark.parametrize(
    "order",
    [
        pytest.param("first", id="second-half-first"),
        pytest.param("late", id="second-half-late"),
    ],
)
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=_sheets())
@example(grid=[["", *[None] * 9], [None, 0, *[None] * 8]])  # (found by the search below)
def test_any_sheet_reads_or_fails_alike(
    grid: list[list[Any]], order: str, reader: Reader, tmp_path: Path
) -> None:
    """Sheets of any shape (rows and columns left out anywhere, on either side of the cut)."""
    reader.second_half(order)
    path = write_package(tmp_path / "any.xlsx", {"Sheet1": sheet_xml(_rows_xml(grid))})
    whole = _outcome_or_raised(lambda: reader.whole(path, source=NO_IDS))
    halves = _outcome_or_raised(lambda: reader.halves(path, source=NO_IDS))
    assert halves[0] == whole[0], halves if halves[0] == "raised" else whole
    assert halves == whole


@pytest.mark.parametrize("chunk", [5, 64, 1000, 4099])
@pytest.mark.parametrize(
    "build",
    [plain, pretty_printed, namespace_prefix, gap_in_the_middle, row_tags_in_text],
    ids=lambda build: build.__name__,
)
def test_the_cut_is_the_same_whatever_pieces_the_xml_comes_in(
    build: Callable[[Path], Path], chunk: int, reader: Reader, tmp_path: Path
) -> None:
    """The sheet's XML is cut as the guards' scan reads it, a piece at a time: a row's tags
    and numbers split across two pieces make the same cut."""
    path = build(tmp_path / f"{build.__name__}.xlsx")
    whole = reader.whole(path)
    reader.monkeypatch.setattr(guards, "_CHUNK", chunk)
    assert reader.halves(path) == whole
    if build is not row_tags_in_text:  # (that one may be refused: either way is right)
        assert reader.splits == [True]


@pytest.mark.parametrize("chunk", [7, 4099, 4 << 20])
def test_a_sheet_cut_from_pieces_of_any_size_reads_as_whole(
    chunk: int, monkeypatch: pytest.MonkeyPatch, reader: Reader, tmp_path: Path
) -> None:
    """``read_workbook`` given a Cutter fed the sheet's XML in pieces of any size (without
    one, it never cuts)."""
    from tests.files.test_xlsx_halves import cut_sheet

    path = pretty_printed(tmp_path / "book.xlsx")
    expected = xlsx_in.read_workbook(path)
    monkeypatch.setattr(xlsx_in, "HALVES_FROM", 0)
    with xlsx_halves.allowed():
        assert xlsx_in.read_workbook(path).rows == expected.rows and reader.splits == []
        table = xlsx_in.read_workbook(path, cut=cut_sheet(path, chunk))
        got = (table.headers, [list(r) for r in table.rows], table.notes)
    assert reader.splits == [True]
    assert got == (expected.headers, [list(r) for r in expected.rows], expected.notes)


#: What ``Reader`` gives, in order.
PARTS = (
    *("headers", "rows", "header_row", "rows_above", "unused_columns", "notes", "links"),
    *("rows read again", "len(rows)", "rows indexed"),
    *("csv", "issues", "records", "blank_rows"),
)


def _assert_same(halves: tuple[Any, ...], whole: tuple[Any, ...]) -> None:
    """Compare part by part, the rows first difference first, so a failure says where."""
    for name, got, expected in zip(PARTS, halves, whole, strict=True):
        if name == "rows" and got != expected:
            first = next(
                (i for i, (g, e) in enumerate(zip(got, expected, strict=False)) if g != e),
                min(len(got), len(expected)),
            )
            pytest.fail(
                f"{len(got)} rows by halves, {len(expected)} whole; the first difference is "
                f"at data row index {first} (sheet row {whole[2] + 1 + first}): by halves "
                f"{got[first : first + 1]!r}, whole {expected[first : first + 1]!r}"
            )
        assert got == expected, name
    assert halves == whole


def test_the_sheets_built_here_are_read_whole_as_meant(reader: Reader, tmp_path: Path) -> None:
    """The hard cases are what they claim to be (read whole): a failure here is in the test."""
    plain_table = reader.whole(plain(tmp_path / "plain.xlsx"))
    assert plain_table[0] == HEADERS
    assert len(plain_table[1]) == ROWS
    assert any(
        isinstance(c, str) and len(c) == 5 and c.startswith("0")
        for r in plain_table[1]
        for c in r[5:6]
    )
    left = reader.whole(rows_above_and_columns_left(tmp_path / "left.xlsx"))
    assert (left[0][:2], left[2], left[3], left[4]) == (["", ""], 4, (1,), (0, 1))
    far = reader.whole(header_empty_data_far_right(tmp_path / "far.xlsx"))
    assert far[0] == ["Name", "Zillow ID", "", "", ""]
    gap = reader.whole(gap_in_the_middle(tmp_path / "gap.xlsx"))
    assert all(all(c is None for c in r) for r in gap[1][249:349])
    hidden = reader.whole(hidden_first_sheet(tmp_path / "hidden.xlsx"))
    assert any("hidden" in note for note in hidden[5])
    formulas = reader.whole(formulas_without_results(tmp_path / "formulas.xlsx"))
    assert any("4 formula cells" in note for note in formulas[5])
    linked = reader.whole(
        links_and_merges(tmp_path / "links.xlsx"),
        link_columns=("Listing",),
        source=LinkSource(app="zillow.com", from_url="Listing"),
    )
    assert len(linked[6]["Listing"]) > 400
    assert any("merged" in note for note in linked[5])
    printed = reader.whole(pretty_printed(tmp_path / "printed.xlsx"))
    assert len(printed[1]) == ROWS
    assert "#N/A" in printed[1][4] and "#DIV/0!" in printed[1][449]
    unnumbered = reader.whole(no_row_numbers(tmp_path / "unnumbered.xlsx"))
    assert unnumbered[1][:3] == printed[1][:3]
    assert reader.splits == []


def _corpus() -> Iterator[Path]:
    """Every stored workbook: the test data, the bundled example and the add-in's template."""
    for folder in ("corpus", "values", "bad", "fuzz"):
        for path in sorted((DATA / folder).iterdir()):
            if path.suffix.lower() in {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam"}:
                yield path
    yield ROOT / "src" / "applinks" / "examples" / "example-properties.xlsx"
    yield ROOT / "xlsm" / "applinks-template.xlsm"


def _outcome_or_raised(read: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
    try:
        return ("read", *read())
    except Exception as exc:
        return ("raised", type(exc), str(exc))


def _stored_cases() -> Iterator[Any]:
    for path in _corpus():
        for order in ("first", "late"):
            yield pytest.param(path, order, id=f"{path.name}-second-half-{order}")


@pytest.mark.parametrize(("path", "order"), list(_stored_cases()))
def test_every_stored_workbook_reads_or_fails_alike(path: Path, order: str, reader: Reader) -> None:
    reader.second_half(order)
    whole = _outcome_or_raised(lambda: reader.whole(path, source=NO_IDS))
    halves = _outcome_or_raised(lambda: reader.halves(path, source=NO_IDS))
    assert halves[0] == whole[0], halves if halves[0] == "raised" else whole
    assert halves == whole
