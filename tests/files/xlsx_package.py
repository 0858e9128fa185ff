"""Write minimal .xlsx packages by hand, for the odd cases no spreadsheet program writes."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: Styles 0-6: General; a custom date; a custom percentage; built-in 14 (a date); General with
#: a bold font; built-in 49 (text); built-in 4 ("#,##0.00"). The dxf's numFmt (conditional
#: formatting) reuses id 164 and must not be taken for the cell format.
STYLES = (
    f'{XML}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="0.0%"/></numFmts>'
    '<fonts count="2"><font/><font><b/></font></fonts>'
    '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
    '<cellXfs count="7"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
    '<xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="0" fontId="1"/><xf numFmtId="49"/>'
    '<xf numFmtId="4"/></cellXfs>'
    '<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="[Red]0"/></dxf></dxfs>'
    "</styleSheet>"
)


def sheet_xml(rows: str, *, tail: str = "", prefix: str = "") -> str:
    """Return a worksheet part holding ``rows`` in its sheetData and ``tail`` after it."""
    p = f"{prefix}:" if prefix else ""
    namespace = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (
        f'{XML}<{p}worksheet {namespace} xmlns:r="{OFFICE_RELS}"><{p}sheetData>{rows}'
        f"</{p}sheetData>{tail}</{p}worksheet>"
    )


def relationships(*rels: tuple[str, str, str, bool]) -> str:
    """Return a relationships part of (id, type, target, external) tuples."""
    items = "".join(
        f'<Relationship Id="{rel_id}" Type="{OFFICE_RELS}/{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rel_id, kind, target, external in rels
    )
    return f'{XML}<Relationships xmlns="{PACKAGE_RELS}">{items}</Relationships>'


def write_package(
    path: Path,
    sheets: dict[str, str],
    *,
    styles: str | None = STYLES,
    styles_part: str = "xl/styles.xml",
    extra: dict[str, str | bytes] | None = None,
) -> Path:
    """Write a workbook with ``sheets`` (name -> worksheet XML), in that order.

    The sheets are ``xl/worksheets/sheetN.xml``; ``extra`` adds or replaces parts (a sheet's
    relationships, say).
    """
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "_rels/.rels": relationships(("rId1", "officeDocument", "xl/workbook.xml", False)),
    }
    entries, rels = [], []
    for number, (name, xml) in enumerate(sheets.items(), start=1):
        entries.append(f'<sheet name="{name}" sheetId="{number}" r:id="rId{number}"/>')
        rels.append((f"rId{number}", "worksheet", f"worksheets/sheet{number}.xml", False))
        parts[f"xl/worksheets/sheet{number}.xml"] = xml
    if styles is not None:
        target = "/" + styles_part
        rels.append(("rIdStyles", "styles", target, False))
        parts[styles_part] = styles
    parts["xl/workbook.xml"] = (
        f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE_RELS}"><sheets>{"".join(entries)}'
        "</sheets></workbook>"
    )
    parts["xl/_rels/workbook.xml.rels"] = relationships(*rels)
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def by_column(cells: dict[tuple[int, int], str]) -> dict[int, dict[int, str]]:
    """Return {(row, column): text} as the facts keep it: column -> row -> text."""
    out: dict[int, dict[int, str]] = {}
    for (row, column), text in cells.items():
        out.setdefault(column, {})[row] = text
    return out
