"""Work done ahead while a thread waits (applinks.ahead)."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from applinks import ahead


@pytest.fixture
def tasks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    fresh: list[object] = []
    monkeypatch.setattr(ahead, "_TASKS", fresh)
    return fresh


def test_tasks_run_oldest_first_once_each_while_waiting(tasks: list[object]) -> None:
    ran: list[str] = []
    for name in ("first", "second", "third"):
        ahead.ahead(lambda name=name: ran.append(name))
    answers = iter([True, True, False])  # waiting for two tasks' time, then done
    ahead.run_while(lambda: next(answers))
    assert ran == ["first", "second"]
    ahead.run_while(lambda: True)
    assert ran == ["first", "second", "third"]
    ahead.run_while(lambda: True)  # each task runs once
    assert ran == ["first", "second", "third"]


def test_nothing_runs_when_there_is_no_wait(tasks: list[object]) -> None:
    ran: list[str] = []
    ahead.ahead(lambda: ran.append("task"))
    ahead.run_while(lambda: False)
    assert ran == []
    assert len(tasks) == 1  # still there for the next wait


def test_a_failing_task_does_not_stop_the_others_and_its_caller_meets_the_error(
    tasks: list[object],
) -> None:
    ran: list[str] = []
    tries: list[int] = []

    @functools.cache
    def broken() -> None:
        tries.append(1)
        raise OSError("snapshot missing")

    ahead.ahead(broken)
    ahead.ahead(lambda: ran.append("next"))
    ahead.run_while(lambda: True)  # no exception here
    assert (ran, tries) == (["next"], [1])
    with pytest.raises(OSError, match="snapshot missing"):
        broken()  # built again where it is needed (a failure is not kept as done)
    assert tries == [1, 1]


def test_the_public_suffix_list_is_registered_when_its_module_is_imported() -> None:
    """In a fresh interpreter: importing the checks registers the list's builder ahead."""
    program = (
        "import applinks.checks, applinks.ahead, applinks.domains as d; "
        "print(applinks.ahead._TASKS == [d._psl])"
    )
    src = str(Path(__file__).resolve().parent.parent / "src")
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": src},
    )
    assert done.stdout == "True\n"
