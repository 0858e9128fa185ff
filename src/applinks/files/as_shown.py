"""Give a sheet's rows the values the user sees: its number formats, error cells and links.

python-calamine hands over stored values: ``2134`` for a zip shown as ``02134``, empty text for
an ``#N/A`` cell, the text of a hyperlink without its target. A reader of cell facts (the
package's styles and sheet XML for ``.xlsx``) says what it left out, and :class:`ShownCells`
puts it back into each block of rows as the rows are made, so a sheet of a million rows pays
only for the cells that carry a format, an error or a link.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from operator import itemgetter
from typing import Any

from applinks.files.cell_facts import CellFacts
from applinks.shown import kept_as_is, shown_value
from applinks.table import Cell

Row = list[Cell]


class ShownCells:
    """Applies a sheet's :class:`CellFacts` to its rows (columns 0-based, rows 1-based).

    ``link_positions``: the columns whose hyperlink target replaces the cell's text (the App
    Content URL, and a column of links read with ``--from-url``); every other column keeps the
    text the user sees.
    """

    def __init__(self, facts: CellFacts, *, width: int, link_positions: Collection[int] = ()):
        self._facts = facts
        self._styled = [(c, s) for c, s in sorted(facts.styled.items()) if c < width]
        # Cells whose value is given whole (an error's text, a link, a value the reader got
        # wrong), per column: (its rows, sorted, to find a block's by bisection; row -> value).
        links = {c: facts.links[c] for c in link_positions if c in facts.links}
        columns: dict[int, dict[int, Cell]] = {}
        sources: tuple[dict[int, dict[int, Any]], ...] = (facts.errors, links, facts.values)
        for source in sources:
            for column, given in source.items():
                columns.setdefault(column, {}).update(given)
        self._cells = [
            (column, sorted(given), given)
            for column, given in sorted(columns.items())
            if column < width and given
        ]
        self._default = facts.formats.get(0)  # the style of cells without one, rarely a format
        #: Style -> the types of value its format leaves as they are (no call for those cells).
        self._as_is = {
            xf: kept_as_is(code) for xf, code in facts.formats.items() if isinstance(code, str)
        }

    def __bool__(self) -> bool:
        return bool(self._styled or self._cells or isinstance(self._default, str))

    def apply(self, rows: list[Row], first_row: int) -> list[Row]:
        """Change ``rows`` (sheet rows from ``first_row`` on) in place to what is shown."""
        stop = first_row + len(rows)
        formats, as_is, everything = self._facts.formats, self._as_is, _EVERYTHING
        if isinstance(self._default, str):
            self._apply_default(rows, first_row, self._default)
        for column, styled in self._styled:
            numbers, xfs = styled.between(first_row, stop)
            if self._as_they_are(rows, column, numbers, xfs):
                continue
            for number, xf in zip(numbers, xfs, strict=True):
                row = rows[number - first_row]
                if column < len(row) and type(value := row[column]) not in as_is.get(
                    xf, everything
                ):
                    row[column] = shown_value(value, formats[xf])  # type: ignore[arg-type]
        for column, given_rows, given in self._cells:
            for index in range(bisect_left(given_rows, first_row), len(given_rows)):
                number = given_rows[index]
                if number >= stop:
                    break
                row = rows[number - first_row]
                if column >= len(row):
                    row.extend([None] * (column + 1 - len(row)))
                row[column] = given[number]
        return rows

    def _as_they_are(self, rows: list[Row], column: int, numbers: Any, xfs: Any) -> bool:
        """Whether a column of a block whose every cell has one style (a date column) is shown
        as it is stored: told from the kinds of its values, at C speed."""
        if (
            len(numbers) != len(rows)
            or not rows
            or len(set(xfs)) != 1
            or column >= min(map(len, rows))
        ):
            return False
        kept = self._as_is.get(xfs[0], _EVERYTHING)
        # (A subset test asks frozenset's own contents, never ``__contains__``.)
        return kept is _EVERYTHING or set(map(type, map(itemgetter(column), rows))) <= kept

    def _apply_default(self, rows: list[Row], first_row: int, code: str) -> None:
        """Show every number without a style of its own under ``code`` (style 0's format)."""
        for offset, row in enumerate(rows):
            for column, value in enumerate(row):
                if _is_number(value) and self._facts.style_at(first_row + offset, column) is None:
                    row[column] = shown_value(value, code)


class _Everything(frozenset[type]):
    """Contains every type: a style whose format is known only by its id changes nothing."""

    def __contains__(self, item: object) -> bool:
        return True


_EVERYTHING = _Everything()


def _is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float
