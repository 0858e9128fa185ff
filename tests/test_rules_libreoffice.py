"""Every rule's formula, evaluated by LibreOffice, agrees with the Python check on each value."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import python_calamine
from openpyxl.formula.translate import Translator

from applinks.checks import check
from applinks.files.read import read_table
from applinks.headers import column_letter
from applinks.rules import LIMITS, RULE_CODES, conditional_rules
from tests.office import convert

HEADERS = ["Name", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL", "Email"]
LONG_LABEL = "a" * 64 + ".com"
#: The longest name DNS allows, 253 characters (labels of at most 63), and one character more.
NAME_253 = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 57]) + ".com"
NAME_254 = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 58]) + ".com"

#: (case id, column, value): each case is one row of good values with one cell replaced.
#: ``None`` empties the cell. Every App ID defect of SPEC section 4 is here.
#: A cell that holds Excel's error value #N/A (not the text "#N/A").
ERROR_NA = ("error", "#N/A")
#: A cell whose formula shows empty text: text to a spreadsheet, nothing to the check (the
#: reader sees no value), and no formula-like value either way.
FORMULA_EMPTY_TEXT = ("formula", '=""')

CASES: list[tuple[str, str, object]] = [
    ("good", "App ID", "zillow.com"),
    ("good-co-uk", "App ID", "example.co.uk"),
    ("good-punycode", "App ID", "xn--zillw-sqa.com"),
    ("upper", "App ID", "Salesforce.com"),
    ("all-upper", "App ID", "SALESFORCE.COM"),
    ("url", "App ID", "https://www.zillow.com/"),
    ("url-upper", "App ID", "HTTPS://Zillow.com"),
    ("www", "App ID", "www.zillow.com"),
    ("path", "App ID", "zillow.com/homes"),
    ("port", "App ID", "zillow.com:443"),
    ("query", "App ID", "zillow.com?x=1"),
    ("fragment", "App ID", "zillow.com#top"),
    ("no-dot", "App ID", "zillow"),
    ("no-dot-upper", "App ID", "Zillow"),
    ("inner-space", "App ID", "my app.com"),
    ("leading-space", "App ID", " zillow.com"),
    ("trailing-space", "App ID", "zillow.com "),
    ("leading-tab", "App ID", "\tzillow.com"),
    ("non-ascii", "App ID", "zillów.com"),
    ("underscore", "App ID", "my_app.com"),
    ("equals", "App ID", "=zillow.com"),
    ("double-dot", "App ID", "zillow..com"),
    ("leading-dot", "App ID", ".zillow.com"),
    ("trailing-dot", "App ID", "zillow.com."),
    ("leading-hyphen", "App ID", "-zillow.com"),
    ("label-hyphen", "App ID", "zillow-.com"),
    ("label-hyphen-first", "App ID", "www2.-zillow.com"),
    ("ip", "App ID", "192.168.0.1"),
    ("subdomain", "App ID", "na16.salesforce.com"),
    ("unknown-ending", "App ID", "example.comm"),
    ("only-ending", "App ID", "co.uk"),
    ("url-with-bad-host", "App ID", "https://bad host.com/"),
    ("long-label", "App ID", LONG_LABEL),
    ("name-253-characters", "App ID", NAME_253),
    ("name-254-characters", "App ID", NAME_254),
    ("app-id-empty", "App ID", None),
    ("uid-empty", "App Unique ID", None),
    ("uid-leading-space", "App Unique ID", " 12345"),
    ("uid-trailing-space", "App Unique ID", "12345 "),
    ("uid-trailing-line-feed", "App Unique ID", "12345\n"),
    ("uid-leading-line-feed", "App Unique ID", "\n12345"),
    ("uid-nbsp", "App Unique ID", "\u00a0x1"),
    ("uid-exponent", "App Unique ID", "1.42E+18"),
    ("uid-exponent-plain", "App Unique ID", "12e5"),
    ("uid-not-exponent", "App Unique ID", "1e"),
    ("uid-two-dots", "App Unique ID", "1.5e3.2"),
    ("uid-trailing-zero", "App Unique ID", "123.0"),
    ("uid-negative-zeros", "App Unique ID", "-123.00"),
    ("uid-big-number", "App Unique ID", 1.42e18),
    ("uid-fraction", "App Unique ID", 1.5),
    ("uid-number", "App Unique ID", 12345),
    ("uid-leading-zeros", "App Unique ID", "00123"),
    ("uid-long-text", "App Unique ID", "1234567890123456789"),
    ("uid-salesforce", "App Unique ID", "a001Xb"),
    ("uid-duplicate-1", "App Unique ID", "dup-1"),
    ("uid-duplicate-2", "App Unique ID", "dup-1"),
    ("uid-case-1", "App Unique ID", "Case-1"),
    ("uid-case-2", "App Unique ID", "case-1"),
    # Ids stored as numbers, as text, and both: the CSV writes 59187422 either way, so Cloze
    # sees one id; a Salesforce id differs by case only.
    ("uid-number-duplicate-1", "App Unique ID", 59187422),
    ("uid-number-duplicate-2", "App Unique ID", 59187422),
    ("uid-number-text-1", "App Unique ID", 59187423),
    ("uid-number-text-2", "App Unique ID", "59187423"),
    ("uid-number-text-space", "App Unique ID", " 59187423"),
    ("uid-15-digits-1", "App Unique ID", 123456789012345),
    ("uid-15-digits-2", "App Unique ID", "123456789012345"),
    ("uid-15-digits-next", "App Unique ID", 123456789012346),
    ("uid-zeros-as-number", "App Unique ID", 123),
    # Excel keeps 15 significant digits: the boundary on each side, and below zero.
    ("uid-15-digits-largest", "App Unique ID", 999_999_999_999_999),
    ("uid-16-digits-smallest", "App Unique ID", 1_000_000_000_000_000),
    ("uid-15-digits-negative", "App Unique ID", -999_999_999_999_999),
    ("uid-16-digits-negative", "App Unique ID", -1_000_000_000_000_000),
    ("uid-salesforce-case-1", "App Unique ID", "001A000001aBcDe"),
    ("uid-salesforce-case-2", "App Unique ID", "001A000001AbCdE"),
    ("uid-empty-2", "App Unique ID", None),
    ("uid-blank", "App Unique ID", "   "),
    ("name-empty", "App Name", None),
    ("url-empty", "App Content URL", None),
    ("url-no-scheme", "App Content URL", "zillow.com/homedetails/1"),
    ("url-ftp", "App Content URL", "ftp://zillow.com/x"),
    ("url-only-scheme", "App Content URL", "https://"),
    ("url-no-host", "App Content URL", "https:///x"),
    ("url-upper-scheme", "App Content URL", "HTTPS://www.zillow.com/x"),
    ("url-http", "App Content URL", "http://www.zillow.com/x"),
    ("url-http-no-host", "App Content URL", "http:///x"),
    ("url-space", "App Content URL", "https://www.zillow.com/a b"),
    ("url-leading-space", "App Content URL", " https://www.zillow.com/x"),
    ("url-other-app", "App Content URL", "https://salesforce.com/x"),
    ("url-number", "App Content URL", 12345),
    ("url-javascript", "App Content URL", "javascript:alert(1)"),
    ("stage-lower", "Stage", "active"),
    ("stage-unknown", "Stage", "Won"),
    ("stage-empty", "Stage", None),
    ("title-empty", "Name", None),
    ("title-minus", "Name", "-Big deal"),
    ("title-plus", "Name", "+1 555 0100"),
    ("title-at", "Name", "@home"),
    ("error-cell", "Email", ERROR_NA),
    ("error-text", "Email", "#N/A"),
    ("empty-text-formula", "Email", FORMULA_EMPTY_TEXT),
    # Every start SPEC section 4 names (=, +, -, @, tab, CR), and near misses.
    ("title-equals", "Name", "=1+1"),
    ("title-tab", "Name", "\tBig deal"),
    ("title-cr", "Name", "\rBig deal"),
    ("title-lf", "Name", "\nBig deal"),
    ("title-space-equals", "Name", " =1+1"),
    ("email-only", "App ID", ("no-pair", "a@example.com")),
    ("nothing", "App ID", ("no-pair", None)),
]

#: Where a rule and the check disagree: (case id, code) -> the LIMITS entry that explains it.
EXPECTED_DIFFERENCES = {
    ("unknown-ending", "app-id-not-domain"): "app-id-not-domain",
    ("only-ending", "app-id-not-domain"): "app-id-not-domain",
    ("url-with-bad-host", "app-id-not-domain"): "app-id-not-domain",
    ("long-label", "app-id-not-domain"): "app-id-not-domain",
    ("error-text", "cell-error"): "cell-error",
}


#: The boundary rows: SPEC section 4's verdict on each (the check's and the rule's alike).
BOUNDARY_VERDICTS = {
    ("uid-15-digits-largest", "unique-id-mangled"): False,
    ("uid-16-digits-smallest", "unique-id-mangled"): True,
    ("uid-15-digits-negative", "unique-id-mangled"): False,
    ("uid-16-digits-negative", "unique-id-mangled"): True,
    ("name-253-characters", "app-id-not-domain"): False,
    ("name-254-characters", "app-id-not-domain"): True,
    ("title-equals", "formula-like-value"): True,
    ("title-tab", "formula-like-value"): True,
    ("title-cr", "formula-like-value"): True,
    ("title-lf", "formula-like-value"): False,
    ("title-space-equals", "formula-like-value"): False,
    ("empty-text-formula", "formula-like-value"): False,
    ("uid-trailing-line-feed", "unique-id-whitespace"): True,
    ("uid-leading-line-feed", "unique-id-whitespace"): True,
    ("url-http", "url-invalid"): False,
    ("url-http-no-host", "url-invalid"): True,
    ("label-hyphen-first", "app-id-not-domain"): True,
}


def _rows() -> list[list[object]]:
    rows = []
    for number, (_case, column, value) in enumerate(CASES, start=1):
        row: list[object] = [
            f"Deal {number}",
            "Active",
            "zillow.com",
            f"id-{number}",
            "Zillow",
            f"https://www.zillow.com/homedetails/{number}_zpid/",
            None,
        ]
        if value in (ERROR_NA, FORMULA_EMPTY_TEXT):
            row[HEADERS.index(column)] = value
        elif isinstance(value, tuple):  # no (App ID, App Unique ID) pair; maybe an email
            row[2] = row[3] = None
            row[6] = value[1]
        else:
            row[HEADERS.index(column)] = value
        rows.append(row)
    return rows


def _write(path: Path, rows: list[list[object]], verdicts: list[tuple[str, int, str]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(HEADERS)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            if value == ERROR_NA:
                sheet.cell(r, c).value = "#N/A"
                sheet.cell(r, c).data_type = "e"  # the error value itself
                continue
            if value == FORMULA_EMPTY_TEXT:
                sheet.cell(r, c, FORMULA_EMPTY_TEXT[1])  # a formula, no value saved
                continue
            if isinstance(value, str):
                # A CR goes into the file escaped (a raw one in XML is read as a line feed).
                cell = sheet.cell(r, c, value.replace("\r", "_x000D_"))
                cell.data_type = "s"  # a value such as "=zillow.com" stays text
            else:
                sheet.cell(r, c, value)
    for c, (_, r, formula) in enumerate(verdicts):
        # Verdict cells go in their own columns far to the right of the data.
        sheet.cell(r, 20 + c // len(rows), f"=IF({formula},1,0)")
    book.save(path)


@pytest.mark.libreoffice
def test_rule_formulas_agree_with_the_check(tmp_path: Path) -> None:
    assert len(CASES) >= 40
    rows = _rows()
    last = len(rows) + 1
    rules = conditional_rules(HEADERS, last_row=last)
    assert {r.code for r in rules} == set(RULE_CODES)

    # Python's verdicts, from the same file the spreadsheet sees.
    plain = tmp_path / "values.xlsx"
    _write(plain, rows, [])
    report = check(read_table(plain))
    expected = {(i.row, i.code, i.column) for i in report if i.code in RULE_CODES}

    # The spreadsheet's verdicts: each rule's formula, moved to every row (and, for a rule over
    # every column, to every column), as a cell formula.
    verdicts: list[tuple[str, int, str]] = []
    places: list[tuple[int, str, str]] = []
    for rule in rules:
        columns = [rule.header] if rule.header else HEADERS
        for header in columns:
            letter = column_letter(HEADERS.index(header))
            for r in range(2, last + 1):
                moved = Translator("=" + rule.formula, origin=rule.anchor).translate_formula(
                    f"{letter}{r}"
                )
                verdicts.append((rule.code, r, moved[1:]))
                places.append((r, rule.code, header))
    # One column of verdict cells per (rule, column); all have len(rows) cells.
    with_formulas = tmp_path / "formulas.xlsx"
    _write(with_formulas, rows, verdicts)
    computed = convert(with_formulas, "xlsx", tmp_path / "out")
    grid = python_calamine.CalamineWorkbook.from_path(str(computed)).get_sheet_by_name("Data")
    values = grid.to_python(skip_empty_area=False)
    got = set()
    errors = []
    case_of = {r: case for r, (case, _, _) in enumerate(CASES, start=2)}
    for index, (r, code, header) in enumerate(places):
        cell = values[r - 1][19 + index // len(rows)]
        if cell == "" and case_of[r] == "error-cell" and code != "cell-error":
            cell = 0  # an error makes a formula that reads it an error: no flag (as in Excel)
        if cell not in (0, 1):
            errors.append((r, code, header, cell))
        if cell == 1:
            got.add((r, code, header))
    assert errors == []

    differences = {
        (case_of[r], code): ("rule" if (r, code, h) in got else "check")
        for r, code, h in got ^ expected
    }
    assert differences == dict.fromkeys(EXPECTED_DIFFERENCES, "check"), differences
    for name, found in (("check", expected), ("rule", got)):
        flagged = {(case_of[r], code) for r, code, _ in found}
        verdicts = {key: key in flagged for key in BOUNDARY_VERDICTS}
        assert verdicts == BOUNDARY_VERDICTS, name
    assert set(EXPECTED_DIFFERENCES.values()) <= set(LIMITS)
    # The table really exercises every rule: each one flags at least one case.
    assert {code for _, code, _ in expected} == set(RULE_CODES)
