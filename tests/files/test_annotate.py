"""The annotated workbook: live rules, App ID list, check sheet, and everything else kept."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from applinks.checks import check
from applinks.files.read import read_table
from applinks.files.xlsx_annotate import CHECK_SHEET, write_annotated
from applinks.rules import conditional_rules
from tests.cli_run import run_applinks as run
from tests.office import convert

HEADERS = ["Name", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL", "Email"]
ROWS = [
    ["Beacon St", "Active", "zillow.com", "59187422", "Zillow", "https://www.zillow.com/h/1", None],
    [
        "Rue Ste-C",
        "active",
        "Zillow.com",
        "2071534988",
        "Zillow",
        "https://www.zillow.com/h/2",
        None,
    ],
    ["Elm Court", "Done", "zillow.com", None, "Zillow", "https://www.zillow.com/h/3", None],
    [None, "Lost", "zillow.com", "1.42E+18", "Zillow", "zillow.com/h/4", None],
    ["Oak Lane", "Active", None, None, None, None, "ana@example.com"],
]


def make_book(path: Path) -> Path:
    """A workbook like a user's: a second sheet, own formatting and validation, widths."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deals"
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 14
    sheet["B2"].fill = PatternFill("solid", start_color="FFCCE5FF")
    sheet.conditional_formatting.add(
        "A2:A6", FormulaRule(formula=["LEN($A2)>20"], fill=PatternFill(bgColor="FF00FF00"))
    )
    stages = DataValidation(type="list", formula1='"Potential,Active,Done,Lost"')
    stages.add("B2:B6")
    sheet.add_data_validation(stages)
    other = book.create_sheet("Notes")
    other["A1"] = "Keep me"
    book.save(path)
    return path


def test_check_annotate_writes_rules_list_and_check_sheet(tmp_path: Path) -> None:
    book = make_book(tmp_path / "deals.xlsx")
    done = run("check", "deals.xlsx", "--annotate", "flags.xlsx", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[-1] == (
        'Wrote flags.xlsx: 16 live flag rules and 8 issues on the sheet "App Link Check".'
    )
    out = openpyxl.load_workbook(tmp_path / "flags.xlsx")
    assert out.sheetnames == ["Deals", "Notes", CHECK_SHEET]
    sheet = out["Deals"]

    expected = conditional_rules(HEADERS, first_row=2, last_row=1006)
    got = [
        (str(cf.sqref), rule.formula[0]) for cf in sheet.conditional_formatting for rule in cf.rules
    ]
    # The user's own rule first, then exactly one rule per check, over its whole column.
    # (openpyxl groups the rules by range, so compare without order.)
    assert sorted(got) == sorted(
        [("A2:A6", "LEN($A2)>20")] + [(r.sqref, r.formula) for r in expected]
    )
    validations = [
        (str(v.sqref), v.formula1, v.errorStyle) for v in sheet.data_validations.dataValidation
    ]
    assert validations == [
        ("B2:B6", '"Potential,Active,Done,Lost"', None),
        ("C2:C1006", "'App Link Check'!$K$6:$K$59", "warning"),
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 14  # the user's width is kept
    assert sheet.column_dimensions["F"].width == 48
    assert sheet["B2"].fill.start_color.rgb == "FFCCE5FF"
    assert [sheet.cell(r, 4).number_format for r in (2, 3, 5)] == ["@"] * 3
    assert sheet.column_dimensions["D"].number_format == "@"  # for ids typed later
    assert [sheet.cell(r, 2).number_format for r in range(2, 7)] == ["General"] * 5
    assert out["Notes"]["A1"].value == "Keep me"

    report = check(read_table(book))
    listing = out[CHECK_SHEET]
    assert listing["A1"].value == f'Check of sheet "Deals": {report.summary(5)}'
    assert [c.value for c in listing[5]][:8] == [
        "Row", "Column", "Cell", "Code", "Severity", "Message", "Value", "Suggestion",
    ]  # fmt: skip
    rows = [
        [c.value for c in row][:8] for row in listing.iter_rows(min_row=6, max_row=5 + len(report))
    ]
    assert [(r[0], r[1], r[3]) for r in rows] == report.locations()
    assert [r[5] for r in rows] == [i.message for i in report]
    assert listing["C6"].value == "B3"
    assert listing["C6"].hyperlink.location == "'Deals'!B3"
    known = [listing.cell(r, 11).value for r in range(6, 61)]
    assert known[:2] == ["salesforce.com", "hubspot.com"] and None not in known[:-1]
    assert known[-1] is None  # 54 App IDs, each once


def test_the_check_sheet_lists_each_issue_whole(tmp_path: Path) -> None:
    """Every column of every issue row, spelled out: a value in the Suggestion column (or the
    reverse) would send the user to fix the wrong thing."""
    book = make_book(tmp_path / "deals.xlsx")
    table = read_table(book)
    write_annotated(book, table, check(table), tmp_path / "flags.xlsx")
    listing = openpyxl.load_workbook(tmp_path / "flags.xlsx")[CHECK_SHEET]
    rows = [row[:8] for row in listing.iter_rows(min_row=5, max_row=13, values_only=True)]
    capital = 'Row 3: App ID "Zillow.com" has capital letters; use "zillow.com".'
    spelled = (
        'Row 3: App ID "Zillow.com" is spelled differently on other rows ("zillow.com"); use '
        'one spelling, "zillow.com", for every row of this source.'
    )
    no_way_in = (
        "Row 4: the row has neither an App ID with an App Unique ID nor an involved person's "
        "email, so Cloze cannot import it; add one of them."
    )
    damaged = (
        'Row 5: App Unique ID "1.42E+18" looks damaged by Excel (it is in exponent form, which '
        "has lost digits); copy the id again from the source app and store the column as text."
    )
    not_a_link = (
        'Row 5: App Content URL "zillow.com/h/4" is not a full web address; it must start with '
        '"https://" or "http://".'
    )
    assert rows == [
        ("Row", "Column", "Cell", "Code", "Severity", "Message", "Value", "Suggestion"),
        (
            3,
            "Stage",
            "B3",
            "stage-invalid",
            "warning",
            'Row 3: Stage "active" is not one of Potential, Active, Done, Lost; use "Active".',
            "active",
            "Active",
        ),
        (3, "App ID", "C3", "app-id-not-lowercase", "error", capital, "Zillow.com", "zillow.com"),
        (3, "App ID", "C3", "app-id-inconsistent", "warning", spelled, "Zillow.com", "zillow.com"),
        (4, "App ID", "C4", "row-not-importable", "error", no_way_in, None, None),
        (
            4,
            "App Unique ID",
            "D4",
            "unique-id-missing",
            "error",
            'Row 4: App ID "zillow.com" has no App Unique ID; add the record\'s id from that app.',
            None,
            None,
        ),
        (
            5,
            "Name",
            "A5",
            "name-missing",
            "error",
            "Row 5: the row has no Name; Cloze needs a name for every Project or Deal.",
            None,
            None,
        ),
        (5, "App Unique ID", "D5", "unique-id-mangled", "error", damaged, "1.42E+18", None),
        (5, "App Content URL", "F5", "url-invalid", "error", not_a_link, "zillow.com/h/4", None),
    ]
    assert listing["A14"].value is None  # nothing after the last issue
    links = [listing.cell(r, 3).hyperlink.location for r in range(6, 14)]
    assert links == [f"'Deals'!{cell}" for cell in ["B3", "C3", "C3", "C4", "D4", "A5", "D5", "F5"]]


def test_parts_not_edited_are_copied_byte_for_byte(tmp_path: Path) -> None:
    book = make_book(tmp_path / "deals.xlsx")
    table = read_table(book)
    write_annotated(book, table, check(table), tmp_path / "flags.xlsx")
    with zipfile.ZipFile(book) as a, zipfile.ZipFile(tmp_path / "flags.xlsx") as b:
        edited = {
            "[Content_Types].xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet1.xml",
            "xl/styles.xml",
        }
        for name in a.namelist():
            if name not in edited:
                assert a.read(name) == b.read(name), name
        assert set(b.namelist()) - set(a.namelist()) == {"xl/worksheets/sheet3.xml"}


def test_macros_are_kept_and_need_xlsm(tmp_path: Path) -> None:
    plain = make_book(tmp_path / "plain.xlsx")
    macro = tmp_path / "deals.xlsm"
    vba = bytes(range(256)) * 4
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", vba)
    wrong = run("check", "deals.xlsm", "--annotate", "flags.xlsx", cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr == (
        '"deals.xlsm" has macros, so the annotated copy must end in .xlsm; for example '
        '"flags.xlsm".\n'
    )
    assert not (tmp_path / "flags.xlsx").exists()
    done = run("check", "deals.xlsm", "--annotate", "flags.xlsm", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    with zipfile.ZipFile(tmp_path / "flags.xlsm") as out:
        assert out.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled" in out.read("[Content_Types].xml")


def test_never_over_the_input_or_an_existing_file(tmp_path: Path) -> None:
    book = make_book(tmp_path / "deals.xlsx")
    before = book.read_bytes()
    same = run("check", "deals.xlsx", "--annotate", "deals.xlsx", cwd=tmp_path)
    assert same.returncode == 2
    assert "is the input file" in same.stderr
    (tmp_path / "flags.xlsx").write_bytes(b"old")
    exists = run("check", "deals.xlsx", "--annotate", "flags.xlsx", cwd=tmp_path)
    assert exists.returncode == 2
    assert (tmp_path / "flags.xlsx").read_bytes() == b"old"
    forced = run("check", "deals.xlsx", "--annotate", "flags.xlsx", "--force", cwd=tmp_path)
    assert forced.returncode == 1
    assert zipfile.is_zipfile(tmp_path / "flags.xlsx")
    assert book.read_bytes() == before
    again = run("check", "flags.xlsx", "--annotate", "twice.xlsx", cwd=tmp_path)
    assert again.returncode == 2
    assert 'already has a sheet named "App Link Check"' in again.stderr


def test_prepare_xlsx_appends_and_fills_the_app_link_columns(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Listings"
    sheet.append(["Name", "Zillow ID", "Agent Email"])
    sheet.append(["Beacon St", 59187422, "ana@example.com"])
    sheet.append(["Elm Court", "2071534988", None])
    sheet.append(["Oak Lane", None, "jo@example.com"])
    book.save(tmp_path / "listings.xlsx")
    done = run(
        "prepare", "listings.xlsx", "--app", "zillow.com", "--id-column", "Zillow ID",
        "--xlsx", "listings-flags.xlsx", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = openpyxl.load_workbook(tmp_path / "listings-flags.xlsx")
    data = out["Listings"]
    assert [[c.value for c in row] for row in data.iter_rows()] == [
        ["Name", "Zillow ID", "Agent Email", "App ID", "App Unique ID", "App Name",
         "App Content URL"],
        ["Beacon St", 59187422, "ana@example.com", "zillow.com", "59187422", "Zillow",
         "https://www.zillow.com/homedetails/59187422_zpid/"],
        ["Elm Court", "2071534988", None, "zillow.com", "2071534988", "Zillow",
         "https://www.zillow.com/homedetails/2071534988_zpid/"],
        ["Oak Lane", None, "jo@example.com", None, None, None, None],
    ]  # fmt: skip
    assert data["E2"].number_format == "@"
    assert data.column_dimensions["G"].width == 48
    codes = {r.formula[0] for cf in data.conditional_formatting for r in cf.rules}
    assert len(codes) == len(conditional_rules(data_headers(data)))
    assert (tmp_path / "listings - Cloze import.csv").exists()


def data_headers(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def test_csv_input_gets_a_plain_workbook(tmp_path: Path) -> None:
    (tmp_path / "deals.csv").write_text(
        "Name,App ID,App Unique ID\r\nA,zillow.com,1\r\nB,Zillow.com,2\r\n", encoding="utf-8"
    )
    done = run("check", "deals.csv", "--annotate", "deals.xlsx", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    out = openpyxl.load_workbook(tmp_path / "deals.xlsx")
    assert out.sheetnames == ["Sheet1", CHECK_SHEET]
    assert [[c.value for c in r] for r in out["Sheet1"].iter_rows()] == [
        ["Name", "App ID", "App Unique ID"],
        ["A", "zillow.com", "1"],
        ["B", "Zillow.com", "2"],
    ]


@pytest.mark.libreoffice
def test_libreoffice_opens_the_copy_and_keeps_every_rule(tmp_path: Path) -> None:
    book = make_book(tmp_path / "deals.xlsx")
    table = read_table(book)
    result = write_annotated(book, table, check(table), tmp_path / "flags.xlsx")
    again = convert(tmp_path / "flags.xlsx", "xlsx", tmp_path / "lo")
    out = openpyxl.load_workbook(again)
    assert out.sheetnames == ["Deals", "Notes", CHECK_SHEET]
    rules = [r for cf in out["Deals"].conditional_formatting for r in cf.rules]
    assert len(rules) == len(result.rules) + 1
    assert len(out["Deals"].data_validations.dataValidation) == 2
    assert out[CHECK_SHEET]["C6"].hyperlink.location == "'Deals'!B3"


def test_the_name_column_option_reaches_the_flags(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for row in [["Deal", "Street", "Email"], ["Smith deal", None, "ana@example.com"]]:
        book.active.append(row)
    book.save(tmp_path / "deals.xlsx")
    table = read_table(tmp_path / "deals.xlsx")
    report = check(table, name_column="Street")
    result = write_annotated(
        tmp_path / "deals.xlsx", table, report, tmp_path / "flags.xlsx", name_column="Street"
    )
    assert report.locations() == [(2, "Street", "name-missing")]
    assert [(r.code, r.sqref) for r in result.rules if r.code == "name-missing"] == [
        ("name-missing", "B2:B1002")
    ]


def test_the_users_own_validation_of_the_app_id_column_is_kept(tmp_path: Path) -> None:
    """A list the user set on the App ID column (from its first column on) wins: no second one."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deals"
    sheet.append(HEADERS)
    sheet.append(ROWS[0])
    apps = DataValidation(type="list", formula1='"zillow.com,redfin.com"')
    apps.add("C2:E50")
    sheet.add_data_validation(apps)
    book.save(tmp_path / "deals.xlsx")
    table = read_table(tmp_path / "deals.xlsx")
    write_annotated(tmp_path / "deals.xlsx", table, check(table), tmp_path / "flags.xlsx")
    out = openpyxl.load_workbook(tmp_path / "flags.xlsx")["Deals"]
    validations = [(str(v.sqref), v.formula1) for v in out.data_validations.dataValidation]
    assert validations == [("C2:E50", '"zillow.com,redfin.com"')]


def test_an_issue_of_a_repeated_header_points_at_its_first_column(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deals"
    sheet.append(["Name", "Stage", "Name", "Email"])
    sheet.append(["12 Elm St", "Active", "Elm", "ana@example.com"])
    book.save(tmp_path / "deals.xlsx")
    table = read_table(tmp_path / "deals.xlsx")
    write_annotated(tmp_path / "deals.xlsx", table, check(table), tmp_path / "flags.xlsx")
    listing = openpyxl.load_workbook(tmp_path / "flags.xlsx")[CHECK_SHEET]
    rows = [row[:5] for row in listing.iter_rows(min_row=6, max_row=7, values_only=True)]
    assert rows == [(1, "Name", "A1", "header-duplicate", "error"), (None,) * 5]
    assert listing["C6"].hyperlink.location == "'Deals'!A1"
