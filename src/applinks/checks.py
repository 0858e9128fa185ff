"""Check a table for everything that would make a Cloze import fail or go wrong (SPEC section 4)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from applinks.domains import canonical_app_id, classify_app_id, host_of, registrable_domain
from applinks.headers import NAME, STAGE, HeaderMap, column_letter, map_headers
from applinks.issues import Issue, Report, make_issue
from applinks.registry import Registry, load_registry
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


def check(table: Table, *, registry: Registry | None = None) -> Report:
    """Return every issue of ``table``, sorted by row and then by column.

    Args:
        table: the sheet to check (header in ``table.headers``).
        registry: the apps to check URLs against; the built-in registry by default.
    """
    registry = registry or load_registry()
    headers = map_headers(table.headers)
    issues: list[Issue] = []
    issues += _header_issues(table, headers)
    issues += _row_issues(table, headers, registry)
    order = {h: i for i, h in reversed(list(enumerate(table.headers)))}
    issues.sort(key=lambda i: (i.row, order.get(i.column, -1)))
    return Report(issues)


def _header_issues(table: Table, headers: HeaderMap) -> list[Issue]:
    row = table.header_row
    out: list[Issue] = []
    if row != 1:
        first = next((h for h in table.headers if h), "")
        out.append(make_issue("header-not-first-row", row=row, column=first, value=first))
    for header, positions in headers.duplicates.items():
        letters = " and ".join(column_letter(p) for p in positions)
        out.append(
            make_issue("header-duplicate", row=row, column=header, value=header, letters=letters)
        )
    for miss in headers.near_misses:
        out.append(
            make_issue(
                "header-near-miss",
                row=row,
                column=miss.header,
                value=miss.header,
                suggestion=miss.suggestion,
            )
        )
    return out


def _column(table: Table, position: int | None) -> list[Cell]:
    if position is None:
        return [None] * len(table.rows)
    return table.column_values(position)


def _row_issues(table: Table, headers: HeaderMap, registry: Registry) -> list[Issue]:
    def label(canonical: str) -> str:
        pos = headers.get(canonical)
        return table.headers[pos] if pos is not None else canonical

    app_col, uid_col, name_col, url_col = (
        label(APP_ID),
        label(APP_UNIQUE_ID),
        label(APP_NAME),
        label(APP_CONTENT_URL),
    )
    stage_col, title_col = label(STAGE), label(NAME)
    app_ids = _column(table, headers.get(APP_ID))
    uids = _column(table, headers.get(APP_UNIQUE_ID))
    names = _column(table, headers.get(APP_NAME))
    urls = _column(table, headers.get(APP_CONTENT_URL))
    titles = _column(table, headers.get(NAME))
    stages = _column(table, headers.get(STAGE))
    emails = [table.column_values(p) for p in headers.email_columns]

    out: list[Issue] = []
    classify = _cached(classify_app_id)
    url_problem = _cached(_url_problem)
    belongs = _cached(lambda url, app_id: _url_belongs(url, app_id, registry))
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    spelling_rows: list[tuple[int, str]] = []

    for index, row in enumerate(table.rows):
        if not any(c is not None and c != "" for c in row):
            continue  # a blank row is not a record; Cloze skips it
        r = table.sheet_row(index)
        app_id = cell_text(app_ids[index])
        uid_cell = uids[index]
        uid = cell_text(uid_cell)
        has_app, has_uid = bool(app_id.strip()), bool(uid.strip())

        app_is_domain = True
        if has_app:
            for problem in classify(app_id):
                app_is_domain &= problem.code != "app-id-not-domain"
                extra = {"reason": problem.reason or "it is not a web domain"}
                out.append(
                    make_issue(
                        problem.code,
                        row=r,
                        column=app_col,
                        value=app_id,
                        suggestion=problem.suggestion or "",
                        **extra,
                    )
                )
            canon = canonical_app_id(app_id)
            spellings[canon][app_id] += 1
            spelling_rows.append((r, app_id))
        elif has_uid:
            out.append(make_issue("app-id-missing", row=r, column=app_col))

        if has_uid:
            mangled = mangled_reason(uid_cell)
            if mangled:
                out.append(
                    make_issue(
                        "unique-id-mangled", row=r, column=uid_col, value=uid, reason=mangled
                    )
                )
            if uid != uid.strip():
                out.append(
                    make_issue(
                        "unique-id-whitespace",
                        row=r,
                        column=uid_col,
                        value=uid,
                        suggestion=uid.strip(),
                    )
                )
            if has_app:
                pairs[(canonical_app_id(app_id), uid)].append(r)
        elif has_app:
            out.append(make_issue("unique-id-missing", row=r, column=uid_col, app_id=app_id))

        entry = registry.get(canonical_app_id(app_id)) if has_app else None
        if has_app and not cell_text(names[index]).strip():
            out.append(
                make_issue(
                    "app-name-missing",
                    row=r,
                    column=name_col,
                    app_id=app_id,
                    suggestion=entry.name if entry else "",
                )
            )
        url = cell_text(urls[index])
        if url.strip():
            problem = url_problem(url)
            if problem == "invalid":
                out.append(make_issue("url-invalid", row=r, column=url_col, value=url))
            elif has_app and app_is_domain and not belongs(url, app_id):
                out.append(
                    make_issue(
                        "url-app-mismatch",
                        row=r,
                        column=url_col,
                        value=url,
                        app_id=app_id,
                        host=host_of(url) or "another site",
                    )
                )
        elif has_app:
            out.append(make_issue("url-missing", row=r, column=url_col, app_id=app_id))

        if not cell_text(titles[index]).strip():
            out.append(make_issue("name-missing", row=r, column=title_col))
        if not (has_app and has_uid) and not any(cell_text(col[index]).strip() for col in emails):
            out.append(make_issue("row-not-importable", row=r, column=app_col))
        stage = cell_text(stages[index])
        if stage.strip() and stage not in STAGES:
            hint = next(
                (f'; use "{s}"' for s in STAGES if s.casefold() == stage.strip().casefold()), ""
            )
            out.append(
                make_issue(
                    "stage-invalid",
                    row=r,
                    column=stage_col,
                    value=stage,
                    hint=hint,
                    suggestion=hint[7:-1] if hint else "",
                )
            )
        for position, value in enumerate(row):
            if type(value) is str and value.startswith(FORMULA_STARTS):
                header = table.headers[position] if position < len(table.headers) else ""
                out.append(
                    make_issue(
                        "formula-like-value",
                        row=r,
                        column=header,
                        value=value,
                        start=value[0].replace("\t", "tab").replace("\r", "carriage return"),
                    )
                )

    out += _duplicate_issues(pairs, uid_col)
    out += _inconsistent_issues(spellings, spelling_rows, app_col)
    return out


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


def _cached(function: Callable) -> Callable:
    """Return ``function`` memoised per distinct value for one check run (values repeat a lot)."""
    return lru_cache(maxsize=None)(function)
