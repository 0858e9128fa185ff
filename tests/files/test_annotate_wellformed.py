"""Annotated copies are well-formed whatever namespace prefixes and empty elements the input has.

Each input is a workbook saved by openpyxl whose XML is then edited minimally into a form other
writers give (the edit is named in each test), so the rest of the file is real.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree

from applinks.checks import check
from applinks.files.read import read_table
from applinks.files.xlsx_annotate import CHECK_SHEET, write_annotated
from applinks.files.xlsx_styles import DEFAULT_STYLES, Styles
from tests.office import convert

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADERS = ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"]
URL = "https://www.zillow.com/homedetails/{}_zpid/"
ROWS = [
    ["Deal1", "zillow.com", "11111", "Zillow", URL.format(11111)],
    ["Deal2", "Zillow.com", "22222", "Zillow", URL.format(22222)],
]


def _book(path: Path, part: str, edit: Callable[[str], str]) -> Path:
    """Save a two-sheet workbook with openpyxl, then replace ``part`` with ``edit`` of its text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deals"
    for row in [HEADERS, *ROWS]:
        sheet.append(row)
    book.create_sheet("Notes")["A1"] = "Keep me"
    saved = path.with_suffix(".saved.xlsx")
    book.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                edited = edit(data.decode("utf-8"))
                assert edited != data.decode("utf-8"), "the edit must change the part"
                data = edited.encode("utf-8")
            out.writestr(info, data)
    saved.unlink()
    return path


def _annotate(source: Path) -> Path:
    table = read_table(source)
    output = source.with_name("flags.xlsx")
    write_annotated(source, table, check(table), output)
    with zipfile.ZipFile(output) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))  # raises when not well-formed
    return output


def _assert_opens(output: Path, *, read_only: bool = False) -> None:
    """openpyxl reads every sheet of ``output``: the data, the other sheet and the check sheet."""
    book = openpyxl.load_workbook(output, read_only=read_only)
    assert book.sheetnames == ["Deals", "Notes", CHECK_SHEET]
    assert [list(r) for r in book["Deals"].iter_rows(values_only=True)] == [HEADERS, *ROWS]
    assert book["Notes"]["A1"].value == "Keep me"
    listing = book[CHECK_SHEET]
    assert [row[:5] for row in listing.iter_rows(min_row=5, max_row=7, values_only=True)] == [
        ("Row", "Column", "Cell", "Code", "Severity"),
        (3, "App ID", "B3", "app-id-not-lowercase", "error"),
        (3, "App ID", "B3", "app-id-inconsistent", "warning"),
    ]


def _assert_libreoffice_opens(output: Path, tmp_path: Path) -> openpyxl.Workbook:
    """LibreOffice loads ``output`` whole: its own copy has all three sheets and their cells."""
    if shutil.which("soffice") is None:
        pytest.skip("needs LibreOffice (soffice)")
    folder = tmp_path / "lo"
    folder.mkdir()
    copy = convert(output, "xlsx", folder)
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames == ["Deals", "Notes", CHECK_SHEET]
    rows = book["Deals"].iter_rows(max_row=4, values_only=True)  # (its copy keeps the rules' rows)
    assert [list(r) for r in rows] == [HEADERS, *ROWS, [None] * len(HEADERS)]
    assert book[CHECK_SHEET]["C6"].value == "B3"
    return book


def _relationships_only_on_each_sheet(text: str) -> str:
    """Move the relationships namespace from <workbook> onto each <sheet>, as older openpyxl
    versions (and other writers that declare a namespace where it is used) save it."""
    declaration = f' xmlns:r="{REL}"'
    assert text.count(declaration) == 1
    return text.replace(declaration, "").replace("<sheet ", f"<sheet{declaration} ")


@pytest.mark.libreoffice
def test_a_sheet_added_to_a_workbook_declaring_r_on_each_sheet_declares_it_too(
    tmp_path: Path,
) -> None:
    source = _book(tmp_path / "deals.xlsx", "xl/workbook.xml", _relationships_only_on_each_sheet)
    output = _annotate(source)
    workbook = zipfile.ZipFile(output).read("xl/workbook.xml").decode("utf-8")
    sheets = workbook[workbook.index("<sheets>") : workbook.index("</sheets>") + len("</sheets>")]
    assert sheets == (
        f'<sheets><sheet xmlns:r="{REL}" name="Deals" sheetId="1" state="visible" r:id="rId1" />'
        f'<sheet xmlns:r="{REL}" name="Notes" sheetId="2" state="visible" r:id="rId2" />'
        f'<sheet name="App Link Check" sheetId="3" r:id="rId5" xmlns:r="{REL}"/></sheets>'
    )
    _assert_opens(output)
    _assert_libreoffice_opens(output, tmp_path)


def test_a_sheet_added_to_a_workbook_declaring_r_on_its_root_uses_that_prefix(
    tmp_path: Path,
) -> None:
    def rename(text: str) -> str:  # the same file with the prefix "rel" instead of "r"
        return text.replace(f'xmlns:r="{REL}"', f'xmlns:rel="{REL}"').replace(" r:id=", " rel:id=")

    source = _book(tmp_path / "deals.xlsx", "xl/workbook.xml", rename)
    output = _annotate(source)
    workbook = zipfile.ZipFile(output).read("xl/workbook.xml").decode("utf-8")
    assert workbook.count("xmlns:") == 1  # nothing declared again
    assert '<sheet name="App Link Check" sheetId="3" rel:id="rId5"/></sheets>' in workbook
    _assert_opens(output)


@pytest.mark.libreoffice
@pytest.mark.filterwarnings("ignore:Workbook contains no stylesheet")  # openpyxl, on the input
def test_dxfs_go_inside_an_empty_self_closed_stylesheet(tmp_path: Path) -> None:
    def empty(text: str) -> str:  # an empty styles part, as minimal writers give it
        assert text.startswith("<styleSheet ")
        return f'<styleSheet xmlns="{MAIN}"/>'

    source = _book(tmp_path / "deals.xlsx", "xl/styles.xml", empty)
    table = read_table(source)
    output = _annotate(source)
    styles = zipfile.ZipFile(output).read("xl/styles.xml").decode("utf-8")
    dxf = (
        '<dxf><font><color rgb="FF{}"/></font><fill><patternFill><bgColor rgb="FF{}"/>'
        "</patternFill></fill></dxf>"
    )
    # openpyxl drops the dxfs of a styles part without cell formats (cellXfs) and then cannot
    # load the copy: an empty styles part becomes Excel's default one, with the colours.
    assert styles == DEFAULT_STYLES.format(namespace=MAIN).replace(
        "</styleSheet>",
        '<dxfs count="2">'
        + dxf.format("9C0006", "FFC7CE")  # errors
        + dxf.format("9C5700", "FFEB9C")  # warnings
        + "</dxfs></styleSheet>",
    )
    _assert_opens(output)
    assert table.headers == HEADERS
    copy = _assert_libreoffice_opens(output, tmp_path)
    rules = [r for f in copy["Deals"].conditional_formatting for r in f.rules]
    assert {r.dxf.fill.bgColor.rgb for r in rules} == {"FFFFC7CE", "FFFFEB9C"}


@pytest.mark.parametrize(
    ("part", "namespace"),
    [
        (f'<x:styleSheet xmlns:x="{MAIN}"/>', MAIN),
        (f'<x:styleSheet xmlns:x="{MAIN}">\n</x:styleSheet>', MAIN),
        ('<styleSheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"/>', STRICT),
    ],
    ids=["prefixed", "prefixed-opened", "strict"],
)
def test_an_empty_styles_part_of_any_form_becomes_the_default_one(
    part: str, namespace: str
) -> None:
    # The colours are written without a prefix into Excel's default part, in the namespace the
    # empty part had (a prefixed one gave "x:dxf" elements whose prefix nothing declared).
    styles = Styles(part)
    assert styles.dxf("#FFC7CE", "#9C0006") == 0
    text = styles.text()
    assert text == DEFAULT_STYLES.format(namespace=namespace).replace(
        "</styleSheet>",
        '<dxfs count="1"><dxf><font><color rgb="FF9C0006"/></font><fill><patternFill>'
        '<bgColor rgb="FFFFC7CE"/></patternFill></fill></dxf></dxfs></styleSheet>',
    )
    ElementTree.fromstring(text)  # well-formed, every prefix declared


def test_text_copies_of_cell_formats_are_numbered_without_gaps() -> None:
    """A format already Text is used as it is and makes no copy, so the copies made after it
    take the next numbers (SheetJS's issue.xlsx referred to formats past the list)."""
    xfs = ['<xf numFmtId="0"/>', '<xf numFmtId="49"/>', '<xf numFmtId="3"/>']
    styles = Styles(
        f'<styleSheet xmlns="{MAIN}"><cellXfs count="3">{"".join(xfs)}</cellXfs></styleSheet>'
    )
    assert [styles.text_style(n) for n in (1, 0, 2, 0)] == [1, 3, 4, 3]
    assert styles.text() == (
        f'<styleSheet xmlns="{MAIN}"><cellXfs count="5">{"".join(xfs)}'
        '<xf numFmtId="49" applyNumberFormat="1"/><xf numFmtId="49" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    )


def test_a_cell_format_in_alternate_content_counts_once_and_is_copied_from_its_fallback() -> None:
    """POI's style-alternate-content.xlsx wraps cell formats in mc:AlternateContent, the
    Choice declaring its own prefix: the copy is the Fallback's, numbered after the list."""
    choice = (
        '<mc:AlternateContent xmlns:mc="urn:mc"><mc:Choice xmlns:hs="urn:hs" Requires="hs">'
        '<xf numFmtId="0" hs:applyExtension="1"/></mc:Choice>'
        '<mc:Fallback><xf numFmtId="0" applyAlignment="1"/></mc:Fallback></mc:AlternateContent>'
    )
    styles = Styles(
        f'<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/>{choice}</cellXfs>'
        "</styleSheet>"
    )
    assert [styles.text_style(1), styles.text_style(0)] == [2, 3]
    assert styles.text() == (
        f'<styleSheet xmlns="{MAIN}"><cellXfs count="4"><xf numFmtId="0"/>{choice}'
        '<xf applyAlignment="1" numFmtId="49" applyNumberFormat="1"/>'
        '<xf numFmtId="49" applyNumberFormat="1"/></cellXfs></styleSheet>'
    )


@pytest.mark.filterwarnings("ignore:Workbook contains no stylesheet")  # openpyxl, on the input
def test_a_new_styles_part_does_not_take_the_name_of_an_unlinked_one(tmp_path: Path) -> None:
    # The package keeps xl/styles.xml, but nothing links to it: the copy's styles part for the
    # flags' colours gets a name of its own (the same name twice makes a corrupt zip).
    def unlink(rels: str) -> str:
        unlinked = re.sub(r'<Relationship [^>]*Target="styles.xml"[^>]*/>', "", rels)
        assert unlinked != rels
        return unlinked

    source = _book(tmp_path / "deals.xlsx", "xl/_rels/workbook.xml.rels", unlink)
    output = _annotate(source)
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    assert len(names) == len(set(names))
    assert "xl/styles2.xml" in names
    assert re.search(r'Target="styles2.xml"', rels)
    ids = re.findall(r'Id="(rId\d+)"', rels)
    assert len(ids) == len(set(ids))
    # (openpyxl reads xl/styles.xml by its name, not through the relationship Excel follows,
    # so it is not the judge here.)
