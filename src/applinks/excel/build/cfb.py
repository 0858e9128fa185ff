"""Write a Compound File Binary ([MS-CFB]) version 3 file from a tree of streams.

Only what a VBA project needs: storages and streams, 512-byte sectors, a mini stream for
streams under 4096 bytes, at most 109 FAT sectors (about 6.8 MB), no timestamps and zero class
ids, so the same tree always gives the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_HEADER_DIFAT_SLOTS = 109
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")

# A tree is a mapping of name to bytes (a stream) or to another mapping (a storage).
Tree = Mapping[str, "bytes | Tree"]


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    black: bool = True
    depth: int = 0
    start: int = ENDOFCHAIN


def _sort_key(name: str) -> tuple[int, str]:
    # [MS-CFB] 2.6.4: shorter names first, then by upper-cased UTF-16 code units.
    return (len(name.encode("utf-16-le")), name.upper())


def _build_entries(name: str, kind: int, tree: Tree) -> _Entry:
    entry = _Entry(name, kind)
    for child_name, value in tree.items():
        if len(child_name) > 31:
            raise ValueError(f"name longer than 31 characters: {child_name!r}")
        if isinstance(value, bytes | bytearray):
            entry.children.append(_Entry(child_name, 2, bytes(value)))
        else:
            entry.children.append(_build_entries(child_name, 1, value))
    return entry


def _balanced_tree(children: list[_Entry], depth: int, deepest: list[int]) -> int:
    """Link ``children`` (sorted) as a balanced binary tree; return the root's index."""
    if not children:
        return NOSTREAM
    middle = len(children) // 2
    node = children[middle]
    node.left = _balanced_tree(children[:middle], depth + 1, deepest)
    node.right = _balanced_tree(children[middle + 1 :], depth + 1, deepest)
    node.depth = depth
    deepest[0] = max(deepest[0], depth)
    return node.index


def _colour(children: list[_Entry]) -> None:
    # Splitting at the middle puts every empty link on the last two levels. Colouring only the
    # deepest level red (when it is not full) gives every path the same number of black nodes,
    # so the sibling tree is a valid red-black tree as [MS-CFB] asks.
    deepest = [0]
    _balanced_tree(children, 0, deepest)
    full = len(children) == 2 ** (deepest[0] + 1) - 1
    for node in children:
        node.black = full or node.depth < deepest[0]


def write_compound_file(tree: Tree) -> bytes:
    """Return the bytes of a compound file holding ``tree`` under its root storage.

    Longer than 80 lines on purpose: it lays the file out in the order [MS-CFB] 2.2-2.9 gives
    (directory numbering, mini stream and mini FAT, sectors, FAT and DIFAT, header), each step
    using the sector numbers of the one before; cut in pieces, that order would be lost.
    """
    root = _build_entries("Root Entry", 5, tree)
    entries: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entry.index = len(entries)
        entries.append(entry)
        entry.children.sort(key=lambda e: _sort_key(e.name))
        for child in entry.children:
            number(child)

    number(root)
    for entry in entries:
        if entry.children:
            _colour(entry.children)
            entry.child = entry.children[len(entry.children) // 2].index

    # Small streams live in the mini stream, in directory order.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    for entry in entries:
        if entry.kind == 2 and 0 < len(entry.data) < MINI_CUTOFF:
            entry.start = len(mini_stream) // MINI_SECTOR
            count = -(-len(entry.data) // MINI_SECTOR)
            mini_fat += [entry.start + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
            mini_stream += entry.data.ljust(count * MINI_SECTOR, b"\x00")
    big_streams = [e for e in entries if e.kind == 2 and len(e.data) >= MINI_CUTOFF]

    def sectors(size: int) -> int:
        return -(-size // SECTOR)

    dir_sectors = sectors(len(entries) * 128)
    mini_fat_sectors = sectors(len(mini_fat) * 4)
    mini_stream_sectors = sectors(len(mini_stream))
    data_sectors = (
        dir_sectors
        + mini_fat_sectors
        + mini_stream_sectors
        + sum(sectors(len(e.data)) for e in big_streams)
    )
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < fat_sectors + data_sectors:
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT_SLOTS:
        raise ValueError("compound file too large for this writer")

    fat: list[int] = [FATSECT] * fat_sectors
    body = bytearray()

    def place(data: bytes) -> int:
        if not data:
            return ENDOFCHAIN
        start = len(fat)
        count = sectors(len(data))
        fat.extend(start + i + 1 for i in range(count - 1))
        fat.append(ENDOFCHAIN)
        body.extend(data.ljust(count * SECTOR, b"\x00"))
        return start

    dir_start_placeholder = len(fat)
    place(b"\x00" * (dir_sectors * SECTOR))  # directory, filled in below
    mini_fat_start = place(b"".join(struct.pack("<I", v) for v in mini_fat))
    root.start = place(bytes(mini_stream))
    for entry in big_streams:
        entry.start = place(entry.data)

    directory = bytearray()
    for entry in entries:
        directory += _directory_entry(entry, len(mini_stream))
    free = struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"", 0, 0, 0, 0, 0
    )
    while len(directory) % SECTOR:
        directory += free
    offset = (dir_start_placeholder - fat_sectors) * SECTOR
    body[offset : offset + len(directory)] = directory

    fat += [FREESECT] * (fat_sectors * (SECTOR // 4) - len(fat))
    difat = list(range(fat_sectors)) + [FREESECT] * (_HEADER_DIFAT_SLOTS - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _SIGNATURE,
        b"",
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"",
        0,
        fat_sectors,
        dir_start_placeholder,
        0,
        MINI_CUTOFF,
        mini_fat_start if mini_fat else ENDOFCHAIN,
        mini_fat_sectors,
        ENDOFCHAIN,
        0,
    ) + struct.pack(f"<{_HEADER_DIFAT_SLOTS}I", *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + bytes(body)


def _directory_entry(entry: _Entry, mini_stream_size: int) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\x00\x00"
    if entry.kind == 5:
        start, size = (entry.start, mini_stream_size) if mini_stream_size else (ENDOFCHAIN, 0)
    elif entry.kind == 2:
        start, size = (entry.start, len(entry.data)) if entry.data else (ENDOFCHAIN, 0)
    else:
        start, size = 0, 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        entry.kind,
        1 if entry.black else 0,
        entry.left,
        entry.right,
        entry.child,
        b"",
        0,
        0,
        0,
        start,
        size,
    )
