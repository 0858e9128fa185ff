"""Every issue code of SPEC section 4, found in real files at the right row."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from applinks.checks import check
from applinks.files.read import read_table
from applinks.issues import CODES
from applinks.registry import AppEntry, Registry
from applinks.table import Table

from .test_checks_blocks import FILL_CODES

DATA = Path(__file__).parent / "data"

# defects.csv plants one defect per row (rows 20-21 together spell one source two ways, rows
# 24-25 write one Salesforce record two ways); row 10's damaged id is not its own link's either.
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
    (10, "App Unique ID", "unique-id-url-mismatch"),
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
    (22, "App Unique ID", "unique-id-not-app-format"),
    (23, "App Unique ID", "unique-id-url-mismatch"),
    (24, "App Unique ID", "unique-id-same-record"),
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


@pytest.mark.parametrize("code", sorted(set(CODES) - FILL_CODES), ids=str)
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


def as_shown(text: str) -> str:
    """Return ``text`` as a message shows it: tab, carriage return and line feed escaped."""
    return text.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def formula_like(row: int, value: str, start: str) -> str:
    """SPEC section 4: "a text value starting with =, +, -, @, tab or CR"; its message."""
    return (
        f'Row {row}: the Notes value "{as_shown(value)}" starts with "{start}", so a spreadsheet '
        "that opens the file may run it as a formula; check that it is meant."
    )


#: (Notes cell, how the message names its first character, or None: not formula-like).
NOTES = [
    ("=SUM(A1)", "="),
    ("+1 555 0100", "+"),
    ("-call back", "-"),
    ("@home", "@"),
    ("\tindented", "tab"),
    ("\rreturn", "carriage return"),
    (" =x", None),  # a space first: no spreadsheet runs it
    ("x=1", None),
    ("#tag", None),
    ("\nline", None),  # a line feed is not one of the starts
    ("*", None),
    ("", None),
    (None, None),
    (-5, None),  # a number, not text
]


def test_formula_like_values_start_as_the_spec_says() -> None:
    table = Table(["Name", "Email", "Notes"], [["a", "x@example.com", n] for n, _ in NOTES])
    expected = [
        (row, "Notes", "formula-like-value", "warning", formula_like(row, value, start), value, "")
        for row, (value, start) in enumerate(NOTES, start=2)
        if start is not None
    ]
    assert [dataclasses.astuple(i) for i in check(table)] == expected


#: SPEC section 4: Stage must be one of Potential, Active, Done, Lost, exactly.
STAGE_CASES = [
    ("Potential", None),
    ("Active", None),
    ("Done", None),
    ("Lost", None),
    ("Active ", "Active"),
    (" Lost", "Lost"),
    ("Active\t", "Active"),
    ("active", "Active"),
    ("DONE", "Done"),
    ("Won", ""),
    ("Act ive", ""),
    (1, ""),
    ("   ", None),  # blank: no stage given
    (None, None),
]


def test_a_stage_is_one_of_the_four_exactly() -> None:
    table = Table(["Name", "Email", "Stage"], [["a", "x@example.com", s] for s, _ in STAGE_CASES])
    expected = []
    for row, (value, suggestion) in enumerate(STAGE_CASES, start=2):
        if suggestion is None:
            continue
        text = as_shown(str(value))
        hint = f'; use "{suggestion}"' if suggestion else ""
        message = f'Row {row}: Stage "{text}" is not one of Potential, Active, Done, Lost{hint}.'
        expected.append((row, "Stage", "stage-invalid", "warning", message, str(value), suggestion))
    assert [dataclasses.astuple(i) for i in check(table)] == expected


def test_a_duplicate_names_ten_other_rows_then_how_many_more() -> None:
    """Rows 2-12 share one id (each has ten others) and rows 13-25 another (twelve others)."""
    rows = [["a", "zillow.com", "111", "Zillow", "https://www.zillow.com/h/1"]] * 11
    rows += [["b", "zillow.com", "222", "Zillow", "https://www.zillow.com/h/2"]] * 13
    table = Table(["Name", "App ID", "App Unique ID", "App Name", "App Content URL"], rows)
    found = {i.row: i.message for i in check(table) if i.code == "unique-id-duplicate"}
    assert sorted(found) == list(range(2, 26))
    message = (
        'Row {}: App ID "zillow.com" with App Unique ID "{}" also appears on row(s) {}; Cloze '
        "would merge these rows into one record, so give each its own id."
    )
    assert found[2] == message.format(2, "111", "3, 4, 5, 6, 7, 8, 9, 10, 11, 12")
    assert found[12] == message.format(12, "111", "2, 3, 4, 5, 6, 7, 8, 9, 10, 11")
    assert found[13] == message.format(
        13, "222", "14, 15, 16, 17, 18, 19, 20, 21, 22, 23 and 2 more"
    )
    assert found[25] == message.format(
        25, "222", "13, 14, 15, 16, 17, 18, 19, 20, 21, 22 and 2 more"
    )


LINK = ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"]


def not_a_web_address(row: int, url: str) -> str:
    """The message of SPEC section 4's url-invalid."""
    return (
        f'Row {row}: App Content URL "{as_shown(url)}" is not a full web address; it must start '
        'with "https://" or "http://".'
    )


#: SPEC section 4's url-invalid: "not an absolute http/https URL" (True: invalid).
URLS = [
    ("https://www.zillow.com/homedetails/1_zpid/", False),
    ("http://zillow.com/x", False),
    ("HTTPS://WWW.ZILLOW.COM/x", False),  # letter case does not matter in scheme and host
    ("https://www.zillow.com", False),
    ("https:///homedetails/1", True),  # no host
    ("https://", True),
    ("ftp://zillow.com/x", True),
    ("zillow.com/x", True),  # no scheme
    ("https://www.zillow.com/a b", True),  # a space inside
    ("https://www.zillow.com/a\nb", True),  # a line break inside
    ("https://www.zillow.com/a\tb", True),  # a tab inside
    (" https://www.zillow.com/x", True),  # a space first
    ("https://www.zillow.com/x ", True),  # a space last
]


def test_a_url_is_an_absolute_web_address_as_the_spec_says() -> None:
    rows = [
        [f"d{n}", "zillow.com", f"{10000 + n}", "Zillow", url] for n, (url, _) in enumerate(URLS)
    ]
    expected = [
        (row, "App Content URL", "url-invalid", "error", not_a_web_address(row, url), url, "")
        for row, (url, invalid) in enumerate(URLS, start=2)
        if invalid
    ]
    assert [dataclasses.astuple(i) for i in check(Table(LINK, rows))] == expected


DAMAGED = (
    'Row {}: App Unique ID "{}" looks damaged by Excel ({}); copy the id again from the source '
    "app and store the column as text."
)
EXPONENT = "it is in exponent form, which has lost digits"
POINT_ZERO = 'it ends in ".0", added when it was stored as a number'

#: Ids typed as text: SPEC section 4's exponent form and trailing ".0" (None: not damaged).
TEXT_IDS = [
    ("1.42E+18", EXPONENT),
    ("-1.42E+18", EXPONENT),
    ("+1E5", EXPONENT),
    ("1.42e18", EXPONENT),
    ("12.0", POINT_ZERO),
    ("12.00", POINT_ZERO),
    ("-12.0", POINT_ZERO),
    ("12.5", None),  # text with a fraction: nothing says Excel made it
    ("12.", None),
    ("1E", None),
    ("E5", None),
    ("1.2.0", None),
    ("0012", None),
]


def test_ids_in_exponent_form_or_with_a_trailing_point_zero_are_damaged() -> None:
    rows = [["d", "lofty.com", uid, "Lofty", "https://crm.lofty.com/x"] for uid, _ in TEXT_IDS]
    expected = [
        (row, "App Unique ID", "unique-id-mangled", "error", DAMAGED.format(row, uid, why), uid, "")
        for row, (uid, why) in enumerate(TEXT_IDS, start=2)
        if why is not None
    ]
    found = [i for i in check(Table(LINK, rows)) if i.code == "unique-id-mangled"]
    assert [dataclasses.astuple(i) for i in found] == expected  # (signs first: formula-like too)


def test_an_app_without_hosts_owns_the_links_of_its_own_domain() -> None:
    """An app the registry knows without host names: its links are on its registrable domain."""
    registry = Registry((AppEntry("example.com", "Example"),))
    urls = [
        "https://example.com/r/1",
        "https://www.example.com/r/2",
        "https://records.example.com/3",
        "https://example.org/r/4",
    ]
    rows = [["d", "example.com", str(n), "Example", url] for n, url in enumerate(urls)]
    message = (
        'Row 5: App Content URL "https://example.org/r/4" is on example.org, which does not '
        'belong to App ID "example.com"; check that the link and the App ID name the same app.'
    )
    assert [dataclasses.astuple(i) for i in check(Table(LINK, rows), registry=registry)] == [
        (5, "App Content URL", "url-app-mismatch", "warning", message, urls[3], "")
    ]


def test_a_repeated_near_miss_is_reported_once_as_a_duplicate() -> None:
    """Two "AppID" columns beside an exact "App ID": one issue, the duplicate header."""
    table = Table(["Name", "App ID", "AppID", "AppID", "Email"], [])
    message = (
        'Two columns are headed "AppID" (columns C and D); rename or remove one, since Cloze '
        "would read only one of them."
    )
    assert [dataclasses.astuple(i) for i in check(table)] == [
        (1, "AppID", "header-duplicate", "error", message, "AppID", "")
    ]


def test_an_app_id_that_shows_a_formulas_error_is_said_to_be_one() -> None:
    # Not "has capital letters; use """ or "is a web address": an error value is no App ID,
    # and nothing can be suggested from it.
    table = Table(
        ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"],
        [["A", "#N/A", "59187422", "Zillow", "https://www.zillow.com/homedetails/59187422_zpid/"]],
    )
    shown = (
        'Row 2: the App ID cell shows the error "#N/A" (a formula that could not be worked '
        'out); the CSV for Cloze carries "#N/A" as it is, so fix the formula in Excel or clear '
        "the cell."
    )
    assert [dataclasses.astuple(i) for i in check(table)] == [
        (
            2,
            "App ID",
            "app-id-not-domain",
            "error",
            'Row 2: App ID "#N/A" is not a domain name (it shows a formula\'s error); use the '
            'source\'s web domain, such as "salesforce.com".',
            "#N/A",
            "",
        ),
        (2, "App ID", "cell-error", "warning", shown, "#N/A", ""),
    ]
