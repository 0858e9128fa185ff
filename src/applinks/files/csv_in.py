"""Read a CSV file as text, detecting its encoding (UTF-8 with or without BOM, UTF-16, cp1252).

The file is never held in memory whole: it is checked in passes (its text, then its rows, for
the header and the width) and its rows are read again from the file on every pass over them
(:class:`CsvRows`). Every problem a pass can meet is found before the table is returned.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import IO, TYPE_CHECKING

from applinks.errors import InputError
from applinks.rows import LazyRows, Row
from applinks.shape import find_header, header_text, unused_columns
from applinks.table import Table
from applinks.workers import in_two

if TYPE_CHECKING:
    from _csv import Reader

#: Human names for the encodings we detect, for the note shown to the user.
ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 with BOM",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": 'Windows-1252 (Excel\'s "CSV (Comma delimited)")',
}

#: Characters decoded at a time while checking the text.
CHUNK_CHARS = 1 << 20
#: Characters at the start of the file the delimiter is guessed from.
SNIFF_CHARS = 65536


def detect_encoding(data: bytes) -> str:
    """Return the encoding of CSV bytes: a BOM decides; else UTF-8 if it decodes; else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def read_csv(path: Path, *, processes: int = 1) -> Table:
    """Read a CSV file; every cell stays text exactly as written (empty cells become None).

    ``processes=2``: a large file's scan may run in two processes (:meth:`CsvSource.scan`).

    Raises InputError when the file is not text in its encoding, holds NUL bytes, is not a
    well-formed CSV file or has nothing in it.
    """
    for encoding in _encodings(path):
        try:
            return _read_csv(path, encoding, processes)
        except InputError as exc:
            if encoding == "utf-8" and isinstance(exc.__cause__, UnicodeDecodeError):
                continue  # not UTF-8 after all: Excel's "CSV (Comma delimited)" is Windows-1252
            raise
    raise AssertionError("the last encoding tried raises")  # pragma: no cover


def _read_csv(path: Path, encoding: str, processes: int = 1) -> Table:
    """:func:`read_csv` in ``encoding``; the file is checked to be text in it by its passes."""
    try:
        with _open_text(path, encoding) as handle:
            sample = handle.read(SNIFF_CHARS)
    except UnicodeDecodeError as exc:
        raise _not_text(path, encoding) from exc
    declared = separator_line(sample)
    delimiter = declared or _sniff_delimiter(sample)
    skipped = 1 if declared else 0  # the "sep=" line is not a row of the sheet
    source = CsvSource(path, encoding, delimiter)
    with source.reader() as reader:
        found = find_header(islice(reader, skipped, None))
    if found is None:
        raise InputError(f'"{path.name}" has nothing in it: the sheet is empty.', path=path)
    headers = [header_text(c) for c in found.cells]
    last_header = max((i + 1 for i, h in enumerate(headers) if h), default=0)
    skip = skipped + found.index + 1  # rows of the file before the first data row
    width, length, marks = source.scan(skip, last_header, processes=processes)
    headers = (headers + [""] * width)[:width]
    rows = CsvRows(source, skip=skip, width=width, length=length, marks=marks)
    table = Table(
        headers,
        rows,
        sheet=None,
        source=path.name,
        header_row=found.index + 1,
        rows_above=tuple(i + 1 for i in found.above),
    )
    table.encoding = encoding
    table.unused_columns = unused_columns(headers, rows)
    if declared:
        shown = {"\t": "a tab", " ": "a space"}.get(declared, f'"{declared}"')
        table.notes.append(
            f'"{path.name}" starts with a "sep=" line, which says its values are separated by '
            f"{shown}; they are read that way, and that line is not written."
        )
    return table


class CsvSource:
    """A CSV file with its encoding and delimiter: opens csv readers over it, one per pass."""

    def __init__(self, path: Path, encoding: str, delimiter: str) -> None:
        self.path, self.encoding, self.delimiter = path, encoding, delimiter

    def reader(
        self, lines: int = 0, *, offset: int | None = None, until: int | None = None
    ) -> _Reader:
        """Return a csv reader over the file, from the start or after its first ``lines`` lines
        (which must end at a row's end), or from byte ``offset`` (the end of a line); with
        ``until``, over the first ``until`` lines only and then :data:`_SENTINEL`'s line."""
        return _Reader(self, lines, offset=offset, until=until)

    def scan(
        self, skip: int, used: int, *, processes: int = 1
    ) -> tuple[int, int, list[tuple[int, int]]]:
        """Return (width, rows, marks) of the data below row ``skip``: the width up to the last
        column with a header (``used``) or any data, the rows up to the last one not blank, and
        places a :meth:`CsvRows.part` can start reading at, as (data rows before it, lines of
        the file before it): every :data:`MARK_EVERY`-th data row, and where a scan in two
        processes split the file.

        ``processes=2``: a large file is scanned in two halves at once (see
        :meth:`_scan_in_two`); the result is what one scan finds, with other marks.
        """
        middle = self._middle() if processes > 1 and used > 0 else None
        if middle is not None:
            found = self._scan_in_two(skip, used, middle)
            if found is not None:
                return found
        with self.reader() as reader:
            whole = _scan_rows(islice(reader, skip, None), reader, used)
        return whole.used, whole.length, whole.marks

    def _middle(self) -> int | None:
        """Return the byte offset just past the first line end from the middle of the file on,
        or None (a small file, an encoding whose bytes do not show line ends, no line end)."""
        if self.encoding not in _SPLITTABLE:
            return None
        size = self.path.stat().st_size
        if size < SCAN_IN_TWO_FROM:
            return None
        with self.path.open("rb") as raw:
            raw.seek(size // 2)
            window = raw.read(1 << 20)
        found = _LINE_END.search(window)
        if found is None or found.end() >= len(window):  # (a "\r" last might be half a "\r\n")
            return None
        return size // 2 + found.end()

    def _scan_in_two(
        self, skip: int, used: int, middle: int
    ) -> tuple[int, int, list[tuple[int, int]]] | None:
        """Scan the file before byte ``middle`` here and the rest in a second process; return
        None when ``middle`` turns out not to be the end of a row (a quoted field goes on past
        it) or the second half has a problem (one scan then finds and names it).

        This half is read up to ``middle`` and then a line no file can hold (a NUL character,
        refused on reading): it comes out as a row of its own exactly when ``middle`` ends a
        row, and from there the second half's rows are the ones one reader would give.
        """

        def there() -> _Scanned | None:
            try:
                with self.reader(offset=middle) as reader:
                    return _scan_rows(reader, reader, used)
            except InputError:
                return None

        def here() -> tuple[int, _Scanned]:
            with self.path.open("rb") as raw:
                lines = _count_lines(raw, middle)
            with self.reader(until=lines) as reader:
                return lines, _scan_rows(islice(reader, skip, None), reader, used, sentinel=True)

        (lines, first), second = in_two(here, there)
        if second is None or not first.at_sentinel:
            return None
        before = first.count
        marks = first.marks + [(before, lines)] if before else list(first.marks)
        marks += [(before + count, lines + line) for count, line in second.marks]
        length = before + second.length if second.length else first.length
        return max(first.used, second.used), length, marks


class _Reader:
    """``with source.reader() as rows``: a csv reader over the file; the file is closed after,
    and a file that turns out not to be a CSV file raises InputError with one sentence."""

    def __init__(
        self,
        source: CsvSource,
        lines: int = 0,
        *,
        offset: int | None = None,
        until: int | None = None,
    ) -> None:
        self._source, self._lines, self._offset, self._until = source, lines, offset, until
        self._handle: io.TextIOWrapper | None = None

    def __enter__(self) -> Reader:
        source = self._source
        if self._lines or self._offset:
            raw = source.path.open("rb")
            raw.seek(self._offset if self._offset else _line_offset(raw, self._lines))
            # (a BOM is only at the start, so past it the text is plain UTF-8)
            encoding = "utf-8" if source.encoding == "utf-8-sig" else source.encoding
            self._handle = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        else:
            self._handle = _open_text(source.path, source.encoding)
        if self._until is not None:
            lines = chain(islice(self._handle, self._until), [_SENTINEL_LINE])
            return csv.reader(lines, delimiter=source.delimiter)
        return csv.reader(self._handle, delimiter=source.delimiter)

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        assert self._handle is not None
        self._handle.close()
        path = self._source.path
        if isinstance(exc, UnicodeDecodeError):
            raise _not_text(path, self._source.encoding) from exc
        if isinstance(exc, csv.Error):
            raise _not_csv(path, exc) from exc


class CsvRows(LazyRows):
    """The data rows of a CSV file (``""`` as None, text as written), cut to ``width`` cells,
    without the blank rows at the end; read from the file afresh on each pass.

    ``marks`` (from :meth:`CsvSource.scan`) are rows a :meth:`part` can start reading at.
    """

    def __init__(
        self,
        source: CsvSource,
        *,
        skip: int,
        width: int,
        length: int,
        marks: list[tuple[int, int]] | None = None,
        lines: int = 0,
    ) -> None:
        super().__init__()
        self._source, self._skip, self._width = source, skip, width
        self._length = length
        self._marks = marks or []
        self._lines = lines  # lines of the file before the first row read (``skip`` after them)

    def _produce(self) -> Iterator[Row]:
        width, length = self._width, self._length
        assert length is not None
        with self._source.reader(self._lines) as reader:
            for row in islice(reader, self._skip, self._skip + length):
                cells: Row = [c or None for c in row]
                yield cells[:width] if len(cells) > width else cells

    def split_point(self) -> int | None:
        length = self._length
        if self._lines or not length or self._source.encoding not in _SPLITTABLE:
            return None
        middle = [count for count, _ in self._marks if count < length]
        return min(middle, key=lambda count: abs(2 * count - length)) if middle else None

    def part(self, start: int, stop: int | None = None) -> LazyRows:
        assert self._length is not None
        stop = self._length if stop is None else min(stop, self._length)
        start = min(start, stop)
        lines = dict(self._marks).get(start) if self._source.encoding in _SPLITTABLE else None
        if self._lines or (start and lines is None):
            return super().part(start, stop)
        width, length = self._width, stop - start
        if start == 0:
            return CsvRows(self._source, skip=self._skip, width=width, length=length)
        return CsvRows(self._source, skip=0, width=width, length=length, lines=lines or 0)


#: Data rows between two places the scan notes (where a second worker may start reading).
MARK_EVERY = 8192
#: Bytes from which a CSV file is scanned in two processes (when two may be used).
SCAN_IN_TWO_FROM = 32 << 20
#: A row no CSV file can hold (it has a NUL character), put after the first half's lines.
_SENTINEL = "\x00end of the first half\x00"
_SENTINEL_LINE = _SENTINEL + "\n"


@dataclass
class _Scanned:
    """What :func:`_scan_rows` found."""

    count: int
    length: int
    used: int
    marks: list[tuple[int, int]]
    at_sentinel: bool = False


def _scan_rows(
    rows: Iterable[list[str]], reader: Reader, used: int, *, sentinel: bool = False
) -> _Scanned:
    """Count ``rows`` (read by ``reader``), find the last that is not blank and the widest
    data, and note a mark every :data:`MARK_EVERY` rows. ``sentinel``: the rows may end with
    :data:`_SENTINEL`'s row, which is then not counted (``at_sentinel`` says it was there)."""
    length = count = before = 0
    marks: list[tuple[int, int]] = []
    row: list[str] = []
    for row in rows:
        count += 1
        if not count % MARK_EVERY:
            marks.append((count, reader.line_num))
        if any(row):
            before, length = length, count
            if len(row) > used:
                for pos in range(len(row) - 1, used - 1, -1):
                    if row[pos]:
                        used = pos + 1
                        break
    at_sentinel = sentinel and row == [_SENTINEL]
    if at_sentinel:  # (one field, so the width is as it was: ``used`` is at least 1)
        count -= 1
        length = before
        marks = [mark for mark in marks if mark[0] <= count]
    return _Scanned(count, length, used, marks, at_sentinel)


def _count_lines(raw: IO[bytes], end: int) -> int:
    """Return how many lines end before byte ``end`` of ``raw`` (which is the end of a line):
    ``\r\n``, ``\r`` and ``\n`` each end one, as Python's text files split them."""
    lines = left = 0
    last = b""
    while left < end and (data := raw.read(min(1 << 22, end - left))):
        lines += data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
        if last == b"\r" and data[:1] == b"\n":
            lines -= 1  # a "\r\n" cut in two by the chunks
        last = data[-1:]
        left += len(data)
    return lines


#: Encodings in which a line ends with the bytes of ``\r`` and ``\n`` and nothing else does.
_SPLITTABLE = frozenset({"utf-8", "utf-8-sig", "cp1252"})
_LINE_END = re.compile(rb"\r\n|\r|\n")


def _line_offset(raw: IO[bytes], lines: int, *, chunk: int = 1 << 22) -> int:
    """Return the byte offset just past the first ``lines`` lines of ``raw`` (a line ends at
    ``\r\n``, ``\r`` or ``\n``, as Python's text files with ``newline=""`` split them)."""
    seen = position = 0
    while data := raw.read(chunk):
        while data.endswith(b"\r") and (more := raw.read(1)):
            data += more  # (so a "\r\n" is never cut in two)
        count = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
        if seen + count >= lines:
            for end in _LINE_END.finditer(data):
                seen += 1
                if seen == lines:
                    return position + end.end()
        seen += count
        position += len(data)
    raise ValueError(f"the file has fewer than {lines} lines")


def _encodings(path: Path) -> list[str]:
    """Return the encodings to read the file in, in turn, as :func:`detect_encoding` decides
    (a BOM, else UTF-8 if the whole file decodes as UTF-8, else Windows-1252); raise InputError
    when it holds NUL characters. Whether the text decodes is found by the reading itself."""
    with path.open("rb") as handle:
        start = handle.read(3)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            nul = _has_nul(path, "utf-16")
        except UnicodeDecodeError as exc:
            raise _not_text(path, "utf-16") from exc
        if nul:
            raise _has_nul_bytes(path)
        return ["utf-16"]
    # In UTF-8 and Windows-1252 a NUL character is a zero byte and a zero byte is a NUL.
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            if b"\x00" in chunk:
                raise _has_nul_bytes(path)
    return ["utf-8-sig"] if start.startswith(b"\xef\xbb\xbf") else ["utf-8", "cp1252"]


def _has_nul(path: Path, encoding: str) -> bool:
    """Decode the whole file (strictly, in chunks); return True if it holds a NUL character."""
    found = False
    with _open_text(path, encoding) as handle:
        while chunk := handle.read(CHUNK_CHARS):
            found = found or "\x00" in chunk
    return found


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    return path.open(encoding=encoding, errors="strict", newline="")


def _not_text(path: Path, encoding: str) -> InputError:
    return InputError(
        f'"{path.name}" is not readable text in {ENCODING_NAMES[encoding]}; save it from '
        'Excel as "CSV UTF-8" and try again.',
        path=path,
    )


def _has_nul_bytes(path: Path) -> InputError:
    return InputError(
        f'"{path.name}" contains NUL bytes, so it is not a plain CSV file; open it in Excel '
        'and save it as "CSV UTF-8".',
        path=path,
    )


def _not_csv(path: Path, exc: csv.Error) -> InputError:
    return InputError(
        f'"{path.name}" is not a well-formed CSV file ({exc}); open it in Excel and save it as '
        '"CSV UTF-8".',
        path=path,
    )


_SEPARATOR_LINE = re.compile(r"sep=([^\r\n\"])(?:\r\n|\r|\n|$)", re.IGNORECASE)


def separator_line(sample: str) -> str | None:
    """Return the separator a first line such as ``sep=;`` declares (Excel honours it), or None.

    Any one character but a quote or a line break may follow ``sep=`` (any case); nothing else
    may be on the line.
    """
    found = _SEPARATOR_LINE.match(sample)
    return found.group(1) if found else None


def _sniff_delimiter(sample: str) -> str:
    """Return ``,`` unless the first line clearly uses ``;`` or a tab (European Excel exports)."""
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","
