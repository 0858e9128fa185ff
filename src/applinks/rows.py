"""Rows read on demand: a sheet of a million rows is walked, not copied.

A :class:`~applinks.table.Table` holds its data rows in ``rows``: a plain list, or one of the
sequences here, which produce each row again every time they are iterated (from a workbook held
by python-calamine, or from a CSV file) and keep nothing else. They behave like a list of rows:
``len``, iteration, indexing and ``==``. Indexing (random access) copies every row into a list
once, so code that walks the rows in order should iterate instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Any, overload

from applinks.table import Cell

Row = list[Cell]
#: Makes a fresh ``(transform, done)`` pair for one pass over the rows (see MappedRows).
Start = Callable[[], tuple[Callable[[int, Row], Row], Callable[[], None]]]


class LazyRows(Sequence[Row]):
    """A re-iterable sequence of rows made on demand; subclasses implement :meth:`_produce`.

    ``len`` is known after the first complete iteration (or a counting pass when asked first).
    """

    def __init__(self) -> None:
        self._length: int | None = None
        self._copy: list[Row] | None = None

    def _produce(self) -> Iterator[Row]:
        raise NotImplementedError

    def __iter__(self) -> Iterator[Row]:
        if self._copy is not None:
            yield from self._copy
            return
        count = 0
        for row in self._produce():
            count += 1
            yield row
        self._length = count

    def __len__(self) -> int:
        if self._length is None:
            for _ in self:
                pass
        assert self._length is not None
        return self._length

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        return self.materialize()[index]

    def materialize(self) -> list[Row]:
        """Return (and keep) every row as a list: random access, at the cost of the memory."""
        if self._copy is None:
            self._copy = list(self)
            self._length = len(self._copy)
        return self._copy

    def estimated_length(self) -> int | None:
        """Return the number of rows if known, else an upper estimate (None: no idea); cheap."""
        return self._length

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyRows | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        known = f"{self._length} rows" if self._length is not None else "rows not yet counted"
        return f"<{type(self).__name__}: {known}>"


class MappedRows(LazyRows):
    """The rows of ``base``, each passed through a function made fresh for every iteration.

    ``start()`` returns ``(transform, done)``: ``transform(index, row)`` gives the new row and
    ``done()`` is called after a complete iteration (to publish what the transform counted).
    """

    _base: Sequence[Row]
    _start: Start

    def __init__(self, base: Sequence[Row], start: Start) -> None:
        super().__init__()
        if isinstance(base, MappedRows) and base._copy is None:
            # Two maps in a row become one: one function call per row, not two generators.
            inner, outer = base._start, start
            base, start = base._base, partial(_composed, inner, outer)
        self._base = base
        self._start = start

    def _produce(self) -> Iterator[Row]:
        transform, done = self._start()
        for index, row in enumerate(self._base):
            yield transform(index, row)
        done()

    def __len__(self) -> int:
        if self._length is None and self._copy is None:
            return len(self._base)
        return super().__len__()

    def estimated_length(self) -> int | None:
        if isinstance(self._base, LazyRows):
            return self._length or self._base.estimated_length()
        return len(self._base)


def _composed(inner: Start, outer: Start) -> tuple[Callable[[int, Row], Row], Callable[[], None]]:
    first, first_done = inner()
    second, second_done = outer()

    def both(index: int, row: Row) -> Row:
        return second(index, first(index, row))

    def done() -> None:
        first_done()
        second_done()

    return both, done


def trimmed(rows: Iterable[Row], width: int, *, is_blank: Callable[[Row], bool]) -> Iterator[Row]:
    """Yield ``rows`` cut to ``width`` cells, leaving out blank rows at the end."""
    pending: list[Row] = []
    for row in rows:
        if len(row) > width:
            row = row[:width]
        if None in row and is_blank(row):
            pending.append(row)
            continue
        if pending:
            yield from pending
            pending.clear()
        yield row


def blank(row: Sequence[Any]) -> bool:
    """Return True when every cell of a normalised row is empty (None)."""
    return row.count(None) == len(row)
