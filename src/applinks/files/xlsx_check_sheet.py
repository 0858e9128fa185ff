"""Write the ``App Link Check`` worksheet part of an annotated workbook.

The sheet's cells come from :func:`applinks.check_sheet.check_sheet_layout` (the add-in shows the
same ones); this writes them as a worksheet part: frozen header, column widths, inline text and
a ``<hyperlink>`` to the data sheet's cell for each address.
"""

from __future__ import annotations

import io
from typing import IO
from xml.sax.saxutils import quoteattr

from applinks.check_sheet import CheckSheet, Link
from applinks.headers import column_letter

from .xlsx_xml import MAIN_NS, REL_NS, cell_xml


def write_check_sheet(layout: CheckSheet, dst: IO[bytes]) -> None:
    """Write the check sheet's worksheet part to ``dst``: summary, issue list, App IDs."""
    first = layout.header_row + 1
    out = io.TextIOWrapper(dst, encoding="utf-8", newline="")
    out.write(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f'<dimension ref="A1:{column_letter(len(layout.widths) - 1)}{layout.last_row}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{layout.header_row}" topLeftCell="A{first}" '
        'activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{first}" '
        f'sqref="A{first}"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><cols>'
    )
    for index, width in enumerate(layout.widths, start=1):
        out.write(f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>')
    out.write("</cols><sheetData>")
    links: list[str] = []
    for number, cells in layout.rows:
        row = []
        for column, value in cells:
            if isinstance(value, Link):
                ref = f"{column_letter(column)}{number}"
                links.append(
                    f'<hyperlink ref="{ref}" location={quoteattr(value.location)} '
                    f"display={quoteattr(value.address)}/>"
                )
                value = value.address
            row.append(cell_xml("", column, number, value, None))
        out.write(f'<row r="{number}">{"".join(row)}</row>')
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
