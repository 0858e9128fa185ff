"""Every issue code of SPEC section 4, found in real files at the right row."""

from __future__ import annotations

from pathlib import Path

import pytest

from applinks.checks import check
from applinks.files.read import read_table
from applinks.issues import CODES
from applinks.table import Table

DATA = Path(__file__).parent / "data"

# defects.csv plants one defect per row (rows 20-21 together spell one source two ways).
DEFECTS = [
    (2, "App ID", "app-id-not-domain"),
    (3, "App ID", "app-id-not-lowercase"),
    (3, "App ID", "app-id-inconsistent"),
    (4, "App ID", "app-id-has-url-parts"),
    (4, "App ID", "app-id-inconsistent"),
    (5, "App ID", "app-id-subdomain"),
    (6, "App ID", "app-id-missing"),
    (7, "App Unique ID", "unique-id-missing"),
    (8, "App Unique ID", "unique-id-duplicate"),
    (9, "App Unique ID", "unique-id-duplicate"),
    (10, "App Unique ID", "unique-id-mangled"),
    (11, "App Unique ID", "unique-id-whitespace"),
    (12, "App Name", "app-name-missing"),
    (13, "App Content URL", "url-missing"),
    (14, "App Content URL", "url-invalid"),
    (15, "App Content URL", "url-app-mismatch"),
    (16, "Name", "name-missing"),
    (17, "App ID", "row-not-importable"),
    (18, "Stage", "stage-invalid"),
    (19, "Notes", "formula-like-value"),
    (21, "App ID", "app-id-not-lowercase"),
    (21, "App ID", "app-id-inconsistent"),
]

HEADER_FILES = {
    "name-column-missing": [(1, "Name", "name-column-missing")],
    "header-near-miss": [(1, "AppID", "header-near-miss")],
    "header-near-miss-unused": [(1, "AppID", "header-near-miss-unused")],
    "header-name-alias": [(1, "Deal Name", "header-name-alias")],
    "header-duplicate": [(1, "Name", "header-duplicate")],
    "header-not-first-row": [(2, "Name", "header-not-first-row")],
    "cell-error": [(2, "Lookup", "cell-error"), (3, "Price", "cell-error")],
}


def test_defects_file_gives_exactly_the_planted_issues() -> None:
    report = check(read_table(DATA / "defects.csv"))
    assert report.locations() == DEFECTS


def test_clean_file_has_no_issues() -> None:
    assert check(read_table(DATA / "clean.csv")).issues == []


@pytest.mark.parametrize("code", sorted(CODES), ids=str)
def test_each_code_is_found_in_a_real_file(code: str) -> None:
    if code in HEADER_FILES:
        report = check(read_table(DATA / "codes" / f"{code}.csv"))
        assert report.locations() == HEADER_FILES[code]
    else:
        report = check(read_table(DATA / "defects.csv"))
        expected = [k for k in DEFECTS if k[2] == code]
        assert expected, f"defects.csv plants no {code}"
        assert [k for k in report.locations() if k[2] == code] == expected
    issue = next(i for i in report if i.code == code)
    assert issue.severity == CODES[code][0]
    assert issue.message.endswith(".") and "{" not in issue.message


def test_messages_values_and_suggestions() -> None:
    report = check(read_table(DATA / "defects.csv"))
    by_key = {(i.row, i.code): i for i in report}
    lower = by_key[(3, "app-id-not-lowercase")]
    assert (lower.message, lower.value, lower.suggestion) == (
        'Row 3: App ID "Zillow.com" has capital letters; use "zillow.com".',
        "Zillow.com",
        "zillow.com",
    )
    dup = by_key[(8, "unique-id-duplicate")]
    assert dup.message == (
        'Row 8: App ID "zillow.com" with App Unique ID "10008" also appears on row(s) 9; Cloze '
        "would merge these rows into one record, so give each its own id."
    )
    assert by_key[(5, "app-id-subdomain")].suggestion == "salesforce.com"
    assert by_key[(11, "unique-id-whitespace")].suggestion == "10011"
    assert by_key[(12, "app-name-missing")].suggestion == "Zillow"


def test_numbers_past_fifteen_digits_are_mangled_but_text_ids_are_not() -> None:
    table = Table(
        ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"],
        [
            ["a", "lofty.com", 1142886436094613, "Lofty", "https://crm.lofty.com/x"],
            ["b", "lofty.com", "1142886436094613", "Lofty", "https://crm.lofty.com/y"],
            ["c", "lofty.com", "48616032.0", "Lofty", "https://crm.lofty.com/z"],
            ["d", "lofty.com", 48616032, "Lofty", "https://crm.lofty.com/w"],
        ],
    )
    mangled = [(i.row, i.value) for i in check(table) if i.code == "unique-id-mangled"]
    assert mangled == [(2, "1142886436094613"), (4, "48616032.0")]


def test_stage_hint_and_case() -> None:
    table = Table(["Name", "Stage", "Email"], [["a", "active", "x@example.com"]])
    (issue,) = check(table).issues
    assert issue.message == (
        'Row 2: Stage "active" is not one of Potential, Active, Done, Lost; use "Active".'
    )
    assert issue.suggestion == "Active"


def test_blank_rows_are_not_records() -> None:
    table = Table(["Name", "Email"], [["a", "x@example.com"], [None, None], []])
    assert check(table).issues == []
