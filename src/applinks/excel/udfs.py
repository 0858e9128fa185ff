"""Worksheet functions (xlwings UDFs): APPLINK_URL, APPLINK_NAME, APPLINK_CHECK, APPLINK_APPID,
APPLINK_ID.

Each is a thin wrapper around the plain function of the same name in :mod:`applinks.udfs`. Every
argument may be one cell or a range; the result has the shape of the range, and a single cell is
used for every row and column of a range (``=APPLINK_URL("zillow.com", B2:B500)``). One call
handles the whole range, so Excel calls Python once per formula, not once per cell.

This is the only module of the package that imports xlwings at import time; the add-in's
"UDF Modules" setting names it. The functions run in Windows Excel (xlwings UDFs need it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import xlwings as xw

Grid = list[list[Any]]


class ShapeMismatch(ValueError):
    """Two ranges given to one function have different sizes."""


def _as_grid(value: Any) -> Grid | None:
    """Return ``value`` as a 2-D list, or None for an omitted argument."""
    if value is None:
        return None
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return value
        return [value]  # one row
    return [[value]]


def broadcast(function: Callable[..., Any], *arguments: Any) -> Any:
    """Apply ``function`` cell by cell over ranges of one shape; single cells repeat.

    Returns a plain value when every argument is a single cell, else a 2-D list. Omitted
    arguments (None) are passed as None. Raises :class:`ShapeMismatch` for ranges of different
    sizes.

    >>> broadcast(lambda a, b: f"{a}-{b}", [["x"]], [[1], [2]])
    [['x-1'], ['x-2']]
    """
    grids = [_as_grid(argument) for argument in arguments]
    shapes = {(len(g), len(g[0]) if g else 0) for g in grids if g is not None}
    shapes.discard((1, 1))
    if len(shapes) > 1:
        sizes = " and ".join(f"{rows}x{columns}" for rows, columns in sorted(shapes))
        raise ShapeMismatch(f"The ranges have different sizes ({sizes}); use ranges of one size.")
    rows, columns = shapes.pop() if shapes else (1, 1)

    def cell(grid: Grid | None, row: int, column: int) -> Any:
        if grid is None:
            return None
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        return grid[row][column]

    result = [
        [function(*(cell(g, row, column) for g in grids)) for column in range(columns)]
        for row in range(rows)
    ]
    if rows == 1 and columns == 1:
        return result[0][0]
    return result


def _call(name: str, *arguments: Any) -> Any:
    from applinks import udfs as plain

    try:
        return broadcast(getattr(plain, name), *arguments)
    except ShapeMismatch as error:
        return str(error)


@xw.func
@xw.arg("app_id", ndim=2)
@xw.arg("unique_id", ndim=2)
@xw.arg("template", ndim=2)
def APPLINK_URL(app_id: Any, unique_id: Any, template: Any = None) -> Any:
    """The App Content URL for an App ID and App Unique ID (optionally your own URL template)."""
    return _call("APPLINK_URL", app_id, unique_id, template)


@xw.func
@xw.arg("app_id", ndim=2)
def APPLINK_NAME(app_id: Any) -> Any:
    """The App Name for an App ID, e.g. Zillow for zillow.com."""
    return _call("APPLINK_NAME", app_id)


@xw.func
@xw.arg("app_id", ndim=2)
@xw.arg("unique_id", ndim=2)
@xw.arg("url", ndim=2)
def APPLINK_CHECK(app_id: Any, unique_id: Any = None, url: Any = None) -> Any:
    """Empty when the App Link is fine, else the first problem in plain words."""
    return _call("APPLINK_CHECK", app_id, unique_id, url)


@xw.func
@xw.arg("url_or_host", ndim=2)
def APPLINK_APPID(url_or_host: Any) -> Any:
    """The App ID (a domain such as salesforce.com) for a web link or host name."""
    return _call("APPLINK_APPID", url_or_host)


@xw.func
@xw.arg("url", ndim=2)
@xw.arg("app_id", ndim=2)
def APPLINK_ID(url: Any, app_id: Any = None) -> Any:
    """The App Unique ID found in a web link to a record."""
    return _call("APPLINK_ID", url, app_id)
