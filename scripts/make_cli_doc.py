"""Write docs/cli.md from the ``--help`` of every command: ``python scripts/make_cli_doc.py``.

A test keeps docs/cli.md equal to what this writes, so the reference never drifts from the
options the commands take (each declared once in ``applinks.cli``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from applinks.cli import main

#: The width the help is wrapped to (click's default for a terminal 80 characters wide).
WIDTH = 80


def commands(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Return the path of every command under ``group`` (itself first), in ``--help`` order."""
    found = [path]
    context = click.Context(group, info_name="applinks")
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            found += commands(command, (*path, name))
        elif command is not None:
            found.append((*path, name))
    return found


def help_text(path: tuple[str, ...]) -> str:
    """Return what ``applinks PATH --help`` prints."""
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="applinks", terminal_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"applinks {' '.join(path)} --help failed: {result.output}")
    return result.output


def render() -> str:
    """Return the Markdown page: each command's ``--help``, as the command prints it."""
    lines = [
        "# Command-line reference",
        "",
        "Generated from each command's `--help` by `scripts/make_cli_doc.py`; a test keeps the",
        "two in step. Options with the same name mean the same on every command. `--from-url`",
        "takes App ID and id from the links, so it cannot be given with `--id-column`, `--kind`",
        "or `--set` (a usage error, exit 2); `--app` with it takes every link as that app's.",
        "",
    ]
    for path in commands():
        lines += [f"## applinks {' '.join(path)}".rstrip(), "", "```text"]
        lines += help_text(path).rstrip("\n").splitlines()
        lines += ["```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"Wrote {target.name}\n")
