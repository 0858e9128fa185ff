"""Write an annotated copy of a workbook: live flags, an App ID list and a check sheet.

The copy is made at the package level, not by loading the workbook into memory: every part of
the original file (other sheets, charts, images, pivot tables, macros, shared strings) is copied
unchanged, and only what must change is edited:

- the data sheet: streamed row by row; App Link cells that a fill changed are written, cells of
  the id and URL columns get the Text number format, missing App Link headers are added after the
  last used column; in its head the header row is frozen and column widths are set (where the
  user had none); in its tail one ``conditionalFormatting`` element per rule and a
  ``dataValidation`` list are added, in the order the file format requires;
- ``xl/styles.xml``: the rules' colours (``dxf``) and Text copies of the cell formats used;
- the new sheet ``App Link Check``, its relationship and content type, and its place in the
  workbook (last, so the data sheet stays first: Cloze imports only the first sheet).

A CSV file (or a workbook format other than .xlsx/.xlsm) has no package to copy: a plain one is
built from the table first, and the user is told what it cannot carry over.

Everything read is parsed with defusedxml or matched as text; nothing is written to the input.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import io
import queue
import re
import shutil
import threading
import zipfile
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Protocol
from xml.sax.saxutils import escape, quoteattr

from defusedxml import ElementTree

from applinks.errors import InputError, UsageError
from applinks.headers import column_letter, map_headers
from applinks.issues import Report
from applinks.registry import Registry, load_registry
from applinks.rows import LazyRows, MappedRows
from applinks.rules import Rule, conditional_rules
from applinks.shape import MAX_COLUMNS, MAX_ROWS
from applinks.table import (
    APP_CONTENT_URL,
    APP_ID,
    APP_LINK_HEADERS,
    APP_NAME,
    APP_UNIQUE_ID,
    Cell,
    Table,
    cell_text,
)

from .atomic import atomic_writer, check_output

if TYPE_CHECKING:
    from applinks.passes import RowSink

CHECK_SHEET = "App Link Check"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_TYPE = REL_NS + "/worksheet"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
MACRO_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
TEXT_FORMAT = 49  # the built-in "@" (Text) number format
#: Rows the rules and the App ID list cover below the data, so rows typed later are flagged too.
MARGIN_ROWS = 1000
#: Columns that hold ids and links: stored as text so Excel never rounds or reformats them.
TEXT_COLUMNS = (APP_ID, APP_UNIQUE_ID, APP_CONTENT_URL)
WIDTHS = {APP_ID: 18, APP_UNIQUE_ID: 22, APP_NAME: 16, APP_CONTENT_URL: 48}
CHUNK = 1 << 20
#: Deflate level of the data sheet: level 3 takes half the time of the default (6) on a long
#: sheet, for a part about 12% larger.
SHEET_COMPRESSLEVEL = 3

# Parts that cannot be carried over when there is no package to copy (CSV, .xls, .ods, .xlsb).
_SHEET_ORDER_AFTER_CF = (
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)
_STYLES_AFTER_DXFS = ("tableStyles", "colors", "extLst")


@dataclass
class AnnotateResult:
    """What was written: the path, how many rules and issues, and notes for the user."""

    path: Path
    rules: list[Rule]
    issues: int
    notes: list[str] = field(default_factory=list)


def write_annotated(
    source: Path,
    table: Table,
    report: Report,
    output: Path,
    *,
    prepared: Table | None = None,
    force: bool = False,
    registry: Registry | None = None,
    say: Callable[[str], None] | None = None,
    recorder: LinkRecorder | None = None,
    name_column: str | None = None,
) -> AnnotateResult:
    """Write a copy of ``source`` with the flags, the App ID list and the check sheet.

    Args:
        source: the workbook (or CSV) that ``table`` was read from; never written to.
        table: the sheet as read (``table.sheet`` names it in a workbook).
        report: the check of ``prepared`` (or of ``table``), listed on the check sheet.
        output: the ``.xlsx`` (``.xlsm`` for a workbook with macros) to write.
        prepared: the table after insert/fill (same rows); App Link cells whose value differs
            from ``table`` are written, missing App Link columns are added.
        say: called with each note for the user (what cannot be carried over) before writing.
        recorder: what the prepare that made ``prepared`` recorded of its App Link cells (then
            the prepared rows are not walked again); when it does not fit, they are walked.
        name_column: the column of the records' names when it is not headed "Name" (the
            name-missing flag covers it).

    Raises:
        UsageError: the output is the input, has the wrong extension, or the workbook already
            has an ``App Link Check`` sheet.
        OutputExistsError: ``output`` exists and ``force`` is False.
        InputError: the workbook's parts cannot be read.
    """
    check_output(output, force=force, inputs=(source,))
    registry = registry or load_registry()
    notes: list[str] = []
    package = _open_package(source, table, prepared, notes)
    macros = package.macro_enabled
    wanted = ".xlsm" if macros else ".xlsx"
    if output.suffix.lower() != wanted:
        kind = "has macros" if macros else "has no macros"
        raise UsageError(
            f'"{source.name}" {kind}, so the annotated copy must end in {wanted}; '
            f'for example "{output.with_suffix(wanted).name}".'
        )
    for note in notes:
        if say is not None:
            say(note)
    with package:
        if package.plain:  # built from the final table: nothing left to change in it
            table, prepared = prepared or table, None
        plan = _plan(package, table, prepared, report, registry, recorder, name_column)
        with atomic_writer(output) as handle:
            _write_package(package, plan, handle)
    return AnnotateResult(output, plan.rules, len(report.issues), notes)


# --- reading the package ------------------------------------------------------------------------


class _Package:
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
        self.sheets = _sheets(self.workbook)
        if any(name == CHECK_SHEET for name, _, _ in self.sheets):
            raise UsageError(
                f'The workbook already has a sheet named "{CHECK_SHEET}"; annotate the original '
                "workbook, or delete that sheet and save first."
            )
        targets = _relationship_targets(self.rels)
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

    def __enter__(self) -> _Package:
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


def _open_package(source: Path, table: Table, prepared: Table | None, notes: list[str]) -> _Package:
    if zipfile.is_zipfile(source):
        archive = zipfile.ZipFile(source)
        if "xl/workbook.xml" in archive.namelist() or _has_ooxml_workbook(archive):
            return _Package(archive, table.sheet)
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
    _write_plain_package(prepared or table, buffer)
    buffer.seek(0)
    return _Package(zipfile.ZipFile(buffer), None, plain=True)


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


def _sheets(workbook: str) -> list[tuple[str, str, str]]:
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


def _relationship_targets(rels: str) -> dict[str, str]:
    return {r.get("Id", ""): r.get("Target", "") for r in ElementTree.fromstring(rels)}


def _rel_type(rels: str, rid: str) -> str:
    for rel in ElementTree.fromstring(rels):
        if rel.get("Id") == rid:
            return rel.get("Type", "")
    return ""


# --- planning -----------------------------------------------------------------------------------


class _Keep:
    """The marker for an App Link cell the prepare left as it was (nothing to write)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


@dataclass
class Changes:
    """The App Link cells to write: for each sheet column, one entry per data row.

    ``columns`` holds ``(0-based sheet column, values)``; ``values[index]`` is the new value of
    data row ``index`` (sheet row ``first_row + index``), or :data:`KEEP` when it is unchanged.
    One list per column keeps a million rows compact (no dictionary per row).
    """

    first_row: int
    rows: int
    columns: list[tuple[int, list[Cell | _Keep]]] = field(default_factory=list)

    def at(self, number: int) -> dict[int, Cell]:
        """Return ``{0-based column: new value}`` for sheet row ``number`` (empty: unchanged)."""
        index = number - self.first_row
        if not 0 <= index < self.rows:
            return {}
        out: dict[int, Cell] = {}
        for position, values in self.columns:
            value = values[index]
            if value is not KEEP:
                out[position] = value  # type: ignore[assignment]
        return out

    def changed_rows(self, after: int, before: int) -> Iterator[int]:
        """Yield the sheet rows ``after < number < before`` that have a change, in order."""
        start = max(after + 1, self.first_row) - self.first_row
        stop = min(before - self.first_row, self.rows)
        columns = [values for _, values in self.columns]
        for index in range(start, stop):
            if any(values[index] is not KEEP for values in columns):
                yield self.first_row + index

    def as_dict(self) -> dict[int, dict[int, Cell]]:
        """Return ``{sheet row: {0-based column: new value}}`` (for tests and small sheets)."""
        out: dict[int, dict[int, Cell]] = {}
        for number in self.changed_rows(0, self.first_row + self.rows):
            out[number] = self.at(number)
        return out


@dataclass
class _Layout:
    """Where the App Link columns are in the sheet and in the prepared table."""

    headers: list[str]  # final header row (original plus appended App Link headers)
    appended: list[tuple[int, str]]  # (0-based position, header) added after the last column
    pairs: list[tuple[int, int]]  # (position in the prepared rows, sheet column) per header


def _layout(original: Sequence[str], prepared: Sequence[str]) -> _Layout:
    headers = list(original)
    while headers and not headers[-1]:
        headers.pop()
    found = map_headers(headers).positions
    after = map_headers(list(prepared)).positions
    appended: list[tuple[int, str]] = []
    for header in APP_LINK_HEADERS:
        if header not in found and header in after:
            found[header] = len(headers)
            appended.append((len(headers), header))
            headers.append(header)
    pairs = [(after[h], found[h]) for h in APP_LINK_HEADERS if h in after and h in found]
    return _Layout(headers, appended, pairs)


def _changed(new: Cell, old: Cell) -> bool:
    return new != old and not (new in ("", None) and old in ("", None))


def _walk_changes(table: Table, prepared: Table, layout: _Layout) -> Changes:
    """Compare every prepared row with the sheet's row: one pass over both.

    The sheet's rows are read again only when App Link values may already be in them. (A fill
    may write into the rows it is given: rows read on demand are made afresh for each pass, so
    the sheet's values are still the sheet's. :class:`LinkRecorder` needs no second pass.)
    """
    width = table.width
    changes = Changes(table.header_row + 1, len(table.rows))
    outs: list[list[Cell | _Keep]] = [[] for _ in layout.pairs]
    changes.columns = [(old, out) for (_, old), out in zip(layout.pairs, outs, strict=True)]
    wanted = [old if old < width else None for _, old in layout.pairs]
    originals: Iterator[Sequence[Cell]] = (
        iter(table.rows) if any(p is not None for p in wanted) else repeat(())
    )
    made = iter(prepared.rows)
    for original in originals:
        olds = [original[p] if p is not None and p < len(original) else None for p in wanted]
        row = next(made, None)
        if row is None:
            break
        for (new_pos, _), old, out in zip(layout.pairs, olds, outs, strict=True):
            new = row[new_pos] if new_pos < len(row) else None
            out.append(new if _changed(new, old) else KEEP)
    return changes


class LinkRecorder:
    """Records the App Link cells a prepare changes, during the prepare's own pass over the rows.

    The annotated workbook then needs no pass of its own over the prepared rows. Prepare
    :attr:`table` (not the table given) with this recorder as the row sink; it passes every row
    on to ``sink``. Only when the sheet has cells where App Link values go (columns that already
    exist) are those cells noted as the rows are read, to compare them with the prepared ones.
    """

    def __init__(self, table: Table, sink: RowSink | None = None) -> None:
        self.source = table
        self._sink = sink
        self._layout: _Layout | None = None
        self._outs: list[list[Cell | _Keep]] = []
        self._olds: list[list[Cell] | None] = []
        self._plain: list[tuple[int, list[Cell | _Keep]]] = []
        self.count = 0
        headers = list(table.headers)
        while headers and not headers[-1]:
            headers.pop()
        # Where old values may be: App Link columns the sheet has, and the columns after the
        # last header where missing ones are appended (only inside the table's width).
        found = map_headers(headers).positions
        candidates = {found[h] for h in APP_LINK_HEADERS if h in found} | {
            len(headers) + n for n in range(len(APP_LINK_HEADERS))
        }
        self._watched = sorted(p for p in candidates if p < table.width)
        self._seen: dict[int, list[Cell]] = {p: [] for p in self._watched}
        self.table = table
        if self._watched:
            rows = table.rows
            if isinstance(rows, LazyRows):
                rows = MappedRows(rows, self._start)
            else:
                note = self._note
                for index, row in enumerate(rows):
                    note(index, row)
            self.table = dataclasses.replace(table, rows=rows, notes=list(table.notes))

    def _start(self) -> tuple[Callable[[int, list[Cell]], list[Cell]], Callable[[], None]]:
        return self._note, _nothing

    def _note(self, index: int, row: list[Cell]) -> list[Cell]:
        for position, seen in self._seen.items():
            value = row[position] if position < len(row) else None
            if index < len(seen):
                seen[index] = value
            else:
                seen.append(value)
        return row

    def begin(
        self,
        headers: Sequence[str],
        *,
        leave_out: Collection[int] = (),
        name_column: str | None = None,
    ) -> None:
        self._layout = _layout(self.source.headers, headers)
        self._outs = [[] for _ in self._layout.pairs]
        self._olds = [self._seen.get(old) for _, old in self._layout.pairs]
        # No cells where the values go (the usual case): a value is new unless it is blank.
        self._plain = (
            [(new, out) for (new, _), out in zip(self._layout.pairs, self._outs, strict=True)]
            if all(olds is None for olds in self._olds)
            else []
        )
        self.count = 0
        if self._sink is not None:
            self._sink.begin(headers, leave_out=leave_out, name_column=name_column)

    def rows(self, rows: Sequence[Sequence[Cell]]) -> None:
        """Note the App Link values of a block of prepared rows, then pass the block on."""
        assert self._layout is not None, "begin() comes first"
        start = self.count
        if self._plain:
            short = min(map(len, rows), default=0) <= max(p for p, _ in self._plain)
            for new_pos, out in self._plain:
                column = (
                    [row[new_pos] if new_pos < len(row) else None for row in rows]
                    if short
                    else list(map(itemgetter(new_pos), rows))
                )
                out.extend([KEEP if v is None or v == "" else v for v in column])
        else:
            for index, row in enumerate(rows, start):
                size = len(row)
                for (new_pos, _), out, olds in zip(
                    self._layout.pairs, self._outs, self._olds, strict=True
                ):
                    new = row[new_pos] if new_pos < size else None
                    old = olds[index] if olds is not None and index < len(olds) else None
                    out.append(new if _changed(new, old) else KEEP)
        self.count = start + len(rows)
        if self._sink is not None:
            self._sink.rows(rows)

    def changes(self, table: Table, prepared: Table) -> Changes | None:
        """Return what was recorded, or None when it does not cover these tables' rows."""
        layout = self._layout
        if layout is None or self.count != len(table.rows):
            return None
        if layout != _layout(table.headers, prepared.headers):
            return None
        changes = Changes(table.header_row + 1, self.count)
        changes.columns = [
            (old, out) for (_, old), out in zip(layout.pairs, self._outs, strict=True)
        ]
        return changes


def _nothing() -> None:
    return None


@dataclass
class _Plan:
    headers: list[str]  # final header row (original plus appended App Link headers)
    appended: list[tuple[int, str]]  # (0-based position, header) added after the last column
    header_row: int
    rows: int
    last_row: int  # last row the rules and validation cover
    changes: Changes  # the App Link cells to write
    text_columns: set[int]  # 0-based columns stored as text
    rules: list[Rule]
    report: Report
    app_ids: list[str]
    app_id_column: int | None


def _plan(
    package: _Package,
    table: Table,
    prepared: Table | None,
    report: Report,
    registry: Registry,
    recorder: LinkRecorder | None = None,
    name_column: str | None = None,
) -> _Plan:
    layout = _layout(table.headers, prepared.headers if prepared is not None else [])
    headers = layout.headers
    changes = Changes(table.header_row + 1, 0)
    if prepared is not None:
        if len(prepared.rows) != len(table.rows):
            raise UsageError("The prepared table has a different number of rows than the sheet.")
        recorded = recorder.changes(table, prepared) if recorder is not None else None
        changes = recorded if recorded is not None else _walk_changes(table, prepared, layout)
    first_row = table.header_row + 1
    last_data = table.header_row + len(table.rows)
    last_row = min(MAX_ROWS, max(last_data, first_row) + MARGIN_ROWS)
    rules = conditional_rules(
        headers, first_row=first_row, last_row=last_row, name_column=name_column
    )
    final = map_headers(headers).positions
    return _Plan(
        headers=headers,
        appended=layout.appended,
        header_row=table.header_row,
        rows=len(table.rows),
        last_row=last_row,
        changes=changes,
        text_columns={final[h] for h in TEXT_COLUMNS if h in final},
        rules=rules,
        report=report,
        app_ids=registry.app_ids(),
        app_id_column=final.get(APP_ID),
    )


# --- writing ------------------------------------------------------------------------------------


def _write_package(package: _Package, plan: _Plan, handle: IO[bytes]) -> None:
    archive = package.archive
    used = set(package.names)
    number = 1
    while f"xl/worksheets/sheet{number}.xml" in used:
        number += 1
    check_part = f"xl/worksheets/sheet{number}.xml"
    rid = _unused_id(package.rels)
    styles = _Styles(package.read_text(package.styles_path) if package.styles_path else None)
    dxf_ids: dict[tuple[str, str], int] = {}
    for rule in plan.rules:
        key = (rule.fill_color, rule.font_color)
        if key not in dxf_ids:
            dxf_ids[key] = styles.dxf(*key)
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
        for info in archive.infolist():
            name = info.filename
            if name == package.styles_path:
                continue  # written last: the data sheet decides which Text formats it needs
            target = zipfile.ZipInfo(name, date_time=info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            target.external_attr = info.external_attr
            if name == "[Content_Types].xml":
                out.writestr(target, _add_content_type(package.content_types, check_part))
            elif name == package.workbook_path:
                out.writestr(target, _add_sheet(package.workbook, rid, package.sheets))
            elif name == package.rels_path:
                out.writestr(target, _add_relationship(package.rels, rid, check_part, package))
            elif name == package.sheet_path:
                # The big part: a faster deflate level costs about an eighth more bytes.
                target._compresslevel = SHEET_COMPRESSLEVEL  # type: ignore[attr-defined]
                with (
                    archive.open(info) as src,
                    out.open(target, "w", force_zip64=True) as dst,
                    _BackgroundWriter(dst) as background,
                ):
                    _SheetEditor(plan, styles, dxf_ids, package.sheet_title).run(src, background)
            else:
                with archive.open(info) as src, out.open(target, "w", force_zip64=True) as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
        with out.open(check_part, "w", force_zip64=True) as dst:
            _write_check_sheet(plan, package.sheet_title, dst)
        if package.styles_path is not None:
            out.writestr(package.styles_path, styles.text())


class _Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


class _BackgroundWriter:
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

    def __enter__(self) -> _BackgroundWriter:
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


def _unused_id(rels: str) -> str:
    taken = set(_relationship_targets(rels))
    number = len(taken) + 1
    while f"rId{number}" in taken:
        number += 1
    return f"rId{number}"


def _add_content_type(text: str, part: str) -> str:
    override = f'<Override PartName="/{part}" ContentType="{WORKSHEET_CT}"/>'
    return _insert_before_close(text, "Types", override)


def _add_relationship(text: str, rid: str, part: str, package: _Package) -> str:
    folder = PurePosixPath(package.workbook_path).parent
    target = str(PurePosixPath(part).relative_to(folder))
    rel = f'<Relationship Id="{rid}" Type="{WORKSHEET_TYPE}" Target="{target}"/>'
    return _insert_before_close(text, "Relationships", rel)


def _add_sheet(text: str, rid: str, sheets: list[tuple[str, str, str]]) -> str:
    sheet_id = max(int(s[1]) for s in sheets) + 1
    prefix = _prefix(text, "sheets")
    rel_prefix = next(
        (m.group(1) for m in re.finditer(r'xmlns:(\w+)="([^"]+)"', text) if m.group(2) == REL_NS),
        None,
    )
    if rel_prefix is None:
        rid_attr = f'r:id="{rid}" xmlns:r="{REL_NS}"'
    else:
        rid_attr = f'{rel_prefix}:id="{rid}"'
    element = f'<{prefix}sheet name="{CHECK_SHEET}" sheetId="{sheet_id}" {rid_attr}/>'
    return _insert_before_close(text, f"{prefix}sheets", element)


def _prefix(text: str, local: str) -> str:
    match = re.search(rf"<(\w+:)?{local}[\s>/]", text)
    return match.group(1) or "" if match else ""


def _insert_before_close(text: str, tag: str, insert: str) -> str:
    close = f"</{tag}>"
    at = text.rfind(close)
    if at < 0:  # a self-closing element such as <sheets/>
        match = re.search(rf"<{re.escape(tag)}(\s[^>]*)?/>", text)
        if not match:
            raise InputError(f"The workbook part with <{tag}> is damaged; save it again in Excel.")
        opened = match.group(0)[:-2] + ">"
        return text[: match.start()] + opened + insert + close + text[match.end() :]
    return text[:at] + insert + text[at:]


def _insert_before_first(
    text: str, prefix: str, tags: Sequence[str], insert: str, end: str | None = None
) -> str:
    """Insert before the first top-level element among ``tags``, else before ``end`` (or last)."""
    best = -1
    for tag in tags:
        match = re.search(rf"<{prefix}{tag}[\s>/]", text)
        if match and (best < 0 or match.start() < best):
            best = match.start()
    if best < 0:
        best = len(text) if end is None else text.rfind(end)
    return text[:best] + insert + text[best:]


def _argb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


class _Styles:
    """Edits of styles.xml as text, so every namespace and extension is kept as it was."""

    def __init__(self, text: str | None) -> None:
        self.original = text
        self.new_dxfs: list[str] = []
        self.dxf_base = 0
        self.xf_base = 0
        self.xf_texts: list[str] = []
        self.clones: dict[int, int] = {}
        if text is None:
            return
        self.prefix = _prefix(text, "styleSheet")
        dxfs = re.search(rf"<{self.prefix}dxfs\b[^>]*?(/>|>(.*?)</{self.prefix}dxfs>)", text, re.S)
        if dxfs and dxfs.group(2):
            self.dxf_base = len(re.findall(rf"<{self.prefix}dxf[\s>/]", dxfs.group(2)))
        xfs = re.search(rf"<{self.prefix}cellXfs\b[^>]*>(.*?)</{self.prefix}cellXfs>", text, re.S)
        if xfs:
            self.xf_texts = re.findall(
                rf"<{self.prefix}xf\b[^>]*?(?:/>|>.*?</{self.prefix}xf>)", xfs.group(1), re.S
            )
        self.xf_base = len(self.xf_texts)

    def dxf(self, fill: str, font: str) -> int:
        p = "" if self.original is None else self.prefix
        self.new_dxfs.append(
            f'<{p}dxf><{p}font><{p}color rgb="{_argb(font)}"/></{p}font><{p}fill><{p}patternFill>'
            f'<{p}bgColor rgb="{_argb(fill)}"/></{p}patternFill></{p}fill></{p}dxf>'
        )
        return self.dxf_base + len(self.new_dxfs) - 1

    def text_style(self, style: int) -> int | None:
        """Return the index of a Text copy of cell format ``style`` (None: no styles part)."""
        if self.original is None or not self.xf_texts:
            return None
        if style in self.clones:
            return self.clones[style]
        if style >= self.xf_base:
            style = 0
        if 'numFmtId="49"' in self.xf_texts[style]:
            self.clones[style] = style
            return style
        self.clones[style] = self.xf_base + len(self.clones)
        return self.clones[style]

    def text(self) -> str:
        text = self.original or ""
        p = self.prefix
        clones = [s for s, c in sorted(self.clones.items(), key=lambda kv: kv[1]) if c != s]
        if clones:
            copies = "".join(_text_xf(self.xf_texts[s]) for s in clones)
            text = _insert_before_close(text, f"{p}cellXfs", copies)
            text = _set_count(text, f"{p}cellXfs", self.xf_base + len(clones))
        if self.new_dxfs:
            if re.search(rf"<{p}dxfs[\s>/]", text):
                text = _insert_before_close(text, f"{p}dxfs", "".join(self.new_dxfs))
            else:
                text = _insert_before_first(
                    text,
                    p,
                    _STYLES_AFTER_DXFS,
                    f'<{p}dxfs count="0"></{p}dxfs>',
                    f"</{p}styleSheet>",
                )
                text = _insert_before_close(text, f"{p}dxfs", "".join(self.new_dxfs))
            text = _set_count(text, f"{p}dxfs", self.dxf_base + len(self.new_dxfs))
        return text


def _text_xf(xf: str) -> str:
    """Return a copy of a ``<xf>`` cell format with the Text number format."""
    end = xf.find(">")
    self_closing = xf[end - 1] == "/"
    head = xf[: end - 1] if self_closing else xf[:end]
    head = re.sub(r'\s(numFmtId|applyNumberFormat)="[^"]*"', "", head).rstrip()
    head += f' numFmtId="{TEXT_FORMAT}" applyNumberFormat="1"'
    return head + ("/>" if self_closing else xf[end:])


def _set_count(text: str, tag: str, count: int) -> str:
    match = re.search(rf"<{tag}\b[^>]*>", text)
    if not match:
        return text
    opening = match.group(0)
    if re.search(r'\scount="\d+"', opening):
        new = re.sub(r'\scount="\d+"', f' count="{count}"', opening)
    else:
        new = opening[: len(tag) + 1] + f' count="{count}"' + opening[len(tag) + 1 :]
    return text[: match.start()] + new + text[match.end() :]


# --- the data sheet -----------------------------------------------------------------------------

_SHEETDATA_START = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")
_ROW_TEXT = re.compile(r"<(?:\w+:)?row\b[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.S)
_SHEETDATA_END_TEXT = re.compile(r"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\b[^>]*/>")
_ROW_NUMBER = re.compile(r'\sr="(\d+)"')
_CELL_REF = re.compile(r'\sr="([A-Z]+)\d+"')
_CELL_STYLE = re.compile(r'\ss="(\d+)"')
#: What may follow ``<row`` in a row's start tag (``\b`` in :data:`_ROW_TEXT`).
_ROW_NAME_END = frozenset(" \t\r\n/>")
_SPANS = re.compile(r'\sspans="[^"]*"')
#: Whitespace between elements: such a row is rebuilt cell by cell, as before.
_GAP = re.compile(r">\s+<")
#: One more than the last column a sheet can have (XFD).


def _first(pair: tuple[int, Cell]) -> int:
    return pair[0]


class _SheetEditor:
    """Stream the data sheet: edit the head, then each row, then the tail."""

    def __init__(self, plan: _Plan, styles: _Styles, dxf_ids: dict, title: str) -> None:
        self.plan = plan
        self.styles = styles
        self.dxf_ids = dxf_ids
        self.title = title
        self.use_prefix("")
        self.new_attrs: dict[int, str] = {}  # style attribute of new App Link cells, by column
        self.letters: dict[int, str] = {}
        self.tails: dict[int, tuple[Cell, str]] = {}  # the last new cell made in each column
        self.done = plan.header_row  # changed rows up to here have been written
        changes = plan.changes
        self.change_columns = changes.columns
        self.first_row = changes.first_row
        self.last_index = changes.rows
        # A row whose cells all lie left of these columns only gains the new App Link cells.
        special = [p for p, _ in changes.columns] + list(plan.text_columns)
        positions = [p for p, _ in changes.columns]
        self.in_order = positions == sorted(positions)
        self.first_special = min(special, default=MAX_COLUMNS)

    def use_prefix(self, p: str) -> None:
        """Match the sheet's elements with namespace prefix ``p`` (such as ``x:``, or none)."""
        self.prefix = p
        self.cell_re = re.compile(rf"<{p}c\b[^>]*?(?:/>|>.*?</{p}c>)", re.S)
        self.ref_re = re.compile(rf"<{p}c\b[^>]*?\sr=\"([A-Z]+)\d+\"")
        self.open_cell_re = re.compile(rf"<{p}c(\s[^>]*?)?(/?)>")
        self.row_open, self.row_close = f"<{p}row", f"</{p}row>"
        self.cell_open = f"<{p}c "

    def run(self, src: IO[bytes], dst: _Writable) -> None:
        buffer = b""
        while True:
            match = _SHEETDATA_START.search(buffer)
            if match:
                break
            chunk = src.read(CHUNK)
            if not chunk:
                raise InputError(
                    "The data sheet of the workbook is damaged; save it again in Excel."
                )
            buffer += chunk
        head = buffer[: match.start()].decode("utf-8")
        self.use_prefix(_prefix(head, "worksheet"))
        p = self.prefix
        dst.write(self._edit_head(head).encode("utf-8"))
        dst.write(f"<{p}sheetData>".encode())
        rest = buffer[match.end() :]
        if match.group(1) == b"/":  # <sheetData/>: no rows at all
            dst.write(self._pending_rows(MAX_ROWS + 1).encode("utf-8"))
            tail = rest + src.read()
        else:
            tail = self._rows(rest, src, dst)
        dst.write(f"</{p}sheetData>".encode())
        dst.write(self._edit_tail(tail.decode("utf-8")).encode("utf-8"))

    # rows

    def _rows(self, buffer: bytes, src: IO[bytes], dst: _Writable) -> bytes:
        decoder = codecs.getincrementaldecoder("utf-8")()
        text = decoder.decode(buffer)
        header_row = self.plan.header_row
        position = 0
        next_row = 1
        out: list[str] = []
        size = 0
        next_row_xml = self._next_row
        end_search = _SHEETDATA_END_TEXT.search
        edit_data_row = self._edit_data_row
        while True:
            found = next_row_xml(text, position)
            if found is not None:
                row_xml, position = found
                number = _row_number_text(row_xml, next_row)
                next_row = number + 1
                if number > self.done + 1:
                    out.append(self._pending_rows(number))
                if number > header_row:
                    out.append(edit_data_row(row_xml, number))
                    if number > self.done:
                        self.done = number
                elif number == header_row:
                    out.append(self._edit_row(row_xml, number))
                else:
                    out.append(row_xml)
                size += len(row_xml)
                if size > CHUNK:  # write in large pieces: one compress call per megabyte
                    dst.write("".join(out).encode("utf-8"))
                    out, size = [], 0
                continue
            end = end_search(text, position)
            if end is not None:
                out.append(self._pending_rows(MAX_ROWS + 1))
                dst.write("".join(out).encode("utf-8"))
                return (text[end.end() :] + decoder.decode(b"", final=True)).encode("utf-8")
            chunk = src.read(CHUNK)
            if not chunk:
                raise InputError(
                    "The data sheet of the workbook is damaged; save it again in Excel."
                )
            text = text[position:] + decoder.decode(chunk)
            position = 0

    def _next_row(self, text: str, position: int) -> tuple[str, int] | None:
        """Return the next ``<row>`` element of sheetData at ``position`` and where it ends.

        None when there is no complete row there (the end of sheetData, or more text is
        needed). A row that starts right at ``position`` (rows follow one another with nothing
        between them) is found with plain string searches; anything else with the pattern.
        """
        opening = self.row_open
        if text.startswith(opening, position):
            after = position + len(opening)
            if after < len(text) and text[after] in _ROW_NAME_END:
                close = text.find(">", after)
                if close >= 0 and text[close - 1] == "/":
                    return text[position : close + 1], close + 1
                end = text.find(self.row_close, close) if close >= 0 else -1
                if end >= 0:
                    end += len(self.row_close)
                    return text[position:end], end
        match = _ROW_TEXT.search(text, position)
        if match and text.find("sheetData", position, match.start()) < 0:
            return match.group(0), match.end()
        return None

    def _pending_rows(self, before: int) -> str:
        """Return new rows for changed rows that the sheet has no <row> for, before ``before``."""
        out = []
        for number in self.plan.changes.changed_rows(self.done, before):
            out.append(self._edit_row(f'<{self.prefix}row r="{number}"/>', number))
        self.done = max(self.done, min(before - 1, self.first_row + self.last_index))
        return "".join(out)

    def _edit_data_row(self, row: str, number: int) -> str:
        """Edit a data row; a row that only gains App Link cells after its last cell is fast."""
        index = number - self.first_row
        new: list[tuple[int, Cell]] = []
        if index < self.last_index:
            for position, values in self.change_columns:
                value = values[index]
                if value is not KEEP:
                    new.append((position, value))  # type: ignore[arg-type]
        if not new and not self.plan.text_columns:
            return row
        opening_end = row.find(">")
        closed = row[opening_end - 1] == "/"
        body_end = opening_end + 1 if closed else row.rfind("</")
        if body_end > opening_end + 1:  # the row has cells: are they all left of ours?
            start = row.rfind(self.cell_open, opening_end, body_end)
            ref = _CELL_REF.search(row, start, row.find(">", start)) if start >= 0 else None
            if (
                ref is None
                or _column_index(ref.group(1)) >= self.first_special
                or _GAP.search(row, opening_end, body_end) is not None
                or row.find("extLst", opening_end, body_end) >= 0
            ):
                return self._edit_row(row, number, dict(new))
        if not new:
            return row  # no cell in a text column, nothing to add
        # As the general path would: every cell kept as it is, the new ones added after them.
        p = self.prefix
        if len(new) > 1 and not self.in_order:
            new.sort(key=_first)
        tails = self.tails
        cells = []
        for position, value in new:
            last = tails.get(position)
            if last is None or last[0] is not value:  # App ID and App Name repeat: made once
                last = tails[position] = (value, self._tail(position, value))
            cells.append(f'<{p}c r="{self.letters[position]}{number}"{last[1]}')
        opening = row[: opening_end + 1]
        if 'spans="' in opening or closed:
            opening = _SPANS.sub("", opening)
            if closed:
                opening = opening[:-2].rstrip() + ">"
            return f"{opening}{row[opening_end + 1 : body_end]}{''.join(cells)}</{p}row>"
        return f"{row[:body_end]}{''.join(cells)}</{p}row>"

    def _tail(self, position: int, value: Cell) -> str:
        """Return a new cell in ``position`` after its address; the first time, note its style."""
        attr = self.new_attrs.get(position)
        if attr is None:
            attr = ""
            if position in self.plan.text_columns:
                style = self.styles.text_style(0)  # asked when the cell is first made, as before
                if style is not None:
                    attr = f' s="{style}"'
            self.new_attrs[position] = attr
            self.letters[position] = column_letter(position)
        return _cell_tail(self.prefix, value, attr)

    def _edit_row(self, row: str, number: int, changes: dict[int, Cell] | None = None) -> str:
        plan = self.plan
        if changes is None:
            changes = plan.changes.at(number)
        header = number == plan.header_row and plan.appended
        restyle = number > plan.header_row and plan.text_columns
        if not (changes or header or restyle):
            return row
        if not (changes or header):
            return self._restyle(row)
        p = self.prefix
        opening_end = row.find(">")
        opening = row[: opening_end + 1]
        body = "" if opening.endswith("/>") else row[opening_end + 1 : row.rfind("</")]
        opening = _SPANS.sub("", opening)
        if opening.endswith("/>"):
            opening = opening[:-2].rstrip() + ">"
        cells: list[tuple[int, str]] = []
        column = 0
        ref_match = self.ref_re.match
        for cell in self.cell_re.findall(body):
            ref = ref_match(cell)
            column = _column_index(ref.group(1)) if ref else column
            cells.append((column, cell))
            column += 1
        by_column = dict(cells)
        if header:
            for position, text in plan.appended:
                by_column[position] = _cell(p, position, number, text, None)
        for position, value in changes.items():
            old = by_column.get(position)
            if old is not None and f"<{p}f" in old:
                continue  # a formula: keep it (the user's own calculation)
            style = _style_of(old) if old is not None else 0
            by_column[position] = _cell(p, position, number, value, style)
        if restyle:
            for position in plan.text_columns:
                cell = by_column.get(position)
                if cell is None:
                    continue
                text_style = self.styles.text_style(_style_of(cell))
                if text_style is not None:
                    by_column[position] = _with_style(cell, text_style)
        cells_xml = "".join(by_column[c] for c in sorted(by_column))
        return f"{opening}{cells_xml}</{p}row>"

    def _restyle(self, row: str) -> str:
        """Give the cells of the text columns a Text format, touching nothing else."""
        p = self.prefix
        column = [0]
        text_columns = self.plan.text_columns

        def swap(match: re.Match[str]) -> str:
            attrs = match.group(1) or ""
            ref = _CELL_REF.search(attrs)
            position = _column_index(ref.group(1)) if ref else column[0]
            column[0] = position + 1
            if position not in text_columns:
                return match.group(0)
            current = _CELL_STYLE.search(attrs)
            style = int(current.group(1)) if current else 0
            new = self.styles.text_style(style)
            if new is None or new == style:
                return match.group(0)
            if current:
                attrs = attrs[: current.start()] + f' s="{new}"' + attrs[current.end() :]
            else:
                attrs += f' s="{new}"'
            return f"<{p}c{attrs}{match.group(2)}>"

        return self.open_cell_re.sub(swap, row)

    # head and tail

    def _edit_head(self, head: str) -> str:
        p = self.prefix
        plan = self.plan
        dimension = re.search(rf'<{p}dimension\s+ref="([^"]*)"', head)
        if plan.appended and dimension:
            rows = re.findall(r"\d+", dimension.group(1))
            last = max([int(r) for r in rows] + [plan.header_row])
            ref = f"A1:{column_letter(len(plan.headers) - 1)}{last}"
            head = head[: dimension.start(1)] + ref + head[dimension.end(1) :]
        head = self._freeze(head)
        return self._columns(head)

    def _freeze(self, head: str) -> str:
        p = self.prefix
        if re.search(rf"<{p}pane[\s>/]", head):
            return head  # the user's own frozen panes or split stay as they are
        below = self.plan.header_row + 1
        pane = (
            f'<{p}pane ySplit="{below - 1}" topLeftCell="A{below}" activePane="bottomLeft" '
            f'state="frozen"/><{p}selection pane="bottomLeft" activeCell="A{below}" '
            f'sqref="A{below}"/>'
        )
        view = re.search(rf"<{p}sheetView\b[^>]*?(/?)>", head)
        if view is None:
            views = (
                f'<{p}sheetViews><{p}sheetView workbookViewId="0">{pane}</{p}sheetView>'
                f"</{p}sheetViews>"
            )
            return _insert_before_first(head, p, ("sheetFormatPr", "cols"), views)
        if view.group(1) == "/":
            opened = view.group(0)[:-2].rstrip() + ">"
            return head[: view.start()] + opened + pane + f"</{p}sheetView>" + head[view.end() :]
        close = head.find(f"</{p}sheetView>", view.end())
        inner = re.sub(rf"<{p}selection\b[^>]*/>", "", head[view.end() : close])
        return head[: view.end()] + pane + inner + head[close:]

    def _columns(self, head: str) -> str:
        p = self.prefix
        plan = self.plan
        found = map_headers(plan.headers).positions
        cols_match = re.search(rf"<{p}cols>(.*?)</{p}cols>", head, re.S)
        covered: list[tuple[int, int]] = []
        if cols_match:
            for element in re.findall(rf"<{p}col\b[^>]*>", cols_match.group(1)):
                low = re.search(r'\smin="(\d+)"', element)
                high = re.search(r'\smax="(\d+)"', element)
                if low and high:
                    covered.append((int(low.group(1)), int(high.group(1))))
        new = []
        for header in APP_LINK_HEADERS:
            position = found.get(header)
            if position is None or any(lo <= position + 1 <= hi for lo, hi in covered):
                continue
            style = ""
            if position in plan.text_columns:
                text_style = self.styles.text_style(0)
                if text_style is not None:
                    style = f' style="{text_style}"'
            new.append(
                (
                    position,
                    f'<{p}col min="{position + 1}" max="{position + 1}" '
                    f'width="{WIDTHS[header]}" customWidth="1"{style}/>',
                )
            )
        if not new:
            return head
        if cols_match is None:
            return head + f"<{p}cols>" + "".join(x for _, x in sorted(new)) + f"</{p}cols>"
        # Keep <col> elements sorted by position, as the file format requires.
        elements = re.findall(rf"<{p}col\b[^>]*?(?:/>|>.*?</{p}col>)", cols_match.group(1), re.S)
        keyed = [(int(re.search(r'\smin="(\d+)"', e).group(1)) - 1, e) for e in elements]  # type: ignore[union-attr]
        merged = "".join(x for _, x in sorted(keyed + new, key=lambda kv: kv[0]))
        return head[: cols_match.start(1)] + merged + head[cols_match.end(1) :]

    def _edit_tail(self, tail: str) -> str:
        p = self.prefix
        plan = self.plan
        priorities = [
            int(x) for x in re.findall(r'<(?:\w+:)?cfRule\b[^>]*\spriority="(\d+)"', tail)
        ]
        first = max(priorities, default=0) + 1
        formats = []
        for offset, rule in enumerate(plan.rules):
            dxf = self.dxf_ids[(rule.fill_color, rule.font_color)]
            formats.append(
                f'<{p}conditionalFormatting sqref="{rule.sqref}"><{p}cfRule type="expression" '
                f'dxfId="{dxf}" priority="{first + offset}"><{p}formula>{escape(rule.formula)}'
                f"</{p}formula></{p}cfRule></{p}conditionalFormatting>"
            )
        tail = _insert_before_first(
            tail, p, _SHEET_ORDER_AFTER_CF, "".join(formats), f"</{p}worksheet>"
        )
        return self._validation(tail)

    def _validation(self, tail: str) -> str:
        p = self.prefix
        plan = self.plan
        if plan.app_id_column is None:
            return tail
        letter = column_letter(plan.app_id_column)
        first = plan.header_row + 1
        existing = re.search(rf"<{p}dataValidations\b[^>]*>(.*?)</{p}dataValidations>", tail, re.S)
        if existing:
            for sqref in re.findall(r'\ssqref="([^"]*)"', existing.group(1)):
                if _covers_column(sqref, plan.app_id_column):
                    return tail  # the user's own validation on that column wins
        source = f"{_quote_sheet(CHECK_SHEET)}!$K$6:$K${5 + len(plan.app_ids)}"
        element = (
            f'<{p}dataValidation type="list" errorStyle="warning" allowBlank="1" '
            f'showInputMessage="1" showErrorMessage="1" errorTitle="Not a known App ID" '
            f'error="This App ID is not in the list of known apps. Keep it if it is your '
            f'source&apos;s web domain (lower case, no https:// or www.)." promptTitle="App ID" '
            f'prompt="The source app&apos;s web domain in lower case, such as salesforce.com. '
            f'Pick a known app or type your own." sqref="{letter}{first}:{letter}{plan.last_row}">'
            f"<{p}formula1>{escape(source)}</{p}formula1></{p}dataValidation>"
        )
        if existing:
            tail = _insert_before_close(tail, f"{p}dataValidations", element)
            count = len(re.findall(rf"<{p}dataValidation[\s>]", tail))
            return _set_count(tail, f"{p}dataValidations", count)
        block = f'<{p}dataValidations count="1">{element}</{p}dataValidations>'
        return _insert_before_first(tail, p, _SHEET_ORDER_AFTER_CF[1:], block, f"</{p}worksheet>")


def _row_number_text(row: str, default: int) -> int:
    match = _ROW_NUMBER.search(row, 0, row.find(">"))
    return int(match.group(1)) if match else default


@functools.lru_cache(maxsize=4096)
def _column_index(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number - 1


def _covers_column(sqref: str, position: int) -> bool:
    for part in sqref.split():
        ends = [re.match(r"\$?([A-Z]+)", e) for e in part.split(":")]
        columns = [_column_index(m.group(1)) for m in ends if m]
        if columns and min(columns) <= position <= max(columns):
            return True
    return False


def _style_of(cell: str) -> int:
    match = _CELL_STYLE.search(cell, 0, cell.find(">"))
    return int(match.group(1)) if match else 0


_STYLE_ATTR = re.compile(r'\ss="\d+"')


def _with_style(cell: str, style: int) -> str:
    end = cell.find(">")
    head = cell[:end]
    if _STYLE_ATTR.search(head):
        head = _STYLE_ATTR.sub(f' s="{style}"', head)
    else:
        head = head.rstrip("/") + f' s="{style}"' + ("/" if head.endswith("/") else "")
    return head + cell[end:]


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
#: Anything :func:`_xml_text` would change; most text has none of it.
_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def _xml_text(value: str) -> str:
    """Return text escaped for a cell: spreadsheet ``_xHHHH_`` escapes for control characters."""
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    value = _ESCAPE_LIKE.sub(r"_x005F_\1", value)
    value = _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
    return escape(value)


def _cell(p: str, position: int, row: int, value: Cell, style: int | None) -> str:
    ref = f"{column_letter(position)}{row}"
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<{p}c r="{ref}"{s}/>'
    if type(value) is bool:
        return f'<{p}c r="{ref}"{s} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if type(value) in (int, float):
        return f'<{p}c r="{ref}"{s}><{p}v>{value!r}</{p}v></{p}c>'
    text = value if isinstance(value, str) else cell_text(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return (
        f'<{p}c r="{ref}"{s} t="inlineStr"><{p}is><{p}t{space}>{_xml_text(text)}</{p}t>'
        f"</{p}is></{p}c>"
    )


def _cell_tail(p: str, value: Cell, attr: str) -> str:
    """Return a new cell's text after its address (``<c r="A1"``), with ``attr`` after its type.

    The same text as :func:`_cell` without a style followed by :func:`_with_style` (which puts
    the style last).
    """
    if (  # the usual case: text that needs no escapes and no spaces kept
        type(value) is str
        and value
        and _NEEDS_ESCAPE.search(value) is None
        and not value[0].isspace()
        and not value[-1].isspace()
    ):
        return f' t="inlineStr"{attr}><{p}is><{p}t>{value}</{p}t></{p}is></{p}c>'
    if value is None or value == "":
        return f"{attr}/>"
    kind = type(value)
    if kind is bool:
        return f' t="b"{attr}><{p}v>{int(value)}</{p}v></{p}c>'  # type: ignore[arg-type]
    if kind is int or kind is float:
        return f"{attr}><{p}v>{value!r}</{p}v></{p}c>"
    text = value if isinstance(value, str) else cell_text(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"{attr}><{p}is><{p}t{space}>{_xml_text(text)}</{p}t></{p}is></{p}c>'


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


# --- the check sheet ----------------------------------------------------------------------------

CHECK_COLUMNS = ("Row", "Column", "Cell", "Code", "Severity", "Message", "Value", "Suggestion")
CHECK_WIDTHS = (7, 18, 8, 22, 9, 90, 28, 24, 3, 3, 22)
#: The issue list starts here (row 5 is its header); the App ID list sits in column K.
LIST_HEADER_ROW = 5


def _write_check_sheet(plan: _Plan, data_title: str, dst: IO[bytes]) -> None:
    """Write the ``App Link Check`` worksheet part: summary, issue list with links, App IDs."""
    report = plan.report
    room = MAX_ROWS - LIST_HEADER_ROW
    issues = report.issues[:room]
    positions = {h: i for i, h in reversed(list(enumerate(plan.headers)))}
    for h, i in map_headers(plan.headers).positions.items():
        positions.setdefault(h, i)
    summary = report.summary(plan.rows)
    lines = [
        f'Check of sheet "{data_title}": {summary}',
        "Red cells on the data sheet are errors and yellow cells are warnings; those flags update "
        "as you type. Click a cell address below to go to it. Checks that a formula cannot make "
        "(subdomains, spellings of one App ID, links to another app) are listed here only: check "
        "the file again after fixing.",
    ]
    if len(report.issues) > len(issues):
        lines.append(f"Only the first {len(issues)} issues fit on this sheet.")
    out = io.TextIOWrapper(dst, encoding="utf-8", newline="")
    out.write(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f'<dimension ref="A1:K{max(LIST_HEADER_ROW + len(issues), 5 + len(plan.app_ids))}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{LIST_HEADER_ROW}" topLeftCell="A{LIST_HEADER_ROW + 1}" '
        'activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{LIST_HEADER_ROW + 1}" '
        f'sqref="A{LIST_HEADER_ROW + 1}"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><cols>'
    )
    for index, width in enumerate(CHECK_WIDTHS, start=1):
        out.write(f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>')
    out.write("</cols><sheetData>")
    known = plan.app_ids
    for number, text in enumerate(lines, start=1):
        out.write(f'<row r="{number}">{_cell("", 0, number, text, None)}</row>')
    links: list[str] = []
    last = LIST_HEADER_ROW + max(len(issues), len(known))
    for number in range(LIST_HEADER_ROW, last + 1):
        cells = []
        if number == LIST_HEADER_ROW:
            cells = [_cell("", c, number, h, None) for c, h in enumerate(CHECK_COLUMNS)]
            cells.append(_cell("", 10, number, "Known App IDs", None))
        else:
            index = number - LIST_HEADER_ROW - 1
            if index < len(issues):
                issue = issues[index]
                position = positions.get(issue.column)
                address = f"{column_letter(position)}{issue.row}" if position is not None else ""
                values: list[Cell] = [
                    issue.row,
                    issue.column,
                    address,
                    issue.code,
                    issue.severity,
                    issue.message,
                    issue.value,
                    issue.suggestion,
                ]
                cells = [_cell("", c, number, v, None) for c, v in enumerate(values)]
                if address:
                    target = f"{_quote_sheet(data_title)}!{address}"
                    links.append(
                        f'<hyperlink ref="C{number}" location={quoteattr(target)} '
                        f"display={quoteattr(address)}/>"
                    )
            if index < len(known):
                cells.append(_cell("", 10, number, known[index], None))
        if not cells:
            continue
        out.write(f'<row r="{number}">{"".join(cells)}</row>')
    out.write("</sheetData>")
    if links:
        out.write("<hyperlinks>")
        for link in links:
            out.write(link)
        out.write("</hyperlinks>")
    out.write(
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    out.flush()
    out.detach()


# --- a plain package for input that has none ----------------------------------------------------


def _write_plain_package(table: Table, handle: io.BytesIO) -> None:
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
                    _cell("", c, number, v, None) for c, v in enumerate(row) if v not in (None, "")
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
