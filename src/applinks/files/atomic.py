"""Write output files whole or not at all, and never over the input or an existing file."""

from __future__ import annotations

import contextlib
import os
import tempfile
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


@contextlib.contextmanager
def atomic_writer(
    path: Path, mode: str = "wb", *, encoding: str | None = None, newline: str | None = None
) -> Iterator[IO]:
    """Yield a file in ``path``'s folder; rename it onto ``path`` only if the block succeeds.

    On any exception (KeyboardInterrupt included) the temporary file is removed and ``path`` is
    left as it was.
    """
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
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
