"""The fast reader of zip parts gives what zipfile gives: the same bytes, the same failures."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from applinks.files import zip_read
from applinks.files.zip_read import open_part
from tests.load_module import load_script

BAD = Path(__file__).parent.parent / "data" / "bad"
COMPARE = load_script("zip_compare")
PART = "xl/worksheets/sheet1.xml"
TEXT = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(5000))


def _both(path: Path, part: str, size: int) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """Return what zipfile and the fast reader give for ``part``: ("ok", bytes) or an error."""
    with zipfile.ZipFile(path) as archive:
        return COMPARE.compare(archive, archive.getinfo(part), size)


def _zip(path: Path, method: int, data: bytes = TEXT) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        archive.writestr("docProps/app.xml", b"<Properties/>")
        archive.writestr(PART, data)
    return path


def _patch(path: Path, edit: Callable[[bytearray, zipfile.ZipInfo], None]) -> Path:
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(PART)
    data = bytearray(path.read_bytes())
    edit(data, info)
    path.write_bytes(bytes(data))
    return path


def _central(data: bytearray) -> int:
    """Return where the part's central directory header starts (46 bytes before its name)."""
    central = data.rfind(PART.encode()) - 46
    assert data[central : central + 4] == b"PK\x01\x02"
    return central


def _data_start(data: bytearray, info: zipfile.ZipInfo) -> int:
    name, extra = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    return info.header_offset + 30 + name + extra


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
@pytest.mark.parametrize("size", [1, 1000, 1 << 20, -1])
def test_same_bytes_as_zipfile(tmp_path: Path, method: int, size: int) -> None:
    path = _zip(tmp_path / "b.xlsx", method)
    theirs, ours = _both(path, PART, size)
    assert (theirs, ours) == (("ok", TEXT), ("ok", TEXT))


def _lying_size(data: bytearray, info: zipfile.ZipInfo) -> None:
    # The central directory says the part inflates to 100 bytes fewer than it does.
    central = _central(data)
    struct.pack_into("<I", data, central + 24, info.file_size - 100)


def _flipped_byte(data: bytearray, info: zipfile.ZipInfo) -> None:
    data[_data_start(data, info) + info.compress_size // 2] ^= 0xFF


def _bad_crc(data: bytearray, info: zipfile.ZipInfo) -> None:
    central = _central(data)
    struct.pack_into("<I", data, central + 16, info.CRC ^ 1)


def _other_name(data: bytearray, info: zipfile.ZipInfo) -> None:
    data[info.header_offset + 30] = ord("y")  # the local header names "yl/worksheets/..."


def _cut_short(data: bytearray, info: zipfile.ZipInfo) -> None:
    # The central directory says the part's compressed data is half as long as it is.
    central = _central(data)
    struct.pack_into("<I", data, central + 20, info.compress_size // 2)


@pytest.mark.parametrize(
    "damage",
    [_lying_size, _flipped_byte, _bad_crc, _other_name, _cut_short],
    ids=["lying-size", "flipped-byte", "bad-crc", "other-name", "cut-short"],
)
def test_damaged_parts_fail_as_with_zipfile(tmp_path: Path, damage: Callable) -> None:
    path = _patch(_zip(tmp_path / "b.xlsx", zipfile.ZIP_DEFLATED), damage)
    theirs, ours = _both(path, PART, 4096)
    assert ours == theirs
    assert ours[0] != "ok"


@pytest.mark.parametrize(
    "name", ["zip-bomb-lying-size.xlsx", "zip-bomb.xlsx", "far-apart-cells.xlsx"]
)
def test_catalogue_files_read_as_with_zipfile(name: str) -> None:
    with zipfile.ZipFile(BAD / name) as archive:
        parts = [info.filename for info in archive.infolist() if info.file_size < 64 << 20]
    for part in parts:
        theirs, ours = _both(BAD / name, part, 1 << 20)
        assert ours == theirs, part


def test_an_archive_in_memory_is_read_by_zipfile(tmp_path: Path) -> None:
    data = _zip(tmp_path / "b.xlsx", zipfile.ZIP_DEFLATED).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, open_part(archive, PART) as stream:
        assert isinstance(stream, zipfile.ZipExtFile)
        assert stream.read() == TEXT


def test_isal_inflates_where_installed() -> None:
    """The project depends on isal on every platform it has a wheel for (this one)."""
    assert zip_read.INFLATE.__name__ == "isal.isal_zlib"
