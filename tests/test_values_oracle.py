"""LibreOffice as the judge of what a user sees: no row lost, formatted cells as shown.

Every workbook under ``tests/data`` (and LibreOffice's own ``.xlsx``, ``.xls`` and ``.ods``
copies of the values workbook) is converted by LibreOffice, in one run, into its "as shown" CSV
export of every sheet. Against that independent reading:

- every row below the header with two or more filled cells is found, in order, in the CSV that
  ``prepare`` writes (nothing is eaten by the header search, a blank row, or a column);
- every cell under a format that carries meaning (read with openpyxl, not with our reader)
  is the text LibreOffice shows, except where the rules say plain values, listed here.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from applinks.errors import InputError
from applinks.files.csv_out import write_cloze_csv
from applinks.files.read import read_table
from applinks.headers import map_headers
from applinks.numfmt import FormatKind, format_kind
from applinks.operations import prepare
from applinks.table import APP_CONTENT_URL, cell_text
from tests.office import TIMEOUT, convert

DATA = Path(__file__).parent / "data"
SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
#: LibreOffice's CSV export of every sheet (the 12th token, -1), cells as shown (the 9th).
AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"

pytestmark = pytest.mark.libreoffice


def _workbooks() -> list[Path]:
    # The public corpus files (tests/data/corpus) have tests of their own, against golden CSVs
    # (tests/files/test_corpus_files.py): LibreOffice cannot open some of them.
    return sorted(
        p
        for p in DATA.rglob("*")
        if p.suffix.lower() in SUFFIXES and "corpus" not in p.relative_to(DATA).parts
    )


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The test workbooks our reader reads (the hostile ones it refuses are left out: they
    are not for LibreOffice either), and LibreOffice's copies of the values workbook."""
    out = tmp_path_factory.mktemp("copies")
    values = DATA / "values" / "as-shown.xlsx"
    copies = []
    for kind in ("xlsx", "xls", "ods"):
        copy = convert(values, kind, out / kind)
        copies.append(copy.rename(copy.with_name(f"lo-{kind}-{copy.name}")))
    return sorted({path for path, _ in _readable(_workbooks())}) + copies


@pytest.fixture(scope="module")
def shown(books: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of LibreOffice's as-shown CSV files, ``<stem>-<sheet>.csv``, from one run."""
    out = tmp_path_factory.mktemp("shown")
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run(
            [
                shutil.which("soffice") or "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                AS_SHOWN,
                "--outdir",
                str(out),
                *map(str, books),
            ],
            capture_output=True,
            timeout=TIMEOUT * 2,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return out


def _lo_rows(shown: Path, path: Path, sheet: str) -> list[list[str]] | None:
    found = shown / f"{path.stem}-{sheet}.csv"
    if not found.exists():
        return None
    with found.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _readable(books: list[Path]) -> Iterator[tuple[Path, str]]:
    for path in books:
        for sheet in _sheets(path):
            try:
                read_table(path, sheet=sheet)
            except InputError:
                continue  # refused as broken or hostile: tests/files/test_bad_inputs.py
            yield path, sheet


def _sheets(path: Path) -> list[str]:
    import python_calamine

    try:
        read_table(path)  # the guards run before calamine is given a hostile file
        return list(python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:
        return []


_LETTER = re.compile(r"[A-Za-z]")
#: A number as LibreOffice may show it: signs, currency, separators, exponent, percent.
_NUMBER = re.compile(r"[-+$(]*[\d.,]+(?:E[+-]?\d+)?[%)]*")


def _matches(theirs: list[str], ours: list[str], link: int | None) -> bool:
    """Return True when our CSV row is LibreOffice's row: every cell of theirs with a letter
    in it (text, not a number or a date, whose form the rules may change) is in ours, but for
    the App Content URL at ``link`` (its hyperlink's target stands for its text)."""
    texts = [
        t
        for p, t in enumerate(theirs)
        if _LETTER.search(t) and not _NUMBER.fullmatch(t) and t[:1] != "#" and p != link
    ]
    if texts:
        return all(t in ours for t in texts)
    return sum(1 for t in theirs if t) == sum(1 for t in ours if t)


def test_prepare_keeps_every_row_with_two_filled_cells(
    books: list[Path], shown: Path, tmp_path: Path
) -> None:
    checked = 0
    for path, sheet in _readable(books):
        table = read_table(path, sheet=sheet)
        theirs = _lo_rows(shown, path, sheet)
        assert theirs is not None, f"LibreOffice wrote no CSV for {path.name} {sheet}"
        wanted = [r for r in theirs[table.header_row :] if sum(1 for c in r if c.strip()) >= 2]
        link = map_headers(table.headers).get(APP_CONTENT_URL)
        result = prepare(table)
        out = write_cloze_csv(result.table, tmp_path / f"{path.stem}-{sheet}.csv", force=True)
        with out.open(encoding="utf-8-sig", newline="") as handle:
            ours = list(csv.reader(handle))[1:]
        position = 0
        for row in wanted:
            while position < len(ours) and not _matches(row, ours[position], link):
                position += 1
            assert position < len(ours), f"{path.name} {sheet}: row {row} is not in the CSV"
            position += 1
        checked += 1
    assert checked >= 8  # the values sheets and the readable catalogue files


#: Cells under a format that carries meaning where the CSV differs from LibreOffice's screen,
#: because the rules say so: the kind of format and why.
PLAIN_BY_RULE = {
    FormatKind.DATE: "dates are written YYYY-MM-DD whatever their format",
    FormatKind.TIME: "times are written HH:MM:SS",
    FormatKind.DATETIME: "date-times are written YYYY-MM-DD HH:MM:SS",
    FormatKind.DURATION: "durations are written H:MM:SS, as [h]:mm:ss shows them",
}


def _formats(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Return (row, column) -> number format of every number cell, read by openpyxl."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=False)
    out = {}
    for row in book[sheet].iter_rows():
        for cell in row:
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                out[(cell.row, cell.column - 1)] = cell.number_format
    return out


def _format_source(path: Path) -> Path | None:
    """Return the workbook openpyxl reads the formats from: the file itself, or for
    LibreOffice's .xls and .ods copies of the values workbook, the original."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return path
    if path.name.startswith("lo-"):
        return DATA / "values" / "as-shown.xlsx"
    return None


def test_formatted_cells_equal_libreoffices_as_shown_text(books: list[Path], shown: Path) -> None:
    compared = 0
    for path, sheet in _readable(books):
        source = _format_source(path)
        if source is None:
            continue
        theirs = _lo_rows(shown, path, sheet)
        assert theirs is not None
        table = read_table(path, sheet=sheet)
        for (row, column), code in _formats(source, sheet).items():
            kind = format_kind(code)
            if kind in (FormatKind.GENERAL, FormatKind.PLAIN) or kind in PLAIN_BY_RULE:
                continue
            index = row - table.header_row - 1
            if index < 0:
                continue
            ours = cell_text(table.rows[index][column])
            assert ours == theirs[row - 1][column], (path.name, sheet, row, column, code)
            compared += 1
    assert compared >= 40
