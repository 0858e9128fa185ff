"""Shared fixtures: paths to test data and a helper to make workbooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip `excel` tests (no Excel here) and `libreoffice` tests where soffice is absent."""
    no_excel = pytest.mark.skip(reason="needs a live Microsoft Excel (Windows or macOS)")
    no_office = pytest.mark.skip(reason="needs LibreOffice (soffice) on PATH")
    have_office = shutil.which("soffice") is not None
    for item in items:
        if "excel" in item.keywords and not _have_excel():
            item.add_marker(no_excel)
        if "libreoffice" in item.keywords and not have_office:
            item.add_marker(no_office)


def _have_excel() -> bool:
    try:
        import xlwings as xw

        return bool(xw.apps.count)
    except Exception:
        return False


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def golden() -> Path:
    return GOLDEN
