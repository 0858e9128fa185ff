"""What Excel shows is what Cloze gets: values as shown where the format carries meaning.

The expected CSV rows are spelled out from the rules (SPEC section 5, ``docs/values.md``), not
computed with the code under test. Every workbook is read from two writers: openpyxl (the file
in ``tests/data/values``) and LibreOffice, which converts it into ``.xlsx``, ``.xls`` and
``.ods`` files of its own making.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from applinks.checks import check
from applinks.files.csv_out import write_cloze_csv
from applinks.files.read import read_table
from tests.office import convert

DATA = Path(__file__).parent / "data" / "values"
BOOK = DATA / "as-shown.xlsx"

#: The CSV Cloze must get for the sheet "Values", line by line.
VALUES_CSV = [
    "Name,Zip,Zip+4,Phone,SSN,Parcel,Text id,Share,Rate,Price,Sqft,Ratio,Measure,Listed,Showing,"
    "Open house,Time on market,Lookup,Flag,TRUE",
    "12 Elm St,02134,02134-0123,(617) 555-1234,123-45-6789,000000042,2134,75%,12.50%,849000,"
    "1234.5,3.14159,1521.999999,2024-05-06,09:30:00,2024-05-06 09:30:00,30:10:10,#N/A,TRUE,yes",
    "4 Oak Ave,07030,07030-1234,555-1234,012-34-5678,123456789,12.5,50%,3.75%,1250000.5,980,2,"
    "0.3,2024-01-02,17:05:00,,,#DIV/0!,FALSE,",
    "9 Pine Rd,94105,94105-1234,(212) 555-0000,987-65-4321,000000007,59187422,100%,0.00%,0,"
    "15000,-1.005,12345678901234600,,,,,ok,,",
]


def _csv_lines(path: Path, sheet: str | None, tmp_path: Path) -> list[str]:
    table = read_table(path, sheet=sheet)
    out = write_cloze_csv(table, tmp_path / f"{path.stem}-{sheet}.csv", force=True)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return data[3:].decode("utf-8").split("\r\n")[:-1]


@pytest.fixture(scope="module")
def lo_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The values workbook as LibreOffice writes it: .xlsx, .xls and .ods."""
    out = tmp_path_factory.mktemp("lo")
    return {kind: convert(BOOK, kind, out / kind) for kind in ("xlsx", "xls", "ods")}


def test_values_as_shown_from_openpyxl(tmp_path: Path) -> None:
    assert _csv_lines(BOOK, "Values", tmp_path) == VALUES_CSV


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_values_as_shown_from_libreoffice(
    kind: str, lo_books: dict[str, Path], tmp_path: Path
) -> None:
    assert _csv_lines(lo_books[kind], "Values", tmp_path) == VALUES_CSV


def _issues(path: Path, sheet: str) -> list[tuple[int, str, str]]:
    return [i.key() for i in check(read_table(path, sheet=sheet)).issues]


def test_error_cells_are_warned_at_their_cell() -> None:
    assert ("R" and (2, "Lookup", "cell-error")) in _issues(BOOK, "Values")
    assert (3, "Lookup", "cell-error") in _issues(BOOK, "Values")


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))
