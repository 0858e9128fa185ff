"""What each button of the Cloze ribbon does to the open workbook, through xlwings' own API.

Every function here takes an xlwings ``Book`` and a :class:`Ui` (message boxes, questions,
opening a file) and returns the one line to show the user. They read whole columns in one call
each, hand the values to the core (:mod:`applinks.operations`, :mod:`applinks.checks`,
:mod:`applinks.rules`), and write back only the columns that changed, one call per column, so
the number of calls into Excel does not depend on the number of rows.
:mod:`applinks.excel.actions` runs them with screen updating and calculation switched off.

Nothing here imports xlwings: the objects come from the caller, so the tests can pass an
xlwings book backed by another engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from applinks import templates
from applinks.checks import check
from applinks.errors import ApplinksError, MissingSettings, UnknownApp, UsageError
from applinks.excel.formats import apply_formats, apply_to_rows, column_formats
from applinks.excel.local_formula import LocalFormulas
from applinks.files.csv_out import default_output_path, write_cloze_csv
from applinks.files.eml_out import SUPPORT_ADDRESS, write_draft
from applinks.files.xlsx_in import normalize_row
from applinks.headers import column_letter, map_headers
from applinks.operations import (
    FillResult,
    LinkSource,
    fill_links,
    plan_insert,
    resolve_app,
)
from applinks.registry import AppEntry, Registry, load_registry, templates_from_rows
from applinks.shape import (
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    find_header,
    header_text,
    unused_columns,
)
from applinks.table import (
    APP_ID,
    APP_LINK_HEADERS,
    APP_UNIQUE_ID,
    Cell,
    Table,
    cell_text,
)

TITLE = "Cloze App Links"
#: The sheet Check Sheet writes (and Clear Flags deletes).
CHECK_SHEET = "App Link Check"
#: The sheet of the user's own URL templates and account settings.
TEMPLATES_SHEET = "App Link Templates"
#: The workbook-level defined name where the ribbon's App list keeps its choice.
APP_NAME_KEY = "ClozeAppLinks_App"
#: The text every conditional-formatting rule of Check Sheet carries, so that Clear Flags
#: removes exactly those rules and never one the user made. ``N("...")`` is 0, so the rule
#: works the same with it; it survives saving, moving columns, Excel for Mac and LibreOffice.
FLAG_TAG = "cloze-applinks"
#: Rows below the data that the rules still cover, so rows typed later are flagged too.
RULE_ROWS_BELOW = 1000
#: The last row of a worksheet.
#: Where the settings block starts on the App Link Templates sheet.
SETTINGS_ROW = 20
TEXT_FORMAT = "@"

CHECK_HEADERS = ("Row", "Column", "Cell", "Severity", "Code", "Problem", "Value", "Suggestion")
TEMPLATE_HEADERS = ("App ID", "App Name", "URL Template", "ID Pattern")
TEMPLATES_HOW_TO = (
    "One row per app, from row 2: App ID (a domain such as zillow.com), App Name, URL Template "
    "(the record link with {id} where the id goes) and ID Pattern (optional). A row here "
    f"replaces the built-in app with the same App ID. Account settings go in the block at row "
    f"{SETTINGS_ROW}."
)

HELP_TEXT = (
    "Cloze App Links, from left to right on the Cloze tab:\n"
    "Insert Columns adds App ID, App Unique ID, App Name and App Content URL.\n"
    "App: choose the application your records come from.\n"
    "Fill App Links: select a cell in the column with the record ids, then click it.\n"
    "From URLs: select a cell in a column of record links, then click it.\n"
    "Check Sheet highlights problems and lists them on the App Link Check sheet; "
    "Clear Flags removes that again.\n"
    "Save CSV for Cloze writes the import file beside this workbook; Email to Cloze Support "
    "also drafts an email with it attached.\n"
    "Templates opens a sheet for your own link formats and account settings."
)


class Ui(Protocol):
    """How an action talks to the user: Excel's message boxes, or a script in the tests."""

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question; return True for yes."""
        ...

    def open_file(self, path: Path) -> None:
        """Open ``path`` with its default program (the mail program for an .eml draft)."""
        ...


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Layout:
    """Where the data is on a sheet: its header row, headers and last used row and column."""

    sheet: Any
    headers: list[str]
    header_row: int
    last_row: int
    last_column: int
    #: 1-based rows above the header that hold something (a title): never written.
    rows_above: tuple[int, ...] = ()

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    @property
    def data_rows(self) -> int:
        return max(0, self.last_row - self.header_row)

    def column_range(self, position: int) -> Any:
        """Return the data cells (below the header) of the column at 0-based ``position``."""
        column = position + 1
        return self.sheet.range((self.first_data_row, column), (self.last_row, column))


def data_sheet(book: Any) -> Any:
    """Return the active sheet, refusing the two sheets this add-in writes itself."""
    sheet = book.sheets.active
    name = sheet.name
    if name in (CHECK_SHEET, TEMPLATES_SHEET):
        raise UsageError(
            f'This is the "{name}" sheet; go to the sheet with your records, then click the '
            "button again."
        )
    return sheet


def read_layout(sheet: Any) -> Layout:
    """Find the header row among the top rows of the used range (two calls into Excel)."""
    last = sheet.used_range.last_cell
    last_row, last_column = last.row, last.column
    top = _grid(sheet.range((1, 1), (min(last_row, HEADER_SEARCH_ROWS), last_column)))
    found = find_header(top)  # (None on an empty sheet: row 1 is then the header row)
    index = found.index if found is not None else 0
    headers = [header_text(c) for c in top[index]]
    while headers and not headers[-1]:
        headers.pop()
    above = tuple(i + 1 for i in found.above) if found is not None else ()
    return Layout(sheet, headers, index + 1, max(last_row, index + 1), last_column, above)


def read_table(sheet: Any) -> tuple[Layout, Table]:
    """Read the whole used range in one call and return it as a Table."""
    layout = read_layout(sheet)
    grid = _grid(sheet.range((1, 1), (layout.last_row, layout.last_column)))
    rows = [_row(r) for r in grid[layout.header_row :]]
    while rows and not any(c is not None for c in rows[-1]):
        rows.pop()
    width = max([len(layout.headers)] + [_used_width(r) for r in rows])
    headers = (layout.headers + [""] * width)[:width]
    if rows:  # values as shown where the number format carries meaning (a call per column)
        last = layout.first_data_row + len(rows) - 1
        for position in range(width):
            runs = column_formats(sheet, position + 1, layout.first_data_row, last)
            apply_to_rows(rows, position, runs, layout.first_data_row)
    table = Table(
        headers,
        [r[:width] for r in rows],
        sheet=sheet.name,
        source=sheet.name,
        header_row=layout.header_row,
        rows_above=layout.rows_above,
    )
    table.unused_columns = unused_columns(headers, table.rows)
    return layout, table


def read_column(layout: Layout, position: int) -> list[Cell]:
    """Return the data cells of one column, read in one call."""
    if not layout.data_rows:
        return []
    cells = _row([r[0] if r else None for r in _grid(layout.column_range(position))])
    runs = column_formats(layout.sheet, position + 1, layout.first_data_row, layout.last_row)
    return apply_formats(cells, runs, layout.first_data_row)


def read_formulas(layout: Layout, position: int) -> list[str]:
    """Return what each data cell of one column holds as typed (formulas start with ``=``)."""
    if not layout.data_rows:
        return []
    raw = layout.column_range(position).formula
    if isinstance(raw, str):
        return [raw]
    return [row[0] if isinstance(row, list | tuple) else row for row in raw]


def _grid(rng: Any) -> list[list[Any]]:
    # err_to_str: an error cell comes as the text Excel shows ("#N/A"), not as an empty cell.
    value = rng.options(ndim=2, err_to_str=True).value
    return [list(r) for r in value]


def _row(values: Sequence[Any]) -> list[Cell]:
    # Excel has no date type of its own: a date comes back as a date-time at midnight.
    return [
        v.date() if type(v) is dt.datetime and v.time() == dt.time() else v
        for v in normalize_row(values)
    ]


def _used_width(row: list[Cell]) -> int:
    width = len(row)
    while width and row[width - 1] is None:
        width -= 1
    return width


def sheet_names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


# --- the app choice and the user's templates --------------------------------------------------


def chosen_app(book: Any) -> str:
    """Return the App ID the ribbon's App list stored in the workbook."""
    names = book.names
    if APP_NAME_KEY not in names:
        raise UsageError(
            'Choose the app in the "App" list on the Cloze tab first, then click Fill App Links '
            "again."
        )
    return app_from_name(names[APP_NAME_KEY].refers_to or "")


def app_from_name(refers_to: str) -> str:
    """Return the text of a defined name holding a constant: ``="zillow.com"`` -> ``zillow.com``."""
    text = refers_to.strip()
    if text.startswith("="):
        text = text[1:].strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text.strip()


def workbook_registry(book: Any) -> tuple[Registry, dict[str, str]]:
    """Return the built-in apps overridden by the App Link Templates sheet, and its settings."""
    registry = load_registry()
    if TEMPLATES_SHEET not in sheet_names(book):
        return registry, {}
    sheet = book.sheets[TEMPLATES_SHEET]
    last = sheet.used_range.last_cell
    grid = _grid(sheet.range((1, 1), (last.row, last.column)))
    entries, settings = read_templates_grid(grid)
    return registry.with_overrides(entries), settings


def read_templates_grid(grid: Sequence[Sequence[Any]]) -> tuple[list[AppEntry], dict[str, str]]:
    """Read the App Link Templates sheet exactly as a templates CSV file is read."""
    # The sheet has the layout of a templates CSV file (header row, one app per row, then the
    # Setting/Value block), so it goes through the same reader and gives the same messages.
    rows = [[cell_text(_row([c])[0]) for c in row] for row in grid]
    if not any(any(c.strip() for c in row) for row in rows):
        return [], {}
    return templates_from_rows(rows, Path(f'the "{TEMPLATES_SHEET}" sheet'))


# --- writing ----------------------------------------------------------------------------------


@dataclass
class Inserted:
    """The columns Insert added: their headers and 1-based sheet columns, in order."""

    plan: list[tuple[int, str]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [h for _, h in self.plan]

    def moved(self, position: int) -> int:
        """Return where the column that was at 0-based ``position`` is after the inserts."""
        for inserted_at, _ in self.plan:
            if position >= inserted_at:
                position += 1
        return position


def ensure_columns(layout: Layout) -> tuple[Layout, Inserted]:
    """Insert the missing App Link columns (whole columns, so rows stay together)."""
    plan = plan_insert(layout.headers)
    if not plan:
        return layout, Inserted()
    sheet = layout.sheet
    headers = list(layout.headers)
    row = layout.header_row
    used = layout.last_column
    for position, header in plan:
        column = position + 1
        if position < used:
            # A used column (even one without a header) moves right; nothing is overwritten.
            letter = column_letter(position)
            sheet.range(f"{letter}:{letter}").insert(shift="right")
            used += 1
        else:
            used = column
        headers += [""] * (position - len(headers))
        headers[position:position] = [header]
        sheet.range((row, column)).value = header
        if header == APP_UNIQUE_ID:
            # Ids typed or pasted later stay text: no lost zeros, no 1.2E+17.
            sheet.range((row + 1, column), (MAX_ROWS, column)).number_format = TEXT_FORMAT
    added = {position + 1 for position, _ in plan}
    for table in sheet.tables:
        _grow_table(sheet, table, row, added)
    return replace(layout, headers=headers, last_column=used), Inserted(plan)


def _grow_table(sheet: Any, table: Any, header_row: int, added: set[int]) -> None:
    """Widen an Excel Table on the header row to take in new columns right after its end."""
    area = table.range
    if area.row != header_row:
        return
    corner = area.last_cell
    last = corner.column
    while last + 1 in added:
        last += 1
    if last != corner.column:
        table.resize(sheet.range((area.row, area.column), (corner.row, last)))


def write_column(layout: Layout, position: int, values: list[Cell], formulas: list[str]) -> None:
    """Write one column of data cells as text, keeping any formula in it.

    Without formulas: the cells are formatted as text first, then written in one call, so an
    id like ``00123`` or ``1234567890123456789`` stays exactly as it is. A column that holds
    formulas is written through ``Range.formula`` instead (formulas kept, text written with
    Excel's ``'`` text prefix), since a text format would turn the formulas into text.
    """
    rng = layout.column_range(position)
    keep = [f if isinstance(f, str) and f.startswith("=") else None for f in formulas]
    if not any(keep):
        rng.number_format = TEXT_FORMAT
        rng.value = [[v] for v in values]
        return
    out: list[list[Any]] = []
    for value, typed, formula in zip(values, formulas, keep, strict=True):
        if formula is not None:
            out.append([formula])
        elif isinstance(value, str):
            out.append(["'" + value])
        elif value is None:
            out.append([""])
        else:
            out.append([typed])  # a number or date the core left alone, as Excel had it
    rng.formula = out


def apply_columns(
    layout: Layout,
    positions: Sequence[int],
    before: Sequence[list[Cell]],
    after: Sequence[list[Cell]],
) -> list[str]:
    """Write the columns whose values changed; return their headers."""
    written: list[str] = []
    for position, old, new in zip(positions, before, after, strict=True):
        if list(old) == list(new):
            continue
        write_column(layout, position, list(new), read_formulas(layout, position))
        written.append(layout.headers[position])
    return written


# --- the buttons ------------------------------------------------------------------------------


def insert_columns(book: Any, ui: Ui) -> str:
    """Insert Columns: add the missing App Link columns to the active sheet."""
    layout = read_layout(data_sheet(book))
    _, inserted = ensure_columns(layout)
    if not inserted.plan:
        return "The four App Link columns are already on this sheet; nothing was changed."
    return f"Added the column{_s(inserted.headers)} {_listing(inserted.headers)}."


def fill_app_links_action(book: Any, ui: Ui) -> str:
    """Fill App Links: fill the four columns for the chosen app from a column of ids."""
    sheet = data_sheet(book)
    app_id = chosen_app(book)
    registry, settings = workbook_registry(book)
    entry = resolve_app(app_id, registry)
    # Render once so a setting nobody gave stops the button before anything is read or written.
    entry.render_url("0", settings=settings)
    layout = read_layout(sheet)
    selected = _selected_column(book, layout)
    layout, inserted = ensure_columns(layout)
    if selected is not None:
        selected = inserted.moved(selected)
    targets = [map_headers(layout.headers).positions[h] for h in APP_LINK_HEADERS]
    uid_position = targets[1]
    before = [read_column(layout, p) for p in targets]
    source = _id_source(layout, selected, targets, before[1])
    if source != uid_position:
        header = layout.headers[source]
        if not ui.confirm(
            f'Fill App Links for {entry.name} with the ids in column "{header}" '
            f"({column_letter(source)})?"
        ):
            return "Nothing was changed."
        ids = read_column(layout, source)
    else:
        ids = before[1]
    sub = Table(["Ids", *APP_LINK_HEADERS], [[i, *r] for i, *r in zip(ids, *before, strict=True)])
    links = LinkSource(app=entry.app_id, id_column="Ids", template_settings=settings)
    result = fill_links(sub, links, registry=registry)
    after = [result.table.column_values(i + 1) for i in range(4)]
    apply_columns(layout, targets, before, after)
    column = f'"{layout.headers[source]}" ({column_letter(source)})'
    text = (
        f"Filled App Links for {entry.name} on {_count(result.filled_rows, 'row')} from column "
        f"{column}."
    )
    return text + _fill_notes(result, inserted)


def from_urls(book: Any, ui: Ui) -> str:
    """From URLs: derive App ID, App Unique ID and App Name from a column of record links."""
    sheet = data_sheet(book)
    registry, _ = workbook_registry(book)
    layout = read_layout(sheet)
    selected = _selected_column(book, layout)
    if selected is None or selected >= len(layout.headers) or not layout.headers[selected]:
        raise UsageError(
            "Select a cell in the column that holds the record links (https://...), then click "
            "From URLs again."
        )
    layout, inserted = ensure_columns(layout)
    selected = inserted.moved(selected)
    header = layout.headers[selected]
    targets = [map_headers(layout.headers).positions[h] for h in APP_LINK_HEADERS]
    before = [read_column(layout, p) for p in targets]
    urls = before[3] if selected == targets[3] else read_column(layout, selected)
    links = [cell_text(u).strip() for u in urls]
    if not any(link.lower().startswith(("http://", "https://")) for link in links):
        raise UsageError(
            f'Column "{header}" ({column_letter(selected)}) has no web links in it; select a '
            "cell in the column with the record links (https://...), then click From URLs again."
        )
    sub = Table(
        ["Links", *APP_LINK_HEADERS], [[u, *r] for u, *r in zip(urls, *before, strict=True)]
    )
    result = fill_links(sub, LinkSource(from_url="Links"), registry=registry)
    after = [result.table.column_values(i + 1) for i in range(4)]
    apply_columns(layout, targets, before, after)
    given = sum(1 for link in links if link)
    text = (
        f"Filled App Links on {_count(result.filled_rows, 'row')} from the links in column "
        f'"{header}" ({column_letter(selected)}).'
    )
    no_id = sum(1 for row in result.table.rows if row[0] is not None and row[1] and not row[2])
    not_records = result.not_records
    if given > result.filled_rows + not_records:
        unused = given - result.filled_rows - not_records
        text += f" {_count(unused, 'link')} had no web address to use."
    if not_records:
        text += (
            f" {_count(not_records, 'link')} pointed at no record (a short link, a map, an email "
            "address or a phone number); paste the link of the record itself, copied from the "
            "browser with the record open."
        )
    if no_id:
        text += (
            f" {_count(no_id, 'link')} did not show a record id; Check Sheet lists "
            f"{'it' if no_id == 1 else 'them'}."
        )
    return text + _fill_notes(result, inserted, ids=False)


def check_sheet(book: Any, ui: Ui) -> str:
    """Check Sheet: highlight problems with live rules and list every issue on a sheet."""
    from applinks.rules import conditional_rules

    sheet = data_sheet(book)
    registry, _ = workbook_registry(book)
    layout, table = read_table(sheet)
    report = check(table, registry=registry)
    _remove_flags(book, sheet, layout)
    report_sheet = _write_check_sheet(book, sheet, table, report.issues, registry)
    sheet.activate()
    # Rules and the App ID list reach a little below the data, so new rows are covered too.
    last_row = min(MAX_ROWS, layout.header_row + len(table.rows) + RULE_ROWS_BELOW)
    rules = conditional_rules(table.headers, first_row=layout.first_data_row, last_row=last_row)
    # Excel reads the formulas in the user's language and reference style: it translates them.
    with LocalFormulas(book, anchor=(layout.first_data_row, 1)) as local:
        if rules:
            # Excel reads a rule's relative references from the active cell, so the first data
            # cell is made active while the rules go in, then the selection is put back.
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
        listed = _add_app_id_list(layout, report_sheet, len(registry.app_ids()), last_row, local)
    text = report.summary(len(table.rows))
    if report.issues:
        text = text[:-1] + f"; the {CHECK_SHEET} sheet lists them with links to the cells."
    highlights = f" Added {_count(len(rules), 'highlighting rule')}"
    highlights += " and a list of known App IDs on the App ID column." if listed else "."
    return text + highlights


def clear_flags(book: Any, ui: Ui) -> str:
    """Clear Flags: remove exactly what Check Sheet added."""
    sheet = data_sheet(book)
    removed = _remove_flags(book, sheet, read_layout(sheet))
    if not any(removed):
        return "There were no Check Sheet flags to remove."
    rules, listed, report = removed
    parts = []
    if rules:
        parts.append(_count(rules, "highlighting rule"))
    if listed:
        parts.append("the App ID list")
    if report:
        parts.append(f"the {CHECK_SHEET} sheet")
    return f"Removed {_listing(parts, quote=False)}."


def save_csv(book: Any, ui: Ui) -> str:
    """Save CSV for Cloze: write the import file beside the workbook (never saves the book)."""
    return _save_csv(book, ui).message


def email_support(book: Any, ui: Ui) -> str:
    """Email to Cloze Support: save the CSV, then write and open an email draft with it."""
    saved = _save_csv(book, ui)
    if saved.path is None:
        return saved.message
    draft = saved.path.with_suffix(".eml")
    force = False
    if draft.exists():
        if not ui.confirm(f'"{draft.name}" already exists beside the workbook. Replace it?'):
            return saved.message + " The existing email draft was kept."
        force = True
    write_draft(saved.path, draft, force=force, rows=saved.rows)
    ui.open_file(draft)
    return (
        f'{saved.message} Wrote the email draft "{draft.name}" to {SUPPORT_ADDRESS} with the '
        "file attached and opened it."
    )


def templates_action(book: Any, ui: Ui) -> str:
    """Templates: create (or go to) the App Link Templates sheet."""
    sheets = book.sheets
    if TEMPLATES_SHEET in sheet_names(book):
        sheets[TEMPLATES_SHEET].activate()
        return (
            f"This is the {TEMPLATES_SHEET} sheet: add or change a row per app; Fill App Links "
            "uses it."
        )
    sheet = sheets.add(TEMPLATES_SHEET, after=sheets[len(sheets) - 1])
    grid = templates_grid(load_registry())
    sheet.range((1, 1), (len(grid), len(grid[0]))).number_format = TEXT_FORMAT
    sheet.range((1, 1)).value = grid
    sheet.range((1, 1), (len(grid), len(TEMPLATE_HEADERS))).columns.autofit()
    sheet.activate()
    return (
        f"Added the {TEMPLATES_SHEET} sheet: one row per app (App ID, App Name, URL Template "
        f"with {{id}}, ID Pattern), account settings from row {SETTINGS_ROW}."
    )


def help_action(book: Any, ui: Ui) -> str:
    """Help: a short description of the buttons."""
    return HELP_TEXT


# --- helpers of the buttons -------------------------------------------------------------------


def tagged_formula(formula: str) -> str:
    """Return a rule's formula (without ``=``) with the Check Sheet tag, as Excel wants it."""
    return f'=AND(N("{FLAG_TAG}")=0,{formula})'


def templates_grid(registry: Registry) -> list[list[str]]:
    """Return the cells of a new App Link Templates sheet."""
    width = len(TEMPLATE_HEADERS) + 2
    grid = [[*TEMPLATE_HEADERS, "", TEMPLATES_HOW_TO]]
    grid += [[""] * width for _ in range(SETTINGS_ROW - 2)]
    grid.append(["Setting", "Value", "Used by", "Default", "", ""])
    users: dict[str, list[AppEntry]] = {}
    for entry in registry.apps:
        for template in entry.kinds.values():
            for name in templates.placeholders(template):
                if name != "id" and entry not in users.setdefault(name, []):
                    users[name].append(entry)
    for name in sorted(users):
        apps = users[name]
        default = next((e.settings[name] for e in apps if e.settings.get(name)), "")
        grid.append([name, "", ", ".join(e.name for e in apps), default, "", ""])
    return grid


@dataclass
class _Saved:
    message: str
    path: Path | None = None
    rows: int = 0


def _save_csv(book: Any, ui: Ui) -> _Saved:
    sheet = data_sheet(book)
    source = _workbook_path(book)
    registry, _ = workbook_registry(book)
    _, table = read_table(sheet)
    report = check(table, registry=registry)
    if report.has_errors and not ui.confirm(
        f"The sheet still has {_count(report.errors, 'error')} that Cloze would reject or "
        "misread (Check Sheet shows them). Save the CSV anyway?"
    ):
        return _Saved("Nothing was saved. Click Check Sheet to see the errors.")
    path = default_output_path(source)
    force = False
    if path.exists():
        if not ui.confirm(f'"{path.name}" already exists beside the workbook. Replace it?'):
            return _Saved("Nothing was saved; the existing file was kept.")
        force = True
    write_cloze_csv(table, path, force=force, inputs=(source,))
    rows = len(table.rows)
    return _Saved(f'Saved {_count(rows, "row")} to "{path.name}" beside the workbook.', path, rows)


def _workbook_path(book: Any) -> Path:
    fullname = str(book.fullname or "")
    path = Path(fullname)
    if "://" in fullname or not path.is_absolute() or not path.parent.is_dir():
        raise UsageError(
            "Save this workbook in a folder on this computer first; the CSV is written beside it."
        )
    return path


def addin_message(error: ApplinksError) -> str:
    """Return what the add-in says about ``error``: its buttons and sheets, not the CLI's options.

    The core's typed errors carry fields; the rest already speak plainly (``str(error)``).
    """
    if isinstance(error, UnknownApp):
        return (
            f'The app "{error.app}" chosen on the Cloze tab is not known; choose another app, or '
            f"add it on the {TEMPLATES_SHEET} sheet (Templates button)."
        )
    if isinstance(error, MissingSettings) and error.app_name:
        return (
            f"The link format for {error.app_name} needs your account's "
            f"{_listing(error.names)}; click Templates on the Cloze tab and enter "
            f"{'it' if len(error.names) == 1 else 'them'} under Setting and Value on the "
            f"{TEMPLATES_SHEET} sheet."
        )
    return str(error)


def _selected_column(book: Any, layout: Layout) -> int | None:
    """Return the 0-based column of the selection on the data sheet, or None."""
    selection = book.app.selection
    if selection is None or selection.sheet.name != layout.sheet.name:
        return None
    return selection.column - 1


def _id_source(
    layout: Layout, selected: int | None, targets: list[int], unique_ids: list[Cell]
) -> int:
    """Pick the id column: the selected one, else App Unique ID when it holds ids."""
    link_columns = set(targets)
    has_ids = any(cell_text(v).strip() for v in unique_ids)
    if (
        selected is not None
        and selected not in link_columns
        and selected < len(layout.headers)
        and layout.headers[selected]
    ):
        if has_ids or any(cell_text(v).strip() for v in read_column(layout, selected)):
            return selected
        raise UsageError(
            f'Column "{layout.headers[selected]}" ({column_letter(selected)}) is empty; select '
            "a cell in the column that holds the record ids, then click Fill App Links again."
        )
    if has_ids:
        return targets[1]
    raise UsageError(
        'Select a cell in the column that holds the record ids (such as "Listing ID"), then '
        "click Fill App Links again."
    )


def _fill_notes(result: FillResult, inserted: Inserted, *, ids: bool = True) -> str:
    text = ""
    if result.kept_cells:
        text += (
            f" Kept {_count(result.kept_cells, 'cell')} that already held other values; clear "
            f"{'it' if result.kept_cells == 1 else 'them'} first to replace "
            f"{'it' if result.kept_cells == 1 else 'them'}."
        )
    if inserted.plan:
        text += f" Added the column{_s(inserted.headers)} {_listing(inserted.headers)}."
    damaged = result.report.counts_by_code().get("unique-id-mangled", 0)
    if ids and damaged:
        text += (
            f" {_count(damaged, 'id')} look{'s' if damaged == 1 else ''} damaged by Excel; "
            "Check Sheet lists them."
        )
    return text


def _remove_flags(book: Any, sheet: Any, layout: Layout) -> tuple[int, bool, bool]:
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


def _write_check_sheet(
    book: Any, data: Any, table: Table, issues: Sequence[Any], registry: Registry
) -> Any:
    """Add the App Link Check sheet after the data sheet: one row per issue, plus App IDs."""
    sheet = book.sheets.add(CHECK_SHEET, after=data)
    grid: list[list[Any]] = [list(CHECK_HEADERS)]
    for issue in issues:
        position = table.index(issue.column)
        cell = f"{column_letter(position if position is not None else 0)}{issue.row}"
        grid.append(
            [
                issue.row,
                issue.column,
                _link_formula(data.name, cell),
                issue.severity,
                issue.code,
                issue.message,
                issue.value,
                issue.suggestion,
            ]
        )
    if not issues:
        grid.append(["", "", "", "", "", "No problems found.", "", ""])
    rows = len(grid)
    # Everything but the links is text, so a value such as "=1+1" is shown, never run.
    sheet.range((2, 2), (rows, 2)).number_format = TEXT_FORMAT
    sheet.range((2, 4), (rows, len(CHECK_HEADERS))).number_format = TEXT_FORMAT
    sheet.range((1, 1)).value = grid
    known = [[app_id] for app_id in registry.app_ids()]
    sheet.range((2, KNOWN_COLUMN), (len(known) + 1, KNOWN_COLUMN)).number_format = TEXT_FORMAT
    sheet.range((1, KNOWN_COLUMN)).value = [["Known App IDs"], *known]
    sheet.range((1, 1), (rows, len(CHECK_HEADERS))).columns.autofit()
    return sheet


#: The column of the App Link Check sheet that holds the known App IDs for the App ID list.
KNOWN_COLUMN = len(CHECK_HEADERS) + 3


def _link_formula(sheet_name: str, cell: str) -> str:
    target = "#'" + sheet_name.replace("'", "''") + "'!" + cell
    return '=HYPERLINK("' + target.replace('"', '""') + '","' + cell + '")'


def _add_app_id_list(
    layout: Layout, report_sheet: Any, count: int, last_row: int, local: LocalFormulas
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
    source = report_sheet.range((2, KNOWN_COLUMN), (count + 1, KNOWN_COLUMN))
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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _s(items: Sequence[object]) -> str:
    return "" if len(items) == 1 else "s"


def _listing(items: Sequence[str], *, quote: bool = True) -> str:
    shown = [f'"{i}"' if quote else i for i in items]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]
