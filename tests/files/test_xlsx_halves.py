"""A large sheet read in one process is parsed in two halves (applinks.files.xlsx_halves): the
cut itself, the copy of the package, and reading again whole when the halves cannot make it."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from applinks.errors import ReadAgain
from applinks.files import read, xlsx_halves, xlsx_in
from tests.files.test_read import _book

HEAD = b'<?xml version="1.0"?>\n<worksheet xmlns="m"><dimension ref="A1:B6"/><sheetData>'
ROWS = [f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'.encode() for n in range(1, 7)]
TAIL = b'</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>'


def _inflated(part: xlsx_halves._Deflated) -> bytes:
    data = zlib.decompress(b"".join(part.out), -15)
    assert (len(data), zlib.crc32(data)) == (part.size, part.crc)
    return data


def _cut(xml: bytes, piece: int) -> tuple[bytes, bytes, int] | None:
    cutter = xlsx_halves.Cutter()
    feed = cutter.begin(len(xml))
    for start in range(0, len(xml), piece):
        feed(xml[start : start + piece])
    halves = cutter.halves()
    if halves is None:
        return None
    first, second, last = halves
    return _inflated(first), _inflated(second), last


@pytest.mark.parametrize("piece", [1, 2, 7, 31, 64, 200, 1 << 20])
def test_the_cut_is_after_the_first_row_that_ends_past_the_middle_whatever_the_pieces(
    piece: int,
) -> None:
    xml = HEAD + b"".join(ROWS) + TAIL
    middle = len(xml) // 2
    assert len(HEAD + b"".join(ROWS[:3])) < middle < len(HEAD + b"".join(ROWS[:4]))
    assert (
        _cut(xml, piece)
        == (
            HEAD + b"".join(ROWS[:4]) + b"</sheetData></worksheet>",  # row 4 ends past the middle
            HEAD + b"".join(ROWS[4:]) + b"</sheetData></worksheet>",  # (no merges: cells only)
            6,
        )
    )


def test_a_prefixed_sheet_is_closed_with_its_prefixes() -> None:
    head = b'<x:worksheet xmlns:x="m"><x:sheetData>'
    rows = [f'<x:row r="{n}"><x:c r="A{n}"><x:v>{n}</x:v></x:c></x:row>'.encode() for n in (1, 2)]
    rows[0] = rows[0].replace(b"<x:v>1", b"<x:v>" + b"1" * 100)  # (it ends past the middle)
    xml = head + b"".join(rows) + b"</x:sheetData></x:worksheet>"
    assert _cut(xml, 5) == (
        head + rows[0] + b"</x:sheetData></x:worksheet>",
        head + rows[1] + b"</x:sheetData></x:worksheet>",
        2,
    )


@pytest.mark.parametrize(
    "xml",
    [
        # no rows at all
        HEAD.replace(b"<sheetData>", b"<sheetData/>") + b"</worksheet>",
        # rows without numbers (python-calamine would number the second half's from 1)
        HEAD + b"".join(r.replace(b' r="', b' x="') for r in ROWS) + TAIL,
        # rows out of order across the cut
        HEAD + b"".join(ROWS[:4]) + ROWS[0] + b"".join(ROWS[5:]) + TAIL,
        # the rows end before the middle: most of the part is not cells
        HEAD + b"".join(ROWS) + b"</sheetData>" + b"<extLst>" + b" " * 2000 + b"</extLst>"
        b"</worksheet>",
        # no end of the rows (a damaged part: its reader says so, reading it whole)
        HEAD + b"".join(ROWS),
    ],
    ids=["no-rows", "no-row-numbers", "out-of-order", "rows-end-early", "no-end"],
)
def test_xml_that_is_not_cut(xml: bytes) -> None:
    assert _cut(xml, 16) is None


def cut_sheet(path: Path, piece: int = 4 << 20, sheet: str | None = None) -> xlsx_halves.Cutter:
    """Return a Cutter fed the XML of the sheet the reader loads, in pieces of ``piece`` bytes
    (as the guards' scan feeds it)."""
    from applinks.files.xlsx_parts import locate_sheet
    from applinks.files.zip_read import open_part

    cutter = xlsx_halves.Cutter()
    with zipfile.ZipFile(path) as archive:
        located = locate_sheet(archive, sheet)
        assert located is not None
        feed = cutter.begin(archive.getinfo(located[0]).file_size)
        with open_part(archive, located[0]) as stream:
            for data in iter(lambda: stream.read(piece), b""):
                feed(data)
    return cutter


def test_the_copy_holds_both_halves_and_every_other_part_unchanged(tmp_path: Path) -> None:
    import python_calamine

    rows: list[list[object]] = [["Name", "Zillow ID", "Price"]]
    rows += [[f"{n} Elm St", 1000 + n, n * 1.5] for n in range(300)]
    path = _book(tmp_path / "b.xlsx", rows)
    split = xlsx_halves.split_sheet(path, None, cut_sheet(path))
    assert split is not None and (split.sheet, split.second) == ("Deals", "applinks 2")
    with zipfile.ZipFile(io.BytesIO(split.package)) as copy, zipfile.ZipFile(path) as source:
        assert copy.testzip() is None
        kept = set(source.namelist()) - {
            "xl/worksheets/sheet1.xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "[Content_Types].xml",
        }
        assert {n: copy.read(n) for n in kept} == {n: source.read(n) for n in kept}
        assert set(copy.namelist()) == set(source.namelist()) | {
            "xl/worksheets/applinks-second-half.xml"
        }
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(split.package))
    assert book.sheet_names == ["Deals", "Second", "applinks 2"]
    whole = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Deals")
    first, second = (book.get_sheet_by_name(n) for n in ("Deals", "applinks 2"))
    cut = first.end[0] + 1
    assert 100 < cut < 250 and second.start == (cut, 0)
    assert list(first.iter_rows()) + list(second.iter_rows())[cut:] == list(whole.iter_rows())


def test_the_halves_extent_is_the_sheets_and_an_upper_bound_before_the_second_is_parsed(
    tmp_path: Path,
) -> None:
    import python_calamine

    rows: list[list[object]] = [["Name", "Zillow ID", "Price"]]
    rows += [[f"{n} Elm St", 1000 + n, n * 1.5] for n in range(300)]
    rows[40] = [*rows[40], None, "far right, in the first half"]
    path = _book(tmp_path / "b.xlsx", rows)
    split = xlsx_halves.split_sheet(path, None, cut_sheet(path))
    assert split is not None and split.last_row == 301
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(split.package))
    halves = xlsx_halves.TwoHalves(book, split, book.get_sheet_by_name("Deals"))
    whole = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Deals")
    assert whole.start == (0, 0) and whole.end == (300, 4)
    # Before the second half is parsed: the last <row>'s number, and the first half's width
    # (the whole's here, its widest row being in the first half).
    assert (halves.end, halves.width) == ((300, 4), 5)
    halves.parse_second()
    assert (halves.start, halves.end, halves.width) == ((0, 0), (300, 4), 5)
    assert list(halves.iter_rows()) == list(whole.iter_rows())


@pytest.fixture
def halves(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Parse every .xlsx in halves where allowed (in one process, on two processors), and
    record for each split whether the sheet was cut."""
    cut: list[bool] = []
    real = xlsx_halves.split_sheet

    def recording(*args: object, **kwargs: object) -> object:
        split = real(*args, **kwargs)  # type: ignore[arg-type]
        cut.append(split is not None)
        return split

    monkeypatch.setattr(xlsx_halves, "split_sheet", recording)
    monkeypatch.setattr(xlsx_in, "HALVES_FROM", 0)
    monkeypatch.setattr(xlsx_in, "PARSE_BESIDE_FROM", 0)
    monkeypatch.setattr(xlsx_in.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("APPLINKS_WORKERS", "1")
    return cut


def _second_half_parsed(when: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the second half's parse end at a set time: "late", once the rows of the first half
    are being given; "early", before any row is given."""
    import time

    parse, rows = xlsx_halves.TwoHalves.parse_second, xlsx_halves.TwoHalves.iter_rows

    def late(self: xlsx_halves.TwoHalves) -> None:
        deadline = time.monotonic() + 30
        while not self._narrow_given and time.monotonic() < deadline:
            time.sleep(0.001)
        parse(self)

    def early(self: xlsx_halves.TwoHalves) -> object:
        self._parsed.wait()
        return rows(self)

    if when == "late":
        monkeypatch.setattr(xlsx_halves.TwoHalves, "parse_second", late)
    else:
        monkeypatch.setattr(xlsx_halves.TwoHalves, "iter_rows", early)


@pytest.mark.parametrize("when", ["late", "early"])
def test_a_cell_right_of_every_cell_of_the_first_half_is_read_as_in_the_whole_sheet(
    halves: list[bool],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    when: str,
) -> None:
    """The table's width comes from the first half's rows. When they were given before the
    second half, which is wider, was parsed, the workbook is read again whole and the work runs
    again; when the second half was parsed first, its width counts from the start."""
    rows: list[list[object]] = [["Name", "Zillow ID"]] + [
        [f"{n} Elm", 1000 + n] for n in range(300)
    ]
    rows[280] = [*rows[280], None, "a note past the last header"]
    path = _book(tmp_path / "wide.xlsx", rows)
    monkeypatch.setattr(xlsx_in, "HALVES_FROM", 1 << 62)
    expected = read.read_table(path)
    monkeypatch.setattr(xlsx_in, "HALVES_FROM", 0)
    _second_half_parsed(when, monkeypatch)
    runs: list[object] = []
    reads: list[Path] = []
    real_read = xlsx_in.read_workbook

    def counted(path: Path, **kwargs: object) -> object:
        reads.append(path)
        return real_read(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(xlsx_in, "read_workbook", counted)

    def run(reading: object) -> int:
        runs.append("started")
        table = reading()  # type: ignore[operator]
        runs[-1] = (table.headers, [list(r) for r in table.rows], table.unused_columns)
        return 0

    assert read.read_then(path, run) == 0
    assert halves == [True]  # cut (and, read again, whole: outside the reads that may be cut)
    assert (expected.headers, expected.unused_columns) == (["Name", "Zillow ID", "", ""], (2,))
    whole = (expected.headers, [list(r) for r in expected.rows], (2,))
    # late: the first run stopped where its rows met the wider half, the second ran whole;
    # early: the second half's width counted from the start, one read, one run
    if when == "late":
        assert (runs, reads) == (["started", whole], [path, path])
    else:
        assert (runs, reads) == ([whole], [path])


def test_a_sheet_read_in_halves_is_the_sheet_read_whole(
    halves: list[bool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows: list[list[object]] = [["Name", "Zillow ID", "Zip"]]
    rows += [[f"{n} Elm", 1000 + n, f"0{2100 + n}"] for n in range(300)]
    path = _book(tmp_path / "b.xlsx", rows)
    runs: list[object] = []

    def run(reading: object) -> int:
        table = reading()  # type: ignore[operator]
        runs.append((table.headers, [list(r) for r in table.rows], table.notes))
        return 0

    read.read_then(path, run)
    monkeypatch.setattr(xlsx_in, "HALVES_FROM", 1 << 62)
    read.read_then(path, run)
    assert halves == [True]
    assert runs[0] == runs[1] and len(runs[0][1]) == 300  # type: ignore[index]


def test_a_read_outside_a_command_is_never_in_halves(halves: list[bool], tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", [["Name"]] + [[f"{n} Elm"] for n in range(300)])
    assert len(read.read_table(path).rows) == 300
    assert halves == []  # read_table has nobody to read again for it


def test_notes_are_told_once_when_the_workbook_is_read_again(
    halves: list[bool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from applinks.cli import main

    rows: list[list[object]] = [["Name", "Zillow ID"]] + [
        [f"{n} Elm", 1000 + n] for n in range(300)
    ]
    rows[280] = [*rows[280], None, "a note past the last header"]
    path = _book(tmp_path / "wide.xlsx", rows)
    book = openpyxl.load_workbook(path)
    book["Deals"].sheet_state = "hidden"  # a note: the first sheet is hidden
    book.save(path)
    out = tmp_path / "out.csv"
    done = CliRunner().invoke(main, ["export", str(path), "-o", str(out), "--allow-errors"])
    assert halves[0] is True
    assert done.stderr.count('Note: Sheet "Deals" is hidden in Excel') == 1, done.stderr


def test_the_command_line_stops_nothing_for_a_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """outcome() lets ReadAgain through to the reader, which reads again (it is no problem to
    tell the user)."""
    import click

    from applinks.cli_run import outcome

    def work() -> None:
        raise ReadAgain

    with pytest.raises(ReadAgain), click.Context(click.Command("x")) as ctx:
        outcome(ctx, work)


def test_without_a_fast_deflate_the_sheet_is_parsed_whole(
    halves: list[bool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With zlib's deflate (no ISA-L, as on ARM64 Windows) the cut costs about what the overlap
    gains: the sheet is parsed whole."""
    path = _book(tmp_path / "b.xlsx", [["Name"]] + [[f"{n} Elm"] for n in range(300)])
    monkeypatch.setattr(xlsx_halves, "FAST_DEFLATE", False)
    read.read_then(path, lambda reading: len(reading().rows) - 300)  # type: ignore[attr-defined]
    assert halves == []
    monkeypatch.setattr(xlsx_halves, "FAST_DEFLATE", True)
    assert read.read_then(path, lambda reading: len(reading().rows) - 300) == 0  # type: ignore[attr-defined]
    assert halves == [True]


def test_two_workers_never_cut_a_sheet(
    halves: list[bool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a second process the rows' pass may fork, and a child has no thread parsing the
    second half: a sheet read for two workers is parsed whole."""
    from applinks.cli import main

    rows: list[list[object]] = [["Name", "Zillow ID"]]
    rows += [[f"{n} Elm", 1000 + n] for n in range(25_000)]  # (a pass of two halves: 20,000+)
    path = _book(tmp_path / "b.xlsx", rows)
    monkeypatch.setenv("APPLINKS_WORKERS", "2")

    def refused(*args: object) -> None:  # (a cut would leave a forked child waiting: fail now)
        raise AssertionError("a sheet cut for two workers")

    monkeypatch.setattr(xlsx_halves, "split_sheet", refused)
    out = tmp_path / "out.csv"
    done = CliRunner().invoke(main, ["export", str(path), "-o", str(out), "--allow-errors"])
    assert done.exit_code in (0, 1), done.output
    assert out.read_text(encoding="utf-8-sig").count("\n") == 25_001
