"""The one-way rule, on CPython: the core and the Lite modules import with the file readers',
the CLI's and Excel's packages blocked (the Pyodide run checks the same with them absent)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .lite_modules import DESKTOP_PACKAGES
from .lite_modules import MODULES as LITE_MODULES

SRC = Path(__file__).resolve().parents[2] / "src"
BLOCKED, MODULES = DESKTOP_PACKAGES, LITE_MODULES

PROGRAM = f"""
import importlib, importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BLOCKED!r}:
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, Block())
for name in {MODULES!r}:
    importlib.import_module(name)
print("ok")
"""


def test_core_and_lite_modules_import_without_the_desktop_packages() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok\n", "")
