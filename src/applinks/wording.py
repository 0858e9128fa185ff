"""How counts read in every sentence: "1 row", "2 rows", "200,000 rows", the same everywhere."""

from __future__ import annotations

from collections.abc import Sequence


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """Return ``number`` with thousands grouped and ``noun`` in the form that fits it.

    >>> counted(1, "row"), counted(200000, "row"), counted(2, "live flag rule")
    ('1 row', '200,000 rows', '2 live flag rules')
    """
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def plural_s(items: Sequence[object]) -> str:
    """Return "s" unless ``items`` holds exactly one (``f"column{plural_s(names)}"``)."""
    return "" if len(items) == 1 else "s"


def listing(items: Sequence[str], *, quote: bool = True) -> str:
    """Return ``items`` as a person lists them: ``"a", "b" and "c"`` (quoted unless ``quote``
    is False)."""
    shown = [f'"{i}"' if quote else i for i in items]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]
