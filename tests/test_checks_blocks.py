"""Each check finds exactly what a plain row-by-row check finds, on any table.

``Oracle`` below is a row-at-a-time check (one row, every check, in turn), the reference the
column-by-column checks of :data:`applinks.check_list.CHECKS` are held to: each of them alone,
against the oracle's issues of its codes, and all of them together through
:func:`~applinks.checks.check`. Its rules are written from SPEC section 4 (the formula-like
starts, the four stages, Excel's 15 digits, a full http(s) address), not imported from the
checks: a wrong rule there is a difference here. What needs the Public Suffix List or the app
registry (App ID problems, a URL's site) it asks :mod:`applinks.domains` and the registry, which
tests/test_domains.py and tests/test_registry.py hold to their own tables.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import applinks.checks as checks
from applinks.check_list import CHECKS, Check
from applinks.checks import RowChecker, check
from applinks.domains import canonical_app_id, classify_app_id, host_of, registrable_domain
from applinks.header_checks import header_issues
from applinks.headers import NAME, STAGE, map_headers
from applinks.issues import CODES, Issue, Report, make_issue
from applinks.registry import Registry, load_registry, read_link
from applinks.rows import Block
from applinks.table import (
    APP_CONTENT_URL,
    APP_ID,
    APP_NAME,
    APP_UNIQUE_ID,
    Cell,
    Table,
    cell_text,
)

#: SPEC section 4: "a text value starting with =, +, -, @, tab or CR".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: SPEC section 4: "Stage not one of Potential, Active, Done, Lost".
STAGES = ("Potential", "Active", "Done", "Lost")
#: SPEC section 4: Excel's error values, shown by a formula it could not work out.
ERRORS = {
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!",
    "#EXTERNAL!",
}  # fmt: skip
#: The codes about the header row (tests/test_headers.py); every other code is a row check's.
HEADER_CODES = {
    "name-column-missing", "header-near-miss", "header-near-miss-unused", "header-name-alias",
    "header-duplicate", "header-not-first-row",
}  # fmt: skip
#: The codes of rows Fill and From URLs could not fill (tests/test_fill_apps.py).
FILL_CODES = {"fill-no-id", "fill-id-not-app-format", "fill-other-app", "fill-link-no-id",
              "fill-not-a-link"}  # fmt: skip


def mangled_reason(value: Cell) -> str | None:
    """SPEC section 4's unique-id-mangled: exponent form (``1.42E+18``), a trailing ``.0``, or
    a number past Excel's 15 significant digits (here: a whole number with more than 15 digits,
    or a number with a fraction, which no id has)."""
    if type(value) is int:
        digits = len(str(abs(value)))
        if digits > 15:
            return f"it is a number with {digits} digits and Excel keeps only 15"
    elif type(value) is float:
        return "it is stored as a number with a fraction"
    elif type(value) is str:
        if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+", value.strip()):
            return "it is in exponent form, which has lost digits"
        if re.fullmatch(r"[+-]?[0-9]+\.0+", value.strip()):
            return 'it ends in ".0", added when it was stored as a number'
    return None


def is_web_address(url: str) -> bool:
    """SPEC section 4's url-invalid, the other way round: a full ``http://`` or ``https://``
    address with a host, and no white space in it or around it."""
    if url != url.strip() or any(c in url for c in " \t\r\n"):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def on_the_apps_site(url: str, app_id: str, registry: Registry) -> bool:
    """SPEC section 4's url-app-mismatch, the other way round: the link's host is one of the
    registered app's hosts, or (an app not in the registry, or without hosts) has the App ID's
    registrable domain. A link without a readable host is given the benefit of the doubt."""
    host = host_of(url)
    if host is None:
        return True
    canon = canonical_app_id(app_id)
    entry = registry.get(canon)
    if entry is not None and entry.hosts:
        return entry.owns_host(host)
    return (registrable_domain(host) or host) == (registrable_domain(canon) or canon)


def _has_text(value: Cell) -> bool:
    """A cell shows something other than white space."""
    return value is not None and bool(cell_text(value).strip())


def _listed(rows: list[int]) -> str:
    """SPEC section 4: the other rows, ten at most, then how many more."""
    shown = [str(o) for o in rows]
    return ", ".join(shown[:10]) + (f" and {len(shown) - 10} more" if len(shown) > 10 else "")


class Oracle:
    """The reference: every check on one row at a time."""

    def __init__(self, table: Table, registry: Registry) -> None:
        found = map_headers(table.headers)
        self.headers = table.headers
        self.registry = registry
        self.offset = 1 + table.header_row
        self.emails = found.email_columns
        self.at = {c: found.get(c) for c in (APP_ID, APP_UNIQUE_ID, APP_NAME, APP_CONTENT_URL)}
        self.at |= {NAME: found.get(NAME), STAGE: found.get(STAGE)}
        self.out: list[Issue] = []
        #: The rows of each (App ID, the id in its app's one form), with the id as written.
        self.pairs: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self.spellings: list[tuple[int, str]] = []

    def label(self, canonical: str) -> str:
        position = self.at[canonical]
        return self.headers[position] if position is not None else canonical

    def issue(self, code: str, r: int, canonical: str, **fields: Any) -> Issue:
        """The issue ``code`` on row ``r``, in the Cloze column ``canonical``."""
        return make_issue(code, row=r, column=self.label(canonical), **fields)

    def cell(self, row: Sequence[Cell], canonical: str) -> Cell:
        position = self.at[canonical]
        return row[position] if position is not None and position < len(row) else None

    def add(self, index: int, row: Sequence[Cell]) -> None:
        """Check data row ``index`` (0-based, as in ``table.rows``)."""
        if all(c is None or c == "" for c in row):
            return  # a blank row is not a record; Cloze skips it
        r = index + self.offset
        note = self.out.append
        app_id, uid_cell = cell_text(self.cell(row, APP_ID)), self.cell(row, APP_UNIQUE_ID)
        uid = cell_text(uid_cell)
        has_app, has_uid = bool(app_id.strip()), bool(uid.strip())
        for problem in classify_app_id(app_id) if has_app else []:
            reason = problem.reason or "it is not a web domain"
            suggestion = problem.suggestion or ""
            note(
                self.issue(
                    problem.code, r, APP_ID, value=app_id, suggestion=suggestion, reason=reason
                )
            )
        if has_app:
            self.spellings.append((r, app_id))
        if has_uid and not has_app:
            note(self.issue("app-id-missing", r, APP_ID))
        url = cell_text(self.cell(row, APP_CONTENT_URL))
        self.unique_id(r, uid_cell, uid, app_id if has_app else None)
        if has_app and has_uid:
            self.against_the_app(r, uid_cell, app_id, url)
        if has_app and not _has_text(self.cell(row, APP_NAME)):
            entry = self.registry.get(canonical_app_id(app_id))
            name = entry.name if entry else ""
            note(self.issue("app-name-missing", r, APP_NAME, app_id=app_id, suggestion=name))
        self.url(r, url, app_id if has_app else None)
        if self.at[NAME] is not None and not _has_text(self.cell(row, NAME)):
            note(self.issue("name-missing", r, NAME))
        if not (has_app and has_uid) and not any(
            _has_text(row[p]) for p in self.emails if p < len(row)
        ):
            note(self.issue("row-not-importable", r, APP_ID))
        self.stage(r, self.cell(row, STAGE))
        self.every_cell(r, row)

    def unique_id(self, r: int, cell: Cell, uid: str, app_id: str | None) -> None:
        note = self.out.append
        if not uid.strip():
            if app_id is not None:
                note(self.issue("unique-id-missing", r, APP_UNIQUE_ID, app_id=app_id))
            return
        reason = None if type(cell) is str and uid.isdigit() else mangled_reason(cell)
        if reason:
            note(self.issue("unique-id-mangled", r, APP_UNIQUE_ID, value=uid, reason=reason))
        if uid != uid.strip():
            note(
                self.issue(
                    "unique-id-whitespace", r, APP_UNIQUE_ID, value=uid, suggestion=uid.strip()
                )
            )
        if app_id is not None:
            app = canonical_app_id(app_id)
            entry = self.registry.get(app)
            one = entry.canonical_id(uid) if entry else uid
            self.pairs.setdefault((app, one), []).append((r, uid))

    def against_the_app(self, r: int, cell: Cell, app_id: str, url: str) -> None:
        """The id against its app's id pattern (unless Excel damaged it), and against the id
        its own link names."""
        entry = self.registry.get(canonical_app_id(app_id))
        if entry is None:
            return
        uid, note = cell_text(cell), self.out.append
        if not entry.id_matches(uid.strip()) and not mangled_reason(cell):
            fields = {"value": uid, "app_id": app_id, "name": entry.name}
            note(self.issue("unique-id-not-app-format", r, APP_UNIQUE_ID, **fields))
        if not url.strip() or not is_web_address(url):
            return
        in_link = read_link(url, self.registry, app=entry).unique_id
        if in_link and entry.canonical_id(in_link) != entry.canonical_id(uid.strip()):
            fields = {"value": uid, "suggestion": in_link}
            note(self.issue("unique-id-url-mismatch", r, APP_UNIQUE_ID, **fields))

    def url(self, r: int, url: str, app_id: str | None) -> None:
        note = self.out.append
        if not url.strip():
            if app_id is not None:
                note(self.issue("url-missing", r, APP_CONTENT_URL, app_id=app_id))
        elif not is_web_address(url):
            note(self.issue("url-invalid", r, APP_CONTENT_URL, value=url))
        elif (
            app_id is not None
            and all(p.code != "app-id-not-domain" for p in classify_app_id(app_id))
            and not on_the_apps_site(url, app_id, self.registry)
        ):
            fields = {"value": url, "app_id": app_id, "host": host_of(url) or "another site"}
            note(self.issue("url-app-mismatch", r, APP_CONTENT_URL, **fields))

    def stage(self, r: int, cell: Cell) -> None:
        stage = cell_text(cell)
        if not stage.strip() or stage in STAGES:
            return
        right = [s for s in STAGES if s.casefold() == stage.strip().casefold()]
        hint, suggestion = (f'; use "{right[0]}"', right[0]) if right else ("", "")
        fields = {"value": stage, "hint": hint, "suggestion": suggestion}
        self.out.append(self.issue("stage-invalid", r, STAGE, **fields))

    def every_cell(self, r: int, row: Sequence[Cell]) -> None:
        for position, value in enumerate(row):
            header = self.headers[position] if position < len(self.headers) else ""
            if type(value) is str and value in ERRORS:
                self.out.append(make_issue("cell-error", row=r, column=header, value=value))
            if type(value) is str and value.startswith(FORMULA_STARTS):
                start = {"\t": "tab", "\r": "carriage return"}.get(value[0], value[0])
                self.out.append(
                    make_issue("formula-like-value", row=r, column=header, value=value, start=start)
                )

    def duplicate(self, r: int, uid: str, app_id: str, others: list[int]) -> Issue:
        fields = {"value": uid, "app_id": app_id, "others": _listed(others)}
        return self.issue("unique-id-duplicate", r, APP_UNIQUE_ID, **fields)

    def issues(self) -> list[Issue]:
        """Every row issue, those that compare rows included."""
        out = list(self.out)
        for (app_id, one), seen in self.pairs.items():
            written: dict[str, list[int]] = {}
            for r, uid in seen:
                written.setdefault(uid, []).append(r)
            for uid, rows in written.items():
                for r in rows if len(rows) > 1 else []:
                    out.append(self.duplicate(r, uid, app_id, [o for o in rows if o != r]))
            for uid, rows in written.items() if len(written) > 1 else []:
                if uid == one:
                    continue
                others = _listed([o for o, _ in seen if o not in rows])
                fields = {"value": uid, "suggestion": one, "others": others}
                for r in rows:
                    out.append(self.issue("unique-id-same-record", r, APP_UNIQUE_ID, **fields))
        spellings: dict[str, list[str]] = {}
        for _, value in self.spellings:
            group = spellings.setdefault(canonical_app_id(value), [])
            if value not in group:
                group.append(value)
        for r, value in self.spellings:
            canon = canonical_app_id(value)
            if len(spellings[canon]) > 1 and value != canon:
                others = ", ".join(f'"{s}"' for s in spellings[canon] if s != value)
                fields = {"value": value, "suggestion": canon, "others": others}
                out.append(self.issue("app-id-inconsistent", r, APP_ID, **fields))
        return out


def in_order(table: Table, issues: list[Issue]) -> list[Issue]:
    """The issues as a report sorts them: by row, then by column (stable)."""
    order = {h: i for i, h in reversed(list(enumerate(table.headers)))}
    return sorted(issues, key=lambda i: (i.row, order.get(i.column, -1)))


def reference_check(table: Table) -> Report:
    """What :func:`applinks.checks.check` must return, worked out row by row."""
    oracle = Oracle(table, load_registry())
    for index, row in enumerate(table.rows):
        oracle.add(index, row)
    headers = map_headers(table.headers)
    return Report(in_order(table, header_issues(table, headers) + oracle.issues()))


def one_check(table: Table, entry: Check, block: int) -> list[Issue]:
    """What one check alone finds in ``table``, fed blocks of ``block`` rows."""
    checker = RowChecker(table, map_headers(table.headers), load_registry(), checks=[entry])
    rows = list(table.rows)
    for start in range(0, len(rows), block):
        checker.add_block(start, Block(rows[start : start + block]))
    return in_order(table, checker.issues())


def test_the_checks_raise_every_row_code_once() -> None:
    codes = [code for entry in CHECKS for code in entry.codes]
    assert sorted(codes) == sorted(set(CODES) - HEADER_CODES - FILL_CODES)


# fmt: off
HEADERS = ["Name", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL", "Email",
           "Notes"]
APP_IDS = ["zillow.com", "Zillow.com", "https://zillow.com/x", "www.zillow.com", "salesforce.com",
           "acme.lightning.force.com", "not a domain", "example.invalid", " ", "", None, 7]
UIDS = ["123", "123", "456", " 789", "1.23E+15", "12.0", 123, 1234567890123456789, 12.5, "", "  ",
        None, "abc", 999_999_999_999_999, 1_000_000_000_000_000, "006j000000Pkp1d",
        "006j000000Pkp1dAAB", "006J000000PKP1D"]
URLS = ["https://www.zillow.com/homedetails/123_zpid/", "https://zillow.com/x",
        "https://example.com/x", "ftp://zillow.com/x", "zillow.com/x", "https://zil low.com",
        "https://acme.lightning.force.com/r/1", "HTTPS://WWW.ZILLOW.COM/a b", "", None, 3,
        "https://www.zillow.com/homedetails/456_zpid/",
        "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAB/view"]
CELLS = ["", None, " ", "x", "=SUM(A1)", "+1", "-", "@me", "\tx", "\rx", "\nx", " =x",
         "a@example.com", 0, 1, 2.5, 3.0, True, False, dt.date(2024, 5, 1),
         dt.datetime(2024, 5, 1, 9, 30), *STAGES, "active", "Active ", " Lost", "Won"]
# fmt: on


@st.composite
def tables(draw: st.DrawFn) -> Table:
    headers = draw(st.permutations(HEADERS))
    headers = headers[: draw(st.integers(3, len(headers)))]
    pools = {"App ID": APP_IDS, "App Unique ID": UIDS, "App Content URL": URLS}
    rows = []
    for _ in range(draw(st.integers(0, 40))):
        if draw(st.integers(0, 9)) == 0:
            rows.append(draw(st.sampled_from([[], [None, ""], [None] * len(headers)])))
            continue
        row = [draw(st.sampled_from(pools.get(h, CELLS))) for h in headers]
        rows.append(row[: draw(st.integers(0, len(row)))] if draw(st.booleans()) else row)
    return Table(list(headers), rows)


@pytest.mark.parametrize("block", [1, 3, 4096])
@settings(max_examples=150, deadline=None, derandomize=True)
@given(table=tables())
def test_block_check_equals_row_by_row_check(table: Table, block: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checks, "BLOCK", block)
        found = check(table)
    assert found.issues == reference_check(table).issues


@pytest.mark.parametrize("block", [1, 3, 4096])
@settings(max_examples=100, deadline=None, derandomize=True)
@given(table=tables())
def test_each_check_finds_what_the_oracle_finds_of_its_codes(table: Table, block: int) -> None:
    expected = reference_check(table).issues
    for entry in CHECKS:
        mine = [i for i in expected if i.code in entry.codes]
        assert one_check(table, entry, block) == mine, entry.codes


# fmt: off
#: Rows at the edges of each rule: 15 and 16 digits, a point and zeros, exponent forms, white
#: space that is not a space, a stage in another case, each formula start, each kind of URL.
BOUNDARY_ROWS: list[list[Cell]] = [
    ["a", "Active", "zillow.com", 999_999_999_999_999, "Zillow", "https://zillow.com/1", "", ""],
    ["b", "active", "zillow.com", 1_000_000_000_000_000, "", "https://zillow.com/2", "", "=1"],
    ["c", " Lost", "zillow.com", -1_000_000_000_000_000, " ", "http://zillow.com:8080/3", "", "+"],
    ["d", "Done ", "Zillow.com", "12.0", None, "https://www.zillow.com", "", "-x"],
    ["e", "Won", "zillow.com", "12.00", "Z", "https://zillow.com.evil.com/", "", "@x"],
    ["f", "POTENTIAL", "zillow.com", "12.", "Z", "https://zillow.com/ x", "", "\tx"],
    ["g", 1, "zillow.com", "+1.5e3", "Z", "https://zillow.com/x\n", "", "\rx"],
    ["h", None, "zillow.com", "1.5E-3", "Z", " https://zillow.com/", "", " =x"],
    ["i", "", "zillow.com", "1E5", "Z", "https:///x", "", "\nx"],
    ["j", "Potential", "zillow.com", "1.E5", "Z", "https://[::1/x", "", "#N/A"],
    ["k", "Potential", "zillow.com", "\u00a012", "Z", "mailto:a@zillow.com", "", "#n/a"],
    ["l", "Potential", "zillow.com", "12\t", "Z", "HTTPS://ZILLOW.COM/A", "", "#REF!"],
    ["m", "Potential", "zillow.com", "0012", "Z", "https://redfin.com/1", "", 12.5],
    ["n", "Potential", "zillow.com", "0012", "Z", "https://user@zillow.com/1", "", True],
    ["o", "Potential", "not a domain", "7", "Z", "https://redfin.com/1", "", None],
    ["p", "Potential", "https://www.Zillow.com/", "8", "Z", "https://zillow.com/8", "", None],
    ["q", "Potential", "", "9", "Z", "", "q@example.com", None],
    ["r", "Potential", " ", "", "", "", "\u00a0", None],
    ["", "Potential", "zillow.com", 12.5, "Z", "https://zillow.com/1", "", None],
    [None, None, None, None, None, None, None, None],
    ["s"],
    ["v", "Active", "zillow.com", "", "Z", "", "", ""],
    ["t", "Active", "zillow.com", "1", "Z", "https://zillow.com/1"],
    ["w", "Active", "zillow.com", "2", "Z", "https://zillow.com/1\nhttps://zillow.com/2"],
    ["x", "Active", "zillow.com", "3", "Z", "https://zillow.com/r?to=https://redfin.com/x"],
    ["y", "Active", "salesforce.com", "006j000000Pkp1d", "S",
     "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAB/view"],
    ["z", "Active", "salesforce.com", "006j000000Pkp1dAAB", "S",
     "https://acme.my.salesforce.com/006j000000Pkp1d"],
    ["z1", "Active", "Salesforce.com", "006j000000Pkp1d", "S", ""],
    ["z2", "Active", "salesforce.com", "006J000000PKP1D", "S", "https://acme.my.salesforce.com/1"],
    ["z3", "Active", "zillow.com", "1234567", "Z", "https://www.zillow.com/homedetails/7654321_zpid/"],
    *[[f"u{n}", "Active", "zillow.com", "1", "Z", "https://zillow.com/1", "", ""]
      for n in range(11)],
]
# fmt: on


@pytest.mark.parametrize("entry", CHECKS, ids=lambda entry: entry.codes[0])
@pytest.mark.parametrize("block", [1, 2, 7, 4096])
def test_each_check_on_boundary_rows(entry: Check, block: int) -> None:
    table = Table(HEADERS, BOUNDARY_ROWS)
    mine = [i for i in reference_check(table).issues if i.code in entry.codes]
    assert mine, "the rows reach every check"
    assert one_check(table, entry, block) == mine
