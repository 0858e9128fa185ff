"""Put each mutant of scripts/mutants.toml (a small change to one place of src/applinks/) into a
copy of the tree, one at a time, and run the tests of its module there: the tests must notice.

Usage:
    python scripts/mutants.py                 # every mutant (results kept, see --results)
    python scripts/mutants.py --jobs 2        # in two copies of the tree at once
    python scripts/mutants.py --only NAME     # run these again (repeat --only for more)
    python scripts/mutants.py --list          # the mutants and the tests each one runs
    python scripts/mutants.py --markdown      # then print the tables of docs/testing.md

A mutant is killed when one of its tests fails (``-x``: the run stops there), survives when they
all pass, and times out when they run past ``--timeout`` (a hang is noticed too: it counts as
killed). Before the mutants, each set of tests must pass on the tree as it is. The copies live
in temporary folders, so the working tree is never touched, even when the run is stopped.

Results are kept in a JSON file (``--results``), one entry per mutant with a key of what was run
(the mutant and its tests): a run stopped midway goes on where it stopped, and a mutant whose
text or tests changed runs again. ``--only`` runs the named mutants whatever is kept.

LibreOffice tests run (``CI`` is removed from the tests' environment and
``APPLINKS_REQUIRE_LIBREOFFICE=1`` is set, so a missing ``soffice`` fails the tree as it is
rather than letting rule mutants pass). Hypothesis runs with a fixed seed and no database, so
a verdict does not depend on earlier runs.

Exit code 0 when every mutant is killed or listed as surviving (``survives`` in the list, with
the reason); 1 when another survives, or a test fails on the tree as it is.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:  # faults.py is beside this file
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from faults import ROOT, copy_tree, failing_line, replace_once, run_pytest  # noqa: E402

LIST = ROOT / "scripts" / "mutants.toml"
SOURCE = "src/applinks"
RESULTS = Path(tempfile.gettempdir()) / "applinks-mutants.json"
#: The environment of the tests (see the module doc).
TEST_ENV: dict[str, str | None] = {"APPLINKS_REQUIRE_LIBREOFFICE": "1", "CI": None}
HYPOTHESIS = ["--hypothesis-seed=0"]

_CORE = "tests/test_checks.py"
_TWO = "tests/test_two_workers.py"
#: The tests of the checks (checks.py and the list of checks they run).
_CHECKS = (
    _CORE,
    "tests/test_checks_blocks.py",
    "tests/files/test_header_row.py",
    "tests/test_blocks.py",
    "tests/test_streaming.py",
    "tests/test_operations.py",
    "tests/test_cli.py",
)
#: The tests run for a mutant of each module, fastest and closest first (the run stops at the
#: first failure). Tests of the whole program (the CLI, two processes) come last.
TESTS_OF: dict[str, tuple[str, ...]] = {
    "checks.py": _CHECKS,
    "seen.py": (
        _CORE,
        "tests/test_checks_blocks.py",
        "tests/test_blocks.py",
        "tests/test_two_workers.py",
    ),
    "check_list.py": _CHECKS,
    "id_checks.py": (
        "tests/test_id_checks.py",
        _CORE,
        "tests/test_checks_blocks.py",
        "tests/test_udfs.py",
        "tests/test_two_workers.py",
    ),
    "record_ids.py": (
        "tests/test_id_checks.py",
        "tests/test_checks_blocks.py",
    ),
    "header_checks.py": (
        "tests/test_shape.py",
        _CORE,
        "tests/files/test_header_row.py",
        "tests/test_cli_headers.py",
        "tests/test_checks_blocks.py",
    ),
    "headers.py": (
        "tests/test_headers.py",
        "tests/test_cli_headers.py",
        _CORE,
        "tests/test_rules.py",
        "tests/test_shape.py",
        "tests/files/test_header_row.py",
        "tests/test_checks_blocks.py",
    ),
    "shape.py": (
        "tests/test_shape.py",
        "tests/files/test_header_row.py",
        "tests/files/test_read.py",
        "tests/files/test_csv_stream.py",
        "tests/test_values.py",
    ),
    "numfmt.py": (
        "tests/test_numfmt.py",
        "tests/test_values.py",
        "tests/files/test_ods_formats.py",
        "tests/files/test_old_formats.py",
        "tests/test_values_oracle.py",
    ),
    "shown.py": (
        "tests/test_shown.py",
        "tests/test_values.py",
        "tests/test_numfmt.py",
        "tests/files/test_xlsx_cells.py",
        "tests/files/test_old_formats.py",
        "tests/test_values_oracle.py",
    ),
    "table.py": (
        "tests/test_table.py",
        _CORE,
        "tests/test_values.py",
        "tests/files/test_csv_roundtrip.py",
        "tests/test_operations.py",
    ),
    "domains.py": (
        "tests/test_domains.py",
        "tests/test_apps_links.py",
        _CORE,
        "tests/test_registry.py",
        "tests/test_from_url.py",
        "tests/test_udfs.py",
        "tests/test_checks_blocks.py",
    ),
    "templates.py": (
        "tests/test_templates.py",
        "tests/test_registry.py",
        "tests/test_from_url.py",
        "tests/test_operations.py",
        "tests/test_udfs.py",
    ),
    "registry.py": (
        "tests/test_registry.py",
        "tests/test_apps_links.py",
        "tests/test_templates.py",
        "tests/test_from_url.py",
        "tests/test_operations.py",
        "tests/test_udfs.py",
        _CORE,
    ),
    "operations.py": (
        "tests/test_operations.py",
        "tests/test_fill_apps.py",
        "tests/test_from_url.py",
        "tests/test_blocks.py",
        "tests/test_streaming.py",
        "tests/test_cli.py",
        _TWO,
    ),
    "fill_rows.py": (
        "tests/test_fill_apps.py",
        "tests/test_operations.py",
        "tests/test_cli.py",
        "tests/ribbon_actions/test_actions.py",
    ),
    "issues.py": ("tests/test_issues.py", _CORE, "tests/test_docs.py", "tests/test_cli.py"),
    "wording.py": ("tests/test_wording.py", "tests/test_issues.py", "tests/test_cli.py"),
    "rules.py": (
        "tests/test_rules.py",
        "tests/test_rules_libreoffice.py",
        "tests/files/test_annotate.py",
    ),
    "passes.py": (_TWO, "tests/test_streaming.py", "tests/test_cli.py"),
    "workers.py": ("tests/test_hand_over.py", _TWO, "tests/files/test_interrupt.py"),
    "rows.py": (
        "tests/test_blocks.py",
        "tests/test_streaming.py",
        "tests/files/test_csv_stream.py",
        "tests/test_operations.py",
        _TWO,
    ),
    "files/csv_in.py": (
        "tests/files/test_csv_stream.py",
        "tests/files/test_csv_roundtrip.py",
        "tests/files/test_read.py",
        "tests/files/test_header_row.py",
        _TWO,
        "tests/files/test_bad_inputs.py",
    ),
    "files/csv_out.py": (
        "tests/files/test_csv_roundtrip.py",
        "tests/files/test_csv_stream.py",
        "tests/test_blocks.py",
        "tests/test_streaming.py",
        "tests/test_values.py",
        "tests/files/test_interrupt.py",
        "tests/test_cli.py",
    ),
    "files/xlsx_in.py": (
        "tests/test_values.py",
        "tests/files/test_read.py",
        "tests/files/test_guards.py",
        "tests/test_blocks.py",
        "tests/files/test_header_row.py",
        "tests/test_streaming.py",
        "tests/test_from_url.py",
        "tests/files/test_old_formats.py",
    ),
    "files/as_shown.py": (
        "tests/test_values.py",
        "tests/files/test_xlsx_cells.py",
        "tests/test_from_url.py",
        "tests/files/test_old_formats.py",
        "tests/test_values_oracle.py",
    ),
    "files/xlsx_cells.py": (
        "tests/files/test_xlsx_cells.py",
        "tests/files/test_xlsx_cell_scan.py",
        "tests/test_values.py",
        "tests/test_from_url.py",
    ),
    "files/xlsx_cell_scan.py": (
        "tests/files/test_xlsx_cell_scan.py",
        "tests/files/test_xlsx_cells.py",
        "tests/test_values.py",
    ),
    "files/xls_cells.py": ("tests/files/test_xls_cells.py", "tests/files/test_old_formats.py"),
    "files/ods_cells.py": (
        "tests/files/test_ods_cells.py",
        "tests/files/test_ods_formats.py",
        "tests/files/test_old_formats.py",
    ),
    "files/zip_read.py": ("tests/files/test_zip_read.py", "tests/files/test_guards.py"),
    "files/xlsx_halves.py": ("tests/files/test_xlsx_halves.py", "tests/files/test_halves.py"),
    "files/guards.py": (
        "tests/files/test_guards.py",
        "tests/test_hand_over.py",
        "tests/files/test_bad_inputs.py",
    ),
    "files/atomic.py": (
        "tests/files/test_interrupt.py",
        "tests/files/test_csv_roundtrip.py",
        "tests/test_cli.py",
    ),
    "files/xlsx_annotate.py": (
        "tests/files/test_annotate_fast.py",
        "tests/files/test_annotate.py",
        "tests/files/test_annotate_render.py",
    ),
    "files/xlsx_plan.py": (
        "tests/files/test_annotate_fast.py",
        "tests/files/test_annotate.py",
        "tests/files/test_annotate_render.py",
    ),
    "files/xlsx_sheet_edit.py": (
        "tests/files/test_annotate_fast.py",
        "tests/files/test_annotate.py",
        "tests/files/test_annotate_render.py",
    ),
    "files/xlsx_package.py": (
        "tests/files/test_annotate_wellformed.py",
        "tests/files/test_annotate.py",
        "tests/files/test_annotate_fast.py",
    ),
    "files/xlsx_styles.py": (
        "tests/files/test_annotate_wellformed.py",
        "tests/files/test_annotate.py",
        "tests/files/test_annotate_fast.py",
    ),
    "check_sheet.py": (
        "tests/test_check_sheet.py",
        "tests/files/test_annotate.py",
        "tests/ribbon_actions/test_actions.py",
    ),
}


@dataclass(frozen=True)
class Mutant:
    """``old`` replaced by ``new`` in ``src/applinks/<file>``; one of ``tests`` must then fail.
    ``survives``: why the tests cannot (or need not) notice it, when they do not."""

    name: str
    file: str
    op: str
    old: str
    new: str
    tests: tuple[str, ...]
    survives: str = ""

    @property
    def path(self) -> str:
        return f"{SOURCE}/{self.file}"

    def key(self) -> str:
        """Return a digest of what a run of this mutant depends on (not the tests' text)."""
        what = json.dumps([self.file, self.old, self.new, list(self.tests)])
        return hashlib.sha256(what.encode()).hexdigest()[:16]


def load_mutants(path: Path = LIST) -> list[Mutant]:
    """Return the mutants of the list, in its order."""
    out = []
    for entry in tomllib.loads(path.read_text(encoding="utf-8"))["mutant"]:
        tests = tuple(entry.get("tests") or TESTS_OF[entry["file"]])
        fields = {k: v for k, v in entry.items() if k != "tests"}
        out.append(Mutant(**fields, tests=tests))
    return out


def problems(mutants: list[Mutant], root: Path = ROOT) -> list[str]:
    """Return what is wrong with the list for the tree at ``root`` (empty when it is valid):
    a name given twice, a change that changes nothing, a text not found exactly once, a
    changed module that does not compile, a test file that does not exist."""
    out = [f"{name}: named {count} times" for name, count in _counts(mutants) if count > 1]
    for mutant in mutants:
        text = (root / mutant.path).read_text(encoding="utf-8")
        if mutant.old == mutant.new:
            out.append(f"{mutant.name}: the change changes nothing")
        try:
            compile(replace_once(text, mutant.old, mutant.new), mutant.path, "exec")
        except ValueError as error:
            out.append(f"{mutant.name}: the text to change is {error} in {mutant.path}")
        except SyntaxError as error:
            out.append(
                f"{mutant.name}: the changed {mutant.path} does not compile "
                f"({error.msg}, line {error.lineno})"
            )
        out += [f"{mutant.name}: no test file {t}" for t in mutant.tests if not (root / t).exists()]
    return out


def _counts(mutants: list[Mutant]) -> list[tuple[str, int]]:
    return list(Counter(m.name for m in mutants).items())


@dataclass(frozen=True)
class Verdict:
    """What the tests made of a mutant: ``killed``, ``survived`` or ``timeout``; the test that
    failed and the line where, and how long the run took."""

    status: str
    seconds: float
    test: str = ""
    where: str = ""


def run_mutant(tree: Path, mutant: Mutant, timeout: float) -> Verdict:
    """Run the mutant's tests in ``tree`` with the mutant in place; put the file back after."""
    path = tree / mutant.path
    original = path.read_text(encoding="utf-8")
    path.write_text(replace_once(original, mutant.old, mutant.new), encoding="utf-8")
    try:
        return _verdict(*_timed_run(tree, list(mutant.tests), timeout))
    finally:
        path.write_text(original, encoding="utf-8")


def _timed_run(tree: Path, tests: list[str], timeout: float) -> tuple[int | None, str, float]:
    shutil.rmtree(tree / ".hypothesis", ignore_errors=True)  # no examples from earlier runs
    start = time.monotonic()
    code, output = run_pytest(tree, [*HYPOTHESIS, *tests], timeout=timeout, env=TEST_ENV)
    return code, output, time.monotonic() - start


def _verdict(code: int | None, output: str, seconds: float) -> Verdict:
    if code is None:
        return Verdict("timeout", seconds)
    if code == 0:
        return Verdict("survived", seconds)
    if code not in (1, 2):  # 1: a test failed; 2: collection failed (the module broke)
        raise RuntimeError(f"pytest ended with exit code {code}:\n{output}")
    failed = re.search(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", output, re.MULTILINE)
    test = failed.group(1) if failed else ""
    return Verdict("killed", seconds, test, failing_line(output) if code == 1 else "")


class Results:
    """The verdicts kept in a JSON file, written again after each mutant (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.kept: dict[str, dict[str, object]] = (
            json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        )

    def get(self, mutant: Mutant) -> Verdict | None:
        entry = self.kept.get(mutant.name)
        if entry is None or entry.get("key") != mutant.key():
            return None
        return Verdict(**{k: v for k, v in entry.items() if k != "key"})  # type: ignore[arg-type]

    def put(self, mutant: Mutant, verdict: Verdict) -> None:
        with self._lock:
            self.kept[mutant.name] = {"key": mutant.key(), **verdict.__dict__}
            self.path.write_text(json.dumps(self.kept, indent=1, sort_keys=True), encoding="utf-8")


def run_all(mutants: list[Mutant], results: Results, *, jobs: int, timeout: float) -> bool:
    """Run ``mutants`` in ``jobs`` copies of the tree; False when a test fails on the tree as it
    is (then no mutant is run)."""
    with ExitStack() as stack:
        trees: queue.Queue[Path] = queue.Queue()
        for _ in range(jobs):
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="applinks-mutants-"))
            trees.put(copy_tree(Path(folder)))
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            sets = sorted({m.tests for m in mutants})
            baseline = pool.map(lambda t: _with_tree(trees, _timed_run, list(t), timeout), sets)
            for tests, (code, output, seconds) in zip(sets, baseline, strict=True):
                print(f"tree as it is, {len(tests)} test files: exit {code} ({seconds:.0f} s)")
                if code != 0:
                    print(f"FAILS ON THE TREE AS IT IS: {' '.join(tests)}\n{output}")
                    return False
            done = pool.map(lambda m: (m, _with_tree(trees, run_mutant, m, timeout)), mutants)
            for number, (mutant, verdict) in enumerate(done, start=1):
                results.put(mutant, verdict)
                where = f" {verdict.test}" if verdict.test else ""
                print(
                    f"[{number}/{len(mutants)}] {verdict.status:8} {mutant.name}"
                    f" ({verdict.seconds:.0f} s){where}",
                    flush=True,
                )
    return True


def _with_tree(trees: queue.Queue[Path], work, *args):  # type: ignore[no-untyped-def]
    """Call ``work(tree, *args)`` with a tree of the pool's, given back after."""
    tree = trees.get()
    try:
        return work(tree, *args)
    finally:
        trees.put(tree)


def score(mutants: list[Mutant], results: Results) -> tuple[int, int, list[Mutant]]:
    """Return (killed, total, survivors) over the mutants with a verdict; a time-out counts as
    killed."""
    verdicts = [(m, results.get(m)) for m in mutants]
    known = [(m, v) for m, v in verdicts if v is not None]
    killed = sum(v.status in ("killed", "timeout") for _, v in known)
    return killed, len(known), [m for m, v in known if v.status == "survived"]


def markdown(mutants: list[Mutant], results: Results) -> str:
    """Return the tables of docs/testing.md: the mutants by part of the code and by kind of
    change, then the survivors with the reason each survives."""
    lines = ["| part | mutants | killed |", "|---|---|---|"]
    for part, chosen in _parts(mutants):
        killed, total, _ = score(chosen, results)
        lines.append(f"| {part} | {total} | {killed} |")
    lines += ["", "| kind of change | mutants | killed |", "|---|---|---|"]
    for op, what in OPS.items():
        killed, total, _ = score([m for m in mutants if m.op == op], results)
        lines.append(f"| {what} | {total} | {killed} |")
    lines += ["", "| mutant | change | why it survives |", "|---|---|---|"]
    for mutant in score(mutants, results)[2]:
        change = f"`{mutant.file}`: `{mutant.old.strip()}` → `{mutant.new.strip()}`"
        reason = mutant.survives or "NOT EXPLAINED"
        lines.append(f"| `{mutant.name}` | {_cell(change)} | {_cell(reason)} |")
    return "\n".join(lines)


#: The kinds of change (``op`` in the list).
OPS = {
    "compare": "a comparison flipped or moved by one at a boundary",
    "bool": "`and`/`or` swapped, a condition dropped or made constant",
    "not": "a `not` dropped",
    "constant": "a constant or an index changed",
    "string": "a string changed (a rule formula, a pattern, a message)",
    "statement": "a statement dropped or replaced (a `continue`, an append, a merge line)",
    "return": "a different value returned",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _parts(mutants: list[Mutant]) -> Iterator[tuple[str, list[Mutant]]]:
    """Yield each part of the code with its mutants (the merge of two halves, in checks.py,
    is part of the two-process code)."""

    def two(m: Mutant) -> bool:
        return m.file in ("workers.py", "rows.py", "passes.py") or m.name.startswith("merge-")

    def files(chosen: list[Mutant]) -> str:
        return ", ".join(f"`{f}`" for f in dict.fromkeys(m.file for m in chosen))

    parts = {
        "the core": [m for m in mutants if "/" not in m.file and m.file != "rules.py"],
        "the file readers and writers": [m for m in mutants if m.file.startswith("files/")],
        "the rules": [m for m in mutants if m.file == "rules.py"],
    }
    parts = {part: [m for m in chosen if not two(m)] for part, chosen in parts.items()}
    for part, chosen in parts.items():
        yield f"{part}: {files(chosen)}", chosen
    chosen = [m for m in mutants if two(m)]
    yield f"the two-process code: {files(chosen)} (the merge of two halves)", chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the mutants and their tests")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run these")
    parser.add_argument("--jobs", type=int, default=1, help="copies of the tree run at once")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per mutant")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the verdicts kept")
    parser.add_argument("--markdown", action="store_true", help="print the docs' tables")
    args = parser.parse_args(argv)
    mutants = load_mutants()
    wrong = problems(mutants)
    if wrong:
        print("\n".join(["The mutant list does not fit the tree:", *wrong]))
        return 1
    unknown = set(args.only) - {m.name for m in mutants}
    if unknown:
        parser.error(f"unknown mutant(s): {', '.join(sorted(unknown))}")
    if args.list:
        for mutant in mutants:
            print(f"{mutant.name} ({mutant.op}, {mutant.path}): {' '.join(mutant.tests)}")
        return 0
    results = Results(args.results)
    chosen = [m for m in mutants if m.name in args.only or not args.only and not results.get(m)]
    start = time.monotonic()
    if chosen and not run_all(chosen, results, jobs=max(1, args.jobs), timeout=args.timeout):
        return 1
    killed, total, survivors = score(mutants, results)
    took = time.monotonic() - start
    print(f"{killed} of {total} mutants killed ({len(chosen)} run now, in {took:.0f} s).")
    for mutant in survivors:
        listed = f" (listed: {' '.join(mutant.survives.split())})" if mutant.survives else ""
        print(f"SURVIVED {mutant.name}{listed}")
    stale = [m for m in mutants if m.survives and (v := results.get(m)) and v.status != "survived"]
    for mutant in stale:
        print(f"KILLED, BUT LISTED AS SURVIVING: {mutant.name} (remove its survives=)")
    if args.markdown:
        print(markdown(mutants, results))
    return 1 if stale or any(not m.survives for m in survivors) else 0


if __name__ == "__main__":
    sys.exit(main())
