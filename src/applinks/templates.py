"""URL templates: render a record link from an id, and read the id back out of a link.

Syntax: ``{id}`` stands for the row's App Unique ID; any other ``{name}`` (letters, digits and
underscores, not starting with a digit) is an account setting such as ``{subdomain}``. Write
``{{`` and ``}}`` for a literal brace. Every value is percent-encoded when rendered (a ``/``
in an id becomes ``%2F``), so a value can never change the shape of the link.

The same template read backwards gives the id of a link (:func:`extract_id`), with some
tolerance for how people copy links: ``http`` or ``https``, any letter case in the host and the
fixed parts, an optional ``www.``, an optional trailing slash, extra query parameters before
or after the template's own, and anything after a ``?`` or ``#`` that the template does not
have. Limit: when a template has several query parameters, a link must list them in the
template's order.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import quote, unquote

from applinks.errors import MissingSettings, TemplateError

ID = "id"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# A piece of a parsed template: (text, True) for a placeholder name, (text, False) for a literal.
_Piece = tuple[str, bool]

# Made-up values that make the "give it as name=value" hint concrete.
_EXAMPLES = {
    "subdomain": "yourcompany",
    "company": "yourcompany",
    "account": "yourcompany",
    "mydomain": "yourcompany",
    "instance": "na16",
    "site": "yourcompany",
    "dc": "us6",
    "tld": "eu",
    "object": "Opportunity",
    "portal_id": "1234567",
    "org_id": "1234567",
    "account_id": "1234567",
    "board_id": "1234567",
    "project_gid": "1234567",
    "sheet_id": "your-sheet-key",
    "host": "app-eu1.hubspot.com",
    "store": "yourstore",
    "workspace": "yourteam",
    "org": "yourorg",
    "base_id": "appXXXXXXXXXXXXXX",
    "table_id": "tblXXXXXXXXXXXXXX",
}

# What a placeholder whose value is not known matches, by where it sits in the link. In the
# host it may span several labels: Salesforce sandboxes (acme--uat.sandbox) and Zoho's
# regional endings (com.au) need that.
_ANY_HOST = r"[^./?#&:@\s]+(?:\.[^./?#&:@\s]+)*"
_ANY_PATH = r"[^/?#&\s]+"
_ANY_QUERY = r"[^&#\s]+"


@functools.lru_cache(maxsize=1024)
def _parse(template: str) -> tuple[_Piece, ...]:
    pieces: list[_Piece] = []
    literal: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch in "{}" and template[i : i + 2] == ch * 2:
            literal.append(ch)
            i += 2
            continue
        if ch == "}":
            raise TemplateError(
                f'The URL template "{template}" has a "}}" without a matching "{{"; '
                'write "}}" for a literal brace.'
            )
        if ch == "{":
            end = template.find("}", i)
            name = template[i + 1 : end] if end != -1 else ""
            if end == -1 or not _NAME.fullmatch(name):
                shown = template[i : end + 1] if end != -1 else template[i:]
                raise TemplateError(
                    f'The URL template "{template}" has "{shown}", which is not a placeholder '
                    'such as {id} or {subdomain}; write "{{" for a literal brace.'
                )
            if literal:
                pieces.append(("".join(literal), False))
                literal = []
            pieces.append((name, True))
            i = end + 1
            continue
        literal.append(ch)
        i += 1
    if literal:
        pieces.append(("".join(literal), False))
    return tuple(pieces)


def placeholders(template: str) -> list[str]:
    """Return the placeholder names of ``template`` in order of first use, each once.

    >>> placeholders("https://{subdomain}.managebuilding.com/manager/app/properties/{id}/summary")
    ['subdomain', 'id']

    Raises :class:`TemplateError` for a stray brace or a bad placeholder name.
    """
    names: list[str] = []
    for text, is_placeholder in _parse(template):
        if is_placeholder and text not in names:
            names.append(text)
    return names


def _setting(settings: Mapping[str, str] | None, name: str) -> str | None:
    value = (settings or {}).get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _missing(template: str, missing: list[str], app_name: str | None) -> MissingSettings:
    examples = [f"{name}={_EXAMPLES.get(name, 'value')}" for name in missing]
    return MissingSettings(missing, template=template, app_name=app_name, examples=examples)


def render(
    template: str,
    unique_id: str,
    settings: Mapping[str, str] | None = None,
    *,
    app_name: str | None = None,
) -> str:
    """Return the link for ``unique_id``: ``template`` with every placeholder filled.

    ``settings`` gives the account settings by name; a blank value counts as missing.
    ``app_name`` only improves the error message.

    >>> render("https://app.hubspot.com/contacts/{portal_id}/deal/{id}", "42", {"portal_id": "7"})
    'https://app.hubspot.com/contacts/7/deal/42'

    Raises :class:`MissingSettings` (a :class:`TemplateError`) naming every setting the template
    needs and was not given.
    """
    pieces = _parse(template)
    missing = [
        text
        for text, is_placeholder in pieces
        if is_placeholder and text != ID and _setting(settings, text) is None
    ]
    if missing:
        raise _missing(template, list(dict.fromkeys(missing)), app_name)
    out: list[str] = []
    for text, is_placeholder in pieces:
        if not is_placeholder:
            out.append(text)
        elif text == ID:
            out.append(quote(unique_id, safe=""))
        else:
            out.append(quote(_setting(settings, text) or "", safe=""))
    return "".join(out)


def id_text(value: object) -> str:
    """Return an id as the text a link and Cloze should get.

    Text is returned unchanged. Spreadsheets hand whole numbers over as floats, so
    ``48616032.0`` gives ``48616032``: no ``.0``, no exponent, no thousands separator (a float
    past 15 digits has already lost its tail; the checks report that, this does not hide it).
    Other numbers give their shortest exact form without an exponent, dates ``YYYY-MM-DD``,
    booleans ``TRUE``/``FALSE``, and an empty cell (None, or a float that is not a number) "".
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        if not value.is_finite():
            return ""
        return (
            format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        )
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _literal(text: str) -> str:
    return f"(?i:{re.escape(text)})" if text else ""


@functools.lru_cache(maxsize=1024)
def _pattern(template: str, known: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    """Compile ``template`` into a regex that matches the links it makes, or None if no {id}."""
    pieces = _parse(template)
    if not any(is_placeholder and text == ID for text, is_placeholder in pieces):
        return None
    values = dict(known)
    out: list[str] = []
    seen: set[str] = set()
    state = "start"

    # The last literal's trailing "/" is made optional below, so drop it here.
    last = len(pieces) - 1
    trailing_slash = not pieces[last][1] and pieces[last][0].endswith("/")

    for index, (text, is_placeholder) in enumerate(pieces):
        if state == "start":
            state = "host"
            if not is_placeholder and re.match(r"(?i)https?://", text):
                text = text.split("://", 1)[1]
                out.append("[Hh][Tt][Tt][Pp][Ss]?://")
            else:
                out.append("(?:[Hh][Tt][Tt][Pp][Ss]?://)?")
            out.append("(?:[Ww][Ww][Ww]\\.)?")
            if not is_placeholder and text.lower().startswith("www."):
                text = text[4:]
        if is_placeholder:
            if text in seen:
                out.append(f"(?P=p_{text})")
                continue
            seen.add(text)
            given = values.get(text)
            if given is not None:
                body = _literal(quote(given, safe=""))
            else:
                body = {"host": _ANY_HOST, "query": _ANY_QUERY}.get(state, _ANY_PATH)
            out.append(f"(?P<p_{text}>{body})")
            continue
        if index == last and trailing_slash:
            text = text[:-1]
        run: list[str] = []
        for ch in text:
            if state == "host" and ch in "/?#":
                state = "path"
            if state == "path" and ch == "?":
                state = "query"
                special = r"\?(?:[^#]*&)?"  # other parameters may come first
            elif state == "query" and ch == "&":
                special = r"&(?:[^#]*&)?"
            elif state in ("path", "query") and ch == "#":
                state = "fragment"
                special = "#"
            else:
                run.append(ch)
                continue
            out.append(_literal("".join(run)) + special)
            run = []
        out.append(_literal("".join(run)))
    if state == "query":
        out.append(r"(?:&[^#]*)?(?:#.*)?")
    elif state == "fragment":
        out.append(r"/?(?:[?&].*)?")
    else:
        out.append(r"/?(?:[?#].*)?")
    return re.compile("".join(out), re.DOTALL)


def extract_id(template: str, url: str, settings: Mapping[str, str] | None = None) -> str | None:
    """Return the id that ``template`` put into ``url``, or None if the link does not fit.

    Settings that are given must appear in the link as given (in any letter case); settings
    not given match any value. The id comes back percent-decoded, exactly as it was rendered.

    >>> extract_id("https://trello.com/c/{id}", "http://www.Trello.com/c/AbCd1234/")
    'AbCd1234'
    """
    pattern = link_pattern(template, settings)
    if pattern is None:
        return None
    match = pattern.fullmatch(url.strip())
    if match is None:
        return None
    return unquote(match.group(ID_GROUP))


#: The group of a :func:`link_pattern` match that holds the id (percent-encoded, as in the link).
ID_GROUP = f"p_{ID}"


def link_pattern(
    template: str, settings: Mapping[str, str] | None = None
) -> re.Pattern[str] | None:
    """Return the compiled pattern :func:`extract_id` reads links with (None: no ``{id}``).

    Its ``fullmatch`` of a stripped link holds the id, still percent-encoded, in the group
    :data:`ID_GROUP`. Settings that are given must appear in the link as given.
    """
    known = tuple(
        (name, value)
        for name in placeholders(template)
        if name != ID and (value := _setting(settings, name)) is not None
    )
    return _pattern(template, known)
