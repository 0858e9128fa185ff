"""Check a table for everything that would make a Cloze import fail or go wrong (SPEC section 4)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from applinks.check_list import (
    CHECKS,
    EXCEL_DIGITS,
    FORMULA_STARTS,
    STAGES,
    Check,
    Rows,
    RowsCheck,
    Sheet,
    mangled_reason,
)
from applinks.header_checks import header_issues
from applinks.headers import HeaderMap, map_headers
from applinks.issues import Issue, Report
from applinks.registry import Registry, load_registry
from applinks.rows import BLOCK, Block, blocks
from applinks.seen import Seen
from applinks.table import Cell, Table

__all__ = [
    "CHECKS",
    "EXCEL_DIGITS",
    "FORMULA_STARTS",
    "STAGES",
    "CheckState",
    "RowChecker",
    "Seen",
    "check",
    "mangled_reason",
]


def check(
    table: Table,
    *,
    registry: Registry | None = None,
    on_rows: Callable[[list[list[Cell]]], object] | None = None,
    name_column: str | None = None,
) -> Report:
    """Return every issue of ``table``, sorted by row and then by column.

    Args:
        table: the sheet to check (header in ``table.headers``).
        registry: the apps to check URLs against; the built-in registry by default.
        on_rows: called with each block of data rows, in order, as the check walks them (to
            write the rows out in the same pass over a large sheet).
        name_column: the header of the column that holds the records' names, when it is not
            headed "Name" (see :func:`applinks.headers.map_headers`).

    Raises:
        UsageError: ``name_column`` names no column of the table (or another Cloze column).
    """
    registry = registry or load_registry()
    headers = map_headers(table.headers, name_column=name_column)
    checker = RowChecker(table, headers, registry)
    check_blocks(checker, table.rows, 0, on_rows)
    return checked_report(table, headers, checker)


def checked_report(table: Table, headers: HeaderMap, checker: RowChecker) -> Report:
    """Return the report of ``table`` once ``checker`` has seen every row: the header's issues
    and the rows', sorted by row and then by column."""
    issues = header_issues(table, headers) + checker.issues()
    order = {h: i for i, h in reversed(list(enumerate(table.headers)))}
    issues.sort(key=lambda i: (i.row, order.get(i.column, -1)))
    return Report(issues, rows=checker.records, blank_rows=checker.blank_rows)


def check_blocks(
    checker: RowChecker,
    rows: Sequence[list[Cell]],
    index: int = 0,
    on_rows: Callable[[list[list[Cell]]], object] | None = None,
) -> int:
    """Check ``rows`` (the data rows from ``index`` on) a block at a time, giving each block to
    ``on_rows`` after; return the index after the last row."""
    for part in blocks(rows, BLOCK):
        block = Block(part)  # taken apart into columns once, for the check and the writer
        checker.add_block(index, block)
        index += len(block)
        if on_rows is not None:
            on_rows(block)
    return index


class RowChecker:
    """The row checks of :func:`check` (:data:`~applinks.check_list.CHECKS`), fed a block of rows
    at a time (one pass over the sheet).

    ``add_block(index, rows)`` checks the data rows from ``index`` on (``add(index, row)`` one
    row); ``issues()`` returns the issues found so far plus those of the checks that compare
    rows (duplicates, inconsistent spellings). ``checks`` picks the checks to run (all of them
    by default).
    """

    def __init__(
        self,
        table: Table,
        headers: HeaderMap,
        registry: Registry,
        checks: Sequence[Check] = CHECKS,
    ) -> None:
        self.table = table
        self.sheet = Sheet(table.headers, headers, registry)
        self.checks = tuple(checks)
        self.offset = 1 + table.header_row  # sheet row = index + offset (Table.sheet_row)
        self.found = CheckState(
            seen={c.codes[0]: Seen() for c in self.checks if isinstance(c, RowsCheck)}
        )

    @property
    def records(self) -> int:
        """Data rows with something in them (records)."""
        return self.found.records

    @property
    def blank_rows(self) -> int:
        """Blank rows passed over."""
        return self.found.blank_rows

    def add(self, index: int, row: Sequence[Cell]) -> None:
        """Check data row ``index`` (0-based, as in ``table.rows``)."""
        self.add_block(index, [row])

    def add_block(self, index: int, rows: Sequence[Sequence[Cell]]) -> None:
        """Check ``rows``, the data rows from ``index`` on: each check in turn, over the whole
        block (so within one cell, issues come out in the order of the checks)."""
        found = self.found
        first = index + self.offset
        numbers: Sequence[int] = range(first, first + len(rows))
        if not all(map(any, rows)):  # some row may be blank: a blank row is not a record
            kept = [
                (r, row)
                for r, row in zip(numbers, rows, strict=True)
                if row.count(None) + row.count("") != len(row)
            ]
            found.blank_rows += len(rows) - len(kept)
            numbers, rows = [r for r, _ in kept], [row for _, row in kept]
        found.records += len(rows)
        if not rows:
            return
        block = Rows(self.sheet, numbers, rows)
        for entry in self.checks:
            if isinstance(entry, RowsCheck):
                entry.note(block, found.seen[entry.codes[0]])
            else:
                found.out += entry.run(block)

    def state(self) -> CheckState:
        """Return what was found so far, to :meth:`merge` into the checker of earlier rows."""
        return self.found

    def merge(self, later: CheckState) -> None:
        """Take in what another checker found in the rows after this one's (as if this one had
        checked them too)."""
        self.found.merge(later)

    def issues(self) -> list[Issue]:
        """Return every row issue, including those that compare rows with each other."""
        out = list(self.found.out)
        for entry in self.checks:
            if isinstance(entry, RowsCheck):
                out += entry.report(self.found.seen[entry.codes[0]], self.sheet)
        return out


@dataclass
class CheckState:
    """What a :class:`RowChecker` found: the issues of the checks of one cell or row, what the
    checks that compare rows noted (one :class:`Seen` each, by the check's
    first code), and the rows counted."""

    out: list[Issue] = field(default_factory=list)
    seen: dict[str, Seen] = field(default_factory=dict)
    records: int = 0
    blank_rows: int = 0

    def merge(self, later: CheckState) -> None:
        """Take in what was found in the rows after these (as if it had been found here)."""
        self.out += later.out
        self.records += later.records
        self.blank_rows += later.blank_rows
        for code, theirs in later.seen.items():
            self.seen[code].merge(theirs)
