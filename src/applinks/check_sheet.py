"""The App Link Check sheet, cell by cell: one layout for the annotated file and the add-in.

:func:`check_sheet_layout` turns a :class:`~applinks.issues.Report` into the sheet's rows: a
summary at the top, the issue list (its header on row 5, one row per issue with a link to the
issue's cell) and the known App IDs in column K, which the App ID column's list offers. The
annotated-file writer (:mod:`applinks.files.xlsx_check_sheet`) and the Excel add-in
(:mod:`applinks.excel.flags`) only render these rows, so both show the same sheet.

Pure: no files, no Excel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from applinks.headers import column_letter, map_headers
from applinks.issues import Report
from applinks.shape import MAX_ROWS
from applinks.table import Cell

CHECK_SHEET = "App Link Check"
#: The issue list's columns: the report's fields in the order of ``applinks check --report``,
#: with the issue's cell (a link to it) after Column.
CHECK_COLUMNS = ("Row", "Column", "Cell", "Code", "Severity", "Message", "Value", "Suggestion")
#: The widths of columns A to K (I and J stay narrow and empty, apart from the App ID list).
CHECK_WIDTHS = (7, 18, 8, 22, 9, 90, 28, 24, 3, 3, 22)
#: The issue list starts here (row 5 is its header); the App ID list sits in column K.
LIST_HEADER_ROW = 5
#: 0-based columns: the sheet row numbers, the links to the cells, the known App IDs.
ROW_COLUMN = 0
LINK_COLUMN = 2
KNOWN_COLUMN = 10
KNOWN_HEADER = "Known App IDs"


@dataclass(frozen=True)
class Link:
    """A cell of the data sheet, shown as its address and going to it when clicked."""

    address: str  # such as "B3"
    location: str  # such as "'Deals'!B3"

    @property
    def formula(self) -> str:
        """Return the link as a ``HYPERLINK`` formula (for a sheet written cell by cell)."""
        target = "#" + self.location
        return '=HYPERLINK("' + target.replace('"', '""') + '","' + self.address + '")'


#: What a cell of the check sheet holds.
SheetValue = Cell | Link


@dataclass
class CheckSheet:
    """The check sheet's cells, row by row, and where its parts are.

    ``rows`` holds ``(1-based row, [(0-based column, value)])`` for every row that has cells,
    in order; an issue row has a value (None when empty) in each of :data:`CHECK_COLUMNS`.
    """

    rows: list[tuple[int, list[tuple[int, SheetValue]]]]
    #: The last row with anything in it.
    last_row: int
    #: The rows of the known App IDs in column K (after its header on :data:`LIST_HEADER_ROW`).
    known_rows: tuple[int, int]
    widths: tuple[int, ...] = CHECK_WIDTHS
    header_row: int = LIST_HEADER_ROW

    def grid(self) -> list[list[SheetValue | None]]:
        """Return every cell from A1 to K of the last row (None where empty)."""
        grid: list[list[SheetValue | None]] = [
            [None] * len(self.widths) for _ in range(self.last_row)
        ]
        for number, cells in self.rows:
            for column, value in cells:
                grid[number - 1][column] = value
        return grid


def check_sheet_layout(
    report: Report,
    *,
    data_title: str,
    headers: Sequence[str],
    rows: int,
    app_ids: Sequence[str],
) -> CheckSheet:
    """Return the cells of the App Link Check sheet for ``report``.

    Args:
        report: the check of the data sheet.
        data_title: the data sheet's name (the links go to its cells).
        headers: the data sheet's header row, as it is after any App Link columns were added
            (an issue's column is found there; one not found gets no address and no link).
        rows: how many data rows were checked (for the summary).
        app_ids: the known App IDs, listed in column K for the App ID column's list.
    """
    room = MAX_ROWS - LIST_HEADER_ROW
    issues = report.issues[:room]
    positions = _issue_positions(headers)
    lines = [
        f'Check of sheet "{data_title}": {report.summary(rows)}',
        "Red cells on the data sheet are errors and yellow cells are warnings; those flags update "
        "as you type. Click a cell address below to go to it. Checks that a formula cannot make "
        "(subdomains, spellings of one App ID, links to another app) are listed here only: check "
        "the file again after fixing.",
    ]
    if len(report.issues) > len(issues):
        lines.append(f"Only the first {len(issues)} issues fit on this sheet.")
    out: list[tuple[int, list[tuple[int, SheetValue]]]] = [
        (number, [(0, text)]) for number, text in enumerate(lines, start=1)
    ]
    header: list[tuple[int, SheetValue]] = list(enumerate(CHECK_COLUMNS))
    out.append((LIST_HEADER_ROW, [*header, (KNOWN_COLUMN, KNOWN_HEADER)]))
    last = LIST_HEADER_ROW + max(len(issues), len(app_ids))
    sheet = sheet_reference(data_title)
    for index in range(last - LIST_HEADER_ROW):
        cells: list[tuple[int, SheetValue]] = []
        if index < len(issues):
            issue = issues[index]
            position = positions.get(issue.column)
            address = f"{column_letter(position)}{issue.row}" if position is not None else ""
            values: list[SheetValue] = [
                issue.row,
                issue.column,
                Link(address, f"{sheet}!{address}") if address else "",
                issue.code,
                issue.severity,
                issue.message,
                issue.value,
                issue.suggestion,
            ]
            cells = list(enumerate(values))
        if index < len(app_ids):
            cells.append((KNOWN_COLUMN, app_ids[index]))
        out.append((LIST_HEADER_ROW + 1 + index, cells))
    known = (LIST_HEADER_ROW + 1, LIST_HEADER_ROW + len(app_ids))
    return CheckSheet(out, last, known)


def known_source(count: int) -> str:
    """Return the reference to the App ID list of ``count`` known App IDs (for a list rule)."""
    first = LIST_HEADER_ROW + 1
    letter = column_letter(KNOWN_COLUMN)
    return f"{sheet_reference(CHECK_SHEET)}!${letter}${first}:${letter}${first + count - 1}"


def sheet_reference(name: str) -> str:
    """Return a sheet name as a formula or a link names it: ``It's`` gives ``'It''s'``."""
    return "'" + name.replace("'", "''") + "'"


def _issue_positions(headers: Sequence[str]) -> dict[str, int]:
    """Return the 0-based column of each header (the first of two alike; Cloze's names too)."""
    positions = {h: i for i, h in reversed(list(enumerate(headers)))}
    for h, i in map_headers(headers).positions.items():
        positions.setdefault(h, i)
    return positions
