"""OpenDocument data styles turned into Excel format codes (most as LibreOffice writes them)."""

from __future__ import annotations

import pytest
from defusedxml.ElementTree import fromstring

from applinks.files.ods_formats import DataStyle, excel_code, is_elapsed, read_data_style

NS = (
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"'
)


def styles(xml: str) -> dict[str, DataStyle]:
    """Read the data styles of an XML fragment."""
    out = {}
    for element in fromstring(f"<styles {NS}>{xml}</styles>"):
        found = read_data_style(element)
        assert found is not None
        out[found[0]] = found[1]
    return out


def number(attributes: str, inner: str = "") -> str:
    return f"<number:number {attributes}>{inner}</number:number>"


def embedded(position: int, text: str) -> str:
    return f'<number:embedded-text number:position="{position}">{text}</number:embedded-text>'


def text(literal: str) -> str:
    return f"<number:text>{literal}</number:text>"


def style(kind: str, name: str, body: str, attributes: str = "") -> str:
    return f'<number:{kind}-style style:name="{name}" {attributes}>{body}</number:{kind}-style>'


def condition(test: str, target: str) -> str:
    return f'<style:map style:condition="{test}" style:apply-style-name="{target}"/>'


WHOLE = 'number:decimal-places="0" number:min-decimal-places="0"'
PHONE = style(
    "number", "P0", number(f'{WHOLE} number:min-integer-digits="0"', embedded(4, "-"))
) + style(
    "number",
    "M",
    text("(")
    + number(f'{WHOLE} number:min-integer-digits="0"', embedded(7, ") ") + embedded(4, "-"))
    + condition("value()&lt;=9999999", "P0"),
)
ACCOUNTING = (
    style(
        "number",
        "P0",
        text(" ")
        + number(f'{WHOLE} number:min-integer-digits="1" number:grouping="true"')
        + text(" "),
    )
    + style(
        "number",
        "P1",
        text(" (")
        + number(f'{WHOLE} number:min-integer-digits="1" number:grouping="true"')
        + text(")"),
    )
    + style("number", "P2", text(" - "))
    + style(
        "text",
        "M",
        text(" ")
        + "<number:text-content/>"
        + text(" ")
        + condition("value()&gt;0", "P0")
        + condition("value()&lt;0", "P1")
        + condition("value()=0", "P2"),
    )
)
CASES = [
    ("general", style("number", "M", number('number:min-integer-digits="1"')), "General"),
    ("zip", style("number", "M", number(f'{WHOLE} number:min-integer-digits="5"')), "00000"),
    (
        "zip+4",
        style("number", "M", number(f'{WHOLE} number:min-integer-digits="9"', embedded(4, "-"))),
        "00000-0000",
    ),
    (
        "ssn",
        style(
            "number",
            "M",
            number(f'{WHOLE} number:min-integer-digits="9"', embedded(6, "-") + embedded(4, "-")),
        ),
        "000-00-0000",
    ),
    ("phone", PHONE, "[<=9999999]#-####;(#) ###-####"),
    (
        "price",
        style(
            "number",
            "M",
            text("$")
            + number(
                'number:decimal-places="2" number:min-integer-digits="1" number:grouping="true"'
            ),
        ),
        "$#,##0.00",
    ),
    (
        "optional-decimals",
        style(
            "number",
            "M",
            number(
                'number:decimal-places="3" loext:min-decimal-places="1" '
                'number:min-integer-digits="1"'
            ),
        ),
        "0.0##",
    ),
    (
        "thousands",
        style(
            "number",
            "M",
            number(f'{WHOLE} number:min-integer-digits="1" number:display-factor="1000"')
            + text(" K"),
        ),
        '0, "K"',
    ),
    (
        "percent",
        style(
            "percentage",
            "M",
            number('number:decimal-places="2" number:min-integer-digits="1"') + text("%"),
        ),
        "0.00%",
    ),
    ("percent-in-a-number-style", style("number", "M", number(WHOLE) + text("%")), '#"%"'),
    (
        "scientific",
        style(
            "number",
            "M",
            '<number:scientific-number number:decimal-places="1" number:min-integer-digits="1" '
            'number:min-exponent-digits="1" number:exponent-interval="3" '
            'number:forced-exponent-sign="true"/>',
        ),
        "##0.0E+0",
    ),
    (
        "fraction",
        style(
            "number",
            "M",
            '<number:fraction number:min-integer-digits="0" number:min-numerator-digits="2" '
            'number:min-denominator-digits="2"/>',
        ),
        "# ??/??",
    ),
    (
        "eighths",
        style(
            "number",
            "M",
            '<number:fraction number:min-numerator-digits="1" number:denominator-value="8"/>',
        ),
        "?/8",
    ),
    (
        "euro",
        style(
            "currency",
            "M",
            number('number:decimal-places="2" number:min-integer-digits="1" number:grouping="true"')
            + text(" ")
            + '<number:currency-symbol number:language="de" number:country="DE">€'
            "</number:currency-symbol>",
        ),
        "#,##0.00 [$€]",
    ),
    ("accounting", ACCOUNTING, " #,##0 ; (#,##0); - ; @ "),
    (
        "red-negatives",
        style("number", "P0", number(f'{WHOLE} number:min-integer-digits="1"'))
        + style(
            "number",
            "M",
            '<style:text-properties fo:color="#ff0000"/>'
            + text("-")
            + number(f'{WHOLE} number:min-integer-digits="1"')
            + condition("value()&gt;=0", "P0"),
        ),
        "0;[Red]-0",
    ),
    (
        "date",
        style(
            "date",
            "M",
            '<number:year number:style="long"/>'
            + text("-")
            + '<number:month number:style="long"/>'
            + text("-")
            + '<number:day number:style="long"/>',
        ),
        "yyyy-mm-dd",
    ),
    (
        "date-time",
        style(
            "date",
            "M",
            "<number:day-of-week/>"
            + text(", ")
            + '<number:month number:textual="true" number:style="long"/>'
            + text(" ")
            + "<number:day/>"
            + text(" ")
            + "<number:hours/>"
            + text(":")
            + '<number:minutes number:style="long"/>'
            + text(" ")
            + "<number:am-pm/>",
        ),
        "ddd, mmmm d h:mm AM/PM",
    ),
    (
        "elapsed",
        style(
            "time",
            "M",
            "<number:hours/>"
            + text(":")
            + '<number:minutes number:style="long"/>'
            + text(":")
            + '<number:seconds number:style="long" number:decimal-places="1"/>',
            'number:truncate-on-overflow="false"',
        ),
        "[h]:mm:ss.0",
    ),
    ("text", style("text", "M", "<number:text-content/>"), "@"),
    ("quoted-text", style("number", "M", text('in "q"') + number(WHOLE)), '"in" \\""q"\\"#'),
    ("boolean", style("boolean", "M", "<number:boolean/>"), '"TRUE";"TRUE";"FALSE"'),
    (
        "two-conditions",
        style("number", "A", number(WHOLE))
        + style("number", "B", text("big"))
        + style(
            "number",
            "M",
            text("x") + condition("value()&gt;1e6", "B") + condition("value()!=0", "A"),
        ),
        '[>1e6]"big";[<>0]#;"x"',
    ),
    (
        "map-to-a-missing-style",
        style("number", "M", number(WHOLE) + condition("value()&gt;=0", "Nowhere")),
        "#",
    ),
]


@pytest.mark.parametrize(("xml", "code"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_excel_code(xml: str, code: str) -> None:
    assert excel_code("M", styles(xml)) == code


def test_unknown_style_has_no_code() -> None:
    assert excel_code("N9", {}) is None


def test_element_that_is_not_a_data_style() -> None:
    element = fromstring(f'<style:style {NS} style:name="ce1" style:family="table-cell"/>')
    assert read_data_style(element) is None


@pytest.mark.parametrize(
    ("code", "elapsed"),
    [
        ("[h]:mm:ss", True),
        ("[mm]:ss", True),
        ("[Red][ss]", True),
        ("h:mm", False),
        ("[Red]0", False),
    ],
)
def test_is_elapsed(code: str, elapsed: bool) -> None:
    assert is_elapsed(code) is elapsed
