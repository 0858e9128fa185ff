"""Number formats, error cells and hyperlinks read from the XML of an .xlsx sheet."""

from __future__ import annotations

import zipfile
from array import array
from datetime import date
from pathlib import Path

import pytest
import python_calamine
from openpyxl import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from applinks.files import xlsx_cell_scan, xlsx_cells
from applinks.files.as_shown import ShownCells
from applinks.files.read import read_table
from applinks.files.xlsx_cells import CellFacts, StyledColumn, read_cell_facts
from tests.files.xlsx_package import (
    STYLES,
    by_column,
    relationships,
    sheet_xml,
    write_package,
)
from tests.office import convert

BUILTIN = {4: "#,##0.00", 9: "0%", 14: "mm-dd-yy", 49: "@"}


def not_general(number_format: str | int) -> bool:
    return number_format not in (0, "General")


def column(rows: list[int], xfs: list[int]) -> StyledColumn:
    return StyledColumn(array("I", rows), array("I", xfs))


def by_format(facts: CellFacts) -> dict[int, list[tuple[int, str | int]]]:
    """Return column -> [(row, format)]: the styled cells without the writer's style numbers."""
    return {
        number: [(row, facts.formats[xf]) for row, xf in zip(styled.rows, styled.xfs, strict=True)]
        for number, styled in facts.styled.items()
    }


def openpyxl_book(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Deals"
    sheet.append(["Name", "Closed", "Share", "Amount", "Listing", "Check"])
    sheet.append(["A", date(2024, 1, 2), 0.25, 1200, "Zillow", "=1/0"])
    sheet.append(["B", date(2024, 3, 4), 0.5, 99, '=HYPERLINK("https://a.com/?q=""x""","Go")'])
    sheet.append(["C", "TBD", 1, 5, '=hyperlink("https://b.com")', "#N/A"])
    sheet["F3"] = "=NA()"
    for row in (2, 3, 4):
        sheet.cell(row, 2).number_format = "yyyy-mm-dd"
        sheet.cell(row, 3).number_format = "0%"
        sheet.cell(row, 4).number_format = "#,##0.00"
    sheet["E2"].hyperlink = "https://www.zillow.com/homedetails/1_zpid/"
    sheet["A4"].hyperlink = Hyperlink(ref="A4", location="'Deals'!A1")
    notes = book.create_sheet("Notes")
    notes["A1"] = date(2024, 5, 6)
    notes["A1"].number_format = "d mmm yyyy"
    book.save(path)
    return path


OPENPYXL_LINKS = {
    (2, 4): "https://www.zillow.com/homedetails/1_zpid/",
    (3, 4): 'https://a.com/?q="x"',
    (4, 4): "https://b.com",
}


def test_openpyxl_workbook(tmp_path: Path) -> None:
    book = openpyxl_book(tmp_path / "deals.xlsx")
    asked: list[str | int] = []

    def wanted(number_format: str | int) -> bool:
        asked.append(number_format)
        return not_general(number_format)

    facts = read_cell_facts(book, wanted=wanted, builtin=BUILTIN.get)
    assert facts == CellFacts(
        # Styles belong to the workbook: the Notes sheet's format is here too.
        formats={1: "yyyy-mm-dd", 2: "0%", 3: "#,##0.00", 4: "d mmm yyyy"},
        styled={
            1: column([2, 3], [1, 1]),  # B4 holds the text "TBD"
            2: column([2, 3, 4], [2, 2, 2]),
            3: column([2, 3, 4], [3, 3, 3]),
        },
        # openpyxl saves formulas without results: only the typed "#N/A" is an error.
        errors=by_column({(4, 5): "#N/A"}),
        links=by_column(OPENPYXL_LINKS),
        formulas_without_values=4,  # F2, E3, F3, E4: "<f>...</f><v />"
    )
    assert asked == [0, "yyyy-mm-dd", "0%", "#,##0.00", "d mmm yyyy"]  # once each
    assert read_cell_facts(book, "Notes", wanted=not_general) == CellFacts(
        formats={1: "yyyy-mm-dd", 2: 9, 3: 4, 4: "d mmm yyyy"}, styled={0: column([1], [4])}
    )


@pytest.mark.libreoffice
def test_libreoffice_workbook(tmp_path: Path) -> None:
    book = convert(openpyxl_book(tmp_path / "deals.xlsx"), "xlsx", tmp_path / "lo")
    facts = read_cell_facts(book, wanted=not_general)
    assert by_format(facts) == {
        1: [(2, "yyyy\\-mm\\-dd"), (3, "yyyy\\-mm\\-dd")],
        2: [(2, "0%"), (3, "0%"), (4, "0%")],
        3: [(2, "#,##0.00"), (3, "#,##0.00"), (4, "#,##0.00")],
    }
    # LibreOffice calculates the formulas and saves their results, errors included.
    assert facts.errors == by_column({(2, 5): "#DIV/0!", (3, 5): "#N/A", (4, 5): "#N/A"})
    assert facts.links == by_column(OPENPYXL_LINKS)
    assert read_cell_facts(book, wanted=not_general, chunk_size=7) == facts


def test_cells_without_references_are_placed_as_the_reader_places_them(tmp_path: Path) -> None:
    rows = (
        '<row><c s="2"><v>11</v></c><c><v>1</v></c><c s="6"><v>12</v></c></row>'
        '<row r="4"><c r="C4" s="2"><v>13</v></c><c s="6"><v>14</v></c></row>'
        '<row><c t="e"><v>#REF!</v></c><c s="2"><v>15</v></c></row>'
        # A cell may name another row; the next cell without a reference stays in the row.
        '<row r="7"><c r="B9" s="6"><v>16</v></c><c s="2"><v>17</v></c></row>'
        '<row><c s="2"><v>18</v></c><c><f>HYPERLINK("https://c.com/?a=""1""")</f><v>x</v></c>'
        "</row>"
    )
    book = write_package(tmp_path / "refs.xlsx", {"Deals": sheet_xml(rows)})
    facts = read_cell_facts(book, wanted=not_general, builtin=BUILTIN.get)
    assert facts == CellFacts(
        formats={1: "yyyy-mm-dd", 2: "0.0%", 3: "mm-dd-yy", 5: "@", 6: "#,##0.00"},
        styled={
            0: column([1, 8], [2, 2]),
            1: column([5, 9], [2, 6]),
            2: column([1, 4, 7], [6, 2, 2]),
            3: column([4], [6]),
        },
        errors=by_column({(5, 0): "#REF!"}),
        links=by_column({(8, 1): 'https://c.com/?a="1"'}),
    )
    data = python_calamine.CalamineWorkbook.from_path(str(book)).get_sheet_by_index(0)
    top, left = data.start
    grid = data.to_python()
    seen = {
        (row, number): grid[row - 1 - top][number - left]
        for number, styled in facts.styled.items()
        for row in styled.rows
    }
    assert seen == {
        (1, 0): 11,
        (1, 2): 12,
        (4, 2): 13,
        (4, 3): 14,
        (5, 1): 15,
        (9, 1): 16,
        (7, 2): 17,
        (8, 0): 18,
    }


def test_only_cells_that_hold_numbers_are_styled(tmp_path: Path) -> None:
    rows = (
        '<row r="2"><c r="A2" s="1" t="s"><v>0</v></c><c r="B2" s="1" t="str"><f>"a"</f>'
        '<v>a</v></c><c r="C2" s="1" t="inlineStr"><is><t>x</t></is></c>'
        '<c r="D2" s="1" t="b"><v>1</v></c><c r="E2" s="1" t="d"><v>2024-01-02</v></c>'
        '<c r="F2" s="1" t="e"><v>#NUM!</v></c><c r="G2" s="1"/><c r="H2" s="1" t="n"><v>3</v>'
        '</c><c r="I2" s="1"><f>1+1</f><v>2</v></c><c r="J2" s="4"><v>5</v></c>'
        '<c r="K2" s="1" t="n" cm="1"><v>6</v></c><c r="L2" t="n" s="1"><v>7</v></c></row>'
    )
    book = write_package(tmp_path / "kinds.xlsx", {"Deals": sheet_xml(rows)})
    for chunk_size in (7, xlsx_cell_scan.CHUNK_BYTES):
        facts = read_cell_facts(book, wanted=lambda f: f == "yyyy-mm-dd", chunk_size=chunk_size)
        assert facts == CellFacts(
            formats={1: "yyyy-mm-dd"},
            styled={
                7: column([2], [1]),
                8: column([2], [1]),
                10: column([2], [1]),
                11: column([2], [1]),  # t="n" before s="1": read the slow way
            },
            errors=by_column({(2, 5): "#NUM!"}),
        )


def test_shared_strings_and_inline_strings_under_a_number_style_are_text(tmp_path: Path) -> None:
    shared = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        'main" count="1" uniqueCount="1"><si><t>TBD</t></si></sst>'
    )
    rows = (
        '<row r="1"><c r="A1" s="3" t="s"><v>0</v></c><c r="B1" s="3" t="inlineStr"><is><t>'
        'soon</t></is></c><c r="C1" s="3"><v>45000</v></c></row>'
    )
    book = write_package(
        tmp_path / "strings.xlsx",
        {"Deals": sheet_xml(rows)},
        extra={"xl/sharedStrings.xml": shared},
    )
    assert read_cell_facts(book, wanted=not_general) == CellFacts(
        formats={1: "yyyy-mm-dd", 2: "0.0%", 3: 14, 5: 49, 6: 4}, styled={2: column([1], [3])}
    )


def test_hyperlinks_ranges_fragments_and_places_inside_the_workbook(tmp_path: Path) -> None:
    tail = (
        "<hyperlinks>"
        '<hyperlink ref="E2:E4" r:id="rId1"/>'
        '<hyperlink ref="F2" r:id="rId2" location="part" display="Page"/>'
        '<hyperlink ref="G2" location="\'Deals\'!A1"/>'
        '<hyperlink ref="H2" r:id="rId3"/>'
        '<hyperlink ref="I2" r:id="rId9"/>'
        '<hyperlink ref="$B$3:A2" r:id="rId4" />'
        '<hyperlink ref="nonsense" r:id="rId1"/>'
        "</hyperlinks>"
    )
    rows = '<row r="3"><c r="E3"><f>HYPERLINK("https://formula.com")</f><v>f</v></c></row>'
    rels = relationships(
        ("rId1", "hyperlink", "https://a.com/x", True),
        ("rId2", "hyperlink", "https://b.com/page", True),
        ("rId3", "hyperlink", "#Other!A1", False),
        ("rId4", "hyperlink", "mailto:agent@example.com?subject=a&amp;b", True),
    )
    book = write_package(
        tmp_path / "links.xlsx",
        {"Deals": sheet_xml(rows, tail=tail)},
        extra={"xl/worksheets/_rels/sheet1.xml.rels": rels},
    )
    mail = "mailto:agent@example.com?subject=a&b"
    assert read_cell_facts(book) == CellFacts(
        links=by_column(
            {
                (3, 4): "https://a.com/x",  # the hyperlink wins over the cell's formula
                (2, 4): "https://a.com/x",
                (4, 4): "https://a.com/x",
                (2, 5): "https://b.com/page#part",
                (2, 0): mail,
                (2, 1): mail,
                (3, 0): mail,
                (3, 1): mail,
            }
        )
    )


def test_a_link_range_is_cut_to_the_grid(tmp_path: Path) -> None:
    """Row 0 does not exist and row 1,048,576 is the last: a range past them stops there."""
    tail = (
        '<hyperlinks><hyperlink ref="A0:A2" r:id="rId1"/>'
        '<hyperlink ref="B1048575:B1048577" r:id="rId1"/></hyperlinks>'
    )
    book = write_package(
        tmp_path / "links.xlsx",
        {"Deals": sheet_xml("", tail=tail)},
        extra={
            "xl/worksheets/_rels/sheet1.xml.rels": relationships(
                ("rId1", "hyperlink", "https://a.com/x", True)
            )
        },
    )
    cells = [(1, 0), (2, 0), (1_048_575, 1), (1_048_576, 1)]
    assert read_cell_facts(book) == CellFacts(
        links=by_column(dict.fromkeys(cells, "https://a.com/x"))
    )


#: Style 0 (every cell without a style) shows numbers as a zip code; style 1 as a percentage.
ZIP_BY_DEFAULT = STYLES.replace(
    '<cellXfs count="7"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" applyNumberFormat="1"/>',
    '<cellXfs count="2"><xf numFmtId="166"/><xf numFmtId="165"/>',
).replace('<numFmts count="2">', '<numFmts count="3"><numFmt numFmtId="166" formatCode="00000"/>')


def test_numbers_without_a_style_show_style_0s_format(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Zip</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2"><v>2134</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>b</t></is></c><c r="B3" s="1"><v>0.5</v></c>'
        '</row><row r="4"><c r="A4"><v>7</v></c><c r="B4"><v>94105</v></c></row>'
    )
    book = write_package(tmp_path / "zip.xlsx", {"Deals": sheet_xml(rows)}, styles=ZIP_BY_DEFAULT)
    table = read_table(book)
    assert (table.headers, table.rows) == (
        ["Name", "Zip"],
        [["a", "02134"], ["b", "50.0%"], ["00007", "94105"]],
    )


def test_a_cell_given_whole_past_the_end_of_a_short_row_lengthens_it() -> None:
    facts = CellFacts(
        errors=by_column({(3, 3): "#N/A"}), links=by_column({(2, 1): "https://a.com"})
    )
    shown = ShownCells(facts, width=4, link_positions=(1,))
    assert shown.apply([[1], [2, "x"]], 2) == [[1, "https://a.com"], [2, "x", None, "#N/A"]]


def test_hyperlink_formulas_with_a_literal_target(tmp_path: Path) -> None:
    formulas = {
        2: 'HYPERLINK("https://x.com/a?b=""c""","View")',
        3: 'hyperlink( "https://y.com" , "y")',
        4: '_xlfn.HYPERLINK("https://z.com")',
        5: 'HYPERLINK(A5,"ref")',
        6: 'HYPERLINK("https://w.com/"&amp;A6)',
        7: 'IF(A7,HYPERLINK("https://v.com"),"")',
        8: 'HYPERLINK("")',
        9: "HYPERLINK(&quot;https://q.com/?x=1&amp;y=2&quot;,&quot;Q&quot;)",
        10: 'HYPERLINK("unterminated',
        11: 'HYPERLINKS("https://no.com")',
    }
    rows = "".join(
        f'<row r="{row}"><c r="E{row}" t="str"><f>{formula}</f><v>v</v></c></row>'
        for row, formula in formulas.items()
    )
    rows += (
        '<row r="12"><c r="E12" t="str"><f t="shared" ref="E12:E14" si="0">'
        'HYPERLINK("https://s.com/list","Open")</f><v>Open</v></c></row>'
        '<row r="13"><c r="E13" t="str"><f t="shared" si="0"/><v>Open</v></c></row>'
        '<row r="14"><c r="E14" t="str"><f t="shared" si="0"></f><v>Open</v></c></row>'
        '<row r="15"><c r="E15" t="str"><f t="shared" ref="E15:E16" si="1">'
        'HYPERLINK("https://t.com/"&amp;A15)</f><v>t</v></c></row>'
        '<row r="16"><c r="E16" t="str"><f t="shared" si="1"/><v>t</v></c></row>'
    )
    book = write_package(tmp_path / "formulas.xlsx", {"Deals": sheet_xml(rows)})
    expected = CellFacts(
        links=by_column(
            {
                (2, 4): 'https://x.com/a?b="c"',
                (3, 4): "https://y.com",
                (4, 4): "https://z.com",
                (9, 4): "https://q.com/?x=1&y=2",
                (12, 4): "https://s.com/list",
                (13, 4): "https://s.com/list",
                (14, 4): "https://s.com/list",
            }
        )
    )
    assert read_cell_facts(book) == expected
    assert read_cell_facts(book, chunk_size=7) == expected


def test_errors_as_shown(tmp_path: Path) -> None:
    shown = ["#N/A", "#DIV/0!", "#NAME?", "#REF!", "#VALUE!", "#NUM!", "#NULL!", "#SPILL!"]
    shown += ["#CALC!", "#GETTING_DATA", "#BLOCKED!", "#FIELD!", "#UNKNOWN!", "#CONNECT!"]
    rows = "".join(
        f'<row r="{row}"><c r="C{row}" s="1" t="e"><f>X{row}</f><v>{text}</v></c></row>'
        for row, text in enumerate(shown, start=1)
    )
    rows += '<row r="20"><c r="C20" t="e"/><c r="D20" t="e"><v></v></c></row>'
    book = write_package(tmp_path / "errors.xlsx", {"Deals": sheet_xml(rows)})
    expected = CellFacts(
        errors=by_column({(row, 2): text for row, text in enumerate(shown, start=1)})
    )
    assert read_cell_facts(book) == expected
    assert read_cell_facts(book, chunk_size=7) == expected


def test_a_workbook_without_styles(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" s="1"><v>45000</v></c><c r="B1" t="e"><v>#N/A</v></c>'
        '<c r="C1"><f>HYPERLINK("https://a.com")</f><v>a</v></c></row>'
    )
    book = write_package(tmp_path / "plain.xlsx", {"Deals": sheet_xml(rows)}, styles=None)
    assert read_cell_facts(book, wanted=lambda f: True) == CellFacts(
        errors=by_column({(1, 1): "#N/A"}), links=by_column({(1, 2): "https://a.com"})
    )


def test_the_styles_part_is_found_through_the_relationships(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" s="1"><v>45000</v></c></row>'
    expected = CellFacts(formats={1: "yyyy-mm-dd"}, styled={0: column([1], [1])})
    named = write_package(
        tmp_path / "named.xlsx", {"Deals": sheet_xml(rows)}, styles_part="xl/look/cells.xml"
    )
    assert read_cell_facts(named, wanted=lambda f: f == "yyyy-mm-dd") == expected
    fallback = write_package(
        tmp_path / "fallback.xlsx",
        {"Deals": sheet_xml(rows)},
        styles=None,
        extra={"xl/styles.xml": STYLES},
    )
    assert read_cell_facts(fallback, wanted=lambda f: f == "yyyy-mm-dd") == expected


def test_the_named_sheet_or_the_first(tmp_path: Path) -> None:
    first = '<row r="1"><c r="A1" t="e"><v>#N/A</v></c></row>'
    second = '<row r="2"><c r="B2" t="e"><v>#REF!</v></c></row>'
    book = write_package(
        tmp_path / "two.xlsx", {"Deals": sheet_xml(first), "Notes": sheet_xml(second)}
    )
    assert read_cell_facts(book) == CellFacts(errors=by_column({(1, 0): "#N/A"}))
    assert read_cell_facts(book, "Notes") == CellFacts(errors=by_column({(2, 1): "#REF!"}))
    assert read_cell_facts(book, "Missing") == CellFacts()


def test_an_element_prefix_on_every_tag(tmp_path: Path) -> None:
    rows = (
        '<x:row r="1"><x:c r="A1" s="2"><x:v>0.5</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c>'
        '<x:c><x:f>HYPERLINK("https://a.com")</x:f><x:v>a</x:v></x:c></x:row>'
        '<x:row><x:c s="2"><x:v>0.25</x:v></x:c></x:row>'
    )
    tail = '<x:hyperlinks><x:hyperlink ref="D1" r:id="rId1"/></x:hyperlinks>'
    book = write_package(
        tmp_path / "prefixed.xlsx",
        {"Deals": sheet_xml(rows, tail=tail, prefix="x")},
        extra={
            "xl/worksheets/_rels/sheet1.xml.rels": relationships(
                ("rId1", "hyperlink", "https://d.com", True)
            )
        },
    )
    expected = CellFacts(
        formats={2: "0.0%"},
        styled={0: column([1, 2], [2, 2])},
        errors=by_column({(1, 1): "#N/A"}),
        links=by_column({(1, 2): "https://a.com", (1, 3): "https://d.com"}),
    )
    for chunk_size in (7, 64, xlsx_cell_scan.CHUNK_BYTES):
        facts = read_cell_facts(book, wanted=lambda f: f == "0.0%", chunk_size=chunk_size)
        assert facts == expected


def test_style_zero_is_every_unstyled_cell_and_is_never_collected(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="B1" s="0"><v>2</v></c></row>'
    book = write_package(tmp_path / "zero.xlsx", {"Deals": sheet_xml(rows)})
    assert read_cell_facts(book, wanted=lambda f: True) == CellFacts(
        formats={0: 0, 1: "yyyy-mm-dd", 2: "0.0%", 3: 14, 4: 0, 5: 49, 6: 4}
    )


def test_rows_out_of_order_and_cells_given_twice(tmp_path: Path) -> None:
    rows = (
        '<row r="5"><c r="B5" s="1"><v>1</v></c></row>'
        '<row r="2"><c r="B2" s="1"><v>2</v></c><c r="C2" s="2"><v>3</v></c></row>'
        '<row r="5"><c r="B5" s="2"><v>4</v></c><c r="C5" s="2"><v>3</v></c>'
        '<c r="C5" s="2"><v>3</v></c></row>'
    )
    book = write_package(tmp_path / "order.xlsx", {"Deals": sheet_xml(rows)})
    facts = read_cell_facts(book, wanted=not_general)
    assert facts.styled == {1: column([2, 5], [1, 2]), 2: column([2, 5], [2, 2])}


def test_looking_up_by_block_and_by_cell(tmp_path: Path) -> None:
    rows = "".join(
        f'<row r="{row}"><c r="B{row}" s="{1 + row % 2}"><v>{row}</v></c></row>'
        for row in range(2, 10)
    )
    rows += '<row r="10"><c r="C10" t="e"><v>#N/A</v></c><c r="D10"><f>HYPERLINK("h")</f></c></row>'
    book = write_package(tmp_path / "blocks.xlsx", {"Deals": sheet_xml(rows)})
    facts = read_cell_facts(book, wanted=not_general)
    assert facts.styled_columns() == [1]
    assert facts.styled[1].between(4, 7) == (array("I", [4, 5, 6]), array("I", [1, 2, 1]))
    assert facts.styled[1].between(10, 20) == (array("I"), array("I"))
    assert [facts.style_at(row, 1) for row in (1, 2, 3, 9, 10)] == [None, 1, 2, 2, None]
    assert facts.style_at(2, 0) is None
    assert [facts.error_at(10, 2), facts.error_at(10, 3), facts.error_at(9, 2)] == [
        "#N/A",
        None,
        None,
    ]
    assert [facts.link_at(10, 3), facts.link_at(10, 2), facts.link_at(11, 3)] == ["h", None, None]


def test_number_formats_of_the_styles(tmp_path: Path) -> None:
    styles = STYLES.replace(
        '<numFmt numFmtId="165" formatCode="0.0%"/>',
        '<numFmt numFmtId="165" formatCode="0.0%"/><numFmt numFmtId="14" formatCode="d/m/yy"/>',
    ).replace('<xf numFmtId="49"/>', '<xf fontId="1"/>')
    book = write_package(tmp_path / "styles.xlsx", {"Deals": sheet_xml("")}, styles=styles)
    with zipfile.ZipFile(book) as archive:
        plain = xlsx_cells.read_number_formats(archive)
        assert plain == [0, "yyyy-mm-dd", "0.0%", "d/m/yy", 0, 0, 4]
        assert xlsx_cells.read_number_formats(archive, BUILTIN.get) == [
            0,
            "yyyy-mm-dd",
            "0.0%",
            "d/m/yy",  # the workbook's own code for a built-in id wins
            0,
            0,
            "#,##0.00",
        ]


def test_damaged_parts_give_empty_facts(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" t="e"><v>#N/A</v></c></row>'
    good = {"Deals": sheet_xml(rows)}
    not_zip = tmp_path / "not.xlsx"
    not_zip.write_bytes(b"PK\x03\x04 not really")
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:  # an OpenDocument or binary workbook
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    cases = {
        "not a zip": not_zip,
        "not an xlsx": other,
        "sheet without root": write_package(
            tmp_path / "a.xlsx", good, extra={"xl/worksheets/sheet1.xml": "just text"}
        ),
        "styles malformed": write_package(tmp_path / "b.xlsx", good, styles="<styleSheet>"),
        "workbook malformed": write_package(
            tmp_path / "c.xlsx", good, extra={"xl/workbook.xml": "<workbook"}
        ),
        "sheet missing": write_package(
            tmp_path / "e.xlsx", good, extra={"xl/_rels/workbook.xml.rels": relationships()}
        ),
    }
    for name, book in cases.items():
        assert read_cell_facts(book, wanted=not_general) == CellFacts(), name
    # Without wanted styles the styles part is not read, so its damage does not matter.
    assert read_cell_facts(cases["styles malformed"]) == CellFacts(
        errors=by_column({(1, 1): "#N/A"})
    )
    # The sheet's relationships are read tag by tag, like the sheet: a damaged part gives no
    # targets (so no links), and the rest of the facts stand.
    tail = '<hyperlinks><hyperlink ref="C1" r:id="rId1"/></hyperlinks>'
    for rels in ("<Relationships", '<Relationship Id="rId1" Target="https://a.com"'):
        book = write_package(
            tmp_path / "rels.xlsx",
            {"Deals": sheet_xml(rows, tail=tail)},
            extra={"xl/worksheets/_rels/sheet1.xml.rels": rels},
        )
        assert read_cell_facts(book) == CellFacts(errors=by_column({(1, 1): "#N/A"})), rels


def test_a_sheet_cut_short_is_read_as_far_as_it_goes(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c r="B1" s="1"><v>4500'
    book = write_package(
        tmp_path / "short.xlsx",
        {"Deals": sheet_xml("")},
        extra={"xl/worksheets/sheet1.xml": sheet_xml("").split("<sheetData>")[0] + rows},
    )
    for chunk_size in (7, xlsx_cell_scan.CHUNK_BYTES):
        facts = read_cell_facts(book, wanted=not_general, chunk_size=chunk_size)
        assert facts == CellFacts(
            formats={1: "yyyy-mm-dd", 2: "0.0%", 3: 14, 5: 49, 6: 4},
            styled={1: column([1], [1])},
            errors=by_column({(1, 0): "#N/A"}),
        )


def test_hostile_sizes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = '<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" t="e"><v>#N/A</v></c></row>'
    tail = (
        '<hyperlinks><hyperlink ref="A1:XFD1048576" r:id="rId1"/><hyperlink ref="C1:C3" '
        'r:id="rId1"/><hyperlink ref="D1:D3" r:id="rId1"/><hyperlink ref="E1" r:id="rId1"/>'
        "</hyperlinks>"
    )
    book = write_package(
        tmp_path / "big.xlsx",
        {"Deals": sheet_xml(rows, tail=tail)},
        extra={
            "xl/worksheets/_rels/sheet1.xml.rels": relationships(
                ("rId1", "hyperlink", "https://a.com", True)
            )
        },
    )
    monkeypatch.setattr(xlsx_cells, "MAX_LINK_CELLS", 4)
    links = {(1, 2): "https://a.com", (2, 2): "https://a.com", (3, 2): "https://a.com"}
    links[1, 4] = "https://a.com"  # A1:XFD1048576 and D1:D3 pass the budget; E1 still fits
    assert read_cell_facts(book) == CellFacts(
        errors=by_column({(1, 1): "#N/A"}), links=by_column(links)
    )
    monkeypatch.setattr(xlsx_cells, "MAX_STYLES_BYTES", 100)
    assert read_cell_facts(book, wanted=not_general) == CellFacts(
        errors=by_column({(1, 1): "#N/A"}), links=by_column(links)
    )
    long_cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>' + "x" * 500 + "</t></is></c></row>"
    book = write_package(tmp_path / "long.xlsx", {"Deals": sheet_xml(long_cell + rows)})
    monkeypatch.setattr(xlsx_cell_scan, "MAX_PIECE_BYTES", 200)
    assert read_cell_facts(book, chunk_size=7) == CellFacts()
    assert read_cell_facts(book) == CellFacts(errors=by_column({(1, 1): "#N/A"}))


def test_what_the_callers_functions_raise_is_not_taken_for_damage(tmp_path: Path) -> None:
    book = write_package(tmp_path / "book.xlsx", {"Deals": sheet_xml("")})

    def unknown(number: int) -> str | None:
        raise KeyError(number)

    def undecided(number_format: str | int) -> bool:
        raise ValueError("no verdict")

    with pytest.raises(KeyError):
        read_cell_facts(book, wanted=not_general, builtin=unknown)
    with pytest.raises(ValueError, match="no verdict"):
        read_cell_facts(book, wanted=undecided)
