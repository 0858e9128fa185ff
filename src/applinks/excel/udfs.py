"""Worksheet functions (xlwings UDFs): APPLINK_URL, APPLINK_NAME, APPLINK_CHECK, APPLINK_APPID,
APPLINK_ID.

Each is a thin wrapper around the plain function of the same name in :mod:`applinks.udfs`. Every
argument may be one cell or a range; the result has the shape of the range, and a single cell is
used for every row and column of a range (``=APPLINK_URL("zillow.com", B2:B500)``). One call
handles the whole range, so Excel calls Python once per formula, not once per cell.

Like the ribbon's buttons, they use the calling workbook's App Link Templates sheet (its added
apps and account settings): xlwings hands each function the calling cell as ``caller``, a
reserved argument that Excel does not show.

This is the only module of the package that imports xlwings at import time; the add-in's
"UDF Modules" setting names it. The functions run in Windows Excel (xlwings UDFs need it).
"""

from __future__ import annotations

from typing import Any

import xlwings as xw

from applinks.udf_ranges import ShapeMismatch, broadcast, call_with_templates
from applinks.udfs import OMITTED

__all__ = [
    "APPLINK_APPID",
    "APPLINK_CHECK",
    "APPLINK_ID",
    "APPLINK_NAME",
    "APPLINK_URL",
    "ShapeMismatch",
    "broadcast",
]


#: How xlwings hands each argument over: as rows, and an error cell as the text it shows
#: ("#N/A"), as the ribbon and the command line read it (xlwings' default, None, would pass
#: for an empty cell: a link left out, an App ID found fine).
ARGUMENT: dict[str, Any] = {"ndim": 2, "err_to_str": True}


def _call(name: str, caller: Any, *arguments: Any) -> Any:
    """Run ``name`` over the ranges with the apps and settings of the caller's workbook."""
    if caller is None:
        return call_with_templates(name, arguments, None)
    from applinks.excel.ranges import workbook_registry

    return call_with_templates(name, arguments, lambda: workbook_registry(caller.sheet.book))


@xw.func
@xw.arg("app_id", **ARGUMENT)
@xw.arg("unique_id", **ARGUMENT)
@xw.arg("template", **ARGUMENT)
def APPLINK_URL(app_id: Any, unique_id: Any, template: Any = None, caller: Any = None) -> Any:
    """The App Content URL for an App ID and App Unique ID (optionally your own URL template)."""
    return _call("APPLINK_URL", caller, app_id, unique_id, template)


@xw.func
@xw.arg("app_id", **ARGUMENT)
def APPLINK_NAME(app_id: Any, caller: Any = None) -> Any:
    """The App Name for an App ID, e.g. Zillow for zillow.com."""
    return _call("APPLINK_NAME", caller, app_id)


@xw.func
@xw.arg("app_id", **ARGUMENT)
@xw.arg("unique_id", **ARGUMENT)
@xw.arg("url", **ARGUMENT)
def APPLINK_CHECK(
    app_id: Any, unique_id: Any = OMITTED, url: Any = OMITTED, caller: Any = None
) -> Any:
    """Empty when the App Link is fine, else the first problem in plain words."""
    # A left-out argument arrives as its default (OMITTED, not checked); a blank cell as None.
    return _call("APPLINK_CHECK", caller, app_id, unique_id, url)


@xw.func
@xw.arg("url_or_host", **ARGUMENT)
def APPLINK_APPID(url_or_host: Any, caller: Any = None) -> Any:
    """The App ID (a domain such as salesforce.com) for a web link or host name."""
    return _call("APPLINK_APPID", caller, url_or_host)


@xw.func
@xw.arg("url", **ARGUMENT)
@xw.arg("app_id", **ARGUMENT)
def APPLINK_ID(url: Any, app_id: Any = None, caller: Any = None) -> Any:
    """The App Unique ID found in a web link to a record."""
    return _call("APPLINK_ID", caller, url, app_id)
