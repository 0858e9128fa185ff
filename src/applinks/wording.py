"""How counts read in every sentence: "1 row", "2 rows", "200,000 rows", the same everywhere."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """Return ``number`` with thousands grouped and ``noun`` in the form that fits it.

    >>> counted(1, "row"), counted(200000, "row"), counted(2, "live flag rule")
    ('1 row', '200,000 rows', '2 live flag rules')
    """
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"
