"""The operations on a table: insert the App Link columns, fill them, derive them from URLs.

Each takes a :class:`Table` and returns a new one (the input is never changed) with a summary
of what was done. The plans (:func:`plan_insert`, :func:`plan_fill`) are what the Excel glue
applies cell range by cell range; the ``*_app_links`` functions apply them to a Table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from applinks.checks import check, mangled_reason
from applinks.domains import host_of, registrable_domain
from applinks.errors import UsageError
from applinks.headers import find_column, map_headers
from applinks.issues import Issue, Report, make_issue
from applinks.registry import AppEntry, Registry, load_registry
from applinks.table import (
    APP_LINK_HEADERS,
    APP_UNIQUE_ID,
    Cell,
    Table,
    cell_text,
)
from applinks.templates import id_text


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
    """Return a copy of ``table`` with any missing App Link columns added (idempotent)."""
    plan = plan_insert(table.headers)
    headers = list(table.headers)
    rows = [list(r) for r in table.rows]
    for position, header in plan:
        if position > len(headers):
            headers.extend([""] * (position - len(headers)))
        headers.insert(position, header)
        for row in rows:
            if len(row) >= position:
                row.insert(position, None)
    return InsertResult(_replace(table, headers, rows), [h for _, h in plan])


@dataclass
class FillResult:
    """What a fill did: the new table, counts, which column the ids came from, and issues."""

    table: Table
    filled_rows: int = 0
    kept_cells: int = 0
    id_column: str = ""
    added_columns: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    def summary(self) -> str:
        text = f"Filled App Links on {self.filled_rows} row{'s' if self.filled_rows != 1 else ''}"
        text += f' (ids from "{self.id_column}")'
        if self.kept_cells:
            text += (
                f"; kept {self.kept_cells} cell{'s' if self.kept_cells != 1 else ''} that "
                "already had values (use --overwrite to replace them)"
            )
        return text + "."


def resolve_app(app: str, registry: Registry) -> AppEntry:
    """Return the registry entry for ``app`` (an App ID or an App Name), or raise UsageError."""
    entry = registry.get(app.strip().lower())
    if entry is None:
        wanted = app.strip().casefold()
        entry = next((e for e in registry.apps if e.name.casefold() == wanted), None)
    if entry is None:
        raise UsageError(
            f'Unknown app "{app}"; run "applinks apps" to list the known apps, or give a URL '
            "template with --templates."
        )
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
        UsageError: unknown app or id column.
        TemplateError: the app's URL template needs a setting that was not given.
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
    issues: list[Issue] = []
    for index, row in enumerate(work.rows):
        raw = row[source] if source < len(row) else None
        uid = id_text(raw)
        if not uid.strip():
            continue
        reason = mangled_reason(raw) if type(raw) is not str else None
        if reason:
            issues.append(
                make_issue(
                    "unique-id-mangled",
                    row=work.sheet_row(index),
                    column=result.id_column,
                    value=uid,
                    reason=reason,
                )
            )
        values = (
            entry.app_id,
            uid,
            entry.name,
            entry.render_url(uid, settings=settings, kind=kind),
        )
        result.kept_cells += _write(row, targets, values, overwrite)
        result.filled_rows += 1
    result.report = Report(issues)
    return result


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
    A URL whose id cannot be found leaves the App Unique ID blank (``check`` reports it).
    """
    registry = registry or load_registry()
    forced = resolve_app(app, registry) if app else None
    inserted = insert_app_link_columns(table)
    work = inserted.table
    positions = map_headers(work.headers).positions
    source = find_column(work.headers, url_column)
    if source is None:
        raise UsageError(_no_column(url_column, work.headers), column=url_column)
    result = FillResult(work, id_column=work.headers[source], added_columns=inserted.added)
    targets = [positions[h] for h in APP_LINK_HEADERS]
    cache: dict[str, tuple[str, str, str]] = {}
    for row in work.rows:
        url = cell_text(row[source] if source < len(row) else None).strip()
        if not url:
            continue
        if url not in cache:
            cache[url] = _link_for_url(url, forced, registry)
        app_id, uid, name = cache[url]
        if not app_id:
            continue
        result.kept_cells += _write(
            row, targets, (app_id, uid or None, name or None, url), overwrite
        )
        result.filled_rows += 1
    return result


def _link_for_url(url: str, forced: AppEntry | None, registry: Registry) -> tuple[str, str, str]:
    entry = forced or registry.app_for_url(url)
    if entry is not None:
        return entry.app_id, entry.extract_id(url) or "", entry.name
    host = host_of(url)
    domain = registrable_domain(host) if host else None
    return (domain or "", "", "")


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
            raise UsageError(_no_column(id_column, table.headers), column=id_column)
        return found
    return positions[APP_UNIQUE_ID]


def _no_column(wanted: str, headers: Sequence[str]) -> str:
    listed = ", ".join(f'"{h}"' for h in headers if h)
    return f'There is no column "{wanted}"; the columns are {listed}.'


@dataclass
class PrepareResult:
    """The prepared table, the combined report and what the fill did (when it ran)."""

    table: Table
    report: Report
    fill: FillResult | None = None
    added_columns: list[str] = field(default_factory=list)


def prepare(
    table: Table,
    *,
    app: str | None = None,
    id_column: str | None = None,
    from_url: str | None = None,
    overwrite: bool = False,
    settings: Mapping[str, str] | None = None,
    kind: str | None = None,
    registry: Registry | None = None,
) -> PrepareResult:
    """Insert the App Link columns, fill them (from ids or URLs) if asked, and check the result."""
    registry = registry or load_registry()
    fill: FillResult | None = None
    if from_url:
        fill = links_from_urls(
            table, url_column=from_url, app=app, overwrite=overwrite, registry=registry
        )
        work, added = fill.table, fill.added_columns
    elif app:
        fill = fill_app_links(
            table,
            app=app,
            id_column=id_column,
            overwrite=overwrite,
            settings=settings,
            kind=kind,
            registry=registry,
        )
        work, added = fill.table, fill.added_columns
    else:
        inserted = insert_app_link_columns(table)
        work, added = inserted.table, inserted.added
    report = check(work, registry=registry)
    if fill is not None and fill.report.issues:
        report = Report(sorted(fill.report.issues + report.issues, key=lambda i: i.row))
    return PrepareResult(work, report, fill, added)


def _replace(table: Table, headers: list[str], rows: list[list[Cell]]) -> Table:
    return Table(
        headers,
        rows,
        sheet=table.sheet,
        source=table.source,
        encoding=table.encoding,
        notes=list(table.notes),
        header_row=table.header_row,
    )
