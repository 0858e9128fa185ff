"""Give python-calamine a repacked copy of a package whose parts it would not find.

Excel finds a workbook's parts through the package's relationships; python-calamine looks for
some of them at their usual names. Three kinds of package that Excel and LibreOffice open are
read from a private copy (see :func:`~applinks.files.decrypt.private_copy`) with the parts
where python-calamine looks, every part's bytes unchanged:

- an .xlsb whose parts are in another folder than ``xl/`` (SheetJS's ``wtf_path.xlsb``): the
  folder is renamed ``xl/`` (its relationships are relative, so they still hold) and the
  package's relationship to the workbook part is pointed there;
- two parts whose names differ only in case (``sheet1.xml`` and ``Sheet1.xml``), which the
  package format forbids and python-calamine confuses: the one the relationships name is kept,
  the others are left out;
- a workbook with an Excel 4.0 macro sheet (POI's ``64420.xlsm``), whose relationship type
  python-calamine does not know (it refuses the whole workbook): the macro sheet is typed as a
  worksheet, so it is read as one, as LibreOffice shows it.

Anything else is read as it is.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from .cell_facts import ZIP_READ_ERRORS
from .decrypt import private_copy
from .xlsb_cells import XLSB_WORKBOOK
from .xlsx_parts import (
    ROOT_RELATIONSHIPS,
    read_relationships,
    relationships_part,
    resolve_target,
    workbook_part,
)
from .xlsx_xml import WORKSHEET_TYPE

#: The relationship types of Excel 4.0 macro sheets (last piece), which python-calamine does not
#: know: it refuses the whole workbook. They are worksheets of cells (and macro formulas).
MACRO_SHEETS = ("xlMacrosheet", "xlIntlMacrosheet")
_MACRO_TYPE_PREFIX = "http://schemas.microsoft.com/office/2006/relationships/"


class Plan(NamedTuple):
    """The layout of a repacked copy."""

    #: Old name -> new name; a part left out is absent.
    parts: dict[str, str]
    #: The package's workbook part (its old name), None when it has none.
    workbook: str | None


def repack_plan(archive: zipfile.ZipFile) -> Plan | None:
    """Return the layout of a repacked copy, or None when python-calamine reads the package as
    it is (or it is too damaged to tell: the reader reports that)."""
    try:
        return _plan(archive)
    except ZIP_READ_ERRORS:
        return None


def _plan(archive: zipfile.ZipFile) -> Plan | None:
    names = list(dict.fromkeys(archive.namelist()))  # (a name written twice is one part)
    plan = {name: name for name in names}
    book = workbook_part(archive)
    if book is not None and book.endswith(".bin") and book != XLSB_WORKBOOK:
        plan = _moved_to_xl(names, posixpath.dirname(book)) or plan
    for name in _left_out(archive, names):
        del plan[name]
    macro_sheets = book is not None and any(
        _is_macro_sheet(rel.type) for rel in read_relationships(archive, relationships_part(book))
    )
    unchanged = len(plan) == len(names) and all(old == new for old, new in plan.items())
    return None if unchanged and not macro_sheets else Plan(plan, book)


def _left_out(archive: zipfile.ZipFile, names: list[str]) -> set[str]:
    """Return the parts whose names differ only in case from the one the relationships name."""
    by_case: dict[str, list[str]] = {}
    for name in names:
        by_case.setdefault(name.casefold(), []).append(name)
    clashes = [group for group in by_case.values() if len(group) > 1]
    if not clashes:
        return set()
    named = _relationship_targets(archive, names)
    left_out: set[str] = set()
    for group in clashes:
        kept = [name for name in group if name in named]
        if len(kept) == 1:  # else no way to tell which one Excel reads: python-calamine chooses
            left_out.update(name for name in group if name != kept[0])
    return left_out


def _is_macro_sheet(relationship_type: str) -> bool:
    return relationship_type.rsplit("/", 1)[-1] in MACRO_SHEETS


def _moved_to_xl(names: list[str], folder: str) -> dict[str, str] | None:
    """Return the plan that renames ``folder`` to ``xl`` (None when that cannot be done)."""
    if not folder or any(name.startswith("xl/") for name in names):
        return None
    start = folder + "/"
    return {name: "xl/" + name[len(start) :] if name.startswith(start) else name for name in names}


def _relationship_targets(archive: zipfile.ZipFile, names: list[str]) -> set[str]:
    """Return every part some relationship of the package names (as it spells it)."""
    targets: set[str] = set()
    for rels in names:
        folder, file = posixpath.split(rels)
        if posixpath.basename(folder) != "_rels" or not file.endswith(".rels"):
            continue
        source = posixpath.join(posixpath.dirname(folder), file[: -len(".rels")])
        for rel in read_relationships(archive, rels):
            if not rel.external:
                targets.add(resolve_target(source, rel.target))
    return targets


@contextlib.contextmanager
def repacked_copy(path: Path, plan: Plan) -> Iterator[Path]:
    """Yield a private copy of the package ``path`` laid out as ``plan`` says, then remove it.

    The copy has the file's own name, so every sentence names the user's file. The package's
    relationship to its workbook part follows the part when it moves.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        book, parts = plan.workbook, plan.parts
        for old, new in parts.items():
            info = archive.getinfo(old)  # (of a name written twice, the last, as zipfile reads)
            data = archive.read(info)
            if (
                info.filename == ROOT_RELATIONSHIPS
                and book is not None
                and parts.get(book, book) != book
            ):
                data = _pointed_to(data, book, parts[book])
            elif old.endswith(".rels"):
                data = _macro_sheets_as_worksheets(data)
            copy.writestr(new, data)
    with private_copy(path.name, out.getvalue()) as repacked:
        yield repacked


def _macro_sheets_as_worksheets(rels: bytes) -> bytes:
    """Return relationships with each macro sheet's type that of a worksheet."""
    for kind in MACRO_SHEETS:
        rels = rels.replace(
            f'"{_MACRO_TYPE_PREFIX}{kind}"'.encode(), f'"{WORKSHEET_TYPE}"'.encode()
        )
    return rels


def _pointed_to(rels: bytes, old: str, new: str) -> bytes:
    """Return the package relationships with the target ``old`` (as written, with or without
    a leading slash) pointing to ``new``."""
    for written in (f'"/{old}"', f'"{old}"'):
        rels = rels.replace(f"Target={written}".encode(), f'Target="/{new}"'.encode())
    return rels
