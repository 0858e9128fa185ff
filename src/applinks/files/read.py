"""Read a spreadsheet file into a Table, or fail with one plain sentence."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Collection
from collections.abc import Set as AbstractSet
from pathlib import Path

from applinks import workers
from applinks.errors import CsvHasNoSheets, InputError, ReadAgain
from applinks.shape import MAX_COLUMNS
from applinks.table import Table

from . import csv_in, decrypt, guards, repack, xls_old, xlsx_halves, xlsx_in
from .cell_facts import CellFacts

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".xltx", ".xltm", ".xlam"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    link_columns: Collection[str] = (),
) -> Table:
    """Read the first worksheet (or ``sheet``) of an Excel workbook or a CSV file.

    Cells are what the user sees (see :func:`~applinks.files.xlsx_in.read_workbook`); in the
    App Content URL column and the columns named in ``link_columns`` (a column of record links
    read with ``--from-url``), a cell's hyperlink target is its value.

    Raises:
        InputError: the file is missing, empty, encrypted, damaged or not a spreadsheet.
        UsageError: ``sheet`` names no sheet of the workbook.
    """
    path, head = _opened(Path(path))
    links = tuple(link_columns)
    return _checked(_or_sheet_with_data(path, sheet, lambda s: _read(path, head, s, links)), path)


def read_then(
    path: str | Path,
    run: Callable[[Callable[[], Table]], int],
    *,
    sheet: str | None = None,
    link_columns: Collection[str] = (),
) -> int:
    """Read the file as :func:`read_table` does, then return ``run(reading)``, an exit code:
    ``reading()`` returns the table (or raises what reading it raises).

    For a command line run, which may use two processes: a large workbook is parsed by a child
    process while this one scans it (see :func:`applinks.workers.hand_over`), and ``run`` runs
    in that child once the scan has passed; the child leaves with the code ``run`` returns and
    this call returns that code here. A large CSV file is scanned in two halves at once.

    Raises:
        InputError, UsageError: as :func:`read_table`, when this process finds the problem
            (else ``reading()`` raises it, in the child).
    """
    path, head = _opened(Path(path))
    links = tuple(link_columns)
    if path.suffix.lower() not in CSV_SUFFIXES and _is_zip(head):
        parts = guards.check_zip(path)
        if (
            "xl/workbook.xml" in parts
            and workers.available() > 1
            and _sheets_size(path) >= HAND_OVER_FROM
            and not _needs_repacking(path)  # (the child reads the file as it is)
        ):
            return _read_in_child(path, parts, sheet, links, run)
        try:
            with xlsx_halves.allowed():  # a large sheet may be parsed in two halves
                table = _or_sheet_with_data(path, sheet, lambda s: _read_zip(path, parts, s, links))
                table = _checked(table, path)
                return run(lambda: table)
        except ReadAgain:  # the halves did not make the sheet: read it whole, run again
            table = _or_sheet_with_data(path, sheet, lambda s: _read_zip(path, parts, s, links))
    else:
        processes = workers.available()
        table = _or_sheet_with_data(
            path, sheet, lambda s: _read(path, head, s, links, processes=processes)
        )
    table = _checked(table, path)
    return run(lambda: table)


def _read_in_child(
    path: Path,
    parts: set[str],
    sheet: str | None,
    links: tuple[str, ...],
    run: Callable[[Callable[[], Table]], int],
) -> int:
    """Scan the workbook here (for cells past Excel's grid, and for how its cells are shown)
    while a child parses it; the child builds the table with the facts and runs ``run``."""

    def then(
        found: tuple[guards.SheetScan | None, CellFacts | None],
        opened: Callable[[], xlsx_in.OpenSheet],
    ) -> int:
        def reading() -> Table:
            scan, facts = found

            def read(name: str | None) -> Table:
                if name == sheet:
                    return xlsx_in.sheet_table(
                        opened(), path, sheet=sheet, facts=facts, link_columns=links
                    )
                return _read_zip(path, parts, name, links)  # another sheet, looked at in turn

            table = _or_sheet_with_data(path, sheet, read)
            if scan is not None:
                table.notes.extend(_scan_notes(scan, table))
            return _checked(table, path)

        return run(reading)

    return workers.hand_over(
        lambda: (guards.inspect_xlsx_sheet(path, sheet), xlsx_in.read_facts(path, sheet)),
        lambda: xlsx_in.open_sheet(path, sheet=sheet),
        then,
        name=path.name,
    )


#: The most sheets after the first that are read to find one with data, when the first is empty.
SHEETS_LOOKED_AT = 50


def _or_sheet_with_data(
    path: Path, sheet: str | None, read: Callable[[str | None], Table]
) -> Table:
    """Return ``read(sheet)``; when the first sheet is empty (no sheet was named), refuse with a
    sentence that names a sheet that has data, for the user to choose.

    Each sheet is read as the one chosen would be (every guard applies), up to
    ``SHEETS_LOOKED_AT`` of them; one that is empty, damaged or too large is passed over.
    """
    try:
        return read(sheet)
    except xlsx_in.EmptySheet as empty:
        if sheet is not None or len(empty.sheets) < 2:
            raise
        first = empty.sheets[0]
        for other in empty.sheets[1 : SHEETS_LOOKED_AT + 1]:
            try:
                read(other)
            except InputError:
                continue
            start = f'"{path.name}" has nothing on its first sheet, "{first}"; its data is on'
            raise xlsx_in.EmptySheet(
                f'{start} sheet "{other}": read that sheet instead.',
                path=path,
                cli_message=f'{start} sheet "{other}": run again with --sheet "{other}".',
            ) from None
        raise


def _opened(path: Path) -> tuple[Path, bytes]:
    """Return ``path`` and its first bytes, once it is known to be a file with something in it."""
    name = path.name
    if not path.exists():
        raise InputError(f'Cannot find "{path}"; check the file name and folder.', path=path)
    if path.is_dir():
        raise InputError(f'"{path}" is a folder, not a spreadsheet file.', path=path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise InputError(
            f'Cannot open "{name}" ({exc.strerror or "permission denied"}).', path=path
        ) from exc
    if not head:
        raise InputError(f'"{name}" is empty (0 bytes); export or save it again.', path=path)
    guards.check_file_size(path)
    return path, head


def _is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC) or head.startswith(EMPTY_ZIP_MAGIC)


def _read(
    path: Path,
    head: bytes,
    sheet: str | None,
    links: tuple[str, ...] = (),
    *,
    processes: int = 1,
) -> Table:
    name = path.name
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise CsvHasNoSheets(name)
        return csv_in.read_csv(path, processes=processes)
    if head.startswith(OLE_MAGIC):
        guards.check_ole(path)
        if decrypt.is_encrypted(path):
            return _read_decrypted(path, sheet, links)
        return _read_ole(path, sheet, links)
    if _is_zip(head):
        return _read_zip(path, guards.check_zip(path), sheet, links)
    version = xls_old.old_biff_version(head)
    if version is not None:  # Excel 2.x to 4.0 wrote a bare stream, not an OLE file
        return _read_with_xlrd(path, sheet, version)
    if suffix in WORKBOOK_SUFFIXES:
        raise InputError(_not_a_workbook(path, head), path=path)
    raise InputError(
        f'"{name}" is not a spreadsheet this tool reads; save it as an Excel workbook (.xlsx) '
        "or a CSV file and try again.",
        path=path,
    )


def _needs_repacking(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return repack.repack_plan(archive) is not None


def _read_zip(
    path: Path, parts: AbstractSet[str], sheet: str | None, links: tuple[str, ...]
) -> Table:
    """Read a workbook in a zip package (``parts``: its parts, checked by the guards); one
    whose parts python-calamine would not find is read from a repacked copy."""
    with zipfile.ZipFile(path) as archive:
        plan = repack.repack_plan(archive)
    if plan is None:
        return _read_package(path, parts, sheet, links)
    with repack.repacked_copy(path, plan) as copy:
        return _read_package(copy, set(plan.parts.values()), sheet, links)


def _read_package(
    path: Path, parts: AbstractSet[str], sheet: str | None, links: tuple[str, ...]
) -> Table:
    spreadsheet_ml = not parts & {"xl/workbook.bin", "content.xml"}
    # A large sheet read in one process is cut in two halves as the guards scan it.
    cutter = xlsx_halves.Cutter() if spreadsheet_ml and xlsx_in.halves_wanted(path) else None
    also = cutter.begin if cutter is not None else None
    scan = guards.inspect_xlsx_sheet(path, sheet, also) if spreadsheet_ml else None
    # An .xlsb's sheet is walked once: the guard's pass also finds its error cells.
    facts_read = guards.inspect_xlsb_sheet(path, sheet) if "xl/workbook.bin" in parts else {}
    table = xlsx_in.read_workbook(
        path, sheet=sheet, link_columns=links, cut=cutter, facts_read=facts_read
    )
    if scan is not None:
        table.notes.extend(_scan_notes(scan, table))
    return table


#: Worksheet XML (bytes, all sheets, as the zip declares them) from which a command line run
#: reads the workbook in a child process while this one scans it (below, one after the other).
HAND_OVER_FROM = 64 << 20


def _sheets_size(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(
            info.file_size
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        )


def _not_a_workbook(path: Path, head: bytes) -> str:
    with path.open("rb") as handle:
        start = handle.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body")):
        what = "a web page saved with a spreadsheet name"
    elif start.startswith(b"<"):
        what = "an XML or web file saved with a spreadsheet name"
    else:
        what = "not an Excel workbook"
    return (
        f'"{path.name}" is {what}, so it cannot be read as a workbook; open it in Excel and '
        "save it as an Excel workbook (.xlsx), then try again."
        if what != "not an Excel workbook"
        else f'"{path.name}" is not an Excel workbook (its contents are not in any Excel format); '
        "open it in Excel and save it as .xlsx, or export it again."
    )


def _checked(table: Table, path: Path) -> Table:
    """Return ``table``, or refuse it when it is wider than Excel allows (no spreadsheet made
    it, and Excel cannot open it)."""
    rows = table.rows  # rows read on demand are cut to the header's width: no pass needed
    widest = max(
        len(table.headers), max(map(len, rows), default=0) if isinstance(rows, list) else 0
    )
    if widest > MAX_COLUMNS:
        raise InputError(
            f'"{path.name}" has {widest:,} columns, more than the 16,384 Excel allows; '
            "keep only the columns Cloze needs and try again.",
            path=path,
        )
    return table


_REF = re.compile(r"^\$?([A-Za-z]+)\$?(\d+)(?::\$?([A-Za-z]+)\$?(\d+))?$")


def _scan_notes(scan: guards.SheetScan, table: Table) -> list[str]:
    """Turn what the worksheet scan found into sentences for the user."""
    notes: list[str] = []
    for ref in scan.merged:
        match = _REF.match(ref)
        if not match or not match.group(3):
            continue
        first_row, last_row = int(match.group(2)), int(match.group(4))
        wide = guards.column_number(match.group(3)) > guards.column_number(match.group(1))
        if wide and first_row <= table.header_row <= last_row:
            notes.append(
                f"Header cells {ref.replace('$', '')} are merged, so only the first of those "
                "columns has a header and the others are read without one; unmerge them in "
                "Excel and give each column its own header."
            )
    return notes


def _read_ole(path: Path, sheet: str | None, links: tuple[str, ...]) -> Table:
    """Read an .xls: python-calamine reads Excel 97 and later (BIFF8) with every cell fact;
    xlrd reads Excel 5.0/95 (whose number formats python-calamine's path does not show) and the
    BIFF8 files python-calamine refuses; a note says when xlrd read the file. A chart object
    neither reads gets a sentence that says what it is."""
    try:
        return _read_ole_with_a_reader(path, sheet, links)
    except (xlsx_in.ReaderRefused, xls_old.CannotRead) as refused:
        chart = xls_old.chart_object_sentence(path)
        if chart is None:
            raise
        raise InputError(chart, path=path) from refused


def _read_ole_with_a_reader(path: Path, sheet: str | None, links: tuple[str, ...]) -> Table:
    if _is_biff5(path):
        try:
            return _read_with_xlrd(path, sheet, "5.0/95")
        except InputError as refused:
            try:
                return xlsx_in.read_workbook(path, sheet=sheet, link_columns=links)
            except xlsx_in.ReaderRefused:
                raise refused from None
    try:
        return xlsx_in.read_workbook(path, sheet=sheet, link_columns=links)
    except xlsx_in.ReaderRefused as refused:
        try:
            return _read_with_xlrd(path, sheet, None)
        except InputError:
            raise refused from None


def _read_with_xlrd(path: Path, sheet: str | None, version: str | None) -> Table:
    """Read ``path`` with xlrd and add the note that says so and what xlrd does not read.

    ``version`` is the old Excel that wrote the file, or None for a workbook python-calamine
    refused.
    """
    table = xls_old.read_with_xlrd(path, sheet=sheet, version=version)
    what = "a workbook python-calamine cannot read"
    if version is not None:
        what = f"an Excel {version} workbook"
    table.notes.append(
        f'"{path.name}" is {what}; it was read with xlrd, which shows numbers as their formats '
        "say but does not read hyperlink targets or flag error cells (save it as .xlsx for those)."
    )
    return table


def _is_biff5(path: Path) -> bool:
    """Return True for an OLE file whose workbook stream is Excel 5.0/95's ("Book")."""
    return xls_old.workbook_stream(path, excel95=True) is not None


def _read_decrypted(path: Path, sheet: str | None, links: tuple[str, ...]) -> Table:
    """Read a workbook encrypted with Excel's default password, as Excel opens it."""
    with decrypt.decrypted_copy(path) as copy, copy.open("rb") as handle:
        head = handle.read(8)
        if head.startswith(OLE_MAGIC) and decrypt.is_encrypted(copy):
            raise InputError(decrypt.password_sentence(path.name), path=path)
        table = _read(copy, head, sheet, links)
    table.notes.append(
        f'"{path.name}" is encrypted with the password Excel uses when none is given (it was '
        "protected against changes, not with a password of its own); it was read as Excel "
        "opens it."
    )
    return table
