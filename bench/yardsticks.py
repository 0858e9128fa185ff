"""The yardsticks: the plainest ways to turn the test file into a CSV, one per subprocess.

    python bench/yardsticks.py NAME INPUT OUTPUT

``calamine``: python-calamine reads the sheet, ``csv`` writes every row (no checks, no
formatting rules); the bar that ``prepare`` is measured against. ``csv-copy``: the csv module
reads the CSV and writes it again. ``pandas``: ``read_excel`` + ``to_csv``, what a user might try
instead. ``openpyxl``: openpyxl's read-only mode + ``csv``.
"""

from __future__ import annotations

import csv
import sys


def calamine(source: str, target: str) -> None:
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(source).get_sheet_by_index(0)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(sheet.iter_rows())


def csv_copy(source: str, target: str) -> None:
    with (
        open(source, encoding="utf-8-sig", newline="") as inp,
        open(target, "w", encoding="utf-8", newline="") as out,
    ):
        csv.writer(out).writerows(csv.reader(inp))


def pandas(source: str, target: str) -> None:
    import pandas as pd

    pd.read_excel(source).to_csv(target, index=False)


def openpyxl(source: str, target: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(source, read_only=True, data_only=True)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(book.worksheets[0].iter_rows(values_only=True))
    book.close()


YARDSTICKS = {"calamine": calamine, "csv-copy": csv_copy, "pandas": pandas, "openpyxl": openpyxl}

if __name__ == "__main__":
    name, source, target = sys.argv[1:4]
    YARDSTICKS[name](source, target)
