"""A one-line progress bar on stderr for long runs; silent unless stderr is a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Sized
from typing import IO

#: Rows between two looks at the clock.
EVERY = 8192


class Progress:
    """Shows ``label: 12,345 of 1,048,575 rows (1%)`` on one line, redrawn at most 10 times a
    second, and erased by :meth:`close`. Does nothing when ``stream`` is not a terminal (a
    pipe, a file, a test), so output that is read by programs never contains it.
    """

    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        stream: IO[str] | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.label = label
        self.total = total
        self.count = 0
        self._shown = False
        self._last = 0.0

    def rows(self, rows: Sized) -> None:
        """Count a block of rows (usable as a per-block callback)."""
        before = self.count
        self.count += len(rows)
        if before // EVERY != self.count // EVERY:
            self.update(self.count)

    def update(self, count: int) -> None:
        """Say that ``count`` rows are done."""
        self.count = count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1:
            return
        self._last = now
        self.stream.write("\r" + self.text())
        self.stream.flush()
        self._shown = True

    def text(self) -> str:
        """Return the line as it is shown."""
        text = f"{self.label}: {self.count:,} rows"
        if self.total:
            done = min(self.count, self.total)
            width = 24
            filled = width * done // self.total
            text = (
                f"{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                f"{done:,} of {self.total:,} rows ({100 * done // self.total}%)"
            )
        return text

    def close(self) -> None:
        """Erase the line (if one was shown)."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
