"""Find the parts of an .xlsx/.xlsm package: the chosen worksheet, its relationships, the styles.

An OOXML workbook is a zip of XML parts tied together by relationship parts (``_rels/*.rels``):
the workbook lists its sheets by relationship id, and the workbook's relationships say which part
each id is. Part names here are zip member names (no leading slash). The XML is parsed with
defusedxml; the callers catch what a malformed part raises.
"""

from __future__ import annotations

import posixpath
import zipfile
from typing import NamedTuple

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

WORKBOOK_PART = "xl/workbook.xml"
#: The package's own relationships: they name its main part.
ROOT_RELATIONSHIPS = "_rels/.rels"
OFFICE_DOCUMENT = "/officeDocument"


class Relationship(NamedTuple):
    """One ``<Relationship>`` of a relationship part."""

    id: str
    type: str
    target: str
    external: bool


def normalise_part(part: str) -> str:
    """Return ``part`` with ``.`` and ``..`` pieces resolved and empty pieces dropped."""
    out: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece and piece != ".":
            out.append(piece)
    return "/".join(out)


def resolve_target(source: str, target: str) -> str:
    """Return the part a relationship of ``source`` points to (``target`` as written in it)."""
    if target.startswith("/"):
        return normalise_part(target.lstrip("/"))
    return normalise_part(f"{posixpath.dirname(source)}/{target}")


def relationships_part(source: str) -> str:
    """Return the name of the part that holds ``source``'s relationships."""
    folder, name = posixpath.split(source)
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def has_part(archive: zipfile.ZipFile, name: str) -> bool:
    """Return True when the package holds a part named ``name``."""
    try:
        archive.getinfo(name)
    except KeyError:
        return False
    return True


def read_relationships(archive: zipfile.ZipFile, rels_name: str) -> list[Relationship]:
    """Return the relationships in the part ``rels_name`` (none when it is missing)."""
    from defusedxml import ElementTree

    if not has_part(archive, rels_name):
        return []
    root = ElementTree.fromstring(archive.read(rels_name))
    return [
        Relationship(
            rel.get("Id", ""),
            rel.get("Type", ""),
            rel.get("Target", ""),
            rel.get("TargetMode", "") == "External",
        )
        for rel in root.iter(PKG_REL)
    ]


def workbook_part(archive: zipfile.ZipFile) -> str | None:
    """Return the package's main part, found as Excel finds it: through ``_rels/.rels``.

    The package's relationships name the officeDocument part; most packages put it at
    ``xl/workbook.xml`` (used when the relationships say nothing), some elsewhere
    (``wtf/workbook.xml``, ``workbook.xml``). None when there is none.
    """
    for rel in read_relationships(archive, ROOT_RELATIONSHIPS):
        if rel.type.endswith(OFFICE_DOCUMENT) and not rel.external:
            part = resolve_target("", rel.target)
            if has_part(archive, part):
                return part
    return WORKBOOK_PART if has_part(archive, WORKBOOK_PART) else None


def locate_sheet(archive: zipfile.ZipFile, sheet: str | None) -> tuple[str, str] | None:
    """Return (part, sheet name) of the worksheet the reader loads: the first, or ``sheet``.

    None when the workbook has no such sheet or its part is missing.
    """
    from defusedxml import ElementTree

    book_part = workbook_part(archive)
    if book_part is None or not book_part.endswith(".xml"):
        return None
    book = ElementTree.fromstring(archive.read(book_part))
    targets = {
        rel.id: rel.target for rel in read_relationships(archive, relationships_part(book_part))
    }
    for element in book.iter(f"{MAIN_NS}sheet"):
        if sheet is None or element.get("name") == sheet:
            part = resolve_target(book_part, targets.get(element.get(REL_ID, ""), ""))
            return (part, element.get("name", "")) if has_part(archive, part) else None
    return None


def styles_part(archive: zipfile.ZipFile) -> str | None:
    """Return the workbook's styles part (named by its relationships, else ``xl/styles.xml``)."""
    book_part = workbook_part(archive) or WORKBOOK_PART
    for rel in read_relationships(archive, relationships_part(book_part)):
        if rel.type.endswith("/styles") and not rel.external:
            part = resolve_target(book_part, rel.target)
            if has_part(archive, part):
                return part
    return "xl/styles.xml" if has_part(archive, "xl/styles.xml") else None
