"""Read what python-calamine leaves out of an .xls sheet: number formats, errors and links.

The .xls counterpart of :mod:`applinks.files.xlsx_cells`, for BIFF8 workbooks (Excel 97-2003).
:func:`read_xls_facts` walks the records of the ``Workbook`` stream of the compound file
(MS-XLS 2.1.4: a 2-byte type, a 2-byte length, the data):

- the globals: FORMAT (a format code by id; CONTINUE records may carry the rest of a long
  code), XF (each cell style's format id), BOUNDSHEET8 (each sheet's name and where its
  records start), FILEPASS (the workbook is encrypted: nothing more can be read);
- the sheet: NUMBER, RK, MULRK and FORMULA with a number result are number cells; FORMULA
  with an error result and BOOLERR with ``fError`` are error cells; HLINK gives the web links;
  a FORMULA ``HYPERLINK("literal", ...)`` gives its literal.

Every cell of an .xls names its style (XF), so ``formats`` is keyed by XF index and every
wanted cell is in ``styled``; XF 0, which no cell should name (it is the "Normal" style), is
filed under the key one past the last XF, since key 0 means "a cell without a style" in
:class:`CellFacts`.

Nothing is refused: a damaged or encrypted stream, a BIFF5 (Excel 5/95) or older file, or a
sheet that is not there gives empty facts (the reader reports damaged files). Work is bounded:
the walk stops at the stream's end, at a record that claims to run past it, and after
MAX_RECORDS records; link ranges are capped at MAX_LINK_CELLS cells.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from pathlib import Path

from applinks.files.cell_builder import StyledCells, wanted_formats
from applinks.files.cell_facts import ERROR_CODES, CellFacts, NumberFormat, by_column
from applinks.shape import MAX_COLUMNS, MAX_ROWS

MIB = 1 << 20
#: Largest workbook stream read (it is read whole); Excel's own files of 65,536 full rows are
#: well under it.
MAX_STREAM_BYTES = 512 * MIB
#: Most records walked, globals and sheet together: a full 65,536 x 256 grid is 16.8 million
#: cell records.
MAX_RECORDS = 20_000_000
#: Most cells that HLINK ranges are spread over; ranges past it are left out.
MAX_LINK_CELLS = 2 * MAX_ROWS
#: Most pieces (the record and its CONTINUE records) a FORMAT code is gathered from.
MAX_FORMAT_PIECES = 16
_MAX_STYLES = 65_536  # a cell's XF index is 16 bits

_BOF, _EOF, _FILEPASS, _CONTINUE = 0x0809, 0x000A, 0x002F, 0x003C
_FORMAT, _XF, _BOUNDSHEET = 0x041E, 0x00E0, 0x0085
_NUMBER, _RK, _MULRK, _FORMULA, _BOOLERR, _HLINK = 0x0203, 0x027E, 0x00BD, 0x0006, 0x0205, 0x01B8
_BIFF8, _GLOBALS = 0x0600, 0x0005
_STYLE_XF = 0x0004  # fStyle in the XF record's third 16-bit field


_HEADER = struct.Struct("<HH")
_CELL = struct.Struct("<HHH")  # row, column, XF: the head of every cell record
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_AREA = struct.Struct("<HHHH")  # first row, last row, first column, last column

# HLINK (MS-XLS 2.4.140, MS-OSHARED 2.3.7.1).
_HAS_MONIKER, _HAS_LOCATION, _HAS_DISPLAY_NAME = 0x01, 0x08, 0x10
_HAS_FRAME_NAME, _MONIKER_AS_STRING = 0x80, 0x100
_URL_MONIKER = bytes.fromhex("e0c9ea79f9bace118c8200aa004ba90b")
_WEB_PREFIXES = ("http://", "https://", "mailto:")

# Formula tokens (MS-XLS 2.5.198): a HYPERLINK call whose first argument is a string.
_PTG_STR, _PTG_ATTR, _HYPERLINK_FUNCTION = 0x17, 0x19, 359
_PTG_FUNC_VAR = frozenset({0x22, 0x42, 0x62})
_ATTR_SPACE = frozenset({0x01, 0x40, 0x41})  # the volatile flag, spaces, or both
#: Operand tokens a second argument may be, with their data sizes: MissArg, Bool, Int, Num,
#: Ref (three classes), Ref3d (three classes).
_OPERAND_SIZES = {0x16: 0, 0x1D: 1, 0x1E: 2, 0x1F: 8, 0x24: 4, 0x44: 4, 0x64: 4}
_OPERAND_SIZES |= {0x3A: 6, 0x5A: 6, 0x7A: 6}

_OLE_ERRORS = (OSError, EOFError, ValueError, IndexError, KeyError, struct.error, RecursionError)


def read_xls_facts(
    path: Path,
    sheet: str | None = None,
    *,
    wanted: Callable[[NumberFormat], bool] | None = None,
    builtin: Callable[[int], str | None] | None = None,
) -> CellFacts:
    """Read the number formats, error cells and hyperlinks of one worksheet of an .xls.

    Args:
        path: the workbook (an OLE compound file, already checked by ``guards.check_ole``).
        sheet: the sheet's name; None for the first worksheet.
        wanted: called once for each distinct number format of the workbook's styles (the
            format code, or a built-in format's id when neither the workbook nor ``builtin``
            gives its code); the number cells under the styles it accepts are collected.
            None collects none.
        builtin: gives the code of a built-in format id, or None when unknown.

    Returns empty facts when the workbook cannot be read; never raises for a bad file.
    """
    try:
        data = _workbook_stream(path)
    except _OLE_ERRORS:
        return CellFacts()
    book = _read_globals(data) if data is not None else None
    if data is None or book is None:
        return CellFacts()
    offset = _sheet_offset(book.sheets, sheet)
    if offset is None:
        return CellFacts()
    by_xf = [_format_of(ifmt, book.codes, builtin) for ifmt in book.xf_formats]
    styles = wanted_formats(by_xf, wanted)
    zero_key = len(by_xf)
    if 0 in styles:
        styles[zero_key] = styles.pop(0)
    walk = _SheetWalk(data, styles, zero_key)
    return walk.facts() if walk.run(offset, book.records) else CellFacts()


def _workbook_stream(path: Path) -> bytes | None:
    """Return the BIFF stream of the compound file, or None when it has none or a huge one."""
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        for name in ("Workbook", "Book"):  # "Book" holds a BIFF5 workbook, refused later
            if ole.exists(name) and ole.get_type(name) == olefile.STGTY_STREAM:
                if ole.get_size(name) > MAX_STREAM_BYTES:
                    return None
                with ole.openstream(name) as stream:
                    data: bytes = stream.read(MAX_STREAM_BYTES + 1)
                return data if len(data) <= MAX_STREAM_BYTES else None
    return None


def records(data: bytes, pos: int, budget: int) -> Iterator[tuple[int, int, int]]:
    """Yield (type, start, end) of the records from ``pos``: the data is ``data[start:end]``.

    Stops at the stream's end, at a record whose length runs past it, and after ``budget``
    records.
    """
    size = len(data)
    for _ in range(budget):
        if pos + 4 > size:
            return
        rtype, length = _HEADER.unpack_from(data, pos)
        start = pos + 4
        pos = start + length
        if pos > size:
            return
        yield rtype, start, pos


class _Book:
    """What the globals say: format codes by id, each XF's format id, the sheets."""

    def __init__(self) -> None:
        self.codes: dict[int, str] = {}
        #: Each XF's format id; None for a style XF (the base of cell XFs, named by no cell).
        self.xf_formats: list[int | None] = []
        #: (name, BOUNDSHEET8 dt, stream offset of the sheet's BOF)
        self.sheets: list[tuple[str, int, int]] = []
        #: Records the globals used of MAX_RECORDS.
        self.records = 0


def _read_globals(data: bytes) -> _Book | None:
    """Walk the globals substream; None when it is not BIFF8 or the workbook is encrypted."""
    book = _Book()
    walk = records(data, 0, MAX_RECORDS)
    first = next(walk, None)
    if first is None or _bof_kind(data, *first) != _GLOBALS:
        return None
    book.records = 1
    pending: list[bytes] | None = None  # a FORMAT record and the CONTINUE records after it
    for rtype, start, end in walk:
        book.records += 1
        if rtype == _CONTINUE and pending is not None:
            if len(pending) < MAX_FORMAT_PIECES:
                pending.append(data[start:end])
            continue
        if pending is not None:
            _add_format(book.codes, pending)
            pending = None
        if rtype == _FORMAT:
            pending = [data[start:end]]
        elif rtype == _XF and end - start >= 6 and len(book.xf_formats) < _MAX_STYLES:
            ifmt, flags = _HEADER.unpack_from(data, start + 2)
            book.xf_formats.append(None if flags & _STYLE_XF else ifmt)
        elif rtype == _BOUNDSHEET and end - start >= 8:
            offset = _U32.unpack_from(data, start)[0]
            name = _short_string(data[start + 6 : end], 0)
            if name is not None:
                book.sheets.append((name[0], data[start + 5], offset))
        elif rtype == _FILEPASS:
            return None
        elif rtype == _EOF:
            break
    if pending is not None:
        _add_format(book.codes, pending)
    return book


def _bof_kind(data: bytes, rtype: int, start: int, end: int) -> int | None:
    """Return the substream type of a BIFF8 BOF record, else None (BIFF5 and older too)."""
    if rtype != _BOF or end - start < 4:
        return None
    version, kind = _HEADER.unpack_from(data, start)
    return kind if version == _BIFF8 else None


def _add_format(codes: dict[int, str], pieces: list[bytes]) -> None:
    """Record the code of a FORMAT record (``ifmt`` then an XLUnicodeString)."""
    if len(pieces[0]) < 5:
        return
    code = _unicode_string(pieces, 2)
    if code is not None:
        codes[_U16.unpack_from(pieces[0], 0)[0]] = code


def _unicode_string(pieces: list[bytes], pos: int) -> str | None:
    """Decode an XLUnicodeString at ``pos`` of ``pieces[0]``, continued in the next pieces.

    A string cut by CONTINUE goes on in the next record after one byte of flags, whose bit 0
    says whether the rest is two bytes a character (MS-XLS 2.1.7.20.4). None when the pieces
    end before the string does.
    """
    piece = pieces[0]
    if pos + 3 > len(piece):
        return None
    count = _U16.unpack_from(piece, pos)[0]
    wide = piece[pos + 2] & 1
    pos += 3
    out: list[str] = []
    index = 0
    while True:
        width = 2 if wide else 1
        take = min(count, (len(piece) - pos) // width)
        chunk = piece[pos : pos + take * width]
        out.append(chunk.decode("utf-16-le" if wide else "latin-1", "replace"))
        count -= take
        index += 1
        if count == 0:
            return "".join(out)
        if index >= len(pieces) or not pieces[index]:
            return None
        piece = pieces[index]
        wide, pos = piece[0] & 1, 1


def _short_string(data: bytes, pos: int) -> tuple[str, int] | None:
    """Decode a ShortXLUnicodeString (1-byte length, flags, characters) at ``pos``.

    Returns the text and the position after it, or None when ``data`` ends first.
    """
    if pos + 2 > len(data):
        return None
    count, wide = data[pos], data[pos + 1] & 1
    end = pos + 2 + count * (2 if wide else 1)
    if end > len(data):
        return None
    return data[pos + 2 : end].decode("utf-16-le" if wide else "latin-1", "replace"), end


def _sheet_offset(sheets: list[tuple[str, int, int]], name: str | None) -> int | None:
    """Return where the named sheet's records start, or the first worksheet's when None."""
    for sheet_name, kind, offset in sheets:
        if (sheet_name == name) if name is not None else kind == 0:
            return offset
    return None


def _format_of(
    ifmt: int | None, codes: dict[int, str], builtin: Callable[[int], str | None] | None
) -> NumberFormat | None:
    if ifmt is None:
        return None
    code = codes.get(ifmt)
    if code is None and builtin is not None:
        code = builtin(ifmt)
    return ifmt if code is None else code


class _SheetWalk:
    """The walk over one sheet substream, gathering its facts."""

    def __init__(self, data: bytes, styles: dict[int, NumberFormat], zero_key: int) -> None:
        self.data = data
        self.styles = styles
        self.zero_key = zero_key
        self.cells = StyledCells()
        self.errors: dict[tuple[int, int], str] = {}
        self.formula_links: dict[tuple[int, int], str] = {}
        self.links: dict[tuple[int, int], str] = {}
        self.link_budget = MAX_LINK_CELLS
        self.handlers: dict[int, Callable[[int, int], None]] = {
            _NUMBER: self.number,
            _RK: self.number,
            _MULRK: self.mulrk,
            _FORMULA: self.formula,
            _BOOLERR: self.boolerr,
            _HLINK: self.hlink,
        }

    def run(self, offset: int, used: int) -> bool:
        """Walk the records of the sheet whose BOF is at ``offset`` up to its EOF; False when
        there is no BIFF8 sheet BOF there.

        A sheet may hold chart substreams (BOF ... EOF) of its own; only the records at the
        sheet's own level are read.
        """
        walk = records(self.data, offset, max(0, MAX_RECORDS - used))
        first = next(walk, None)
        kind = _bof_kind(self.data, *first) if first is not None else None
        if kind is None or kind == _GLOBALS:
            return False
        depth = 1
        for rtype, start, end in walk:
            if rtype == _BOF:
                depth += 1
            elif rtype == _EOF:
                depth -= 1
                if depth == 0:
                    break
            elif depth == 1:
                handler = self.handlers.get(rtype)
                if handler is not None:
                    handler(start, end)
        return True

    def facts(self) -> CellFacts:
        links = self.formula_links | self.links
        return CellFacts(self.styles, self.cells.build(), by_column(self.errors), by_column(links))

    def styled(self, row: int, column: int, xf: int) -> None:
        key = xf or self.zero_key
        if key in self.styles and column < MAX_COLUMNS:
            self.cells.add(row + 1, column, key)

    def error(self, row: int, column: int, code: int) -> None:
        text = ERROR_CODES.get(code)
        if text is not None and column < MAX_COLUMNS:
            self.errors[row + 1, column] = text

    def number(self, start: int, end: int) -> None:
        """NUMBER and RK: row, column, XF, then the number."""
        if end - start >= 10:
            self.styled(*_CELL.unpack_from(self.data, start))

    def mulrk(self, start: int, end: int) -> None:
        """MULRK: row, first column, then (XF, RK number) for each column, last column."""
        if end - start < 6:
            return
        row, first = _HEADER.unpack_from(self.data, start)
        for index in range((end - start - 6) // 6):
            xf = _U16.unpack_from(self.data, start + 4 + 6 * index)[0]
            self.styled(row, first + index, xf)

    def formula(self, start: int, end: int) -> None:
        """FORMULA: row, column, XF, the cached result (8 bytes), flags, then the tokens.

        A result whose last two bytes are 0xFFFF is not a number: its first byte says what it
        is (2: an error, whose code is the third byte).
        """
        if end - start < 20:
            return
        row, column, xf = _CELL.unpack_from(self.data, start)
        if self.data[start + 12 : start + 14] != b"\xff\xff":
            self.styled(row, column, xf)
        elif self.data[start + 6] == 2:
            self.error(row, column, self.data[start + 8])
        if end - start >= 22:
            size = _U16.unpack_from(self.data, start + 20)[0]
            target = hyperlink_formula(self.data[start + 22 : min(end, start + 22 + size)])
            if target is not None and column < MAX_COLUMNS:
                self.formula_links[row + 1, column] = target

    def boolerr(self, start: int, end: int) -> None:
        """BOOLERR: row, column, XF, a value, then 1 when the value is an error code."""
        if end - start >= 8 and self.data[start + 7] == 1:
            row, column, _ = _CELL.unpack_from(self.data, start)
            self.error(row, column, self.data[start + 6])

    def hlink(self, start: int, end: int) -> None:
        found = hlink_target(self.data[start:end])
        if found is None:
            return
        (first_row, last_row, first_column, last_column), target = found
        last_column = min(last_column, MAX_COLUMNS - 1)
        size = (last_row - first_row + 1) * (last_column - first_column + 1)
        if last_row < first_row or last_column < first_column or size > self.link_budget:
            return
        self.link_budget -= size
        for row in range(first_row + 1, last_row + 2):
            for column in range(first_column, last_column + 1):
                self.links[row, column] = target


class _Short(Exception):
    """An HLINK record ends before one of its fields does."""


class _Cursor:
    def __init__(self, data: bytes, pos: int) -> None:
        self.data, self.pos = data, pos

    def take(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise _Short
        self.pos += size
        return self.data[self.pos - size : self.pos]

    def u32(self) -> int:
        value: int = _U32.unpack(self.take(4))[0]
        return value

    def hyperlink_string(self) -> str:
        """A HyperlinkString: a count of UTF-16 characters (with the final NUL), then them."""
        return _until_nul(self.take(2 * self.u32()))


def hlink_target(body: bytes) -> tuple[tuple[int, int, int, int], str] | None:
    """Return the cell range (0-based first row, last row, first column, last column) and the
    web target of an HLINK record, or None for links to files or places in the workbook.

    The target is the URL moniker's URL (or a moniker saved as text that is a web address),
    with ``#location`` when the link also has a location.
    """
    if len(body) < 32:
        return None
    area = _AREA.unpack_from(body, 0)
    version, flags = struct.unpack_from("<II", body, 24)
    if version != 2 or not flags & _HAS_MONIKER:
        return None
    cursor = _Cursor(body, 32)
    try:
        if flags & _HAS_DISPLAY_NAME:
            cursor.hyperlink_string()
        if flags & _HAS_FRAME_NAME:
            cursor.hyperlink_string()
        if flags & _MONIKER_AS_STRING:
            target = cursor.hyperlink_string()
            if not target.lower().startswith(_WEB_PREFIXES):
                return None
        elif cursor.take(16) == _URL_MONIKER:
            target = _until_nul(cursor.take(cursor.u32()))
        else:
            return None
        if flags & _HAS_LOCATION:
            location = cursor.hyperlink_string()
            if location:
                target = f"{target}#{location}"
    except _Short:
        return None
    return (area, target) if target else None


def _until_nul(raw: bytes) -> str:
    text = raw[: len(raw) - len(raw) % 2].decode("utf-16-le", "replace")
    return text.split("\x00", 1)[0]


def hyperlink_formula(tokens: bytes) -> str | None:
    """Return the literal first argument of a formula ``HYPERLINK("literal"[, operand])``.

    ``tokens`` are the formula's parsed tokens (reverse Polish): a string, at most one more
    operand (a string, number, boolean, missing argument or cell reference), then the
    HYPERLINK call, with space tokens anywhere. Anything else (``"https://a.com/" & A2``, a
    target that points inside the workbook with ``#``) gives None.
    """
    operands: list[str | None] = []
    pos = 0
    while pos < len(tokens) and len(operands) <= 2:
        ptg = tokens[pos]
        if ptg == _PTG_STR:
            found = _short_string(tokens, pos + 1)
            if found is None:
                return None
            operands.append(found[0])
            pos = found[1]
        elif ptg == _PTG_ATTR and pos + 4 <= len(tokens) and tokens[pos + 1] in _ATTR_SPACE:
            pos += 4
        elif ptg in _OPERAND_SIZES:
            operands.append(None)
            pos += 1 + _OPERAND_SIZES[ptg]
        elif ptg in _PTG_FUNC_VAR and pos + 4 == len(tokens):
            count = tokens[pos + 1] & 0x7F
            function = _U16.unpack_from(tokens, pos + 2)[0] & 0x7FFF
            if function != _HYPERLINK_FUNCTION or count != len(operands) or count > 2:
                return None
            target = operands[0]
            return target if target and not target.startswith("#") else None
        else:
            return None
    return None
