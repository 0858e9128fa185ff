"""The app registry: built-in data, host matching, overrides and user templates files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from applinks.domains import classify_app_id
from applinks.errors import TemplateError, UsageError
from applinks.registry import AppEntry, Registry, load_registry, load_user_templates
from applinks.templates import placeholders, render

# Every row of the reference table of source apps (the combined last row split), then the apps
# added since, in registry order: (App ID, App Name, status). The Google products share
# google.com.
APPS_MD = [
    ("salesforce.com", "Salesforce", "confirmed"),
    ("hubspot.com", "HubSpot", "code"),
    ("pipedrive.com", "Pipedrive", "code"),
    ("zoho.com", "Zoho CRM", "code"),
    ("close.com", "Close", "code"),
    ("copper.com", "Copper", "code"),
    ("monday.com", "monday.com", "code"),
    ("asana.com", "Asana", "code"),
    ("trello.com", "Trello", "code"),
    ("atlassian.com", "Jira", "unconfirmed"),
    ("basecamp.com", "Basecamp", "code"),
    ("followupboss.com", "Follow Up Boss", "code"),
    ("lofty.com", "Lofty", "code"),
    ("brokermint.com", "Brokermint", "code"),
    ("skyslope.com", "SkySlope", "unconfirmed"),
    ("zillow.com", "Zillow", "code"),
    ("realtor.com", "Realtor.com", "code"),
    ("redfin.com", "Redfin", "code"),
    ("trulia.com", "Trulia", "code"),
    ("buildium.com", "Buildium", "code"),
    ("appfolio.com", "AppFolio", "code"),
    ("rentvine.com", "Rentvine", "code"),
    ("intuit.com", "QuickBooks Online", "code"),
    ("xero.com", "Xero", "unconfirmed"),
    ("mailchimp.com", "Mailchimp", "unconfirmed"),
    ("google.com", "Google Sheets", "confirmed"),
    ("google.com", "Google Docs", "confirmed"),
    ("google.com", "Google Slides", "unconfirmed"),
    ("google.com", "Google Forms", "unconfirmed"),
    ("google.com", "Google Drive", "code"),
    ("airtable.com", "Airtable", "code"),
    ("notion.so", "Notion", "code"),
    ("dropbox.com", "Dropbox", "unconfirmed"),
    ("box.com", "Box", "confirmed"),
    ("clickup.com", "ClickUp", "unconfirmed"),
    ("github.com", "GitHub", "confirmed"),
    ("gitlab.com", "GitLab", "code"),
    ("linear.app", "Linear", "unconfirmed"),
    ("smartsheet.com", "Smartsheet", "unconfirmed"),
    ("wrike.com", "Wrike", "unconfirmed"),
    ("shopify.com", "Shopify", "unconfirmed"),
    ("stripe.com", "Stripe", "unconfirmed"),
    ("docusign.com", "DocuSign", "unconfirmed"),
    ("pandadoc.com", "PandaDoc", "unconfirmed"),
    ("dynamics.com", "Dynamics 365", "confirmed"),
    ("sharepoint.com", "SharePoint", "unconfirmed"),
    ("onedrive.com", "OneDrive", "unconfirmed"),
    ("kvcore.com", "kvCORE", "unconfirmed"),
    ("sierrainteractive.com", "Sierra Interactive", "unconfirmed"),
    ("realgeeks.com", "Real Geeks", "unconfirmed"),
    ("dotloop.com", "dotloop", "unconfirmed"),
    ("propertyware.com", "Propertyware", "unconfirmed"),
    ("boomtownroi.com", "BoomTown", "unconfirmed"),
    ("cincpro.com", "CINC", "unconfirmed"),
    ("lwolf.com", "Lone Wolf", "unconfirmed"),
    ("opentoclose.com", "Open to Close", "unconfirmed"),
    ("homes.com", "Homes.com", "unconfirmed"),
    ("compass.com", "Compass", "unconfirmed"),
]

BUILT_IN = load_registry().apps


def test_registry_holds_every_reference_app() -> None:
    registry = load_registry()
    assert [(a.app_id, a.name, a.status) for a in registry.apps] == APPS_MD
    assert registry.app_ids() == list(dict.fromkeys(a for a, _, _ in APPS_MD))


def test_registry_is_loaded_once() -> None:
    assert load_registry() is load_registry()


@pytest.mark.parametrize("entry", BUILT_IN, ids=[a.app_id for a in BUILT_IN])
def test_built_in_entry_is_well_formed(entry: AppEntry) -> None:
    assert classify_app_id(entry.app_id) == []
    assert entry.source == "built-in"
    assert entry.notes
    # The Google products claim only their own hosts; their App ID holds them all.
    assert entry.owns_host(entry.app_id) or entry.name.startswith("Google ")
    for pattern in entry.url_patterns:
        assert re.compile(pattern).groups in (1, 2)  # two: owner/repo#number
    if entry.id_pattern is not None:
        re.compile(entry.id_pattern)
    used: set[str] = set()
    for template in entry.kinds.values():
        assert template.startswith("https://")
        used |= set(placeholders(template))
    # A default setting is a value for a placeholder of one of the app's templates.
    assert set(entry.settings) <= used - {"id"}


@pytest.mark.parametrize(
    "entry", [a for a in BUILT_IN if a.kinds], ids=[a.app_id for a in BUILT_IN if a.kinds]
)
def test_links_made_by_each_template_are_claimed_by_the_app(entry: AppEntry) -> None:
    registry = load_registry()
    sample = next(uid for uid in SAMPLE_IDS if entry.id_matches(uid))
    for template in entry.kinds.values():
        values = {n: entry.settings.get(n, "acme") for n in placeholders(template) if n != "id"}
        url = render(template, sample, values)
        assert registry.app_for_url(url) is entry, url
        assert entry.extract_id(url) == sample, url


# An id of each app's shape, for the test above (the first one an app's id pattern takes).
SAMPLE_IDS = [
    "12345",
    "006j000000Pkp1d",
    "lead_AbC123",
    "PROJ-12",
    "1ss-FBQi1TGq8kiYLAjYkKx9672oxb9u_JJyL4lCVmls",
    "recJFjhekzhN0VWxB",
    "36d1060897c442399eb86e1f98dd31d4",
    "cus_NffrFeUfNV2Hib",
    "0f8fad5b-d9cb-469f-a165-70867728950e",
    "AbCd1234",
]


def test_unconfirmed_apps_without_a_template() -> None:
    without = [a.app_id for a in BUILT_IN if not a.kinds]
    assert without == [
        "skyslope.com",
        "realtor.com",
        "redfin.com",
        "trulia.com",
        "dropbox.com",
        "github.com",
        "gitlab.com",
        "sharepoint.com",
        "onedrive.com",
        "kvcore.com",
        "sierrainteractive.com",
        "realgeeks.com",
        "dotloop.com",
        "propertyware.com",
        "boomtownroi.com",
        "cincpro.com",
        "lwolf.com",
        "opentoclose.com",
        "homes.com",
        "compass.com",
    ]


@pytest.mark.parametrize(
    ("app_id", "expected"),
    [
        ("zillow.com", "zillow.com"),
        ("Zillow.COM", "zillow.com"),
        (" zillow.com ", "zillow.com"),
        ("zillow", None),
        ("example.com", None),
    ],
    ids=["exact", "any-case", "spaces", "no-dot", "unknown"],
)
def test_get(app_id: str, expected: str | None) -> None:
    entry = load_registry().get(app_id)
    assert (entry.app_id if entry else None) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("acme.lightning.force.com", "salesforce.com"),
        ("force.com", "salesforce.com"),
        ("na16.salesforce.com", "salesforce.com"),
        ("Acme.My.Salesforce.com.", "salesforce.com"),
        ("acme.managebuilding.com", "buildium.com"),
        ("crm.zoho.com.au", "zoho.com"),
        ("accounts.zohocloud.ca", "zoho.com"),
        ("www.zillow.com", "zillow.com"),
        ("docs.google.com", "google.com"),
        ("drive.google.com", "google.com"),
        ("acme.notion.site", "notion.so"),
        ("acme-homes.myshopify.com", "shopify.com"),
        ("acme-my.sharepoint.com", "onedrive.com"),
        ("files.acme-my.sharepoint.com", "sharepoint.com"),
        ("acme.sharepoint.com", "sharepoint.com"),
        ("www.google.com", None),
        ("notsalesforce.com", None),
        ("salesforce.com.evil.example", None),
        ("managebuilding.com", None),
        ("example.com", None),
        ("", None),
    ],
    ids=lambda v: v or "empty" if isinstance(v, str) else "none",
)
def test_app_for_host(host: str, expected: str | None) -> None:
    entry = load_registry().app_for_host(host)
    assert (entry.app_id if entry else None) == expected


def test_most_specific_host_wins() -> None:
    broad = AppEntry("example.com", "Broad", hosts=("*.example.com",))
    deep = AppEntry("deep.example.com", "Deep", hosts=("*.deep.example.com",))
    exact = AppEntry("exact.com", "Exact", hosts=("x.deep.example.com",))
    registry = Registry((broad, deep, exact))
    found = {
        host: registry.app_for_host(host)
        for host in (
            "a.example.com",
            "a.deep.example.com",
            "x.deep.example.com",
            "deep.example.com",
        )
    }
    assert {h: e.name if e else None for h, e in found.items()} == {
        "a.example.com": "Broad",
        "a.deep.example.com": "Deep",
        "x.deep.example.com": "Exact",
        "deep.example.com": "Broad",
    }


def test_render_url_uses_default_settings_and_kinds() -> None:
    salesforce = load_registry().get("salesforce.com")
    assert salesforce is not None
    assert salesforce.template() == salesforce.template("opportunity")
    assert salesforce.render_url("006j000000Pkp1d", settings={"mydomain": "acme"}) == (
        "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1d/view"
    )
    assert (
        salesforce.render_url("001j000000Pkp1d", settings={"mydomain": "acme", "object": "Account"})
        == "https://acme.lightning.force.com/lightning/r/Account/001j000000Pkp1d/view"
    )
    assert (
        salesforce.render_url(
            "006j000000Pkp1d", settings={"instance": "na16", "object": ""}, kind="Classic"
        )
        == "https://na16.salesforce.com/006j000000Pkp1d"
    )


@pytest.mark.parametrize(
    ("app_id", "kind", "message"),
    [
        (
            "buildium.com",
            None,
            (
                'The URL template for Buildium needs the setting "subdomain"; give it as '
                "subdomain=yourcompany."
            ),
        ),
        (
            "realtor.com",
            None,
            (
                "There is no known link format for Realtor.com (realtor.com); paste the record "
                "links into a column and use From URLs, or give a URL template for it."
            ),
        ),
        ("zillow.com", "rental", 'Zillow has no record kind "rental"; use one of: home.'),
    ],
    ids=["missing-setting", "no-template", "unknown-kind"],
)
def test_render_url_errors(app_id: str, kind: str | None, message: str) -> None:
    entry = load_registry().get(app_id)
    assert entry is not None
    with pytest.raises(TemplateError) as caught:
        entry.render_url("123", kind=kind)
    assert caught.value.message == message


def test_extract_id_ignores_default_settings_and_checks_id_pattern() -> None:
    salesforce = load_registry().get("salesforce.com")
    zillow = load_registry().get("zillow.com")
    assert salesforce is not None and zillow is not None
    account = "https://acme.lightning.force.com/lightning/r/Account/001j000000Pkp1dAAA/view"
    assert salesforce.extract_id(account) == "001j000000Pkp1dAAA"
    # Given settings narrow the templates; the app's URL patterns still find the id.
    sandbox = "https://acme.sandbox.lightning.force.com/lightning/r/Account/001j000000Pkp1dAAA/view"
    assert salesforce.extract_id(sandbox, settings={"mydomain": "other"}) == "001j000000Pkp1dAAA"
    assert salesforce.extract_id("https://na16.salesforce.com/006j000000Pkp1") is None
    # URL patterns apply only on the app's own hosts.
    assert zillow.extract_id("https://example.com/59187422_zpid/") is None


def test_an_id_found_by_a_url_pattern_comes_back_percent_decoded() -> None:
    entry = AppEntry(
        "example.com", "Example", hosts=("example.com",), url_patterns=(r"/records/([^/?#]+)",)
    )
    assert entry.extract_id("https://example.com/records/A%2F7%20b?x=1") == "A/7 b"
    assert entry.extract_id("https://example.com/records/plain-42") == "plain-42"


def test_entries_are_read_only() -> None:
    entry = load_registry().get("zillow.com")
    assert entry is not None
    with pytest.raises(TypeError):
        entry.kinds["home"] = "https://example.com/{id}"  # type: ignore[index]


def test_with_overrides_replaces_and_adds() -> None:
    registry = load_registry()
    buildium = AppEntry(
        "buildium.com",
        "",
        kinds={"record": "https://{subdomain}.managebuilding.com/manager/app/rentals/{id}"},
        hosts=("buildium.com",),
        status="confirmed",
        source="my templates.csv",
    )
    new = AppEntry(
        "example.com",
        "Example CRM",
        kinds={"record": "https://crm.example.com/{id}"},
        hosts=("crm.example.com",),
        source="my templates.csv",
    )
    merged = registry.with_overrides([buildium, new])
    entry = merged.get("buildium.com")
    assert entry is not None
    assert (entry.name, dict(entry.kinds), entry.source, entry.status) == (
        "Buildium",
        {"record": "https://{subdomain}.managebuilding.com/manager/app/rentals/{id}"},
        "my templates.csv",
        "confirmed",
    )
    assert "*.managebuilding.com" in entry.hosts
    assert entry.id_pattern == r"^\d+$"
    assert merged.app_ids() == [*registry.app_ids(), "example.com"]
    assert merged.app_for_url("https://crm.example.com/7") is merged.get("example.com")
    # The built-in registry itself is unchanged.
    original = registry.get("buildium.com")
    assert original is not None and "properties" in original.template()


# --- user templates files ---------------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


BUILDIUM_TEMPLATE = "https://{subdomain}.managebuilding.com/manager/app/properties/{id}/summary"


def test_load_csv_templates_with_bom_and_settings(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "templates.csv",
        "\ufeffapp id,App Name,URL  Template,Id-Pattern\r\n"
        "buildium.com,Buildium,"
        "https://{subdomain}.managebuilding.com/manager/app/properties/{id}/summary,\r\n"
        "example.com,Example CRM,https://crm.example.com/deal/{id},^\\d+$\r\n"
        ",,,\r\n"
        "Setting,Value\r\n"
        "subdomain,acme\r\n",
    )
    entries, values = load_user_templates(path)
    assert [
        (e.app_id, e.name, dict(e.kinds), e.id_pattern, e.hosts, e.source) for e in entries
    ] == [
        (
            "buildium.com",
            "Buildium",
            {"record": BUILDIUM_TEMPLATE},
            None,
            ("buildium.com", "*.buildium.com", "*.managebuilding.com"),
            str(path),
        ),
        (
            "example.com",
            "Example CRM",
            {"record": "https://crm.example.com/deal/{id}"},
            r"^\d+$",
            ("example.com", "*.example.com", "crm.example.com"),
            str(path),
        ),
    ]
    assert values == {"subdomain": "acme"}
    registry = load_registry().with_overrides(entries)
    example = registry.get("example.com")
    assert example is not None
    assert example.render_url("9", settings=values) == "https://crm.example.com/deal/9"


def test_load_toml_templates(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "templates.toml",
        '[[app]]\napp_id = "example.com"\nname = "Example CRM"\n'
        'url_template = "https://{team}.example.com/deal/{id}"\nid_pattern = "^D\\\\d+$"\n\n'
        '[settings]\nteam = "sales"\n',
    )
    entries, values = load_user_templates(path)
    assert [(e.app_id, e.name, dict(e.kinds), e.id_pattern, e.hosts) for e in entries] == [
        (
            "example.com",
            "Example CRM",
            {"record": "https://{team}.example.com/deal/{id}"},
            r"^D\d+$",
            ("example.com", "*.example.com"),
        ),
    ]
    assert values == {"team": "sales"}
    assert entries[0].render_url("D7", settings=values) == "https://sales.example.com/deal/D7"
    assert entries[0].extract_id("https://sales.example.com/deal/D7") == "D7"


BAD_FILES = [
    ("missing.csv", None, "The templates file {path} was not found."),
    ("t.xlsx", "x", "The templates file t.xlsx must be a .csv or a .toml file."),
    ("t.csv", "", "The templates file t.csv is empty."),
    (
        "t.csv",
        "App ID,App Name\r\nzillow.com,Zillow\r\n",
        (
            'The templates file t.csv has no "URL Template" column; its first row must name '
            "the columns App ID, App Name, URL Template and ID Pattern."
        ),
    ),
    ("t.csv", "App ID,URL Template\r\n,https://x.com/{id}\r\n", "Row 2 of t.csv has no App ID."),
    (
        "t.csv",
        "App ID,URL Template\r\nExample.com,https://x.com/{id}\r\n",
        (
            'Row 2 of t.csv: App ID "Example.com" is not a plain lower-case domain name; use '
            '"example.com".'
        ),
    ),
    (
        "t.csv",
        "App ID,URL Template\r\nexample,https://x.com/{id}\r\n",
        (
            'Row 2 of t.csv: App ID "example" is not a plain lower-case domain name, such as '
            '"salesforce.com".'
        ),
    ),
    (
        "t.csv",
        "App ID,URL Template\r\nexample.com,x.com/{id}\r\n",
        'Row 2 of t.csv: the URL template "x.com/{id}" must start with "https://" or "http://".',
    ),
    (
        "t.csv",
        "App ID,URL Template\r\nexample.com,https://x.com/{id\r\n",
        (
            'Row 2 of t.csv: The URL template "https://x.com/{id" has "{id", which is not a '
            'placeholder such as {id} or {subdomain}; write "{{" for a literal brace.'
        ),
    ),
    (
        "t.csv",
        "App ID,URL Template,ID Pattern\r\nexample.com,https://x.com/{id},(\\d+\r\n",
        (
            'Row 2 of t.csv: the ID Pattern "(\\d+" is not a valid pattern (a regular '
            "expression such as ^\\d+$)."
        ),
    ),
    ("t.toml", "[[app]\n", None),
    (
        "t.toml",
        '[[app]]\napp_id = "example.com"\nurl = "https://x.com/{id}"\n',
        (
            'App 1 of t.toml has an unknown field "url"; the fields are app_id, name, '
            "url_template, id_pattern."
        ),
    ),
    (
        "t.toml",
        "[apps]\nx = 1\n",
        (
            'The templates file t.toml has an unknown section "apps"; use [[app]] tables and '
            "one [settings] table."
        ),
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    BAD_FILES,
    ids=[
        "missing",
        "extension",
        "empty",
        "no-template-column",
        "no-app-id",
        "capitals",
        "not-domain",
        "relative-template",
        "bad-brace",
        "bad-pattern",
        "bad-toml",
        "unknown-field",
        "unknown-section",
    ],
)
def test_bad_templates_file(
    tmp_path: Path, name: str, text: str | None, message: str | None
) -> None:
    path = tmp_path / name if text is None else _write(tmp_path, name, text)
    with pytest.raises(UsageError) as caught:
        load_user_templates(path)
    assert caught.value.path == str(path)
    if message is None:
        assert caught.value.message.startswith("The templates file t.toml is not valid TOML (")
    else:
        assert caught.value.message == message.replace("{path}", str(path))


def test_templates_file_not_utf8(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "t.csv", "App ID,URL Template\r\ncafé.com,https://x.com/{id}\r\n", "cp1252"
    )
    with pytest.raises(UsageError) as caught:
        load_user_templates(path)
    assert caught.value.message == (
        'The templates file t.csv is not UTF-8 text; save it as UTF-8 (in Excel: "CSV UTF-8").'
    )
