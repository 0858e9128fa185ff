"""The worksheet functions of the xlwings Lite edition, over ranges.

Each takes what Excel hands over (``@arg(..., ndim=2)``: a list of rows; an omitted argument
is None) and returns one value or a list of rows of the range's shape, exactly as the Windows
add-in's :mod:`applinks.excel.udfs`: both go through
:func:`applinks.udf_ranges.call_with_templates`. No xlwings here, so the functions are tested
under Pyodide without it.

The workbook's App Link Templates sheet: the Windows add-in reads it through the calling cell,
which xlwings hands its functions. xlwings Lite hands a function its arguments and nothing
else (no workbook, no cell values), so here the sheet comes as the optional last argument,
``templates``: ``=APPLINK_URL("hubspot.com", B2, , 'App Link Templates'!A1:F40)``. It is read
exactly as the add-in reads the sheet, with the same answers; left out, only the built-in apps
are known.
"""

from __future__ import annotations

from typing import Any

from applinks.udf_ranges import Templates, call_with_templates
from applinks.udfs import OMITTED

__all__ = ["OMITTED", "APPLINK_APPID", "APPLINK_CHECK", "APPLINK_ID", "APPLINK_NAME", "APPLINK_URL"]


def _call(name: str, templates: Any, *arguments: Any) -> Any:
    """Run ``name`` over the ranges with the apps and settings of the ``templates`` cells."""
    read: Templates | None = None
    if templates is not None:
        from applinks.excel.ranges import registry_from_grid

        read = lambda: registry_from_grid(templates)  # noqa: E731
    return call_with_templates(name, arguments, read)


def APPLINK_URL(app_id: Any, unique_id: Any, template: Any = None, templates: Any = None) -> Any:
    """Return the App Content URL for each App ID and App Unique ID (optionally a template)."""
    return _call("APPLINK_URL", templates, app_id, unique_id, template)


def APPLINK_NAME(app_id: Any, templates: Any = None) -> Any:
    """Return the App Name for each App ID, e.g. Zillow for zillow.com."""
    return _call("APPLINK_NAME", templates, app_id)


def APPLINK_CHECK(
    app_id: Any, unique_id: Any = OMITTED, url: Any = OMITTED, templates: Any = None
) -> Any:
    """Return "" where the App Link is fine, else the first problem in plain words.

    A left-out argument arrives as its default (OMITTED: not checked), a blank cell as None.
    """
    return _call("APPLINK_CHECK", templates, app_id, unique_id, url)


def APPLINK_APPID(url_or_host: Any, templates: Any = None) -> Any:
    """Return the App ID (a domain such as salesforce.com) for each link or host name."""
    return _call("APPLINK_APPID", templates, url_or_host)


def APPLINK_ID(url: Any, app_id: Any = None, templates: Any = None) -> Any:
    """Return the App Unique ID found in each link to a record."""
    return _call("APPLINK_ID", templates, url, app_id)
