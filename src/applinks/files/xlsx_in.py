"""Read a worksheet with python-calamine: values as the user sees them, not as Excel stores them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from applinks.errors import InputError, UsageError
from applinks.headers import VARIANTS, normalize
from applinks.table import Cell, Table

#: Rows looked at, at the top of a sheet, when the header is not in row 1.
HEADER_SEARCH_ROWS = 10
_KNOWN = {normalize(v) for variants in VARIANTS.values() for v in variants} | {
    normalize(h) for h in VARIANTS
}


def read_workbook(path: Path, *, sheet: str | None = None) -> Table:
    """Read one worksheet of an .xlsx/.xlsm/.xlsb/.xls/.ods file.

    Whole numbers come back as ``int`` (an id typed as a number has no ``.0``); text keeps its
    leading zeros; dates stay dates. Empty cells are ``None``.
    """
    import python_calamine as calamine

    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError as exc:
        raise InputError(
            f'"{path.name}" is protected with a password; open it in Excel, remove the password, '
            "save it and try again.",
            path=path,
        ) from exc
    except Exception as exc:  # calamine raises several types for damaged files
        raise InputError(
            f'"{path.name}" is damaged or not a workbook this tool can read; open it in Excel, '
            "save it as .xlsx and try again.",
            path=path,
        ) from exc
    names = list(workbook.sheet_names)
    if not names:
        raise InputError(f'"{path.name}" has no worksheets.', path=path)
    if sheet is None:
        chosen = names[0]
    elif sheet in names:
        chosen = sheet
    else:
        listed = ", ".join(f'"{n}"' for n in names)
        raise UsageError(f'"{path.name}" has no sheet named "{sheet}"; its sheets are {listed}.')
    try:
        grid = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:
        raise InputError(
            f'Sheet "{chosen}" of "{path.name}" is damaged and cannot be read; open the file in '
            "Excel, save it again and try again.",
            path=path,
        ) from exc
    table = table_from_grid(grid, sheet=chosen, source=path.name)
    if sheet is None and _is_hidden(workbook, 0):
        table.notes.append(
            f'Sheet "{chosen}" is hidden in Excel; it is read because it is the first sheet. '
            "Use --sheet NAME to read another one."
        )
    return table


def _is_hidden(workbook: Any, index: int) -> bool:
    try:
        import python_calamine as calamine

        return workbook.sheets_metadata[index].visible != calamine.SheetVisibleEnum.Visible
    except Exception:  # older python-calamine without sheet metadata
        return False


def table_from_grid(grid: Sequence[Sequence[Any]], *, sheet: str | None, source: str) -> Table:
    """Build a Table from raw rows: find the header row and normalise every cell."""
    if not any(any(_present(c) for c in row) for row in grid):
        raise InputError(f'"{source}" has nothing in it: the sheet is empty.', path=source)
    header_index = find_header_row(grid)
    headers = [_header_text(c) for c in grid[header_index]]
    rows = [normalize_row(row) for row in grid[header_index + 1 :]]
    while rows and not any(c is not None for c in rows[-1]):
        rows.pop()
    # Keep every column that has a header or any data; drop only empty trailing columns.
    width = max(len(headers), max((len(r) for r in rows), default=0))
    while width and not _column_used(headers, rows, width - 1):
        width -= 1
    headers = (headers + [""] * width)[:width]
    rows = [r[:width] for r in rows]
    return Table(headers, rows, sheet=sheet, source=source, header_row=header_index + 1)


def find_header_row(grid: Sequence[Sequence[Any]]) -> int:
    """Return the 0-based index of the header row.

    Row 1 unless it is empty or holds no Cloze header while a row below it (within the first
    few) holds at least two: that is a title above the table, which Cloze would misread.
    """
    first = [_header_text(c).strip() for c in grid[0]]
    if sum(normalize(h) in _KNOWN for h in first if h) >= 1:
        return 0
    for index in range(1, min(HEADER_SEARCH_ROWS, len(grid))):
        texts = [_header_text(c) for c in grid[index]]
        if sum(normalize(h) in _KNOWN for h in texts if h) >= 2:
            return index
    if not any(first):
        for index, row in enumerate(grid):
            if any(_present(c) for c in row):
                return index
    return 0


def normalize_row(row: Iterable[Any]) -> list[Cell]:
    """Return the row with ``""`` as None and whole-number floats as ints."""
    out: list[Cell] = []
    for value in row:
        kind = type(value)
        if kind is str:
            out.append(value if value else None)
        elif kind is float:
            out.append(int(value) if value.is_integer() else value)
        else:
            out.append(value)
    return out


def _column_used(headers: list[str], rows: list[list[Cell]], pos: int) -> bool:
    if pos < len(headers) and headers[pos] != "":
        return True
    return any(pos < len(r) and r[pos] is not None for r in rows)


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
