"""Dependencies point one way: the core (every module not under ``files/``, ``excel/`` or
``lite/`` and not ``cli*``) knows nothing of files' formats, Excel or the command line."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "applinks"
#: The libraries of the edges: the command line, Excel, and the workbook readers and writers.
EDGE_LIBRARIES = ("click", "xlwings", "openpyxl", "python_calamine")
#: The edges: file readers and writers, the Excel add-in, its xlwings Lite edition, the CLI.
EDGES = ("applinks.files", "applinks.excel", "applinks.lite", "applinks.cli")


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_edge(name: str) -> bool:
    return any(name == edge or name.startswith(edge + ".") for edge in EDGES) or name.startswith(
        "applinks.cli"
    )


def core_modules() -> list[str]:
    """Return every core module's name. ``__main__`` modules are entry points that run (the
    command line's, the example builder's), not library code, so they are left out."""
    return sorted(
        name
        for path in PACKAGE.rglob("*.py")
        if path.name != "__main__.py" and not _is_edge(name := _module(path))
    )


def test_the_core_is_what_the_layering_says() -> None:
    core = core_modules()
    assert {"applinks", "applinks.checks", "applinks.operations", "applinks.table"} <= set(core)
    assert {"applinks.shown", "applinks.numfmt", "applinks.registry", "applinks.udfs"} <= set(core)
    assert not [name for name in core if _is_edge(name)]
    assert "applinks.files.read" not in core and "applinks.cli_report" not in core


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    """Return every module ``path`` imports (at the top or inside a function), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package
                package = module.split(".")
                keep = len(package) - node.level + (1 if path.name == "__init__.py" else 0)
                base = ".".join([*package[:keep], *([base] if base else [])])
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def test_core_modules_import_nothing_from_the_edges() -> None:
    """Read every core module's imports (even those inside functions): none reaches an edge
    module or an edge's library."""
    wrong = []
    for name in core_modules():
        path = SRC.joinpath(*name.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        for line, imported in _imports(path, name):
            top = imported.split(".")[0]
            if _is_edge(imported) or top in EDGE_LIBRARIES:
                wrong.append(f"{name}:{line} imports {imported}")
    assert wrong == []


BLOCKED_IMPORT = textwrap.dedent(
    """
    import importlib
    import sys

    BLOCKED = {blocked!r}


    class Blocked:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{{name}} is blocked: the core must not need it")
            return None


    sys.meta_path.insert(0, Blocked())
    for name in {modules!r}:
        importlib.import_module(name)
    loaded = sorted(n for n in sys.modules if n.split(".")[0] in BLOCKED)
    edges = sorted(n for n in sys.modules if n.startswith({edges!r}))
    print(len({modules!r}), loaded, edges)
    """
)


@pytest.mark.parametrize("blocked", [EDGE_LIBRARIES], ids=["click-xlwings-openpyxl-calamine"])
def test_the_core_imports_with_the_edges_libraries_blocked(blocked: tuple[str, ...]) -> None:
    """A fresh interpreter in which importing click, xlwings, openpyxl or python_calamine
    fails still imports every core module, and loads no edge module on the way."""
    modules = core_modules()
    script = BLOCKED_IMPORT.format(blocked=set(blocked), modules=modules, edges=EDGES)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=SRC,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"{len(modules)} [] []\n"


def test_the_block_works() -> None:
    """The same interpreter refuses an edge module (so the test above can fail)."""
    script = BLOCKED_IMPORT.format(blocked={"click"}, modules=["applinks.cli"], edges=EDGES)
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "ImportError: click is blocked: the core must not need it"
    )


# --- one place for each thing: short functions, modules of a readable size -----------------

#: The most lines a function may have (from its ``def`` to its last line, nested ones included).
MOST_FUNCTION_LINES = 80
#: The most lines a module may have.
MOST_MODULE_LINES = 700
#: What the docstring of a longer function says, followed by why (a binary-format walker that
#: lays out or checks a file in the order its specification gives).
LONGER_BECAUSE = "longer than 80 lines"


def long_functions(source: str, where: str) -> list[str]:
    """Return ``where:line name (N lines)`` for each function of ``source`` over the limit whose
    docstring does not say why it is longer."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        lines = (node.end_lineno or node.lineno) - node.lineno + 1
        excused = LONGER_BECAUSE in (ast.get_docstring(node) or "").lower()
        if lines > MOST_FUNCTION_LINES and not excused:
            found.append(f"{where}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_function_is_over_80_lines() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(SRC).as_posix()
        found += long_functions(path.read_text(encoding="utf-8"), where)
    assert found == []


def test_no_module_is_over_700_lines() -> None:
    lengths = {
        path.relative_to(SRC).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert {where: n for where, n in lengths.items() if n > MOST_MODULE_LINES} == {}


def test_a_long_function_is_found_unless_it_says_why() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(80))
    plain = f"def walk():\n{body}"
    said = f'def walk():\n    """Longer than 80 lines because the format says so."""\n{body}'
    nested = f"class Reader:\n    def read(self):\n{textwrap.indent(body, '    ')}"
    assert long_functions(plain, "m.py") == ["m.py:1 walk (81 lines)"]
    assert long_functions(said, "m.py") == []
    assert long_functions(nested, "m.py") == ["m.py:2 read (81 lines)"]
    short = "".join(f"    x{i} = {i}\n" for i in range(79))
    assert long_functions(f"def short():\n{short}", "m.py") == []  # 80 lines: the most
