"""A cell's value as the user sees it in Excel, from the value a reader gives and its format.

The rules (SPEC section 5, ``docs/values.md``): where the number format carries meaning (zero
padding, a zip+4, phone or SSN layout, percent, text ``@``) the CSV gets the text Excel shows;
where it is cosmetic (currency, separators, fixed decimals) the plain number at Excel's 15
significant digits; and the format decides whether a date-time is a date, a time of day, a
date and time, or a duration. Every reader (python-calamine for files, xlwings in Excel) hands
its values and the cell's format code to :func:`shown_value`, so the result does not depend on
which reader ran.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from applinks.numfmt import FormatKind, format_kind, general_number, render_number
from applinks.table import Cell

#: Excel's day 0, from which it counts dates and durations (the 1900 date system).
EXCEL_EPOCH = dt.datetime(1899, 12, 30)

_RENDERED = frozenset({FormatKind.SHOWN, FormatKind.TEXT})


@lru_cache(maxsize=4096)
def kind_of(code: str) -> FormatKind:
    """Return the kind of a format code (cached: a sheet has few distinct codes)."""
    return format_kind(code)


def carries_meaning(code: str | int) -> bool:
    """Return True for a format whose cells are not shown as the plain value a reader gives.

    These are the formats whose number cells a reader must look at one by one: rendered ones
    (``00000``, ``0%``, ``@``) and date or time ones (which may cut a date-time to a date, a
    time of day or a duration). A format known only by its id (no code) carries none.
    """
    return isinstance(code, str) and kind_of(code) not in (FormatKind.GENERAL, FormatKind.PLAIN)


def shown_value(value: Cell, code: str) -> Cell:
    """Return ``value`` as a cell under the number format ``code`` shows it, for the CSV.

    >>> shown_value(2134, "00000")
    '02134'
    >>> shown_value(0.75, "0%")
    '75%'
    >>> shown_value(849000.0, '"$"#,##0.00')
    849000
    >>> shown_value(dt.datetime(2024, 5, 6, 13, 30), "yyyy-mm-dd")
    datetime.date(2024, 5, 6)
    """
    kind = kind_of(code)
    number = type(value) is int or type(value) is float
    if number:
        if kind in _RENDERED:
            return render_number(value, code)  # type: ignore[arg-type]
        if kind is FormatKind.GENERAL or kind is FormatKind.PLAIN:
            return general_number(value)  # type: ignore[arg-type]
        return value  # a number under a date format: the reader chose to keep it a number
    if type(value) is dt.datetime:
        return _datetime_as(value, kind)  # type: ignore[arg-type]
    if type(value) is dt.date and kind is FormatKind.DATETIME:
        return dt.datetime(value.year, value.month, value.day)  # type: ignore[union-attr]
    return value


#: The kinds of value :func:`shown_value` returns as they are under every format.
_ALWAYS_AS_IS = (str, bool, type(None), dt.time, dt.timedelta)


def kept_as_is(code: str) -> frozenset[type]:
    """Return the types of value that :func:`shown_value` returns unchanged under ``code``
    (a reader skips those cells: a date column under a date format costs nothing)."""
    if kind_of(code) is FormatKind.DATETIME:
        return frozenset((*_ALWAYS_AS_IS, dt.datetime))
    return frozenset((*_ALWAYS_AS_IS, dt.date))


def _datetime_as(value: dt.datetime, kind: FormatKind) -> Cell:
    if kind is FormatKind.DATE:
        return value.date()
    if kind is FormatKind.TIME:
        return value.time()
    if kind is FormatKind.DURATION:
        return value - EXCEL_EPOCH
    if kind is FormatKind.DATETIME:
        return value
    if value.time() == dt.time() and kind is not FormatKind.TEXT:
        return value.date()
    return value
