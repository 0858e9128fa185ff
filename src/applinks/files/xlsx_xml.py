"""The XML text of an annotated workbook's parts: cells, sheet names and in-place edits.

The annotated copy edits its parts as text (so every namespace, extension and byte it does not
need to change stays as it was); these are the pieces the package, styles, data sheet and check
sheet writers share.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from applinks.errors import InputError
from applinks.headers import column_letter
from applinks.table import Cell, cell_text

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_TYPE = REL_NS + "/worksheet"

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
#: Anything :func:`xml_text` would change; most text has none of it.
NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def xml_text(value: str) -> str:
    """Return text escaped for a cell: spreadsheet ``_xHHHH_`` escapes for control characters."""
    if NEEDS_ESCAPE.search(value) is None:
        return value
    value = _ESCAPE_LIKE.sub(r"_x005F_\1", value)
    value = _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
    return escape(value)


def cell_xml(p: str, position: int, row: int, value: Cell, style: int | None) -> str:
    """Return the ``<c>`` element of ``value`` at 0-based column ``position`` of sheet ``row``.

    ``p`` is the sheet's namespace prefix (``""`` or such as ``"x:"``); text is an inline string.
    """
    ref = f"{column_letter(position)}{row}"
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<{p}c r="{ref}"{s}/>'
    if type(value) is bool:
        return f'<{p}c r="{ref}"{s} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if type(value) in (int, float):
        return f'<{p}c r="{ref}"{s}><{p}v>{value!r}</{p}v></{p}c>'
    text = value if isinstance(value, str) else cell_text(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return (
        f'<{p}c r="{ref}"{s} t="inlineStr"><{p}is><{p}t{space}>{xml_text(text)}</{p}t>'
        f"</{p}is></{p}c>"
    )


def quote_sheet(name: str) -> str:
    """Return a sheet name as a formula or link names it: ``'It''s'``."""
    return "'" + name.replace("'", "''") + "'"


# --- editing a part's text ----------------------------------------------------------------------


def prefix_of(text: str, local: str) -> str:
    """Return the namespace prefix (``"x:"``, or ``""``) of the first ``local`` element."""
    match = re.search(rf"<(\w+:)?{local}[\s>/]", text)
    return match.group(1) or "" if match else ""


def insert_before_close(text: str, tag: str, insert: str) -> str:
    """Insert ``insert`` as the last child of the last ``tag`` element (opening an empty one)."""
    close = f"</{tag}>"
    at = text.rfind(close)
    if at < 0:  # a self-closing element such as <sheets/>
        match = re.search(rf"<{re.escape(tag)}(\s[^>]*)?/>", text)
        if not match:
            raise InputError(f"The workbook part with <{tag}> is damaged; save it again in Excel.")
        opened = match.group(0)[:-2] + ">"
        return text[: match.start()] + opened + insert + close + text[match.end() :]
    return text[:at] + insert + text[at:]


def insert_before_first(
    text: str, prefix: str, tags: Sequence[str], insert: str, end: str | None = None
) -> str:
    """Insert before the first top-level element among ``tags``, else before ``end`` (or last)."""
    best = -1
    for tag in tags:
        match = re.search(rf"<{prefix}{tag}[\s>/]", text)
        if match and (best < 0 or match.start() < best):
            best = match.start()
    if best < 0:
        best = len(text) if end is None else text.rfind(end)
    return text[:best] + insert + text[best:]


def set_count(text: str, tag: str, count: int) -> str:
    """Set (or add) the ``count`` attribute of the first ``tag`` element."""
    match = re.search(rf"<{tag}\b[^>]*>", text)
    if not match:
        return text
    opening = match.group(0)
    if re.search(r'\scount="\d+"', opening):
        new = re.sub(r'\scount="\d+"', f' count="{count}"', opening)
    else:
        new = opening[: len(tag) + 1] + f' count="{count}"' + opening[len(tag) + 1 :]
    return text[: match.start()] + new + text[match.end() :]
