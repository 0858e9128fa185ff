"""The sentences of the xlwings Lite scripts, the same words as the Cloze ribbon's.

Thin functions over the core, written here rather than taken from the private helpers of
:mod:`applinks.excel.sheet`: the tests run each script beside its ribbon action on one workbook
and compare the two lines word for word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from applinks.excel.ranges import Inserted
from applinks.excel.sheet import not_filled_note
from applinks.files.xlsx_in import normalize_row
from applinks.headers import column_letter
from applinks.operations import FillResult, resolve_app
from applinks.registry import AppEntry, Registry
from applinks.table import Cell
from applinks.wording import counted as count
from applinks.wording import listing
from applinks.wording import plural_s as s

#: The sheet the Cloze CSV script writes.
CSV_SHEET = "Cloze CSV"


def cells(values: Sequence[Any]) -> list[Cell]:
    """Return worksheet values as table cells; a date comes as a date-time at midnight."""
    return [
        v.date() if type(v) is dt.datetime and v.time() == dt.time() else v
        for v in normalize_row(values)
    ]


def entry(app_id: str, registry: Registry) -> AppEntry:
    """Return the app to fill (an unknown one raises UnknownApp, said as the add-in says it)."""
    return resolve_app(app_id, registry)


def check_settings(app: AppEntry, settings: dict[str, str]) -> None:
    """Stop before anything is written when the app's link needs a setting nobody gave
    (MissingSettings, said as the add-in says it)."""
    app.render_url("0", settings=settings)


def fill_notes(result: FillResult, inserted: Inserted, *, ids: bool = True) -> str:
    """Return what Fill and From URLs add after their first sentence."""
    text = ""
    kept = result.kept_cells
    if kept:
        them = "it" if kept == 1 else "them"
        text += (
            f" Kept {count(kept, 'cell')} that already held other values; clear {them} first "
            f"to replace {them}."
        )
    if inserted.plan:
        text += f" Added the column{s(inserted.headers)} {listing(inserted.headers)}."
    damaged = result.report.counts_by_code().get("unique-id-mangled", 0)
    if ids and damaged:
        text += (
            f" {count(damaged, 'id')} look{'s' if damaged == 1 else ''} damaged by Excel; "
            "Check Sheet lists them."
        )
    return text + (not_filled_note(result) if ids else "")


def from_urls_message(
    result: FillResult, links: list[str], header: str, selected: int, inserted: Inserted
) -> str:
    """Return From URLs' one line."""
    given = sum(1 for link in links if link)
    text = (
        f"Filled App Links on {count(result.filled_rows, 'row')} from the links in column "
        f'"{header}" ({column_letter(selected)}).'
    )
    no_id = sum(1 for row in result.table.rows if row[0] is not None and row[1] and not row[2])
    if given > result.filled_rows:
        text += f" {count(given - result.filled_rows, 'link')} had no web address to use."
    if no_id:
        text += (
            f" {count(no_id, 'link')} did not show a record id; Check Sheet lists "
            f"{'it' if no_id == 1 else 'them'}."
        )
    return text + fill_notes(result, inserted, ids=False)


def csv_message(rows: int, errors: int) -> str:
    """Return the Cloze CSV script's line: where the rows are and how to save them as a file."""
    text = (
        f'Put {count(rows, "row")} of the Cloze import file on the "{CSV_SHEET}" sheet. To save '
        f"it as a file, stay on that sheet and choose File > Save a Copy (on the web: File > "
        'Export > Download as CSV UTF-8) with the file type "CSV UTF-8 (Comma delimited)"; '
        "only that sheet is saved."
    )
    if errors:
        text += (
            f" The sheet still has {count(errors, 'error')} that Cloze would reject or misread "
            "(Check Sheet shows them)."
        )
    return text
