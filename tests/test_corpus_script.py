"""scripts/corpus.py: each run's exit code and sentence, and the summary it writes."""

from __future__ import annotations

from pathlib import Path

from tests.load_module import load_script

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"


def _script():
    return load_script("corpus")


def test_a_panicking_file_is_one_sentence_in_both_commands(tmp_path: Path, monkeypatch) -> None:
    """Run in a child with this tree's sources: no traceback, no panic, the same sentence."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    script = _script()
    runs = script.run_file(CORPUS / "poi-Simple.xlsb", 60)
    sentence = (
        '"poi-Simple.xlsb" is damaged or not a workbook this tool can read; open it in Excel, '
        "save it as .xlsx and try again."
    )
    assert [(r.command, r.code, r.sentence, r.traceback, r.panic) for r in runs] == [
        ("check", 2, sentence, False, False),
        ("prepare", 2, sentence, False, False),
    ]


def test_the_summary_counts_exit_codes_and_lists_refusals() -> None:
    script = _script()
    runs = [
        script.Run("a.xlsx", "check", 1, "", 0.5, 30.0, False, False),
        script.Run("a.xlsx", "prepare", 1, "", 0.7, 31.0, False, False),
        script.Run("b.xls", "check", 2, '"b.xls" is damaged.', 0.1, 20.0, False, False),
        script.Run("b.xls", "prepare", None, "timed out", 60.0, 0.0, False, False),
    ]
    assert script.summary(runs) == [
        "2 files, 4 runs.",
        "",
        "| command | exit 0 | exit 1 | exit 2 | other | timed out |",
        "|---|---|---|---|---|---|",
        "| check | 0 | 1 | 1 | 0 | 0 |",
        "| prepare | 0 | 1 | 0 | 0 | 1 |",
        "",
        "Tracebacks: 0. Panics: 0.",
        "Slowest run: 60.0 s (prepare b.xls); largest peak memory: 31 MiB (prepare a.xlsx).",
    ]
    assert script.refusals(runs) == [
        "| file | command | exit | seconds | MiB | sentence |",
        "|---|---|---|---|---|---|",
        '| b.xls | check | 2 | 0.1 | 20 | "b.xls" is damaged. |',
        "| b.xls | prepare | None | 60.0 | 0 | timed out |",
    ]
