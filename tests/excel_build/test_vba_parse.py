"""Every VBA module of ours parses with a maintained VBA grammar (antlr4-vba, MIT).

antlr4-vba (PyPI, 0.0.67, June 2026) is the ANTLR4 grammar of [MS-VBAL] generated for Python.
It reads modules as VBE exports them (``.bas``; ``.cls`` with the ``VERSION 1.0 CLASS`` header),
which is how ``addin/`` keeps them. Two things it does not cover, so they are not parsed here:
conditional compilation (``#If``, which xlwings' module uses; the package's separate
preprocessor grammar would be needed first) and a module-level ``VB_Description`` (in xlwings'
``Dictionary``); both modules come unchanged from the pinned xlwings wheel. Parsing first tries
ANTLR's fast SLL mode and falls back to full LL only when SLL reports an error, as ANTLR's
documentation recommends; a module is accepted only when the full parse has no error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import REPO

antlr4 = pytest.importorskip("antlr4", reason="install the dev extra: pip install -e '.[dev]'")
pytest.importorskip("antlr4_vba", reason="install the dev extra: pip install -e '.[dev]'")

from antlr4.atn.PredictionMode import PredictionMode  # noqa: E402
from antlr4.error.ErrorListener import ErrorListener  # noqa: E402
from antlr4.error.Errors import ParseCancellationException  # noqa: E402
from antlr4.error.ErrorStrategy import BailErrorStrategy  # noqa: E402
from antlr4_vba.vbaLexer import vbaLexer  # noqa: E402
from antlr4_vba.vbaParser import vbaParser  # noqa: E402

MODULES = sorted(
    [*REPO.glob("addin/*.bas"), *REPO.glob("addin/*.cls"), *REPO.glob("src/applinks/excel/*.bas")]
)


class _Errors(ErrorListener):
    def __init__(self) -> None:
        self.found: list[str] = []

    def syntaxError(self, recognizer, symbol, line, column, message, error):  # noqa: N802
        self.found.append(f"line {line}, column {column}: {message}")


def _parser(text: str, errors: _Errors) -> vbaParser:
    lexer = vbaLexer(antlr4.InputStream(text))
    parser = vbaParser(antlr4.CommonTokenStream(lexer))
    for part in (lexer, parser):
        part.removeErrorListeners()
        part.addErrorListener(errors)
    return parser


def parse_errors(text: str) -> list[str]:
    """Return the syntax errors of one module (empty when it parses); line ends as LF."""
    text = text.replace("\r\n", "\n")
    fast = _parser(text, _Errors())
    fast._interp.predictionMode = PredictionMode.SLL
    fast._errHandler = BailErrorStrategy()
    try:
        fast.startRule()
        return []
    except ParseCancellationException:
        errors = _Errors()
        _parser(text, errors).startRule()
        return errors.found


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_module_parses(path: Path) -> None:
    assert parse_errors(path.read_text(encoding="cp1252")) == []


def test_every_module_file_is_parsed() -> None:
    assert [p.name for p in MODULES] == ["ClozeAppEvents.cls", "ClozeRibbon.bas"]


def test_a_broken_module_is_rejected() -> None:
    broken = 'Attribute VB_Name = "Broken"\nSub Main()\n    If True Then\n        x = 1\nEnd Sub\n'
    assert parse_errors(broken) != []
    fixed = broken.replace("        x = 1\n", "        x = 1\n    End If\n")
    assert parse_errors(fixed) == []
