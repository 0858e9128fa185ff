"""Read a CSV file as text, detecting its encoding (UTF-8 with or without BOM, UTF-16, cp1252)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from applinks.errors import InputError
from applinks.table import Cell, Table

from .xlsx_in import table_from_grid

#: Human names for the encodings we detect, for the note shown to the user.
ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 with BOM",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": 'Windows-1252 (Excel\'s "CSV (Comma delimited)")',
}


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


def read_csv(path: Path) -> Table:
    """Read a CSV file; every cell stays text exactly as written (empty cells become None)."""
    data = path.read_bytes()
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f'"{path.name}" is not readable text in {ENCODING_NAMES[encoding]}; save it from '
            'Excel as "CSV UTF-8" and try again.',
            path=path,
        ) from exc
    if "\x00" in text:
        raise InputError(
            f'"{path.name}" contains NUL bytes, so it is not a plain CSV file; open it in Excel '
            'and save it as "CSV UTF-8".',
            path=path,
        )
    sample = text[:65536]
    delimiter = _sniff_delimiter(sample)
    try:
        grid: list[list[Cell]] = [
            [c if c != "" else None for c in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise InputError(
            f'"{path.name}" is not a well-formed CSV file ({exc}); open it in Excel and save it as '
            '"CSV UTF-8".',
            path=path,
        ) from exc
    table = table_from_grid(grid, sheet=None, source=path.name)
    table.encoding = encoding
    return table


def _sniff_delimiter(sample: str) -> str:
    """Return ``,`` unless the first line clearly uses ``;`` or a tab (European Excel exports)."""
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","
