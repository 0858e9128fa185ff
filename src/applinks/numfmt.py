"""Excel number formats: what a format code shows, and the text it shows for a number.

SPEC section 5 writes a value as the user sees it where the format carries meaning (a zip code
``02134`` under ``00000``, a phone number, ``75%``) and plainly where the format is cosmetic
(currency, thousands separators, fixed decimals). :func:`format_kind` sorts a format code into a
:class:`FormatKind`; :func:`render_number` gives the text Excel shows for a number;
:func:`general_number` is a number as Excel keeps it (15 significant digits);
:func:`builtin_format` is the code behind a built-in ``numFmtId``. Pure: no I/O, only the
standard library; parsed codes are cached per code.

The format language (ECMA-376 Part 1, 18.8.31): up to four sections ``pos;neg;zero;text``;
``"..."`` and ``\\x`` are literal text, ``_x`` a space as wide as ``x``, ``*x`` fills the cell
with ``x`` (no width in a CSV, so nothing), ``[Red]`` a colour, ``[$-409]``/``[$€-407]`` a locale
or currency tag, ``[<=9999999]`` a condition, ``[h]``/``[mm]``/``[ss]`` elapsed time; ``0 # ?``
are digit placeholders, ``.`` the decimal point, ``,`` thousands (between digits) or a scale of
1,000 (after the last digit), ``%`` a percent, ``E+``/``E-`` scientific, ``/`` a fraction,
``@`` the text, ``General`` the General form; y, m, d, h, s, AM/PM make a date or time.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from functools import lru_cache
from operator import eq, ge, gt, le, lt, ne

__all__ = ["FormatKind", "builtin_format", "format_kind", "general_number", "render_number"]


class FormatKind(enum.Enum):
    """What a cell's number format means for the value written to the CSV."""

    GENERAL = "general"  # "General" or no format: the number at 15 significant digits
    PLAIN = "plain"  # a cosmetic format (currency, thousands, decimals, E+, fractions): the number
    SHOWN = "shown"  # the text Excel shows carries meaning (zero padding, ids, percent): that text
    TEXT = "text"  # "@": a number keeps its General form, as text
    DATE = "date"  # a date only
    TIME = "time"  # a clock time only
    DATETIME = "datetime"  # a date and a time
    DURATION = "duration"  # elapsed time: [h], [mm] or [ss]


#: The date and time kinds: :func:`render_number` does not render these.
DATE_KINDS = frozenset({FormatKind.DATE, FormatKind.TIME, FormatKind.DATETIME, FormatKind.DURATION})

#: Excel's built-in formats (ECMA-376 Part 1, 18.8.30), en-US where a locale decides. Ids 23-36
#: and 50-58 take the ja-JP codes (23-26 are dollar formats in every East Asian locale; 34, 35,
#: 52, 53, 55 and 56 are dates in ja-JP and ko-KR but AM/PM times in Chinese ones); ids 59-81 are
#: the th-TH ones written with Latin letters and digits (their "t" asks for Thai digits).
_BUILTIN: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    30: "m/d/yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"時"mm"分"',
    33: 'h"時"mm"分"ss"秒"',
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)',
    42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
    67: "0%",
    68: "0.00%",
    69: "# ?/?",
    70: "# ??/??",
    71: "d/m/bbbb",
    72: "d-mmm-bb",
    73: "d-mmm",
    74: "mmm-bb",
    75: "h:mm",
    76: "h:mm:ss",
    77: "d/m/bbbb h:mm",
    78: "mm:ss",
    79: "[h]:mm:ss",
    80: "mm:ss.0",
    81: "d/m/bb",
}
_CURRENCIES = (
    '"{0}"#,##0_);("{0}"#,##0)',
    '"{0}"#,##0_);[Red]("{0}"#,##0)',
    '"{0}"#,##0.00_);("{0}"#,##0.00)',
    '"{0}"#,##0.00_);[Red]("{0}"#,##0.00)',
)
_BUILTIN.update(
    {
        first + i: code.format(symbol)
        for first, symbol in ((5, "$"), (23, "$"), (63, "฿"))
        for i, code in enumerate(_CURRENCIES)
    }
)
_BUILTIN.update(dict.fromkeys((27, 36, 50, 57), "[$-411]ge.m.d"))
_BUILTIN.update(dict.fromkeys((28, 29, 51, 54, 58), '[$-411]ggge"年"m"月"d"日"'))
_BUILTIN.update(dict.fromkeys((34, 52, 55), 'yyyy"年"m"月"'))
_BUILTIN.update(dict.fromkeys((35, 53, 56), 'm"月"d"日"'))
_BUILTIN.update({58 + i: _BUILTIN[i] for i in range(1, 5)})  # 59-62: 0, 0.00, #,##0, #,##0.00


def builtin_format(num_fmt_id: int) -> str | None:
    """Return the code of Excel's built-in number format ``num_fmt_id``, or None if it has none.

    A workbook names built-in formats by id only. Ids whose code depends on the locale get a
    code of the same kind (``builtin_format(5)`` is ``'"$"#,##0_);("$"#,##0)'``, PLAIN;
    ``builtin_format(27)`` is a Japanese era date, DATE). Ids 82 and up are never built in.
    """
    return _BUILTIN.get(num_fmt_id)


# ---------------------------------------------------------------------------------------------
# Tokens. Each is (kind, text); a section is a tuple of tokens and an optional condition.

_LIT = "lit"  # literal text, shown as written
_DIGIT = "digit"  # a digit placeholder: 0, # or ?
_POINT = "point"
_COMMA = "comma"
_PERCENT = "percent"
_EXP = "exp"  # E+ / E- (text keeps the letter's case)
_SLASH = "slash"
_GENERAL = "general"
_AT = "at"
_DATE = "date"  # a run of one date/time letter, lower-cased: "yyyy", "m", "ss"
_AMPM = "ampm"
_ELAPSED = "elapsed"  # [h], [mm], [ss]: text is the letter

Token = tuple[str, str]
Condition = tuple[str, float]

_COLOURS = frozenset({"black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"})
_CONDITION = re.compile(r"(<=|>=|<>|<|>|=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)$")
_ELAPSED_RE = re.compile(r"(h+|m+|s+)$", re.IGNORECASE)
#: One token of a format code; the first alternative that matches wins.
_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"?|\\(?P<escaped>.?)|_(?P<space>.?)|\*(?P<fill>.?)'
    r"|\[(?P<bracket>[^\]]*)\]|(?P<general>general)|(?P<ampm>am/pm|a/p|上午/下午)"
    r"|(?P<exp>e[-+])|(?P<calendar>b[12])|(?P<date>(?P<letter>[ymdhsegb])(?P=letter)*)"
    r"|(?P<char>.)",
    re.IGNORECASE | re.DOTALL,
)
_CHARS = {
    "0": _DIGIT,
    "#": _DIGIT,
    "?": _DIGIT,
    ".": _POINT,
    ",": _COMMA,
    "%": _PERCENT,
    "/": _SLASH,
    "@": _AT,
}


@dataclass(frozen=True, slots=True)
class _RawSection:
    tokens: tuple[Token, ...]
    condition: Condition | None


def _bracket(content: str, tokens: list[Token]) -> Condition | None:
    """Read one ``[...]``: a condition is returned, elapsed time and currency become tokens."""
    lower = content.lower()
    if lower in _COLOURS or re.fullmatch(r"color\s*\d+", lower):
        return None
    if content.startswith("$"):  # [$€-407]: the text before '-' is a currency symbol
        symbol = content[1:].split("-", 1)[0]
        if symbol:
            tokens.append((_LIT, symbol))
        return None
    condition = _CONDITION.match(content.strip())
    if condition:
        return condition.group(1), float(condition.group(2))
    if _ELAPSED_RE.match(content):
        tokens.append((_ELAPSED, lower[0]))
    return None  # [DBNum1], [NatNum1] and the like change digits' script: nothing here


def _tokenize(code: str) -> list[_RawSection]:
    """Split ``code`` into at most four sections of tokens (the grammar of the module doc)."""
    sections: list[_RawSection] = []
    tokens: list[Token] = []
    condition: Condition | None = None
    for match in _TOKEN.finditer(code):
        group = match.lastgroup or "char"
        text = match.group(group)
        if group in ("quoted", "escaped"):
            tokens.append((_LIT, text))
        elif group == "space":
            tokens.append((_LIT, " "))
        elif group == "bracket":
            condition = _bracket(text, tokens) or condition
        elif group == "general":
            tokens.append((_GENERAL, ""))
        elif group == "ampm":
            tokens.append((_AMPM, text))
        elif group == "exp" and any(kind == _DIGIT for kind, _ in tokens):
            tokens.append((_EXP, text))
        elif group == "exp":  # no digit before it: "e-m-d" is a year, then a literal
            tokens += [(_DATE, "e"), (_LIT, text[1])]
        elif group == "date":
            tokens.append((_DATE, text.lower()))
        elif group == "char" and text == ";":
            sections.append(_RawSection(tuple(tokens), condition))
            tokens, condition = [], None
        elif group == "char":
            tokens.append((_CHARS.get(text, _LIT), text))
        # else a fill (no width in a CSV) or a B1/B2 calendar: nothing
    sections.append(_RawSection(tuple(tokens), condition))
    return sections[:4]


# ---------------------------------------------------------------------------------------------
# A number section laid out for rendering. Its tokens become literals ("lit" and the decimal
# "point") or parts the number fills: a placeholder ("int"|"dec"|"expd"|"num"|"den", with its
# character), the exponent sign ("exp", "E+"), the General form ("general"), and the literals
# of a fraction ("frac") and its fixed denominator ("fixed"), which a zero fraction blanks.

_INT, _DEC, _EXPD, _NUM, _DEN = "int", "dec", "expd", "num", "den"
_FRAC, _FIXED = "frac", "fixed"  # a fraction's literals, and its fixed denominator ("8" of ?/8)
_SLOTS = frozenset({_INT, _DEC, _EXPD, _NUM, _DEN})


@dataclass(frozen=True, slots=True)
class _Layout:
    tokens: tuple[Token, ...]
    condition: Condition | None
    template: str  # str.format template: each part the number fills is a "{}"
    order: tuple[str, ...]  # the kind of each "{}"
    int_slots: str
    dec_slots: str
    exp_slots: str
    num_slots: str
    den_slots: str
    fixed_den: int  # "# ?/8": the denominator written as digits
    grouping: bool
    percent: int
    scale: int  # each trailing ',' divides by 1,000
    scientific: bool
    fraction: bool
    general: bool
    fixed: bool  # a plain "0.00"-style section: no fraction, exponent or General


def _fraction_parts(tokens: tuple[Token, ...]) -> tuple[int, int, int, bool] | None:
    """Return where a fraction ``# ?/?`` lies: (start, slash, end, fixed), or None.

    ``start`` is the first token after the whole part's digits (the numerator's first digit when
    there is no whole part); ``end`` is past the denominator: placeholders, or digits starting
    with 1-9 for a fixed denominator (``?/8``, ``??/100``, whose 0s are digits too).
    """
    for s, (kind, _) in enumerate(tokens):
        if kind != _SLASH or s == 0 or tokens[s - 1][0] != _DIGIT or s + 1 == len(tokens):
            continue
        fixed = tokens[s + 1][0] == _LIT and tokens[s + 1][1] in "123456789"
        end = s + 1
        while end < len(tokens) and _in_denominator(tokens[end], fixed):
            end += 1
        if end == s + 1:
            continue
        start = s - 1
        while start and tokens[start - 1][0] == _DIGIT:
            start -= 1
        whole = max((i for i in range(start) if tokens[i][0] == _DIGIT), default=start - 1)
        return whole + 1, s, end, fixed
    return None


def _in_denominator(token: Token, fixed: bool) -> bool:
    if fixed:
        return (token[0] == _LIT and token[1].isdigit()) or token == (_DIGIT, "0")
    return token[0] == _DIGIT


def _commas(tokens: tuple[Token, ...], point: int) -> tuple[dict[int, str], bool, int]:
    """Resolve each ',': thousands between integer digits, a scale after the last digit.

    Returns the literal text of the remaining commas by index ("" drops one), grouping, scale.
    """
    texts: dict[int, str] = {}
    grouping, scale = False, 0
    i = 0
    while i < len(tokens):
        if tokens[i][0] != _COMMA:
            i += 1
            continue
        end = i
        while end < len(tokens) and tokens[end][0] == _COMMA:
            end += 1
        after_digit = i > 0 and tokens[i - 1][0] == _DIGIT
        before_digit = end < len(tokens) and tokens[end][0] == _DIGIT
        for j in range(i, end):
            texts[j] = "" if after_digit else ","
        if after_digit and before_digit:
            grouping = grouping or i < point
        elif after_digit:
            scale += end - i
        i = end
    return texts, grouping, scale


def _layout(section: _RawSection) -> _Layout:
    """Lay out a number section: which placeholder holds which part of the number."""
    tokens = section.tokens
    exp = next((i for i, (kind, _) in enumerate(tokens) if kind == _EXP), len(tokens))
    fraction = None if exp < len(tokens) else _fraction_parts(tokens)
    limit = fraction[0] if fraction else exp
    point = next((i for i, t in enumerate(tokens[:limit]) if t[0] == _POINT), limit)
    comma_text, grouping, scale = _commas(tokens, point)
    slots: dict[str, list[str]] = {_INT: [], _DEC: [], _EXPD: [], _NUM: [], _DEN: []}
    out: list[Token] = []
    fixed_den = ""
    for i, (kind, text) in enumerate(tokens):
        if fraction and fraction[3] and fraction[1] < i < fraction[2]:
            fixed_den += text
            out.append((_FIXED, text))
        elif kind == _DIGIT:
            if fraction and i >= fraction[0]:
                part = _NUM if i < fraction[1] else _DEN
            else:
                part = _EXPD if i > exp else _DEC if i > point else _INT
            slots[part].append(text)
            out.append((part, text))
        elif fraction and fraction[0] <= i < fraction[2]:
            out.append((_FRAC, text))
        elif kind == _POINT:
            out.append((_POINT, ".") if i == point else (_LIT, "."))
        elif kind == _COMMA:
            out.append((_LIT, comma_text[i]))
        elif kind == _EXP:
            out.append((_EXP, text) if i == exp else (_LIT, text))
        elif kind == _GENERAL:
            out.append((_GENERAL, ""))
        elif kind != _AT:
            out.append((_LIT, text))
    if not slots[_INT] and point < limit and not fraction:
        out.insert(out.index((_POINT, ".")), (_INT, "#"))  # ".00" shows the 12 of 12.5 too
        slots[_INT].append("#")
    out = [t for t in out if t[1] or t[0] in _SLOTS or t[0] == _GENERAL]
    literal = (_LIT, _POINT)
    return _Layout(
        tokens=tuple(out),
        condition=section.condition,
        template="".join(
            text.replace("{", "{{").replace("}", "}}") if kind in literal else "{}"
            for kind, text in out
        ),
        order=tuple(kind for kind, _ in out if kind not in literal),
        int_slots="".join(slots[_INT]),
        dec_slots="".join(slots[_DEC]),
        exp_slots="".join(slots[_EXPD]),
        num_slots="".join(slots[_NUM]),
        den_slots="".join(slots[_DEN]),
        fixed_den=int(fixed_den) if fixed_den.isdigit() else 0,
        grouping=grouping,
        percent=sum(kind == _PERCENT for kind, _ in tokens),
        scale=scale,
        scientific=exp < len(tokens),
        fraction=fraction is not None,
        general=(general := any(kind == _GENERAL for kind, _ in tokens)),
        fixed=not (fraction or exp < len(tokens) or general),
    )


# ---------------------------------------------------------------------------------------------
# Kinds.


def _date_kind(tokens: tuple[Token, ...]) -> FormatKind | None:
    """Return the date/time kind of a section, or None when it shows no date or time.

    ``m``/``mm`` is minutes right after an hour or right before seconds (``h:mm``, ``mm:ss``),
    else the month, as in Excel.
    """
    parts = [(kind, text) for kind, text in tokens if kind in (_DATE, _ELAPSED, _AMPM)]
    if not parts:
        return None
    if any(kind == _ELAPSED for kind, _ in parts):
        return FormatKind.DURATION
    has_date = has_time = False
    for j, (kind, text) in enumerate(parts):
        letter = "a" if kind == _AMPM else text[0]
        if letter == "m" and len(text) <= 2:
            before = parts[j - 1][1][:1] if j else ""
            after = parts[j + 1][1][:1] if j + 1 < len(parts) else ""
            minutes = before == "h" or after == "s"
            has_time, has_date = has_time or minutes, has_date or not minutes
        elif letter in "hsa":
            has_time = True
        else:
            has_date = True
    if has_date and has_time:
        return FormatKind.DATETIME
    return FormatKind.DATE if has_date else FormatKind.TIME


def _number_kind(layout: _Layout) -> FormatKind:
    """Return PLAIN or SHOWN for a number section (the rules of :func:`format_kind`)."""
    if layout.percent or (not layout.scientific and layout.int_slots.count("0") >= 2):
        return FormatKind.SHOWN
    if layout.scientific or layout.fraction:
        return FormatKind.PLAIN
    places = [i for i, (kind, _) in enumerate(layout.tokens) if kind in (_INT, _DEC)]
    between = layout.tokens[places[0] + 1 : places[-1]] if places else ()
    # Thousands commas are gone by now; a second '.' is a literal ("000.000.000").
    return FormatKind.SHOWN if any(kind == _LIT for kind, _ in between) else FormatKind.PLAIN


_OPPOSITE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "<>", "<>": "="}
_COMPARE = {"<": lt, "<=": le, ">": gt, ">=": ge, "=": eq, "<>": ne}


@dataclass(frozen=True, slots=True)
class _Format:
    kind: FormatKind
    numbers: tuple[_Layout, ...]  # the sections numbers use (pos;neg;zero), laid out
    #: With conditions, those of the first two sections; a section without one takes the
    #: opposite of the other's ("[<=9999999]###-####;(###) ###-####": the rest is > 9999999).
    conditions: tuple[Condition, ...]


@lru_cache(maxsize=4096)
def _parse(code: str) -> _Format:
    raw = _tokenize(code if code.strip() else "General")
    first = raw[0].tokens
    numbers = raw[:3]
    if 1 < len(raw) < 4 and any(kind == _AT for kind, _ in raw[-1].tokens):
        numbers = raw[:-1]  # "0;@": the last section is for text
    layouts = tuple(_layout(section) for section in numbers)
    # A date in any section for numbers makes a date code: '[<1]"none";yyyy-mm-dd' shows dates.
    kind = next(filter(None, (_date_kind(section.tokens) for section in numbers)), None)
    if kind is None:
        if any(k == _AT for k, _ in first):
            kind = FormatKind.TEXT
        elif any(section.condition for section in raw):
            kind = FormatKind.SHOWN
        elif any(k == _GENERAL for k, _ in first):
            kind = FormatKind.GENERAL
        else:
            kind = _number_kind(layouts[0])
    conditions = [layout.condition for layout in layouts[:2]]
    known = [c for c in conditions if c is not None]
    if len(conditions) == 2 and len(known) == 1:
        opposite = (_OPPOSITE[known[0][0]], known[0][1])
        known = [conditions[0] or opposite, conditions[1] or opposite]
    return _Format(kind, layouts, tuple(known))


def format_kind(code: str) -> FormatKind:
    """Return what the number format ``code`` means for the value written to the CSV.

    A date or time letter (y, m, d, h, s, AM/PM, ``[h]``) in a section for numbers makes the code
    a date/time kind (the first such section says which). Else the first section decides: ``@``
    makes it TEXT, then a condition (``[<=9999999]``) in any section makes it SHOWN, ``General``
    (or an empty code) is GENERAL. A number section
    is SHOWN when it has ``%``, when its whole part has two or more ``0`` placeholders
    (``00000``, ``0000.00``), or when a literal stands between its digit placeholders
    (``000-00-0000``, ``(###) ###-####``); else PLAIN: currency, thousands separators, fixed
    decimals, a scale, ``0.00E+00``, ``# ?/?``, and text before or after the number
    (``"$"#,##0.00``, ``#,##0.00 "USD"``, ``_("$"* #,##0.00_)``).

    >>> format_kind("00000"), format_kind('"$"#,##0.00'), format_kind("m/d/yyyy h:mm")
    (<FormatKind.SHOWN: 'shown'>, <FormatKind.PLAIN: 'plain'>, <FormatKind.DATETIME: 'datetime'>)
    """
    return _parse(code).kind


# ---------------------------------------------------------------------------------------------
# Numbers.

#: Excel keeps 15 significant digits and, in our reading, rounds the 16th half away from zero.
_DIGITS15 = Context(prec=15, rounding=ROUND_HALF_UP)
#: Wide enough to round any double to any number of decimals without an error.
_WIDE = Context(prec=1200, rounding=ROUND_HALF_UP)
#: A whole number below this in size has at most 15 digits: Excel keeps it as it is.
_EXACT = 10**15
#: Larger whole numbers are written in exponent form, as the CSV writer does for any float.
_INT_LIMIT = 10**21
_PAD = {"0": "0", "#": "", "?": " "}


def general_number(value: float) -> int | float:
    """Return ``value`` as Excel keeps it: at most 15 significant digits, whole numbers as int.

    ``general_number(0.1 + 0.2) == 0.3``; ``general_number(1521.9999990000001) == 1521.999999``;
    ``general_number(12345678901234567.0) == 12345678901234600``; ``general_number(42.0) == 42``.
    Infinities and NaN, which no cell holds, come back unchanged.
    """
    if type(value) is int:
        if -_EXACT < value < _EXACT:
            return value
    elif value.is_integer() and -_EXACT < value < _EXACT:
        return int(value)
    elif not math.isfinite(value):
        return value
    kept = _DIGITS15.plus(Decimal(value))
    if kept == kept.to_integral_value() and abs(kept) < _INT_LIMIT:
        return int(kept)
    return float(kept)


def _general_text(value: float) -> str:
    """Return a number in its General form, as the CSV writer writes a General cell."""
    number = general_number(value)
    return str(number) if isinstance(number, int) else repr(number)


def _choose(parsed: _Format, value: float) -> tuple[_Layout | None, bool]:
    """Return the section that shows ``value`` and whether it drops the minus sign.

    Without conditions: ``pos;neg;zero`` (with two sections zero takes the first), and the
    negative section shows no sign of its own. With conditions, the first two sections are
    tried in turn and the third takes the rest; a section meant for negatives (``[<0]``,
    ``[<=0]``) drops the sign. None when no section fits.
    """
    layouts = parsed.numbers
    if not parsed.conditions:
        if value > 0 or len(layouts) == 1 or (value == 0 and len(layouts) == 2):
            return layouts[0], False
        return (layouts[1], True) if value < 0 else (layouts[2], False)
    for layout, condition in zip(layouts, parsed.conditions, strict=False):
        if _COMPARE[condition[0]](value, condition[1]):
            return layout, condition[0] in ("<", "<=") and condition[1] == 0
    return (layouts[2], False) if len(layouts) > 2 else (None, False)


def render_number(value: float, code: str) -> str:
    """Return the text Excel shows for the number ``value`` under the format ``code``.

    Meant for SHOWN and TEXT codes (it renders PLAIN and GENERAL ones too). The section is
    chosen by sign or condition; the number is taken at 15 significant digits, multiplied by 100
    per ``%`` and divided by 1,000 per scaling ``,``, rounded half away from zero to the
    placeholders (``0`` pads with zeros, ``#`` with nothing, ``?`` with a space; digits beyond
    the placeholders go into the leftmost one). A minus sign goes first, as in Excel, unless
    the section is the one for negatives; a section without placeholders shows only its text.
    Under ``@`` a number keeps its General form.

    >>> render_number(2134, "00000"), render_number(0.125, "0.00%")
    ('02134', '12.50%')
    >>> render_number(6175551234, "[<=9999999]###-####;(###) ###-####")
    '(617) 555-1234'

    Raises ValueError for a date or time code (a reader gives those as dates, not numbers) and
    for a value that is not a finite number.
    """
    parsed = _parse(code)
    if parsed.kind in DATE_KINDS:
        raise ValueError(f"{code!r} is a {parsed.kind.value} format, not a number format")
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a number a cell can hold")
    if parsed.kind is FormatKind.TEXT:
        return _general_text(value)
    layout, drop_sign = _choose(parsed, value)
    if layout is None:
        return _general_text(value)  # no section fits: LibreOffice shows the General form
    if not layout.order:
        return layout.template.format()  # no placeholders: only the text, and no sign
    body = _render(layout, abs(value))
    return "-" + body if value < 0 and not drop_sign else body


def _render(layout: _Layout, number: float) -> str:
    """Return the text of a section for a number >= 0."""
    if layout.fixed:
        if not (layout.percent or layout.scale) and number < _EXACT and number == int(number):
            whole, decimals = (str(int(number)) if number else ""), "0" * len(layout.dec_slots)
        else:
            kept = _DIGITS15.plus(Decimal(number)).scaleb(2 * layout.percent - 3 * layout.scale)
            places = Decimal(1).scaleb(-len(layout.dec_slots))
            whole, _, decimals = format(kept.quantize(places, context=_WIDE), "f").partition(".")
            whole = whole.lstrip("0")
        return layout.template.format(
            *_fill_whole(whole, layout.int_slots, layout.grouping),
            *_fill_decimals(decimals, layout.dec_slots),
        )
    if layout.general:
        parts = {_GENERAL: [_general_text(number)]}
    else:
        kept = _DIGITS15.plus(Decimal(number)).scaleb(2 * layout.percent - 3 * layout.scale)
        parts = _fraction(layout, kept) if layout.fraction else _scientific(layout, kept)
    filling = {kind: iter(texts) for kind, texts in parts.items()}
    return layout.template.format(*[next(filling[kind]) for kind in layout.order])


def _fill_whole(digits: str, slots: str, grouping: bool) -> list[str]:
    """Return the text of each whole-number placeholder, right-aligned, for ``digits``.

    Digits beyond the placeholders go into the leftmost one; a placeholder with no digit shows
    its pad. With ``grouping`` a ',' follows every third digit from the right.
    """
    count = len(slots)
    if not grouping and count:
        spare = count - len(digits)
        if spare <= 0:
            return [digits[: 1 - spare], *digits[1 - spare :]]
        return [_PAD[slot] for slot in slots[:spare]] + list(digits)
    out = [""] * count
    for place in range(max(count, len(digits))):
        if place < len(digits):
            char = digits[len(digits) - 1 - place]
        else:
            char = _PAD[slots[count - 1 - place]]
        if grouping and place and place % 3 == 0 and char.isdigit():
            char += ","
        slot = max(count - 1 - place, 0)
        out[slot] = char + out[slot]
    return out


def _fill_decimals(digits: str, slots: str) -> list[str]:
    """Return the text of each decimal placeholder: trailing zeros pad like the placeholder."""
    shown = max(len(digits.rstrip("0")), slots.rfind("0") + 1)
    return [digits[i] if i < shown else _PAD[slot] for i, slot in enumerate(slots)]


def _scientific(layout: _Layout, kept: Decimal) -> dict[str, list[str]]:
    """Return the mantissa and exponent texts of ``0.00E+00`` and ``##0.0E+0`` (engineering).

    With several whole-number placeholders the exponent is a multiple of their count.
    """
    step = max(len(layout.int_slots), 1)
    places = Decimal(1).scaleb(-len(layout.dec_slots))
    exponent = 0 if not kept else kept.adjusted() // step * step
    mantissa = kept.scaleb(-exponent).quantize(places, context=_WIDE)
    if mantissa >= 10**step:  # 9.999 rounds up to 10.00: one more step
        exponent += step
        mantissa = kept.scaleb(-exponent).quantize(places, context=_WIDE)
    whole, _, decimals = format(mantissa, "f").partition(".")
    exp = next(text for kind, text in layout.tokens if kind == _EXP)  # "E+", "e-"
    return {
        _INT: _fill_whole(whole.lstrip("0"), layout.int_slots, layout.grouping),
        _DEC: _fill_decimals(decimals, layout.dec_slots),
        _EXPD: _fill_whole(str(abs(exponent)), layout.exp_slots, False),
        _EXP: [exp[0] + ("-" if exponent < 0 else "+" if exp[1] == "+" else "")],
    }


def _fraction(layout: _Layout, kept: Decimal) -> dict[str, list[str]]:
    """Return the texts of a fraction ``# ?/?``: the closest fraction the placeholders allow.

    A fixed denominator (``# ?/8``) rounds the numerator half away from zero. In a mixed
    fraction a zero fraction is blank (spaces where it has ``?``, as LibreOffice shows it), and a
    zero whole part shows nothing (both zero: 0).
    """
    mixed = bool(layout.int_slots)
    whole = int(kept) if mixed else 0
    rest = kept - whole
    if layout.fixed_den:
        denominator = layout.fixed_den
        numerator = int((rest * denominator).quantize(Decimal(1), context=_WIDE))
    else:
        best = Fraction(rest).limit_denominator(10 ** len(layout.den_slots) - 1)
        numerator, denominator = best.numerator, best.denominator
    if mixed and numerator == denominator:
        whole, numerator = whole + 1, 0
    literals = [text for kind, text in layout.tokens if kind == _FRAC]
    fixed = [text for kind, text in layout.tokens if kind == _FIXED]
    if mixed and numerator == 0:
        space = " " if "?" in layout.num_slots + layout.den_slots else ""
        return {
            _INT: _fill_whole(str(whole), layout.int_slots, layout.grouping),
            _NUM: [space] * len(layout.num_slots),
            _DEN: [space] * len(layout.den_slots),
            _FRAC: [space * len(text) for text in literals],
            _FIXED: [""] * len(fixed),
        }
    den = str(denominator)
    return {
        _INT: _fill_whole(str(whole) if whole else "", layout.int_slots, layout.grouping),
        _NUM: _fill_whole(str(numerator), layout.num_slots, False),
        _DEN: [den[i] if i < len(den) else _PAD[slot] for i, slot in enumerate(layout.den_slots)],
        _FRAC: literals,
        _FIXED: fixed,
    }
