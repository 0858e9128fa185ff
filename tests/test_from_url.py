"""From URLs: a real-looking record link gives the App ID and the App Unique ID."""

from __future__ import annotations

import pytest

from applinks.registry import app_id_for_url, load_registry

# (link, App ID, App Unique ID, settings that rebuild the link from the id, or None when the
# app has no template or the link is a long form no template makes).
LINKS = [
    (
        "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view",
        "salesforce.com",
        "006j000000Pkp1dAAA",
        ("opportunity", {"mydomain": "acme"}),
    ),
    (
        "https://na16.salesforce.com/006j000000Pkp1d",
        "salesforce.com",
        "006j000000Pkp1d",
        ("classic", {"instance": "na16"}),
    ),
    (
        "https://acme.my.salesforce.com/lightning/r/Account/001j000000Pkp1dAAA/view?ws=1",
        "salesforce.com",
        "001j000000Pkp1dAAA",
        None,
    ),
    (
        "https://app.hubspot.com/contacts/4567890/deal/9876543210",
        "hubspot.com",
        "9876543210",
        ("deal_old", {"portal_id": "4567890"}),
    ),
    (
        "https://app-eu1.hubspot.com/contacts/4567890/record/0-3/9876543210",
        "hubspot.com",
        "9876543210",
        ("deal", {"host": "app-eu1.hubspot.com", "portal_id": "4567890"}),
    ),
    (
        "https://acme.pipedrive.com/deal/1234",
        "pipedrive.com",
        "1234",
        ("deal", {"company": "acme"}),
    ),
    (
        "https://crm.zoho.eu/crm/org20061234/tab/Potentials/1418411000000553001",
        "zoho.com",
        "1418411000000553001",
        ("deal", {"tld": "eu", "org_id": "20061234"}),
    ),
    (
        "https://crm.zoho.com.au/crm/org20061234/tab/Potentials/1418411000000553001",
        "zoho.com",
        "1418411000000553001",
        ("deal", {"tld": "com.au", "org_id": "20061234"}),
    ),
    ("https://app.close.com/lead/lead_AbC123xyz/", "close.com", "lead_AbC123xyz", ("lead", {})),
    (
        "https://app.copper.com/companies/98765/app#/deal/4321",
        "copper.com",
        "4321",
        ("deal", {"account_id": "98765"}),
    ),
    (
        "https://acme.monday.com/boards/111222/pulses/333444",
        "monday.com",
        "333444",
        ("item", {"account": "acme", "board_id": "111222"}),
    ),
    (
        "https://app.asana.com/0/1201234567890123/1209876543210987",
        "asana.com",
        "1209876543210987",
        ("project_task", {"project_gid": "1201234567890123"}),
    ),
    (
        "https://app.asana.com/0/1201234567890123/1209876543210987/f",
        "asana.com",
        "1209876543210987",
        None,
    ),
    ("https://app.asana.com/0/0/1209876543210987", "asana.com", "1209876543210987", ("task", {})),
    ("https://trello.com/c/AbCd1234/42-call-the-buyer", "trello.com", "AbCd1234", None),
    (
        "https://acme.atlassian.net/browse/DEAL-42",
        "atlassian.com",
        "DEAL-42",
        ("issue", {"site": "acme"}),
    ),
    (
        "https://3.basecamp.com/4455667/projects/2233445",
        "basecamp.com",
        "2233445",
        ("project", {"account_id": "4455667"}),
    ),
    ("https://app.followupboss.com/2/people/view/8812", "followupboss.com", "8812", ("person", {})),
    (
        "https://crm.lofty.com/admin/home/detail?leadId=1142886436094613",
        "lofty.com",
        "1142886436094613",
        ("lead", {}),
    ),
    (
        "https://my.brokermint.com/#/transactions/556677",
        "brokermint.com",
        "556677",
        ("transaction", {}),
    ),
    (
        "https://www.zillow.com/homedetails/123-Main-St-Boston-MA-02108/59187422_zpid/",
        "zillow.com",
        "59187422",
        None,
    ),
    ("https://www.zillow.com/homedetails/59187422_zpid/", "zillow.com", "59187422", ("home", {})),
    (
        "https://www.realtor.com/realestateandhomes-detail/123-Main-St_Boston_MA_02108_M12345-67890",
        "realtor.com",
        "12345-67890",
        None,
    ),
    (
        "https://www.redfin.com/MA/Boston/123-Main-St-02108/home/12345678",
        "redfin.com",
        "12345678",
        None,
    ),
    (
        "https://www.trulia.com/home/123-main-st-boston-ma-02108-2085123456",
        "trulia.com",
        "2085123456",
        None,
    ),
    (
        "https://acme.managebuilding.com/manager/app/properties/314/summary",
        "buildium.com",
        "314",
        ("property", {"subdomain": "acme"}),
    ),
    (
        "https://acme.appfolio.com/properties/2718",
        "appfolio.com",
        "2718",
        ("property", {"subdomain": "acme"}),
    ),
    (
        "https://acme.rentvine.com/leases/1618",
        "rentvine.com",
        "1618",
        ("lease", {"account": "acme"}),
    ),
    ("https://app.qbo.intuit.com/app/estimate?txnId=171", "intuit.com", "171", ("estimate", {})),
    (
        "https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=0f8fad5b-d9cb-469f-a165-70867728950e",
        "xero.com",
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        ("invoice", {}),
    ),
    (
        "https://us6.admin.mailchimp.com/lists/members/view?id=48616032",
        "mailchimp.com",
        "48616032",
        ("member", {"dc": "us6"}),
    ),
]


@pytest.mark.parametrize(
    ("url", "app_id", "unique_id", "rebuild"),
    LINKS,
    ids=[f"{c[1]}-{i}" for i, c in enumerate(LINKS)],
)
def test_link_gives_app_id_and_unique_id(
    url: str, app_id: str, unique_id: str, rebuild: tuple[str, dict[str, str]] | None
) -> None:
    registry = load_registry()
    entry = registry.app_for_url(url)
    assert entry is not None
    assert (entry.app_id, entry.extract_id(url)) == (app_id, unique_id)
    assert app_id_for_url(url, registry) == app_id


@pytest.mark.parametrize(
    ("url", "app_id", "unique_id", "rebuild"),
    [c for c in LINKS if c[3] is not None],
    ids=[f"{c[1]}-{c[3][0]}" for c in LINKS if c[3] is not None],
)
def test_link_round_trip(
    url: str, app_id: str, unique_id: str, rebuild: tuple[str, dict[str, str]]
) -> None:
    kind, values = rebuild
    entry = load_registry().get(app_id)
    assert entry is not None
    rendered = entry.render_url(unique_id, settings=values, kind=kind)
    assert rendered == url
    assert entry.extract_id(rendered) == unique_id


def test_at_least_fifteen_apps_covered() -> None:
    assert len({c[1] for c in LINKS}) >= 15


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.co.uk/listing/1", "example.co.uk"),
        ("https://listings.example.com/1", "example.com"),
        ("https://acme.github.io/deal/1", "acme.github.io"),
        ("https://10.0.0.1/deal/1", None),
        ("https://intranet.local/deal/1", None),
        ("not a link", None),
        ("", None),
    ],
    ids=["co-uk", "subdomain", "private-suffix", "ip", "unknown-tld", "not-a-link", "empty"],
)
def test_unclaimed_host_falls_back_to_public_suffix_list(url: str, expected: str | None) -> None:
    assert load_registry().app_for_url(url) is None
    assert app_id_for_url(url) == expected


@pytest.mark.parametrize(
    ("url", "app_id"),
    [
        ("https://www.zillow.com/homedetails/not-a-listing/", "zillow.com"),
        ("https://na16.salesforce.com/home/home.jsp", "salesforce.com"),
        ("https://na16.salesforce.com/home", "salesforce.com"),
        ("https://app.kvcore.com/contacts/123", "kvcore.com"),
        ("https://docs.google.com/spreadsheets/d/abc123/edit", "google.com"),
    ],
    ids=["zillow-search", "salesforce-page", "salesforce-short-word", "no-template", "sheet"],
)
def test_link_without_a_record_id(url: str, app_id: str) -> None:
    entry = load_registry().app_for_url(url)
    assert entry is not None
    assert (entry.app_id, entry.extract_id(url)) == (app_id, None)
