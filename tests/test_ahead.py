"""Work done ahead while a thread waits (applinks.ahead)."""

from __future__ import annotations

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


def test_a_failing_task_is_left_for_its_caller(tasks: list[object]) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise OSError("snapshot missing")

    ahead.ahead(broken)
    ahead.ahead(lambda: ran.append("next"))
    ahead.run_while(lambda: True)  # no exception here: the caller that needs it meets it
    assert ran == ["next"]
    with pytest.raises(OSError, match="snapshot missing"):
        broken()
