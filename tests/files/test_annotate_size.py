"""A long workbook's annotated copy stays small: rules per column, not per cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from applinks.checks import check
from applinks.files.read import read_table
from applinks.files.xlsx_annotate import write_annotated

ROWS = 100_000


def test_100k_rows_annotated_is_smaller_than_one_and_a_half_times_the_plain(
    tmp_path: Path,
) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Deals")
    sheet.append(["Name", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL"])
    for n in range(ROWS):
        app_id = "Zillow.com" if n % 500 == 0 else "zillow.com"  # 200 flagged rows
        sheet.append(
            [f"Deal {n}", "Active", app_id, str(20_000_000 + n), "Zillow",
             f"https://www.zillow.com/homedetails/{20_000_000 + n}_zpid/"]
        )  # fmt: skip
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    table = read_table(plain)
    report = check(table)
    assert report.counts_by_code() == {"app-id-not-lowercase": 200, "app-id-inconsistent": 200}
    annotated = tmp_path / "annotated.xlsx"
    result = write_annotated(plain, table, report, annotated)
    assert len(result.rules) == 16
    assert annotated.stat().st_size < 1.5 * plain.stat().st_size, (
        annotated.stat().st_size,
        plain.stat().st_size,
    )
    back = read_table(annotated)
    assert back.rows == table.rows
