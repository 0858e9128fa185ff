"""How Excel shows an English A1 formula to a German user, or to a user working in R1C1 style.

The stand-in's ``Range.FormulaLocal`` and ``Range.FormulaR1C1Local`` use this, as Excel's do:
function names in the user's language (German names as in Microsoft's function translations),
``;`` between arguments where the list separator is ``;``, decimal commas, and R1C1 references
relative to the cell holding the formula. Only what our formulas use is modelled; anything else
raises, so a new function in a rule makes the tests say what to add.
"""

from __future__ import annotations

import re

GERMAN = {
    "ABS": "ABS",
    "AND": "UND",
    "CHAR": "ZEICHEN",
    "COUNTA": "ANZAHL2",
    "COUNTIFS": "ZÄHLENWENNS",
    "EXACT": "IDENTISCH",
    "FALSE": "FALSCH",
    "FIND": "FINDEN",
    "IF": "WENN",
    "IFERROR": "WENNFEHLER",
    "INDIRECT": "INDIREKT",
    "INT": "GANZZAHL",
    "ISERROR": "ISTFEHLER",
    "ISNUMBER": "ISTZAHL",
    "ISTEXT": "ISTTEXT",
    "LEFT": "LINKS",
    "LEN": "LÄNGE",
    "LOWER": "KLEIN",
    "MAX": "MAX",
    "MID": "TEIL",
    "N": "N",
    "NOT": "NICHT",
    "OR": "ODER",
    "RIGHT": "RECHTS",
    "ROW": "ZEILE",
    "SUBSTITUTE": "WECHSELN",
    "SUMPRODUCT": "SUMMENPRODUKT",
    "TRIM": "GLÄTTEN",
    "TRUE": "WAHR",
}

# Outside string literals: a string, a name (function or TRUE/FALSE), a cell reference, a
# decimal number, a comma, or any other character.
_TOKEN = re.compile(
    r'(?P<string>"(?:[^"]|"")*")'
    r"|(?P<ref>(?<![A-Za-z0-9_.])\$?[A-Z]{1,3}\$?[0-9]+(?![A-Za-z0-9_(]))"
    r"|(?P<name>[A-Z][A-Z0-9.]*(?=\()|\bTRUE\b|\bFALSE\b)"
    r"|(?P<decimal>[0-9]+\.[0-9]+)"
    r"|(?P<other>.)",
    re.DOTALL,
)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _r1c1(ref: str, host: tuple[int, int]) -> str:
    match = re.fullmatch(r"(\$?)([A-Z]{1,3})(\$?)([0-9]+)", ref)
    assert match
    col_abs, letters, row_abs, digits = match.groups()
    row, col = int(digits), _column_number(letters)
    row_part = f"R{row}" if row_abs else ("R" if row == host[0] else f"R[{row - host[0]}]")
    col_part = f"C{col}" if col_abs else ("C" if col == host[1] else f"C[{col - host[1]}]")
    return row_part + col_part


def local_formula(
    formula: str, *, language: str, r1c1: bool = False, host: tuple[int, int] = (1, 1)
) -> str:
    """Return ``formula`` (English A1) as Excel shows it to this user in the cell at ``host``."""
    german = language == "de"
    out = []
    for token in _TOKEN.finditer(formula):
        kind, text = token.lastgroup, token.group()
        if kind == "name" and german:
            if text not in GERMAN:
                raise KeyError(f"the stand-in does not know the German name of {text}")
            text = GERMAN[text]
        elif kind == "ref" and r1c1:
            text = _r1c1(text, host)
        elif kind == "decimal" and german:
            text = text.replace(".", ",")
        elif kind == "other" and text == "," and german:
            text = ";"
        out.append(text)
    return "".join(out)
