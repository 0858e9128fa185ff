"""The xlwings worksheet functions: one call per range, same shape, single cells broadcast."""

from __future__ import annotations

from typing import Any

import pytest

from applinks import udfs as plain
from applinks.excel import udfs

from ..udf_cases import RANGE_CASES


def test_single_cells_give_a_single_value() -> None:
    assert udfs.APPLINK_URL([["zillow.com"]], [["2077423"]]) == plain.APPLINK_URL(
        "zillow.com", "2077423"
    )


def test_a_column_gives_a_column_and_the_single_cell_repeats() -> None:
    result = udfs.APPLINK_URL([["zillow.com"]], [["1"], ["22"], [None]])
    assert result == [
        [plain.APPLINK_URL("zillow.com", "1")],
        [plain.APPLINK_URL("zillow.com", "22")],
        [plain.APPLINK_URL("zillow.com", None)],
    ]


def test_two_ranges_of_one_shape_go_cell_by_cell() -> None:
    result = udfs.APPLINK_NAME([["zillow.com", "salesforce.com"], ["hubspot.com", "nope.example"]])
    assert result == [
        [plain.APPLINK_NAME("zillow.com"), plain.APPLINK_NAME("salesforce.com")],
        [plain.APPLINK_NAME("hubspot.com"), plain.APPLINK_NAME("nope.example")],
    ]


def test_ranges_of_different_sizes_give_one_sentence() -> None:
    assert udfs.APPLINK_URL([["a.com"], ["b.com"]], [["1"], ["2"], ["3"]]) == (
        "The ranges have different sizes (2x1 and 3x1); use ranges of one size."
    )


def test_url_and_id_functions_wrap_the_plain_ones() -> None:
    url = "https://www.zillow.com/homedetails/2077423_zpid/"
    assert udfs.APPLINK_APPID([[url], ["https://acme.lightning.force.com/x"]]) == [
        [plain.APPLINK_APPID(url)],
        [plain.APPLINK_APPID("https://acme.lightning.force.com/x")],
    ]
    assert udfs.APPLINK_ID([[url]]) == plain.APPLINK_ID(url)
    assert udfs.APPLINK_ID([[url]], [["zillow.com"]]) == plain.APPLINK_ID(url, "zillow.com")


def test_check_wraps_the_plain_function() -> None:
    assert udfs.APPLINK_CHECK([["Zillow.com"]], [["1"]]) == plain.APPLINK_CHECK("Zillow.com", "1")


def test_broadcast_keeps_a_row_a_row() -> None:
    assert udfs.broadcast(lambda a, b: f"{a}{b}", ["x", "y"], [["-"]]) == [["x-", "y-"]]


@pytest.mark.parametrize(
    ("function", "args", "expected"),
    [case[1:] for case in RANGE_CASES],
    ids=[case[0] for case in RANGE_CASES],
)
def test_range_results(function: str, args: tuple[Any, ...], expected: Any) -> None:
    assert getattr(udfs, function)(*args) == expected
