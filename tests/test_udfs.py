"""Worksheet functions as plain Python: one cell in, one text out, never an exception.

The cases live in tests/udf_cases.py, which the run under Pyodide reads as well.
"""

from __future__ import annotations

from typing import Any

import pytest

from applinks import udfs
from applinks.registry import AppEntry, load_registry
from applinks.udfs import APPLINK_APPID, APPLINK_ID, APPLINK_NAME, APPLINK_URL

from .udf_cases import CASES


@pytest.mark.parametrize(
    ("function", "args", "kwargs", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_worksheet_function(
    function: str, args: tuple[Any, ...], kwargs: dict[str, Any], expected: str
) -> None:
    assert getattr(udfs, function)(*args, **kwargs) == expected


def test_functions_take_a_registry_with_user_templates() -> None:
    mine = AppEntry(
        "example.com",
        "Example CRM",
        kinds={"deal": "https://crm.example.com/deal/{id}"},
        hosts=("crm.example.com",),
        source="templates.csv",
    )
    registry = load_registry().with_overrides([mine])
    assert (
        APPLINK_URL("example.com", 7.0, registry=registry),
        APPLINK_NAME("example.com", registry=registry),
        APPLINK_APPID("https://crm.example.com/deal/7", registry=registry),
        APPLINK_ID("https://crm.example.com/deal/7", registry=registry),
    ) == ("https://crm.example.com/deal/7", "Example CRM", "example.com", "7")
