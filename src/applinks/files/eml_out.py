"""Write an email draft (.eml) to Cloze support with the CSV attached."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from applinks.errors import UsageError
from applinks.issues import Report
from applinks.registry import Registry
from applinks.wording import counted

from .atomic import atomic_writer, check_output

SUPPORT_ADDRESS = "support@cloze.com"


def check_csv_for_draft(csv_path: Path, *, registry: Registry | None = None) -> Report:
    """Read the CSV for Cloze that is to be emailed, and check it as it is now.

    The report's ``rows`` is the number of records the CSV reader found (a quoted value may
    hold line ends). Raises :class:`UsageError` for anything but a CSV file (a workbook is
    exported first), and what :func:`~applinks.files.read.read_table` raises for a CSV it
    cannot read.
    """
    from applinks.checks import check
    from applinks.files.read import OLE_MAGIC, ZIP_MAGIC, read_table

    with csv_path.open("rb") as handle:
        head = handle.read(8)
    if csv_path.suffix.lower() != ".csv" or head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise UsageError(
            f'"{csv_path.name}" is not a CSV file; run "applinks export" (or "applinks '
            'prepare") on it first and email the CSV for Cloze that it writes.',
            path=csv_path,
        )
    return check(read_table(csv_path), registry=registry)


def build_draft(csv_path: Path, *, rows: int | None = None, sender: str | None = None) -> bytes:
    """Return the RFC 5322 bytes of an unsent draft with ``csv_path`` attached."""
    # (imported here: the email package is a tenth of the command line's start-up otherwise)
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import formatdate

    message = EmailMessage(policy=SMTP)
    message["To"] = SUPPORT_ADDRESS
    if sender:
        message["From"] = sender
    message["Subject"] = f"Import with App Links: {csv_path.name}"
    message["Date"] = formatdate(localtime=False)
    message["X-Unsent"] = "1"
    count = f" ({counted(rows, 'row')})" if rows is not None else ""
    message.set_content(
        "Hello Cloze support,\n\n"
        f"Please import the attached file{count} into my Cloze account. It contains "
        "Projects/Deals with App Links (columns App ID, App Unique ID, App Name and "
        "App Content URL).\n\n"
        "Thank you.\n"
    )
    message.add_attachment(
        csv_path.read_bytes(), maintype="text", subtype="csv", filename=csv_path.name
    )
    return message.as_bytes()


def write_draft(
    csv_path: Path, path: Path, *, force: bool = False, rows: int | None = None
) -> Path:
    """Write the draft for ``csv_path`` to ``path`` atomically."""
    check_output(path, force=force, inputs=(csv_path,))
    data = build_draft(csv_path, rows=rows)
    with atomic_writer(path, "wb") as handle:
        handle.write(data)
    return path


def has_desktop() -> bool:
    """Return True when a desktop session can open files with their default program."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_with_default_program(path: Path) -> None:
    """Open ``path`` with the desktop's default program (the mail program for .eml)."""
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606
    elif sys.platform == "darwin":
        subprocess.run(["open", str(path)], check=False)
    else:
        subprocess.run(["xdg-open", str(path)], check=False)
