"""Finding the Cloze columns among a sheet's headers, and the header row the CSV carries."""

from __future__ import annotations

import pytest

from applinks.cli_messages import cli_message
from applinks.errors import NameColumnTaken, NoNameColumn, NotANameColumn, UsageError
from applinks.headers import (
    NearMiss,
    Rename,
    cloze_headers,
    column_letter,
    find_column,
    map_headers,
    normalize,
)


def test_exact_headers_are_found_without_near_misses():
    found = map_headers(["Name", "App ID", "App Unique ID", "App Name", "App Content URL"])
    assert found.positions == {
        "Name": 0,
        "App ID": 1,
        "App Unique ID": 2,
        "App Name": 3,
        "App Content URL": 4,
    }
    assert found.near_misses == []


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("AppID", "App ID"),
        ("app id", "App ID"),
        ("App-ID", "App ID"),
        ("app unique id", "App Unique ID"),
        ("Unique ID", "App Unique ID"),
        ("App URL", "App Content URL"),
        ("App Link", "App Content URL"),
        ("App Uniqe ID", "App Unique ID"),
        (" Name", "Name"),
        ("stage", "Stage"),
    ],
    ids=lambda v: v,
)
def test_variants_and_typos_are_near_misses_used_as_the_column(header, canonical):
    found = map_headers(["Other", header])
    assert found.near_misses == [NearMiss(1, header, canonical)]
    assert found.positions[canonical] == 1
    assert found.unused == []


@pytest.mark.parametrize(
    "header",
    [
        "Nme",  # short headers are too short to guess at safely: not Name
        "Stge",
        "Stag",
        "Record ID",  # more than one typo from a Cloze header: not App Unique ID (apprecordid)
        "Content",  # not App Content URL (contenturl)
        "App Domain Name",  # not App ID (appdomain)
    ],
    ids=lambda v: v,
)
def test_headers_more_than_a_typo_away_are_left_alone(header):
    found = map_headers(["Other", header])
    assert (found.positions, found.near_misses, found.unused) == ({}, [], [])


@pytest.mark.parametrize("error", ["#NAME?", "#name?", " #NAME? ", "#NAME", "#N/A", "#NULL!"])
def test_a_header_showing_an_error_is_no_cloze_header(error):
    """A header formula that shows #NAME? is not the Name column ("#NAME?" -> "name")."""
    found = map_headers([error, "Stage"])
    assert (found.positions, found.near_misses, found.unused) == ({"Stage": 1}, [], [])


def test_exact_header_wins_over_a_variant():
    found = map_headers(["AppID", "App ID"])
    assert found.positions["App ID"] == 1
    assert (found.near_misses, found.unused) == ([], [NearMiss(0, "AppID", "App ID")])


def test_duplicates_and_email_columns():
    found = map_headers(["Name", "Email", "name", "Agent E-mail", "Notes"])
    assert found.duplicates == {"Name": [0, 2]}
    assert found.email_columns == [1, 3]


def test_unrelated_headers_are_left_alone():
    found = map_headers(["Zip", "Price", "Notes", "Listing URL"])
    assert found.positions == {}
    assert found.near_misses == []


def test_find_column_and_letters():
    assert find_column(["Zillow ID", "Zip"], "zillow id") == 0
    assert find_column(["Zillow ID"], "Redfin ID") is None
    assert [column_letter(p) for p in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert normalize("App-Content_URL ") == "appcontenturl"


# (headers, name_column) -> (header row of the CSV for Cloze, renames)
CLOZE_HEADERS = {
    "exact": (
        ["Name", "App ID", "App Unique ID", "App Name", "App Content URL", "Zip"],
        None,
        ["Name", "App ID", "App Unique ID", "App Name", "App Content URL", "Zip"],
        [],
    ),
    "variants": (
        ["name", "AppID", "Unique ID", "App URL", "stage", "Notes"],
        None,
        ["Name", "App ID", "App Unique ID", "App Content URL", "Stage", "Notes"],
        [
            Rename(0, "name", "Name"),
            Rename(1, "AppID", "App ID"),
            Rename(2, "Unique ID", "App Unique ID"),
            Rename(3, "App URL", "App Content URL"),
            Rename(4, "stage", "Stage"),
        ],
    ),
    "space-and-typo": (
        ["Name", "App ID ", "App Uniqe ID"],
        None,
        ["Name", "App ID", "App Unique ID"],
        [Rename(1, "App ID ", "App ID"), Rename(2, "App Uniqe ID", "App Unique ID")],
    ),
    "duplicate-near-miss-kept": (
        ["Name", "AppID", "App ID", "App Id"],
        None,
        ["Name", "AppID", "App ID", "App Id"],
        [],
    ),
    "first-of-two-variants": (
        ["Name", "AppID", "app id"],
        None,
        ["Name", "App ID", "app id"],
        [Rename(1, "AppID", "App ID")],
    ),
    "name-alias": (
        ["Property Address", "Deal Name", "App ID"],
        None,
        ["Property Address", "Name", "App ID"],
        [Rename(1, "Deal Name", "Name")],
    ),
    "address-alias": (
        ["Zip", "Property Address", "App ID"],
        None,
        ["Zip", "Name", "App ID"],
        [Rename(1, "Property Address", "Name")],
    ),
    "alias-not-used-beside-name": (
        ["Deal Name", "Name"],
        None,
        ["Deal Name", "Name"],
        [],
    ),
    "name-column": (
        ["Deal Name", "Property Address", "Zip"],
        "property address",
        ["Deal Name", "Name", "Zip"],
        [Rename(1, "Property Address", "Name")],
    ),
    "name-column-is-name": (["Name", "Street"], "Name", ["Name", "Street"], []),
    "name-column-over-a-variant": (
        ["name", "Street"],
        "Street",
        ["name", "Name"],
        [Rename(1, "Street", "Name")],
    ),
}


@pytest.mark.parametrize(
    ("headers", "name_column", "expected", "renames"), CLOZE_HEADERS.values(), ids=CLOZE_HEADERS
)
def test_cloze_headers(headers, name_column, expected, renames):
    assert cloze_headers(headers, name_column=name_column) == (expected, renames)


@pytest.mark.parametrize(
    ("headers", "name_column", "positions", "alias"),
    [
        (
            ["Zip", "Listing Address", "Project Name"],
            None,
            {"Name": 2},
            NearMiss(2, "Project Name", "Name"),
        ),
        (["Title", "Address", "Account Name", "Deal"], None, {}, None),
        ([" Name", "Deal Name"], None, {"Name": 0}, None),
        (["Deal Name", "Street"], "Street", {"Name": 1}, None),
    ],
    ids=["alias-order", "not-aliases", "variant-first", "name-column"],
)
def test_name_column_guess(headers, name_column, positions, alias):
    found = map_headers(headers, name_column=name_column)
    assert (found.positions, found.name_alias) == (positions, alias)


@pytest.mark.parametrize(
    ("headers", "name_column", "kind", "message", "said"),
    [
        (
            ["Deal", "Zip", ""],
            "Title",
            NoNameColumn,
            'There is no column "Title" for the names; the columns are "Deal", "Zip".',
            'There is no column "Title" for the names; the columns are "Deal", "Zip".',
        ),
        (
            ["Deal", "App ID"],
            "app id",
            NotANameColumn,
            'Column "App ID" is the App ID column, not a column of names.',
            'Column "App ID" is the App ID column, not a column of names; give --name-column the '
            "column that holds each record's name.",
        ),
        (
            ["Name", "Deal Name"],
            "Deal Name",
            NameColumnTaken,
            'The sheet already has a column headed "Name", so "Deal Name" cannot be the Name '
            "column too; rename one of the two columns.",
            'The sheet already has a column headed "Name", so "Deal Name" cannot be the Name '
            "column too; leave out --name-column, or rename one of the two columns.",
        ),
    ],
    ids=["unknown", "another-cloze-column", "beside-name"],
)
def test_name_column_usage_errors(headers, name_column, kind, message, said):
    """The core's error says what is wrong; the command line's sentence names its option."""
    with pytest.raises(UsageError) as raised:
        map_headers(headers, name_column=name_column)
    error = raised.value
    assert (type(error), str(error), error.column) == (kind, message, name_column)
    assert cli_message(error) == said
