"""The BIFF8 walker on workbooks built record by record: every cell record and link kind."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from applinks.files.cell_facts import CellFacts, NumberFormat, StyledColumn, by_column
from applinks.files.xls_cells import hyperlink_formula, read_xls_facts
from tests.files import biff_build as biff

REDFIN = "https://www.redfin.com/MA/Boston/12-Elm-St-02134/home/1234567"
ZILLOW = "https://www.zillow.com/homedetails/59187422_zpid/"
BUILTIN = {0: "General", 14: "m/d/yyyy"}

GLOBALS = (
    biff.format_record(164, "00000")
    + biff.format_record(165, '"€"#,##0.00', wide=True)
    + biff.xf(0, style=True)  # 0: the Normal style, named by no cell
    + biff.xf(164)  # 1
    + biff.xf(165)  # 2
    + biff.xf(14)  # 3: a built-in date
    + biff.xf(0)  # 4: General
)
STRING_RESULT = bytes([0, 0, 0, 0, 0, 0, 0xFF, 0xFF])
PTG_REF_B1, PTG_CONCAT = bytes([0x44, 0, 0, 1, 0xC0]), bytes([0x08])

DEALS = (
    biff.number(1, 0, 1, 2134.0)
    + biff.rk(2, 0, 1, 7030)
    + biff.mulrk(3, 0, [(1, 94105), (2, 12), (4, 5)])
    + biff.formula(1, 1, 2, biff.number_result(3.5))
    + biff.formula(1, 2, 3, biff.error_result(0x2A))
    + biff.boolerr(2, 2, 4, 0x07, error=True)
    + biff.boolerr(3, 2, 4, 1, error=False)
    + biff.number(4, 3, 3, 45000.0)
    # HYPERLINK formulas: with one argument, with two, and one whose target is not literal.
    + biff.formula(4, 4, 4, STRING_RESULT, biff.ptg_str(REDFIN) + biff.ptg_hyperlink(1))
    + biff.formula(
        5,
        4,
        4,
        STRING_RESULT,
        biff.ptg_str("https://a.example/") + biff.ptg_str("A") + biff.ptg_hyperlink(2),
    )
    + biff.formula(
        6,
        4,
        4,
        STRING_RESULT,
        biff.ptg_str("https://a.example/") + PTG_REF_B1 + PTG_CONCAT + biff.ptg_hyperlink(1),
    )
    # HLINK: a URL over two cells, a URL with a location, a file, a place in the workbook, and
    # a URL over a cell that also has a HYPERLINK formula (the HLINK wins).
    + biff.hlink((1, 2, 5, 5), url=ZILLOW, display="View listing")
    + biff.hlink((3, 3, 5, 5), url="https://b.example/page", location="top")
    + biff.hlink((4, 4, 5, 5), file="deals.xlsx")
    + biff.hlink((5, 5, 5, 5), location="Sheet2!A1")
    + biff.hlink((5, 5, 4, 4), url="https://won.example/")
    # A chart inside the sheet: its records are not the sheet's.
    + biff.bof(0x0020)
    + biff.number(9, 9, 1, 1.0)
    + biff.record(biff.EOF)
    + biff.number(7, 0, 1, 5.0)
)


def styled(rows: list[int], xfs: list[int]) -> StyledColumn:
    return StyledColumn(array("I", rows), array("I", xfs))


def not_general(number_format: NumberFormat) -> bool:
    return number_format != "General"


def xls(tmp_path: Path, stream: bytes) -> Path:
    path = tmp_path / "book.xls"
    path.write_bytes(biff.compound_file(stream))
    return path


def test_every_cell_record(tmp_path: Path) -> None:
    path = xls(tmp_path, biff.workbook(GLOBALS, [("Deals", DEALS)]))
    facts = read_xls_facts(path, "Deals", wanted=not_general, builtin=BUILTIN.get)
    assert facts == CellFacts(
        formats={1: "00000", 2: '"€"#,##0.00', 3: "m/d/yyyy"},
        styled={
            0: styled([2, 3, 4, 8], [1, 1, 1, 1]),
            1: styled([2, 4], [2, 2]),
            3: styled([5], [3]),
        },
        errors=by_column({(2, 2): "#N/A", (3, 2): "#DIV/0!"}),
        links=by_column(
            {
                (5, 4): REDFIN,
                (6, 4): "https://won.example/",
                (2, 5): ZILLOW,
                (3, 5): ZILLOW,
                (4, 5): "https://b.example/page#top",
            }
        ),
    )


def test_wanted_is_asked_once_a_format(tmp_path: Path) -> None:
    seen: list[NumberFormat] = []
    globals_records = GLOBALS + biff.xf(164) + biff.xf(99)  # 5: 00000 again; 6: an unknown id
    path = xls(tmp_path, biff.workbook(globals_records, [("Deals", DEALS)]))
    facts = read_xls_facts(path, wanted=lambda f: seen.append(f) or f == 99, builtin=BUILTIN.get)
    assert seen == ["00000", '"€"#,##0.00', "m/d/yyyy", "General", 99]
    assert (facts.formats, facts.styled) == ({6: 99}, {})


def test_without_wanted_no_cells_are_styled(tmp_path: Path) -> None:
    path = xls(tmp_path, biff.workbook(GLOBALS, [("Deals", DEALS)]))
    facts = read_xls_facts(path)
    assert (facts.formats, facts.styled, facts.errors) == (
        {},
        {},
        by_column({(2, 2): "#N/A", (3, 2): "#DIV/0!"}),
    )


def test_sheet_by_name_or_the_first_worksheet(tmp_path: Path) -> None:
    sheets = [("Chart", b""), ("Deals", DEALS), ("Other", biff.number(0, 0, 2, 1.0))]
    path = xls(tmp_path, biff.workbook(GLOBALS, sheets, kinds=[2, 0, 0]))
    deals = read_xls_facts(path, "Deals", wanted=not_general, builtin=BUILTIN.get)
    assert read_xls_facts(path, wanted=not_general, builtin=BUILTIN.get) == deals
    other = read_xls_facts(path, "Other", wanted=not_general, builtin=BUILTIN.get)
    assert other.styled == {0: styled([1], [2])}
    assert read_xls_facts(path, "deals", wanted=not_general) == CellFacts()


def test_a_cell_naming_xf_0_is_filed_past_the_last_xf(tmp_path: Path) -> None:
    """Key 0 means "a cell without a style" in CellFacts; an .xls cell always names one."""
    globals_records = biff.format_record(164, "00000") + biff.xf(164) + biff.xf(0)
    path = xls(tmp_path, biff.workbook(globals_records, [("Deals", biff.number(1, 0, 0, 7.0))]))
    facts = read_xls_facts(path, wanted=not_general, builtin=BUILTIN.get)
    assert (facts.formats, facts.styled) == ({2: "00000"}, {0: styled([2], [2])})


@pytest.mark.parametrize(
    ("tokens", "target"),
    [
        (biff.ptg_str(ZILLOW) + biff.ptg_hyperlink(1), ZILLOW),
        (bytes([0x19, 0x40, 1, 0]) + biff.ptg_str(ZILLOW) + biff.ptg_hyperlink(1), ZILLOW),
        (biff.ptg_str(ZILLOW) + bytes([0x1E, 5, 0]) + biff.ptg_hyperlink(2), ZILLOW),
        (biff.ptg_str("#Sheet2!A1") + biff.ptg_hyperlink(1), None),
        (biff.ptg_str("") + biff.ptg_hyperlink(1), None),
        (biff.ptg_str(ZILLOW) + biff.ptg_hyperlink(2), None),
        (biff.ptg_str(ZILLOW) + bytes([0x42, 1, 0x20, 0]), None),  # another function
        (biff.ptg_str(ZILLOW) + biff.ptg_hyperlink(1) + bytes([0x15]), None),
        (biff.ptg_str(ZILLOW)[:10], None),
        (biff.ptg_str("a") * 3 + biff.ptg_hyperlink(3), None),
        (b"", None),
    ],
    ids=[
        "literal",
        "space",
        "second-argument",
        "inside-the-workbook",
        "empty",
        "argument-count",
        "not-hyperlink",
        "token-after-the-call",
        "cut-string",
        "three-arguments",
        "no-tokens",
    ],
)
def test_hyperlink_formula(tokens: bytes, target: str | None) -> None:
    assert hyperlink_formula(tokens) == target
