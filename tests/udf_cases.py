"""The worksheet functions' results, one table for every place they run.

Each case is ``(id, function, args, kwargs, expected)``: the plain function of
:mod:`applinks.udfs` named ``function``, called with ``args`` and ``kwargs``, gives
``expected``. ``RANGE_CASES`` are the same for the range forms (the Windows add-in's
:mod:`applinks.excel.udfs` and xlwings Lite's :mod:`applinks.lite.functions`), whose arguments
are what Excel hands over for a range. The CPython tests and the run under Pyodide
(tests/lite/test_pyodide.py) both read these tables, so both hold the same results. Nothing
here imports pytest: the file is copied into Pyodide as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

Case = tuple[str, str, tuple[Any, ...], dict[str, Any], Any]


def _cases(prefix: str, function: str, rows: list[tuple[Any, ...]]) -> list[Case]:
    """Return the cases of ``function`` from rows ``(id, *args, expected)``."""
    return [(f"{prefix}-{i}", function, tuple(args), {}, expected) for i, *args, expected in rows]


_URL = [
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
            '#The URL template for Buildium needs the setting "subdomain"; enter it under '
            "Setting and Value on the App Link Templates sheet."
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

_URL_IDS = [
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
]

CASES: list[Case] = [
    (
        f"url-{case_id}",
        "APPLINK_URL",
        (app_id, unique_id, template),
        {"settings": values} if values else {},
        expected,
    )
    for case_id, (app_id, unique_id, template, values, expected) in zip(_URL_IDS, _URL, strict=True)
]

#: A cell with no text: the functions of one App ID or one link answer "" for each.
_NO_TEXT = [("empty", "", ""), ("none", None, ""), ("number", 42.0, "")]

_NAME = [
    ("known", "salesforce.com", "Salesforce"),
    ("any-case", " Salesforce.COM ", "Salesforce"),
    ("brand-differs", "intuit.com", "QuickBooks Online"),
    ("unknown", "example.com", ""),
]
CASES += _cases("name", "APPLINK_NAME", _NAME + _NO_TEXT)

_APPID = [
    (
        "salesforce",
        "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view",
        "salesforce.com",
    ),
    ("buildium-host", "acme.managebuilding.com", "buildium.com"),
    ("zoho-eu", "https://crm.zoho.eu/crm/org1/tab/Potentials/2", "zoho.com"),
    ("bare-host", "WwW.example.COM", "example.com"),
    ("co-uk", "https://shop.example.co.uk/item/1", "example.co.uk"),
    ("bare-suffix", "co.uk", ""),
    ("leading-dot", ".example.com", ""),
    ("ip", "https://10.0.0.1/x", ""),
]
CASES += _cases("appid", "APPLINK_APPID", _APPID + _NO_TEXT)

_ZILLOW = "https://www.zillow.com/homedetails/123-Main-St-Boston-MA-02108/59187422_zpid/"
_ID = [
    ("from-host", _ZILLOW, None, "59187422"),
    ("given-app", _ZILLOW, "zillow.com", "59187422"),
    (
        "given-app-any-case",
        "https://na16.salesforce.com/006j000000Pkp1d",
        "Salesforce.com",
        "006j000000Pkp1d",
    ),
    ("other-app", "https://www.zillow.com/homedetails/59187422_zpid/", "redfin.com", ""),
    ("unknown-app", "https://www.zillow.com/homedetails/59187422_zpid/", "example.com", ""),
    ("unclaimed-host", "https://www.example.com/deal/7", None, ""),
    ("no-id", "https://www.zillow.com/", None, ""),
    ("empty", "", "zillow.com", ""),
    ("none", None, None, ""),
]
CASES += _cases("id", "APPLINK_ID", _ID)

_CHECK: list[tuple[str, tuple[Any, ...], str]] = [
    ("fine", ("zillow.com", "59187422", "https://www.zillow.com/homedetails/59187422_zpid/"), ""),
    (
        "capitals",
        ("Zillow.com", "59187422"),
        'App ID "Zillow.com" has capital letters; use "zillow.com".',
    ),
    (
        "not-domain",
        ("zillow com",),
        'App ID "zillow com" is not a domain name (it has a space); use the '
        'source\'s web domain, such as "salesforce.com".',
    ),
    ("app-id-only", ("zillow.com",), ""),
    ("empty", (None,), ""),
    (
        "blank-id",
        ("zillow.com", None),
        'App ID "zillow.com" has no App Unique ID; add the record\'s id from that app.',
    ),
    (
        "no-app-id",
        (None, 48616032.0),
        "The App Unique ID is filled in but the App ID is empty; add the App "
        'ID (a domain such as "zillow.com").',
    ),
    (
        "mangled",
        ("zillow.com", 1.42e18),
        'App Unique ID "1420000000000000000" looks damaged by Excel (it is a number with 19 '
        "digits and Excel keeps only 15); copy the id again from the source app and store the "
        "column as text.",
    ),
    (
        "blank-url",
        ("zillow.com", "59187422", None),
        'App ID "zillow.com" has no App Content URL; add the link to '
        "the record so it opens from Cloze.",
    ),
    (
        "bad-url",
        ("zillow.com", "59187422", "zillow.com/homedetails/59187422_zpid"),
        "App Content URL "
        '"zillow.com/homedetails/59187422_zpid" is not a full web address; it must start with '
        '"https://" or "http://".',
    ),
    (
        "id-of-another-app",
        ("zillow.com", "006j000000Pkp1d"),
        'App Unique ID "006j000000Pkp1d" does not have the form of a Zillow id, so its link may '
        'not open the record; check that the id and the App ID "zillow.com" name the same app.',
    ),
    (
        "id-not-the-links",
        ("zillow.com", "1234567", "https://www.zillow.com/homedetails/7654321_zpid/"),
        'App Unique ID "1234567" is not the record its App Content URL opens, which is '
        '"7654321"; make the id and the link name the same record.',
    ),
    (
        "salesforce-15-and-its-18-link",
        (
            "salesforce.com",
            "006j000000Pkp1d",
            "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAB/view",
        ),
        "",
    ),
]
CASES += [(f"check-{i}", "APPLINK_CHECK", args, {}, expected) for i, args, expected in _CHECK]

_Z1 = "https://www.zillow.com/homedetails/10001_zpid/"
_Z22 = "https://www.zillow.com/homedetails/22222_zpid/"
_NO_APP = "#No App ID: give the App ID of the app, such as zillow.com."
_CAPITALS = 'App ID "Zillow.com" has capital letters; use "zillow.com".'

#: The range forms: ``(id, function, args, expected)``, the arguments as Excel gives a range
#: (``ndim=2``: a list of rows) or a single cell (a 1x1 list).
RANGE_CASES: list[tuple[str, str, tuple[Any, ...], Any]] = [
    (
        "single-cells",
        "APPLINK_URL",
        ([["zillow.com"]], [["2077423"]]),
        "https://www.zillow.com/homedetails/2077423_zpid/",
    ),
    (
        "column-and-a-repeated-cell",
        "APPLINK_URL",
        ([["zillow.com"]], [["10001"], [22222.0], [None]]),
        [[_Z1], [_Z22], [""]],
    ),
    (
        "two-columns-cell-by-cell",
        "APPLINK_URL",
        ([["zillow.com"], [None]], [[10001.0], ["1"]]),
        [[_Z1], [_NO_APP]],
    ),
    (
        "own-template-for-a-column",
        "APPLINK_URL",
        ([["example.com"]], [["7"], ["8"]], [["https://crm.example.com/deal/{id}"]]),
        [["https://crm.example.com/deal/7"], ["https://crm.example.com/deal/8"]],
    ),
    (
        "a-block-of-names",
        "APPLINK_NAME",
        ([["zillow.com", "salesforce.com"], ["hubspot.com", "nope.example"]],),
        [["Zillow", "Salesforce"], ["HubSpot", ""]],
    ),
    (
        "a-row-stays-a-row",
        "APPLINK_NAME",
        (["zillow.com", "salesforce.com"],),
        [["Zillow", "Salesforce"]],
    ),
    (
        "different-sizes",
        "APPLINK_URL",
        ([["a.com"], ["b.com"]], [["1"], ["2"], ["3"]]),
        "The ranges have different sizes (2x1 and 3x1); use ranges of one size.",
    ),
    (
        "app-ids-of-links",
        "APPLINK_APPID",
        ([[_Z1], ["https://acme.lightning.force.com/x"], [None]],),
        [["zillow.com"], ["salesforce.com"], [""]],
    ),
    ("id-of-one-link", "APPLINK_ID", ([[_ZILLOW]],), "59187422"),
    (
        "id-with-app",
        "APPLINK_ID",
        ([[_ZILLOW], ["https://www.zillow.com/homedetails/2077423_zpid/"]], [["zillow.com"]]),
        [["59187422"], ["2077423"]],
    ),
    ("check-one-row", "APPLINK_CHECK", ([["Zillow.com"]], [["1"]]), _CAPITALS),
    (
        "check-a-column",
        "APPLINK_CHECK",
        ([["Zillow.com"], ["zillow.com"]], [["10001"], ["10002"]], [[_Z1], [None]]),
        [
            [_CAPITALS],
            [
                'App ID "zillow.com" has no App Content URL; add the link to the record so it '
                "opens from Cloze."
            ],
        ],
    ),
]

#: An App Link Templates sheet as Excel hands it over: an app added, then (from row 20) the
#: settings block with HubSpot's portal_id.
TEMPLATES_CELLS: list[list[Any]] = [
    ["App ID", "App Name", "URL Template", "ID Pattern"],
    ["mycrm-example.com", "My CRM", "https://crm.example/r/{id}", None],
    *[[None] * 4 for _ in range(17)],
    ["Setting", "Value", "Used by", "Default"],
    ["portal_id", "99887", "HubSpot", None],
]
_HUBSPOT = "https://app.hubspot.com/contacts/99887/record/0-3/{}"
_MYCRM_LINK = "https://crm.example/r/77"

#: The range forms in a workbook with that sheet: ``(id, function, args, expected)``. The
#: Windows add-in reads the sheet through the calling cell, xlwings Lite takes its cells as the
#: last argument (``templates=``); both give ``expected``.
TEMPLATE_CASES: list[tuple[str, str, tuple[Any, ...], Any]] = [
    (
        "setting-from-the-sheet",
        "APPLINK_URL",
        ([["hubspot.com"]], [["00123456"], [4501.0]]),
        [[_HUBSPOT.format("00123456")], [_HUBSPOT.format("4501")]],
    ),
    (
        "app-added-on-the-sheet",
        "APPLINK_URL",
        ([["mycrm-example.com"]], [["7"]]),
        "https://crm.example/r/7",
    ),
    (
        "date-id-of-an-added-app",  # Excel hands a date over as a date-time at midnight
        "APPLINK_URL",
        ([["mycrm-example.com"]], [[dt.datetime(2024, 5, 6)]]),
        "https://crm.example/r/2024-05-06",
    ),
    ("name-of-an-added-app", "APPLINK_NAME", ([["mycrm-example.com"]],), "My CRM"),
    (
        "check-of-an-added-app",
        "APPLINK_CHECK",
        ([["mycrm-example.com"]], [["77"]], [[_MYCRM_LINK]]),
        "",
    ),
    ("app-id-of-an-added-apps-link", "APPLINK_APPID", ([[_MYCRM_LINK]],), "mycrm-example.com"),
    ("id-in-an-added-apps-link", "APPLINK_ID", ([[_MYCRM_LINK]],), "77"),
]
