"""Pyodide in Node for the tests: installed from npm, our wheel built, micropip from PyPI.

Everything comes from the package registries the first time and is kept in a cache folder
(``$APPLINKS_PYODIDE_CACHE``, else ``~/.cache/cloze-applinks``): the npm package ``pyodide``
at :data:`PYODIDE_VERSION`, and the wheels of micropip and packaging at the versions that
Pyodide release lists in its ``pyodide-lock.json`` (the npm package carries the interpreter
and the standard library, not micropip). Our own wheel is built from the checkout into a
temporary folder, so the source tree is left as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

#: The Pyodide release the tests run (Python 3.12).
PYODIDE_VERSION = "0.27.7"
ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("pyodide_runner.cjs")


@dataclass
class PyodideEnv:
    """What a run under Pyodide needs: where Pyodide is, and the wheels to load or install."""

    pyodide_dir: Path
    micropip_wheels: list[Path]
    publicsuffixlist_wheel: Path
    applinks_wheel: Path

    def run(self, script: Path, files: dict[str, Path], work: Path, *, deps: bool) -> str:
        """Run ``script`` under Pyodide with our wheel installed; return its last expression."""
        config = {
            "packages": [str(p) for p in self.micropip_wheels],
            # publicsuffixlist first, from its wheel, so installing ours with its dependencies
            # finds it there and fetches nothing.
            "install": [
                [str(self.publicsuffixlist_wheel), False],
                [str(self.applinks_wheel), deps],
            ],
            "files": {target: str(source) for target, source in files.items()},
            "script": str(script),
        }
        config_path = work / "pyodide-run.json"
        config_path.write_text(json.dumps(config), encoding="utf-8")
        done = subprocess.run(
            [_tool("node"), str(RUNNER), str(self.pyodide_dir), str(config_path)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise AssertionError(f"Pyodide run failed:\n{done.stderr[-4000:]}")
        return done.stdout


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:  # CI installs Node.js (scripts/test.sh); a missing one is a failure
        raise AssertionError(f"{name} is needed for the xlwings Lite tests; install Node.js.")
    return found


def cache_dir() -> Path:
    configured = os.environ.get("APPLINKS_PYODIDE_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "cloze-applinks"


def install_pyodide(cache: Path) -> Path:
    """Return the folder of the npm package pyodide, installing it on first use."""
    prefix = cache / f"pyodide-{PYODIDE_VERSION}"
    package = prefix / "node_modules" / "pyodide"
    if not (package / "pyodide.js").exists():
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [_tool("npm"), "install", "--prefix", str(prefix), f"pyodide@{PYODIDE_VERSION}"]
            + ["--no-audit", "--no-fund", "--no-save", "--loglevel=error"],
            check=True,
            capture_output=True,
        )
    return package


def download_wheels(cache: Path, pyodide_dir: Path) -> tuple[list[Path], Path]:
    """Return micropip's wheels (in load order) and publicsuffixlist's, from PyPI on first use."""
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    wanted = [
        (name, packages[name]["version"], packages[name]["file_name"])
        for name in ("packaging", "micropip")
    ]
    suffixes = version("publicsuffixlist")  # the version the CPython tests run with
    wanted.append(("publicsuffixlist", suffixes, f"publicsuffixlist-{suffixes}-py3-none-any.whl"))
    folder = cache / "wheels"
    missing = [f"{name}=={v}" for name, v, file in wanted if not (folder / file).exists()]
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
            + ["--python-version", lock["info"]["python"].rsplit(".", 1)[0], "-q"]
            + ["-d", str(folder), *missing],
            check=True,
            capture_output=True,
        )
    paths = [folder / file for _, _, file in wanted]
    return paths[:2], paths[2]


def build_wheel(work: Path) -> Path:
    """Build the package's wheel from a copy of the checkout (no build files in the tree)."""
    source = work / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", source / "src", ignore=ignore)
    shutil.copytree(ROOT / "addin", source / "addin", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    out = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("cloze_applinks-*-py3-none-any.whl")
    return wheel
