"""Write the Cloze CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting, cells as the user sees them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from applinks.table import Cell, Table, cell_text

from .atomic import atomic_writer, check_output


def default_output_path(source: Path) -> Path:
    """Return ``<input stem> - Cloze import.csv`` beside the input."""
    return source.with_name(f"{source.stem} - Cloze import.csv")


def write_rows(handle, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    """Write the header and rows to an open text handle; return the number of data rows."""
    writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers)
    width = len(headers)
    count = 0
    for row in rows:
        texts = [cell_text(c) for c in row]
        if len(texts) < width:
            texts.extend([""] * (width - len(texts)))
        writer.writerow(texts)
        count += 1
    return count


def write_cloze_csv(
    table: Table, path: str | Path, *, force: bool = False, inputs: tuple[Path, ...] = ()
) -> Path:
    """Write ``table`` as a Cloze import CSV at ``path``, atomically.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is False.
        UsageError: ``path`` is one of ``inputs``.
    """
    path = Path(path)
    check_output(path, force=force, inputs=inputs)
    with atomic_writer(path, "w", encoding="utf-8-sig", newline="") as handle:
        write_rows(handle, table.headers, table.rows)
    return path
