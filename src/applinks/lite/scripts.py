"""The actions of the xlwings Lite edition, run from Lite's task pane as scripts.

Insert Columns, Fill App Links, From URLs, Check Sheet and Clear Flags do what the Cloze
ribbon's buttons do (:mod:`applinks.excel.sheet`) and say the same one line; the Cloze CSV
goes onto a sheet, since an add-in cannot hand the user a file (docs/lite.md). Each action
takes the workbook Lite passes to a script and returns the line to print.

They keep to what xlwings Lite supports: cell values, number formats and formulas are read
with the ``await ...get_value()`` / ``get_number_format()`` / ``get_formula()`` calls, which
see the script's own earlier writes; the selection with ``await book.app.get_selection()``;
writes (values, number formats, formulas, whole-column inserts, conditional formats, sheets)
are queued by Lite and sent to Excel together. Lite cannot ask a question, so an action that
asks one on the desktop goes ahead with what the user selected, and the Cloze CSV is written
even while errors remain, with a sentence saying so. No xlwings import here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

from applinks.errors import ApplinksError, UsageError
from applinks.excel import flags, ranges, sentences
from applinks.excel import sheet as desktop
from applinks.headers import map_headers
from applinks.lite import texts
from applinks.lite.csv_sheet import write_csv_sheet
from applinks.registry import Registry
from applinks.table import APP_LINK_HEADERS, Cell, Table, cell_text

T = TypeVar("T")


# --- reading: the add-in's reads (applinks.excel.ranges), each read awaited ------------------


async def run_reads(steps: ranges.Steps[T]) -> T:
    """Run the add-in's read ``steps`` with Lite's awaited reads, which see what the script
    wrote before them; return the result."""
    try:
        ask = next(steps)
        while True:
            ask = steps.send(await _answer(*ask))
    except StopIteration as done:
        return done.value


async def _answer(what: str, rng: Any) -> Any:
    if what == "values":
        return await rng.options(ndim=2, err_to_str=True).get_value()
    if what == "number_format":
        return await rng.get_number_format()
    return await rng.options(ndim=2).get_formula()


async def read_layout(sheet: Any) -> desktop.Layout:
    """Find the header row among the top rows of the used range, as the desktop does."""
    return await run_reads(ranges.layout_steps(sheet))


async def read_column(layout: desktop.Layout, position: int) -> list[Cell]:
    """Return the data cells of one column, as their number formats show them."""
    return await run_reads(ranges.column_steps(layout, position))


async def workbook_registry(book: Any) -> tuple[Registry, dict[str, str]]:
    """Return the built-in apps overridden by the App Link Templates sheet, and its settings."""
    return await run_reads(ranges.templates_steps(book))


async def data_layout(sheet: Any) -> desktop.Layout:
    """Return where the data is on ``sheet``, refusing an empty sheet as the add-in does."""
    layout = await read_layout(sheet)
    desktop.refuse_empty(layout)
    return layout


async def _selected_column(book: Any, layout: desktop.Layout) -> int | None:
    """Return the 0-based column of the selection on the data sheet, or None."""
    selection = await book.app.get_selection()
    if selection is None or selection.sheet.name != layout.sheet.name:
        return None
    return int(selection.column) - 1


def data_sheet(book: Any) -> Any:
    """Return the active sheet, refusing the sheets the add-in and these scripts write."""
    sheet = desktop.data_sheet(book)
    if sheet.name == texts.CSV_SHEET:
        raise UsageError(
            f'This is the "{texts.CSV_SHEET}" sheet; go to the sheet with your records, then '
            "run the script again."
        )
    return sheet


class _WithoutTables:
    """A sheet whose Tables the desktop's column insert leaves alone (grown here instead)."""

    tables: tuple[()] = ()

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sheet, name)


def ensure_columns(layout: desktop.Layout) -> tuple[desktop.Layout, desktop.Inserted]:
    """Insert the missing App Link columns as the desktop does, and grow the Tables.

    Lite's Table sizes are the ones loaded when the script started; they do not follow the
    column inserts. So each Table on the header row is read before, moved and widened as Excel
    does for every insert, and resized only to take in new columns right after its end.
    """
    sheet = layout.sheet
    tables = []
    for table in sheet.tables:
        area = table.range
        if area.row == layout.header_row:
            corner = area.last_cell
            tables.append((table, area.row, area.column, corner.row, corner.column))
    grown, inserted = desktop.ensure_columns(replace(layout, sheet=_WithoutTables(sheet)))
    added = {position + 1 for position, _ in inserted.plan}
    for table, top, start, bottom, last in tables:
        used = layout.last_column
        for position, _ in inserted.plan:
            column = position + 1
            if position >= used:  # written after the last used column: nothing moved
                used = column
                continue
            used += 1  # a whole column went in here, as in desktop.ensure_columns
            if column <= start:
                start, last = start + 1, last + 1
            elif column <= last:
                last += 1
        end = last
        while end + 1 in added:
            end += 1
        if end != last:
            table.resize(sheet.range((top, start), (bottom, end)))
    return replace(grown, sheet=sheet), inserted


# --- the actions ------------------------------------------------------------------------------


async def insert_columns(book: Any) -> str:
    """Insert Columns: add the missing App Link columns to the active sheet."""
    layout = await data_layout(data_sheet(book))
    _, inserted = ensure_columns(layout)
    return sentences.inserted_message(inserted)


async def fill_app_links(book: Any) -> str:
    """Fill App Links: fill the four columns for the chosen app from a column of ids."""
    sheet = data_sheet(book)
    registry, settings = await workbook_registry(book)
    layout = await data_layout(sheet)
    entry = desktop.settled_app(await chosen_app(book, layout), registry, settings)
    # Settled on the sheet as it is, before the columns go in: a refusal leaves it unchanged.
    uid_at, candidate = desktop.id_columns(layout, await _selected_column(book, layout))
    old_ids = await read_column(layout, uid_at) if uid_at is not None else []
    chosen = await read_column(layout, candidate) if candidate is not None else []
    source = desktop.id_source(layout, candidate, chosen, uid_at, old_ids)
    ids = None if source == uid_at else chosen
    layout, inserted = ensure_columns(layout)
    source = inserted.moved(source)
    columns = await run_reads(desktop.link_columns_steps(layout))
    filled = desktop.fill_outcome(columns, entry, settings, registry, source, ids)
    return columns.write(filled, inserted)


async def chosen_app(book: Any, layout: desktop.Layout) -> str:
    """Return the App ID to fill: the workbook's choice, else the first one on the sheet.

    A workbook set up with the Windows or Mac add-in keeps its App choice in a defined name;
    Lite has no App list, so there the first App ID typed in the App ID column is the choice.
    """
    if desktop.APP_NAME_KEY in book.names:
        return desktop.chosen_app(book)
    position = map_headers(layout.headers).positions.get(APP_LINK_HEADERS[0])
    typed = await read_column(layout, position) if position is not None else []
    first = next((cell_text(v).strip() for v in typed if cell_text(v).strip()), "")
    if not first:
        raise UsageError(
            "Type the App ID of your records' app (such as zillow.com) in the first row of the "
            "App ID column, then run Fill App Links again."
        )
    return first


async def from_urls(book: Any) -> str:
    """From URLs: derive App ID, App Unique ID and App Name from a column of record links."""
    sheet = data_sheet(book)
    registry, _ = await workbook_registry(book)
    layout = await data_layout(sheet)
    selected = desktop.links_column(layout, await _selected_column(book, layout))
    # The links are judged before the columns go in: a refusal leaves the sheet as it was.
    urls = await read_column(layout, selected)
    desktop.refuse_no_links(layout, selected, urls)
    layout, inserted = ensure_columns(layout)
    selected = inserted.moved(selected)
    columns = await run_reads(desktop.link_columns_steps(layout))
    return columns.write(desktop.from_urls_outcome(columns, registry, selected, urls), inserted)


async def check_sheet(book: Any) -> str:
    """Check Sheet: highlight problems with live rules and list every issue on a sheet."""
    from applinks.rules import conditional_rules

    sheet = data_sheet(book)
    registry, layout, table, report = await run_reads(desktop.checked_steps(book, sheet))
    await _remove_flags(book, sheet)
    _write_check_sheet(book, sheet, table, report, registry)
    sheet.activate()
    last_row = desktop.rules_end(layout, table)
    rules = conditional_rules(table.headers, first_row=layout.first_data_row, last_row=last_row)
    # Office.js reads a rule's relative references from the top-left cell of its range, which
    # is the first data cell the rules are written for: no cell needs to be selected.
    for rule in rules:
        sheet.range(rule.sqref).conditional_formats.add_custom(
            desktop.tagged_formula(rule.formula),
            fill_color=rule.fill_color,
            font_color=rule.font_color,
        )
    return sentences.check_message(report, len(table.rows), len(rules))


async def clear_flags(book: Any) -> str:
    """Clear Flags: remove exactly what Check Sheet added."""
    rules, report = await _remove_flags(book, data_sheet(book))
    return sentences.cleared_message(rules, False, report)


async def cloze_csv(book: Any) -> str:
    """Cloze CSV: put exactly the rows of the Cloze import file on the "Cloze CSV" sheet."""
    sheet = data_sheet(book)
    _, _, table, report = await run_reads(desktop.checked_steps(book, sheet))
    rows = write_csv_sheet(book, sheet, table)
    return texts.csv_message(rows, report.errors)


async def _remove_flags(book: Any, sheet: Any) -> tuple[int, bool]:
    """Remove the tagged rules and the check sheet; say what was there."""
    rules = await sheet.cells.get_conditional_formats()
    ours = [r for r in rules if r.type == "custom" and desktop.FLAG_TAG in (r.formula or "")]
    for rule in ours:
        rule.delete()
    report = desktop.CHECK_SHEET in desktop.sheet_names(book)
    if report:
        book.sheets[desktop.CHECK_SHEET].delete()
    return len(ours), report


def _write_check_sheet(book: Any, data: Any, table: Table, report: Any, registry: Registry) -> Any:
    """Add the App Link Check sheet after the data sheet: the desktop's, but for the widths."""
    listing = desktop.report_listing(report, data, table, registry)
    return flags.write_check_sheet(book, data, listing, widths=False)


# --- running ----------------------------------------------------------------------------------

#: Each script: a function of the workbook that returns the one line to print.
ACTIONS: dict[str, Callable[[Any], Awaitable[str]]] = {
    "insert_columns": insert_columns,
    "fill_app_links": fill_app_links,
    "from_urls": from_urls,
    "check_sheet": check_sheet,
    "clear_flags": clear_flags,
    "cloze_csv": cloze_csv,
}

#: What Lite's task pane shows under each script's name.
HELP = {
    "insert_columns": "Add the App ID, App Unique ID, App Name and App Content URL columns.",
    "fill_app_links": "Select a cell in the column of record ids first; fills the four columns.",
    "from_urls": (
        "Select a cell in a column of record links first; fills the four columns from them."
    ),
    "check_sheet": "Highlight problems and list them on the App Link Check sheet.",
    "clear_flags": "Remove what Check Sheet added.",
    "cloze_csv": "Put the Cloze import file on the Cloze CSV sheet, ready to save as CSV UTF-8.",
}

#: The names in messages: the ribbon's button labels.
LABELS = {name: sentences.LABELS[name] for name in ACTIONS}


async def run(name: str, book: Any) -> str:
    """Run the script ``name`` on ``book``; return its one line (a problem as one sentence).

    A problem with the data or its use is its plain sentence; anything unexpected is a short
    note naming the error, never a traceback.
    """
    label = LABELS[name]
    try:
        return await ACTIONS[name](book)
    except ApplinksError as error:
        return desktop.addin_message(error)
    except Exception as error:  # the user sees one line in Lite's output pane
        return (
            f"{label} stopped because of an unexpected problem ({type(error).__name__}: {error})."
        )
