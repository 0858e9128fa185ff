"""A pass over the rows in two processes: the second half in a forked child, on another core.

Only where ``os.fork`` exists (Linux, macOS) and there is more than one processor; elsewhere,
and when ``APPLINKS_WORKERS=1`` is set, everything runs in one process as before. The child
gets a copy-on-write view of everything read so far (python-calamine's sheet is not copied),
does its half and sends its result back through a pipe, pickled; it never returns into the
caller's code and leaves with ``os._exit``, so no cleanup of the parent's runs twice.
"""

from __future__ import annotations

import mmap
import os
import pickle
import signal
import struct
from collections.abc import Callable
from typing import TypeVar

from applinks.errors import ApplinksError

A = TypeVar("A")
B = TypeVar("B")
#: The environment variable that sets how many processes a pass may use (1: one, the default
#: elsewhere; 2: the most used).
WORKERS_VARIABLE = "APPLINKS_WORKERS"


class WorkerError(ApplinksError):
    """The second process stopped without a result (killed, or out of memory)."""


def available() -> int:
    """Return how many processes a pass over the rows may use here: 1 or 2."""
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    if wanted.isdigit():
        return 2 if int(wanted) >= 2 and hasattr(os, "fork") else 1
    return 2 if hasattr(os, "fork") and (os.cpu_count() or 1) > 1 else 1


class SharedCount:
    """A number both processes see (the child's progress, for the parent's progress bar)."""

    def __init__(self) -> None:
        self._map = mmap.mmap(-1, 8)

    def set(self, value: int) -> None:
        struct.pack_into("q", self._map, 0, value)

    def get(self) -> int:
        return int(struct.unpack_from("q", self._map, 0)[0])


def in_two(here: Callable[[], A], there: Callable[[], B]) -> tuple[A, B]:
    """Run ``there()`` in a forked child while ``here()`` runs in this process; return both.

    An exception in the child is raised here (after ``here()`` has finished); if the child
    dies without an answer, :class:`WorkerError` is. An exception here stops the child.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        code = 0
        try:
            try:
                answer = _pickled(True, there())
            except BaseException as exc:  # sent to the parent, which raises it
                answer = _pickled(False, exc)
            with open(write_end, "wb") as pipe:
                pipe.write(answer)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        mine = here()
        with open(read_end, "rb") as pipe:
            read_end = -1
            answer = pipe.read()
        _, status = os.waitpid(pid, 0)
        pid = 0
    finally:
        if read_end != -1:
            os.close(read_end)
        if pid:  # stopped early: stop the child too
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if not answer:
        raise WorkerError(
            "The second worker process stopped without finishing "
            f"({_how_it_ended(status)}); nothing was written. Run again with "
            f"{WORKERS_VARIABLE}=1 to use one process."
        )
    ok, value = pickle.loads(answer)
    if not ok:
        raise value
    return mine, value


def _pickled(ok: bool, value: object) -> bytes:
    try:
        return pickle.dumps((ok, value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an answer that cannot be pickled is a bug: say what it was
        problem = RuntimeError(f"{type(value).__name__}: {value} (not picklable: {exc})")
        return pickle.dumps((False, problem), protocol=pickle.HIGHEST_PROTOCOL)


def _how_it_ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        hint = ", perhaps for lack of memory" if number == signal.SIGKILL else ""
        return f"signal {name}{hint}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"
