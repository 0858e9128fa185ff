"""What scripts/corpus.py checks beyond exit codes: LibreOffice's reading of a file, and the
annotated copies of a workbook (every XML part well-formed, the worksheets' elements in the
schema's order, openpyxl loads the copy whenever it loads the original).

Used by scripts/corpus.py and by tests/files/test_corpus_annotated.py; needs no network.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

SPREADSHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # ISO 29500 strict
)
#: ECMA-376's SpreadsheetML schema (tests/data/schemas/SOURCES.md).
SCHEMA = Path(__file__).resolve().parent.parent / "tests" / "data" / "schemas" / "sml.xsd"
_XSD = "{http://www.w3.org/2001/XMLSchema}"


def schema_sequence(type_name: str, schema: Path = SCHEMA) -> tuple[str, ...]:
    """Return the element names of ``type_name``'s sequence in the schema, in its order."""
    root = ElementTree.parse(schema).getroot()
    for complex_type in root.iter(f"{_XSD}complexType"):
        if complex_type.get("name") == type_name:
            sequence = complex_type.find(f"{_XSD}sequence")
            if sequence is not None:
                return tuple(e.get("name", "") for e in sequence.findall(f"{_XSD}element"))
    raise LookupError(f"{type_name} has no sequence in {schema.name}")


#: The children of <worksheet> in the order CT_Worksheet gives them (ECMA-376 Part 1, 18.3.1.99),
#: read from the standard's schema rather than written out here: the writer has its own table
#: (applinks.files.xlsx_sheet_edit), and a check that shared it could not catch a mistake in it.
WORKSHEET_ORDER = schema_sequence("CT_Worksheet")
CHECK_SHEET = "App Link Check"


def annotated_problems(original: Path, copy: Path) -> list[str]:
    """Return what is wrong with ``copy``, an annotated copy of ``original`` (empty: nothing).

    A part that is not well-formed XML (an undeclared namespace prefix is not); a worksheet
    whose elements leave CT_Worksheet's order where the original's kept it; a copy without
    the check sheet; a copy openpyxl cannot load although it loads the original.
    """
    problems: list[str] = []
    with zipfile.ZipFile(copy) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                root = ElementTree.fromstring(archive.read(name))
            except ElementTree.ParseError as exc:
                problems.append(f"{name} is not well-formed ({exc})")
                continue
            wrong = _out_of_order(root)
            if wrong and not _out_of_order_in(original, name):
                problems.append(f"{name}: {wrong}")
    failed = openpyxl_fails(copy)
    if failed and not openpyxl_fails(original):
        problems.append(f"openpyxl loads the original but not the copy ({failed})")
    elif not failed and CHECK_SHEET not in _sheet_names(copy):
        problems.append(f'the copy has no "{CHECK_SHEET}" sheet')
    return problems


def _out_of_order(root: ElementTree.Element) -> str | None:
    """Return "<b> after <a>" for the first child of a <worksheet> out of schema order."""
    namespace, _, local = root.tag[1:].partition("}")
    if local != "worksheet" or namespace not in SPREADSHEET_NAMESPACES:
        return None
    last = -1
    previous = ""
    for child in root:
        child_namespace, _, name = str(child.tag)[1:].partition("}")
        if child_namespace != namespace or name not in WORKSHEET_ORDER:
            continue  # mc:AlternateContent and the like may stand anywhere
        rank = WORKSHEET_ORDER.index(name)
        if rank < last:
            return f"<{name}> after <{previous}>"
        last, previous = rank, name
    return None


def _out_of_order_in(original: Path, name: str) -> bool:
    """Return True when ``original`` has the part ``name`` and it too is out of order."""
    try:
        with zipfile.ZipFile(original) as archive:
            return _out_of_order(ElementTree.fromstring(archive.read(name))) is not None
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile):
        return False


def openpyxl_fails(path: Path) -> str | None:
    """Return why openpyxl cannot load ``path`` (a full load, as a user's script does), or None."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            openpyxl.load_workbook(path).close()
    except Exception as exc:  # openpyxl raises many types for files it cannot load
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


def _sheet_names(path: Path) -> list[str]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True)
        names = list(book.sheetnames)
        book.close()
    return names


def libreoffice_convert(
    files: list[Path], out_dir: Path, *, batch: int = 40, timeout: float = 900
) -> dict[Path, Path | None]:
    """Convert ``files`` to .xlsx with LibreOffice headless, ``batch`` files per call.

    Each file is linked under a numbered name first (two files of one name would overwrite
    each other's conversion); each call has its own throwaway profile, and a call that runs
    past ``timeout`` is stopped with its process group. Returns each file's conversion, or
    None when LibreOffice wrote none (it could not load the file).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    converted: dict[Path, Path | None] = {}
    for start in range(0, len(files), batch):
        chunk = files[start : start + batch]
        with tempfile.TemporaryDirectory(prefix="corpus-lo-") as scratch:
            links = []
            for number, source in enumerate(chunk, start):
                link = Path(scratch) / f"{number:05d}{source.suffix.lower()}"
                link.symlink_to(source.resolve())
                links.append(link)
                # A conversion left by an earlier run in a kept folder is not this one's.
                (out_dir / f"{number:05d}.xlsx").unlink(missing_ok=True)
            _soffice(links, out_dir, Path(scratch) / "profile", timeout)
            for number, source in enumerate(chunk, start):
                result = out_dir / f"{number:05d}.xlsx"
                converted[source] = result if result.exists() else None
    return converted


def _soffice(files: list[Path], out_dir: Path, profile: Path, timeout: float) -> None:
    command = [
        shutil.which("soffice") or "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # soffice.bin is a child of the launcher
        process.wait()


def sheet_cells(converted: Path) -> list[tuple[str, int]]:
    """Return each sheet of a LibreOffice .xlsx with its number of cells that show a value."""
    main = SPREADSHEET_NAMESPACES[0]
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(converted) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): str(r.get("Target")).lstrip("/") for r in rels}
        out = []
        for sheet in book.iter(f"{{{main}}}sheet"):
            target = targets[sheet.get(f"{{{rel}}}id")]
            part = target if target.startswith("xl/") else f"xl/{target}"
            root = ElementTree.fromstring(archive.read(part))
            count = sum(
                1
                for cell in root.iter(f"{{{main}}}c")
                if any((v.text or "") != "" for v in cell.iter(f"{{{main}}}v"))
                or any((t.text or "") != "" for t in cell.iter(f"{{{main}}}t"))
            )
            out.append((str(sheet.get("name")), count))
    return out


def libreoffice_verdict(converted: Path | None) -> str:
    """Say in a few words what LibreOffice made of a file (its conversion, or None)."""
    if converted is None:
        return "cannot open it"
    sheets = sheet_cells(converted)
    # A file it cannot read as a spreadsheet it imports as text, one sheet named after the file.
    if len(sheets) == 1 and sheets[0][0] == converted.stem:
        return "no workbook: imports the bytes as text"
    with_data = [(name, count) for name, count in sheets if count]
    if not with_data:
        return "opens it: no data" if len(sheets) == 1 else f"opens it: {len(sheets)} empty sheets"
    if sheets[0][1]:
        return f'data on its first sheet, "{sheets[0][0]}" ({sheets[0][1]:,} cells)'
    name, count = with_data[0]
    return f'first sheet empty; data on sheet "{name}" ({count:,} cells)'
