"""What each button of the Cloze ribbon does to the open workbook, through xlwings' own API.

Every function here takes an xlwings ``Book`` and a :class:`Ui` (message boxes, questions,
opening a file) and returns the one line to show the user. They read whole columns in one call
each (:mod:`applinks.excel.ranges`), hand the values to the core (:mod:`applinks.operations`,
:mod:`applinks.checks`, :mod:`applinks.rules`), and write back only the columns that changed, one
call per column, so the number of calls into Excel does not depend on the number of rows. What
Check Sheet adds and Clear Flags removes is in :mod:`applinks.excel.flags`.
:mod:`applinks.excel.actions` runs them with screen updating and calculation switched off.

Nothing here imports xlwings: the objects come from the caller, so the tests can pass an
xlwings book backed by another engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from applinks import templates
from applinks.check_sheet import CHECK_SHEET, CheckSheet, check_sheet_layout
from applinks.checks import check, mangled_reason
from applinks.errors import ApplinksError, MissingSettings, UnknownApp, UsageError
from applinks.excel import sentences
from applinks.excel.flags import (
    FLAG_TAG,
    RULE_ROWS_BELOW,
    add_app_id_list,
    add_rules,
    remove_flags,
    tagged_formula,
    write_check_sheet,
)
from applinks.excel.local_formula import LocalFormulas
from applinks.excel.ranges import (
    APP_NAME_KEY,
    MAX_ROWS,
    TEMPLATES_SHEET,
    TEXT_FORMAT,
    Inserted,
    Layout,
    Steps,
    apply_columns,
    chosen_app,
    column_steps,
    data_sheet,
    ensure_columns,
    formula_steps,
    read_column,
    read_layout,
    read_table,
    run_reads,
    sheet_names,
    table_steps,
    templates_steps,
    workbook_registry,
)
from applinks.files.csv_out import default_output_path, write_cloze_csv
from applinks.files.eml_out import SUPPORT_ADDRESS, check_csv_for_draft, write_draft
from applinks.headers import EXCEL_ERRORS, column_letter, find_column, map_headers
from applinks.issues import Report
from applinks.operations import FillResult, LinkSource, fill_links, resolve_app
from applinks.registry import AppEntry, Registry, load_registry
from applinks.table import APP_LINK_HEADERS, APP_UNIQUE_ID, Cell, Table, cell_text
from applinks.wording import counted as _count
from applinks.wording import listing as _listing

#: The names the add-in and its tests use from here (some live in the modules named above).
__all__ = [
    "APP_NAME_KEY",
    "CHECK_SHEET",
    "FLAG_TAG",
    "HELP_TEXT",
    "TEMPLATES_SHEET",
    "TITLE",
    "Ui",
    "check_sheet",
    "clear_flags",
    "email_support",
    "fill_app_links_action",
    "from_urls",
    "help_action",
    "insert_columns",
    "read_table",
    "save_csv",
    "tagged_formula",
    "templates_action",
    "templates_grid",
]

TITLE = "Cloze App Links"
#: Where the settings block starts on the App Link Templates sheet.
SETTINGS_ROW = 20

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


# --- the buttons ------------------------------------------------------------------------------


def insert_columns(book: Any, ui: Ui) -> str:
    """Insert Columns: add the missing App Link columns to the active sheet."""
    layout = _data_layout(data_sheet(book))
    _, inserted = ensure_columns(layout)
    return sentences.inserted_message(inserted)


def fill_app_links_action(book: Any, ui: Ui) -> str:
    """Fill App Links: fill the four columns for the chosen app from a column of ids."""
    sheet = data_sheet(book)
    app_id = chosen_app(book)
    registry, settings = workbook_registry(book)
    entry = settled_app(app_id, registry, settings)
    layout = _data_layout(sheet)
    # Everything that can stop the button is settled on the sheet as it is, before the columns
    # go in: a refusal or a "No" leaves the sheet as it was.
    uid_at, candidate = id_columns(layout, _selected_column(book, layout))
    old_ids = read_column(layout, uid_at) if uid_at is not None else []
    chosen = read_column(layout, candidate) if candidate is not None else []
    source = id_source(layout, candidate, chosen, uid_at, old_ids)
    if source != uid_at:
        if not ui.confirm(
            f"Fill App Links for {entry.name} with the ids in column "
            f'"{layout.headers[source]}" ({column_letter(source)})?'
        ):
            return "Nothing was changed."
        ids: list[Cell] | None = chosen
    else:
        ids = None  # the App Unique ID column itself
    layout, inserted = ensure_columns(layout)
    source = inserted.moved(source)
    columns = run_reads(link_columns_steps(layout))
    return columns.write(fill_outcome(columns, entry, settings, registry, source, ids), inserted)


@dataclass
class LinkColumns:
    """The four App Link columns as read before a fill: where they are, their cells as shown
    (``before``) and as typed (``formulas``)."""

    layout: Layout
    targets: list[int]
    before: list[list[Cell]]
    formulas: list[list[str]]
    #: Whether each data row holds anything (a blank row is no record, and not named).
    used: list[bool]

    def write(self, outcome: Outcome, inserted: Inserted) -> str:
        """Write the columns ``outcome`` changed; return its line."""
        apply_columns(self.layout, self.targets, self.before, outcome.after, self.formulas)
        return outcome.message(inserted)

    def blank_formulas(
        self, seen: list[list[Cell]], after: list[list[Cell]]
    ) -> list[tuple[str, str]]:
        """Return the cells (``"App ID" in row 3``) whose formula shows nothing or an error
        where the fill would have written a value (``after`` differs from what it saw,
        ``seen``), each with the error it shows ("" for nothing); the formula stays and
        ``after`` keeps what it shows."""
        blank: list[tuple[str, str]] = []
        layout = self.layout
        columns = zip(self.targets, self.formulas, self.before, seen, after, strict=True)
        for position, typed, old, saw, new in columns:
            for index, formula in enumerate(typed):
                if not (isinstance(formula, str) and formula.startswith("=")):
                    continue
                error = str(old[index]) if _shows_error(formula, old[index]) else ""
                if new[index] != saw[index]:
                    row = layout.first_data_row + index
                    blank.append((f'"{layout.headers[position]}" in row {row}', error))
                new[index] = old[index]
        return blank


def link_columns_steps(layout: Layout) -> Steps[LinkColumns]:
    """Read the four App Link columns (all on the sheet): their cells, then their formulas."""
    targets = [map_headers(layout.headers).positions[h] for h in APP_LINK_HEADERS]
    before = []
    for position in targets:
        before.append((yield from column_steps(layout, position)))
    formulas = []
    for position in targets:
        formulas.append((yield from formula_steps(layout, position)))
    used: list[bool] = []
    if layout.data_rows:  # the whole data range, in one call: which rows hold anything
        grid = yield (
            "values",
            layout.sheet.range((layout.first_data_row, 1), (layout.last_row, layout.last_column)),
        )
        used = [any(c is not None and c != "" for c in row) for row in grid]
    return LinkColumns(layout, targets, before, formulas, used)


@dataclass
class Outcome:
    """What Fill or From URLs computed: the four columns to write, and the line to say."""

    after: list[list[Cell]]
    result: FillResult
    blank: list[tuple[str, str]]
    #: The first sentence's column (Fill) or header and position (From URLs).
    column: str = ""
    app_name: str = ""
    links: list[str] | None = None
    position: int = 0

    def message(self, inserted: Inserted) -> str:
        if self.links is None:
            return sentences.fill_message(
                self.result, self.app_name, self.column, inserted, self.blank
            )
        return sentences.from_urls_message(
            self.result, self.column, self.position, inserted, self.blank
        )


def settled_app(app_id: str, registry: Registry, settings: dict[str, str]) -> AppEntry:
    """Return the app to fill; raise before anything is read or written when it is unknown or
    its link needs an account setting nobody gave."""
    entry = resolve_app(app_id, registry)
    entry.render_url("0", settings=settings)
    return entry


def id_columns(layout: Layout, selected: int | None) -> tuple[int | None, int | None]:
    """Return where App Unique ID is, and the selected column when it can hold the ids (not an
    App Link column, not past the headers, not without a header)."""
    present = map_headers(layout.headers).positions
    links_at = {present[h] for h in APP_LINK_HEADERS if h in present}
    usable = (
        selected is not None
        and selected not in links_at
        and selected < len(layout.headers)
        and bool(layout.headers[selected])
    )
    return present.get(APP_UNIQUE_ID), selected if usable else None


def id_source(
    layout: Layout,
    candidate: int | None,
    chosen: list[Cell],
    uid_at: int | None,
    unique_ids: list[Cell],
) -> int:
    """Pick the id column: the selected ``candidate`` (its cells ``chosen``), else App Unique
    ID (at ``uid_at``, its cells ``unique_ids``) when it holds ids."""
    has_ids = any(cell_text(v).strip() for v in unique_ids)
    if candidate is not None:
        if has_ids or any(cell_text(v).strip() for v in chosen):
            return candidate
        raise UsageError(
            f'Column "{layout.headers[candidate]}" ({column_letter(candidate)}) is empty; '
            "select a cell in the column that holds the record ids, then click Fill App Links "
            "again."
        )
    if has_ids and uid_at is not None:
        return uid_at
    raise UsageError(
        'Select a cell in the column that holds the record ids (such as "Listing ID"), then '
        "click Fill App Links again."
    )


def fill_outcome(
    columns: LinkColumns,
    entry: AppEntry,
    settings: dict[str, str],
    registry: Registry,
    source: int,
    ids: list[Cell] | None,
) -> Outcome:
    """Fill the four ``columns`` from the ids at ``source`` (None: App Unique ID's own); a
    damaged id stays the number it is, a formula stays."""
    layout, before = columns.layout, columns.before
    seen = _errors_as_blank(before, columns.formulas, ids=1 if ids is None else None)
    sub, id_column = fill_table(layout, source, ids, seen, columns.used)
    links = LinkSource(app=entry.app_id, id_column=id_column, template_settings=settings)
    result = fill_links(sub, links, registry=registry)
    offset = 0 if ids is None else 1
    after = [result.table.column_values(i + offset) for i in range(4)]
    _keep_damaged_ids(ids if ids is not None else before[1], before[1], after[1])
    blank = columns.blank_formulas(seen, after)
    column = f'"{layout.headers[source]}" ({column_letter(source)})'
    return Outcome(after, result, blank, column=column, app_name=entry.name)


def fill_table(
    layout: Layout,
    source: int,
    ids: list[Cell] | None,
    before: list[list[Cell]],
    used: list[bool],
) -> tuple[Table, str | None]:
    """Return the table Fill works on (the ids, then the four App Link columns) and the header
    of its id column (None: the App Unique ID column). It keeps the sheet's header row and,
    where it cannot be taken for another column, the id column's header, so the rows not
    filled are named as the sheet has them."""
    # A row that holds something elsewhere is a record, though these columns may be blank on
    # it (named when it has no id); a blank row is none, as on the command line.
    marks = [_IN_RANGE if u else None for u in used]
    if ids is None:
        rows = [list(r) for r in zip(*before, marks, strict=True)]
        headers = [*APP_LINK_HEADERS, _IN_RANGE]
        return Table(headers, rows, header_row=layout.header_row), None
    header = layout.headers[source]
    plain = map_headers([header, *APP_LINK_HEADERS]).positions
    wanted = {h: i for i, h in enumerate(APP_LINK_HEADERS, start=1)}
    label = header if plain == wanted and find_column([header], header) == 0 else "Ids"
    rows = [[i, *r] for i, *r in zip(ids, *before, marks, strict=True)]
    headers = [label, *APP_LINK_HEADERS, _IN_RANGE]
    return Table(headers, rows, header_row=layout.header_row), label


_IN_RANGE = "In the used range"


def from_urls(book: Any, ui: Ui) -> str:
    """From URLs: derive App ID, App Unique ID and App Name from a column of record links."""
    sheet = data_sheet(book)
    registry, _ = workbook_registry(book)
    layout = _data_layout(sheet)
    selected = links_column(layout, _selected_column(book, layout))
    # The links are read and judged before the columns go in: a refusal leaves the sheet as is.
    urls = read_column(layout, selected)
    refuse_no_links(layout, selected, urls)
    layout, inserted = ensure_columns(layout)
    selected = inserted.moved(selected)
    columns = run_reads(link_columns_steps(layout))
    return columns.write(from_urls_outcome(columns, registry, selected, urls), inserted)


def links_column(layout: Layout, selected: int | None) -> int:
    """Return the selected column of links, refusing a selection outside the headed columns."""
    if selected is None or selected >= len(layout.headers) or not layout.headers[selected]:
        raise UsageError(
            "Select a cell in the column that holds the record links (https://...), then click "
            "From URLs again."
        )
    return selected


def refuse_no_links(layout: Layout, selected: int, urls: list[Cell]) -> None:
    """Refuse a selected column without a single web link in it."""
    if not any(cell_text(u).strip().lower().startswith(("http://", "https://")) for u in urls):
        raise UsageError(
            f'Column "{layout.headers[selected]}" ({column_letter(selected)}) has no web links '
            "in it; select a cell in the column with the record links (https://...), then "
            "click From URLs again."
        )


def from_urls_outcome(
    columns: LinkColumns, registry: Registry, selected: int, urls: list[Cell]
) -> Outcome:
    """Derive the four ``columns`` from the links ``urls`` of the column now at ``selected``;
    a formula stays."""
    layout, before = columns.layout, columns.before
    seen = _errors_as_blank(before, columns.formulas)
    sub = Table(
        ["Links", *APP_LINK_HEADERS],
        [[u, *r] for u, *r in zip(urls, *seen, strict=True)],
        header_row=layout.header_row,  # rows named as the sheet numbers them
    )
    result = fill_links(sub, LinkSource(from_url="Links"), registry=registry)
    after = [result.table.column_values(i + 1) for i in range(4)]
    blank = columns.blank_formulas(seen, after)
    links = [cell_text(u).strip() for u in urls]
    return Outcome(
        after, result, blank, column=layout.headers[selected], links=links, position=selected
    )


def check_sheet(book: Any, ui: Ui) -> str:
    """Check Sheet: highlight problems with live rules and list every issue on a sheet."""
    from applinks.rules import conditional_rules

    sheet = data_sheet(book)
    registry, layout, table, report = run_reads(checked_steps(book, sheet))
    remove_flags(book, sheet, layout)
    listing = report_listing(report, sheet, table, registry)
    report_sheet = write_check_sheet(book, sheet, listing)
    sheet.activate()
    last_row = rules_end(layout, table)
    rules = conditional_rules(table.headers, first_row=layout.first_data_row, last_row=last_row)
    # Excel reads the formulas in the user's language and reference style: it translates them.
    with LocalFormulas(book, anchor=(layout.first_data_row, 1)) as local:
        add_rules(book, layout, rules, local)
        listed = add_app_id_list(layout, report_sheet, listing, last_row, local)
    return sentences.check_message(report, len(table.rows), len(rules), listed=listed)


def checked_steps(book: Any, sheet: Any) -> Steps[tuple[Registry, Layout, Table, Report]]:
    """Read the workbook's apps and the data ``sheet`` (refusing an empty one) and check it;
    return the apps, where the data is, the data and the report."""
    registry, _ = yield from templates_steps(book)
    layout, table = yield from table_steps(sheet)
    refuse_empty(layout)
    return registry, layout, table, check(table, registry=registry)


def report_listing(report: Report, sheet: Any, table: Table, registry: Registry) -> CheckSheet:
    """Return what the App Link Check sheet lists for ``report`` on the data ``sheet``."""
    return check_sheet_layout(
        report,
        data_title=sheet.name,
        headers=table.headers,
        rows=len(table.rows),
        app_ids=registry.app_ids(),
    )


def rules_end(layout: Layout, table: Table) -> int:
    """Return the last row Check Sheet's rules and App ID list reach."""
    # A little below the data, so new rows are covered too.
    return min(MAX_ROWS, layout.header_row + len(table.rows) + RULE_ROWS_BELOW)


def clear_flags(book: Any, ui: Ui) -> str:
    """Clear Flags: remove exactly what Check Sheet added."""
    sheet = data_sheet(book)
    return sentences.cleared_message(*remove_flags(book, sheet, read_layout(sheet)))


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
    # The CSV as written is what is sent: its records and errors are the CSV reader's.
    registry, _ = workbook_registry(book)
    report = check_csv_for_draft(saved.path, registry=registry)
    write_draft(saved.path, draft, force=force, rows=report.rows)
    ui.open_file(draft)
    text = (
        f'{saved.message} Wrote the email draft "{draft.name}" to {SUPPORT_ADDRESS} with the '
        "file attached and opened it."
    )
    if report.has_errors:
        text += (
            f" The file still has {_count(report.errors, 'error')} that Cloze would reject or "
            "misread; Check Sheet shows them."
        )
    return text


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
    _, _, table, report = run_reads(checked_steps(book, sheet))
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


def _data_layout(sheet: Any) -> Layout:
    """Return where the data is on ``sheet``, refusing an empty sheet as the command line does."""
    layout = read_layout(sheet)
    refuse_empty(layout)
    return layout


def refuse_empty(layout: Layout) -> None:
    """Refuse an empty sheet as the command line does."""
    if not layout.headers:
        raise UsageError(
            f'The sheet "{layout.sheet.name}" has nothing in it: the sheet is empty. Go to the '
            "sheet with your records, then click the button again."
        )


def _keep_damaged_ids(ids: list[Cell], before: list[Cell], after: list[Cell]) -> None:
    """Put back, as the number it is, each id Excel has damaged that the fill wrote as text.

    Check Sheet (like the command line's check) recognises a damaged id by its being a number;
    written as text it would pass every later check and be saved truncated.
    """
    for index, (raw, old, new) in enumerate(zip(ids, before, after, strict=True)):
        if new != old and type(raw) is not str and mangled_reason(raw):
            after[index] = raw


def _errors_as_blank(
    before: list[list[Cell]], formulas: list[list[str]], *, ids: int | None = None
) -> list[list[Cell]]:
    """Return the App Link columns as the fill is to see them: a formula that shows an error
    (``#N/A``) as an empty cell, like one that shows nothing, so the fill names it rather than
    keeping it as a value. The column at ``ids`` (the ids the fill reads) stays as it is."""
    return [
        old
        if i == ids
        else [None if _shows_error(f, v) else v for f, v in zip(typed, old, strict=True)]
        for i, (old, typed) in enumerate(zip(before, formulas, strict=True))
    ]


def _shows_error(formula: str, value: Cell) -> bool:
    return isinstance(formula, str) and formula.startswith("=") and value in EXCEL_ERRORS
