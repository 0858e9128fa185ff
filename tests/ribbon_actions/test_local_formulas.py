"""Check Sheet hands Excel its rules and list in the user's formula language and reference style."""

from __future__ import annotations

import pytest

from applinks.excel import local_formula
from applinks.excel.local_formula import fit, split_formula
from applinks.registry import load_registry
from applinks.rules import conditional_rules

from .conftest import make_book, sheet_model
from .formula_locale import local_formula as shown_to
from .test_actions import CHECKED, run

TAG = 'N("cloze-applinks")=0'


def _english() -> dict[str, str]:
    rules = conditional_rules(CHECKED[0], first_row=2, last_row=1004)
    return {rule.code: f"=AND({TAG},{rule.formula})" for rule in rules}


def _check_as(engine, *, language: str, style: int):
    book = make_book(engine, CHECKED, select="C3")
    book.app.impl.language = language
    book.app.impl.ReferenceStyle = style
    assert run(book, "check_sheet").startswith("4 errors, 2 warnings in 3 rows;")
    return book


def _rules_by_code(book) -> dict[str, str]:
    english = _english()
    ours = [r for r in sheet_model(book).rules if "cloze-applinks" in r.formula]
    assert len(ours) == len(english)  # one rule per check: nothing needed splitting
    # Rules go in in the order of conditional_rules, each at the top of Excel's list.
    return dict(zip(reversed(list(english)), [r.formula for r in ours], strict=True))


def test_a_german_user_gets_german_rules_with_semicolons(engine):
    book = _check_as(engine, language="de", style=1)
    rules = _rules_by_code(book)
    assert rules["app-name-missing"] == (
        '=UND(N("cloze-applinks")=0;UND(LÄNGE(GLÄTTEN($B2))>0;LÄNGE(GLÄTTEN($D2))=0))'
    )
    assert rules["cell-error"] == '=UND(N("cloze-applinks")=0;ISTFEHLER(A2))'
    assert rules == {code: shown_to(f, language="de") for code, f in _english().items()}
    [validation] = sheet_model(book).validations
    count = len(load_registry().app_ids())
    assert (validation.kind, validation.source) == (
        "list",
        f"='App Link Check'!$K$6:$K${count + 5}",
    )
    assert [s.name for s in book.impl.model.sheets] == ["Deals", "App Link Check"]
    assert run(book, "clear_flags") == (
        f"Removed {len(rules)} highlighting rules, the App ID list and the App Link Check sheet."
    )


def test_an_r1c1_user_gets_r1c1_rules_relative_to_the_first_data_cell(engine):
    book = _check_as(engine, language="en", style=-4150)
    rules = _rules_by_code(book)
    assert rules["app-name-missing"] == (
        '=AND(N("cloze-applinks")=0,AND(LEN(TRIM(RC2))>0,LEN(TRIM(RC4))=0))'
    )
    assert rules["cell-error"] == '=AND(N("cloze-applinks")=0,ISERROR(RC))'
    assert rules["unique-id-duplicate"] == (
        '=AND(N("cloze-applinks")=0,AND(LEN(TRIM(RC2))>0,LEN(TRIM(RC3))>0,'
        'IF(COUNTIFS(R2C2:R1004C2,RC2,R2C3:R1004C3,RC3&"")>1,'
        'SUMPRODUCT((R2C2:R1004C2=RC2)*EXACT(R2C3:R1004C3&"",RC3&""))>1,FALSE)))'
    )
    [validation] = sheet_model(book).validations
    count = len(load_registry().app_ids())
    assert validation.source == f"='App Link Check'!R6C11:R{count + 5}C11"
    assert [s.name for s in book.impl.model.sheets] == ["Deals", "App Link Check"]
    assert book.sheets.active.name == "Deals"


def test_a_rule_too_long_for_excel_is_split_into_rules_that_fit(engine, monkeypatch):
    # Excel's limit is 8,192 characters, which no rule reaches even in German; a lower limit
    # makes the 2,678-character German id rule (unique-id-mangled) go in as three rules.
    monkeypatch.setattr(local_formula, "MAX_FORMULA", 2000)
    book = _check_as(engine, language="de", style=1)
    ours = [r.formula for r in sheet_model(book).rules if "cloze-applinks" in r.formula]
    assert len(ours) == len(_english()) + 2
    mangled = [f for f in ours if f.startswith(_MANGLED_START) and "WENNFEHLER" in f]
    assert [len(f) for f in mangled] == [732, 1928, 138]  # each added at the top of the list
    assert mangled[2] == (
        _MANGLED_START + "WENNFEHLER(UND(ISTZAHL($C2);ODER($C2<>GANZZAHL($C2);"
        "ABS($C2)>=1E+15));FALSCH))))"
    )
    # Together they are the whole rule: its three alternatives, one per piece.
    whole = shown_to(_english()["unique-id-mangled"], language="de")
    alternatives = [f.removeprefix(_MANGLED_START)[:-3] for f in mangled]
    assert whole == _MANGLED_START + ";".join(reversed(alternatives)) + ")))"
    assert run(book, "clear_flags").startswith(f"Removed {len(ours)} highlighting rules")


_MANGLED_START = '=UND(N("cloze-applinks")=0;UND(LÄNGE(GLÄTTEN($C2))>0;ODER('


def test_split_at_the_largest_or_under_and_only() -> None:
    formula = '=AND(N("t")=0,AND(LEN(A2)>0,NOT(OR(Y1,Y2,Y3,Y4,Y5)),OR(X1,X2,X3,"a,b")))'
    assert split_formula(formula) == (
        '=AND(N("t")=0,AND(LEN(A2)>0,NOT(OR(Y1,Y2,Y3,Y4,Y5)),OR(X1,X2)))',
        '=AND(N("t")=0,AND(LEN(A2)>0,NOT(OR(Y1,Y2,Y3,Y4,Y5)),OR(X3,"a,b")))',
    )
    assert split_formula("=AND(A1,NOT(OR(B1,C1)))") is None
    assert split_formula("=AND(A1,OR(B1,C1)=FALSE)") is None
    assert split_formula("=OR(A1,B1,C1)") == ("=OR(A1)", "=OR(B1,C1)")


def test_fit_translates_each_piece_and_refuses_what_cannot_be_split() -> None:
    formula = "=AND(A1>0,OR(B1=1,B1=2,B1=3,B1=4))"
    pieces = fit(formula, lambda f: shown_to(f, language="de"), limit=25)
    assert pieces == [
        "=UND(A1>0;ODER(B1=1))",
        "=UND(A1>0;ODER(B1=2))",
        "=UND(A1>0;ODER(B1=3))",
        "=UND(A1>0;ODER(B1=4))",
    ]
    with pytest.raises(local_formula.ApplinksError, match="longer than Excel's 10 characters"):
        fit(formula, lambda f: f, limit=10)
