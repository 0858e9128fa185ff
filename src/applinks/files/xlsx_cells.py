"""Read what python-calamine leaves out of an .xlsx/.xlsm sheet: formats, errors and links.

python-calamine gives a cell's value but not its number format (a date serial and a percentage
come back as plain numbers), reads an error cell (``#N/A``) as empty text, and drops
hyperlinks. :func:`read_cell_facts` reads them from the zip package, for the worksheet the
reader loads (the first, or the one named), in one pass over the sheet's XML.

Typical use, walking a sheet's rows in blocks::

    facts = read_cell_facts(path, sheet, wanted=is_date_format, builtin=builtin_format)
    for column in facts.styled_columns():
        rows, xfs = facts.styled[column].between(first_row, first_row + 4096)
        for row, xf in zip(rows, xfs):
            ...  # the number at (row, column) shows in format facts.formats[xf]

Cost: one pass over the sheet's XML, in 4 MiB chunks, mostly whole-chunk byte and regular
expression searches, plus a few Python steps per collected cell. Measured once (CPU seconds, one
core) on a 1,048,575-row sheet of 270 MB of XML that takes 0.55 s just to inflate: 1.1 s with
no wanted styles, 3.3 s collecting three formatted number columns (3 million cells); on a
320 MB sheet with a million ``HYPERLINK`` formulas, 3.9 s; with a million inserted hyperlinks
(and their 110 MB relationships part), 5.7 s. Nothing is read when the sheet cannot be found.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from applinks.files.cell_builder import wanted_formats
from applinks.files.cell_facts import ZIP_READ_ERRORS, CellFacts, NumberFormat, StyledColumn
from applinks.files.xlsx_cell_scan import (
    CHUNK_BYTES,
    MIB,
    SheetCells,
    attributes,
    column_index,
    scan_sheet_cells,
    tag_pieces,
    xml_text,
)
from applinks.files.xlsx_parts import (
    has_part,
    locate_sheet,
    relationships_part,
    styles_part,
)
from applinks.files.zip_read import open_part
from applinks.shape import MAX_COLUMNS, MAX_ROWS

#: Largest styles part read (it is parsed whole); real ones are well under 1 MiB.
MAX_STYLES_BYTES = 32 * MIB
#: Most cells that ``<hyperlink>`` ranges are spread over (two full columns); ranges past it
#: are left out rather than filling memory.
MAX_LINK_CELLS = 2 * MAX_ROWS


def facts_sheet_name(path: Path) -> str | None:
    """Return the name of the sheet :func:`read_cell_facts` reads when given none (the first)."""
    try:
        with zipfile.ZipFile(path) as archive:
            located = locate_sheet(archive, None)
    except ZIP_READ_ERRORS:
        return None
    return located[1] if located else None


def read_cell_facts(
    path: Path,
    sheet: str | None = None,
    *,
    wanted: Callable[[NumberFormat], bool] | None = None,
    builtin: Callable[[int], str | None] | None = None,
    chunk_size: int = CHUNK_BYTES,
) -> CellFacts:
    """Read the number formats, error cells and hyperlinks of one worksheet of an .xlsx/.xlsm.

    Args:
        path: the workbook, already checked by ``guards.check_zip``.
        sheet: the sheet's name; None for the first sheet (the one the reader loads).
        wanted: called once for each distinct number format of the workbook's cell styles
            (the format code, or a built-in format's id when ``builtin`` gives no code for
            it); the number cells under the styles it accepts are collected. None collects
            none, and then the styles part is not read.
        builtin: gives the code of a built-in format id (0-163), or None when unknown.
        chunk_size: bytes of sheet XML read at a time (small values are for tests).

    Returns empty facts when the sheet cannot be found or a part is damaged (the reader
    reports damaged files itself); never raises for a bad file. What ``wanted`` and
    ``builtin`` raise is not caught.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            located = locate_sheet(archive, sheet)
            by_xf = read_number_formats(archive) if located and wanted is not None else []
    except ZIP_READ_ERRORS:
        return CellFacts()
    if located is None:
        return CellFacts()
    formats = wanted_formats(_resolved(by_xf, builtin), wanted)
    part = located[0]
    try:
        with zipfile.ZipFile(path) as archive:
            with open_part(archive, part) as stream:
                found = scan_sheet_cells(stream, formats.keys(), chunk_size=chunk_size)
            links = found.formula_links
            for column, targets in hyperlink_targets(archive, part, found).items():
                links.setdefault(column, {}).update(targets)
    except ZIP_READ_ERRORS:
        return CellFacts()
    styled = {column: StyledColumn(*pair) for column, pair in found.styled.items()}
    return CellFacts(
        formats, styled, found.errors, links, formulas_without_values=found.formulas_without_values
    )


def _resolved(
    by_xf: list[NumberFormat], builtin: Callable[[int], str | None] | None
) -> list[NumberFormat]:
    """Return the formats with each built-in id that ``builtin`` knows replaced by its code."""
    if builtin is None:
        return by_xf
    codes: dict[int, str | None] = {}
    out: list[NumberFormat] = []
    for number_format in by_xf:
        if isinstance(number_format, int):
            if number_format not in codes:
                codes[number_format] = builtin(number_format)
            code = codes[number_format]
            out.append(number_format if code is None else code)
        else:
            out.append(number_format)
    return out


def read_number_formats(
    archive: zipfile.ZipFile, builtin: Callable[[int], str | None] | None = None
) -> list[NumberFormat]:
    """Return the number format of each cell style (``cellXfs/xf``), by style index.

    A format is the code of the workbook's own ``numFmt`` with the style's ``numFmtId``, else
    ``builtin(id)``, else the id itself. Empty when the workbook has no styles part, or one
    larger than MAX_STYLES_BYTES.
    """
    from defusedxml import ElementTree

    part = styles_part(archive)
    if part is None or archive.getinfo(part).file_size > MAX_STYLES_BYTES:
        return []
    with archive.open(part) as stream:
        data = stream.read(MAX_STYLES_BYTES + 1)
    if len(data) > MAX_STYLES_BYTES:
        return []
    root = ElementTree.fromstring(data)
    codes: dict[int, str] = {}
    ids: list[int] = []
    for child in root:
        name = _local(child.tag)
        if name == "numFmts":
            for element in child:
                number, code = _number(element.get("numFmtId")), element.get("formatCode")
                if _local(element.tag) == "numFmt" and number is not None and code is not None:
                    codes[number] = code
        elif name == "cellXfs":
            ids = [_number(xf.get("numFmtId")) or 0 for xf in child if _local(xf.tag) == "xf"]
    return _resolved([codes.get(number, number) for number in ids], builtin)


def hyperlink_targets(
    archive: zipfile.ZipFile, part: str, found: SheetCells
) -> dict[int, dict[int, str]]:
    """Return column -> row -> target of the sheet's external ``<hyperlink>`` elements.

    A hyperlink's ``ref`` may be a range (every cell in it gets the link); a ``location``
    after an external target is its ``#fragment``; a hyperlink with a location only points
    inside the workbook and is left out.
    """
    wanted = {rel for _, rel, _ in found.hyperlinks if rel}
    if not wanted:
        return {}
    targets = _external_targets(archive, relationships_part(part), wanted)
    out: dict[int, dict[int, str]] = {}
    budget = MAX_LINK_CELLS
    columns: dict[str, int] = {}
    for ref, rel, location in found.hyperlinks:
        target = targets.get(rel)
        area = _area(ref, columns) if target else None
        if target is None or area is None:
            continue
        if location:
            target = f"{target}#{location}"
        first_row, first_column, last_row, last_column = area
        size = (last_row - first_row + 1) * (last_column - first_column + 1)
        if size > budget:
            continue
        budget -= size
        for column in range(first_column, last_column + 1):
            cells = out.get(column)
            if cells is None:
                cells = out[column] = {}
            if first_row == last_row:
                cells[first_row] = target
            else:
                cells.update(dict.fromkeys(range(first_row, last_row + 1), target))
    return out


_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship(?=[\s/>])([^>]*)>")
#: A relationship as Excel and LibreOffice write an external one: read by one search.
_PLAIN_EXTERNAL = re.compile(
    rb'<Relationship Id="([^"]*)" Type="[^"]*" Target="([^"]*)" TargetMode="External"\s*/>'
)


def _external_targets(archive: zipfile.ZipFile, rels_name: str, ids: set[str]) -> dict[str, str]:
    """Return id -> target of the external relationships in ``ids``.

    Read like the sheet, as a stream of tags rather than with an XML parser: a sheet with a
    link in every row has a relationships part of 150 MB, a million elements.
    """
    if not has_part(archive, rels_name):
        return {}
    out: dict[str, str] = {}
    with archive.open(rels_name) as stream:
        for piece in tag_pieces(stream):
            texts = _RELATIONSHIP.findall(piece)
            plain = _PLAIN_EXTERNAL.findall(piece)
            if len(plain) == len(texts):
                for rel_id, target in plain:
                    rel = xml_text(rel_id)
                    if rel in ids:
                        out[rel] = xml_text(target)
                continue
            for text in texts:
                attrs = attributes(text)
                rel = xml_text(attrs.get(b"Id", b""))
                if rel in ids and attrs.get(b"TargetMode") == b"External":
                    out[rel] = xml_text(attrs.get(b"Target", b""))
    return out


_CELL = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_AREA = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?")


def _area(ref: str, columns: dict[str, int]) -> tuple[int, int, int, int] | None:
    """Return (first row, first column, last row, last column) of "E2" or "E2:F5", clipped to
    Excel's grid; None when ``ref`` is not a cell or range reference. ``columns`` caches the
    column of each set of letters."""
    match = _CELL.fullmatch(ref)
    if match is not None:  # one cell, as most are: the short way
        letters, digits = match.groups()
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = column_index(letters.encode("ascii"))
        row = int(digits)
        if 1 <= row <= MAX_ROWS and column < MAX_COLUMNS:
            return row, column, row, column
    match = _AREA.fullmatch(ref)
    if match is None:
        return None
    letters_a, digits_a, letters_b, digits_b = match.groups()
    if letters_b is None:
        letters_b, digits_b = letters_a, digits_a
    column_a, column_b = columns.get(letters_a), columns.get(letters_b)
    if column_a is None:
        column_a = columns[letters_a] = column_index(letters_a.encode("ascii"))
    if column_b is None:
        column_b = columns[letters_b] = column_index(letters_b.encode("ascii"))
    row_a, row_b = int(digits_a), int(digits_b)
    first_row, last_row = max(1, min(row_a, row_b)), min(MAX_ROWS, max(row_a, row_b))
    first_column = min(column_a, column_b)
    last_column = min(MAX_COLUMNS - 1, max(column_a, column_b))
    if first_row > last_row or first_column > last_column:
        return None
    return first_row, first_column, last_row, last_column


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _number(text: str | None) -> int | None:
    return int(text) if text is not None and text.isascii() and text.isdigit() else None
