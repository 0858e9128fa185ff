"""The worksheet functions of the xlwings Lite edition, over ranges.

Each takes what Excel hands over (``@arg(..., ndim=2)``: a list of rows; an omitted argument
is None) and returns one value or a list of rows of the range's shape, exactly as the Windows
add-in's :mod:`applinks.excel.udfs`: both go through
:func:`applinks.udf_ranges.call_over_ranges`. No xlwings here, so the functions are tested
under Pyodide without it.
"""

from __future__ import annotations

from typing import Any

from applinks.udf_ranges import call_over_ranges
from applinks.udfs import OMITTED

__all__ = ["OMITTED", "APPLINK_APPID", "APPLINK_CHECK", "APPLINK_ID", "APPLINK_NAME", "APPLINK_URL"]


def APPLINK_URL(app_id: Any, unique_id: Any, template: Any = None) -> Any:
    """Return the App Content URL for each App ID and App Unique ID (optionally a template)."""
    return call_over_ranges("APPLINK_URL", app_id, unique_id, template)


def APPLINK_NAME(app_id: Any) -> Any:
    """Return the App Name for each App ID, e.g. Zillow for zillow.com."""
    return call_over_ranges("APPLINK_NAME", app_id)


def APPLINK_CHECK(app_id: Any, unique_id: Any = OMITTED, url: Any = OMITTED) -> Any:
    """Return "" where the App Link is fine, else the first problem in plain words.

    A left-out argument arrives as its default (OMITTED: not checked), a blank cell as None.
    """
    return call_over_ranges("APPLINK_CHECK", app_id, unique_id, url)


def APPLINK_APPID(url_or_host: Any) -> Any:
    """Return the App ID (a domain such as salesforce.com) for each link or host name."""
    return call_over_ranges("APPLINK_APPID", url_or_host)


def APPLINK_ID(url: Any, app_id: Any = None) -> Any:
    """Return the App Unique ID found in each link to a record."""
    return call_over_ranges("APPLINK_ID", url, app_id)
