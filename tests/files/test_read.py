"""Reading workbooks and CSV files: values as the user sees them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from applinks.errors import InputError, UsageError
from applinks.examples import example_path
from applinks.files.read import read_table


def _book(path: Path, rows: list[list[object]], title: str = "Deals") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Second").append(["Other"])
    workbook.save(path)
    return path


def test_xlsx_values_as_seen(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "b.xlsx",
        [
            ["Name", "Zip", "Zillow ID", "Price", "Listed", "Flag"],
            ["Café", "02108", 59187422, 450000.5, dt.date(2024, 3, 1), True],
            ["Next", None, 12.0, 3, None, False],
        ],
    )
    table = read_table(path)
    assert table.sheet == "Deals"
    assert table.headers == ["Name", "Zip", "Zillow ID", "Price", "Listed", "Flag"]
    assert table.rows == [
        ["Café", "02108", 59187422, 450000.5, dt.date(2024, 3, 1), True],
        ["Next", None, 12, 3, None, False],
    ]
    assert type(table.rows[1][2]) is int


def test_sheet_option(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", [["Name"], ["x"]])
    assert read_table(path, sheet="Second").headers == ["Other"]
    with pytest.raises(UsageError, match='no sheet named "Nope"; its sheets are "Deals", "Second"'):
        read_table(path, sheet="Nope")


def test_title_row_above_the_header_is_found(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "b.xlsx",
        [["My listings, November"], ["Name", "Stage", "App ID"], ["x", "Active", "zillow.com"]],
    )
    table = read_table(path)
    assert table.header_row == 2
    assert table.headers == ["Name", "Stage", "App ID"]
    assert table.rows == [["x", "Active", "zillow.com"]]
    assert table.sheet_row(0) == 3


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8-sig", "\ufeffName,City\r\nJosé,Montréal\r\n".encode()),
        ("utf-8", "Name,City\nJosé,Montréal\n".encode()),
        ("utf-16", "Name,City\r\nJosé,Montréal\r\n".encode("utf-16")),
        ("cp1252", "Name,City\r\nJosé,Montréal\r\n".encode("cp1252")),
    ],
    ids=["utf-8-bom", "utf-8", "utf-16", "cp1252"],
)
def test_csv_encodings(tmp_path: Path, encoding: str, data: bytes) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    table = read_table(path)
    assert (table.encoding, table.headers, table.rows) == (
        encoding,
        ["Name", "City"],
        [["José", "Montréal"]],
    )


def test_csv_semicolons_and_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("Name;Zip;Notes\nA;02108\nB;;x;extra\n", encoding="utf-8")
    table = read_table(path)
    assert table.headers == ["Name", "Zip", "Notes", ""]
    assert table.rows == [["A", "02108"], ["B", None, "x", "extra"]]


def test_example_workbook_reads() -> None:
    table = read_table(example_path())
    assert table.headers[:3] == ["Name", "Stage", "Segment"]
    assert table.rows[0][5] == "02108"
    assert table.rows[0][8] == 59187422


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.xlsx", b"", '"empty.xlsx" is empty (0 bytes); export or save it again.'),
        (
            "page.xlsx",
            b"<!DOCTYPE html><html><body><table></table></body></html>",
            '"page.xlsx" is a web page saved with a spreadsheet name, so it cannot be read as a '
            "workbook; open it in Excel and save it as an Excel workbook (.xlsx), then try again.",
        ),
        (
            "noise.xlsx",
            bytes(range(256)) * 4,
            '"noise.xlsx" is not an Excel workbook (its contents are not in any Excel format); '
            "open it in Excel and save it as .xlsx, or export it again.",
        ),
        (
            "truncated.xlsx",
            None,
            '"truncated.xlsx" is damaged or incomplete and cannot be opened as a workbook; '
            "download or export it again.",
        ),
        (
            "notes.txt.pdf",
            b"%PDF-1.4",
            '"notes.txt.pdf" is not a spreadsheet this tool reads; '
            "save it as an Excel workbook (.xlsx) or a CSV file and try again.",
        ),
    ],
    ids=["empty", "html", "random", "truncated-zip", "pdf"],
)
def test_unreadable_inputs(tmp_path: Path, name: str, data: bytes | None, message: str) -> None:
    path = tmp_path / name
    if data is None:
        full = example_path().read_bytes()
        data = full[: len(full) // 2]
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert str(caught.value) == message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match='Cannot find ".*nope.xlsx"; check the file name'):
        read_table(tmp_path / "nope.xlsx")
