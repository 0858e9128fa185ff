"""``applinks addin``: build the add-in from its sources, install it, remove it, show status."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from applinks.errors import UsageError


@click.group("addin")
def addin() -> None:
    """Build and install the Excel add-in (the Cloze tab)."""


@addin.command("build")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Folder to write addin/applinks.xlam and xlsm/applinks-template.xlsm into "
    "(default: the repository, when run from a checkout).",
)
def build_command(out_dir: Path | None) -> None:
    """Build the add-in and the template workbook from the text sources."""
    from applinks.excel.build import build, default_output_dir

    out_dir = out_dir or default_output_dir()
    if out_dir is None:
        raise UsageError("Give a folder to write the add-in to, e.g. --out ./excel-addin.")
    for path in build(out_dir):
        click.echo(f"Wrote {path}")


def _addin_file(file: Path | None, work_dir: Path) -> Path:
    from applinks.excel.build import ADDIN_PATH, build, default_output_dir

    if file is not None:
        return file
    checkout = default_output_dir()
    if checkout is not None and (checkout / ADDIN_PATH).is_file():
        return checkout / ADDIN_PATH
    return build(work_dir)[0]


@addin.command("install")
@click.option(
    "-f",
    "--file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="The add-in to install (default: the one built from this package).",
)
def install_command(file: Path | None) -> None:
    """Copy the add-in into Excel's startup folder, so the Cloze tab appears in every workbook."""
    from applinks.excel import install

    folder = install.startup_folder()
    with tempfile.TemporaryDirectory() as work_dir:
        target = install.install(_addin_file(file, Path(work_dir)), folder=folder)
    click.echo(f"Installed the add-in at {target}. Restart Excel to see the Cloze tab.")


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
