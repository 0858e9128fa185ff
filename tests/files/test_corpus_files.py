"""Files from public test suites that taught something (tests/data/corpus/, see its SOURCES.md).

Each runs through the real command line in a subprocess, as a user would: a refusal is one
exact sentence on stderr and exit code 2, a file that is read gives its whole CSV.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_run import run_applinks

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        (
            "poi-Simple.xlsb",
            '"poi-Simple.xlsb" is damaged or not a workbook this tool can read; open it in '
            "Excel, save it as .xlsx and try again.",
        ),
    ],
    ids=["xlsb-reader-panic"],
)
def test_reader_panic_is_one_sentence(name: str, sentence: str, tmp_path: Path) -> None:
    """python-calamine panics on these: no Rust report, no traceback, one sentence, exit 2."""
    done = run_applinks("check", str(CORPUS / name), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", sentence + "\n")
    assert list(tmp_path.iterdir()) == []


def test_quiet_panics_keeps_the_rust_report_off_the_terminal(capfd: pytest.CaptureFixture) -> None:
    """The panic is a ReaderPanic (an Exception) carrying Rust's report; descriptor 2 gets none."""
    import python_calamine

    from applinks.files.panics import ReaderPanic, quiet_panics

    with pytest.raises(ReaderPanic) as caught, quiet_panics():
        python_calamine.CalamineWorkbook.from_path(str(CORPUS / "poi-Simple.xlsb"))
    assert str(caught.value) == "no entry found for key"
    assert "panicked" in caught.value.details
    assert capfd.readouterr() == ("", "")


def test_quiet_panics_gives_back_other_output(capfd: pytest.CaptureFixture) -> None:
    """What else reaches descriptor 2 during the call is written back afterwards."""
    import os

    from applinks.files.panics import quiet_panics

    with quiet_panics():
        os.write(2, b"a warning\n")
    assert capfd.readouterr() == ("", "a warning\n")
