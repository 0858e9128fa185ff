"""Give python-calamine a repacked copy of a package whose parts it would not find.

Excel finds a workbook's parts through the package's relationships; python-calamine looks for
some of them at their usual names. Two kinds of package that Excel and LibreOffice open are
read from a private copy (see :func:`~applinks.files.decrypt.private_copy`) with the parts
where python-calamine looks, every part's bytes unchanged:

- an .xlsb whose parts are in another folder than ``xl/`` (SheetJS's ``wtf_path.xlsb``): the
  folder is renamed ``xl/`` (its relationships are relative, so they still hold) and the
  package's relationship to the workbook part is pointed there;
- two parts whose names differ only in case (``sheet1.xml`` and ``Sheet1.xml``), which the
  package format forbids and python-calamine confuses: the one the relationships name is kept,
  the others are left out.

Anything else is read as it is.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .decrypt import private_copy
from .xlsx_parts import read_relationships, resolve_target, workbook_part

XLSB_WORKBOOK = "xl/workbook.bin"
ROOT_RELATIONSHIPS = "_rels/.rels"


def repack_plan(archive: zipfile.ZipFile) -> dict[str, str] | None:
    """Return the parts of a repacked copy (old name -> new name; a part left out is absent),
    or None when python-calamine reads the package as it is."""
    names = archive.namelist()
    book = workbook_part(archive)
    if book is not None and book.endswith(".bin") and book != XLSB_WORKBOOK:
        return _moved_to_xl(names, posixpath.dirname(book))
    by_case: dict[str, list[str]] = {}
    for name in names:
        by_case.setdefault(name.casefold(), []).append(name)
    clashes = [group for group in by_case.values() if len(group) > 1]
    if not clashes:
        return None
    named = _relationship_targets(archive, names)
    left_out: set[str] = set()
    for group in clashes:
        kept = [name for name in group if name in named]
        if len(kept) != 1:  # no way to tell which one Excel reads
            return None
        left_out.update(name for name in group if name != kept[0])
    return {name: name for name in names if name not in left_out}


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
def repacked_copy(path: Path, plan: dict[str, str]) -> Iterator[Path]:
    """Yield a private copy of the package ``path`` laid out as ``plan`` says, then remove it.

    The copy has the file's own name, so every sentence names the user's file. The package's
    relationship to its workbook part follows the part when it moves.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        book = workbook_part(archive)
        for info in archive.infolist():
            new = plan.get(info.filename)
            if new is None:
                continue
            data = archive.read(info)
            if info.filename == ROOT_RELATIONSHIPS and book is not None and plan[book] != book:
                data = _pointed_to(data, book, plan[book])
            copy.writestr(new, data)
    with private_copy(path.name, out.getvalue()) as repacked:
        yield repacked


def _pointed_to(rels: bytes, old: str, new: str) -> bytes:
    """Return the package relationships with the target ``old`` (as written, with or without
    a leading slash) pointing to ``new``."""
    for written in (f'"/{old}"', f'"{old}"'):
        rels = rels.replace(f"Target={written}".encode(), f'Target="/{new}"'.encode())
    return rels
