"""Excel number formats: the kind of a code, the text a number shows, General numbers, built-ins.

The unit tables hold what Excel shows; the LibreOffice test renders a grid of codes and values
with soffice ("save cell contents as shown") and holds :func:`render_number` to it, cell by cell,
with every known difference listed and explained.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import math
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from applinks import numfmt
from applinks.numfmt import FormatKind, builtin_format, format_kind, general_number, render_number
from applinks.table import cell_text

ROOT = Path(__file__).parent.parent
GENERAL, PLAIN, SHOWN, TEXT = (
    FormatKind.GENERAL,
    FormatKind.PLAIN,
    FormatKind.SHOWN,
    FormatKind.TEXT,
)
DATE, TIME, DATETIME = FormatKind.DATE, FormatKind.TIME, FormatKind.DATETIME
DURATION = FormatKind.DURATION
PHONE = "[<=9999999]###-####;(###) ###-####"
ACCOUNTING = '_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)'

#: (case id, format code, kind)
KINDS: list[tuple[str, str, FormatKind]] = [
    ("zip", "00000", SHOWN),
    ("zip-plus-4", "00000-0000", SHOWN),
    ("zip-or-zip-plus-4", "[<=99999]00000;00000-0000", SHOWN),
    ("phone", PHONE, SHOWN),
    ("phone-without-condition", "(###) ###-####", SHOWN),
    ("phone-escaped", "\\(000\\) 000\\-0000", SHOWN),
    ("ssn", "000-00-0000", SHOWN),
    ("ssn-escaped", "000\\-00\\-0000", SHOWN),
    ("id-nine-zeros", "000000000", SHOWN),
    ("id-spaced", "000 000 000", SHOWN),
    ("id-dotted", "000\\.000\\.000\\-00", SHOWN),
    ("id-second-point-is-literal", "000.000.000", SHOWN),
    ("id-with-prefix", '"ID "000000', SHOWN),
    ("zip-with-locale", "[$-409]00000", SHOWN),
    ("zip-red", "[Red]00000", SHOWN),
    ("padded-decimals", "0000.00", SHOWN),
    ("two-zeros", "00.00", SHOWN),
    ("thousands-padded", "0,000", SHOWN),
    ("percent", "0%", SHOWN),
    ("percent-decimals", "0.00%", SHOWN),
    ("percent-red-negative", "0.00%;[Red]-0.00%", SHOWN),
    ("percent-first", "%0", SHOWN),
    ("condition-colours", "[Blue][>=1000]#,##0;[Red]#,##0", SHOWN),
    ("condition-text", '[>100]"big";[<0]"neg";"mid"', SHOWN),
    ("text", "@", TEXT),
    ("text-section-last", "0;@", PLAIN),
    ("quoted-semicolon", '00";"00', SHOWN),
    ("text-with-literal", '"ID "@', TEXT),
    ("integer", "0", PLAIN),
    ("decimals", "0.00", PLAIN),
    ("thousands", "#,##0", PLAIN),
    ("thousands-decimals", "#,##0.00", PLAIN),
    ("dollar", '"$"#,##0.00', PLAIN),
    ("dollar-unquoted", "$#,##0", PLAIN),
    ("usd-after", '#,##0.00 "USD"', PLAIN),
    ("accounting", '_("$"* #,##0.00_)', PLAIN),
    ("accounting-four-sections", ACCOUNTING, PLAIN),
    ("euro-tag", "[$€-407] #,##0.00", PLAIN),
    ("currency-tag-code", "[$USD] #,##0", PLAIN),
    ("negative-red", "0;[Red]-0", PLAIN),
    ("negative-parentheses", "#,##0;(#,##0)", PLAIN),
    ("scientific", "0.00E+00", PLAIN),
    ("scientific-two-digits", "00.00E+00", PLAIN),
    ("engineering", "##0.0E+0", PLAIN),
    ("fraction", "# ?/?", PLAIN),
    ("fraction-two-digits", "# ??/??", PLAIN),
    ("fraction-eighths", "# ?/8", PLAIN),
    ("fraction-improper", "?/?", PLAIN),
    ("scaled-thousands", "#,##0,", PLAIN),
    ("scaled-millions", '0.0,, "M"', PLAIN),
    ("unit-after", '0.0" sq ft"', PLAIN),
    ("quoted-percent", '0.0"%"', PLAIN),
    ("escaped-percent", "0\\%", PLAIN),
    ("optional-digits", "#", PLAIN),
    ("space-padded", "???", PLAIN),
    ("fill", "* #,##0", PLAIN),
    ("hidden", ";;;", PLAIN),
    ("only-text", '"n/a"', PLAIN),
    ("general", "General", GENERAL),
    ("general-lower-case", "general", GENERAL),
    ("general-red", "[Red]General", GENERAL),
    ("general-with-text", '"Total: "General', GENERAL),
    ("empty", "", GENERAL),
    ("iso-date", "yyyy-mm-dd", DATE),
    ("iso-date-upper-case", "YYYY-MM-DD", DATE),
    ("us-date", "m/d/yyyy", DATE),
    ("builtin-14", "mm-dd-yy", DATE),
    ("day-month-name", "d-mmm-yy", DATE),
    ("month-year", "mmm-yy", DATE),
    ("month-alone", "mm", DATE),
    ("long-date-locale", "[$-409]mmmm d, yyyy;@", DATE),
    ("system-long-date", "[$-F800]dddd, mmmm dd, yyyy", DATE),
    ("german-date", "dd.mm.yyyy", DATE),
    ("japanese-date", 'yyyy"年"m"月"d"日"', DATE),
    ("japanese-era", "[$-411]ge.m.d", DATE),
    ("chinese-numerals", '[DBNum1][$-804]yyyy"年"m"月"d"日"', DATE),
    ("date-in-a-later-section", '[<1]"none";yyyy-mm-dd', DATE),
    ("date-in-the-text-section-only", '0;-0;0;"due "yyyy', PLAIN),
    ("taiwan-era", "[$-404]e/m/d", DATE),
    ("thai-buddhist-year", "d/m/bbbb", DATE),
    ("time-am-pm", "h:mm AM/PM", TIME),
    ("time-a-p", "h:mm a/p", TIME),
    ("time-seconds", "h:mm:ss", TIME),
    ("minutes-seconds", "mm:ss", TIME),
    ("builtin-47", "mmss.0", TIME),
    ("fractional-seconds", "hh:mm:ss.000", TIME),
    ("system-time", "[$-F400]h:mm:ss AM/PM", TIME),
    ("japanese-time", 'h"時"mm"分"', TIME),
    ("date-time", "m/d/yyyy h:mm", DATETIME),
    ("iso-date-time", "yyyy-mm-dd hh:mm:ss", DATETIME),
    ("date-time-am-pm", "dd/mm/yyyy hh:mm AM/PM", DATETIME),
    ("elapsed-hours", "[h]:mm:ss", DURATION),
    ("elapsed-minutes", "[mm]:ss", DURATION),
    ("elapsed-seconds", "[ss].00", DURATION),
]


@pytest.mark.parametrize(("code", "kind"), [c[1:] for c in KINDS], ids=[c[0] for c in KINDS])
def test_format_kind(code: str, kind: FormatKind) -> None:
    assert format_kind(code) is kind


#: (case id, value, format code, the text Excel shows)
RENDERED: list[tuple[str, float, str, str]] = [
    ("zip", 2134, "00000", "02134"),
    ("zip-zero", 0, "00000", "00000"),
    ("zip-rounds", 2134.6, "00000", "02135"),
    ("zip-half-away-from-zero", 2134.5, "00000", "02135"),
    ("zip-negative-half", -2134.5, "00000", "-02135"),
    ("zip-negative", -2134, "00000", "-02134"),
    ("zip-negative-zero", -0.4, "00000", "-00000"),
    ("zip-overflows-into-first-digit", 123456, "00000", "123456"),
    ("zip-15-digits", 12345678901234567.0, "00000", "12345678901234600"),
    ("zip-plus-4", 21340123, "00000-0000", "02134-0123"),
    ("zip-plus-4-short", 2134, "00000-0000", "00000-2134"),
    ("zip-or-zip-plus-4-short", 2134, "[<=99999]00000;00000-0000", "02134"),
    ("zip-or-zip-plus-4-long", 21340123, "[<=99999]00000;00000-0000", "02134-0123"),
    ("phone-long", 6175551234, PHONE, "(617) 555-1234"),
    ("phone-short", 5551234, PHONE, "555-1234"),
    ("phone-one-digit", 7, PHONE, "-7"),
    ("phone-zero", 0, PHONE, "-"),
    ("phone-negative-keeps-sign", -5, PHONE, "--5"),
    ("phone-escaped", 6175551234, "\\(000\\) 000\\-0000", "(617) 555-1234"),
    ("ssn", 123456789, "000-00-0000", "123-45-6789"),
    ("ssn-short", 12345, "000-00-0000", "000-01-2345"),
    ("id", 42, "000000000", "000000042"),
    ("id-fraction-rounds", 41.5, "000000000", "000000042"),
    ("id-spaced", 2134, "000 000 000", "000 002 134"),
    ("id-dotted", 6175551234, "000\\.000\\.000\\-00", "061.755.512-34"),
    ("id-with-prefix", 7, '"ID "000000', "ID 000007"),
    ("sign-before-literal", -7, '"ID "000000', "-ID 000007"),
    ("digits-into-first-placeholder", 123456, "00-00", "1234-56"),
    ("thousands-padded", 5, "0,000", "0,005"),
    ("thousands-padded-long", 6175551234, "0,000", "6,175,551,234"),
    ("percent", 0.75, "0%", "75%"),
    ("percent-one", 1, "0%", "100%"),
    ("percent-decimals", 0.125, "0.00%", "12.50%"),
    ("percent-half-rounds-up", 0.125, "0%", "13%"),
    ("percent-of-fifteen-digits", 1.005, "0%", "101%"),
    ("percent-tiny", 0.0004, "0%", "0%"),
    ("percent-negative", -0.5, "0%", "-50%"),
    ("percent-negative-zero-float", -0.0, "0.00%", "0.00%"),
    ("percent-negative-section", -0.125, "0.00%;[Red]-0.00%", "-12.50%"),
    ("percent-one-decimal", 0.12345, "0.0%", "12.3%"),
    ("percent-first", 0.5, "%0", "%50"),
    ("text", 2134, "@", "2134"),
    ("text-fraction", 2134.5, "@", "2134.5"),
    ("text-no-float-noise", 0.1 + 0.2, "@", "0.3"),
    ("text-15-digits", 12345678901234567.0, "@", "12345678901234600"),
    ("text-negative", -5, "@", "-5"),
    ("text-literal-is-for-text", 7, '"ID "@', "7"),
    ("negative-section-has-no-sign", -5, "00000;(00000)", "(00005)"),
    ("zero-section", 0, '00000;-00000;"none"', "none"),
    ("two-sections-zero-takes-first", 0, "00000;(00000)", "00000"),
    ("empty-negative-section", -5, "0;;", ""),
    ("empty-zero-section", 0, "0;;", ""),
    ("condition-first", 150, '[>100]"big";[<0]"neg";"mid"', "big"),
    ("condition-second", -5, '[>100]"big";[<0]"neg";"mid"', "neg"),
    ("condition-else", 50, '[>100]"big";[<0]"neg";"mid"', "mid"),
    ("condition-none-fits", 50, '[>100]"a";[<0]"b"', "50"),
    ("condition-for-negatives-drops-sign", -5, '[<0]"n"0;"p"0', "n5"),
    ("condition-at-most-zero-drops-sign", -5, '[<=0]"n"0;"p"0', "n5"),
    ("condition-below-minus-five-keeps-sign", -7, "[<=-5]0;0", "-7"),
    ("condition-rest-is-opposite", 12345678, "[<=9999999]###-####;(###) ###-####", "(1) 234-5678"),
    ("colour-ignored", 7, "[Red]00000", "00007"),
    ("locale-ignored", 7, "[$-409]00000", "00007"),
    ("currency-tag-symbol", 2134, "[$€-407] #,##0.00", "€ 2,134.00"),
    ("spacing-gives-a-space", 2134, "_(00000_)", " 02134 "),
    ("fill-gives-nothing", 2134, "**00000", "02134"),
    ("escaped-and-quoted", 7, '\\#"no. "00', "#no. 07"),
    ("braces-are-literal", 7, '"{"00"}"', "{07}"),
    ("quoted-semicolon-is-literal", 7, '0";"0', "0;7"),
    ("escaped-semicolon-is-literal", 7, "0\\;0", "0;7"),
    ("fill-takes-the-next-character", 7, "0*;", "7"),
    ("text-section-is-not-for-numbers", -5, "0;@", "-5"),
    ("third-section-for-text-zero-takes-first", 0, "0.00;(0.00);@", "0.00"),
    ("one-condition-none-fits", 12345678, "[<=9999999]###-####", "12345678"),
    ("plain-thousands", 1234567.891, "#,##0.00", "1,234,567.89"),
    ("plain-fifteen-digits-round-up", 1.005, "0.00", "1.01"),
    ("plain-negative-zero", -0.001, "0.00", "-0.00"),
    ("plain-dollar", -5, '"$"#,##0.00', "-$5.00"),
    ("plain-accounting-negative", -5, ACCOUNTING, " $(5.00)"),
    ("plain-accounting-zero", 0, ACCOUNTING, " $-   "),
    ("plain-accounting-text", 5, ACCOUNTING, " $5.00 "),
    ("plain-scientific", 12345.678, "0.00E+00", "1.23E+04"),
    ("plain-scientific-small", 0.000123, "0.00E+00", "1.23E-04"),
    ("plain-scientific-carry", 9.999, "0.00E+00", "1.00E+01"),
    ("plain-scientific-e-minus", 12345.678, "0.0E-0", "1.2E4"),
    ("plain-engineering", 2134, "##0.0E+0", "2.1E+3"),
    ("plain-engineering-small", 0.5, "##0.0E+0", "500.0E-3"),
    ("plain-fraction", 2.5, "# ?/?", "2 1/2"),
    ("plain-fraction-blank", 0.99, "# ?/?", "1    "),
    ("plain-fraction-eighths", 2.375, "# ?/8", "2 3/8"),
    ("plain-fraction-hundredths", 0.99, "# ??/100", " 99/100"),
    ("plain-fraction-improper", 3.14159, "?/?", "22/7"),
    ("plain-scaled-thousands", 5551234, "#,##0,", "5,551"),
    ("plain-scaled-millions", 5551234, '0.0,, "M"', "5.6 M"),
    ("plain-trailing-point", 7, "#.##", "7."),
    ("plain-optional-decimals", 0.5, "#.##", ".5"),
    ("plain-optional-second-decimal", 2.5, "0.0#", "2.5"),
    ("plain-zero-after-optional-decimal", 1.5, "0.0#0", "1.500"),
    ("plain-space-padded-decimals", 2.5, "?.??", "2.5 "),
    ("plain-decimals-without-whole-placeholder", 12.5, ".00", "12.50"),
    ("general", 1521.9999990000001, "General", "1521.999999"),
    ("general-whole", 42.0, "General", "42"),
    ("general-with-text", -5, '"Total: "General', "-Total: 5"),
    ("general-negative-section", -5, "General;(General)", "(5)"),
    ("only-text", 5, '"n/a"', "n/a"),
    ("only-text-negative", -5, '"n/a"', "n/a"),
    ("hidden", 5, ";;;", ""),
]


@pytest.mark.parametrize(
    ("value", "code", "text"), [c[1:] for c in RENDERED], ids=[c[0] for c in RENDERED]
)
def test_render_number(value: float, code: str, text: str) -> None:
    assert render_number(value, code) == text


@pytest.mark.parametrize("code", ["yyyy-mm-dd", "h:mm", "m/d/yyyy h:mm", "[h]:mm:ss"])
def test_render_number_refuses_dates(code: str) -> None:
    with pytest.raises(ValueError, match="format, not a number format"):
        render_number(45000.5, code)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_render_number_refuses_what_no_cell_holds(value: float) -> None:
    with pytest.raises(ValueError, match="not a number a cell can hold"):
        render_number(value, "00000")


#: (case id, value, Excel's number): 15 significant digits, whole numbers as int
GENERAL_NUMBERS: list[tuple[str, float, int | float]] = [
    ("float-noise", 0.1 + 0.2, 0.3),
    ("float-noise-large", 1521.9999990000001, 1521.999999),
    ("past-15-digits", 12345678901234567.0, 12345678901234600),
    ("past-15-digits-int", 123456789012345678, 123456789012346000),
    ("15-digits-int", 999999999999999, 999999999999999),
    ("16-digits-int", 1234567890123456, 1234567890123460),
    ("16-digits-negative-int", -1234567890123456, -1234567890123460),
    ("sixteenth-digit-half-rounds-up", 100000000000000.5, 100000000000001),
    ("whole-float", 42.0, 42),
    ("whole-int", 2134, 2134),
    ("negative-zero", -0.0, 0),
    ("negative", -2134.25, -2134.25),
    ("third", 1 / 3, 0.333333333333333),
    ("two-thirds", 2 / 3, 0.666666666666667),
    ("tiny", 1.5e-20, 1.5e-20),
    ("large-whole", 1e20, 100000000000000000000),
    ("past-int-range", 1.5e21, 1.5e21),
    ("infinite", math.inf, math.inf),
]


@pytest.mark.parametrize(
    ("value", "number"), [c[1:] for c in GENERAL_NUMBERS], ids=[c[0] for c in GENERAL_NUMBERS]
)
def test_general_number(value: float, number: int | float) -> None:
    result = general_number(value)
    assert (result, type(result)) == (number, type(number))


@given(st.integers(-(10**15) + 1, 10**15 - 1), st.integers(0, 14), st.integers(0, 6))
def test_general_number_keeps_what_excel_keeps(digits: int, shift: int, places: int) -> None:
    """A number of at most 15 significant digits comes back as itself."""
    value = float(Decimal(digits).scaleb(-shift - places))
    assert general_number(value) == value
    assert general_number(general_number(value)) == general_number(value)


@given(st.integers(0, 10**15 - 1), st.integers(1, 16))
def test_zero_padding_is_python_zero_padding(number: int, width: int) -> None:
    assert render_number(number, "0" * width) == f"{number:0{width}d}"


@given(st.integers(-(10**15) + 1, 10**15 - 1))
def test_thousands_is_python_grouping(number: int) -> None:
    assert render_number(number, "#,##0") == f"{number:,}"


@given(st.integers(-(10**12), 10**12), st.integers(0, 4))
def test_decimals_round_half_away_from_zero(digits: int, places: int) -> None:
    value = Decimal(digits).scaleb(-places)  # at most 13 digits: Excel keeps it exactly
    expected = format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    assert render_number(float(value), "0.00") == expected


#: Every built-in id's kind (ECMA-376 Part 1, 18.8.30 and the locale tables).
BUILTIN_KINDS = {
    GENERAL: [0],
    PLAIN: [*range(1, 9), 11, 12, 13, *range(23, 27), *range(37, 45), 48, *range(59, 67), 69, 70],
    SHOWN: [9, 10, 67, 68],
    TEXT: [49],
    DATE: [*range(14, 18), *range(27, 32), 34, 35, 36, *range(50, 59), *range(71, 75), 81],
    TIME: [*range(18, 22), 32, 33, 45, 47, 75, 76, 78, 80],
    DATETIME: [22, 77],
    DURATION: [46, 79],
}


def test_every_builtin_id_has_its_kind() -> None:
    kinds = {}
    for num_fmt_id in range(82):
        code = builtin_format(num_fmt_id)
        assert code is not None, num_fmt_id
        kinds[num_fmt_id] = format_kind(code)
    expected = {i: kind for kind, ids in BUILTIN_KINDS.items() for i in ids}
    assert kinds == dict(sorted(expected.items()))


@pytest.mark.parametrize(
    ("num_fmt_id", "code"),
    [
        (0, "General"),
        (1, "0"),
        (4, "#,##0.00"),
        (9, "0%"),
        (10, "0.00%"),
        (11, "0.00E+00"),
        (12, "# ?/?"),
        (14, "mm-dd-yy"),
        (18, "h:mm AM/PM"),
        (22, "m/d/yy h:mm"),
        (37, "#,##0 ;(#,##0)"),
        (44, ACCOUNTING),
        (45, "mm:ss"),
        (46, "[h]:mm:ss"),
        (47, "mmss.0"),
        (48, "##0.0E+0"),
        (49, "@"),
        (82, None),
        (163, None),
        (-1, None),
    ],
)
def test_builtin_format(num_fmt_id: int, code: str | None) -> None:
    assert builtin_format(num_fmt_id) == code


def test_the_module_is_pure() -> None:
    """Only the standard library: no I/O edge, no third-party package, nothing of applinks."""
    tree = ast.parse(Path(numfmt.__file__).read_text(encoding="utf-8"))
    modules = [
        a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names
    ]
    modules += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    roots = {module.split(".")[0] for module in modules}
    assert roots <= set(sys.stdlib_module_names) | {"__future__"}, roots


# ---------------------------------------------------------------------------------------------
# The docs' examples are real.


def _csv_text(value: object, code: str) -> str:
    """Return what the CSV gets for ``value`` under ``code`` (docs/values.md, Number formats)."""
    kind = format_kind(code)
    if isinstance(value, dt.datetime) and kind is DATE:
        value = value.date()
    elif isinstance(value, dt.datetime) and kind is TIME:
        value = value.time()
    if not isinstance(value, (int, float)):
        return cell_text(value)  # type: ignore[arg-type]
    if kind in (SHOWN, TEXT):
        return render_number(value, code)
    return cell_text(general_number(value) if kind is GENERAL else value)


def _doc_value(text: str) -> object:
    for parse in (int, float, dt.datetime.fromisoformat):
        try:
            return parse(text)  # type: ignore[operator]
        except ValueError:
            pass
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def test_docs_number_format_examples() -> None:
    text = (ROOT / "docs" / "values.md").read_text(encoding="utf-8")
    section = text.split("## Number formats", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| `(.*?)` \| (\w+) \| `(.*?)` \|$", section, flags=re.M)
    assert len(rows) >= 20
    found = [
        (value, code, format_kind(code).value, _csv_text(_doc_value(value), code))
        for value, code, _, _ in rows
    ]
    assert found == rows


# ---------------------------------------------------------------------------------------------
# LibreOffice as the independent judge.

#: soffice's CSV filter: comma, double quote, UTF-8, from row 1, ..., "save cell contents as
#: shown" (the 9th token).
AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"

SHOWN_CODES = [
    "00000",
    "00000-0000",
    PHONE,
    "000-00-0000",
    "000000000",
    "@",
    "0%",
    "0.00%",
    "0.0%",
    "00.00",
    "0000.00",
    "\\(000\\) 000\\-0000",
    "000 000 000",
    "00-00",
    "[Red][<=99999]00000;00000-0000",
    "[<=9999999]###-####;[>9999999](###) ###-####",
    '00000;"neg"',
    '00000;-00000;"none"',
    "000\\.000\\.000\\-00",
    "000.000.000-00",
    "[>100]0;[<0]0;0",
    '[<0]"n"0;"p"0',
    '[<=0]"n"0;"p"0',
    '[>100]"big";[<0]"neg";"mid"',
    "0,000",
    "###\\-##\\-####",
    "0\\-0",
    "%0",
    "#0.0#%",
    "00000;[Red]-00000",
    "[$-409]00000",
    '"ID "000000',
    "0.00%;[Red]-0.00%",
]
PLAIN_CODES = [
    "0",
    "0.00",
    "#,##0",
    "#,##0.00",
    "0.00E+00",
    "##0.0E+0",
    "0.00E+00;(0.00E+00)",
    "# ?/?",
    "# ??/??",
    '"$"#,##0.00',
    '#,##0.00 "USD"',
    '_("$"* #,##0.00_)',
    "[$€-407] #,##0.00",
    "#,##0,",
    "0.0,,",
    "[Red]0;[Blue]-0",
    "0;;",
    '0;-0;"zero"',
    "0;(0)",
    "0.00;(0.00);@",
    "#",
    "#,###",
    "#.##",
    "?.??",
    "0.0#",
    "0.0#0",
    "#.#0",
    "0*x",
    '0.0" sq ft"',
    *(str(builtin_format(i)) for i in (5, 8, 37, 40, 41, 44)),
]
VALUES = [0, 7, -5, 0.5, -0.4, 2134, 2134.6, -2134, 99999.5, 5551234, 6175551234, 123456789]
VALUES += [0.125, 1.005, 12345678901234567.0, 0.0001]

#: Excel keeps the minus sign of a negative number that rounds to zero ("-00000" for -0.4
#: under 00000, "-0" under 0); LibreOffice drops it. These cells show the difference.
NEGATIVE_ZERO = [
    (code, -0.4)
    for code in [
        "00000",
        "00000-0000",
        PHONE,
        "000-00-0000",
        "000000000",
        "\\(000\\) 000\\-0000",
        "000 000 000",
        "00-00",
        "[Red][<=99999]00000;00000-0000",
        "[<=9999999]###-####;[>9999999](###) ###-####",
        "000\\.000\\.000\\-00",
        "0,000",
        "###\\-##\\-####",
        "0\\-0",
        "[$-409]00000",
        '"ID "000000',
        "0",
        "#,##0",
        "#,##0,",
        "0.0,,",
        "#",
        "#,###",
        "0*x",
    ]
] + [("#,##0,", -5), ("0.0,,", -5), ("0.0,,", -2134)]

GENERAL_FORM = (
    "a number under @ keeps the General form, which we write at 15 digits as for a General "
    "cell (SPEC section 5); LibreOffice switches to exponent form past 15 digits"
)
FIFTEEN_DIGITS = (
    "1.005 is stored as 1.00499999999999989...; Excel formats the 15-digit 1.005, so 100.5% "
    "rounds to 101%; LibreOffice multiplies the stored double (100.49999999999999) and rounds down"
)
FRACTION_LIMIT = "LibreOffice gives up on a fraction of a number past 2^31 (#FMT); Excel shows it"
TRAILING_POINT = (
    "Excel shows the decimal point even when no decimal follows it (7 under #.## is '7.'); "
    "LibreOffice drops it"
)
BIG = 12345678901234567.0

#: Other cells where LibreOffice shows something else: (code, value) -> (its text, why).
DIFFERENCES: dict[tuple[str, float], tuple[str, str]] = {
    ("@", BIG): ("1.23456789012346E+16", GENERAL_FORM),
    ("0%", 1.005): ("100%", FIFTEEN_DIGITS),
    ("%0", 1.005): ("%100", FIFTEEN_DIGITS),
    ("# ?/?", 6175551234): ("#FMT", FRACTION_LIMIT),
    ("# ?/?", BIG): ("#FMT", FRACTION_LIMIT),
    ("# ??/??", 6175551234): ("#FMT", FRACTION_LIMIT),
    ("# ??/??", BIG): ("#FMT", FRACTION_LIMIT),
    **{
        ("#.##", value): (render_number(value, "#.##")[:-1], TRAILING_POINT)
        for value in [0, 7, -5, 2134, -2134, 5551234, 6175551234, 123456789, BIG, 0.0001]
    },
}


def _write_grid(path: Path, codes: list[str]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for r, code in enumerate(codes, start=1):
        for c, value in enumerate(VALUES, start=1):
            sheet.cell(r, c, value).number_format = code
    book.save(path)


@pytest.mark.libreoffice
def test_render_number_agrees_with_libreoffice(tmp_path: Path) -> None:
    from tests.office import convert

    assert {format_kind(code) for code in SHOWN_CODES} == {SHOWN, TEXT}
    assert {format_kind(code) for code in PLAIN_CODES} == {PLAIN}
    codes = SHOWN_CODES + PLAIN_CODES
    _write_grid(tmp_path / "grid.xlsx", codes)
    shown = convert(tmp_path / "grid.xlsx", AS_SHOWN, tmp_path / "out")
    with shown.open(encoding="utf-8", newline="") as handle:
        grid = list(csv.reader(handle))
    assert len(grid) == len(codes)

    differences = {}
    for code, row in zip(codes, grid, strict=True):
        row += [""] * (len(VALUES) - len(row))  # soffice leaves off trailing empty cells
        for value, office in zip(VALUES, row, strict=True):
            if render_number(value, code) != office:
                differences[(code, value)] = office
    # Negative zero: LibreOffice shows our text without its leading minus sign.
    expected = {(code, value): render_number(value, code)[1:] for code, value in NEGATIVE_ZERO}
    expected |= {cell: office for cell, (office, _) in DIFFERENCES.items()}
    assert differences == expected
