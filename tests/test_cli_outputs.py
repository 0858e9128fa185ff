"""Outputs are checked before any work: one sentence, exit 2, nothing printed, nothing written.

And ``-o *.xlsx`` of insert, fill and prepare writes a workbook, never CSV text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli_run import run_applinks as run

DATA = Path(__file__).parent / "data"
ZILLOW = ["--app", "zillow.com", "--id-column", "Name"]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "clean.csv"
    shutil.copyfile(DATA / "clean.csv", path)
    return path


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (
            ["check", "clean.csv", "--annotate", "missing/out.xlsx"],
            'The folder "missing" does not exist.',
        ),
        (
            ["check", "clean.csv", "--annotate", "clean.csv"],
            'The output "clean.csv" is the input file; choose another output name (this tool '
            "never writes to its input).",
        ),
        (
            ["check", "clean.csv", "--annotate", "taken.xlsx"],
            '"taken.xlsx" already exists; use --force to replace it, or choose another name.',
        ),
        (
            ["check", "clean.csv", "--report", "/sys/report.csv"],
            'Cannot write in the folder "/sys" (permission denied); choose another folder for '
            "the output, or ask for permission to write there.",
        ),
        (
            ["check", "clean.csv", "--annotate", "out.csv"],
            '"clean.csv" has no macros, so the annotated copy must end in .xlsx; for example '
            '"out.xlsx".',
        ),
        (
            ["check", "clean.csv", "--report", "out.txt"],
            '--report writes the report as .csv or .json, not "out.txt"; for example "out.csv".',
        ),
        (
            ["export", "clean.csv", "-o", "out.xlsx"],
            '-o/--output writes the CSV for Cloze, so its name must end in .csv, not "out.xlsx"; '
            'for example "out.csv".',
        ),
        (
            ["insert", "clean.csv", "-o", "out.ods"],
            "This tool cannot write .ods files; name -o/--output .csv (the CSV for Cloze) or "
            ".xlsx (the workbook with its App Link columns).",
        ),
        (
            ["prepare", "clean.csv", *ZILLOW, "--report", "same.csv", "-o", "same.csv"],
            '-o/--output and --report both name "same.csv"; give each its own file.',
        ),
        (
            ["prepare", "clean.csv", *ZILLOW, "-o", "a.xlsx", "--xlsx", "b.xlsx"],
            "-o names a workbook and so does --xlsx; give the workbook once.",
        ),
        (
            ["prepare", "clean.csv", *ZILLOW, "--xlsx", "taken.xlsx"],
            '"taken.xlsx" already exists; use --force to replace it, or choose another name.',
        ),
    ],
    ids=[
        "missing-folder",
        "output-is-input",
        "existing-output",
        "read-only-folder",
        "annotate-not-xlsx",
        "report-not-csv-or-json",
        "export-to-xlsx",
        "insert-to-ods",
        "two-options-one-file",
        "workbook-twice",
        "prepare-existing-xlsx",
    ],
)
def test_outputs_are_refused_before_any_work(book: Path, args: list[str], sentence: str) -> None:
    """The refusal comes first: no report on stdout, only the sentence, and nothing written."""
    folder = book.parent
    (folder / "taken.xlsx").write_bytes(b"keep me")
    if args[-1].startswith("/sys") and not _read_only("/sys"):
        pytest.skip("/sys takes files here")
    done = run(*args, cwd=folder)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", sentence + "\n")
    assert sorted(p.name for p in folder.iterdir()) == ["clean.csv", "taken.xlsx"]
    assert (folder / "taken.xlsx").read_bytes() == b"keep me"


def _read_only(folder: str) -> bool:
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return False
    except OSError:
        return True


@pytest.mark.parametrize(
    "args",
    [["insert", "clean.csv"], ["fill", "clean.csv", *ZILLOW], ["prepare", "clean.csv", *ZILLOW]],
    ids=["insert", "fill", "prepare"],
)
def test_output_named_xlsx_is_a_workbook(book: Path, args: list[str]) -> None:
    """-o out.xlsx writes the workbook with its App Link columns; no CSV is written anywhere."""
    done = run(*args, "-o", "out.xlsx", cwd=book.parent)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in book.parent.iterdir()) == ["clean.csv", "out.xlsx"]
    workbook = load_workbook(book.parent / "out.xlsx")
    sheet = workbook.worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    source = (DATA / "clean.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [",".join("" if v is None else str(v) for v in row) for row in rows] == source
    assert workbook.sheetnames == [sheet.title, "App Link Check"]


def test_every_file_written_is_named(book: Path) -> None:
    """The report is named too (on stderr when stdout carries the report as data)."""
    done = run("check", "clean.csv", "--format", "json", "--report", "r.csv", cwd=book.parent)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "Wrote r.csv (the report: 0 issues).\n"
    report = (book.parent / "r.csv").read_bytes()
    assert report == b"row,column,code,severity,message,value,suggestion\r\n"


def test_the_command_line_names_its_own_options(book: Path) -> None:
    """A message shared with Excel names the ribbon's button there and the option here."""
    done = run("fill", "clean.csv", "--app", "redfin.com", cwd=book.parent)
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "There is no known link format for Redfin (redfin.com); paste the record links into a "
        "column and read them with --from-url COLUMN, or give a URL template for it with "
        "--templates FILE.\n",
    )
