"""A run says what it could not test here: LibreOffice tests are skipped loudly where soffice is
missing and fail where LibreOffice is required (CI); the live-Excel test is named."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: One test of each kind: LibreOffice's, and the live Excel one.
SELECTED = ["tests/test_rules_libreoffice.py", "tests/ribbon_actions/test_live_excel.py"]
LO_TEST = "tests/test_rules_libreoffice.py::test_rule_formulas_agree_with_the_check"
EXCEL_TEST = "tests/ribbon_actions/test_live_excel.py::test_every_ribbon_action_in_excel"
NO_OFFICE = "soffice not found; install LibreOffice (bash scripts/test.sh does)"
NAMED_EXCEL = (
    f"SKIPPED live-Excel test {EXCEL_TEST}: needs a live Microsoft Excel (Windows or macOS)."
)


def _pytest_without_soffice(tmp_path: Path, **variables: str) -> tuple[int, list[str]]:
    """Run pytest on :data:`SELECTED` with a PATH where no soffice is; return its exit code and
    its output's lines."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "APPLINKS_REQUIRE_LIBREOFFICE")}
    env.update(PATH=str(tmp_path), **variables)  # an empty folder: no program is found
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SELECTED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout.splitlines()


def test_a_plain_run_skips_libreoffice_tests_and_says_so_at_the_end(tmp_path: Path) -> None:
    code, lines = _pytest_without_soffice(tmp_path)
    assert code == 0
    summary = lines.index(next(line for line in lines if "tests not run here" in line))
    assert lines[summary + 1 : summary + 3] == [
        f"SKIPPED 1 LibreOffice test: {NO_OFFICE}; APPLINKS_REQUIRE_LIBREOFFICE=1 makes them "
        "fail instead.",
        NAMED_EXCEL,
    ]
    assert lines[-1].startswith("2 skipped")


@pytest.mark.parametrize(
    ("variable", "value", "why"),
    [
        ("CI", "true", "CI is set"),
        ("APPLINKS_REQUIRE_LIBREOFFICE", "1", "APPLINKS_REQUIRE_LIBREOFFICE=1"),
    ],
)
def test_where_libreoffice_is_required_its_tests_fail_without_it(
    tmp_path: Path, variable: str, value: str, why: str
) -> None:
    code, lines = _pytest_without_soffice(tmp_path, **{variable: value})
    assert code == 1
    assert f"LibreOffice is required here ({why}) but {NO_OFFICE}." in lines
    assert any(line.startswith(f"FAILED {LO_TEST}") for line in lines)
    assert NAMED_EXCEL in lines
    assert lines[-1].startswith("1 failed, 1 skipped")
