"""The checks of the header row: where it is, and what its headers say (SPEC section 4)."""

from __future__ import annotations

from collections.abc import Sequence

from applinks.headers import NAME, HeaderMap, column_letter
from applinks.issues import Issue, make_issue
from applinks.table import Table


def header_issues(table: Table, found: HeaderMap) -> list[Issue]:
    """Return the issues of ``table``'s header row, whose Cloze columns are ``found``.

    All of them are at the header row: the rows above it that are not written, two columns
    with one header, near misses (written under the exact header, or not used), the Name column
    taken from a header such as ``Deal Name``, and a sheet with no Name column at all.
    """
    row = table.header_row
    out: list[Issue] = []
    if row != 1:
        first = next((h for h in table.headers if h), "")
        out.append(_at(row, "header-not-first-row", first, above=_above(table.rows_above, row)))
    in_duplicates = set()
    for header, positions in found.duplicates.items():
        letters = " and ".join(column_letter(p) for p in positions)
        out.append(_at(row, "header-duplicate", header, letters=letters))
        in_duplicates.update(positions)
    for miss in found.near_misses:
        out.append(_at(row, "header-near-miss", miss.header, suggestion=miss.suggestion))
    for miss in found.unused:
        if miss.position in in_duplicates:
            continue  # reported as a duplicate already
        letter = column_letter(found.positions[miss.suggestion])
        out.append(
            _at(
                row,
                "header-near-miss-unused",
                miss.header,
                suggestion=miss.suggestion,
                letter=letter,
            )
        )
    alias = found.name_alias
    if alias is not None:
        out.append(_at(row, "header-name-alias", alias.header, suggestion=NAME))
    if NAME not in found.positions:
        out.append(make_issue("name-column-missing", row=row, column=NAME))
    return out


def _at(row: int, code: str, header: str, **extra: object) -> Issue:
    """Return the issue ``code`` about the header ``header`` (its value) in the header row."""
    return make_issue(code, row=row, column=header, value=header, **extra)


def _above(rows: Sequence[int], header_row: int) -> str:
    """Return what lies above the header row, as the message says it: ``rows 1 and 2 above
    them are`` (only rows that hold something are named; empty ones are not)."""
    if not rows:
        return "the empty row above them is" if header_row == 2 else "the empty rows above them are"
    return f"{describe_rows(rows)} above them {'is' if len(rows) == 1 else 'are'}"


def describe_rows(rows: Sequence[int]) -> str:
    """Return 1-based sheet rows in words: ``row 1``, ``rows 1 and 2``, ``rows 1 to 3 and 5``."""
    runs: list[list[int]] = []
    for row in sorted(rows):
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    parts: list[str] = []
    for run in runs:
        parts += [f"{run[0]} to {run[-1]}"] if len(run) > 2 else [str(r) for r in run]
    words = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return ("row " if len(rows) == 1 else "rows ") + words
