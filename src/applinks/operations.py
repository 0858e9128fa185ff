"""The operations on a table: insert the App Link columns, fill them, derive them from URLs.

Each takes a :class:`Table` and returns a new one (the input is never changed) with a summary
of what was done. The plans (:func:`plan_insert`, :func:`plan_fill`) are what the Excel glue
applies cell range by cell range; the ``*_app_links`` functions apply them to a Table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import add, itemgetter
from typing import cast

from applinks.checks import EXCEL_DIGITS, mangled_reason
from applinks.errors import NoColumn, UnknownApp
from applinks.fill_rows import Render, RowApps, renderer
from applinks.headers import find_column, map_headers
from applinks.issues import Issue, Report, make_issue
from applinks.link_source import LinkSource
from applinks.passes import RowSink, check_rows
from applinks.registry import AppEntry, Link, Registry, load_registry, read_link
from applinks.rows import BlockStart, LazyRows, MappedRows, Start
from applinks.table import (
    APP_LINK_HEADERS,
    APP_UNIQUE_ID,
    Cell,
    Table,
    cell_text,
)
from applinks.templates import id_text
from applinks.wording import counted

#: At most this many distinct ids or URLs keep their worked-out link (bounded memory).
_RENDER_CACHE = 100_000


def plan_insert(headers: Sequence[str]) -> list[tuple[int, str]]:
    """Return where the missing App Link columns go, as ``(position, header)`` pairs.

    Positions are 0-based in the final header row, in increasing order, so applying them one
    after another (insert at ``position``, shifting the rest right) gives the final layout. A
    column already present (exactly or as a near miss) is kept where it is. Missing columns go
    next to the existing ones in Cloze's order, or after the last used column.
    """
    found = map_headers(list(headers)).positions
    current = list(headers)
    while current and not current[-1]:
        current.pop()
    placed = {h: found[h] for h in APP_LINK_HEADERS if h in found}
    inserts: list[tuple[int, str]] = []
    for order, header in enumerate(APP_LINK_HEADERS):
        if header in placed:
            continue
        before = [placed[h] for h in APP_LINK_HEADERS[:order] if h in placed]
        after = [placed[h] for h in APP_LINK_HEADERS[order + 1 :] if h in placed]
        if before:
            position = max(before) + 1
        elif after:
            position = min(after)
        else:
            position = len(current)
        current.insert(position, header)
        placed = {h: p + (1 if p >= position else 0) for h, p in placed.items()}
        placed[header] = position
        inserts = [(p + (1 if p >= position else 0), h) for p, h in inserts]
        inserts.append((position, header))
    return sorted(inserts)


@dataclass
class InsertResult:
    table: Table
    added: list[str]


def insert_app_link_columns(table: Table) -> InsertResult:
    """Return a copy of ``table`` with any missing App Link columns added (idempotent).

    Rows read on demand (a large workbook) stay on demand: the new rows are made as they are
    read, never copied all at once.
    """
    plan = plan_insert(table.headers)
    headers = list(table.headers)
    for position, header in plan:
        if position > len(headers):
            headers.extend([""] * (position - len(headers)))
        headers.insert(position, header)
    positions = [p for p, _ in plan]
    rows: Sequence[list[Cell]]
    if isinstance(table.rows, LazyRows):
        rows = table.rows
        if positions:
            insert = partial(_with_blanks_block, positions)
            rows = MappedRows(rows, lambda: (insert, _nothing), block=True)
    else:
        rows = [_with_blanks(positions, 0, r) for r in table.rows]
    unused = list(table.unused_columns)
    for position, _ in plan:  # (applied in turn, as the inserts are)
        unused = [p + 1 if p >= position else p for p in unused]
    result = _replace(table, headers, rows)
    result.unused_columns = tuple(unused)
    return InsertResult(result, [h for _, h in plan])


def _with_blanks(positions: list[int], index: int, row: Sequence[Cell]) -> list[Cell]:
    """Return a copy of ``row`` with an empty cell inserted at each of ``positions`` in turn."""
    if positions and positions[0] == len(row) and positions[-1] == len(row) + len(positions) - 1:
        return [*row, *[None] * len(positions)]  # all at the end (positions are increasing)
    out = list(row)
    for position in positions:
        if len(out) >= position:
            out.insert(position, None)
    return out


def _with_blanks_block(
    positions: list[int], index: int, rows: list[list[Cell]]
) -> list[list[Cell]]:
    """:func:`_with_blanks` for a block of rows (one C-level pass when all go at the end)."""
    first = positions[0]
    if positions[-1] == first + len(positions) - 1 and all(len(row) == first for row in rows):
        return list(map(add, rows, repeat([None] * len(positions))))
    return [_with_blanks(positions, index, row) for row in rows]


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class FillCounts:
    """What a fill counted over some rows; the counts of two runs of rows add up (``+``)."""

    filled_rows: int = 0
    kept_cells: int = 0
    issues: tuple[Issue, ...] = ()
    not_records: int = 0

    def __add__(self, later: FillCounts) -> FillCounts:
        """Return the counts of these rows and of the rows after them, counted by ``later``."""
        return FillCounts(
            self.filled_rows + later.filled_rows,
            self.kept_cells + later.kept_cells,
            self.issues + later.issues,
            self.not_records + later.not_records,
        )


@dataclass
class _Tally:
    """The counts of one walk of the rows as it goes (made a :class:`FillCounts` at its end)."""

    filled_rows: int = 0
    kept_cells: int = 0
    issues: list[Issue] = field(default_factory=list)
    not_records: int = 0


class FillResult:
    """What a fill did: the new table, counts, which column the ids came from, and issues.

    For rows read on demand the counts (``counts``) are taken while the rows are first walked
    (by the check or the writer); reading a count before that walks them once.
    """

    def __init__(
        self,
        table: Table,
        filled_rows: int = 0,
        kept_cells: int = 0,
        id_column: str = "",
        added_columns: list[str] | None = None,
        report: Report | None = None,
    ) -> None:
        self.table = table
        self.id_column = id_column
        self.added_columns = list(added_columns or [])
        #: What the fill counted: None until the rows on demand are first walked.
        self.counts: FillCounts | None = FillCounts(
            filled_rows, kept_cells, tuple(report.issues) if report else ()
        )

    def state(self) -> FillCounts:
        """Return the counts of the rows walked so far (to :meth:`merge` elsewhere)."""
        assert self.counts is not None, "the rows are walked before their counts are taken"
        return self.counts

    def merge(self, later: FillCounts) -> None:
        """Add the counts of a walk of the rows after those counted here (another process's)."""
        self.counts = self.state() + later

    def _ready(self) -> FillCounts:
        if self.counts is None:
            for _ in self.table.rows:
                pass
        assert self.counts is not None
        return self.counts

    @property
    def filled_rows(self) -> int:
        return self._ready().filled_rows

    @property
    def kept_cells(self) -> int:
        return self._ready().kept_cells

    @property
    def not_records(self) -> int:
        """How many rows From URLs left alone because their link is no record's (a short link,
        a map, an email address, ...)."""
        return self._ready().not_records

    @property
    def report(self) -> Report:
        return Report(list(self._ready().issues))

    def __repr__(self) -> str:
        return (
            f"FillResult(id_column={self.id_column!r}, added_columns={self.added_columns!r}, "
            f"filled_rows={self.filled_rows}, kept_cells={self.kept_cells})"
        )

    def summary(self, *, how_to_replace: str = "") -> str:
        """Say what the fill did in one sentence; ``how_to_replace`` (each surface's own words,
        e.g. "use --overwrite to replace them") follows the count of cells kept."""
        text = f"Filled App Links on {counted(self.filled_rows, 'row')}"
        text += f' (ids from "{self.id_column}")'
        if self.kept_cells:
            text += f"; kept {counted(self.kept_cells, 'cell')} that already had values"
            if how_to_replace:
                text += f" ({how_to_replace})"
        if self.not_records:
            many = self.not_records != 1
            text += (
                f"; {self.not_records} link{'s' if many else ''} {'are' if many else 'is'} not "
                f"{'links' if many else 'a link'} to a record (a short link, a map, an email "
                "address or a phone number), so "
                f"{'their rows were' if many else 'its row was'} left without an App ID: paste "
                "the link of the record itself, copied from the browser with the record open"
            )
        return text + "."


def resolve_app(app: str, registry: Registry) -> AppEntry:
    """Return the registry entry for ``app`` (an App ID or an App Name), or raise UnknownApp."""
    entry = registry.get(app.strip().lower())
    if entry is None:
        wanted = app.strip().casefold()
        entry = next((e for e in registry.apps if e.name.casefold() == wanted), None)
    if entry is None:
        raise UnknownApp(app)
    return entry


def fill_app_links(
    table: Table,
    *,
    app: str,
    id_column: str | None = None,
    overwrite: bool = False,
    settings: Mapping[str, str] | None = None,
    kind: str | None = None,
    registry: Registry | None = None,
) -> FillResult:
    """Fill App ID, App Unique ID, App Name and App Content URL for every row that has an id.

    Ids come from ``id_column`` (a header) or from the App Unique ID column. Only blank cells
    are written unless ``overwrite``. Ids are written as text.

    Raises:
        UnknownApp: the app is not known.
        NoColumn: ``id_column`` names no column.
        MissingSettings: the app's URL template needs a setting that was not given.
    """
    registry = registry or load_registry()
    entry = resolve_app(app, registry)
    # Render once up front so a missing setting stops the run before anything is written.
    entry.render_url("0", settings=settings, kind=kind)
    inserted = insert_app_link_columns(table)
    work = inserted.table
    positions = map_headers(work.headers).positions
    source = _id_source(work, id_column, positions)
    result = FillResult(work, id_column=work.headers[source], added_columns=inserted.added)
    targets = [positions[h] for h in APP_LINK_HEADERS]
    renders = renderer(entry, settings, kind)
    fill = _IdFill(entry, work, source, targets, registry, renders, overwrite=overwrite)

    def start() -> tuple[Callable[[int, list[list[Cell]]], list[list[Cell]]], Callable[[], None]]:
        stats = _Tally()
        return partial(fill.block, stats), partial(_first_walk, result, stats)

    _apply(result, start, block=True)
    return result


class _IdFill:
    """The fill of a table's rows from the ids of one app (``entry``, its ids in column
    ``source``), into the App Link cells at ``targets``: a whole block at once where every row
    is plain, else row by row. ``renders``: the link makers of
    :func:`~applinks.fill_rows.renderer`, for one id and for a list.
    """

    def __init__(
        self,
        entry: AppEntry,
        work: Table,
        source: int,
        targets: list[int],
        registry: Registry,
        renders: tuple[Render, Callable[[list[str]], list[str]]],
        *,
        overwrite: bool,
    ) -> None:
        self.entry, self.work, self.source, self.targets = entry, work, source, targets
        self.render, self.render_all = renders
        self.overwrite = overwrite
        self.column = work.headers[source]
        #: The rows of other apps (and the headers their issues name: App ID's, App Unique ID's).
        self.apps = RowApps(entry, registry, (work.headers[targets[0]], work.headers[targets[1]]))

    def block(self, stats: _Tally, index: int, rows: list[list[Cell]]) -> list[list[Cell]]:
        """Fill ``rows``, the data rows from ``index`` on, counting into ``stats``."""
        targets, overwrite, entry = self.targets, self.overwrite, self.entry
        first, second, third, fourth = targets
        ours, fits = {None, entry.app_id}, entry.id_fullmatch
        uids = _plain_ids(rows, self.source, max(targets))
        if (
            uids is not None
            and (_blank_at(rows, targets) or (overwrite and _apps_of(rows, first) <= ours))
            and (fits is None or all(map(fits, uids)))
        ):
            # Every row is the chosen app's, has an id of its form that needs no second
            # look, and has empty App Link cells (or they are to be replaced).
            app_id, name = entry.app_id, entry.name
            for row, uid, url in zip(rows, uids, self.render_all(uids), strict=True):
                row[first], row[second], row[third], row[fourth] = app_id, uid, name, url
            stats.filled_rows += len(rows)
            return rows
        for offset, row in enumerate(rows):
            stats.filled_rows += self.row(stats, self.work.sheet_row(index + offset), row)
        return rows

    def row(self, stats: _Tally, r: int, row: list[Cell]) -> int:
        """Fill sheet row ``r``; return 1 when it was filled, 0 when not (an issue says why,
        unless the row is blank)."""
        if not any(c is not None and c != "" for c in row):
            return 0  # a blank row is no record
        entry, apps, targets, column = self.entry, self.apps, self.targets, self.column
        top, first = max(targets), targets[0]
        if len(row) <= top:
            row.extend([None] * (top + 1 - len(row)))
        if not apps.is_chosen(row[first]):
            done = apps.fill_other(r, row, targets)
            if isinstance(done, Issue):
                stats.issues.append(done)
                return 0
            return done
        raw = row[self.source]
        uid, reason = (raw, None) if type(raw) is str else (id_text(raw), mangled_reason(raw))
        if reason and uid.strip():
            stats.issues.append(
                make_issue("unique-id-mangled", row=r, column=column, value=uid, reason=reason)
            )
        if not uid or uid.isspace():
            if not self.overwrite and all(row[p] is not None and row[p] != "" for p in targets):
                return 0  # a whole App Link of its own: nothing to fill
            stats.issues.append(make_issue("fill-no-id", row=r, column=column))
            return 0
        if not entry.id_matches(uid.strip()) and not (reason or mangled_reason(raw)):
            stats.issues.append(apps.not_fitting(r, uid, entry, column))
            return 0
        link = (entry.app_id, uid, entry.name, self.render(uid))
        if self.overwrite or all(row[p] is None for p in targets):
            row[first], row[targets[1]], row[targets[2]], row[targets[3]] = link
        else:
            stats.kept_cells += _write(row, targets, link, self.overwrite)
        return 1


def _plain_ids(rows: list[list[Cell]], source: int, top: int) -> list[str] | None:
    """Return the id of every row as text when each is plain, else None (look row by row).

    Plain: every row reaches past ``top``, and its id is text with something other than spaces
    in it, or a whole number Excel keeps exactly (at most 15 digits).
    """
    if not rows or min(map(len, rows)) <= max(source, top):
        return None
    raws = list(map(itemgetter(source), rows))
    kinds = set(map(type, raws))
    if kinds == {str}:
        texts = cast("list[str]", raws)
        return texts if all(map(str.strip, texts)) else None
    if kinds == {int}:
        numbers = cast("list[int]", raws)
        if max(numbers) < _EXACT and min(numbers) > -_EXACT:
            return list(map(str, numbers))
    return None


def _apps_of(rows: list[list[Cell]], position: int) -> set[Cell]:
    """Return the distinct App ID cells of the rows."""
    return set(map(itemgetter(position), rows))


def _blank_at(rows: list[list[Cell]], positions: list[int]) -> bool:
    """Return True when every row is empty (None) at every one of ``positions``."""
    return all(set(map(itemgetter(p), rows)) == {None} for p in positions)


#: Whole numbers below this (in size) have at most 15 digits: Excel keeps them exactly.
_EXACT = 10**EXCEL_DIGITS


def _apply(result: FillResult, start: Start | BlockStart, *, block: bool = False) -> None:
    """Run a filler over ``result.table``: now for a list (its rows are changed in place), on
    each walk for rows on demand. ``block``: the filler takes a block of rows at a time."""
    table = result.table
    rows = MappedRows(table.rows, start, block=block)
    result.counts = None  # (taken from the first complete walk)
    if isinstance(table.rows, LazyRows):
        result.table = _replace(table, table.headers, rows)
    else:
        for _ in rows:
            pass


def _first_walk(result: FillResult, tally: _Tally) -> None:
    """Keep the counts of the first complete walk of the rows (a later walk counts the same)."""
    if result.counts is None:
        result.counts = FillCounts(
            tally.filled_rows, tally.kept_cells, tuple(tally.issues), tally.not_records
        )


def links_from_urls(
    table: Table,
    *,
    url_column: str,
    app: str | None = None,
    overwrite: bool = False,
    registry: Registry | None = None,
) -> FillResult:
    """Derive App ID, App Unique ID and App Name from a column of record URLs.

    The App ID comes from the registry entry whose hosts match the URL (or ``app`` when given),
    else from the URL's registrable domain; the id is extracted with that app's URL patterns.
    A URL whose id cannot be found leaves the App Unique ID blank (``check`` reports it). A
    link that is no record's (a short link, a map, ``mailto:``, ``tel:``, ``file:``) leaves its
    row alone and is counted in ``not_records`` (the summary says what to paste instead). Each
    distinct URL is read once.
    """
    registry = registry or load_registry()
    forced = resolve_app(app, registry) if app else None
    inserted = insert_app_link_columns(table)
    work = inserted.table
    positions = map_headers(work.headers).positions
    source = find_column(work.headers, url_column)
    if source is None:
        raise NoColumn(url_column, work.headers)
    result = FillResult(work, id_column=work.headers[source], added_columns=inserted.added)
    targets = [positions[h] for h in APP_LINK_HEADERS]
    cache: dict[str, Link] = {}
    column = result.id_column
    # A cell that shows "View listing" but links to the record: the link is the URL.
    linked = work.links.get(work.headers[source], {})

    def start() -> tuple[Callable[[int, list[Cell]], list[Cell]], Callable[[], None]]:
        stats = _Tally()

        def fill_row(index: int, row: list[Cell]) -> list[Cell]:
            url = linked.get(index) or cell_text(row[source] if source < len(row) else None)
            url = url.strip()
            if not url:
                return row
            found = cache.get(url)
            if found is None:
                found = read_link(url, registry, app=forced)
                if len(cache) < _RENDER_CACHE:
                    cache[url] = found
            app_id, uid, name = found.app_id, found.unique_id, found.name
            r = work.sheet_row(index)
            if not app_id:
                stats.not_records += bool(found.not_record)
                what = found.not_record or "not a web address"
                stats.issues.append(_not_filled("fill-not-a-link", r, column, url, what=what))
                return row
            stats.kept_cells += _write(
                row, targets, (app_id, uid or None, name or None, url), overwrite
            )
            if uid or row[targets[1]] not in (None, ""):  # (an id of the row's own is kept)
                stats.filled_rows += 1
            else:  # a link with no record id fills no App Link: not counted as filled
                stats.issues.append(_not_filled("fill-link-no-id", r, column, url))
            return row

        return fill_row, partial(_first_walk, result, stats)

    _apply(result, start)
    return result


def _not_filled(code: str, r: int, column: str, url: str, **extra: str) -> Issue:
    return make_issue(code, row=r, column=column, value=url, **extra)


def _write(row: list[Cell], targets: list[int], values: Sequence[Cell], overwrite: bool) -> int:
    """Write ``values`` into ``row`` at ``targets``; return how many non-blank cells were kept."""
    kept = 0
    if len(row) <= max(targets):
        row.extend([None] * (max(targets) + 1 - len(row)))
    for position, value in zip(targets, values, strict=True):
        if value is None:
            continue
        current = row[position]
        if current is None or current == "" or overwrite:
            row[position] = value
        elif cell_text(current) != value:
            kept += 1
    return kept


def _id_source(table: Table, id_column: str | None, positions: Mapping[str, int]) -> int:
    if id_column:
        found = find_column(table.headers, id_column)
        if found is None:
            raise NoColumn(id_column, table.headers)
        return found
    return positions[APP_UNIQUE_ID]


def fill_links(table: Table, source: LinkSource, *, registry: Registry | None = None) -> FillResult:
    """Fill the App Link columns from a column of links or from ids, as ``source`` says.

    Raises:
        NoLinkSource: ``source`` names neither an app nor a column of links (and what
            ``fill_app_links`` or ``links_from_urls`` raise).
    """
    source.require()
    if source.from_url:
        return links_from_urls(
            table,
            url_column=source.from_url,
            app=source.app,
            overwrite=source.overwrite,
            registry=registry,
        )
    assert source.app is not None
    return fill_app_links(
        table,
        app=source.app,
        id_column=source.id_column,
        overwrite=source.overwrite,
        settings=source.all_settings(),
        kind=source.kind,
        registry=registry,
    )


@dataclass
class PrepareResult:
    """The prepared table, the combined report and what the fill did (when it ran)."""

    table: Table
    report: Report
    fill: FillResult | None = None
    added_columns: list[str] = field(default_factory=list)


def prepare(
    table: Table,
    source: LinkSource | None = None,
    *,
    registry: Registry | None = None,
    sink: RowSink | None = None,
    workers: int = 1,
    name_column: str | None = None,
) -> PrepareResult:
    """Insert the App Link columns, fill them as ``source`` says (when it names an app or a
    column of links), and check the result.

    ``sink``, when given, receives the prepared header (``begin``) and then the prepared rows,
    a block at a time (``rows``), during the check's pass, so a large sheet is walked once for
    both. ``workers=2``: a large sheet read on demand into a sink that can take its rows in two
    parts is walked in two processes at once, half each (same result; see
    :func:`applinks.passes.check_rows`).
    ``name_column``: the column of the records' names when it is not headed "Name" (as in
    :func:`~applinks.checks.check`).
    """
    registry = registry or load_registry()
    map_headers(table.headers, name_column=name_column)  # a wrong name_column stops it here
    fill: FillResult | None = None
    if source is not None and source.given:
        fill = fill_links(table, source, registry=registry)
        work, added = fill.table, fill.added_columns
    else:
        inserted = insert_app_link_columns(table)
        work, added = inserted.table, inserted.added
    report = check_rows(
        work,
        registry=registry,
        sink=sink,
        workers=workers,
        name_column=name_column,
        kept=[fill] if fill is not None else [],
    )
    if fill is not None and fill.report.issues:
        report = dataclasses.replace(
            report, issues=_merge_issues(fill.report.issues, report.issues)
        )
    return PrepareResult(work, report, fill, added)


def _merge_issues(filled: list[Issue], checked: list[Issue]) -> list[Issue]:
    """Return the fill's issues and the check's by row, each problem of a cell once.

    The fill reports a damaged id at the cell it read it from; the check reports what the App
    Unique ID column holds after the fill. When the ids come from that column and the fill
    leaves a cell as it was, both find the same damage at the same cell: the check's issue is
    kept. (With ``overwrite`` the cell becomes the id's text and only the fill's issue tells.)
    A damaged id is not also said not to fit its app (as :mod:`applinks.id_checks` does when
    the damage is in the App Unique ID column itself): the damage is what to fix.
    """
    keys = {i.key() for i in filled}
    both = {key for i in checked if (key := i.key()) in keys}
    damaged = {i.row for i in filled if i.code == "unique-id-mangled"}
    checked = [
        i for i in checked if not (i.code == "unique-id-not-app-format" and i.row in damaged)
    ]
    return sorted([i for i in filled if i.key() not in both] + checked, key=lambda i: i.row)


def _replace(table: Table, headers: list[str], rows: Sequence[list[Cell]]) -> Table:
    return dataclasses.replace(table, headers=headers, rows=rows, notes=list(table.notes))
