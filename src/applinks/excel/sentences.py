"""The one line each Cloze action answers with, the same on the ribbon and in xlwings Lite.

Plain functions of what an action found and did (a fill's result, the columns it added, a
check's report), so the desktop add-in (:mod:`applinks.excel.sheet`) and the Lite scripts
(:mod:`applinks.lite.scripts`) say the same words by construction.
"""

from __future__ import annotations

from applinks.check_sheet import CHECK_SHEET
from applinks.excel.ranges import Inserted
from applinks.headers import column_letter
from applinks.issues import Report
from applinks.operations import FillResult
from applinks.wording import counted, listing, plural_s

#: The label of each action, for messages: the ribbon's buttons, and Lite's Cloze CSV script.
LABELS = {
    "insert_columns": "Insert Columns",
    "fill_app_links": "Fill App Links",
    "from_urls": "From URLs",
    "check_sheet": "Check Sheet",
    "clear_flags": "Clear Flags",
    "save_csv": "Save CSV for Cloze",
    "email_support": "Email to Cloze Support",
    "templates": "Templates",
    "help": "Help",
    "cloze_csv": "Cloze CSV",
}

#: Rows not filled whose reason the message spells out (a message box stays readable).
NOT_FILLED_SHOWN = 3


def inserted_message(inserted: Inserted) -> str:
    """Return Insert Columns' line."""
    if not inserted.plan:
        return "The four App Link columns are already on this sheet; nothing was changed."
    return f"Added the column{plural_s(inserted.headers)} {listing(inserted.headers)}."


def fill_message(
    result: FillResult,
    app_name: str,
    column: str,
    inserted: Inserted,
    blank: list[tuple[str, str]],
) -> str:
    """Return Fill App Links' line: what it filled from ``column`` (``"Listing ID" (B)``)."""
    text = (
        f"Filled App Links for {app_name} on {counted(result.filled_rows, 'row')} from column "
        f"{column}."
    )
    return text + fill_notes(result, inserted, blank)


def from_urls_message(
    result: FillResult,
    header: str,
    selected: int,
    inserted: Inserted,
    blank: list[tuple[str, str]],
) -> str:
    """Return From URLs' line for the links of column ``header`` at ``selected``: the rows it
    could not fill are named, and why, as the command line reports them (prepare
    --from-url)."""
    text = (
        f"Filled App Links on {counted(result.filled_rows, 'row')} from the links in column "
        f'"{header}" ({column_letter(selected)}).'
    )
    return text + fill_notes(result, inserted, blank)


def fill_notes(result: FillResult, inserted: Inserted, blank: list[tuple[str, str]]) -> str:
    """Return what Fill and From URLs add after their first sentence. ``blank``: the cells
    whose formula shows nothing or an error where the fill would have written, each with the
    error it shows ("" for nothing)."""
    text = ""
    if blank:
        one = len(blank) == 1
        errors = sum(1 for _, error in blank if error)
        shows = ["nothing", "nothing or an error", "an error"][
            (errors > 0) + (errors == len(blank))
        ]
        cells = [f"{where} shows {error}" if error else where for where, error in blank]
        text += (
            f" Kept {counted(len(blank), 'formula')} that show{'s' if one else ''} "
            f"{shows} ({listing(cells, quote=False)}); the row{plural_s(blank)} "
            f"{'has' if one else 'have'} no value there: replace the "
            f"formula{plural_s(blank)} with {'a value' if one else 'values'}, or clear "
            f"{'it' if one else 'them'} and fill again."
        )
    if result.kept_cells:
        them = "it" if result.kept_cells == 1 else "them"
        text += (
            f" Kept {counted(result.kept_cells, 'cell')} that already held other values; clear "
            f"{them} first to replace {them}."
        )
    if inserted.plan:
        text += f" Added the column{plural_s(inserted.headers)} {listing(inserted.headers)}."
    damaged = result.report.counts_by_code().get("unique-id-mangled", 0)
    if damaged:
        text += (
            f" {counted(damaged, 'id')} look{'s' if damaged == 1 else ''} damaged by Excel; "
            "Check Sheet lists them."
        )
    return text + not_filled_note(result)


def not_filled_note(result: FillResult) -> str:
    """Name the rows the fill could not fill, and why (the first few in full)."""
    left = [i for i in result.report if i.code.startswith("fill-")]
    if not left:
        return ""
    shown = " ".join(i.message for i in left[:NOT_FILLED_SHOWN])
    more = len(left) - NOT_FILLED_SHOWN
    tail = f" And {counted(more, 'row')} more." if more > 0 else ""
    return f" Not filled: {counted(len(left), 'row')}. {shown}{tail}"


def check_message(report: Report, rows: int, rules: int, *, listed: bool = False) -> str:
    """Return Check Sheet's line: the report's summary, then what it added to the sheet."""
    text = report.summary(rows)
    if report.issues:
        text = text[:-1] + f"; the {CHECK_SHEET} sheet lists them with links to the cells."
    highlights = f" Added {counted(rules, 'highlighting rule')}"
    highlights += " and a list of known App IDs on the App ID column." if listed else "."
    return text + highlights


def cleared_message(rules: int, listed: bool, report: bool) -> str:
    """Return Clear Flags' line for what it removed."""
    if not (rules or listed or report):
        return "There were no Check Sheet flags to remove."
    parts = []
    if rules:
        parts.append(counted(rules, "highlighting rule"))
    if listed:
        parts.append("the App ID list")
    if report:
        parts.append(f"the {CHECK_SHEET} sheet")
    return f"Removed {listing(parts, quote=False)}."
