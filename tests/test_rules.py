"""The conditional-formatting rule set: which checks have a rule, where each rule points."""

from __future__ import annotations

import re

import pytest

from applinks.issues import CODES
from applinks.rules import LIMITS, NO_RULE, RULE_CODES, conditional_rules

FULL = ["Name", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL", "Email"]


def test_every_code_has_a_rule_or_a_reason() -> None:
    assert set(RULE_CODES) | set(NO_RULE) == set(CODES)
    assert not set(RULE_CODES) & set(NO_RULE)
    assert len(RULE_CODES) == len(set(RULE_CODES))
    assert set(LIMITS) - {"blank"} <= set(RULE_CODES)


def test_one_rule_per_check_over_the_used_column() -> None:
    rules = conditional_rules(FULL, last_row=41)
    assert [(r.code, r.sqref) for r in rules] == [
        ("app-id-not-domain", "C2:C41"),
        ("app-id-not-lowercase", "C2:C41"),
        ("app-id-has-url-parts", "C2:C41"),
        ("app-id-missing", "C2:C41"),
        ("unique-id-missing", "D2:D41"),
        ("unique-id-duplicate", "D2:D41"),
        ("unique-id-mangled", "D2:D41"),
        ("url-invalid", "F2:F41"),
        ("name-missing", "A2:A41"),
        ("row-not-importable", "C2:C41"),
        ("unique-id-whitespace", "D2:D41"),
        ("app-name-missing", "E2:E41"),
        ("url-missing", "F2:F41"),
        ("stage-invalid", "B2:B41"),
        ("cell-error", "A2:G41"),
        ("formula-like-value", "A2:G41"),
    ]
    by_code = {r.code: r for r in rules}
    assert by_code["app-id-missing"].formula == "AND(LEN(TRIM($C2))=0,LEN(TRIM($D2))>0)"
    assert by_code["unique-id-duplicate"].formula == (
        'AND(LEN(TRIM($C2))>0,LEN(TRIM($D2))>0,IF(COUNTIFS($C$2:$C$41,$C2,$D$2:$D$41,$D2&"")>1,'
        'SUMPRODUCT(($C$2:$C$41=$C2)*EXACT($D$2:$D$41&"",$D2&""))>1,FALSE))'
    )
    assert by_code["row-not-importable"].formula == (
        "AND(COUNTA($A2:$G2)>0,NOT(AND(LEN(TRIM($C2))>0,LEN(TRIM($D2))>0)),LEN(TRIM($G2))=0,TRUE)"
    )
    assert by_code["formula-like-value"].anchor == "A2"
    assert {(r.severity, r.fill_color, r.font_color) for r in rules} == {
        ("error", "#FFC7CE", "#9C0006"),
        ("warning", "#FFEB9C", "#9C5700"),
    }


def test_rules_follow_the_columns_and_need_them() -> None:
    rules = conditional_rules(["Listing", "AppID", "Notes"], first_row=4, last_row=10)
    assert [(r.code, r.header, r.sqref) for r in rules] == [
        ("app-id-not-domain", "App ID", "B4:B10"),
        ("app-id-not-lowercase", "App ID", "B4:B10"),
        ("app-id-has-url-parts", "App ID", "B4:B10"),
        ("row-not-importable", "App ID", "B4:B10"),
        ("cell-error", "", "A4:C10"),
        ("formula-like-value", "", "A4:C10"),
    ]
    assert all("$B4" in r.formula for r in rules[:3])
    assert rules[3].formula == "AND(COUNTA($A4:$C4)>0,NOT(FALSE),TRUE)"
    assert "$B5" not in "".join(r.formula for r in rules)


def test_no_rows_past_the_sheet_and_no_rules_without_headers() -> None:
    assert conditional_rules([]) == []
    assert {r.last_row for r in conditional_rules(["App ID"])} == {1_048_576}
    # A last row asked past the sheet's last row (1,048,576) stops there.
    past = conditional_rules(["App ID"], last_row=2_000_000)
    assert {(r.last_row, r.sqref.split(":")[1]) for r in past} == {(1_048_576, "A1048576")}


@pytest.mark.parametrize("rule", conditional_rules(FULL, last_row=99), ids=lambda r: r.code)
def test_formulas_are_plain_and_balanced(rule) -> None:
    text = re.sub(r'"(?:[^"]|"")*"', '""', rule.formula)
    assert text.count("(") == text.count(")")
    functions = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", text))
    assert functions <= {
        "ABS", "AND", "CHAR", "COUNTA", "COUNTIFS", "EXACT", "FIND", "IF", "IFERROR", "INDIRECT",
        "INT", "ISERROR", "ISNUMBER", "ISTEXT", "LEFT", "LEN", "LOWER", "MAX", "MID", "NOT", "OR",
        "RIGHT", "ROW", "SEARCH", "SUBSTITUTE", "SUMPRODUCT", "TRIM",
    }  # fmt: skip
    assert not rule.formula.startswith("=")
    assert len(rule.formula) < 8192


def test_docs_name_every_rule_and_every_check_without_one() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "flags.md").read_text(encoding="utf-8")
    for code in RULE_CODES:
        assert f"| `{code}` | yes" in text, code
    for code in NO_RULE:
        assert f"`{code}`" in text and "| no:" in text, code


@pytest.mark.parametrize(
    ("headers", "name_column", "covered"),
    [
        (["Deal", "Street", "Email"], None, None),
        (["Deal", "Street", "Email"], "Street", "B2:B41"),
        (["Zip", "Deal Name", "Email"], None, "B2:B41"),
        (["Zip", "Deal Name", "Email"], "zip", "A2:A41"),
    ],
    ids=["no-name-column", "name-column", "alias", "name-column-over-alias"],
)
def test_the_name_rule_covers_the_name_column(
    headers: list[str], name_column: str | None, covered: str | None
) -> None:
    rules = conditional_rules(headers, last_row=41, name_column=name_column)
    found = [r.sqref for r in rules if r.code == "name-missing"]
    assert found == ([covered] if covered else [])


def _text_constant(expression: str) -> str:
    """Return the text of a formula's constant: quoted texts (without ``&``) and ``CHAR(n)``
    joined with ``&``."""
    text = ""
    for piece in expression.split("&"):
        if quoted := re.fullmatch(r'"((?:[^"]|"")*)"', piece):
            text += quoted.group(1).replace('""', '"')
        elif char := re.fullmatch(r"CHAR\((\d+)\)", piece):
            text += chr(int(char.group(1)))
        else:
            raise AssertionError(f"not a text constant: {piece}")
    return text


def test_rule_thresholds_are_the_specs() -> None:
    """The limits each rule draws, read out of its formula and held to SPEC section 4 (and DNS).
    Without a spreadsheet to run the formulas, this is what catches a moved limit; the
    LibreOffice table (test_rules_libreoffice.py) runs them on rows at each limit."""
    by_code = {r.code: r.formula for r in conditional_rules(FULL, last_row=41)}
    starts = re.search(
        r"FIND\(LEFT\(A2,1\),((?:\"[^\"]*\"|CHAR\(\d+\)|&)+)\)", by_code["formula-like-value"]
    )
    assert starts is not None
    # "a text value starting with =, +, -, @, tab or CR"
    assert sorted(_text_constant(starts.group(1))) == sorted(["=", "+", "-", "@", "\t", "\r"])
    # "a number past 15 significant digits": from 1E+15, a whole number has 16 digits.
    assert re.findall(r"ABS\(\$D2\)>=([0-9.E+]+)", by_code["unique-id-mangled"]) == ["1E+15"]
    # A domain name has at most 253 characters (RFC 1035).
    assert re.findall(r"LEN\(\$C2\)>(\d+)", by_code["app-id-not-domain"]) == ["253"]
    # "a text value starting with ...": it has a first character. (Excel's FIND finds empty
    # text at 1, so without LEN a formula that shows "" would be flagged; LibreOffice's FIND
    # gives an error there, so the LibreOffice table cannot tell.)
    assert by_code["formula-like-value"] == (
        'AND(ISTEXT(A2),LEN(A2)>0,ISNUMBER(FIND(LEFT(A2,1),"=+-@"&CHAR(9)&CHAR(13))))'
    )
    # "Stage not one of Potential, Active, Done, Lost": compared exactly (no TRIM, no case).
    assert by_code["stage-invalid"] == (
        'AND(LEN(TRIM($B2))>0,NOT(OR(EXACT($B2,"Potential"),EXACT($B2,"Active"),'
        'EXACT($B2,"Done"),EXACT($B2,"Lost"))))'
    )
