"""What an annotated workbook changes in the data sheet: the plan of its edits.

:func:`make_plan` decides the final header row (missing App Link headers appended after the last
column), which App Link cells get a new value (:class:`Changes`, found by comparing the prepared
table with the sheet's rows, or taken from a :class:`LinkRecorder` that noted them during the
prepare), which columns are stored as text, the rules and how far they reach.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from applinks.errors import UsageError
from applinks.headers import map_headers
from applinks.issues import Report
from applinks.registry import Registry
from applinks.rows import LazyRows, MappedRows
from applinks.rules import Rule, conditional_rules
from applinks.shape import MAX_ROWS
from applinks.table import APP_CONTENT_URL, APP_ID, APP_LINK_HEADERS, APP_UNIQUE_ID, Cell, Table

if TYPE_CHECKING:
    from applinks.passes import RowSink

#: Rows the rules and the App ID list cover below the data, so rows typed later are flagged too.
MARGIN_ROWS = 1000
#: Columns that hold ids and links: stored as text so Excel never rounds or reformats them.
TEXT_COLUMNS = (APP_ID, APP_UNIQUE_ID, APP_CONTENT_URL)


class _Keep:
    """The marker for an App Link cell the prepare left as it was (nothing to write)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


@dataclass
class Changes:
    """The App Link cells to write: for each sheet column, one entry per data row.

    ``columns`` holds ``(0-based sheet column, values)``; ``values[index]`` is the new value of
    data row ``index`` (sheet row ``first_row + index``), or :data:`KEEP` when it is unchanged.
    One list per column keeps a million rows compact (no dictionary per row).
    """

    first_row: int
    rows: int
    columns: list[tuple[int, list[Cell | _Keep]]] = field(default_factory=list)

    def at(self, number: int) -> dict[int, Cell]:
        """Return ``{0-based column: new value}`` for sheet row ``number`` (empty: unchanged)."""
        index = number - self.first_row
        if not 0 <= index < self.rows:
            return {}
        out: dict[int, Cell] = {}
        for position, values in self.columns:
            value = values[index]
            if value is not KEEP:
                out[position] = value  # type: ignore[assignment]
        return out

    def changed_rows(self, after: int, before: int) -> Iterator[int]:
        """Yield the sheet rows ``after < number < before`` that have a change, in order."""
        start = max(after + 1, self.first_row) - self.first_row
        stop = min(before - self.first_row, self.rows)
        columns = [values for _, values in self.columns]
        for index in range(start, stop):
            if any(values[index] is not KEEP for values in columns):
                yield self.first_row + index

    def as_dict(self) -> dict[int, dict[int, Cell]]:
        """Return ``{sheet row: {0-based column: new value}}`` (for tests and small sheets)."""
        out: dict[int, dict[int, Cell]] = {}
        for number in self.changed_rows(0, self.first_row + self.rows):
            out[number] = self.at(number)
        return out


@dataclass
class LinkLayout:
    """Where the App Link columns are in the sheet and in the prepared table."""

    headers: list[str]  # final header row (original plus appended App Link headers)
    appended: list[tuple[int, str]]  # (0-based position, header) added after the last column
    pairs: list[tuple[int, int]]  # (position in the prepared rows, sheet column) per header


def link_layout(original: Sequence[str], prepared: Sequence[str]) -> LinkLayout:
    """Return where the App Link columns are: in the sheet (some appended) and in ``prepared``."""
    headers = list(original)
    while headers and not headers[-1]:
        headers.pop()
    found = map_headers(headers).positions
    after = map_headers(list(prepared)).positions
    appended: list[tuple[int, str]] = []
    for header in APP_LINK_HEADERS:
        if header not in found and header in after:
            found[header] = len(headers)
            appended.append((len(headers), header))
            headers.append(header)
    pairs = [(after[h], found[h]) for h in APP_LINK_HEADERS if h in after and h in found]
    return LinkLayout(headers, appended, pairs)


def _changed(new: Cell, old: Cell) -> bool:
    return new != old and not (new in ("", None) and old in ("", None))


def walk_changes(table: Table, prepared: Table, layout: LinkLayout) -> Changes:
    """Compare every prepared row with the sheet's row: one pass over both.

    The sheet's rows are read again only when App Link values may already be in them. (A fill
    may write into the rows it is given: rows read on demand are made afresh for each pass, so
    the sheet's values are still the sheet's. :class:`LinkRecorder` needs no second pass.)
    """
    width = table.width
    changes = Changes(table.header_row + 1, len(table.rows))
    outs: list[list[Cell | _Keep]] = [[] for _ in layout.pairs]
    changes.columns = [(old, out) for (_, old), out in zip(layout.pairs, outs, strict=True)]
    wanted = [old if old < width else None for _, old in layout.pairs]
    originals: Iterator[Sequence[Cell]] = (
        iter(table.rows) if any(p is not None for p in wanted) else repeat(())
    )
    made = iter(prepared.rows)
    for original in originals:
        olds = [original[p] if p is not None and p < len(original) else None for p in wanted]
        row = next(made, None)
        if row is None:
            break
        for (new_pos, _), old, out in zip(layout.pairs, olds, outs, strict=True):
            new = row[new_pos] if new_pos < len(row) else None
            out.append(new if _changed(new, old) else KEEP)
    return changes


class LinkRecorder:
    """Records the App Link cells a prepare changes, during the prepare's own pass over the rows.

    The annotated workbook then needs no pass of its own over the prepared rows. Prepare
    :attr:`table` (not the table given) with this recorder as the row sink; it passes every row
    on to ``sink``. Only when the sheet has cells where App Link values go (columns that already
    exist) are those cells noted as the rows are read, to compare them with the prepared ones.
    """

    def __init__(self, table: Table, sink: RowSink | None = None) -> None:
        self.source = table
        self._sink = sink
        self._layout: LinkLayout | None = None
        self._outs: list[list[Cell | _Keep]] = []
        self._olds: list[list[Cell] | None] = []
        self._plain: list[tuple[int, list[Cell | _Keep]]] = []
        self.count = 0
        headers = list(table.headers)
        while headers and not headers[-1]:
            headers.pop()
        # Where old values may be: App Link columns the sheet has, and the columns after the
        # last header where missing ones are appended (only inside the table's width).
        found = map_headers(headers).positions
        candidates = {found[h] for h in APP_LINK_HEADERS if h in found} | {
            len(headers) + n for n in range(len(APP_LINK_HEADERS))
        }
        self._watched = sorted(p for p in candidates if p < table.width)
        self._seen: dict[int, list[Cell]] = {p: [] for p in self._watched}
        self.table = table
        if self._watched:
            rows = table.rows
            if isinstance(rows, LazyRows):
                rows = MappedRows(rows, self._start)
            else:
                note = self._note
                for index, row in enumerate(rows):
                    note(index, row)
            self.table = dataclasses.replace(table, rows=rows, notes=list(table.notes))

    def _start(self) -> tuple[Callable[[int, list[Cell]], list[Cell]], Callable[[], None]]:
        return self._note, _nothing

    def _note(self, index: int, row: list[Cell]) -> list[Cell]:
        for position, seen in self._seen.items():
            value = row[position] if position < len(row) else None
            if index < len(seen):
                seen[index] = value
            else:
                seen.append(value)
        return row

    def begin(self, headers: Sequence[str], **heading: Any) -> None:
        """Start on the prepared rows; the header's options (the columns left out, the name
        column: see :class:`~applinks.passes.RowSink`) go on to the sink as they came."""
        self._layout = link_layout(self.source.headers, headers)
        self._outs = [[] for _ in self._layout.pairs]
        self._olds = [self._seen.get(old) for _, old in self._layout.pairs]
        # No cells where the values go (the usual case): a value is new unless it is blank.
        self._plain = (
            [(new, out) for (new, _), out in zip(self._layout.pairs, self._outs, strict=True)]
            if all(olds is None for olds in self._olds)
            else []
        )
        self.count = 0
        if self._sink is not None:
            self._sink.begin(headers, **heading)

    def rows(self, rows: Sequence[Sequence[Cell]]) -> None:
        """Note the App Link values of a block of prepared rows, then pass the block on."""
        assert self._layout is not None, "begin() comes first"
        start = self.count
        if self._plain:
            short = min(map(len, rows), default=0) <= max(p for p, _ in self._plain)
            for new_pos, out in self._plain:
                column = (
                    [row[new_pos] if new_pos < len(row) else None for row in rows]
                    if short
                    else list(map(itemgetter(new_pos), rows))
                )
                out.extend([KEEP if v is None or v == "" else v for v in column])
        else:
            for index, row in enumerate(rows, start):
                size = len(row)
                for (new_pos, _), out, olds in zip(
                    self._layout.pairs, self._outs, self._olds, strict=True
                ):
                    new = row[new_pos] if new_pos < size else None
                    old = olds[index] if olds is not None and index < len(olds) else None
                    out.append(new if _changed(new, old) else KEEP)
        self.count = start + len(rows)
        if self._sink is not None:
            self._sink.rows(rows)

    def changes(self, table: Table, prepared: Table) -> Changes | None:
        """Return what was recorded, or None when it does not cover these tables' rows."""
        layout = self._layout
        if layout is None or self.count != len(table.rows):
            return None
        if layout != link_layout(table.headers, prepared.headers):
            return None
        changes = Changes(table.header_row + 1, self.count)
        changes.columns = [
            (old, out) for (_, old), out in zip(layout.pairs, self._outs, strict=True)
        ]
        return changes


def _nothing() -> None:
    return None


@dataclass
class Plan:
    """The edits of the data sheet and what the check sheet and the App ID list need."""

    headers: list[str]  # final header row (original plus appended App Link headers)
    appended: list[tuple[int, str]]  # (0-based position, header) added after the last column
    header_row: int
    rows: int
    last_row: int  # last row the rules and validation cover
    changes: Changes  # the App Link cells to write
    text_columns: set[int]  # 0-based columns stored as text
    rules: list[Rule]
    report: Report
    app_ids: list[str]
    app_id_column: int | None


def make_plan(
    table: Table,
    prepared: Table | None,
    report: Report,
    registry: Registry,
    recorder: LinkRecorder | None = None,
    name_column: str | None = None,
) -> Plan:
    """Plan the edits of the data sheet of ``table`` (``prepared``: after insert and fill)."""
    layout = link_layout(table.headers, prepared.headers if prepared is not None else [])
    headers = layout.headers
    changes = Changes(table.header_row + 1, 0)
    if prepared is not None:
        if len(prepared.rows) != len(table.rows):
            raise UsageError("The prepared table has a different number of rows than the sheet.")
        recorded = recorder.changes(table, prepared) if recorder is not None else None
        changes = recorded if recorded is not None else walk_changes(table, prepared, layout)
    first_row = table.header_row + 1
    last_data = table.header_row + len(table.rows)
    last_row = min(MAX_ROWS, max(last_data, first_row) + MARGIN_ROWS)
    rules = conditional_rules(
        headers, first_row=first_row, last_row=last_row, name_column=name_column
    )
    final = map_headers(headers).positions
    return Plan(
        headers=headers,
        appended=layout.appended,
        header_row=table.header_row,
        rows=len(table.rows),
        last_row=last_row,
        changes=changes,
        text_columns={final[h] for h in TEXT_COLUMNS if h in final},
        rules=rules,
        report=report,
        app_ids=registry.app_ids(),
        app_id_column=final.get(APP_ID),
    )
