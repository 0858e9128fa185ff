"""Which row holds the headers, and which rows above it are named: one rule for every reader."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from applinks.files import guards
from applinks.header_checks import describe_rows, header_issues
from applinks.headers import is_error_value, map_headers
from applinks.shape import (
    HEADER_SEARCH_ROWS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    find_header,
    is_header_cell,
)
from applinks.table import Table

HEADER = ["Name", "Stage", "App ID"]
DATA = ["12 Elm St", "Active", "zillow.com"]

# grid -> (0-based header row, 0-based rows above it that hold something)
CASES: dict[str, tuple[list[list[Any]], tuple[int, tuple[int, ...]]]] = {
    "row-1": ([HEADER, DATA], (0, ())),
    "title": ([["Listings, November"], HEADER, DATA], (1, (0,))),
    "title-and-blank": ([["Listings, November"], [], HEADER, DATA], (2, (0,))),
    "two-titles": ([["Listings"], [None, "Exported 1 Nov"], [None], HEADER, DATA], (3, (0, 1))),
    "blank-rows-only": ([[], [None, ""], ["  "], HEADER, DATA], (3, ())),
    "error-values-in-a-data-row": (
        [["Property", "Zip", "Price"], ["12 Elm St", "02108", "1"], ["#NAME?", "#NAME?", "#N/A"]],
        (0, ()),
    ),
    "error-values-without-mark": (
        [["Property", "Zip"], ["#NAME", "#REF"], ["#name", "#Value"]],
        (0, ()),
    ),
    "name-in-a-data-row": (
        [["Name", "Zip", "Listing ID"], ["12 Elm St", "02108", "1"], ["Name", "Stage", "#NAME?"]],
        (0, ()),
    ),
    "two-more-in-a-later-row": ([["Property", "Zip"], ["Name", "Stage"], DATA], (1, (0,))),
    "one-more-is-not-enough": ([["Name", "Zip"], ["Name", "Stage"], DATA], (0, ())),
    # A data row that repeats one header names one header, however many times.
    "one-header-repeated": (
        [["Name", "Notes", "Zip"], ["UNIQUEID", "UNIQUEID", "UNIQUEID"]],
        (0, ()),
    ),
    # ... and spelt four ways, it still names one (App Unique ID).
    "one-header-spelt-four-ways": (
        [
            ["Name", "Stage", "Other", "x"],
            ["Unique ID", "App Unique ID", "AppUID", "App Record ID"],
        ],
        (0, ()),
    ),
    "two-cell-title": ([["Agent:", "Jane Doe"], HEADER, DATA], (1, (0,))),
    "lone-name-above-header": ([["Name"], HEADER, DATA], (1, (0,))),
    "lone-name-list": ([["Name"], ["12 Elm St"], ["14 Oak St"]], (0, ())),
    "one-column-list": ([["Address"], ["12 Elm St"], ["14 Oak St"]], (0, ())),
    "numbers-never-headers": ([[2024, 2025, 2026], ["Name", "Stage"], ["x", "Active"]], (1, (0,))),
    "numbers-row-stays": ([["Zip", "Price"], [2108, 450000], ["Name", 1.5]], (0, ())),
    "lone-number-title": ([[2024], HEADER, DATA], (1, (0,))),
    "lone-date-title": ([[None, dt.date(2026, 11, 1)], HEADER, DATA], (1, (0,))),
    "booleans-never-headers": ([[True, False], ["Name", "Stage"], ["x", "Active"]], (1, (0,))),
    "lone-error-title": ([["#REF!"], HEADER, DATA], (1, (0,))),
    "name-alias-counts": (
        [["Listings", "2026"], ["Deal Name", "Stage", "App ID"], DATA],
        (1, (0,)),
    ),
    "header-far-down": ([[]] * 12 + [HEADER, DATA], (12, ())),
    # The first ten rows are compared (SPEC: a header below them is not looked for).
    "clear-winner-in-row-10": (
        [["Agent:", "Jane"]] + [["x", "y"]] * 8 + [HEADER, DATA],
        (9, (0, 1, 2, 3, 4, 5, 6, 7, 8)),
    ),
    "clear-winner-in-row-11": ([["Agent:", "Jane"]] + [["x", "y"]] * 9 + [HEADER, DATA], (0, ())),
    "titles-down-to-row-9": ([["Listings"]] * 9 + [HEADER, DATA], (9, tuple(range(9)))),
    "titles-down-to-row-10": ([["Listings"]] * 10 + [HEADER, DATA], (0, ())),
    "last-clear-winner": (
        [["Agent:", "Jane"], ["Name", "Stage"], [*HEADER, "App Unique ID", "App Name"], DATA],
        (2, (0, 1)),
    ),
}


@pytest.mark.parametrize(("grid", "expected"), CASES.values(), ids=CASES)
def test_header_row(grid: list[list[Any]], expected: tuple[int, tuple[int, ...]]) -> None:
    found = find_header(grid)
    assert found is not None
    assert (found.index, found.above, list(found.cells)) == (*expected, grid[expected[0]])


def test_only_the_first_rows_are_compared() -> None:
    grid = [["Agent:", "Jane"]] + [["x", "y"]] * (HEADER_SEARCH_ROWS - 1) + [HEADER]
    found = find_header(grid)
    assert found is not None and (found.index, found.above) == (0, ())


def test_a_sheet_with_nothing_has_no_header_row() -> None:
    assert find_header([[], [None, "", " "]] * 8) is None
    assert find_header([]) is None


def test_rows_past_the_header_are_not_read_when_they_are_not_needed() -> None:
    read: list[int] = []

    def rows():  # type: ignore[no-untyped-def]
        for n in range(1000):
            read.append(n)
            yield [] if n < 20 else ["Name", "Zip"]

    found = find_header(rows())
    assert found is not None and (found.index, found.above) == (20, ())
    assert read == list(range(21))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#NAME?", True),
        ("#NAME", True),
        ("#N/A", True),
        ("#REF!", True),
        ("#ref", True),
        ("#VALUE!", True),
        ("#DIV/0!", True),
        ("#NUM!", True),
        ("#NULL!", True),
        ("#SPILL!", True),
        ("#CALC!", True),
        ("#GETTING_DATA", True),
        (" #N/A ", True),
        ("#", False),
        ("# Name", False),
        ("#1 Listing", False),
        ("Name", False),
        ("#NAME?!", False),
    ],
    ids=repr,
)
def test_error_values(text: str, expected: bool) -> None:
    assert is_error_value(text) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Name", True),
        (" app id ", True),
        ("Deal Name", True),
        ("#NAME?", False),
        ("#NAME", False),
        ("Title", False),
        (2024, False),
        (True, False),
        (dt.date(2026, 1, 1), False),
        (None, False),
    ],
    ids=repr,
)
def test_header_cells(value: object, expected: bool) -> None:
    assert is_header_cell(value) is expected


@pytest.mark.parametrize(
    ("header_row", "above", "message"),
    [
        (
            3,
            (1,),
            "The headers are in row 3, not row 1; row 1 above them is not written to the CSV for "
            "Cloze, which starts at the headers.",
        ),
        (
            3,
            (1, 2),
            "The headers are in row 3, not row 1; rows 1 and 2 above them are not written to the "
            "CSV for Cloze, which starts at the headers.",
        ),
        (
            6,
            (1, 2, 3, 5),
            "The headers are in row 6, not row 1; rows 1 to 3 and 5 above them are not written to "
            "the CSV for Cloze, which starts at the headers.",
        ),
        (
            3,
            (),
            "The headers are in row 3, not row 1; the empty rows above them are not written to "
            "the CSV for Cloze, which starts at the headers.",
        ),
        (
            2,
            (),
            "The headers are in row 2, not row 1; the empty row above them is not written to the "
            "CSV for Cloze, which starts at the headers.",
        ),
    ],
    ids=["one", "two", "runs", "blank", "one-blank"],
)
def test_header_not_first_row_names_the_rows_above(
    header_row: int, above: tuple[int, ...], message: str
) -> None:
    table = Table(["Name", "Zip"], [], header_row=header_row, rows_above=above)
    (issue,) = header_issues(table, map_headers(table.headers))
    assert (issue.key(), issue.severity, issue.message) == (
        (header_row, "Name", "header-not-first-row"),
        "warning",
        message,
    )


def test_describe_rows() -> None:
    assert [describe_rows(r) for r in [(4,), (1, 2), (1, 2, 3), (1, 3, 4, 5, 9, 10)]] == [
        "row 4",
        "rows 1 and 2",
        "rows 1 to 3",
        "rows 1, 3 to 5, 9 and 10",
    ]


SRC = Path(__file__).resolve().parent.parent / "src" / "applinks"


def test_excel_limits_and_the_header_search_are_written_once() -> None:
    """Excel's grid and the header search live in applinks.shape; every other module imports
    them (a second copy could drift: one reader stopping at another row than the rest)."""
    assert (MAX_ROWS, MAX_COLUMNS, MAX_CELL_CHARS) == (1_048_576, 16_384, 32_767)
    assert guards.EXCEL_MAX_ROWS == MAX_ROWS and guards.EXCEL_MAX_COLUMNS == MAX_COLUMNS
    limits = re.compile(r"\b(1_?048_?57[56]|16_?38[34]|32_?767)\b")
    searches = re.compile(r"\bis_cloze_header\(|def find_header\b|HEADER_SEARCH_ROWS =")
    copies = {
        str(path.relative_to(SRC)): found
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "shape.py"
        for text in [path.read_text(encoding="utf-8")]
        if (found := limits.findall(_code(text)) + searches.findall(text))
    }
    assert copies == {"headers.py": ["is_cloze_header("]}  # where it is defined


def _code(text: str) -> str:
    """Return ``text`` without its comments (which may name a limit in words)."""
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())
