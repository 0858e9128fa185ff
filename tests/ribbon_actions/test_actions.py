"""The ribbon actions, run through xlwings on the in-memory grid engine (no Excel needed)."""

from __future__ import annotations

import csv
import io
import re
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from applinks.excel import actions, sheet
from applinks.registry import load_registry
from applinks.rules import conditional_rules

from . import grid_engine
from .conftest import cells, make_book, sheet_model

TITLE = "Cloze App Links"
ZILLOW = "https://www.zillow.com/homedetails/{}_zpid/"

LISTINGS = [
    ["Name", "Listing ID", "Stage"],
    ["12 Oak St", "00123456", "Active"],
    ["3 Elm Ave", 59187422, "Potential"],
    ["9 Pine Rd", None, "Done"],
]
#: Fill App Links on LISTINGS from "Listing ID": its line and the cells after.
LISTINGS_FILLED = (
    'Filled App Links for Zillow on 2 rows from column "Listing ID" (B). Added the columns '
    '"App ID", "App Unique ID", "App Name" and "App Content URL". Not filled: 1 row. Row 4: '
    'there is no id in "Listing ID", so the App Links were not filled; add the record\'s id.'
)
LISTINGS_CELLS = [
    ["Name", "Listing ID", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL"],
    [
        "12 Oak St",
        "00123456",
        "Active",
        "zillow.com",
        "00123456",
        "Zillow",
        ZILLOW.format("00123456"),
    ],
    [
        "3 Elm Ave",
        59187422.0,
        "Potential",
        "zillow.com",
        "59187422",
        "Zillow",
        ZILLOW.format("59187422"),
    ],
    ["9 Pine Rd", None, "Done", None, None, None, None],
]


def run(book, name: str, *answers: str) -> str:
    """Run one ribbon action; return the one message it showed (and check there was one)."""
    app = book.app.impl
    app.answers = list(answers)
    before = len(app.alerts)
    actions.run(name, book=book)
    assert app.answers == [], "not every expected question was asked"
    shown = app.alerts[before:]
    prompt, title, buttons, mode = shown[-1]
    assert title == TITLE and buttons == "ok"
    assert all(b == "yes_no" for _, _, b, _ in shown[:-1])
    return prompt if mode == "info" else "FAILED: " + prompt


def fill(book) -> tuple[str, list[list]]:
    """Fill App Links, answering yes; return the one message it showed and the sheet's cells."""
    return run(book, "fill_app_links", "yes"), cells(book)


def questions(book) -> list[str]:
    return [prompt for prompt, _, buttons, _ in book.app.impl.alerts if buttons == "yes_no"]


def app_state(book) -> dict:
    return dict(book.app.impl.state)


RESTING = {
    "screen_updating": True,
    "calculation": "automatic",
    "status_bar": False,
    "display_alerts": True,
    "enable_events": True,
}


# --- Insert Columns ---------------------------------------------------------------------------


def test_insert_adds_the_four_columns_after_the_data_and_grows_the_table(engine):
    book = make_book(engine, LISTINGS)
    model = sheet_model(book)
    model.tables.append(grid_engine.TableModel("Listings", grid_engine.Rect(1, 1, 4, 3)))

    message = run(book, "insert_columns")

    assert message == (
        'Added the columns "App ID", "App Unique ID", "App Name" and "App Content URL".'
    )
    assert cells(book) == [
        ["Name", "Listing ID", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL"],
        ["12 Oak St", "00123456", "Active", None, None, None, None],
        ["3 Elm Ave", 59187422.0, "Potential", None, None, None, None],
        ["9 Pine Rd", None, "Done", None, None, None, None],
    ]
    assert model.tables[0].rect == grid_engine.Rect(1, 1, 4, 7)
    assert model.number_format(2, 5) == "@"  # App Unique ID keeps typed ids as text
    assert model.number_format(2, 4) == "General"
    assert app_state(book) == RESTING
    assert run(book, "insert_columns") == (
        "The four App Link columns are already on this sheet; nothing was changed."
    )


def test_insert_puts_missing_columns_next_to_existing_ones_and_moves_whole_columns(engine):
    rows = [
        ["Name", "App ID", "Listing URL", "App Content URL", None],
        ["12 Oak St", "zillow.com", "https://x.test/1", "https://x.test/1", "no header"],
    ]
    book = make_book(engine, rows)
    model = sheet_model(book)
    model.tables.append(grid_engine.TableModel("T", grid_engine.Rect(1, 1, 2, 4)))

    message = run(book, "insert_columns")

    assert message == 'Added the columns "App Unique ID" and "App Name".'
    assert cells(book) == [
        ["Name", "App ID", "App Unique ID", "App Name", "Listing URL", "App Content URL", None],
        [
            "12 Oak St",
            "zillow.com",
            None,
            None,
            "https://x.test/1",
            "https://x.test/1",
            "no header",
        ],
    ]
    # Both inserts fall inside the Table, which Excel widens by itself.
    assert model.tables[0].rect == grid_engine.Rect(1, 1, 2, 6)
    assert [c for c in engine.calls if c[1] == "insert"] == [
        ("Deals!C1:C1048576", "insert", ("right",)),
        ("Deals!D1:D1048576", "insert", ("right",)),
    ]


# --- Fill App Links ---------------------------------------------------------------------------


def test_fill_uses_the_selected_column_after_asking_and_writes_ids_as_text(engine):
    book = make_book(engine, LISTINGS, select="B3")

    assert fill(book) == (LISTINGS_FILLED, LISTINGS_CELLS)
    assert questions(book) == ['Fill App Links for Zillow with the ids in column "Listing ID" (B)?']
    model = sheet_model(book)
    assert [model.number_format(3, c) for c in range(4, 8)] == ["@"] * 4
    assert app_state(book) == RESTING


def test_fill_answer_no_changes_nothing(engine):
    book = make_book(engine, LISTINGS, select="B2")
    assert run(book, "fill_app_links", "no") == "Nothing was changed."
    assert cells(book) == LISTINGS[:2] + [["3 Elm Ave", 59187422.0, "Potential"], LISTINGS[3]]
    assert not [c for c in engine.calls if c[1] in ("value=", "insert", "formula=")]


def test_fill_keeps_each_rows_own_app_and_names_the_rows_not_filled(engine):
    """A Redfin row stays Redfin's, a Follow Up Boss row is filled from its own app, and the
    rows without an id, with another app's id or with an app of unknown links are named."""
    redfin = "https://www.redfin.com/MA/Boston/1-Main-St-02108/home/1234567"
    rows = [
        ["Name", "Listing ID", "App ID", "App Unique ID", "App Name", "App Content URL"],
        ["Elm St", "59187422", None, None, None, None],
        ["Oak St", None, None, None, None, None],
        ["Pine St", "006j000000Pkp1d", None, None, None, None],
        ["Redfin home", None, "redfin.com", "1234567", "Redfin", redfin],
        ["Realtor home", None, "realtor.com", "12345-67890", None, None],
        ["Lead", None, "followupboss.com", "4521", None, None],
    ]
    message = (
        'Filled App Links for Zillow on 2 rows from column "Listing ID" (B). Not filled: 3 rows. '
        'Row 3: there is no id in "Listing ID", so the App Links were not filled; add the '
        'record\'s id. Row 4: "006j000000Pkp1d" in "Listing ID" does not have the form of a Zillow '
        "id, so the App Links were not filled; check the id and the app chosen. Row 6: App ID "
        '"realtor.com" is another app than Zillow, and its links cannot be made here (no link '
        "format is known for it), so the row was left as it is; fill it with its own app, or "
        "paste its record link and use From URLs."
    )
    assert fill(make_book(engine, rows, select="B2")) == (
        message,
        [
            rows[0],
            ["Elm St", "59187422", "zillow.com", "59187422", "Zillow", ZILLOW.format("59187422")],
            *rows[2:6],
            [
                "Lead",
                None,
                "followupboss.com",
                "4521",
                "Follow Up Boss",
                "https://app.followupboss.com/2/people/view/4521",
            ],
        ],
    )


def test_fill_names_more_rows_not_filled_by_their_count(engine):
    rows = [["Name", "App ID", "App Unique ID", "App Name", "App Content URL"]]
    rows += [[f"Home {n}", None, None, None, None] for n in range(5)]
    rows += [["Listed", None, "59187422", None, None]]
    book = make_book(engine, rows, select="C2")
    message = run(book, "fill_app_links")
    no_id = (
        'Row {}: there is no id in "App Unique ID", so the App Links were not filled; add the '
        "record's id."
    )
    assert message == (
        'Filled App Links for Zillow on 1 row from column "App Unique ID" (C). Not filled: 5 '
        f"rows. {no_id.format(2)} {no_id.format(3)} {no_id.format(4)} And 2 rows more."
    )


FORMULA = '="https://z.test/"&C3'


def test_fill_from_app_unique_id_keeps_other_values_and_formulas(engine):
    rows = [
        ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"],
        ["12 Oak St", None, "00123456", None, None],
        ["3 Elm Ave", "zillow.com", "59187422", "My Zillow", (FORMULA, "https://z.test/59187422")],
        ["9 Pine Rd", None, "77777777", None, None],
    ]
    book = make_book(engine, rows, select="D2")  # App Name: an App Link column, so no question

    message = run(book, "fill_app_links")

    assert questions(book) == []
    assert message == (
        'Filled App Links for Zillow on 3 rows from column "App Unique ID" (C). Kept 2 cells '
        "that already held other values; clear them first to replace them."
    )
    assert cells(book) == [
        ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"],
        ["12 Oak St", "zillow.com", "00123456", "Zillow", ZILLOW.format("00123456")],
        ["3 Elm Ave", "zillow.com", "59187422", "My Zillow", FORMULA],
        ["9 Pine Rd", "zillow.com", "77777777", "Zillow", ZILLOW.format("77777777")],
    ]
    written = [(t, m) for t, m, _ in engine.calls if m in ("value=", "formula=")]
    # App Unique ID did not change, so it is not written; the URL column keeps its formula.
    assert written == [
        ("Deals!B2:B4", "value="),
        ("Deals!D2:D4", "value="),
        ("Deals!E2:E4", "formula="),
    ]


def test_fill_without_a_chosen_app_says_what_to_do_and_writes_nothing(engine):
    book = make_book(engine, LISTINGS, app=None, select="B2")
    assert run(book, "fill_app_links") == (
        'FAILED: Choose the app in the "App" list on the Cloze tab first, then click Fill App '
        "Links again."
    )
    assert cells(book) == [
        ["Name", "Listing ID", "Stage"],
        ["12 Oak St", "00123456", "Active"],
        ["3 Elm Ave", 59187422.0, "Potential"],
        ["9 Pine Rd", None, "Done"],
    ]
    assert not [c for c in engine.calls if c[1] in ("value=", "insert", "formula=")]
    assert app_state(book) == RESTING


def test_fill_without_ids_anywhere_asks_for_a_selection(engine):
    rows = [["Name", "App ID", "App Unique ID"], ["12 Oak St", None, None]]
    book = make_book(engine, rows, select="B2")
    assert run(book, "fill_app_links") == (
        'FAILED: Select a cell in the column that holds the record ids (such as "Listing ID"), '
        "then click Fill App Links again."
    )


def test_fill_with_a_setting_missing_points_to_the_templates_sheet(engine):
    book = make_book(engine, LISTINGS, app="hubspot.com", select="B2")
    assert run(book, "fill_app_links") == (
        'FAILED: The link format for HubSpot needs your account\'s "portal_id"; click Templates '
        "on the Cloze tab and enter it under Setting and Value on the App Link Templates sheet."
    )
    assert cells(book)[0] == ["Name", "Listing ID", "Stage"]


def test_templates_sheet_settings_and_overrides_are_used_by_fill(engine):
    book = make_book(engine, LISTINGS, app="hubspot.com", select="B2")
    message = run(book, "templates")
    assert message == (
        "Added the App Link Templates sheet: one row per app (App ID, App Name, URL Template "
        "with {id}, ID Pattern), account settings from row 20."
    )
    templates = sheet_model(book, "App Link Templates")
    grid = cells(book, "App Link Templates")
    assert grid[0][:4] == ["App ID", "App Name", "URL Template", "ID Pattern"]
    assert grid[19][:4] == ["Setting", "Value", "Used by", "Default"]
    settings = {row[0]: row for row in grid[20:]}
    assert "portal_id" in settings and settings["portal_id"][1] is None
    assert "HubSpot" in settings["portal_id"][2]
    # The user fills in the portal id and overrides Zillow's link.
    row = 21 + sorted(settings).index("portal_id")
    templates.put(row, 2, "99887")
    templates.put(2, 1, "zillow.com")
    templates.put(2, 2, "Zillow (mine)")
    templates.put(2, 3, "https://homes.example.com/z/{id}")
    book.sheets["Deals"].activate()

    assert run(book, "fill_app_links", "yes").startswith("Filled App Links for HubSpot on 2 rows")
    assert cells(book)[1][3:] == [
        "hubspot.com",
        "00123456",
        "HubSpot",
        "https://app.hubspot.com/contacts/99887/record/0-3/00123456",
    ]
    book.impl.model.names["ClozeAppLinks_App"] = '="zillow.com"'
    book.sheets["Deals"].impl.model.selection = grid_engine.Rect(2, 5, 2, 5)
    run(book, "clear_flags")
    for column in (4, 6, 7):  # the user empties App ID, App Name and App Content URL
        for row in (2, 3, 4):
            sheet_model(book).cells[column].pop(row, None)
    assert run(book, "fill_app_links") == (
        'Filled App Links for Zillow (mine) on 2 rows from column "App Unique ID" (E). Not '
        'filled: 1 row. Row 4: there is no id in "App Unique ID", so the App Links were not '
        "filled; add the record's id."
    )
    assert cells(book)[1][3:] == [
        "zillow.com",
        "00123456",
        "Zillow (mine)",
        "https://homes.example.com/z/00123456",
    ]
    assert run(book, "templates") == (
        "This is the App Link Templates sheet: add or change a row per app; Fill App Links uses it."
    )


# --- From URLs --------------------------------------------------------------------------------


def test_from_urls_reads_app_and_id_from_the_selected_link_column(engine):
    rows = [
        ["Name", "Listing URL"],
        ["12 Oak St", "https://www.zillow.com/homedetails/1-Main-St/59187422_zpid/"],
        [
            "3 Elm Ave",
            "https://acme.lightning.force.com/lightning/r/Opportunity/006Ab00000Xyz12AAA/view",
        ],
        ["9 Pine Rd", "https://www.example.co.uk/things/7"],
        ["1 Bay St", None],
    ]
    book = make_book(engine, rows, select="B5")

    message = run(book, "from_urls")

    assert message == (
        'Filled App Links on 2 rows from the links in column "Listing URL" (B). Added the '
        'columns "App ID", "App Unique ID", "App Name" and "App Content URL". Not filled: 1 '
        'row. Row 4: no record id was found in the link "https://www.example.co.uk/things/7", '
        "so the App Unique ID was left empty; paste the link of the record itself, copied from "
        "the browser with the record open."
    )
    assert [r[2:] for r in cells(book)] == [
        ["App ID", "App Unique ID", "App Name", "App Content URL"],
        ["zillow.com", "59187422", "Zillow", rows[1][1]],
        ["salesforce.com", "006Ab00000Xyz12AAA", "Salesforce", rows[2][1]],
        ["example.co.uk", None, None, rows[3][1]],
        [None, None, None, None],
    ]


def test_from_urls_refuses_a_column_without_links(engine):
    book = make_book(engine, LISTINGS, select="A2")
    assert run(book, "from_urls") == (
        'FAILED: Column "Name" (A) has no web links in it; select a cell in the column with the '
        "record links (https://...), then click From URLs again."
    )


# --- Check Sheet and Clear Flags --------------------------------------------------------------

CHECKED = [
    ["Name", "App ID", "App Unique ID", "App Name", "App Content URL", "Email"],
    ["12 Oak St", "zillow.com", "00123456", "Zillow", ZILLOW.format("00123456"), None],
    ["3 Elm Ave", "Zillow.com", "59187422", "Zillow", ZILLOW.format("59187422"), None],
    ["9 Pine Rd", "zillow.com", "00123456", "Zillow", "'=cmd|' /C calc'!A0", None],
]


def test_check_adds_tagged_rules_a_list_and_the_check_sheet(engine):
    book = make_book(engine, CHECKED, select="C3")
    model = sheet_model(book)
    # The user's own rule on the sheet, which Check and Clear Flags must leave alone.
    model.rules.append(
        grid_engine.RuleModel(grid_engine.Rect(2, 1, 9, 1), "=LEN($A2)>40", "A2", (255, 0, 0))
    )

    message = run(book, "check_sheet")

    expected_rules = conditional_rules(CHECKED[0], first_row=2, last_row=1004)
    assert message == (
        "4 errors, 2 warnings in 3 rows; the App Link Check sheet lists them with links to the "
        f"cells. Added {len(expected_rules)} highlighting rules and a list of known App IDs on "
        "the App ID column."
    )
    ours = [r for r in model.rules if "cloze-applinks" in r.formula]
    assert sorted(
        (r.rect.a1(), r.formula, r.anchor, r.fill_color, r.font_color) for r in ours
    ) == sorted(
        (
            rule.sqref,
            f'=AND(N("cloze-applinks")=0,{rule.formula})',
            "A2",  # relative references are read from the active cell: the first data cell
            _rgb(rule.fill_color),
            _rgb(rule.font_color),
        )
        for rule in expected_rules
    )
    assert len(model.rules) == len(expected_rules) + 1
    assert model.selection == grid_engine.Rect(3, 3, 3, 3)  # the user's selection is back
    [validation] = model.validations
    assert validation.rect == grid_engine.Rect(2, 2, 1004, 2)
    known = load_registry().app_ids()
    assert validation.source == f"='App Link Check'!$K$6:$K${len(known) + 5}"
    assert validation.show_error is False  # other App IDs are still accepted

    report = cells(book, "App Link Check")
    dup = (
        'Row {}: App ID "zillow.com" with App Unique ID "00123456" also appears on row(s) {}; '
        "Cloze would merge these rows into one record, so give each its own id."
    )
    bad = "=cmd|' /C calc'!A0"
    # The layout of the annotated file's check sheet: a summary, then the list from row 5.
    assert [r[0] for r in report[:4]] == [
        'Check of sheet "Deals": 4 errors, 2 warnings in 3 rows.',
        "Red cells on the data sheet are errors and yellow cells are warnings; those flags "
        "update as you type. Click a cell address below to go to it. Checks that a formula "
        "cannot make (subdomains, spellings of one App ID, links to another app) are listed here "
        "only: check the file again after fixing.",
        None,
        None,
    ]
    assert all(r[1:] == [None] * 10 for r in report[:4])
    assert [r[:8] for r in report[4:11]] == [
        ["Row", "Column", "Cell", "Code", "Severity", "Message", "Value", "Suggestion"],
        [
            2.0,
            "App Unique ID",
            _link("C2"),
            "unique-id-duplicate",
            "error",
            dup.format(2, 4),
            "00123456",
            None,
        ],
        [
            3.0,
            "App ID",
            _link("B3"),
            "app-id-not-lowercase",
            "error",
            'Row 3: App ID "Zillow.com" has capital letters; use "zillow.com".',
            "Zillow.com",
            "zillow.com",
        ],
        [
            3.0,
            "App ID",
            _link("B3"),
            "app-id-inconsistent",
            "warning",
            'Row 3: App ID "Zillow.com" is spelled differently on other rows ("zillow.com"); use '
            'one spelling, "zillow.com", for every row of this source.',
            "Zillow.com",
            "zillow.com",
        ],
        [
            4.0,
            "App Unique ID",
            _link("C4"),
            "unique-id-duplicate",
            "error",
            dup.format(4, 2),
            "00123456",
            None,
        ],
        [
            4.0,
            "App Content URL",
            _link("E4"),
            "url-invalid",
            "error",
            f'Row 4: App Content URL "{bad}" is not a full web address; it must start with '
            '"https://" or "http://".',
            bad,
            None,
        ],
        [
            4.0,
            "App Content URL",
            _link("E4"),
            "formula-like-value",
            "warning",
            f'Row 4: the App Content URL value "{bad}" starts with "=", so a spreadsheet that '
            "opens the file may run it as a formula; check that it is meant.",
            bad,
            None,
        ],
    ]
    assert all(r[:8] == [None] * 8 for r in report[11:])
    assert [r[10] for r in report] == [None] * 4 + ["Known App IDs", *known]
    listing = sheet_model(book, "App Link Check")
    assert listing.widths == dict(enumerate((7, 18, 8, 22, 9, 90, 28, 24, 3, 3, 22), start=1))
    # Text below the summary, but for the row numbers and the links to the cells.
    last = 5 + len(known)
    assert [listing.number_format(r, c) for r in (5, last) for c in range(1, 12)] == 2 * (
        ["General", "@", "General"] + ["@"] * 8
    )
    assert book.sheets.active.name == "Deals"
    assert app_state(book) == RESTING

    message = run(book, "clear_flags")
    assert message == (
        f"Removed {len(expected_rules)} highlighting rules, the App ID list and the App Link "
        "Check sheet."
    )
    assert [r.formula for r in model.rules] == ["=LEN($A2)>40"]
    assert model.validations == []
    assert [s.name for s in book.impl.model.sheets] == ["Deals"]
    assert cells(book) == [[_typed(v) for v in row] for row in CHECKED]  # data untouched
    assert run(book, "clear_flags") == "There were no Check Sheet flags to remove."


def _typed(value):
    return value[1:] if isinstance(value, str) and value.startswith("'") else value


def _link(cell: str) -> str:
    return f'=HYPERLINK("#\'Deals\'!{cell}","{cell}")'


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    text = hex_colour.lstrip("#")
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def test_check_twice_replaces_its_flags_and_keeps_the_users_validation(engine):
    book = make_book(engine, CHECKED)
    model = sheet_model(book)
    model.validations.append(
        grid_engine.ValidationModel(grid_engine.Rect(2, 2, 50, 2), "list", "=$Z$1:$Z$3")
    )
    first = run(book, "check_sheet")
    assert first.endswith("highlighting rules.")  # no App ID list over the user's own
    count = len(model.rules)
    assert run(book, "check_sheet") == first
    assert len(model.rules) == count
    assert [s.name for s in book.impl.model.sheets] == ["Deals", "App Link Check"]
    run(book, "clear_flags")
    assert [v.source for v in model.validations] == ["=$Z$1:$Z$3"]


def test_check_refuses_to_run_on_its_own_sheet(engine):
    book = make_book(engine, CHECKED)
    run(book, "check_sheet")
    book.sheets["App Link Check"].activate()
    assert run(book, "check_sheet") == (
        'FAILED: This is the "App Link Check" sheet; go to the sheet with your records, then '
        "click the button again."
    )


# --- Save CSV and Email ---------------------------------------------------------------------


def test_save_csv_writes_the_cloze_file_beside_the_workbook_and_never_saves_it(engine, tmp_path):
    book = make_book(engine, CHECKED[:3], folder=tmp_path)

    message = run(book, "save_csv", "yes")  # yes: save although errors remain

    assert questions(book) == [
        "The sheet still has 1 error that Cloze would reject or misread (Check Sheet shows "
        "them). Save the CSV anyway?"
    ]
    assert message == 'Saved 2 rows to "Deals - Cloze import.csv" beside the workbook.'
    data = (tmp_path / "Deals - Cloze import.csv").read_bytes()
    assert (
        data
        == (
            "\ufeffName,App ID,App Unique ID,App Name,App Content URL,Email\r\n"
            f"12 Oak St,zillow.com,00123456,Zillow,{ZILLOW.format('00123456')},\r\n"
            f"3 Elm Ave,Zillow.com,59187422,Zillow,{ZILLOW.format('59187422')},\r\n"
        ).encode()
    )
    members = {m for _, m, _ in engine.calls}
    assert not members & {"save", "close", "value=", "formula=", "number_format="}
    assert app_state(book) == RESTING

    assert run(book, "save_csv", "yes", "no") == "Nothing was saved; the existing file was kept."
    assert run(book, "save_csv", "no") == "Nothing was saved. Click Check Sheet to see the errors."


def test_save_csv_below_a_title_starts_at_the_headers_without_asking(engine, tmp_path):
    rows = [
        ["Listings, November"],
        [],
        ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"],
        ["12 Oak St", "zillow.com", "00123456", "Zillow", ZILLOW.format("00123456")],
    ]
    book = make_book(engine, rows, folder=tmp_path)
    assert run(book, "save_csv") == 'Saved 1 row to "Deals - Cloze import.csv" beside the workbook.'
    assert questions(book) == []
    assert (tmp_path / "Deals - Cloze import.csv").read_bytes() == (
        "\ufeffName,App ID,App Unique ID,App Name,App Content URL\r\n"
        f"12 Oak St,zillow.com,00123456,Zillow,{ZILLOW.format('00123456')}\r\n"
    ).encode()


def test_save_csv_needs_a_saved_workbook(engine):
    book = make_book(engine, CHECKED[:2])
    assert run(book, "save_csv") == (
        "FAILED: Save this workbook in a folder on this computer first; the CSV is written "
        "beside it."
    )


def test_save_csv_writes_dates_and_numbers_as_cloze_wants(engine, tmp_path):
    import datetime as dt

    rows = [
        ["Name", "App ID", "App Unique ID", "Closed", "Price"],
        ["12 Oak St", "zillow.com", "00123456", dt.datetime(2024, 3, 5), 1250000],
    ]
    book = make_book(engine, rows, folder=tmp_path)
    assert run(book, "save_csv") == 'Saved 1 row to "Deals - Cloze import.csv" beside the workbook.'
    text = (tmp_path / "Deals - Cloze import.csv").read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Name", "App ID", "App Unique ID", "Closed", "Price"],
        ["12 Oak St", "zillow.com", "00123456", "2024-03-05", "1250000"],
    ]


def test_email_support_saves_the_csv_and_opens_a_draft(engine, tmp_path, opened):
    book = make_book(engine, CHECKED[:2], folder=tmp_path)
    message = run(book, "email_support")
    assert message == (
        'Saved 1 row to "Deals - Cloze import.csv" beside the workbook. Wrote the email draft '
        '"Deals - Cloze import.eml" to support@cloze.com with the file attached and opened it.'
    )
    draft = tmp_path / "Deals - Cloze import.eml"
    assert opened == [draft]
    mail = message_from_bytes(draft.read_bytes(), policy=default_policy)
    assert mail["To"] == "support@cloze.com"
    assert mail["X-Unsent"] == "1"
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "Deals - Cloze import.csv"
    assert (
        attachment.get_payload(decode=True) == (tmp_path / "Deals - Cloze import.csv").read_bytes()
    )
    assert run(book, "email_support", "yes", "no") == (
        'Saved 1 row to "Deals - Cloze import.csv" beside the workbook. The existing email draft '
        "was kept."
    )


def test_email_support_says_the_file_still_has_errors(engine, tmp_path, opened):
    """Saved anyway after the question, the CSV is emailed with a word about its errors; the
    body counts the records the CSV reader finds (a value on two lines is one record)."""
    rows = [
        ["Name", "App ID", "App Unique ID", "App Name", "App Content URL", "Notes"],
        ["12 Oak St", "zillow.com", "00123456", "Zillow", ZILLOW.format("00123456"), "a\nb"],
        [None, "zillow.com", "59187422", "Zillow", ZILLOW.format("59187422"), None],
    ]
    book = make_book(engine, rows, folder=tmp_path)
    message = run(book, "email_support", "yes")
    assert questions(book) == [
        "The sheet still has 1 error that Cloze would reject or misread (Check Sheet shows "
        "them). Save the CSV anyway?"
    ]
    assert message == (
        'Saved 2 rows to "Deals - Cloze import.csv" beside the workbook. Wrote the email draft '
        '"Deals - Cloze import.eml" to support@cloze.com with the file attached and opened it. '
        "The file still has 1 error that Cloze would reject or misread; Check Sheet shows them."
    )
    mail = message_from_bytes(
        (tmp_path / "Deals - Cloze import.eml").read_bytes(), policy=default_policy
    )
    assert "Please import the attached file (2 rows) into my Cloze account." in (
        mail.get_body().get_content().replace("\n", " ")
    )


# --- Help, errors, the guard ----------------------------------------------------------------


def test_help_shows_the_buttons(engine):
    book = make_book(engine, LISTINGS)
    assert run(book, "help") == sheet.HELP_TEXT
    for label in (
        "Insert Columns",
        "Fill App Links",
        "From URLs",
        "Check Sheet",
        "Clear Flags",
        "Save CSV for Cloze",
        "Email to Cloze Support",
        "Templates",
    ):
        assert label in sheet.HELP_TEXT


def test_an_unexpected_error_restores_excel_and_logs_the_traceback(engine, monkeypatch, log_file):
    def broken(book, ui):
        book.sheets.active.range("A1").value = "changed"
        raise RuntimeError("boom inside")

    monkeypatch.setitem(actions.ACTIONS, "check_sheet", broken)
    book = make_book(engine, LISTINGS)

    message = run(book, "check_sheet")

    assert message == (
        "FAILED: Check Sheet stopped because of an unexpected problem. The details are in "
        f"{log_file}."
    )
    assert "Traceback" not in message and "boom" not in message
    assert app_state(book) == RESTING
    log = log_file.read_text(encoding="utf-8")
    assert "Check Sheet failed:\nTraceback (most recent call last):" in log
    assert "RuntimeError: boom inside" in log
    sets = [(m, a) for t, m, a in engine.calls if t == "app" and m.endswith("=")]
    assert sets == [
        ("screen_updating=", (False,)),
        ("calculation=", ("manual",)),
        ("status_bar=", ("Cloze App Links: Check Sheet...",)),
        ("status_bar=", (False,)),
        ("calculation=", ("automatic",)),
        ("screen_updating=", (True,)),
    ]


def test_screen_updating_comes_back_when_calculation_cannot_be_set(engine, log_file):
    book = make_book(engine, LISTINGS)
    book.app.impl.fail_on["calculation"] = RuntimeError("no calc")
    message = run(book, "insert_columns")
    assert message.startswith("FAILED: Insert Columns stopped because of an unexpected problem.")
    assert book.app.impl.state["screen_updating"] is True
    assert cells(book)[0] == ["Name", "Listing ID", "Stage"]  # nothing ran


def test_an_unknown_action_is_reported_not_raised(engine):
    book = make_book(engine, LISTINGS)
    assert run(book, "reticulate") == (
        'FAILED: The add-in asked for an unknown command "reticulate"; install the add-in again.'
    )


# --- calls into Excel do not grow with the rows ---------------------------------------------


def _listings(n: int) -> list[list]:
    rows: list[list] = [["Name", "Listing ID", "Listing URL", "Stage"]]
    for i in range(n):
        rows.append([f"{i} Oak St", f"{10000000 + i}", ZILLOW.format(20000000 + i), "Active"])
    return rows


SEQUENCE = [
    ("insert_columns", "A2", ()),
    ("fill_app_links", "B2", ("yes",)),
    ("check_sheet", "A2", ()),
    ("clear_flags", "A2", ()),
    ("save_csv", "A2", ()),
    ("email_support", "A2", ("yes",)),
    ("from_urls", "C2", ()),
    ("templates", "A2", ()),
    ("help", "A2", ()),
]


def test_calls_into_excel_are_the_same_for_100_and_100000_rows(engine, tmp_path, opened):
    counts = {}
    for n in (100, 100_000):
        folder = tmp_path / str(n)
        folder.mkdir()
        book = make_book(engine, _listings(n), folder=folder)
        model = sheet_model(book)
        per_action = []
        for name, select, answers in SEQUENCE:
            model.selection = grid_engine._rect(select, None)
            engine.calls.clear()
            message = run(book, name, *answers)
            assert not message.startswith("FAILED"), message
            per_action.append((name, len(engine.calls)))
        counts[n] = per_action
        assert re.search(rf"on {n:,} rows", str(book.app.impl.alerts))
    assert counts[100] == counts[100_000]
    # And each whole column moved in one call: no call touches a single data cell.
    assert all(count < 250 for _, count in counts[100])


# --- meta: every ribbon action has a Python function --------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def ribbon_action_names() -> list[str]:
    """The action names the add-in passes to ``run``: the builder's constant, or the VBA."""
    try:
        from applinks.excel.build.ribbon import ACTION_NAMES
    except ImportError:
        found = []
        for bas in sorted((ROOT / "addin").glob("*.bas")):
            text = bas.read_text(encoding="utf-8", errors="replace")
            found += re.findall(r"""RunAction\s+"(\w+)"|a\.run\('(\w+)'\)""", text)
        return [a or b for a, b in found]
    return list(ACTION_NAMES)


def test_every_ribbon_action_is_a_python_function():
    names = ribbon_action_names()
    assert names, "no ribbon actions found in addin/*.bas or the ribbon builder"
    assert sorted(set(names)) == sorted(actions.ACTIONS)
    assert all(callable(actions.ACTIONS[n]) for n in names)
    assert set(actions.LABELS) == set(actions.ACTIONS)


def test_the_actions_import_without_xlwings_and_name_the_install_command():
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "sys.modules['xlwings'] = None  # as if it were not installed\n"
        "import applinks.excel, applinks.excel.actions as a\n"
        "try:\n"
        "    a.run('help')\n"
        "except Exception as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout == (
        "ApplinksError The Excel add-in needs xlwings; install it with: "
        'pip install "cloze-applinks[excel]"\n'
    )


def test_save_csv_writes_values_as_excel_shows_them_like_the_command_line(engine, tmp_path):
    """Number formats read a column at a time give the CSV the command line writes for the
    same cells (tests/test_values.py): zip, phone, percent, 15 digits, dates, times."""
    import datetime as dt

    from tests.test_values import VALUES_CSV

    wanted = ["Name", "Zip", "Zip+4", "Phone", "SSN", "Parcel", "Share", "Rate", "Price"]
    wanted += ["Measure", "Listed", "Showing", "Time on market", "Flag"]
    header = VALUES_CSV[0].split(",")
    positions = [header.index(h) for h in wanted]
    formats = {
        "Zip": "00000", "Zip+4": "00000-0000", "Phone": "[<=9999999]###-####;(###) ###-####",
        "SSN": "000-00-0000", "Parcel": "000000000", "Share": "0%", "Rate": "0.00%",
        "Price": '"$"#,##0.00', "Listed": "yyyy-mm-dd", "Showing": "h:mm",
        "Time on market": "[h]:mm:ss",
    }  # fmt: skip
    day0 = dt.datetime(1899, 12, 30)  # Excel hands a time (and a duration) over as a date-time
    rows = [
        wanted,
        ["12 Elm St", 2134, 21340123, 6175551234, 123456789, 42, 0.75, 0.125, 849000,
         1521.9999990000001, dt.datetime(2024, 5, 6, 13, 30), day0 + dt.timedelta(hours=9.5),
         day0 + dt.timedelta(hours=30, minutes=10, seconds=10), True],
        ["4 Oak Ave", 7030, 70301234, 5551234, 12345678, 123456789, 0.5, 0.0375, 1250000.5,
         0.1 + 0.2, dt.datetime(2024, 1, 2), day0 + dt.timedelta(hours=17, minutes=5), None,
         False],
        ["9 Pine Rd", 94105, 941051234, 2125550000, 987654321, 7, 1, 0, 0,
         12345678901234567, None, None, None, None],
    ]  # fmt: skip
    book = make_book(engine, rows, folder=tmp_path)
    deals = book.sheets["Deals"]
    for column, name in enumerate(wanted, start=1):
        if name in formats:
            deals.range((2, column), (4, column)).number_format = formats[name]
    deals.range((2, 2)).number_format = "00000"  # a column whose cells differ: asked in halves
    deals.range((3, 2), (4, 2)).number_format = "General"
    assert run(book, "save_csv", "yes").startswith("Saved 3 rows")
    text = (tmp_path / "Deals - Cloze import.csv").read_text(encoding="utf-8-sig")
    expected = [
        [row[p] for p in positions] for row in csv.reader(io.StringIO("\n".join(VALUES_CSV)))
    ]
    expected[2][1] = "7030"  # General in this test, 00000 in the workbook
    expected[3][1] = "94105"
    expected[3][11:13] = ["", ""]
    assert list(csv.reader(io.StringIO(text))) == expected


def test_an_error_cell_is_saved_as_excel_shows_it_and_flagged(engine, tmp_path):
    rows = [
        ["Name", "App ID", "App Unique ID", "Price"],
        [
            "12 Oak St",
            "zillow.com",
            "59187422",
            ("=VLOOKUP(A2,X:Y,2,0)", grid_engine.ExcelError("#N/A")),
        ],
    ]
    book = make_book(engine, rows, folder=tmp_path)
    assert run(book, "save_csv").startswith("Saved 1 row")
    text = (tmp_path / "Deals - Cloze import.csv").read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Name", "App ID", "App Unique ID", "Price"],
        ["12 Oak St", "zillow.com", "59187422", "#N/A"],
    ]
    from applinks.checks import check

    _, table = sheet.read_table(book.sheets["Deals"])
    assert [i.key() for i in check(table)] == [
        (2, "App Name", "app-name-missing"),
        (2, "App Content URL", "url-missing"),
        (2, "Price", "cell-error"),
    ]
