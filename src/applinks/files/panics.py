"""Call into python-calamine without letting a Rust panic reach the user.

python-calamine is written in Rust. When its parser meets a file it did not expect, it may
"panic": Rust's panic hook prints the message and a backtrace straight to the process's stderr
(file descriptor 2, below Python's ``sys.stderr``), then pyo3 raises ``PanicException``, which
derives from ``BaseException`` so ``except Exception`` lets it through. python-calamine has no
option to silence the hook, so :func:`quiet_panics` points descriptor 2 at a temporary file for
the length of the call and turns a panic into :class:`ReaderPanic` (an ordinary exception the
readers already turn into one sentence).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator


class ReaderPanic(Exception):
    """python-calamine panicked; ``details`` is what Rust printed (kept for ``--debug``)."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


def is_panic(error: BaseException) -> bool:
    """Return True for pyo3's PanicException (it has no importable home to test against)."""
    return type(error).__name__ == "PanicException"


@contextlib.contextmanager
def quiet_panics() -> Iterator[None]:
    """Run the block with Rust's panic output captured; raise ReaderPanic for a panic.

    Anything else the block writes to descriptor 2 meanwhile is written back afterwards, so
    only a panic's report is dropped.
    """
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 (a detached process): nothing can reach a terminal
        saved = -1
    with tempfile.TemporaryFile() as caught:
        if saved >= 0:
            os.dup2(caught.fileno(), 2)
        panicked: BaseException | None = None
        try:
            yield
        except BaseException as error:
            if not is_panic(error):
                raise
            panicked = error
        finally:
            if saved >= 0:
                os.dup2(saved, 2)
                os.close(saved)
        caught.seek(0)
        printed = caught.read().decode("utf-8", "replace")
    if panicked is not None:
        raise ReaderPanic(str(panicked), printed) from panicked
    if printed:
        sys.stderr.write(printed)
