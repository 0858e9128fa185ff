"""Read what python-calamine leaves out of an .ods sheet, or reads wrong.

The .ods counterpart of :mod:`applinks.files.xlsx_cells`. python-calamine gives an .ods
cell's value but not its number format, reads an error cell (``#N/A``) as empty text, drops
hyperlinks, reads booleans as 1.0/0.0 and durations as ISO text (``PT30H10M10S``).
:func:`read_ods_facts` reads them from the package: the data styles of ``styles.xml`` and
``content.xml`` (turned into Excel format codes by :mod:`applinks.files.ods_formats`), then
the chosen table of ``content.xml``, streamed: each cell and row is dropped once read.

- ``formats`` has a key per distinct wanted format code, from 1 (an .ods has no style
  numbers: cell styles are names); every number cell under a wanted format is in ``styled``,
  key 0 is never used. A cell without a style takes its column's
  ``table:default-cell-style-name``, then the "Default" style.
- ``errors``: cells with ``calcext:value-type="error"``, as their text (``#N/A``).
- ``links``: a web or mail target of a ``text:a`` in the cell's text, else the literal
  first argument of a ``HYPERLINK`` formula.
- ``values``: booleans (``office:value-type="boolean"``; a number under a boolean style; the
  ``TRUE()``/``FALSE()`` formulas LibreOffice writes for the booleans of an .xlsx, and other
  formulas whose 0 or 1 shows as TRUE or FALSE) and durations (a time value past a day or
  below zero, or under an elapsed-time format such as ``[h]:mm:ss``). A time of day is read
  right by python-calamine and left out.

Repeated rows and cells (``table:number-rows-repeated``, ``table:number-columns-repeated``)
are counted, not built: empty ones cost nothing, and the copies of cells with facts stop at
Excel's grid (1,048,576 rows, 16,384 columns) and at MAX_REPEATED_FACTS in all.
Nothing is refused: a damaged or encrypted package, or a sheet that is not there, gives empty
facts (the reader reports damaged files).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from bisect import bisect_right
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple
from xml.etree.ElementTree import Element

from applinks.files.cell_builder import StyledCells
from applinks.files.cell_facts import ZIP_READ_ERRORS, CellFacts, NumberFormat, by_column
from applinks.files.ods_formats import (
    BOOLEAN_CODE,
    DATA_STYLES,
    DataStyle,
    excel_code,
    is_elapsed,
    read_data_style,
)
from applinks.files.xlsx_cell_scan import literal_target
from applinks.shape import MAX_COLUMNS, MAX_ROWS
from applinks.table import Cell

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

_TABLE_TAG, _ROW, _COLUMN = f"{_TABLE}table", f"{_TABLE}table-row", f"{_TABLE}table-column"
_CELLS = frozenset({f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"})
_STYLE_TAG, _P, _A = f"{_STYLE}style", f"{_TEXT}p", f"{_TEXT}a"
_VALUE_TYPE = f"{_OFFICE}value-type"

#: Most facts made by repeating cells and rows (the first of each repeat is not counted).
MAX_REPEATED_FACTS = 2 * MAX_ROWS
#: Most data styles and cell styles kept (real files have hundreds).
MAX_STYLES = 100_000
_MAX_PARENTS = 16
_WEB_PREFIXES = ("http://", "https://", "mailto:")
_NUMBER_TYPES = frozenset({"float", "percentage", "currency"})
_DURATION = re.compile(
    r"(-)?P(?:(\d{1,9})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})(?:[.,](\d{1,9}))?S)?)?"
)
_HYPERLINK_CALL = re.compile(r"\s*(?:[A-Za-z]+:)?\s*=\s*HYPERLINK\s*\(", re.IGNORECASE)
_BOOLEAN_CALL = re.compile(r"\s*(?:[A-Za-z]+:)?\s*=\s*(TRUE|FALSE)\s*\(\s*\)\s*", re.IGNORECASE)


class _Found(NamedTuple):
    """What one cell says beyond the value python-calamine reads right (None: nothing)."""

    style: int | None = None
    error: str | None = None
    link: str | None = None
    value: bool | dt.timedelta | None = None

    def size(self) -> int:
        return sum(item is not None for item in self)


def read_ods_facts(
    path: Path,
    sheet: str | None = None,
    *,
    wanted: Callable[[NumberFormat], bool] | None = None,
    builtin: Callable[[int], str | None] | None = None,
) -> CellFacts:
    """Read the number formats, errors, hyperlinks, booleans and durations of an .ods sheet.

    Args:
        path: the workbook (a zip package).
        sheet: the table's name; None for the first table.
        wanted: called once for each distinct format code of the sheet's number cells
            ("General" for a cell without a data style); the number cells under the codes it
            accepts are collected. None collects none.
        builtin: not used (an .ods names no built-in formats); taken so that the readers of
            every format are called alike.

    Returns empty facts when the package or its XML is damaged, or the sheet is not there;
    never raises for a bad file.
    """
    from defusedxml.ElementTree import iterparse

    styles = _Styles(wanted)
    walk = _Walk(styles, sheet)
    try:
        with zipfile.ZipFile(path) as archive:
            if "styles.xml" in archive.NameToInfo:
                with archive.open("styles.xml") as stream:
                    _Walk(styles, sheet, tables=False).feed(
                        iterparse(stream, events=("start", "end"))
                    )
            with archive.open("content.xml") as stream:
                walk.feed(iterparse(stream, events=("start", "end")))
    except ZIP_READ_ERRORS:
        return CellFacts()
    return walk.facts() if walk.found else CellFacts()


class _Styles:
    """The data styles and cell styles read so far, and the wanted codes with their keys."""

    def __init__(self, wanted: Callable[[NumberFormat], bool] | None) -> None:
        self.wanted = wanted
        self.data: dict[str, DataStyle] = {}
        #: cell style name -> (its data style name, its parent style name)
        self.cells: dict[str, tuple[str | None, str | None]] = {}
        self.formats: dict[int, NumberFormat] = {}
        self._codes: dict[str, str | None] = {}
        self._keys_by_code: dict[str, int | None] = {}
        self._keys: dict[str, int | None] = {}

    def read(self, element: Element) -> None:
        """Keep a data style or a table-cell style met in styles.xml or content.xml."""
        if element.tag in DATA_STYLES:
            found = read_data_style(element)
            if found is not None and len(self.data) < MAX_STYLES:
                self.data[found[0]] = found[1]
        elif element.get(f"{_STYLE}family") == "table-cell":
            name = element.get(f"{_STYLE}name")
            if name and len(self.cells) < MAX_STYLES:
                data_style = element.get(f"{_STYLE}data-style-name")
                self.cells[name] = (data_style, element.get(f"{_STYLE}parent-style-name"))

    def code(self, cell_style: str) -> str | None:
        """Return the Excel code of a cell style's data style (its own or a parent's)."""
        if cell_style not in self._codes:
            code = None
            name: str | None = cell_style
            for _ in range(_MAX_PARENTS):
                entry = self.cells.get(name) if name is not None else None
                if entry is None:
                    break
                if entry[0]:
                    code = excel_code(entry[0], self.data)
                    break
                name = entry[1]
            self._codes[cell_style] = code
        return self._codes[cell_style]

    def key(self, cell_style: str) -> int | None:
        """Return the key of a cell style's format when it is wanted, else None."""
        if cell_style not in self._keys:
            code = self.code(cell_style) or "General"
            if code not in self._keys_by_code:
                key = None
                if self.wanted is not None and self.wanted(code):
                    key = len(self.formats) + 1
                    self.formats[key] = code
                self._keys_by_code[code] = key
            self._keys[cell_style] = self._keys_by_code[code]
        return self._keys[cell_style]


class _Walk:
    """One streaming pass over a package part: its styles, and the chosen table's cells.

    Elements are read at their end and then removed from their parent, so memory holds one
    cell at a time, whatever the size of the part; the walk stops after the chosen table.
    """

    def __init__(self, styles: _Styles, sheet: str | None, *, tables: bool = True) -> None:
        self.styles = styles
        self.sheet = sheet
        self.tables = tables
        self.found = self.active = self.done = False
        self.container: Element | None = None  # a cell or style, read whole when it ends
        self.row, self.column = 1, 0
        self.row_facts: list[tuple[int, _Found]] = []
        self.column_starts: list[int] = []  # the first column of each table:table-column
        self.column_styles: list[str | None] = []
        self.column_count = 0
        self.budget = MAX_REPEATED_FACTS
        self.cells = StyledCells()
        self.errors: dict[tuple[int, int], str] = {}
        self.links: dict[tuple[int, int], str] = {}
        self.values: dict[tuple[int, int], Cell] = {}

    def feed(self, events: Iterable[tuple[str, Element]]) -> None:
        """Walk the parser's start and end events up to the end of the chosen table."""
        stack: list[Element] = []
        for event, element in events:
            if event == "start":
                stack.append(element)
                if self.container is None:
                    self._start(element)
                continue
            stack.pop()
            if self.container is not None and element is not self.container:
                continue  # inside a cell or a style: read with it
            self.container = None
            self._end(element)
            if stack:
                parent = stack[-1]
                if len(parent) and parent[-1] is element:
                    del parent[-1]
                else:
                    parent.remove(element)
            if self.done:
                return

    def facts(self) -> CellFacts:
        formats = dict(self.styles.formats)
        return CellFacts(
            formats,
            self.cells.build(),
            by_column(self.errors),
            by_column(self.links),
            by_column(self.values),
        )

    def _start(self, element: Element) -> None:
        tag = element.tag
        if tag in DATA_STYLES or tag == _STYLE_TAG:
            self.container = element
        elif tag == _TABLE_TAG and self.tables and not self.found:
            if self.sheet is None or element.get(f"{_TABLE}name") == self.sheet:
                self.found = self.active = True
        elif self.active:
            if tag in _CELLS:
                self.container = element
            elif tag == _ROW:
                self.row_facts, self.column = [], 0

    def _end(self, element: Element) -> None:
        tag = element.tag
        if tag in DATA_STYLES or tag == _STYLE_TAG:
            self.styles.read(element)
        elif not self.active:
            return
        elif tag in _CELLS:
            self._cell(element)
        elif tag == _ROW:
            self._row(element)
        elif tag == _COLUMN:
            most = MAX_COLUMNS - self.column_count
            width = _repeat(element.get(f"{_TABLE}number-columns-repeated"), most)
            if width > 0:
                self.column_starts.append(self.column_count)
                self.column_styles.append(element.get(f"{_TABLE}default-cell-style-name"))
                self.column_count += width
        elif tag == _TABLE_TAG:
            self.done = True

    def _column_style(self, column: int) -> str | None:
        """Return the default cell style of a column (``table:table-column``), if any."""
        index = bisect_right(self.column_starts, column) - 1
        if index < 0 or column >= self.column_count:
            return None
        return self.column_styles[index]

    def _cell(self, element: Element) -> None:
        if self.column >= MAX_COLUMNS:
            return
        width = _repeat(element.get(f"{_TABLE}number-columns-repeated"), MAX_COLUMNS - self.column)
        if len(element) or element.get(_VALUE_TYPE) is not None:
            found = self._facts(element)
            size = found.size()
            if size:
                copies = min(width - 1, self.budget // size)
                self.budget -= copies * size
                for offset in range(copies + 1):
                    self.row_facts.append((self.column + offset, found))
        self.column += width

    def _row(self, element: Element) -> None:
        height = _repeat(element.get(f"{_TABLE}number-rows-repeated"), MAX_ROWS + 1 - self.row)
        if self.row_facts:
            size = sum(found.size() for _, found in self.row_facts)
            copies = min(height - 1, self.budget // size)
            self.budget -= copies * size
            for offset in range(copies + 1):
                self._commit(self.row + offset)
        self.row += height
        self.row_facts = []
        if self.row > MAX_ROWS:
            self.done = True

    def _commit(self, row: int) -> None:
        for column, found in self.row_facts:
            if found.style is not None:
                self.cells.add(row, column, found.style)
            if found.error is not None:
                self.errors[row, column] = found.error
            if found.link is not None:
                self.links[row, column] = found.link
            if found.value is not None:
                self.values[row, column] = found.value

    def _facts(self, element: Element) -> _Found:
        """Return what one cell says beyond the value python-calamine reads right."""
        value_type = element.get(_VALUE_TYPE)
        found = _Found()
        if element.get(f"{_CALCEXT}value-type") == "error":
            found = _Found(error=_paragraph(element) or None)
        elif value_type == "boolean":
            value = (element.get(f"{_OFFICE}boolean-value") or "").strip().lower()
            found = _Found(value=value in ("true", "1"))
        elif value_type in _NUMBER_TYPES:
            found = self._number_facts(element)
        elif value_type == "date":  # its style says whether the time of day is shown
            found = _Found(style=self.styles.key(self._style_of(element)))
        elif value_type == "time":
            duration = parse_duration(element.get(f"{_OFFICE}time-value"))
            code = self.styles.code(self._style_of(element)) or ""
            if duration is not None and (
                duration < dt.timedelta(0) or duration >= dt.timedelta(days=1) or is_elapsed(code)
            ):
                found = _Found(value=duration)
        link = _text_link(element) or _formula_link(element.get(f"{_TABLE}formula"))
        return found._replace(link=link) if link else found

    def _number_facts(self, element: Element) -> _Found:
        """A number is a boolean when its style or its formula says so; else maybe styled."""
        style = self._style_of(element)
        try:
            value = float(element.get(f"{_OFFICE}value") or "nan")
        except ValueError:
            value = float("nan")
        if self.styles.code(style) == BOOLEAN_CODE and value == value:
            return _Found(value=value != 0)
        formula = element.get(f"{_TABLE}formula")
        if formula is not None and value in (0.0, 1.0):
            call = _BOOLEAN_CALL.fullmatch(formula)
            if call is not None:
                return _Found(value=call.group(1).upper() == "TRUE")
            if _paragraph(element).strip().upper() == ("TRUE" if value else "FALSE"):
                return _Found(value=value == 1.0)  # LibreOffice shows a logical result in words
        key = self.styles.key(style)
        return _Found(style=key)

    def _style_of(self, element: Element) -> str:
        return element.get(f"{_TABLE}style-name") or self._column_style(self.column) or "Default"


def _repeat(text: str | None, most: int) -> int:
    """Return a repeat count, at least 1, at most ``most`` (0 when nothing is left)."""
    count = 1
    if text is not None and text.isascii() and text.isdigit():
        count = int(text) if len(text) <= 12 else most
    return max(0, min(max(count, 1), most))


def _paragraph(element: Element) -> str:
    """Return the text of a cell's first paragraph (not of a comment on it)."""
    for child in element:
        if child.tag == _P:
            return "".join(child.itertext())
    return ""


def _text_link(element: Element) -> str | None:
    """Return the first web or mail target of a ``text:a`` in the cell's paragraphs."""
    for child in element:
        if child.tag == _P:
            for anchor in child.iter(_A):
                target = (anchor.get(_XLINK_HREF) or "").strip()
                if target.lower().startswith(_WEB_PREFIXES):
                    return target
    return None


def _formula_link(formula: str | None) -> str | None:
    """Return the literal first argument of ``of:=HYPERLINK("literal"; ...)``, or None.

    Targets inside the workbook (``#Sheet1.A1``) are left out.
    """
    head = _HYPERLINK_CALL.match(formula or "")
    if formula is None or head is None:
        return None
    target = literal_target(formula[head.end() :], ";,)")
    return target if target and not target.startswith("#") else None


def parse_duration(text: str | None) -> dt.timedelta | None:
    """Return the ISO 8601 duration ``PT30H10M10S`` (days, hours, minutes, seconds) as a
    timedelta; None for other text, years or months, or a duration too long to hold."""
    match = _DURATION.fullmatch((text or "").strip())
    if match is None or not any(match.group(index) for index in range(2, 6)):
        return None
    sign, days, hours, minutes, seconds, fraction = match.groups()
    try:
        duration = dt.timedelta(
            days=int(days or 0),
            hours=int(hours or 0),
            minutes=int(minutes or 0),
            seconds=int(seconds or 0),
            microseconds=round(int((fraction or "0")[:7].ljust(7, "0")) / 10),
        )
    except OverflowError:
        return None
    return -duration if sign else duration
