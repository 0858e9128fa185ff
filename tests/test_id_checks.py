"""App Unique IDs against their app: its id form, the row's own link, one record on two rows."""

from __future__ import annotations

import dataclasses

import pytest

from applinks.checks import check
from applinks.record_ids import salesforce_18
from applinks.registry import AppEntry, Registry, load_registry
from applinks.table import Table

LINK = ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"]
LIGHTNING = "https://acme.lightning.force.com/lightning/r/Opportunity/{}/view"
SF15, SF18 = "006j000000Pkp1d", "006j000000Pkp1dAAB"


#: Salesforce's 15-character ids and their 18-character forms: the documented checksum (bit i of
#: each 5-character chunk set when character i is an upper-case letter).
SALESFORCE_IDS = [
    ("006j000000Pkp1d", "006j000000Pkp1dAAB"),
    ("001A0000006Vm9r", "001A0000006Vm9rIAC"),
    ("00000000000000A", "00000000000000AAAQ"),
    ("AAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAA555"),
    ("aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaAAA"),
    ("ZzZzZzZzZzZzZzZ", "ZzZzZzZzZzZzZzZVKV"),
]


@pytest.mark.parametrize(("short", "long"), SALESFORCE_IDS, ids=[s for s, _ in SALESFORCE_IDS])
def test_a_salesforce_id_and_its_18_character_form(short: str, long: str) -> None:
    salesforce = load_registry().get("salesforce.com")
    assert salesforce is not None
    assert salesforce_18(short) == long
    assert salesforce.canonical_id(short) == long
    assert salesforce.canonical_id(long) == long  # the 18-character form is the one form


@pytest.mark.parametrize("uid", ["006j000000Pkp1", "006j000000Pkp1dA", "006j000000Pkp1-", ""])
def test_other_ids_keep_their_form(uid: str) -> None:
    assert salesforce_18(uid) == uid
    zillow = load_registry().get("zillow.com")
    assert zillow is not None and zillow.canonical_id("006j000000Pkp1d") == "006j000000Pkp1d"


def test_an_id_form_the_registry_does_not_know_is_refused() -> None:
    from applinks.registry import _entry_from_table

    with pytest.raises(ValueError, match="id_form 'crc' is not one of"):
        _entry_from_table({"app_id": "example.com", "name": "Ex", "id_form": "crc"}, "built-in")


def test_a_users_template_keeps_the_built_in_id_form() -> None:
    mine = AppEntry("salesforce.com", "Salesforce", source="templates.csv")
    registry = load_registry().with_overrides([mine])
    entry = registry.get("salesforce.com")
    assert entry is not None and entry.canonical_id("006j000000Pkp1d") == "006j000000Pkp1dAAB"


def test_ids_checked_against_their_app_whole_report() -> None:
    """The issue's sheet: a Salesforce id under Zillow, an id that is not its own link's, and
    one Salesforce record written in its 15- and 18-character forms (twice the 15)."""
    rows = [
        ["a", "zillow.com", "006j000000Pkp1d", "Zillow",
         "https://www.zillow.com/homedetails/006j000000Pkp1d_zpid/"],
        ["b", "zillow.com", "1234567", "Zillow",
         "https://www.zillow.com/homedetails/7654321_zpid/"],
        ["c", "salesforce.com", SF15, "Salesforce", LIGHTNING.format(SF18)],
        ["d", "salesforce.com", SF18, "Salesforce", LIGHTNING.format(SF15)],
        ["e", "salesforce.com", "006j000000Pkp1d", "Salesforce", ""],
        ["f", "example.com", "anything at all", "Example", "https://example.com/7"],
        ["g", "redfin.com", "1234567", "Redfin", "https://www.redfin.com/MA/Boston/x/home/1234567"],
    ]  # fmt: skip
    same = (
        'Row {}: App Unique ID "006j000000Pkp1d" is the same record as the id on row(s) {}, '
        'written another way; Cloze would keep two records of it, so write "006j000000Pkp1dAAB" '
        "on every row."
    )
    duplicate = (
        'Row {}: App ID "salesforce.com" with App Unique ID "006j000000Pkp1d" also appears on '
        "row(s) {}; Cloze would merge these rows into one record, so give each its own id."
    )
    missing = (
        'Row 6: App ID "salesforce.com" has no App Content URL; add the link to the record so it '
        "opens from Cloze."
    )
    report = check(Table(LINK, rows))
    assert [dataclasses.astuple(i) for i in report] == [
        (2, "App Unique ID", "unique-id-not-app-format", "warning",
         'Row 2: App Unique ID "006j000000Pkp1d" does not have the form of a Zillow id, so its '
         'link may not open the record; check that the id and the App ID "zillow.com" name the '
         "same app.", "006j000000Pkp1d", ""),
        (3, "App Unique ID", "unique-id-url-mismatch", "warning",
         'Row 3: App Unique ID "1234567" is not the record its App Content URL opens, which is '
         '"7654321"; make the id and the link name the same record.', "1234567", "7654321"),
        (4, "App Unique ID", "unique-id-duplicate", "error", duplicate.format(4, 6),
         "006j000000Pkp1d", ""),
        (4, "App Unique ID", "unique-id-same-record", "error", same.format(4, 5),
         "006j000000Pkp1d", "006j000000Pkp1dAAB"),
        (6, "App Unique ID", "unique-id-duplicate", "error", duplicate.format(6, 4),
         "006j000000Pkp1d", ""),
        (6, "App Unique ID", "unique-id-same-record", "error", same.format(6, 5),
         "006j000000Pkp1d", "006j000000Pkp1dAAB"),
        (6, "App Content URL", "url-missing", "warning", missing, "", ""),
    ]  # fmt: skip


def test_an_app_without_an_id_pattern_or_link_forms_is_not_checked() -> None:
    registry = Registry((AppEntry("example.com", "Example", hosts=("example.com",)),))
    rows = [["a", "example.com", "x y", "Example", "https://example.com/other"]]
    assert list(check(Table(LINK, rows), registry=registry)) == []


def test_a_users_id_pattern_is_checked() -> None:
    mine = AppEntry("example.com", "Example CRM", id_pattern=r"D-\d+", source="templates.csv")
    rows = [["a", "example.com", "D-7", "Example CRM", "https://example.com/d/7"]]
    rows += [["b", "example.com", "7", "Example CRM", "https://example.com/d/7"]]
    report = check(Table(LINK, rows), registry=Registry((mine,)))
    assert report.locations() == [(3, "App Unique ID", "unique-id-not-app-format")]


#: Links of the apps' own forms: a link that gives back its row's id is passed over with one
#: regular expression per row; the others are read through the registry. Both ways agree.
READ_BACK_ROWS = [
    ["a", "zillow.com", "1234567", "Zillow", "https://www.zillow.com/homedetails/1234567_zpid/"],
    ["b", "zillow.com", "2345678", "Zillow", "https://www.zillow.com/homedetails/7654321_zpid/"],
    ["c", "atlassian.com", "abc-1", "Jira", "https://acme.atlassian.net/browse/abc-1"],
    ["d", "atlassian.com", "ABC-2", "Jira", "https://acme.atlassian.net/browse/ABC-2"],
    ["e", "example.com", "a%20b", "Example", "https://example.com/r/a%20b"],
    ["f", "bit.ly", "abc", "Bitly", "https://bit.ly/abc"],
    ["g", "zillow.com", "123", "Zillow", "https://www.zillow.com/homedetails/123_zpid/"],
    ["h", "zillow.com", "x7654321", "Zillow", "https://www.zillow.com/homedetails/x7654321_zpid/"],
    ["i", "example.org", "ab-1", "Tracker", "https://example.org/i/ab-1"],
    ["j", "zillow.com", "3456789", "Zillow", "https://www.zillow.com/homedetails/3456789_zpid/"],
]  # fmt: skip


@pytest.mark.parametrize(
    ("valid", "odd", "at"),
    [(True, "", -1), (False, " ", -1), (True, "?ref=caf\u00e9", 1)],
    ids=["plain links", "one link not plain", "one link not plain but valid"],
)
def test_links_that_give_back_their_id_whole_report(valid: bool, odd: str, at: int) -> None:
    """An encoded id reads decoded, a short link as no id, an id of an app whose ids are in
    capitals in capitals; an id that does not fit its app is read by the app's other link
    forms (Zillow's finds the zpid in the link). A block with a link that is not plain (read
    whole) reads its plain links back as a block of plain links does; a valid link that is not
    plain (row 3's, which opens another record than its id) is read whole, its id from it."""
    mine = [
        AppEntry("example.com", "Example", kinds={"record": "https://example.com/r/{id}"}),
        AppEntry("bit.ly", "Bitly", kinds={"link": "https://bit.ly/{id}"}),
        AppEntry("example.org", "Tracker", kinds={"issue": "https://example.org/i/{id}"},
                 upper_ids=True),
    ]  # fmt: skip
    registry = load_registry().with_overrides(mine)
    rows = [list(row) for row in READ_BACK_ROWS]
    if odd.isspace():  # (a link with a space before it: not a web address)
        rows[at][-1] = odd + rows[at][-1]
    elif odd:  # (a link with a letter outside ASCII: a web address, not a plain one)
        rows[at][-1] += odd
    report = check(Table(LINK, rows), registry=registry)
    found = [(i.row, i.column, i.code, i.value, i.suggestion) for i in report]
    assert found == [
        (3, "App Unique ID", "unique-id-url-mismatch", "2345678", "7654321"),
        (4, "App Unique ID", "unique-id-not-app-format", "abc-1", ""),
        (4, "App Unique ID", "unique-id-url-mismatch", "abc-1", "ABC-1"),
        (6, "App Unique ID", "unique-id-url-mismatch", "a%20b", "a b"),
        (8, "App Unique ID", "unique-id-not-app-format", "123", ""),
        (9, "App Unique ID", "unique-id-not-app-format", "x7654321", ""),
        (9, "App Unique ID", "unique-id-url-mismatch", "x7654321", "7654321"),
        (10, "App Unique ID", "unique-id-url-mismatch", "ab-1", "AB-1"),
        *([] if valid else [(11, "App Content URL", "url-invalid", rows[-1][-1], "")]),
    ]
