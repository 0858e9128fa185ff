"""Turn OpenDocument data styles into the Excel number format codes that show the same text.

An .ods cell style names a data style (``number:number-style``, ``number:date-style``, ...)
built of elements: ``number:number`` with its digits and grouping, ``number:text`` literals,
date and time parts, ``style:map`` conditions that send some values to another data style.
:func:`read_data_style` reads one element; :func:`excel_code` assembles a style and the
styles its maps apply into one code, so the code that sorts and renders Excel formats works
on .ods cells as on .xlsx ones. Examples (as LibreOffice writes them):

- ``min-integer-digits="5"`` -> ``00000``; with ``embedded-text position="4"`` "-" and 9
  digits -> ``00000-0000``;
- ``grouping="true" decimal-places="2"`` after a ``$`` text -> ``$#,##0.00``;
- a map ``value()<=9999999`` to ``###-####`` in a ``(###) ###-####`` style ->
  ``[<=9999999]#-####;(#) ###-####`` (ODF keeps no count of optional digits: one ``#``
  stands for them, as in LibreOffice's own reading);
- a time style with ``truncate-on-overflow="false"`` -> ``[h]:mm:ss``.

What Excel codes cannot say (eras, quarters, week numbers) is left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from xml.etree.ElementTree import Element

NUMBER = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"

#: The data style elements, by local name, and the kind of code each makes.
DATA_STYLES = {
    f"{{{NUMBER}}}{name}-style": name
    for name in ("number", "percentage", "currency", "date", "time", "boolean", "text")
}
#: The code of a boolean style: Excel has no boolean format; this shows what it shows.
BOOLEAN_CODE = '"TRUE";"TRUE";"FALSE"'
#: Largest count of digits or places taken from an attribute (Excel allows 30 decimals).
MAX_DIGITS = 30

_COLORS = {
    "#000000": "[Black]",
    "#0000ff": "[Blue]",
    "#00ffff": "[Cyan]",
    "#00ff00": "[Green]",
    "#ff00ff": "[Magenta]",
    "#ff0000": "[Red]",
    "#ffffff": "[White]",
    "#ffff00": "[Yellow]",
}
#: Literal characters that Excel shows as they are without quotes, in number and in date or
#: time sections.
_BARE = {"number": frozenset(" $-+()"), "date": frozenset(" $-+()/:,.")}
_CONDITION = re.compile(
    r"\s*value\(\)\s*(<=|>=|!=|<>|=|<|>)\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*"
)


@dataclass(frozen=True)
class DataStyle:
    """One data style: its own section of code, and the maps that send values elsewhere.

    ``maps`` holds (Excel condition such as ``<=9999999``, name of the applied style).
    """

    section: str
    maps: tuple[tuple[str, str], ...] = ()
    boolean: bool = False


def read_data_style(element: Element) -> tuple[str, DataStyle] | None:
    """Return the name and :class:`DataStyle` of a ``number:*-style`` element, or None."""
    kind = DATA_STYLES.get(element.tag)
    name = element.get(f"{{{STYLE}}}name")
    if kind is None or not name:
        return None
    maps = []
    for child in element:
        if child.tag == f"{{{STYLE}}}map":
            condition = _condition(child.get(f"{{{STYLE}}}condition", ""))
            target = child.get(f"{{{STYLE}}}apply-style-name")
            if condition is not None and target:
                maps.append((condition, target))
    if kind == "boolean":
        return name, DataStyle(BOOLEAN_CODE, boolean=True)
    return name, DataStyle(_section(element, kind), tuple(maps))


def excel_code(name: str, styles: Mapping[str, DataStyle]) -> str | None:
    """Return the Excel code of the data style ``name`` with its maps, or None if unknown.

    Maps in the order Excel gives sections without conditions (``>=0``; ``>0, <0``;
    ``>0, <0, =0`` before a text section) become plain sections; others keep their
    conditions (Excel takes two, then a section for the rest). A map's own maps are not
    followed.
    """
    style = styles.get(name)
    if style is None:
        return None
    if style.boolean:
        return BOOLEAN_CODE
    maps = [(cond, styles[target].section) for cond, target in style.maps if target in styles]
    conditions = [_plain(condition) for condition, _ in maps]
    sections = [section for _, section in maps]
    if conditions in ([">=0"], [">0", "<0"], [">0", "<0", "=0"]):
        return ";".join([*sections, style.section])
    parts = [f"[{condition}]{section}" for condition, section in maps[:2]]
    return ";".join([*parts, style.section])


def is_elapsed(code: str) -> bool:
    """Say whether a code shows elapsed time (``[h]``, ``[mm]``, ``[ss]``)."""
    return re.search(r"\[(?:h+|m+|s+)\]", code, re.IGNORECASE) is not None


def _condition(text: str) -> str | None:
    match = _CONDITION.fullmatch(text)
    if match is None:
        return None
    operator = "<>" if match.group(1) == "!=" else match.group(1)
    return operator + match.group(2)


def _plain(condition: str) -> str:
    """Return a condition with its number in plain form (``>=0.0`` -> ``>=0``)."""
    operator = condition.rstrip("0123456789.eE+-")
    try:
        number = float(condition[len(operator) :])
    except ValueError:
        return condition
    return operator + ("0" if number == 0 else condition[len(operator) :])


def _section(element: Element, kind: str) -> str:
    """Return the code of one data style's own elements, in order."""
    context = "date" if kind in ("date", "time") else "number"
    elapsed = element.get(f"{{{NUMBER}}}truncate-on-overflow") == "false"
    color = ""
    parts: list[str] = []
    for child in element:
        tag = child.tag.rpartition("}")[2]
        if child.tag == f"{{{STYLE}}}text-properties":
            color = _COLORS.get((child.get(f"{{{_FO}}}color") or "").lower(), "")
        elif tag == "text":
            parts.append(_literal(child.text or "", context, percent=kind == "percentage"))
        elif tag == "number":
            parts.append(_number(child))
        elif tag == "scientific-number":
            parts.append(_scientific(child))
        elif tag == "fraction":
            parts.append(_fraction(child))
        elif tag == "text-content":
            parts.append("@")
        elif tag == "currency-symbol":
            parts.append(_currency(child.text or ""))
        elif tag == "fill-character":
            parts.append("*" + (child.text or " ")[:1])
        elif tag in ("hours", "minutes", "seconds"):
            part = _time_part(tag, child)
            if elapsed:
                part, elapsed = f"[{part}]", False  # only the leading unit runs past its cycle
            parts.append(part)
        else:
            parts.append(_date_part(tag, child))
    return color + "".join(parts)


def _literal(text: str, context: str, *, percent: bool = False) -> str:
    """Return ``text`` as Excel literal text: quoted, save characters Excel shows as they are
    (and ``%`` in a percentage style, which is the percent sign that scales the number)."""
    bare = _BARE[context]
    out: list[str] = []
    quoted: list[str] = []
    for char in text:
        if char in bare or (percent and char == "%") or char == '"':
            if quoted:
                out.append('"' + "".join(quoted) + '"')
                quoted = []
            out.append('\\"' if char == '"' else char)
        else:
            quoted.append(char)
    if quoted:
        out.append('"' + "".join(quoted) + '"')
    return "".join(out)


def _count(element: Element, name: str, namespace: str = NUMBER) -> int | None:
    text = element.get(f"{{{namespace}}}{name}")
    if text is None or not (text.isascii() and text.isdigit()):
        return None
    return min(int(text), MAX_DIGITS)


def _decimals(element: Element, places: int) -> str:
    """Return the decimal part: required places as ``0``, optional ones as ``#``."""
    if places <= 0:
        return ""
    least = _count(element, "min-decimal-places")
    if least is None:
        least = _count(element, "min-decimal-places", _LOEXT)
    least = places if least is None else min(least, places)
    return "." + "0" * least + "#" * (places - least)


def _number(element: Element) -> str:
    """Return the code of a ``number:number`` element.

    Embedded texts go between the integer digits, ``position`` digits from the decimal
    point; digits are added in front when a text stands further left than the required
    digits reach (as LibreOffice reads them).
    """
    places = _count(element, "decimal-places")
    least = _count(element, "min-integer-digits") or 0
    grouping = element.get(f"{{{NUMBER}}}grouping") == "true"
    embedded = sorted(
        (position, child.text or "")
        for child in element
        if child.tag == f"{{{NUMBER}}}embedded-text"
        and (position := _count(child, "position")) is not None
    )
    factor = _thousands(element.get(f"{{{NUMBER}}}display-factor"))
    if places is None and not grouping and least <= 1 and not embedded and not factor:
        return "General"  # LibreOffice writes General as a number without decimal places
    digits = ["0"] * least or ["#"]
    if grouping:
        digits[:0] = ["#"] * (4 - len(digits))
    if embedded and embedded[-1][0] >= len(digits):
        digits[:0] = ["#"] * (embedded[-1][0] + 1 - len(digits))
    zero = len(digits)
    for position, text in embedded:  # right to left: each insertion leaves the left alone
        digits.insert(zero - position, _literal(text, "number"))
    if grouping:
        for index in range(len(digits) - 1):
            if digits[index] in ("#", "0") and digits[index + 1] in ("#", "0"):
                digits.insert(index + 1, ",")
                break
    return "".join(digits) + _decimals(element, places or 0) + "," * factor


def _thousands(text: str | None) -> int:
    """Return how many thousands a ``display-factor`` divides by (1000 -> 1), else 0."""
    try:
        factor = float(text) if text else 1.0
    except ValueError:
        return 0
    if not math.isfinite(factor) or factor < 1000:
        return 0
    count = round(math.log10(factor) / 3)
    return count if 0 < count <= 4 and 1000.0**count == factor else 0


def _scientific(element: Element) -> str:
    places = _count(element, "decimal-places") or 0
    least = _count(element, "min-integer-digits") or 0
    interval = min(_count(element, "exponent-interval") or 1, MAX_DIGITS)
    mantissa = "#" * max(0, interval - least) + "0" * least or "#"
    exponent = max(1, _count(element, "min-exponent-digits") or 1)
    sign = "-" if element.get(f"{{{NUMBER}}}forced-exponent-sign") == "false" else "+"
    return mantissa + _decimals(element, places) + "E" + sign + "0" * exponent


def _fraction(element: Element) -> str:
    whole = _count(element, "min-integer-digits")
    numerator = "?" * max(1, _count(element, "min-numerator-digits") or 1)
    fixed = _count_text(element.get(f"{{{NUMBER}}}denominator-value"))
    denominator = (
        str(fixed) if fixed else "?" * max(1, _count(element, "min-denominator-digits") or 1)
    )
    head = "" if whole is None else ("0" * whole or "#") + " "
    return head + numerator + "/" + denominator


def _count_text(text: str | None) -> int | None:
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    return int(text)


def _currency(symbol: str) -> str:
    """Return a currency symbol as Excel writes one (``$`` bare, others in ``[$...]``).

    A symbol without text is the locale's own; ``¤`` stands for it.
    """
    if symbol == "$":
        return "$"
    cleaned = symbol.replace("]", "").replace("-", "")
    return f"[${cleaned}]" if cleaned else '"¤"'


def _long(element: Element) -> bool:
    return element.get(f"{{{NUMBER}}}style") == "long"


def _time_part(tag: str, element: Element) -> str:
    letter = {"hours": "h", "minutes": "m", "seconds": "s"}[tag]
    part = letter * (2 if _long(element) else 1)
    places = _count(element, "decimal-places") or 0
    return part + ("." + "0" * places if tag == "seconds" and places else "")


def _date_part(tag: str, element: Element) -> str:
    if tag == "day":
        return "dd" if _long(element) else "d"
    if tag == "month":
        if element.get(f"{{{NUMBER}}}textual") == "true":
            return "mmmm" if _long(element) else "mmm"
        return "mm" if _long(element) else "m"
    if tag == "year":
        return "yyyy" if _long(element) else "yy"
    if tag == "day-of-week":
        return "dddd" if _long(element) else "ddd"
    if tag == "am-pm":
        return "AM/PM"
    return ""
