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
from itertools import islice
from typing import Any, cast, overload

from applinks.table import Cell

Row = list[Cell]
#: Rows handled together by the passes that work a block of rows at a time (column by column):
#: small enough that a block stays in the processor cache while every pass looks at it.
BLOCK = 256
#: Makes a fresh ``(transform, done)`` pair for one pass over the rows (see MappedRows).
Start = Callable[[], tuple[Callable[[int, Row], Row], Callable[[], None]]]
#: The same for a transform of a whole block of rows at a time.
BlockStart = Callable[[], tuple[Callable[[int, list[Row]], list[Row]], Callable[[], None]]]


class LazyRows(Sequence[Row]):
    """A re-iterable sequence of rows made on demand; subclasses implement :meth:`_produce`.

    ``len`` is known after the first complete iteration (or a counting pass when asked first).
    """

    def __init__(self) -> None:
        self._length: int | None = None
        self._copy: list[Row] | None = None

    def _produce(self) -> Iterator[Row]:
        """Yield the rows one by one (subclasses implement this or :meth:`_produce_blocks`)."""
        for block in self._produce_blocks(BLOCK):
            yield from block

    def _produce_blocks(self, size: int) -> Iterator[list[Row]]:
        """Yield the rows in lists of at most ``size`` (none empty)."""
        return chunks(self._produce(), size)

    def __iter__(self) -> Iterator[Row]:
        for block in self.blocks():
            yield from block

    def blocks(self, size: int = BLOCK) -> Iterator[list[Row]]:
        """Yield the rows in order, in lists of about ``size`` rows (one pass)."""
        if self._copy is not None:
            yield from slices(self._copy, size)
            return
        count = 0
        for block in self._produce_blocks(size):
            count += len(block)
            yield block
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

    def split_point(self) -> int | None:
        """Return a row, about half way, from which :meth:`part` reads without walking the rows
        before it (so two workers can take a half each), or None when there is none."""
        return None

    def part(self, start: int, stop: int | None = None) -> LazyRows:
        """Return rows ``start`` to ``stop`` (to the end when None) as rows on demand.

        Transforms see the rows' true indexes. Any start works; from :meth:`split_point` the
        rows before it are not read at all (elsewhere they are read and passed over).
        """
        return _Part(self, start, stop)

    def counted(self, length: int) -> None:
        """Record the number of rows, found by walking the parts separately."""
        self._length = length

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
    With ``block=True`` the transform takes a whole block instead: ``transform(index, rows)``
    gives the new rows for ``rows``, the data rows from ``index`` on.
    """

    _base: Sequence[Row]
    _start: BlockStart

    def __init__(self, base: Sequence[Row], start: Start | BlockStart, *, block: bool = False):
        super().__init__()
        own = cast("BlockStart", start) if block else partial(_per_row, cast("Start", start))
        if isinstance(base, MappedRows) and base._copy is None:
            # Two maps in a row become one: one pass over the rows, not two generators.
            inner = base._start
            base, own = base._base, partial(_composed, inner, own)
        self._base = base
        self._start = own
        self._first = 0  # the index of the first row (of a part)

    def _produce_blocks(self, size: int) -> Iterator[list[Row]]:
        transform, done = self._start()
        index = self._first
        for block in blocks(self._base, size):
            yield transform(index, block)
            index += len(block)
        done()

    def __len__(self) -> int:
        if self._length is None and self._copy is None:
            return len(self._base)
        return super().__len__()

    def estimated_length(self) -> int | None:
        if isinstance(self._base, LazyRows):
            return self._length or self._base.estimated_length()
        return len(self._base)

    def split_point(self) -> int | None:
        if self._copy is None and isinstance(self._base, LazyRows):
            return self._base.split_point()
        return None

    def part(self, start: int, stop: int | None = None) -> LazyRows:
        """The transformed rows of the same part of the base (``done`` is called at its end)."""
        if self._copy is not None or not isinstance(self._base, LazyRows):
            return super().part(start, stop)
        rows = MappedRows(self._base.part(start, stop), self._start, block=True)
        rows._first = start
        return rows

    def counted(self, length: int) -> None:
        super().counted(length)
        if isinstance(self._base, LazyRows):
            self._base.counted(length)


class _Part(LazyRows):
    """Rows ``start`` to ``stop`` of ``base``, the rows before ``start`` read and passed over."""

    def __init__(self, base: LazyRows, start: int, stop: int | None) -> None:
        super().__init__()
        self._base, self._start, self._stop = base, start, stop

    def _produce_blocks(self, size: int) -> Iterator[list[Row]]:
        return cut(self._base.blocks(size), self._start, self._stop)


def cut(blocks: Iterable[list[Row]], start: int, stop: int | None) -> Iterator[list[Row]]:
    """Yield the rows ``start`` to ``stop`` of a stream of blocks, in blocks; stop reading (no
    further block is asked for) once row ``stop - 1`` is out."""
    seen = 0
    if stop is not None and stop <= start:
        return
    for block in blocks:
        end = seen + len(block)
        if end > start:
            low = max(start - seen, 0)
            high = len(block) if stop is None else min(len(block), stop - seen)
            yield block[low:high] if low or high < len(block) else block
            if stop is not None and end >= stop:
                return
        seen = end


def _per_row(start: Start) -> tuple[Callable[[int, list[Row]], list[Row]], Callable[[], None]]:
    transform, done = start()

    def each(index: int, rows: list[Row]) -> list[Row]:
        return [transform(i, row) for i, row in enumerate(rows, index)]

    return each, done


def _composed(
    inner: BlockStart, outer: BlockStart
) -> tuple[Callable[[int, list[Row]], list[Row]], Callable[[], None]]:
    first, first_done = inner()
    second, second_done = outer()

    def both(index: int, rows: list[Row]) -> list[Row]:
        return second(index, first(index, rows))

    def done() -> None:
        first_done()
        second_done()

    return both, done


class Block(list[Any]):
    """A block of rows that takes itself apart into columns once, for all who look at them.

    The check and the CSV writer both work column by column on the same block: ``columns()``
    and ``kinds(position)`` are worked out on first use and kept. A block must not be changed
    after they have been asked for.
    """

    _columns: list[tuple[Cell, ...]] | None
    _kinds: dict[int, set[type]]

    def columns(self) -> list[tuple[Cell, ...]] | None:
        """Return every column as a tuple, or None when the rows are not all the same length."""
        try:
            return self._columns
        except AttributeError:
            self._kinds = {}
            lengths = set(map(len, self))
            self._columns = list(zip(*self, strict=True)) if len(lengths) == 1 else None
            return self._columns

    def kinds(self, position: int) -> set[type]:
        """Return the types of the cells of column ``position`` (rows all the same length)."""
        columns = self.columns()
        assert columns is not None
        found = self._kinds.get(position)
        if found is None:
            found = self._kinds[position] = set(map(type, columns[position]))
        return found


def blocks(rows: Iterable[Any], size: int = BLOCK) -> Iterator[list[Any]]:
    """Yield ``rows`` in order in lists of at most ``size``: one pass, whatever ``rows`` is."""
    if isinstance(rows, LazyRows):
        return rows.blocks(size)
    if isinstance(rows, list):
        return slices(rows, size)
    return chunks(iter(rows), size)


def slices(rows: list[Any], size: int) -> Iterator[list[Any]]:
    """Yield consecutive slices of a list, at most ``size`` long."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def chunks(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of the next ``size`` rows of an iterator until it is exhausted."""
    while block := list(islice(rows, size)):
        yield block


def trimmed_blocks(
    blocks: Iterable[list[Row]], width: int, *, is_blank: Callable[[Row], bool]
) -> Iterator[list[Row]]:
    """Yield the blocks' rows cut to ``width`` cells, leaving out blank rows at the end."""
    pending: list[Row] = []
    for block in blocks:
        if any(len(row) > width for row in block):
            block = [row[:width] if len(row) > width else row for row in block]
        last = len(block) - 1
        while last >= 0 and None in block[last] and is_blank(block[last]):
            last -= 1
        if last < 0:
            pending.extend(block)
            continue
        if pending:
            block = pending + block
            last += len(pending)
            pending = []
        if last < len(block) - 1:
            pending = block[last + 1 :]
            block = block[: last + 1]
        yield block


def blank(row: Sequence[Any]) -> bool:
    """Return True when every cell of a normalised row is empty (None)."""
    return row.count(None) == len(row)
