"""The xlwings Lite scripts on the in-memory grid held to Lite's API (tests/lite/lite_engine.py).

Most tests run a script beside its ribbon action, each on its own copy of one workbook: the
line the user reads and the whole workbook after (cells, formulas, number formats, Tables,
highlighting rules, sheets) must be the same, except where Lite cannot do what the desktop
does (no App ID list: Lite cannot let a list accept other values; no autofit).
"""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from typing import Any

import pytest

from applinks.excel import actions
from applinks.lite import scripts

from ..ribbon_actions import grid_engine
from ..ribbon_actions.conftest import cells, make_book, sheet_model
from ..ribbon_actions.test_actions import LISTINGS, LISTINGS_CELLS, LISTINGS_FILLED, ZILLOW
from ..ribbon_actions.test_same_answers import (
    BLANK_CELLS,
    BLANK_FILLED,
    DAMAGED,
    DAMAGED_CELLS,
    DAMAGED_CHECKED,
    DAMAGED_FILLED,
    DAMAGED_LISTED,
    EMPTY,
    WITH_BLANK,
    listed_in_row_2,
)
from .lite_engine import NotInLite, lite, load

COLUMNS_ADDED = 'Added the columns "App ID", "App Unique ID", "App Name" and "App Content URL".'


def to_front(book: Any) -> None:
    """Make the book's Excel the active one (xlwings activates sheets through it)."""
    apps = book.app.impl.engine.apps._apps
    apps.insert(0, apps.pop(apps.index(book.app.impl)))


def desktop_run(book: Any, name: str, *answers: str) -> str:
    """Run the ribbon action; return the one line it showed."""
    to_front(book)
    app = book.app.impl
    app.answers = list(answers)
    before = len(app.alerts)
    actions.run(name, book=book)
    assert app.answers == []
    return app.alerts[before:][-1][0]


def lite_book(engine: grid_engine.Engine, rows: list[list[Any]], **options: Any) -> Any:
    with lite():
        return make_book(engine, rows, **options)


def lite_run(book: Any, name: str) -> str:
    to_front(book)
    load(book)
    with lite():
        return asyncio.run(scripts.run(name, book))


def state(book: Any) -> dict[str, Any]:
    """Everything a script leaves in the workbook that the user can see."""
    model = book.impl.model
    return {
        "sheets": [s.name for s in model.sheets],
        "active": model.sheets[model.active].name,
        "cells": {s.name: cells(book, s.name) for s in model.sheets},
        "formats": {s.name: [(r.a1(), f) for r, f in s.formats] for s in model.sheets},
        "tables": {s.name: [(t.name, t.rect.a1()) for t in s.tables] for s in model.sheets},
        "rules": {
            s.name: [(r.rect.a1(), r.formula, r.fill_color, r.font_color) for r in s.rules]
            for s in model.sheets
        },
        "names": dict(model.names),
    }


def twins(engine, rows, **options):
    """Return two copies of one workbook: for the ribbon action and for the Lite script."""
    return make_book(engine, rows, **options), lite_book(engine, rows, **options)


def on_both(engine, rows, name: str, *answers: str, **options: Any) -> tuple[str, dict[str, Any]]:
    """Run the script ``name`` and its ribbon action (answering ``answers``) on twins; check
    that they say the same line and leave the same workbook; return the line and the state."""
    desktop, lite_copy = twins(engine, rows, **options)
    line = lite_run(lite_copy, name)
    assert line == desktop_run(desktop, name, *answers)
    assert state(lite_copy) == state(desktop)
    return line, state(lite_copy)


# --- Insert Columns ---------------------------------------------------------------------------


def test_insert_columns_is_the_ribbon_action(engine):
    desktop, lite_copy = twins(engine, LISTINGS)
    for book in (desktop, lite_copy):
        sheet_model(book).tables.append(grid_engine.TableModel("L", grid_engine.Rect(1, 1, 4, 3)))

    assert lite_run(lite_copy, "insert_columns") == desktop_run(desktop, "insert_columns")
    assert state(lite_copy) == state(desktop)
    assert state(lite_copy)["cells"]["Deals"] == [
        ["Name", "Listing ID", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL"],
        ["12 Oak St", "00123456", "Active", None, None, None, None],
        ["3 Elm Ave", 59187422.0, "Potential", None, None, None, None],
        ["9 Pine Rd", None, "Done", None, None, None, None],
    ]
    assert state(lite_copy)["tables"]["Deals"] == [("L", "A1:G4")]
    assert lite_run(lite_copy, "insert_columns") == (
        "The four App Link columns are already on this sheet; nothing was changed."
    )


@pytest.mark.parametrize(
    "headers",
    [
        ["Name", "App ID", "Listing URL", "App Content URL"],  # inserts inside the Table
        ["Name", "App ID", "X"],  # inserts inside it, up to its end
        ["App Content URL", "Name"],  # inserts at its first column
        ["App Unique ID"],  # moves it right, then takes in the columns written after it
    ],
    ids=["inside", "up-to-the-end", "at-the-start", "moved-then-widened"],
)
def test_insert_columns_grows_a_table_as_the_ribbon_does(engine, headers):
    rows = [headers, [f"v{i}" for i in range(len(headers))]]
    desktop, lite_copy = twins(engine, rows)
    for book in (desktop, lite_copy):
        table = grid_engine.TableModel("T", grid_engine.Rect(1, 1, 2, len(headers)))
        sheet_model(book).tables.append(table)

    assert lite_run(lite_copy, "insert_columns") == desktop_run(desktop, "insert_columns")
    assert state(lite_copy) == state(desktop)


# --- Fill App Links ---------------------------------------------------------------------------


def test_fill_from_the_selected_column_goes_ahead_without_asking(engine):
    line, after = on_both(engine, LISTINGS, "fill_app_links", "yes", select="B3")
    assert line == LISTINGS_FILLED
    assert after["cells"]["Deals"] == LISTINGS_CELLS


FORMULA = '="https://z.test/"&C3'
WITH_FORMULA = [
    ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"],
    ["12 Oak St", None, "00123456", None, None],
    ["3 Elm Ave", "zillow.com", "59187422", "My Zillow", (FORMULA, "https://z.test/59187422")],
    ["9 Pine Rd", None, "77777777", None, None],
]


def test_fill_from_app_unique_id_keeps_other_values_and_formulas(engine):
    line, after = on_both(engine, WITH_FORMULA, "fill_app_links", select="D2")
    assert line == (
        'Filled App Links for Zillow on 3 rows from column "App Unique ID" (C). Kept 2 cells '
        "that already held other values; clear them first to replace them."
    )
    assert after["cells"]["Deals"][2] == [
        "3 Elm Ave",
        "zillow.com",
        "59187422",
        "My Zillow",
        FORMULA,
    ]


def test_fill_without_a_chosen_app_takes_the_first_app_id_on_the_sheet(engine):
    desktop, lite_copy = twins(engine, WITH_FORMULA, select="D2", app=None)

    assert lite_run(lite_copy, "fill_app_links") == (
        'Filled App Links for Zillow on 3 rows from column "App Unique ID" (C). Kept 2 cells '
        "that already held other values; clear them first to replace them."
    )
    # The same cells as the ribbon action with Zillow chosen in the App list.
    desktop.impl.model.names["ClozeAppLinks_App"] = '="zillow.com"'
    desktop_run(desktop, "fill_app_links")
    assert state(lite_copy)["cells"] == state(desktop)["cells"]


def test_fill_without_any_app_id_says_where_to_type_it(engine):
    book = lite_book(engine, LISTINGS, select="B2", app=None)
    before = state(book)

    assert lite_run(book, "fill_app_links") == (
        "Type the App ID of your records' app (such as zillow.com) in the first row of the App "
        "ID column, then run Fill App Links again."
    )
    assert state(book) == before


def test_fill_with_a_setting_missing_is_the_ribbon_sentence(engine):
    line, _ = on_both(engine, LISTINGS, "fill_app_links", select="B2", app="buildium.com")
    assert line == (
        'The link format for Buildium needs your account\'s "subdomain"; click Templates on the '
        "Cloze tab and enter it under Setting and Value on the App Link Templates sheet."
    )


def test_fill_without_ids_is_the_ribbon_sentence(engine):
    line, _ = on_both(engine, LISTINGS, "fill_app_links", select="F2")  # no column there
    assert line == (
        'Select a cell in the column that holds the record ids (such as "Listing ID"), then '
        "click Fill App Links again."
    )


def test_fill_keeps_a_damaged_id_as_the_ribbon_does_and_check_sheet_lists_it(engine):
    line, after = on_both(engine, DAMAGED, "fill_app_links", "yes", select="B2")
    assert (line, after["cells"]["Deals"]) == (DAMAGED_FILLED, DAMAGED_CELLS)

    lite_copy = lite_book(engine, DAMAGED, select="B2")
    lite_run(lite_copy, "fill_app_links")
    assert lite_run(lite_copy, "check_sheet") == DAMAGED_CHECKED + "."
    assert listed_in_row_2(lite_copy) == DAMAGED_LISTED


def test_fill_keeps_a_formula_that_shows_nothing_as_the_ribbon_does(engine):
    line, after = on_both(engine, WITH_BLANK, "fill_app_links", "yes", select="B2")
    assert (line, after["cells"]["Deals"]) == (BLANK_FILLED, BLANK_CELLS)


@pytest.mark.parametrize(
    "name", ["insert_columns", "fill_app_links", "from_urls", "check_sheet", "cloze_csv"]
)
def test_an_empty_sheet_is_refused_as_the_ribbon_refuses_it(engine, name):
    book = lite_book(engine, [])
    before = state(book)

    assert lite_run(book, name) == EMPTY
    assert state(book) == before


# --- From URLs --------------------------------------------------------------------------------

LINKS = [
    ["Name", "Listing URL"],
    ["12 Oak St", ZILLOW.format("59187422")],
    [
        "3 Elm Ave",
        "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view",
    ],
    ["9 Pine Rd", "https://www.example.com/deal/7"],
    ["1 Ash Ct", None],
]


def test_from_urls_is_the_ribbon_action(engine):
    line, after = on_both(engine, LINKS, "from_urls", select="B2")
    example = "https://www.example.com/deal/7"
    assert line == (
        'Filled App Links on 2 rows from the links in column "Listing URL" (B). Added the '
        'columns "App ID", "App Unique ID", "App Name" and "App Content URL". Not filled: 1 '
        f'row. Row 4: no record id was found in the link "{example}", so the App Unique ID '
        "was left empty; paste the link of the record itself, copied from the browser with the "
        "record open."
    )
    zillow = "https://www.zillow.com/homedetails/59187422_zpid/"
    salesforce = "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view"
    assert after["cells"]["Deals"] == [
        ["Name", "Listing URL", "App ID", "App Unique ID", "App Name", "App Content URL"],
        ["12 Oak St", zillow, "zillow.com", "59187422", "Zillow", zillow],
        [
            "3 Elm Ave",
            salesforce,
            "salesforce.com",
            "006j000000Pkp1dAAA",
            "Salesforce",
            salesforce,
        ],
        ["9 Pine Rd", example, "example.com", None, None, example],
        ["1 Ash Ct", None, None, None, None, None],
    ]


def test_from_urls_refuses_a_column_without_links(engine):
    line, _ = on_both(engine, LINKS, "from_urls", select="A2")
    assert line == (
        'Column "Name" (A) has no web links in it; select a cell in the column with the record '
        "links (https://...), then click From URLs again."
    )


def test_from_urls_names_links_that_point_at_no_record_as_the_ribbon_does(engine):
    rows = [*LINKS, ["2 Fir Ln", "https://maps.app.goo.gl/abc"], ["4 Oak Ln", "mailto:a@b.test"]]
    line, _ = on_both(engine, rows, "from_urls", select="B2")
    paste = "paste the link of the record itself, copied from the browser with the record open."
    assert line == (
        'Filled App Links on 2 rows from the links in column "Listing URL" (B). Added the '
        'columns "App ID", "App Unique ID", "App Name" and "App Content URL". Not filled: 3 '
        'rows. Row 4: no record id was found in the link "https://www.example.com/deal/7", so '
        f"the App Unique ID was left empty; {paste} "
        'Row 6: "https://maps.app.goo.gl/abc" is not the link of a record (a map), so the row '
        f"was left without an App ID; {paste} "
        'Row 7: "mailto:a@b.test" is not the link of a record (an email address), so the row '
        f"was left without an App ID; {paste}"
    )


# --- Check Sheet and Clear Flags --------------------------------------------------------------

TO_CHECK = [
    ["Name", "App ID", "App Unique ID", "App Name", "App Content URL", "Stage"],
    ["12 Oak St", "Zillow.com", "59187422", "Zillow", ZILLOW.format("59187422"), "Active"],
    [None, "zillow.com", "1.42E+18", "Zillow", "zillow.com/x", "Sold"],
    ["9 Pine Rd", "zillow.com", "59187422", None, ZILLOW.format("59187422"), "Done"],
]


def test_check_sheet_is_the_ribbon_action_without_the_app_id_list(engine):
    desktop, lite_copy = twins(engine, TO_CHECK)

    message = lite_run(lite_copy, "check_sheet")

    assert message == desktop_run(desktop, "check_sheet").replace(
        " and a list of known App IDs on the App ID column.", "."
    )
    assert message.startswith("6 errors, 3 warnings in 3 rows; the App Link Check sheet lists")
    assert state(lite_copy) == state(desktop)
    assert state(lite_copy)["sheets"] == ["Deals", "App Link Check"]
    lite_rules = sheet_model(lite_copy).rules
    assert {r.anchor[1:] for r in lite_rules} == {"2"}  # every rule reads from data row 2
    assert sheet_model(lite_copy).validations == []


def test_clear_flags_removes_exactly_what_check_sheet_added(engine):
    book = lite_book(engine, TO_CHECK)
    before = state(book)
    lite_run(book, "check_sheet")
    rules = len(sheet_model(book).rules)

    assert lite_run(book, "clear_flags") == (
        f"Removed {rules} highlighting rules and the App Link Check sheet."
    )
    assert state(book) == before
    assert lite_run(book, "clear_flags") == "There were no Check Sheet flags to remove."


def test_check_sheet_refuses_its_own_sheet(engine):
    book = lite_book(engine, TO_CHECK, sheets={"App Link Check": [["Row"]]})
    book.impl.model.active = 1
    assert lite_run(book, "check_sheet") == (
        'This is the "App Link Check" sheet; go to the sheet with your records, then click the '
        "button again."
    )


# --- the Cloze CSV ----------------------------------------------------------------------------

FOR_CSV = [
    ["Deals of 2026"],
    [None],
    ["Name", "App ID", "App Unique ID", "Zip", "Note"],
    ["12 Oak St", "zillow.com", "00123456", 1742, "'=1+1"],
    ["3 Elm Ave", "zillow.com", 59187422, 2108, 'says "hi", twice'],
]


def test_cloze_csv_puts_exactly_the_files_rows_on_a_sheet(engine, tmp_path: Path):
    desktop = make_book(engine, FOR_CSV, folder=tmp_path)
    lite_copy = lite_book(engine, FOR_CSV)
    for book in (desktop, lite_copy):
        sheet_model(book).formats.append((grid_engine.Rect(4, 4, 5, 4), "00000"))

    message = lite_run(lite_copy, "cloze_csv")

    desktop_run(desktop, "save_csv")
    with (tmp_path / "Deals - Cloze import.csv").open(encoding="utf-8-sig", newline="") as f:
        file_rows = list(csv.reader(f))
    assert file_rows == [
        ["Name", "App ID", "App Unique ID", "Zip", "Note"],
        ["12 Oak St", "zillow.com", "00123456", "01742", "=1+1"],
        ["3 Elm Ave", "zillow.com", "59187422", "02108", 'says "hi", twice'],
    ]
    shown = [[v or "" for v in row] for row in cells(lite_copy, "Cloze CSV")]
    assert shown == file_rows
    assert state(lite_copy)["formats"]["Cloze CSV"] == [("A1:E3", "@")]
    assert state(lite_copy)["sheets"] == ["Deals", "Cloze CSV"]
    assert message == (
        'Put 2 rows of the Cloze import file on the "Cloze CSV" sheet. To save it as a file, '
        "stay on that sheet and choose File > Save a Copy (on the web: File > Export > Download "
        'as CSV UTF-8) with the file type "CSV UTF-8 (Comma delimited)"; only that sheet is '
        "saved."
    )
    # The new sheet is the active one, ready to save; the script does not read it as data.
    assert state(lite_copy)["active"] == "Cloze CSV"
    assert lite_run(lite_copy, "cloze_csv") == (
        'This is the "Cloze CSV" sheet; go to the sheet with your records, then run the script '
        "again."
    )
    # From the records again: the sheet is replaced, not added twice.
    lite_copy.impl.model.active = 0
    lite_run(lite_copy, "cloze_csv")
    assert state(lite_copy)["sheets"] == ["Deals", "Cloze CSV"]
    assert cells(lite_copy, "Cloze CSV") == [[v or None for v in row] for row in file_rows]


def test_cloze_csv_with_errors_says_so(engine):
    book = lite_book(engine, TO_CHECK)
    assert lite_run(book, "cloze_csv").endswith(
        " The sheet still has 6 errors that Cloze would reject or misread (Check Sheet shows them)."
    )
    assert cells(book, "Cloze CSV")[0] == TO_CHECK[0]


# --- calls into Excel -------------------------------------------------------------------------


def test_calls_into_excel_are_the_same_for_100_and_5000_rows(engine):
    def calls(rows: int, name: str) -> int:
        grid = [["Name", "Listing ID"]] + [[f"{i} Oak St", f"{i:08d}"] for i in range(rows)]
        book = lite_book(engine, grid, select="B2")
        engine.calls.clear()
        lite_run(book, "fill_app_links")
        lite_run(book, name)
        return len(engine.calls)

    for name in ("check_sheet", "cloze_csv"):
        assert calls(100, name) == calls(5000, name), name


# --- running ----------------------------------------------------------------------------------


def test_an_unexpected_error_is_one_line(engine, monkeypatch):
    book = lite_book(engine, LISTINGS)

    async def broken(book):
        raise KeyError("boom")

    monkeypatch.setitem(scripts.ACTIONS, "insert_columns", broken)
    assert lite_run(book, "insert_columns") == (
        "Insert Columns stopped because of an unexpected problem (KeyError: 'boom')."
    )


def test_the_stand_in_refuses_what_lite_does_not_offer(engine):
    book = lite_book(engine, LISTINGS)
    with lite():
        rng = book.sheets["Deals"].range("A1:A2")
        refused = []
        for read in (
            lambda: rng.value,
            lambda: rng.number_format,
            lambda: rng.formula,
            lambda: book.app.selection,
            lambda: book.app.alert("x"),
            lambda: rng.data_validation,
            lambda: rng.autofit(),
        ):
            with pytest.raises(NotInLite) as raised:
                read()
            refused.append(str(raised.value).split(" is not")[0])
        assert asyncio.run(rng.options(ndim=2).get_value()) == [["Name"], ["12 Oak St"]]
    assert refused == [
        "Reading Range.value",
        "Reading Range.number_format",
        "Reading Range.formula",
        "App.selection",
        "App.alert()",
        "Range.data_validation",
        "Range.autofit()",
    ]


def test_every_desktop_action_needs_what_lite_does_not_offer(engine, tmp_path):
    # The ribbon's own code cannot simply run in Lite: that is why the scripts exist.
    book = lite_book(engine, LISTINGS)
    with lite(), pytest.raises(NotInLite):
        from applinks.excel import sheet

        sheet.insert_columns(book, None)
