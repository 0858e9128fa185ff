"""Domain rules: hosts of URLs, registrable domains and the checks on an App ID.

Registrable domains come from the Public Suffix List snapshot bundled with the
``publicsuffixlist`` package; nothing is ever fetched. The *full* list is used, both its ICANN
and its private sections, as the product specification asks: a host under a private suffix such
as ``acme.github.io`` is its own registrable domain, because each such name belongs to a
different owner. Whether ``*.force.com`` belongs to Salesforce is decided by the app registry's
host lists, never by the Public Suffix List.

International domain names: :func:`host_of` turns a host written in other scripts into its
ASCII ``xn--`` form, so App IDs derived from URLs are always plain ASCII. An App ID typed with
non-ASCII letters is reported as not a domain, with the ``xn--`` form as the suggestion.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass

from publicsuffixlist import PublicSuffixList

from applinks.ahead import ahead

# What a host may contain once lower-cased and in ASCII form. Underscores are tolerated in a
# host read from a URL (some internal names use them) but not in an App ID.
_HOST_CHARS = re.compile(r"[a-z0-9._-]+")
_APP_ID_CHARS = re.compile(r"[a-z0-9.-]+")
_MAX_LABEL = 63
_MAX_NAME = 253


@functools.cache
def _psl() -> PublicSuffixList:
    # Built from the bundled snapshot on first use: parsing it takes a noticeable moment, and
    # many callers (the CLI's --help, for one) never need it.
    return PublicSuffixList()


ahead(_psl)  # (built while a large sheet is parsed, see applinks.ahead)


def _strip_url_parts(text: str) -> str:
    """Return ``text`` without scheme, user, path, query, fragment, port and ``www.``.

    No validation and no case change: the caller decides what is wrong with what is left.
    """
    rest = text
    if "://" in rest:
        rest = rest.split("://", 1)[1]
    for mark in "/?#":
        rest = rest.split(mark, 1)[0]
    if "@" in rest:
        rest = rest.rsplit("@", 1)[1]
    if rest.startswith("["):
        # A bracketed IPv6 address: keep it whole, drop only a port after it.
        return rest.split("]", 1)[0] + "]" if "]" in rest else rest
    rest = rest.split(":", 1)[0]
    if rest.lower().startswith("www."):
        rest = rest[4:]
    return rest


def _to_ascii(host: str) -> str | None:
    """Return ``host`` with non-ASCII labels in ``xn--`` form, or None if that is impossible."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _is_ip(host: str) -> bool:
    bare = host.strip("[]")
    # Cheap test first: most hosts are names, and ipaddress is slow to say no.
    if not bare or not (bare[0].isdigit() or ":" in bare):
        return False
    try:
        ipaddress.ip_address(bare)
    except ValueError:
        return False
    return True


_AUTHORITY = re.compile(r"[^/?#]*")


def host_of(url_or_host: str) -> str | None:
    """Return the lower-case host of a URL or of a bare host name.

    ``https://Acme.Lightning.Force.com:443/x`` gives ``acme.lightning.force.com`` and
    ``WwW.Example.COM`` gives ``www.example.com`` (a bare host keeps its ``www.``; only the App
    ID rules drop it). A trailing dot is removed; an IP address is returned as it is written.
    Returns None for empty text or when what is left is not a plausible host name (spaces,
    empty labels such as ``.example.com``, other punctuation).
    """
    text = url_or_host.strip()
    if "://" in text:
        text = text.split("://", 1)[1]
    match = _AUTHORITY.match(text)
    return _host_from_authority(match.group(0) if match else "")


@functools.lru_cache(maxsize=8192)
def _host_from_authority(authority: str) -> str | None:
    # The authority of a link repeats on every row of a sheet: normalise each one once.
    host = authority.rsplit("@", 1)[-1]
    if host.startswith("["):
        host = host[1 : host.index("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    host = host.lower()
    if not host:
        return None
    if _is_ip(host):
        return host
    if host.endswith("."):
        host = host[:-1]
    ascii_host = _to_ascii(host)
    if not ascii_host or not _HOST_CHARS.fullmatch(ascii_host):
        return None
    if any(not label for label in ascii_host.split(".")):
        return None
    return ascii_host


# Hosts whose links only lead on to another address: the record's own link is the one to paste.
_SHORT_LINK_HOSTS = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "bl.ink",
        "buff.ly",
        "cutt.ly",
        "goo.gl",
        "is.gd",
        "lnkd.in",
        "ow.ly",
        "rb.gy",
        "rebrand.ly",
        "short.io",
        "shorturl.at",
        "t.co",
        "t.ly",
        "tiny.cc",
        "tinyurl.com",
        "v.gd",
    }
)
_MAP_HOSTS = frozenset({"maps.apple.com", "maps.apple", "maps.app.goo.gl", "goo.gl"})
# Google's and Bing's map pages sit under /maps on their search hosts (google.co.uk too).
_MAP_SITE = re.compile(r"(?:.+\.)?(?:google\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})|bing\.com)")
_MAP_PATH = re.compile(r"/maps(?:[/?#]|$)")
_NOT_WEB = {
    "mailto": "an email address",
    "tel": "a phone number",
    "sms": "a phone number",
    "callto": "a phone number",
    "file": "a file on a computer",
}


def not_a_record(url: str) -> str | None:
    """Say what a link is when it cannot be a record's own link, else return None.

    ``"a short link"`` (bit.ly, goo.gl, ...: they lead on to another address), ``"a map"``
    (Google, Apple and Bing maps), ``"an email address"`` (``mailto:``), ``"a phone number"``
    (``tel:``), ``"a file on a computer"`` (``file:``). Such a link gives no App ID: what to
    paste instead is the link of the record itself (:func:`not_a_record_message`).

    >>> not_a_record("https://bit.ly/3xYzAbC"), not_a_record("https://www.zillow.com/")
    ('a short link', None)
    """
    text = url.strip()
    scheme, colon, _ = text.partition(":")
    if colon and scheme.lower() in _NOT_WEB:
        return _NOT_WEB[scheme.lower()]
    host = host_of(text)
    if host is None:
        return None
    bare = host[4:] if host.startswith("www.") else host
    after = text.split("://", 1)[1] if "://" in text else text
    path = _AUTHORITY.sub("", after, count=1)  # what follows the host: /maps/...
    if bare in _MAP_HOSTS and (bare != "goo.gl" or _MAP_PATH.match(path)):
        return "a map"
    if bare.startswith("maps.google.") or (_MAP_SITE.fullmatch(bare) and _MAP_PATH.match(path)):
        return "a map"
    if bare in _SHORT_LINK_HOSTS:
        return "a short link"
    return None


def not_a_record_message(url: str, what: str) -> str:
    """Return the sentence that says a link is no record's and what to paste instead."""
    return (
        f'"{url}" is {what}, not a link to a record; paste the link of the record itself (open '
        "the record in its app and copy the address from the browser)."
    )


def is_known_tld(domain: str) -> bool:
    """Return True when the last label of ``domain`` is a top-level domain on the list.

    ``example.com`` and ``com`` are known; ``example.comm`` and ``printer.local`` are not.
    """
    label = domain.strip().lower().rstrip(".").rsplit(".", 1)[-1]
    label = _to_ascii(label) or ""
    if not label or _is_ip(domain.strip()):
        return False
    return _psl().publicsuffix(label, accept_unknown=False) is not None


@functools.lru_cache(maxsize=8192)
def registrable_domain(host: str) -> str | None:
    """Return the registrable domain (the public suffix plus one label) of ``host``.

    ``na16.salesforce.com`` gives ``salesforce.com`` and ``shop.example.co.uk`` gives
    ``example.co.uk``. Returns None for empty text, a bare suffix (``com``, ``co.uk``), a name
    with a leading dot or an empty label, an IP address, or an unknown top-level domain.
    """
    text = host.strip().lower()
    if not text or text.startswith(".") or _is_ip(text):
        return None
    if text.endswith("."):
        text = text[:-1]
    ascii_host = _to_ascii(text)
    if not ascii_host or not _HOST_CHARS.fullmatch(ascii_host):
        return None
    if any(not label for label in ascii_host.split(".")):
        return None
    found = _psl().privatesuffix(ascii_host, accept_unknown=False)
    return found if isinstance(found, str) else None


@dataclass(frozen=True)
class AppIdProblem:
    """One thing wrong with an App ID: its issue ``code``, a corrected value, and a reason.

    ``reason`` is filled only for ``app-id-not-domain``, as a short phrase that completes the
    sentence "... is not a domain name (...)".
    """

    code: str
    suggestion: str | None = None
    reason: str | None = None


def _has_url_parts(text: str) -> bool:
    return any(mark in text for mark in ("://", "/", ":", "?", "#")) or text.lower().startswith(
        "www."
    )


def _not_domain_reason(bare: str) -> str | None:
    """Say in a short phrase why ``bare`` (lower-case, no URL parts) is not a domain name."""
    if not bare:
        return "it is empty"
    if any(ch.isspace() for ch in bare):
        return "it has a space"
    if not bare.isascii():
        odd = next(ch for ch in bare if not ch.isascii())
        return f'it has the character "{odd}"'
    bad = sorted({ch for ch in bare if not _APP_ID_CHARS.fullmatch(ch)})
    if bad:
        shown = ", ".join(f'"{ch}"' for ch in bad)
        return f"it has the character{'s' if len(bad) > 1 else ''} {shown}"
    if _is_ip(bare):
        return "it is an IP address"
    if "." not in bare:
        return "it has no dot"
    if bare.startswith("."):
        return "it starts with a dot"
    if bare.endswith("."):
        return "it ends with a dot"
    labels = bare.split(".")
    if "" in labels:
        return "it has two dots in a row"
    for label in labels:
        if label.startswith("-") or label.endswith("-"):
            return f'the part "{label}" starts or ends with a hyphen'
        if len(label) > _MAX_LABEL:
            return f"a part is longer than {_MAX_LABEL} characters"
    if len(bare) > _MAX_NAME:
        return f"it is longer than {_MAX_NAME} characters"
    if not is_known_tld(bare):
        return f'".{labels[-1]}" is not a known ending'
    if registrable_domain(bare) is None:
        return f'"{bare}" is only an ending; put the name in front of it'
    return None


def classify_app_id(value: str) -> list[AppIdProblem]:
    """Return every problem with an App ID, each under its own issue code.

    The verdicts are independent, so one value can have several, in this order:
    ``app-id-not-domain``, ``app-id-not-lowercase``, ``app-id-has-url-parts`` and
    ``app-id-subdomain`` (a warning, never given together with ``app-id-not-domain``).
    A fine App ID such as ``salesforce.com`` or ``example.co.uk`` gives ``[]``.

    >>> [p.code for p in classify_app_id("https://WWW.Zillow.com/")]
    ['app-id-not-lowercase', 'app-id-has-url-parts']
    """
    # A sheet repeats a few App IDs over many rows, so each spelling is judged once.
    return list(_classify(value))


@functools.lru_cache(maxsize=4096)
def _classify(value: str) -> tuple[AppIdProblem, ...]:
    stripped = value.strip()
    url_parts = _has_url_parts(stripped)
    bare = _strip_url_parts(stripped).lower() if url_parts else stripped.lower()
    bare_ascii = _to_ascii(bare) if bare and not any(ch.isspace() for ch in bare) else None
    problems: list[AppIdProblem] = []

    reason = _not_domain_reason(bare)
    if reason is None and stripped != value:
        problems.append(
            AppIdProblem("app-id-not-domain", stripped, "it has spaces at the start or end")
        )
    elif reason is not None:
        suggestion = None
        if not bare.isascii() and bare_ascii and _not_domain_reason(bare_ascii) is None:
            suggestion = bare_ascii
        problems.append(AppIdProblem("app-id-not-domain", suggestion, reason))

    fixed_bare = (registrable_domain(bare) or bare) if bare else None
    if any(ch.isupper() for ch in stripped):
        problems.append(
            AppIdProblem("app-id-not-lowercase", fixed_bare if url_parts else stripped.lower())
        )
    if url_parts:
        problems.append(AppIdProblem("app-id-has-url-parts", fixed_bare or None))
    if reason is None:
        registrable = registrable_domain(bare)
        if registrable is not None and registrable != bare:
            problems.append(AppIdProblem("app-id-subdomain", registrable))
    return tuple(problems)


def canonical_app_id(value: str) -> str:
    """Return the bare lower-case host an App ID stands for, to group spellings of one source.

    ``https://www.Zillow.com/`` and ``zillow.com`` both give ``zillow.com``. Falls back to the
    value stripped and lower-cased when no host can be read from it.
    """
    stripped = value.strip()
    bare = _strip_url_parts(stripped).lower() if _has_url_parts(stripped) else stripped.lower()
    return bare or stripped.lower()
