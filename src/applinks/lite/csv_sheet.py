"""Put the Cloze CSV on a sheet: an Excel add-in cannot hand the user a file.

The rows are exactly the file's: the CSV is written as :func:`applinks.files.csv_out.write_rows`
writes it for ``applinks export``, then read back field by field, and every cell is formatted
as text before it is written, so Excel keeps each field as it is (``01742`` stays ``01742``,
``=1+1`` is shown, never run). Saved with Excel's "CSV UTF-8" the sheet gives that file back.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from applinks.files.csv_out import write_rows
from applinks.lite.texts import CSV_SHEET
from applinks.table import Table

TEXT_FORMAT = "@"


def csv_rows(table: Table) -> tuple[list[list[str]], int]:
    """Return the fields of the Cloze CSV of ``table``, row by row, and its data-row count."""
    handle = io.StringIO(newline="")
    written = write_rows(handle, table.headers, table.rows, leave_out=table.unused_columns)
    handle.seek(0)
    return [list(r) for r in csv.reader(handle)], written


def write_csv_sheet(book: Any, data: Any, table: Table) -> int:
    """Replace the Cloze CSV sheet (after ``data``) with the CSV's rows; return the data rows."""
    rows, written = csv_rows(table)
    if CSV_SHEET in [s.name for s in book.sheets]:
        book.sheets[CSV_SHEET].delete()
    sheet = book.sheets.add(CSV_SHEET, after=data)
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    sheet.range((1, 1), (len(grid), width)).number_format = TEXT_FORMAT
    sheet.range((1, 1)).value = grid
    return written
