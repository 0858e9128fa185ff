"""Counts read the same in every sentence: one noun form per number, thousands grouped."""

from __future__ import annotations

import pytest

from applinks.issues import Report
from applinks.wording import counted


@pytest.mark.parametrize(
    ("number", "noun", "plural", "text"),
    [
        (0, "row", None, "0 rows"),
        (1, "row", None, "1 row"),
        (2, "row", None, "2 rows"),
        (200_000, "row", None, "200,000 rows"),
        (1_048_575, "cell", None, "1,048,575 cells"),
        (1, "live flag rule", None, "1 live flag rule"),
        (3, "entry", "entries", "3 entries"),
    ],
    ids=["zero", "one", "two", "thousands", "millions", "phrase", "irregular"],
)
def test_counted(number: int, noun: str, plural: str | None, text: str) -> None:
    assert counted(number, noun, plural) == text


@pytest.mark.parametrize(
    ("rows", "text"),
    [
        (0, "No problems found in 0 rows."),
        (1, "No problems found in 1 row."),
        (200_000, "No problems found in 200,000 rows."),
    ],
    ids=["zero", "one", "grouped"],
)
def test_the_summary_counts_rows_as_it_should(rows: int, text: str) -> None:
    assert Report().summary(rows) == text
