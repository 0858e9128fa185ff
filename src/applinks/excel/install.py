"""Install, remove and report the add-in in Excel's startup folder.

Excel opens every workbook of its startup folder (XLSTART) when it starts, which is where
``xlwings addin install`` copies an add-in. xlwings asks a running Excel for that folder; this
module knows the folder without Excel, so it works while Excel is closed:

- Windows: ``%APPDATA%\\Microsoft\\Excel\\XLSTART``
- macOS (Excel 2016 and later, sandboxed): ``~/Library/Group Containers/UBF8T346G9.Office/
  User Content.localized/Startup.localized/Excel``
- Linux and others: there is no Microsoft Excel; every command says so.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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
