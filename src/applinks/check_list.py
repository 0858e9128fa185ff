"""The checks of SPEC section 4, one small function each, in the list :data:`CHECKS`.

A check looks at one block of rows (:class:`Rows`: a few hundred rows, taken apart into
columns once) and returns the issues it finds there. It works on whole columns (``map``,
``compress``, set lookups over the distinct values), so its cost is per column and per distinct
value more than per cell. What is costly and depends only on a value (an App ID's rules, a
URL's site) goes through a :class:`Memo`: worked out once per distinct value for the whole
sheet.

A check that compares rows with each other (duplicates, spellings) has two functions instead:
one notes what it needs of each block in a :class:`~applinks.seen.Seen` (the rows of each
key, kept compactly), the other reports from it once every row has been noted. A ``Seen``
merges with the one of the rows after it, so such a check stays right when the rows were
checked in two processes.

``docs/architecture.md`` ("Adding a check") walks through adding one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import compress, repeat
from operator import and_, gt, is_, not_, or_
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeGuard, TypeVar, cast
from urllib.parse import urlsplit

from applinks.block_columns import BlockColumns, are_filled, as_texts, have_text
from applinks.domains import (
    AppIdProblem,
    canonical_app_id,
    classify_app_id,
    host_of,
    registrable_domain,
)
from applinks.headers import EXCEL_ERRORS, NAME, STAGE, HeaderMap
from applinks.id_checks import (
    duplicate_issues,
    note_pairs,
    unique_id_not_app_format,
    unique_id_url_mismatch,
)
from applinks.issues import Issue, make_issue
from applinks.registry import Registry
from applinks.table import APP_CONTENT_URL, APP_ID, APP_NAME, APP_UNIQUE_ID, Cell, cell_text

if TYPE_CHECKING:
    from applinks.seen import Seen

STAGES = ("Potential", "Active", "Done", "Lost")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel keeps 15 significant digits; a stored number with more digits has lost its tail.
EXCEL_DIGITS = 15
_EXPONENT = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_TRAILING_ZERO = re.compile(r"^[+-]?\d+\.0+$")
_STAGE_SET = frozenset(STAGES)
#: A URL that is certainly valid: http(s), a plain host name, printable ASCII without spaces.
#: Its host (group 1) is what ``urlsplit(url).hostname`` gives, lower-cased.
_PLAIN_URL = re.compile(r"(?i:https?)://([A-Za-z0-9.-]+)(?::[0-9]*)?(?:[/?#][!-~]*)?\Z")
#: A block's URLs, each followed by a line end, when every one of them is plain: one C-level
#: match for the whole block (a URL holding a line end is told by the count of line ends).
_PLAIN_LINES = re.compile(r"(?:(?i:https?)://[A-Za-z0-9.-]+(?::[0-9]*)?(?:[/?#][!-~]*)?\n)*")
#: The host after each "://" of such a text (one per URL when no path holds a "://" too).
_SCHEME_HOST = re.compile(r"://([A-Za-z0-9.-]+)")
#: Joins a column's text cells; a cell starting like a formula follows a separator (or starts).
_SEPARATOR = "\x00"
_FORMULA_SCAN = re.compile(r"\x00[=+\-@\t\r]")
#: Distinct values a memo remembers, at most (then it forgets them all and starts again).
CACHE_LIMIT = 200_000
_is_str = cast("Callable[[Cell], TypeGuard[str]]", str.__instancecheck__)

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """``compute(value, registry)``, worked out once per distinct value (at most
    :data:`CACHE_LIMIT` of them are kept): a million rows from one source cost one call."""

    def __init__(self, compute: Callable[[K, Registry], V], registry: Registry) -> None:
        self.compute = compute
        self.registry = registry
        self.known: dict[K, V] = {}

    def __call__(self, value: K) -> V:
        known = self.known
        if value in known:
            return known[value]
        if len(known) > CACHE_LIMIT:
            known.clear()
        found = known[value] = self.compute(value, self.registry)
        return found


class Sheet:
    """What every block of one sheet shares: where the Cloze columns are, the headers as the
    sheet has them, the apps, and the memos of the checks."""

    def __init__(self, headers: Sequence[str], found: HeaderMap, registry: Registry) -> None:
        self.headers = headers
        self.registry = registry
        self.emails = list(found.email_columns)
        self.positions = {
            canonical: found.get(canonical)
            for canonical in (APP_ID, APP_UNIQUE_ID, APP_NAME, APP_CONTENT_URL, NAME, STAGE)
        }
        self._memos: dict[Callable[..., Any], Memo[Any, Any]] = {}

    def label(self, canonical: str) -> str:
        """Return the header of a Cloze column as the sheet has it (its name when absent)."""
        position = self.positions[canonical]
        return self.headers[position] if position is not None else canonical

    def header(self, position: int) -> str:
        """Return the header of column ``position`` (``""`` past the header row)."""
        return self.headers[position] if position < len(self.headers) else ""

    def memo(self, compute: Callable[[K, Registry], V]) -> Memo[K, V]:
        """Return the sheet's one memo of ``compute``."""
        found = self._memos.get(compute)
        if found is None:
            found = self._memos[compute] = Memo(compute, self.registry)
        return found


class App(NamedTuple):
    """What the checks need to know of one App ID value."""

    problems: list[AppIdProblem]
    canon: str
    #: The name of the app in the registry, or "".
    name: str
    #: False when the value is not a domain name at all (``app-id-not-domain``).
    is_domain: bool


def _app(app_id: str, registry: Registry) -> App:
    canon = canonical_app_id(app_id)
    entry = registry.get(canon)
    if app_id.strip() in EXCEL_ERRORS:  # not a domain; no suggestion can be made from it
        error = AppIdProblem("app-id-not-domain", None, "it shows a formula's error")
        return App([error], canon, "", False)
    problems = classify_app_id(app_id)
    is_domain = all(p.code != "app-id-not-domain" for p in problems)
    return App(problems, canon, entry.name if entry else "", is_domain)


def _texts(canonical: str) -> cached_property[Sequence[str]]:
    """The cells of the Cloze column ``canonical`` of a block, as text (on first use)."""
    return cached_property(lambda rows: rows.texts(canonical))


def _filled(texts: str) -> cached_property[list[bool]]:
    """Whether each of a block's texts ``texts`` (the name of a :func:`_texts`) is filled in."""
    return cached_property(lambda rows: are_filled(getattr(rows, texts)))


class Rows:
    """One block of data rows as the checks see it: its columns (:class:`BlockColumns`), the
    sheet row of each, and what several checks need, worked out on first use."""

    def __init__(self, sheet: Sheet, numbers: Sequence[int], rows: Sequence[Sequence[Cell]]):
        self.sheet = sheet
        #: The sheet row of each row (the header is row 1).
        self.numbers = numbers
        self.column = BlockColumns(rows)
        self.size = len(rows)
        self._joined: dict[int, str] = {}

    def cells(self, canonical: str) -> Sequence[Cell]:
        """Return the cells of a Cloze column (``None`` for each row when it is absent)."""
        return self.column(self.sheet.positions[canonical])

    def kinds(self, canonical: str) -> set[type]:
        """Return the types of the cells of a Cloze column."""
        return self.column.kinds(self.sheet.positions[canonical])

    def texts(self, canonical: str) -> Sequence[str]:
        """Return the cells of a Cloze column as text."""
        return as_texts(self.cells(canonical), self.kinds(canonical))

    def have_text(self, position: int | None) -> list[bool]:
        """Return whether each cell of column ``position`` shows anything."""
        return have_text(self.column(position), self.column.kinds(position))

    def issues_at(
        self,
        hits: Iterable[bool],
        code: str,
        canonical: str,
        fields: Callable[[int], dict[str, Any]],
    ) -> list[Issue]:
        """Return an issue ``code`` in the Cloze column ``canonical`` on each row where ``hits``
        is true, with the ``fields`` of that row (given its 0-based place in the block), which
        are worked out for those rows only."""
        column, numbers = self.sheet.label(canonical), self.numbers
        return [
            make_issue(code, row=numbers[i], column=column, **fields(i))
            for i in compress(range(self.size), hits)
        ]

    def joined(self, position: int) -> str:
        """Return the text cells of column ``position`` joined, each after a NUL: one C-level
        search of it tells whether any cell starts with a given character."""
        found = self._joined.get(position)
        if found is None:
            cells, kinds = self.column(position), self.column.kinds(position)
            texts = cast("Sequence[str]", cells) if kinds == {str} else filter(_is_str, cells)
            found = self._joined[position] = _SEPARATOR + _SEPARATOR.join(texts)
        return found

    app_ids = _texts(APP_ID)
    has_app = _filled("app_ids")

    @cached_property
    def apps(self) -> dict[str, App]:
        """Every distinct App ID of the block that is filled in, and what it is."""
        known = self.sheet.memo(_app)
        return {a: known(a) for a in set(compress(self.app_ids, self.has_app))}

    @cached_property
    def uid_cells(self) -> Sequence[Cell]:
        return self.cells(APP_UNIQUE_ID)

    uids = _texts(APP_UNIQUE_ID)
    has_uid = _filled("uids")

    @cached_property
    def pair(self) -> list[bool]:
        """Whether each row has both an App ID and an App Unique ID."""
        return list(map(and_, self.has_app, self.has_uid))

    urls = _texts(APP_CONTENT_URL)

    @cached_property
    def url_lines(self) -> str:
        return "\n".join(self.urls) + "\n"

    @cached_property
    def all_plain(self) -> bool:
        """Whether every row has a plain URL (certainly valid): the common case."""
        text = self.url_lines
        return text.count("\n") == self.size and _PLAIN_LINES.fullmatch(text) is not None

    @cached_property
    def has_url(self) -> list[bool]:
        return [True] * self.size if self.all_plain else are_filled(self.urls)

    @cached_property
    def plain(self) -> list[re.Match[str] | None]:
        """Each URL's match of the plain form (certainly valid), or None."""
        return list(map(_PLAIN_URL.match, self.urls))

    @cached_property
    def sites(self) -> list[str]:
        """Each URL's site: a plain URL's host, else the whole URL (the site is the same)."""
        if self.all_plain:
            hosts = _SCHEME_HOST.findall(self.url_lines)
            if len(hosts) == self.size:  # (else some URL holds a "://" in its path too)
                return hosts
        plain = zip(self.plain, self.urls, strict=True)
        return [m.group(1) if m is not None else url for m, url in plain]

    @cached_property
    def url_ok(self) -> list[bool]:
        """Whether each row has a URL that is a web address."""
        if self.all_plain:
            return self.has_url
        odd = set(compress(self.urls, map(and_, self.has_url, map(is_, self.plain, repeat(None)))))
        verdict = self.sheet.memo(_url_verdict)
        bad = {url for url in odd if verdict(url) == "invalid"}
        if not bad:
            return self.has_url
        return list(map(and_, self.has_url, map(not_, map(bad.__contains__, self.urls))))


# --- the checks of one cell or one row --------------------------------------------------------


def app_id_problems(b: Rows) -> list[Issue]:
    """App ID: not a domain, capital letters, URL parts, a subdomain (each of its problems)."""
    bad = {a for a, app in b.apps.items() if app.problems}
    if not bad:
        return []
    column, apps = b.sheet.label(APP_ID), b.apps
    return [
        make_issue(
            problem.code,
            row=r,
            column=column,
            value=app_id,
            suggestion=problem.suggestion or "",
            reason=problem.reason or "it is not a web domain",
        )
        for r, app_id in compress(
            zip(b.numbers, b.app_ids, strict=True), map(bad.__contains__, b.app_ids)
        )
        for problem in apps[app_id].problems
    ]


def _no_fields(i: int) -> dict[str, Any]:
    """The fields of an issue that names only its row and column."""
    return {}


def app_id_missing(b: Rows) -> list[Issue]:
    """An App Unique ID without an App ID."""
    return b.issues_at(map(gt, b.has_uid, b.has_app), "app-id-missing", APP_ID, _no_fields)


def unique_id_mangled(b: Rows) -> list[Issue]:
    """An App Unique ID that Excel has damaged (:func:`mangled_reason`)."""
    cells, uids, has_uid = b.uid_cells, b.uids, b.has_uid
    if b.kinds(APP_UNIQUE_ID) == {str} and all(map(str.isdigit, compress(uids, has_uid))):
        return []  # ids of text made of digits: nothing Excel could have damaged
    column, out = b.sheet.label(APP_UNIQUE_ID), []
    for r, cell, uid in compress(zip(b.numbers, cells, uids, strict=True), has_uid):
        if type(cell) is str and uid.isdigit():
            continue
        reason = mangled_reason(cell)
        if reason:
            out.append(
                make_issue("unique-id-mangled", row=r, column=column, value=uid, reason=reason)
            )
    return out


def unique_id_whitespace(b: Rows) -> list[Issue]:
    """Spaces before or after an App Unique ID."""
    uids = b.uids
    if all(map(is_, uids, map(str.strip, uids))):  # strip gives the text itself back when
        return []  # there is nothing to strip
    column, out = b.sheet.label(APP_UNIQUE_ID), []
    for r, uid in compress(zip(b.numbers, uids, strict=True), b.has_uid):
        if uid[0].isspace() or uid[-1].isspace():
            out.append(
                make_issue(
                    "unique-id-whitespace", row=r, column=column, value=uid, suggestion=uid.strip()
                )
            )
    return out


def unique_id_missing(b: Rows) -> list[Issue]:
    """An App ID without an App Unique ID."""
    app_ids = b.app_ids
    hits = map(gt, b.has_app, b.has_uid)
    return b.issues_at(hits, "unique-id-missing", APP_UNIQUE_ID, lambda i: {"app_id": app_ids[i]})


def app_name_missing(b: Rows) -> list[Issue]:
    """An App ID without an App Name; the suggestion is the app's name when it is known."""
    if not any(b.has_app):
        return []
    apps, app_ids = b.apps, b.app_ids
    hits = map(gt, b.has_app, b.have_text(b.sheet.positions[APP_NAME]))
    return b.issues_at(
        hits,
        "app-name-missing",
        APP_NAME,
        lambda i: {"app_id": app_ids[i], "suggestion": apps[app_ids[i]].name},
    )


def url_invalid(b: Rows) -> list[Issue]:
    """An App Content URL that is not a full http(s) web address."""
    urls = b.urls
    hits = map(gt, b.has_url, b.url_ok)
    return b.issues_at(hits, "url-invalid", APP_CONTENT_URL, lambda i: {"value": urls[i]})


def url_app_mismatch(b: Rows) -> list[Issue]:
    """An App Content URL on another site than its App ID's.

    Only beside an App ID that is a domain. A plain URL's answer depends only on its host and
    the App ID, so it is worked out once per distinct (host, App ID) pair.
    """
    domains = {a for a, app in b.apps.items() if app.is_domain}
    if not domains:
        return []
    urls, app_ids, sites = b.urls, b.app_ids, b.sites
    if b.all_plain and len(b.apps) == len(domains) == 1 and all(b.has_app):
        (app_id,) = domains  # the common case: every row to be checked, one App ID
        wanted: Iterable[bool] = repeat(True, b.size)
        pairs = {(site, app_id) for site in set(sites)}
    else:
        wanted = list(map(and_, b.url_ok, map(domains.__contains__, app_ids)))
        pairs = set(compress(zip(sites, app_ids, strict=True), wanted))
    belongs = b.sheet.memo(_site_belongs)
    failing = {pair for pair in pairs if not belongs(pair)}
    if not failing:
        return []
    hits = map(and_, wanted, map(failing.__contains__, zip(sites, app_ids, strict=True)))
    return b.issues_at(
        hits,
        "url-app-mismatch",
        APP_CONTENT_URL,
        lambda i: {
            "value": urls[i],
            "app_id": app_ids[i],
            "host": host_of(urls[i]) or "another site",
        },
    )


def url_missing(b: Rows) -> list[Issue]:
    """An App ID without an App Content URL."""
    app_ids = b.app_ids
    hits = map(gt, b.has_app, b.has_url)
    return b.issues_at(hits, "url-missing", APP_CONTENT_URL, lambda i: {"app_id": app_ids[i]})


def name_missing(b: Rows) -> list[Issue]:
    """A row without a Name (without a Name column, the header check says so once)."""
    if b.sheet.positions[NAME] is None:
        return []
    hits = map(not_, b.have_text(b.sheet.positions[NAME]))
    return b.issues_at(hits, "name-missing", NAME, _no_fields)


def row_not_importable(b: Rows) -> list[Issue]:
    """A row Cloze cannot tell: neither an App ID with an App Unique ID nor an email."""
    pair = b.pair
    if all(pair):
        return []
    reachable = [False] * b.size
    for position in b.sheet.emails:
        reachable = list(map(or_, reachable, b.have_text(position)))
    hits = map(not_, map(or_, pair, reachable))
    return b.issues_at(hits, "row-not-importable", APP_ID, _no_fields)


def stage_invalid(b: Rows) -> list[Issue]:
    """A Stage that is not one of Cloze's four (a case slip gets the right one suggested)."""
    cells = b.cells(STAGE)
    odd = set(cells) - _STAGE_SET - {None}
    if not odd:
        return []
    column, out = b.sheet.label(STAGE), []
    for r, cell in compress(zip(b.numbers, cells, strict=True), map(odd.__contains__, cells)):
        stage = cell_text(cell)
        if stage.strip() and stage not in STAGES:
            hint = next(
                (f'; use "{s}"' for s in STAGES if s.casefold() == stage.strip().casefold()),
                "",
            )
            suggestion = hint[7:-1] if hint else ""
            out.append(
                make_issue(
                    "stage-invalid",
                    row=r,
                    column=column,
                    value=stage,
                    hint=hint,
                    suggestion=suggestion,
                )
            )
    return out


def cell_error(b: Rows) -> list[Issue]:
    """A cell that shows one of Excel's error values (``#N/A``), in any column: a set
    intersection per column finds whether there are any."""
    out = []
    for position in range(b.column.width):
        cells = b.column(position)
        if str not in b.column.kinds(position) or "\x00#" not in b.joined(position):
            continue  # (every error value starts with "#")
        if EXCEL_ERRORS.isdisjoint(cells):
            continue
        header = b.sheet.header(position)
        for r, cell in zip(b.numbers, cells, strict=True):
            if cell in EXCEL_ERRORS:
                out.append(make_issue("cell-error", row=r, column=header, value=cell))
    return out


def formula_like_value(b: Rows) -> list[Issue]:
    """A text value a spreadsheet may run as a formula, in any column: one C-level scan per
    column finds whether there are any."""
    out = []
    for position in range(b.column.width):
        cells, kinds = b.column(position), b.column.kinds(position)
        if str not in kinds:
            continue
        if not _FORMULA_SCAN.search(b.joined(position)):
            continue
        header = b.sheet.header(position)
        found: Iterable[tuple[int, Cell]] = zip(b.numbers, cells, strict=True)
        if kinds == {str}:  # pick out the candidates at C speed
            starts = map(str.startswith, cast("Sequence[str]", cells), repeat(FORMULA_STARTS))
            found = compress(found, starts)
        for r, cell in found:
            if type(cell) is str and cell.startswith(FORMULA_STARTS):
                start = cell[0].replace("\t", "tab").replace("\r", "carriage return")
                out.append(
                    make_issue("formula-like-value", row=r, column=header, value=cell, start=start)
                )
    return out


# --- the checks that compare rows ---------------------------------------------------------------


def note_spellings(b: Rows, seen: Seen) -> None:
    """Note each App ID spelling in the group of its plain form: every row of a spelling that
    differs from it, the first row of the block for the plain form itself (its rows are never
    reported)."""
    apps = b.apps
    if len(apps) == 1 and all(b.has_app):
        by_value: dict[str, Sequence[int]] = {next(iter(apps)): b.numbers}
    else:
        by_value = defaultdict(list)
        for r, value in compress(zip(b.numbers, b.app_ids, strict=True), b.has_app):
            cast("list[int]", by_value[value]).append(r)
    for value, rows in by_value.items():
        canon = apps[value].canon
        seen.add_rows(canon, value, rows if value != canon else rows[:1])


def inconsistent_issues(seen: Seen, sheet: Sheet) -> list[Issue]:
    """A source spelled several ways: an issue on each row whose spelling is not the plain one."""
    column, out = sheet.label(APP_ID), list[Issue]()
    for canon, spellings in seen.first.items():
        if len(spellings) < 2:
            continue
        for value in spellings:
            if value == canon:
                continue
            others = ", ".join(f'"{s}"' for s in spellings if s != value)
            out.extend(
                make_issue(
                    "app-id-inconsistent",
                    row=r,
                    column=column,
                    value=value,
                    suggestion=canon,
                    others=others,
                )
                for r in seen.rows(canon, value)
            )
    return out


# --- the list -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellCheck:
    """A check of one cell or one row at a time: ``run`` returns a block's issues."""

    codes: tuple[str, ...]
    run: Callable[[Rows], list[Issue]]


@dataclass(frozen=True)
class RowsCheck:
    """A check that compares rows: ``note`` keeps what it needs of a block in its
    :class:`~applinks.seen.Seen`; ``report`` returns the issues once every row has been noted."""

    codes: tuple[str, ...]
    note: Callable[[Rows, Seen], None]
    report: Callable[[Seen, Sheet], list[Issue]]


Check = CellCheck | RowsCheck

#: Every check of the rows, in the order their issues come out for one cell (a report is
#: sorted by row, then by column; the issues that compare rows come after the others).
CHECKS: tuple[Check, ...] = (
    CellCheck(
        ("app-id-not-domain", "app-id-not-lowercase", "app-id-has-url-parts", "app-id-subdomain"),
        app_id_problems,
    ),
    RowsCheck(("app-id-inconsistent",), note_spellings, inconsistent_issues),
    CellCheck(("app-id-missing",), app_id_missing),
    CellCheck(("unique-id-mangled",), unique_id_mangled),
    CellCheck(("unique-id-whitespace",), unique_id_whitespace),
    CellCheck(("unique-id-not-app-format",), unique_id_not_app_format),
    CellCheck(("unique-id-url-mismatch",), unique_id_url_mismatch),
    RowsCheck(("unique-id-duplicate", "unique-id-same-record"), note_pairs, duplicate_issues),
    CellCheck(("unique-id-missing",), unique_id_missing),
    CellCheck(("app-name-missing",), app_name_missing),
    CellCheck(("url-invalid",), url_invalid),
    CellCheck(("url-app-mismatch",), url_app_mismatch),
    CellCheck(("url-missing",), url_missing),
    CellCheck(("name-missing",), name_missing),
    CellCheck(("row-not-importable",), row_not_importable),
    CellCheck(("stage-invalid",), stage_invalid),
    CellCheck(("cell-error",), cell_error),
    CellCheck(("formula-like-value",), formula_like_value),
)


# --- what the checks ask of one value ---------------------------------------------------------


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


def _url_verdict(url: str, _registry: Registry) -> str | None:
    return _url_problem(url)


def _site_belongs(pair: tuple[str, str], registry: Registry) -> bool:
    """Whether a URL (or a plain URL's host: the same answer) is on the App ID's site."""
    site, app_id = pair
    return _url_belongs(site, app_id, registry)


def _url_belongs(url: str, app_id: str, registry: Registry) -> bool:
    host = host_of(url)
    if host is None:
        return True
    entry = registry.get(canonical_app_id(app_id))
    if entry is not None and entry.hosts:
        return entry.owns_host(host)
    mine = registrable_domain(canonical_app_id(app_id)) or canonical_app_id(app_id)
    return (registrable_domain(host) or host) == mine
