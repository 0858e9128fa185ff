import datetime as dt

import pytest

from applinks.table import Table, cell_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("02108", "02108"),
        ("", ""),
        (48616032, "48616032"),
        (48616032.0, "48616032"),
        (0.1, "0.1"),
        (450000.5, "450000.5"),
        (1e-07, "1e-07"),
        (-3, "-3"),
        (True, "TRUE"),
        (False, "FALSE"),
        (dt.date(2024, 3, 1), "2024-03-01"),
        (dt.datetime(2024, 3, 1, 13, 5, 7), "2024-03-01 13:05:07"),
        (dt.time(9, 30), "09:30:00"),
        (dt.timedelta(hours=26, minutes=3), "26:03:00"),
        (1420000000000000000, "1420000000000000000"),
        (1e20, "100000000000000000000"),  # a whole float: every digit, up to 21 of them
        (1e21, "1e+21"),
        (dt.timedelta(seconds=-1), "-0:00:01"),
        (dt.timedelta(hours=-1, minutes=-2, seconds=-5), "-1:02:05"),
    ],
    ids=lambda v: repr(v),
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_sheet_row_counts_from_the_header():
    assert Table(["A"], [[1], [2]]).sheet_row(0) == 2
    assert Table(["A"], [[1]], header_row=3).sheet_row(0) == 4


def test_column_values_pads_short_rows():
    table = Table(["A", "B"], [[1, 2], [3]])
    assert table.column_values(1) == [2, None]
