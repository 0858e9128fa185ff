"""Read the .xls files python-calamine cannot: Excel 2.x to 95 (BIFF2-BIFF5), and odd BIFF8.

xlrd is the maintained reader of .xls files (its 2.x line reads nothing else) and knows every
BIFF version from Excel 2.0 on. It reads the whole sheet into memory, which is fine here: an
.xls sheet has at most 65,536 rows and 256 columns. Values are shown as their number formats
say (a zip under ``00000`` stays ``02134``, a date stays a date), from xlrd's formatting
records; hyperlink targets and error cells' warnings are not read this way (a note says so).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from applinks.errors import InputError
from applinks.shown import carries_meaning, shown_value
from applinks.table import Cell, Table

from .xlsx_in import EmptySheet, choose_sheet, table_from_grid

#: BIFF versions by the first record of a stream (its BOF), and the Excel that wrote them.
BIFF_VERSIONS = {
    b"\x09\x00": "2.x",
    b"\x09\x02": "3.0",
    b"\x09\x04": "4.0",
    b"\x09\x08": "5.0/95",
}
#: Largest old (not OLE) .xls stream read: Excel 4.0 sheets are small; more is not Excel's.
MAX_OLD_BYTES = 64 * 1024 * 1024


def old_biff_version(head: bytes) -> str | None:
    """Return the Excel version of a bare BIFF stream (an .xls before Excel 5), else None."""
    return BIFF_VERSIONS.get(head[:2]) if len(head) >= 4 and head[2:4] in _BOF_SIZES else None


#: A BOF record's body is 4 (BIFF2), 6 (BIFF3/4) or 8-16 bytes long.
_BOF_SIZES = {bytes([n, 0]) for n in (4, 6, 8, 16)}


class CannotRead(InputError):
    """xlrd cannot open the file as a workbook."""


def cannot_read(name: str, version: str) -> str:
    """Return the sentence for an old workbook that no reader here can open."""
    return (
        f'"{name}" is an Excel {version} workbook that this tool cannot read; open it in Excel '
        "or LibreOffice, save it as .xlsx and try again."
    )


def chart_object_sentence(path: Path) -> str | None:
    """Return the sentence for a Microsoft Graph chart object saved as a file, else None.

    Microsoft Graph (the chart tool of Office 95 to 2003) saves a chart in the .xls format:
    a chart sheet and the chart's own data sheet, no worksheet. Its compound file says what
    it is in its ``CompObj`` stream (program id ``MSGraph.Chart.5`` or ``.8``). LibreOffice
    shows the chart's data as cells; no reader here does.
    """
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if not ole.exists("\x01CompObj"):
                return None
            kind = bytes(ole.openstream("\x01CompObj").read(4096))
    except Exception:  # olefile raises several types for damaged files
        return None
    if b"MSGraph.Chart" not in kind:
        return None
    return (
        f'"{path.name}" is a Microsoft Graph chart, not a workbook: it has no worksheet, only '
        "the numbers the chart is drawn from; open it in LibreOffice Calc, which shows them as "
        "cells, save it as .xlsx and try again."
    )


def read_with_xlrd(path: Path, *, sheet: str | None, version: str | None) -> Table:
    """Read the first worksheet (or ``sheet``) of an .xls with xlrd, values as shown.

    ``version`` names the Excel that wrote the file, for the sentence when xlrd cannot read it
    either (None: a workbook python-calamine refused, which gets the damaged-file sentence).

    Raises:
        CannotRead: xlrd cannot read it either.
        UsageError: ``sheet`` names no sheet of the workbook.
    """
    if path.stat().st_size > MAX_OLD_BYTES and version not in (None, BIFF_VERSIONS[b"\x09\x08"]):
        raise CannotRead(cannot_read(path.name, version), path=path)
    book = _open_book(filename=str(path))
    if book is None:
        found = workbook_stream(path)
        book = None if found is None else _open_book(file_contents=found[1])
    if book is None:
        sentence = (
            cannot_read(path.name, version)
            if version
            else f'"{path.name}" is damaged or not a workbook this tool can read; open it in '
            "Excel, save it as .xlsx and try again."
        )
        raise CannotRead(sentence, path=path)
    return _table(book, path, sheet)


def _open_book(**source: Any) -> Any:
    """Return the workbook xlrd opens from ``source`` (its arguments), or None."""
    import xlrd

    for formatting in (True, False):  # formatting records are optional; values are not
        try:
            return xlrd.open_workbook(
                **source, formatting_info=formatting, logfile=io.StringIO(), on_demand=True
            )
        except Exception:  # xlrd raises many types for files it cannot read
            continue
    return None


def workbook_stream(path: Path, *, excel95: bool = False) -> tuple[str, bytes] | None:
    """Return the name of a compound file's workbook stream and its bytes as olefile reads
    them, or None when it has none or cannot be read.

    "Workbook" holds an Excel 97 or later workbook (BIFF8), "Book" an Excel 5.0/95 one (BIFF5);
    a file with both is Excel 97's. With ``excel95``, only a "Book" stream is read (None for an
    Excel 97 workbook, whose stream is left unread).

    xlrd reads every FAT sector the header lists, olefile (like LibreOffice) only as many as
    it says it has, so a file with a bad sector number after those opens this way. Its size
    was checked by ``guards.check_ole``.
    """
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            for name in ("Workbook", "Book"):
                if ole.exists(name):
                    if excel95 and name != "Book":
                        return None
                    return name, bytes(ole.openstream(name).read())
    except Exception:  # olefile raises several types for damaged files: the reader reports it
        return None
    return None


def _table(book: Any, path: Path, sheet: str | None) -> Table:
    names = book.sheet_names()
    chosen = choose_sheet(path, names, sheet)
    try:
        data = book.sheet_by_name(chosen)
        grid = [
            [_cell(book, data.cell(r, c)) for c in range(data.ncols)] for r in range(data.nrows)
        ]
    except Exception as exc:
        raise InputError(
            f'Sheet "{chosen}" of "{path.name}" is damaged and cannot be read; open the file in '
            "Excel, save it again and try again.",
            path=path,
        ) from exc
    try:
        return table_from_grid(grid, sheet=chosen, source=path.name)
    except EmptySheet as empty:
        empty.sheets = tuple(names)
        raise


def _cell(book: Any, cell: Any) -> Cell:
    """Return one xlrd cell as the user sees it."""
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_TEXT:
        return str(value) or None
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(value, "#VALUE!"))
    code = _format_code(book, cell.xf_index)
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate_as_datetime(value, book.datemode)
        except Exception:  # a date before 1900 or past 9999: keep the number
            return value
        if code is not None and carries_meaning(code):
            return shown_value(moment, code)
        return moment.date() if moment.time() == dt.time() else moment
    if code is not None and carries_meaning(code):
        return shown_value(value, code)
    return value


def _format_code(book: Any, xf_index: int | None) -> str | None:
    """Return the number format code of a cell's style, when the file's formatting was read."""
    if xf_index is None or not getattr(book, "xf_list", None):
        return None
    try:
        xf = book.xf_list[xf_index]
        return str(book.format_map[xf.format_key].format_str)
    except (IndexError, KeyError, AttributeError):
        return None
