"""A pass over a table's rows, in one process or two: each block of rows is checked and handed
to a sink (the Cloze CSV being written) as it goes by.

This is the one module that knows a pass may be split. Over rows read on demand (a large sheet)
into a sink that can take its rows in two parts (:class:`SplitSink`), from :data:`SPLIT_FROM`
rows and where a second processor may be used, the rows from the split point on are walked by a
forked child (:func:`applinks.workers.in_two`) while this process walks the rows before it. The
child writes its part of the output and sends back plain values that merge: the checker's state
(:meth:`~applinks.checks.RowChecker.state`) and the state of anything else the caller keeps
(:class:`Mergeable`, e.g. a fill's counts). Otherwise the rows are walked here, with nothing in
between the reader, the check and the sink.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Protocol, runtime_checkable

from applinks.checks import RowChecker, check_blocks, checked_report
from applinks.headers import map_headers
from applinks.issues import Report
from applinks.registry import Registry, load_registry
from applinks.rows import LazyRows, Row
from applinks.table import Cell, Table
from applinks.workers import in_two

#: Rows below which a pass is not split in two (a second process costs more than it saves).
SPLIT_FROM = 20_000


class RowSink(Protocol):
    """Where the rows go as they are checked (e.g. the Cloze CSV being written)."""

    def begin(
        self,
        headers: Sequence[str],
        *,
        leave_out: Collection[int] = (),
        name_column: str | None = None,
    ) -> None: ...

    def rows(self, rows: Sequence[Sequence[Cell]]) -> None: ...


class PartSink(Protocol):
    """The rows a second process writes: ``finish()`` there returns how many it wrote."""

    def rows(self, rows: Sequence[Sequence[Cell]]) -> None: ...

    def finish(self) -> int: ...

    def __enter__(self) -> PartSink: ...

    def __exit__(self, *exc: object) -> None: ...


@runtime_checkable
class SplitSink(RowSink, Protocol):
    """A sink whose rows may come in two parts (see :class:`~applinks.files.csv_out.CsvSpool`):
    ``join(part, count)`` adds a part's rows after its own; ``refresh()`` shows the progress."""

    def part(self) -> PartSink: ...

    def join(self, part: Any, count: int) -> None: ...

    def refresh(self) -> None: ...


class Mergeable(Protocol):
    """State a walk of the rows builds, which two halves' walks add up (as the checker's)."""

    def state(self) -> Any:
        """Return what the walks so far found (a plain value: it is pickled between processes)."""

    def merge(self, later: Any) -> None:
        """Add what a walk of the rows after those walked here found."""


def check_rows(
    table: Table,
    *,
    registry: Registry | None = None,
    sink: RowSink | None = None,
    workers: int = 1,
    name_column: str | None = None,
    kept: Sequence[Mergeable] = (),
) -> Report:
    """Check every row of ``table`` in one pass, giving each block to ``sink``; return the report.

    ``sink`` gets the header (``begin``), then the rows, a block at a time, as they are checked.
    ``workers=2`` lets the pass be split between two processes when it pays (see the module's
    notes); ``kept``: more state the walks build (a fill's counts, taken as the rows are made),
    merged from the second process as the checker's is. The report is the same either way, and
    so are the rows the sink gets, in the same order.

    Raises:
        UsageError: ``name_column`` names no column of the table (as
            :func:`~applinks.checks.check` does); what the reader or the second process raised.
    """
    registry = registry or load_registry()
    headers = map_headers(table.headers, name_column=name_column)
    checker = RowChecker(table, headers, registry)
    if sink is not None:
        sink.begin(table.headers, leave_out=table.unused_columns, name_column=name_column)
    start = split_point(table.rows, sink) if workers > 1 else None
    if start is None:
        check_blocks(checker, table.rows, 0, sink.rows if sink is not None else None)
    else:
        assert isinstance(table.rows, LazyRows) and isinstance(sink, SplitSink)
        _check_in_two(checker, table.rows, start, sink, [checker, *kept])
    return checked_report(table, headers, checker)


def split_point(rows: Sequence[Row], sink: RowSink | None) -> int | None:
    """Return the row from which a second process may take the pass over ``rows`` into
    ``sink``, or None when the pass stays in one (rows in memory, too few rows, a sink that
    cannot be split)."""
    if not isinstance(rows, LazyRows) or not isinstance(sink, SplitSink):
        return None
    start = rows.split_point()
    if start is None or start < SPLIT_FROM // 2:
        return None
    return start


def _check_in_two(
    checker: RowChecker,
    rows: LazyRows,
    start: int,
    sink: SplitSink,
    kept: Sequence[Mergeable],
) -> None:
    """Check the rows before ``start`` here and the rest in a forked child, into a part of
    ``sink``; merge what the child found (``kept``: the checker first) and join its part, as
    if one process had walked every row."""
    with sink.part() as part:

        def there() -> tuple[int, int, list[Any]]:
            end = check_blocks(checker, rows.part(start), start, part.rows)
            return end - start, part.finish(), [each.state() for each in kept]

        def here() -> int:
            return check_blocks(checker, rows.part(0, start), 0, sink.rows)

        end, (count, written, states) = in_two(here, there, waiting=sink.refresh)
        for each, state in zip(kept, states, strict=True):
            each.merge(state)
        rows.counted(end + count)
        sink.join(part, written)
