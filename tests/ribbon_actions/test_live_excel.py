"""Every ribbon action end to end in a real Excel (Windows or macOS) through xlwings.

Marked ``excel``: skipped where no Excel runs. On a machine with Excel, open Excel, then run
``python -m pytest -m excel`` (see "Running the Excel tests" in the README). Excel's message
boxes are replaced by a scripted user, so the run needs no clicks; everything else (the workbook,
its sheets, rules, validation and files) is Excel's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from applinks.excel import actions, sheet
from applinks.registry import load_registry
from applinks.rules import conditional_rules

pytestmark = pytest.mark.excel

ZILLOW = "https://www.zillow.com/homedetails/{}_zpid/"
LISTINGS = [
    ["Name", "Listing ID", "Listing URL", "Stage"],
    ["12 Oak St", "00123456", ZILLOW.format("59187422"), "Active"],
    ["3 Elm Ave", "1234567", ZILLOW.format("7654321"), "Potential"],
]


class ScriptedUi:
    """A user who answers the questions in order and reads every message."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        self.told: list[str] = []
        self.failed: list[str] = []
        self.opened: list[Path] = []

    def tell(self, message: str) -> None:
        self.told.append(message)

    def fail(self, message: str) -> None:
        self.failed.append(message)

    def confirm(self, question: str) -> bool:
        self.asked.append(question)
        return self.answers.pop(0) == "yes"

    def open_file(self, path: Path) -> None:
        self.opened.append(path)


@pytest.fixture(scope="module")
def app():
    import xlwings as xw

    # Visible, because Range.Select (used while adding rules) needs a workbook window.
    app = xw.App(visible=True, add_book=False)
    yield app
    app.quit()


@pytest.fixture
def book(app, tmp_path):
    book = app.books.add()
    deals = book.sheets[0]
    deals.name = "Deals"
    deals.range("B:B").number_format = "@"  # the ids were typed as text
    deals.range("A1").value = LISTINGS
    book.save(str(tmp_path / "Deals.xlsx"))
    book.names.add(sheet.APP_NAME_KEY, '="zillow.com"')
    deals.activate()
    yield book
    book.close()


def act(book, name: str, *answers: str, select: str = "A2") -> ScriptedUi:
    book.sheets["Deals"].activate()
    book.sheets["Deals"].range(select).select()
    ui = ScriptedUi(*answers)
    actions.run(name, book=book, ui=ui)
    assert ui.failed == []
    assert ui.answers == []
    assert len(ui.told) == 1
    assert book.app.screen_updating is True
    assert book.app.calculation == "automatic"
    return ui


def test_every_ribbon_action_in_excel(book, tmp_path):
    deals = book.sheets["Deals"]

    ui = act(book, "insert_columns")
    assert deals.range("A1:H1").value == [
        "Name", "Listing ID", "Listing URL", "Stage",
        "App ID", "App Unique ID", "App Name", "App Content URL",
    ]  # fmt: skip

    ui = act(book, "fill_app_links", "yes", select="B3")
    assert ui.told == ['Filled App Links for Zillow on 2 rows from column "Listing ID" (B).']
    assert deals.range("E2:H3").value == [
        ["zillow.com", "00123456", "Zillow", ZILLOW.format("00123456")],
        ["zillow.com", "1234567", "Zillow", ZILLOW.format("1234567")],
    ]
    assert deals.range("F2").number_format == "@"

    ui = act(book, "check_sheet")
    rules = len(conditional_rules(deals.range("A1:H1").value))
    assert ui.told == [
        f"No problems found in 2 rows. Added {rules} highlighting rules and a list of known App "
        "IDs on the App ID column."
    ]
    ours = [
        rule for rule in deals.cells.conditional_formats if sheet.FLAG_TAG in (rule.formula or "")
    ]
    assert len(ours) == rules
    validation = deals.range("E2").data_validation
    assert validation.type == "list"
    assert validation.show_error is False
    assert sheet.CHECK_SHEET in [s.name for s in book.sheets]
    listing = book.sheets[sheet.CHECK_SHEET]
    assert listing.range("A1").value == 'Check of sheet "Deals": No problems found in 2 rows.'
    known = listing.range("K5").options(ndim=2, expand="down").value
    assert [r[0] for r in known] == ["Known App IDs", *load_registry().app_ids()]

    ui = act(book, "clear_flags")
    assert ui.told == [
        f"Removed {rules} highlighting rules, the App ID list and the App Link Check sheet."
    ]
    assert not [r for r in deals.cells.conditional_formats if sheet.FLAG_TAG in (r.formula or "")]
    assert deals.range("E2").data_validation.type == "none"
    assert [s.name for s in book.sheets] == ["Deals"]

    ui = act(book, "save_csv")
    assert ui.told == ['Saved 2 rows to "Deals - Cloze import.csv" beside the workbook.']
    csv_path = tmp_path / "Deals - Cloze import.csv"
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfName,Listing ID,")
    assert "00123456" in csv_path.read_text(encoding="utf-8-sig")

    ui = act(book, "email_support", "yes")
    assert ui.opened == [tmp_path / "Deals - Cloze import.eml"]

    ui = act(book, "from_urls", select="C2")
    assert deals.range("E2:F3").value == [["zillow.com", "00123456"], ["zillow.com", "1234567"]]
    assert ui.told == [  # the values already there are never replaced
        'Filled App Links on 2 rows from the links in column "Listing URL" (C). Kept 4 cells '
        "that already held other values; clear them first to replace them."
    ]

    ui = act(book, "templates")
    assert book.sheets.active.name == sheet.TEMPLATES_SHEET
    assert book.sheets[sheet.TEMPLATES_SHEET].range("A1:D1").value == [
        "App ID",
        "App Name",
        "URL Template",
        "ID Pattern",
    ]

    ui = act(book, "help")
    assert ui.told == [sheet.HELP_TEXT]
