"""Read the error cells of an .xlsb worksheet, which python-calamine gives as empty or leaves out.

An .xlsb sheet is a stream of binary records (MS-XLSB 2.1.4): a record type (one or two
bytes of 7 bits), a size (one to four bytes of 7 bits), then the record. A row starts with
BrtRowHdr (its row number first); each cell record starts with its column. An error value is
a BrtCellError (a typed error) or a BrtFmlaError (a formula whose saved result is an error);
python-calamine shows the first as an empty cell and skips the second, so a sheet of
``#REF!`` formulas would read as empty. Number formats and hyperlinks are not read here (a
note says so when the sheet has numbers).
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .cell_facts import ERROR_CODES, ZIP_READ_ERRORS, CellFacts
from .xlsx_parts import read_relationships, relationships_part, resolve_target, workbook_part

_ROW, _CELL_ERROR, _FORMULA_ERROR, _END_SHEET_DATA = 0x0000, 0x0003, 0x000B, 0x0092
_BUNDLE_SHEET = 0x009C
XLSB_WORKBOOK = "xl/workbook.bin"
#: What a damaged part raises here (a truncated record, a bad sheet name).
_READ_ERRORS: tuple[type[BaseException], ...] = (
    *ZIP_READ_ERRORS,
    IndexError,
    struct.error,
    UnicodeDecodeError,
)


def read_xlsb_facts(path: Path, sheet: str | None, **_unused: Any) -> CellFacts:
    """Return the error cells of the first worksheet (or ``sheet``) of an .xlsb.

    Empty facts when the sheet cannot be found or read (python-calamine reports a damaged
    file itself). The keyword arguments of the other fact readers are accepted and unused.
    """
    errors: dict[int, dict[int, str]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            located = locate_xlsb_sheet(archive, sheet)
            if located is not None:
                errors = _errors(archive.read(located[0]))
    except _READ_ERRORS:
        pass
    return CellFacts(errors=errors, formats_read=False)


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


def _errors(stream: bytes) -> dict[int, dict[int, str]]:
    """Return column -> row -> error text of a worksheet part (rows 1-based, columns 0-based)."""
    out: dict[int, dict[int, str]] = {}
    row = 0
    for kind, record in _records(stream):
        if kind == _ROW:
            row = int.from_bytes(record[:4], "little") + 1
        elif kind in (_CELL_ERROR, _FORMULA_ERROR) and len(record) > 8:
            text = ERROR_CODES.get(record[8])
            if text is not None and row:
                out.setdefault(int.from_bytes(record[:4], "little"), {})[row] = text
        elif kind == _END_SHEET_DATA:
            break
    return out


def xlsb_records(data: bytes) -> Iterator[tuple[int, int, int]]:
    """Yield (type, body start, body end) of each BIFF12 record; stop at a truncated one."""
    pos, end = 0, len(data)
    while pos < end:
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


def _records(stream: bytes) -> Iterator[tuple[int, bytes]]:
    """Yield (record type, record) of an .xlsb part, in order."""
    for kind, start, end in xlsb_records(stream):
        yield kind, stream[start:end]
