"""Stream the data sheet of an annotated workbook: edit its head, each row, then its tail.

The data sheet is the one large part, so it is read and written a megabyte at a time. App Link
cells that a fill changed are written, cells of the id and URL columns get the Text number
format, missing App Link headers are added after the last used column; in the head the header
row is frozen and column widths are set (where the user had none); in the tail one
``conditionalFormatting`` element per rule and a ``dataValidation`` list are added, in the order
the file format requires.
"""

from __future__ import annotations

import codecs
import functools
import re
from typing import IO
from xml.sax.saxutils import escape

from applinks.check_sheet import known_source
from applinks.errors import InputError
from applinks.headers import column_letter, map_headers
from applinks.shape import MAX_COLUMNS, MAX_ROWS
from applinks.table import (
    APP_CONTENT_URL,
    APP_ID,
    APP_LINK_HEADERS,
    APP_NAME,
    APP_UNIQUE_ID,
    Cell,
    cell_text,
)

from .xlsx_package import CHUNK, Writable
from .xlsx_plan import KEEP, Plan
from .xlsx_styles import Styles
from .xlsx_xml import (
    NEEDS_ESCAPE,
    cell_xml,
    insert_before_close,
    insert_before_first,
    prefix_of,
    set_count,
    xml_text,
)

WIDTHS = {APP_ID: 18, APP_UNIQUE_ID: 22, APP_NAME: 16, APP_CONTENT_URL: 48}
#: The elements of a worksheet that come after ``conditionalFormatting``, in the schema's order.
SHEET_ORDER_AFTER_CF = (
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)

_SHEETDATA_START = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")
_ROW_TEXT = re.compile(r"<(?:\w+:)?row\b[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.S)
_SHEETDATA_END_TEXT = re.compile(r"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\b[^>]*/>")
_ROW_NUMBER = re.compile(r'\sr="(\d+)"')
_CELL_REF = re.compile(r'\sr="([A-Z]+)\d+"')
_CELL_STYLE = re.compile(r'\ss="(\d+)"')
#: What may follow ``<row`` in a row's start tag (``\b`` in :data:`_ROW_TEXT`).
_ROW_NAME_END = frozenset(" \t\r\n/>")
_SPANS = re.compile(r'\sspans="[^"]*"')
#: Whitespace between elements: such a row is rebuilt cell by cell, as before.
_GAP = re.compile(r">\s+<")


def _first(pair: tuple[int, Cell]) -> int:
    return pair[0]


class SheetEditor:
    """Stream the data sheet: edit the head, then each row, then the tail."""

    def __init__(self, plan: Plan, styles: Styles, dxf_ids: dict, title: str) -> None:
        self.plan = plan
        self.styles = styles
        self.dxf_ids = dxf_ids
        self.title = title
        self.use_prefix("")
        self.new_attrs: dict[int, str] = {}  # style attribute of new App Link cells, by column
        self.letters: dict[int, str] = {}
        self.tails: dict[int, tuple[Cell, str]] = {}  # the last new cell made in each column
        self.done = plan.header_row  # changed rows up to here have been written
        changes = plan.changes
        self.change_columns = changes.columns
        self.first_row = changes.first_row
        self.last_index = changes.rows
        # A row whose cells all lie left of these columns only gains the new App Link cells.
        special = [p for p, _ in changes.columns] + list(plan.text_columns)
        positions = [p for p, _ in changes.columns]
        self.in_order = positions == sorted(positions)
        self.first_special = min(special, default=MAX_COLUMNS)

    def use_prefix(self, p: str) -> None:
        """Match the sheet's elements with namespace prefix ``p`` (such as ``x:``, or none)."""
        self.prefix = p
        self.cell_re = re.compile(rf"<{p}c\b[^>]*?(?:/>|>.*?</{p}c>)", re.S)
        self.ref_re = re.compile(rf"<{p}c\b[^>]*?\sr=\"([A-Z]+)\d+\"")
        self.open_cell_re = re.compile(rf"<{p}c(\s[^>]*?)?(/?)>")
        self.row_open, self.row_close = f"<{p}row", f"</{p}row>"
        self.cell_open = f"<{p}c "

    def run(self, src: IO[bytes], dst: Writable) -> None:
        buffer = b""
        while True:
            match = _SHEETDATA_START.search(buffer)
            if match:
                break
            chunk = src.read(CHUNK)
            if not chunk:
                raise InputError(
                    "The data sheet of the workbook is damaged; save it again in Excel."
                )
            buffer += chunk
        head = buffer[: match.start()].decode("utf-8")
        self.use_prefix(prefix_of(head, "worksheet"))
        p = self.prefix
        dst.write(self._edit_head(head).encode("utf-8"))
        dst.write(f"<{p}sheetData>".encode())
        rest = buffer[match.end() :]
        if match.group(1) == b"/":  # <sheetData/>: no rows at all
            dst.write(self._pending_rows(MAX_ROWS + 1).encode("utf-8"))
            tail = rest + src.read()
        else:
            tail = self._rows(rest, src, dst)
        dst.write(f"</{p}sheetData>".encode())
        dst.write(self._edit_tail(tail.decode("utf-8")).encode("utf-8"))

    # rows

    def _rows(self, buffer: bytes, src: IO[bytes], dst: Writable) -> bytes:
        decoder = codecs.getincrementaldecoder("utf-8")()
        text = decoder.decode(buffer)
        header_row = self.plan.header_row
        position = 0
        next_row = 1
        out: list[str] = []
        size = 0
        next_row_xml = self._next_row
        end_search = _SHEETDATA_END_TEXT.search
        edit_data_row = self._edit_data_row
        while True:
            found = next_row_xml(text, position)
            if found is not None:
                row_xml, position = found
                number = _row_number_text(row_xml, next_row)
                next_row = number + 1
                if number > self.done + 1:
                    out.append(self._pending_rows(number))
                if number > header_row:
                    out.append(edit_data_row(row_xml, number))
                    if number > self.done:
                        self.done = number
                elif number == header_row:
                    out.append(self._edit_row(row_xml, number))
                else:
                    out.append(row_xml)
                size += len(row_xml)
                if size > CHUNK:  # write in large pieces: one compress call per megabyte
                    dst.write("".join(out).encode("utf-8"))
                    out, size = [], 0
                continue
            end = end_search(text, position)
            if end is not None:
                out.append(self._pending_rows(MAX_ROWS + 1))
                dst.write("".join(out).encode("utf-8"))
                return (text[end.end() :] + decoder.decode(b"", final=True)).encode("utf-8")
            chunk = src.read(CHUNK)
            if not chunk:
                raise InputError(
                    "The data sheet of the workbook is damaged; save it again in Excel."
                )
            text = text[position:] + decoder.decode(chunk)
            position = 0

    def _next_row(self, text: str, position: int) -> tuple[str, int] | None:
        """Return the next ``<row>`` element of sheetData at ``position`` and where it ends.

        None when there is no complete row there (the end of sheetData, or more text is
        needed). A row that starts right at ``position`` (rows follow one another with nothing
        between them) is found with plain string searches; anything else with the pattern.
        """
        opening = self.row_open
        if text.startswith(opening, position):
            after = position + len(opening)
            if after < len(text) and text[after] in _ROW_NAME_END:
                close = text.find(">", after)
                if close >= 0 and text[close - 1] == "/":
                    return text[position : close + 1], close + 1
                end = text.find(self.row_close, close) if close >= 0 else -1
                if end >= 0:
                    end += len(self.row_close)
                    return text[position:end], end
        match = _ROW_TEXT.search(text, position)
        if match and text.find("sheetData", position, match.start()) < 0:
            return match.group(0), match.end()
        return None

    def _pending_rows(self, before: int) -> str:
        """Return new rows for changed rows that the sheet has no <row> for, before ``before``."""
        out = []
        for number in self.plan.changes.changed_rows(self.done, before):
            out.append(self._edit_row(f'<{self.prefix}row r="{number}"/>', number))
        self.done = max(self.done, min(before - 1, self.first_row + self.last_index))
        return "".join(out)

    def _edit_data_row(self, row: str, number: int) -> str:
        """Edit a data row; a row that only gains App Link cells after its last cell is fast."""
        index = number - self.first_row
        new: list[tuple[int, Cell]] = []
        if index < self.last_index:
            for position, values in self.change_columns:
                value = values[index]
                if value is not KEEP:
                    new.append((position, value))  # type: ignore[arg-type]
        if not new and not self.plan.text_columns:
            return row
        opening_end = row.find(">")
        closed = row[opening_end - 1] == "/"
        body_end = opening_end + 1 if closed else row.rfind("</")
        if body_end > opening_end + 1:  # the row has cells: are they all left of ours?
            start = row.rfind(self.cell_open, opening_end, body_end)
            ref = _CELL_REF.search(row, start, row.find(">", start)) if start >= 0 else None
            if (
                ref is None
                or _column_index(ref.group(1)) >= self.first_special
                or _GAP.search(row, opening_end, body_end) is not None
                or row.find("extLst", opening_end, body_end) >= 0
            ):
                return self._edit_row(row, number, dict(new))
        if not new:
            return row  # no cell in a text column, nothing to add
        # As the general path would: every cell kept as it is, the new ones added after them.
        p = self.prefix
        if len(new) > 1 and not self.in_order:
            new.sort(key=_first)
        tails = self.tails
        cells = []
        for position, value in new:
            last = tails.get(position)
            if last is None or last[0] is not value:  # App ID and App Name repeat: made once
                last = tails[position] = (value, self._tail(position, value))
            cells.append(f'<{p}c r="{self.letters[position]}{number}"{last[1]}')
        opening = row[: opening_end + 1]
        if 'spans="' in opening or closed:
            opening = _SPANS.sub("", opening)
            if closed:
                opening = opening[:-2].rstrip() + ">"
            return f"{opening}{row[opening_end + 1 : body_end]}{''.join(cells)}</{p}row>"
        return f"{row[:body_end]}{''.join(cells)}</{p}row>"

    def _tail(self, position: int, value: Cell) -> str:
        """Return a new cell in ``position`` after its address; the first time, note its style."""
        attr = self.new_attrs.get(position)
        if attr is None:
            attr = ""
            if position in self.plan.text_columns:
                style = self.styles.text_style(0)  # asked when the cell is first made, as before
                if style is not None:
                    attr = f' s="{style}"'
            self.new_attrs[position] = attr
            self.letters[position] = column_letter(position)
        return _cell_tail(self.prefix, value, attr)

    def _edit_row(self, row: str, number: int, changes: dict[int, Cell] | None = None) -> str:
        plan = self.plan
        if changes is None:
            changes = plan.changes.at(number)
        header = number == plan.header_row and plan.appended
        restyle = number > plan.header_row and plan.text_columns
        if not (changes or header or restyle):
            return row
        if not (changes or header):
            return self._restyle(row)
        p = self.prefix
        opening_end = row.find(">")
        opening = row[: opening_end + 1]
        body = "" if opening.endswith("/>") else row[opening_end + 1 : row.rfind("</")]
        opening = _SPANS.sub("", opening)
        if opening.endswith("/>"):
            opening = opening[:-2].rstrip() + ">"
        cells: list[tuple[int, str]] = []
        column = 0
        ref_match = self.ref_re.match
        for cell in self.cell_re.findall(body):
            ref = ref_match(cell)
            column = _column_index(ref.group(1)) if ref else column
            cells.append((column, cell))
            column += 1
        by_column = dict(cells)
        if header:
            for position, text in plan.appended:
                by_column[position] = cell_xml(p, position, number, text, None)
        for position, value in changes.items():
            old = by_column.get(position)
            if old is not None and f"<{p}f" in old:
                continue  # a formula: keep it (the user's own calculation)
            style = _style_of(old) if old is not None else 0
            by_column[position] = cell_xml(p, position, number, value, style)
        if restyle:
            for position in plan.text_columns:
                cell = by_column.get(position)
                if cell is None:
                    continue
                text_style = self.styles.text_style(_style_of(cell))
                if text_style is not None:
                    by_column[position] = _with_style(cell, text_style)
        cells_xml = "".join(by_column[c] for c in sorted(by_column))
        return f"{opening}{cells_xml}</{p}row>"

    def _restyle(self, row: str) -> str:
        """Give the cells of the text columns a Text format, touching nothing else."""
        p = self.prefix
        column = [0]
        text_columns = self.plan.text_columns

        def swap(match: re.Match[str]) -> str:
            attrs = match.group(1) or ""
            ref = _CELL_REF.search(attrs)
            position = _column_index(ref.group(1)) if ref else column[0]
            column[0] = position + 1
            if position not in text_columns:
                return match.group(0)
            current = _CELL_STYLE.search(attrs)
            style = int(current.group(1)) if current else 0
            new = self.styles.text_style(style)
            if new is None or new == style:
                return match.group(0)
            if current:
                attrs = attrs[: current.start()] + f' s="{new}"' + attrs[current.end() :]
            else:
                attrs += f' s="{new}"'
            return f"<{p}c{attrs}{match.group(2)}>"

        return self.open_cell_re.sub(swap, row)

    # head and tail

    def _edit_head(self, head: str) -> str:
        p = self.prefix
        plan = self.plan
        dimension = re.search(rf'<{p}dimension\s+ref="([^"]*)"', head)
        if plan.appended and dimension:
            rows = re.findall(r"\d+", dimension.group(1))
            last = max([int(r) for r in rows] + [plan.header_row])
            ref = f"A1:{column_letter(len(plan.headers) - 1)}{last}"
            head = head[: dimension.start(1)] + ref + head[dimension.end(1) :]
        head = self._freeze(head)
        return self._columns(head)

    def _freeze(self, head: str) -> str:
        p = self.prefix
        if re.search(rf"<{p}pane[\s>/]", head):
            return head  # the user's own frozen panes or split stay as they are
        below = self.plan.header_row + 1
        pane = (
            f'<{p}pane ySplit="{below - 1}" topLeftCell="A{below}" activePane="bottomLeft" '
            f'state="frozen"/><{p}selection pane="bottomLeft" activeCell="A{below}" '
            f'sqref="A{below}"/>'
        )
        view = re.search(rf"<{p}sheetView\b[^>]*?(/?)>", head)
        if view is None:
            views = (
                f'<{p}sheetViews><{p}sheetView workbookViewId="0">{pane}</{p}sheetView>'
                f"</{p}sheetViews>"
            )
            return insert_before_first(head, p, ("sheetFormatPr", "cols"), views)
        if view.group(1) == "/":
            opened = view.group(0)[:-2].rstrip() + ">"
            return head[: view.start()] + opened + pane + f"</{p}sheetView>" + head[view.end() :]
        close = head.find(f"</{p}sheetView>", view.end())
        inner = re.sub(rf"<{p}selection\b[^>]*/>", "", head[view.end() : close])
        return head[: view.end()] + pane + inner + head[close:]

    def _columns(self, head: str) -> str:
        p = self.prefix
        plan = self.plan
        found = map_headers(plan.headers).positions
        cols_match = re.search(rf"<{p}cols>(.*?)</{p}cols>", head, re.S)
        covered: list[tuple[int, int]] = []
        if cols_match:
            for element in re.findall(rf"<{p}col\b[^>]*>", cols_match.group(1)):
                low = re.search(r'\smin="(\d+)"', element)
                high = re.search(r'\smax="(\d+)"', element)
                if low and high:
                    covered.append((int(low.group(1)), int(high.group(1))))
        new = []
        for header in APP_LINK_HEADERS:
            position = found.get(header)
            if position is None or any(lo <= position + 1 <= hi for lo, hi in covered):
                continue
            style = ""
            if position in plan.text_columns:
                text_style = self.styles.text_style(0)
                if text_style is not None:
                    style = f' style="{text_style}"'
            new.append(
                (
                    position,
                    f'<{p}col min="{position + 1}" max="{position + 1}" '
                    f'width="{WIDTHS[header]}" customWidth="1"{style}/>',
                )
            )
        if not new:
            return head
        if cols_match is None:
            return head + f"<{p}cols>" + "".join(x for _, x in sorted(new)) + f"</{p}cols>"
        # Keep <col> elements sorted by position, as the file format requires.
        elements = re.findall(rf"<{p}col\b[^>]*?(?:/>|>.*?</{p}col>)", cols_match.group(1), re.S)
        keyed = [(int(re.search(r'\smin="(\d+)"', e).group(1)) - 1, e) for e in elements]  # type: ignore[union-attr]
        merged = "".join(x for _, x in sorted(keyed + new, key=lambda kv: kv[0]))
        return head[: cols_match.start(1)] + merged + head[cols_match.end(1) :]

    def _edit_tail(self, tail: str) -> str:
        p = self.prefix
        plan = self.plan
        priorities = [
            int(x) for x in re.findall(r'<(?:\w+:)?cfRule\b[^>]*\spriority="(\d+)"', tail)
        ]
        first = max(priorities, default=0) + 1
        formats = []
        for offset, rule in enumerate(plan.rules):
            dxf = self.dxf_ids[(rule.fill_color, rule.font_color)]
            formats.append(
                f'<{p}conditionalFormatting sqref="{rule.sqref}"><{p}cfRule type="expression" '
                f'dxfId="{dxf}" priority="{first + offset}"><{p}formula>{escape(rule.formula)}'
                f"</{p}formula></{p}cfRule></{p}conditionalFormatting>"
            )
        tail = insert_before_first(
            tail, p, SHEET_ORDER_AFTER_CF, "".join(formats), f"</{p}worksheet>"
        )
        return self._validation(tail)

    def _validation(self, tail: str) -> str:
        p = self.prefix
        plan = self.plan
        if plan.app_id_column is None:
            return tail
        letter = column_letter(plan.app_id_column)
        first = plan.header_row + 1
        existing = re.search(rf"<{p}dataValidations\b[^>]*>(.*?)</{p}dataValidations>", tail, re.S)
        if existing:
            for sqref in re.findall(r'\ssqref="([^"]*)"', existing.group(1)):
                if _covers_column(sqref, plan.app_id_column):
                    return tail  # the user's own validation on that column wins
        source = known_source(len(plan.app_ids))
        element = (
            f'<{p}dataValidation type="list" errorStyle="warning" allowBlank="1" '
            f'showInputMessage="1" showErrorMessage="1" errorTitle="Not a known App ID" '
            f'error="This App ID is not in the list of known apps. Keep it if it is your '
            f'source&apos;s web domain (lower case, no https:// or www.)." promptTitle="App ID" '
            f'prompt="The source app&apos;s web domain in lower case, such as salesforce.com. '
            f'Pick a known app or type your own." sqref="{letter}{first}:{letter}{plan.last_row}">'
            f"<{p}formula1>{escape(source)}</{p}formula1></{p}dataValidation>"
        )
        if existing:
            tail = insert_before_close(tail, f"{p}dataValidations", element)
            count = len(re.findall(rf"<{p}dataValidation[\s>]", tail))
            return set_count(tail, f"{p}dataValidations", count)
        block = f'<{p}dataValidations count="1">{element}</{p}dataValidations>'
        return insert_before_first(tail, p, SHEET_ORDER_AFTER_CF[1:], block, f"</{p}worksheet>")


def _row_number_text(row: str, default: int) -> int:
    match = _ROW_NUMBER.search(row, 0, row.find(">"))
    return int(match.group(1)) if match else default


@functools.lru_cache(maxsize=4096)
def _column_index(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number - 1


def _covers_column(sqref: str, position: int) -> bool:
    for part in sqref.split():
        ends = [re.match(r"\$?([A-Z]+)", e) for e in part.split(":")]
        columns = [_column_index(m.group(1)) for m in ends if m]
        if columns and min(columns) <= position <= max(columns):
            return True
    return False


def _style_of(cell: str) -> int:
    match = _CELL_STYLE.search(cell, 0, cell.find(">"))
    return int(match.group(1)) if match else 0


_STYLE_ATTR = re.compile(r'\ss="\d+"')


def _with_style(cell: str, style: int) -> str:
    end = cell.find(">")
    head = cell[:end]
    if _STYLE_ATTR.search(head):
        head = _STYLE_ATTR.sub(f' s="{style}"', head)
    else:
        head = head.rstrip("/") + f' s="{style}"' + ("/" if head.endswith("/") else "")
    return head + cell[end:]


def _cell_tail(p: str, value: Cell, attr: str) -> str:
    """Return a new cell's text after its address (``<c r="A1"``), with ``attr`` after its type.

    The same text as :func:`~applinks.files.xlsx_xml.cell_xml` without a style followed by
    :func:`_with_style` (which puts the style last).
    """
    if (  # the usual case: text that needs no escapes and no spaces kept
        type(value) is str
        and value
        and NEEDS_ESCAPE.search(value) is None
        and not value[0].isspace()
        and not value[-1].isspace()
    ):
        return f' t="inlineStr"{attr}><{p}is><{p}t>{value}</{p}t></{p}is></{p}c>'
    if value is None or value == "":
        return f"{attr}/>"
    kind = type(value)
    if kind is bool:
        return f' t="b"{attr}><{p}v>{int(value)}</{p}v></{p}c>'  # type: ignore[arg-type]
    if kind is int or kind is float:
        return f"{attr}><{p}v>{value!r}</{p}v></{p}c>"
    text = value if isinstance(value, str) else cell_text(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"{attr}><{p}is><{p}t{space}>{xml_text(text)}</{p}t></{p}is></{p}c>'
