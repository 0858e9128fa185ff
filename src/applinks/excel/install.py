"""Install, remove and report the add-in in Excel's startup folder.

Excel opens every workbook of its startup folder (XLSTART) when it starts, which is where
``xlwings addin install`` copies an add-in. xlwings asks a running Excel for that folder; this
module knows the folder without Excel, so it works while Excel is closed:

- Windows: ``%APPDATA%\\Microsoft\\Excel\\XLSTART``
- macOS (Excel 2016 and later, sandboxed): ``~/Library/Group Containers/UBF8T346G9.Office/
  User Content.localized/Startup.localized/Excel``
- Linux and others: there is no Microsoft Excel; every command says so.

A working set-up needs more than the add-in (see :func:`plan`):

- the settings file ``applinks.conf`` where the add-in's VBA (xlwings' custom add-in module with
  ``PROJECT_NAME = "applinks"``) looks for it: Windows ``%USERPROFILE%\\.applinks\\applinks.conf``,
  macOS ``~/Library/Containers/com.microsoft.Excel/Data/applinks.conf`` (Excel's sandbox home).
  It names the Python that runs the buttons and the worksheet functions (``INTERPRETER_WIN`` /
  ``INTERPRETER_MAC``: the Python running ``applinks addin install``) and the UDF module; without
  it the buttons start whatever ``python`` is first on the PATH and the functions ``pythonw``;
- on macOS, xlwings' AppleScript in ``~/Library/Application Scripts/com.microsoft.Excel``, the
  only place a sandboxed Excel may run a script from (``AppleScriptTask``); without it every
  button fails (``xlwings addin install`` and ``xlwings runpython install`` put it there).
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from applinks.errors import ApplinksError

ADDIN_FILE = "applinks.xlam"
MAC_STARTUP = (
    Path("Library")
    / "Group Containers"
    / "UBF8T346G9.Office"
    / "User Content.localized"
    / "Startup.localized"
    / "Excel"
)


MAC_SCRIPTS = Path("Library") / "Application Scripts" / "com.microsoft.Excel"
MAC_CONTAINER = Path("Library") / "Containers" / "com.microsoft.Excel"
CONF_FILE = "applinks.conf"
UDF_MODULES = "applinks.excel.udfs"
PLATFORMS = {"windows": "win32", "mac": "darwin"}


class ExcelNotAvailable(ApplinksError):
    """This computer has no Microsoft Excel to install the add-in into."""


@dataclass(frozen=True)
class Status:
    """Where the add-in goes and whether it is there."""

    installed: bool
    path: Path


def startup_folder(
    *,
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Path:
    """Return Excel's per-user startup folder on this kind of computer.

    Raises :class:`ExcelNotAvailable` on Linux and other systems without Excel.
    """
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    if platform.startswith("win"):
        appdata = environ.get("APPDATA")
        if not appdata:
            raise ExcelNotAvailable(
                "The APPDATA folder is not set, so Excel's startup folder cannot be found."
            )
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
    if platform == "darwin":
        return (home or Path.home()) / MAC_STARTUP
    raise ExcelNotAvailable(
        "Microsoft Excel is not available on this computer (it runs on Windows and macOS). "
        "Copy applinks.xlam to a computer with Excel and run `applinks addin install` there."
    )


def status(*, folder: Path | None = None) -> Status:
    """Return whether the add-in is in the startup folder, and its path there."""
    target = (folder or startup_folder()) / ADDIN_FILE
    return Status(target.is_file(), target)


def install(source: Path, *, folder: Path | None = None) -> Path:
    """Copy the add-in ``source`` into the startup folder (replacing an older copy)."""
    if not source.is_file():
        raise ApplinksError(f"The add-in file {source} does not exist.", path=source)
    target_folder = folder or startup_folder()
    target = target_folder / ADDIN_FILE
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(ADDIN_FILE + ".tmp")
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    except PermissionError as error:
        raise ApplinksError(
            f"Could not copy the add-in to {target_folder}: close Excel and try again.",
            path=target,
        ) from error
    return target


def remove(*, folder: Path | None = None) -> Path | None:
    """Delete the add-in from the startup folder; return its path, or None if it was not there."""
    target = (folder or startup_folder()) / ADDIN_FILE
    if not target.exists():
        return None
    try:
        target.unlink()
    except PermissionError as error:
        raise ApplinksError(
            f"Could not remove {target}: close Excel and try again.", path=target
        ) from error
    return target


def platform_key(platform: str | None = None) -> str:
    """Return ``"windows"`` or ``"mac"`` for ``sys.platform``; raise on a computer without Excel."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "mac"
    startup_folder(platform=platform, environ={})  # raises ExcelNotAvailable
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Places:
    """Where each file of a working set-up goes on one kind of computer."""

    platform: str  # "windows" or "mac"
    addin: PurePath
    conf: PurePath
    applescript: PurePath | None  # macOS only

    @property
    def excel_folder(self) -> PurePath:
        """The folder Excel creates for this user the first time it starts."""
        if self.platform == "windows":
            return self.addin.parent.parent  # %APPDATA%\Microsoft\Excel
        return self.conf.parent.parent  # ~/Library/Containers/com.microsoft.Excel


def places(
    platform: str, *, home: PurePath, appdata: str | None = None, userprofile: str | None = None
) -> Places:
    """Return the set-up's paths for ``platform`` (``"windows"`` or ``"mac"``).

    ``home`` is the user's folder on a Mac; on Windows ``appdata`` and ``userprofile`` are the
    ``APPDATA`` and ``USERPROFILE`` folders. The paths have the type of ``home`` (a
    ``PureWindowsPath`` shows a Windows set-up on any computer).
    """
    if platform == "windows":
        if not appdata or not userprofile:
            raise ExcelNotAvailable(
                "The APPDATA or USERPROFILE folder is not set, so Excel's folders cannot be found."
            )
        kind = type(home)
        addin = kind(appdata) / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE
        return Places(platform, addin, kind(userprofile) / ".applinks" / CONF_FILE, None)
    script = home.joinpath(*MAC_SCRIPTS.parts) / applescript_name()
    conf = home.joinpath(*MAC_CONTAINER.parts) / "Data" / CONF_FILE
    return Places(platform, home.joinpath(*MAC_STARTUP.parts) / ADDIN_FILE, conf, script)


def this_computer(platform: str | None = None) -> Places:
    """Return the set-up's paths on this computer (raises :class:`ExcelNotAvailable` on Linux)."""
    key = platform_key(platform)
    return places(
        key,
        home=Path.home(),
        appdata=os.environ.get("APPDATA"),
        userprofile=os.environ.get("USERPROFILE"),
    )


def elsewhere(platform: str) -> Places:
    """Return the set-up's paths on another kind of computer, with its folders as placeholders."""
    if platform == "windows":
        return places(
            "windows", home=PureWindowsPath("~"), appdata="%APPDATA%", userprofile="%USERPROFILE%"
        )
    return places("mac", home=PurePosixPath("~"))


def applescript_name() -> str:
    """Return the AppleScript's file name; the add-in's VBA asks for exactly this name."""
    from applinks.excel.build.sources import XLWINGS_VERSION

    return f"xlwings-{XLWINGS_VERSION}.applescript"


def applescript_source() -> Path:
    """Return xlwings' AppleScript in the installed (pinned) xlwings package."""
    from applinks.excel.build.sources import xlwings_folder

    return xlwings_folder() / applescript_name()


def interpreter_key(platform: str) -> str:
    """Return the setting that names the Python on ``platform`` (as xlwings' VBA reads it)."""
    return "INTERPRETER_WIN" if platform == "windows" else "INTERPRETER_MAC"


def conf_settings(platform: str, interpreter: str) -> list[tuple[str, str]]:
    """Return the settings ``applinks addin install`` writes, in file order."""
    return [(interpreter_key(platform), interpreter), ("UDF Modules", UDF_MODULES)]


def read_conf(text: str) -> list[tuple[str, str]]:
    """Read a settings file as xlwings' VBA writes and reads it (``"key","value"`` per line)."""
    rows = csv.reader(text.splitlines(), skipinitialspace=True)
    return [(row[0], row[1] if len(row) > 1 else "") for row in rows if row]


def conf_text(settings: Sequence[tuple[str, str]], *, old: str = "", newline: str) -> str:
    """Return the settings file: ``settings`` first, then the other settings of ``old``.

    Keys are compared without case, as the VBA compares them. VBA's ``Input #`` has no escape
    for ``"``, so a value holding one is refused.
    """
    ours = {key.lower() for key, _ in settings}
    kept = [(k, v) for k, v in read_conf(old) if k.lower() not in ours]
    lines = []
    for key, value in [*settings, *kept]:
        if '"' in key or '"' in value:
            raise ApplinksError(f'A setting cannot hold a double quote ("): {key} = {value}')
        lines.append(f'"{key}","{value}"')
    return newline.join(lines) + newline


def conf_encoding(platform: str) -> str:
    """VBA reads the file in the system's ANSI code page on Windows, as xlwings writes it."""
    return "cp1252" if platform == "windows" else "utf-8"


@dataclass(frozen=True)
class PlannedFile:
    """One file of the set-up: where it goes, what it is, and its content or source."""

    path: PurePath
    summary: str
    source: Path | None = None
    text: str | None = None


def plan(
    where: Places, *, addin: Path | None, interpreter: str, old_conf: str = ""
) -> list[PlannedFile]:
    """Return every file a working set-up needs on ``where.platform``, in writing order.

    ``addin`` is the add-in to copy (None: the one built from this package's sources).
    """
    source = f"a copy of {addin}" if addin else "built from this package's sources"
    files = [PlannedFile(where.addin, f"the add-in (the Cloze tab), {source}", addin)]
    if where.applescript is not None:
        script = applescript_source()
        files.append(
            PlannedFile(
                where.applescript,
                f"xlwings' AppleScript, which Excel for Mac runs Python with, a copy of {script}",
                script,
            )
        )
    settings = conf_settings(where.platform, interpreter)
    newline = "\r\n" if where.platform == "windows" else "\n"
    shown = "; ".join(f"{key} = {value}" for key, value in settings)
    files.append(
        PlannedFile(
            where.conf,
            f"the add-in's settings: {shown}",
            text=conf_text(settings, old=old_conf, newline=newline),
        )
    )
    return files


def write_planned(files: Sequence[PlannedFile], platform: str) -> list[Path]:
    """Write the planned files (each whole or not at all); return their paths."""
    written = []
    for item in files:
        target = Path(item.path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".tmp")
            if item.source is not None:
                shutil.copyfile(item.source, temporary)
            else:
                temporary.write_bytes((item.text or "").encode(conf_encoding(platform)))
            os.replace(temporary, target)
        except UnicodeEncodeError as error:
            raise ApplinksError(
                f"The Python path cannot be written for Excel ({error.object!r}); "
                "install Python in a folder whose name has only plain letters.",
                path=target,
            ) from error
        except PermissionError as error:
            raise ApplinksError(
                f"Could not write {target}: close Excel and try again.", path=target
            ) from error
        written.append(target)
    return written
