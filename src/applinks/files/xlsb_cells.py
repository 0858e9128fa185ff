"""Read the error cells of an .xlsb worksheet, which python-calamine gives as empty or leaves out.

An .xlsb sheet is a stream of binary records (MS-XLSB 2.1.4): a record type (one or two
bytes of 7 bits), a size (one to four bytes of 7 bits), then the record. A row starts with
BrtRowHdr (its row number first); each cell record starts with its column. An error value is
a BrtCellError (a typed error) or a BrtFmlaError (a formula whose saved result is an error);
python-calamine shows the first as an empty cell and skips the second, so a sheet of
``#REF!`` formulas would read as empty. Number formats and hyperlinks are not read here (a
note says so when the sheet has numbers). The same one pass over the sheet finds its extent
for :func:`~applinks.files.guards.inspect_xlsb_sheet`, which hands the error cells on.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cell_facts import ERROR_CODES, ZIP_READ_ERRORS, CellFacts
from .xlsx_parts import read_relationships, relationships_part, resolve_target, workbook_part

_ROW, _CELL_ERROR, _FORMULA_ERROR, _END_SHEET_DATA = 0x0000, 0x0003, 0x000B, 0x0092
#: Record types that are cells (their first four bytes are the column), MS-XLSB 2.4.
_CELLS = frozenset(range(0x01, 0x0E))
_ERRORS = (_CELL_ERROR, _FORMULA_ERROR)
_BUNDLE_SHEET = 0x009C
XLSB_WORKBOOK = "xl/workbook.bin"


def read_xlsb_facts(path: Path, sheet: str | None, **_unused: Any) -> CellFacts:
    """Return the error cells of the first worksheet (or ``sheet``) of an .xlsb.

    Empty facts when the sheet cannot be found or read (python-calamine reports a damaged
    file itself). The keyword arguments of the other fact readers are accepted and unused.
    """
    walk = SheetWalk(0, 0, {})
    try:
        with zipfile.ZipFile(path) as archive:
            located = locate_xlsb_sheet(archive, sheet)
            if located is not None:
                walk = walk_xlsb_sheet(archive.read(located[0]))
    except ZIP_READ_ERRORS:
        pass
    return walk.facts()


def locate_xlsb_sheet(archive: zipfile.ZipFile, sheet: str | None) -> tuple[str, str] | None:
    """Return the part and name of the first sheet (or ``sheet``) the workbook lists, or None."""
    book = workbook_part(archive) or XLSB_WORKBOOK
    if not book.endswith(".bin"):
        return None
    targets = {
        rel.id: rel.target
        for rel in read_relationships(archive, relationships_part(book))
        if not rel.external
    }
    data = archive.read(book)
    for kind, start, end in xlsb_records(data):
        if kind != _BUNDLE_SHEET:
            continue
        # BrtBundleSh: hsState (4 bytes), iTabID (4), strRelID, strName.
        rel_id, after = wide_string(data, start + 8, end)
        name, _ = wide_string(data, after, end)
        if sheet is None or name == sheet:
            target = targets.get(rel_id or "")
            return (resolve_target(book, target), name or "") if target else None
    return None


def wide_string(data: bytes, pos: int, end: int) -> tuple[str | None, int]:
    """Read an XLWideString (a 4-byte count of UTF-16 characters, then the characters) that
    starts at ``pos`` of a record ending at ``end``; None for the null or a truncated one."""
    if pos + 4 > end:
        return None, end
    count = int.from_bytes(data[pos : pos + 4], "little")
    if count == 0xFFFFFFFF:
        return None, pos + 4
    stop = pos + 4 + 2 * count
    if stop > end:
        return None, end
    return data[pos + 4 : stop].decode("utf-16-le", errors="replace"), stop


@dataclass(frozen=True)
class SheetWalk:
    """What one pass over the records of an .xlsb worksheet found.

    ``last_row`` and ``last_column``: the largest row (of a row header) and column (of a cell)
    anywhere in the part, 0-based, 0 when none; ``errors``: column -> row -> error text of the
    error cells in the sheet's data (rows 1-based, columns 0-based).
    """

    last_row: int
    last_column: int
    errors: dict[int, dict[int, str]]

    def facts(self) -> CellFacts:
        """Return the error cells as the sheet's cell facts (its number formats are not read)."""
        return CellFacts(errors=self.errors, formats_read=False)


def walk_xlsb_sheet(stream: bytes) -> SheetWalk:
    """Walk the records of a worksheet part once; return its extent and its error cells."""
    errors: dict[int, dict[int, str]] = {}
    row = last_row = last_column = 0
    in_data = True  # (error cells are read up to BrtEndSheetData; the extent to the end)
    for kind, start, end in xlsb_records(stream):
        if kind == _ROW:
            value = int.from_bytes(stream[start : min(start + 4, end)], "little")
            if in_data:
                row = value + 1
            if end - start >= 4 and value > last_row:
                last_row = value
        elif kind in _CELLS:
            if end - start < 4:
                continue
            column = int.from_bytes(stream[start : start + 4], "little")
            if column > last_column:
                last_column = column
            if in_data and kind in _ERRORS and end - start > 8:
                text = ERROR_CODES.get(stream[start + 8])
                if text is not None and row:
                    errors.setdefault(column, {})[row] = text
        elif kind == _END_SHEET_DATA:
            in_data = False
    return SheetWalk(last_row, last_column, errors)


def xlsb_records(data: bytes) -> Iterator[tuple[int, int, int]]:
    """Yield (type, body start, body end) of each BIFF12 record; stop at a truncated one."""
    pos, end = 0, len(data)
    while pos < end:
        kind = data[pos]
        # Most records (rows, cells) have a one-byte type and size: read them here, the rest
        # with _varint (three times faster on a sheet of a million cells).
        if kind < 0x80 and pos + 1 < end and data[pos + 1] < 0x80:
            size = data[pos + 1]
            pos += 2
        else:
            kind_read = _varint(data, pos, end, 2)
            if kind_read is None:
                return
            kind, pos = kind_read
            size_read = _varint(data, pos, end, 4)
            if size_read is None:
                return
            size, pos = size_read
        if pos + size > end:
            return
        yield kind, pos, pos + size
        pos += size


def _varint(data: bytes, pos: int, end: int, most: int) -> tuple[int, int] | None:
    """Read a BIFF12 variable-length number of at most ``most`` bytes; None when truncated."""
    value = shift = 0
    for _ in range(most):
        if pos >= end:
            return None
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value, pos
