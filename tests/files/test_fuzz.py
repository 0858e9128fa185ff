"""Fuzzing with Hypothesis: hostile bytes and text never crash the readers, checks or templates.

Every test is derandomized (a fixed seed derived from the test) with a bounded number of
examples, so CI runs the same inputs every time in a few seconds. A crash Hypothesis finds is
copied below as a named regression test with the exact input.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from applinks.checks import check
from applinks.errors import ApplinksError, TemplateError
from applinks.files.csv_out import write_cloze_csv
from applinks.files.read import read_table
from applinks.registry import load_registry
from applinks.table import APP_LINK_HEADERS, Table, cell_text
from applinks.templates import extract_id, render
from tests.cli_run import limits

FUZZ = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SUFFIXES = [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".txt"]
MAGIC = [b"", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"]


def _read_or_refuse(path: Path) -> Table | None:
    """Read ``path``; the only failure allowed is the project's own error, with one sentence."""
    try:
        return read_table(path)
    except ApplinksError as error:
        message = str(error)
        assert message and "\n" not in message and "Traceback" not in message
        return None


def _valid_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Deals"
    sheet.append(["Name", "Stage", *APP_LINK_HEADERS])
    sheet.append(["12 Elm St", "Active", "zillow.com", "59187422", "Zillow", "https://x.test/1"])
    sheet.append(["4 Oak", "Lost", "zillow.com", 2077112233, None, "=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID = _valid_workbook()


@FUZZ
@given(
    magic=st.sampled_from(MAGIC), data=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES)
)
def test_arbitrary_bytes_only_raise_the_projects_error(
    tmp_path: Path, magic: bytes, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(magic + data)
    _read_or_refuse(path)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 40), cut=st.booleans())
def test_damaged_workbooks_only_raise_the_projects_error(
    tmp_path: Path, seed: int, flips: int, cut: bool
) -> None:
    """Flip random bytes of a real workbook (and maybe cut it short)."""
    rng = random.Random(seed)
    data = bytearray(VALID)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    if cut:
        del data[rng.randrange(len(data)) :]
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    _read_or_refuse(path)


def _with_sheet_xml(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            target.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else part)
    return out.getvalue()


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), junk=st.text(max_size=40), edits=st.integers(1, 6))
def test_damaged_sheet_xml_only_raises_the_projects_error(
    tmp_path: Path, seed: int, junk: str, edits: int
) -> None:
    """Splice random text into the worksheet XML inside an intact zip, where the parser runs."""
    with zipfile.ZipFile(io.BytesIO(VALID)) as archive:
        xml = bytearray(archive.read("xl/worksheets/sheet1.xml"))
    rng = random.Random(seed)
    for _ in range(edits):
        start = rng.randrange(len(xml))
        del xml[start : start + rng.randrange(12)]
        xml[start:start] = junk.encode("utf-8", "surrogatepass")
    path = tmp_path / "spliced.xlsx"
    path.write_bytes(_with_sheet_xml(bytes(xml)))
    _read_or_refuse(path)


text_cells = st.one_of(st.none(), st.text(max_size=60), st.integers(), st.floats(allow_nan=True))


@FUZZ
@given(rows=st.lists(st.lists(text_cells, min_size=6, max_size=7), max_size=8))
def test_any_cells_go_through_check(rows: list[list[object]]) -> None:
    table = Table(["Name", "Stage", *APP_LINK_HEADERS], rows)  # type: ignore[arg-type]
    report = check(table)
    for issue in report.issues:
        assert issue.message and issue.code
        assert 1 <= issue.row <= len(rows) + 1


TEMPLATES = [t for entry in load_registry().apps for t in entry.kinds.values()]


@FUZZ
@given(
    template=st.sampled_from(TEMPLATES) | st.text(max_size=40),
    unique_id=st.text(max_size=40),
    settings_=st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=3),
)
def test_any_id_through_the_template_renderer(
    template: str, unique_id: str, settings_: dict[str, str]
) -> None:
    try:
        link = render(template, unique_id, settings_)
    except TemplateError as error:
        assert str(error)
        return
    assert isinstance(link, str)
    found = extract_id(template, link, settings_)
    assert found is None or isinstance(found, str)


@FUZZ
@given(url=st.text(max_size=80), template=st.sampled_from(TEMPLATES))
def test_any_url_through_the_id_extractor(url: str, template: str) -> None:
    found = extract_id(template, url)
    assert found is None or isinstance(found, str)


# Every cell's text survives: workbook read, Cloze CSV written, CSV read back.

# Text a workbook can hold: no XML-illegal control characters or lone surrogates.
workbook_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r"),
    ),
    max_size=40,
)


@FUZZ
@given(rows=st.lists(st.lists(workbook_text, min_size=3, max_size=3), min_size=1, max_size=6))
@example(rows=[["  padded  ", "=SUM(A1)", "line\r\nbreak"]])
@example(rows=[["0042", "1.50", "1E+18"]])
def test_every_cells_text_survives_read_then_write(tmp_path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Notes", "Zip"])
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c)
            cell.value = _escape_ooxml(value)
            cell.data_type = "s"  # text, even when it looks like a formula or a number
    book = tmp_path / "in.xlsx"
    workbook.save(book)
    wanted = [list(row) for row in rows]
    while wanted and not any(wanted[-1]):
        wanted.pop()  # trailing blank rows are not data

    table = read_table(book)
    assert [[cell_text(c) for c in row] + [""] * (3 - len(row)) for row in table.rows] == wanted
    out = write_cloze_csv(table, tmp_path / "out.csv", force=True)  # examples share tmp_path
    again = read_table(out)
    records = [row for row in wanted if any(row)]  # blank rows are not written
    assert [[cell_text(c) for c in row] + [""] * (3 - len(row)) for row in again.rows] == records


def _escape_ooxml(text: str) -> str:
    """Write text the way Excel does: character codes and carriage returns escaped.

    openpyxl writes text as given, but a reader must turn ``_xHHHH_`` into the character, so a
    literal one needs its underscore escaped (``_x005F_``); and XML turns a raw carriage return
    into a line feed, so Excel writes it as ``_x000D_``.
    """
    import re

    return re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", text).replace("\r", "_x000D_")


@pytest.mark.parametrize(
    "text",
    ["_x0041_", "a_x000D_b", "_x005F_", "two\r\nlines"],
    ids=["code", "carriage-return-code", "escaped-underscore", "carriage-return"],
)
def test_character_codes_in_text_survive_when_escaped(tmp_path: Path, text: str) -> None:
    """Regression: a cell whose text looks like an OOXML character code is kept literally."""
    escaped = _escape_ooxml(text)
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{escaped}</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    path = tmp_path / "codes.xlsx"
    path.write_bytes(_with_sheet_xml(xml.encode()))
    assert read_table(path).rows == [[text]]


# Regressions found by the fuzz tests above, kept with their exact inputs.


def _flipped(seed: int, flips: int) -> bytes:
    rng = random.Random(seed)
    data = bytearray(VALID)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def test_regression_broken_deflate_stream_in_a_part_is_damaged_not_a_crash(
    tmp_path: Path,
) -> None:
    """Found by test_damaged_workbooks_only_raise_the_projects_error (seed=5, flips=1).

    One flipped byte inside a compressed part made zlib raise its own error while the guard
    read the part's first bytes; it escaped as a traceback.
    """
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(_flipped(5, 1))
    with pytest.raises(ApplinksError, match="is damaged or incomplete"):
        read_table(path)


FUZZ_DATA = Path(__file__).resolve().parent.parent / "data" / "fuzz"


def _read_in_a_limited_process(path: Path) -> subprocess.CompletedProcess[str]:
    """Read ``path`` in a child limited to 500 MiB and 10 s of processor time: a regression
    must not take the machine's memory with it."""
    code = (
        "import sys\n"
        "from applinks.errors import ApplinksError\n"
        "from applinks.files.read import read_table\n"
        "try:\n"
        "    read_table(sys.argv[1])\n"
        "except ApplinksError as error:\n"
        "    print(error)\n"
    )
    src = Path(__file__).resolve().parent.parent.parent / "src"
    return subprocess.run(
        [sys.executable, "-c", code, str(path)],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        timeout=600,  # only for a hang: the processor time is limited
        preexec_fn=limits(500 * 2**20, 10),
    )


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_regression_compound_file_whose_chains_exhaust_memory(tmp_path: Path, suffix: str) -> None:
    """Found by the atheris harness (fuzz/fuzz_read.py): a 5.6 KB .xls with a damaged sector
    table made the reader allocate memory until the system killed it (24 GB seen).
    """
    path = tmp_path / f"input{suffix}"
    path.write_bytes((FUZZ_DATA / "ole-difat-oom.xls").read_bytes())
    result = _read_in_a_limited_process(path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f'"input{suffix}" is damaged or incomplete and cannot be opened as a workbook; '
        "download or export it again.\n"
    )
