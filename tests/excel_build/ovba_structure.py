"""Read the structure of an Excel package and its VBA project, to compare two files.

Each fact is a short text such as ``part: xl/theme/theme#.xml`` or
``dir record: PROJECTCOMPATVERSION (0x004A)``; two files differ structurally where one has a fact
the other lacks. Names that only number things (``sheet2.xml``, ``rId3``, module names) are
folded so that files with different sheets and modules compare by kind. Readers: zipfile,
ElementTree, olefile, oletools' decompressor.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree as etree

import olefile

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from oletools.olevba import decompress_stream

#: [MS-OVBA] 2.3.4.2 record names, for the facts.
RECORDS = {
    0x01: "PROJECTSYSKIND",
    0x4A: "PROJECTCOMPATVERSION",
    0x02: "PROJECTLCID",
    0x14: "PROJECTLCIDINVOKE",
    0x03: "PROJECTCODEPAGE",
    0x04: "PROJECTNAME",
    0x05: "PROJECTDOCSTRING",
    0x06: "PROJECTHELPFILEPATH",
    0x07: "PROJECTHELPCONTEXT",
    0x08: "PROJECTLIBFLAGS",
    0x09: "PROJECTVERSION",
    0x0C: "PROJECTCONSTANTS",
    0x16: "REFERENCENAME",
    0x33: "REFERENCEORIGINAL",
    0x2F: "REFERENCECONTROL",
    0x30: "REFERENCECONTROL (extended part)",
    0x0D: "REFERENCEREGISTERED",
    0x0E: "REFERENCEPROJECT",
    0x0F: "PROJECTMODULES",
    0x13: "PROJECTCOOKIE",
    0x19: "MODULENAME",
    0x47: "MODULENAMEUNICODE",
    0x1A: "MODULESTREAMNAME",
    0x1C: "MODULEDOCSTRING",
    0x31: "MODULEOFFSET",
    0x1E: "MODULEHELPCONTEXT",
    0x2C: "MODULECOOKIE",
    0x21: "MODULETYPE standard",
    0x22: "MODULETYPE document or class",
    0x25: "MODULEREADONLY",
    0x28: "MODULEPRIVATE",
    0x2B: "TERMINATOR",
    0x10: "dir end",
}
# The second half of a record pair ([MS-OVBA]: "Reserved" ids 0x40, 0x3D, 0x3C, 0x3E, 0x32, 0x48).
_TWINS = {0x40, 0x3D, 0x3C, 0x3E, 0x32, 0x48}
#: Records whose value is a fact (the kind of system, the locale, the code page).
_VALUES = {0x01, 0x02, 0x03}
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def fold(name: str) -> str:
    """Fold numbered part names: ``xl/worksheets/sheet3.xml`` -> ``xl/worksheets/sheet#.xml``."""
    return re.sub(r"(sheet|theme)\d+", r"\1#", name)


def dir_records(data: bytes) -> list[tuple[int, bytes]]:
    """Split an uncompressed dir stream into (id, data) records (PROJECTVERSION carries 6)."""
    out, at = [], 0
    while at < len(data):
        record_id, size = struct.unpack_from("<HI", data, at)
        size = 6 if record_id == 0x09 else size
        out.append((record_id, data[at + 6 : at + 6 + size]))
        at += 6 + size
    return out


def package_facts(archive: zipfile.ZipFile) -> set[str]:
    """Parts, content types and relationships of the zip package."""
    facts = {f"part: {fold(name)}" for name in archive.namelist()}
    types = etree.fromstring(archive.read("[Content_Types].xml"))
    for item in types:
        tag = item.tag.rsplit("}", 1)[-1]
        key = item.get("Extension") if tag == "Default" else fold(item.get("PartName", ""))
        facts.add(f"content type: {tag} {key} = {item.get('ContentType')}")
    for name in archive.namelist():
        if name.endswith(".rels"):
            for rel in etree.fromstring(archive.read(name)).iter(
                f"{{{_PACKAGE_RELS}}}Relationship"
            ):
                facts.add(
                    f"relationship: {fold(name)} -> {rel.get('Type')} -> {fold(rel.get('Target'))}"
                )
    return facts


def _module_kinds(project_text: str) -> dict[str, str]:
    kinds = {}
    for line in project_text.splitlines():
        key, _, value = line.partition("=")
        if key in ("Document", "Module", "Class"):
            kinds[value.split("/")[0]] = {"Document": "document", "Module": "standard"}.get(
                key, "class"
            )
    return kinds


def vba_facts(vba: bytes) -> set[str]:
    """Streams, PROJECT keys and sections, dir records and module attributes of a project."""
    ole = olefile.OleFileIO(io.BytesIO(vba))
    project = ole.openstream("PROJECT").read().decode("cp1252")
    kinds = _module_kinds(project)
    facts = set()
    section = ""
    for line in project.splitlines():
        if line.startswith("["):
            section = line
            facts.add(f"PROJECT section: {line}")
        elif "=" in line and not section:
            facts.add(f"PROJECT key: {line.split('=')[0]}")
    for path in ole.listdir():
        name = "/".join(path)
        module = path[-1] if len(path) == 2 and path[-1] in kinds else None
        facts.add(f"stream: VBA/<{kinds[module]} module>" if module else f"stream: {name}")
    compiled = ole.get_size("VBA/_VBA_PROJECT") > 7
    facts.add(f"_VBA_PROJECT: {'compiled code' if compiled else 'source only (7 bytes)'}")
    records = dir_records(bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read()))))
    module, offsets, reference = None, {}, ""
    for record_id, data in records:
        if record_id == 0x19:
            module = data.decode("cp1252")
        if record_id in _TWINS:
            continue
        if record_id in _VALUES:
            value = struct.unpack("<I", data.ljust(4, bytes(1)))[0]
            facts.add(f"dir value: {RECORDS[record_id]} = {value}")
        if record_id == 0x16:
            reference = data.decode("cp1252")
        elif record_id in (0x33, 0x2F, 0x0D, 0x0E) and reference:
            facts.add(f"reference: {reference} ({RECORDS[record_id]})")
            reference = ""
        where = f"module record ({kinds[module]})" if module and record_id != 0x10 else "dir record"
        facts.add(f"{where}: {RECORDS.get(record_id, 'unknown')} (0x{record_id:04X})")
        if record_id == 0x31:
            offsets[module] = struct.unpack("<I", data)[0]
    for name, offset in offsets.items():
        stream = ole.openstream(f"VBA/{name}").read()
        facts.add(
            f"module stream ({kinds[name]}): "
            + ("compiled code before the source" if offset else "source only")
        )
        source = bytes(decompress_stream(bytearray(stream[offset:]))).decode("cp1252")
        facts |= _attribute_facts(kinds[name], source)
    return facts


def _attribute_facts(kind: str, source: str) -> set[str]:
    facts = set()
    for line in source.split("\r\n"):
        if not line.startswith("Attribute VB_"):
            break
        key, _, value = line[len("Attribute ") :].partition(" = ")
        if key in ("VB_Name", "VB_Description", "VB_Exposed"):
            value = "..."  # names, descriptions and instancing are the module's own
        facts.add(f"attribute ({kind}): {key} = {value}")
    return facts


def module_docstrings(vba: bytes) -> dict[str, str]:
    """Module name to the MODULEDOCSTRING text of the dir stream."""
    ole = olefile.OleFileIO(io.BytesIO(vba))
    records = dir_records(bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read()))))
    out, module = {}, ""
    for record_id, data in records:
        if record_id == 0x19:
            module = data.decode("cp1252")
        elif record_id == 0x1C:
            out[module] = data.decode("cp1252")
    return out


#: The facts about class modules, which quickstart.xlsm has none of, come from xlwings.xlam.
CLASS_FACTS = (
    "module stream (class)",
    "module record (class)",
    "attribute (class)",
    "stream: VBA/<class",
    "PROJECT key: Class",
)


def facts(path: Path) -> set[str]:
    """Every structural fact of an .xlsm/.xlam file."""
    with zipfile.ZipFile(path) as archive:
        return package_facts(archive) | vba_facts(archive.read("xl/vbaProject.bin"))
