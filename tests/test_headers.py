import pytest

from applinks.headers import NearMiss, column_letter, find_column, map_headers, normalize


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
def test_variants_and_typos_are_near_misses_never_renamed(header, canonical):
    found = map_headers(["Other", header])
    assert found.near_misses == [NearMiss(1, header, canonical)]
    assert found.positions[canonical] == 1


def test_exact_header_wins_over_a_variant():
    found = map_headers(["AppID", "App ID"])
    assert found.positions["App ID"] == 1
    assert found.near_misses == [NearMiss(0, "AppID", "App ID")]


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
