"""The catalogue of broken and hostile inputs (tests/data/bad/): each gets its listed outcome.

Every entry runs through the real command line in a subprocess limited to 500 MiB of address
space and 10 seconds of processor time, the way a user would run it. Refused files must give
exactly one sentence and exit code 2 and write nothing; every input must be byte-identical
afterwards.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from applinks.files.csv_out import write_cloze_csv
from applinks.files.read import read_table
from tests.cli_run import run_applinks

ROOT = Path(__file__).resolve().parent.parent.parent
BAD = ROOT / "tests" / "data" / "bad"
MEMORY_LIMIT = 500 * 1024 * 1024
#: Processor seconds a run may use; the wall-clock timeout only stops a run that hangs.
CPU_LIMIT = 10
HANG_TIMEOUT = 600


def _load_catalogue():
    spec = importlib.util.spec_from_file_location(
        "make_bad_inputs", ROOT / "scripts" / "make_bad_inputs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


CATALOGUE_MODULE = _load_catalogue()
CATALOGUE = CATALOGUE_MODULE.CATALOGUE
REFUSED = [e for e in CATALOGUE if e.outcome == "refused"]
BOMBS = [
    "zip-bomb.xlsx",
    "zip-bomb-lying-size.xlsx",
    "entity-bomb.xlsx",
    "far-apart-cells.xlsx",
    "far-apart-cells.xlsb",
    "repeated-cells.ods",
    "ole-chain-loop.xls",
]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m applinks ARGS`` as a user would, within the memory and time limits."""
    return run_applinks(
        *args,
        cwd=cwd,
        timeout=HANG_TIMEOUT,
        memory_limit=MEMORY_LIMIT,
        cpu_seconds=CPU_LIMIT,
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_catalogue_lists_every_file_in_the_folder() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(e.file for e in CATALOGUE)


def test_doc_page_is_the_catalogue() -> None:
    """The catalogue part of the page; the real-world part after it is scripts/corpus.py's."""
    text = (ROOT / "docs" / "bad-inputs.md").read_text(encoding="utf-8")
    catalogue = text.split("\n" + CATALOGUE_MODULE.CORPUS_HEADING, 1)[0]
    assert catalogue == CATALOGUE_MODULE.render_doc()


def test_zip_bomb_is_small_on_disk_and_huge_inside() -> None:
    import zipfile

    path = BAD / "zip-bomb.xlsx"
    with zipfile.ZipFile(path) as archive:
        declared = sum(info.file_size for info in archive.infolist())
    assert path.stat().st_size < 1_000_000
    assert declared > 4 * 1024**3


@pytest.mark.parametrize("entry", CATALOGUE, ids=[e.file for e in CATALOGUE])
def test_check_gives_the_listed_outcome(entry, tmp_path: Path) -> None:
    shutil.copyfile(BAD / entry.file, tmp_path / entry.file)
    before = _snapshot(tmp_path)
    result = run_cli("check", entry.file, cwd=tmp_path)
    assert result.returncode == entry.exit_code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if entry.outcome == "refused":
        assert (result.stdout, result.stderr) == ("", entry.message + "\n")
    else:
        note = entry.message + "\n" if entry.message.startswith("Note:") else ""
        assert result.stderr == note
        assert result.stdout.startswith(entry.file)
    assert _snapshot(tmp_path) == before  # input unchanged, nothing written


@pytest.mark.parametrize("entry", REFUSED, ids=[e.file for e in REFUSED])
def test_prepare_writes_nothing_for_a_refused_file(entry, tmp_path: Path) -> None:
    shutil.copyfile(BAD / entry.file, tmp_path / entry.file)
    before = _snapshot(tmp_path)
    result = run_cli(
        "prepare", entry.file, "--app", "zillow.com", "--report", "report.csv", cwd=tmp_path
    )
    assert (result.returncode, result.stdout, result.stderr) == (2, "", entry.message + "\n")
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("name", BOMBS)
def test_bombs_are_refused_quickly_within_the_memory_limit(name: str, tmp_path: Path) -> None:
    """The subprocess limits (500 MiB address space, 10 s of processor time) are what this test
    is about."""
    shutil.copyfile(BAD / name, tmp_path / name)
    result = run_cli("check", name, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1


# Read correctly: the same values whatever the format.

EXPECTED_ROWS = [list(row) for row in CATALOGUE_MODULE.ROWS]


@pytest.mark.parametrize("name", ["legacy.xls", "binary.xlsb", "spreadsheet.ods"])
def test_other_workbook_formats_read_like_xlsx(name: str) -> None:
    table = read_table(BAD / name)
    assert (table.sheet, table.headers, table.rows) == (
        "Deals",
        CATALOGUE_MODULE.HEADERS,
        EXPECTED_ROWS,
    )


@pytest.mark.parametrize(("name", "encoding"), [("utf16.csv", "utf-16"), ("cp1252.csv", "cp1252")])
def test_csv_encodings_are_detected(name: str, encoding: str) -> None:
    table = read_table(BAD / name)
    assert table.encoding == encoding
    assert table.rows[0][0] == "12 Élan St"
    assert table.rows[1:] == EXPECTED_ROWS[1:]


def test_ragged_rows_are_kept_as_written() -> None:
    table = read_table(BAD / "ragged-rows.csv")
    assert table.headers == [*CATALOGUE_MODULE.HEADERS, ""]
    assert table.rows == [EXPECTED_ROWS[0][:4], [*EXPECTED_ROWS[1], "an extra cell"]]


def test_formulas_read_as_saved_results_or_empty_with_a_note() -> None:
    cached = read_table(BAD / "formula-cached.xlsx")
    assert [row[-1] for row in cached.rows] == [450000, 315000]
    assert cached.notes == []
    uncached = read_table(BAD / "formula-uncached.xlsx")
    assert [row[-1] for row in uncached.rows] == [None, None]
    assert len(uncached.notes) == 1


def test_hidden_first_sheet_is_the_one_read() -> None:
    table = read_table(BAD / "hidden-first-sheet.xlsx")
    assert (table.sheet, table.rows) == ("Old", EXPECTED_ROWS)


def test_merged_header_keeps_the_text_in_its_first_column() -> None:
    table = read_table(BAD / "merged-header.xlsx")
    assert table.headers[:4] == ["Name", "Stage", "", "App ID"]
    assert [row[2] for row in table.rows] == ["Boston", "Boston"]


def test_header_only_and_no_header_sheets() -> None:
    assert read_table(BAD / "header-only.xlsx").rows == []
    no_header = read_table(BAD / "no-header.xlsx")
    assert (no_header.headers, no_header.rows) == (EXPECTED_ROWS[0], [EXPECTED_ROWS[1]])


def test_a_cell_longer_than_excel_allows_survives_read_and_write(tmp_path: Path) -> None:
    table = read_table(BAD / "long-cell.xlsx")
    assert table.rows[0][-1] == CATALOGUE_MODULE.LONG_TEXT
    out = write_cloze_csv(table, tmp_path / "out.csv")
    again = read_table(out)
    assert again.rows[0][-1] == CATALOGUE_MODULE.LONG_TEXT
