"""LibreOffice, an independent reader, opens the built files and runs a module built alike."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from applinks.excel.build import package, sources
from applinks.excel.build.vba_project import STANDARD, VbaModule, write_vba_project

from .expected_vba import addin_sources, documents, xlwings_sources

pytestmark = pytest.mark.libreoffice

PROBE = Path(__file__).with_name("libreoffice_probe.py")
UNO_PYTHON = "/usr/bin/python3"  # Debian's Python, where LibreOffice's uno module lives
XLAM_FILTER = "Calc MS Excel 2007 VBA XML"


def probe(path: Path, *extra: str) -> dict:
    # LibreOffice is here (the marker skips otherwise), so its uno module must be too:
    # scripts/test.sh installs python3-uno with it.
    assert Path(UNO_PYTHON).is_file(), "LibreOffice's Python (python3-uno) is missing"
    result = subprocess.run(
        [UNO_PYTHON, str(PROBE), str(path), *extra],
        capture_output=True,
        text=True,
        timeout=900,  # only for a hang (the probe waits for LibreOffice to start)
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def as_libreoffice_shows(name: str, source: str) -> str:
    """LibreOffice drops Attribute lines, uses LF and adds a header naming the module type."""
    kind = "VBAModule"
    if "VB_Base" in source:
        is_class = "FCFB3D2A" in source
        kind = "VBAClassModule" if is_class else "VBADocumentModule"
    header = f"Rem Attribute VBA_ModuleType={kind}\nOption VBASupport 1\n"
    if kind == "VBAClassModule":
        header += "Option ClassModule\n"
    lines = source.replace("\r\n", "\n").split("\n")
    return header + "\n".join(line for line in lines if not line.startswith("Attribute ")) + "\n"


@pytest.mark.parametrize(
    ("kind", "sheets", "extra"), [("xlsm", 3, ()), ("xlam", 1, ("--filter", XLAM_FILTER))]
)
def test_libreoffice_lists_every_module(built, kind, sheets, extra) -> None:
    modules = probe(built[kind], *extra)["modules"]
    expected = {**documents(sheets), **xlwings_sources(), **addin_sources()}
    generated = modules.pop("ClozeFunctions")
    assert modules == {name: as_libreoffice_shows(name, text) for name, text in expected.items()}
    assert generated.count("XLPy.CallUDF(") == 10


def test_a_module_built_the_same_way_runs(tmp_path: Path) -> None:
    code = (
        'Attribute VB_Name = "Probe"\r\n'
        "Sub WriteCell()\r\n"
        '    Worksheets("Data").Range("B2").Value = "written by VBA " & (6 * 7)\r\n'
        "End Sub\r\n"
    )
    modules = [
        sources.document_module("ThisWorkbook", workbook=True),
        sources.document_module("Sheet1", workbook=False),
        VbaModule("Probe", STANDARD, code),
    ]
    vba = write_vba_project("ProbeProject", "{0B5E6C1A-2F3D-4E5A-8B7C-1D2E3F4A5B6C}", modules)
    custom_ui = '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"/>'
    sheet = package.Sheet("Data", "Sheet1", [["Probe"]])
    book = tmp_path / "probe.xlsm"
    book.write_bytes(
        package.zip_parts(
            package.workbook_parts(package.WORKBOOK, [sheet], vba, custom_ui, "probe")
        )
    )
    result = probe(book, "--run", "Probe.WriteCell", "--cell", "Data!B2")
    assert result["cell"] == "written by VBA 42"
