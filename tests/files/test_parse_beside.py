"""A large workbook is parsed in a thread while its cell facts are read: the same table, the
same errors, as one after the other."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import openpyxl
import pytest

from applinks.errors import InputError, UsageError
from applinks.files import xlsx_in
from applinks.files.read import read_table

VALUES = Path(__file__).parent.parent / "data" / "values" / "as-shown.xlsx"


@pytest.fixture
def beside(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every workbook take the parse-beside path, and record that it did."""
    taken: list[str] = []
    real = xlsx_in.threading.Thread

    def recording(*args: object, **kwargs: object) -> object:
        taken.append(str(kwargs.get("name")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(xlsx_in, "PARSE_BESIDE_FROM", 0)
    monkeypatch.setattr(xlsx_in.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(xlsx_in.threading, "Thread", recording)
    return taken


def _one_after_the_other(path: Path, sheet: str | None = None) -> tuple[list[str], list[list]]:
    opened = xlsx_in.open_sheet(path, sheet=sheet)
    facts = xlsx_in.read_facts(path, opened.name)
    table = xlsx_in.sheet_table(opened, path, sheet=sheet, facts=facts)
    return table.headers, [list(row) for row in table.rows]


def test_the_table_is_the_same_as_read_one_after_the_other(beside: list[str]) -> None:
    expected = _one_after_the_other(VALUES)
    table = xlsx_in.read_workbook(VALUES)
    assert beside == ["applinks-parse"]
    assert (table.headers, [list(row) for row in table.rows]) == expected


def test_the_first_sheet_and_a_named_sheet_each_with_its_own_formats(
    beside: list[str], tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Deals"
    first.append(["Name", "Zip"])
    first.append(["Main St", 2134])
    first["B2"].number_format = "00000"
    second = book.create_sheet("Other")
    second.append(["Name", "Phone"])
    second.append(["Elm St", 6175550100])
    second["B2"].number_format = "(000) 000-0000"
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert _rows(xlsx_in.read_workbook(path)) == [["Name", "Zip"], ["Main St", "02134"]]
    assert _rows(xlsx_in.read_workbook(path, sheet="Other")) == [
        ["Name", "Phone"],
        ["Elm St", "(617) 555-0100"],
    ]
    assert beside == ["applinks-parse", "applinks-parse"]


def _rows(table: object) -> list[list]:
    return [list(table.headers), *[list(row) for row in table.rows]]  # type: ignore[attr-defined]


def test_a_sheet_that_is_not_there_gives_the_same_sentence(beside: list[str]) -> None:
    with pytest.raises(UsageError) as alone:
        xlsx_in.open_sheet(VALUES, sheet="Nope")
    with pytest.raises(UsageError) as caught:
        xlsx_in.read_workbook(VALUES, sheet="Nope")
    assert str(caught.value) == str(alone.value)
    assert str(caught.value).startswith('"as-shown.xlsx" has no sheet named "Nope"; its sheets are')


def test_a_damaged_workbook_gives_the_parse_s_sentence(beside: list[str], tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    data = VALUES.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as caught:
        xlsx_in.read_workbook(path)
    assert str(caught.value) == (
        '"cut.xlsx" is damaged or not a workbook this tool can read; open it in Excel, '
        "save it as .xlsx and try again."
    )


def test_the_command_line_reads_the_same_table(beside: list[str], tmp_path: Path) -> None:
    path = tmp_path / "copy.xlsx"
    shutil.copy(VALUES, path)
    table = read_table(path)
    assert beside == ["applinks-parse"]
    assert (table.headers, [list(row) for row in table.rows]) == _one_after_the_other(VALUES)


def test_work_registered_ahead_runs_while_the_parse_thread_is_still_busy(
    beside: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from applinks import ahead

    seen: list[tuple[str, bool]] = []
    parsing, released = threading.Event(), threading.Event()
    waited: list[bool] = []
    real_open = xlsx_in.open_sheet

    def slow_open(*args: object, **kwargs: object) -> object:
        parsing.set()
        opened = real_open(*args, **kwargs)  # type: ignore[arg-type]
        waited.append(released.wait(5))  # the parse ends only once the task has run
        return opened

    def task() -> None:
        seen.append((threading.current_thread().name, parsing.is_set()))
        released.set()

    monkeypatch.setattr(ahead, "_TASKS", [task])
    monkeypatch.setattr(xlsx_in, "open_sheet", slow_open)
    table = xlsx_in.read_workbook(VALUES)
    assert beside == ["applinks-parse"]
    assert seen == [("MainThread", True)]  # on the waiting thread, during the parse
    assert waited == [True]  # (the parse was still waiting for it when it ran)
    assert table.headers == _one_after_the_other(VALUES)[0]
