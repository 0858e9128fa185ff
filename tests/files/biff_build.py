"""Build .xls files record by record, for tests of the BIFF8 walker (MS-XLS, MS-CFB).

:func:`workbook` lays out a globals substream (BOF, the given FORMAT and XF records, one
BOUNDSHEET8 per sheet, EOF) and the sheets' substreams; :func:`compound_file` wraps a stream
in the smallest OLE compound file that olefile and Excel's readers accept.
"""

from __future__ import annotations

import struct

BOF, EOF, CONTINUE, FILEPASS = 0x0809, 0x000A, 0x003C, 0x002F
FORMAT, XF, BOUNDSHEET = 0x041E, 0x00E0, 0x0085
NUMBER, RK, MULRK, FORMULA, BOOLERR, HLINK = 0x0203, 0x027E, 0x00BD, 0x0006, 0x0205, 0x01B8
FILLER = 0x00E1  # INTERFACEHDR: a record the walker passes over

STD_LINK = bytes.fromhex("d0c9ea79f9bace118c8200aa004ba90b")
URL_MONIKER = bytes.fromhex("e0c9ea79f9bace118c8200aa004ba90b")
FILE_MONIKER = bytes.fromhex("0303000000000000c000000000000046")


def record(rtype: int, body: bytes = b"", *, length: int | None = None) -> bytes:
    """One record; ``length`` overrides the length field (for records that lie about it)."""
    return struct.pack("<HH", rtype, len(body) if length is None else length) + body


def bof(kind: int, version: int = 0x0600) -> bytes:
    """BOF: ``kind`` 0x0005 for the globals, 0x0010 for a worksheet."""
    return record(BOF, struct.pack("<HHHHII", version, kind, 0x0DBB, 0x07CC, 0, 6))


def format_record(
    ifmt: int,
    code: str,
    *,
    wide: bool = False,
    cut: int | None = None,
    rest_wide: bool | None = None,
) -> bytes:
    """FORMAT, its code cut after ``cut`` characters into a CONTINUE record when asked (whose
    characters are two bytes wide when ``rest_wide``, by default as wide as the first ones)."""
    encoding, flag = ("utf-16-le", 1) if wide else ("latin-1", 0)
    head = struct.pack("<HHB", ifmt, len(code), flag)
    if cut is None:
        return record(FORMAT, head + code.encode(encoding))
    first, rest = code[:cut], code[cut:]
    rest_encoding, rest_flag = (
        ("utf-16-le", 1) if (wide if rest_wide is None else rest_wide) else ("latin-1", 0)
    )
    return record(FORMAT, head + first.encode(encoding)) + record(
        CONTINUE, bytes([rest_flag]) + rest.encode(rest_encoding)
    )


def xf(ifmt: int, *, style: bool = False) -> bytes:
    """XF: font 0, format ``ifmt``; a style XF (the base of cell XFs) when ``style``."""
    flags = 0xFFF5 if style else 0x0001
    return record(XF, struct.pack("<HHH", 0, ifmt, flags) + bytes(14))


def number(row: int, column: int, xf_index: int, value: float) -> bytes:
    return record(NUMBER, struct.pack("<HHHd", row, column, xf_index, value))


def rk(row: int, column: int, xf_index: int, value: int) -> bytes:
    """RK holding a whole number (fInt)."""
    return record(RK, struct.pack("<HHHi", row, column, xf_index, (value << 2) | 2))


def mulrk(row: int, first: int, cells: list[tuple[int, int]]) -> bytes:
    """MULRK: (XF, whole number) for columns ``first``, ``first + 1``, ..."""
    body = struct.pack("<HH", row, first)
    for xf_index, value in cells:
        body += struct.pack("<Hi", xf_index, (value << 2) | 2)
    return record(MULRK, body + struct.pack("<H", first + len(cells) - 1))


def formula(row: int, column: int, xf_index: int, result: bytes, tokens: bytes = b"") -> bytes:
    """FORMULA with an 8-byte cached ``result`` and parsed ``tokens``."""
    head = struct.pack("<HHH", row, column, xf_index) + result + struct.pack("<HI", 0, 0)
    return record(FORMULA, head + struct.pack("<H", len(tokens)) + tokens)


def number_result(value: float) -> bytes:
    return struct.pack("<d", value)


def error_result(code: int) -> bytes:
    return bytes([2, 0, code, 0, 0, 0, 0xFF, 0xFF])


def boolerr(row: int, column: int, xf_index: int, value: int, *, error: bool) -> bytes:
    return record(BOOLERR, struct.pack("<HHHBB", row, column, xf_index, value, int(error)))


def ptg_str(text: str) -> bytes:
    return bytes([0x17, len(text), 0]) + text.encode("latin-1")


def ptg_hyperlink(arguments: int) -> bytes:
    """PtgFuncVar calling HYPERLINK (function 359) with ``arguments`` arguments."""
    return bytes([0x42, arguments]) + struct.pack("<H", 359)


def _hyperlink_string(text: str) -> bytes:
    return struct.pack("<I", len(text) + 1) + (text + "\x00").encode("utf-16-le")


def hlink(
    area: tuple[int, int, int, int],
    *,
    url: str | None = None,
    file: str | None = None,
    location: str | None = None,
    display: str | None = None,
) -> bytes:
    """HLINK over (first row, last row, first column, last column), 0-based, to a URL, a file
    or a location alone."""
    flags = 0
    body = b""
    if display is not None:
        flags |= 0x14
        body += _hyperlink_string(display)
    if url is not None:
        flags |= 0x03
        text = (url + "\x00").encode("utf-16-le")
        body += URL_MONIKER + struct.pack("<I", len(text)) + text
    elif file is not None:
        flags |= 0x01
        name = file.encode("latin-1") + b"\x00"
        body += FILE_MONIKER + struct.pack("<HI", 0, len(name)) + name + bytes(24)
    if location is not None:
        flags |= 0x08
        body += _hyperlink_string(location)
    head = struct.pack("<HHHH", *area) + STD_LINK + struct.pack("<II", 2, flags)
    return record(HLINK, head + body)


def workbook(
    globals_records: bytes,
    sheets: list[tuple[str, bytes]],
    *,
    size: int = 4096,
    kinds: list[int] | None = None,
) -> bytes:
    """Return a BIFF8 workbook stream: BOF, ``globals_records``, a BOUNDSHEET8 per sheet
    (``kinds`` are their types: 0 a worksheet, the default, 2 a chart), EOF, then each
    sheet's BOF, records and EOF. A filler record in the globals makes the stream at least
    ``size`` bytes (a compound file keeps streams under 4,096 bytes elsewhere)."""
    types = kinds or [0] * len(sheets)

    def boundsheets(offsets: list[int]) -> bytes:
        return b"".join(
            record(BOUNDSHEET, struct.pack("<IBB", offset, 0, kind) + _short(name))
            for offset, kind, (name, _) in zip(offsets, types, sheets, strict=True)
        )

    bodies = [bof(0x0010) + cells + record(EOF) for _, cells in sheets]
    head = bof(0x0005) + globals_records + boundsheets([0] * len(sheets))
    filler_size = max(0, size - len(head) - 4 - 4 - sum(map(len, bodies)))
    head += record(FILLER, bytes(filler_size)) + record(EOF)
    offsets = []
    position = len(head)
    for body in bodies:
        offsets.append(position)
        position += len(body)
    head = head.replace(boundsheets([0] * len(sheets)), boundsheets(offsets), 1)
    return head + b"".join(bodies)


def _short(text: str) -> bytes:
    return bytes([len(text), 0]) + text.encode("latin-1")


_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """Wrap ``stream`` (4,096 bytes or more, under 63 KiB) in an OLE compound file: header,
    one FAT sector, one directory sector, then the stream's sectors."""
    assert 4096 <= len(stream) <= 126 * 512
    sectors = -(-len(stream) // 512)
    fat = [_FAT, _END] + [3 + i for i in range(sectors - 1)] + [_END]
    fat += [_FREE] * (128 - len(fat))
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    directory = (
        _entry("Root Entry", 5, child=1, start=_END, size=0)
        + _entry(name, 2, child=_NONE, start=2, size=len(stream))
        + _entry("", 0, child=_NONE, start=0, size=0) * 2
    )
    body = struct.pack("<128I", *fat) + directory + stream
    return header + body + bytes(-len(body) % 512)


def _entry(name: str, kind: int, *, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", _NONE, _NONE, child)
        + bytes(16 + 4 + 16)
        + struct.pack("<IQ", start, size)
    )
