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
        raise OutputExistsError(path)
    if not path.parent.exists():
        raise UsageError(f'The folder "{path.parent}" does not exist.', path=path)
    check_writable(path.parent, path)


def check_writable(folder: Path, path: Path) -> None:
    """Refuse a folder this process cannot create files in (read-only, no permission).

    The folder is tried with a nameless temporary file, which is what the writers do; asking
    for permission bits alone would be wrong for the superuser and for read-only disks.
    """
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UsageError(_cannot_write(folder, exc), path=path) from exc


def _cannot_write(folder: Path, exc: OSError) -> str:
    reason = exc.strerror.lower() if exc.strerror else "it is read-only"
    return (
        f'Cannot write in the folder "{folder}" ({reason}); choose another folder for the '
        "output, or ask for permission to write there."
    )


#: Outputs completed by this process, in order; the CLI names them if a run stops midway.
WRITTEN: list[Path] = []


#: Temporary files not yet committed or discarded. A signal can land between creating one and
#: the ``with`` block that would clean it up; the CLI sweeps these at the end of every command.
_PENDING: set[PendingFile] = set()


def discard_pending() -> None:
    """Remove every temporary output file this process has not committed."""
    for pending in list(_PENDING):
        pending.discard()


class PendingFile:
    """A temporary file beside its destination: :meth:`commit` renames it into place whole,
    :meth:`discard` removes it. Both are safe against Ctrl-C and SIGTERM at any moment.

    Signals are held while the temporary file is created and while it is renamed and recorded,
    so it is always either known here (and removed by :meth:`discard`) or already the finished
    output; a held Ctrl-C surfaces right after.
    """

    def __init__(
        self,
        folder: Path,
        name: str,
        mode: str = "wb",
        *,
        encoding: str | None = None,
        newline: str | None = None,
    ) -> None:
        self.tmp: Path | None = None
        held = _hold_signals()
        try:
            try:
                wrapper = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in commit
                    mode,
                    encoding=encoding,
                    newline=newline,
                    dir=folder,
                    prefix=f".{name}.",
                    suffix=".part",
                    delete=False,
                )
            except OSError as exc:  # the folder changed since it was checked
                raise UsageError(_cannot_write(folder, exc), path=folder / name) from exc
            self.tmp = Path(wrapper.name)
            # Writes go to its own file object (the wrapper adds a Python call to each); the
            # wrapper is kept, as dropping it would close the file.
            self._wrapper = wrapper
            self.handle: IO = wrapper.file
            _PENDING.add(self)
        finally:
            try:
                _release_signals(held)
            except BaseException:
                self.discard()
                raise

    def commit(self, path: Path) -> Path:
        """Flush to disk and rename onto ``path``; record it in WRITTEN."""
        assert self.tmp is not None, "already committed or discarded"
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.tmp, _mode_for(path))
        held = _hold_signals()
        try:
            os.replace(self.tmp, path)
            self.tmp = None
            _PENDING.discard(self)
            WRITTEN.append(path)
        finally:
            _release_signals(held)  # a Ctrl-C that came meanwhile is raised here, file whole
        _sync_folder(path.parent)
        return path

    def discard(self) -> None:
        """Remove the temporary file, if it is still there."""
        with contextlib.suppress(OSError, AttributeError):
            self.handle.close()
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                self.tmp.unlink()
            self.tmp = None
        _PENDING.discard(self)

    @property
    def pending(self) -> bool:
        return self.tmp is not None


@contextlib.contextmanager
def atomic_writer(
    path: Path, mode: str = "wb", *, encoding: str | None = None, newline: str | None = None
) -> Iterator[IO]:
    """Yield a file in ``path``'s folder; rename it onto ``path`` only if the block succeeds.

    On any exception (KeyboardInterrupt included) the temporary file is removed and ``path`` is
    left as it was. The finished file gets the permissions a new file would get (or those of the
    file it replaces), not the private ones of a temporary file.
    """
    pending = PendingFile(path.parent, path.name, mode, encoding=encoding, newline=newline)
    try:
        yield pending.handle
        pending.commit(path)
    except BaseException:
        pending.discard()
        raise


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
