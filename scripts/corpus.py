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

The outputs of each run go to a scratch folder that is removed afterwards; the files under
FOLDER are never written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from itertools import zip_longest
from pathlib import Path

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
    """Return a table of every run that did not end with exit 0 or 1, with its sentence."""
    lines = ["| file | command | exit | seconds | MiB | sentence |", "|---|---|---|---|---|---|"]
    for run in sorted(runs, key=lambda r: (r.file, r.command)):
        if run.code in (0, 1):
            continue
        sentence = run.sentence.replace("|", "\\|")
        lines.append(
            f"| {run.file} | {run.command} | {run.code} | {run.seconds:.1f} "
            f"| {run.peak_mib:.0f} | {sentence} |"
        )
    return lines


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
counted once), run through `applinks check` and `applinks prepare` by `scripts/corpus.py`, each
file in its own process with a 60-second timeout:

    python scripts/corpus.py extract CORPUS POI.git SHEETJS.git CALAMINE.git ...
    python scripts/corpus.py run CORPUS --doc docs/bad-inputs.md

Exit 1 means the file was read and the check found errors in its data (these are test files,
not Cloze imports: most have no App Link columns). Every refusal is listed below with its
sentence; the files that taught something are in `tests/data/corpus/` with their tests.
"""


def write_section(doc: Path, lines: list[str]) -> None:
    """Replace the part of ``doc`` from HEADING on with ``lines`` (or add it at the end)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    before = text.split(f"\n{HEADING}", 1)[0].rstrip("\n")
    doc.write_text(f"{before}\n\n{HEADING}\n\n{_INTRO}\n" + "\n".join(lines) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
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
    go.add_argument("--save", type=Path, help="write every run here (JSON), for a later --doc")
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
    args = parser.parse_args(argv)
    if args.mode == "extract":
        count = extract(args.out, args.git_dirs, int(args.max_mb * 1024 * 1024))
        print(f"Copied {count:,} spreadsheets into {args.out}.")
        return 0
    started = time.perf_counter()
    commands = tuple(args.commands.split(","))
    if not set(commands) <= set(COMMANDS):
        parser.error(f"--commands takes {' and '.join(COMMANDS)}")
    runs, left = run_all(args.folder, args.timeout, args.jobs, args.time_box, commands)
    text = summary(runs)
    text.append(f"Whole run: {time.perf_counter() - started:.0f} s.")
    if left:
        text.append(
            f"Time box of {args.time_box:.0f} s: {left:,} files were not run (the files were "
            "taken from each repository in turn, so every repository is covered)."
        )
    print("\n".join(text))
    if args.out:
        args.out.write_text("\n".join([*text, "", *refusals(runs), ""]), encoding="utf-8")
    if args.doc:
        write_section(args.doc, [*text, "", *refusals(runs)])
    if args.save:
        args.save.write_text(json.dumps([asdict(run) for run in runs], indent=0), "utf-8")
    if args.tsv:
        args.tsv.write_text("\n".join(per_file(runs)) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
