"""Check a table for everything that would make a Cloze import fail or go wrong (SPEC section 4)."""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import and_, gt, is_, is_not, methodcaller, not_, or_
from typing import Any, TypeGuard, cast
from urllib.parse import urlsplit

from applinks.block_columns import BlockColumns, are_filled, as_texts, have_text
from applinks.domains import canonical_app_id, classify_app_id, host_of, registrable_domain
from applinks.header_checks import header_issues
from applinks.headers import NAME, STAGE, HeaderMap, map_headers
from applinks.issues import Issue, Report, make_issue
from applinks.registry import Registry, load_registry
from applinks.rows import BLOCK, Block, blocks
from applinks.shape import EXCEL_ERRORS
from applinks.table import (
    APP_CONTENT_URL,
    APP_ID,
    APP_NAME,
    APP_UNIQUE_ID,
    Cell,
    Table,
    cell_text,
)

STAGES = ("Potential", "Active", "Done", "Lost")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel keeps 15 significant digits; a stored number with more digits has lost its tail.
EXCEL_DIGITS = 15
_EXPONENT = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_TRAILING_ZERO = re.compile(r"^[+-]?\d+\.0+$")
_LIST_LIMIT = 10
_STAGE_SET = frozenset(STAGES)
#: A URL that is certainly valid: http(s), a plain host name, printable ASCII without spaces.
#: Its host (group 1) is what ``urlsplit(url).hostname`` gives, lower-cased.
_PLAIN_URL = re.compile(r"(?i:https?)://([A-Za-z0-9.-]+)(?::[0-9]*)?(?:[/?#][!-~]*)?\Z")
#: Joins a row's text cells; a cell starting like a formula follows a separator (or starts).
_SEPARATOR = "\x00"
#: The host of a plain URL's match.
_HOST = methodcaller("group", 1)
_FORMULA_SCAN = re.compile(r"\x00[=+\-@\t\r]")
#: Distinct values remembered per check run, at most (then the memory is cleared).
_CACHE_LIMIT = 200_000
_is_str = cast("Callable[[Cell], TypeGuard[str]]", str.__instancecheck__)


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
    """The per-row checks of :func:`check`, fed a block of rows at a time (one pass over the sheet).

    ``add_block(index, rows)`` checks the data rows from ``index`` on (``add(index, row)`` one
    row); ``issues()`` returns the row issues found so far plus those that need every row
    (duplicates, inconsistent spellings). What is costly and depends only on a value (an App ID's
    rules, a URL's site) is worked out once per distinct value, so a million rows from one source
    cost little more than their number.
    """

    def __init__(self, table: Table, headers: HeaderMap, registry: Registry) -> None:
        def label(canonical: str) -> str:
            pos = headers.get(canonical)
            return table.headers[pos] if pos is not None else canonical

        self.table = table
        self.registry = registry
        self.app_col, self.uid_col = label(APP_ID), label(APP_UNIQUE_ID)
        self.name_col, self.url_col = label(APP_NAME), label(APP_CONTENT_URL)
        self.stage_col, self.title_col = label(STAGE), label(NAME)
        self.positions = (
            headers.get(APP_ID),
            headers.get(APP_UNIQUE_ID),
            headers.get(APP_NAME),
            headers.get(APP_CONTENT_URL),
            headers.get(NAME),
            headers.get(STAGE),
        )
        self.emails = list(headers.email_columns)
        self.out: list[Issue] = []
        self.offset = 1 + table.header_row  # sheet row = index + offset (Table.sheet_row)
        # (App ID, App Unique ID) pairs: the first row of each, and every row of a repeated one.
        self.first_rows: dict[str, dict[str, int]] = {}
        self.repeated: dict[tuple[str, str], list[int]] = {}
        # The rows of each distinct App ID spelling, compactly.
        self.spelling_rows: dict[str, array[int]] = {}
        #: Data rows with something in them (records), and blank rows passed over.
        self.records = 0
        self.blank_rows = 0
        self._app_cache: dict[str, tuple[list[Any], str, str]] = {}
        self._belongs_cache: dict[tuple[bool, str, str], bool] = {}
        self._url_cache: dict[str, str | None] = {}

    def _app(self, app_id: str) -> tuple[list[Any], str, str]:
        """Return (problems, canonical form, registered name) for an App ID, once per value."""
        found = self._app_cache.get(app_id)
        if found is None:
            canon = canonical_app_id(app_id)
            entry = self.registry.get(canon)
            found = (classify_app_id(app_id), canon, entry.name if entry else "")
            self._app_cache[app_id] = found
        return found

    def _url_problem(self, url: str) -> str | None:
        if url not in self._url_cache:
            if len(self._url_cache) > _CACHE_LIMIT:
                self._url_cache.clear()
            self._url_cache[url] = _url_problem(url)
        return self._url_cache[url]

    def _belongs(self, url: str, plain: re.Match[str] | None, app_id: str) -> bool:
        # A plain URL's host is its netloc; the answer depends only on it and the App ID.
        key = (True, plain.group(1).lower(), app_id) if plain else (False, url, app_id)
        found = self._belongs_cache.get(key)
        if found is None:
            if len(self._belongs_cache) > _CACHE_LIMIT:
                self._belongs_cache.clear()
            found = self._belongs_cache[key] = _url_belongs(url, app_id, self.registry)
        return found

    def add(self, index: int, row: Sequence[Cell]) -> None:
        """Check data row ``index`` (0-based, as in ``table.rows``)."""
        self.add_block(index, [row])

    def add_block(self, index: int, rows: Sequence[Sequence[Cell]]) -> None:
        """Check ``rows``, the data rows from ``index`` on, column by column.

        Each check looks at whole columns of the block and picks out the rows it concerns with
        C-level passes (``compress``, ``map``), so its cost is per column and per distinct value
        more than per cell. Issues come out in the order :func:`check` sorts them into
        afterwards; within one cell, in the order of the checks below.
        """
        first = index + self.offset
        numbers: Sequence[int] = range(first, first + len(rows))
        if not all(map(any, rows)):  # some row may be blank: a blank row is not a record
            kept = [
                (r, row)
                for r, row in zip(numbers, rows, strict=True)
                if row.count(None) + row.count("") != len(row)
            ]
            self.blank_rows += len(rows) - len(kept)
            numbers, rows = [r for r, _ in kept], [row for _, row in kept]
        self.records += len(rows)
        if not rows:
            return
        column = BlockColumns(rows)
        out = self.out
        app_pos, uid_pos, name_pos, url_pos, title_pos, stage_pos = self.positions
        app_cells = column(app_pos)
        app_ids = as_texts(app_cells)
        uid_cells = column(uid_pos)
        uids = as_texts(uid_cells)
        has_app = are_filled(app_ids)
        has_uid = are_filled(uids)
        app_col, uid_col, url_col = self.app_col, self.uid_col, self.url_col

        # App ID: its problems, worked out once per distinct value.
        app_of = {a: self._app(a) for a in set(compress(app_ids, has_app))}
        bad = {a for a, found in app_of.items() if found[0]}
        not_domain = {a for a in bad if any(p.code == "app-id-not-domain" for p in app_of[a][0])}
        for r, app_id in compress(
            zip(numbers, app_ids, strict=True), map(bad.__contains__, app_ids)
        ):
            for problem in app_of[app_id][0]:
                out.append(
                    make_issue(
                        problem.code,
                        row=r,
                        column=app_col,
                        value=app_id,
                        suggestion=problem.suggestion or "",
                        reason=problem.reason or "it is not a web domain",
                    )
                )
        spelling = self.spelling_rows
        if len(app_of) == 1 and all(has_app):
            (only,) = app_of
            spelling.setdefault(only, array("l")).extend(numbers)
        else:
            for r, value in compress(zip(numbers, app_ids, strict=True), has_app):
                spelling.setdefault(value, array("l")).append(r)
        both = list(map(and_, has_app, has_uid))
        for r in compress(numbers, map(gt, has_uid, has_app)):
            out.append(make_issue("app-id-missing", row=r, column=app_col))

        # App Unique ID: numbers Excel has damaged, spaces around it, repeats.
        if not (
            set(map(type, uid_cells)) == {str} and all(map(str.isdigit, compress(uids, has_uid)))
        ):  # (ids of text made of digits: nothing Excel could have damaged)
            for r, cell, uid in compress(zip(numbers, uid_cells, uids, strict=True), has_uid):
                if type(cell) is str and uid.isdigit():
                    continue
                reason = mangled_reason(cell)
                if reason:
                    out.append(
                        make_issue(
                            "unique-id-mangled", row=r, column=uid_col, value=uid, reason=reason
                        )
                    )
        if not all(map(is_, uids, map(str.strip, uids))):  # (strip gives the text itself back
            # when there is nothing to strip)
            for r, uid in compress(zip(numbers, uids, strict=True), has_uid):
                if uid[0].isspace() or uid[-1].isspace():
                    out.append(
                        make_issue(
                            "unique-id-whitespace",
                            row=r,
                            column=uid_col,
                            value=uid,
                            suggestion=uid.strip(),
                        )
                    )
        if any(both):
            self._repeats(
                list(compress(numbers, both)),
                list(compress(app_ids, both)),
                list(compress(uids, both)),
                app_of,
            )
        for r, app_id in compress(zip(numbers, app_ids, strict=True), map(gt, has_app, has_uid)):
            out.append(make_issue("unique-id-missing", row=r, column=uid_col, app_id=app_id))

        # App Name, when there is an App ID.
        if any(has_app):
            named = have_text(column(name_pos))
            for r, app_id in compress(zip(numbers, app_ids, strict=True), map(gt, has_app, named)):
                out.append(
                    make_issue(
                        "app-name-missing",
                        row=r,
                        column=self.name_col,
                        app_id=app_id,
                        suggestion=app_of[app_id][2],
                    )
                )

        # App Content URL: a real web address, of the App ID's site.
        urls = as_texts(column(url_pos))
        has_url = are_filled(urls)
        plain = list(map(_PLAIN_URL.match, urls))
        valid = list(has_url)  # present, and a web address
        for i in compress(range(len(urls)), map(and_, has_url, map(is_, plain, repeat(None)))):
            if self._url_problem(urls[i]) == "invalid":
                out.append(make_issue("url-invalid", row=numbers[i], column=url_col, value=urls[i]))
                valid[i] = False
        # A URL's site matters only beside an App ID that is a domain: worked out once per
        # (site, App ID) pair.
        mine = list(
            map(and_, valid, map(and_, has_app, map(not_, map(not_domain.__contains__, app_ids))))
        )
        if any(mine):
            self._mismatches(numbers, urls, plain, app_ids, mine)
        for r, app_id in compress(zip(numbers, app_ids, strict=True), map(gt, has_app, has_url)):
            out.append(make_issue("url-missing", row=r, column=url_col, app_id=app_id))

        # Name (without a Name column, one issue at the header row says so), and a way for
        # Cloze to tell the record (an App Link or an email).
        if title_pos is not None:
            for r in compress(numbers, map(not_, have_text(column(title_pos)))):
                out.append(make_issue("name-missing", row=r, column=self.title_col))
        if not all(both):
            reachable = [False] * len(rows)
            for position in self.emails:
                reachable = list(map(or_, reachable, have_text(column(position))))
            for r in compress(numbers, map(not_, map(or_, both, reachable))):
                out.append(make_issue("row-not-importable", row=r, column=app_col))

        # Stage: one of Cloze's four.
        stage_cells = column(stage_pos)
        odd = set(stage_cells) - _STAGE_SET - {None}
        for r, cell in compress(
            zip(numbers, stage_cells, strict=True), map(odd.__contains__, stage_cells)
        ):
            self._stage(r, cell)

        self._cell_errors(numbers, column)

        # Formula-like text: one C-level scan per column finds candidates.
        headers = self.table.headers
        for position in range(column.width):
            cells = column(position)
            kinds = column.kinds(position)
            if str not in kinds:
                continue
            texts = cast("Sequence[str]", cells) if kinds == {str} else list(filter(_is_str, cells))
            if not _FORMULA_SCAN.search(_SEPARATOR + _SEPARATOR.join(texts)):
                continue
            header = headers[position] if position < len(headers) else ""
            found: Iterable[tuple[int, Cell]] = zip(numbers, cells, strict=True)
            if kinds == {str}:  # pick out the candidates at C speed
                starts = map(str.startswith, cast("Sequence[str]", cells), repeat(FORMULA_STARTS))
                found = compress(found, starts)
            for r, cell in found:
                if type(cell) is str and cell.startswith(FORMULA_STARTS):
                    out.append(
                        make_issue(
                            "formula-like-value",
                            row=r,
                            column=header,
                            value=cell,
                            start=cell[0].replace("\t", "tab").replace("\r", "carriage return"),
                        )
                    )

    def _cell_errors(self, numbers: Sequence[int], column: BlockColumns) -> None:
        """Report the cells that show one of Excel's error values (``#N/A``): a set
        intersection per column finds whether there are any."""
        headers = self.table.headers
        for position in range(column.width):
            cells = column(position)
            if str not in column.kinds(position) or EXCEL_ERRORS.isdisjoint(cells):
                continue
            header = headers[position] if position < len(headers) else ""
            for r, cell in zip(numbers, cells, strict=True):
                if cell in EXCEL_ERRORS:
                    self.out.append(make_issue("cell-error", row=r, column=header, value=cell))

    def _mismatches(
        self,
        numbers: Sequence[int],
        urls: Sequence[str],
        plain: list[re.Match[str] | None],
        app_ids: Sequence[str],
        wanted: list[bool],
    ) -> None:
        """Report the ``wanted`` URLs that lead to another site than their App ID's.

        A plain URL's answer depends only on its host and the App ID: it is worked out once per
        distinct pair, and the rows of a pair that fails are picked out at C speed.
        """
        simple = list(map(and_, wanted, map(is_not, plain, repeat(None))))
        hosts: list[str | None] = (
            list(map(str.lower, map(_HOST, plain)))
            if all(plain)
            else [m.group(1).lower() if m is not None else None for m in plain]
        )
        pairs = cast(
            "set[tuple[str, str]]", set(compress(zip(hosts, app_ids, strict=True), simple))
        )
        failing = {
            (host, app_id)
            for host, app_id in pairs
            if not self._belongs_host(host, app_id, urls, hosts)
        }
        other = list(map(gt, wanted, simple))  # wanted, but not a plain URL
        if not failing and not any(other):
            return
        for r, url, match, app_id, host in compress(
            zip(numbers, urls, plain, app_ids, hosts, strict=True), wanted
        ):
            if match is not None and (host, app_id) not in failing:
                continue
            if match is None and self._belongs(url, None, app_id):
                continue
            self.out.append(
                make_issue(
                    "url-app-mismatch",
                    row=r,
                    column=self.url_col,
                    value=url,
                    app_id=app_id,
                    host=host_of(url) or "another site",
                )
            )

    def _belongs_host(
        self, host: str, app_id: str, urls: Sequence[str], hosts: Sequence[str | None]
    ) -> bool:
        key = (True, host, app_id)
        found = self._belongs_cache.get(key)
        if found is None:
            url = urls[hosts.index(host)]
            if len(self._belongs_cache) > _CACHE_LIMIT:
                self._belongs_cache.clear()
            found = self._belongs_cache[key] = _url_belongs(url, app_id, self.registry)
        return found

    def _repeats(
        self,
        numbers: list[int],
        app_ids: list[str],
        uids: list[str],
        app_of: dict[str, tuple[list[Any], str, str]],
    ) -> None:
        """Remember the first row of every (App ID, App Unique ID) and the rows that repeat it."""
        first_rows = self.first_rows
        canons = [app_of[a][1] for a in app_ids] if len(app_of) > 1 else None
        if canons is None:
            canon = app_of[app_ids[0]][1]
            known = first_rows.setdefault(canon, {})
            fresh = dict(zip(uids, numbers, strict=True))
            if len(fresh) == len(uids) and known.keys().isdisjoint(fresh):
                known.update(fresh)  # no repeats: the common case, at C speed
                return
            canons = [canon] * len(uids)
        for r, canon, uid in zip(numbers, canons, uids, strict=True):
            seen = first_rows.get(canon)
            if seen is None:
                seen = first_rows[canon] = {}
            first = seen.setdefault(uid, r)
            if first != r:
                self.repeated.setdefault((canon, uid), [first]).append(r)

    def _stage(self, r: int, stage_cell: Cell) -> None:
        stage = cell_text(stage_cell)
        if stage.strip() and stage not in STAGES:
            hint = next(
                (f'; use "{s}"' for s in STAGES if s.casefold() == stage.strip().casefold()),
                "",
            )
            self.out.append(
                make_issue(
                    "stage-invalid",
                    row=r,
                    column=self.stage_col,
                    value=stage,
                    hint=hint,
                    suggestion=hint[7:-1] if hint else "",
                )
            )

    def state(self) -> CheckState:
        """Return what was found so far, to :meth:`merge` into the checker of earlier rows."""
        return CheckState(
            self.out,
            self.first_rows,
            self.repeated,
            self.spelling_rows,
            self.records,
            self.blank_rows,
        )

    def merge(self, later: CheckState) -> None:
        """Take in what another checker found in the rows after this one's (as if this one had
        checked them too): its issues, and the repeats and spellings across both."""
        self.out += later.out
        self.records += later.records
        self.blank_rows += later.blank_rows
        first_rows, repeated = self.first_rows, self.repeated
        for canon, theirs in later.first_rows.items():
            mine = first_rows.setdefault(canon, {})
            if mine.keys().isdisjoint(theirs):
                mine.update(theirs)
                continue
            for uid, row in theirs.items():
                first = mine.setdefault(uid, row)
                if first != row:  # seen before: its rows there come after the rows here
                    rows = later.repeated.pop((canon, uid), [row])
                    repeated.setdefault((canon, uid), [first]).extend(rows)
        repeated.update(later.repeated)
        for app_id, rows_of in later.spelling_rows.items():
            self.spelling_rows.setdefault(app_id, array("l")).extend(rows_of)

    def issues(self) -> list[Issue]:
        """Return every row issue, including those that compare rows with each other."""
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        rows: list[tuple[int, str]] = []
        for app_id, rows_of in self.spelling_rows.items():
            spellings[self._app(app_id)[1]][app_id] = len(rows_of)
        if any(len(counts) > 1 for counts in spellings.values()):
            rows = sorted(
                (r, app_id) for app_id, rows_of in self.spelling_rows.items() for r in rows_of
            )
        return (
            self.out
            + _duplicate_issues(self.repeated, self.uid_col)
            + _inconsistent_issues(spellings, rows, self.app_col)
        )


@dataclass
class CheckState:
    """What a :class:`RowChecker` found (see :meth:`RowChecker.merge`)."""

    out: list[Issue]
    first_rows: dict[str, dict[str, int]]
    repeated: dict[tuple[str, str], list[int]]
    spelling_rows: dict[str, array[int]]
    records: int = 0
    blank_rows: int = 0


def _duplicate_issues(pairs: dict[tuple[str, str], list[int]], column: str) -> list[Issue]:
    out = []
    for (app_id, uid), rows in pairs.items():
        if len(rows) < 2:
            continue
        for r in rows:
            others = _list_rows([o for o in rows if o != r])
            out.append(
                make_issue(
                    "unique-id-duplicate",
                    row=r,
                    column=column,
                    value=uid,
                    app_id=app_id,
                    others=others,
                )
            )
    return out


def _inconsistent_issues(
    spellings: dict[str, Counter[str]], rows: list[tuple[int, str]], column: str
) -> list[Issue]:
    preferred: dict[str, str] = {}
    for canon, counts in spellings.items():
        if len(counts) > 1:
            preferred[canon] = canon
    out = []
    for r, value in rows:
        canon = canonical_app_id(value)
        if canon in preferred and value != canon:
            others = ", ".join(f'"{s}"' for s in spellings[canon] if s != value)
            out.append(
                make_issue(
                    "app-id-inconsistent",
                    row=r,
                    column=column,
                    value=value,
                    suggestion=canon,
                    others=others,
                )
            )
    return out


def _list_rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:_LIST_LIMIT])
    return shown + (f" and {len(rows) - _LIST_LIMIT} more" if len(rows) > _LIST_LIMIT else "")


def mangled_reason(value: Cell) -> str | None:
    """Return why an App Unique ID looks damaged by Excel, or None."""
    if type(value) is int:
        digits = len(str(abs(value)))
        if digits > EXCEL_DIGITS:
            return f"it is a number with {digits} digits and Excel keeps only {EXCEL_DIGITS}"
        return None
    if type(value) is float:
        return "it is stored as a number with a fraction"
    if type(value) is str:
        text = value.strip()
        if _EXPONENT.match(text):
            return "it is in exponent form, which has lost digits"
        if _TRAILING_ZERO.match(text):
            return 'it ends in ".0", added when it was stored as a number'
    return None


def _url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "invalid"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "invalid"
    if url != url.strip() or any(c in url for c in " \t\r\n"):
        return "invalid"
    return None


def _url_belongs(url: str, app_id: str, registry: Registry) -> bool:
    host = host_of(url)
    if host is None:
        return True
    entry = registry.get(canonical_app_id(app_id))
    if entry is not None and entry.hosts:
        return entry.owns_host(host)
    mine = registrable_domain(canonical_app_id(app_id)) or canonical_app_id(app_id)
    return (registrable_domain(host) or host) == mine
