"""Write output files whole or not at all, and never over the input or an existing file."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from applinks.errors import OutputExistsError, UsageError


def check_output(path: Path, *, force: bool, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse to write ``path`` when it is one of ``inputs``, or exists and ``force`` is off."""
    for source in inputs:
        if path.resolve() == source.resolve() or (
            path.exists() and source.exists() and os.path.samefile(path, source)
        ):
            raise UsageError(
                f'The output "{path.name}" is the input file; choose another output name '
                "(this tool never writes to its input)."
            )
    if path.exists() and not force:
        raise OutputExistsError(
            f'"{path.name}" already exists; use --force to replace it, or choose another name.',
            path=path,
        )
    if not path.parent.exists():
        raise UsageError(f'The folder "{path.parent}" does not exist.', path=path)


#: Outputs completed by this process, in order; the CLI names them if a run stops midway.
WRITTEN: list[Path] = []


@contextlib.contextmanager
def atomic_writer(
    path: Path, mode: str = "wb", *, encoding: str | None = None, newline: str | None = None
) -> Iterator[IO]:
    """Yield a file in ``path``'s folder; rename it onto ``path`` only if the block succeeds.

    On any exception (KeyboardInterrupt included) the temporary file is removed and ``path`` is
    left as it was. The finished file gets the permissions a new file would get (or those of the
    file it replaces), not the private ones of a temporary file.
    """
    # Ctrl-C can land between any two steps. Signals are held while the temporary file is
    # created and while it is renamed and recorded, so it is always either known (and removed
    # below) or already the finished output; a held Ctrl-C surfaces right after.
    tmp: Path | None = None
    held = _hold_signals()
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the rename
            mode,
            encoding=encoding,
            newline=newline,
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=".part",
            delete=False,
        )
        tmp = Path(handle.name)
        previous, held = held, None
        _release_signals(previous)
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
        held = _hold_signals()
        os.replace(tmp, path)
        tmp = None
        WRITTEN.append(path)
        previous, held = held, None
        _release_signals(previous)
    except BaseException:
        _release_signals(held)
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    _sync_folder(path.parent)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_Mask = set[int | signal.Signals] | None


def _hold_signals() -> _Mask:
    """Block Ctrl-C and SIGTERM in this thread (POSIX, main thread); return the previous mask."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)


def _release_signals(previous: _Mask) -> None:
    """Restore the mask; a signal that arrived meanwhile is handled now (and may raise)."""
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _mode_for(path: Path) -> int:
    """Return the permission bits for ``path``: those of the file replaced, else 0o666 - umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
