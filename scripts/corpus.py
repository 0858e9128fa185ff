"""Run ``applinks check`` and ``applinks prepare`` over a folder of real-world spreadsheets.

Two modes, neither needs the network:

    python scripts/corpus.py extract OUT_DIR GIT_DIR [GIT_DIR ...]
        Copy every spreadsheet (.xlsx .xlsm .xlsb .xls .ods .xltx .xltm .xlam) from the HEAD
        of each bare git directory into OUT_DIR/<repository>/<path>, skipping files over
        --max-mb (20 MB) and files whose bytes were already copied from another path.

    python scripts/corpus.py run FOLDER [--out RESULT.md] [--timeout 60] [--jobs 2]
        Run both commands on every spreadsheet under FOLDER (each in its own process, with a
        timeout), and report per file: exit code, the sentence on stderr, time and peak memory,
        then a summary (runs per exit code, tracebacks, panics, timeouts).
        --commands prepare   run only prepare (it reads and checks as check does)
        --libreoffice        convert every refused file with LibreOffice headless and say
                             what it made of it (no data, cannot open it, data on a sheet)
        --annotate           write both annotated copies (check --annotate, prepare --xlsx) of
                             every .xlsx/.xlsm that was read, and check each (corpus_verify.py)
        --save/--load, --save-annotated/--load-annotated   keep runs for a later --doc

The outputs of each run go to a scratch folder that is removed afterwards (the annotated copies
are kept with --keep); the files under FOLDER are never written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from itertools import zip_longest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_verify  # noqa: E402  (beside this script, not a package)

SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".xltx", ".xltm", ".xlam"}
COMMANDS = ("check", "prepare")


def extract(out: Path, git_dirs: list[Path], max_bytes: int) -> int:
    """Copy the spreadsheets of each git directory's HEAD into ``out``; return how many."""
    seen: set[str] = set()
    copied = 0
    for git_dir in git_dirs:
        repo = _repository_name(git_dir)
        listing = subprocess.run(
            ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "-l", "-z", "HEAD"],
            check=True,
            capture_output=True,
        ).stdout
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            _, kind, blob, size = meta.split()
            path = name.decode("utf-8", "replace")
            if kind != b"blob" or Path(path).suffix.lower() not in SUFFIXES:
                continue
            if not size.isdigit() or int(size) > max_bytes:  # "-" or absent from the mirror
                continue
            data = subprocess.run(
                ["git", f"--git-dir={git_dir}", "cat-file", "blob", blob.decode()],
                check=True,
                capture_output=True,
            ).stdout
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            target = out / repo / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            copied += 1
    return copied


def _repository_name(git_dir: Path) -> str:
    """Return "owner+name" for a mirror laid out as .../owner+name/repo (else the folder)."""
    return git_dir.parent.name if git_dir.name == "repo" else git_dir.name


@dataclass
class Run:
    """One command on one file."""

    file: str
    command: str
    code: int | None  # None: timed out
    sentence: str
    seconds: float
    peak_mib: float
    traceback: bool
    panic: bool
    libreoffice: str = ""  # what LibreOffice made of a refused file ("": not asked)


#: The child: runs each command on one file in-process, its stdout and stderr (descriptors 1
#: and 2, so a Rust panic's report is caught too) in a file, and prints one JSON line per command.
_CHILD = r"""
import json, os, resource, sys, tempfile, time
path, scratch, commands = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
from applinks.cli import main
for command in commands:
    out = ["-o", os.path.join(scratch, "out.csv")]
    args = [command, path] + ([] if command == "check" else out)
    with tempfile.TemporaryFile() as caught:
        sys.stdout.flush(); sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(caught.fileno(), 1); os.dup2(caught.fileno(), 2)
        started = time.perf_counter()
        try:
            main(args, prog_name="applinks")
            code = 0
        except SystemExit as leaving:
            code = leaving.code if isinstance(leaving.code, int) else 1
        except BaseException as error:
            import traceback
            traceback.print_exc()
            code = 1
        sys.stdout.flush(); sys.stderr.flush()
        seconds = time.perf_counter() - started
        os.dup2(saved[0], 1); os.dup2(saved[1], 2)
        os.close(saved[0]); os.close(saved[1])
        caught.seek(0)
        text = caught.read().decode("utf-8", "replace")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"command": command, "code": code, "text": text[-4000:],
                      "seconds": seconds, "peak": peak}), flush=True)
"""


def run_file(path: Path, timeout: float, commands: tuple[str, ...] = COMMANDS) -> list[Run]:
    """Run ``commands`` on ``path`` in one child process, outputs in a scratch folder.

    Peak memory is the child's after each command (so the second is at least the first's).
    """
    with tempfile.TemporaryDirectory(prefix="corpus-") as scratch:
        args = [sys.executable, "-c", _CHILD, str(path), scratch, ",".join(commands)]
        try:
            done = subprocess.run(
                args,
                capture_output=True,
                timeout=timeout,
                cwd=scratch,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "COLUMNS": "200"},
            )
        except subprocess.TimeoutExpired:
            return [
                Run(str(path), c, None, "timed out", timeout, 0.0, False, False) for c in commands
            ]
    runs = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        result = json.loads(line)
        runs.append(_run(path, result))
    if len(runs) < len(commands):  # the child died (a crash the runs could not catch)
        err = done.stderr.decode("utf-8", "replace")
        for command in commands[len(runs) :]:
            runs.append(
                Run(
                    str(path),
                    command,
                    done.returncode,
                    f"the process died: {err[-300:]}",
                    0.0,
                    0.0,
                    "Traceback" in err,
                    "panicked" in err,
                )
            )
    return runs


def _run(path: Path, result: dict) -> Run:
    text = result["text"]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    sentence = ""
    if result["code"] not in (0, 1):
        # The refusal is the last line on stderr (the report, if any, came before it).
        sentence = lines[-1] if lines else ""
    return Run(
        str(path),
        result["command"],
        result["code"],
        sentence[:400],
        result["seconds"],
        result["peak"],
        "Traceback (most recent call last)" in text,
        "panicked" in text or "PanicException" in text,
    )


def run_all(
    folder: Path,
    timeout: float,
    jobs: int,
    budget: float | None = None,
    commands: tuple[str, ...] = COMMANDS,
) -> tuple[list[Run], int]:
    """Run ``commands`` on every spreadsheet under ``folder``, ``jobs`` at a time.

    Files are taken from each repository in turn (the first of each, then the second...), so a
    run cut short by ``budget`` seconds covers every repository. Returns the runs and the
    number of files not started within the budget.
    """
    by_repo: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in SUFFIXES:
            by_repo.setdefault(path.relative_to(folder).parts[0], []).append(path)
    files = [p for group in zip_longest(*by_repo.values()) for p in group if p is not None]
    stop = None if budget is None else time.monotonic() + budget

    def one(path: Path) -> list[Run]:
        if stop is not None and time.monotonic() > stop:
            return []
        return run_file(path, timeout, commands)

    with ThreadPoolExecutor(jobs) as pool:
        found = list(pool.map(one, files))
    runs = [run for some in found for run in some]
    for run in runs:
        run.file = str(Path(run.file).relative_to(folder))
    return runs, sum(1 for some in found if not some)


def run_refused_again(
    folder: Path, runs: list[Run], timeout: float, jobs: int, commands: tuple[str, ...]
) -> tuple[list[Run], list[str]]:
    """Run ``commands`` again on each file some of whose ``runs`` were refused; return the runs,
    those replaced (a refused one keeps LibreOffice's verdict, the file's), and the files."""
    again = sorted({r.file for r in runs if r.code not in (0, 1)})
    verdicts = {(r.file, r.command): r.libreoffice for r in runs}
    with ThreadPoolExecutor(jobs) as pool:
        found = pool.map(lambda file: run_file(folder / file, timeout, commands), again)
        fresh = [run for some in found for run in some]
    for run in fresh:
        run.file = str(Path(run.file).relative_to(folder))
        if run.code not in (0, 1):
            run.libreoffice = verdicts.get((run.file, run.command), "")
    replaced = set(again)
    return [r for r in runs if r.file not in replaced] + fresh, again


#: Workbooks whose annotated copies are checked (the kinds ``--annotate`` writes).
ANNOTATED_SUFFIXES = {".xlsx", ".xlsm"}

#: The child of an annotation run: for each (workbook, folder) of the JSON list it is given,
#: writes the two annotated copies (``check --annotate`` and ``prepare --xlsx``) into the folder,
#: which is kept, output silenced; checks each and prints one JSON line per copy. One child
#: does many workbooks: starting Python and importing the tool costs more than the work.
_ANNOTATE_CHILD = r"""
import json, os, sys
from pathlib import Path
scratch, here, items = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
sys.path.insert(0, here)
from applinks.cli import main
from corpus_verify import annotated_problems
for path, keep in items:
    os.makedirs(keep, exist_ok=True)
    ext = ".xlsm" if path.lower().endswith(".xlsm") else ".xlsx"  # (a copy keeps its macros)
    copies = {
        "check": ["check", path, "--force", "--annotate", os.path.join(keep, "check" + ext)],
        "prepare": ["prepare", path, "-o", os.path.join(scratch, "out.csv"), "--force",
                    "--allow-errors", "--xlsx", os.path.join(keep, "prepare" + ext)],
    }
    for command, args in copies.items():
        if os.path.exists(args[-1]):  # a copy from an earlier run is not this run's
            os.remove(args[-1])
        with open(os.devnull, "w") as quiet:
            saved = os.dup(1), os.dup(2)
            os.dup2(quiet.fileno(), 1); os.dup2(quiet.fileno(), 2)
            try:
                main(args, prog_name="applinks")
                code = 0
            except SystemExit as leaving:
                code = leaving.code if isinstance(leaving.code, int) else 1
            except BaseException:
                code = -1
            sys.stdout.flush(); sys.stderr.flush()
            os.dup2(saved[0], 1); os.dup2(saved[1], 2)
            os.close(saved[0]); os.close(saved[1])
        copy = args[-1]
        written = os.path.exists(copy)
        problems = annotated_problems(Path(path), Path(copy)) if written else []
        print(json.dumps({"file": path, "command": command, "code": code,
                          "copy": copy if written else "", "problems": problems}), flush=True)
"""


@dataclass
class Annotated:
    """One annotated copy of one workbook, and what is wrong with it."""

    file: str
    command: str
    code: int | None  # None: timed out
    copy: str  # where it was kept ("" when none was written)
    problems: list[str]
    libreoffice: str = ""  # "" (not checked), "loads", or what went wrong


def annotate_files(items: list[tuple[Path, Path]], timeout: float) -> list[Annotated]:
    """Write and check the annotated copies of each (workbook, folder to keep them in).

    All in one child process, given ``timeout`` seconds a workbook; when it dies or runs out
    of time, each workbook it had not finished runs alone, so the one to blame is named.
    """
    with tempfile.TemporaryDirectory(prefix="corpus-") as scratch:
        here = str(Path(__file__).resolve().parent)
        listing = json.dumps([[str(path), str(keep)] for path, keep in items])
        args = [sys.executable, "-c", _ANNOTATE_CHILD, scratch, here, listing]
        try:
            done = subprocess.run(
                args,
                capture_output=True,
                timeout=timeout * len(items),
                cwd=scratch,
                stdin=subprocess.DEVNULL,
            )
            output, error, code = done.stdout, done.stderr, done.returncode
        except subprocess.TimeoutExpired as stopped:
            output, error, code = stopped.stdout or b"", b"timed out", None
    found = _json_lines(output.decode("utf-8", "replace"))
    out = [Annotated(r["file"], r["command"], r["code"], r["copy"], r["problems"]) for r in found]
    finished = {a.file for a in out if a.command == COMMANDS[-1]}
    out = [a for a in out if a.file in finished]
    left = [(path, keep) for path, keep in items if str(path) not in finished]
    if len(items) == 1 and left:  # this one is to blame
        why = "timed out" if code is None else f"the process died: {error.decode()[-300:]}"
        return [Annotated(str(items[0][0]), c, code, "", [why]) for c in COMMANDS]
    for item in left:
        out += annotate_files([item], timeout)
    return out


def _json_lines(text: str) -> list[dict]:
    """Return the child's result lines (a reader may print to stdout between them)."""
    out = []
    for line in text.splitlines():
        if line.startswith('{"file": '):
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
    return out


def annotate_all(
    folder: Path, files: list[Path], keep: Path, timeout: float, jobs: int, libreoffice: bool
) -> list[Annotated]:
    """Annotate each of ``files`` (under ``folder``), copies kept under ``keep``, 20 workbooks
    to a child; with ``libreoffice``, load every copy in LibreOffice too (and the original of
    any it cannot)."""
    items = [(path, keep / f"{number:05d}") for number, path in enumerate(files)]
    batches = [items[start : start + 20] for start in range(0, len(items), 20)]
    with ThreadPoolExecutor(jobs) as pool:
        found = pool.map(lambda batch: annotate_files(batch, timeout), batches)
        copies = [copy for some in found for copy in some]
    if libreoffice:
        _load_in_libreoffice(copies, keep / "libreoffice")
    for copy in copies:
        copy.file = str(Path(copy.file).relative_to(folder))
    return copies


def _load_in_libreoffice(copies: list[Annotated], out: Path) -> None:
    """Set each copy's ``libreoffice``: "loads" when LibreOffice loads it with its check sheet;
    else what it did, and whether it loads the original."""
    written = [Path(c.copy) for c in copies if c.copy]
    converted = corpus_verify.libreoffice_convert(written, out / "copies")
    failed: list[tuple[Annotated, str]] = []
    for copy in copies:
        if not copy.copy:
            continue
        result = converted[Path(copy.copy)]
        names = [n for n, _ in corpus_verify.sheet_cells(result)] if result else []
        if corpus_verify.CHECK_SHEET in names:
            copy.libreoffice = "loads"
        else:
            failed.append((copy, "cannot open the copy" if result is None else "no check sheet"))
    originals = corpus_verify.libreoffice_convert(
        sorted({Path(c.file) for c, _ in failed}), out / "originals"
    )
    for copy, what in failed:
        loads = originals[Path(copy.file)] is not None
        copy.libreoffice = f"{what} ({'loads' if loads else 'cannot open'} the original)"
        if loads:
            copy.problems.append(f"LibreOffice {what} but loads the original")


def annotated_report(copies: list[Annotated]) -> list[str]:
    """Return the summary of an annotation run and a table of every copy with a problem."""
    files = len({c.file for c in copies})
    written = [c for c in copies if c.copy]
    wrong = [c for c in copies if c.problems]
    checked = [c for c in written if c.libreoffice]
    lines = [
        f"{files:,} workbooks, {len(written):,} annotated copies written "
        f"({len(copies) - len(written):,} runs wrote none: the file was refused).",
        f"Copies with a problem: {len(wrong)}."
        + (
            f" LibreOffice loaded {sum(c.libreoffice == 'loads' for c in checked):,} of the "
            f"{len(checked):,} copies."
            if checked
            else ""
        ),
    ]
    if wrong:
        lines += ["", "| file | command | problems | LibreOffice |", "|---|---|---|---|"]
        for c in sorted(wrong, key=lambda c: (c.file, c.command)):
            told = "; ".join(c.problems).replace("|", "\\|")
            lines.append(f"| {c.file} | {c.command} | {told} | {c.libreoffice} |")
    return lines


def summary(runs: list[Run]) -> list[str]:
    """Return the summary lines: runs per command and exit code, tracebacks, panics, timeouts."""
    files = len({run.file for run in runs})
    lines = [f"{files:,} files, {len(runs):,} runs.", ""]
    lines += [
        "| command | exit 0 | exit 1 | exit 2 | other | timed out |",
        "|---|---|---|---|---|---|",
    ]
    for command in [c for c in COMMANDS if any(run.command == c for run in runs)]:
        codes = Counter(run.code for run in runs if run.command == command)
        other = sum(n for code, n in codes.items() if code not in (0, 1, 2, None))
        lines.append(
            f"| {command} | {codes[0]:,} | {codes[1]:,} | {codes[2]:,} | {other:,} "
            f"| {codes[None]:,} |"
        )
    slowest = max(runs, key=lambda run: run.seconds, default=None)
    biggest = max(runs, key=lambda run: run.peak_mib, default=None)
    lines += [
        "",
        f"Tracebacks: {sum(run.traceback for run in runs)}. "
        f"Panics: {sum(run.panic for run in runs)}.",
    ]
    if slowest is not None and biggest is not None:
        lines.append(
            f"Slowest run: {slowest.seconds:.1f} s ({slowest.command} {slowest.file}); "
            f"largest peak memory: {biggest.peak_mib:.0f} MiB ({biggest.command} {biggest.file})."
        )
    return lines


def refusals(runs: list[Run]) -> list[str]:
    """Return a table of every run that did not end with exit 0 or 1, with its sentence (and
    LibreOffice's reading of the file, when it was asked)."""
    asked = any(run.libreoffice for run in runs)
    more = (" LibreOffice |", "---|") if asked else ("", "")
    lines = [
        "| file | command | exit | seconds | MiB | sentence |" + more[0],
        "|---|---|---|---|---|---|" + more[1],
    ]
    for run in sorted(runs, key=lambda r: (r.file, r.command)):
        if run.code in (0, 1):
            continue
        sentence = run.sentence.replace("|", "\\|")
        lines.append(
            f"| {run.file} | {run.command} | {run.code} | {run.seconds:.1f} "
            f"| {run.peak_mib:.0f} | {sentence} |" + (f" {run.libreoffice} |" if asked else "")
        )
    return lines


def refusal_groups(runs: list[Run]) -> list[str]:
    """Return the refusals grouped by sentence and LibreOffice's reading (names and numbers
    left out), with a count and an example file each, the largest group first."""
    groups: dict[tuple[str, str], list[str]] = {}
    for run in runs:
        if run.code in (0, 1):
            continue
        key = (_shape(run.sentence), _shape(run.libreoffice))
        groups.setdefault(key, []).append(run.file)
    lines = ["| runs | sentence | LibreOffice | for example |", "|---|---|---|---|"]
    for (sentence, office), files in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
        lines.append(f"| {len(files)} | {sentence} | {office} | {sorted(files)[0]} |")
    return lines


def _shape(text: str) -> str:
    """Return ``text`` with quoted names as "…" and numbers as N (what groups sentences)."""
    return re.sub(r"\d[\d,.]*", "N", re.sub(r'"[^"]*"', '"…"', text)).replace("|", "\\|")


def check_refusals_in_libreoffice(folder: Path, runs: list[Run], out: Path) -> None:
    """Set ``libreoffice`` on every refused run that has none (a run loaded from an earlier one
    keeps its): what LibreOffice headless makes of its file."""
    refused = sorted({r.file for r in runs if r.code not in (0, 1) and not r.libreoffice})
    converted = corpus_verify.libreoffice_convert([folder / f for f in refused], out)
    for run in runs:
        if run.file in refused:
            run.libreoffice = corpus_verify.libreoffice_verdict(converted[folder / run.file])


def per_file(runs: list[Run]) -> list[str]:
    """Return one tab-separated line per run (file, command, exit, seconds, MiB, sentence)."""
    return [
        f"{run.file}\t{run.command}\t{run.code}\t{run.seconds:.2f}\t{run.peak_mib:.0f}"
        f"\t{run.sentence}"
        for run in sorted(runs, key=lambda r: (r.file, r.command))
    ]


#: The heading of the section of docs/bad-inputs.md this script writes (everything after it).
HEADING = "## Real-world files"

_INTRO = """\
The public test data of Apache POI, SheetJS, calamine, python-calamine and XlsxWriter (every
spreadsheet at the HEAD of each repository, files over 20 MB left out, byte-identical copies
counted once), run through `applinks {commands}` by `scripts/corpus.py`, each file in its own
process with a {timeout:.0f}-second timeout:

    python scripts/corpus.py extract CORPUS POI.git SHEETJS.git CALAMINE.git ...
    python scripts/corpus.py run CORPUS --commands {commands_option} --libreoffice --annotate \\
        --doc docs/bad-inputs.md

Exit 1 means the file was read and the check found errors in its data (these are test files,
not Cloze imports: most have no App Link columns). `prepare` reads the file and checks it as
`check` does, so a run of `prepare` alone covers both. Every refused file was also converted
by LibreOffice headless (`--libreoffice`); its column says what LibreOffice made of the file.
The files that taught something are in `tests/data/corpus/` with their tests.
"""


#: Where the run's own text starts, inside that section: what comes between HEADING and this
#: (what the runs taught, written by hand) is kept.
RUN_HEADING = "### The last run"


def write_section(doc: Path, lines: list[str]) -> None:
    """Replace the part of ``doc`` from RUN_HEADING on with ``lines``, keeping what is written
    by hand under HEADING before it (the section is added at the end when there is none)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    before, _, section = text.partition(f"\n{HEADING}")
    kept = section.split(f"\n{RUN_HEADING}", 1)[0].strip("\n")
    head = f"{before.rstrip(chr(10))}\n\n{HEADING}\n\n" + (f"{kept}\n\n" if kept else "")
    doc.write_text(f"{head}{RUN_HEADING}\n\n" + "\n".join(lines) + "\n", "utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    modes = parser.add_subparsers(dest="mode", required=True)
    pull = modes.add_parser("extract", help="copy spreadsheets out of bare git directories")
    pull.add_argument("out", type=Path)
    pull.add_argument("git_dirs", type=Path, nargs="+")
    pull.add_argument("--max-mb", type=float, default=20.0)
    go = modes.add_parser("run", help="run check and prepare on every spreadsheet of a folder")
    go.add_argument("folder", type=Path)
    go.add_argument("--out", type=Path, help="write the summary and refusals here (Markdown)")
    go.add_argument(
        "--doc", type=Path, help=f'replace the "{HEADING}" section of this Markdown page'
    )
    go.add_argument("--tsv", type=Path, help="write one line per run here")
    go.add_argument("--save", type=Path, help="write every run here (JSON)")
    go.add_argument("--load", type=Path, help="take the runs saved by --save instead of running")
    go.add_argument(
        "--again-refused",
        action="store_true",
        help="with --load: run the refused files again, and annotate those now read",
    )
    go.add_argument("--timeout", type=float, default=60.0)
    go.add_argument("--jobs", type=int, default=2)
    go.add_argument(
        "--commands",
        default=",".join(COMMANDS),
        help="comma-separated commands to run on each file (prepare alone reads and checks "
        "as check does, in half the time)",
    )
    go.add_argument(
        "--time-box", type=float, help="start no file after this many seconds (a partial run)"
    )
    go.add_argument(
        "--libreoffice", action="store_true", help="convert every refused file with LibreOffice"
    )
    go.add_argument(
        "--annotate",
        action="store_true",
        help="also write and check the annotated copies of every .xlsx/.xlsm the run read",
    )
    go.add_argument("--keep", type=Path, help="keep the annotated copies here")
    go.add_argument(
        "--libreoffice-copies",
        type=int,
        help="with --load-annotated: load at most this many copies in LibreOffice, spread "
        "over the list (a time box; every copy with a problem is checked by the others)",
    )
    go.add_argument("--save-annotated", type=Path, help="write every annotated copy's checks here")
    go.add_argument(
        "--load-annotated", type=Path, help="take the copies saved by --save-annotated (kept)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.mode == "extract":
        count = extract(args.out, args.git_dirs, int(args.max_mb * 1024 * 1024))
        print(f"Copied {count:,} spreadsheets into {args.out}.")
        return 0
    args.folder = args.folder.resolve()  # the children run in scratch folders
    commands = tuple(args.commands.split(","))
    if not set(commands) <= set(COMMANDS):
        parser.error(f"--commands takes {' and '.join(COMMANDS)}")
    with tempfile.TemporaryDirectory(prefix="corpus-keep-") as scratch:
        return _run_mode(args, commands, args.keep or Path(scratch))


def _run_mode(args: argparse.Namespace, commands: tuple[str, ...], keep: Path) -> int:
    """Run (or load) the runs, check what was asked, print the summary and write the files."""
    started = time.perf_counter()
    left = 0
    again: list[str] = []
    if args.load:
        runs = [Run(**run) for run in json.loads(args.load.read_text("utf-8"))]
        if args.again_refused:
            runs, again = run_refused_again(args.folder, runs, args.timeout, args.jobs, commands)
    else:
        runs, left = run_all(args.folder, args.timeout, args.jobs, args.time_box, commands)
    text = summary(runs)
    if not args.load:
        text.append(f"Whole run: {time.perf_counter() - started:.0f} s.")
    if left:
        text.append(
            f"Time box of {args.time_box:.0f} s: {left:,} files were not run (the files were "
            "taken from each repository in turn, so every repository is covered)."
        )
    print("\n".join(text))
    if args.libreoffice:
        check_refusals_in_libreoffice(args.folder, runs, keep / "refused")
    if args.save:
        args.save.write_text(json.dumps([asdict(run) for run in runs], indent=0), "utf-8")
    annotated: list[str] = []
    if args.annotate or args.load_annotated:
        copies = _annotated(args, runs, keep, again)
        annotated = ["", "### Annotated copies", "", *annotated_report(copies)]
        print("\n".join(annotated))
    intro = _INTRO.format(
        commands=" and ".join(commands), commands_option=",".join(commands), timeout=args.timeout
    )
    refused = ["", "### Every refusal", "", *refusals(runs)]
    grouped = ["", "### Refusals by sentence", "", *refusal_groups(runs)]
    lines = [intro, *text, *grouped, *annotated, *refused]
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.doc:
        write_section(args.doc, lines)
    if args.tsv:
        args.tsv.write_text("\n".join(per_file(runs)) + "\n", encoding="utf-8")
    return 0


def _annotated(
    args: argparse.Namespace, runs: list[Run], keep: Path, again: list[str]
) -> list[Annotated]:
    """Annotate every .xlsx/.xlsm the runs read (or load the copies of an earlier run, and load
    those not yet tried in LibreOffice); save them when asked. ``again``: the files run again
    (``--again-refused``)."""
    if args.load_annotated:
        saved = json.loads(args.load_annotated.read_text("utf-8"))
        copies = [Annotated(**copy) for copy in saved]
        if args.again_refused:
            # Annotated again: workbooks read since, or whose copies were refused (.xlsm as .xlsx).
            stale = set(again) | {c.file for c in copies if c.code == 2 and not c.copy}
            now = {r.file for r in runs if r.code in (0, 1)} & stale
            now = {f for f in now if Path(f).suffix.lower() in ANNOTATED_SUFFIXES}
            if now:
                paths = [args.folder / f for f in sorted(now)]
                copies = [c for c in copies if c.file not in now] + annotate_all(
                    args.folder, paths, keep, args.timeout, 1, False
                )
        if args.libreoffice:
            untried = [c for c in copies if c.copy and not c.libreoffice]
            if args.libreoffice_copies is not None:  # at most that many, spread out
                most = args.libreoffice_copies
                untried = untried[:: -(-len(untried) // most)] if most else []
            for copy in untried:
                copy.file = str(args.folder / copy.file)
            _load_in_libreoffice(untried, keep / "libreoffice")
            for copy in untried:
                copy.file = str(Path(copy.file).relative_to(args.folder))
    else:
        read = sorted(
            {args.folder / r.file for r in runs if r.code in (0, 1)}
            & {p for p in args.folder.rglob("*") if p.suffix.lower() in ANNOTATED_SUFFIXES}
        )
        copies = annotate_all(args.folder, read, keep, args.timeout, args.jobs, args.libreoffice)
    if args.save_annotated:
        args.save_annotated.write_text(json.dumps([asdict(c) for c in copies], indent=0), "utf-8")
    return copies


if __name__ == "__main__":
    sys.exit(main())
