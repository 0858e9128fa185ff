"""The built add-in and template: VBA read back by oletools, ribbon, sheets, reproducibility."""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest

from applinks.excel.build import ADDIN_PATH, TEMPLATE_PATH, build, registry_apps
from applinks.excel.build.ribbon import ACTION_NAMES, CUSTOMUI_PART, app_item_id

from .conftest import REPO
from .expected_vba import UDF_NAMES, addin_sources, documents, xlwings_sources

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def read_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.mark.parametrize(("kind", "sheets"), [("xlam", 1), ("xlsm", 3)])
def test_vba_read_back_is_the_source(built: dict[str, Path], kind: str, sheets: int) -> None:
    modules = read_modules(built[kind])
    expected = {**documents(sheets), **xlwings_sources(), **addin_sources()}
    generated = modules.pop("ClozeFunctions")
    assert modules == expected
    workbook = "ActiveWorkbook" if kind == "xlam" else "ThisWorkbook"
    functions = re.findall(r"^Function (\w+)\(", generated, flags=re.M)
    assert sorted(functions) == UDF_NAMES
    for name in UDF_NAMES:
        assert f'{name} = XLPy.CallUDF("applinks.excel.udfs", "{name}", ' in generated, name
    assert generated.count(f", {workbook}, Application.Caller)") == len(UDF_NAMES)


def test_module_order_and_project_name(built: dict[str, Path]) -> None:
    import olefile

    with zipfile.ZipFile(built["xlam"]) as archive:
        project = olefile.OleFileIO(archive.read("xl/vbaProject.bin"))
    text = project.openstream("PROJECT").read().decode("cp1252")
    assert text.splitlines()[1:9] == [
        "Document=ThisWorkbook/&H00000000",
        "Document=Sheet1/&H00000000",
        "Module=xlwings",
        "Class=Dictionary",
        "Class=ClozeAppEvents",
        "Module=ClozeRibbon",
        "Module=ClozeFunctions",
        'Name="applinks"',
    ]
    assert project.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")


def test_package_parts_in_fixed_order(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["xlam"]) as archive:
        names = archive.namelist()
        rels = archive.read("_rels/.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
        infos = archive.infolist()
    assert names == [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/app.xml",
        "docProps/core.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
        "xl/vbaProject.bin",
        CUSTOMUI_PART,
    ]
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert (
        'Type="http://schemas.microsoft.com/office/2007/relationships/ui/extensibility" '
        'Target="customUI/customUI14.xml"' in rels
    )
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types


def test_template_sheets(built: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(built["xlsm"], keep_vba=False)
    assert book.sheetnames == ["Properties", "App Link Templates", "applinks.conf"]
    first = [cell.value for cell in book["Properties"][1]]
    assert first[-4:] == ["App ID", "App Unique ID", "App Name", "App Content URL"]
    templates = book["App Link Templates"]
    assert [cell.value for cell in templates[1]] == [
        "App ID",
        "App Name",
        "URL Template",
        "ID Pattern",
        None,
        "Setting",
        "Value",
    ]
    assert [row[0].value for row in templates.iter_rows(min_row=2, min_col=6, max_col=6)] == [
        "subdomain",
        "portal_id",
        "mydomain",
        "company",
        "account",
    ]
    conf = book["applinks.conf"]
    assert conf.sheet_state == "hidden"
    assert (conf["A1"].value, conf["B1"].value, conf["A2"].value) == (
        "UDF Modules",
        "applinks.excel.udfs",
        None,
    )
    # openpyxl does not read add-ins (their main part has its own content type): read the XML.
    with zipfile.ZipFile(built["xlam"]) as archive:
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))
        sheet = ET.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    assert [s.get("name") for s in workbook.iter(f"{{{MAIN}}}sheet")] == ["applinks.conf"]
    cells = {c.get("r"): "".join(c.itertext()) for c in sheet.iter(f"{{{MAIN}}}c")}
    assert (cells["A1"], cells["B1"]) == ("UDF Modules", "applinks.excel.udfs")


def test_dropdown_lists_every_registry_app(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["xlam"]) as archive:
        custom_ui = archive.read(CUSTOMUI_PART).decode()
    items = re.findall(r'<item id="([^"]+)" label="([^"]+)"/>', custom_ui)
    assert items == [
        (app_item_id(app_id), f"{name} ({app_id})") for app_id, name in registry_apps()
    ]


def test_rebuild_gives_the_committed_bytes(built: dict[str, Path]) -> None:
    for relative, fresh in ((ADDIN_PATH, built["xlam"]), (TEMPLATE_PATH, built["xlsm"])):
        committed = REPO / relative
        assert committed.is_file(), f"{relative} is not committed; run: applinks addin build"
        assert fresh.read_bytes() == committed.read_bytes(), (
            f"{relative} differs from its sources; run `applinks addin build` and commit it"
        )


def test_build_twice_is_identical(tmp_path: Path, built: dict[str, Path]) -> None:
    again = build(tmp_path)
    assert [p.read_bytes() for p in again] == [
        built["xlam"].read_bytes(),
        built["xlsm"].read_bytes(),
    ]


def test_action_names_are_the_ones_of_the_spec() -> None:
    assert ACTION_NAMES == (
        "insert_columns",
        "fill_app_links",
        "from_urls",
        "check_sheet",
        "clear_flags",
        "save_csv",
        "email_support",
        "templates",
        "help",
    )
