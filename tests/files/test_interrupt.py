"""A run stopped midway (Ctrl-C, a kill, an exception) leaves no partial file behind."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from applinks.cli import main
from applinks.files import atomic
from applinks.files.csv_out import CsvSpool, write_cloze_csv
from applinks.operations import prepare
from applinks.rows import LazyRows
from applinks.table import Cell, Table

SRC = Path(__file__).resolve().parent.parent.parent / "src"
HEADER = "Name,Stage,App ID,App Unique ID,App Name,App Content URL\r\n"


def _input(folder: Path, rows: int) -> Path:
    path = folder / "deals.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        for i in range(rows):
            handle.write(
                f"House {i},Active,zillow.com,{1000 + i},Zillow,"
                f"https://www.zillow.com/homedetails/{1000 + i}_zpid/\r\n"
            )
    return path


class _FailingFile:
    """A temporary file that writes some bytes, then fails like Ctrl-C or a full disk."""

    def __init__(self, real, error: BaseException, after: int) -> None:
        self._real, self._error, self._left = real, error, after

    def write(self, data):
        self._left -= len(data)
        if self._left < 0:
            self._real.write(data[: len(data) // 2])
            self._real.flush()
            raise self._error
        return self._real.write(data)

    @property
    def file(self):
        # PendingFile writes to the temporary file's own file object: that one fails too.
        return self

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __enter__(self):
        self._real.__enter__()
        return self

    def __exit__(self, *exc):
        return self._real.__exit__(*exc)


def _fail_writes_to(monkeypatch, suffix: str, error: BaseException, after: int = 4096) -> None:
    real = tempfile.NamedTemporaryFile

    def factory(*args, **kwargs):
        handle = real(*args, **kwargs)
        if kwargs.get("prefix", "").endswith(suffix + "."):
            return _FailingFile(handle, error, after)
        return handle

    monkeypatch.setattr(atomic.tempfile, "NamedTemporaryFile", factory)


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (KeyboardInterrupt(), 130, "Stopped; nothing was written.\n"),
        (
            OSError(28, "No space left on device"),
            2,
            "An unexpected problem stopped the run ([Errno 28] No space left on device); nothing "
            "was written. Run again with --debug to see the details.\n",
        ),
    ],
    ids=["ctrl-c", "disk-full"],
)
def test_prepare_stopped_while_writing_leaves_no_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error, code: int, message: str
) -> None:
    book = _input(tmp_path, 2000)
    before = book.read_bytes()
    _fail_writes_to(monkeypatch, "cloze-import", error)
    result = CliRunner().invoke(main, ["prepare", str(book), "--app", "zillow.com"])
    assert (result.exit_code, result.stderr) == (code, message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deals.csv"]
    assert book.read_bytes() == before


def test_prepare_says_which_whole_files_it_had_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prepare writes the report, then the annotated workbook, then keeps the CSV: stopping it
    in the workbook leaves the (whole) report, no workbook and no CSV, and says so."""
    from applinks.examples import EXAMPLE_APP, EXAMPLE_ID_COLUMN, example_path

    book = tmp_path / "book.xlsx"
    book.write_bytes(example_path().read_bytes())
    _fail_writes_to(monkeypatch, "annotated.xlsx", KeyboardInterrupt(), after=1000)
    result = CliRunner().invoke(
        main,
        [
            "prepare",
            str(book),
            "--app",
            EXAMPLE_APP,
            "--id-column",
            EXAMPLE_ID_COLUMN,
            "--report",
            str(tmp_path / "r.csv"),
            "--xlsx",
            str(tmp_path / "annotated.xlsx"),
        ],
    )
    assert (result.exit_code, result.stderr) == (
        130,
        'Stopped; "r.csv" had been written in full, nothing else was written.\n',
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "r.csv"]
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").startswith("row,column,code")
    assert book.read_bytes() == example_path().read_bytes()


def test_email_draft_stopped_while_writing_leaves_no_eml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv_file = _input(tmp_path, 50)
    _fail_writes_to(monkeypatch, "deals.eml", KeyboardInterrupt(), after=10)
    result = CliRunner().invoke(main, ["email-draft", str(csv_file), "--no-open"])
    assert (result.exit_code, result.stderr) == (130, "Stopped; nothing was written.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deals.csv"]


def test_annotated_workbook_stopped_while_writing_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from applinks.examples import example_path

    book = tmp_path / "book.xlsx"
    book.write_bytes(example_path().read_bytes())
    _fail_writes_to(monkeypatch, "checked.xlsx", KeyboardInterrupt(), after=1000)
    result = CliRunner().invoke(
        main, ["check", str(book), "--annotate", str(tmp_path / "checked.xlsx")]
    )
    assert (result.exit_code, result.stderr) == (130, "Stopped; nothing was written.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]
    assert book.read_bytes() == example_path().read_bytes()


def test_output_gets_normal_permissions_not_the_temporary_files(tmp_path: Path) -> None:
    book = _input(tmp_path, 3)
    result = CliRunner().invoke(main, ["export", str(book)])
    assert result.exit_code == 0, result.output
    mode = stat.S_IMODE((tmp_path / "deals - Cloze import.csv").stat().st_mode)
    umask = os.umask(0o022)
    os.umask(umask)
    assert mode == 0o666 & ~umask


#: Run the command line in a child that pauses, once the temporary CSV holds its first rows,
#: until a signal comes: the signal then lands mid-write whatever the machine's speed. Ctrl-C's
#: handler is set here, since a child inherits an ignored SIGINT from a run in the background.
PAUSING_RUN = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
from applinks.cli import main
from applinks.files import csv_out
ready, me, real = int(sys.argv[1]), os.getpid(), csv_out.CsvRowWriter.rows
def rows(self, block):
    real(self, block)
    if os.getpid() == me and ready >= 0:  # (not in a second worker process)
        os.write(ready, b"x")
        os.close(ready)
        globals()["ready"] = -1
        time.sleep(600)  # until the signal
csv_out.CsvRowWriter.rows = rows
main(sys.argv[2:], prog_name="applinks")
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_real_signal_during_prepare_leaves_no_partial_file(tmp_path: Path, signum: int) -> None:
    """Send the signal once the temporary output holds rows, i.e. in the middle of writing it."""
    book = _input(tmp_path, 20_000)
    before = book.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSING_RUN, str(write_end)]
        + ["prepare", book.name, "--app", "zillow.com"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    try:
        with open(read_end, "rb") as ready:
            assert ready.read(1) == b"x", "prepare ended before it wrote any row"
        assert [p.name.endswith(".part") for p in tmp_path.iterdir()].count(True) >= 1
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert (process.returncode, stderr) == (130, "Stopped; nothing was written.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deals.csv"]
    assert book.read_bytes() == before


@pytest.fixture
def ctrl_c() -> Iterator[Callable[[], None]]:
    """Return a function that presses Ctrl-C: a real SIGINT to this process, which raises
    KeyboardInterrupt (set here: a run in the background may have inherited it ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield lambda: os.kill(os.getpid(), signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, previous)


class _RowsThenCtrlC(LazyRows):
    """200,000 rows on demand; Ctrl-C is pressed as row ``at`` is made."""

    def __init__(self, press: Callable[[], None], at: int = 50_000) -> None:
        super().__init__()
        self._press, self._at = press, at

    def _produce(self) -> Iterator[list[Cell]]:
        for n in range(200_000):
            if n == self._at:
                self._press()
            yield [f"House {n}", "zillow.com", str(1000 + n), "Zillow", f"https://z.com/{n}"]


def _write_csv(table: Table, folder: Path) -> None:
    write_cloze_csv(table, folder / "out.csv")


def _prepare_into_a_spool(table: Table, folder: Path) -> None:
    with CsvSpool(folder) as spool:
        prepare(table, sink=spool)
        spool.keep(folder / "out.csv")


@pytest.mark.parametrize(
    "write", [_write_csv, _prepare_into_a_spool], ids=["write_cloze_csv", "prepare-into-spool"]
)
def test_ctrl_c_in_the_library_leaves_no_temporary_file(
    tmp_path: Path, ctrl_c: Callable[[], None], write: Callable[[Table, Path], None]
) -> None:
    """A program that uses the library (no command line, so no sweep of pending files at the
    end) is stopped with Ctrl-C while the output is being written: nothing is left behind."""
    headers = ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"]
    table = Table(headers, _RowsThenCtrlC(ctrl_c))
    with pytest.raises(KeyboardInterrupt):
        write(table, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_the_temporary_file_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ctrl_c: Callable[[], None]
) -> None:
    """Ctrl-C pressed as the temporary file comes into being is held until it is known, then
    raised; the file is removed on the way out."""
    real = tempfile.NamedTemporaryFile

    def pressed_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        made = real(*args, **kwargs)
        ctrl_c()
        return made

    monkeypatch.setattr(atomic.tempfile, "NamedTemporaryFile", pressed_meanwhile)
    with pytest.raises(KeyboardInterrupt):
        write_cloze_csv(Table(["Name"], [["a"]]), tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


def test_temporary_files_not_yet_in_a_with_block_are_swept(tmp_path: Path) -> None:
    """A signal can land after a temporary file exists but before the ``with`` block that would
    remove it; the CLI sweeps such files at the end of every command."""
    atomic.PendingFile(tmp_path, "out.csv", "w")
    assert [p.name.endswith(".part") for p in tmp_path.iterdir()] == [True]
    atomic.discard_pending()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{book}", "--report", "{book}", "--force"],
        ["prepare", "{book}", "--app", "zillow.com", "--report", "{book}", "--force"],
        ["export", "{book}", "-o", "{book}", "--force"],
        ["prepare", "{book}", "--app", "zillow.com", "-o", "{link}", "--force"],
    ],
    ids=["check-report", "prepare-report", "export-output", "prepare-output-link"],
)
def test_no_command_writes_to_its_input_even_with_force(tmp_path: Path, args: list[str]) -> None:
    book = _input(tmp_path, 3)
    before = book.read_bytes()
    (tmp_path / "link.csv").symlink_to(book)
    argv = [a.format(book=book, link=tmp_path / "link.csv") for a in args]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 2, result.output
    assert "this tool never writes to its input" in result.stderr
    assert book.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize(
    "args",
    [
        ["export", "{book}", "-o", "{missing}/out.csv"],
        ["prepare", "{book}", "--app", "zillow.com", "-o", "{missing}/out.csv"],
        ["check", "{book}", "--report", "{missing}/report.csv"],
    ],
    ids=["export-output", "prepare-output", "check-report"],
)
def test_an_output_in_a_folder_that_does_not_exist_is_refused_in_a_sentence(
    tmp_path: Path, args: list[str]
) -> None:
    book = _input(tmp_path, 3)
    missing = tmp_path / "no such folder"
    argv = [a.format(book=book, missing=missing) for a in args]
    result = CliRunner().invoke(main, argv)
    assert (result.exit_code, result.stderr) == (
        2,
        f'The folder "{missing}" does not exist.\n',
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [book.name]
