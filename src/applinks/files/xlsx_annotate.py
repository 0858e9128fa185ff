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

The work is split by part: :mod:`.xlsx_package` (the zip, content types, relationships, the
workbook's sheet list), :mod:`.xlsx_plan` (what changes), :mod:`.xlsx_sheet_edit` (the data sheet),
:mod:`.xlsx_styles` (colours and Text formats) and :mod:`.xlsx_check_sheet` (the check sheet, laid
out by :mod:`applinks.check_sheet`); this module puts them together.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from applinks.check_sheet import CHECK_SHEET, check_sheet_layout
from applinks.errors import InputError, UsageError
from applinks.issues import Report
from applinks.registry import Registry, load_registry
from applinks.rules import Rule
from applinks.table import Table

from .atomic import atomic_writer, check_output
from .xlsx_check_sheet import write_check_sheet
from .xlsx_package import (
    CHUNK,
    STYLES_CT,
    STYLES_TYPE,
    BackgroundWriter,
    Package,
    add_content_type,
    add_relationship,
    add_sheet,
    open_package,
    unused_id,
)
from .xlsx_plan import LinkRecorder, Plan, make_plan
from .xlsx_sheet_edit import SheetEditor
from .xlsx_styles import Styles

__all__ = ["CHECK_SHEET", "AnnotateResult", "LinkRecorder", "write_annotated"]

#: Deflate level of the data sheet: level 3 takes half the time of the default (6) on a long
#: sheet, for a part about 12% larger.
SHEET_COMPRESSLEVEL = 3


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
    package = open_package(source, table, prepared, notes)
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
        plan = make_plan(table, prepared, report, registry, recorder, name_column)
        with atomic_writer(output) as handle:
            _write_package(package, plan, handle)
    return AnnotateResult(output, plan.rules, len(report.issues), notes)


def _free_name(used: set[str], folder: PurePosixPath, pattern: str, first: str = "1") -> str:
    """Return the first part name ``folder/pattern`` (numbered from ``first``, then 2, 3, ...)
    that the package does not have."""
    number = first
    while str(folder / pattern.format(number)) in used:
        number = str(int(number or 1) + 1)
    return str(folder / pattern.format(number))


def _copy_part(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    out: zipfile.ZipFile,
    target: zipfile.ZipInfo,
) -> None:
    """Copy one part as it is; a part whose bytes fail their checksum (another sheet than the
    one read, which was refused if it failed) is not carried into the copy as if it were whole.

    Raises:
        InputError: the part is damaged.
    """
    try:
        with archive.open(info) as src, out.open(target, "w", force_zip64=True) as dst:
            shutil.copyfileobj(src, dst, CHUNK)
    except zipfile.BadZipFile as exc:
        source = Path(str(archive.filename))
        raise InputError(
            f'A part of "{source.name}" ({info.filename}) is damaged, so no annotated copy was '
            "written; open the file in Excel, save it again and try again.",
            path=source,
        ) from exc


def _write_package(package: Package, plan: Plan, handle: IO[bytes]) -> None:
    """Copy every part of ``package`` to ``handle``, editing the ones the annotation changes."""
    archive, book = package.archive, package.workbook_path
    used = set(package.names)
    # Beside the workbook part, wherever the package has it ("xl/" is only the usual place).
    sheets = PurePosixPath(package.workbook_path).parent / "worksheets"
    check_part = _free_name(used, sheets, "sheet{}.xml")
    rid = unused_id(package.rels)
    styles = Styles(package.read_text(package.styles_path) if package.styles_path else None)
    dxf_ids: dict[tuple[str, str], int] = {}
    for rule in plan.rules:
        key = (rule.fill_color, rule.font_color)
        if key not in dxf_ids:
            dxf_ids[key] = styles.dxf(*key)
    styles_part, styles_rid = package.styles_path, ""
    if styles_part is None and dxf_ids:  # the colours need a styles part: Excel's default one
        # (A part of that name that nothing links to may be in the package: not written over.)
        styles_part = _free_name(used, sheets.parent, "styles{}.xml", first="")
        styles_rid = unused_id(add_relationship(package.rels, rid, check_part, book))
    types, rels = package.content_types, package.rels
    if styles_rid:
        types = add_content_type(types, str(styles_part), STYLES_CT)
        rels = add_relationship(rels, styles_rid, str(styles_part), book, STYLES_TYPE)
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
        for info in archive.infolist():
            name = info.filename
            if name == package.styles_path:
                continue  # written last: the data sheet decides which Text formats it needs
            target = zipfile.ZipInfo(name, date_time=info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            target.external_attr = info.external_attr
            if name == "[Content_Types].xml":
                out.writestr(target, add_content_type(types, check_part))
            elif name == package.workbook_path:
                out.writestr(target, add_sheet(package.workbook, rid, package.sheets))
            elif name == package.rels_path:
                out.writestr(target, add_relationship(rels, rid, check_part, book))
            elif name == package.sheet_path:
                # The big part: a faster deflate level costs about an eighth more bytes.
                target._compresslevel = SHEET_COMPRESSLEVEL  # type: ignore[attr-defined]
                with (
                    archive.open(info) as src,
                    out.open(target, "w", force_zip64=True) as dst,
                    BackgroundWriter(dst) as background,
                ):
                    SheetEditor(plan, styles, dxf_ids, package.sheet_title).run(src, background)
            else:
                _copy_part(archive, info, out, target)
        with out.open(check_part, "w", force_zip64=True) as dst:
            layout = check_sheet_layout(
                plan.report,
                data_title=package.sheet_title,
                headers=plan.headers,
                rows=plan.rows,
                app_ids=plan.app_ids,
            )
            write_check_sheet(layout, dst)
        if styles_part is not None:
            out.writestr(styles_part, styles.text())
