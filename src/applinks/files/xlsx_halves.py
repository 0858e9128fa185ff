"""Parse a large worksheet in two halves, so that its first rows are checked while the rest is
parsed, in one process.

python-calamine hands a sheet over only once all of it is parsed; in one process (Windows, the
add-in, ``APPLINKS_WORKERS=1``) the checks then walk its rows while the second processor has
nothing to do. For a large .xlsx read by a command in one process, a :class:`Cutter`, fed the
sheet's XML as the guards scan it, cuts it at a row near its middle, and :func:`split_sheet`
makes the halves two worksheets of a copy of the package held in memory (every other part's
bytes unchanged). python-calamine parses the first half; then, in
its thread, the second half, while this thread checks the first half's rows. :class:`TwoHalves`
shows the two as the one sheet the reader expects (rows from row 1, columns from column A), so
the table is the same as the whole sheet's.

The cut needs the XML every spreadsheet program writes: a ``<sheetData>`` whose rows carry
their numbers (``<row r="N">``), increasing across the cut. A sheet without them is parsed
whole. The halves hold only the sheet's cells (what follows ``</sheetData>``, such as merges
and hyperlinks, is read from the file itself by the other passes).

The table's width is that of the first half: python-calamine's extent of the second half is
known only when it is parsed. If the second half holds a cell right of every cell of the first
(a value past the last column that has a header or data above it), :class:`ReadAgain` is
raised where the rows are read, and the command reads the workbook again, whole
(:func:`allowed` marks the calls that can).
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from applinks.errors import ReadAgain

from .xlsx_parts import has_part, locate_sheet, relationships_part, workbook_part

# (ISA-L where installed, as for reading: it deflates at level 1 four times as fast as zlib)
from .zip_read import INFLATE as _deflate_lib
from .zip_read import seek_to_data

#: Whether the halves are deflated fast enough to pay (with zlib the cut costs about what the
#: overlap gains: halves are not used).
FAST_DEFLATE = _deflate_lib is not zlib

MIB = 1 << 20
#: The name of the second half's part, beside the sheet's ("{}" for a number when taken).
SECOND_PART = "applinks-second-half{}.xml"
_SHEET_DATA = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)sheetData(\s[^>]*)?(/?)>")
_ROOT = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?worksheet)[\s>]")
_ROW_START = re.compile(rb"\s*<(?:[A-Za-z_][\w.-]*:)?row\s(?:[^>]*\s)?r=\"([0-9]{1,7})\"")
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_ZIP_LIMIT = 0xFFFFFFFF
#: How far into the XML ``<sheetData>`` must start (its head: views, columns, properties).
_HEAD_BYTES = 4 * MIB

#: Set while a command reads a workbook in a way that can read it again (see :class:`ReadAgain`).
_ALLOWED: ContextVar[bool] = ContextVar("applinks_halves_allowed", default=False)


@contextlib.contextmanager
def allowed() -> Iterator[None]:
    """Let reads inside this block parse large sheets in halves (the caller catches
    :class:`ReadAgain` and reads again, whole)."""
    token = _ALLOWED.set(True)
    try:
        yield
    finally:
        _ALLOWED.reset(token)


def is_allowed() -> bool:
    """Return True inside :func:`allowed`."""
    return _ALLOWED.get()


@dataclass(frozen=True)
class SplitBook:
    """A copy of a package whose sheet is cut in two: its first half keeps the sheet's name."""

    package: bytes
    sheet: str
    second: str
    #: The number of the sheet's last ``<row>``: an upper bound of its rows, known early.
    last_row: int


def split_sheet(path: Path, sheet: str | None, cutter: Cutter) -> SplitBook | None:
    """Return a copy of the package with ``sheet`` (the first when None) cut in two halves, or
    None when it is not cut (XML it cannot be cut in, or a package it cannot copy).

    ``cutter``: the sheet's XML cut by a :class:`Cutter` fed as another pass read it (the
    guards' scan, :func:`~applinks.files.guards.inspect_xlsx_sheet`, which reads the part
    this function finds, by the same rule).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            return _split(path, archive, sheet, cutter)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError):
        return None  # (the whole sheet is read instead, and its reader reports what is wrong)


def _split(
    path: Path, archive: zipfile.ZipFile, sheet: str | None, cutter: Cutter
) -> SplitBook | None:
    # (imported here: the workbook editing reads XML with defusedxml, which the xlwings Lite
    # edition, importing the reader for its cell rules, does without)
    from .xlsx_package import (
        add_content_type,
        add_relationship,
        add_sheet,
        listed_sheets,
        unused_id,
    )

    located, book = locate_sheet(archive, sheet), workbook_part(archive)
    types = "[Content_Types].xml"
    if located is None or book is None or not has_part(archive, types):
        return None
    part, name = located
    rels = relationships_part(book)
    if not has_part(archive, rels):
        return None
    halves = cutter.halves()
    if halves is None:
        return None
    first, second, last_row = halves
    workbook = archive.read(book).decode("utf-8")
    listed = listed_sheets(workbook)
    names = {n for n, _, _ in listed}
    second_name = next(f"applinks {n}" for n in range(2, 10**6) if f"applinks {n}" not in names)
    folder = part.rsplit("/", 1)[0] + "/" if "/" in part else ""
    taken = {n.lower() for n in archive.namelist()}
    second_part = next(
        folder + SECOND_PART.format(f"-{n}" if n else "")
        for n in range(10**6)
        if (folder + SECOND_PART.format(f"-{n}" if n else "")).lower() not in taken
    )
    rels_text = archive.read(rels).decode("utf-8")
    rid = unused_id(rels_text)
    edited = {
        book: add_sheet(workbook, rid, listed, second_name).encode("utf-8"),
        rels: add_relationship(rels_text, rid, second_part, book).encode("utf-8"),
        types: add_content_type(archive.read(types).decode("utf-8"), second_part).encode("utf-8"),
    }
    out = _ZipWriter()
    with path.open("rb") as raw:
        for entry in archive.infolist():
            if entry.filename == part:
                out.add(part, first)
            elif entry.filename in edited:
                out.add(entry.filename, _Deflated().feed(edited[entry.filename]).end())
            elif not out.copy(raw, entry):
                return None
    out.add(second_part, second)
    package = out.finish()
    return SplitBook(package, name, second_name, last_row) if package is not None else None


class Cutter:
    """Cuts a sheet's XML in two halves and deflates them as it is fed, in pieces, in order.

    The first half is the XML up to the end of the first row that ends past the middle
    (:meth:`begin` is given the XML's length), then the ends of ``<sheetData>`` and of the
    root; the second, the XML up to ``<sheetData>``, then the rest of the rows and the same
    ends. :meth:`halves` is None when the XML cannot be cut (see the module's notes).
    """

    def __init__(self) -> None:
        self._target = -1  # (the middle, once the length is known)
        self._data = b""  # fed, not yet given to a half
        self._given = 0  # bytes given to the first half
        self._state = "head"  # then "first", "second", and "done" (or "refused")
        self._first, self._second = _Deflated(), _Deflated()
        self._head = self._row_open = self._row_end = self._rows_end = self._ends = b""
        self._last_row = 0
        self._last_fed: int | None = (
            None  # the number of the last row that starts in the first half so far
        )

    def begin(self, size: int) -> Callable[[bytes], None]:
        """Start on XML of ``size`` bytes; return the function to feed it to (:meth:`feed`)."""
        self._target = size // 2
        return self.feed

    def feed(self, piece: bytes) -> None:
        """Take the next piece of the XML."""
        if self._state in ("done", "refused") or self._target < 0:
            return
        self._data = self._data + piece if self._data else piece
        try:
            if self._state == "head":
                self._read_head()
            if self._state == "first":
                self._feed_first()
            if self._state == "second":
                self._feed_second()
        except (ValueError, zlib.error):
            self._state = "refused"

    def halves(self) -> tuple[_Deflated, _Deflated, int] | None:
        """Return the two halves deflated and the number of the last row; None if not cut."""
        if self._state != "done":
            return None
        return self._first, self._second, self._last_row

    def _read_head(self) -> None:
        data = self._data
        opening, root = _SHEET_DATA.search(data), _ROOT.search(data)
        if opening is None and len(data) < _HEAD_BYTES:
            return  # (read on: the head ends in a later piece)
        if opening is None or root is None or opening.group(3) or root.start() > opening.start():
            self._state = "refused"  # (no rows, or a head longer than any sheet's)
            return
        prefix = opening.group(1)
        self._head = data[: opening.end()]
        self._row_open, self._row_end = b"<" + prefix + b"row", b"</" + prefix + b"row>"
        self._rows_end = b"</" + prefix + b"sheetData>"
        self._ends = self._rows_end + b"</" + root.group(1) + b">"
        self._state = "first"

    def _feed_first(self) -> None:
        data = self._data
        start = max(0, self._target - self._given)
        at = data.find(self._row_end, start) if start < len(data) else -1
        before = at if at >= 0 else len(data)
        if _rows_end_in(data, self._rows_end, self._row_end, before) >= 0:
            self._state = "refused"  # the rows end before the middle: the part is mostly not cells
            return
        cut = at + len(self._row_end)
        following = _ROW_START.match(data, cut) if at >= 0 else None
        if at >= 0 and following is None and data.find(b">", cut) < 0:
            return  # (the next row's start tag ends in the next piece: cut once it is here)
        if at < 0:
            held = self._held(data)
            self._first.feed(data[:held])
            self._given += held
            self._data = data[held:]
            return
        last_before = _last_row_number(data[:cut], self._row_open)
        if last_before is None or following is None or int(following.group(1)) <= last_before:
            self._state = "refused"  # (rows without numbers, or out of order, at the cut)
            return
        self._first.feed(data[:cut]).feed(self._ends).end()
        self._second.feed(self._head)
        self._last_row = int(following.group(1))
        self._data = data[cut:]
        self._state = "second"

    def _feed_second(self) -> None:
        data = self._data
        done = _rows_end_in(data, self._rows_end, self._row_end, len(data))
        rows = data if done < 0 else data[:done]
        self._last_row = max(self._last_row, _last_row_number(rows, self._row_open) or 0)
        if done >= 0:
            self._second.feed(rows).feed(self._ends).end()
            self._data, self._state = b"", "done"
        else:
            held = self._held(data)
            self._second.feed(data[:held])
            self._data = data[held:]

    def _held(self, data: bytes) -> int:
        """Return where to stop giving ``data`` to a half: before the last row that starts in it
        (whose number is read when it ends), and before its last few bytes at least (an end tag
        may be cut there)."""
        last = data.rfind(self._row_open)
        end = max(0, len(data) - len(self._rows_end))
        return end if last < 0 else min(last, end)


def _rows_end_in(data: bytes, rows_end: bytes, row_end: bytes, stop: int) -> int:
    """Return where ``</sheetData>`` starts in ``data[:stop]``, or -1. It follows every row, so
    only what follows the last row's end is searched (one search from the back, not a search
    of the whole piece)."""
    last = data.rfind(row_end, 0, stop)
    return data.find(rows_end, max(last, 0), stop)


def _last_row_number(data: bytes, row_open: bytes) -> int | None:
    """Return the number of the last row that starts in ``data``, or None."""
    at = len(data)
    while (at := data.rfind(row_open, 0, at)) >= 0:
        found = _ROW_START.match(data, at)
        if found is not None:
            return int(found.group(1))
    return None


class _Deflated:
    """One part's bytes being deflated: the deflated pieces, CRC-32 and sizes."""

    def __init__(self) -> None:
        self._deflate = _deflate_lib.compressobj(1, zlib.DEFLATED, -15)
        self.out: list[bytes] = []
        self.crc = self.size = 0

    def feed(self, data: bytes) -> _Deflated:
        self.crc = _deflate_lib.crc32(data, self.crc)
        self.size += len(data)
        self.out.append(self._deflate.compress(data))
        return self

    def end(self) -> _Deflated:
        self.out.append(self._deflate.flush())
        return self


@dataclass
class _ZipWriter:
    """A zip file in memory, written part by part: deflated parts, and parts copied as they are
    (compressed bytes, CRC-32 and sizes unchanged). No ZIP64: None when it would need it."""

    out: io.BytesIO = field(default_factory=io.BytesIO)
    central: list[bytes] = field(default_factory=list)
    too_large: bool = False

    def add(self, name: str, part: _Deflated) -> None:
        """Write a deflated part (its pieces are let go as they are written)."""
        size = sum(map(len, part.out))
        if self._local(name, zipfile.ZIP_DEFLATED, part.crc, size, part.size):
            for piece in part.out:
                self.out.write(piece)
        part.out.clear()

    def copy(self, raw: IO[bytes], entry: zipfile.ZipInfo) -> bool:
        """Copy a part's compressed bytes from the open file ``raw``; False when it cannot be
        (encrypted, or compressed in a way python-calamine may not read)."""
        if entry.flag_bits & 0x1 or entry.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            return False
        seek_to_data(raw, entry)
        data = raw.read(entry.compress_size)
        if len(data) < entry.compress_size:
            return False
        if self._local(entry.filename, entry.compress_type, entry.CRC, len(data), entry.file_size):
            self.out.write(data)
        return True

    def _local(self, name: str, method: int, crc: int, compressed: int, size: int) -> bool:
        """Write a part's local header and note its central one; False (nothing written) when
        the package would need ZIP64."""
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800
        offset = self.out.tell()
        if max(offset, compressed, size) > _ZIP_LIMIT:
            self.too_large = True
            return False
        stamp = (0, 0x21)  # 1980-01-01 00:00
        self.out.write(
            _LOCAL.pack(
                b"PK\x03\x04", 20, flags, method, *stamp, crc, compressed, size, len(encoded), 0
            )
        )
        self.out.write(encoded)
        self.central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                20,
                20,
                flags,
                method,
                *stamp,
                crc,
                compressed,
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
        return True

    def finish(self) -> bytes | None:
        start = self.out.tell()
        for entry in self.central:
            self.out.write(entry)
        size = self.out.tell() - start
        if self.too_large or max(start, size) > _ZIP_LIMIT or len(self.central) > 0xFFFF:
            return None
        count = len(self.central)
        self.out.write(_END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0))
        return self.out.getvalue()


class TwoHalves:
    """The two halves of a sheet, parsed by python-calamine, shown as the one sheet the reader
    uses: ``start``, ``end``, ``width`` and ``iter_rows()`` as python-calamine's sheet has
    them, the rows from row 1 and each from column A (``start`` is (0, 0)).

    The second half is parsed in another thread (:meth:`parse_second`); the rows wait for it
    once the first half's are given. Raises :class:`ReadAgain` where the two halves cannot
    make the whole sheet's rows.
    """

    def __init__(self, book: Any, split: SplitBook, first: Any) -> None:
        # (not the split: its copy of the package is python-calamine's to hold now)
        self._book, self._first = book, first
        self._second_name, self._last_row = split.second, split.last_row
        self._second: Any = None
        self._failed = False
        self._parsed = threading.Event()
        #: Whether rows were given as wide as the first half before the second was parsed.
        self._narrow_given = False

    def parse_second(self) -> None:
        """Parse the second half (in the parsing thread); a failure is kept for the rows."""
        try:
            self._second = self._book.get_sheet_by_name(self._second_name)
        except BaseException:  # (a panic too: the whole sheet is read again and reports it)
            self._failed = True
        finally:
            self._book = None  # the copy's bytes go once both halves are parsed
            self._parsed.set()

    start = (0, 0)

    @property
    def end(self) -> tuple[int, int] | None:
        if self._parsed.is_set():
            second = self._whole_second()
            ends = [s.end for s in (self._first, second) if s.end is not None]
            return (max(e[0] for e in ends), max(e[1] for e in ends)) if ends else None
        first = self._first.end
        last = self._last_row - 1  # (an upper bound until the second half is parsed)
        return (max(last, first[0]), first[1]) if first else (last, 0)

    @property
    def width(self) -> int:
        end = self.end
        return end[1] + 1 if end else 0

    def iter_rows(self) -> Iterator[list[Any]]:
        """Yield every row from row 1, each from column A (python-calamine's empty cells "")."""
        first, second = self._first, self._second if self._parsed.is_set() else None
        width = self._width(first, second)
        if second is None:
            self._narrow_given = True
        yield from _from_a(first, width)
        second = self._whole_second()
        width = self._width(first, second)
        skip = first.end[0] + 1 if first.end else 0
        yield from islice(_from_a(second, width), skip, None)

    def _whole_second(self) -> Any:
        """Wait for the second half; raise ReadAgain when the halves cannot make the sheet."""
        self._parsed.wait()
        first, second = self._first, self._second
        if self._failed or second is None:
            raise ReadAgain
        if first.end is not None and second.start is not None and second.start[0] <= first.end[0]:
            raise ReadAgain  # (rows out of order: python-calamine sorts no rows across parts)
        wider = second.end is not None and (first.end is None or second.end[1] > first.end[1])
        if wider and self._narrow_given:
            raise ReadAgain
        return second

    @staticmethod
    def _width(first: Any, second: Any) -> int:
        ends = [s.end[1] + 1 for s in (first, second) if s is not None and s.end is not None]
        return max(ends, default=0)


def _from_a(half: Any, width: int) -> Iterator[list[Any]]:
    """Yield a half's rows from row 1, each from column A and at least ``width`` cells long."""
    rows = half.iter_rows()
    left = half.start[1] if half.start else 0
    short = width - (half.end[1] + 1 if half.end else 0)
    if not left and short <= 0:
        return rows
    pad_left, pad_right = [""] * left, [""] * max(short, 0)
    return (pad_left + row + pad_right for row in rows)
