"""Work done ahead of need while the program waits on something that does not need Python.

python-calamine parses a large sheet in a thread without Python's lock; the thread that reads
the cell facts meanwhile is often done first and would wait idle. A module that will need a
slow-to-build value soon (the Public Suffix List) registers its builder here, and the waiting
thread builds it (:func:`run_while`) instead of the pass over the rows later.

A task is a cached builder: running it ahead only fills its cache. It runs whether or not the
command turns out to need it (a sheet without App IDs never asks for the Public Suffix List),
on time that thread would spend waiting anyway. Its errors are left for the caller that needs
the value to meet (the task is run again then), so running ahead changes nothing but when the
work is done.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

_TASKS: list[Callable[[], object]] = []


def ahead(task: Callable[[], object]) -> None:
    """Register a cached builder to run while a thread waits (:func:`run_while`)."""
    _TASKS.append(task)


def run_while(waiting: Callable[[], bool]) -> None:
    """Run registered tasks, oldest first, while ``waiting()`` is true; each runs at most once."""
    while _TASKS and waiting():
        task = _TASKS.pop(0)
        with contextlib.suppress(Exception):  # (met again, and reported, where it is needed)
            task()
