"""What Excel shows is what Cloze gets: values as shown where the format carries meaning.

The expected CSV rows are spelled out from the rules (SPEC section 5, ``docs/values.md``), not
computed with the code under test. Every workbook is read from two writers: openpyxl (the file
in ``tests/data/values``) and LibreOffice, which converts it into ``.xlsx``, ``.xls`` and
``.ods`` files of its own making.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from applinks.checks import check
from applinks.files.csv_out import write_cloze_csv
from applinks.files.read import read_table
from tests.office import convert

DATA = Path(__file__).parent / "data" / "values"
BOOK = DATA / "as-shown.xlsx"

#: The CSV Cloze must get for the sheet "Values", line by line.
VALUES_CSV = [
    "Name,Zip,Zip+4,Phone,SSN,Parcel,Text id,Share,Rate,Price,Sqft,Ratio,Measure,Listed,Showing,"
    "Open house,Time on market,Lookup,Flag,TRUE",
    "12 Elm St,02134,02134-0123,(617) 555-1234,123-45-6789,000000042,2134,75%,12.50%,849000,"
    "1234.5,3.14159,1521.999999,2024-05-06,09:30:00,2024-05-06 09:30:00,30:10:10,#N/A,TRUE,yes",
    "4 Oak Ave,07030,07030-1234,555-1234,012-34-5678,123456789,12.5,50%,3.75%,1250000.5,980,2,"
    "0.3,2024-01-02,17:05:00,,,#DIV/0!,FALSE,",
    "9 Pine Rd,94105,94105-1234,(212) 555-0000,987-65-4321,000000007,59187422,100%,0.00%,0,"
    "15000,-1.005,12345678901234600,,,,,ok,,",
]


def _csv_lines(path: Path, sheet: str | None, tmp_path: Path) -> list[str]:
    table = read_table(path, sheet=sheet)
    out = write_cloze_csv(table, tmp_path / f"{path.stem}-{sheet}.csv", force=True)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return data[3:].decode("utf-8").split("\r\n")[:-1]


@pytest.fixture(scope="module")
def lo_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The values workbook as LibreOffice writes it: .xlsx, .xls and .ods."""
    out = tmp_path_factory.mktemp("lo")
    return {kind: convert(BOOK, kind, out / kind) for kind in ("xlsx", "xls", "ods")}


#: The writers of the workbook: openpyxl (the file itself) and LibreOffice's copies.
WRITERS = [
    "openpyxl",
    *(pytest.param(kind, marks=pytest.mark.libreoffice) for kind in ("xlsx", "xls", "ods")),
]


def _book(writer: str, request: pytest.FixtureRequest) -> Path:
    return BOOK if writer == "openpyxl" else request.getfixturevalue("lo_books")[writer]


@pytest.mark.parametrize("writer", WRITERS)
def test_values_as_shown(writer: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    assert _csv_lines(_book(writer, request), "Values", tmp_path) == VALUES_CSV


def _issues(path: Path, sheet: str) -> list[tuple[int, str, str]]:
    return [i.key() for i in check(read_table(path, sheet=sheet)).issues]


def test_error_cells_are_warned_at_their_cell() -> None:
    found = [key for key in _issues(BOOK, "Values") if key[2] == "cell-error"]
    assert found == [(2, "Lookup", "cell-error"), (3, "Lookup", "cell-error")]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


ZILLOW = "https://www.zillow.com/homedetails/59187422_zpid/"
REDFIN = "https://www.redfin.com/MA/Boston/12-Elm-St-02134/home/1234567"

#: The sheet "Links": the App Content URL cell shows "View listing" and links to Zillow; the
#: row below is blank; the last row's link is a HYPERLINK formula. Column C has neither a
#: header nor a value, so it is not written.
LINKS_CSV = [
    "Name,Listing link,App ID,App Unique ID,App Name,App Content URL",
    f"12 Elm St,Redfin page,zillow.com,59187422,Zillow,{ZILLOW}",
    f"4 Oak Ave,,zillow.com,2077,Zillow,{ZILLOW}",
]

#: The sheet "Title": a title and a blank row above the header; a data row that looks like a
#: header row stays a data row.
TITLE_CSV = [
    "Name,Stage,App ID,App Unique ID",
    "12 Elm St,Active,zillow.com,59187422",
    "Name,Stage,,",
]


@pytest.mark.parametrize("writer", WRITERS)
def test_links_blank_rows_and_unused_columns(
    writer: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    assert _csv_lines(_book(writer, request), "Links", tmp_path) == LINKS_CSV


def test_a_column_read_for_links_keeps_its_text_and_knows_the_targets() -> None:
    plain = read_table(BOOK, sheet="Links")
    linked = read_table(BOOK, sheet="Links", link_columns=["Listing link"])
    assert [row[1] for row in plain.rows] == [row[1] for row in linked.rows]
    assert [row[1] for row in linked.rows] == ["Redfin page", None, None]
    assert (plain.links, linked.links) == ({}, {"Listing link": {0: REDFIN}})


def test_fill_from_url_uses_the_link_not_the_text(tmp_path: Path) -> None:
    from tests.cli_run import run_applinks

    out = tmp_path / "out.csv"
    args = ["--sheet", "Links", "--from-url", "Listing link", "--overwrite", "-o", str(out)]
    done = run_applinks("fill", str(BOOK), *args)
    assert done.returncode == 0, done.stderr
    lines = out.read_bytes()[3:].decode().split("\r\n")
    assert lines[1] == (
        "12 Elm St,Redfin page,redfin.com,1234567,Redfin,https://www.redfin.com/MA/Boston/"
        "12-Elm-St-02134/home/1234567"
    )


@pytest.mark.parametrize("writer", WRITERS)
def test_rows_above_the_header_are_named_not_written(
    writer: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    path = _book(writer, request)
    assert _csv_lines(path, "Title", tmp_path) == TITLE_CSV
    report = check(read_table(path, sheet="Title"))
    assert [i.key() for i in report if i.code == "header-not-first-row"] == [
        (3, "Name", "header-not-first-row")
    ]


@pytest.mark.parametrize("writer", WRITERS)
def test_the_csv_carries_clozes_exact_headers(
    writer: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    path = _book(writer, request)
    assert _csv_lines(path, "Headers", tmp_path) == [
        "Name,App ID,App Unique ID,App Content URL,Zip",
        f"12 Elm St,zillow.com,59187422,{ZILLOW},02134",
    ]
    report = check(read_table(path, sheet="Headers"))
    assert [i.key() for i in report] == [
        (1, "Deal Name", "header-name-alias"),
        (1, "AppID", "header-near-miss"),
        (1, "app unique id", "header-near-miss"),
        (1, "App URL", "header-near-miss"),
        (2, "App Name", "app-name-missing"),
    ]


def test_a_workbook_whose_formats_are_not_read_says_which_columns_hold_numbers() -> None:
    from applinks.files.xlsx_in import _formats_not_read
    from applinks.table import Table

    table = Table(["Name", "Zip", "", "Notes"], [["a", 2134, None, "x"], ["b", None, 1.5, "y"]])
    assert _formats_not_read(table, Path("book.xlsb")) == (
        'Number formats are not read from .xlsb files, so the numbers in "Zip", column C are '
        "written as plain numbers (a zip code shown as 02134 would be written 2134); save the "
        "workbook as .xlsx to keep what Excel shows."
    )
    assert _formats_not_read(Table(["Name"], [["a"]]), Path("book.xlsb")) is None
