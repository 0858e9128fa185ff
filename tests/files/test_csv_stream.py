"""A CSV input is read on demand (CsvRows), and gives exactly what reading it whole gave: the
same headers, rows, header row and encoding, the same prepared CSV bytes, and the same errors,
found before anything is written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from applinks.errors import InputError
from applinks.files import csv_in
from applinks.files.csv_in import CsvRows, detect_encoding, read_csv
from applinks.files.csv_out import write_cloze_csv
from applinks.files.xlsx_in import table_from_grid
from applinks.operations import LinkSource, prepare
from applinks.table import Cell, Table
from tests.cli_run import run_applinks


def _eager_read_csv(path: Path) -> Table:
    """The reader as it was before streaming: the whole file decoded and parsed into a grid."""
    data = path.read_bytes()
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f'"{path.name}" is not readable text in {csv_in.ENCODING_NAMES[encoding]}; save it '
            'from Excel as "CSV UTF-8" and try again.',
            path=path,
        ) from exc
    if "\x00" in text:
        raise InputError(
            f'"{path.name}" contains NUL bytes, so it is not a plain CSV file; open it in Excel '
            'and save it as "CSV UTF-8".',
            path=path,
        )
    delimiter = csv_in._sniff_delimiter(text[:65536])
    try:
        grid: list[list[Cell]] = [
            [c if c != "" else None for c in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise InputError(
            f'"{path.name}" is not a well-formed CSV file ({exc}); open it in Excel and save it '
            'as "CSV UTF-8".',
            path=path,
        ) from exc
    table = table_from_grid(grid, sheet=None, source=path.name)
    table.encoding = encoding
    return table


HEADER = "Name,App ID,App Unique ID,Stage\r\n"
BODY = (
    "12 Oak St,zillow.com,123,Active\r\n"
    '"Smith, J",zillow.com,00123,"say ""hi"""\r\n'
    "Zoë Café,,456,\r\n"
)

#: name -> (bytes of the file)
FILES: dict[str, bytes] = {
    "utf8": (HEADER + BODY).encode("utf-8"),
    "bom": (HEADER + BODY).encode("utf-8-sig"),
    "utf16": (HEADER + BODY).encode("utf-16"),
    "utf16-be": b"\xfe\xff" + (HEADER + BODY).encode("utf-16-be"),
    "cp1252": (HEADER + BODY + "Ünïcode — quote,,1,\r\n").encode("cp1252"),
    # UTF-8 past the sniffed start, then a cp1252 byte: the whole file is cp1252.
    "cp1252-late": (HEADER + "a,zillow.com,1,x\r\n" * 5_000 + "caf\xe9,,2,\r\n").encode("cp1252"),
    "ragged": (HEADER + "a,zillow.com\r\nb,zillow.com,1,x,extra,,\r\nc\r\n,,,,,,\r\n").encode(),
    "ragged-wide-header": (b"Name,App ID,,,\r\na,zillow.com,1\r\nb,,,,\r\n\r\n"),
    "title": ("My listings,,,\r\n\r\n" + HEADER + BODY).encode(),
    "quoted-newlines": (HEADER + 'a,zillow.com,1,"line one\r\nline two"\r\n"x\ny",,2,\n').encode(),
    "trailing-blank": (HEADER + BODY + ",,,\r\n\r\n,,\r\n\r\n").encode(),
    "trailing-columns": (b"Name,App ID,App Unique ID,Stage,,\r\na,zillow.com,1,x,,\r\nb,,2,,,\r\n"),
    "blank-middle": (HEADER + "a,zillow.com,1,x\r\n\r\n,,,\r\nb,zillow.com,2,y\r\n").encode(),
    "spaces": (HEADER + "  ,zillow.com, 1 ,x\r\n ,,,\r\n").encode(),
    "semicolons": (
        "Name;App ID;App Unique ID;Stage\r\n12 Oak St;zillow.com;123;1,5\r\n".encode("cp1252")
    ),
    "tabs": b"Name\tApp ID\tApp Unique ID\r\na\tzillow.com\t1\r\n",
    "lf-only": (HEADER + BODY).replace("\r\n", "\n").encode(),
    "cr-only": (HEADER + BODY).replace("\r\n", "\r").encode(),
    "no-final-newline": (HEADER + "a,zillow.com,1,x").encode(),
    "header-only": HEADER.encode(),
    "blank-top": ("\r\n,,\r\n" * 6 + HEADER + BODY).encode(),
    "blank-top-long": ("\r\n" * 12 + "Name,Stage\r\na,b\r\n").encode(),
    "no-known-header": b"Colour,Size\r\nred,1\r\n",
}


#: (file, its headers, its rows): the separator is guessed from the first line (SPEC section 5
#: reads CSV as Excel writes it, which is ";" or a tab in some countries).
SEPARATED = [
    (b"Name\tApp ID\tNotes\r\na\tzillow.com\tx, y\r\n", ["Name", "App ID", "Notes"],
     [["a", "zillow.com", "x, y"]]),
    (b"Name;App ID;Notes\r\na;zillow.com;1,5\r\n", ["Name", "App ID", "Notes"],
     [["a", "zillow.com", "1,5"]]),
    (b"Name,App ID,Notes\r\na,zillow.com,x;y\r\n", ["Name", "App ID", "Notes"],
     [["a", "zillow.com", "x;y"]]),
]  # fmt: skip


@pytest.mark.parametrize(("data", "headers", "rows"), SEPARATED, ids=["tab", "semicolon", "comma"])
def test_the_separator_is_guessed_from_the_first_line(
    tmp_path: Path, data: bytes, headers: list[str], rows: list[list[str]]
) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(data)
    table = read_csv(path)
    assert (table.headers, list(table.rows)) == (headers, rows)


@pytest.mark.parametrize("name", sorted(FILES))
def test_streamed_table_equals_eager(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(FILES[name])
    eager, streamed = _eager_read_csv(path), read_csv(path)
    assert isinstance(streamed.rows, CsvRows)
    assert (streamed.headers, list(streamed.rows), streamed.header_row, streamed.encoding) == (
        eager.headers,
        eager.rows,
        eager.header_row,
        eager.encoding,
    )
    assert len(streamed.rows) == len(eager.rows)
    assert list(streamed.rows) == eager.rows  # a second pass reads the file again, the same


@pytest.mark.parametrize("name", sorted(FILES))
@pytest.mark.parametrize("fill", [False, True], ids=["insert", "fill"])
def test_prepared_csv_bytes_equal_eager(tmp_path: Path, name: str, fill: bool) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(FILES[name])
    options = {"app": "zillow.com"} if fill else {}
    outputs = []
    for label, reader in (("eager", _eager_read_csv), ("streamed", read_csv)):
        try:
            result = prepare(reader(path), LinkSource(**options))
        except Exception as exc:  # a fill the table cannot take fails the same way in both
            outputs.append(repr(exc).encode())
            continue
        out = write_cloze_csv(result.table, tmp_path / f"{label}.out.csv")
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def _message(path: Path, reader) -> str:
    with pytest.raises(InputError) as caught:
        reader(path)
    return str(caught.value)


BAD: dict[str, bytes] = {
    "empty-cells": b",,\r\n\r\n,,,\r\n",
    "bom-only": b"\xef\xbb\xbf",
    "nul-early": b"Name,App ID\r\na\x00,b\r\n",
    "bad-utf16": b"\xff\xfe" + "Name,App ID\r\n".encode("utf-16-le") + b"\x00\xd8",
    "bad-cp1252": b"Name,App ID\r\ncaf\x81,x\r\n",
    "bad-bom-utf8": b"\xef\xbb\xbfName,App ID\r\ncaf\xe9,x\r\n",
    "huge-field": b'Name,App ID\r\na,"' + b"x" * 200_000 + b'"\r\n',
    "nul-and-bad-csv": b'Name,App ID\r\na,"' + b"x" * 200_000 + b'"\r\nb\x00,c\r\n',
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_errors_equal_eager(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(BAD[name])
    assert _message(path, read_csv) == _message(path, _eager_read_csv)


ROW = "12 Oak St,zillow.com,123,Active\r\n"


@pytest.mark.parametrize(
    "tail, message",
    [
        (
            b"caf\xe9,,1,x\r\n",
            '"deep.csv" is not readable text in UTF-8 with BOM; save it from Excel as '
            '"CSV UTF-8" and try again.',
        ),
        (
            b"a\x00,,1,x\r\n",
            '"deep.csv" contains NUL bytes, so it is not a plain CSV file; open it in Excel and '
            'save it as "CSV UTF-8".',
        ),
    ],
    ids=["decode-error", "nul"],
)
def test_fault_deep_in_the_file_ends_with_exit_2_and_nothing_written(
    tmp_path: Path, tail: bytes, message: str
) -> None:
    path = tmp_path / "deep.csv"
    path.write_bytes((HEADER + ROW * 10_000).encode("utf-8-sig") + tail + ROW.encode())
    out = tmp_path / "out" / "deep - Cloze import.csv"
    out.parent.mkdir()
    result = run_applinks("prepare", str(path), "--app", "zillow.com", "-o", str(out))
    assert (result.returncode, result.stderr.strip().splitlines()[-1]) == (2, message)
    assert list(out.parent.iterdir()) == []


#: The CSV reader counts line ends 4 MiB at a time.
FOUR_MIB = 4 * 1024 * 1024


def _crlf_across_four_mib(path: Path, size: int) -> int:
    """Write a CSV file of about ``size`` bytes, CRLF line ends, one of which has its CR as the
    last byte of the first 4 MiB and its LF as the first byte after; return its data rows."""
    lines = [b"Name,App ID,Notes\r\n"]

    def add(notes: int) -> int:
        lines.append(b"n%07d,zillow.com,%s\r\n" % (len(lines), b"x" * notes))
        return len(lines[-1])

    length = len(lines[0])
    while FOUR_MIB + 1 - length > 200:
        length += add(60)
    length += add(FOUR_MIB + 1 - length - len(b"n0000000,zillow.com,\r\n"))  # ends there
    while length < size:
        length += add(60)
    data = b"".join(lines)
    assert data[FOUR_MIB - 1 : FOUR_MIB + 1] == b"\r\n"
    path.write_bytes(data)
    return len(lines) - 1


def test_a_crlf_across_the_readers_chunks_ends_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"a" * (FOUR_MIB - 1) + b"\r\nb\r\nc"
    assert csv_in._count_lines(io.BytesIO(data), FOUR_MIB + 4) == 2
    assert csv_in._line_offset(io.BytesIO(data), 1) == FOUR_MIB + 1
    assert csv_in._line_offset(io.BytesIO(data), 2) == FOUR_MIB + 4

    # A file scanned in two halves, the first half's lines counted across that line end: the
    # halves meet where one reader would be, and a part read from the meeting point is right.
    path = tmp_path / "big.csv"
    rows = _crlf_across_four_mib(path, 9 * 1024 * 1024)
    monkeypatch.setattr(csv_in, "SCAN_IN_TWO_FROM", 0)
    one, two = read_csv(path), read_csv(path, processes=2)
    whole = list(one.rows)
    assert len(whole) == len(one.rows) == len(two.rows) == rows
    marks = [count for count, _ in two.rows._marks]
    met = next(count for count in marks if count % csv_in.MARK_EVERY)  # (the others follow it)
    assert rows // 3 < met < rows * 2 // 3
    for start in (met, marks[-1]):
        assert list(two.rows.part(start)) == whole[start:]
