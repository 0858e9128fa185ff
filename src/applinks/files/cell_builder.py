"""Collect the facts of a sheet's cells as a reader walks them, and choose the wanted formats.

Shared by the .xls and .ods readers: :func:`wanted_formats` asks ``wanted`` once per distinct
format; :class:`StyledCells` gathers styled number cells into the parallel arrays of
:class:`~applinks.files.cell_facts.StyledColumn`, whatever order a damaged file gives them in.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from itertools import islice
from operator import lt

from applinks.files.cell_facts import NumberFormat, StyledColumn


def wanted_formats(
    by_style: Sequence[NumberFormat | None], wanted: Callable[[NumberFormat], bool] | None
) -> dict[int, NumberFormat]:
    """Return style index -> format for the styles whose format ``wanted`` accepts.

    ``wanted`` is called once for each distinct format; None accepts nothing. A style whose
    format is None (one no cell can have) is left out.
    """
    if wanted is None:
        return {}
    verdicts: dict[NumberFormat, bool] = {}
    out: dict[int, NumberFormat] = {}
    for index, number_format in enumerate(by_style):
        if number_format is None:
            continue
        verdict = verdicts.get(number_format)
        if verdict is None:
            verdict = verdicts[number_format] = bool(wanted(number_format))
        if verdict:
            out[index] = number_format
    return out


class StyledCells:
    """The styled number cells of a sheet, column by column, as (row, style) pairs."""

    def __init__(self) -> None:
        self._columns: dict[int, tuple[array[int], array[int]]] = {}

    def add(self, row: int, column: int, style: int) -> None:
        """Record that the number cell at (row, column) has the wanted ``style``."""
        pair = self._columns.get(column)
        if pair is None:
            pair = self._columns[column] = (array("I"), array("I"))
        pair[0].append(row)
        pair[1].append(style)

    def build(self) -> dict[int, StyledColumn]:
        """Return column -> StyledColumn, rows ascending and each once.

        Readers meet rows in order, so this is a check; a file that repeats or reorders cells
        is sorted, the last record of a cell winning (as in the readers).
        """
        out: dict[int, StyledColumn] = {}
        for column, (rows, styles) in self._columns.items():
            if not all(map(lt, rows, islice(rows, 1, None))):
                last = dict(zip(rows, styles, strict=True))
                order = sorted(last)
                rows = array("I", order)
                styles = array("I", (last[row] for row in order))
            out[column] = StyledColumn(rows, styles)
        return out
