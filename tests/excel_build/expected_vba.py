"""What the built VBA projects must hold, read straight from the sources (not via the builder)."""

from __future__ import annotations

import re
from pathlib import Path

import xlwings

from .conftest import REPO

ADDIN = REPO / "addin"
XLWINGS = Path(xlwings.__file__).parent
CLASS_BASE = 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'
CLASS_EXCEL = "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = False\r\n"
UDF_NAMES = ["APPLINK_APPID", "APPLINK_CHECK", "APPLINK_ID", "APPLINK_NAME", "APPLINK_URL"]


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").rstrip("\n").replace("\n", "\r\n") + "\r\n"


def stream_source(path: Path) -> str:
    """A .bas file as is; a .cls file without VBE's export header, with its VB_Base line and
    the two attributes Excel writes after VB_Exposed (as in xlwings' Excel-saved xlwings.xlam)."""
    text = crlf(path.read_text(encoding="cp1252"))
    if path.suffix == ".cls":
        text = text.split("END\r\n", 1)[1]
        first, rest = text.split("\r\n", 1)
        head, exposed, tail = re.split(r"(Attribute VB_Exposed = \w+\r\n)", rest, maxsplit=1)
        rest = f"{head}{exposed}{CLASS_EXCEL}{tail}"
        text = f"{first}\r\n{CLASS_BASE}\r\n{rest}"
    return text


def addin_sources() -> dict[str, str]:
    """Module name to source for every module file in addin/."""
    out = {}
    for path in sorted([*ADDIN.glob("*.bas"), *ADDIN.glob("*.cls")]):
        out[re.search(r'Attribute VB_Name = "(\w+)"', path.read_text()).group(1)] = stream_source(
            path
        )
    return out


def xlwings_sources() -> dict[str, str]:
    text = crlf((XLWINGS / "xlwings_custom_addin.bas").read_text(encoding="cp1252"))
    renamed = text.replace(
        'Public Const PROJECT_NAME As String = "myaddin"',
        'Public Const PROJECT_NAME As String = "applinks"',
    )
    assert renamed != text
    return {
        "xlwings": renamed,
        "Dictionary": stream_source(XLWINGS / "addin" / "Dictionary.cls"),
    }


def document_source(name: str, base: str) -> str:
    return crlf(
        f'Attribute VB_Name = "{name}"\n'
        f'Attribute VB_Base = "0{{{base}}}"\n'
        "Attribute VB_GlobalNameSpace = False\n"
        "Attribute VB_Creatable = False\n"
        "Attribute VB_PredeclaredId = True\n"
        "Attribute VB_Exposed = True\n"
        "Attribute VB_TemplateDerived = False\n"
        "Attribute VB_Customizable = True\n"
    )


WORKBOOK_BASE = "00020819-0000-0000-C000-000000000046"
SHEET_BASE = "00020820-0000-0000-C000-000000000046"


def documents(sheet_count: int) -> dict[str, str]:
    out = {"ThisWorkbook": document_source("ThisWorkbook", WORKBOOK_BASE)}
    for i in range(1, sheet_count + 1):
        out[f"Sheet{i}"] = document_source(f"Sheet{i}", SHEET_BASE)
    return out
