"""The columns of a block of rows, as the checks look at them: taken apart once, as text, and
whether each cell shows anything (the column-wise helpers of :mod:`applinks.checks`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from applinks.rows import Block
from applinks.table import Cell, cell_text


class BlockColumns:
    """The columns of a block of rows, taken apart once (None past a short row), and the kinds
    of cell in each (worked out once per column)."""

    def __init__(self, rows: Sequence[Sequence[Cell]]) -> None:
        self.rows = rows
        self._block = rows if isinstance(rows, Block) else Block(rows)
        self._all = self._block.columns()
        self.width = len(self._all) if self._all is not None else max(map(len, rows))
        self._kinds: dict[int, set[type]] = {}

    def __call__(self, position: int | None) -> Sequence[Cell]:
        if position is None or position >= self.width:
            return [None] * len(self.rows)
        if self._all is not None:
            return self._all[position]
        return [row[position] if position < len(row) else None for row in self.rows]

    def kinds(self, position: int | None) -> set[type]:
        """Return the types of the cells of column ``position`` (``{NoneType}`` when absent)."""
        if position is None or position >= self.width:
            return {type(None)}
        if self._all is not None:
            return self._block.kinds(position)
        found = self._kinds.get(position)
        if found is None:
            found = self._kinds[position] = set(map(type, self(position)))
        return found


def as_texts(cells: Sequence[Cell], kinds: set[type] | None = None) -> Sequence[str]:
    """Return every cell as its text (:func:`~applinks.table.cell_text`); ``kinds``, the types
    of the cells, when they are known."""
    if (kinds if kinds is not None else set(map(type, cells))) == {str}:
        return cast("Sequence[str]", cells)
    return [c if type(c) is str else cell_text(c) for c in cells]


def are_filled(texts: Sequence[str]) -> list[bool]:
    """Return, for every text, whether it holds anything but spaces."""
    if all(map(str.strip, texts)):  # the common case: one pass, no list of answers
        return [True] * len(texts)
    return list(map(bool, map(str.strip, texts)))


_TEXT_OR_NOTHING = frozenset({str, type(None)})


def have_text(cells: Sequence[Cell], kinds: set[type] | None = None) -> list[bool]:
    """Return :func:`has_text` of every cell (``kinds`` as in :func:`as_texts`)."""
    if kinds is None:
        kinds = set(map(type, cells))
    if kinds == {str}:
        return are_filled(cast("Sequence[str]", cells))
    if kinds <= _TEXT_OR_NOTHING:
        return [bool(c) and not c.isspace() for c in cells]  # type: ignore[union-attr]
    return list(map(has_text, cells))


def has_text(value: Cell) -> bool:
    """Return True when a cell shows something other than spaces (``cell_text(v).strip()``)."""
    if value is None:
        return False
    if type(value) is str:
        return bool(value) and not value.isspace()
    return bool(cell_text(value).strip())
