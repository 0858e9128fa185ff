"""A cell's value as Excel shows it, from the value a reader gives and its number format."""

from __future__ import annotations

import datetime as dt

import pytest

from applinks.shown import kept_as_is, shown_value
from applinks.table import Cell

MOMENT = dt.datetime(2024, 5, 6, 13, 30)

#: (value a reader gives, format code, the cell for the CSV): SPEC section 5.
CASES: list[tuple[Cell, str, Cell]] = [
    (2134, "00000", "02134"),  # zero padding carries meaning: the text shown
    (0.75, "0%", "75%"),
    (849000.0, '"$"#,##0.00', 849000),  # currency is cosmetic: the plain number
    (12345678901234567.0, "General", 12345678901234600),  # Excel's 15 significant digits
    (42.0, "0.00", 42),
    (45418, "yyyy-mm-dd", 45418),  # a number under a date format: the reader kept a number
    ("02134", "00000", "02134"),  # text stays text
    (True, "0", True),
    (MOMENT, "yyyy-mm-dd", dt.date(2024, 5, 6)),
    (MOMENT, "h:mm", dt.time(13, 30)),
    (MOMENT, "m/d/yyyy h:mm", MOMENT),
    (dt.datetime(2024, 5, 6), "General", dt.date(2024, 5, 6)),  # midnight: a date
    (MOMENT, "General", MOMENT),
    (dt.date(2024, 5, 6), "m/d/yyyy h:mm", dt.datetime(2024, 5, 6)),
    # A duration is counted from Excel's day 0, 1899-12-30: 255:10:10 is 10 days 15:10:10.
    (dt.datetime(1900, 1, 9, 15, 10, 10), "[h]:mm:ss", dt.timedelta(hours=255, seconds=610)),
    (dt.datetime(1899, 12, 30, 0, 30), "[mm]:ss", dt.timedelta(minutes=30)),
]


@pytest.mark.parametrize(("value", "code", "shown"), CASES, ids=[f"{c[0]!r}-{c[1]}" for c in CASES])
def test_shown_value(value: Cell, code: str, shown: Cell) -> None:
    result = shown_value(value, code)
    assert (result, type(result)) == (shown, type(shown))


#: Every kind of value a reader gives, and a format of every kind.
_VALUES: list[Cell] = [
    "02134", "", None, True, False, 2134, 0.75, 12345678901234567.0, MOMENT,
    dt.datetime(2024, 5, 6), dt.date(2024, 5, 6), dt.time(9, 30), dt.timedelta(hours=30),
]  # fmt: skip
_CODES = ["General", "0", "00000", "0%", "@", '"$"#,##0.00', "yyyy-mm-dd", "h:mm",
          "m/d/yyyy h:mm", "[h]:mm:ss", "0.00E+00"]  # fmt: skip


@pytest.mark.parametrize("code", _CODES)
def test_the_types_kept_as_is_come_back_unchanged(code: str) -> None:
    kept = kept_as_is(code)
    # A reader skips the cells of a kept type: each must come back exactly as it was.
    for value in _VALUES:
        if type(value) in kept:
            shown = shown_value(value, code)
            assert (shown, type(shown)) == (value, type(value)), (value, code)
    assert {str, bool, type(None), dt.time, dt.timedelta} <= kept
    assert int not in kept and float not in kept
    # A date is kept except under a date-and-time format, a date-time only there.
    assert (dt.date in kept, dt.datetime in kept) == (
        (False, True) if code == "m/d/yyyy h:mm" else (True, False)
    )
