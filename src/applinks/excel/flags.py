"""What Check Sheet adds to the open workbook and Clear Flags removes again.

Three things: conditional-formatting rules tagged with :data:`FLAG_TAG`, the App Link Check
sheet (laid out by :func:`applinks.check_sheet.check_sheet_layout`, the same sheet the annotated
file gets) and a list of the known App IDs on the App ID column. Each is written in a number of
calls into Excel that does not depend on the number of rows.

Nothing here imports xlwings: the objects come from the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from applinks.check_sheet import CHECK_SHEET, KNOWN_COLUMN, LINK_COLUMN, CheckSheet, Link
from applinks.excel.local_formula import LocalFormulas
from applinks.excel.ranges import MAX_ROWS, TEXT_FORMAT, Layout, sheet_names
from applinks.headers import map_headers
from applinks.rules import Rule
from applinks.table import APP_ID

#: The text every conditional-formatting rule of Check Sheet carries, so that Clear Flags
#: removes exactly those rules and never one the user made. ``N("...")`` is 0, so the rule
#: works the same with it; it survives saving, moving columns, Excel for Mac and LibreOffice.
FLAG_TAG = "cloze-applinks"
#: Rows below the data that the rules still cover, so rows typed later are flagged too.
RULE_ROWS_BELOW = 1000


def tagged_formula(formula: str) -> str:
    """Return a rule's formula (without ``=``) with the Check Sheet tag, as Excel wants it."""
    return f'=AND(N("{FLAG_TAG}")=0,{formula})'


def add_rules(book: Any, layout: Layout, rules: Sequence[Rule], local: LocalFormulas) -> None:
    """Add the tagged rules to the data sheet, in the user's formula language, keeping the
    user's selection."""
    if not rules:
        return
    sheet = layout.sheet
    # Excel reads a rule's relative references from the active cell, so the first data cell is
    # made active while the rules go in, then the selection is put back.
    selection = book.app.selection
    sheet.range((layout.first_data_row, 1)).select()
    try:
        for rule in rules:
            for formula in local.fit(tagged_formula(rule.formula)):
                sheet.range(rule.sqref).conditional_formats.add_custom(
                    formula,
                    fill_color=rule.fill_color,
                    font_color=rule.font_color,
                )
    finally:
        if selection is not None:
            selection.select()


def write_check_sheet(book: Any, data: Any, layout: CheckSheet, *, widths: bool = True) -> Any:
    """Add the App Link Check sheet after the data sheet, with the cells of ``layout``.

    ``widths=False`` leaves the column widths alone (xlwings Lite takes widths in points, not in
    the characters of ``layout.widths``).
    """
    sheet = book.sheets.add(CHECK_SHEET, after=data)
    first, last, width = layout.header_row, layout.last_row, len(layout.widths)
    # Everything below the summary but the row numbers (A) and the links (C) is text, so a
    # value such as "=1+1" is shown, never run.
    sheet.range((first, LINK_COLUMN), (last, LINK_COLUMN)).number_format = TEXT_FORMAT
    sheet.range((first, LINK_COLUMN + 2), (last, width)).number_format = TEXT_FORMAT
    sheet.range((1, 1)).value = [
        [v.formula if isinstance(v, Link) else v for v in row] for row in layout.grid()
    ]
    for column, size in enumerate(layout.widths if widths else (), start=1):
        sheet.range((1, column)).column_width = size
    return sheet


def add_app_id_list(
    layout: Layout, report_sheet: Any, check_sheet: CheckSheet, last_row: int, local: LocalFormulas
) -> bool:
    """Offer the known App IDs as a list on the App ID column, still accepting any value."""
    position = map_headers(layout.headers).positions.get(APP_ID)
    if position is None:
        return False
    column = position + 1
    cells = layout.sheet.range((layout.first_data_row, column), (last_row, column))
    validation = cells.data_validation
    if validation.type != "none":
        return False  # the user's own validation stays
    first, last = check_sheet.known_rows
    source = report_sheet.range((first, KNOWN_COLUMN + 1), (last, KNOWN_COLUMN + 1))
    # xlwings' set_list hands English A1 to Validation.Add; the list goes in the user's form.
    formula = local.translate("=" + source.get_address(True, True, True))
    validation.impl.set_rule("list", None, formula, None)
    _accept_other_values(validation)
    return True


def _accept_other_values(validation: Any) -> None:
    """Let the cells take values not in the list (xlwings has no setter for the alert)."""
    native = validation.api
    show_error = getattr(native, "show_error", None)
    if show_error is not None and hasattr(show_error, "set"):
        show_error.set(False)  # Excel for Mac (appscript)
    else:
        native.ShowError = False  # Excel for Windows (COM)


def remove_flags(book: Any, sheet: Any, layout: Layout) -> tuple[int, bool, bool]:
    """Remove the tagged rules, the App ID list and the check sheet; say what was there."""
    ours = [
        rule
        for rule in sheet.cells.conditional_formats
        if rule.type == "custom" and FLAG_TAG in (rule.formula or "")
    ]
    for rule in ours:
        rule.delete()
    listed = False
    position = map_headers(layout.headers).positions.get(APP_ID)
    if position is not None:
        column = position + 1
        first = layout.sheet.range((layout.first_data_row, column)).data_validation
        if first.type == "list" and CHECK_SHEET in (first.source or ""):
            below = layout.sheet.range((layout.first_data_row, column), (MAX_ROWS, column))
            below.data_validation.delete()
            listed = True
    report = CHECK_SHEET in sheet_names(book)
    if report:
        book.sheets[CHECK_SHEET].delete()
    return len(ours), listed, report
