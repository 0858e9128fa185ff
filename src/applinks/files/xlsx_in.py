"""Read a worksheet with python-calamine: values as the user sees them, not as Excel stores them."""

from __future__ import annotations

import io
import math
import os
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, count, islice
from operator import getitem, not_
from pathlib import Path
from typing import Any

from applinks.ahead import run_while
from applinks.errors import ApplinksError, InputError, ReadAgain, UsageError
from applinks.headers import column_letter, find_column, map_headers
from applinks.numfmt import builtin_format, general_number
from applinks.rows import BLOCK, LazyRows, Row, blank, chunks, trimmed_blocks
from applinks.shape import find_header, header_text, unused_columns
from applinks.shown import carries_meaning
from applinks.table import APP_CONTENT_URL, Cell, Table
from applinks.workers import available

from . import xlsx_halves
from .as_shown import ShownCells
from .cell_facts import CellFacts
from .decrypt import password_sentence
from .ods_cells import read_ods_facts
from .panics import quiet_panics
from .xls_cells import read_xls_facts
from .xlsb_cells import read_xlsb_facts
from .xlsx_cells import facts_sheet_name, read_cell_facts


def read_workbook(
    path: Path,
    *,
    sheet: str | None = None,
    link_columns: Collection[str] = (),
    cut: xlsx_halves.Cutter | None = None,
    facts_read: Mapping[str, CellFacts] | None = None,
) -> Table:
    """Read one worksheet of an .xlsx/.xlsm/.xlsb/.xls/.ods file, values as the user sees them.

    Whole numbers come back as ``int`` (an id typed as a number has no ``.0``), other numbers
    with Excel's 15 significant digits; text keeps its leading zeros; dates stay dates. Where
    the file says how a cell is shown (:func:`read_facts`), the cell is what Excel shows: a zip
    under ``00000`` is the text ``02134``, an error cell its ``#N/A``, and in the App Content
    URL column a hyperlink's target rather than its text (``link_columns``: columns whose
    targets are kept in ``Table.links``). Empty cells are ``None``. ``cut``: the sheet's XML
    cut in two halves as another pass read it, for :func:`halves_wanted`. ``facts_read``: cell
    facts another pass already read, by sheet name (an .xlsb's guard walks its sheet once for
    both); they are used when the parse opens a sheet of that name, instead of reading again.
    """
    opened, facts = _parse_and_read_facts(path, sheet, cut, facts_read or {})
    return sheet_table(opened, path, sheet=sheet, facts=facts, link_columns=link_columns)


#: Workbooks from this size on (bytes) are parsed beside the reading of their cell facts.
PARSE_BESIDE_FROM = 1 << 20


def _parse_and_read_facts(
    path: Path,
    sheet: str | None,
    cut: xlsx_halves.Cutter | None = None,
    facts_read: Mapping[str, CellFacts] | None = None,
) -> tuple[OpenSheet, CellFacts | None]:
    """Parse the sheet and read its cell facts; at the same time where it pays.

    python-calamine parses without holding Python's lock, so on a machine with two processors
    a large workbook is parsed in a thread while this one reads the facts (one pass over the
    sheet's XML in Python): the two take about as long as the longer of them, in one process.
    Errors are raised as if the two had run one after the other (the parse's first).
    """
    if facts_read or not _parse_beside(path):
        opened = open_sheet(path, sheet=sheet)
        known = (facts_read or {}).get(opened.name)
        return opened, known if known is not None else read_facts(path, opened.name)
    # (packed here, before the parse starts: the copy holds Python's lock much of the time)
    split = xlsx_halves.split_sheet(path, sheet, cut) if cut is not None else None
    parsed: list[OpenSheet] = []
    failed: list[BaseException] = []
    first_parsed = threading.Event()

    def parse() -> None:
        try:
            halves = _open_halves(path, split) if split is not None else None
            if halves is not None:
                parsed.append(halves)
                first_parsed.set()
                halves.data.parse_second()  # while the rows of the first half are checked
                return
            parsed.append(open_sheet(path, sheet=sheet))
        except BaseException as exc:  # handed to the caller below, panics included
            failed.append(exc)
        finally:
            first_parsed.set()

    # A daemon thread: Ctrl-C stops the run at once, not after the parse.
    thread = threading.Thread(target=parse, name="applinks-parse", daemon=True)
    thread.start()
    try:
        facts: CellFacts | None = read_facts(path, sheet)
        facts_error: Exception | None = None
    except Exception as exc:
        facts, facts_error = None, exc
    run_while(lambda: not first_parsed.is_set())
    first_parsed.wait()
    if failed:
        raise failed[0]
    if facts_error is not None:
        raise facts_error
    if sheet is None and parsed[0].name != facts_sheet_name(path):
        facts = read_facts(path, parsed[0].name)  # (the two readers chose different sheets)
    return parsed[0], facts


#: Package size from which a command reading in one process parses the sheet in two halves,
#: checking the first half's rows while the second is parsed (:mod:`.xlsx_halves`).
HALVES_FROM = 8 << 20


def halves_wanted(path: Path) -> bool:
    """Return True when the sheet of ``path`` is to be parsed in two halves (see HALVES_FROM):
    a large .xlsx or .xlsm, read in one process on two processors, by a caller that can read
    it again whole (:func:`~applinks.files.xlsx_halves.allowed`)."""
    return (
        xlsx_halves.is_allowed()
        and xlsx_halves.FAST_DEFLATE
        and available() == 1
        and _parse_beside(path)
        and path.stat().st_size >= HALVES_FROM
    )


def _parse_beside(path: Path) -> bool:
    """Return True when python-calamine parses ``path`` in a thread beside the facts pass: a
    workbook whose facts are read from its XML, large enough, on two processors or more."""
    return (
        (os.cpu_count() or 1) >= 2
        and FACT_READERS.get(path.suffix.lower()) is read_cell_facts
        and path.stat().st_size >= PARSE_BESIDE_FROM
    )


def _open_halves(path: Path, split: xlsx_halves.SplitBook) -> OpenSheet | None:
    """Parse the first half of the sheet from a copy of the package cut in two, or return None
    (the sheet is then parsed whole, as the file is)."""
    import python_calamine as calamine

    try:
        with quiet_panics():
            book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(split.package))
            first = book.get_sheet_by_name(split.sheet)
            listed = _Listed(
                [n for n in book.sheet_names if n != split.second],
                list(book.sheets_metadata)[:-1],  # (the second half is listed last)
            )
    except Exception:
        return None
    return OpenSheet(listed, split.sheet, xlsx_halves.TwoHalves(book, split, first))


@dataclass
class _Listed:
    """The sheets of a workbook read from a copy cut in two, as the file lists them."""

    sheet_names: list[str]
    sheets_metadata: list[Any]


@dataclass
class OpenSheet:
    """A worksheet parsed by python-calamine: the workbook, the sheet's name and its cells."""

    workbook: Any
    name: str
    data: Any


def open_sheet(path: Path, *, sheet: str | None = None) -> OpenSheet:
    """Parse the first worksheet (or ``sheet``) of a workbook with python-calamine.

    A panic inside python-calamine is one of the damaged-file sentences too (its Rust report
    never reaches the terminal, see :mod:`~applinks.files.panics`).

    Raises:
        InputError: the file is protected, damaged, or has no worksheets.
        UsageError: ``sheet`` names no sheet of the workbook.
    """
    import python_calamine as calamine

    try:
        with quiet_panics():
            workbook = calamine.CalamineWorkbook.from_path(str(path))
            names = list(workbook.sheet_names)
    except calamine.PasswordError as exc:
        raise InputError(password_sentence(path.name), path=path) from exc
    except Exception as exc:  # calamine raises several types for damaged files
        raise ReaderRefused(
            f'"{path.name}" is damaged or not a workbook this tool can read; open it in Excel, '
            "save it as .xlsx and try again.",
            path=path,
        ) from exc
    chosen = choose_sheet(path, names, sheet)
    try:
        with quiet_panics():
            return OpenSheet(workbook, chosen, workbook.get_sheet_by_name(chosen))
    except Exception as exc:
        raise _damaged(path, chosen) from exc


def choose_sheet(path: Path, names: Sequence[str], sheet: str | None) -> str:
    """Return the sheet to read: ``sheet``, else the first of ``names`` (every reader's rule).

    Raises:
        InputError: the workbook has no worksheets.
        UsageError: ``sheet`` names no sheet of the workbook.
    """
    if not names:
        raise InputError(f'"{path.name}" has no worksheets.', path=path)
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    listed = ", ".join(f'"{n}"' for n in names)
    raise UsageError(f'"{path.name}" has no sheet named "{sheet}"; its sheets are {listed}.')


class ReaderRefused(InputError):
    """python-calamine could not parse the workbook or its sheet (another reader may)."""


class EmptySheet(InputError):
    """The sheet read has nothing in it; ``sheets`` are the workbook's sheets, when known (so
    the caller can name one that has data)."""

    sheets: tuple[str, ...] = ()


def _damaged(path: Path, sheet: str) -> InputError:
    return ReaderRefused(
        f'Sheet "{sheet}" of "{path.name}" is damaged and cannot be read; open the file in '
        "Excel, save it again and try again.",
        path=path,
    )


def sheet_table(
    opened: OpenSheet,
    path: Path,
    *,
    sheet: str | None,
    facts: CellFacts | None,
    link_columns: Collection[str] = (),
) -> Table:
    """Return the Table of a parsed sheet, shown as ``facts`` say (None: facts not read)."""
    chosen = opened.name
    try:
        table = table_from_sheet(
            opened.data, sheet=chosen, source=path.name, facts=facts, link_columns=link_columns
        )
    except EmptySheet as empty:
        empty.sheets = tuple(opened.workbook.sheet_names)
        raise
    except (ApplinksError, ReadAgain):  # (ReadAgain: the halves ask to read the sheet whole)
        raise
    except Exception as exc:
        raise _damaged(path, chosen) from exc
    if facts is None or not facts.formats_read:
        note = _formats_not_read(table, path)
        if note:
            table.notes.append(note)
    if sheet is None and _is_hidden(opened.workbook, 0):
        table.notes.append(
            f'Sheet "{chosen}" is hidden in Excel; it is read because it is the first sheet. '
            "Use --sheet NAME to read another one."
        )
    if facts is not None and facts.formulas_without_values:
        table.notes.append(_no_results_note(facts.formulas_without_values, table.sheet))
    return table


def _no_results_note(count: int, sheet: str | None) -> str:
    where = f'Sheet "{sheet}"' if sheet else "The sheet"
    cells, reads = ("formula cell", "it reads") if count == 1 else ("formula cells", "they read")
    return (
        f"{where} has {count:,} {cells} with no saved result (the file was not last saved by "
        f"Excel), so {reads} as empty; open the file in Excel, save it, and run this again to "
        "use their values."
    )


def _formats_not_read(table: Table, path: Path) -> str | None:
    """Say which columns hold numbers whose format was not read (an .xlsb's): they are
    written as plain numbers, which may not be what Excel shows (a zip 02134 as 2134)."""
    width = len(table.headers)
    numbers: set[int] = set()
    for row in table.rows:
        numbers.update(p for p, c in enumerate(row[:width]) if type(c) is int or type(c) is float)
        if len(numbers) == width:
            break
    if not numbers:
        return None
    named = ", ".join(
        f'"{table.headers[p]}"' if table.headers[p] else f"column {column_letter(p)}"
        for p in sorted(numbers)
    )
    return (
        f"Number formats are not read from {path.suffix.lower()} files, so the numbers in "
        f"{named} are written as plain numbers (a zip code shown as 02134 would be written "
        "2134); save the workbook as .xlsx to keep what Excel shows."
    )


def read_facts(path: Path, sheet: str | None) -> CellFacts | None:
    """Return what the file says beyond the values of ``sheet`` (formats, errors, links).

    Only the formats that change a value are collected (:func:`~applinks.shown.carries_meaning`).
    None for a kind of file whose facts are not read.
    """
    reader = FACT_READERS.get(path.suffix.lower())
    if reader is None:
        return None
    return reader(path, sheet, wanted=carries_meaning, builtin=builtin_format)


#: The reader of cell facts for each kind of workbook (of an .xlsb's, only its error cells are
#: read: a note says its number formats are not).
FACT_READERS: dict[str, Callable[..., CellFacts]] = {
    **dict.fromkeys((".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam"), read_cell_facts),
    ".xls": read_xls_facts,
    ".ods": read_ods_facts,
    ".xlsb": read_xlsb_facts,
}


def table_from_sheet(
    data: Any,
    *,
    sheet: str | None,
    source: str,
    facts: CellFacts | None = None,
    link_columns: Collection[str] = (),
) -> Table:
    """Build a Table over a python-calamine sheet whose rows are read on demand.

    The result is what :func:`table_from_grid` gives for the same cells (same header row, same
    width, same values), but its ``rows`` are a :class:`SheetRows`: the sheet stays in
    python-calamine's compact memory and each pass over the rows converts them afresh (and
    shows them as ``facts`` say, see :class:`~applinks.files.as_shown.ShownCells`).
    """
    pad = data.start[1] if data.start else 0
    left = [""] * pad
    found = find_header(left + r for r in data.iter_rows())
    if found is None and facts is not None and facts.errors:
        # python-calamine gives error cells as empty: a sheet of only #N/A is not empty.
        errors = ShownCells(facts, width=pad + (data.width or 0))
        found = find_header(
            errors.apply([left + r], number)[0] for number, r in enumerate(data.iter_rows(), 1)
        )
        if found is None:
            # Error cells python-calamine leaves out (an .xlsb's formulas whose result is an
            # error) are outside its grid: the sheet is its cells with the errors written in.
            return table_from_grid(_with_errors(data, facts, left), sheet=sheet, source=source)
    if found is None:
        raise EmptySheet(f'"{source}" has nothing in it: the sheet is empty.', path=source)
    header_index = found.index
    cells = list(found.cells)
    if facts is not None:  # the header row as shown too (TRUE, not 1, from an .ods)
        ShownCells(facts, width=len(cells)).apply([cells], header_index + 1)
    headers = [header_text(c) for c in cells]
    rows = SheetRows(data, skip=header_index + 1, pad=pad, width=len(headers))
    width = len(headers)
    if width and headers[-1] == "":
        last_header = max((i + 1 for i, h in enumerate(headers) if h), default=0)
        width = rows.used_width(last_header)
    shown = _shown(facts, headers[:width])
    rows = SheetRows(data, skip=header_index + 1, pad=pad, width=width, shown=shown)
    table = Table(
        headers[:width],
        rows,
        sheet=sheet,
        source=source,
        header_row=header_index + 1,
        rows_above=tuple(i + 1 for i in found.above),
    )
    table.unused_columns = unused_columns(table.headers, rows)
    if facts is not None:
        table.links = _column_links(facts, table, link_columns)
    return table


def _with_errors(data: Any, facts: CellFacts, left: list[Any]) -> list[list[Any]]:
    """Return the sheet's rows (from row 1) with every error cell of ``facts`` written in."""
    grid = [left + list(r) for r in data.iter_rows()]
    for column, given in facts.errors.items():
        for row, text in given.items():
            grid.extend([] for _ in range(row - len(grid)))
            cells = grid[row - 1]
            cells.extend([None] * (column + 1 - len(cells)))
            cells[column] = text
    return grid


def _column_links(
    facts: CellFacts, table: Table, link_columns: Collection[str]
) -> dict[str, dict[int, str]]:
    """Return the hyperlink targets of the named columns by data row index."""
    out: dict[str, dict[int, str]] = {}
    for name in link_columns:
        position = find_column(table.headers, name)
        if position is None:
            continue  # the operation that reads the column says it is missing
        first = table.header_row + 1
        out[table.headers[position]] = {
            row - first: url for row, url in facts.links.get(position, {}).items() if row >= first
        }
    return out


def _shown(facts: CellFacts | None, headers: list[str]) -> ShownCells | None:
    """Return how the rows are shown, or None when the facts change nothing.

    In the App Content URL column a cell's hyperlink target is its value (the link Cloze
    opens); every other column keeps the text the user sees.
    """
    if facts is None:
        return None
    url = map_headers(headers).get(APP_CONTENT_URL)
    shown = ShownCells(facts, width=len(headers), link_positions=() if url is None else (url,))
    return shown if shown else None


class SheetRows(LazyRows):
    """The data rows of a python-calamine sheet, normalised as :func:`normalize_row` does (and
    shown as ``shown`` says), cut to ``width`` cells, without the blank rows at the end of the
    sheet; made afresh on each pass.
    """

    def __init__(
        self, data: Any, *, skip: int, pad: int, width: int, shown: ShownCells | None = None
    ) -> None:
        super().__init__()
        self._data, self._skip, self._pad, self._width = data, skip, pad, width
        self._shown = shown

    def estimated_length(self) -> int | None:
        if self._length is not None:
            return self._length
        end = self._data.end  # (last row, last column), 0-based; iteration starts at row 0
        return max(0, end[0] + 1 - self._skip) if end else 0

    def split_point(self) -> int | None:
        # Passing over rows costs only python-calamine's conversion of them (no normalising).
        estimate = self.estimated_length()
        return (estimate // 2) // BLOCK * BLOCK if estimate and estimate >= 2 * BLOCK else None

    def part(self, start: int, stop: int | None = None) -> LazyRows:
        if start == 0:
            return super().part(start, stop)
        tail = SheetRows(
            self._data,
            skip=self._skip + start,
            pad=self._pad,
            width=self._width,
            shown=self._shown,
        )
        return tail if stop is None else tail.part(0, stop - start)

    def _raw(self) -> Iterator[list[Any]]:
        rows = islice(self._data.iter_rows(), self._skip, None)
        if self._pad:
            left = [""] * self._pad
            return (left + r for r in rows)
        return iter(rows)

    def _produce_blocks(self, size: int) -> Iterator[list[Row]]:
        made: Iterator[list[Row]] = map(normalize_block, chunks(self._raw(), size))
        if self._shown is not None:  # sheet rows from skip + 1, ``size`` a block
            made = map(self._shown.apply, made, count(self._skip + 1, size))
        return trimmed_blocks(made, self._width, is_blank=blank)

    def used_width(self, last_header: int) -> int:
        """Return the width up to the last column that has a header or any data."""
        used = last_header
        for row in map(normalize_row, self._raw()):
            for pos in range(len(row) - 1, used - 1, -1):
                if row[pos] is not None:
                    used = pos + 1
                    break
        return used


def _is_hidden(workbook: Any, index: int) -> bool:
    try:
        import python_calamine as calamine

        return workbook.sheets_metadata[index].visible != calamine.SheetVisibleEnum.Visible
    except Exception:  # older python-calamine without sheet metadata
        return False


def table_from_grid(grid: Sequence[Sequence[Any]], *, sheet: str | None, source: str) -> Table:
    """Build a Table from raw rows: find the header row and normalise every cell."""
    found = find_header(grid)
    if found is None:
        raise EmptySheet(f'"{source}" has nothing in it: the sheet is empty.', path=source)
    header_index = found.index
    headers = [header_text(c) for c in found.cells]
    rows = [normalize_row(row) for row in grid[header_index + 1 :]]
    while rows and not any(c is not None for c in rows[-1]):
        rows.pop()
    # Keep every column that has a header or any data; drop only empty trailing columns.
    width = max(len(headers), max((len(r) for r in rows), default=0))
    while width and not _column_used(headers, rows, width - 1):
        width -= 1
    headers = (headers + [""] * width)[:width]
    rows = [r[:width] for r in rows]
    table = Table(
        headers,
        rows,
        sheet=sheet,
        source=source,
        header_row=header_index + 1,
        rows_above=tuple(i + 1 for i in found.above),
    )
    table.unused_columns = unused_columns(headers, rows)
    return table


#: Whole numbers below this size have at most 15 digits: int() keeps them exactly.
_BIG = 1e15


def normalize_row(row: Iterable[Any]) -> list[Cell]:
    """Return the row with ``""`` as None and numbers as Excel keeps them (15 digits)."""
    out: list[Cell] = []
    for value in row:
        kind = type(value)
        if kind is str:
            out.append(value if value else None)
        elif kind is float:
            out.append(general_number(value))
        else:
            out.append(value)
    return out


def normalize_block(rows: list[list[Any]]) -> list[Row]:
    """Return :func:`normalize_row` of every row, worked out column by column, in place.

    A column of text without empty cells, or of whole numbers, costs a few C-level passes
    instead of a Python step per cell; only the columns that change are written back into the
    rows (which are the reader's own, fresh lists). Rows of different lengths go row by row.
    """
    if not rows:
        return []
    if len(set(map(len, rows))) != 1 or not rows[0]:
        return [normalize_row(row) for row in rows]
    for position, column in enumerate(zip(*rows, strict=True)):
        kinds = set(map(type, column))
        if kinds == {str}:
            if "" not in column:
                continue
            new: Iterable[Any] = [value or None for value in column]
        elif kinds == {float} and all(whole := list(map(float.is_integer, column))):
            if min(column) > -_BIG and max(column) < _BIG:
                new = map(int, column)
            else:
                new = map(general_number, column)
        elif kinds == {float} and _kept_as_they_are(column, whole):
            # Whole numbers become ints, the others stay (baths: 2.0 and 3.5): picked at C speed
            new = map(getitem, zip(column, map(int, column), strict=True), whole)
        elif float in kinds or str in kinds:
            new = normalize_row(column)
        else:
            continue
        for row, value in zip(rows, new, strict=False):
            row[position] = value
    return rows


def _kept_as_they_are(column: Sequence[float], whole: list[bool]) -> bool:
    """Return True when :func:`~applinks.numfmt.general_number` of every number of a column is
    ``int`` of a whole one (below 15 digits) and the other numbers themselves.

    A fraction whose shortest form (``repr``) has at most 16 characters has at most 15
    significant digits, so rounding it to Excel's 15 gives it back; only longer ones
    (``0.30000000000000004``) need the rounding.
    """
    wholes = list(compress(column, whole))
    if wholes and not (min(wholes) > -_BIG and max(wholes) < _BIG):
        return False
    if not all(map(math.isfinite, column)):
        return False  # (no cell holds one; general_number keeps it, int() cannot)
    fractions = compress(column, map(not_, whole))
    return max(map(len, map(float.__repr__, fractions)), default=0) <= _SHORT_FRACTION


#: The longest ``repr`` of a fraction that surely has at most 15 significant digits (the digits,
#: a point and a sign; an exponent form has fewer digits).
_SHORT_FRACTION = 16


def _column_used(headers: list[str], rows: list[list[Cell]], pos: int) -> bool:
    if pos < len(headers) and headers[pos] != "":
        return True
    return any(pos < len(r) and r[pos] is not None for r in rows)
