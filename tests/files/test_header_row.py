"""The header row as the readers find it in real files: CSV, .xlsx from openpyxl, and .xlsx
saved by LibreOffice; and what the check then says about it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from applinks.checks import check
from applinks.files.read import read_table
from tests.office import convert

HEADER = ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"]
ROW_1 = [
    "12 Elm St",
    "zillow.com",
    "10001",
    "Zillow",
    "https://www.zillow.com/homedetails/10001_zpid/",
]
ROW_2 = [
    "14 Oak St",
    "zillow.com",
    "10002",
    "Zillow",
    "https://www.zillow.com/homedetails/10002_zpid/",
]

# rows of the sheet -> (header row, rows above it named, headers, data rows, (row, column, code))
CASES = {
    "title": (
        [["Listings, November"], HEADER, ROW_1, ROW_2],
        (2, (1,), HEADER, [ROW_1, ROW_2], [(2, "Name", "header-not-first-row")]),
    ),
    "title-blank-note": (
        [["Listings"], [], ["Exported by Jane"], HEADER, ROW_1],
        (4, (1, 3), HEADER, [ROW_1], [(4, "Name", "header-not-first-row")]),
    ),
    "blank-rows-above": (
        [[], [], HEADER, ROW_1],
        (3, (), HEADER, [ROW_1], [(3, "Name", "header-not-first-row")]),
    ),
    "header-words-in-data": (
        # Row 1 has no Cloze header; row 3 looks like one (#NAME, Name) but is data.
        [["Address", "Zip", "Listing ID"], ["12 Elm St", "02108", "7"], ["#NAME", "Name", "#REF"]],
        (
            1,
            (),
            ["Address", "Zip", "Listing ID"],
            [["12 Elm St", "02108", "7"], ["#NAME", "Name", "#REF"]],
            [(1, "Name", "name-column-missing"), (2, "App ID", "row-not-importable")]
            + [(3, "App ID", "row-not-importable")],
        ),
    ),
    "lone-name-title": (
        [["Name"], HEADER, ROW_1],
        (2, (1,), HEADER, [ROW_1], [(2, "Name", "header-not-first-row")]),
    ),
    "number-title": (
        [[2026], HEADER, ROW_1],
        (2, (1,), HEADER, [ROW_1], [(2, "Name", "header-not-first-row")]),
    ),
    "one-column": (
        [["Name"], ["12 Elm St"], ["Agent:", "Jane"]],
        (
            1,
            (),
            ["Name", ""],
            [["12 Elm St"], ["Agent:", "Jane"]],
            [(2, "App ID", "row-not-importable"), (3, "App ID", "row-not-importable")],
        ),
    ),
    "variants-and-unused": (
        [["name", "AppID", "App ID", "App Unique ID"], ["12 Elm St", "x", "zillow.com", "10001"]],
        (
            1,
            (),
            ["name", "AppID", "App ID", "App Unique ID"],
            [["12 Elm St", "x", "zillow.com", "10001"]],
            [
                (1, "name", "header-near-miss"),
                (1, "AppID", "header-near-miss-unused"),
                (2, "App Name", "app-name-missing"),
                (2, "App Content URL", "url-missing"),
            ],
        ),
    ),
    "name-alias": (
        [["Property Address", "Email"], ["12 Elm St", "ana@example.com"], [None, "bo@example.com"]],
        (
            1,
            (),
            ["Property Address", "Email"],
            [["12 Elm St", "ana@example.com"], [None, "bo@example.com"]],
            [(1, "Property Address", "header-name-alias"), (3, "Property Address", "name-missing")],
        ),
    ),
    "no-name-column": (
        [["Street", "Email"], ["12 Elm St", "ana@example.com"], ["14 Oak St", "bo@example.com"]],
        (
            1,
            (),
            ["Street", "Email"],
            [["12 Elm St", "ana@example.com"], ["14 Oak St", "bo@example.com"]],
            [(1, "Name", "name-column-missing")],
        ),
    ),
}


def _csv(path: Path, rows: list[list[object]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _as_read(rows: list[list[object]], kind: str, width: int) -> list[list[object]]:
    """What a reader gives for the expected rows: empty cells as None; a CSV row as long as
    its line, a workbook's rows as wide as the sheet."""
    cells = [[c if c != "" else None for c in row] for row in rows]
    return cells if kind == "csv" else [row + [None] * (width - len(row)) for row in cells]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(("rows", "expected"), CASES.values(), ids=CASES)
def test_header_row_in_files(tmp_path: Path, kind: str, rows: list[list[object]], expected) -> None:  # type: ignore[no-untyped-def]
    make = _csv if kind == "csv" else _xlsx
    table = read_table(make(tmp_path / f"sheet.{kind}", rows))
    header_row, above, headers, data, issues = expected
    found = (table.header_row, table.rows_above, table.headers, list(table.rows))
    assert found == (header_row, above, headers, _as_read(data, kind, len(headers)))
    assert check(table).locations() == issues


@pytest.mark.libreoffice
def test_header_row_in_a_workbook_saved_by_libreoffice(tmp_path: Path) -> None:
    rows = CASES["title-blank-note"][0] + [ROW_2]
    source = _xlsx(tmp_path / "listings.xlsx", rows)
    saved = convert(source, "xlsx", tmp_path / "lo")
    table = read_table(saved)
    found = (table.header_row, table.rows_above, table.headers, list(table.rows))
    assert found == (4, (1, 3), HEADER, [ROW_1, ROW_2])
    assert [(i.key(), i.message) for i in check(table)] == [
        (
            (4, "Name", "header-not-first-row"),
            "The headers are in row 4, not row 1; rows 1 and 3 above them are not written to "
            "the CSV for Cloze, which starts at the headers.",
        )
    ]


# The first line says the separator, as Excel writes it: honoured, and not a row of the sheet.
SEPARATOR_CASES = {
    "semicolon": (b"sep=;\r\nName;Zip\r\nA;02108\r\n", '";"', 1, ()),
    "bom": (b"\xef\xbb\xbfsep=;\r\nName;Zip\r\nA;02108\r\n", '";"', 1, ()),
    "upper-case-pipe": (b"SEP=|\nName|Zip\nA|02108\n", '"|"', 1, ()),
    "tab": (b"sep=\t\nName\tZip\nA\t02108\n", "a tab", 1, ()),
    "comma-then-title": (b"sep=,\nListings\n\nName,Zip\nA,02108\n", '","', 3, (1,)),
    "utf-16": ("sep=;\r\nName;Zip\r\nA;02108\r\n".encode("utf-16"), '";"', 1, ()),
}


@pytest.mark.parametrize(
    ("data", "shown", "header_row", "above"), SEPARATOR_CASES.values(), ids=SEPARATOR_CASES
)
def test_separator_line(
    tmp_path: Path, data: bytes, shown: str, header_row: int, above: tuple[int, ...]
) -> None:
    path = tmp_path / "sep.csv"
    path.write_bytes(data)
    table = read_table(path)
    found = (table.header_row, table.rows_above, table.headers, list(table.rows), table.notes)
    assert found == (
        header_row,
        above,
        ["Name", "Zip"],
        [["A", "02108"]],
        [
            f'"sep.csv" starts with a "sep=" line, which says its values are separated by '
            f"{shown}; they are read that way, and that line is not written."
        ],
    )
    assert [i.key() for i in check(table)] == (
        [(header_row, "Name", "header-not-first-row")] if header_row != 1 else []
    ) + [(header_row + 1, "App ID", "row-not-importable")]


@pytest.mark.parametrize(
    "data",
    [b'"sep=;"\nName;Zip\n', b"sep=;;\nName;Zip\n", b" sep=;\nName;Zip\n", b"Name,sep=;\n"],
    ids=["quoted", "two-characters", "space-before", "not-first"],
)
def test_other_lines_are_not_separator_lines(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "sep.csv"
    path.write_bytes(data)
    assert read_table(path).notes == []
