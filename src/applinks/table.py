"""The table model: a header row and data rows of plain Python values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

#: What a cell may hold after reading: text, a whole number, another number, a date, a
#: date-time, a boolean, or nothing (an empty cell).
Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

#: The four App Link headers, exactly, in Cloze's order.
APP_ID = "App ID"
APP_UNIQUE_ID = "App Unique ID"
APP_NAME = "App Name"
APP_CONTENT_URL = "App Content URL"
APP_LINK_HEADERS: tuple[str, str, str, str] = (APP_ID, APP_UNIQUE_ID, APP_NAME, APP_CONTENT_URL)


@dataclass
class Table:
    """One worksheet: ``headers`` is sheet row 1, ``rows[i]`` is sheet row ``i + 2``.

    (When the header sits lower, ``header_row`` says where, and rows count from below it.)

    Rows may be shorter than the header (trailing empty cells); readers never pad, so use
    :meth:`cell` or :meth:`column_values` to read.
    """

    headers: list[str]
    #: A list, or rows read on demand (see :mod:`applinks.rows`); both iterate and index alike.
    rows: Sequence[list[Cell]]
    sheet: str | None = None
    #: Where the table came from, for messages ("book.xlsx", sheet "Deals").
    source: str | None = None
    #: For CSV input: the encoding that was detected ("utf-8-sig", "utf-16", "cp1252").
    encoding: str | None = None
    #: Notes from the reader worth telling the user (e.g. formulas without cached values).
    notes: list[str] = field(default_factory=list)
    #: 1-based sheet row of the header when the reader found it below row 1 (else 1).
    header_row: int = 1
    #: 0-based positions of columns with neither a header nor a value in any row: kept here so
    #: positions stay the sheet's, but not written to the CSV for Cloze.
    unused_columns: tuple[int, ...] = ()
    #: Hyperlink targets of the columns read for their links (``--from-url``): header -> data
    #: row index -> target, for the cells whose link differs from the text they show (which
    #: stays their value, and what the CSV gets in that column).
    links: dict[str, dict[int, str]] = field(default_factory=dict)
    #: 1-based sheet rows above the header that hold something (a title): never written.
    rows_above: tuple[int, ...] = ()

    @property
    def width(self) -> int:
        return len(self.headers)

    def index(self, header: str) -> int | None:
        """Return the 0-based position of the column with exactly this header, or None."""
        try:
            return self.headers.index(header)
        except ValueError:
            return None

    def column_values(self, position: int) -> list[Cell]:
        """Return every data cell of the column at ``position`` (None past a short row)."""
        return [row[position] if position < len(row) else None for row in self.rows]

    def cell(self, row_index: int, position: int) -> Cell:
        row = self.rows[row_index]
        return row[position] if position < len(row) else None

    def sheet_row(self, row_index: int) -> int:
        """Return the 1-based sheet row a person sees for data row ``row_index``."""
        return row_index + 1 + self.header_row


def cell_text(value: Cell) -> str:
    """Return a cell as the text Cloze should receive (SPEC section 5).

    Empty cells give ``""``, whole numbers have no ``.0``, other numbers use the shortest form
    that reads back as the same number, dates are ``YYYY-MM-DD``, date-times
    ``YYYY-MM-DD HH:MM:SS`` and booleans ``TRUE``/``FALSE``.
    """
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is float:
        f: float = value  # type: ignore[assignment]
        if f.is_integer() and abs(f) < 1e21:
            return str(int(f))
        return repr(f)
    if kind is dt.datetime:
        return value.strftime("%Y-%m-%d %H:%M:%S")  # type: ignore[union-attr]
    if kind is dt.date:
        return value.isoformat()  # type: ignore[union-attr]
    if kind is dt.time:
        return value.strftime("%H:%M:%S")  # type: ignore[union-attr]
    if kind is dt.timedelta:
        seconds = int(value.total_seconds())  # type: ignore[union-attr]
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(value)
