"""The core and the xlwings Lite functions under Pyodide (in Node), with the CPython results.

The wheel built from this checkout is installed with micropip from a local file, then
tests/lite/in_pyodide.py runs the shared result tables (tests/udf_cases.py) there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ..udf_cases import CASES, RANGE_CASES, TEMPLATE_CASES
from .lite_modules import DESKTOP_PACKAGES
from .pyodide_env import PyodideEnv

HERE = Path(__file__).parent
TESTS = HERE.parent


@pytest.fixture(scope="module")
def results(pyodide_env: PyodideEnv, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the shared tables give under Pyodide (our wheel installed with deps=False)."""
    out = pyodide_env.run(
        HERE / "in_pyodide.py",
        {
            "/tests/udf_cases.py": TESTS / "udf_cases.py",
            "/tests/lite_modules.py": HERE / "lite_modules.py",
        },
        tmp_path_factory.mktemp("pyodide"),
        deps=False,
    )
    return json.loads(out)


def test_it_ran_under_pyodide_with_nothing_compiled(results: dict[str, Any]) -> None:
    # Only our package and publicsuffixlist on the core's import path; the file readers'
    # and the CLI's dependencies are not even installed.
    assert (results["platform"], results["absent"]) == ("emscripten", DESKTOP_PACKAGES)
    assert set(results["loaded"]) <= {"applinks", "publicsuffixlist"}


def test_every_worksheet_function_case_gives_the_cpython_result(results: dict[str, Any]) -> None:
    assert results["cases"] == {case[0]: case[4] for case in CASES}


def test_every_range_case_gives_the_windows_result(results: dict[str, Any]) -> None:
    assert results["ranges"] == {case[0]: case[3] for case in RANGE_CASES}


def test_the_templates_sheet_given_to_a_function_gives_the_windows_result(
    results: dict[str, Any],
) -> None:
    assert results["templates"] == {case[0]: case[3] for case in TEMPLATE_CASES}


def test_micropip_installs_the_wheel_with_its_dependencies_skipping_the_desktop_ones(
    pyodide_env: PyodideEnv, tmp_path: Path
) -> None:
    # What xlwings Lite does with requirements.txt: install with dependencies. The markers
    # (sys_platform != "emscripten") leave out python-calamine and the rest; publicsuffixlist
    # is already there, so nothing is fetched.
    script = tmp_path / "installed.py"
    script.write_text(
        "import json, importlib.metadata as m\n"
        "from applinks.lite.functions import APPLINK_NAME\n"
        "json.dumps([sorted(d.metadata['Name'].lower() for d in m.distributions()),"
        " APPLINK_NAME([['zillow.com'], ['salesforce.com']])])\n",
        encoding="utf-8",
    )
    names, value = json.loads(pyodide_env.run(script, {}, tmp_path, deps=True))
    assert value == [["Zillow"], ["Salesforce"]]
    assert "cloze-applinks" in names and "publicsuffixlist" in names
    desktop_only = {"python-calamine", "click", "openpyxl", "defusedxml", "olefile", "antlr4-vba"}
    assert not desktop_only & set(names)
