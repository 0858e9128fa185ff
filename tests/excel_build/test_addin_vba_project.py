"""The compound file and VBA project writers, read back with olefile and oletools."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile

import olefile
import pytest

from applinks.excel.build.cfb import write_compound_file
from applinks.excel.build.compression import decompress
from applinks.excel.build.vba_project import (
    STANDARD,
    VbaModule,
    decrypt,
    dir_stream,
    encrypt,
    project_stream,
    write_vba_project,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

PROJECT_ID = "{6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}"


def test_compound_file_reads_back_with_olefile() -> None:
    tree = {
        "PROJECT": b"p" * 100,
        "PROJECTwm": bytes(range(256)) * 20,  # a big stream (over 4096 bytes)
        "VBA": {f"M{i}": bytes([i]) * (i * 37) for i in range(1, 12)} | {"Empty": b""},
    }
    data = write_compound_file(tree)
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    read = {"/".join(path): ole.openstream("/".join(path)).read() for path in ole.listdir()}
    expected = {"PROJECT": tree["PROJECT"], "PROJECTwm": tree["PROJECTwm"]}
    expected |= {f"VBA/{name}": value for name, value in tree["VBA"].items()}
    assert read == expected
    assert write_compound_file(tree) == data


def test_obfuscated_fields_decrypt_like_xlwings_own_template() -> None:
    # xlwings' quickstart add-in (built and opened by Excel) holds these for its project id.
    xlwings_id = "{318BEE36-5BE1-492A-826D-473DB19B0F30}"
    key = sum(xlwings_id.encode()) & 0xFF
    assert decrypt("5D5F8AADDAA8DEA8DEA8DEA8DE") == (key, bytes(4))
    assert decrypt("5D5F8AADDAADDBADDBAD") == (key, b"\x00")
    assert decrypt("5D5F8AADDAADDBADDB52") == (key, b"\xff")
    for seed in (0x11, 0x13, 0x15, 0x5D):
        assert decrypt(encrypt(b"\xff", PROJECT_ID, seed)) == (
            sum(PROJECT_ID.encode()) & 0xFF,
            b"\xff",
        )


def test_project_stream_text() -> None:
    modules = [VbaModule("Main", STANDARD, 'Attribute VB_Name = "Main"\r\n')]
    lines = project_stream("applinks", PROJECT_ID, modules).decode("cp1252").split("\r\n")
    assert lines[:5] == [
        f'ID="{PROJECT_ID}"',
        "Module=Main",
        'Name="applinks"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
    ]
    assert [decrypt(line.split('"')[1])[1] for line in lines[5:8]] == [bytes(4), b"\x00", b"\xff"]
    assert lines[8:] == [
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "",
    ]


def test_dir_stream_records_end_with_the_terminator() -> None:
    modules = [VbaModule("Main", STANDARD, 'Attribute VB_Name = "Main"\r\n')]
    data = dir_stream("applinks", modules)
    ids = []
    index = 0
    while index < len(data):
        record_id, size = struct.unpack_from("<HI", data, index)
        ids.append(record_id)
        index += 6 + (6 if record_id == 0x0009 else size)
    assert index == len(data)
    assert ids[:4] == [0x0001, 0x0002, 0x0014, 0x0003]
    assert ids[-12:] == [
        0x0019,
        0x0047,
        0x001A,
        0x0032,
        0x001C,
        0x0048,
        0x0031,
        0x001E,
        0x002C,
        0x0021,
        0x002B,
        0x0010,
    ]


def test_project_without_excel_reads_back_with_olevba(tmp_path) -> None:
    source = 'Attribute VB_Name = "Main"\r\nSub Hello()\r\n    MsgBox "Hi"\r\nEnd Sub\r\n'
    vba = write_vba_project("demo", PROJECT_ID, [VbaModule("Main", STANDARD, source)])
    ole = olefile.OleFileIO(vba)
    assert decompress(ole.openstream("VBA/Main").read()).decode() == source
    book = tmp_path / "demo.xlsm"
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("xl/vbaProject.bin", vba)
    parser = VBA_Parser(str(book))
    assert [(name, code) for _, _, name, code in parser.extract_macros()] == [("Main.bas", source)]


def test_modules_must_use_crlf_and_start_with_their_name() -> None:
    with pytest.raises(ValueError, match="CRLF"):
        VbaModule("Main", STANDARD, 'Attribute VB_Name = "Main"\nSub X()\r\n')
    with pytest.raises(ValueError, match="VB_Name"):
        VbaModule("Main", STANDARD, 'Attribute VB_Name = "Other"\r\n')
