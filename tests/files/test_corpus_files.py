"""Files from public test suites that taught something (tests/data/corpus/, see its SOURCES.md).

Each runs through the real command line in a subprocess, as a user would: a refusal is one
exact sentence on stderr and exit code 2, a file that is read gives its whole CSV.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from applinks.files import repack
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


PASSWORD = (
    "is protected with a password; open it in Excel, remove the password (File > Info > "
    "Protect Workbook), save it and try again."
)


@pytest.mark.parametrize(
    "name",
    [
        "sheetjs-password_2002_40_xor.xls",
        "sheetjs-password_2002_40_basecrypto.xls",
        "sheetjs-password_2002_128_strong.xls",
        "poi-password.xls",
        "calamine-pass_protected.xlsx",
        "calamine-pass_protected.xlsb",
    ],
    ids=[
        "xls-xor",
        "xls-rc4-cryptoapi-40",
        "xls-rc4-cryptoapi-128",
        "xls-rc4",
        "xlsx-agile",
        "xlsb",
    ],
)
def test_a_real_password_gets_one_sentence_for_every_variant(name: str, tmp_path: Path) -> None:
    done = run_applinks("check", str(CORPUS / name), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f'"{name}" {PASSWORD}\n')


DEFAULT_NOTE = (
    "is encrypted with the password Excel uses when none is given (it was protected against "
    "changes, not with a password of its own); it was read as Excel opens it."
)


def test_the_default_password_is_read_as_excel_opens_it(tmp_path: Path) -> None:
    """An .xls encrypted with "VelvetSweatshop" (RC4) is decrypted in memory and read."""
    name = "poi-50833-default-password.xls"
    out = tmp_path / "out.csv"
    done = run_applinks("export", str(CORPUS / name), "-o", str(out), "--allow-errors")
    assert done.returncode == 1  # the sheet has no Name column: an error in the data
    assert done.stderr.splitlines()[0] == f'Note: "{name}" {DEFAULT_NOTE}'
    assert out.read_bytes() == "\ufefftest cell value\r\n".encode()


def test_the_default_password_of_an_xlsx_is_read(tmp_path: Path) -> None:
    """An .xlsx in an OLE box with the standard encryption and the default password."""
    name = "poi-protect-default-password.xlsx"
    out = tmp_path / "out.csv"
    done = run_applinks("export", str(CORPUS / name), "-o", str(out), "--allow-errors")
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == f'Note: "{name}" {DEFAULT_NOTE}'
    first = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.startswith("При запуске пробной версии Office 2007")


GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "corpus"
XLRD_NOTE = (
    "workbook; it was read with xlrd, which shows numbers as their formats say but does not "
    "read hyperlink targets or flag error cells (save it as .xlsx for those)."
)


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("poi-testEXCEL_3.xls", "3.0"),
        ("poi-testEXCEL_4.xls", "4.0"),
        ("sheetjs-biff5-number_format.xls", "5.0/95"),
        ("sheetjs-quattro-write_57.xls", "5.0/95"),
    ],
    ids=["excel-3", "excel-4", "excel-95-formats", "quattro-biff5-stream"],
)
def test_old_xls_is_read_with_xlrd(name: str, version: str, tmp_path: Path) -> None:
    """Excel 2.x to 95 files: the whole CSV (values as their formats show them, percent as
    75%, dates as dates; checked against LibreOffice's reading) and a note naming the reader."""
    out = tmp_path / "out.csv"
    done = run_applinks("export", str(CORPUS / name), "-o", str(out), "--allow-errors")
    assert done.returncode == 1  # none of them has App Link columns: errors in the data
    assert done.stderr.splitlines()[0] == f'Note: "{name}" is an Excel {version} {XLRD_NOTE}'
    assert out.read_bytes() == (GOLDEN / f"{name}.csv").read_bytes()


def test_a_chart_object_says_what_it_is(tmp_path: Path) -> None:
    """POI's 64130.xls is a Microsoft Graph chart (an Excel 95 stream with a chart sheet and
    the chart's data, no worksheet): neither python-calamine nor xlrd reads it, and the
    sentence says what it is and what to do (LibreOffice shows the chart's data as cells)."""
    done = run_applinks("check", str(CORPUS / "poi-64130-biff5.xls"), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        '"poi-64130-biff5.xls" is a Microsoft Graph chart, not a workbook: it has no worksheet, '
        "only the numbers the chart is drawn from; open it in LibreOffice Calc, which shows them "
        "as cells, save it as .xlsx and try again.\n",
    )


def test_the_default_password_of_an_excel_95_workbook_is_read(tmp_path: Path) -> None:
    """POI's 60284.xls: Excel 95 obfuscated it (XOR) with the default password; the whole CSV
    is the 71 cells LibreOffice shows on its first sheet, and both notes say how it was read."""
    name = "poi-60284-default-password-excel95.xls"
    out = tmp_path / "out.csv"
    done = run_applinks("export", str(CORPUS / name), "-o", str(out), "--allow-errors")
    assert done.returncode == 1  # no App Link columns: errors in the data
    assert done.stderr.splitlines()[:2] == [
        f'Note: "{name}" is an Excel 5.0/95 {XLRD_NOTE}',
        f'Note: "{name}" {DEFAULT_NOTE}',
    ]
    assert out.read_bytes() == (GOLDEN / f"{name}.csv").read_bytes()


def test_an_excel_95_workbook_with_a_password_of_its_own_is_refused(tmp_path: Path) -> None:
    """The same obfuscation with another password (the verifier in the file does not match
    the default one): the one password sentence, nothing written."""
    import olefile

    name = "excel95-password.xls"
    source = CORPUS / "poi-60284-default-password-excel95.xls"
    copy = tmp_path / name
    copy.write_bytes(source.read_bytes())
    with olefile.OleFileIO(str(copy), write_mode=True) as ole:
        stream = bytearray(ole.openstream("Book").read())
        at = stream.index(b"\x2f\x00\x04\x00")  # FILEPASS: key, then the verifier
        stream[at + 6 : at + 8] = b"\x00\x00"
        ole.write_stream("Book", bytes(stream))
    done = run_applinks("check", str(copy), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f'"{name}" {PASSWORD}\n')


@pytest.mark.parametrize(
    "name",
    [
        "calamine-issue_174-declared-grid.xlsx",
        "sheetjs-wtf_path.xlsx",
        "calamine-minimal_package.xlsx",
        "poi-49609-backslash-names.xlsx",
        "calamine-errors.xlsx",
        "calamine-OOM_alloc.xls",
        "poi-clusterfuzz-5436547081830400.xls",
        "sheetjs-wtf_path.xlsb",
        "poi-duplicate-filename-case-insensitive.xlsx",
        "sheetjs-apachepoi_49761.xlsb",
        "sheetjs-apachepoi_49783.xlsb",
        "sheetjs-apachepoi_AreaErrPtg.xlsb",
        "sheetjs-apachepoi_SquareMacro.xlsb",
        "poi-64420-macro-sheet.xlsm",
        "poi-clusterfuzz-5937385319563264-bad-checksum.xlsx",
    ],
    ids=[
        "22-cells-declaring-the-whole-grid",
        "workbook-part-found-through-relationships",
        "parts-at-the-package-root",
        "part-names-with-backslashes",
        "only-error-values",
        "ole-stream-size-high-bits-left-unset",
        "ole-header-lists-a-sector-past-its-fat",
        "xlsb-parts-outside-xl",
        "part-names-differing-only-in-case",
        "xlsb-error-value",
        "xlsb-formulas-showing-errors",
        "xlsb-formula-with-a-deleted-area",
        "xlsb-formulas-calling-a-missing-macro",
        "excel-4-macro-sheet-in-the-workbook",
        "another-sheet-fails-its-checksum",
    ],
)
def test_packages_excel_opens_are_read(name: str, tmp_path: Path) -> None:
    """Files once refused ("too large", "not an Excel workbook", "empty", "damaged"): the whole
    CSV (OOM_alloc.xls: the sheet LibreOffice shows, its empty columns C to H left out; the
    clusterfuzz file: the four cells LibreOffice shows, read with xlrd from olefile's stream;
    wtf_path.xlsb: its parts under wtf/, read from a copy with them under xl/; the package
    with sheet1.xml and Sheet1.xml: the part its relationships name, "v1", as LibreOffice
    shows; the .xlsb sheets of error values, which python-calamine reads as empty: the errors
    Excel saved, where LibreOffice shows the ones it computes again; 64420.xlsm, whose macro
    sheet python-calamine refused the workbook for; the fuzzed package whose sheet8.xml fails
    its checksum: its first sheet, the cells LibreOffice shows)."""
    out = tmp_path / "out.csv"
    done = run_applinks("export", str(CORPUS / name), "-o", str(out), "--allow-errors")
    # No App Link columns, no Name column: errors in the data. (A header that shows the error
    # #NAME?, in 49783 and SquareMacro, is no "Name" header: it stays as it is.)
    assert done.returncode == 1, done.stderr
    assert out.read_bytes() == (GOLDEN / f"{name}.csv").read_bytes()


def test_a_sheet_of_error_values_flags_each_cell(tmp_path: Path) -> None:
    """A sheet whose only content is error values is not empty: each gets a cell-error."""
    import csv
    import io

    done = run_applinks("check", str(CORPUS / "calamine-errors.xlsx"), "--format", "csv")
    issues = [
        (int(r["row"]), r["column"], r["code"], r["value"])
        for r in csv.DictReader(io.StringIO(done.stdout))
    ]
    errors = ["#NAME?", "#VALUE!", "#NULL!", "#REF!", "#NUM!", "#N/A"]
    assert done.returncode == 1
    assert issues == [
        (1, "Name", "name-column-missing", ""),
        *[
            issue
            for row, error in enumerate(errors, 2)
            for issue in [
                (row, "App ID", "row-not-importable", ""),
                (row, "#DIV/0!", "cell-error", error),
            ]
        ],
    ]


def test_an_empty_first_sheet_names_the_sheet_with_data(tmp_path: Path) -> None:
    """The first sheet has nothing in it, a later one has data: the refusal names that sheet
    (the option to give on the command line, the sheet to choose in the library)."""
    from applinks.files.read import read_table
    from applinks.files.xlsx_in import EmptySheet

    name = "sheetjs-apachepoi_50939.xlsb"
    start = f'"{name}" has nothing on its first sheet, "sheet2"; its data is on sheet "sheet3": '
    done = run_applinks("check", str(CORPUS / name), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        start + 'run again with --sheet "sheet3".\n',
    )
    with pytest.raises(EmptySheet) as refused:
        read_table(CORPUS / name)
    assert str(refused.value) == start + "read that sheet instead."
    with pytest.raises(EmptySheet) as refused:  # the sheet asked for is the one read
        read_table(CORPUS / name, sheet="sheet2")
    assert str(refused.value) == f'"{name}" has nothing in it: the sheet is empty.'
    table = read_table(CORPUS / name, sheet="sheet3")
    rows = list(table.rows)
    assert (table.sheet, table.header_row, table.headers, len(rows)) == (
        "sheet3",
        37,
        ["", "", "Current Version : "],
        39,
    )
    assert [(number, row) for number, row in enumerate(rows, 38) if any(row)] == [
        (38, [None, None, "Total number of TC    : "]),
        (74, [None, None, "Current Version : "]),
        (75, [None, None, "Total number of TC    : "]),
        (76, [None, None, "Total Weight of TC   : "]),
    ]


def test_a_part_name_written_twice_is_read_as_zipfile_reads_it(tmp_path: Path) -> None:
    """POI's duplicate-filename.xlsx holds xl/worksheets/sheet1.xml twice (exactly): no copy
    is repacked for it (once, a repacked copy was repacked again, without end); the sheet
    read is empty, as LibreOffice shows it."""
    with zipfile.ZipFile(CORPUS / "poi-duplicate-filename.xlsx") as archive:
        assert repack.repack_plan(archive) is None
    done = run_applinks("check", str(CORPUS / "poi-duplicate-filename.xlsx"), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        '"poi-duplicate-filename.xlsx" has nothing in it: the sheet is empty.\n',
    )


def test_a_workbook_whose_every_sheet_is_empty_says_so(tmp_path: Path) -> None:
    """POI's 24207.xls: three sheets, none with a cell (LibreOffice shows them empty too)."""
    done = run_applinks("check", str(CORPUS / "poi-24207-empty.xls"), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        '"poi-24207-empty.xls" has nothing in it: the sheet is empty.\n',
    )


def test_the_sheet_that_fails_its_checksum_is_refused(tmp_path: Path) -> None:
    """The fuzzed package's sheet "Exp8" (sheet8.xml, whose bytes fail their checksum) is not
    read, and no annotated copy carries it as if it were whole; LibreOffice shows it empty."""
    name = "poi-clusterfuzz-5937385319563264-bad-checksum.xlsx"
    chosen = run_applinks("check", str(CORPUS / name), "--sheet", "Exp8", cwd=tmp_path)
    assert (chosen.returncode, chosen.stdout, chosen.stderr) == (
        2,
        "",
        f'Sheet "Exp8" of "{name}" is damaged and cannot be read; open the file in Excel, save '
        "it again and try again.\n",
    )
    copy = tmp_path / "copy.xlsx"
    done = run_applinks("check", str(CORPUS / name), "--annotate", str(copy), cwd=tmp_path)
    assert (done.returncode, done.stderr.splitlines()[-1]) == (
        2,
        f'A part of "{name}" (xl/worksheets/sheet8.xml) is damaged, so no annotated copy was '
        "written; open the file in Excel, save it again and try again.",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_xlsb_says_its_number_formats_are_not_read() -> None:
    """An .xlsb's cell facts are its error cells only: its numbers are written plain, and the
    table says so, naming the column that holds them (SheetJS's wtf_path.xlsb: column D)."""
    from applinks.files.read import read_table

    table = read_table(CORPUS / "sheetjs-wtf_path.xlsb")
    assert table.notes == [
        "Number formats are not read from .xlsb files, so the numbers in column D are written "
        "as plain numbers (a zip code shown as 02134 would be written 2134); save the workbook "
        "as .xlsx to keep what Excel shows."
    ]


def test_xlsb_error_cells_come_from_the_sheet_asked_for(tmp_path: Path) -> None:
    """49783.xlsb's first sheet holds #REF! and #NAME? cells, its Sheet2 nothing: asked for
    Sheet2, the tool finds it empty (the first sheet's error cells are not written into it)."""
    from applinks.files.xlsb_cells import read_xlsb_facts

    name = "sheetjs-apachepoi_49783.xlsb"
    out = tmp_path / "out.csv"
    done = run_applinks("export", str(CORPUS / name), "--sheet", "Sheet2", "-o", str(out))
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        f'"{name}" has nothing in it: the sheet is empty.\n',
    )
    assert not out.exists()
    assert read_xlsb_facts(CORPUS / name, "Sheet2").errors == {}
    assert read_xlsb_facts(CORPUS / name, "Sheet1").errors == {
        0: {1: "#REF!", 2: "#REF!"},
        1: {2: "#NAME?"},
    }


def test_an_xlsb_sheet_is_walked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard's pass over the sheet's records hands its error cells to the reader: the
    sheet is not inflated and walked a second time."""
    from applinks.files import guards, xlsb_cells
    from applinks.files.read import read_table

    walks: list[int] = []
    real_walk = xlsb_cells.walk_xlsb_sheet

    def counted(stream: bytes) -> xlsb_cells.SheetWalk:
        walks.append(len(stream))
        return real_walk(stream)

    monkeypatch.setattr(guards, "walk_xlsb_sheet", counted)
    monkeypatch.setattr(xlsb_cells, "walk_xlsb_sheet", counted)
    table = read_table(CORPUS / "sheetjs-apachepoi_49783.xlsb")
    assert (table.sheet, table.headers, len(walks)) == ("Sheet1", ["#REF!", "#NAME?"], 1)
