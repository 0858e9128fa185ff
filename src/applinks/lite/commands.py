"""``applinks lite``: the files to paste into xlwings Lite (Excel without Python)."""

from __future__ import annotations

from pathlib import Path

import click

from applinks.cli_options import out_dir_option


@click.group("lite")
def lite() -> None:
    """The xlwings Lite edition: Excel on Windows, Mac and the web, no Python to install."""


@lite.command("build")
@out_dir_option("main.py and requirements.txt", required=True)
@click.option(
    "--wheel-url",
    metavar="URL",
    help="Install cloze-applinks from this https:// address of its wheel instead of PyPI.",
)
def build_command(out_dir: Path, wheel_url: str | None) -> None:
    """Write main.py and requirements.txt to paste into xlwings Lite's editor."""
    from applinks.lite.build import build

    for path in build(out_dir, wheel_url=wheel_url):
        click.echo(f"Wrote {path}")
