"""The BIFF12 record walker of .xlsb sheets, on streams built record by record."""

from __future__ import annotations

import struct

from hypothesis import example, given
from hypothesis import strategies as st

from applinks.files.xlsb_cells import SheetWalk, walk_xlsb_sheet, xlsb_records
from tests.load_module import load_script

#: One BIFF12 record (type and size as 7-bit variable-length numbers, then the body), as the
#: script that builds the hostile inputs writes it.
_record = load_script("make_bad_inputs")._record


def _plain_records(data: bytes) -> list[tuple[int, int, int]]:
    """The records as MS-XLSB 2.1.4 reads them, a byte at a time: the oracle of the fast path."""

    def number(pos: int, most: int) -> tuple[int, int] | None:
        value = 0
        for shift in range(0, 7 * most, 7):
            if pos >= len(data):
                return None
            value |= (data[pos] & 0x7F) << shift
            pos += 1
            if not data[pos - 1] & 0x80:
                break
        return value, pos

    out, pos = [], 0
    while pos < len(data):
        kind = number(pos, 2)
        size = kind and number(kind[1], 4)
        if kind is None or not size or size[1] + size[0] > len(data):
            break
        out.append((kind[0], size[1], size[1] + size[0]))
        pos = size[1] + size[0]
    return out


@given(st.binary(max_size=300))
@example(bytes([0x06, 0x80, 0x01]) + bytes(200))  # a size of 128: two bytes
@example(bytes([0x80, 0x01, 0x7F]) + bytes(200))  # a type of 128: two bytes
def test_any_bytes_walk_as_the_plain_reading_walks_them(data: bytes) -> None:
    assert list(xlsb_records(data)) == _plain_records(data)


@given(st.lists(st.tuples(st.integers(0, 0x3FFF), st.binary(max_size=200)), max_size=20))
@example([(0x06, bytes(127)), (0x06, bytes(128)), (0x7F, b""), (0x80, b"")])
def test_records_come_back_as_written(records: list[tuple[int, bytes]]) -> None:
    data = b"".join(_record(kind, body) for kind, body in records)
    walked = [(kind, data[start:end]) for kind, start, end in xlsb_records(data)]
    assert walked == records


def _row(index: int) -> bytes:
    return _record(0x00, struct.pack("<IIHHBBI", index, 0, 300, 0, 0, 0, 0))  # BrtRowHdr


def _error(column: int, code: int, *, formula: bool = False) -> bytes:
    # BrtCellError (0x03) or BrtFmlaError (0x0B): column, style, the error's code
    return _record(0x0B if formula else 0x03, struct.pack("<IIB", column, 0, code) + b"\0" * 6)


def test_the_walk_finds_the_extent_and_the_error_cells_of_the_sheet_data() -> None:
    """Error cells from BrtBeginSheetData to BrtEndSheetData (rows 1-based); the extent over
    the whole part, short records left out of it."""
    stream = (
        _record(0x91)  # BrtBeginSheetData
        + _error(2, 0x17)  # before any row: no row to put it in
        + _row(0)
        + _error(0, 0x2A)
        + _row(4)
        + _error(1, 0x07, formula=True)
        + _error(3, 0x99)  # not an error code
        + _record(0x06, b"\1\0")  # a cell too short to name its column
        + _record(0x00, b"\x14")  # a row header too short: its row for the cells, not the extent
        + _error(0, 0x24)
        + _record(0x92)  # BrtEndSheetData
        + _row(9)
        + _error(5, 0x17)
    )
    assert walk_xlsb_sheet(stream) == SheetWalk(
        last_row=9, last_column=5, errors={0: {1: "#N/A", 21: "#NUM!"}, 1: {5: "#DIV/0!"}}
    )
    assert walk_xlsb_sheet(b"") == SheetWalk(last_row=0, last_column=0, errors={})
