"""Benchmark ``applinks`` against the plainest way to read the same file, in one run.

    python bench/run.py                     # 100,000 and 1,048,575 rows, 3 runs each
    python bench/run.py --sizes 100000 --runs 5 --no-write

Makes the test files once (bench/data/, see make_data.py), then runs every case and every
yardstick in its own fresh subprocess, in turn, ``--runs`` times (the slow reference
yardsticks, pandas and openpyxl, ``--reference-runs`` times), and prints a table of medians:
wall time and peak memory (see :func:`run_once`), each
with its ratio to the yardstick it is judged against. The same table goes to
docs/benchmarks.md, with the machine it ran on, unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
DOC = ROOT / "docs" / "benchmarks.md"
sys.path.insert(0, str(HERE))

import make_data  # noqa: E402

APP = ["--app", "zillow.com", "--id-column", "Zillow ID"]
#: One line per single run, in the order they ran (kept in the document).
LOG: list[str] = []


@dataclass
class Case:
    name: str
    what: str
    #: The yardstick the ratios are taken against, and the limits (time, memory) it must meet.
    against: str | None = None
    time_limit: float | None = None
    memory_limit: float | None = None
    memory_cap_mib: float | None = None
    reference: bool = False
    #: Environment variables of the run (APPLINKS_WORKERS=1: one process, as on Windows).
    env: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    def argv(self, size: int) -> list[str]:
        book, text = make_data.xlsx_path(size), make_data.csv_path(size)
        cli = [sys.executable, "-m", "applinks"]
        out = str(OUT / f"{self.name}.csv")
        formatted = make_data.formatted_path(size)
        if self.name in ("prepare xlsx", "prepare xlsx, 1 process"):
            return [*cli, "prepare", str(book), *APP, "--allow-errors", "--force", "-o", out]
        if self.name in ("prepare formatted", "prepare formatted, 1 process"):
            return [*cli, "prepare", str(formatted), *APP, "--allow-errors", "--force", "-o", out]
        if self.name == "calamine formatted":
            return [sys.executable, str(HERE / "yardsticks.py"), "calamine", str(formatted), out]
        if self.name == "prepare csv":
            return [*cli, "prepare", str(text), *APP, "--allow-errors", "--force", "-o", out]
        if self.name == "check":
            return [*cli, "check", str(book)]
        if self.name == "prepare --xlsx":
            annotated = str(OUT / "annotated.xlsx")
            return [
                *cli, "prepare", str(book), *APP, "--allow-errors", "--force", "-o", out,
                "--xlsx", annotated,
            ]  # fmt: skip
        source = text if self.name == "csv-copy" else book
        return [sys.executable, str(HERE / "yardsticks.py"), self.name, str(source), out]


def cases() -> list[Case]:
    return [
        Case("calamine", "python-calamine read + csv write (the yardstick)"),
        Case("csv-copy", "csv read + csv write of the CSV"),
        Case("prepare xlsx", "applinks prepare, workbook to CSV", "calamine", 1.5, 1.5),
        Case(
            "prepare xlsx, 1 process",
            "the same in one process (Windows, the add-in)",
            "calamine",
            1.4,
            env={"APPLINKS_WORKERS": "1"},
        ),
        Case("calamine formatted", "the yardstick on the workbook with zip, zip+4, phone formats"),
        Case(
            "prepare formatted",
            "prepare of that workbook (values as Excel shows them)",
            "calamine formatted",
            1.6,
        ),
        Case(
            "prepare formatted, 1 process",
            "the same in one process",
            "calamine formatted",
            env={"APPLINKS_WORKERS": "1"},
        ),
        Case("prepare csv", "applinks prepare, CSV to CSV", "csv-copy", 2.0),
        Case("check", "applinks check (report only)", "calamine"),
        Case("prepare --xlsx", "prepare + annotated workbook", "calamine", 4.0, None, 2048),
        Case("pandas", "pandas read_excel + to_csv", "calamine", reference=True),
        Case("openpyxl", "openpyxl read-only + csv write", "calamine", reference=True),
    ]


def run_once(argv: list[str], extra: dict[str, str] | None = None) -> tuple[float, float]:
    """Run ``argv`` in a fresh process; return (wall seconds, peak memory MiB).

    Peak memory is the largest of the process's maximum resident set (from ``wait4``) and, while
    it has child processes (``prepare`` walks a large sheet in two), the sum of the proportional
    set sizes of the whole process tree, sampled every 0.5 s: pages the processes share count
    once, pages each has alone count for each.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), **(extra or {}))
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
    )
    tree = TreeMemory(process.pid)
    tree.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    tree.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{errors}")
    return wall, max(usage.ru_maxrss / 1024, tree.peak_mib)  # ru_maxrss: KiB on Linux


class TreeMemory(threading.Thread):
    """Samples the summed proportional set size of a process and its descendants (Linux)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mib = pid, 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.5):
            pids = _tree(self.pid)
            if len(pids) > 1:  # one process alone: its maximum resident set says it all
                self.peak_mib = max(self.peak_mib, sum(map(_pss_kib, pids)) / 1024)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = Path(f"/proc/{current}/task").iterdir()
            for task in tasks:
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for package in ("python-calamine", "openpyxl", "pandas"):
        with contextlib.suppress(PackageNotFoundError):
            versions.append(f"{package} {version(package)}")
    return (
        f"{model}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {', '.join(versions)}"
    )


def _available(case: Case) -> bool:
    if case.name == "prepare --xlsx":
        return (ROOT / "src" / "applinks" / "files" / "xlsx_annotate.py").exists()
    if case.name == "pandas":
        return shutil.which(sys.executable) is not None and _importable("pandas")
    return True


def _importable(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def measure(size: int, runs: int, reference_runs: int, only: set[str] | None) -> list[Case]:
    make_data.ensure(size, log=lambda m: print(m, file=sys.stderr))
    OUT.mkdir(exist_ok=True)
    chosen = [c for c in cases() if _available(c) and (not only or c.name in only)]
    for run in range(max(runs, reference_runs)):
        for case in chosen:
            if run >= (reference_runs if case.reference else runs):
                continue
            wall, peak = run_once(case.argv(size), case.env)
            case.times.append(wall)
            case.peaks.append(peak)
            line = f"{size:>9,} rows  run {run + 1}  {case.name:<15} {wall:8.2f} s {peak:8.0f} MiB"
            LOG.append(line)
            print(line, file=sys.stderr)
    return chosen


def table(size: int, measured: list[Case]) -> list[str]:
    by_name = {c.name: c for c in measured}
    lines = [
        f"### {size:,} rows",
        "",
        "| case | median time | x yardstick | peak memory | x yardstick | target | runs |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for case in measured:
        t = statistics.median(case.times)
        m = statistics.median(case.peaks)
        base = by_name.get(case.against or "")
        t_ratio = t / statistics.median(base.times) if base else None
        m_ratio = m / statistics.median(base.peaks) if base else None
        target = []
        if case.time_limit and t_ratio is not None:
            ok = t_ratio <= case.time_limit
            target.append(f"time <= {case.time_limit}x: {'met' if ok else 'MISSED'}")
        if case.memory_limit and m_ratio is not None:
            ok = m_ratio <= case.memory_limit
            target.append(f"memory <= {case.memory_limit}x: {'met' if ok else 'MISSED'}")
        if case.memory_cap_mib:
            ok = m < case.memory_cap_mib
            cap = case.memory_cap_mib / 1024
            target.append(f"memory < {cap:.0f} GiB: {'met' if ok else 'MISSED'}")
        lines.append(
            f"| {case.name} ({case.what}) | {t:.2f} s | "
            f"{f'{t_ratio:.2f}' if t_ratio is not None else ''} | {m:,.0f} MiB | "
            f"{f'{m_ratio:.2f}' if m_ratio is not None else ''} | {'; '.join(target)} | "
            f"{len(case.times)} |"
        )
    return lines


def growth(results: dict[int, list[Case]]) -> list[str]:
    sizes = sorted(results)
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    lines = [
        "",
        f"### Growth from {small:,} to {large:,} rows ({large / small:.2f}x the rows)",
        "",
        "| case | time ratio | target |",
        "|---|---:|---|",
    ]
    small_cases = {c.name: c for c in results[small]}
    for case in results[large]:
        other = small_cases.get(case.name)
        if other is None or case.reference:
            continue
        ratio = statistics.median(case.times) / statistics.median(other.times)
        target = ""
        if case.name.startswith("prepare"):
            target = f"<= 12x: {'met' if ratio <= 12 else 'MISSED'}"
        lines.append(f"| {case.name} | {ratio:.2f} | {target} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(make_data.SIZES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--large-runs", type=int, default=2, help="runs for sizes of 500,000 rows and more"
    )
    parser.add_argument("--reference-runs", type=int, default=1)
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    parser.add_argument("--no-write", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results = {
        size: measure(
            size,
            args.runs if size < 500_000 else args.large_runs,
            args.reference_runs,
            set(args.only or []),
        )
        for size in args.sizes
    }
    body = []
    for size, measured in results.items():
        body += table(size, measured) + [""]
    body += growth(results)
    text = "\n".join(body)
    print(text)
    if not args.no_write:
        runs = f"{args.runs} runs per case at 100,000 rows, {args.large_runs} at 1,048,575"
        measured = {c.name for cases_ in results.values() for c in cases_}
        ref = (
            f"{args.reference_runs} for pandas and openpyxl, which are much slower"
            if measured & {"pandas", "openpyxl"}
            else "pandas and openpyxl, much slower, were left out of this run with --only"
        )
        write_doc(text, "\n".join(LOG), when=started, load=load, runs=runs, ref=ref)
        print(f"\nWrote {DOC.relative_to(ROOT)}.", file=sys.stderr)
    return 0


def write_doc(table_text: str, log: str, *, when: str, load: float, runs: str, ref: str) -> None:
    """Write docs/benchmarks.md: how it was run, on what, the tables, and every single run."""
    DOC.parent.mkdir(exist_ok=True)
    head = DOC_HEAD.format(when=when, machine=machine(), load=load, runs=runs, ref=ref)
    every = f"\n## Every run\n\n```\n{log.strip()}\n```\n"
    DOC.write_text(head + table_text.strip() + "\n" + every + DOC_TAIL)


DOC_HEAD = """# Benchmarks

How fast `applinks` prepares a sheet as large as Excel allows, next to the fastest known way to
read the file at all: python-calamine reading the sheet and Python's `csv` module writing it out
(no checks, no formatting rules). Every case and yardstick ran in its own fresh process, in turn,
in the same run; the table shows medians. Peak memory is the process's maximum resident set, or,
while `applinks` works in two processes, the largest sum of their proportional set sizes
(sampled every half second: pages the processes share count once).

Produced by `python bench/run.py` (see [bench/run.py](../bench/run.py)); the test files are a
realistic property export made by [bench/make_data.py](../bench/make_data.py): 17 columns of
text, whole and fractional numbers, dates, date-times, zip codes with leading zeros (text),
numeric Zillow ids, listing URLs and notes (a few of them formula-like), with a few planted
problems. `prepare` fills the App Link columns from the ids (`--app zillow.com --id-column
"Zillow ID"`), checks every row, and writes the Cloze CSV. The *formatted* workbook has the same
rows with the zip stored as a number under Excel's "Zip Code" format (`00000`) and two more
number columns under the "Zip Code + 4" and "Phone Number" formats, so five columns of every row
(with the two date columns) are shown as Excel shows them; its yardstick is the same plain read
of that file. The `1 process` cases run with `APPLINKS_WORKERS=1`, as on Windows and in the Excel
add-in, which have no second process.

- Run: {when}; {runs} ({ref}).
- Machine: {machine}.
- Load average when the run started: {load:.1f} (the machine is shared, so times vary from run to
  run; the ratios, taken within one run, are what the targets are about).

"""

DOC_TAIL = """
## How the work is kept close to a plain read

- The workbook is parsed once by python-calamine and stays in its compact memory; the rows are
  walked on demand (`applinks.rows`, `files/xlsx_in.SheetRows`), never copied into Python lists.
  A CSV file is read from disk again on each pass (`files/csv_in.CsvRows`), never held whole.
- `prepare` makes one pass: each block of rows gets its App Link cells, is checked, and is
  written to a temporary CSV beside the output in the same step. The file is renamed into place
  at the end, or removed when errors block it.
- Two processes where there are two processors (`applinks.workers`; Linux and macOS, which have
  `fork`; `APPLINKS_WORKERS=1` keeps one):
  - Before python-calamine parses a workbook, the worksheet's XML must be scanned for cells past
    Excel's grid (`files/guards.py`: a tiny hostile file could otherwise make it allocate a sheet
    of billions of cells). On the command line, for a workbook with 64 MiB of worksheet XML or
    more, a child process parses while the first one scans; the child goes on with the command
    once the scan has passed, and the first waits for it and leaves with its exit code. While it
    parses, the child's address space is limited to half the machine's memory (at least 4 GiB),
    so even the moment before a refused file's reader is stopped cannot take the machine's
    memory. The scan's refusals are the same sentences as before (tested with the scan made to
    finish first and last).
  - `prepare`'s pass (and `export`'s) over 20,000 rows or more is split in two: a forked child
    takes the second half of the rows (python-calamine's sheet is shared copy-on-write, a CSV part
    starts at a line the reading scan noted) and writes them to a second temporary file; its
    findings (issues, first rows of each App Unique ID, App ID spellings, fill counts) come back
    through a pipe and are merged as if one process had walked every row, and its file is appended
    to the first. Hypothesis holds a checker merged from two halves to one that saw every row; the
    reports and CSV bytes of one and two processes are compared in the tests and were identical on
    both benchmark files.
- In one process (Windows, the add-in, `APPLINKS_WORKERS=1`) on two processors, python-calamine
  parses in a thread (it does not hold Python's lock) while this one reads the cell facts, and
  a command that reads a large .xlsx (8 MiB of package or more) parses its sheet in two halves
  (`files/xlsx_halves.py`): the guards' scan also cuts the sheet's XML after the first row that
  ends past its middle and deflates the two halves (ISA-L); they become two worksheets of a copy
  of the package in memory. python-calamine parses the first half beside the facts pass, then
  the second half while the first half's rows are filled, checked and written. Timed inside one
  such run of the 1,048,575-row workbook (outside the run above): the scan with the cut 4.4 s,
  the facts pass 6.1 s beside the first half's parse 6.7 s, then the pass over the rows 13.1 s
  beside the second half's parse 6.0 s. The copy costs memory (226 MiB instead of 189 at
  100,000 rows, 1,763 MiB instead of 1,622 at 1,048,575 rows). A sheet whose second half holds
  a value right of every cell of the first is read again, whole, by the command (the table's
  width is the first half's). While the facts pass waits for the parse, it builds what the
  checks will need (the Public Suffix List: `applinks.ahead`).
- What a cell shows (`files/xlsx_cells.py`): the styles part says which cell styles carry a
  number format that changes a value; one pass over the sheet's XML (byte patterns over 4 MiB
  chunks) collects only the number cells under those styles (as arrays of rows per column), the
  error cells and the links. For a large workbook on the command line this pass runs in the
  process that scans the sheet, beside the child that parses it, and its facts go to the child
  through the pipe (40 MiB for the formatted workbook's five columns). Each block of rows then
  gets its shown values by two binary searches per column (`files/as_shown.py`).
- The work after reading is done a block of 256 rows at a time, column by column
  (`rows.Block`): the reader normalises a column with one C-level pass where it can (whole
  numbers, text without empty cells), the fill writes a whole block when every id is plain, the
  checks pick out the rows they concern with `compress`/`map` instead of looking at every row in
  Python, and the writer turns each column into its fields (quoted only where the csv module
  would quote) and joins the block into lines with `str.join` (the same bytes as `csv.writer`, in
  about a third of its time). The block is taken apart into columns once, for the check and the
  writer together; 256 rows keep it in the processor cache (with blocks of 4,096 rows the work
  after reading took about half as long again).
- Checks whose cost depends only on a value (an App ID's rules, a URL's site and app) are worked
  out once per distinct value or pair; repeated App Unique IDs are found with one dictionary
  build per block.
- The row-by-row checker the block checker replaced is kept in the tests as the reference:
  Hypothesis holds the block checks, the block reader, writer and fill to their row-by-row forms.

## Where the time goes

Timing the parts of one `prepare` of the 1,048,575-row workbook separately (on the same machine,
outside the run above, one process each): python-calamine's parse about 17 s (the yardstick has
it too), the scan for cells past the grid about 6 s (hidden behind the parse in a second
process), and the pass that fills, checks and writes, in two processes, about 9.5 s (the
yardstick's `csv` writing takes about 8 s). For the CSV file: about 1.5 s to find its header,
width and last row (2.4-2.7 s in one process), and 7 s for the pass.

- A CSV file is read twice: one pass finds the width (columns with data but no header), the last
  row and the places a second process can start from, before anything is written; the second
  does the work. The first pass runs in two halves at once when the file is 32 MiB or more: the
  first process reads up to a line end past the middle and then a line no file can hold (it has
  a NUL character); that line comes out as a row of its own exactly when the middle ends a row,
  and only then are the halves' findings merged (else the file is scanned again in one pass).
  Its text is checked (UTF-8, else Windows-1252; no NUL characters) by these passes themselves,
  not by a pass of its own.
- The CSV output has four more columns and a URL per row, so there is more to write than in the
  yardstick's copy.
- `prepare --xlsx` (the annotated workbook) stays in one process for the pass, as it notes the
  App Link cells that changed while `prepare` walks the rows
  (`files/xlsx_annotate.LinkRecorder`, one list per column), so it makes no pass of its own over
  them; it then streams the worksheet XML once, appending the new cells to each row whose cells
  all lie left of them (no parsing of the row's cells), and deflates that part at level 3 in a
  second thread (half the time of the default level, about 12% larger). Its read is handed over
  like the others.
"""

if __name__ == "__main__":
    raise SystemExit(main())
