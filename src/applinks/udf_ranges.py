"""Worksheet functions over ranges: one call per formula, the result in the range's shape.

Excel hands a worksheet function a range as a list of rows (or one row as a flat list), and a
single cell as a plain value. :func:`broadcast` applies a one-cell function from
:mod:`applinks.udfs` over such ranges; a single cell is used for every row and column of a
range (``=APPLINK_URL("zillow.com", B2:B500)``). The Windows add-in and xlwings Lite both go
through :func:`call_over_ranges`, so their results are the same by construction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from applinks.errors import ApplinksError

if TYPE_CHECKING:
    from applinks.registry import Registry

#: Reads a workbook's App Link Templates sheet: its apps and its account settings.
Templates = Callable[[], "tuple[Registry, dict[str, str]]"]

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


def call_over_ranges(name: str, *arguments: Any, **options: Any) -> Any:
    """Run the worksheet function ``name`` of :mod:`applinks.udfs` over ranges.

    ``options`` go to every call (``registry=``, ``settings=``: the workbook's own apps and
    account settings). Ranges of different sizes give the one sentence of
    :class:`ShapeMismatch` instead.
    """
    from functools import partial

    from applinks import udfs as plain

    try:
        return broadcast(partial(getattr(plain, name), **options), *arguments)
    except ShapeMismatch as error:
        return str(error)


def call_with_templates(name: str, arguments: tuple[Any, ...], templates: Templates | None) -> Any:
    """Run ``name`` over the ranges with the apps and settings ``templates`` reads (the
    workbook's App Link Templates sheet; None: the built-in apps only).

    A mistake on that sheet is the cell's answer, as a sentence starting with "#".
    """
    options: dict[str, Any] = {}
    if templates is not None:
        try:
            registry, settings = templates()
        except ApplinksError as error:
            return "#" + str(error)
        options["registry"] = registry
        if name == "APPLINK_URL":
            options["settings"] = settings
    return call_over_ranges(name, *arguments, **options)
