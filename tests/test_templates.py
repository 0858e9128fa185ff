"""URL templates: placeholders, rendering, reading ids back, and id_text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applinks.errors import TemplateError
from applinks.registry import load_registry
from applinks.templates import extract_id, id_text, placeholders, render

BUILDIUM = "https://{subdomain}.managebuilding.com/manager/app/properties/{id}/summary"
LOFTY = "https://crm.lofty.com/admin/home/detail?leadId={id}"
LIGHTNING = "https://{mydomain}.lightning.force.com/lightning/r/{object}/{id}/view"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (BUILDIUM, ["subdomain", "id"]),
        ("https://x.com/{id}/{a}/{id}/{b}/{a}", ["id", "a", "b"]),
        ("https://x.com/{{literal}}/{id}", ["id"]),
        ("https://x.com/plain", []),
    ],
    ids=["buildium", "repeats", "literal-braces", "none"],
)
def test_placeholders(template: str, expected: list[str]) -> None:
    assert placeholders(template) == expected


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "https://x.com/{id",
            (
                'The URL template "https://x.com/{id" has "{id", which is not a placeholder '
                'such as {id} or {subdomain}; write "{{" for a literal brace.'
            ),
        ),
        (
            "https://x.com/{2x}",
            (
                'The URL template "https://x.com/{2x}" has "{2x}", which is not a placeholder '
                'such as {id} or {subdomain}; write "{{" for a literal brace.'
            ),
        ),
        (
            "https://x.com/{}",
            (
                'The URL template "https://x.com/{}" has "{}", which is not a placeholder such '
                'as {id} or {subdomain}; write "{{" for a literal brace.'
            ),
        ),
        (
            "https://x.com/}",
            (
                'The URL template "https://x.com/}" has a "}" without a matching "{"; write '
                '"}}" for a literal brace.'
            ),
        ),
    ],
    ids=["unclosed", "digit-name", "empty-name", "stray-close"],
)
def test_malformed_template(template: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        placeholders(template)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("template", "unique_id", "values", "expected"),
    [
        (
            BUILDIUM,
            "123",
            {"subdomain": "acme"},
            "https://acme.managebuilding.com/manager/app/properties/123/summary",
        ),
        (
            LOFTY,
            "1142886436094613",
            None,
            "https://crm.lofty.com/admin/home/detail?leadId=1142886436094613",
        ),
        ("https://x.com/{id}", "a/b c&d?e#f%", None, "https://x.com/a%2Fb%20c%26d%3Fe%23f%25"),
        ("https://x.com/{id}", "café", None, "https://x.com/caf%C3%A9"),
        ("https://x.com/{{id}}/{id}", "7", None, "https://x.com/{id}/7"),
        (
            BUILDIUM,
            "9",
            {"subdomain": " acme ", "unused": "x"},
            "https://acme.managebuilding.com/manager/app/properties/9/summary",
        ),
    ],
    ids=["setting", "query", "encoded", "non-ascii", "literal-braces", "setting-trimmed"],
)
def test_render(
    template: str, unique_id: str, values: dict[str, str] | None, expected: str
) -> None:
    assert render(template, unique_id, values) == expected


@pytest.mark.parametrize(
    ("app_name", "values", "message"),
    [
        (
            "Buildium",
            None,
            (
                'The URL template for Buildium needs the setting "subdomain"; give it as '
                "subdomain=yourcompany."
            ),
        ),
        (
            "Buildium",
            {"subdomain": "  "},
            (
                'The URL template for Buildium needs the setting "subdomain"; give it as '
                "subdomain=yourcompany."
            ),
        ),
        (
            None,
            {},
            (
                f'The URL template "{BUILDIUM}" needs the setting "subdomain"; give it as '
                "subdomain=yourcompany."
            ),
        ),
    ],
    ids=["named-app", "blank-value", "no-app-name"],
)
def test_render_missing_setting(
    app_name: str | None, values: dict[str, str] | None, message: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        render(BUILDIUM, "1", values, app_name=app_name)
    assert caught.value.message == message


def test_render_names_every_missing_setting() -> None:
    with pytest.raises(TemplateError) as caught:
        render(LIGHTNING, "006j000000Pkp1d", app_name="Salesforce")
    assert caught.value.message == (
        'The URL template for Salesforce needs the settings "mydomain" and "object"; give them '
        "as mydomain=yourcompany and object=Opportunity."
    )


EXTRACT_CASES = [
    (BUILDIUM, "https://acme.managebuilding.com/manager/app/properties/123/summary", None, "123"),
    (BUILDIUM, "HTTP://ACME.ManageBuilding.com/manager/app/properties/123/summary/", None, "123"),
    (
        BUILDIUM,
        "https://www.acme.managebuilding.com/manager/app/properties/123/summary",
        None,
        "123",
    ),
    (
        BUILDIUM,
        "https://acme.managebuilding.com/manager/app/properties/123/summary?tab=1",
        None,
        "123",
    ),
    (
        BUILDIUM,
        "https://other.managebuilding.com/manager/app/properties/123/summary",
        {"subdomain": "acme"},
        None,
    ),
    (
        BUILDIUM,
        "https://ACME.managebuilding.com/manager/app/properties/123/summary",
        {"subdomain": "acme"},
        "123",
    ),
    (BUILDIUM, "https://acme.managebuilding.com/manager/app/properties/123", None, None),
    (BUILDIUM, "https://acme.example.com/manager/app/properties/123/summary", None, None),
    (
        LOFTY,
        "https://crm.lofty.com/admin/home/detail?leadId=1142886436094613",
        None,
        "1142886436094613",
    ),
    (LOFTY, "https://crm.lofty.com/admin/home/detail?tab=notes&leadId=42&x=1#top", None, "42"),
    (LOFTY, "https://crm.lofty.com/admin/home/detail?otherleadId=42", None, None),
    (
        LIGHTNING,
        "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view",
        None,
        "006j000000Pkp1dAAA",
    ),
    (
        LIGHTNING,
        (
            "https://acme--uat.sandbox.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view"
        ),
        None,
        "006j000000Pkp1dAAA",
    ),
    (
        LIGHTNING,
        "https://acme.lightning.force.com/lightning/r/Account/001j000000Pkp1dAAA/view",
        {"object": "Opportunity"},
        None,
    ),
    (
        "https://www.zillow.com/homedetails/{id}_zpid/",
        "https://zillow.com/homedetails/59187422_zpid",
        None,
        "59187422",
    ),
    (
        "https://my.brokermint.com/#/transactions/{id}",
        "https://my.brokermint.com/#/transactions/55",
        None,
        "55",
    ),
    ("https://x.com/{id}", "https://x.com/a%2Fb%20c", None, "a/b c"),
    ("https://x.com/{id}/{id}", "https://x.com/1/2", None, None),
    ("https://x.com/{id}/{id}", "https://x.com/1/1", None, "1"),
    (
        "https://docs.google.com/spreadsheets/d/{sheet_id}/edit",
        "https://docs.google.com/spreadsheets/d/abc/edit",
        None,
        None,
    ),
    (BUILDIUM, "", None, None),
]


@pytest.mark.parametrize(
    ("template", "url", "values", "expected"),
    EXTRACT_CASES,
    ids=[
        "buildium",
        "case-http-slash",
        "www",
        "extra-query",
        "other-subdomain",
        "setting-any-case",
        "path-cut-short",
        "other-host",
        "lofty",
        "lofty-params-around",
        "param-suffix",
        "lightning",
        "sandbox",
        "other-object",
        "zillow-no-www",
        "fragment-route",
        "decoded",
        "repeated-id-differs",
        "repeated-id-same",
        "template-without-id",
        "empty-url",
    ],
)
def test_extract_id(
    template: str, url: str, values: dict[str, str] | None, expected: str | None
) -> None:
    assert extract_id(template, url, values) == expected


def _registry_templates() -> list[tuple[str, str, dict[str, str]]]:
    cases = []
    for app in load_registry().apps:
        for kind, template in app.kinds.items():
            if "id" in placeholders(template):
                cases.append((f"{app.app_id}:{kind}", template, dict(app.settings)))
    return cases


REGISTRY_TEMPLATES = _registry_templates()
SETTING_VALUE = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12
).filter(lambda s: not s.startswith("-") and not s.endswith("-"))


@pytest.mark.parametrize(
    ("template", "defaults"),
    [c[1:] for c in REGISTRY_TEMPLATES],
    ids=[c[0] for c in REGISTRY_TEMPLATES],
)
@settings(max_examples=150, deadline=None)
@given(unique_id=st.text(min_size=1), data=st.data())
def test_round_trip_every_registry_template(
    template: str, defaults: dict[str, str], unique_id: str, data: st.DataObject
) -> None:
    names = [n for n in placeholders(template) if n != "id"]
    values = {n: defaults.get(n) or data.draw(SETTING_VALUE, label=n) for n in names}
    url = render(template, unique_id, values)
    assert extract_id(template, url, values) == unique_id
    # Without the settings each one matches any value, and the id still comes back.
    assert extract_id(template, url) == unique_id


def test_registry_has_templates_to_round_trip() -> None:
    assert len(REGISTRY_TEMPLATES) >= 20


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from(["", "p/", "a.b/"]),
    suffix=st.sampled_from(["", "/", "/view", "_zpid/", "?x=1", "-{x}"]),
    unique_id=st.text(min_size=1),
    x=st.text(min_size=1).filter(str.strip),  # a blank setting counts as missing
)
def test_round_trip_any_template_shape(prefix: str, suffix: str, unique_id: str, x: str) -> None:
    template = f"https://example.com/{prefix}{{id}}{suffix}"
    assert extract_id(template, render(template, unique_id, {"x": x}), {"x": x}) == unique_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (48616032.0, "48616032"),
        (1.42e18, "1420000000000000000"),
        (48616032, "48616032"),
        (2.5, "2.5"),
        (1e-7, "0.0000001"),
        ("006j000000Pkp1d", "006j000000Pkp1d"),
        (" 42 ", " 42 "),
        (Decimal("5.0"), "5"),
        (Decimal("1E+3"), "1000"),
        (True, "TRUE"),
        (dt.date(2024, 5, 1), "2024-05-01"),
        (dt.datetime(2024, 5, 1, 9, 30), "2024-05-01 09:30:00"),
        (float("nan"), ""),
        (None, ""),
    ],
    ids=[
        "float-whole",
        "float-huge",
        "int",
        "float-fraction",
        "float-tiny",
        "text",
        "text-spaces",
        "decimal-whole",
        "decimal-exponent",
        "bool",
        "date",
        "datetime",
        "nan",
        "none",
    ],
)
def test_id_text(value: object, expected: str) -> None:
    assert id_text(value) == expected
