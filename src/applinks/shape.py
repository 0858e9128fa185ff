"""The shape of a sheet: which row holds the headers, and what lies above them.

A sheet's first rows are looked at once, the same way for a workbook, a CSV file and the sheet
open in Excel (every reader calls :func:`find_header`). The rule, in the order it is applied:

- Row 1, that is the first row with anything in it, is the header row, unless it is a lone
  title: one filled cell that is not a Cloze header (``Listings, November``). Title rows at
  the top are passed over; the first row that is not one is the header row. (If every filled
  row among the first :data:`HEADER_SEARCH_ROWS` is a lone cell, as in a one-column list, the
  first of them is the header row.)
- A later row among the first :data:`HEADER_SEARCH_ROWS` takes over only when it has clearly
  more Cloze headers than every row above it: at least :data:`CLEARLY_MORE` different ones,
  and at least :data:`CLEARLY_MORE` more than any row above (a header repeated counts once).
  A data row that happens to hold a word such as ``Name`` never takes the header's place from
  a header row that has Cloze headers.
- Only text counts as a Cloze header: numbers, dates, booleans and Excel's error values
  (``#NAME?``, ``#N/A``, ``#REF!``, ...) never do.

The rows above the header row that hold something are named to the user: they are not
written to the CSV for Cloze, which starts at the headers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from applinks.headers import cloze_header_of, is_cloze_header
from applinks.numfmt import general_number
from applinks.table import cell_text

#: Rows looked at, at the top of a sheet, to find the header row.
HEADER_SEARCH_ROWS = 10
#: A row below the first header candidate becomes the header row only with at least this many
#: Cloze headers, and at least this many more than any row above it.
CLEARLY_MORE = 2

#: Excel's grid (Excel 2007 and later, LibreOffice 7.4 and later): the last row, the last column
#: (XFD) and the most characters a cell holds. The readers, the writers and the rules use these.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767


@dataclass(frozen=True)
class HeaderRow:
    """Where the headers are: ``index`` is the 0-based row, ``cells`` its values as read, and
    ``above`` the 0-based rows above it that hold something (a title, notes)."""

    index: int
    cells: Sequence[Any]
    above: tuple[int, ...] = ()


def find_header(rows: Iterable[Sequence[Any]]) -> HeaderRow | None:
    """Return the header row among ``rows`` (a sheet's rows from the top), by the module's rule.

    Only the first :data:`HEADER_SEARCH_ROWS` rows are compared. When they are all empty, the
    first row with anything in it is the header row, however far down (``rows`` is read only
    that far). Returns None when no row holds anything.

    >>> find_header([["Listings, November"], [], ["Name", "Zip"], ["12 Elm St", "02108"]])
    HeaderRow(index=2, cells=['Name', 'Zip'], above=(0,))
    """
    rows = iter(rows)
    top = list(islice(rows, HEADER_SEARCH_ROWS))
    filled = [i for i, row in enumerate(top) if _filled(row)]
    if not filled:
        found = next(((i, r) for i, r in enumerate(rows, len(top)) if _filled(r)), None)
        return HeaderRow(found[0], found[1]) if found is not None else None
    # Distinct Cloze headers: a row that repeats one ("Unique ID" three times, or spelt three
    # ways) names one, like data.
    counts = {i: len({_header_of(c) for c in top[i]} - {None}) for i in filled}
    index = next((i for i in filled if not _is_title(top[i])), filled[0])
    most = 0  # the most Cloze headers in one row above the row looked at
    for i in filled:
        if i > index and counts[i] >= CLEARLY_MORE and counts[i] >= most + CLEARLY_MORE:
            index = i
        most = max(most, counts[i])
    return HeaderRow(index, top[index], tuple(i for i in filled if i < index))


def is_header_cell(value: Any) -> bool:
    """Return True for a cell whose text is a Cloze header or a known spelling of one.

    Numbers, dates, booleans and Excel's error values (``#NAME?``) are never headers.
    """
    return type(value) is str and is_cloze_header(value)


def _header_of(value: Any) -> str | None:
    """Return the Cloze header a cell names (see :func:`is_header_cell`), or None."""
    return cloze_header_of(value) if type(value) is str else None


def _is_title(row: Sequence[Any]) -> bool:
    """Return True for a row with one filled cell that is not a Cloze header (a title)."""
    cells = [c for c in row if _shows(c)]
    return len(cells) == 1 and not is_header_cell(cells[0])


def _filled(row: Sequence[Any]) -> bool:
    return any(map(_shows, row))


def _shows(value: Any) -> bool:
    """Return True for a cell that shows something (not empty, not only spaces)."""
    return is_present(value) and not (type(value) is str and value.isspace())


def is_present(value: Any) -> bool:
    """Return True for a cell that holds something (not None, not empty text)."""
    return value is not None and value != ""


def header_text(value: Any) -> str:
    """Return a header cell as text, as the user sees it (a number header without ``.0``).

    Booleans are ``TRUE``/``FALSE`` and a date is ``YYYY-MM-DD`` (a date-time at midnight, as
    Excel hands a date over, too), as in every other cell of the CSV.
    """
    if value is None:
        return ""
    if type(value) is str:
        return value
    if type(value) is dt.datetime and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, bool | int | float | dt.date | dt.time | dt.timedelta):
        return cell_text(general_number(value) if type(value) is float else value)
    return str(value)


def unused_columns(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[int, ...]:
    """Return the positions of columns with no header and no value in any row.

    Such a column is not written to the CSV for Cloze (it is a gap in the sheet, not data).
    The rows are walked only when a header is empty, and only until every such column has
    shown a value.
    """
    pending = {p for p, h in enumerate(headers) if not h}
    for row in rows if pending else ():
        pending -= {p for p in pending if p < len(row) and row[p] is not None and row[p] != ""}
        if not pending:
            break
    return tuple(sorted(pending))
