"""Write a source-only VBA project (``vbaProject.bin``) as [MS-OVBA] describes.

The project carries no compiled code: ``_VBA_PROJECT`` is the 7-byte header with version
0xFFFF, so Office compiles the modules from their source when it opens the file
([MS-OVBA] 2.3.4.1). Module streams hold only compressed source (MODULEOFFSET 0).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from .cfb import write_compound_file
from .compression import compress

CODE_PAGE = 1252
STANDARD = "standard"
CLASS = "class"
DOCUMENT = "document"

# Type libraries every Excel project references. VBA finds them by GUID and version; the
# path is only a hint for the machine that wrote the file.
REFERENCES = (
    (
        "stdole",
        "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
        "C:\\Windows\\System32\\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL#"
        "Microsoft Office 16.0 Object Library",
    ),
)
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"


@dataclass(frozen=True)
class VbaModule:
    """One module of a VBA project: its name, kind and source as the module stream holds it.

    ``source`` starts with ``Attribute VB_Name = "<name>"``; line ends are CRLF.
    """

    name: str
    kind: str
    source: str

    def __post_init__(self) -> None:
        if self.kind not in (STANDARD, CLASS, DOCUMENT):
            raise ValueError(f"unknown module kind {self.kind!r}")
        if not self.source.startswith(f'Attribute VB_Name = "{self.name}"'):
            raise ValueError(f"module {self.name} does not start with its VB_Name attribute")
        if "\n" in self.source.replace("\r\n", ""):
            raise ValueError(f"module {self.name} has a line end that is not CRLF")

    @property
    def docstring(self) -> str:
        """Return the module's description (its ``VB_Description`` attribute), or ``""``.

        Only the attribute block at the top counts (``Attribute Member.VB_Description`` lines
        describe procedures). VBE writes a line break in a description as the two characters
        ``\\r`` / ``\\n`` and ``"`` as ``""``; the dir stream holds the text itself (compare
        ``Dictionary`` in xlwings' Excel-saved ``xlwings.xlam``).
        """
        for line in self.source.split("\r\n"):
            if not line.startswith("Attribute VB_"):
                return ""
            match = re.fullmatch(r'Attribute VB_Description = "(.*)"', line)
            if match:
                text = match.group(1).replace('""', '"')
                return text.replace("\\r", "\r").replace("\\n", "\n")
        return ""


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _text_record(record_id: int, unicode_id: int, text: str) -> bytes:
    """A record with an MBCS string followed by its UTF-16 twin (e.g. PROJECTDOCSTRING)."""
    return _record(record_id, text.encode("cp1252")) + _record(unicode_id, text.encode("utf-16-le"))


def dir_stream(project_name: str, modules: Sequence[VbaModule]) -> bytes:
    """Return the uncompressed ``dir`` stream ([MS-OVBA] 2.3.4.2)."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 1))  # PROJECTSYSKIND: 32-bit Windows
    out += _record(0x0002, struct.pack("<I", 0x0409))  # PROJECTLCID
    out += _record(0x0014, struct.pack("<I", 0x0409))  # PROJECTLCIDINVOKE
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))  # PROJECTCODEPAGE
    out += _record(0x0004, project_name.encode("cp1252"))  # PROJECTNAME
    out += _text_record(0x0005, 0x0040, "")  # PROJECTDOCSTRING
    out += _text_record(0x0006, 0x003D, "")  # PROJECTHELPFILEPATH (two copies)
    out += _record(0x0007, struct.pack("<I", 0))  # PROJECTHELPCONTEXT
    out += _record(0x0008, struct.pack("<I", 0))  # PROJECTLIBFLAGS
    # PROJECTVERSION: the size field says 4 but the record carries 6 bytes.
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)
    out += _text_record(0x000C, 0x003C, "")  # PROJECTCONSTANTS
    for name, libid in REFERENCES:
        out += _text_record(0x0016, 0x003E, name)  # REFERENCENAME
        raw = libid.encode("cp1252")
        out += _record(0x000D, struct.pack("<I", len(raw)) + raw + struct.pack("<IH", 0, 0))
    out += _record(0x000F, struct.pack("<H", len(modules)))  # PROJECTMODULES
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for module in modules:
        out += _record(0x0019, module.name.encode("cp1252"))  # MODULENAME
        out += _record(0x0047, module.name.encode("utf-16-le"))  # MODULENAMEUNICODE
        out += _text_record(0x001A, 0x0032, module.name)  # MODULESTREAMNAME
        out += _text_record(0x001C, 0x0048, module.docstring)  # MODULEDOCSTRING
        out += _record(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: source only
        out += _record(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        out += _record(0x0021 if module.kind == STANDARD else 0x0022, b"")  # MODULETYPE
        out += _record(0x002B, b"")  # TERMINATOR
    out += _record(0x0010, b"")  # end of dir stream
    return bytes(out)


def encrypt(data: bytes, project_id: str, seed: int) -> str:
    """Obfuscate ``data`` as [MS-OVBA] 2.4.3.2 describes; return the hex text.

    ``seed`` is random in Office; a fixed seed keeps the build reproducible.
    """
    version = 2
    project_key = sum(project_id.encode("cp1252")) & 0xFF
    version_enc = seed ^ version
    project_key_enc = seed ^ project_key
    out = [seed, version_enc, project_key_enc]
    unencrypted_1, encrypted_1, encrypted_2 = project_key, project_key_enc, version_enc
    ignored_length = (seed & 6) // 2
    plain = bytes(ignored_length) + struct.pack("<I", len(data)) + data
    for byte in plain:
        byte_enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(byte_enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    return bytes(out).hex().upper()


def decrypt(text: str) -> tuple[int, bytes]:
    """Return (project key, data) from the hex text :func:`encrypt` writes."""
    raw = bytes.fromhex(text)
    seed, version_enc, project_key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise ValueError("unknown encryption version")
    project_key = seed ^ project_key_enc
    unencrypted_1, encrypted_1, encrypted_2 = project_key, project_key_enc, version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    ignored_length = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", plain, ignored_length)
    data = bytes(plain[ignored_length + 4 : ignored_length + 4 + length])
    return project_key, data


def project_stream(project_name: str, project_id: str, modules: Sequence[VbaModule]) -> bytes:
    """Return the ``PROJECT`` stream ([MS-OVBA] 2.3.1): the project's text properties."""
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.kind == DOCUMENT:
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == CLASS:
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        # Not protected, no password, visible; fixed seeds keep the bytes the same per build.
        f'CMG="{encrypt(bytes(4), project_id, seed=0x11)}"',
        f'DPB="{encrypt(bytes(1), project_id, seed=0x13)}"',
        f'GC="{encrypt(bytes([0xFF]), project_id, seed=0x15)}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
    ]
    return "\r\n".join(lines).encode("cp1252") + b"\r\n"


def project_wm_stream(modules: Sequence[VbaModule]) -> bytes:
    """Return the ``PROJECTwm`` stream: each module name in MBCS and in UTF-16."""
    out = bytearray()
    for module in modules:
        out += module.name.encode("cp1252") + b"\x00"
        out += module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def write_vba_project(project_name: str, project_id: str, modules: Sequence[VbaModule]) -> bytes:
    """Return the bytes of a ``vbaProject.bin`` holding ``modules`` as source only."""
    names = [m.name.lower() for m in modules]
    if len(set(names)) != len(names):
        raise ValueError("two modules have the same name")
    vba: dict[str, bytes] = {
        "_VBA_PROJECT": bytes.fromhex("CC61FFFF000100"),
        "dir": compress(dir_stream(project_name, modules)),
    }
    for module in modules:
        vba[module.name] = compress(module.source.encode("cp1252"))
    return write_compound_file(
        {
            "VBA": vba,
            "PROJECT": project_stream(project_name, project_id, modules),
            "PROJECTwm": project_wm_stream(modules),
        }
    )
