"""Write the example workbook shipped with the package (``python -m applinks.examples``).

The rows live in :mod:`applinks.examples`; writing them as an ``.xlsx`` is a file edge's job.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from applinks.examples import HEADERS, ROWS


def build_example(path: Path) -> None:
    """Write the example workbook (ids as numbers, zips as text, dates as dates)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Properties"
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    for cell in sheet["F"][1:]:
        cell.number_format = "@"  # zips stored as text keep their leading zero
    for cell in sheet["G"][1:]:
        cell.number_format = "#,##0"
    for cell in sheet["H"][1:]:
        cell.number_format = "yyyy-mm-dd"
    for column, width in zip(
        "ABCDEFGHIJK", (24, 10, 11, 24, 12, 8, 12, 11, 12, 24, 30), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    fixed = dt.datetime(2026, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "cloze-applinks"
    workbook.save(path)
