"""Run the ``applinks`` command in a fresh interpreter, as a user would."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def run_applinks(
    *args: str,
    cwd: Path | None = None,
    timeout: float | None = None,
    memory_limit: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m applinks ARGS`` on this tree's sources; return its exit code and output.

    ``memory_limit`` caps the child's address space (bytes) and ``timeout`` its wall time, for
    inputs that must be refused cheaply.
    """
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
    env.pop("DISPLAY", None)  # never open a mail program from a test
    env.pop("WAYLAND_DISPLAY", None)

    def limit() -> None:  # runs in the child before exec
        if memory_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    return subprocess.run(
        [sys.executable, "-m", "applinks", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        preexec_fn=limit if memory_limit is not None else None,
        check=False,
    )
