"""What a workbook says about a sheet's cells beyond the values python-calamine reads.

The readers of :mod:`applinks.files.xlsx_cells` (.xlsx/.xlsm),
:mod:`applinks.files.xls_cells` (.xls) and :mod:`applinks.files.ods_cells` (.ods) return the
same :class:`CellFacts`, so the code that applies them knows nothing of file formats.
"""

from __future__ import annotations

import zipfile
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from applinks.table import Cell

T = TypeVar("T")

#: What reading a damaged or hostile zip package can raise; a reader of facts gives empty facts
#: for them (python-calamine reports the damaged file itself).
ZIP_READ_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    KeyError,
    ValueError,  # defusedxml's refusals (and a damaged sheet's) are ValueErrors
    SyntaxError,  # xml.etree's ParseError
    NotImplementedError,  # an unsupported compression method
    RuntimeError,  # an encrypted part
)

#: The error values a binary workbook stores by their code, as Excel shows them: BErr, the same
#: codes in .xls (MS-XLS 2.5.10) and .xlsb (MS-XLSB 2.5.97.2).
ERROR_CODES = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}

#: A number format: its code, or a built-in format's id when no code is known for it.
NumberFormat = str | int


@dataclass(frozen=True)
class StyledColumn:
    """The cells of one column that hold a number under a wanted style, in row order.

    ``rows`` (1-based sheet rows, ascending, each once) and ``xfs`` (the style index of the
    cell in that row) are parallel arrays of unsigned ints: 8 bytes a cell.
    """

    rows: array[int]
    xfs: array[int]

    def between(self, first_row: int, stop_row: int) -> tuple[array[int], array[int]]:
        """Return the styled rows from ``first_row`` up to, not including, ``stop_row``, and
        their styles (two binary searches and two slices)."""
        low = bisect_left(self.rows, first_row)
        high = bisect_left(self.rows, stop_row, low)
        return self.rows[low:high], self.xfs[low:high]

    def xf_at(self, row: int) -> int | None:
        """Return the style of the cell in ``row``, or None when it is not a styled number."""
        index = bisect_left(self.rows, row)
        if index < len(self.rows) and self.rows[index] == row:
            return self.xfs[index]
        return None


@dataclass(frozen=True)
class CellFacts:
    """What a sheet's XML says beyond its values. Rows are 1-based sheet rows, columns 0-based.

    Everything is by column first, the way a caller that walks rows in blocks uses it (and so
    that a million cells cost no work to Python's cycle collector).

    - ``formats``: style (xf) index -> number format, for the wanted styles only. Style 0 is
      the style of every cell without one; when it is wanted it is here but never in
      ``styled``: it applies to every number cell that ``style_at`` says None for.
    - ``styled``: column -> :class:`StyledColumn`, the number cells under a wanted style
      other than 0 (cells of text, booleans, errors or ISO dates are left out, and so are
      empty cells).
    - ``errors``: column -> row -> the error the cell shows (``#N/A``, ``#DIV/0!``, ...).
    - ``links``: column -> row -> hyperlink target: the web (external) links of the sheet's
      hyperlinks, and the first argument of ``HYPERLINK("literal", ...)`` formulas; where a
      cell has both, the hyperlink wins. Links to places inside the workbook are left out.
    - ``values``: column -> row -> the right value of a cell whose value the reader gets
      wrong: ``True``/``False`` for an .ods boolean (read as 1.0/0.0), a ``timedelta`` for an
      .ods duration (read as ISO text such as ``PT30H10M10S``).
    """

    formats: dict[int, NumberFormat] = field(default_factory=dict)
    styled: dict[int, StyledColumn] = field(default_factory=dict)
    errors: dict[int, dict[int, str]] = field(default_factory=dict)
    links: dict[int, dict[int, str]] = field(default_factory=dict)
    values: dict[int, dict[int, Cell]] = field(default_factory=dict)
    #: Formula cells with no saved result, which the reader gives as empty (.xlsx only).
    formulas_without_values: int = 0
    #: False when the file's number formats were not read (an .xlsb's: only its errors are).
    formats_read: bool = True

    def style_at(self, row: int, column: int) -> int | None:
        """Return the wanted style of the number cell at (row, column), or None."""
        styled = self.styled.get(column)
        return styled.xf_at(row) if styled is not None else None

    def styled_columns(self) -> list[int]:
        """Return the columns that have any styled number cell, left to right."""
        return sorted(self.styled)

    def error_at(self, row: int, column: int) -> str | None:
        """Return the error the cell at (row, column) shows, or None."""
        return self.errors.get(column, {}).get(row)

    def link_at(self, row: int, column: int) -> str | None:
        """Return the hyperlink target of the cell at (row, column), or None."""
        return self.links.get(column, {}).get(row)


def by_column(cells: Mapping[tuple[int, int], T]) -> dict[int, dict[int, T]]:
    """Return ``(row, column) -> value`` as ``column -> row -> value``."""
    out: dict[int, dict[int, T]] = {}
    for (row, column), value in cells.items():
        out.setdefault(column, {})[row] = value
    return out
