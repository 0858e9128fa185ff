"""Coverage-guided fuzzing of the file readers with atheris (libFuzzer), for long local runs.

    pip install atheris          # Linux or macOS, CPython 3.8-3.11
    python fuzz/fuzz_read.py -max_total_time=600 -rss_limit_mb=2048 fuzz/corpus

Each input is tried as a workbook and as a CSV. The only exception allowed is the project's own
ApplinksError; anything else (or a crash of a native reader) makes libFuzzer stop and save the
input as ``crash-*``. Copy such an input into a named regression test in tests/files/test_fuzz.py.
The bounded, seeded Hypothesis tests in tests/files/test_fuzz.py are what CI runs.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from applinks.errors import ApplinksError
    from applinks.files.read import read_table

FOLDER = Path(tempfile.mkdtemp(prefix="applinks-fuzz-"))
SUFFIXES = (".xlsx", ".xls", ".xlsb", ".ods", ".csv")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    path = FOLDER / f"input{suffix}"
    path.write_bytes(data[1:])
    try:
        read_table(path)
    except ApplinksError:
        pass
    finally:
        os.unlink(path)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
