"""MS-OVBA compression: the worked examples of [MS-OVBA] 3.2, and round trips."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from applinks.excel.build.compression import compress, decompress

EXAMPLES = [
    pytest.param(
        b"abcdefghijklmnopqrstuv.",
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
        id="3.2.1-no-compression",
    ),
    pytest.param(
        b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20 "
        "6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C",
        id="3.2.2-normal",
    ),
    pytest.param(b"a" * 73, "01 03 B0 02 61 45 00", id="3.2.3-maximum"),
]


@pytest.mark.parametrize(("plain", "compressed"), EXAMPLES)
def test_compress_gives_the_specification_bytes(plain: bytes, compressed: str) -> None:
    assert compress(plain) == bytes.fromhex(compressed)


@pytest.mark.parametrize(("plain", "compressed"), EXAMPLES)
def test_decompress_reads_the_specification_bytes(plain: bytes, compressed: str) -> None:
    assert decompress(bytes.fromhex(compressed)) == plain


def test_empty_input_is_the_signature_byte_alone() -> None:
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""


def test_several_chunks_round_trip_through_oletools() -> None:
    text = b"".join(b"Sub Line%d()\r\n    x = %d\r\nEnd Sub\r\n" % (i, i * 7) for i in range(900))
    assert len(text) > 3 * 4096
    packed = compress(text)
    assert bytes(decompress_stream(bytearray(packed))) == text
    assert decompress(packed) == text


def test_incompressible_chunk_is_stored_raw() -> None:
    data = random.Random(4).randbytes(4096)
    packed = compress(data)
    assert packed[1:3] == bytes.fromhex("FF 3F")  # raw chunk: flag 0, size 4095
    assert decompress(packed) == data


def test_damaged_container_is_refused() -> None:
    with pytest.raises(ValueError, match="signature"):
        decompress(b"\x02\x00")


texts = st.one_of(
    st.binary(max_size=9000),
    st.lists(
        st.sampled_from([b"a", b"ab", b"End Sub\r\n", b" ", b"\x00", b"xyz"]), max_size=3000
    ).map(b"".join),
)


def _same(out: bytes, data: bytes) -> bool:
    # [MS-OVBA] pads a raw (incompressible) last chunk with zeros up to 4096 bytes.
    padding = out[len(data) :]
    return out[: len(data)] == data and (not padding or (len(out) % 4096 == 0 and not any(padding)))


@settings(max_examples=150, deadline=None)
@given(texts)
def test_round_trip_with_our_decompressor(data: bytes) -> None:
    assert _same(decompress(compress(data)), data)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_round_trip_with_oletools(data: bytes) -> None:
    assert _same(bytes(decompress_stream(bytearray(compress(data)))), data)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="Sub End()x=1 \r\n'", max_size=6000))
def test_source_text_round_trips_exactly(text: str) -> None:
    data = text.encode()
    assert decompress(compress(data)) == data
