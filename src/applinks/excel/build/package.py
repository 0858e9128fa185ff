"""Write the Open XML package (.xlam or .xlsm) around a VBA project and a ribbon.

The parts are plain SpreadsheetML written as text (inline strings, one small style sheet), in a
fixed order, stored uncompressed with a fixed date, so the same inputs give the same bytes on
every machine (a deflate stream can differ between zlib builds; stored entries cannot).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from .ribbon import CUSTOMUI_PART, CUSTOMUI_RELATIONSHIP

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

ADDIN = "addin"
WORKBOOK = "workbook"
_MAIN_TYPES = {
    ADDIN: "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    WORKBOOK: "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
}

# Cell styles of styles.xml: 0 normal, 1 bold header, 2 text (keeps ids such as 00123 as typed).
NORMAL, HEADER, TEXT = 0, 1, 2

Cell = str | bool | int | None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: name, VBA code name, rows of cells (row 1 first), and options."""

    name: str
    code_name: str
    rows: Sequence[Sequence[Cell]]
    hidden: bool = False
    header_rows: int = 1
    text_columns: Sequence[int] = field(default_factory=tuple)  # 1-based
    widths: Sequence[float] = field(default_factory=tuple)


def column_letter(number: int) -> str:
    """Return the column letters for a 1-based column number (1 -> A, 27 -> AA)."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell_xml(reference: str, value: Cell, style: int) -> str:
    style_attr = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{reference}"{style_attr}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{reference}"{style_attr} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{reference}"{style_attr}><v>{value}</v></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    text = f"<is><t{space}>{escape(value)}</t></is>"
    return f'<c r="{reference}"{style_attr} t="inlineStr">{text}</c>'


def sheet_xml(sheet: Sheet, *, selected: bool) -> str:
    """Return the worksheet part for ``sheet``."""
    cols = ""
    widths = list(sheet.widths)
    if widths:
        parts = []
        for index, width in enumerate(widths, start=1):
            style = f' style="{TEXT}"' if index in sheet.text_columns else ""
            parts.append(
                f'<col min="{index}" max="{index}" width="{width}" customWidth="1"{style}/>'
            )
        cols = "<cols>" + "".join(parts) + "</cols>"
    rows = []
    for row_number, row in enumerate(sheet.rows, start=1):
        cells = []
        for column_number, value in enumerate(row, start=1):
            if row_number <= sheet.header_rows:
                cell_style = HEADER
            elif column_number in sheet.text_columns:
                cell_style = TEXT
            else:
                cell_style = NORMAL
            reference = f"{column_letter(column_number)}{row_number}"
            cells.append(_cell_xml(reference, value, cell_style))
        rows.append(f'<row r="{row_number}">{"".join(cells)}</row>')
    view = ' tabSelected="1"' if selected else ""
    pane = ""
    if sheet.header_rows and sheet.rows:
        pane = (
            f'<pane ySplit="{sheet.header_rows}" topLeftCell="A{sheet.header_rows + 1}" '
            'activePane="bottomLeft" state="frozen"/>'
        )
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<sheetPr codeName="{sheet.code_name}"/>'
        f'<sheetViews><sheetView workbookViewId="0"{view}>{pane}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{cols}'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def workbook_parts(
    kind: str, sheets: Sequence[Sheet], vba_project: bytes, custom_ui: str, title: str
) -> list[tuple[str, bytes]]:
    """Return the package parts, in the order they are written."""
    if kind not in _MAIN_TYPES:
        raise ValueError(f"unknown package kind {kind!r}")
    visible = [i for i, s in enumerate(sheets) if not s.hidden]
    active = visible[0] if visible else 0
    parts: list[tuple[str, bytes]] = [
        ("[Content_Types].xml", _content_types(kind, len(sheets)).encode()),
        ("_rels/.rels", _ROOT_RELS.encode()),
        ("docProps/app.xml", _APP.encode()),
        ("docProps/core.xml", _core(title).encode()),
        ("xl/workbook.xml", _workbook(sheets, active).encode()),
        ("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)).encode()),
        ("xl/styles.xml", _STYLES.encode()),
    ]
    for i, sheet in enumerate(sheets, start=1):
        xml = sheet_xml(sheet, selected=(i - 1 == active))
        parts.append((f"xl/worksheets/sheet{i}.xml", xml.encode()))
    parts.append(("xl/vbaProject.bin", vba_project))
    parts.append((CUSTOMUI_PART, custom_ui.encode()))
    return parts


def _content_types(kind: str, sheet_count: int) -> str:
    sheet_overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, sheet_count + 1)
    )
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_MAIN_TYPES[kind]}"/>'
        f"{sheet_overrides}"
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    )


_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    f'<Relationship Id="rId4" Type="{CUSTOMUI_RELATIONSHIP}" Target="{CUSTOMUI_PART}"/>'
    "</Relationships>"
)
_APP = (
    f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>Microsoft Excel</Application></Properties>'
)


def _core(title: str) -> str:
    return (
        f"{_XML}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>cloze-applinks</dc:creator>"
        "</cp:coreProperties>"
    )


def _workbook(sheets: Sequence[Sheet], active: int) -> str:
    sheet_entries = "".join(
        f'<sheet name={quoteattr(s.name)} sheetId="{i}"'
        f'{" state=" + chr(34) + "hidden" + chr(34) if s.hidden else ""} r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<workbookPr codeName="ThisWorkbook"/>'
        f'<bookViews><workbookView activeTab="{active}"/></bookViews>'
        f"<sheets>{sheet_entries}</sheets>"
        '<calcPr calcId="191029"/>'
        "</workbook>"
    )


def _workbook_rels(n: int) -> str:
    return (
        f'{_XML}<Relationships xmlns="{_PKG_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{n + 2}" '
        'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        'Target="vbaProject.bin"/>'
        "</Relationships>"
    )


def zip_parts(parts: Sequence[tuple[str, bytes]]) -> bytes:
    """Return a zip of ``parts`` with fixed dates, attributes and order, stored uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.create_system = 0
            info.external_attr = 0
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
    return buffer.getvalue()
