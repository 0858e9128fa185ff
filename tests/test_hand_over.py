"""A command line run that reads a large workbook in a child process (while this one scans it)
ends exactly as a run that does both in turn: same output, messages, files and exit code; a
file the scan refuses is refused with the scan's sentence, and no process is left behind.

The runs happen in a forked copy of the test process (so the size from which a workbook is
handed over can be lowered to nothing), with its output going to files.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from applinks import cli, workers
from applinks.files import guards, read, xlsx_in

BAD = Path(__file__).parent / "data" / "bad"


def run_cli(
    tmp_path: Path, *args: str, hand_over: bool, order: str | None = None
) -> tuple[int, str, str, bool]:
    """Run ``applinks ARGS`` in a forked process; return (exit code, stdout, stderr, whether
    the workbook was handed over to a child). ``order``: for a handed-over run, which of the
    scan (here) and the reading (in the child) ends before the other starts, "scan-first" or
    "reader-first" (by default they run at once)."""
    return finish(tmp_path, start_cli(tmp_path, *args, hand_over=hand_over, order=order))


def start_cli(
    tmp_path: Path,
    *args: str,
    hand_over: bool,
    order: str | None = None,
    patch: Callable[[], object] | None = None,
) -> int:
    """Start :func:`run_cli`'s run; return its process id. ``patch()`` runs first in it."""
    out, err, marker = tmp_path / "stdout", tmp_path / "stderr", tmp_path / "handed-over"
    left = tmp_path / "children-left"
    for path in (marker, left):
        path.unlink(missing_ok=True)
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
            if order is not None:
                _one_after_the_other(order)
            if patch is not None:
                patch()
            cli.main(list(args), prog_name="applinks")
        except SystemExit as leaving:
            code = leaving.code if isinstance(leaving.code, int) else 0
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            # This copy has no children but its own: none may be left, not even a zombie.
            with contextlib.suppress(ChildProcessError):
                left.write_text(repr(os.waitpid(-1, os.WNOHANG)))
            os._exit(code)
    return pid


def _one_after_the_other(order: str) -> None:
    """Make the scan (in the process that hands over) and the reading (in its child) run one
    after the other, in ``order``, through a pipe both processes share: the one that goes
    second waits for a byte from the first (or for the end of the pipe, if the first died)."""
    done, go = os.pipe()

    def first(step: Callable[..., object]) -> Callable[..., object]:
        def run(*a, **k):  # type: ignore[no-untyped-def]
            try:
                return step(*a, **k)
            finally:
                os.write(go, b"x")

        return run

    def second(step: Callable[..., object]) -> Callable[..., object]:
        def run(*a, **k):  # type: ignore[no-untyped-def]
            os.close(go)  # (then the pipe ends when the other process does)
            os.read(done, 1)
            return step(*a, **k)

        return run

    scan, load = guards.inspect_xlsx_sheet, xlsx_in.open_sheet
    if order == "scan-first":
        guards.inspect_xlsx_sheet, xlsx_in.open_sheet = first(scan), second(load)
    else:
        guards.inspect_xlsx_sheet, xlsx_in.open_sheet = second(scan), first(load)


def finish(tmp_path: Path, pid: int) -> tuple[int, str, str, bool]:
    out, err, marker = tmp_path / "stdout", tmp_path / "stderr", tmp_path / "handed-over"
    _, status = os.waitpid(pid, 0)
    left = tmp_path / "children-left"
    assert not left.exists(), f"the run left a child process behind: {left.read_text()}"
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
            [f"Home {n}", "Active" if n % 7 else "Won", 10000 + n % 250, "=1+1" if n == 5 else "x"]
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
        shown = stdout.replace(str(out), "OUT").replace(str(report), "REPORT")  # names differ
        results[hand_over] = (code, shown, stderr, files)
    assert results[True] == results[False]
    code, stdout, stderr, files = results[True]
    assert code == 1 and "in 300 rows." in stdout
    assert ("unique-id-duplicate" in stdout) is (command[0] == "prepare")
    assert "has 2 formula cells with no saved result" in stderr
    assert len(files) == (2 if command[0] == "prepare" else 0)


@pytest.mark.parametrize("order", ["scan-first", "reader-first"])
@pytest.mark.parametrize("name", ["far-apart-cells.xlsx", "too-many-columns.xlsx"])
def test_a_file_the_scan_refuses_is_refused_with_its_sentence(
    tmp_path: Path, name: str, order: str
) -> None:
    code, stdout, stderr, handed = run_cli(
        tmp_path, "check", str(BAD / name), hand_over=True, order=order
    )
    assert handed  # (and no process was left behind: see finish)
    expected = run_cli(tmp_path, "check", str(BAD / name), hand_over=False)
    assert (code, stdout, stderr) == expected[:3]
    assert code == 2 and stdout == "" and stderr.count("\n") == 1 and "Excel" in stderr


def test_a_damaged_workbook_is_reported_by_the_child(tmp_path: Path) -> None:
    results = [
        run_cli(tmp_path, "check", str(BAD / "truncated.xlsx"), hand_over=flag)[:3]
        for flag in (False, True)
    ]
    assert results[0] == results[1]
    assert results[0][0] == 2


def test_the_load_limit_is_half_the_memory_and_at_least_4_gib() -> None:
    limit = workers._load_limit()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert limit == max(4 * 1024**3, memory // 2)


@pytest.mark.parametrize(
    ("pages", "limit"),
    [(2 * 1024**2, 8 * 1024**3), (1024**2, 4 * 1024**3), (512 * 1024, 4 * 1024**3)],
    ids=["16-gib", "8-gib", "4-gib"],
)
def test_the_load_limit_on_machines_with_more_and_less_memory(
    monkeypatch: pytest.MonkeyPatch, pages: int, limit: int
) -> None:
    sizes = {"SC_PAGE_SIZE": 8192, "SC_PHYS_PAGES": pages}  # 8 KiB pages
    monkeypatch.setattr(os, "sysconf", sizes.__getitem__)
    assert workers._load_limit() == limit


def _limits_in_a_fork(soft: Callable[[int], int], load_limit: Callable[[int], int]) -> tuple:
    """In a forked copy, set the address space limit to ``(soft(hard), hard)`` (``hard``: this
    process's hard limit, as it is; ``2**50`` stands for none), make :func:`workers._load_limit`
    give ``load_limit(hard)``, and return (the limits set, the limits inside
    ``workers._limited()``, the limits after it, the load limit), as the copy saw them."""
    import pickle
    import resource

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - in the forked copy, whose limits do not matter after
        try:
            hard = resource.getrlimit(resource.RLIMIT_AS)[1]
            bound = 2**50 if hard == resource.RLIM_INFINITY else hard
            limits = (soft(bound), hard)
            resource.setrlimit(resource.RLIMIT_AS, limits)
            wanted = load_limit(bound)
            workers._load_limit = lambda: wanted  # type: ignore[assignment]
            with workers._limited():
                inside = resource.getrlimit(resource.RLIMIT_AS)
            after = resource.getrlimit(resource.RLIMIT_AS)
            os.write(write_end, pickle.dumps((limits, inside, after, wanted)))
        finally:
            os._exit(0)
    os.close(write_end)
    with open(read_end, "rb") as answer:
        found = answer.read()
    os.waitpid(pid, 0)
    return pickle.loads(found)


def test_the_child_gives_up_its_memory_limit_after_reading() -> None:
    # No soft limit below the hard one: the load's limit applies while it reads, then the
    # limits are as they were.
    limits, inside, after, load = _limits_in_a_fork(lambda hard: hard, lambda hard: hard // 2)
    assert inside == (load, limits[1])
    assert after == limits


def test_a_lower_limit_the_user_set_is_kept() -> None:
    limits, inside, after, _ = _limits_in_a_fork(
        lambda hard: hard // 4 - (1 << 20), lambda hard: hard // 4
    )
    assert inside == after == limits


def _start_working_child(tmp_path: Path, folder: Path, *, ctrl_c: bool = True) -> tuple[int, int]:
    """Start a handed-over ``prepare`` whose child stops in its work (with ``ctrl_c``, Ctrl-C
    raises there, set explicitly); return the process ids of the run and of its child, once
    the child works."""
    book = _book(tmp_path / "homes.xlsx")
    read_end, write_end = os.pipe()

    def slow_prepare() -> None:  # in the child, with the CSV spool already open beside -o
        if ctrl_c:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        real = cli.prepare

        def waiting(*a, **k):  # type: ignore[no-untyped-def]
            os.write(write_end, b"%d\n" % os.getpid())
            time.sleep(600)  # until the signal
            return real(*a, **k)

        cli.prepare = waiting  # type: ignore[assignment]

    args = ["prepare", str(book), "--app", "zillow.com", "--id-column", "Zillow ID"]
    pid = start_cli(
        tmp_path, *args, "-o", str(folder / "o.csv"), hand_over=True, patch=slow_prepare
    )
    os.close(write_end)
    with open(read_end, "rb") as working:  # the process id of the child, once it works
        child = int(working.readline() or b"0")  # (or nothing, if the run ended first)
    assert child not in (0, pid)
    return pid, child


def test_ctrl_c_stops_the_child_and_the_run_waits_for_it(tmp_path: Path) -> None:
    """Ctrl-C reaches both processes (a terminal signals the whole group): the one that
    handed the run over ignores it and waits; the child stops, cleans up and says so."""
    folder = tmp_path / "out"
    folder.mkdir()
    pid, child = _start_working_child(tmp_path, folder)
    os.kill(pid, signal.SIGINT)
    os.kill(child, signal.SIGINT)
    code, _, stderr, handed = finish(tmp_path, pid)  # (no child left unwaited for)
    assert handed
    assert (code, stderr.splitlines()[-1]) == (130, "Stopped; nothing was written.")
    assert list(folder.iterdir()) == []


def test_a_child_killed_outright_ends_the_run_with_its_signal(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    pid, child = _start_working_child(tmp_path, folder)
    os.kill(child, signal.SIGKILL)
    code, stdout, stderr, handed = finish(tmp_path, pid)
    assert handed
    assert (code, stdout, stderr.splitlines()[-1]) == (
        128 + signal.SIGKILL,
        "",
        'Reading "homes.xlsx" stopped unexpectedly (signal SIGKILL, perhaps for lack of '
        "memory); nothing was written. Run again with APPLINKS_WORKERS=1 to do it in one "
        "process.",
    )
    assert not (folder / "o.csv").exists()


def test_a_polite_kill_while_the_child_works_stops_it_and_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    pid, child = _start_working_child(tmp_path, folder, ctrl_c=False)
    assert [p.name.startswith(".cloze-import.") for p in folder.iterdir()] == [True]
    os.kill(pid, signal.SIGTERM)  # to the process that handed the run over: passed on
    code, stdout, stderr, handed = finish(tmp_path, pid)
    assert handed
    assert (code, stderr.splitlines()[-1]) == (130, "Stopped; nothing was written.")
    assert list(folder.iterdir()) == []  # the child removed its temporary file
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def _in_a_fork(work: Callable[[], int]) -> tuple[int, str]:
    """Run ``work()`` in a forked copy; return (its exit code, what it wrote to a file of its
    own: the lines about which process ran what)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "log"
        log.write_text("")
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the forked copy
            code = 99
            try:
                os.environ["LOG"] = str(log)
                code = work()
                with log.open("a") as out:
                    out.write(f"returned {code} in {os.getpid()}\n")
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), log.read_text().replace(str(pid), "RUN")


def _note(text: str) -> None:
    with open(os.environ["LOG"], "a") as out:
        out.write(f"{text} in {os.getpid()}\n")


def test_the_child_runs_what_follows_and_its_code_is_returned_here() -> None:
    def then(checked: str, loaded: Callable[[], int]) -> int:
        _note(f"then({checked}, {loaded()})")
        return 7

    def work() -> int:
        return workers.hand_over(lambda: "scanned", lambda: 5, then, name="x.xlsx")

    code, log = _in_a_fork(work)
    first, second = log.splitlines()
    assert code == 7 and second == "returned 7 in RUN"  # the child never returned into work()
    assert first.startswith("then(scanned, 5) in ") and not first.endswith(" in RUN")


def test_what_the_load_raised_is_raised_by_loaded_in_the_child() -> None:
    def load() -> int:
        raise ValueError("damaged")

    def then(checked: str, loaded: Callable[[], int]) -> int:
        try:
            loaded()
        except ValueError as error:
            _note(f"{checked}: {error}")
            return 3
        return 0

    code, log = _in_a_fork(lambda: workers.hand_over(lambda: "scanned", load, then, name="x"))
    first, second = log.splitlines()
    assert code == 3 and second == "returned 3 in RUN"
    assert first.startswith("scanned: damaged in ") and not first.endswith(" in RUN")


def test_a_check_that_fails_stops_the_child_before_it_runs_anything() -> None:
    def check() -> str:
        raise KeyError("refused")

    def work() -> int:
        try:
            workers.hand_over(check, lambda: 5, lambda c, loaded: _note("ran") or 0, name="x")
        except KeyError:
            return 4
        return 0

    assert _in_a_fork(work) == (4, "returned 4 in RUN\n")


def test_a_handed_over_workbook_with_an_empty_first_sheet_names_the_sheet_with_data(
    tmp_path: Path,
) -> None:
    # A large workbook is read in a child: an empty cover sheet still gets the sentence that
    # names the sheet to read, as a small one does.
    book = Workbook()
    book.active.title = "Cover"
    data = book.create_sheet("Deals")
    data.append(["Name", "Zillow ID"])
    data.append(["12 Oak St", 59187422])
    path = tmp_path / "covered.xlsx"
    book.save(path)
    sentence = (
        '"covered.xlsx" has nothing on its first sheet, "Cover"; its data is on sheet "Deals": '
        'run again with --sheet "Deals".\n'
    )
    for hand_over in (False, True):
        code, stdout, stderr, handed = run_cli(tmp_path, "check", str(path), hand_over=hand_over)
        assert (code, stdout, stderr, handed) == (2, "", sentence, hand_over)


@pytest.mark.parametrize(
    "name", ["poi-64420-macro-sheet.xlsm", "poi-duplicate-filename-case-insensitive.xlsx"]
)
def test_a_package_read_from_a_repacked_copy_is_read_so_at_any_size(
    tmp_path: Path, name: str
) -> None:
    """A package python-calamine reads only from a repacked copy is not handed over as it is:
    a large one is read as a small one is (POI's 64420.xlsm, whose Excel 4.0 macro sheet made
    python-calamine refuse the workbook; a package with sheet1.xml and Sheet1.xml)."""
    book = Path(__file__).parent / "data" / "corpus" / name
    results = {}
    for hand_over in (False, True):
        out = tmp_path / f"out-{hand_over}.csv"
        code, stdout, stderr, handed = run_cli(
            tmp_path, "export", str(book), "-o", str(out), "--allow-errors", hand_over=hand_over
        )
        assert not handed
        results[hand_over] = (code, stdout.replace(str(out), "OUT"), stderr, out.read_bytes())
    assert results[True] == results[False]
    golden = Path(__file__).parent / "golden" / "corpus" / f"{name}.csv"
    assert results[True][3] == golden.read_bytes()
