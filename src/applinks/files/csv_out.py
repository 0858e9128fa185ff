"""Write the Cloze CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting, cells as the user sees them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import compress
from pathlib import Path
from typing import IO, Any, cast

from applinks.headers import cloze_headers
from applinks.rows import Block, blocks
from applinks.table import Cell, Table, cell_text
from applinks.workers import SharedCount

from .atomic import PendingFile, atomic_writer, check_output

#: The byte order mark Excel's "CSV UTF-8" starts with. Written by hand: the "utf-8-sig"
#: codec encodes in Python on every write, the "utf-8" one in C.
BOM = "\ufeff"
#: How often (in rows) a long write reports its progress.
PROGRESS_EVERY = 8192


def default_output_path(source: Path) -> Path:
    """Return ``<input stem> - Cloze import.csv`` beside the input."""
    return source.with_name(f"{source.stem} - Cloze import.csv")


#: Cells the csv module already writes exactly as :func:`cell_text` does (None as empty, a
#: date as ``str(date)``, which is its ISO form).
_AS_IS = frozenset({str, int, type(None), dt.date})


def _float_text(value: float) -> str | float:
    # The csv module writes repr(value), which is cell_text's form for a fraction.
    return cell_text(value) if value.is_integer() else value


def _datetime_text(value: dt.datetime) -> str:
    if value.microsecond or value.tzinfo is not None or value.year < 1000:
        return cell_text(value)
    return value.isoformat(" ")  # the same text as strftime("%Y-%m-%d %H:%M:%S"), faster


_DATES = frozenset({dt.date, dt.datetime})
_CONVERT: dict[type, Callable[[Any], Any]] = {float: _float_text, dt.datetime: _datetime_text}


def _text(value: Cell) -> Any:
    """Return what ``csv.writer`` needs to write ``cell_text(value)``."""
    return _CONVERT.get(type(value), cell_text)(value)


_STR = frozenset({str})
_INT = frozenset({int})
_STR_OR_NONE = frozenset({str, type(None)})
_NUMBERS = frozenset({int, float})
_is_float = cast("Callable[[Any], bool]", float.__instancecheck__)
_NUL = "\x00"
_EMPTY: dict[Any, str] = {None: ""}
#: What makes the csv module quote a field (QUOTE_MINIMAL, "\r\n" line ends).
_SPECIAL = re.compile(r'[,"\r\n]')


def _blank(row: Sequence[Cell]) -> bool:
    """Return True for a row with nothing in it (not a record: it is not written)."""
    return row.count(None) + row.count("") == len(row)


def _field(value: Cell) -> str:
    """Return the text ``csv.writer`` writes for ``value`` (before quoting)."""
    kind = type(value)
    if kind is str:
        return cast(str, value)
    if value is None:
        return ""
    if kind is int or kind is dt.date:
        return str(value)
    return str(_text(value))


def _fields(column: Sequence[Any], kinds: set[type]) -> Sequence[str]:
    """Return a column's cells as the fields ``csv.writer`` writes (``kinds``: their types).

    A column of one common kind is converted at C speed; the fields are quoted where they must
    be (:func:`_quoted`).
    """
    texts: Sequence[str]
    if kinds == _INT:  # ids, prices, counts: str() is cell_text's form (and needs no quotes)
        return list(map(int.__repr__, column))
    if kinds <= _NUMBERS and not any(map(float.is_integer, filter(_is_float, column))):
        return list(map(str, column))  # (whole numbers and fractions: baths 2 and 3.5)
    if kinds <= _DATES and _plain_dates(texts := list(map(str, column))):
        return texts
    if kinds == _STR:
        texts = column
    elif kinds <= _STR_OR_NONE:
        texts = list(map(_EMPTY.get, column, column))
    else:
        texts = list(map(_field, column))
    joined = _NUL.join(texts)
    # (four C-level searches of one character: faster than one of the four)
    if "," in joined or '"' in joined or "\n" in joined or "\r" in joined:
        return _quoted(texts, joined)
    return texts


def _quoted(texts: Sequence[str], joined: str) -> list[str]:
    """Return the fields, each quoted (its quotes doubled) when it holds a comma, a quote or a
    line break; ``joined``: the fields joined by NULs.

    A column of fields that all need quotes and hold none (names with a comma) is quoted as one
    text; otherwise each field that needs them is.
    """
    needs = list(map(_SPECIAL.search, texts))
    if None not in needs and '"' not in joined and joined.count(_NUL) == len(texts) - 1:
        return ('"' + joined.replace(_NUL, '"' + _NUL + '"') + '"').split(_NUL)
    out = list(texts)
    for i in compress(range(len(out)), needs):
        out[i] = '"' + out[i].replace('"', '""') + '"'
    return out


def _plain_dates(texts: list[str]) -> bool:
    """Return True when every ``str()`` of a date or date-time in ``texts`` is also its Cloze
    text: a date's ISO form, a date-time's "YYYY-MM-DD HH:MM:SS" (no fraction of a second, no
    time zone, a year from 1000 on)."""
    return set(map(len, texts)) <= {10, 19} and "\n0" not in "\n" + "\n".join(texts)


def write_rows(
    handle: IO[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    progress: Callable[[int], object] | None = None,
    leave_out: Collection[int] = (),
    name_column: str | None = None,
) -> int:
    """Write the header and rows to an open text handle; return the number of data rows.

    Every cell is written as :func:`cell_text` gives it; blank rows, and the columns at the
    positions in ``leave_out``, are not written; the headers as :meth:`CsvRowWriter.begin`.
    ``progress``, when given, is called with the number of rows written so far, every few
    thousand rows.
    """
    sink = CsvRowWriter(handle, progress=progress)
    sink.begin(headers, leave_out=leave_out, name_column=name_column)
    for block in blocks(rows):
        sink.rows(block)
    return sink.count


class CsvRowWriter:
    """Writes the Cloze CSV one row at a time to an open text handle (a row sink)."""

    def __init__(self, handle: IO[str], *, progress: Callable[[int], object] | None = None):
        writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        self._writerow, self._write = writer.writerow, handle.write
        self._progress = progress
        self._keep: list[int] | None = None
        self.width = 0
        self.count = 0
        #: Rows written elsewhere at the same time (a second process's part), for the progress.
        self.elsewhere: Callable[[], int] | None = None

    def begin(
        self,
        headers: Sequence[str],
        *,
        leave_out: Collection[int] = (),
        name_column: str | None = None,
    ) -> None:
        """Write the header row (once, before any data row), with Cloze's exact headers.

        Every column used as a Cloze column is headed as Cloze expects (``AppID`` is written
        ``App ID``, see :func:`~applinks.headers.cloze_headers`; ``name_column`` as there).
        ``leave_out``: 0-based positions of columns not written at all (columns with neither a
        header nor a value, see :attr:`~applinks.table.Table.unused_columns`).
        """
        self.width = len(headers)
        self._keep = [p for p in range(self.width) if p not in leave_out] if leave_out else None
        written, _ = cloze_headers(headers, name_column=name_column)
        self._writerow(self._kept(written))

    def _kept(self, cells: Sequence[Any]) -> Sequence[Any]:
        keep = self._keep
        return cells if keep is None else [cells[p] for p in keep]

    def rows(self, rows: Sequence[Sequence[Cell]]) -> None:
        """Write a block of data rows, converting them column by column (see :meth:`row`).

        Each column becomes the text of its fields (quoted where it holds a comma, a quote or
        a line break, as the csv module quotes) and the block is joined into lines at C speed:
        the same bytes ``csv.writer`` writes, at a third of its cost.
        """
        if not rows:
            return
        block = rows if isinstance(rows, Block) else Block(rows)
        columns: list[Any] = list(block.columns() or ())
        if self.width < 2 or len(columns) != self.width:  # rows of other lengths: one by one
            for row in rows:  # (a lone empty field is written as "", the csv module knows)
                self.row(row)
            return
        if all(None in column or "" in column for column in columns):  # (else none is blank)
            filled = [not _blank(row) for row in block]
            if not all(filled):  # blank rows are not records: they are left out
                kept = Block(compress(block, filled))
                if kept:
                    self.rows(kept)
                return
        positions = self._keep if self._keep is not None else range(len(columns))
        columns = [_fields(columns[p], block.kinds(p)) for p in positions]
        self._write("\r\n".join(map(",".join, zip(*columns, strict=True))) + "\r\n")
        before = self.count
        self.count += len(rows)
        if self._progress is not None and before // PROGRESS_EVERY != self.count // PROGRESS_EVERY:
            self._report()

    def row(self, row: Sequence[Cell]) -> None:
        """Write one data row (a blank row is left out)."""
        if _blank(row):
            return
        as_is, text = _AS_IS, _text
        texts = [c if type(c) in as_is else text(c) for c in row]
        if len(texts) < self.width:
            texts.extend([""] * (self.width - len(texts)))
        self._writerow(self._kept(texts))
        self.count += 1
        if self._progress is not None and not self.count % PROGRESS_EVERY:
            self._report()

    def _report(self) -> None:
        assert self._progress is not None
        self._progress(self.count + (self.elsewhere() if self.elsewhere else 0))

    def refresh(self) -> None:
        """Report the progress now (rows written here and elsewhere), if anyone listens."""
        if self._progress is not None:
            self._report()


class CsvSpool(CsvRowWriter):
    """The Cloze CSV written while the rows are checked, into a temporary file beside the output.

    :meth:`keep` renames it onto the output (after the same checks as :func:`write_cloze_csv`);
    leaving the ``with`` block without keeping it removes it, so nothing half-written remains.
    """

    def __init__(self, folder: Path, *, progress: Callable[[int], object] | None = None):
        self._pending = PendingFile(folder, "cloze-import", "w", encoding="utf-8", newline="")
        self._handle = self._pending.handle
        self._handle.write(BOM)
        super().__init__(self._handle, progress=progress)

    def part(self) -> CsvPart:
        """Return a spool for rows that come after all of this one's, written elsewhere (by a
        second process) and added at the end with :meth:`join`."""
        assert self._pending.tmp is not None
        part = CsvPart(self._pending.tmp.parent)
        part.width = self.width
        self.elsewhere = part.done.get
        return part

    def join(self, part: CsvPart, count: int) -> None:
        """Add the ``count`` rows written to ``part`` after this spool's rows; remove the part."""
        assert part.tmp is not None
        text = cast("io.TextIOWrapper", self._handle)
        text.flush()  # (then the bytes go below the text layer, which has nothing pending)
        with part.tmp.open("rb") as rows:
            shutil.copyfileobj(rows, text.buffer, 1 << 20)
        text.buffer.flush()
        part.discard()
        self.count += count
        self.elsewhere = None

    def keep(self, path: str | Path, *, force: bool = False, inputs: tuple[Path, ...] = ()) -> Path:
        """Move the written CSV to ``path``; raises as :func:`write_cloze_csv` does."""
        path = Path(path)
        check_output(path, force=force, inputs=inputs)
        return self._pending.commit(path)

    def drop(self) -> None:
        """Remove the temporary file (nothing is kept)."""
        self._pending.discard()

    def __enter__(self) -> CsvSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pending.pending:
            self.drop()


class CsvPart(CsvRowWriter):
    """Rows of the Cloze CSV (no BOM, no header) in a temporary file, for :meth:`CsvSpool.join`.

    ``done`` counts the rows written, visible to the process that made the part.
    """

    def __init__(self, folder: Path) -> None:
        self._pending = PendingFile(folder, "cloze-import-rows", "w", encoding="utf-8", newline="")
        self.done = SharedCount()
        super().__init__(self._pending.handle, progress=self.done.set)
        self.tmp = self._pending.tmp

    def finish(self) -> int:
        """Write out what is buffered; return the number of rows written."""
        self._pending.handle.flush()
        return self.count

    def discard(self) -> None:
        self._pending.discard()

    def __enter__(self) -> CsvPart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def write_cloze_csv(
    table: Table,
    path: str | Path,
    *,
    force: bool = False,
    inputs: tuple[Path, ...] = (),
    progress: Callable[[int], object] | None = None,
    name_column: str | None = None,
) -> Path:
    """Write ``table`` as a Cloze import CSV at ``path``, atomically.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is False.
        UsageError: ``path`` is one of ``inputs``.
    """
    path = Path(path)
    check_output(path, force=force, inputs=inputs)
    with atomic_writer(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(BOM)
        write_rows(
            handle,
            table.headers,
            table.rows,
            progress=progress,
            leave_out=table.unused_columns,
            name_column=name_column,
        )
    return path
