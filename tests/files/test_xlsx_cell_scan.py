"""The pass over a sheet's XML: held to a model of the sheet, at any chunk size, both ways."""

from __future__ import annotations

import io
import re
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applinks.files.xlsx_cell_scan import (
    CHUNK_BYTES,
    SheetCells,
    _digits_pattern,
    column_index,
    literal_target,
    scan_sheet_cells,
    xml_text,
)
from tests.files.xlsx_package import by_column

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WANTED = (1, 2, 12, 120)
STYLES = (None, 0, 1, 2, 3, 12, 13, 120, 7)
#: Cell text that looks like markup the fast searches count.
TRAPS = ("x", ' s="1"', 't="e"', "&lt;c r=&quot;A1&quot; s=&quot;1&quot;&gt;", "HYPERLINK(")
KINDS = (
    "number",
    "number_n",
    "formula_number",
    "shared_string",
    "str",
    "inline",
    "bool",
    "empty",
    "error",
    "error_formula",
    "link",
    "link_reference",
    "master",
    "follower",
    "no_result",
    "text_no_result",
    "empty_text",
)
NUMBERS = ("number", "number_n", "formula_number")


def letters(column: int) -> str:
    out = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def formula_literal(target: str, entities: bool) -> str:
    """Return ``"target"`` as it appears in a formula's XML text."""
    text = '"' + target.replace('"', '""') + '"'
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return text.replace('"', "&quot;") if entities else text


class Model:
    """A sheet being drawn: its XML and what the pass must find in it."""

    def __init__(self, prefix: str, oddness: int) -> None:
        self.p = f"{prefix}:" if prefix else ""
        #: How often (in eighths) a cell or row is written in a form that is not Excel's.
        self.oddness = oddness
        self.xml: list[str] = []
        self.styled: dict[tuple[int, int], int] = {}
        self.errors: dict[tuple[int, int], str] = {}
        self.links: dict[tuple[int, int], str] = {}
        self.found = SheetCells()
        self.shared: dict[str, str | None] = {}

    def odd(self, draw: st.DrawFn) -> bool:
        """Return True, as often as this sheet's oddness says, to write something unusual."""
        return draw(st.integers(0, 7)) < self.oddness

    def expected(self) -> SheetCells:
        columns: dict[int, list[tuple[int, int]]] = {}
        for (row, column), xf in sorted(self.styled.items()):
            columns.setdefault(column, []).append((row, xf))
        self.found.styled = {
            column: (array("I", [r for r, _ in cells]), array("I", [x for _, x in cells]))
            for column, cells in columns.items()
        }
        self.found.errors = by_column(self.errors)
        self.found.formula_links = by_column(self.links)
        return self.found


@st.composite
def cell_xml(draw: st.DrawFn, model: Model, row: int, column: int, write_ref: bool) -> str:
    """Return one cell's XML, noting in ``model`` what the pass must find there."""
    p = model.p
    kind = draw(st.sampled_from(KINDS))
    if kind == "follower" and not model.shared:
        kind = "number"
    style = draw(st.sampled_from(STYLES))
    cell = (row, column)
    body, kind_attr = f"<{p}v>45000</{p}v>", ""
    if kind == "number_n":
        kind_attr = "n"
    elif kind == "formula_number":
        body = f"<{p}f>1+1</{p}f><{p}v>2</{p}v>"
    elif kind in ("shared_string", "bool"):
        kind_attr = "s" if kind == "shared_string" else "b"
        body = f"<{p}v>0</{p}v>"
    elif kind == "str":
        kind_attr, body = "str", f'<{p}f>"a"</{p}f><{p}v>a</{p}v>'
    elif kind == "inline":
        trap = draw(st.sampled_from(TRAPS))
        kind_attr, body = "inlineStr", f"<{p}is><{p}t>{trap}</{p}t></{p}is>"
    elif kind in ("error", "error_formula"):
        shown = draw(st.sampled_from(["#N/A", "#DIV/0!", "#NAME?", "#SPILL!", ""]))
        formula = f"<{p}f>NA()</{p}f>" if kind == "error_formula" else ""
        kind_attr, body = "e", f"{formula}<{p}v>{shown}</{p}v>"
        if shown:
            model.errors[cell] = shown
        elif formula:
            model.found.formulas_without_values += 1
    elif kind == "no_result":  # a formula not calculated: no value, or an empty one (openpyxl)
        value = draw(st.sampled_from(["", f"<{p}v/>", f"<{p}v></{p}v>", f"<{p}v> </{p}v>"]))
        kind_attr, body = "", f"<{p}f>A1&amp;B1</{p}f>{value}"
        style = None  # (a styled one would be a number cell under its style, with no number)
        model.found.formulas_without_values += 1
    elif kind == "text_no_result":  # a formula of text not calculated: no value at all
        kind_attr, body = "str", f"<{p}f>A1&amp;B1</{p}f>"
        model.found.formulas_without_values += 1
    elif kind == "empty_text":  # a formula of text whose saved value is "" (Excel's ="")
        value = draw(st.sampled_from([f"<{p}v/>", f"<{p}v></{p}v>", f"<{p}v> </{p}v>"]))
        kind_attr, body = "str", f'<{p}f>IF(A1="x","x","")</{p}f>{value}'
    elif kind in ("link", "link_reference", "master"):
        target = draw(st.text(alphabet='ab/:."&<', min_size=1, max_size=8))
        name = draw(st.sampled_from(["HYPERLINK", "hyperlink", "_xlfn.HYPERLINK", " HyperLink "]))
        literal = kind != "link_reference" and draw(st.booleans())
        argument = formula_literal(target, draw(st.booleans())) if literal else "A1"
        attrs = ""
        if kind == "master":
            si = str(len(model.shared))
            attrs = f' t="shared" ref="{letters(column)}{row}:{letters(column)}{row + 9}" si="{si}"'
            model.shared[si] = target if literal else None
        kind_attr = "str"
        body = f'<{p}f{attrs}>{name}({argument},"V")</{p}f><{p}v>V</{p}v>'
        if literal:
            model.links[cell] = target
    elif kind == "follower":
        # Now and then a follower before its master (which gives it no link).
        choices = sorted(model.shared) + ([str(len(model.shared))] if model.odd(draw) else [])
        si = draw(st.sampled_from(choices))
        ending = draw(st.sampled_from(["/>", f"></{p}f>"]))
        attrs = f'si="{si}" t="shared"' if model.odd(draw) else f't="shared" si="{si}"'
        kind_attr, body = "str", f"<{p}f {attrs}{ending}<{p}v>V</{p}v>"
        target = model.shared.get(si)
        if target is not None:
            model.links[cell] = target
    if kind == "empty":
        body = ""
    elif style in WANTED and kind in NUMBERS:
        model.styled[cell] = style
    return cell_tag(draw, model, body, cell, write_ref, style, kind_attr)


def cell_tag(
    draw: st.DrawFn,
    model: Model,
    body: str,
    cell: tuple[int, int],
    write_ref: bool,
    style: int | None,
    kind: str,
) -> str:
    """Return a cell tag with its attributes in Excel's order and spacing, or now and then in
    another order, spacing or case."""
    ref = f"{letters(cell[1])}{cell[0]}"
    if model.odd(draw):
        ref = ref.lower()
    zeros = "0" if model.odd(draw) else ""
    attrs = {
        "r": f'r="{ref}"' if write_ref else "",
        "s": f's="{zeros}{style}"' if style is not None else "",
        "t": f't="{kind}"' if kind else "",
    }
    order = draw(st.sampled_from(["rts", "str", "rstc"])) if model.odd(draw) else "rst"
    parts = [attrs.get(key, 'cm="1"') for key in order]
    space = draw(st.sampled_from(["  ", "\n"])) if model.odd(draw) else " "
    text = "".join(space + part for part in parts if part)
    p = model.p
    return f"<{p}c{text}/>" if not body else f"<{p}c{text}>{body}</{p}c>"


@st.composite
def sheets(draw: st.DrawFn) -> tuple[bytes, SheetCells]:
    """Return a sheet's XML and what the pass must find in it."""
    model = Model(draw(st.sampled_from(["", "", "x"])), draw(st.sampled_from([0, 1, 4])))
    p = model.p
    between = draw(st.sampled_from(["", "", "\n  "]))
    row = 0
    for _ in range(draw(st.integers(0, 6))):
        gap = draw(st.integers(0, 3))
        row += 1 + gap
        attrs = f' r="{row}"' if gap or not model.odd(draw) else ""
        if model.odd(draw):
            attrs += ' s="1" customFormat="1"'
        attrs = ' spans="1:5"' + attrs if model.odd(draw) else attrs + ' spans="1:5"'
        cells, column = [], -1
        for _ in range(draw(st.integers(0, 5))):
            step = draw(st.integers(0, 2))
            column += 1 + step
            write_ref = bool(step) or not model.odd(draw)
            cells.append(draw(cell_xml(model, row, column, write_ref)))
        model.xml.append(f"<{p}row{attrs}>{between.join(cells)}</{p}row>")
    links = []
    for number in range(draw(st.integers(0, 3))):
        ref = draw(st.sampled_from(["A1", "B2:C4", "$D$5"]))
        location = draw(st.sampled_from(["", "part", "a&amp;b"]))
        attrs = [f'ref="{ref}"', f'r:id="rId{number}"']
        attrs += [f'location="{location}"'] if location else []
        if model.odd(draw):
            attrs.insert(draw(st.integers(0, len(attrs))), 'display="A &amp; B"')
        if model.odd(draw):
            attrs.reverse()
        links.append(f"<{p}hyperlink {' '.join(attrs)}/>")
        model.found.hyperlinks.append((ref, f"rId{number}", location.replace("&amp;", "&")))
    tail = f"<{p}hyperlinks>{''.join(links)}</{p}hyperlinks>" if links else ""
    namespace = f'xmlns:{p[:-1]}="{MAIN}"' if p else f'xmlns="{MAIN}"'
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}worksheet {namespace} xmlns:r="r">'
        f"{between}<{p}sheetData>{between.join(model.xml)}</{p}sheetData>{tail}</{p}worksheet>"
    )
    return xml.encode("utf-8"), model.expected()


def scan(xml: bytes, chunk_size: int, fast: bool = True) -> SheetCells:
    return scan_sheet_cells(io.BytesIO(xml), WANTED, chunk_size=chunk_size, fast=fast)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    sheet=sheets(),
    chunk_size=st.one_of(st.integers(1, 300), st.just(7), st.just(CHUNK_BYTES)),
)
def test_the_pass_finds_what_the_sheet_holds_at_any_chunk_size_both_ways(
    sheet: tuple[bytes, SheetCells], chunk_size: int
) -> None:
    xml, expected = sheet
    assert scan(xml, chunk_size) == expected
    assert scan(xml, chunk_size, fast=False) == expected


def test_the_fast_way_is_taken_for_what_spreadsheet_programs_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from applinks.files import xlsx_cell_scan

    slow_pieces: list[bytes] = []
    original = xlsx_cell_scan._Scanner._slow

    def spy(self: xlsx_cell_scan._Scanner, buf: bytes) -> None:
        slow_pieces.append(buf)
        original(self, buf)

    monkeypatch.setattr(xlsx_cell_scan._Scanner, "_slow", spy)
    rows = "".join(
        f'<row r="{r}" spans="1:4"><c r="A{r}" t="s"><v>1</v></c><c r="B{r}" s="1"><v>45000</v>'
        f'</c><c r="C{r}" s="12" t="n"><v>0.5</v></c><c r="D{r}" s="2" t="s"><v>2</v></c>'
        f'<c r="E{r}" t="e"><f>NA()</f><v>#N/A</v></c><c r="F{r}" t="str"><f>HYPERLINK('
        f'"https://a.com/{r}","V")</f><v>V</v></c></row>'
        for r in range(1, 2001)
    )
    xml = f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    found = scan(xml, 4096)
    assert slow_pieces == []
    assert found.styled == {
        1: (array("I", range(1, 2001)), array("I", [1] * 2000)),
        2: (array("I", range(1, 2001)), array("I", [12] * 2000)),
    }
    assert found.errors == by_column({(r, 4): "#N/A" for r in range(1, 2001)})
    assert found.formula_links == by_column({(r, 5): f"https://a.com/{r}" for r in range(1, 2001)})


@pytest.mark.parametrize(
    ("arguments", "target"),
    [
        ('"https://a.com","x")', "https://a.com"),
        ('"https://a.com")', "https://a.com"),
        ('  "a ""quoted"" b" , 1)', 'a "quoted" b'),
        ('"a"&B1)', None),
        ("B1)", None),
        ('"")', None),
        ('"open', None),
        ('"a""', None),
    ],
    ids=["two", "one", "quotes", "joined", "reference", "empty", "open", "open-escaped"],
)
def test_literal_target(arguments: str, target: str | None) -> None:
    assert literal_target(arguments) == target


def test_text_and_names() -> None:
    assert xml_text(b"a &lt;&amp;&gt; &quot;&apos; &#65;&#x42; &#xFFFFFFFF; &bogus;") == (
        "a <&> \"' AB &#xFFFFFFFF; &bogus;"
    )
    assert [column_index(name) for name in (b"A", b"z", b"AA", b"XFD")] == [0, 25, 26, 16383]


def test_style_numbers_match_exactly() -> None:
    numbers = [1, 12, 120, 7, 70, 5000]
    pattern = re.compile(b'"(' + _digits_pattern(numbers) + b')"')
    matched = {n for n in range(10_000) if pattern.fullmatch(f'"{n}"'.encode())}
    assert matched == set(numbers)


def _sheet(rows: str) -> bytes:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()


LAST = '<c r="Z1" s="1"><v>9</v></c></row>'  # a plain last cell: the piece's end looks plain
#: Sheets whose one odd cell the fast searches miss; their counts must send the piece the slow way.
ODD_PIECES: dict[str, tuple[str, dict]] = {
    "error without a reference": (
        f'<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c t="e"><v>#REF!</v></c>{LAST}',
        {"errors": by_column({(1, 0): "#N/A", (1, 1): "#REF!"})},
    ),
    "error with a lower-case reference": (
        f'<row r="1"><c r="c1" t="e"><v>#N/A</v></c>{LAST}',
        {"errors": by_column({(1, 2): "#N/A"})},
    ),
    "link formula without a reference": (
        f'<row r="1"><c r="A1"><v>1</v></c><c t="str"><f>HYPERLINK("h")</f><v>h</v></c>{LAST}',
        {"formula_links": by_column({(1, 1): "h"})},
    ),
    "link formula in a cell written s, t, r": (
        f'<row r="1"><c s="3" t="str" r="D1"><f>HYPERLINK("h")</f><v>h</v></c>{LAST}',
        {"formula_links": by_column({(1, 3): "h"})},
    ),
    "follower written si, t": (
        '<row r="1"><c r="A1" t="str"><f t="shared" ref="A1:A2" si="0">HYPERLINK("h")</f>'
        '<v>h</v></c></row><row r="2"><c r="A2" t="str"><f si="0" t="shared"/><v>h</v></c>'
        f'</row><row r="1">{LAST}',
        {"formula_links": by_column({(1, 0): "h", (2, 0): "h"})},
    ),
    "follower before its master": (
        '<row r="1"><c r="A1" t="str"><f t="shared" si="0"/><v>h</v></c><c r="B1" t="str">'
        '<f t="shared" ref="B1:C1" si="0">HYPERLINK("h")</f><v>h</v></c><c r="C1" t="str">'
        f'<f t="shared" si="0"/><v>h</v></c>{LAST}',
        {"formula_links": by_column({(1, 1): "h", (1, 2): "h"})},
    ),
    "style after a line break": (
        f'<row r="1"><c r="B1"\ns="1"><v>1</v></c>{LAST}',
        {"styled": {1: ([1], [1])}},
    ),
    "style in a cell without a reference": (
        f'<row r="1"><c r="A1"><v>1</v></c><c s="1"><v>1</v></c>{LAST}',
        {"styled": {1: ([1], [1])}},
    ),
    "style after the type": (
        f'<row r="1"><c r="B1" t="n" s="1"><v>1</v></c>{LAST}',
        {"styled": {1: ([1], [1])}},
    ),
    "style on a row": (
        f'<row r="1" s="1" customFormat="1"><c r="B1" s="1"><v>1</v></c>{LAST}',
        {"styled": {1: ([1], [1])}},
    ),
}


@pytest.mark.parametrize("case", list(ODD_PIECES), ids=list(ODD_PIECES))
def test_an_odd_cell_inside_a_plain_piece_is_found(case: str) -> None:
    rows, found = ODD_PIECES[case]
    styled = {25: ([1], [1])} | found.get("styled", {})
    expected = SheetCells(
        styled={column: (array("I", r), array("I", x)) for column, (r, x) in styled.items()},
        errors=found.get("errors", {}),
        formula_links=found.get("formula_links", {}),
    )
    assert scan(_sheet(rows), CHUNK_BYTES) == expected
    assert scan(_sheet(rows), CHUNK_BYTES, fast=False) == expected
