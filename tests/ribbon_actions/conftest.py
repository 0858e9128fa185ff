"""Fixtures for the ribbon actions: an xlwings book on the in-memory grid engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import grid_engine

APP_NAME_KEY = "ClozeAppLinks_App"


@pytest.fixture
def engine() -> Iterator[grid_engine.Engine]:
    """The grid engine, active for the test; the previously active engine comes back after."""
    import xlwings as xw

    before = xw.engines.active
    impl = grid_engine.install()
    impl.calls.clear()
    yield impl
    xw.engines.active = before


@pytest.fixture(autouse=True)
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Send the add-in's log to the test's folder."""
    path = tmp_path / "logs" / "applinks.log"
    monkeypatch.setenv("APPLINKS_LOG", str(path))
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Files the actions asked the desktop to open (nothing is really opened)."""
    calls: list[Path] = []
    monkeypatch.setattr("applinks.files.eml_out.has_desktop", lambda: True)
    monkeypatch.setattr("applinks.files.eml_out.open_with_default_program", calls.append)
    return calls


def make_book(
    engine: grid_engine.Engine,
    rows: list[list[Any]],
    *,
    folder: Path | None = None,
    app: str | None = "zillow.com",
    select: str = "A2",
    sheets: dict[str, list[list[Any]]] | None = None,
) -> Any:
    """Return an xlwings Book with ``rows`` on sheet "Deals" (active), like a saved workbook."""
    fullname = str(folder / "Deals.xlsx") if folder else "Book1"
    names = {APP_NAME_KEY: f'="{app}"'} if app else {}
    book = grid_engine.open_book(
        engine, {"Deals": rows, **(sheets or {})}, fullname=fullname, names=names
    )
    model = book.sheets["Deals"].impl.model
    model.selection = grid_engine._rect(select, None)
    engine.calls.clear()
    return book


def sheet_model(book: Any, name: str = "Deals") -> grid_engine.SheetModel:
    return next(s for s in book.impl.model.sheets if s.name == name)


def cells(book: Any, name: str = "Deals") -> list[list[Any]]:
    """Return the used cells of a sheet, row by row, formulas as their text."""
    model = sheet_model(book, name)
    used = model.used()
    if used is None:
        return []
    return [
        [model.formulas.get((r, c)) or model.value(r, c) for c in range(1, used.c2 + 1)]
        for r in range(1, used.r2 + 1)
    ]
