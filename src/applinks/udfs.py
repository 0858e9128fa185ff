"""Worksheet functions as plain Python: the logic behind APPLINK_URL, APPLINK_NAME, ...

Each function takes one cell's value and returns one text; the Excel glue applies it over a
range. They never raise for bad cell data. An empty input gives "". A problem the user must
fix (an unknown app, a missing setting, no known link format) gives a short sentence that
starts with "#", like Excel's own error values, so it stands out in the sheet, is never
mistaken for a link, and is flagged by Check as an invalid URL if it is exported.

Cells arrive as Excel gives them: text, floats for numbers (``48616032.0``), None for empty.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import cast

from applinks.checks import check, mangled_reason
from applinks.domains import not_a_record, not_a_record_message
from applinks.errors import MissingSettings, TemplateError
from applinks.numfmt import general_number
from applinks.registry import Registry, app_id_for_url, load_registry
from applinks.table import Cell, Table
from applinks.templates import id_text, render

__all__ = [
    "OMITTED",
    "TEMPLATES_SHEET",
    "APPLINK_APPID",
    "APPLINK_CHECK",
    "APPLINK_ID",
    "APPLINK_NAME",
    "APPLINK_URL",
    "id_text",
]


#: The workbook's sheet of its own apps and account settings, named in the cells' sentences.
TEMPLATES_SHEET = "App Link Templates"


def _text(value: object) -> str:
    return id_text(value).strip()


#: Excel's day zero: a time of day alone comes over as a date-time on this day.
_DAY_ZERO = dt.date(1899, 12, 30)


def _id_value(value: object) -> object:
    """Return a cell as the ribbon reads it (and the command line the saved file).

    Excel hands a date over as a date-time at midnight, a time of day as a date-time on its
    day zero, and a number with all the digits of a double, of which it keeps and shows 15.
    """
    if type(value) is dt.datetime:
        if value.date() == _DAY_ZERO:
            return value.time()
        if value.time() == dt.time():
            return value.date()
    if type(value) is float:
        return general_number(value)
    return value


def APPLINK_URL(
    app_id: object,
    unique_id: object,
    template: object = None,
    *,
    settings: Mapping[str, str] | None = None,
    registry: Registry | None = None,
) -> str:
    """Return the record link for ``unique_id`` in the app ``app_id``.

    Uses ``template`` when one is given, else the app's default template; the app's default
    settings apply under ``settings`` either way. "" when the id is empty. Returns a sentence
    starting with "#" (not a link) for an unknown app without a template, an app with no known
    link format, an id that does not have the form of the app's ids (as Fill leaves such a row),
    a missing setting or a malformed template.

    >>> APPLINK_URL("zillow.com", 59187422.0)
    'https://www.zillow.com/homedetails/59187422_zpid/'
    """
    value = cast("Cell", _id_value(unique_id))
    unique = id_text(value)
    if not unique.strip():
        return ""
    apps = registry or load_registry()
    app_text = _text(app_id)
    entry = apps.get(app_text) if app_text else None
    own_template = _text(template)
    merged = dict(entry.settings) if entry else {}
    merged.update({k: v for k, v in (settings or {}).items() if v is not None and str(v).strip()})
    try:
        if own_template:
            return render(own_template, unique, merged, app_name=entry.name if entry else None)
        if entry is None:
            if not app_text:
                return "#No App ID: give the App ID of the app, such as zillow.com."
            return (
                f'#Unknown app "{app_text}": give a URL template, or use one of the known App '
                "IDs such as zillow.com."
            )
        if not entry.id_matches(unique.strip()) and not mangled_reason(value):
            # Fill leaves such a row and says why; a cell says it in the cell.
            return (
                f'#"{unique}" does not have the form of a {entry.name} id; check the id and the '
                "App ID."
            )
        return entry.render_url(unique, settings=merged)
    except MissingSettings as error:
        # A cell names the workbook's settings block, not the command line's option.
        them = "it" if len(error.names) == 1 else "them"
        return (
            f"#{error.needs()}; enter {them} under Setting and Value on the {TEMPLATES_SHEET} "
            "sheet."
        )
    except TemplateError as error:
        return "#" + error.message


def APPLINK_NAME(app_id: object, *, registry: Registry | None = None) -> str:
    """Return the display name of the app ``app_id`` (``Salesforce``), or "" if unknown."""
    text = _text(app_id)
    entry = (registry or load_registry()).get(text) if text else None
    return entry.name if entry else ""


def APPLINK_APPID(url_or_host: object, *, registry: Registry | None = None) -> str:
    """Return the App ID for a link or a host name.

    The App ID of the app that claims the host (``acme.lightning.force.com`` gives
    ``salesforce.com``), else the host's registrable domain (``WwW.example.COM`` gives
    ``example.com``). "" for empty input, a bare ending such as ``co.uk``, a name starting with
    a dot, or anything without a usable host. A link that is no record's (a short link, a map,
    ``mailto:``, ``tel:``, ``file:``) gives a sentence starting with "#" that says what to paste
    instead.
    """
    text = _text(url_or_host)
    if not text:
        return ""
    what = not_a_record(text)
    if what:
        return "#" + not_a_record_message(text, what)
    return app_id_for_url(text, registry) or ""


def APPLINK_ID(url: object, app_id: object = None, *, registry: Registry | None = None) -> str:
    """Return the record id in the link ``url``, or "" when none is found.

    The app is ``app_id`` when given (an unknown App ID gives ""), else the app that claims the
    link. A link that is no record's (a short link, a map, ``mailto:``, ...) gives a sentence
    starting with "#" that says what to paste instead.
    """
    text = _text(url)
    if not text:
        return ""
    what = not_a_record(text)
    if what:
        return "#" + not_a_record_message(text, what)
    apps = registry or load_registry()
    app_text = _text(app_id)
    entry = apps.app_for_url(text)
    if app_text and (entry is None or entry.app_id != app_text.lower()):
        # The link's own app when it has this App ID (Google Docs for google.com), else the
        # app the App ID names.
        entry = apps.get(app_text)
    if entry is None:
        return ""
    return entry.extract_id(text) or ""


# --- Checks -----------------------------------------------------------------------------------

#: Codes that only make sense for a whole row or a whole file, not for the cells a formula gets.
_NOT_FOR_CELLS = {
    "name-missing",
    "name-column-missing",
    "row-not-importable",
    "app-name-missing",
    "unique-id-duplicate",
    "app-id-inconsistent",
}


class _Omitted:
    """Marks an argument that was left out (a blank cell arrives as None and is checked)."""

    def __repr__(self) -> str:
        return "OMITTED"


OMITTED: object = _Omitted()


def APPLINK_CHECK(
    app_id: object,
    unique_id: object = OMITTED,
    url: object = OMITTED,
    *,
    registry: Registry | None = None,
) -> str:
    """Return "" when the App Link cells given are fine, else the first problem in plain words.

    Runs the same checks as Check Sheet on one row made of the given cells (a cell left out is
    not checked: ``APPLINK_CHECK(A2)`` checks only the App ID; a blank cell given is checked as
    empty). Checks that need the whole row or
    the whole sheet (Name, duplicates) are left to Check Sheet.

    >>> APPLINK_CHECK("Zillow.com", "59187422")
    'App ID "Zillow.com" has capital letters; use "zillow.com".'
    """
    headers = ["App ID"]
    row: list[Cell] = [_cell(app_id)]
    if unique_id is not OMITTED:
        headers.append("App Unique ID")
        row.append(_cell(unique_id))
    if url is not OMITTED:
        headers.append("App Content URL")
        row.append(_cell(url))
    if all(c is None for c in row):
        return ""
    report = check(Table(headers, [row]), registry=registry)
    for issue in report:
        if issue.code in _NOT_FOR_CELLS or issue.column not in headers:
            continue  # a cell that was not given is not checked
        text = _ROW_PREFIX.sub("", issue.message)
        return text[:1].upper() + text[1:]
    return ""


_ROW_PREFIX = re.compile(r"^Row \d+: ")


def _cell(value: object) -> Cell:
    """Return a worksheet value as a table cell: "" is empty, whole floats become ints."""
    value = _id_value(value)
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value  # type: ignore[return-value]
