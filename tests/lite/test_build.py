"""``applinks lite build`` and the main.py it writes for xlwings Lite's editor."""

from __future__ import annotations

import asyncio
import inspect
import tomllib
import typing
from pathlib import Path
from typing import Any

import pytest

from applinks import __version__
from applinks.excel import udfs as windows
from applinks.lite import build, scripts

from ..cli_run import run_applinks
from ..load_module import load_module
from ..udf_cases import TEMPLATE_CASES, TEMPLATES_CELLS

ROOT = Path(__file__).resolve().parents[2]
PACKAGED_MAIN = ROOT / "src" / "applinks" / "lite" / "main.py"
FUNCTIONS = ["APPLINK_URL", "APPLINK_NAME", "APPLINK_CHECK", "APPLINK_APPID", "APPLINK_ID"]


def test_build_writes_main_py_and_requirements(tmp_path: Path) -> None:
    done = run_applinks("lite", "build", "--out", str(tmp_path / "lite"))

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        f"Wrote {tmp_path / 'lite' / 'main.py'}\nWrote {tmp_path / 'lite' / 'requirements.txt'}\n"
    )
    assert (tmp_path / "lite" / "main.py").read_bytes() == PACKAGED_MAIN.read_bytes()
    assert (tmp_path / "lite" / "requirements.txt").read_text(encoding="utf-8") == (
        f"xlwings==0.37.8\ncloze-applinks=={__version__}\n"
    )


def test_build_with_a_wheel_address(tmp_path: Path) -> None:
    url = "https://example.org/releases/cloze_applinks-0.1.0-py3-none-any.whl"
    done = run_applinks("lite", "build", "--out", str(tmp_path), "--wheel-url", url)
    assert done.returncode == 0
    assert (tmp_path / "requirements.txt").read_text(encoding="utf-8") == (
        f"xlwings==0.37.8\n{url}\n"
    )


def test_a_wheel_address_that_is_no_wheel_is_refused(tmp_path: Path) -> None:
    done = run_applinks("lite", "build", "--out", str(tmp_path / "x"), "--wheel-url", "C:/a.whl")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        'The wheel address "C:/a.whl" is not an https:// link to a .whl file; give the address '
        "of cloze_applinks-...-py3-none-any.whl.\n"
    )
    assert not (tmp_path / "x").exists()


def test_lite_installs_the_xlwings_the_excel_extra_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["optional-dependencies"]["excel"] == [f"xlwings=={build.XLWINGS_VERSION}"]


@pytest.fixture(scope="module")
def main_py(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The built main.py, imported as xlwings Lite imports it (xlwings' decorators)."""
    (path,) = [p for p in build.build(tmp_path_factory.mktemp("lite")) if p.name == "main.py"]
    return load_module(path, "lite_main")


def _parameters(function: Any, workbook: str) -> list[tuple[str, Any]]:
    parameters = list(inspect.signature(function).parameters.values())
    assert (parameters[-1].name, parameters[-1].default) == (workbook, None)
    return [(p.name, p.default) for p in parameters[:-1]]


def test_main_py_declares_the_windows_functions(main_py: Any) -> None:
    # Same names, same arguments and defaults; no type hints, which Lite would use to convert.
    # The last differs: how each reaches the workbook's App Link Templates sheet. The Windows
    # add-in's ``caller`` is the calling cell (a reserved argument Excel never shows); xlwings
    # Lite hands its functions no workbook, so there the sheet's cells are ``templates``.
    for name in FUNCTIONS:
        assert _parameters(getattr(main_py, name), "templates") == _parameters(
            getattr(windows, name), "caller"
        ), name
        assert getattr(main_py, name).__annotations__ == {}, name


def test_main_py_hands_arguments_over_as_the_windows_add_in_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each argument as rows, and an error cell as the text it shows (#N/A), not as an empty
    # cell: the options of every ``arg`` in main.py are the Windows add-in's. (Away from Excel
    # xlwings' ``arg`` does nothing, so the options it is given are taken down here.)
    import xlwings

    handed: dict[str, dict[str, dict[str, Any]]] = {}

    def arg(name: str, **options: Any) -> Any:
        def take_down(function: Any) -> Any:
            handed.setdefault(function.__name__, {})[name] = options
            return function

        return take_down

    monkeypatch.setattr(xlwings, "arg", arg)
    load_module(PACKAGED_MAIN, "lite_main_arguments")
    every = {
        "APPLINK_URL": ["app_id", "unique_id", "template", "templates"],
        "APPLINK_NAME": ["app_id", "templates"],
        "APPLINK_CHECK": ["app_id", "unique_id", "url", "templates"],
        "APPLINK_APPID": ["url_or_host", "templates"],
        "APPLINK_ID": ["url", "app_id", "templates"],
    }
    assert handed == {
        function: {name: windows.ARGUMENT for name in names} for function, names in every.items()
    }


@pytest.mark.parametrize(
    ("function", "args", "expected"),
    [case[1:] for case in TEMPLATE_CASES],
    ids=[case[0] for case in TEMPLATE_CASES],
)
def test_main_py_functions_read_the_templates_sheet_given(
    main_py: Any, function: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert getattr(main_py, function)(*args, templates=TEMPLATES_CELLS) == expected


def test_main_py_declares_a_script_per_action_as_xlwings_finds_them(main_py: Any) -> None:
    # xlwings Lite lists a module's functions by their names (inspect.getmembers) and hands
    # the workbook to the parameter annotated xw.Book; the help is the docstring.
    import xlwings as xw

    for name in scripts.ACTIONS:
        script = getattr(main_py, name)
        assert (script.__name__, script.__doc__) == (name, scripts.HELP[name])
        assert typing.get_type_hints(script) == {"book": xw.Book}, name
    found = {n for n, f in inspect.getmembers(main_py, inspect.iscoroutinefunction)}
    assert found == set(scripts.ACTIONS)


def test_main_py_has_a_script_per_action_that_prints_its_line(
    main_py: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def run(name: str, book: Any) -> str:
        return f"{name} on {book}"

    monkeypatch.setattr(scripts, "run", run)
    for name in scripts.ACTIONS:
        script = getattr(main_py, name)
        assert inspect.iscoroutinefunction(script), name
        asyncio.run(script("Book1"))
    assert capsys.readouterr().out == "".join(f"{n} on Book1\n" for n in scripts.ACTIONS)


def test_the_files_in_the_repository_are_what_build_writes(tmp_path: Path) -> None:
    # For people without Python: lite/requirements.txt to download, and the packaged main.py
    # itself (one copy, linked from the README), each what build writes.
    written = {path.name: path.read_bytes() for path in build.build(tmp_path)}
    assert written == {
        "main.py": PACKAGED_MAIN.read_bytes(),
        "requirements.txt": (ROOT / "lite" / "requirements.txt").read_bytes(),
    }
