"""Read a large part of a zip package fast: ISA-L's inflate where it is installed, else zlib's.

A worksheet of a million rows is about a gigabyte of XML, and the guards and the reading of
cell facts each pass over it once. Python's :mod:`zipfile` inflates with zlib; ISA-L (the
``isal`` package) inflates the same deflate streams two to three times as fast, which is most
of the guards' time in one process. Only stored and deflated parts of a package opened from a
path take this way; any other part (encrypted, another method, a package in memory) is read
by :mod:`zipfile` as before, and a damaged part fails the way :mod:`zipfile` fails.
"""

from __future__ import annotations

import contextlib
import struct
import zipfile
import zlib
from types import ModuleType
from typing import IO

try:  # (no wheel for every platform: Windows on ARM, Pyodide)
    from isal import isal_zlib as _fast_zlib

    INFLATE: ModuleType = _fast_zlib
except ImportError:  # pragma: no cover - depends on the platform
    INFLATE = zlib

#: Compressed bytes read from the file at a time.
_INPUT = 1 << 20
_LOCAL_HEADER = struct.Struct("<4s22xHH")


def open_part(archive: zipfile.ZipFile, part: str | zipfile.ZipInfo) -> IO[bytes]:
    """Open ``part`` of ``archive`` for reading, as ``archive.open(part)`` does, but faster."""
    info = part if isinstance(part, zipfile.ZipInfo) else archive.getinfo(part)
    path = archive.filename
    if (
        path is None
        or info.flag_bits & 0x1  # encrypted: zipfile says so
        or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
    ):
        return archive.open(info)
    handle = open(path, "rb")  # noqa: SIM115 - closed by the reader
    try:
        seek_to_data(handle, info)
    except BaseException:
        handle.close()
        raise
    return PartReader(handle, info)  # type: ignore[return-value]


def seek_to_data(handle: IO[bytes], info: zipfile.ZipInfo) -> None:
    """Move ``handle`` (the zip file, opened for reading) to where ``info``'s compressed bytes
    start, past its local header; BadZipFile when that header is not the part's."""
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30:
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if handle.read(name_length).decode(encoding, "replace") != info.orig_filename:
        raise zipfile.BadZipFile(f"the local header of {info.filename} names another file")
    handle.seek(extra_length, 1)


class PartReader(contextlib.AbstractContextManager["PartReader"]):
    """The inflated bytes of one zip part, read from its own file handle.

    Like :class:`zipfile.ZipExtFile`: at most the part's declared size is given, and when the
    part ends its CRC-32 is compared with the declared one (``BadZipFile`` when they differ, as
    for a part that inflates to more than it declares); damaged deflate data is a
    ``zlib.error``; a file cut short, an ``EOFError``.
    """

    def __init__(self, handle: IO[bytes], info: zipfile.ZipInfo) -> None:
        self._handle = handle
        self._name = info.filename
        self._compressed_left = info.compress_size
        self._left = info.file_size
        self._crc_expected = info.CRC
        self._crc = 0
        self._inflate = INFLATE.decompressobj(-15) if info.compress_type else None
        self._ended = False
        #: Inflated bytes not given yet (the inflater's last output can exceed a read's size).
        self._held = b""

    def read(self, size: int = -1) -> bytes:
        """Return up to ``size`` bytes (all that is left for a negative ``size``)."""
        want = self._left if size is None or size < 0 else min(size, self._left)
        pieces: list[bytes] = []
        while want > 0:
            piece = self._next(want)
            if not piece:
                break
            pieces.append(piece)
            want -= len(piece)
        data = b"".join(pieces) if len(pieces) != 1 else pieces[0]
        self._crc = INFLATE.crc32(data, self._crc)
        self._left -= len(data)
        if not self._ended and (self._left == 0 or not data):
            self._end()
        return data

    def _next(self, limit: int) -> bytes:
        """Return the next inflated bytes, at most ``limit``; b"" at the part's end.

        As with zipfile, the part ends where its declared compressed size ends (its CRC-32
        then tells whether it was whole), and a file shorter than that is an EOFError.
        """
        if self._inflate is None:
            return self._compressed(min(limit, self._compressed_left))
        if self._held:
            out, self._held = self._held[:limit], self._held[limit:]
            return out
        while not self._inflate.eof:
            source = self._inflate.unconsumed_tail
            if not source and self._compressed_left > 0:
                source = self._compressed(min(_INPUT, self._compressed_left))
            try:
                if not source:  # all read: what the inflater still holds, cut to ``limit``s
                    self._held = self._inflate.flush()
                    return self._next(limit) if self._held else b""
                inflated: bytes = self._inflate.decompress(source, limit)
            except INFLATE.error as exc:
                raise zlib.error(str(exc)) from exc
            if inflated:
                return inflated
        return b""

    def _compressed(self, size: int) -> bytes:
        data = self._handle.read(size)
        if len(data) < size:
            raise EOFError(f"{self._name} ends early")
        self._compressed_left -= size
        return data

    def _end(self) -> None:
        # A part that inflates to more than it declares is cut at its declared size, whose
        # CRC-32 then differs from the declared one: as with zipfile, a BadZipFile.
        self._ended = True
        if self._crc != self._crc_expected:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self._name!r}")

    def close(self) -> None:
        self._handle.close()

    def __exit__(self, *exc: object) -> None:
        self.close()
