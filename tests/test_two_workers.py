"""A pass over the rows split between two processes gives exactly what one process gives.

The pieces are held to their one-process forms: parts of rows on demand to slices of the list,
the byte offset of a CSV line to Python's own line splitting, a checker merged from two halves
to one checker over every row, and a whole ``prepare`` in two processes (a real fork) to the same
``prepare`` in one: the same report, counts and CSV bytes.
"""

from __future__ import annotations

import dataclasses
import io
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import applinks.checks as checks
import applinks.files.csv_in as csv_in
from applinks import passes, workers
from applinks.checks import RowChecker
from applinks.errors import InputError
from applinks.files.csv_in import read_csv
from applinks.files.csv_out import CsvSpool
from applinks.files.read import read_table
from applinks.files.xlsx_in import SheetRows
from applinks.headers import map_headers
from applinks.operations import LinkSource, prepare
from applinks.registry import load_registry
from applinks.rows import LazyRows, MappedRows, cut, slices
from applinks.table import Table

from .test_checks_blocks import tables

SRC = Path(__file__).resolve().parents[1] / "src"


class ListRows(LazyRows):
    """Rows on demand over a list (the generic part: rows before the start are passed over)."""

    def __init__(self, rows: list[list[object]]) -> None:
        super().__init__()
        self._rows = rows

    def _produce_blocks(self, size: int):  # type: ignore[no-untyped-def]
        return slices(self._rows, size)


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 5), max_size=8),
    start=st.integers(0, 45),
    stop=st.none() | st.integers(0, 45),
)
def test_cut_gives_the_slice_and_reads_no_further(sizes, start, stop) -> None:
    rows, blocks, asked, offset = list(range(sum(sizes))), [], [], 0
    for size in sizes:
        blocks.append(rows[offset : offset + size])
        offset += size

    def stream():
        for number, block in enumerate(blocks):
            asked.append(number)
            yield block

    got = sum(cut(stream(), start, stop), [])
    assert got == rows[start:stop]
    if stop is not None and 0 < stop <= len(rows) and stop > start:
        last_needed = next(n for n, b in enumerate(blocks) if stop - 1 in b)
        assert asked[-1] == last_needed  # no block past the one holding row stop - 1


@pytest.mark.parametrize("start", [0, 1, 5, 13, 30])
def test_parts_of_mapped_rows_see_their_true_indexes(start: int) -> None:
    base = ListRows([[n] for n in range(30)])
    seen: list[int] = []
    finished: list[str] = []

    def begin():  # type: ignore[no-untyped-def]
        def each(index: int, row: list[object]) -> list[object]:
            seen.append(index)
            return [*row, index * 10]

        return each, lambda: finished.append("done")

    rows = MappedRows(base, begin)
    whole = list(rows)
    assert whole == [[n, n * 10] for n in range(30)]
    seen.clear()
    assert list(rows.part(start)) == whole[start:]
    assert seen == list(range(start, 30))
    assert list(rows.part(0, start)) == whole[:start]
    assert finished == ["done"] * 3  # a part's end counts as a complete walk of it
    rows.counted(30)
    assert len(base) == len(rows) == 30


def _sheet(path: Path, rows: list[list[object]], *, title: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    if title:  # the header is then found in row 3
        sheet.append(["My listings"])
        sheet.append([])
    sheet.append(["Name", "Stage", "App ID", "App Unique ID", "Notes"])
    for row in rows:
        sheet.append(row)
    sheet.cell(row=len(rows) + 9, column=2).number_format = "0.00"  # formatted, empty, at the end
    book.save(path)
    return path


@pytest.mark.parametrize("title", [False, True])
def test_sheet_rows_split_anywhere_give_the_rows(tmp_path: Path, title: bool) -> None:
    rnd = random.Random(3)
    rows: list[list[object]] = []
    for n in range(700):
        kind = rnd.randrange(8)
        rows.append([] if kind == 0 else [f"n{n}", "Active", "zillow.com", n, "x"][: 1 + kind % 5])
    table = read_table(_sheet(tmp_path / "s.xlsx", rows, title=title))
    assert isinstance(table.rows, SheetRows)
    assert table.header_row == (3 if title else 1)
    whole = list(table.rows)
    assert len(whole) == 700  # the blank formatted rows at the end are not rows
    point = table.rows.split_point()
    assert point is not None and point % 256 == 0 and 0 < point < 700
    for start in [0, 1, 255, 256, point, 699, 700, 720]:
        assert list(table.rows.part(start)) == whole[start:]
        assert list(table.rows.part(0, start)) == whole[:start]
        assert list(table.rows.part(start, start + 3)) == whole[start : start + 3]


LINE_ENDS = ["\r\n", "\n", "\r"]


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.text(alphabet='ab"é,', max_size=6), st.sampled_from(LINE_ENDS)), max_size=30
    ),
    chunk=st.integers(1, 9),
    data=st.data(),
)
def test_line_offset_agrees_with_pythons_line_splitting(lines, chunk, data) -> None:
    raw = "".join(text + end for text, end in lines).encode("utf-8")
    split = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", newline="").readlines()
    count = data.draw(st.integers(1, max(1, len(split))))
    if not split:
        with pytest.raises(ValueError):
            csv_in._line_offset(io.BytesIO(raw), 1, chunk=chunk)
        return
    expected = len("".join(split[:count]).encode("utf-8"))
    assert csv_in._line_offset(io.BytesIO(raw), count, chunk=chunk) == expected


def _csv_text(rows: list[list[str]], end: str) -> str:
    """CSV text with ``end`` after each row (a field with a line break, quote or comma quoted)."""

    def field(text: str) -> str:
        return f'"{text.replace(chr(34), 2 * chr(34))}"' if set(text) & set('\r\n",') else text

    return "".join(",".join(map(field, row)) + end for row in rows)


@pytest.mark.parametrize("above", ["", "title", "sep-line"])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
@pytest.mark.parametrize("end", LINE_ENDS)
def test_csv_rows_split_at_every_mark_give_the_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, end: str, above: str
) -> None:
    monkeypatch.setattr(csv_in, "MARK_EVERY", 3)
    rnd = random.Random(len(end))
    title = above == "title"
    rows = [["My listings", "", ""], ["a title\non two lines", "", ""]] if title else []
    rows += [["Name", "App ID", "Notes"]]
    for n in range(40):
        notes = rnd.choice(["plain", "two\nlines", 'say "hi"', "end\r\n", "", "café"])
        rows.append([f"n{n}", "zillow.com", notes] + (["wide"] if n == 7 else []))
    rows += [[], ["", "", ""]]  # blank rows at the end are not rows
    path = tmp_path / "r.csv"
    first = "sep=," + end if above == "sep-line" else ""  # (a line of the file, not a row)
    path.write_bytes((first + _csv_text(rows, end)).encode(encoding))
    table = read_table(path)
    whole = list(table.rows)
    assert len(whole) == 40 and table.headers == ["Name", "App ID", "Notes", ""]
    assert (table.header_row, table.rows_above) == ((3, (1, 2)) if title else (1, ()))
    marks = [count for count, _ in table.rows._marks]
    assert marks == list(range(3, 43, 3))
    assert table.rows.split_point() == 21
    for start in [*marks, 0, 1, 40]:
        assert list(table.rows.part(start)) == whole[start:]
        assert list(table.rows.part(0, start)) == whole[:start]


def test_utf16_csv_is_not_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_in, "MARK_EVERY", 2)
    path = tmp_path / "u.csv"
    path.write_text("Name,App ID\n" + "a,b\n" * 10, encoding="utf-16")
    rows = read_table(path).rows
    assert rows.split_point() is None
    assert list(rows.part(4)) == list(rows)[4:]  # still right, the slow way


@pytest.mark.parametrize("block", [1, 4, 256])
@settings(max_examples=150, deadline=None, derandomize=True)
@given(table=tables(), data=st.data())
def test_merged_halves_find_what_one_checker_finds(table: Table, block: int, data) -> None:
    start = data.draw(st.integers(0, len(table.rows)))
    registry = load_registry()
    headers = map_headers(table.headers)
    whole = RowChecker(table, headers, registry)
    first = RowChecker(table, headers, registry)
    second = RowChecker(table, headers, registry)
    rows = list(table.rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checks, "BLOCK", block)
        checks.check_blocks(whole, rows)
        checks.check_blocks(first, rows[:start])
        checks.check_blocks(second, rows[start:], start)
    first.merge(second.state())
    order = {h: i for i, h in reversed(list(enumerate(table.headers)))}

    def in_order(found: list) -> list:  # as check() sorts them (stable)
        return sorted(found, key=lambda i: (i.row, order.get(i.column, -1)))

    assert in_order(first.issues()) == in_order(whole.issues())


def test_in_two_returns_both_answers() -> None:
    here, there = workers.in_two(lambda: os.getpid(), lambda: os.getpid())
    assert here == os.getpid() and there != here


def test_in_two_keeps_the_progress_moving_while_it_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """While the child works, ``waiting()`` is called between waits of a tenth of a second; the
    child here finishes only once it has been called three times (no clock involved)."""
    import select
    from types import SimpleNamespace

    go_read, go_write = os.pipe()
    calls: list[int] = []
    waits: list[float] = []

    def waiting() -> None:
        calls.append(1)
        if len(calls) == 3:
            os.write(go_write, b"x")

    def timed(r, w, x, timeout):  # type: ignore[no-untyped-def]
        waits.append(timeout)
        return select.select(r, w, x, timeout)

    monkeypatch.setattr(workers, "select", SimpleNamespace(select=timed))
    here, there = workers.in_two(lambda: "here", lambda: os.read(go_read, 1), waiting=waiting)
    assert (here, there) == ("here", b"x")
    assert len(calls) >= 3
    assert waits == [0.1] * (len(calls) + 1)  # the last wait ends with the child's answer


def test_in_two_raises_the_childs_error_with_its_details() -> None:
    def fail() -> None:
        raise InputError("The file went away.", path="x.csv", column="Notes")

    with pytest.raises(InputError) as raised:
        workers.in_two(lambda: 1, fail)
    assert (str(raised.value), raised.value.path, raised.value.column) == (
        "The file went away.",
        "x.csv",
        "Notes",
    )


def test_in_two_says_when_the_child_died() -> None:
    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(workers.WorkerError, match="signal SIGKILL, perhaps for lack of memory"):
        workers.in_two(lambda: 1, die)


def test_an_error_here_stops_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "child-finished"
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        forked.append(pid)
        return pid

    def slow() -> None:
        import time

        time.sleep(600)  # stopped long before
        marker.write_text("yes")

    def fail() -> None:
        raise KeyError("here")

    monkeypatch.setattr(os, "fork", fork)
    with pytest.raises(KeyError):
        workers.in_two(fail, slow)
    [child] = forked
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped already: no child left behind, not even a zombie
    assert not marker.exists()


def test_available_follows_the_platform_and_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "1")
    assert workers.available() == 1
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "2")
    assert workers.available() == 2
    monkeypatch.delenv(workers.WORKERS_VARIABLE)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert workers.available() == 1
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert workers.available() == 2
    monkeypatch.delattr(os, "fork")  # Windows
    assert workers.available() == 1
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "2")
    assert workers.available() == 1


HEADERS = ["Name", "Stage", "Zillow ID", "App ID", "App Unique ID", "Notes"]


def _count_splits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Note each pass split in two (the process it was split from); return the list."""
    splits: list[int] = []
    real = passes.in_two

    def spy(here, there, **options):  # type: ignore[no-untyped-def]
        splits.append(os.getpid())
        return real(here, there, **options)

    monkeypatch.setattr(passes, "in_two", spy)
    return splits


def _rows(rnd: random.Random, count: int) -> list[list[str]]:
    rows = []
    for n in range(count):
        uid = rnd.choice([str(n), str(n % 97), "", " 12", "1.5E+20", "abc"])
        rows.append(
            [
                rnd.choice([f"Home {n}", ""]),
                rnd.choice(["Active", "Won", ""]),
                uid,
                rnd.choice(["", "", "zillow.com", "Zillow.com"]),
                rnd.choice(["", str(n % 89)]),  # repeats, across the halves too
                rnd.choice(["", "=1+1", "- call", "note"]),
            ]
        )
    return rows


OPTIONS = [
    {},
    {"app": "zillow.com", "id_column": "Zillow ID"},
    {"app": "zillow.com", "id_column": "Zillow ID", "overwrite": True},
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "insert-only")
def test_prepare_in_two_processes_equals_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, options: dict
) -> None:
    monkeypatch.setattr(csv_in, "MARK_EVERY", 256)
    monkeypatch.setattr(passes, "SPLIT_FROM", 0)
    rows = [HEADERS, *_rows(random.Random(7), 2000)]
    path = tmp_path / f"in.{kind}"
    if kind == "csv":
        path.write_text(_csv_text(rows, "\r\n"), encoding="utf-8")
    else:
        book = Workbook()
        for row in rows:
            book.active.append([c or None for c in row])
        book.save(path)
    splits = _count_splits(monkeypatch)
    results = {}
    for count in (1, 2):
        table = read_table(path)
        with CsvSpool(tmp_path) as spool:
            result = prepare(table, LinkSource(**options), sink=spool, workers=count)
            spool.keep(tmp_path / f"out{count}.csv")
        fill = result.fill
        results[count] = (
            [dataclasses.asdict(i) for i in result.report.issues],
            (fill.filled_rows, fill.kept_cells, fill.report.issues) if fill else None,
            len(result.table.rows),
            len(table.rows),
            (tmp_path / f"out{count}.csv").read_bytes(),
        )
    assert len(splits) == 1  # the second run did split
    assert results[2] == results[1]
    issues, _, length, _, _ = results[1]
    assert length == 2000 and len(issues) > 500
    assert {"unique-id-duplicate", "app-id-inconsistent"} <= {i["code"] for i in issues}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in." + kind, "out1.csv", "out2.csv"]


def test_cli_prepare_with_two_workers_writes_the_same_files(tmp_path: Path) -> None:
    rows = [HEADERS, *_rows(random.Random(8), 30_000)]
    path = tmp_path / "big.csv"
    path.write_text(_csv_text(rows, "\n"), encoding="utf-8")
    printed = {}
    for count in ("1", "2"):
        out, report = tmp_path / f"out{count}.csv", tmp_path / f"report{count}.json"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "applinks",
                "prepare",
                str(path),
                "--app",
                "zillow.com",
                "--id-column",
                "Zillow ID",
                "--allow-errors",
                "-o",
                str(out),
                "--report",
                str(report),
            ],  # fmt: skip
            env={"PYTHONPATH": str(SRC), workers.WORKERS_VARIABLE: count},
            capture_output=True,
            text=True,
        )
        assert done.returncode == 1, done.stderr
        printed[count] = done.stdout.replace(str(out), "OUT").replace(str(report), "REPORT")
    assert printed["2"] == printed["1"]
    records = sum(1 for row in rows[1:] if any(row))
    assert records < 30_000  # blank rows are left out of the records and named in a note
    assert f"in {records:,} rows" in printed["1"]
    for name in ("out", "report"):
        suffix = ".csv" if name == "out" else ".json"
        assert (tmp_path / f"{name}2{suffix}").read_bytes() == (
            tmp_path / f"{name}1{suffix}"
        ).read_bytes()


def test_the_second_process_counts_toward_the_progress(tmp_path: Path) -> None:
    seen: list[int] = []
    with CsvSpool(tmp_path, progress=seen.append) as spool:
        spool.begin(["A"])
        part = spool.part()
        part.done.set(50_000)
        spool.rows([["x"]] * 8192)
        assert seen == [8192 + 50_000]
        part.done.set(60_000)
        spool.refresh()  # (called while the first process waits for the second)
        assert seen == [8192 + 50_000, 8192 + 60_000]
        spool.join(part, 0)
    assert list(tmp_path.iterdir()) == []


def test_export_in_two_processes_equals_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from applinks import cli

    rows = [HEADERS, *_rows(random.Random(9), 30_000)]
    path = tmp_path / "big.csv"
    path.write_text(_csv_text(rows, "\n"), encoding="utf-8")
    splits = _count_splits(monkeypatch)
    outputs = {}
    for count in ("1", "2"):
        monkeypatch.setenv(workers.WORKERS_VARIABLE, count)
        out = tmp_path / f"export{count}.csv"
        args = ["export", str(path), "-o", str(out), "--allow-errors"]
        result = CliRunner().invoke(cli.main, args)
        outputs[count] = (
            result.exit_code,
            result.output.replace(str(out), "OUT"),
            out.read_bytes(),
        )
    assert len(splits) == 1
    assert outputs["2"] == outputs["1"]
    records = sum(1 for row in rows[1:] if any(row))
    assert records < 30_000  # blank rows are not records: neither written nor counted
    assert outputs["1"][0] == 1 and f"Wrote OUT ({records:,} rows)." in outputs["1"][1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv", "export1.csv", "export2.csv"]


FIELDS = st.sampled_from(
    ["", "", "a", "b c", "zillow.com", "12", 'say "hi"', "x,y", "two\nlines", "cr\rhere", "é", " "]
)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(
    rows=st.lists(st.lists(FIELDS, max_size=5), min_size=1, max_size=40),
    end=st.sampled_from(LINE_ENDS),
    data=st.data(),
)
def test_a_scan_in_two_processes_finds_what_one_finds(rows, end, data) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_in, "SCAN_IN_TWO_FROM", 0)
        patch.setattr(csv_in, "MARK_EVERY", data.draw(st.sampled_from([1, 2, 5])))
        path = Path(folder) / "r.csv"
        text = _csv_text([["Name", "App ID", "Notes"], *rows], end)
        path.write_bytes(text.encode(data.draw(st.sampled_from(["utf-8", "utf-8-sig"]))))
        one, two = read_csv(path, processes=1), read_csv(path, processes=2)
        assert (two.headers, two.header_row, two.encoding) == (
            one.headers,
            one.header_row,
            one.encoding,
        )
        whole = list(one.rows)
        assert list(two.rows) == whole
        for start, _ in two.rows._marks:  # every place noted is one a part can start from
            assert list(two.rows.part(start)) == whole[start:]


def _scans_in_two(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Lower the size for a scan in two to nothing; return the list of what those scans gave."""
    monkeypatch.setattr(csv_in, "SCAN_IN_TWO_FROM", 0)
    found: list[object] = []
    real = csv_in.CsvSource._scan_in_two

    def noted(self, *args):  # type: ignore[no-untyped-def]
        found.append(real(self, *args))
        return found[-1]

    monkeypatch.setattr(csv_in.CsvSource, "_scan_in_two", noted)
    return found


def test_a_middle_inside_a_quoted_field_falls_back_to_one_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _scans_in_two(monkeypatch)
    path = tmp_path / "q.csv"
    long_note = "\n".join(f"line {n}" for n in range(400))  # the middle of the file is in here
    path.write_text(_csv_text([HEADERS[:3], ["a", "b", "1"], ["x", "y", long_note], ["c"]], "\n"))
    two = read_csv(path, processes=2)
    assert found == [None]  # the middle was not the end of a row: scanned again in one
    assert list(two.rows) == list(read_csv(path).rows)
    assert len(two.rows) == 3


def test_a_scan_in_two_splits_where_rows_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _scans_in_two(monkeypatch)
    rows = [HEADERS, *_rows(random.Random(11), 3000), [], ["", ""]]
    path = tmp_path / "s.csv"
    path.write_text(_csv_text(rows, "\r\n"), encoding="utf-8")
    one, two = read_csv(path), read_csv(path, processes=2)
    assert found[0] is not None
    width, length, marks = found[0]  # type: ignore[misc]
    assert (width, length) == (len(HEADERS), 3000)
    middle = [m for m in marks if m[0] % csv_in.MARK_EVERY]  # the place the halves met
    assert len(middle) == 1 and 1000 < middle[0][0] < 2000
    assert list(two.rows.part(middle[0][0])) == list(one.rows)[middle[0][0] :]


def test_a_second_half_of_blank_rows_ends_the_rows_where_one_scan_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data rows end in the first half; blank rows fill the rest of the file."""
    found = _scans_in_two(monkeypatch)
    path = tmp_path / "b.csv"
    rows = [["a", "b", str(n)] for n in range(10)]
    path.write_text(_csv_text([HEADERS[:3], *rows, *[["", "", ""]] * 300], "\r\n"))
    two = read_csv(path, processes=2)
    assert found[0] is not None  # (scanned in two)
    assert (len(two.rows), list(two.rows)) == (10, rows)


def test_a_line_end_at_the_end_of_the_middle_window_is_not_a_place_to_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first line end after the middle of the file is a CR, the last byte the search for it
    reads (1 MiB): its LF may come after, so the file is scanned in one."""
    found = _scans_in_two(monkeypatch)
    header, more = b"Name,Notes\r\n", b"b,c\r\n" * 1000
    # The CR of the long row's CRLF is at half the file's size plus 1 MiB minus one byte.
    cr = 2 * (1 << 20) - 2 + len(more) + 2
    long_row = b"a"
    while len(long_row) < cr - len(header):  # fields of at most 100,000 characters (csv's limit)
        long_row += b"," + b"x" * min(100_000, cr - len(header) - len(long_row) - 1)
    data = header + long_row + b"\r\n" + more
    assert data[len(data) // 2 + (1 << 20) - 1 : len(data) // 2 + (1 << 20) + 1] == b"\r\n"
    assert b"\r" not in data[len(data) // 2 : cr] and b"\n" not in data[len(data) // 2 : cr]
    path = tmp_path / "long.csv"
    path.write_bytes(data)
    one, two = read_csv(path), read_csv(path, processes=2)
    assert found == []  # no place to split: one scan
    assert (len(two.rows), list(two.rows)) == (1001, list(one.rows))
    assert two.rows[1:3] == [["b", "c"], ["b", "c"]]


def test_a_windows_1252_byte_in_the_second_half_is_read_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _scans_in_two(monkeypatch)
    path = tmp_path / "w.csv"
    text = _csv_text([HEADERS[:3], *[["a", "b", str(n)] for n in range(2000)], ["caf\xe9"]], "\n")
    path.write_bytes(text.encode("cp1252"))
    one, two = read_csv(path), read_csv(path, processes=2)
    assert one.encoding == two.encoding == "cp1252"
    assert list(two.rows) == list(one.rows) and list(one.rows)[-1][0] == "café"


#: Ids Excel has damaged, at data rows (0-based) in both halves of a 600-row sheet.
DAMAGED = {0: 12345678901234567, 1: "1.42E+18", 2: "123.0", 300: 22345678901234567}
DAMAGED |= {301: "2.5E+17", 302: "456.0"}


@pytest.mark.parametrize("overwrite", [False, True], ids=["blank-only", "overwrite"])
@pytest.mark.parametrize("id_column", ["Zillow ID", "App Unique ID"])
def test_prepare_reports_a_damaged_id_once_per_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, id_column: str, overwrite: bool
) -> None:
    monkeypatch.setattr(passes, "SPLIT_FROM", 0)
    book = Workbook()
    book.active.append(["Name", id_column])
    for n in range(600):
        book.active.append([f"Home {n}", DAMAGED.get(n, n + 10000)])
    path = tmp_path / "in.xlsx"
    book.save(path)
    splits = _count_splits(monkeypatch)
    found = {}
    for count in (1, 2):
        table = read_table(path)
        assert table.rows.split_point() == 256  # a damaged id on each side
        with CsvSpool(tmp_path) as spool:
            source = LinkSource(app="zillow.com", id_column=id_column, overwrite=overwrite)
            result = prepare(table, source, sink=spool, workers=count)
            spool.keep(tmp_path / f"out{count}.csv")
        found[count] = result.report.locations()
    assert len(splits) == 1
    # The fill reports a number it turned into text, at the cell it read; the check reports
    # what the App Unique ID column holds after the fill. Reading from that column, they meet.
    number, text = ("Zillow ID", "App Unique ID") if id_column == "Zillow ID" else (id_column,) * 2
    # Where the fill wrote a 17-digit number as text, the check sees text too long for a Zillow
    # id (a zpid has at most 10 digits), but the damage is what to fix: it is said once.
    expected = [
        (2, number, "unique-id-mangled"),
        (3, text, "unique-id-mangled"),
        (4, text, "unique-id-mangled"),
        (302, number, "unique-id-mangled"),
        (303, text, "unique-id-mangled"),
        (304, text, "unique-id-mangled"),
    ]
    assert found == {1: expected, 2: expected}


class ListSink:
    """A sink that keeps what it is given."""

    def __init__(self) -> None:
        self.got: list[object] = []

    def begin(self, headers, *, leave_out=(), name_column=None) -> None:  # type: ignore[no-untyped-def]
        self.got.append(("begin", list(headers), tuple(leave_out), name_column))

    def rows(self, rows) -> None:  # type: ignore[no-untyped-def]
        self.got.append([list(row) for row in rows])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(table=tables())
def test_a_pass_in_one_process_is_the_check_with_its_rows_given_on(table: Table) -> None:
    sink = ListSink()
    report = passes.check_rows(table, sink=sink, workers=2)  # rows in memory: one process
    assert report == checks.check(table)
    begin, *blocks = sink.got
    assert begin == ("begin", table.headers, tuple(table.unused_columns), None)
    assert [row for block in blocks for row in block] == [list(row) for row in table.rows]
    assert all(0 < len(block) <= 256 for block in blocks)


def test_fill_counts_add_up() -> None:
    from applinks.issues import make_issue
    from applinks.operations import FillCounts

    one = make_issue("unique-id-mangled", row=2, column="ID", value="1", reason="r")
    two = make_issue("unique-id-mangled", row=9, column="ID", value="2", reason="r")
    assert FillCounts(3, 1, (one,)) + FillCounts(4, 2, (two,)) == FillCounts(7, 3, (one, two))
    assert FillCounts() + FillCounts() == FillCounts(0, 0, ())
