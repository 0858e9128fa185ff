"""Conditional-formatting rules: the checks a plain spreadsheet formula can express.

One :class:`Rule` per check, covering the whole used column (never one rule per cell, never a
whole ``A:A`` column), so the workbook stays small and keeps flagging while the user types, with
or without the add-in, in Excel (Windows and Mac) and in LibreOffice. The same rules are written
into a file by :mod:`applinks.files.xlsx_annotate` and applied to an open workbook by the Excel
add-in.

Formulas use only functions every spreadsheet since Excel 2007 knows (no ``LET``, no ``REGEX``,
nothing that needs an ``_xlfn.`` prefix in the file). Each is written for the first data cell of
the column it covers: references to other columns are ``$B2`` (column fixed, row relative), so a
spreadsheet moves them down row by row. Fixed ranges (``$B$2:$B$900``) are bounded by the used
rows.

What a formula cannot express is listed in :data:`NO_RULE` with the reason; the check sheet
(``App Link Check``) and ``applinks check`` report those. The differences between a rule and the
Python check on unusual values are listed in :data:`LIMITS`. ``docs/flags.md`` explains both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from applinks.checks import STAGES
from applinks.headers import NAME, STAGE, column_letter, map_headers
from applinks.issues import CODES, Severity
from applinks.shape import MAX_ROWS
from applinks.table import APP_CONTENT_URL, APP_ID, APP_NAME, APP_UNIQUE_ID

#: Colours by severity: Excel's own "light red fill with dark red text" and "yellow fill with
#: dark yellow text", which people already read as "wrong" and "look at this".
COLOURS: dict[str, tuple[str, str]] = {
    "error": ("#FFC7CE", "#9C0006"),
    "warning": ("#FFEB9C", "#9C5700"),
}

#: Checks without a rule, and why; the check sheet lists their issues.
NO_RULE: dict[str, str] = {
    "app-id-subdomain": "needs the Public Suffix List to know where the registrable domain starts "
    "(example.co.uk is fine, na16.salesforce.com is not)",
    "app-id-inconsistent": "compares spellings across the whole file after removing URL parts",
    "url-app-mismatch": "needs the app registry's host lists and the Public Suffix List",
    "unique-id-not-app-format": "needs the app registry's id patterns (regular expressions, "
    "which formulas do not have)",
    "unique-id-url-mismatch": "needs the app registry's link forms to read the id in a link",
    "unique-id-same-record": "needs each app's one form of its ids (Salesforce's checksum of "
    "letter case, which a conditional-formatting formula cannot work out over a column)",
    "fill-no-id": "is reported by Fill App Links, which knows the id column it used",
    "fill-id-not-app-format": "is reported by Fill App Links, which knows the id column it used",
    "fill-other-app": "is reported by Fill App Links, which knows the app it was given",
    "fill-link-no-id": "is reported by From URLs, which reads the links with the app registry",
    "fill-not-a-link": "is reported by From URLs, which reads the links with the app registry",
    "name-column-missing": "is about the header row, which the check sheet reports",
    "header-near-miss": "is about the header row, which the check sheet reports",
    "header-near-miss-unused": "is about the header row, which the check sheet reports",
    "header-name-alias": "is about the header row, which the check sheet reports",
    "header-duplicate": "is about the header row, which the check sheet reports",
    "header-not-first-row": "is about the header row, which the check sheet reports",
}

#: Where a rule's verdict can differ from the Python check; each is a limit of formulas, and
#: the check sheet gives the exact verdict.
LIMITS: dict[str, str] = {
    "cell-error": 'text that spells an error value ("#N/A" typed or read from a CSV file) '
    "is not an error to a formula; the rule marks error cells only",
    "app-id-not-domain": "a value with URL parts is judged by app-id-has-url-parts only; an "
    'unknown ending (".comm"), a bare ending ("co.uk") and a label longer than 63 characters '
    "need the Public Suffix List or text functions a formula does not have",
    "unique-id-duplicate": "App IDs are compared as text without case, not after removing URL "
    'parts ("https://zillow.com/" and "zillow.com" are different sources to the rule); a '
    "number with a fraction or more than 15 digits is compared in the spreadsheet's own "
    "notation",
    "unique-id-mangled": 'a number written with a leading dot (".5E3") counts as exponent form',
    "blank": "a cell holding only tabs or non-breaking spaces counts as filled in a formula "
    "(TRIM removes only spaces)",
    "url-invalid": 'a link whose host is missing after a user name ("https://me@/x") or has an '
    'unclosed "[" passes the rule',
    "name-missing": "a row whose only content is formulas that show empty text counts as filled",
}

_NBSP = "\u00a0"
_DIGITS = "0123456789"
_DOMAIN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789.-"


@dataclass(frozen=True)
class Rule:
    """One conditional-formatting rule: a check's formula, the cells it covers and its colours.

    ``formula`` has no leading ``=`` and is written for the first cell of ``sqref`` (the anchor,
    column ``first_column``, row ``first_row``). ``header`` is the canonical Cloze header of the
    covered column, or ``""`` for a rule over every used column (formula-like values).
    """

    code: str
    header: str
    first_column: str
    last_column: str
    first_row: int
    last_row: int
    formula: str
    severity: Severity
    fill_color: str
    font_color: str

    @property
    def anchor(self) -> str:
        """Return the first cell the formula is written for, e.g. ``B2``."""
        return f"{self.first_column}{self.first_row}"

    @property
    def sqref(self) -> str:
        """Return the covered range, e.g. ``B2:B900``."""
        return f"{self.first_column}{self.first_row}:{self.last_column}{self.last_row}"


def _filled(ref: str) -> str:
    return f"LEN(TRIM({ref}))>0"


def _blank(ref: str) -> str:
    return f"LEN(TRIM({ref}))=0"


def _has(ref: str, text: str) -> str:
    return f"ISNUMBER(FIND({_quote(text)},{ref}))"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _only_chars(expr: str, allowed: str) -> str:
    """Return a formula true when every character of ``expr`` is in ``allowed`` (and it is set)."""
    chars = f'MID({expr},ROW(INDIRECT("A1:A"&MAX(1,LEN({expr})))),1)'
    return f"AND(LEN({expr})>0,SUMPRODUCT(--ISERROR(FIND({chars},{_quote(allowed)})))=0)"


def _url_parts(a: str) -> str:
    marks = ",".join(_has(a, m) for m in ("/", ":", "?", "#"))
    return f'OR({marks},LEFT(LOWER(TRIM({a})),4)="www.")'


def _app_id_not_domain(a: str) -> str:
    last_label = (
        f'MID({a},FIND(CHAR(1),SUBSTITUTE({a},".",CHAR(1),'
        f'LEN({a})-LEN(SUBSTITUTE({a},".",""))))+1,63)'
    )
    bad = [
        _has(a, " "),
        f"NOT({_only_chars(f'LOWER({a})', _DOMAIN_CHARS)})",
        f'ISERROR(FIND(".",{a}))',
        f'LEFT({a},1)="."',
        f'RIGHT({a},1)="."',
        _has(a, ".."),
        f'LEFT({a},1)="-"',
        f'RIGHT({a},1)="-"',
        _has(a, ".-"),
        _has(a, "-."),
        f"LEN({a})>253",
        # An all-digit ending is an IP address; no top-level domain is made of digits.
        f"IFERROR({_only_chars(last_label, _DIGITS)},FALSE)",
    ]
    return f"AND({_filled(a)},NOT({_url_parts(a)}),OR({','.join(bad)}))"


def _is_digit(char: str) -> str:
    return f"ISNUMBER(FIND({char},{_quote(_DIGITS)}))"


def _count(x: str, char: str) -> str:
    return f'(LEN({x})-LEN(SUBSTITUTE({x},{_quote(char)},"")))'


def _no_sign_after_first(x: str) -> str:
    return f'ISERROR(FIND("+",MID({x},2,99))),ISERROR(FIND("-",MID({x},2,99)))'


def _mangled(u: str) -> str:
    t = f"TRIM({u})"
    number = f"IFERROR(AND(ISNUMBER({u}),OR({u}<>INT({u}),ABS({u})>=1E+15)),FALSE)"
    # Exponent form, as checks.py's pattern [+-]?digits(.digits)?[eE][+-]?digits ("1.42E+18"):
    # x is the text with the exponent's sign removed, so a sign may only lead.
    x = f'SUBSTITUTE(SUBSTITUTE(LOWER({t}),"e+","e"),"e-","e")'
    e_at = f'FIND("e",{x})'
    first = f'MID({x},IF(OR(LEFT({x},1)="+",LEFT({x},1)="-"),2,1),1)'
    dot = f'FIND(".",{x}&".")'
    exponent_form = (
        f"IFERROR(AND(ISTEXT({u}),{_only_chars(x, _DIGITS + '.+-e')},{_count(x, 'e')}=1,"
        f"{_count(x, '.')}<2,{_no_sign_after_first(x)},{_is_digit(first)},"
        f"{_is_digit(f'MID({x},{e_at}-1,1)')},{_is_digit(f'MID({x},{e_at}+1,1)')},"
        f"OR({dot}>LEN({x}),AND({dot}<{e_at},{_is_digit(f'MID({x},{dot}+1,1)')}))),FALSE)"
    )
    # A trailing ".0" (or ".00"), as checks.py's pattern [+-]?digits.0+
    t_dot = f'FIND(".",{t})'
    trailing_zero = (
        f"IFERROR(AND(ISTEXT({u}),{_only_chars(t, _DIGITS + '.+-')},{_count(t, '.')}=1,"
        f"{_no_sign_after_first(t)},{_is_digit(f'MID({t},{t_dot}-1,1)')},"
        f"{_only_chars(f'MID({t},{t_dot}+1,99)', '0')}),FALSE)"
    )
    return f"AND({_filled(u)},OR({number},{exponent_form},{trailing_zero}))"


def _whitespace_at_ends(u: str) -> str:
    spaces = f'" "&CHAR(9)&CHAR(10)&CHAR(13)&"{_NBSP}"'
    return (
        f"AND({_filled(u)},OR(ISNUMBER(FIND(LEFT({u},1),{spaces})),"
        f"ISNUMBER(FIND(RIGHT({u},1),{spaces}))))"
    )


def _url_invalid(link: str) -> str:
    lower = f"LOWER({link})"
    scheme = f'OR(LEFT({lower},7)="http://",LEFT({lower},8)="https://")'
    host_start = f'MID({link},IF(LEFT({lower},5)="https",9,8),1)'
    no_host = f'OR({host_start}="",ISNUMBER(FIND({host_start},"/?#:")))'
    spaces = ",".join(
        [_has(link, " "), _has(link, _NBSP)]
        + [f"ISNUMBER(FIND(CHAR({n}),{link}))" for n in (9, 10, 13)]
    )
    return f"AND({_filled(link)},OR(NOT({scheme}),{spaces},{no_host}))"


def _stage_invalid(s: str) -> str:
    exact = ",".join(f"EXACT({s},{_quote(stage)})" for stage in STAGES)
    return f"AND({_filled(s)},NOT(OR({exact})))"


def _formula_like(cell: str) -> str:
    starts = '"=+-@"&CHAR(9)&CHAR(13)'
    return f"AND(ISTEXT({cell}),LEN({cell})>0,ISNUMBER(FIND(LEFT({cell},1),{starts})))"


class Cells:
    """Where a sheet's rules point: each Cloze column's first data cell (``$B2``), its used
    range (``$B$2:$B$900``), the emails of a row, and whether the row holds anything."""

    def __init__(
        self, headers: Sequence[str], first_row: int, last: int, name_column: str | None
    ) -> None:
        found = map_headers(list(headers), name_column=name_column).positions
        width = len(headers)
        while width and not headers[width - 1]:
            width -= 1
        self.width, self.first_row, self.last = width, first_row, last
        self.letter = {h: column_letter(p) for h, p in found.items()}
        emails = map_headers(list(headers)).email_columns
        self.emails = [f"${column_letter(p)}{first_row}" for p in emails]
        last_letter = column_letter(max(width, 1) - 1)
        self.row_used = f"COUNTA($A{first_row}:${last_letter}{first_row})>0"

    def has(self, header: str) -> bool:
        return header in self.letter

    def ref(self, header: str) -> str:
        return f"${self.letter[header]}{self.first_row}"

    def whole(self, header: str) -> str:
        return f"${self.letter[header]}${self.first_row}:${self.letter[header]}${self.last}"


def _unique_id_duplicate(c: Cells) -> str:
    a, u = c.ref(APP_ID), c.ref(APP_UNIQUE_ID)
    # COUNTIFS is fast but loose (no case, wildcards, "00123" = 123); the exact count runs
    # only when it finds a candidate, since IF evaluates just the branch it takes. Ids are
    # compared as the text they show (&""), as the CSV writes them: the number 59187422 and
    # the text "59187422" are one id. Without it LibreOffice's EXACT finds no text in a number
    # inside a range, and its COUNTIFS matches a number only with numbers.
    loose = f'COUNTIFS({c.whole(APP_ID)},{a},{c.whole(APP_UNIQUE_ID)},{u}&"")>1'
    exact = f'SUMPRODUCT(({c.whole(APP_ID)}={a})*EXACT({c.whole(APP_UNIQUE_ID)}&"",{u}&""))>1'
    return f"AND({_filled(a)},{_filled(u)},IF({loose},{exact},FALSE))"


def _row_not_importable(c: Cells) -> str:
    a = c.ref(APP_ID)
    pair = f"AND({_filled(a)},{_filled(c.ref(APP_UNIQUE_ID))})" if c.has(APP_UNIQUE_ID) else "FALSE"
    no_email = [_blank(e) for e in c.emails]
    return f"AND({c.row_used},NOT({pair}),{','.join(no_email + ['TRUE'])})"


#: One rule per check that a formula can express, in the order they are written (errors are
#: put first afterwards): (code, the column it covers, the columns it needs, its formula for
#: the first data row). A rule covering "" covers every used column.
RULES: tuple[tuple[str, str, tuple[str, ...], Callable[[Cells], str]], ...] = (
    ("app-id-not-domain", APP_ID, (), lambda c: _app_id_not_domain(c.ref(APP_ID))),
    (
        "app-id-not-lowercase",
        APP_ID,
        (),
        lambda c: (
            f"AND({_filled(c.ref(APP_ID))},NOT(EXACT({c.ref(APP_ID)},LOWER({c.ref(APP_ID)}))))"
        ),
    ),
    (
        "app-id-has-url-parts",
        APP_ID,
        (),
        lambda c: f"AND({_filled(c.ref(APP_ID))},{_url_parts(c.ref(APP_ID))})",
    ),
    (
        "app-id-missing",
        APP_ID,
        (APP_UNIQUE_ID,),
        lambda c: f"AND({_blank(c.ref(APP_ID))},{_filled(c.ref(APP_UNIQUE_ID))})",
    ),
    (
        "unique-id-missing",
        APP_UNIQUE_ID,
        (APP_ID,),
        lambda c: f"AND({_filled(c.ref(APP_ID))},{_blank(c.ref(APP_UNIQUE_ID))})",
    ),
    ("unique-id-duplicate", APP_UNIQUE_ID, (APP_ID,), _unique_id_duplicate),
    ("unique-id-mangled", APP_UNIQUE_ID, (), lambda c: _mangled(c.ref(APP_UNIQUE_ID))),
    (
        "unique-id-whitespace",
        APP_UNIQUE_ID,
        (),
        lambda c: _whitespace_at_ends(c.ref(APP_UNIQUE_ID)),
    ),
    (
        "app-name-missing",
        APP_NAME,
        (APP_ID,),
        lambda c: f"AND({_filled(c.ref(APP_ID))},{_blank(c.ref(APP_NAME))})",
    ),
    ("url-invalid", APP_CONTENT_URL, (), lambda c: _url_invalid(c.ref(APP_CONTENT_URL))),
    (
        "url-missing",
        APP_CONTENT_URL,
        (APP_ID,),
        lambda c: f"AND({_filled(c.ref(APP_ID))},{_blank(c.ref(APP_CONTENT_URL))})",
    ),
    ("name-missing", NAME, (), lambda c: f"AND({c.row_used},{_blank(c.ref(NAME))})"),
    ("row-not-importable", APP_ID, (), _row_not_importable),
    ("stage-invalid", STAGE, (), lambda c: _stage_invalid(c.ref(STAGE))),
    ("cell-error", "", (), lambda c: f"ISERROR(A{c.first_row})"),
    ("formula-like-value", "", (), lambda c: _formula_like(f"A{c.first_row}")),
)


def conditional_rules(
    headers: Sequence[str],
    *,
    first_row: int = 2,
    last_row: int | None = None,
    name_column: str | None = None,
) -> list[Rule]:
    """Return the rules for a sheet with these headers, errors first.

    Args:
        headers: the header row as the sheet has it (near misses such as ``AppID`` count as
            the column they stand for, as in :func:`applinks.checks.check`).
        first_row: the first data row (1-based; the row below the header).
        last_row: the last row the rules cover. Pass the last used row, or a little more so that
            rows typed below the data are flagged too. Default: the sheet's last row.
        name_column: the column of the records' names when it is not headed "Name" (as in
            :func:`applinks.checks.check`).

    A rule is returned only when the columns it needs exist; e.g. ``unique-id-missing`` needs
    both App ID and App Unique ID.
    """
    last = MAX_ROWS if last_row is None else max(first_row, min(last_row, MAX_ROWS))
    c = Cells(headers, first_row, last, name_column)
    rules = []
    for code, header, needs, formula in RULES:
        if header and not all(map(c.has, (header, *needs))):
            continue
        if not header and not c.width:
            continue
        first, last_col = (
            (c.letter[header], c.letter[header]) if header else ("A", column_letter(c.width - 1))
        )
        rules.append(_rule(code, header, first, last_col, first_row, last, formula(c)))
    rules.sort(key=lambda r: r.severity != "error")
    return rules


def _rule(
    code: str, header: str, first: str, last_col: str, first_row: int, last_row: int, formula: str
) -> Rule:
    severity = CODES[code][0]
    fill, font = COLOURS[severity]
    return Rule(code, header, first, last_col, first_row, last_row, formula, severity, fill, font)


#: Every check code that can have a rule (when its columns exist).
RULE_CODES: tuple[str, ...] = tuple(
    r.code
    for r in conditional_rules(
        [NAME, STAGE, APP_ID, APP_UNIQUE_ID, APP_NAME, APP_CONTENT_URL, "Email"], last_row=3
    )
)
