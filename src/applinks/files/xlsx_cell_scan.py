"""One pass over a worksheet's XML for the cell facts python-calamine does not give.

The sheet is read in chunks of bytes and searched with regular expressions; no tree of it is
ever built (a sheet can be 500 MB). Each chunk goes one of two ways:

- The fast way, for the XML every spreadsheet program writes (``<c r="B2" s="3" t="n">``: the
  reference first, then the style, one space apart): a few whole-chunk searches, each one
  checked against a plain count of what it should have found (every wanted ``s="N"``, every
  ``t="e"``, every ``HYPERLINK(`` formula). A chunk where a count does not tally, or whose last
  row or cell has no reference, goes the slow way.
- The slow way reads the chunk tag by tag in Python, and follows the rules python-calamine
  follows for cells without a reference: a ``<row>`` without ``r=`` comes after the previous
  row, a ``<c>`` without ``r=`` after the previous cell in its row (in column A when it is the
  row's first cell). It is the reference: the tests hold the fast way to it.

Attributes are read as spreadsheet programs write them, ``name="value"``; one in single quotes
or with spaces around ``=`` (which no program writes) is not read, on either way.
"""

from __future__ import annotations

import operator
import re
from array import array
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import IO, Any

MIB = 1024**2
#: Bytes of sheet XML read at a time.
CHUNK_BYTES = 4 * MIB
#: Longest stretch of sheet XML with no place to cut it (inside one cell or tag). Excel's
#: longest cell is 32,767 characters, so only a damaged or hostile part comes near it.
MAX_PIECE_BYTES = 64 * MIB
#: How far into the part its root element must start.
PROLOG_BYTES = 64 * 1024


class DamagedSheet(ValueError):
    """The sheet's XML cannot be cut into pieces: no root element, or a piece too long."""


@dataclass
class SheetCells:
    """What one pass over a worksheet's XML found. Rows are 1-based, columns 0-based.

    Cells are kept by column, then row: dictionaries of numbers and text are left alone by
    Python's cycle collector, which would otherwise walk a million (row, column) keys again and
    again while the pass runs, and while the caller works on (it doubled the pass's time).
    """

    #: Column -> (rows, style indexes): the cells that hold a number under a wanted style, as
    #: two parallel arrays sorted by row, each row once (for a row given twice, which Excel
    #: never writes, the higher style index).
    styled: dict[int, tuple[array[int], array[int]]] = field(default_factory=dict)
    #: Column -> row -> the error the cell shows, e.g. "#N/A".
    errors: dict[int, dict[int, str]] = field(default_factory=dict)
    #: Column -> row -> target of a ``HYPERLINK("literal", ...)`` formula.
    formula_links: dict[int, dict[int, str]] = field(default_factory=dict)
    #: ``(ref, relationship id, location)`` of each ``<hyperlink>`` element, as written.
    hyperlinks: list[tuple[str, str, str]] = field(default_factory=list)
    #: Formula cells with no saved result (python-calamine gives them as empty).
    formulas_without_values: int = 0


def scan_sheet_cells(
    stream: IO[bytes],
    wanted: Collection[int],
    *,
    chunk_size: int = CHUNK_BYTES,
    fast: bool = True,
) -> SheetCells:
    """Read a worksheet's XML once, in chunks, and return its styled, error and link cells.

    ``wanted`` holds the style (xf) indexes whose number cells are collected; style 0 is never
    collected (it is every unstyled cell's). With ``fast=False`` every chunk goes the slow way
    (for tests). Raises DamagedSheet when the XML has no root element near its start or a piece
    longer than MAX_PIECE_BYTES.
    """
    head = b""
    root = None
    while root is None:
        chunk = stream.read(chunk_size)
        head += chunk
        root = _ROOT.search(head)
        if root is None and (not chunk or len(head) > PROLOG_BYTES):
            raise DamagedSheet("no root element")
    prefix = (root.group(1) or b"") + (b":" if root.group(1) else b"")
    scanner = _Scanner(_Patterns.make(prefix, sorted(set(wanted) - {0})), fast=fast)
    carry = head
    while True:
        chunk = stream.read(chunk_size)
        buf = carry + chunk if carry else chunk
        if chunk:
            cut = scanner.cut(buf)
            if cut == 0:
                if len(buf) > MAX_PIECE_BYTES:
                    raise DamagedSheet("a piece of the sheet is too long")
                carry = buf
                continue
            carry, buf = buf[cut:], buf[:cut]
        scanner.feed(buf)
        if not chunk:
            scanner.found.styled = _by_column(scanner.styled_rows())
            return scanner.found


def tag_pieces(stream: IO[bytes], chunk_size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Yield a small XML part's text in pieces that split no tag (each ends before a "<").

    For parts of many small elements, like a relationships part. Raises DamagedSheet for a
    stretch longer than MAX_PIECE_BYTES without a "<".
    """
    carry = b""
    while True:
        chunk = stream.read(chunk_size)
        buf = carry + chunk if carry else chunk
        if not chunk:
            if buf:
                yield buf
            return
        cut = buf.rfind(b"<")
        if cut <= 0:
            if len(buf) > MAX_PIECE_BYTES:
                raise DamagedSheet("a piece of the part is too long")
            carry = buf
            continue
        carry = buf[cut:]
        yield buf[:cut]


_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?[A-Za-z_][\w.-]*[\s/>]")
_ATTR = re.compile(rb'([^\s="/]+)="([^"]*)"')
_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_AFTER_NAME = frozenset(b" \t\r\n/>")
_ODD_STYLE_SPACE = re.compile(rb'[\t\n\r]s="')
_HYPERLINK_HEAD = rb"\s*(?i:(?:_xlfn\.)?hyperlink)\s*\("
#: A first argument that is a literal written the plain way (no entities, ASCII spaces): most
#: HYPERLINK formulas. The rest go through literal_target(). Possessive runs, so a long target
#: costs one step per character and never backtracks.
_PLAIN_LITERAL = rb'(?:\s*"([^"<&]*+(?:""[^"<&]*+)*+)"(?=\s*[,)]))?'
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def column_index(letters: bytes) -> int:
    """Return the 0-based column of ``letters`` (b"A" is 0, b"XFD" is 16,383)."""
    number = 0
    for char in letters.upper():
        number = number * 26 + (char - 64)
    return number - 1


def attributes(text: bytes) -> dict[bytes, bytes]:
    """Return a tag's attributes (the first of any name given twice)."""
    out: dict[bytes, bytes] = {}
    for name, value in _ATTR.findall(text):
        out.setdefault(name, value)
    return out


def xml_text(raw: bytes) -> str:
    """Return element text or an attribute value as a string, its entities replaced."""
    text = _text(raw)
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if not name.startswith("#"):
        return _NAMED[name]
    try:
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    except (ValueError, OverflowError):
        return match.group(0)


def literal_target(arguments: str, separators: str = ",)") -> str | None:
    """Return the first argument of a formula call when it is a string literal, else None.

    ``arguments`` is the formula text after ``HYPERLINK(``; ``""`` inside the literal is one
    quote. ``HYPERLINK("https://a.com/" & A2)`` has no literal target. ``separators``: what
    may follow the literal (OpenDocument formulas also separate arguments with ``;``).
    """
    text = arguments.lstrip()
    if not text.startswith('"'):
        return None
    out: list[str] = []
    pos = 1
    while True:
        end = text.find('"', pos)
        if end < 0:
            return None
        out.append(text[pos:end])
        if text.startswith('"', end + 1):
            out.append('"')
            pos = end + 2
            continue
        rest = text[end + 1 :].lstrip()
        target = "".join(out)
        return target if target and rest[:1] and rest[:1] in separators else None


def _digits_pattern(numbers: Iterable[int]) -> bytes:
    """Return a pattern that matches exactly the decimal forms of ``numbers``.

    Built as a tree of digits, so the regular expression engine reads each digit once instead
    of trying every number in turn (a workbook can have thousands of styles).
    """
    tree: dict[str, dict] = {}
    for number in numbers:
        node = tree
        for digit in str(number):
            node = node.setdefault(digit, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [digit + emit(child) for digit, child in sorted(node.items()) if digit]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree).encode("ascii")


@dataclass(frozen=True)
class _Patterns:
    """The searches for one sheet: its element prefix (``x:`` or none) and its wanted styles."""

    prefix: bytes
    wanted: frozenset[int]
    tag: re.Pattern[bytes]
    formula: re.Pattern[bytes]
    value: re.Pattern[bytes]
    hyperlink_head: re.Pattern[bytes]
    hyperlink: re.Pattern[bytes]
    plain_hyperlink: re.Pattern[bytes]
    row_ref: re.Pattern[bytes]
    cell_ref: re.Pattern[bytes]
    wanted_style: re.Pattern[bytes] | None
    row_wanted_style: re.Pattern[bytes] | None
    styled: re.Pattern[bytes] | None
    error: re.Pattern[bytes]
    formula_link_any: re.Pattern[bytes]
    formula_link: re.Pattern[bytes]
    formula_empty: re.Pattern[bytes]
    follower: re.Pattern[bytes]
    no_result: re.Pattern[bytes]
    empty_text_result: re.Pattern[bytes]

    @classmethod
    def make(cls, prefix: bytes, wanted: list[int]) -> _Patterns:
        p = re.escape(prefix)
        ref = rb"<" + p + rb'c r="([A-Z]{1,3})([0-9]{1,7})"'
        f_then_v = rb"(?:<" + p + rb"f(?:\s[^>]*)?(?:/>|>[^<]*</" + p + rb"f>)\s*)?"
        xf = b"0*(?:" + _digits_pattern(wanted) + b")" if wanted else b""
        return cls(
            prefix=prefix,
            wanted=frozenset(wanted),
            tag=re.compile(rb"<" + p + rb"(row|c)(?=[\s/>])([^>]*)>"),
            formula=re.compile(rb"<" + p + rb"f(?=[\s/>])([^>]*)>"),
            value=re.compile(rb"<" + p + rb"v(?=[\s/>])([^>]*)>"),
            hyperlink_head=re.compile(_HYPERLINK_HEAD),
            hyperlink=re.compile(rb"<" + p + rb"hyperlink(?=[\s/>])([^>]*)>"),
            plain_hyperlink=re.compile(
                rb"<"
                + p
                + rb'hyperlink ref="([^"&]*)" r:id="([^"&]*)"(?: location="([^"&]*)")?'
                + rb'(?: (?!ref=|location=|[\w.-]*:id=)[\w.:-]+="[^"]*")*\s*/?>'
            ),
            row_ref=re.compile(rb"<" + p + rb'row r="([0-9]{1,7})"'),
            cell_ref=re.compile(ref),
            wanted_style=re.compile(rb' s="' + xf + b'"') if wanted else None,
            row_wanted_style=re.compile(rb"<" + p + rb'row\s[^>]* s="' + xf + b'"')
            if wanted
            else None,
            styled=re.compile(ref + rb' s="(' + xf + rb')"([^>]*)>') if wanted else None,
            error=re.compile(
                ref
                + rb'(?: s="[0-9]+")? t="e"(?:\s[^>]*)?(?<!/)>\s*'
                + f_then_v
                + rb"<"
                + p
                + rb"v>([^<]*)</"
                + p
                + rb"v>"
            ),
            formula_link_any=re.compile(rb"<" + p + rb"f(?:\s[^>]*)?>" + _HYPERLINK_HEAD),
            formula_link=re.compile(
                rb"<"
                + p
                + rb"f(\s[^>]*)?>"
                + _HYPERLINK_HEAD
                + _PLAIN_LITERAL
                + rb"([^<]*)</"
                + p
                + rb"f>"
            ),
            formula_empty=re.compile(rb"<" + p + rb"f(?:\s[^>]*)?(?:/>|></" + p + rb"f>)"),
            follower=re.compile(
                rb"<" + p + rb'f t="shared" si="([0-9]+)"\s*(?:/>|></' + p + rb"f>)"
            ),
            # A formula, then no value or an empty one, then the cell's end.
            no_result=re.compile(
                rb"(?:<" + p + rb"f\b[^>]*/>|</" + p + rb"f>)\s*"
                rb"(?:<" + p + rb"v\s*/>|<" + p + rb"v>\s*</" + p + rb"v>)?\s*</" + p + rb"c>"
            ),
            # ... of which these are saved results: a formula of text whose value is empty
            # (Excel and LibreOffice save ="" so), counted by ``no_result`` too.
            empty_text_result=re.compile(
                rb"<" + p + rb'c\b(?=[^>]*\st="str")[^>]*>\s*'
                rb"<" + p + rb"f\b[^>]*(?:/>|>[^<]*</" + p + rb"f>)\s*"
                rb"(?:<" + p + rb"v\s*/>|<" + p + rb"v>\s*</" + p + rb"v>)\s*</" + p + rb"c>"
            ),
        )


#: A formula found the fast way: its cell's (letters, digits) and the search's match.
_Placed = tuple[tuple[bytes | Any, ...], re.Match[bytes]]


class _Scanner:
    """The state of one pass: the current row and column, and what was found so far."""

    def __init__(self, patterns: _Patterns, *, fast: bool) -> None:
        self.pat = patterns
        self.fast = fast
        self.found = SheetCells()
        #: Number of the current ``<row>`` (0 before the first) and column of its last cell.
        self.row, self.column = 0, -1
        #: Shared-formula index -> target, for shared ``HYPERLINK("literal", ...)`` formulas.
        self.shared: dict[bytes, str] = {}
        p = patterns.prefix
        self.cell_open, self.cell_close = b"<" + p + b"c", b"</" + p + b"c>"
        self.row_open, self.link_open = b"<" + p + b"row", b"<" + p + b"hyperlink"
        self.formula_open = b"<" + p + b"f"
        self._columns: dict[bytes, int] = {}
        #: (column, style) -> rows of the styled number cells, as met: found the slow way,
        #: and the fast way (by column letters and style digits, turned into numbers at the end).
        self.rows: dict[tuple[int, int], array[int]] = {}
        self.fast_rows: dict[tuple[bytes, bytes], array[int]] = {}

    # -- cutting ---------------------------------------------------------------------------

    def cut(self, buf: bytes) -> int:
        """Return where to split ``buf`` so no cell or tag is split; 0 means read on."""
        start = _last_tag(buf, self.cell_open, len(buf))
        if start > 0:
            return start
        end = 0
        if start == 0:
            end = self._cell_end(buf, 0)
            if end < 0:
                return 0
        last = buf.rfind(b"<", end)
        return len(buf) if last < 0 else last

    def _cell_end(self, buf: bytes, start: int) -> int:
        close = buf.find(b">", start)
        if close < 0:
            return -1
        if buf[close - 1] == ord("/"):
            return close + 1
        end = buf.find(self.cell_close, close)
        return -1 if end < 0 else end + len(self.cell_close)

    # -- one piece ---------------------------------------------------------------------------

    def feed(self, buf: bytes) -> None:
        """Take in one piece of the sheet that splits no cell or tag."""
        # <hyperlinks> comes after <sheetData>, so after the last cell: only that is searched.
        last_cell = max(0, _last_tag(buf, self.cell_open, len(buf)))
        if buf.find(self.link_open, last_cell) >= 0:
            self._hyperlinks(buf, last_cell)
        formulas = self.formula_open in buf
        if formulas:
            counted = len(self.pat.no_result.findall(buf))
            if counted and b't="str"' in buf:
                counted -= len(self.pat.empty_text_result.findall(buf))
            self.found.formulas_without_values += counted
        if not (self.fast and self._fast(buf, formulas)):
            self._slow(buf)

    def _hyperlinks(self, buf: bytes, start: int) -> None:
        """Note the ``<hyperlink>`` elements in ``buf`` from ``start`` on.

        Most are written ref, r:id, location: those are read by one search (a sheet can have
        a link in every row); the others attribute by attribute.
        """
        found = self.found.hyperlinks
        texts = self.pat.hyperlink.findall(buf, start)
        plain = self.pat.plain_hyperlink.findall(buf, start) if self.fast else []
        if len(plain) == len(texts):
            found.extend((_text(ref), _text(rel), _text(at)) for ref, rel, at in plain)
            return
        for text in texts:
            attrs = attributes(text)
            rel = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
            ref, location = attrs.get(b"ref", b""), attrs.get(b"location", b"")
            found.append((xml_text(ref), xml_text(rel), xml_text(location)))

    def _column(self, letters: bytes) -> int:
        column = self._columns.get(letters)
        if column is None:
            column = self._columns[letters] = column_index(letters)
        return column

    def _tail(self, buf: bytes) -> tuple[int, int] | None:
        """Return the row and column after ``buf``, or None when its last ones lack references."""
        row, column = self.row, self.column
        row_at = _last_tag(buf, self.row_open, len(buf))
        if row_at >= 0:
            match = self.pat.row_ref.match(buf, row_at)
            if match is None:
                return None
            row, column = int(match.group(1)), -1
        cell_at = _last_tag(buf, self.cell_open, len(buf))
        if cell_at > row_at:
            match = self.pat.cell_ref.match(buf, cell_at)
            if match is None:
                return None
            column = self._column(match.group(1))
        return row, column

    def _fast(self, buf: bytes, formulas: bool) -> bool:
        """Search ``buf`` whole (``formulas``: it has formulas); False (with nothing recorded)
        when a count does not tally."""
        pat = self.pat
        tail = self._tail(buf)
        if tail is None:
            return False
        styled: list[tuple[bytes, bytes, bytes, bytes]] = []
        if pat.wanted_style is not None and pat.styled is not None:
            if (b"\t" in buf or b"\n" in buf or b"\r" in buf) and _ODD_STYLE_SPACE.search(buf):
                return False
            expected = len(pat.wanted_style.findall(buf))
            if expected:
                styled = pat.styled.findall(buf)
                if len(styled) != expected and pat.row_wanted_style is not None:
                    expected -= len(pat.row_wanted_style.findall(buf))
                    if len(styled) != expected:
                        return False
        errors: list[tuple[bytes, bytes, bytes]] = []
        if b't="e"' in buf:
            errors = pat.error.findall(buf)
            if len(errors) != buf.count(b't="e"'):
                return False
        links: list[_Placed] = []
        followers: list[_Placed] = []
        if formulas:
            placed = self._fast_formulas(buf)
            if placed is None:
                return False
            links, followers = placed
        self._record_fast(styled, errors, links, followers)
        self.row, self.column = tail
        return True

    def _fast_formulas(self, buf: bytes) -> tuple[list[_Placed], list[_Placed]] | None:
        """Return the HYPERLINK formulas and the empty shared formulas (followers) in ``buf``,
        each with its cell's reference; None when one is missed or its cell has no reference.

        The searches start at "<f", not at every cell; a formula's cell is the last cell
        that starts before it.
        """
        pat = self.pat
        links = followers = None
        expected = len(pat.formula_link_any.findall(buf))
        links = self._placed(buf, pat.formula_link, expected) if expected else []
        if self.shared or b'si="' in buf:
            expected = len(pat.formula_empty.findall(buf))
            followers = self._placed(buf, pat.follower, expected) if expected else []
        else:
            followers = []
        return None if links is None or followers is None else (links, followers)

    def _placed(
        self, buf: bytes, pattern: re.Pattern[bytes], expected: int
    ) -> list[_Placed] | None:
        """Return each match of ``pattern`` with its cell's (letters, digits); None unless
        there are ``expected`` of them and every cell has a reference."""
        out: list[_Placed] = []
        cell_open, reference = self.cell_open, self.pat.cell_ref.match
        for match in pattern.finditer(buf):
            start = _last_tag(buf, cell_open, match.start())
            ref = reference(buf, start) if start >= 0 else None
            if ref is None:
                return None
            out.append((ref.groups(), match))
        return out if len(out) == expected else None

    def _record_fast(
        self,
        styled: list[tuple[bytes, bytes, bytes, bytes]],
        errors: list[tuple[bytes, bytes, bytes]],
        links: list[_Placed],
        followers: list[_Placed],
    ) -> None:
        found, column_of = self.found, self._column
        if styled:
            self._record_styled(styled)
        for letters, digits, shown in errors:
            if shown:
                _put(found.errors, column_of(letters), int(digits), xml_text(shown))
        masters: dict[bytes, int] = {}
        links_found = found.formula_links
        for (letters, digits), match in links:
            formula_attrs, plain, arguments = match.groups()
            if plain is not None:  # the same as literal_target() gives, for less
                text = _text(plain).replace('""', '"')
                target: str | None = text or None
            else:
                target = literal_target(xml_text(arguments))
            if target is not None:
                _put(links_found, column_of(letters), int(digits), target)
            if formula_attrs and b"si=" in formula_attrs:
                si = self._shared_master(formula_attrs, target)
                if si is not None:
                    masters[si] = match.start()
        for (letters, digits), match in followers:
            si = match.group(1)
            if si in self.shared and masters.get(si, -1) < match.start():
                _put(links_found, column_of(letters), int(digits), self.shared[si])

    def _record_styled(self, styled: list[tuple[bytes, bytes, bytes, bytes]]) -> None:
        """Add the number cells among ``styled`` (letters, digits, style, rest of the tag).

        The loop is kept to a tuple, a dictionary look-up and an append per cell: grouping in
        C with zip() and itertools costs more, as it makes as many tuples again.
        """
        by_key = self.fast_rows
        for letters, digits, xf, rest in styled:
            if rest and rest != b' t="n"' and not _holds_number(rest):
                continue
            key = (letters, xf)
            rows = by_key.get(key)
            if rows is None:
                rows = by_key[key] = array("I")
            rows.append(int(digits))

    def styled_rows(self) -> dict[tuple[int, int], array[int]]:
        """Return (column, style) -> rows of the styled number cells found so far."""
        out = {key: array("I", rows) for key, rows in self.rows.items()}
        for (letters, xf), rows in self.fast_rows.items():
            out.setdefault((self._column(letters), int(xf)), array("I")).extend(rows)
        return out

    def _rows(self, column: int, xf: int) -> array[int]:
        rows = self.rows.get((column, xf))
        if rows is None:
            rows = self.rows[column, xf] = array("I")
        return rows

    def _shared_master(self, formula_attrs: bytes, target: str | None) -> bytes | None:
        """Note a shared HYPERLINK formula's target for its followers; return its index."""
        attrs = attributes(formula_attrs)
        si = attrs.get(b"si")
        if attrs.get(b"t") != b"shared" or si is None:
            return None
        if target is None:
            self.shared.pop(si, None)
        else:
            self.shared[si] = target
        return si

    def _slow(self, buf: bytes) -> None:
        """Read ``buf`` tag by tag: the reference for what the fast way finds."""
        tag, pos = self.pat.tag, 0
        while (match := tag.search(buf, pos)) is not None:
            name, text = match.groups()
            pos = match.end()
            attrs = attributes(text)
            ref = attrs.get(b"r")
            if name == b"row":
                numbered = ref is not None and ref.isdigit() and len(ref) <= 7
                self.row = int(ref) if numbered and ref is not None else self.row + 1
                self.column = -1
                continue
            body = b""
            closed = text.endswith(b"/")
            if not closed:
                end = buf.find(self.cell_close, pos)
                end = len(buf) if end < 0 else end
                body, pos = buf[pos:end], end
            parsed = _REF.fullmatch(ref) if ref is not None else None
            if parsed is not None:
                cell = (int(parsed.group(2)), self._column(parsed.group(1)))
            else:
                cell = (self.row, self.column + 1)
            self.column = cell[1]
            self._slow_cell(cell, attrs, body, closed)

    def _slow_cell(
        self, cell: tuple[int, int], attrs: dict[bytes, bytes], body: bytes, closed: bool
    ) -> None:
        style, kind = attrs.get(b"s"), attrs.get(b"t")
        if (
            style is not None
            and style.isdigit()
            and int(style) in self.pat.wanted
            and not closed
            and kind in (None, b"n")
        ):
            self._rows(cell[1], int(style)).append(cell[0])
        if kind == b"e":
            text = _element_text(self.pat.value, body, self.pat.prefix, b"v")
            if text:
                _put(self.found.errors, cell[1], cell[0], xml_text(text))
        formula = self.pat.formula.search(body)
        if formula is None:
            return
        text = _element_text(self.pat.formula, body, self.pat.prefix, b"f")
        head = self.pat.hyperlink_head.match(text or b"")
        if head is not None:
            target = literal_target(xml_text((text or b"")[head.end() :]))
            if target is not None:
                _put(self.found.formula_links, cell[1], cell[0], target)
            self._shared_master(formula.group(1), target)
            return
        f_attrs = attributes(formula.group(1))
        si = f_attrs.get(b"si")
        if not text and f_attrs.get(b"t") == b"shared" and si in self.shared:
            _put(self.found.formula_links, cell[1], cell[0], self.shared[si])


def _put(by_column: dict[int, dict[int, str]], column: int, row: int, text: str) -> None:
    cells = by_column.get(column)
    if cells is None:
        cells = by_column[column] = {}
    cells[row] = text


def _element_text(
    pattern: re.Pattern[bytes], body: bytes, prefix: bytes, name: bytes
) -> bytes | None:
    """Return the text of the first element ``pattern`` finds in ``body`` (None: empty element)."""
    match = pattern.search(body)
    if match is None or match.group(1).endswith(b"/"):
        return None
    end = body.find(b"</" + prefix + name + b">", match.end())
    return body[match.end() : len(body) if end < 0 else end]


def _holds_number(text: bytes) -> bool:
    """Return True for a cell tag's attributes (after its style) that say it holds a number."""
    if text.endswith(b"/"):
        return False
    kind = attributes(text).get(b"t")
    return kind is None or kind == b"n"


def _last_tag(buf: bytes, token: bytes, end: int) -> int:
    """Return where the last tag named ``token`` (e.g. b"<c") starts before ``end``; -1: none."""
    size = len(token)
    pos = buf.rfind(token, 0, end)
    while pos >= 0 and pos + size < len(buf) and buf[pos + size] not in _AFTER_NAME:
        pos = buf.rfind(token, 0, pos)
    return pos


def _by_column(
    rows: dict[tuple[int, int], array[int]],
) -> dict[int, tuple[array[int], array[int]]]:
    """Return column -> (rows, styles) sorted by row, from rows by (column, style)."""
    parts: dict[int, list[tuple[int, array[int]]]] = {}
    for (column, xf), found in sorted(rows.items()):
        parts.setdefault(column, []).append((xf, found))
    out = {}
    for column, pieces in parts.items():
        if len(pieces) == 1:
            xf, found = pieces[0]
            if not all(map(operator.lt, found, islice(found, 1, None))):
                found = array("I", sorted(set(found)))
            out[column] = (found, array("I", [xf]) * len(found))
            continue
        # Later (higher) styles overwrite earlier ones for a row given twice.
        style_of: dict[int, int] = {}
        for xf, found in pieces:
            style_of.update(zip(found, repeat(xf)))
        ordered = sorted(style_of)
        out[column] = (array("I", ordered), array("I", map(style_of.__getitem__, ordered)))
    return out
