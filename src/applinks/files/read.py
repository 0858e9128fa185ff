"""Read a spreadsheet file into a Table, or fail with one plain sentence."""

from __future__ import annotations

import zipfile
from pathlib import Path

from applinks.errors import InputError, UsageError
from applinks.table import Table

from . import csv_in, xlsx_in

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".xltx", ".xltm", ".xlam"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


def read_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read the first worksheet (or ``sheet``) of an Excel workbook or a CSV file.

    Raises:
        InputError: the file is missing, empty, encrypted, damaged or not a spreadsheet.
        UsageError: ``sheet`` names no sheet of the workbook.
    """
    path = Path(path)
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
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise UsageError(f'"{name}" is a CSV file, which has no sheets; leave out --sheet.')
        return csv_in.read_csv(path)
    if head.startswith(OLE_MAGIC):
        if _is_encrypted_ooxml(path):
            raise InputError(
                f'"{name}" is protected with a password; open it in Excel, remove the password '
                "(File > Info > Protect Workbook), save it and try again.",
                path=path,
            )
        return xlsx_in.read_workbook(path, sheet=sheet)
    if head.startswith(ZIP_MAGIC) or head.startswith(EMPTY_ZIP_MAGIC):
        _check_zip(path)
        return xlsx_in.read_workbook(path, sheet=sheet)
    if suffix in WORKBOOK_SUFFIXES:
        raise InputError(_not_a_workbook(path, head), path=path)
    raise InputError(
        f'"{name}" is not a spreadsheet this tool reads; save it as an Excel workbook (.xlsx) '
        "or a CSV file and try again.",
        path=path,
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


def _check_zip(path: Path) -> None:
    """Refuse a damaged zip or a zip that is not a workbook, before any XML is parsed."""
    damaged = (
        f'"{path.name}" is damaged or incomplete and cannot be opened as a workbook; '
        "download or export it again."
    )
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(damaged, path=path) from exc
    if not names & {"xl/workbook.xml", "xl/workbook.bin", "content.xml"}:
        raise InputError(
            f'"{path.name}" is a zip file but not an Excel workbook; save the sheet as .xlsx '
            "and try again.",
            path=path,
        )


def _is_encrypted_ooxml(path: Path) -> bool:
    """Return True for an Office file encrypted with a password (an OLE box, not BIFF)."""
    try:
        import olefile
    except ImportError:  # pragma: no cover - olefile is a dependency
        return False
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return bool(ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"))
    except (OSError, ValueError):
        return False
