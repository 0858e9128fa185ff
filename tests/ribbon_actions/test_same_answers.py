"""The ribbon gives the command line's answers: damaged ids, refusals, formulas, empty sheets."""

from __future__ import annotations

import datetime as dt

import pytest

from ..udf_cases import TEMPLATE_CASES, TEMPLATES_CELLS
from .conftest import cells, make_book
from .grid_engine import ExcelError
from .test_actions import ZILLOW, fill, run

DAMAGED = [["Name", "Record ID"], ["12 Oak St", 12345678901234567], ["3 Elm Ave", "00123"]]
#: Fill App Links on DAMAGED from "Record ID": its line, the cells after, then Check Sheet's
#: line (without what it adds: the ribbon adds an App ID list, Lite cannot) and the row it lists.
DAMAGED_FILLED = (
    'Filled App Links for Zillow on 2 rows from column "Record ID" (B). Added the columns '
    '"App ID", "App Unique ID", "App Name" and "App Content URL". 1 id looks damaged by '
    "Excel; Check Sheet lists them."
)
DAMAGED_CELLS = [
    ["Name", "Record ID", "App ID", "App Unique ID", "App Name", "App Content URL"],
    [
        "12 Oak St",
        12345678901234568.0,
        "zillow.com",
        12345678901234600.0,  # the number as Excel shows it (15 digits), as the CLI reads it
        "Zillow",
        ZILLOW.format("12345678901234600"),
    ],
    ["3 Elm Ave", "00123", "zillow.com", "00123", "Zillow", ZILLOW.format("00123")],
]
DAMAGED_CHECKED = (
    "1 error, 0 warnings in 2 rows; the App Link Check sheet lists them with links to the cells. "
    "Added 15 highlighting rules"
)
DAMAGED_LISTED = [["App Unique ID", '=HYPERLINK("#\'Deals\'!D2","D2")', "unique-id-mangled"]]


def listed_in_row_2(book) -> list[list[object]]:
    """Return what the App Link Check sheet lists for row 2: column, link and code."""
    return [r[1:4] for r in cells(book, "App Link Check") if r and r[0] == 2]


def test_a_damaged_id_stays_a_number_after_fill_so_check_and_save_still_see_it(engine, tmp_path):
    book = make_book(engine, DAMAGED, folder=tmp_path, select="B2")

    assert fill(book) == (DAMAGED_FILLED, DAMAGED_CELLS)
    assert run(book, "check_sheet") == (
        DAMAGED_CHECKED + " and a list of known App IDs on the App ID column."
    )
    assert listed_in_row_2(book) == DAMAGED_LISTED
    assert run(book, "save_csv", "no") == (
        "Nothing was saved. Click Check Sheet to see the errors."
    )


def wrote_nothing(engine) -> bool:
    """Return whether no call into Excel wrote a value, a formula or a column."""
    return not [c for c in engine.calls if c[1] in ("value=", "insert", "formula=")]


_NO_IDS = [["Name", "Record ID"], ["12 Oak St", None]]


@pytest.mark.parametrize(
    ("action", "rows", "select", "said"),
    [
        (
            "fill_app_links",
            _NO_IDS,
            "C2",
            'Select a cell in the column that holds the record ids (such as "Listing ID"), then '
            "click Fill App Links again.",
        ),
        (
            "fill_app_links",
            _NO_IDS,
            "B2",
            'Column "Record ID" (B) is empty; select a cell in the column that holds the record '
            "ids, then click Fill App Links again.",
        ),
        (
            "from_urls",
            [["Name", "Notes", "Stage"], ["12 Oak St", "call back", "Active"]],
            "B2",
            'Column "Notes" (B) has no web links in it; select a cell in the column with the '
            "record links (https://...), then click From URLs again.",
        ),
    ],
    ids=["fill-nothing-selected", "fill-empty-column", "from-urls-no-links"],
)
def test_a_refused_action_leaves_the_sheet_as_it_was(engine, action, rows, select, said):
    book = make_book(engine, rows, select=select)
    assert run(book, action) == "FAILED: " + said
    assert cells(book) == rows
    assert wrote_nothing(engine)


BLANK = '=IF(B2>50000000,"zillow.com","")'
WITH_BLANK = [
    ["Name", "Listing ID", "App ID", "App Unique ID", "App Name", "App Content URL"],
    ["12 Oak St", 48616032, (BLANK, ""), None, None, None],
    ["3 Elm Ave", 59187422, None, None, None, None],
]
#: Fill App Links on WITH_BLANK from "Listing ID": its line and the cells after.
BLANK_FILLED = (
    'Filled App Links for Zillow on 2 rows from column "Listing ID" (B). Kept 1 formula that '
    'shows nothing ("App ID" in row 2); the row has no value there: replace the formula with a '
    "value, or clear it and fill again."
)
BLANK_CELLS = [
    ["Name", "Listing ID", "App ID", "App Unique ID", "App Name", "App Content URL"],
    ["12 Oak St", 48616032.0, BLANK, "48616032", "Zillow", ZILLOW.format("48616032")],
    ["3 Elm Ave", 59187422.0, "zillow.com", "59187422", "Zillow", ZILLOW.format("59187422")],
]
#: What every button that reads the sheet says on an empty one.
EMPTY = (
    'The sheet "Deals" has nothing in it: the sheet is empty. Go to the sheet with your records, '
    "then click the button again."
)


def test_a_formula_that_shows_nothing_in_an_app_link_column_is_kept_and_named(engine):
    assert fill(make_book(engine, WITH_BLANK, select="B2")) == (BLANK_FILLED, BLANK_CELLS)


def test_a_formula_that_shows_an_error_in_an_app_link_column_is_named_as_one_that_shows_nothing(
    engine,
):
    # A formula showing #N/A was counted among the cells that "already held other values".
    blank, missing = '=IF(B2>50000000,"zillow.com","")', "=VLOOKUP(A3,Prices!A:B,2,FALSE)"
    rows = [
        ["Name", "Listing ID", "App ID", "App Unique ID", "App Name", "App Content URL"],
        ["12 Oak St", 48616032, (blank, ""), None, None, None],
        ["3 Elm Ave", 59187422, (missing, ExcelError("#N/A")), None, None, None],
        ["9 Pine Rd", 12345678, None, None, (missing, ExcelError("#DIV/0!")), None],
    ]
    message = (
        'Filled App Links for Zillow on 3 rows from column "Listing ID" (B). Kept 3 formulas '
        'that show nothing or an error ("App ID" in row 2, "App ID" in row 3 shows #N/A and '
        '"App Name" in row 4 shows #DIV/0!); the rows have no value there: replace the formulas '
        "with values, or clear them and fill again."
    )
    assert fill(make_book(engine, rows, select="B2")) == (
        message,
        [
            ["Name", "Listing ID", "App ID", "App Unique ID", "App Name", "App Content URL"],
            ["12 Oak St", 48616032.0, blank, "48616032", "Zillow", ZILLOW.format("48616032")],
            ["3 Elm Ave", 59187422.0, missing, "59187422", "Zillow", ZILLOW.format("59187422")],
            ["9 Pine Rd", 12345678.0, "zillow.com", "12345678", missing, ZILLOW.format("12345678")],
        ],
    )
    # One formula, only errors: said as such.
    rows[1][2] = rows[3][4] = None
    book = make_book(engine, rows, select="B2")
    assert run(book, "fill_app_links", "yes") == (
        'Filled App Links for Zillow on 3 rows from column "Listing ID" (B). Kept 1 formula '
        'that shows an error ("App ID" in row 3 shows #N/A); the row has no value there: '
        "replace the formula with a value, or clear it and fill again."
    )


def test_an_empty_sheet_is_refused_by_every_button_that_reads_it(engine, tmp_path):
    for action, answers in [
        ("insert_columns", ()),
        ("fill_app_links", ()),
        ("from_urls", ()),
        ("check_sheet", ()),
        ("save_csv", ()),
    ]:
        book = make_book(engine, [], folder=tmp_path)
        assert run(book, action, *answers) == "FAILED: " + EMPTY, action
        assert cells(book) == []
        assert wrote_nothing(engine)
    assert list(tmp_path.glob("*.csv")) == []


# --- the cell formulas use the workbook's App Link Templates sheet, as the ribbon does ---------

TEMPLATES = TEMPLATES_CELLS


def test_the_cell_formulas_give_the_ribbons_links_with_the_workbooks_templates(engine):
    from applinks.excel import udfs

    # A date is no HubSpot id (Fill leaves it, and the cell says why): the app added on the
    # sheet takes any id.
    for app, name, second in [
        ("hubspot.com", "HubSpot", 4501.0),
        ("mycrm-example.com", "My CRM", dt.datetime(2024, 5, 6)),  # Excel hands a date as midnight
    ]:
        rows = [["Name", "Listing ID"], ["12 Oak St", "00123456"], ["3 Elm Ave", second]]
        book = make_book(
            engine, rows, app=app, select="B2", sheets={"App Link Templates": TEMPLATES}
        )
        book.sheets["Deals"].activate()
        assert run(book, "fill_app_links", "yes").startswith(f"Filled App Links for {name} on 2")
        caller = book.sheets["Deals"].range("G2")
        filled = cells(book)[1:]
        ids = [[r[1]] for r in rows[1:]]
        assert udfs.APPLINK_URL([[app]], ids, caller=caller) == [[r[5]] for r in filled]
        assert udfs.APPLINK_NAME([[app]], caller=caller) == name
        assert udfs.APPLINK_CHECK(
            [[r[2]] for r in filled],
            [[r[3]] for r in filled],
            [[r[5]] for r in filled],
            caller=caller,
        ) == [[""], [""]]
    assert [r[5] for r in filled] == [
        "https://crm.example/r/00123456",
        "https://crm.example/r/2024-05-06",
    ]


@pytest.mark.parametrize(
    ("function", "args", "expected"),
    [case[1:] for case in TEMPLATE_CASES],
    ids=[case[0] for case in TEMPLATE_CASES],
)
def test_lite_formulas_given_the_templates_sheet_answer_as_the_windows_ones(
    engine, function, args, expected
):
    from applinks.excel import udfs
    from applinks.lite import functions

    book = make_book(engine, [["Name"], ["12 Oak St"]], sheets={"App Link Templates": TEMPLATES})
    caller = book.sheets["Deals"].range("C2")
    assert getattr(udfs, function)(*args, caller=caller) == expected
    assert getattr(functions, function)(*args, templates=TEMPLATES) == expected


def test_a_mistake_on_the_templates_sheet_is_the_cells_answer_on_both(engine):
    from applinks.excel import udfs
    from applinks.lite import functions

    wrong = [["App ID", "App Name"], ["mycrm-example.com", "My CRM"]]
    book = make_book(engine, [["Name"], ["12 Oak St"]], sheets={"App Link Templates": wrong})
    caller = book.sheets["Deals"].range("C2")
    said = (
        '#The templates file the "App Link Templates" sheet has no "URL Template" column; its '
        "first row must name the columns App ID, App Name, URL Template and ID Pattern."
    )
    assert udfs.APPLINK_NAME([["mycrm-example.com"]], caller=caller) == said
    assert functions.APPLINK_NAME([["mycrm-example.com"]], templates=wrong) == said


def test_a_cell_formula_names_the_templates_sheet_never_a_command_line_option(engine):
    from applinks.excel import udfs

    book = make_book(engine, [["Name", "Listing ID"], ["12 Oak St", "1"]])
    caller = book.sheets["Deals"].range("C2")
    assert udfs.APPLINK_URL([["hubspot.com"]], [["1"]], caller=caller) == (
        '#The URL template for HubSpot needs the setting "portal_id"; enter it under Setting '
        "and Value on the App Link Templates sheet."
    )
    assert udfs.APPLINK_URL([["mycrm-example.com"]], [["1"]], caller=caller).startswith(
        '#Unknown app "mycrm-example.com"'
    )
    from applinks.lite import functions

    assert functions.APPLINK_URL([["hubspot.com"]], [["1"]]) == udfs.APPLINK_URL(
        [["hubspot.com"]], [["1"]], caller=caller
    )


def test_a_left_out_argument_of_applink_check_is_not_checked_a_blank_cell_is(engine):
    from applinks.excel import udfs

    assert udfs.APPLINK_CHECK([["zillow.com"]]) == ""
    assert udfs.APPLINK_CHECK([["zillow.com"]], [[None]]) == (
        'App ID "zillow.com" has no App Unique ID; add the record\'s id from that app.'
    )


def test_a_blank_row_inside_the_sheet_is_no_row_to_fill(engine):
    # As on the command line: a row with nothing in it is no record, so Fill does not name it;
    # a row with a name and no id is named.
    rows = [
        ["Name", "Listing ID", "Notes"],
        ["12 Oak St", "59187422", None],
        [None, None, None],
        ["3 Elm Ave", None, "no id yet"],
        ["9 Ash Rd", "48616032", None],
    ]
    book = make_book(engine, rows, select="B2")

    assert run(book, "fill_app_links", "yes") == (
        'Filled App Links for Zillow on 2 rows from column "Listing ID" (B). Added the columns '
        '"App ID", "App Unique ID", "App Name" and "App Content URL". Not filled: 1 row. Row 4: '
        'there is no id in "Listing ID", so the App Links were not filled; add the record\'s id.'
    )
    assert [r[3:] for r in cells(book)[1:]] == [
        ["zillow.com", "59187422", "Zillow", ZILLOW.format("59187422")],
        [None, None, None, None],
        [None, None, None, None],
        ["zillow.com", "48616032", "Zillow", ZILLOW.format("48616032")],
    ]


def test_an_id_formula_that_shows_an_error_is_said_once(engine):
    # Filling from App Unique ID itself: its formula showing #N/A is the id the fill read (not
    # a cell it would have written), so only the id is named, not a formula kept as well.
    lookup = "=VLOOKUP(A2,Ids!A:B,2,FALSE)"
    rows = [
        ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"],
        ["12 Oak St", None, (lookup, ExcelError("#N/A")), None, None],
        ["3 Elm Ave", None, "59187422", None, None],
    ]
    book = make_book(engine, rows, select="C3")

    assert run(book, "fill_app_links") == (
        'Filled App Links for Zillow on 1 row from column "App Unique ID" (C). Not filled: 1 '
        'row. Row 2: "#N/A" in "App Unique ID" does not have the form of a Zillow id, so the App '
        "Links were not filled; check the id and the app chosen."
    )
    assert cells(book)[1:] == [
        ["12 Oak St", None, lookup, None, None],
        ["3 Elm Ave", "zillow.com", "59187422", "Zillow", ZILLOW.format("59187422")],
    ]
