"""Fixtures of the xlwings Lite tests."""

from __future__ import annotations

import pytest

from ..ribbon_actions.conftest import engine, log_file  # noqa: F401  (the grid engine fixtures)
from .pyodide_env import PyodideEnv, build_wheel, cache_dir, download_wheels, install_pyodide


@pytest.fixture(scope="session")
def pyodide_env(tmp_path_factory: pytest.TempPathFactory) -> PyodideEnv:
    """Pyodide in Node with micropip, and our wheel built from this checkout."""
    cache = cache_dir()
    pyodide_dir = install_pyodide(cache)
    micropip, suffixes = download_wheels(cache, pyodide_dir)
    wheel = build_wheel(tmp_path_factory.mktemp("wheel"))
    return PyodideEnv(pyodide_dir, micropip, suffixes, wheel)
