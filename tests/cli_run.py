"""Run the ``applinks`` command in a fresh interpreter, as a user would."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def run_applinks(
    *args: str,
    cwd: Path | None = None,
    timeout: float | None = None,
    memory_limit: int | None = None,
    cpu_seconds: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m applinks ARGS`` on this tree's sources; return its exit code and output.

    ``memory_limit`` caps the child's address space (bytes) and ``cpu_seconds`` the processor
    time it may use (a limit that holds on a busy machine as on an idle one), for inputs that
    must be refused cheaply; ``timeout`` (wall time) only stops a run that hangs.
    """
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
    env.pop("DISPLAY", None)  # never open a mail program from a test
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run(
        [sys.executable, "-m", "applinks", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        preexec_fn=limits(memory_limit, cpu_seconds),
        check=False,
    )


def printed(*args: str, cwd: Path | None = None) -> str:
    """Return what ``applinks ARGS`` prints, once it has exited 0 with nothing on stderr."""
    done = run_applinks(*args, cwd=cwd)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return done.stdout


def limits(memory: int | None, cpu_seconds: int | None) -> Callable[[], None] | None:
    """Return what a child runs before exec to set its limits (None when there are none)."""
    if memory is None and cpu_seconds is None:
        return None

    def limit() -> None:  # runs in the child before exec
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))

    return limit
