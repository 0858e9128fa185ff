"""A command line run that reads a large workbook in a child process (while this one scans it)
ends exactly as a run that does both in turn: same output, messages, files and exit code; a
file the scan refuses is refused with the scan's sentence, and no process is left behind.

The runs happen in a forked copy of the test process (so the size from which a workbook is
handed over can be lowered to nothing), with its output going to files.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from applinks import cli, workers
from applinks.files import guards, read

BAD = Path(__file__).parent / "data" / "bad"


def run_cli(
    tmp_path: Path, *args: str, hand_over: bool, slow_scan: bool = False
) -> tuple[int, str, str, bool]:
    """Run ``applinks ARGS`` in a forked process; return (exit code, stdout, stderr, whether
    the workbook was handed over to a child). ``slow_scan``: the scan starts a second late, so
    the child has read the file (or failed to) before the scan's verdict."""
    return finish(tmp_path, start_cli(tmp_path, *args, hand_over=hand_over, slow_scan=slow_scan))


def start_cli(
    tmp_path: Path,
    *args: str,
    hand_over: bool,
    slow_scan: bool = False,
    patch: Callable[[], object] | None = None,
) -> int:
    """Start :func:`run_cli`'s run; return its process id. ``patch()`` runs first in it."""
    out, err, marker = tmp_path / "stdout", tmp_path / "stderr", tmp_path / "handed-over"
    marker.unlink(missing_ok=True)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked copy
        code = 99
        try:
            for fd, path in ((1, out), (2, err)):
                os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
            sys.stdout = open(1, "w", closefd=False, encoding="utf-8")  # noqa: SIM115
            sys.stderr = open(2, "w", closefd=False, encoding="utf-8")  # noqa: SIM115
            os.environ[workers.WORKERS_VARIABLE] = "2"
            read.HAND_OVER_FROM = 0 if hand_over else 1 << 62
            real = workers.hand_over

            def noted(*a, **k):  # type: ignore[no-untyped-def]
                marker.write_text("yes")
                return real(*a, **k)

            workers.hand_over = noted  # type: ignore[assignment]
            if slow_scan:
                scan = guards.inspect_xlsx_sheet

                def late(*a, **k):  # type: ignore[no-untyped-def]
                    time.sleep(1)
                    return scan(*a, **k)

                guards.inspect_xlsx_sheet = late  # type: ignore[assignment]
            if patch is not None:
                patch()
            cli.main(list(args), prog_name="applinks")
        except SystemExit as leaving:
            code = leaving.code if isinstance(leaving.code, int) else 0
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return pid


def finish(tmp_path: Path, pid: int) -> tuple[int, str, str, bool]:
    out, err, marker = tmp_path / "stdout", tmp_path / "stderr", tmp_path / "handed-over"
    _, status = os.waitpid(pid, 0)
    return (
        os.waitstatus_to_exitcode(status),
        out.read_text(encoding="utf-8"),
        err.read_text(encoding="utf-8"),
        marker.exists(),
    )


def _book(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Stage", "Zillow ID", "Notes"])
    for n in range(300):
        sheet.append(
            [f"Home {n}", "Active" if n % 7 else "Won", n % 250, "=1+1" if n == 5 else "x"]
        )
    sheet["E2"] = "=A2"  # a formula with no saved value: a note from the scan
    book.save(path)
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["prepare", "--app", "zillow.com", "--id-column", "Zillow ID", "--allow-errors"],
        ["check"],
    ],
    ids=["prepare", "check"],
)
def test_a_handed_over_run_ends_as_a_run_in_turn(tmp_path: Path, command: list[str]) -> None:
    book = _book(tmp_path / "homes.xlsx")
    results = {}
    for hand_over in (False, True):
        out = tmp_path / f"out-{hand_over}.csv"
        report = tmp_path / f"report-{hand_over}.json"
        extra = ["-o", str(out), "--report", str(report)] if command[0] == "prepare" else []
        code, stdout, stderr, handed = run_cli(
            tmp_path, command[0], str(book), *command[1:], *extra, hand_over=hand_over
        )
        assert handed is hand_over
        files = [p.read_bytes() for p in (out, report) if p.exists()]
        results[hand_over] = (code, stdout.replace(str(out), "OUT"), stderr, files)
    assert results[True] == results[False]
    code, stdout, stderr, files = results[True]
    assert code == 1 and "in 300 rows." in stdout
    assert ("unique-id-duplicate" in stdout) is (command[0] == "prepare")
    assert "has 2 formula cells with no saved result" in stderr
    assert len(files) == (2 if command[0] == "prepare" else 0)


@pytest.mark.parametrize("slow_scan", [False, True], ids=["scan-first", "reader-first"])
@pytest.mark.parametrize("name", ["far-apart-cells.xlsx", "too-many-columns.xlsx"])
def test_a_file_the_scan_refuses_is_refused_with_its_sentence(
    tmp_path: Path, name: str, slow_scan: bool
) -> None:
    code, stdout, stderr, handed = run_cli(
        tmp_path, "check", str(BAD / name), hand_over=True, slow_scan=slow_scan
    )
    assert handed
    expected = run_cli(tmp_path, "check", str(BAD / name), hand_over=False)
    assert (code, stdout, stderr) == expected[:3]
    assert code == 2 and stdout == "" and stderr.count("\n") == 1 and "Excel" in stderr
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # nothing left running or unreaped


def test_a_damaged_workbook_is_reported_by_the_child(tmp_path: Path) -> None:
    results = [
        run_cli(tmp_path, "check", str(BAD / "truncated.xlsx"), hand_over=flag)[:3]
        for flag in (False, True)
    ]
    assert results[0] == results[1]
    assert results[0][0] == 2


def test_the_child_gives_up_its_memory_limit_after_reading() -> None:
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    with workers._limited():
        inside = resource.getrlimit(resource.RLIMIT_AS)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    limit = workers._load_limit()
    assert limit is not None and limit >= 4 << 30
    assert inside[0] == limit or before[1] < limit


def test_a_polite_kill_while_the_child_works_stops_it_and_leaves_nothing(tmp_path: Path) -> None:
    book = _book(tmp_path / "homes.xlsx")
    folder = tmp_path / "out"
    folder.mkdir()
    working = tmp_path / "working"

    def slow_prepare() -> None:  # in the child, with the CSV spool already open beside -o
        real = cli.prepare

        def waiting(*a, **k):  # type: ignore[no-untyped-def]
            working.write_text(str(os.getpid()))
            time.sleep(30)
            return real(*a, **k)

        cli.prepare = waiting  # type: ignore[assignment]

    args = ["prepare", str(book), "--app", "zillow.com", "--id-column", "Zillow ID"]
    pid = start_cli(
        tmp_path, *args, "-o", str(folder / "o.csv"), hand_over=True, patch=slow_prepare
    )
    for _ in range(200):
        if working.exists() and working.read_text():
            break
        time.sleep(0.05)
    child = int(working.read_text())
    assert child != pid
    assert [p.name.startswith(".cloze-import.") for p in folder.iterdir()] == [True]
    os.kill(pid, signal.SIGTERM)  # to the process that handed the run over: passed on
    code, stdout, stderr, handed = finish(tmp_path, pid)
    assert handed
    assert (code, stderr.splitlines()[-1]) == (130, "Stopped; nothing was written.")
    assert list(folder.iterdir()) == []  # the child removed its temporary file
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_a_lower_limit_the_user_set_is_kept() -> None:
    import resource

    limit = workers._load_limit()
    assert limit is not None
    pid = os.fork()
    if pid == 0:  # pragma: no cover - in the forked copy, whose limits do not matter after
        code = 1
        try:
            hard = resource.getrlimit(resource.RLIMIT_AS)[1]
            mine = (limit - (1 << 20), hard)
            resource.setrlimit(resource.RLIMIT_AS, mine)
            with workers._limited():
                inside = resource.getrlimit(resource.RLIMIT_AS)
            code = 0 if inside == mine == resource.getrlimit(resource.RLIMIT_AS) else 3
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
