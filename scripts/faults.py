"""Put each fault the suite must catch into a copy of the tree, one at a time, and check that
the test named for it fails there and passes on the tree as it is.

Usage:
    python scripts/faults.py            # every fault
    python scripts/faults.py NAME ...   # only these (see --list)
    python scripts/faults.py --list     # the faults and their tests
    python scripts/faults.py --markdown # the table of docs/testing.md

Each fault is one exact text replacement in one source file. The copy lives in a temporary
folder, so the working tree is never touched, even when the run is stopped. Exit code 0 when
every fault is caught; 1 when one survives, or a test fails on the tree as it is.
``docs/testing.md`` lists the same faults ("Faults the suite must catch"); a test keeps the two
in step.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Left out of the copy: caches anywhere, and these folders of the project.
CACHES = shutil.ignore_patterns(
    "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache", ".mypy_cache", "*.egg-info"
)
LEFT_OUT = {ROOT / ".git", ROOT / ".venv", ROOT / "build", ROOT / "dist", ROOT / "bench" / "data"}


@dataclass(frozen=True)
class Fault:
    """A wrong product: ``old`` replaced by ``new`` in ``path``; each of ``tests`` must then
    fail."""

    name: str
    what: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


BLOCK_ORACLE = "tests/test_checks_blocks.py::test_block_check_equals_row_by_row_check"
RULE_TABLE = "tests/test_rules.py::test_rule_thresholds_are_the_specs"
LIBREOFFICE_TABLE = (
    "tests/test_rules_libreoffice.py::test_rule_formulas_agree_with_the_check"  # needs soffice
)

FAULTS = [
    Fault(
        "prepare-drops-fill-issues",
        "`prepare` no longer merges the fill's issues (ids Excel damaged in `--id-column`)",
        "src/applinks/operations.py",
        "    if fill is not None and fill.report.issues:\n",
        "    if False:\n",
        ("tests/test_operations.py::test_prepare_reports_the_ids_excel_damaged_in_the_id_column",),
    ),
    Fault(
        "second-half-fill-issues-dropped",
        "the second process's fill issues are dropped when the halves merge",
        "src/applinks/operations.py",
        "            self.issues + later.issues,\n",
        "            self.issues,\n",
        ("tests/test_two_workers.py::test_prepare_reports_a_damaged_id_once_per_cell",),
    ),
    Fault(
        "check-sheet-value-suggestion-swapped",
        "the check sheet's Value and Suggestion columns swapped",
        "src/applinks/check_sheet.py",
        "                issue.value,\n                issue.suggestion,\n",
        "                issue.suggestion,\n                issue.value,\n",
        ("tests/files/test_annotate.py::test_the_check_sheet_lists_each_issue_whole",),
    ),
    Fault(
        "formula-start-cr-dropped",
        "carriage return dropped from the formula-like starts (the check)",
        "src/applinks/check_list.py",
        'FORMULA_STARTS = ("=", "+", "-", "@", "\\t", "\\r")',
        'FORMULA_STARTS = ("=", "+", "-", "@", "\\t")',
        ("tests/test_checks.py::test_formula_like_values_start_as_the_spec_says", BLOCK_ORACLE),
    ),
    Fault(
        "padded-stage-accepted",
        'a padded stage ("Active ") accepted',
        "src/applinks/check_list.py",
        "        if stage.strip() and stage not in STAGES:\n",
        "        if stage.strip() and stage.strip() not in STAGES:\n",
        ("tests/test_checks.py::test_a_stage_is_one_of_the_four_exactly", BLOCK_ORACLE),
    ),
    Fault(
        "check-15-digits-moved",
        "the check's digit limit moved from 15 to 16 (16-digit numbers pass as ids)",
        "src/applinks/check_list.py",
        "EXCEL_DIGITS = 15\n",
        "EXCEL_DIGITS = 16\n",
        (
            "tests/test_checks.py::test_numbers_past_fifteen_digits_are_mangled_but_text_ids_are_not",
            BLOCK_ORACLE,
        ),
    ),
    Fault(
        "rule-15-digits-moved",
        "the rule's number limit moved from 1E+15 to 1E+16 (16-digit ids pass)",
        "src/applinks/rules.py",
        "ABS({u})>=1E+15",
        "ABS({u})>=1E+16",
        (RULE_TABLE, LIBREOFFICE_TABLE),
    ),
    Fault(
        "rule-253-characters-moved",
        "the rule's domain length limit moved from 253 to 254 characters",
        "src/applinks/rules.py",
        'f"LEN({a})>253",',
        'f"LEN({a})>254",',
        (RULE_TABLE, LIBREOFFICE_TABLE),
    ),
    Fault(
        "rule-cr-start-dropped",
        "carriage return dropped from the formula-like rule's starts",
        "src/applinks/rules.py",
        "starts = '\"=+-@\"&CHAR(9)&CHAR(13)'",
        "starts = '\"=+-@\"&CHAR(9)'",
        (RULE_TABLE, LIBREOFFICE_TABLE),
    ),
    Fault(
        "ctrl-c-leaves-temporary-file",
        "Ctrl-C leaves the temporary file when the library writes directly (no CLI sweep)",
        "src/applinks/files/atomic.py",
        "        pending.commit(path)\n    except BaseException:\n",
        "        pending.commit(path)\n    except Exception:\n",
        ("tests/files/test_interrupt.py::test_ctrl_c_in_the_library_leaves_no_temporary_file",),
    ),
    Fault(
        "ctrl-c-while-temporary-file-made",
        "Ctrl-C held while the temporary file is made leaves it behind when raised",
        "src/applinks/files/atomic.py",
        "            except BaseException:\n                self.discard()\n",
        "            except BaseException:\n",
        (
            "tests/files/test_interrupt.py::test_ctrl_c_while_the_temporary_file_is_made_leaves_nothing",
        ),
    ),
    Fault(
        "spool-kept-on-ctrl-c",
        "a CSV spool left by Ctrl-C keeps its temporary file (library use, no CLI sweep)",
        "src/applinks/files/csv_out.py",
        "        if self._pending.pending:\n            self.drop()\n",
        "        pass\n",
        ("tests/files/test_interrupt.py::test_ctrl_c_in_the_library_leaves_no_temporary_file",),
    ),
    Fault(
        "pkware-zip-called-damaged",
        'a zip encrypted with a password (PKWARE) called "damaged"',
        "src/applinks/files/guards.py",
        "        if info.flag_bits & 0x1:\n",
        "        if False:\n",
        (
            "tests/files/test_guards.py::"
            "test_a_zip_encrypted_with_a_password_is_called_protected_not_damaged",
        ),
    ),
    Fault(
        "crlf-across-chunks-counted-twice",
        "a CRLF split across the CSV reader's 4 MiB chunks counted as two line ends",
        "src/applinks/files/csv_in.py",
        '            lines -= 1  # a "\\r\\n" cut in two by the chunks\n',
        "            pass\n",
        ("tests/files/test_csv_stream.py::test_a_crlf_across_the_readers_chunks_ends_one_line",),
    ),
    Fault(
        "summary-0-error",
        'the summary says "0 error" (plural only above one)',
        "src/applinks/wording.py",
        "{noun if number == 1 else",
        "{noun if number <= 1 else",
        ("tests/test_issues.py::test_the_summary_counts_in_words",),
    ),
    Fault(
        "duplicate-rows-limit-moved",
        'the "and N more" limit of a duplicate\'s other rows moved from 10 to 9',
        "src/applinks/check_list.py",
        "_LIST_LIMIT = 10\n",
        "_LIST_LIMIT = 9\n",
        ("tests/test_checks.py::test_a_duplicate_names_ten_other_rows_then_how_many_more",),
    ),
    Fault(
        "duplicate-rows-and-0-more",
        'a duplicate with exactly ten other rows says "and 0 more"',
        "src/applinks/check_list.py",
        "if len(rows) > _LIST_LIMIT else",
        "if len(rows) >= _LIST_LIMIT else",
        ("tests/test_checks.py::test_a_duplicate_names_ten_other_rows_then_how_many_more",),
    ),
    Fault(
        "shown-issues-limit-moved",
        'the command line\'s table shows 199 issues, not 200, before "and N more"',
        "src/applinks/cli_report.py",
        "SHOWN_ISSUES = 200\n",
        "SHOWN_ISSUES = 199\n",
        ("tests/test_cli.py::test_the_table_shows_200_issues_then_how_many_more",),
    ),
    Fault(
        "unused-default-setting",
        "a built-in app with a default setting that none of its templates uses",
        "src/applinks/apps.toml",
        'deal = "https://crm.zoho.{tld}/crm/org{org_id}/tab/Potentials/{id}"\n\n[app.settings]\n',
        'deal = "https://crm.zoho.{tld}/crm/org{org_id}/tab/Potentials/{id}"\n\n[app.settings]\n'
        'region = "eu"\n',
        ("tests/test_registry.py::test_built_in_entry_is_well_formed",),
    ),
]


def copy_tree(into: Path) -> Path:
    """Copy the project into ``into`` (without version control, caches and local data)."""
    tree = into / "tree"
    shutil.copytree(ROOT, tree, ignore=_ignore)
    return tree


def _ignore(folder: str, names: list[str]) -> set[str]:
    here = Path(folder).resolve()
    return set(CACHES(folder, names)) | {n for n in names if here / n in LEFT_OUT}


def run_test(tree: Path, test: str) -> tuple[int, str]:
    """Run one test in ``tree``; return pytest's exit code and its output."""
    code, output = run_pytest(tree, [test])
    assert code is not None  # (no time limit)
    return code, output


def run_pytest(
    tree: Path,
    tests: list[str],
    *,
    timeout: float | None = None,
    env: dict[str, str | None] | None = None,
) -> tuple[int | None, str]:
    """Run ``tests`` in ``tree`` (stopping at the first failure); return pytest's exit code, or
    None when it ran past ``timeout`` seconds (it and every process it started are then
    killed), and its output. ``env`` changes this process's environment for the run (None
    removes a variable)."""
    environ = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for name, value in {"PYTHONPATH": None, **(env or {})}.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *tests]
    with subprocess.Popen(
        command,
        cwd=tree,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: a time-out ends the children too
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            return None, output
    return process.returncode, output


def failing_line(output: str) -> str:
    """Return ``path:line`` of the assertion that failed, from pytest's output."""
    found = re.findall(r"^(tests/[\w/]+\.py:\d+): \w+", output, re.MULTILINE)
    return found[-1] if found else "(no failing line found)"


def source_line(where: str) -> str:
    """Return the text at ``path:line`` (of this project), without its indent."""
    path, _, number = where.rpartition(":")
    if not number.isdigit() or not (ROOT / path).is_file():
        return ""
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    return lines[int(number) - 1].strip() if int(number) <= len(lines) else ""


def apply(tree: Path, fault: Fault) -> None:
    path = tree / fault.path
    try:
        text = replace_once(path.read_text(encoding="utf-8"), fault.old, fault.new)
    except ValueError:
        raise SystemExit(
            f"{fault.name}: the text to replace is not found once in {fault.path}"
        ) from None
    path.write_text(text, encoding="utf-8")


def replace_once(text: str, old: str, new: str) -> str:
    """Return ``text`` with ``old`` replaced by ``new``; ValueError unless ``old`` is there
    exactly once (so a change meant for one line never lands on another, or nowhere)."""
    found = text.count(old)
    if found != 1:
        raise ValueError(f"found {found} times, not once")
    return text.replace(old, new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="faults to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the faults and their tests")
    parser.add_argument(
        "--markdown", action="store_true", help="run them, then print the docs/testing.md table"
    )
    args = parser.parse_args(argv)
    unknown = set(args.names) - {f.name for f in FAULTS}
    if unknown:
        parser.error(f"unknown fault(s): {', '.join(sorted(unknown))}")
    chosen = [f for f in FAULTS if not args.names or f.name in args.names]
    if args.list:
        for fault in chosen:
            print(f"{fault.name}: {fault.what}")
            for test in fault.tests:
                print(f"    {test}")
        return 0
    found = run_faults(chosen)
    if found is None:
        return 1
    survivors = sum(not all(where for where in lines) for lines in found.values())
    print(f"{len(chosen) - survivors} of {len(chosen)} faults caught.")
    if args.markdown:
        print(markdown(chosen, found))
    return 1 if survivors else 0


def run_faults(faults: list[Fault]) -> dict[str, list[str | None]] | None:
    """Run each fault's tests with the fault in place; return, per fault, the failing line of
    each test (None where it passed), or None when a test fails on the tree as it is."""
    found: dict[str, list[str | None]] = {}
    with tempfile.TemporaryDirectory(prefix="applinks-faults-") as folder:
        tree = copy_tree(Path(folder))
        for test in sorted({test for fault in faults for test in fault.tests}):
            code, output = run_test(tree, test)
            if code != 0:
                print(f"FAILS ON THE TREE AS IT IS: {test}\n{output}")
                return None
        for fault in faults:
            original = (tree / fault.path).read_text(encoding="utf-8")
            apply(tree, fault)
            try:
                results = [run_test(tree, test) for test in fault.tests]
            finally:
                (tree / fault.path).write_text(original, encoding="utf-8")
            lines = [failing_line(output) if code == 1 else None for code, output in results]
            found[fault.name] = lines
            print(f"{'caught  ' if all(lines) else 'SURVIVED'} {fault.name}")
            for test, where in zip(fault.tests, lines, strict=True):
                print(f"    {test.split('::')[1]}: {where or 'passed'}")
    return found


def markdown(faults: list[Fault], found: dict[str, list[str | None]]) -> str:
    """Return the table of docs/testing.md: each fault, its tests and where each failed."""
    lines = ["| fault | changed in | test | fails at |", "|---|---|---|---|"]
    for fault in faults:
        for number, (test, where) in enumerate(zip(fault.tests, found[fault.name], strict=True)):
            first = f"`{fault.name}`: {fault.what} | `{fault.path}`" if not number else "  | "
            failed = (
                f"`{where}`: `{source_line(where)}`".replace("|", "\\|") if where else "SURVIVED"
            )
            lines.append(f"| {first} | `{test}` | {failed} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
