"""Domain rules: hosts, registrable domains, and the App ID checks of SPEC section 4."""

from __future__ import annotations

import pytest

from applinks.domains import (
    AppIdProblem,
    canonical_app_id,
    classify_app_id,
    host_of,
    is_known_tld,
    registrable_domain,
)

NOT_DOMAIN = "app-id-not-domain"
NOT_LOWER = "app-id-not-lowercase"
URL_PARTS = "app-id-has-url-parts"
SUBDOMAIN = "app-id-subdomain"

NAME_253 = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 57]) + ".com"
NAME_254 = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 58]) + ".com"

CLASSIFY_CASES = [
    ("salesforce.com", []),
    ("zillow.com", []),
    ("realtor.com", []),
    ("example.co.uk", []),
    ("xn--e1afmkfd.xn--p1ai", []),
    ("acme.github.io", []),  # a private suffix: its own registrable domain
    ("Salesforce.com", [AppIdProblem(NOT_LOWER, "salesforce.com")]),
    ("https://zillow.com", [AppIdProblem(URL_PARTS, "zillow.com")]),
    ("zillow.com/homedetails", [AppIdProblem(URL_PARTS, "zillow.com")]),
    ("zillow.com:443", [AppIdProblem(URL_PARTS, "zillow.com")]),
    ("zillow.com?x=1", [AppIdProblem(URL_PARTS, "zillow.com")]),
    ("zillow.com#top", [AppIdProblem(URL_PARTS, "zillow.com")]),
    ("www.zillow.com", [AppIdProblem(URL_PARTS, "zillow.com")]),
    (
        "WWW.Zillow.com",
        [AppIdProblem(NOT_LOWER, "zillow.com"), AppIdProblem(URL_PARTS, "zillow.com")],
    ),
    (
        "HTTPS://NA16.Salesforce.com/006j000000Pkp1d",
        [
            AppIdProblem(NOT_LOWER, "salesforce.com"),
            AppIdProblem(URL_PARTS, "salesforce.com"),
            AppIdProblem(SUBDOMAIN, "salesforce.com"),
        ],
    ),
    ("na16.salesforce.com", [AppIdProblem(SUBDOMAIN, "salesforce.com")]),
    ("a.b.c.example.co.uk", [AppIdProblem(SUBDOMAIN, "example.co.uk")]),
    (" zillow.com ", [AppIdProblem(NOT_DOMAIN, "zillow.com", "it has spaces at the start or end")]),
    ("zillow.com ", [AppIdProblem(NOT_DOMAIN, "zillow.com", "it has spaces at the start or end")]),
    (" zillow.com", [AppIdProblem(NOT_DOMAIN, "zillow.com", "it has spaces at the start or end")]),
    ("sales force.com", [AppIdProblem(NOT_DOMAIN, None, "it has a space")]),
    ("salesforce", [AppIdProblem(NOT_DOMAIN, None, "it has no dot")]),
    (
        "Salesforce",
        [AppIdProblem(NOT_DOMAIN, None, "it has no dot"), AppIdProblem(NOT_LOWER, "salesforce")],
    ),
    ("example.comm", [AppIdProblem(NOT_DOMAIN, None, '".comm" is not a known ending')]),
    ("printer.local", [AppIdProblem(NOT_DOMAIN, None, '".local" is not a known ending')]),
    (
        "co.uk",
        [AppIdProblem(NOT_DOMAIN, None, '"co.uk" is only an ending; put the name in front of it')],
    ),
    (".example.com", [AppIdProblem(NOT_DOMAIN, None, "it starts with a dot")]),
    ("example.com.", [AppIdProblem(NOT_DOMAIN, None, "it ends with a dot")]),
    ("example..com", [AppIdProblem(NOT_DOMAIN, None, "it has two dots in a row")]),
    (
        "-acme.com",
        [AppIdProblem(NOT_DOMAIN, None, 'the part "-acme" starts or ends with a hyphen')],
    ),
    (
        "acme-.com",
        [AppIdProblem(NOT_DOMAIN, None, 'the part "acme-" starts or ends with a hyphen')],
    ),
    ("my_app.com", [AppIdProblem(NOT_DOMAIN, None, 'it has the character "_"')]),
    ("app!.co*m", [AppIdProblem(NOT_DOMAIN, None, 'it has the characters "!", "*"')]),
    ("192.168.1.10", [AppIdProblem(NOT_DOMAIN, None, "it is an IP address")]),
    ("", [AppIdProblem(NOT_DOMAIN, None, "it is empty")]),
    (
        "пример.рф",
        [AppIdProblem(NOT_DOMAIN, "xn--e1afmkfd.xn--p1ai", 'it has the character "п"')],
    ),
    ("a" * 64 + ".com", [AppIdProblem(NOT_DOMAIN, None, "a part is longer than 63 characters")]),
    # The longest name DNS allows, 253 characters in labels of at most 63, and one more.
    (NAME_253, [AppIdProblem(SUBDOMAIN, "d" * 57 + ".com")]),
    (NAME_254, [AppIdProblem(NOT_DOMAIN, None, "it is longer than 253 characters")]),
    # Non-ASCII letters: the xn-- form is suggested only when it is a domain name.
    ("bücher", [AppIdProblem(NOT_DOMAIN, None, 'it has the character "ü"')]),
    ("bücher.de", [AppIdProblem(NOT_DOMAIN, "xn--bcher-kva.de", 'it has the character "ü"')]),
    (
        "https://sales force.com/x",
        [
            AppIdProblem(NOT_DOMAIN, None, "it has a space"),
            AppIdProblem(URL_PARTS, "sales force.com"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("value", "expected"), CLASSIFY_CASES, ids=[c[0][:70] or "empty" for c in CLASSIFY_CASES]
)
def test_classify_app_id(value: str, expected: list[AppIdProblem]) -> None:
    assert classify_app_id(value) == expected


REGISTRABLE_CASES = [
    ("salesforce.com", "salesforce.com"),
    ("na16.salesforce.com", "salesforce.com"),
    ("a.b.c.d.na16.salesforce.com", "salesforce.com"),
    ("shop.example.co.uk", "example.co.uk"),
    ("Example.COM", "example.com"),
    ("example.com.", "example.com"),
    ("acme.github.io", "acme.github.io"),
    ("xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai"),
    ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
    ("com", None),
    ("co.uk", None),
    (".example.com", None),
    ("example..com", None),
    ("192.168.1.10", None),
    ("::1", None),
    ("example.comm", None),
    ("localhost", None),
    ("", None),
    ("   ", None),
    ("a b.com", None),
]


@pytest.mark.parametrize(
    ("host", "expected"), REGISTRABLE_CASES, ids=[c[0] or "empty" for c in REGISTRABLE_CASES]
)
def test_registrable_domain(host: str, expected: str | None) -> None:
    assert registrable_domain(host) == expected


HOST_CASES = [
    ("https://Acme.Lightning.Force.com:443/x", "acme.lightning.force.com"),
    ("WwW.Example.COM", "www.example.com"),
    ("example.com.", "example.com"),
    ("http://user:pw@example.com:8080/a?b#c", "example.com"),
    ("example.com:8080/path", "example.com"),
    ("  https://zillow.com/homedetails/1_zpid/  ", "zillow.com"),
    ("http://[2001:db8::1]:80/", "2001:db8::1"),
    ("https://10.0.0.1/x", "10.0.0.1"),
    ("https://пример.рф/", "xn--e1afmkfd.xn--p1ai"),
    ("", None),
    ("https://", None),
    (".example.com", None),
    ("a b.com", None),
    ("not a url at all", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), HOST_CASES, ids=[c[0] or "empty" for c in HOST_CASES]
)
def test_host_of(text: str, expected: str | None) -> None:
    assert host_of(text) == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("example.com", True),
        ("com", True),
        ("example.co.uk", True),
        ("x.xn--p1ai", True),
        ("example.comm", False),
        ("printer.local", False),
        ("10.0.0.1", False),
        ("", False),
    ],
    ids=["com", "bare-com", "co-uk", "punycode", "comm", "local", "ip", "empty"],
)
def test_is_known_tld(domain: str, expected: bool) -> None:
    assert is_known_tld(domain) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("zillow.com", "zillow.com"),
        (" Zillow.com ", "zillow.com"),
        ("https://www.Zillow.com/homedetails/1_zpid/", "zillow.com"),
        ("na16.salesforce.com", "na16.salesforce.com"),
        ("Sales Force", "sales force"),
        ("https://", "https://"),
    ],
    ids=["plain", "spaces-case", "url", "subdomain-kept", "not-a-domain", "scheme-only"],
)
def test_canonical_app_id(value: str, expected: str) -> None:
    assert canonical_app_id(value) == expected


def test_public_suffix_list_is_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the Public Suffix List must never be fetched")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    from applinks import domains

    domains._psl.cache_clear()
    assert registrable_domain("a.b.example.co.uk") == "example.co.uk"
