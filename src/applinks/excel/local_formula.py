"""Let Excel turn our English A1 formulas into the form its object model reads from this user.

``FormatConditions.Add`` and ``Validation.Add`` read ``Formula1`` in the user's formula language,
list separator and reference style: a German Excel wants ``=UND(...;...)``, a user who works in
R1C1 style wants ``R2C1`` references. Only ``Range.Formula`` is documented to take English A1
whatever the user's settings, and ``Range.FormulaLocal`` / ``Range.FormulaR1C1Local`` give the
same formula "in the language of the user" (A1 or R1C1). So each formula is written into a
scratch cell of a temporary sheet, read back in the user's form, and that text goes to Excel.
``Application.ConvertFormula`` is no help here: it stays in English and takes at most 255
characters (its documented limit), while a rule is up to about 2,500.

The scratch cell sits at the same address as the cell the rules are written for (the active
cell while they are added), so R1C1 relative references come out relative to the right cell.

A formula is limited to 8,192 characters (Excel's specifications and limits; [MS-OI29500]
ST_Formula); a translated rule longer than that is split at its largest ``OR(...)`` into rules
whose highlights together are the same (:func:`split_formula`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from applinks.errors import ApplinksError

#: Excel's longest formula (Excel specifications and limits; [MS-OI29500] 2.1.1085).
MAX_FORMULA = 8192
#: XlReferenceStyle.xlR1C1
XL_R1C1 = -4150
SCRATCH_SHEET = "applinks scratch"


def uses_r1c1(app: Any) -> bool:
    """Return whether the user works in R1C1 reference style (Windows COM or Mac appscript)."""
    native = app.api
    style = getattr(native, "reference_style", None)
    if style is not None and hasattr(style, "get"):  # Excel for Mac
        return "r1c1" in str(style.get()).lower()
    return bool(native.ReferenceStyle == XL_R1C1)


def read_local(native: Any, formula: str, *, r1c1: bool) -> str:
    """Read a cell's formula in the user's language (and R1C1 when the user works in it).

    ``formula`` (what was written) comes back when the engine has neither Windows' nor the
    Mac's property, which is what an English A1 Excel would show.
    """
    mac = getattr(native, "formula_r1c1_local" if r1c1 else "formula_local", None)
    if mac is not None and hasattr(mac, "get"):  # Excel for Mac (appscript)
        return str(mac.get())
    com = getattr(native, "FormulaR1C1Local" if r1c1 else "FormulaLocal", None)
    return formula if com is None else str(com)


class LocalFormulas:
    """A temporary scratch sheet that translates formulas; use it as a context manager.

    ``anchor`` is (row, column) of the cell the formulas are written for. The scratch sheet is
    added on entering and deleted on leaving, also after an error; the sheet that was active
    before is active again after entering.
    """

    def __init__(self, book: Any, *, anchor: tuple[int, int]) -> None:
        self.book = book
        self.anchor = anchor
        self.scratch: Any = None
        self.r1c1 = False

    def __enter__(self) -> LocalFormulas:
        active = self.book.sheets.active
        self.r1c1 = uses_r1c1(self.book.app)
        self.scratch = self.book.sheets.add(SCRATCH_SHEET, after=self.book.sheets[-1])
        active.activate()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.scratch is not None:
            self.scratch.delete()
            self.scratch = None

    def translate(self, formula: str) -> str:
        """Return ``formula`` (English A1, with ``=``) as this user's Excel reads it."""
        cell = self.scratch.range(self.anchor)
        cell.formula = formula
        return read_local(cell.api, formula, r1c1=self.r1c1)

    def fit(self, formula: str) -> list[str]:
        """Return ``formula`` translated, split into pieces of at most :data:`MAX_FORMULA`."""
        return fit(formula, self.translate, limit=MAX_FORMULA)


def fit(formula: str, translate: Callable[[str], str], *, limit: int = MAX_FORMULA) -> list[str]:
    """Translate ``formula``; while a translation is too long, split it and translate the halves.

    Raises :class:`ApplinksError` when a piece is too long and cannot be split further.
    """
    local = translate(formula)
    if len(local) <= limit:
        return [local]
    halves = split_formula(formula)
    if halves is None:
        raise ApplinksError(
            f"A highlighting rule is longer than Excel's {limit:,} characters and cannot be "
            "split; the App Link Check sheet still lists every problem."
        )
    return [piece for half in halves for piece in fit(half, translate, limit=limit)]


@dataclass
class _Call:
    name: str
    args: list[_Call | str]


def _split_args(text: str) -> list[str]:
    """Split a function's argument text at its top-level commas (not in strings or brackets)."""
    args, depth, start, quoted = [], 0, 0, False
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            args.append(text[start:i])
            start = i + 1
    args.append(text[start:])
    return args


def _parse(text: str) -> _Call | str:
    """Parse ``NAME(args)`` spanning all of ``text`` into a call; anything else stays text."""
    match = re.fullmatch(r"([A-Z][A-Z0-9.]*)\((.*)\)", text, flags=re.DOTALL)
    if not match:
        return text
    inner = match.group(2)
    depth, quoted = 0, False
    for char in inner:  # the parentheses must close at the very end, not before
        if char == '"':
            quoted = not quoted
        elif not quoted:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                return text
    return _Call(match.group(1), [_parse(arg) for arg in _split_args(inner)])


def _render(node: _Call | str) -> str:
    if isinstance(node, str):
        return node
    return f"{node.name}({','.join(_render(arg) for arg in node.args)})"


def _largest_or(node: _Call | str) -> _Call | None:
    """The OR with the most arguments reached through AND and OR calls only.

    Under AND and OR alone, ``X(... OR(a, b) ...)`` is true exactly when ``X(... OR(a) ...)`` or
    ``X(... OR(b) ...)`` is; under NOT, IF or a comparison it is not, so those are not entered.
    """
    if not isinstance(node, _Call) or node.name not in ("AND", "OR"):
        return None
    found = [c for c in (_largest_or(arg) for arg in node.args) if c is not None]
    if node.name == "OR" and len(node.args) > 1:
        found.append(node)
    return max(found, key=lambda c: len(c.args), default=None)


def split_formula(formula: str) -> tuple[str, str] | None:
    """Split ``=...`` in two at its largest ``OR``: each half keeps half of the OR's arguments.

    A cell is highlighted by one of the halves exactly when the whole formula highlights it.
    Returns None when there is no OR to split.
    """
    tree = _parse(formula.removeprefix("="))
    target = _largest_or(tree)
    if target is None:
        return None
    args = target.args
    middle = len(args) // 2
    halves = []
    for part in (args[:middle], args[middle:]):
        target.args = part
        halves.append("=" + _render(tree))
    target.args = args
    return halves[0], halves[1]
