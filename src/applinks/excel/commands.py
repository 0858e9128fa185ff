"""``applinks addin``: build the add-in from its sources, install it, remove it, show status."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from applinks.cli_options import out_dir_option, path_option
from applinks.errors import UsageError


@click.group("addin")
def addin() -> None:
    """Build and install the Excel add-in (the Cloze tab)."""


@addin.command("build")
@out_dir_option(
    "addin/applinks.xlam and xlsm/applinks-template.xlsm",
    default="the repository, when run from a checkout",
)
def build_command(out_dir: Path | None) -> None:
    """Build the add-in and the template workbook from the text sources."""
    from applinks.excel.build import build, default_output_dir

    out_dir = out_dir or default_output_dir()
    if out_dir is None:
        raise UsageError("Give a folder to write the add-in to, e.g. --out ./excel-addin.")
    for path in build(out_dir):
        click.echo(f"Wrote {path}")


def _addin_file(file: Path | None, work_dir: Path, *, build_it: bool = True) -> Path | None:
    """Return the add-in to install: ``file``, the checkout's, or one built now (or None)."""
    from applinks.excel.build import ADDIN_PATH, build, default_output_dir

    if file is not None:
        if not file.is_file():
            raise UsageError(f"The add-in file {file} does not exist.")
        return file
    checkout = default_output_dir()
    if checkout is not None and (checkout / ADDIN_PATH).is_file():
        return checkout / ADDIN_PATH
    return build(work_dir)[0] if build_it else None


@addin.command("install")
@path_option(
    "-f",
    "--file",
    metavar="PATH",
    dir_okay=False,
    help="The add-in to install (default: the one built from this package).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="List the files it would write, with what each holds, and write nothing.",
)
@click.option(
    "--platform",
    type=click.Choice(["windows", "mac"]),
    help="With --dry-run: show the set-up of that kind of computer (default: this one).",
)
def install_command(file: Path | None, dry_run: bool, platform: str | None) -> None:
    """Set up Excel: the add-in, its settings (this Python) and, on a Mac, xlwings' AppleScript.

    Then the Cloze tab appears in every workbook.
    """
    import sys

    from applinks.excel import install

    if platform is not None and not dry_run:
        raise UsageError("--platform shows another computer's set-up; use it with --dry-run.")
    if sys.platform.startswith("win"):
        local = "windows"
    else:
        local = "mac" if sys.platform == "darwin" else None
    if platform is not None and platform != local:
        where = install.elsewhere(platform)
        interpreter = "(the Python that runs this command there)"
    else:
        where, interpreter = install.this_computer(), sys.executable
    here = platform is None or platform == local
    old = ""
    if here and Path(where.conf).is_file():
        old = Path(where.conf).read_text(install.conf_encoding(where.platform))
    with tempfile.TemporaryDirectory() as work_dir:
        addin_file = _addin_file(file, Path(work_dir), build_it=not dry_run)
        files = install.plan(where, addin=addin_file, interpreter=interpreter, old_conf=old)
        if dry_run:
            _show_plan(files, where.platform)
            return
        for path in install.write_planned(files, where.platform):
            click.echo(f"Wrote {path}")
    click.echo("Restart Excel (quit it completely first) to see the Cloze tab.")


def _show_plan(files: list, platform: str) -> None:
    name = "Windows" if platform == "windows" else "macOS"
    click.echo(f"applinks addin install would write {len(files)} files ({name}):")
    for item in files:
        click.echo(f"  {item.path}")
        click.echo(f"    {item.summary}")
    click.echo("Nothing was written (--dry-run).")


@addin.command("doctor")
def doctor_command() -> None:
    """Check each piece the add-in needs on this computer and say what is wrong."""
    import applinks
    from applinks.excel import doctor, install

    where = install.this_computer()
    with tempfile.TemporaryDirectory() as work_dir:
        addin_file = _addin_file(None, Path(work_dir))
        assert addin_file is not None
        findings = doctor.diagnose(where, addin=addin_file, version=applinks.__version__)
    for finding in findings:
        click.echo(f"{'ok' if finding.ok else 'PROBLEM'}: {finding.text}")
    problems = sum(not f.ok for f in findings)
    if not problems:
        click.echo("Everything the add-in needs is in place.")
        return
    click.echo(f"{problems} problem{'' if problems == 1 else 's'} found; fix them in this order.")
    raise SystemExit(1)


@addin.command("remove")
def remove_command() -> None:
    """Remove the add-in from Excel's startup folder."""
    from applinks.excel import install

    removed = install.remove()
    if removed is None:
        click.echo("The add-in is not installed; nothing to remove.")
    else:
        click.echo(f"Removed {removed}. Restart Excel to hide the Cloze tab.")


@addin.command("status")
def status_command() -> None:
    """Say whether the add-in is installed, and where."""
    from applinks.excel import install

    state = install.status()
    if state.installed:
        click.echo(f"The add-in is installed at {state.path}.")
    else:
        click.echo(
            f"The add-in is not installed. `applinks addin install` puts it at {state.path}."
        )
