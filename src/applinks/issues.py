"""Typed, coded problems in the data, and the report that collects them."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Literal

from applinks.wording import counted

Severity = Literal["error", "warning"]

#: Every issue code: its severity and its one message template. Placeholders: ``row``,
#: ``column``, ``value``, ``suggestion``, and per-code extras passed to :func:`make_issue`.
CODES: dict[str, tuple[Severity, str]] = {
    "app-id-not-domain": (
        "error",
        'Row {row}: App ID "{value}" is not a domain name ({reason}); use the source\'s web '
        'domain, such as "salesforce.com".',
    ),
    "app-id-not-lowercase": (
        "error",
        'Row {row}: App ID "{value}" has capital letters; use "{suggestion}".',
    ),
    "app-id-has-url-parts": (
        "error",
        'Row {row}: App ID "{value}" is a web address, not a bare domain; use "{suggestion}".',
    ),
    "app-id-subdomain": (
        "warning",
        'Row {row}: App ID "{value}" is part of a larger domain; Cloze recommends the plain '
        'domain "{suggestion}" everywhere.',
    ),
    "app-id-inconsistent": (
        "warning",
        'Row {row}: App ID "{value}" is spelled differently on other rows ({others}); use one '
        'spelling, "{suggestion}", for every row of this source.',
    ),
    "app-id-missing": (
        "error",
        "Row {row}: the App Unique ID is filled in but the App ID is empty; add the App ID "
        '(a domain such as "zillow.com").',
    ),
    "unique-id-missing": (
        "error",
        'Row {row}: App ID "{app_id}" has no App Unique ID; add the record\'s id from that app.',
    ),
    "unique-id-duplicate": (
        "error",
        'Row {row}: App ID "{app_id}" with App Unique ID "{value}" also appears on row(s) '
        "{others}; Cloze would merge these rows into one record, so give each its own id.",
    ),
    "unique-id-not-app-format": (
        "warning",
        'Row {row}: App Unique ID "{value}" does not have the form of a {name} id, so its link '
        'may not open the record; check that the id and the App ID "{app_id}" name the same '
        "app.",
    ),
    "unique-id-url-mismatch": (
        "warning",
        'Row {row}: App Unique ID "{value}" is not the record its App Content URL opens, which '
        'is "{suggestion}"; make the id and the link name the same record.',
    ),
    "unique-id-same-record": (
        "error",
        'Row {row}: App Unique ID "{value}" is the same record as the id on row(s) {others}, '
        'written another way; Cloze would keep two records of it, so write "{suggestion}" on '
        "every row.",
    ),
    "unique-id-mangled": (
        "error",
        'Row {row}: App Unique ID "{value}" looks damaged by Excel ({reason}); copy the id '
        "again from the source app and store the column as text.",
    ),
    "unique-id-whitespace": (
        "warning",
        'Row {row}: App Unique ID "{value}" has spaces at the start or end; use "{suggestion}".',
    ),
    "app-name-missing": (
        "warning",
        'Row {row}: App ID "{app_id}" has no App Name; add the name Cloze should show, such as '
        '"{suggestion}".',
    ),
    "url-missing": (
        "warning",
        'Row {row}: App ID "{app_id}" has no App Content URL; add the link to the record so it '
        "opens from Cloze.",
    ),
    "url-invalid": (
        "error",
        'Row {row}: App Content URL "{value}" is not a full web address; it must start with '
        '"https://" or "http://".',
    ),
    "url-app-mismatch": (
        "warning",
        'Row {row}: App Content URL "{value}" is on {host}, which does not belong to App ID '
        '"{app_id}"; check that the link and the App ID name the same app.',
    ),
    "name-missing": (
        "error",
        "Row {row}: the row has no Name; Cloze needs a name for every Project or Deal.",
    ),
    "name-column-missing": (
        "error",
        "The sheet has no Name column; Cloze needs a name for every Project or Deal. Add a "
        'column headed "Name", or say which column holds the names (--name-column).',
    ),
    "row-not-importable": (
        "error",
        "Row {row}: the row has neither an App ID with an App Unique ID nor an involved "
        "person's email, so Cloze cannot import it; add one of them.",
    ),
    "stage-invalid": (
        "warning",
        'Row {row}: Stage "{value}" is not one of Potential, Active, Done, Lost{hint}.',
    ),
    "cell-error": (
        "warning",
        'Row {row}: the {column} cell shows the error "{value}" (a formula that could not be '
        'worked out); the CSV for Cloze carries "{value}" as it is, so fix the formula in Excel '
        "or clear the cell.",
    ),
    "formula-like-value": (
        "warning",
        'Row {row}: the {column} value "{value}" starts with "{start}", so a spreadsheet that '
        "opens the file may run it as a formula; check that it is meant.",
    ),
    "fill-no-id": (
        "warning",
        'Row {row}: there is no id in "{column}", so the App Links were not filled; add the '
        "record's id.",
    ),
    "fill-id-not-app-format": (
        "warning",
        'Row {row}: "{value}" in "{column}" does not have the form of a {name} id, so the App '
        "Links were not filled; check the id and the app chosen.",
    ),
    "fill-other-app": (
        "warning",
        'Row {row}: App ID "{value}" is another app than {name}, and its links cannot be made '
        "here ({reason}), so the row was left as it is; fill it with its own app, or paste its "
        "record link and use From URLs.",
    ),
    "fill-link-no-id": (
        "warning",
        'Row {row}: no record id was found in the link "{value}", so the App Unique ID was left '
        "empty; paste the link of the record itself, copied from the browser with the record "
        "open.",
    ),
    "fill-not-a-link": (
        "warning",
        'Row {row}: "{value}" is not the link of a record ({what}), so the row was left without '
        "an App ID; paste the link of the record itself, copied from the browser with the "
        "record open.",
    ),
    "header-near-miss": (
        "warning",
        'Column "{value}" is written as the Cloze header "{suggestion}" in the CSV for Cloze; '
        "rename it in the sheet too so the two agree.",
    ),
    "header-near-miss-unused": (
        "warning",
        'Column "{value}" looks like the Cloze header "{suggestion}", but column {letter} is '
        "the {suggestion} column; this one keeps its header in the CSV, so Cloze will not read "
        "it as {suggestion}. Merge the two columns, or rename this one.",
    ),
    "header-name-alias": (
        "warning",
        'Column "{value}" is taken as the Name column and written as "Name" in the CSV for '
        "Cloze; rename it in the sheet too, or say which column holds the names "
        "(--name-column).",
    ),
    "header-duplicate": (
        "error",
        'Two columns are headed "{value}" (columns {letters}); rename or remove one, since '
        "Cloze would read only one of them.",
    ),
    "header-not-first-row": (
        "warning",
        "The headers are in row {row}, not row 1; {above} not written to the CSV for Cloze, "
        "which starts at the headers.",
    ),
}


@dataclass(frozen=True)
class Issue:
    """One problem at one cell. ``row`` is the 1-based sheet row (header = 1)."""

    row: int
    column: str
    code: str
    severity: Severity
    message: str
    value: str = ""
    suggestion: str = ""

    def key(self) -> tuple[int, str, str]:
        """Return ``(row, column, code)``, the identity tests compare."""
        return (self.row, self.column, self.code)


FIELDS = ("row", "column", "code", "severity", "message", "value", "suggestion")


def make_issue(
    code: str,
    *,
    row: int,
    column: str,
    value: object = "",
    suggestion: object = "",
    **extra: object,
) -> Issue:
    """Build an Issue from its code's template; ``extra`` fills code-specific placeholders."""
    severity, template = CODES[code]
    text_value = "" if value is None else str(value)
    text_suggestion = "" if suggestion is None else str(suggestion)
    message = template.format(
        row=row,
        column=column,
        value=_shorten(text_value),
        suggestion=_shorten(text_suggestion),
        **extra,
    )
    return Issue(row, column, code, severity, message, text_value, text_suggestion)


def _shorten(text: str, limit: int = 80) -> str:
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


@dataclass
class Report:
    """The issues of one check, sorted by row then column order, with counts."""

    issues: list[Issue] = field(default_factory=list)
    #: Records checked (data rows with something in them), when known, and blank rows passed
    #: over (they are not records: not checked, not written to the CSV).
    rows: int | None = None
    blank_rows: int = 0

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    @property
    def has_errors(self) -> bool:
        return any(i.severity == "error" for i in self.issues)

    def locations(self) -> list[tuple[int, str, str]]:
        return [i.key() for i in self.issues]

    def counts_by_code(self) -> Counter[str]:
        return Counter(i.code for i in self.issues)

    def summary(self, rows: int | None = None) -> str:
        """Return the one-line summary, e.g. ``2 errors, 1 warning in 40 rows.``"""
        e, w = self.errors, self.warnings
        parts = f"{counted(e, 'error')}, {counted(w, 'warning')}"
        where = f" in {counted(rows, 'row')}" if rows is not None else ""
        if not e and not w:
            return f"No problems found{where}."
        return f"{parts}{where}."

    def to_csv(self) -> str:
        """Return the report as CSV text (header ``row,column,code,...``, CRLF line ends)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(FIELDS)
        for i in self.issues:
            writer.writerow([getattr(i, f) for f in FIELDS])
        return out.getvalue()

    def to_json(self) -> str:
        """Return the report as a JSON list of objects with the keys of ``FIELDS``."""
        return json.dumps([asdict(i) for i in self.issues], ensure_ascii=False, indent=2) + "\n"
