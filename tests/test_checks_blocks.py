"""The block checker finds exactly what a plain row-by-row check finds, on any table.

``RowByRow`` below is the row-at-a-time check that ``RowChecker.add_block`` replaced (one row,
every check, in turn): kept here as the reference the column-by-column version is held to. Its
rules are written from SPEC section 4 (the formula-like starts, the four stages, Excel's 15
digits), not imported from the checker: a wrong rule there is a difference here. What needs
the Public Suffix List or the app registry (App ID problems, a URL's site) it asks the checker's
helpers, which tests/test_domains.py and tests/test_registry.py hold to their own tables.
"""

from __future__ import annotations

import datetime as dt
import re
from array import array
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import applinks.checks as checks
from applinks.checks import RowChecker, check
from applinks.domains import host_of
from applinks.header_checks import header_issues
from applinks.headers import map_headers
from applinks.issues import Report, make_issue
from applinks.registry import load_registry
from applinks.table import Cell, Table, cell_text

#: SPEC section 4: "a text value starting with =, +, -, @, tab or CR".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: SPEC section 4: "Stage not one of Potential, Active, Done, Lost".
STAGES = ("Potential", "Active", "Done", "Lost")


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


def _has_text(value: Cell) -> bool:
    """A cell shows something other than white space."""
    return value is not None and bool(cell_text(value).strip())


class RowByRow(RowChecker):
    """The reference: every check on one row at a time."""

    def add(self, index: int, row: Sequence[Cell]) -> None:
        """Check data row ``index`` (0-based, as in ``table.rows``)."""
        if row.count(None) + row.count("") == len(row):
            return  # a blank row is not a record; Cloze skips it
        out = self.out
        width = len(row)
        app_pos, uid_pos, name_pos, url_pos, title_pos, stage_pos = self.positions
        r = index + self.offset
        app_cell = row[app_pos] if app_pos is not None and app_pos < width else None
        app_id = app_cell if type(app_cell) is str else cell_text(app_cell)
        uid_cell = row[uid_pos] if uid_pos is not None and uid_pos < width else None
        uid = uid_cell if type(uid_cell) is str else cell_text(uid_cell)
        has_app, has_uid = bool(app_id) and bool(app_id.strip()), bool(uid) and bool(uid.strip())

        registered, app_is_domain = "", True
        if has_app:
            problems, canon, registered = self._app(app_id)
            for problem in problems:
                app_is_domain &= problem.code != "app-id-not-domain"
                extra = {"reason": problem.reason or "it is not a web domain"}
                out.append(
                    make_issue(
                        problem.code,
                        row=r,
                        column=self.app_col,
                        value=app_id,
                        suggestion=problem.suggestion or "",
                        **extra,
                    )
                )
            rows_of = self.spelling_rows.get(app_id)
            if rows_of is None:
                rows_of = self.spelling_rows[app_id] = array("l")
            rows_of.append(r)
        elif has_uid:
            out.append(make_issue("app-id-missing", row=r, column=self.app_col))

        if has_uid:
            mangled = None if type(uid_cell) is str and uid.isdigit() else mangled_reason(uid_cell)
            if mangled:
                out.append(
                    make_issue(
                        "unique-id-mangled", row=r, column=self.uid_col, value=uid, reason=mangled
                    )
                )
            if uid[0].isspace() or uid[-1].isspace():
                out.append(
                    make_issue(
                        "unique-id-whitespace",
                        row=r,
                        column=self.uid_col,
                        value=uid,
                        suggestion=uid.strip(),
                    )
                )
            if has_app:
                seen = self.first_rows.get(canon)
                if seen is None:
                    seen = self.first_rows[canon] = {}
                first = seen.setdefault(uid, r)
                if first != r:
                    self.repeated.setdefault((canon, uid), [first]).append(r)
        elif has_app:
            out.append(make_issue("unique-id-missing", row=r, column=self.uid_col, app_id=app_id))

        if has_app:
            name = row[name_pos] if name_pos is not None and name_pos < width else None
            if not _has_text(name):
                out.append(
                    make_issue(
                        "app-name-missing",
                        row=r,
                        column=self.name_col,
                        app_id=app_id,
                        suggestion=registered,
                    )
                )
        url_cell = row[url_pos] if url_pos is not None and url_pos < width else None
        url = url_cell if type(url_cell) is str else cell_text(url_cell)
        if url and url.strip():
            if self._url_problem(url) == "invalid":
                out.append(make_issue("url-invalid", row=r, column=self.url_col, value=url))
            elif has_app and app_is_domain and not self._belongs(url, None, app_id):
                out.append(
                    make_issue(
                        "url-app-mismatch",
                        row=r,
                        column=self.url_col,
                        value=url,
                        app_id=app_id,
                        host=host_of(url) or "another site",
                    )
                )
        elif has_app:
            out.append(make_issue("url-missing", row=r, column=self.url_col, app_id=app_id))

        title = row[title_pos] if title_pos is not None and title_pos < width else None
        if title_pos is not None and not _has_text(title):
            out.append(make_issue("name-missing", row=r, column=self.title_col))
        if not (has_app and has_uid) and not any(
            _has_text(row[p]) for p in self.emails if p < width
        ):
            out.append(make_issue("row-not-importable", row=r, column=self.app_col))
        stage_cell = row[stage_pos] if stage_pos is not None and stage_pos < width else None
        if stage_cell is not None:
            stage = cell_text(stage_cell)
            if stage.strip() and stage not in STAGES:
                hint = next(
                    (f'; use "{s}"' for s in STAGES if s.casefold() == stage.strip().casefold()),
                    "",
                )
                out.append(
                    make_issue(
                        "stage-invalid",
                        row=r,
                        column=self.stage_col,
                        value=stage,
                        hint=hint,
                        suggestion=hint[7:-1] if hint else "",
                    )
                )
        self._formula_cells(r, row)

    def _formula_cells(self, r: int, row: Sequence[Cell]) -> None:
        headers = self.table.headers
        for position, value in enumerate(row):
            if type(value) is str and value.startswith(FORMULA_STARTS):
                header = headers[position] if position < len(headers) else ""
                self.out.append(
                    make_issue(
                        "formula-like-value",
                        row=r,
                        column=header,
                        value=value,
                        start=value[0].replace("\t", "tab").replace("\r", "carriage return"),
                    )
                )


def reference_check(table: Table) -> Report:
    """What :func:`applinks.checks.check` must return, worked out row by row."""
    registry = load_registry()
    headers = map_headers(table.headers)
    checker = RowByRow(table, headers, registry)
    for index, row in enumerate(table.rows):
        checker.add(index, row)
    issues = header_issues(table, headers) + checker.issues()
    order = {h: i for i, h in reversed(list(enumerate(table.headers)))}
    issues.sort(key=lambda i: (i.row, order.get(i.column, -1)))
    return Report(issues)


# fmt: off
HEADERS = ["Name", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL", "Email",
           "Notes"]
APP_IDS = ["zillow.com", "Zillow.com", "https://zillow.com/x", "www.zillow.com", "salesforce.com",
           "acme.lightning.force.com", "not a domain", "example.invalid", " ", "", None, 7]
UIDS = ["123", "123", "456", " 789", "1.23E+15", "12.0", 123, 1234567890123456789, 12.5, "", "  ",
        None, "abc", 999_999_999_999_999, 1_000_000_000_000_000]
URLS = ["https://www.zillow.com/homedetails/123_zpid/", "https://zillow.com/x",
        "https://example.com/x", "ftp://zillow.com/x", "zillow.com/x", "https://zil low.com",
        "https://acme.lightning.force.com/r/1", "HTTPS://WWW.ZILLOW.COM/a b", "", None, 3]
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
