"""Worksheet functions as plain Python: one cell in, one text out, never an exception."""

from __future__ import annotations

import pytest

from applinks.registry import AppEntry, load_registry
from applinks.udfs import APPLINK_APPID, APPLINK_ID, APPLINK_NAME, APPLINK_URL

URL_CASES = [
    ("zillow.com", 59187422.0, None, None, "https://www.zillow.com/homedetails/59187422_zpid/"),
    ("Zillow.com", "59187422", None, None, "https://www.zillow.com/homedetails/59187422_zpid/"),
    (
        "lofty.com",
        1142886436094613,
        None,
        None,
        "https://crm.lofty.com/admin/home/detail?leadId=1142886436094613",
    ),
    (
        "buildium.com",
        314.0,
        None,
        {"subdomain": "acme"},
        "https://acme.managebuilding.com/manager/app/properties/314/summary",
    ),
    (
        "salesforce.com",
        "006j000000Pkp1d",
        None,
        {"mydomain": "acme"},
        "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1d/view",
    ),
    (
        "example.com",
        7.0,
        "https://crm.example.com/deal/{id}",
        None,
        "https://crm.example.com/deal/7",
    ),
    (
        "salesforce.com",
        "006j000000Pkp1d",
        "https://{instance}.salesforce.com/{id}",
        {"instance": "na16"},
        "https://na16.salesforce.com/006j000000Pkp1d",
    ),
    ("zillow.com", None, None, None, ""),
    ("zillow.com", "  ", None, None, ""),
    ("zillow.com", float("nan"), None, None, ""),
    (
        "buildium.com",
        "314",
        None,
        None,
        (
            '#The URL template for Buildium needs the setting "subdomain"; give it as '
            "subdomain=yourcompany (on the command line: --set subdomain=yourcompany)."
        ),
    ),
    (
        "realtor.com",
        "12345-67890",
        None,
        None,
        (
            "#There is no known link format for Realtor.com (realtor.com); paste the record "
            "links into a column and use From URLs, or give a URL template for it."
        ),
    ),
    (
        "example.com",
        "1",
        None,
        None,
        (
            '#Unknown app "example.com": give a URL template, or use one of the known App IDs '
            "such as zillow.com."
        ),
    ),
    (None, "1", None, None, "#No App ID: give the App ID of the app, such as zillow.com."),
    (
        "example.com",
        "1",
        "https://x.com/{id",
        None,
        (
            '#The URL template "https://x.com/{id" has "{id", which is not a placeholder such '
            'as {id} or {subdomain}; write "{{" for a literal brace.'
        ),
    ),
]


@pytest.mark.parametrize(
    ("app_id", "unique_id", "template", "values", "expected"),
    URL_CASES,
    ids=[
        "float-id",
        "any-case-app",
        "long-int",
        "setting",
        "default-setting",
        "own-template",
        "own-template-known-app",
        "empty",
        "blank",
        "nan",
        "missing-setting",
        "no-format",
        "unknown-app",
        "no-app",
        "bad-template",
    ],
)
def test_applink_url(
    app_id: object,
    unique_id: object,
    template: object,
    values: dict[str, str] | None,
    expected: str,
) -> None:
    assert APPLINK_URL(app_id, unique_id, template, settings=values) == expected


@pytest.mark.parametrize(
    ("app_id", "expected"),
    [
        ("salesforce.com", "Salesforce"),
        (" Salesforce.COM ", "Salesforce"),
        ("intuit.com", "QuickBooks Online"),
        ("example.com", ""),
        ("", ""),
        (None, ""),
        (3.0, ""),
    ],
    ids=["known", "any-case", "brand-differs", "unknown", "empty", "none", "number"],
)
def test_applink_name(app_id: object, expected: str) -> None:
    assert APPLINK_NAME(app_id) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view",
            "salesforce.com",
        ),
        ("acme.managebuilding.com", "buildium.com"),
        ("https://crm.zoho.eu/crm/org1/tab/Potentials/2", "zoho.com"),
        ("WwW.example.COM", "example.com"),
        ("https://shop.example.co.uk/item/1", "example.co.uk"),
        ("co.uk", ""),
        (".example.com", ""),
        ("https://10.0.0.1/x", ""),
        ("", ""),
        (None, ""),
        (42.0, ""),
    ],
    ids=[
        "salesforce",
        "buildium-host",
        "zoho-eu",
        "bare-host",
        "co-uk",
        "bare-suffix",
        "leading-dot",
        "ip",
        "empty",
        "none",
        "number",
    ],
)
def test_applink_appid(value: object, expected: str) -> None:
    assert APPLINK_APPID(value) == expected


@pytest.mark.parametrize(
    ("url", "app_id", "expected"),
    [
        (
            "https://www.zillow.com/homedetails/123-Main-St-Boston-MA-02108/59187422_zpid/",
            None,
            "59187422",
        ),
        (
            "https://www.zillow.com/homedetails/123-Main-St-Boston-MA-02108/59187422_zpid/",
            "zillow.com",
            "59187422",
        ),
        ("https://na16.salesforce.com/006j000000Pkp1d", "Salesforce.com", "006j000000Pkp1d"),
        ("https://www.zillow.com/homedetails/59187422_zpid/", "redfin.com", ""),
        ("https://www.zillow.com/homedetails/59187422_zpid/", "example.com", ""),
        ("https://www.example.com/deal/7", None, ""),
        ("https://www.zillow.com/", None, ""),
        ("", "zillow.com", ""),
        (None, None, ""),
    ],
    ids=[
        "from-host",
        "given-app",
        "given-app-any-case",
        "other-app",
        "unknown-app",
        "unclaimed-host",
        "no-id",
        "empty",
        "none",
    ],
)
def test_applink_id(url: object, app_id: object, expected: str) -> None:
    assert APPLINK_ID(url, app_id) == expected


def test_functions_take_a_registry_with_user_templates() -> None:
    mine = AppEntry(
        "example.com",
        "Example CRM",
        kinds={"deal": "https://crm.example.com/deal/{id}"},
        hosts=("crm.example.com",),
        source="templates.csv",
    )
    registry = load_registry().with_overrides([mine])
    assert (
        APPLINK_URL("example.com", 7.0, registry=registry),
        APPLINK_NAME("example.com", registry=registry),
        APPLINK_APPID("https://crm.example.com/deal/7", registry=registry),
        APPLINK_ID("https://crm.example.com/deal/7", registry=registry),
    ) == ("https://crm.example.com/deal/7", "Example CRM", "example.com", "7")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("zillow.com", "59187422", "https://www.zillow.com/homedetails/59187422_zpid/"), ""),
        (("Zillow.com", "59187422"), 'App ID "Zillow.com" has capital letters; use "zillow.com".'),
        (
            ("zillow com",),
            'App ID "zillow com" is not a domain name (it has a space); use the '
            'source\'s web domain, such as "salesforce.com".',
        ),
        (("zillow.com",), ""),
        ((None,), ""),
        (
            ("zillow.com", None),
            'App ID "zillow.com" has no App Unique ID; add the record\'s id from that app.',
        ),
        (
            (None, 48616032.0),
            "The App Unique ID is filled in but the App ID is empty; add the App "
            'ID (a domain such as "zillow.com").',
        ),
        (
            ("zillow.com", 1.42e18),
            'App Unique ID "1420000000000000000" looks damaged by Excel (it is a number with 19 '
            "digits and Excel keeps only 15); copy the id again from the source app and store the "
            "column as text.",
        ),
        (
            ("zillow.com", "1", None),
            'App ID "zillow.com" has no App Content URL; add the link to '
            "the record so it opens from Cloze.",
        ),
        (
            ("zillow.com", "1", "zillow.com/homedetails/1_zpid"),
            "App Content URL "
            '"zillow.com/homedetails/1_zpid" is not a full web address; it must start with '
            '"https://" or "http://".',
        ),
    ],
    ids=[
        "fine",
        "capitals",
        "not-domain",
        "app-id-only",
        "empty",
        "blank-id",
        "no-app-id",
        "mangled",
        "blank-url",
        "bad-url",
    ],
)
def test_applink_check(args: tuple, expected: str) -> None:
    from applinks.udfs import APPLINK_CHECK

    assert APPLINK_CHECK(*args) == expected
