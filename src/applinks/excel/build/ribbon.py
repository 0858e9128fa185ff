"""The Cloze ribbon: its Python action names and the ``customUI`` part the build writes.

``addin/customUI.xml`` is the reviewed source. The build adds one dropdown item per app of the
registry where the ``<!-- app items -->`` marker stands and writes the result as
``customUI/customUI14.xml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import quoteattr

# The fixed names each ribbon button passes to ``applinks.excel.actions.run``; the VBA callbacks
# in addin/ClozeRibbon.bas use exactly these, one per button.
ACTION_NAMES = (
    "insert_columns",
    "fill_app_links",
    "from_urls",
    "check_sheet",
    "clear_flags",
    "save_csv",
    "email_support",
    "templates",
    "help",
)
CUSTOMUI_NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
APP_ITEM_PREFIX = "app_"
APP_ITEMS_MARKER = "<!-- app items -->"


def app_item_id(app_id: str) -> str:
    """Return the dropdown item id for an App ID (a ribbon id may not start with a digit)."""
    return APP_ITEM_PREFIX + app_id


def render_custom_ui(source: str, apps: Iterable[tuple[str, str]]) -> str:
    """Return ``source`` with one ``<item>`` per ``(app_id, app_name)`` at the marker."""
    if source.count(APP_ITEMS_MARKER) != 1:
        raise ValueError(f"customUI.xml must contain the marker {APP_ITEMS_MARKER} exactly once")
    line_start = source.rindex("\n", 0, source.index(APP_ITEMS_MARKER)) + 1
    indent = source[line_start : source.index(APP_ITEMS_MARKER)]
    items = [
        f"<item id={quoteattr(app_item_id(app_id))} label={quoteattr(f'{name} ({app_id})')}/>"
        for app_id, name in apps
    ]
    if not items:
        raise ValueError("the app list for the ribbon is empty")
    return source.replace(APP_ITEMS_MARKER, f"\n{indent}".join(items))
