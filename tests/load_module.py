"""Import a file of this repository that is no package module (a script, a test table) by path."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load_module(path: Path, name: str | None = None) -> ModuleType:
    """Return the file at ``path`` imported as the module ``name`` (default: its stem)."""
    spec = importlib.util.spec_from_file_location(name or path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def load_script(name: str) -> ModuleType:
    """Return ``scripts/<name>.py`` imported as the module ``name``."""
    return load_module(ROOT / "scripts" / f"{name}.py")
