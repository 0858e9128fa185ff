"""The package of an annotated workbook: its zip parts, content types, relationships, sheets.

:class:`Package` opens the source's zip and finds the workbook part, its relationships, the
data sheet's part and the styles part. The annotated copy adds its check sheet with
:func:`add_content_type`, :func:`add_relationship` and :func:`add_sheet` (last in the workbook's
sheet list, so the data sheet stays first: Cloze imports only the first sheet). An input that has
no package (a CSV file, .xls, .ods) gets a plain one from :func:`write_plain_package` first.

Everything read is parsed with defusedxml or matched as text.
"""

from __future__ import annotations

import io
import queue
import re
import threading
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Protocol
from xml.sax.saxutils import quoteattr

from defusedxml import ElementTree

from applinks.check_sheet import CHECK_SHEET
from applinks.errors import InputError, UsageError
from applinks.table import Cell, Table

from .xlsx_xml import (
    MAIN_NS,
    PKG_REL_NS,
    REL_NS,
    WORKSHEET_TYPE,
    cell_xml,
    insert_before_close,
    prefix_of,
)

STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_TYPE = REL_NS + "/styles"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
MACRO_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CHUNK = 1 << 20


class Package:
    """The source zip, its workbook part and the data sheet's part name."""

    def __init__(
        self, archive: zipfile.ZipFile, sheet_name: str | None, *, plain: bool = False
    ) -> None:
        self.archive = archive
        self.plain = plain
        self.names = archive.namelist()
        self.content_types = self.read_text("[Content_Types].xml")
        self.workbook_path = self._workbook_path()
        self.workbook = self.read_text(self.workbook_path)
        if STRICT_NS in self.workbook:
            raise UsageError(
                "This workbook is saved as Strict Open XML, which this tool cannot annotate; "
                'save it as "Excel Workbook (.xlsx)" and try again.'
            )
        folder = PurePosixPath(self.workbook_path).parent
        self.rels_path = str(folder / "_rels" / (PurePosixPath(self.workbook_path).name + ".rels"))
        self.rels = self.read_text(self.rels_path)
        self.sheets = listed_sheets(self.workbook)
        if any(name == CHECK_SHEET for name, _, _ in self.sheets):
            raise UsageError(
                f'The workbook already has a sheet named "{CHECK_SHEET}"; annotate the original '
                "workbook, or delete that sheet and save first."
            )
        targets = relationship_targets(self.rels)
        chosen = next(
            (s for s in self.sheets if sheet_name is None or s[0] == sheet_name), self.sheets[0]
        )
        self.sheet_title = chosen[0]
        self.sheet_path = _resolve(folder, targets[chosen[2]])
        self.styles_path = next(
            (
                _resolve(folder, t)
                for rid, t in targets.items()
                if _rel_type(self.rels, rid).endswith("/styles")
            ),
            None,
        )
        self.macro_enabled = MACRO_CT in self.content_types or any(
            n.lower().endswith("vbaproject.bin") for n in self.names
        )

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.archive.close()

    def read_text(self, name: str) -> str:
        try:
            return self.archive.read(name).decode("utf-8")
        except KeyError as exc:
            raise InputError(
                f"The workbook is missing its part {name}; save it again in Excel."
            ) from exc

    def _workbook_path(self) -> str:
        rels = self.read_text("_rels/.rels")
        for rel in ElementTree.fromstring(rels):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
        raise InputError("The workbook has no main part; save it again in Excel.")


def open_package(source: Path, table: Table, prepared: Table | None, notes: list[str]) -> Package:
    """Open the package of ``source``, or build a plain one from the table (noting what is lost)."""
    if zipfile.is_zipfile(source):
        archive = zipfile.ZipFile(source)
        if "xl/workbook.xml" in archive.namelist() or _has_ooxml_workbook(archive):
            return Package(archive, table.sheet)
        archive.close()
    # No package to copy: build a plain one from the table.
    suffix = source.suffix.lower()
    if suffix not in (".csv", ".txt", ".tsv"):
        notes.append(
            f'"{source.name}" is not an .xlsx or .xlsm workbook, so the annotated copy has only '
            f'the sheet "{table.sheet or "Sheet1"}" with its values: formatting, formulas, other '
            "sheets, charts, images and pivot tables are not carried over."
        )
    buffer = io.BytesIO()
    write_plain_package(prepared or table, buffer)
    buffer.seek(0)
    return Package(zipfile.ZipFile(buffer), None, plain=True)


def _has_ooxml_workbook(archive: zipfile.ZipFile) -> bool:
    try:
        return b"spreadsheetml" in archive.read("[Content_Types].xml")
    except KeyError:
        return False


def _resolve(folder: PurePosixPath, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (folder / target).parts:
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def listed_sheets(workbook: str) -> list[tuple[str, str, str]]:
    """Return ``(name, sheetId, r:id)`` for each sheet of workbook.xml, in order."""
    root = ElementTree.fromstring(workbook)
    out = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            out.append(
                (
                    element.get("name", ""),
                    element.get("sheetId", "0"),
                    element.get(f"{{{REL_NS}}}id", ""),
                )
            )
    if not out:
        raise InputError("The workbook lists no sheets; save it again in Excel.")
    return out


def relationship_targets(rels: str) -> dict[str, str]:
    """Return ``{id: target}`` of a relationships part."""
    return {r.get("Id", ""): r.get("Target", "") for r in ElementTree.fromstring(rels)}


def _rel_type(rels: str, rid: str) -> str:
    for rel in ElementTree.fromstring(rels):
        if rel.get("Id") == rid:
            return rel.get("Type", "")
    return ""


class Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


class BackgroundWriter:
    """Passes writes to ``dst`` on to a second thread, in order.

    Compressing a megabyte of the data sheet runs (without holding the interpreter lock) while
    the next megabyte is being edited, so the two overlap on a machine with two cores. The
    bytes written are the same as writing directly.
    """

    def __init__(self, dst: IO[bytes], depth: int = 4) -> None:
        self._dst = dst
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="annotate-writer", daemon=True)

    def __enter__(self) -> BackgroundWriter:
        self._thread.start()
        return self

    def __exit__(self, kind: object, exc: object, traceback: object) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and kind is None:
            raise self._error

    def _work(self) -> None:
        while True:
            data = self._queue.get()
            if data is None:
                return
            if self._error is None:
                try:
                    self._dst.write(data)
                except BaseException as error:  # handed to the writing thread
                    self._error = error

    def write(self, data: bytes) -> int:
        if self._error is not None:
            raise self._error
        self._queue.put(data)
        return len(data)


def unused_id(rels: str) -> str:
    """Return a relationship id that ``rels`` does not use yet."""
    taken = set(relationship_targets(rels))
    number = len(taken) + 1
    while f"rId{number}" in taken:
        number += 1
    return f"rId{number}"


def add_content_type(text: str, part: str, content_type: str = WORKSHEET_CT) -> str:
    """Return ``[Content_Types].xml`` with ``part`` (a worksheet unless said) added."""
    override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
    return insert_before_close(text, "Types", override)


def add_relationship(
    text: str, rid: str, part: str, workbook_path: str, kind: str = WORKSHEET_TYPE
) -> str:
    """Return the workbook's relationships (the workbook part is ``workbook_path``) with ``rid``
    pointing at ``part`` (a worksheet unless ``kind`` says otherwise)."""
    folder = PurePosixPath(workbook_path).parent
    target = str(PurePosixPath(part).relative_to(folder))
    rel = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
    return insert_before_close(text, "Relationships", rel)


def add_sheet(
    text: str, rid: str, sheets: list[tuple[str, str, str]], name: str = CHECK_SHEET
) -> str:
    """Return workbook.xml with the sheet ``name`` (the check sheet unless said) added last to
    its sheet list (``sheets``: those it lists, see :func:`listed_sheets`)."""
    sheet_id = max(int(s[1]) for s in sheets) + 1
    prefix = prefix_of(text, "sheets")
    rel_prefix = _prefix_in_scope(text, REL_NS, ("workbook", "sheets"))
    if rel_prefix is None:  # declared where it is used, as older writers do on each <sheet>
        rid_attr = f'r:id="{rid}" xmlns:r="{REL_NS}"'
    else:
        rid_attr = f'{rel_prefix}:id="{rid}"'
    element = f'<{prefix}sheet name={quoteattr(name)} sheetId="{sheet_id}" {rid_attr}/>'
    return insert_before_close(text, f"{prefix}sheets", element)


def _prefix_in_scope(text: str, namespace: str, ancestors: Sequence[str]) -> str | None:
    """Return a prefix bound to ``namespace`` on the start tags of ``ancestors``, or None.

    Only those elements' declarations reach a new child of the last one: a prefix declared on a
    sibling (such as each ``<sheet>``) is not in scope there.
    """
    bound: dict[str, str] = {}
    for local in ancestors:  # outermost first: an inner declaration wins
        tag = re.search(rf"<(?:\w+:)?{local}(?=[\s>/])[^>]*>", text)
        if tag is not None:
            for name, _, uri in re.findall(r'\sxmlns:(\w+)\s*=\s*(["\'])(.*?)\2', tag.group(0)):
                bound[name] = uri
    return next((name for name, uri in bound.items() if uri == namespace), None)


# --- a plain package for input that has none ----------------------------------------------------


def write_plain_package(table: Table, handle: io.BytesIO) -> None:
    """Write a one-sheet workbook with the table's values (used for CSV input)."""
    title = (table.sheet or "Sheet1")[:31]
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{WORKSHEET_CT}"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><bookViews><workbookView/>'
            f'</bookViews><sheets><sheet name={quoteattr(title)} sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{WORKSHEET_TYPE}" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="11"/>'
            '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
            'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" '
            'fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle '
            'name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/></styleSheet>'
        ),
    }
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            out.write(
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetData>'
            )
            for number, row in _numbered_rows(table):
                cells = "".join(
                    cell_xml("", c, number, v, None)
                    for c, v in enumerate(row)
                    if v not in (None, "")
                )
                if cells:
                    out.write(f'<row r="{number}">{cells}</row>')
            out.write("</sheetData></worksheet>")
            out.flush()
            out.detach()


def _numbered_rows(table: Table) -> Iterator[tuple[int, Sequence[Cell]]]:
    yield table.header_row, table.headers
    for index, row in enumerate(table.rows):
        yield table.sheet_row(index), row
