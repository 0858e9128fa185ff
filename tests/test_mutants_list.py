"""Keep the mutation run's list valid as the code changes (the run itself is not part of CI).

Each mutant of ``scripts/mutants.toml`` must change exactly one place of today's tree, so the
list cannot rot silently: a mutant whose text moved or went away fails here, not in a run
before a release. docs/testing.md lists exactly the mutants marked as surviving.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

from tests.load_module import load_script

ROOT = Path(__file__).parent.parent

#: The modules the mutants must be spread over (every part the run covers).
COVERED = {
    "checks.py",
    "seen.py",
    "check_list.py",
    "id_checks.py",
    "record_ids.py",
    "fill_rows.py",
    "header_checks.py",
    "headers.py",
    "shape.py",
    "numfmt.py",
    "shown.py",
    "domains.py",
    "templates.py",
    "registry.py",
    "operations.py",
    "passes.py",
    "issues.py",
    "wording.py",
    "table.py",
    "files/csv_in.py",
    "files/read.py",
    "files/xlsx_halves.py",
    "files/csv_out.py",
    "files/xlsx_in.py",
    "files/as_shown.py",
    "files/xlsx_cells.py",
    "files/xlsx_cell_scan.py",
    "files/xls_cells.py",
    "files/ods_cells.py",
    "files/guards.py",
    "files/decrypt.py",
    "files/xls_old.py",
    "files/xlsb_cells.py",
    "files/repack.py",
    "files/zip_read.py",
    "files/atomic.py",
    "files/xlsx_annotate.py",
    "files/xlsx_package.py",
    "files/xlsx_plan.py",
    "files/xlsx_styles.py",
    "files/xlsx_sheet_edit.py",
    "check_sheet.py",
    "rules.py",
    "workers.py",
    "udf_ranges.py",
    "lite/scripts.py",
    "lite/csv_sheet.py",
    "rows.py",
}


def _script() -> ModuleType:
    return load_script("mutants")


def test_every_mutant_changes_one_place_of_the_tree() -> None:
    script = _script()
    mutants = script.load_mutants()
    assert script.problems(mutants) == []
    assert len(mutants) >= 110


def test_the_mutants_cover_every_part_of_the_code() -> None:
    mutants = _script().load_mutants()
    assert {m.file for m in mutants} == COVERED
    merges = [m for m in mutants if m.name.startswith("merge-")]
    assert {m.file for m in merges} == {"checks.py", "seen.py", "passes.py"} and len(merges) >= 5


def test_a_list_that_does_not_fit_the_tree_is_refused(tmp_path: Path) -> None:
    script = _script()
    (tmp_path / "src" / "applinks").mkdir(parents=True)
    (tmp_path / "src" / "applinks" / "limits.py").write_text("LOW = 1\nHIGH = 1\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_limits.py").write_text("")
    tests = ("tests/test_limits.py",)

    def mutant(name: str, old: str, new: str, *more: str) -> object:
        return script.Mutant(name, "limits.py", "constant", old, new, tests + more)

    assert script.problems([mutant("fine", "LOW = 1", "LOW = 2")], tmp_path) == []
    wrong = [
        mutant("twice", "= 1", "= 2"),
        mutant("gone", "MIDDLE = 1", "MIDDLE = 2"),
        mutant("same", "LOW = 1", "LOW = 1"),
        mutant("broken", "LOW = 1", "LOW = (", "tests/test_gone.py"),
        mutant("same", "HIGH = 1", "HIGH = 0"),
    ]
    assert script.problems(wrong, tmp_path) == [
        "same: named 2 times",
        "twice: the text to change is found 2 times, not once in src/applinks/limits.py",
        "gone: the text to change is found 0 times, not once in src/applinks/limits.py",
        "same: the change changes nothing",
        "broken: the changed src/applinks/limits.py does not compile "
        "('(' was never closed, line 1)",
        "broken: no test file tests/test_gone.py",
    ]


def test_testing_doc_lists_the_mutants_marked_as_surviving() -> None:
    mutants = _script().load_mutants()
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    section = text.split("## Mutation run", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([a-z0-9-]+)` \| .* \| .* \|$", section, flags=re.M)
    assert listed == [m.name for m in mutants if m.survives]
    assert "NOT EXPLAINED" not in section
