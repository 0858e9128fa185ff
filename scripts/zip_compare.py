"""Read every part of every zip package under a folder with zipfile and with the fast reader.

Usage: python scripts/zip_compare.py FOLDER [READ_SIZE]

Prints each part where the two differ (bytes, or the type of the error raised) and a count;
the fast reader (applinks.files.zip_read) must give what zipfile gives for every part.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from applinks.files.zip_read import open_part

SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xltx", ".xlam", ".ods", ".zip", ".docx", ".numbers"}
LARGEST = 300 << 20


def compare(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int
) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """Return what zipfile and the fast reader give for one part, read ``size`` bytes a time."""
    return (
        read_whole(lambda: archive.open(info), size),
        read_whole(lambda: open_part(archive, info), size),
    )


def read_whole(opened: Callable[[], IO[bytes]], size: int) -> tuple[str, bytes]:
    """Return ("ok", the part's bytes) or (the error's type, b"")."""
    try:
        with opened() as stream:
            pieces = []
            while piece := stream.read(size):
                pieces.append(piece)
            return "ok", b"".join(pieces)
    except Exception as exc:  # what either reader raises is the result compared
        return type(exc).__name__, b""


def main(argv: list[str]) -> int:
    folder, size = Path(argv[0]), int(argv[1]) if len(argv) > 1 else 1 << 16
    parts = differ = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SUFFIXES:
            continue
        try:
            archive = zipfile.ZipFile(path)
        except Exception:  # not a zip zipfile can open: nothing to compare
            continue
        with archive:
            for info in archive.infolist():
                if info.file_size > LARGEST:
                    continue
                theirs, ours = compare(archive, info, size)
                parts += 1
                if ours != theirs:
                    differ += 1
                    print(f"differs: {path} {info.filename}: zipfile {theirs[0]}, ours {ours[0]}")
    print(f"{parts:,} parts, {differ:,} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
