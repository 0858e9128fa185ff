"""Read and write the open workbook's ranges for the ribbon's buttons, a whole column a call.

Where the data is (:class:`Layout`: the header row found among the top rows, the last used row
and column), the sheet as a :class:`~applinks.table.Table` (values as shown where the number
format carries meaning), the ribbon's App choice and the App Link Templates sheet, and the
writes: missing App Link columns inserted (an Excel Table grows to take them in) and changed
columns written back as text. The number of calls into Excel does not depend on the number of
rows.

Nothing here imports xlwings: the objects come from the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from applinks.check_sheet import CHECK_SHEET
from applinks.errors import UsageError
from applinks.excel.formats import apply_formats, apply_to_rows, format_steps
from applinks.files.xlsx_in import normalize_row
from applinks.headers import column_letter
from applinks.operations import plan_insert
from applinks.registry import AppEntry, Registry, load_registry, templates_from_rows
from applinks.shape import (
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    find_header,
    header_text,
    unused_columns,
)
from applinks.table import APP_UNIQUE_ID, Cell, Table, cell_text
from applinks.udfs import TEMPLATES_SHEET  # the sheet of the user's own apps and settings

#: The workbook-level defined name where the ribbon's App list keeps its choice.
APP_NAME_KEY = "ClozeAppLinks_App"
TEXT_FORMAT = "@"


@dataclass
class Layout:
    """Where the data is on a sheet: its header row, headers and last used row and column."""

    sheet: Any
    headers: list[str]
    header_row: int
    last_row: int
    last_column: int
    #: 1-based rows above the header that hold something (a title): never written.
    rows_above: tuple[int, ...] = ()

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    @property
    def data_rows(self) -> int:
        return max(0, self.last_row - self.header_row)

    def column_range(self, position: int) -> Any:
        """Return the data cells (below the header) of the column at 0-based ``position``."""
        column = position + 1
        return self.sheet.range((self.first_data_row, column), (self.last_row, column))


def data_sheet(book: Any) -> Any:
    """Return the active sheet, refusing the two sheets this add-in writes itself."""
    sheet = book.sheets.active
    name = sheet.name
    if name in (CHECK_SHEET, TEMPLATES_SHEET):
        raise UsageError(
            f'This is the "{name}" sheet; go to the sheet with your records, then click the '
            "button again."
        )
    return sheet


# --- reading: each read written once, as steps that ask for what they read ---------------------
#
# The add-in reads a range with xlwings' properties (``rng.value``); xlwings Lite only with
# awaited calls (``await rng.get_value()``). So each read below is a generator of steps: it
# yields what it needs (see Ask) and is sent the answer. :func:`run_reads` answers with the
# properties, :func:`applinks.lite.scripts.run_reads` with Lite's awaited calls, in the same
# order, so both read the same cells with the same calls and get the same result.

#: One read asked for: ``("values" | "number_format" | "formula", the range)``.
Ask = tuple[str, Any]
T = TypeVar("T")
Steps = Generator[Ask, Any, T]


def run_reads(steps: Steps[T]) -> T:
    """Run the read ``steps`` with xlwings' properties (the desktop add-in); return its result."""
    try:
        ask = next(steps)
        while True:
            ask = steps.send(_answer(*ask))
    except StopIteration as done:
        return done.value


def _answer(what: str, rng: Any) -> Any:
    if what == "values":
        # err_to_str: an error cell comes as the text Excel shows ("#N/A"), not as empty.
        return rng.options(ndim=2, err_to_str=True).value
    if what == "number_format":
        return rng.number_format
    return rng.formula


def layout_steps(sheet: Any) -> Steps[Layout]:
    """Find the header row among the top rows of the used range (two calls into Excel)."""
    last = sheet.used_range.last_cell
    last_row, last_column = last.row, last.column
    top = yield "values", sheet.range((1, 1), (min(last_row, HEADER_SEARCH_ROWS), last_column))
    top = [list(r) for r in top]
    found = find_header(top)  # (None on an empty sheet: row 1 is then the header row)
    index = found.index if found is not None else 0
    headers = [header_text(c) for c in top[index]]
    while headers and not headers[-1]:
        headers.pop()
    above = tuple(i + 1 for i in found.above) if found is not None else ()
    return Layout(sheet, headers, index + 1, max(last_row, index + 1), last_column, above)


def table_steps(sheet: Any) -> Steps[tuple[Layout, Table]]:
    """Read the whole used range in one call and return it as a Table."""
    layout = yield from layout_steps(sheet)
    grid = yield "values", sheet.range((1, 1), (layout.last_row, layout.last_column))
    rows = [cell_row(r) for r in grid[layout.header_row :]]
    while rows and not any(c is not None for c in rows[-1]):
        rows.pop()
    width = max([len(layout.headers)] + [_used_width(r) for r in rows])
    headers = (layout.headers + [""] * width)[:width]
    if rows:  # values as shown where the number format carries meaning (a call per column)
        last = layout.first_data_row + len(rows) - 1
        for position in range(width):
            runs = yield from format_steps(sheet, position + 1, layout.first_data_row, last)
            apply_to_rows(rows, position, runs, layout.first_data_row)
    table = Table(
        headers,
        [r[:width] for r in rows],
        sheet=sheet.name,
        source=sheet.name,
        header_row=layout.header_row,
        rows_above=layout.rows_above,
    )
    table.unused_columns = unused_columns(headers, table.rows)
    return layout, table


def column_steps(layout: Layout, position: int) -> Steps[list[Cell]]:
    """Return the data cells of one column, read in one call."""
    if not layout.data_rows:
        return []
    grid = yield "values", layout.column_range(position)
    cells = cell_row([r[0] if r else None for r in grid])
    first, last = layout.first_data_row, layout.last_row
    runs = yield from format_steps(layout.sheet, position + 1, first, last)
    return apply_formats(cells, runs, layout.first_data_row)


def formula_steps(layout: Layout, position: int) -> Steps[list[str]]:
    """Return what each data cell of one column holds as typed (formulas start with ``=``)."""
    if not layout.data_rows:
        return []
    raw = yield "formula", layout.column_range(position)
    if isinstance(raw, str):
        return [raw]
    return [row[0] if isinstance(row, list | tuple) else row for row in raw]


def templates_steps(book: Any) -> Steps[tuple[Registry, dict[str, str]]]:
    """Return the built-in apps overridden by the App Link Templates sheet, and its settings."""
    if TEMPLATES_SHEET not in sheet_names(book):
        return load_registry(), {}
    sheet = book.sheets[TEMPLATES_SHEET]
    last = sheet.used_range.last_cell
    grid = yield "values", sheet.range((1, 1), (last.row, last.column))
    return registry_from_grid(grid)


def read_layout(sheet: Any) -> Layout:
    """Find the header row among the top rows of the used range (two calls into Excel)."""
    return run_reads(layout_steps(sheet))


def read_table(sheet: Any) -> tuple[Layout, Table]:
    """Read the whole used range in one call and return it as a Table."""
    return run_reads(table_steps(sheet))


def read_column(layout: Layout, position: int) -> list[Cell]:
    """Return the data cells of one column, read in one call."""
    return run_reads(column_steps(layout, position))


def cell_row(values: Sequence[Any]) -> list[Cell]:
    """Return values read from Excel as the core's cells (a date at midnight as a date)."""
    # Excel has no date type of its own: a date comes back as a date-time at midnight.
    return [
        v.date() if type(v) is dt.datetime and v.time() == dt.time() else v
        for v in normalize_row(values)
    ]


def _used_width(row: list[Cell]) -> int:
    width = len(row)
    while width and row[width - 1] is None:
        width -= 1
    return width


def sheet_names(book: Any) -> list[str]:
    """Return the names of the workbook's sheets, in order."""
    return [s.name for s in book.sheets]


# --- the app choice and the user's templates --------------------------------------------------


def chosen_app(book: Any) -> str:
    """Return the App ID the ribbon's App list stored in the workbook."""
    names = book.names
    if APP_NAME_KEY not in names:
        raise UsageError(
            'Choose the app in the "App" list on the Cloze tab first, then click Fill App Links '
            "again."
        )
    return app_from_name(names[APP_NAME_KEY].refers_to or "")


def app_from_name(refers_to: str) -> str:
    """Return the text of a defined name holding a constant: ``="zillow.com"`` -> ``zillow.com``."""
    text = refers_to.strip()
    if text.startswith("="):
        text = text[1:].strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text.strip()


def workbook_registry(book: Any) -> tuple[Registry, dict[str, str]]:
    """Return the built-in apps overridden by the App Link Templates sheet, and its settings."""
    return run_reads(templates_steps(book))


def registry_from_grid(grid: Sequence[Sequence[Any]]) -> tuple[Registry, dict[str, str]]:
    """Return the built-in apps overridden by the cells of an App Link Templates sheet, and
    its settings."""
    entries, settings = read_templates_grid(grid)
    return load_registry().with_overrides(entries), settings


def read_templates_grid(grid: Sequence[Sequence[Any]]) -> tuple[list[AppEntry], dict[str, str]]:
    """Read the App Link Templates sheet exactly as a templates CSV file is read."""
    # The sheet has the layout of a templates CSV file (header row, one app per row, then the
    # Setting/Value block), so it goes through the same reader and gives the same messages.
    rows = [[cell_text(cell_row([c])[0]) for c in row] for row in grid]
    if not any(any(c.strip() for c in row) for row in rows):
        return [], {}
    return templates_from_rows(rows, Path(f'the "{TEMPLATES_SHEET}" sheet'))


# --- writing ----------------------------------------------------------------------------------


@dataclass
class Inserted:
    """The columns Insert added: their headers and 1-based sheet columns, in order."""

    plan: list[tuple[int, str]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [h for _, h in self.plan]

    def moved(self, position: int) -> int:
        """Return where the column that was at 0-based ``position`` is after the inserts."""
        for inserted_at, _ in self.plan:
            if position >= inserted_at:
                position += 1
        return position


def ensure_columns(layout: Layout) -> tuple[Layout, Inserted]:
    """Insert the missing App Link columns (whole columns, so rows stay together)."""
    plan = plan_insert(layout.headers)
    if not plan:
        return layout, Inserted()
    sheet = layout.sheet
    headers = list(layout.headers)
    row = layout.header_row
    used = layout.last_column
    for position, header in plan:
        column = position + 1
        if position < used:
            # A used column (even one without a header) moves right; nothing is overwritten.
            letter = column_letter(position)
            sheet.range(f"{letter}:{letter}").insert(shift="right")
            used += 1
        else:
            used = column
        headers += [""] * (position - len(headers))
        headers[position:position] = [header]
        sheet.range((row, column)).value = header
        if header == APP_UNIQUE_ID:
            # Ids typed or pasted later stay text: no lost zeros, no 1.2E+17.
            sheet.range((row + 1, column), (MAX_ROWS, column)).number_format = TEXT_FORMAT
    added = {position + 1 for position, _ in plan}
    for table in sheet.tables:
        _grow_table(sheet, table, row, added)
    return replace(layout, headers=headers, last_column=used), Inserted(plan)


def _grow_table(sheet: Any, table: Any, header_row: int, added: set[int]) -> None:
    """Widen an Excel Table on the header row to take in new columns right after its end."""
    area = table.range
    if area.row != header_row:
        return
    corner = area.last_cell
    last = corner.column
    while last + 1 in added:
        last += 1
    if last != corner.column:
        table.resize(sheet.range((area.row, area.column), (corner.row, last)))


def write_column(layout: Layout, position: int, values: list[Cell], formulas: list[str]) -> None:
    """Write one column of data cells as text, keeping any formula in it.

    Without formulas: the cells are formatted as text first, then written in one call, so an
    id like ``00123`` or ``1234567890123456789`` stays exactly as it is. A column that holds
    formulas is written through ``Range.formula`` instead (formulas kept, text written with
    Excel's ``'`` text prefix), since a text format would turn the formulas into text.
    """
    rng = layout.column_range(position)
    keep = [f if isinstance(f, str) and f.startswith("=") else None for f in formulas]
    if not any(keep):
        rng.number_format = TEXT_FORMAT
        # A number (a damaged id kept as it is) stays a number in a General cell, so a check
        # still sees it; there is one such cell per id the user must fix, not per row.
        for index, value in enumerate(values):
            if isinstance(value, int | float) and not isinstance(value, bool):
                row = layout.first_data_row + index
                layout.sheet.range((row, position + 1)).number_format = "General"
        rng.value = [[v] for v in values]
        return
    out: list[list[Any]] = []
    for value, typed, formula in zip(values, formulas, keep, strict=True):
        if formula is not None:
            out.append([formula])
        elif isinstance(value, str):
            out.append(["'" + value])
        elif value is None:
            out.append([""])
        else:
            # A number or date the core left alone, as Excel had it; a number put into an empty
            # cell (a damaged id kept as the number it is) as itself.
            out.append([typed if typed else value])
    rng.formula = out


def apply_columns(
    layout: Layout,
    positions: Sequence[int],
    before: Sequence[list[Cell]],
    after: Sequence[list[Cell]],
    formulas: Sequence[list[str]],
) -> list[str]:
    """Write the columns whose values changed; return their headers.

    ``formulas``: what each column holds as typed (:func:`formula_steps`); a formula is kept.
    """
    written: list[str] = []
    for index, (position, old, new) in enumerate(zip(positions, before, after, strict=True)):
        if list(old) == list(new):
            continue
        typed = formulas[index]
        write_column(layout, position, list(new), typed)
        written.append(layout.headers[position])
    return written
