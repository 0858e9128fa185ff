"""The .ods reader on hand-made packages: styles and their sources, every kind of fact."""

from __future__ import annotations

import datetime as dt
import zipfile
from array import array
from pathlib import Path

import pytest

from applinks.files.cell_facts import CellFacts, NumberFormat, StyledColumn, by_column
from applinks.files.ods_cells import parse_duration, read_ods_facts

OFFICE = "urn:oasis:names:tc:opendocument:xmlns"
NAMESPACES = (
    f'xmlns:office="{OFFICE}:office:1.0" xmlns:table="{OFFICE}:table:1.0" '
    f'xmlns:text="{OFFICE}:text:1.0" xmlns:style="{OFFICE}:style:1.0" '
    f'xmlns:number="{OFFICE}:datastyle:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)
#: styles.xml: a named style "Zip" (00000), and "Default" without a data style.
STYLES = (
    f"<office:document-styles {NAMESPACES}><office:styles>"
    '<number:number-style style:name="N5"><number:number number:decimal-places="0" '
    'number:min-integer-digits="5"/></number:number-style>'
    '<style:style style:name="Default" style:family="table-cell"/>'
    '<style:style style:name="Zip" style:family="table-cell" style:data-style-name="N5"/>'
    "</office:styles></office:document-styles>"
)
#: content.xml's automatic styles: ce1 inherits 00000 from "Zip"; ce2 is 0.00%; ce3 a boolean;
#: ce4 an elapsed time; ce5 a time of day.
AUTOMATIC = (
    "<office:automatic-styles>"
    '<number:percentage-style style:name="N11"><number:number number:decimal-places="2" '
    'number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>'
    '<number:boolean-style style:name="N99"><number:boolean/></number:boolean-style>'
    '<number:time-style style:name="N41" number:truncate-on-overflow="false"><number:hours/>'
    '<number:text>:</number:text><number:minutes number:style="long"/></number:time-style>'
    '<number:time-style style:name="N20"><number:hours/><number:text>:</number:text>'
    '<number:minutes number:style="long"/></number:time-style>'
    '<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Zip"/>'
    '<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N11"/>'
    '<style:style style:name="ce3" style:family="table-cell" style:data-style-name="N99"/>'
    '<style:style style:name="ce4" style:family="table-cell" style:data-style-name="N41"/>'
    '<style:style style:name="ce5" style:family="table-cell" style:data-style-name="N20"/>'
    "</office:automatic-styles>"
)
WEB = "https://www.zillow.com/homedetails/59187422_zpid/"


def cell(attributes: str = "", paragraph: str | None = None) -> str:
    inner = f"<text:p>{paragraph}</text:p>" if paragraph is not None else ""
    return f"<table:table-cell {attributes}>{inner}</table:table-cell>"


def number(value: float, extra: str = "") -> str:
    return cell(f'office:value-type="float" office:value="{value}" {extra}', str(value))


def row(*cells: str, repeated: int = 1) -> str:
    body = "".join(cells)
    return f'<table:table-row table:number-rows-repeated="{repeated}">{body}</table:table-row>'


def table(name: str, *rows: str, columns: str = "") -> str:
    return f'<table:table table:name="{name}">{columns}{"".join(rows)}</table:table>'


def ods(tmp_path: Path, *tables: str, styles: str | None = STYLES) -> Path:
    content = (
        f"<office:document-content {NAMESPACES}>{AUTOMATIC}<office:body><office:spreadsheet>"
        + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "book.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        if styles is not None:
            archive.writestr("styles.xml", styles)
    return path


def styled(rows: list[int], keys: list[int]) -> StyledColumn:
    return StyledColumn(array("I", rows), array("I", keys))


def not_general(number_format: NumberFormat) -> bool:
    return number_format != "General"


ZIP_COLUMNS = (
    '<table:table-column table:default-cell-style-name="Default"/>'
    '<table:table-column table:number-columns-repeated="2" table:default-cell-style-name="Zip"/>'
)


def test_styles_from_the_cell_its_parent_and_its_column(tmp_path: Path) -> None:
    deals = table(
        "Deals",
        row(number(1), number(2134), number(7030, 'table:style-name="ce2"'), number(4)),
        row(number(0.5, 'table:style-name="ce2"'), "<table:covered-table-cell/>", number(94105)),
        row(number(42, 'table:style-name="ce1" table:number-columns-repeated="3"'), repeated=2),
        columns=ZIP_COLUMNS,
    )
    seen: list[NumberFormat] = []
    facts = read_ods_facts(ods(tmp_path, deals), wanted=lambda f: seen.append(f) or f != "General")
    assert seen == ["General", "00000", "0.00%"]
    assert facts == CellFacts(
        formats={1: "00000", 2: "0.00%"},
        styled={
            0: styled([2, 3, 4], [2, 1, 1]),
            1: styled([1, 3, 4], [1, 1, 1]),
            2: styled([1, 2, 3, 4], [2, 1, 1, 1]),
        },
    )


def test_without_styles_xml_named_styles_are_unknown(tmp_path: Path) -> None:
    deals = table(
        "Deals", row(number(7030, 'table:style-name="ce1"'), number(0.5, 'table:style-name="ce2"'))
    )
    facts = read_ods_facts(ods(tmp_path, deals, styles=None), wanted=not_general)
    assert facts == CellFacts(formats={1: "0.00%"}, styled={1: styled([1], [1])})


def test_booleans_durations_errors_and_links(tmp_path: Path) -> None:
    deals = table(
        "Deals",
        row(
            cell('office:value-type="boolean" office:boolean-value="true"', "TRUE"),
            number(0, 'table:style-name="ce3"'),
            number(1, 'table:formula="of:=TRUE()"'),
            number(0, 'table:formula="of:=1&gt;2"').replace(">0<", ">FALSE<"),
            number(1, 'table:formula="of:=1+0"'),
        ),
        row(
            cell('office:value-type="time" office:time-value="PT30H10M10S"', "30:10:10"),
            cell(
                'table:style-name="ce4" office:value-type="time" office:time-value="PT5H"', "5:00"
            ),
            cell(
                'table:style-name="ce5" office:value-type="time" office:time-value="PT9H30M"',
                "9:30",
            ),
            cell('office:value-type="time" office:time-value="-PT1H"', "-1:00"),
        ),
        row(
            cell(
                'table:number-columns-repeated="2" office:value-type="string" '
                'calcext:value-type="error" table:formula="of:=NA()"',
                "#N/A",
            ),
            cell(
                'office:value-type="float" office:value="0" calcext:value-type="error"', "Err:502"
            ),
        ),
        row(
            cell('office:value-type="string"', f'<text:a xlink:href="{WEB}">Zillow</text:a>'),
            cell('office:value-type="string"', '<text:a xlink:href="#Sheet2.A1">There</text:a>'),
            cell(
                'office:value-type="string" table:formula="of:=HYPERLINK(&quot;https://a.example/'
                '?q=&quot;&quot;x&quot;&quot;&quot;;&quot;A&quot;)"',
                "A",
            ),
            cell(
                'office:value-type="string" table:formula="of:=HYPERLINK(&quot;https://a.example/'
                '&quot;&amp;B1)"',
                "B",
            ),
            cell(
                'office:value-type="string" table:formula="of:=HYPERLINK(&quot;https://lost.example/'
                '&quot;)"',
                '<text:span><text:a xlink:href="mailto:agent@example.com">Mail</text:a>'
                "</text:span>",
            ),
            '<table:table-cell office:value-type="string">'
            "<office:annotation><dc:creator>A</dc:creator>"
            f'<text:p><text:a xlink:href="{WEB}">note</text:a></text:p></office:annotation>'
            "<text:p>plain</text:p></table:table-cell>",
        ),
    )
    facts = read_ods_facts(ods(tmp_path, deals), wanted=not_general)
    assert facts == CellFacts(
        errors=by_column({(3, 0): "#N/A", (3, 1): "#N/A", (3, 2): "Err:502"}),
        links=by_column(
            {(4, 0): WEB, (4, 2): 'https://a.example/?q="x"', (4, 4): "mailto:agent@example.com"}
        ),
        values=by_column(
            {
                (1, 0): True,
                (1, 1): False,
                (1, 2): True,
                (1, 3): False,
                (2, 0): dt.timedelta(hours=30, minutes=10, seconds=10),
                (2, 1): dt.timedelta(hours=5),
                (2, 3): dt.timedelta(hours=-1),
            }
        ),
    )


def test_boolean_spellings_a_whole_day_and_links_inside_the_workbook(tmp_path: Path) -> None:
    """ODF booleans are XML Schema's ("1" is true); a time of 24 hours or more is a duration
    (a clock stops at 23:59:59); a HYPERLINK to a place in the workbook is not a web link."""
    deals = table(
        "Deals",
        row(
            cell('office:value-type="boolean" office:boolean-value="1"', "TRUE"),
            cell('office:value-type="boolean" office:boolean-value="0"', "FALSE"),
            cell('office:value-type="boolean" office:boolean-value="false"', "FALSE"),
        ),
        row(
            cell('office:value-type="time" office:time-value="PT24H00M00S"', "24:00:00"),
            cell('office:value-type="time" office:time-value="PT23H59M59S"', "23:59:59"),
        ),
        row(
            cell(
                'office:value-type="string" table:formula="of:=HYPERLINK(&quot;#Sheet2.A1&quot;'
                ';&quot;There&quot;)"',
                "There",
            ),
            cell(
                'office:value-type="string" table:formula="of:=HYPERLINK(&quot;https://b.example/'
                '&quot;;&quot;B&quot;)"',
                "B",
            ),
        ),
    )
    assert read_ods_facts(ods(tmp_path, deals), wanted=not_general) == CellFacts(
        links=by_column({(3, 1): "https://b.example/"}),
        values=by_column({(1, 0): True, (1, 1): False, (1, 2): False, (2, 0): dt.timedelta(1)}),
    )


def test_sheet_by_name_or_the_first(tmp_path: Path) -> None:
    path = ods(
        tmp_path,
        table("First", row(number(1, 'table:style-name="ce1"'))),
        table("Second", row(cell(), number(2, 'table:style-name="ce1"'))),
    )
    first = CellFacts(formats={1: "00000"}, styled={0: styled([1], [1])})
    assert read_ods_facts(path, wanted=not_general) == first
    assert read_ods_facts(path, "First", wanted=not_general) == first
    second = read_ods_facts(path, "Second", wanted=not_general)
    assert second == CellFacts(formats={1: "00000"}, styled={1: styled([1], [1])})
    assert read_ods_facts(path, "Third", wanted=not_general) == CellFacts()


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("PT30H10M10S", dt.timedelta(hours=30, minutes=10, seconds=10)),
        ("P2DT3H", dt.timedelta(days=2, hours=3)),
        ("PT0.5S", dt.timedelta(milliseconds=500)),
        ("PT1,25S", dt.timedelta(seconds=1, microseconds=250_000)),
        ("-PT15M", dt.timedelta(minutes=-15)),
        ("P999999999DT48H", None),  # past what a timedelta holds
        ("P1Y", None),
        ("PT", None),
        ("P", None),
        ("12:30", None),
        (None, None),
    ],
)
def test_parse_duration(text: str | None, duration: dt.timedelta | None) -> None:
    assert parse_duration(text) == duration
