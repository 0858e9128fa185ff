"""The table model: a header row and data rows of plain Python values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: What a cell may hold after reading: text, a whole number, another number, a date, a
#: date-time, a boolean, or nothing (an empty cell).
Cell = str | int | float | bool | dt.date | dt.datetime | None

#: The four App Link headers, exactly, in Cloze's order.
APP_ID = "App ID"
APP_UNIQUE_ID = "App Unique ID"
APP_NAME = "App Name"
APP_CONTENT_URL = "App Content URL"
APP_LINK_HEADERS: tuple[str, str, str, str] = (APP_ID, APP_UNIQUE_ID, APP_NAME, APP_CONTENT_URL)


@dataclass
class Table:
    """One worksheet: ``headers`` is sheet row 1, ``rows[i]`` is sheet row ``i + 2``.

    Rows may be shorter than the header (trailing empty cells); readers never pad, so use
    :meth:`cell` or :meth:`column_values` to read.
    """

    headers: list[str]
    rows: list[list[Cell]]
    sheet: str | None = None
    #: Where the table came from, for messages ("book.xlsx", sheet "Deals").
    source: str | None = None
    #: For CSV input: the encoding that was detected ("utf-8-sig", "utf-16", "cp1252").
    encoding: str | None = None
    #: Notes from the reader worth telling the user (e.g. formulas without cached values).
    notes: list[str] = field(default_factory=list)
    #: 1-based sheet row of the header when the reader found it below row 1 (else 1).
    header_row: int = 1

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

    @staticmethod
    def sheet_row(row_index: int) -> int:
        """Return the 1-based sheet row a person sees for data row ``row_index``."""
        return row_index + 2
