"""`applinks addin install` (every file a working set-up needs) and `applinks addin doctor`."""

from __future__ import annotations

import sys
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

import applinks
from applinks.cli import main
from applinks.excel import doctor, install
from applinks.excel.build import ADDIN_PATH
from applinks.excel.build.sources import xlwings_folder

from .conftest import REPO

ADDIN = REPO / ADDIN_PATH
SCRIPT = xlwings_folder() / "xlwings-0.37.8.applescript"
MAC_STARTUP = "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized"


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        (
            "mac",
            [
                "applinks addin install would write 3 files (macOS):",
                f"  ~/{MAC_STARTUP}/Excel/applinks.xlam",
                f"    the add-in (the Cloze tab), a copy of {ADDIN}",
                "  ~/Library/Application Scripts/com.microsoft.Excel/xlwings-0.37.8.applescript",
                "    xlwings' AppleScript, which Excel for Mac runs Python with, a copy of "
                f"{SCRIPT}",
                "  ~/Library/Containers/com.microsoft.Excel/Data/applinks.conf",
                "    the add-in's settings: INTERPRETER_MAC = (the Python that runs this command "
                "there); UDF Modules = applinks.excel.udfs",
                "Nothing was written (--dry-run).",
            ],
        ),
        (
            "windows",
            [
                "applinks addin install would write 2 files (Windows):",
                "  %APPDATA%\\Microsoft\\Excel\\XLSTART\\applinks.xlam",
                f"    the add-in (the Cloze tab), a copy of {ADDIN}",
                "  %USERPROFILE%\\.applinks\\applinks.conf",
                "    the add-in's settings: INTERPRETER_WIN = (the Python that runs this command "
                "there); UDF Modules = applinks.excel.udfs",
                "Nothing was written (--dry-run).",
            ],
        ),
    ],
    ids=["mac", "windows"],
)
@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="shows this computer's set-up")
def test_dry_run_lists_every_file_of_another_computer(platform: str, expected: list[str]) -> None:
    result = CliRunner().invoke(main, ["addin", "install", "--dry-run", "--platform", platform])
    assert (result.exit_code, result.output.splitlines()) == (0, expected)


def test_platform_without_dry_run_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["addin", "install", "--platform", "mac"])
    assert (result.exit_code, result.output) == (
        2,
        "--platform shows another computer's set-up; use it with --dry-run.\n",
    )


@pytest.fixture
def mac_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make this computer look like a Mac whose user folder is a temporary folder."""
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_install_on_a_mac_writes_addin_applescript_and_settings(mac_home: Path) -> None:
    conf = mac_home / "Library/Containers/com.microsoft.Excel/Data/applinks.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text('"Conda Env","base"\n"interpreter_mac","/old/python"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["addin", "install"])
    addin = mac_home / MAC_STARTUP / "Excel/applinks.xlam"
    script = mac_home / "Library/Application Scripts/com.microsoft.Excel/xlwings-0.37.8.applescript"
    assert (result.exit_code, result.output.splitlines()) == (
        0,
        [
            f"Wrote {addin}",
            f"Wrote {script}",
            f"Wrote {conf}",
            "Restart Excel (quit it completely first) to see the Cloze tab.",
        ],
    )
    assert addin.read_bytes() == ADDIN.read_bytes()
    assert script.read_bytes() == SCRIPT.read_bytes()
    # Our two settings first; the user's other settings stay, the old interpreter goes.
    assert (
        conf.read_bytes()
        == (
            f'"INTERPRETER_MAC","{sys.executable}"\n"UDF Modules","applinks.excel.udfs"\n'
            '"Conda Env","base"\n'
        ).encode()
    )
    dry = CliRunner().invoke(main, ["addin", "install", "--dry-run"])
    assert dry.output.splitlines()[-2:] == [
        f"    the add-in's settings: INTERPRETER_MAC = {sys.executable}; "
        "UDF Modules = applinks.excel.udfs",
        "Nothing was written (--dry-run).",
    ]


def test_windows_settings_file_is_ansi_with_crlf(tmp_path: Path) -> None:
    where = install.places(
        "windows", home=tmp_path, appdata=str(tmp_path / "Roaming"), userprofile=str(tmp_path)
    )
    files = install.plan(where, addin=ADDIN, interpreter="C:\\Users\\Zoë\\python.exe")
    assert [f.path for f in files] == [
        tmp_path / "Roaming/Microsoft/Excel/XLSTART/applinks.xlam",
        tmp_path / ".applinks/applinks.conf",
    ]
    install.write_planned(files, "windows")
    assert (tmp_path / ".applinks/applinks.conf").read_bytes() == (
        b'"INTERPRETER_WIN","C:\\Users\\Zo\xeb\\python.exe"\r\n'
        b'"UDF Modules","applinks.excel.udfs"\r\n'
    )


# --- doctor ----------------------------------------------------------------------------------


def _set_up_mac(home: Path, interpreter: str = sys.executable) -> install.Places:
    where = install.places("mac", home=home)
    install.write_planned(install.plan(where, addin=ADDIN, interpreter=interpreter), "mac")
    return where


def _report(where: install.Places) -> list[tuple[bool, str]]:
    findings = doctor.diagnose(where, addin=ADDIN, version=applinks.__version__)
    return [(f.ok, f.text) for f in findings]


def test_doctor_on_a_complete_mac_set_up(tmp_path: Path) -> None:
    where = _set_up_mac(tmp_path)
    container = tmp_path / "Library/Containers/com.microsoft.Excel"
    assert _report(where) == [
        (True, f"Excel's folder for this user exists ({container})."),
        (True, f"The add-in at {where.addin} is the one of applinks {applinks.__version__}."),
        (True, f"The AppleScript is in place ({where.applescript})."),
        (True, f"The settings file {where.conf} names {sys.executable}."),
        (True, f"{sys.executable} imports applinks and xlwings 0.37.8."),
    ]


def test_doctor_names_each_missing_piece(tmp_path: Path) -> None:
    where = _set_up_mac(tmp_path)
    ok = _report(where)
    Path(where.applescript or "").unlink()
    assert _report(where) == [
        ok[0],
        ok[1],
        (
            False,
            "The AppleScript that Excel for Mac runs Python with is missing "
            f"({where.applescript}), so every button fails: run `applinks addin install`.",
        ),
        ok[3],
        ok[4],
    ]
    Path(where.addin).write_bytes(b"an old add-in")
    assert _report(where)[1] == (
        False,
        f"The add-in at {where.addin} is not the one of applinks {applinks.__version__} (an "
        "older or changed copy): quit Excel and run `applinks addin install` again.",
    )
    Path(where.addin).unlink()
    assert _report(where)[1] == (
        False,
        f"The add-in is not in Excel's startup folder ({where.addin}): "
        "run `applinks addin install`.",
    )
    Path(where.conf).write_text('"UDF Modules","applinks.excel.udfs"\n', encoding="utf-8")
    assert _report(where)[3:] == [
        (
            False,
            f"The settings file {where.conf} does not name the Python to use (INTERPRETER_MAC): "
            "run `applinks addin install` with the Python that has applinks.",
        )
    ]
    Path(where.conf).unlink()
    assert _report(where)[3:] == [
        (
            False,
            f"The settings file {where.conf} is missing, so Excel starts whatever Python comes "
            "first on its PATH: run `applinks addin install` with the Python that has applinks.",
        )
    ]
    for path in sorted(tmp_path.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert _report(where)[0] == (
        False,
        f"Excel's folder {tmp_path / 'Library/Containers/com.microsoft.Excel'} is missing: "
        "Excel has not been started by this user on this computer yet. Start Excel once, quit "
        "it, then run `applinks addin install`.",
    )


def test_doctor_tries_the_named_python(tmp_path: Path) -> None:
    gone = str(tmp_path / "no" / "python3")
    where = _set_up_mac(tmp_path / "home", interpreter=gone)
    assert _report(where)[4] == (
        False,
        f"The Python named in {where.conf} ({gone}) does not exist: run "
        "`applinks addin install` with the Python that has applinks.",
    )
    bare = tmp_path / "bare"
    venv.create(bare, with_pip=False)  # a real Python without applinks or xlwings
    python = str(bare / "bin" / "python")
    _set_up_mac(tmp_path / "home", interpreter=python)
    assert _report(where)[4] == (
        False,
        f"The Python named in {where.conf} ({python}) cannot import applinks and xlwings: "
        f"install them there with: {python} -m pip install 'cloze-applinks[excel]'",
    )


def test_doctor_on_windows_folders(tmp_path: Path) -> None:
    where = install.places(
        "windows", home=tmp_path, appdata=str(tmp_path / "Roaming"), userprofile=str(tmp_path)
    )
    excel = tmp_path / "Roaming/Microsoft/Excel"
    assert _report(where) == [
        (
            False,
            f"Excel's folder {excel} is missing: Excel has not been started by this user on this "
            "computer yet. Start Excel once, quit it, then run `applinks addin install`.",
        ),
        (
            False,
            f"The add-in is not in Excel's startup folder ({excel / 'XLSTART/applinks.xlam'}): "
            "run `applinks addin install`.",
        ),
        (
            False,
            f"The settings file {tmp_path / '.applinks/applinks.conf'} is missing, so Excel "
            "starts whatever Python comes first on its PATH: run `applinks addin install` with "
            "the Python that has applinks.",
        ),
    ]


def test_cli_doctor_exit_codes(mac_home: Path) -> None:
    result = CliRunner().invoke(main, ["addin", "doctor"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "4 problems found; fix them in this order."
    assert CliRunner().invoke(main, ["addin", "install"]).exit_code == 0
    result = CliRunner().invoke(main, ["addin", "doctor"])
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        0,
        "Everything the add-in needs is in place.",
    )


def test_install_on_windows_writes_addin_and_settings(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    result = CliRunner().invoke(main, ["addin", "install"])
    addin = tmp_path / "Roaming/Microsoft/Excel/XLSTART/applinks.xlam"
    conf = tmp_path / ".applinks/applinks.conf"
    assert (result.exit_code, result.output.splitlines()) == (
        0,
        [
            f"Wrote {addin}",
            f"Wrote {conf}",
            "Restart Excel (quit it completely first) to see the Cloze tab.",
        ],
    )
    assert addin.read_bytes() == ADDIN.read_bytes()
    assert conf.read_bytes() == (
        f'"INTERPRETER_WIN","{sys.executable}"\r\n"UDF Modules","applinks.excel.udfs"\r\n'
    ).encode("cp1252")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "applinks.conf",
        "applinks.xlam",
    ]
