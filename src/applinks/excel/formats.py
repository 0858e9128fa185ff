"""Read the number formats of a sheet's columns from Excel, a column at a time, not a cell.

Excel answers ``Range.NumberFormat`` for a whole range when every cell has the same format,
and Null (None) when they differ. A column is asked once; only a column whose cells differ is
split in halves, and each half asked again, until every part has one format. The calls into
Excel grow with the number of format changes down a column, not with its rows (and stop at
:data:`MAX_CALLS`, past which the rest counts as General: plain values).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from applinks.shown import carries_meaning, shown_value
from applinks.table import Cell

#: Most ``NumberFormat`` calls for one column.
MAX_CALLS = 256

#: Runs of one format down a column: (first row, last row, format code), 1-based sheet rows.
Runs = list[tuple[int, int, str]]


def format_steps(
    sheet: Any, column: int, first_row: int, last_row: int
) -> Generator[tuple[str, Any], Any, Runs]:
    """Return the formats of the cells of a column (1-based) from ``first_row`` to ``last_row``.

    Only the runs whose format changes a value (see :func:`~applinks.shown.carries_meaning`)
    are returned; the rest are General or cosmetic, which a reader's plain value already is.
    A generator of read steps (:func:`applinks.excel.ranges.run_reads`): it yields
    ``("number_format", range)`` and is sent the range's format.
    """
    runs: Runs = []
    pending = [(first_row, last_row)]
    calls = 0
    while pending and calls < MAX_CALLS:
        first, last = pending.pop()
        code = yield "number_format", sheet.range((first, column), (last, column))
        calls += 1
        if code is None and first < last:
            middle = (first + last) // 2
            pending += [(middle + 1, last), (first, middle)]  # the upper half is popped first
        elif isinstance(code, str) and carries_meaning(code):
            runs.append((first, last, code))
    return sorted(runs)


def apply_formats(cells: list[Cell], runs: Runs, first_row: int) -> list[Cell]:
    """Return ``cells`` (of sheet rows from ``first_row`` on) as their formats show them."""
    for first, last, code in runs:
        start, stop = max(first - first_row, 0), min(last - first_row + 1, len(cells))
        cells[start:stop] = [shown_value(c, code) for c in cells[start:stop]]
    return cells


def apply_to_rows(rows: Sequence[list[Cell]], position: int, runs: Runs, first_row: int) -> None:
    """Change the cells of column ``position`` (0-based) of ``rows`` in place, as shown."""
    for first, last, code in runs:
        for index in range(max(first - first_row, 0), min(last - first_row + 1, len(rows))):
            row = rows[index]
            if position < len(row):
                row[position] = shown_value(row[position], code)
