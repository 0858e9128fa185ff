"""Build the Excel add-in (``addin/applinks.xlam``) and the template workbook
(``xlsm/applinks-template.xlsm``) from text sources, byte for byte the same on every run.

>>> from applinks.excel.build import build  # doctest: +SKIP
>>> build(Path("out"))  # doctest: +SKIP
[PosixPath('out/addin/applinks.xlam'), PosixPath('out/xlsm/applinks-template.xlsm')]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import package, ribbon, sources
from .package import Sheet
from .vba_project import VbaModule, write_vba_project

ADDIN_PATH = Path("addin") / "applinks.xlam"
TEMPLATE_PATH = Path("xlsm") / "applinks-template.xlsm"

# Fixed project ids: the PROJECT stream's obfuscated fields are keyed on them.
ADDIN_PROJECT_ID = "{6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}"
TEMPLATE_PROJECT_ID = "{7A2C3D4E-5F60-4B7C-9D8E-0F1A2B3C4D5E}"

CONF_SHEET = f"{sources.PROJECT_NAME}.conf"
TEMPLATES_SHEET = "App Link Templates"
TEMPLATE_COLUMNS = ("App ID", "App Name", "URL Template", "ID Pattern")
# Account settings a URL template may use as {name}; the user fills in the values.
SETTING_NAMES = ("subdomain", "portal_id", "mydomain", "company", "account")
APP_LINK_COLUMNS = ("App ID", "App Unique ID", "App Name", "App Content URL")

CONF_NOTE = (
    "Settings of the Cloze App Links add-in (xlwings), one per row from A1 down with no empty "
    "row: e.g. Interpreter_Win, Interpreter_Mac, PYTHONPATH, Conda Path, Conda Env."
)


def registry_apps() -> list[tuple[str, str]]:
    """Return (App ID, App Name) of every App ID of the built-in registry, in registry order.

    An App ID that several apps share (the Google products) comes once, with the name of the
    app it stands for in Fill (the first).
    """
    from applinks.registry import load_registry

    names: dict[str, str] = {}
    for entry in load_registry().apps:
        names.setdefault(entry.app_id, entry.name)
    return list(names.items())


def conf_sheet(code_name: str) -> Sheet:
    """The xlwings settings sheet (``applinks.conf``): keys in column A, values in column B."""
    return Sheet(
        name=CONF_SHEET,
        code_name=code_name,
        rows=[["UDF Modules", sources.UDF_MODULE, None, CONF_NOTE]],
        header_rows=0,
        widths=(18, 24, 4, 60),
    )


def templates_sheet(code_name: str) -> Sheet:
    """The user's own App Link templates, with a settings block to the right (F:G)."""
    rows: list[list[str | None]] = [[*TEMPLATE_COLUMNS, None, "Setting", "Value"]]
    for name in SETTING_NAMES:
        rows.append([None, None, None, None, None, name, None])
    return Sheet(
        name=TEMPLATES_SHEET,
        code_name=code_name,
        rows=rows,
        widths=(18, 18, 60, 24, 4, 14, 24),
    )


def example_sheet(code_name: str) -> Sheet:
    """A small sheet of properties to try the buttons on (first sheet: the one exported)."""
    header: list[str | None] = ["Name", "Address", "Stage", "Listing URL", *APP_LINK_COLUMNS]
    rows: list[list[str | None]] = [
        header,
        [
            "Maple Street house",
            "12 Maple Street, Springfield",
            "Active",
            "https://www.zillow.com/homedetails/12-Maple-St-Springfield/2077423_zpid/",
            None,
            None,
            None,
            None,
        ],
        [
            "Harbor View condo",
            "400 Harbor View Drive, Unit 5",
            "Potential",
            "https://www.zillow.com/homedetails/400-Harbor-View-Dr-5/2088150_zpid/",
            None,
            None,
            None,
            None,
        ],
        [
            "Oak Avenue duplex",
            "77 Oak Avenue",
            "Done",
            None,
            "zillow.com",
            "2099371",
            "Zillow",
            "https://www.zillow.com/homedetails/2099371_zpid/",
        ],
    ]
    return Sheet(
        name="Properties",
        code_name=code_name,
        rows=rows,
        text_columns=(6,),
        widths=(22, 30, 10, 60, 14, 16, 12, 50),
    )


def _project(code_names: Sequence[str], *, in_addin: bool) -> list[VbaModule]:
    modules = [sources.document_module("ThisWorkbook", workbook=True)]
    modules += [sources.document_module(name, workbook=False) for name in code_names]
    modules += sources.xlwings_modules()
    modules += sources.addin_modules()
    modules.append(sources.udf_module(in_addin=in_addin))
    return modules


def addin_modules() -> list[VbaModule]:
    """Return the modules of the add-in's VBA project, in project order."""
    return _project(["Sheet1"], in_addin=True)


def template_modules() -> list[VbaModule]:
    """Return the modules of the template workbook's VBA project, in project order."""
    return _project(["Sheet1", "Sheet2", "Sheet3"], in_addin=False)


def build_addin(apps: Sequence[tuple[str, str]]) -> bytes:
    """Return the bytes of ``applinks.xlam``."""
    custom_ui = ribbon.render_custom_ui(_custom_ui_source(), apps)
    vba = write_vba_project(sources.PROJECT_NAME, ADDIN_PROJECT_ID, addin_modules())
    sheets = [conf_sheet("Sheet1")]
    parts = package.workbook_parts(package.ADDIN, sheets, vba, custom_ui, "Cloze App Links")
    return package.zip_parts(parts)


def build_template(apps: Sequence[tuple[str, str]]) -> bytes:
    """Return the bytes of ``applinks-template.xlsm``."""
    custom_ui = ribbon.render_custom_ui(_custom_ui_source(), apps)
    vba = write_vba_project(sources.PROJECT_NAME, TEMPLATE_PROJECT_ID, template_modules())
    conf = conf_sheet("Sheet3")
    sheets = [
        example_sheet("Sheet1"),
        templates_sheet("Sheet2"),
        Sheet(conf.name, conf.code_name, conf.rows, hidden=True, header_rows=0, widths=conf.widths),
    ]
    parts = package.workbook_parts(
        package.WORKBOOK, sheets, vba, custom_ui, "Cloze App Links template"
    )
    return package.zip_parts(parts)


def _custom_ui_source() -> str:
    return (sources.source_dir() / "customUI.xml").read_text(encoding="utf-8")


def default_output_dir() -> Path | None:
    """Return the repository root when running from a checkout, else None."""
    root = Path(__file__).resolve().parents[4]
    if (root / "pyproject.toml").is_file() and (root / "addin" / "customUI.xml").is_file():
        return root
    return None


def build(out_dir: Path, *, apps: Sequence[tuple[str, str]] | None = None) -> list[Path]:
    """Write the add-in and the template workbook under ``out_dir``; return their paths.

    ``apps`` defaults to the built-in registry (it fills the ribbon's App dropdown).
    """
    apps = list(apps) if apps is not None else registry_apps()
    written = []
    for relative, data in ((ADDIN_PATH, build_addin(apps)), (TEMPLATE_PATH, build_template(apps))):
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
        written.append(target)
    return written
