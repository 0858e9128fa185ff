"""Compress and decompress VBA source as [MS-OVBA] section 2.4.1 specifies.

The compressor follows the specification's own algorithm (longest match, nearest candidate on
ties), so its output is the same bytes as the worked examples of [MS-OVBA] section 3.2. A hash
of the next three bytes picks the candidates, which gives the same result as the specification's
full scan because a match shorter than three bytes is never used.
"""

from __future__ import annotations

import struct

CHUNK_SIZE = 4096
_SIGNATURE = 0x01
_RAW_CHUNK_TOTAL = 4098  # 2-byte header + 4096 bytes


def _copy_token_layout(position: int) -> tuple[int, int]:
    """Return (bit count of the offset, maximum length) at ``position`` within a chunk."""
    bit_count = max((position - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _match_length(data: bytes, candidate: int, current: int, limit: int) -> int:
    """Length of the common run at ``candidate`` and ``current``, at most ``limit`` bytes."""
    # Equal prefixes stay equal when shortened, so a binary search over slices works and runs
    # in C. Overlapping runs compare the original bytes, which is what a decoder reproduces.
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if data[candidate : candidate + middle] == data[current : current + middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """Compress ``data[start:end]`` (at most 4096 bytes) into one chunk with its header."""
    out = bytearray()
    positions: dict[bytes, list[int]] = {}
    current = start
    while current < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= end:
                break
            bit_count, max_length = _copy_token_layout(current - start)
            best_length, best_candidate = 0, 0
            key = data[current : current + 3]
            if len(key) == 3 and current + 3 <= end:
                limit = min(max_length, end - current)
                for candidate in reversed(positions.get(key, ())):
                    length = _match_length(data, candidate, current, limit)
                    if length > best_length:
                        best_length, best_candidate = length, candidate
                        if length == limit:
                            break
            if best_length >= 3:
                offset = current - best_candidate
                token = ((offset - 1) << (16 - bit_count)) | (best_length - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_length
            else:
                out.append(data[current])
                step = 1
            for position in range(current, current + step):
                positions.setdefault(data[position : position + 3], []).append(position)
            current += step
        out[flag_index] = flags
    if len(out) + 2 > _RAW_CHUNK_TOTAL:
        raw = data[start:end].ljust(CHUNK_SIZE, b"\x00")
        return struct.pack("<H", 0x3000 | (CHUNK_SIZE - 1)) + raw
    header = 0x8000 | 0x3000 | (len(out) + 2 - 3)
    return struct.pack("<H", header) + bytes(out)


def compress(data: bytes) -> bytes:
    """Return the CompressedContainer for ``data``.

    >>> compress(b"abcdefghijklmnopqrstuv.").hex(" ")[:23]
    '01 19 b0 00 61 62 63 64'
    """
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        out += _compress_chunk(data, start, min(start + CHUNK_SIZE, len(data)))
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Return the bytes held in a CompressedContainer; raise ``ValueError`` if it is damaged."""
    if not container or container[0] != _SIGNATURE:
        raise ValueError("not an MS-OVBA compressed container (bad signature byte)")
    out = bytearray()
    index = 1
    while index < len(container):
        if index + 2 > len(container):
            raise ValueError("truncated chunk header")
        (header,) = struct.unpack_from("<H", container, index)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0x7 != 0b011:
            raise ValueError("bad chunk signature")
        chunk_end = min(index + size, len(container))
        index += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += container[index : index + CHUNK_SIZE]
            index += CHUNK_SIZE
            continue
        while index < chunk_end:
            flags = container[index]
            index += 1
            for bit in range(8):
                if index >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(container[index])
                    index += 1
                    continue
                (token,) = struct.unpack_from("<H", container, index)
                index += 2
                bit_count, _ = _copy_token_layout(len(out) - chunk_start)
                length = (token & (0xFFFF >> bit_count)) + 3
                offset = (token >> (16 - bit_count)) + 1
                source = len(out) - offset
                if source < chunk_start:
                    raise ValueError("copy token points before its chunk")
                for step in range(length):
                    out.append(out[source + step])
    return bytes(out)
