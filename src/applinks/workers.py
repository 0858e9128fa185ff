"""Two processes for one command line run, where there are two processors.

- :func:`in_two`: a pass over the rows in two halves at once, the second in a forked child
  (``prepare``'s fill, check and CSV writing; see :mod:`applinks.passes`).
  The child sends its result back through a pipe, pickled, never returns into the caller's code
  and leaves with ``os._exit``, so no cleanup of the parent's runs twice.
- :func:`hand_over`: a large workbook is parsed by a forked child while this process scans it
  for cells past Excel's grid; once the scan has passed, the child runs what the caller gave
  it to run on the workbook (the rest of the command) and this process returns its exit code.

Only where ``os.fork`` exists (Linux, macOS) and there is more than one processor; elsewhere
(Windows, the Excel add-in), and when ``APPLINKS_WORKERS=1`` is set, everything runs in one
process. The child gets a copy-on-write view of everything read so far (python-calamine's sheet
is not copied).
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import select
import signal
import struct
import sys
import traceback
from collections.abc import Callable, Iterator
from functools import partial
from typing import NoReturn, TypeVar, cast

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


def in_two(
    here: Callable[[], A],
    there: Callable[[], B],
    *,
    waiting: Callable[[], object] | None = None,
) -> tuple[A, B]:
    """Run ``there()`` in a forked child while ``here()`` runs in this process; return both.

    An exception in the child is raised here (after ``here()`` has finished); if the child
    dies without an answer, :class:`WorkerError` is. An exception here stops the child.
    ``waiting()`` is called every tenth of a second while this process waits for the child
    (to keep a progress line moving).
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
        while waiting is not None and not select.select([read_end], [], [], 0.1)[0]:
            waiting()
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


def hand_over(
    check: Callable[[], A],
    load: Callable[[], B],
    then: Callable[[A, Callable[[], B]], int],
    *,
    name: str,
) -> int:
    """Run ``load()`` in a forked child while ``check()`` runs here; the child then runs
    ``then(checked, loaded)`` and its result is the child's exit code, which this returns.

    For a check that must pass before what ``load`` makes can be trusted (the scan of a
    workbook for cells past Excel's grid, before python-calamine allocates the sheet): the two
    run at the same time and the child, once told the check passed, runs ``then`` with what
    ``check()`` gave and ``loaded``, which returns what ``load()`` gave or raises what it raised.
    ``then`` runs only there and the child leaves when it returns (``os._exit``: the child's
    copy of the caller's code never goes on). This process waits for the child and returns its
    exit code (128 + the signal's number, said on stderr, when it was killed). When ``check()``
    raises, the child is stopped and the error is raised here.

    While ``load`` runs, the child's address space is limited (:func:`_load_limit`) and its
    stderr silenced, so a file that the check would refuse cannot take the machine's memory in
    the moment before it is stopped. ``name``: the file, for the message if the child dies.
    """
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(write_end)
        loaded: B | None = None
        failed: BaseException | None = None
        try:
            with _limited(), _silenced():
                loaded = load()
        except BaseException as exc:
            failed = exc
        with open(read_end, "rb") as pipe:
            verdict = pipe.read()
        if not verdict:  # the check failed: the parent says so
            os._exit(0)
        _leave_with(lambda: then(pickle.loads(verdict), partial(_given, loaded, failed)))
    os.close(read_end)
    try:
        checked = check()
    except BaseException:
        os.close(write_end)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the child stops on Ctrl-C and cleans up
    signal.signal(signal.SIGTERM, lambda number, frame: os.kill(pid, signal.SIGTERM))
    try:
        with open(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL))
    except BrokenPipeError:  # the child is gone already: its status says how
        pass
    _, status = os.waitpid(pid, 0)  # (a signal's interruption is retried by Python, PEP 475)
    for number, handler in previous.items():
        signal.signal(number, handler)
    if os.WIFSIGNALED(status):
        print(
            f'Reading "{name}" stopped unexpectedly ({_how_it_ended(status)}); nothing was '
            f"written. Run again with {WORKERS_VARIABLE}=1 to do it in one process.",
            file=sys.stderr,
        )
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


def _given(loaded: B | None, failed: BaseException | None) -> B:
    """Return what ``load()`` gave, or raise what it raised."""
    if failed is not None:
        raise failed
    return cast(B, loaded)


def _leave_with(work: Callable[[], int]) -> NoReturn:
    """End this (forked) process with the exit code ``work()`` returns: it never returns into
    the code it is a copy of. ``sys.exit(code)`` in ``work`` gives ``code``; anything else
    raised is shown with its traceback and gives 1, as Python would."""
    code = 1
    try:
        code = work()
    except SystemExit as leaving:
        status = leaving.code
        code = status if isinstance(status, int) else 0 if status is None else 1
        if isinstance(status, str):
            print(status, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _load_limit() -> int | None:
    """The address space a load may use: half the machine's memory, at least 4 GiB."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None
    return max(4 << 30, memory // 2)


@contextlib.contextmanager
def _limited() -> Iterator[None]:
    """Lower the address space limit to :func:`_load_limit` for a while (never raise it: a
    lower limit the user set stays; where limits cannot be set, nothing changes)."""
    limit = _load_limit()
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        infinity = resource.RLIM_INFINITY
        if (
            limit is None
            or (soft != infinity and soft <= limit)
            or (hard != infinity and hard < limit)
        ):
            limit = None
        else:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        limit = None
    try:
        yield
    finally:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    """Send file descriptor 2 to the null device (a native library's last words on a refused
    file are not for the user: the check explains)."""
    import faulthandler

    dumping = faulthandler.is_enabled()  # (its crash report would go around fd 2)
    faulthandler.disable()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)
        if dumping:
            faulthandler.enable()
