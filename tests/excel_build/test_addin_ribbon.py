"""The ribbon: schema-valid, every callback exists in VBA with the signature Office expects."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema

from applinks.excel.build.ribbon import ACTION_NAMES, CUSTOMUI_NAMESPACE, CUSTOMUI_PART

from .conftest import REPO

NS = {"ui": CUSTOMUI_NAMESPACE}
RIBBON_BAS = REPO / "addin" / "ClozeRibbon.bas"

# [MS-CUSTOMUI2] callback signatures as VBA declares them (parameter names are free).
BUTTON_ACTION = ["control As IRibbonControl"]
RETURNS_VALUE = ["control As IRibbonControl", "ByRef returnedVal"]
DROPDOWN_ACTION = ["control As IRibbonControl", "id As String", "index As Integer"]
ON_LOAD = ["ribbon As IRibbonUI"]

LABELS = [
    "Insert Columns",
    "Fill App Links",
    "From URLs",
    "Check Sheet",
    "Clear Flags",
    "Save CSV for Cloze",
    "Email to Cloze Support",
    "Templates",
    "Help",
]


def built_custom_ui(built: dict[str, Path], kind: str) -> str:
    with zipfile.ZipFile(built[kind]) as archive:
        return archive.read(CUSTOMUI_PART).decode("utf-8")


def vba_procedures(path: Path) -> dict[str, list[str]]:
    """Public Sub name to its parameter list, from a .bas file."""
    text = path.read_text(encoding="cp1252")
    out = {}
    for match in re.finditer(r"^Public Sub (\w+)\(([^)]*)\)", text, flags=re.M):
        out[match.group(1)] = [p.strip() for p in match.group(2).split(",") if p.strip()]
    return out


def sub_body(path: Path, name: str) -> str:
    text = path.read_text(encoding="cp1252")
    match = re.search(rf"^Public Sub {name}\(.*?^End Sub", text, flags=re.M | re.S)
    assert match, name
    return match.group(0)


@pytest.mark.parametrize("kind", ["xlam", "xlsm"])
def test_built_custom_ui_is_valid(built: dict[str, Path], schemas_dir: Path, kind: str) -> None:
    schema = xmlschema.XMLSchema(str(schemas_dir / "customui14.xsd"))
    schema.validate(built_custom_ui(built, kind))


def test_source_custom_ui_is_valid(schemas_dir: Path) -> None:
    schema = xmlschema.XMLSchema(str(schemas_dir / "customui14.xsd"))
    schema.validate(str(REPO / "addin" / "customUI.xml"))


def test_buttons_in_order_with_icons_and_tips(built: dict[str, Path]) -> None:
    root = ET.fromstring(built_custom_ui(built, "xlam"))
    tab = root.find("ui:ribbon/ui:tabs/ui:tab", NS)
    assert tab.get("label") == "Cloze"
    buttons = tab.findall(".//ui:button", NS)
    assert [b.get("label") for b in buttons] == LABELS
    for button in buttons:
        assert button.get("imageMso"), button.get("label")
        assert button.get("screentip") == button.get("label")
        assert len(button.get("supertip")) > 30


def test_every_callback_exists_with_the_office_signature(built: dict[str, Path]) -> None:
    root = ET.fromstring(built_custom_ui(built, "xlam"))
    procedures = vba_procedures(RIBBON_BAS)
    expected: dict[str, list[str]] = {}
    for element in root.iter():
        tag = element.tag.split("}")[1]
        for attribute, value in element.attrib.items():
            if attribute == "onLoad":
                expected[value] = ON_LOAD
            elif attribute == "onAction":
                expected[value] = DROPDOWN_ACTION if tag == "dropDown" else BUTTON_ACTION
            elif attribute.startswith("get"):
                expected[value] = RETURNS_VALUE
    assert all(name.startswith("ClozeRibbon.") for name in expected)
    declared = {name.split(".", 1)[1]: procedures.get(name.split(".", 1)[1]) for name in expected}
    assert declared == {name.split(".", 1)[1]: params for name, params in expected.items()}


def test_each_button_runs_one_fixed_action(built: dict[str, Path]) -> None:
    root = ET.fromstring(built_custom_ui(built, "xlam"))
    actions = []
    for button in root.iter(f"{{{CUSTOMUI_NAMESPACE}}}button"):
        body = sub_body(RIBBON_BAS, button.get("onAction").split(".", 1)[1])
        calls = re.findall(r'^\s*RunAction "(\w+)"\s*$', body, flags=re.M)
        assert len(calls) == 1, body
        assert body.count("\n") == 2, body  # Sub line, the call, End Sub
        actions.append(calls[0])
    assert actions == list(ACTION_NAMES)
    run_action = re.search(
        r"^Private Sub RunAction\(.*?^End Sub", RIBBON_BAS.read_text(), flags=re.M | re.S
    ).group(0)
    assert 'RunPython "import applinks.excel.actions as a; a.run(\'" & action & "\')"' in run_action
    assert "On Error GoTo Failed" in run_action


def test_dropdown_remembers_the_app_in_a_defined_name() -> None:
    chosen = sub_body(RIBBON_BAS, "OnAppChosen")
    assert 'Private Const APP_NAME_KEY As String = "ClozeAppLinks_App"' in RIBBON_BAS.read_text()
    assert 'ActiveWorkbook.Names.Add Name:=APP_NAME_KEY, RefersTo:="=""" & appId & """"' in chosen
    read_back = sub_body(RIBBON_BAS, "GetSelectedApp")
    assert "ActiveWorkbook.Names(APP_NAME_KEY).RefersTo" in read_back
    assert "On Error GoTo NoChoice" in read_back
