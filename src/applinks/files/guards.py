"""Refuse hostile or oversized inputs before any parser sees them.

Every check here runs on cheap facts (file size, the zip central directory, the first bytes of
each XML part, one streaming pass over the chosen worksheet) and raises :class:`InputError`
with one plain sentence. The limits are module constants so they are documented in one place
(``docs/security.md``) and tests can lower them.

Why each guard exists:

- Zip limits: a workbook is a zip; a "zip bomb" is a small file that inflates to gigabytes.
  The declared sizes in the central directory are checked before anything is inflated, and both
  readers (calamine and Python's ``zipfile``) stop at a part's declared size, so a part that lies
  about its size fails as damaged instead of inflating further.
- XML entity declarations: OOXML forbids document type declarations, and entities declared in
  one are how entity-expansion bombs ("billion laughs") and external-entity tricks work.
  calamine does not expand entities, and the tool's own XML parsing uses defusedxml, but a part
  that declares entities is refused up front either way. A document type declaration without
  entities is harmless and is read (defusedxml's rule), as Excel and LibreOffice read it.
- Cell extent: calamine allocates the whole rectangle from the first to the last cell with
  content, so two such cells far apart (A1 and XFD1048576) ask for 17 billion cells and abort
  the process. The worksheet is scanned for its largest references of cells with content first;
  what the sheet only declares (its dimension, its rows' spans, empty styled cells) is not
  counted, as the reader does not hold it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

from applinks.errors import InputError
from applinks.files.cell_facts import CellFacts
from applinks.files.xlsb_cells import locate_xlsb_sheet, walk_xlsb_sheet
from applinks.files.xlsx_parts import locate_sheet, workbook_part
from applinks.files.zip_read import open_part
from applinks.shape import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS

KIB, MIB, GIB = 1024, 1024**2, 1024**3

#: Largest input file read at all.
MAX_FILE_BYTES = 2 * GIB
#: Most parts (files) in a workbook zip; real workbooks have tens, rarely thousands.
MAX_ZIP_ENTRIES = 10_000
#: Largest uncompressed size of one part, and of all parts together.
MAX_PART_BYTES = 2 * GIB
MAX_TOTAL_BYTES = 3 * GIB
#: Largest compression ratio of a part, checked for parts above RATIO_FLOOR_BYTES (small parts
#: may compress well without harm). Real worksheets compress 5-50 times.
MAX_RATIO = 250
RATIO_FLOOR_BYTES = 16 * MIB
#: Largest worksheet rectangle (rows x columns, from the first to the last cell) read into
#: memory: about 3 GiB inside the reader. A full 1,048,576-row sheet of 70 columns fits.
MAX_CELLS = 80_000_000
#: Excel's own limits, by their old names (they live in :mod:`applinks.shape`).
EXCEL_MAX_ROWS, EXCEL_MAX_COLUMNS, EXCEL_MAX_CELL_CHARS = MAX_ROWS, MAX_COLUMNS, MAX_CELL_CHARS
#: How much of each XML part is read to find its root element (and any DTD before it).
PROLOG_BYTES = 64 * KIB
#: Zip compression methods the workbook readers support: stored and deflate.
SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}

WORKBOOK_PARTS = ("xl/workbook.xml", "xl/workbook.bin", "content.xml")


def _damaged(name: str) -> str:
    return (
        f'"{name}" is damaged or incomplete and cannot be opened as a workbook; '
        "download or export it again."
    )


def _too_large(name: str, what: str) -> str:
    return (
        f'"{name}" is too large to read safely ({what}); split it into smaller files, or open it '
        "in Excel and save it again if it should be small."
    )


def check_file_size(path: Path) -> None:
    """Refuse a file above MAX_FILE_BYTES."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            _too_large(
                path.name, f"{size / GIB:.1f} GiB, the limit is {MAX_FILE_BYTES // GIB} GiB"
            ),
            path=path,
        )


def check_zip(path: Path) -> set[str]:
    """Check a workbook zip before any parser opens it; return the names of its parts.

    Raises InputError when the zip is damaged, not a workbook, password-protected, uses a
    compression method the readers do not support, declares sizes or ratios past the limits, or
    holds an XML part with a document type declaration.
    """
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_entries(path, infos)
            names = {info.filename for info in infos}
            # Part names written with backslashes (as some Windows tools do) are read as the
            # readers read them; the main part is found through the package's relationships.
            plain = {n.replace("\\", "/") for n in names}
            if not plain & set(WORKBOOK_PARTS) and workbook_part(archive) is None:
                raise InputError(
                    f'"{name}" is a zip file but not an Excel workbook; save the sheet as .xlsx '
                    "and try again.",
                    path=path,
                )
            for info in infos:
                if _is_xml_part(info.filename):
                    _check_part_prolog(archive, info, path)
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
    ) as exc:
        raise InputError(_damaged(name), path=path) from exc
    except (NotImplementedError, RuntimeError) as exc:  # unknown method, encrypted part
        raise InputError(_damaged(name), path=path) from exc
    return names


def _check_entries(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    name = path.name
    if len(infos) > MAX_ZIP_ENTRIES:
        raise InputError(
            _too_large(name, f"{len(infos):,} parts inside, the limit is {MAX_ZIP_ENTRIES:,}"),
            path=path,
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(  # a zip tool's password, not Excel's: no Excel menu to name
                f'"{name}" is protected with a password; open it, remove the password, save it '
                "and try again.",
                path=path,
            )
        if info.compress_type not in SUPPORTED_METHODS and info.file_size:
            raise InputError(_damaged(name), path=path)
        size = info.file_size
        total += size
        if size > MAX_PART_BYTES:
            raise InputError(
                _too_large(name, f'part "{info.filename}" inflates to {size / GIB:.1f} GiB'),
                path=path,
            )
        if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise InputError(
                _too_large(
                    name,
                    f'part "{info.filename}" inflates {ratio:,} times, more than any real '
                    "workbook; it looks like a zip bomb",
                ),
                path=path,
            )
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            _too_large(name, f"its parts inflate to {total / GIB:.1f} GiB in total"), path=path
        )


def _check_part_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """Check the start of one XML part (see :func:`check_xml_prolog`).

    A worksheet whose bytes fail their checksum (read whole when it is small) does not make
    the package unreadable: it may not be the sheet read, and the sheet read is refused when
    it fails (:func:`inspect_xlsx_sheet` reads it whole), as Excel and LibreOffice read the
    other sheets. Its start is checked without the checksum.
    """
    try:
        with archive.open(info) as stream:
            check_xml_prolog(stream.read(PROLOG_BYTES), path=path, part=info.filename)
    except zipfile.BadZipFile:
        if "/worksheets/" not in info.filename or info.file_size < 2:
            raise
        with archive.open(info) as stream:  # one byte short of the end: no checksum test
            start = stream.read(min(PROLOG_BYTES, info.file_size - 1))
        check_xml_prolog(start, path=path, part=info.filename)


def _is_xml_part(filename: str) -> bool:
    lower = filename.lower()
    return lower.endswith((".xml", ".rels", ".vml"))


_ROOT_START = re.compile(rb"<[A-Za-z_]")
# Entity declarations are what "billion laughs" and external-entity tricks need; a document type
# declaration without them is harmless (defusedxml's rule: DTDs allowed, entities forbidden).
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def check_xml_prolog(head: bytes, *, path: Path, part: str) -> None:
    """Refuse an XML part whose prolog declares entities, or that has no root element near
    its start.

    ``head`` is the first PROLOG_BYTES of the part. Entities can only be declared in the
    document type declaration, before the root element, so looking there is enough. A document
    type declaration without entities is read, as Excel and LibreOffice read it.
    """
    if not head.strip():
        return  # an empty part is the reader's business (it reports a damaged file)
    text = _ascii_view(head)
    root = _ROOT_START.search(text)
    prolog = text if root is None else text[: root.start()]
    if _ENTITY.search(prolog):
        raise InputError(
            f'"{path.name}" contains an XML document type declaration (in {part}), which Excel '
            "never writes and which can be used to attack programs that read it; it was not "
            "opened. Open the file in Excel and save it again, or export it again.",
            path=path,
        )
    if root is None and len(head) >= PROLOG_BYTES:
        raise InputError(_damaged(path.name), path=path)


def _ascii_view(head: bytes) -> bytes:
    """Return ``head`` as single-byte text, decoding UTF-16 so markup can be searched."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        codec = "utf-16-be" if head.startswith(b"\xfe\xff") or head[:1] == b"\x00" else "utf-16-le"
        return head.decode(codec, errors="replace").encode("ascii", errors="replace")
    return head


# ---------------------------------------------------------------------------------------------
# One streaming pass over the chosen worksheet of an .xlsx/.xlsm


@dataclass
class SheetScan:
    """What one pass over a worksheet's XML found."""

    #: Largest column and row number referenced by a row or cell (lower bounds when rows are
    #: below 1,000,000): what must stay inside Excel's grid.
    max_column: int = 0
    max_row: int = 0
    #: The same for cells with content (a value, formula or inline text): what the reader holds
    #: in memory. Empty styled cells (``<c r="XFD1048576" s="1"/>``) are formatting only.
    used_column: int = 0
    used_row: int = 0
    #: ``ref`` of each merged range, e.g. "A1:C1".
    merged: list[str] = field(default_factory=list)


_CHUNK = 4 * MIB
# Cell references that can widen the rectangle: two or more column letters, or a row of seven
# or more digits (single letters and six digits bound it well enough without parsing). To keep
# the pass cheap, one search per chunk looks for the start of such a reference (``_FAR``); the
# exact patterns run only on chunks where it finds one. The patterns start with a literal
# space, which the regular expression engine finds fast; a chunk with an attribute after a tab
# or line break gets the slower any-white-space versions.
_FAR = re.compile(rb' r="(?:[A-Za-z]{2}|[A-Za-z]?\d{7})')
_FAR_ANY_SPACE = re.compile(rb'\sr="(?:[A-Za-z]{2}|[A-Za-z]?\d{7})')
_ODD_SPACE = re.compile(rb'[\t\n\r]r="')
_WIDE_REF = re.compile(rb' r="([A-Za-z]{2,})\d')
_WIDE_REF_ANY_SPACE = re.compile(rb'\sr="([A-Za-z]{2,})\d')
_LONG_REF = re.compile(rb' r="[A-Za-z]*(\d{7,})"')
_LONG_REF_ANY_SPACE = re.compile(rb'\sr="[A-Za-z]*(\d{7,})"')
# A cell with content: its start tag is not self-closing (``<c r="B7" s="1"/>`` is empty).
_WITH_CONTENT = rb'"[^>]*(?<!/)>'
_WIDE_USED = re.compile(rb'\sr="([A-Za-z]{2,})\d+' + _WITH_CONTENT)
_LONG_USED = re.compile(rb'\sr="[A-Za-z]+(\d{7,})' + _WITH_CONTENT)
_ANY_USED = re.compile(rb'\sr="[A-Za-z]+(\d+)' + _WITH_CONTENT)
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Za-z0-9:$]+)"')


def column_number(letters: str) -> int:
    """Return the 1-based column number of ``letters`` ("A" is 1, "XFD" is 16,384)."""
    number = 0
    for char in letters.upper():
        number = number * 26 + (ord(char) - 64)
    return number


def scan_sheet_xml(stream: IO[bytes], *, sheet: str, path: Path) -> SheetScan:
    """Read a worksheet's XML once, in chunks, noting merges and far cells.

    It must pass before python-calamine parses the sheet, so it does no more than that: what
    describes cells (formulas without results among them) is read by the pass over the cell
    facts (:mod:`~applinks.files.xlsx_cell_scan`), which runs while python-calamine parses.

    Raises InputError for a cell beyond Excel's grid (more than 16,384 columns or 1,048,576
    rows). ``max_column`` is exact; ``max_row`` is exact only from row 1,000,000 on (below that
    it is 0, and :func:`exact_max_row` finds it when it matters).
    """
    scan = SheetScan()
    carry = b""
    while True:
        chunk = stream.read(_CHUNK)
        buf = carry + chunk
        if chunk:
            # Cut before the last cell, so no reference or "</f></c>" is split across chunks.
            cut = buf.rfind(b"<c ")
            if cut <= 0:
                cut = buf.rfind(b"<")
            if cut <= 0:
                carry = buf
                continue
            carry, buf = buf[cut:], buf[:cut]
        # <mergeCells> comes after <sheetData>: only what follows the chunk's last row is
        # searched (in a chunk inside the rows, that end is found at once from the back).
        after_rows = max(0, buf.rfind(b"</row>"))
        if buf.find(b"<mergeCell", after_rows) >= 0:
            scan.merged.extend(m.decode("ascii") for m in _MERGE.findall(buf, after_rows))
        # Tabs and line breaks are rare in sheet XML (one-byte searches); only where they occur
        # is the any-white-space search needed.
        odd = (b"\t" in buf or b"\n" in buf or b"\r" in buf) and _ODD_SPACE.search(buf) is not None
        if (_FAR_ANY_SPACE if odd else _FAR).search(buf):
            _note_far_cells(scan, buf, odd)
        if scan.max_column > MAX_COLUMNS:
            raise InputError(
                f'Sheet "{sheet}" of "{path.name}" has a cell past column XFD (more than 16,384 '
                "columns, which Excel does not allow), so it was not made by Excel and is not "
                "read; export it again.",
                path=path,
            )
        if scan.max_row > MAX_ROWS:
            raise InputError(
                f'Sheet "{sheet}" of "{path.name}" has a cell past row 1,048,576 (more rows than '
                "Excel allows), so it was not made by Excel and is not read; export it again.",
                path=path,
            )
        if not chunk:
            return scan


def _note_far_cells(scan: SheetScan, buf: bytes, odd: bool) -> None:
    """Note in ``scan`` the widest column and the longest row a chunk's references name, and
    those of the cells with content (``odd``: attributes may follow a tab or line break)."""
    wide = set((_WIDE_REF_ANY_SPACE if odd else _WIDE_REF).findall(buf))
    for letters in wide:
        scan.max_column = max(scan.max_column, column_number(letters.decode("ascii")))
    for letters in set(_WIDE_USED.findall(buf)) if wide else ():
        scan.used_column = max(scan.used_column, column_number(letters.decode("ascii")))
    long = set((_LONG_REF_ANY_SPACE if odd else _LONG_REF).findall(buf))
    for digits in long:
        scan.max_row = max(scan.max_row, int(digits))
    for digits in set(_LONG_USED.findall(buf)) if long else ():
        scan.used_row = max(scan.used_row, int(digits))


def exact_max_row(stream: IO[bytes]) -> int:
    """Return the largest row number of a cell with content in the sheet's XML."""
    best = 0
    carry = b""
    while True:
        chunk = stream.read(_CHUNK)
        buf = carry + chunk
        cut = buf.rfind(b"<") if chunk else len(buf)
        carry, buf = buf[cut:], buf[:cut]
        for digits in _ANY_USED.findall(buf):
            best = max(best, int(digits))
        if not chunk:
            return best


def check_extent(columns: int, rows: int, *, sheet: str, path: Path) -> None:
    """Refuse a worksheet whose cell rectangle is larger than MAX_CELLS."""
    if columns * rows > MAX_CELLS:
        raise InputError(
            _too_large(
                path.name,
                f'sheet "{sheet}" spans {rows:,} rows by {columns:,} columns; the limit is '
                f"{MAX_CELLS:,} cells",
            ),
            path=path,
        )


def inspect_xlsx_sheet(
    path: Path, sheet: str | None, also: Callable[[int], Callable[[bytes], object]] | None = None
) -> SheetScan | None:
    """Scan the worksheet of an .xlsx/.xlsm that the reader will load (the first, or ``sheet``).

    Returns None when the sheet cannot be located (the reader then reports it). Raises
    InputError when the sheet's cells reach past Excel's grid or span more than MAX_CELLS.
    ``also``: given the length of the sheet's XML, returns a function that is given the XML
    too, piece by piece, as the scan reads it (one inflating of the part for both).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            located = locate_sheet(archive, sheet)
            if located is None:
                return None
            part, label = located
            try:
                with open_part(archive, part) as stream:
                    size = archive.getinfo(part).file_size
                    given = stream if also is None else cast("IO[bytes]", _Tee(stream, also(size)))
                    scan = scan_sheet_xml(given, sheet=label, path=path)
            except zipfile.BadZipFile as exc:  # its bytes fail their checksum: not read
                raise InputError(
                    f'Sheet "{label}" of "{path.name}" is damaged and cannot be read; open the '
                    "file in Excel, save it again and try again.",
                    path=path,
                ) from exc
            # The reader keeps the cells with content, however wide the sheet says it is (its
            # <dimension>, its rows' spans, its empty styled cells).
            columns = scan.used_column or 26
            rows = scan.used_row or 999_999
            if columns * rows > MAX_CELLS and not scan.used_row:
                with open_part(archive, part) as stream:
                    rows = exact_max_row(stream)
            check_extent(columns, rows, sheet=label, path=path)
            return scan
    except InputError:
        raise
    except Exception:  # malformed parts are the reader's to report as damaged
        return None


class _Tee:
    """A stream of bytes whose every read is also given to ``also``."""

    def __init__(self, stream: IO[bytes], also: Callable[[bytes], object]) -> None:
        self._stream, self._also = stream, also

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if data:
            self._also(data)
        return data


# ---------------------------------------------------------------------------------------------
# OLE compound files (.xls, and the box around a password-protected .xlsx)

_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_NOSTREAM = 0xFFFFFFFF
#: Most directory entries (streams and storages) in a compound file; real .xls files have tens.
MAX_OLE_ENTRIES = 100_000


def check_ole(path: Path) -> None:
    """Refuse a compound file whose sector chains loop, leave the file or claim too much.

    The reader follows every chain until its end marker and trusts declared lengths, so a
    chain that loops, or a stream that claims gigabytes in a file of kilobytes, makes it run
    out of memory. Every chain it follows is checked here first, each sector once.

    Longer than 80 lines on purpose: it walks the file in the order [MS-CFB] lays it out
    (header, DIFAT, FAT, directory, mini FAT, each stream's chain), each step trusting only what
    the one before has checked; cut in pieces, that chain of trust would be hidden.
    """
    damaged = InputError(_damaged(path.name), path=path)
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(512)
        if len(header) < 512:
            raise damaged
        shift, mini_shift = int.from_bytes(header[30:32], "little"), header[32]
        if shift not in (9, 12) or mini_shift != 6:
            raise damaged
        sector = 1 << shift
        # Sector 0 starts after the header sector. The last sector may be cut short (Excel
        # and other writers leave a partial one); the readers pad it, and so does this check.
        sectors = max(0, -(-(size - sector) // sector))
        dir_len, fat_len, dir_start = _u32s(header[40:52])
        mini_fat_start, mini_fat_len, difat_start, difat_len = _u32s(header[60:76])
        if fat_len > sectors or difat_len > sectors or mini_fat_len > sectors or dir_len > sectors:
            raise damaged

        def read_sector(index: int) -> bytes:
            if index >= sectors:
                raise damaged
            handle.seek((index + 1) * sector)
            data = handle.read(sector)
            if len(data) < sector and index != sectors - 1:
                raise damaged
            return data.ljust(sector, b"\0")

        # The FAT's own sectors: 109 in the header, the rest in a chain of DIFAT sectors.
        fat_sectors = [s for s in _u32s(header[76:512]) if s != _FREESECT]
        seen: set[int] = set()
        current = difat_start
        while current not in (_ENDOFCHAIN, _FREESECT):
            if current in seen or len(seen) > difat_len:
                raise damaged
            seen.add(current)
            pointers = _u32s(read_sector(current))
            fat_sectors += [s for s in pointers[:-1] if s != _FREESECT]
            current = pointers[-1]
        # Only the first fat_len are the FAT's ([MS-CFB] 2.2): readers stop there, and a fuzzed
        # file may list a sector past its end after them (POI's clusterfuzz ...5436547081830400).
        fat_sectors = fat_sectors[:fat_len]
        fat: list[int] = []
        for index in fat_sectors:
            fat += _u32s(read_sector(index))
        fat_memo: dict[int, int] = {}

        def chain(start: int, table: list[int], limit: int, memo: dict[int, int]) -> int:
            """Return the number of sectors from ``start`` to the end marker; refuse loops.

            ``memo`` remembers, for each sector already checked, how many sectors follow it,
            so every sector is visited once however many chains share it.
            """
            walked: list[int] = []
            on_path: set[int] = set()
            current = start
            while current != _ENDOFCHAIN and current not in memo:
                if current >= len(table) or current >= limit or current in on_path:
                    raise damaged
                walked.append(current)
                on_path.add(current)
                current = table[current]
            tail = 0 if current == _ENDOFCHAIN else memo[current]
            for index in reversed(walked):
                tail += 1
                memo[index] = tail
            return tail

        chain(dir_start, fat, sectors, fat_memo)
        directory = b"".join(_sector_chain_data(dir_start, fat, read_sector))
        entries = [directory[i : i + 128] for i in range(0, len(directory), 128)]
        if not entries or len(entries) > MAX_OLE_ENTRIES:
            raise damaged
        root_start = int.from_bytes(entries[0][116:120], "little")
        root_size = _stream_size(entries[0], shift)
        if root_size > size:
            raise damaged
        if root_start not in (_ENDOFCHAIN, _FREESECT):
            chain(root_start, fat, sectors, fat_memo)
        mini_fat: list[int] = []
        if mini_fat_start not in (_ENDOFCHAIN, _FREESECT):
            chain(mini_fat_start, fat, sectors, fat_memo)
            for data in _sector_chain_data(mini_fat_start, fat, read_sector):
                mini_fat += _u32s(data)
        mini_memo: dict[int, int] = {}
        mini_sectors = root_size // 64 + 1
        for entry in entries[1:]:
            if entry[66] != 2:  # only stream entries have data
                continue
            start = int.from_bytes(entry[116:120], "little")
            stream_size = _stream_size(entry, shift)
            if stream_size > size:
                raise damaged
            if stream_size == 0 or start in (_ENDOFCHAIN, _FREESECT):
                continue
            if stream_size < 4096:
                chain(start, mini_fat, mini_sectors, mini_memo)
            else:
                chain(start, fat, sectors, fat_memo)


def _stream_size(entry: bytes, shift: int) -> int:
    """Return the stream size of a directory entry as the readers take it.

    In a file of 512-byte sectors (version 3) only the low 32 bits count: [MS-CFB] 2.6.3 says
    older writers left garbage in the high ones and readers ignore them (calamine's test file
    OOM_alloc.xls is such a file, with data Excel and LibreOffice show).
    """
    return int.from_bytes(entry[120:124] if shift == 9 else entry[120:128], "little")


def _u32s(data: bytes) -> list[int]:
    return [int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data) - 3, 4)]


def _sector_chain_data(
    start: int, fat: list[int], read_sector: Callable[[int], bytes]
) -> list[bytes]:
    """Return the sectors of a chain already known to end (checked by ``chain``)."""
    out = []
    current = start
    while current != _ENDOFCHAIN:
        out.append(read_sector(current))
        current = fat[current]
    return out


# ---------------------------------------------------------------------------------------------
# Excel binary workbooks (.xlsb): the same extent check, on BIFF12 records


def inspect_xlsb_sheet(path: Path, sheet: str | None) -> dict[str, CellFacts]:
    """Refuse an .xlsb whose chosen sheet has cells past Excel's grid or too far apart.

    The binary reader, like the XML one, allocates the whole rectangle between the first and
    the last cell, and it does not bound columns. One pass over the sheet's records (in Python,
    so slower than the XML scan; .xlsb files are rare) finds the last row and column, and the
    sheet's error cells on the way: returned as its cell facts, by sheet name, for the reader
    (empty when the sheet cannot be found or read).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            located = locate_xlsb_sheet(archive, sheet)
            if located is None or located[0] not in archive.namelist():
                return {}
            part, label = located
            data = archive.read(part)
    except InputError:
        raise
    except Exception:  # malformed parts are the reader's to report as damaged
        return {}
    walk = walk_xlsb_sheet(data)
    if walk.last_column >= MAX_COLUMNS:
        raise InputError(
            f'Sheet "{label}" of "{path.name}" has a cell past column XFD (more than 16,384 '
            "columns, which Excel does not allow), so it was not made by Excel and is not "
            "read; export it again.",
            path=path,
        )
    max_row = min(walk.last_row, MAX_ROWS)
    check_extent(walk.last_column + 1, max_row + 1, sheet=label, path=path)
    return {label: walk.facts()}
