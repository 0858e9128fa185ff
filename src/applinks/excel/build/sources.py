"""Collect the VBA modules and the ribbon text that go into the add-in and the template.

Three origins, all text:

- ``addin/`` in the repository: the ribbon (``customUI.xml``) and our own modules
  (``*.bas`` standard modules, ``*.cls`` class modules in VBE's export format);
- the installed xlwings wheel (pinned): its custom-add-in module and the ``Dictionary`` class it
  needs on macOS, renamed for this project as xlwings' docs on renaming an add-in describe;
- generated here: the worksheet-function wrappers (xlwings' own generator) and the document
  modules of the workbook and its sheets.
"""

from __future__ import annotations

import contextlib
import io
import re
import site
import sys
import types
from collections.abc import Iterator
from pathlib import Path

from applinks.errors import UsageError

from .vba_project import CLASS, DOCUMENT, STANDARD, VbaModule

PROJECT_NAME = "applinks"
UDF_MODULE = "applinks.excel.udfs"
UDF_NAMES = ("APPLINK_URL", "APPLINK_NAME", "APPLINK_CHECK", "APPLINK_APPID", "APPLINK_ID")
UDF_VBA_MODULE = "ClozeFunctions"
XLWINGS_VERSION = "0.37.8"

_CLASS_BASE = '"0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'
_CLASS_EXCEL_ATTRIBUTES = (
    "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = False\r\n"
)
_WORKBOOK_BASE = '"0{00020819-0000-0000-C000-000000000046}"'
_SHEET_BASE = '"0{00020820-0000-0000-C000-000000000046}"'


def source_dir() -> Path:
    """Return the folder holding the add-in's text sources (``addin/`` of the repository).

    A checkout has them at the repository root; an installed package carries them as data files
    under ``share/cloze-applinks/addin`` of its installation prefix (see pyproject.toml).
    """
    checkout = Path(__file__).resolve().parents[4] / "addin"
    candidates = [checkout]
    for prefix in (sys.prefix, site.getuserbase()):
        candidates.append(Path(prefix) / "share" / "cloze-applinks" / "addin")
    for candidate in candidates:
        if (candidate / "customUI.xml").is_file():
            return candidate
    raise UsageError(
        "The add-in sources (customUI.xml and the VBA modules) are not installed; "
        "build from a checkout of the repository."
    )


def to_crlf(text: str) -> str:
    """Return ``text`` with every line ending as CRLF and one final line end."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return "\r\n".join(lines) + "\r\n"


def class_source(exported: str) -> str:
    """Turn a class module as VBE exports it (``VERSION 1.0 CLASS`` header) into stream source.

    The header block goes; ``VB_Base`` is added after ``VB_Name``, and ``VB_TemplateDerived``
    and ``VB_Customizable`` (both ``False``) after ``VB_Exposed``, as Excel stores a class module
    (xlwings' ``xlwings.xlam``, saved by Excel, holds its classes so; [MS-OVBA] 3.1.3 shows the
    same block for a document module).
    """
    text = to_crlf(exported)
    match = re.match(r"VERSION 1\.0 CLASS\r\nBEGIN\r\n(?:.*\r\n)*?END\r\n", text)
    if not match:
        raise ValueError("class module does not start with VBE's VERSION 1.0 CLASS header")
    body = text[match.end() :]
    first, _, rest = body.partition("\r\n")
    if not first.startswith("Attribute VB_Name = "):
        raise ValueError("class module has no VB_Name attribute after its header")
    exposed = re.search(r"^Attribute VB_Exposed = \w+\r\n", rest, re.MULTILINE)
    if not exposed:
        raise ValueError("class module has no VB_Exposed attribute")
    rest = rest[: exposed.end()] + _CLASS_EXCEL_ATTRIBUTES + rest[exposed.end() :]
    return f"{first}\r\nAttribute VB_Base = {_CLASS_BASE}\r\n{rest}"


def module_from_file(path: Path) -> VbaModule:
    """Read one ``.bas`` or ``.cls`` file into a module."""
    text = path.read_text(encoding="cp1252")
    source = class_source(text) if path.suffix == ".cls" else to_crlf(text)
    name = re.match(r'Attribute VB_Name = "([^"]+)"', source)
    if not name:
        raise ValueError(f"{path.name} has no VB_Name attribute")
    return VbaModule(name.group(1), CLASS if path.suffix == ".cls" else STANDARD, source)


def addin_modules(folder: Path | None = None) -> list[VbaModule]:
    """Return our own modules from ``addin/`` (sorted by file name)."""
    folder = folder or source_dir()
    files = sorted([*folder.glob("*.bas"), *folder.glob("*.cls")], key=lambda p: p.name)
    return [module_from_file(path) for path in files]


def xlwings_folder() -> Path:
    """Return the installed xlwings package folder; fail if it is not the pinned version."""
    hint = "pip install 'cloze-applinks[excel]'"
    try:
        import xlwings
    except ImportError as error:
        raise UsageError(
            f"Building the add-in needs xlwings {XLWINGS_VERSION}; install it with: {hint}"
        ) from error
    if xlwings.__version__ != XLWINGS_VERSION:
        raise UsageError(
            f"Building the add-in needs xlwings {XLWINGS_VERSION} "
            f"(found {xlwings.__version__}); install it with: {hint}"
        )
    return Path(xlwings.__file__).parent


def xlwings_modules() -> list[VbaModule]:
    """Return xlwings' custom-add-in module (renamed for this project) and its Dictionary class."""
    folder = xlwings_folder()
    text = to_crlf((folder / "xlwings_custom_addin.bas").read_text(encoding="cp1252"))
    old = 'Public Const PROJECT_NAME As String = "myaddin"'
    if text.count(old) != 1:
        raise RuntimeError("xlwings_custom_addin.bas no longer has the PROJECT_NAME constant")
    text = text.replace(old, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"')
    dictionary = class_source((folder / "addin" / "Dictionary.cls").read_text(encoding="cp1252"))
    return [VbaModule("xlwings", STANDARD, text), VbaModule("Dictionary", CLASS, dictionary)]


@contextlib.contextmanager
def _windows_stubs() -> Iterator[None]:
    """Let ``xlwings.udfs`` import on a machine without pywin32, then forget it again."""
    stub_names = ("pythoncom", "pywintypes", "win32com", "win32com.client")
    saved = {name: sys.modules.get(name) for name in (*stub_names, "xlwings.udfs")}
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    win32com.client = client  # type: ignore[attr-defined]
    stubs = {
        "pythoncom": pythoncom,
        "pywintypes": types.ModuleType("pywintypes"),
        "win32com": win32com,
        "win32com.client": client,
    }
    for name, stub in stubs.items():
        if saved[name] is None:
            sys.modules[name] = stub
    sys.modules.pop("xlwings.udfs", None)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def udf_module(*, in_addin: bool) -> VbaModule:
    """Generate the VBA wrappers of the worksheet functions with xlwings' own generator.

    ``in_addin`` picks ``ActiveWorkbook`` (add-in) or ``ThisWorkbook`` (workbook), as
    xlwings does for ``.xlam`` files.
    """
    import importlib

    xlwings_folder()
    python_udfs = importlib.import_module(UDF_MODULE)
    with _windows_stubs():
        xlwings_udfs = importlib.import_module("xlwings.udfs")
        functions = {}
        for name in UDF_NAMES:
            # xlfunc records the signature; it does not change what the function does.
            functions[name] = xlwings_udfs.xlfunc(getattr(python_udfs, name))
        buffer = io.StringIO()
        book = types.SimpleNamespace(Name="applinks.xlam" if in_addin else "applinks.xlsm")
        xlwings_udfs.generate_vba_wrapper(
            UDF_MODULE, types.SimpleNamespace(**functions), buffer, book
        )
    header = (
        f'Attribute VB_Name = "{UDF_VBA_MODULE}"\n'
        f"' Worksheet functions of {UDF_MODULE}, generated by xlwings when the add-in is built.\n"
        '#Const App = "Microsoft Excel" \'Adjust when using outside of Excel\n'
    )
    return VbaModule(UDF_VBA_MODULE, STANDARD, to_crlf(header + buffer.getvalue()))


def document_module(code_name: str, *, workbook: bool) -> VbaModule:
    """Return the (empty) document module of the workbook or of one sheet."""
    base = _WORKBOOK_BASE if workbook else _SHEET_BASE
    lines = [
        f'Attribute VB_Name = "{code_name}"',
        f"Attribute VB_Base = {base}",
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return VbaModule(code_name, DOCUMENT, "\r\n".join(lines) + "\r\n")
