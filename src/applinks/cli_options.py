"""The command line's options, each declared once (name, help, default) and applied in groups:
the options that travel together are declared together, as :func:`link_options` for where the
App Links come from, :data:`read_options` for the spreadsheet read, :func:`output_options` for
the CSV written."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from applinks.errors import UsageError
from applinks.link_source import LinkSource
from applinks.registry import Registry, load_registry, load_user_templates

#: A click decorator (an option, an argument, or a group of them).
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def path_option(
    *names: str,
    metavar: str,
    help: str,
    file_okay: bool = True,
    dir_okay: bool = True,
    required: bool = False,
) -> Decorator:
    """An option that names a file or folder, handed to the command as a Path."""
    return click.option(
        *names,
        type=click.Path(path_type=Path, file_okay=file_okay, dir_okay=dir_okay),
        metavar=metavar,
        help=help,
        required=required,
    )


# Options shared by several commands, each declared once with the same name everywhere (SPEC
# section 2), and applied in groups: the options that travel together are declared together.
sheet_option = click.option(
    "--sheet", metavar="NAME", help="Worksheet to read (default: the first)."
)
force_option = click.option("--force", is_flag=True, help="Replace an existing output file.")
output_option = path_option(
    "-o",
    "--output",
    metavar="PATH",
    help='Output file (default: "<input> - Cloze import.csv" beside the input).',
)
templates_option = path_option(
    "--templates",
    metavar="FILE",
    help="Your own URL templates (CSV or TOML); they override built-ins.",
)
settings_option = click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="An account setting for URL templates, e.g. --set subdomain=acme.",
)
app_option = click.option("--app", metavar="APP_ID", help="The source app, e.g. zillow.com.")
id_column_option = click.option(
    "--id-column", metavar="COLUMN", help="Column with the record ids (default: App Unique ID)."
)
name_column_option = click.option(
    "--name-column", metavar="COLUMN", help="Column with the records' names (default: Name)."
)
from_url_option = click.option(
    "--from-url",
    metavar="COLUMN",
    help="Derive App ID and App Unique ID from this column of record URLs.",
)
overwrite_option = click.option(
    "--overwrite", is_flag=True, help="Replace App Link cells that already have values."
)
kind_option = click.option("--kind", metavar="KIND", help="Record kind when an app has several.")


def out_dir_option(what: str, *, default: str = "", required: bool = False) -> Decorator:
    """The ``--out DIR`` of a build command: the folder to write ``what`` into.

    ``default`` says where they go without it (in the help, in brackets).
    """
    return path_option(
        "--out",
        "out_dir",
        metavar="DIR",
        file_okay=False,
        required=required,
        help=f"Folder to write {what} into" + (f" (default: {default})." if default else "."),
    )


def format_option(what: str) -> Decorator:
    """The --format option of a command that prints ``what`` (a report, a list)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help=f"How to print the {what}.",
    )


report_option = path_option(
    "--report", "report_path", metavar="PATH", help="Also write the report (.csv or .json) to PATH."
)
allow_errors_option = click.option(
    "--allow-errors", is_flag=True, help="Write the CSV even though the check found errors."
)
annotate_option = path_option(
    "--annotate",
    "annotate_path",
    metavar="OUT.xlsx",
    help='Also write a copy of the workbook with live flags and an "App Link Check" sheet.',
)
xlsx_option = path_option(
    "--xlsx",
    "xlsx_path",
    metavar="OUT.xlsx",
    help='Also write the prepared workbook with live flags and an "App Link Check" sheet.',
)
input_argument = click.argument("book", type=click.Path(path_type=Path), metavar="FILE")


def options(*decorators: Decorator) -> Decorator:
    """Return one decorator applying ``decorators``, shown in ``--help`` in this order."""

    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


#: The spreadsheet read: FILE and its worksheet.
read_options = options(input_argument, sheet_option)


def output_options(*between: Decorator) -> Decorator:
    """The CSV written: where (-o) and whether it may replace a file, with ``between`` listed
    between the two."""
    return options(output_option, *between, force_option)


_LINK_KEYWORDS = ("app", "id_column", "from_url", "kind", "settings", "templates", "overwrite")


def link_options(*, name_column: bool = False) -> Decorator:
    """Where the App Links come from: --app, --id-column, --from-url, --kind, --set,
    --templates and --overwrite, handed to the command as one ``source`` (a
    :class:`LinkSource`) and the ``registry`` (the built-in apps with the user's templates).

    The templates file is read and the options checked before the command reads its input.
    ``name_column``: also take --name-column (listed after --id-column), passed on as it is.
    """
    declared: list[Decorator] = [
        app_option,
        id_column_option,
        from_url_option,
        kind_option,
        settings_option,
        templates_option,
        overwrite_option,
    ]
    if name_column:
        declared.insert(2, name_column_option)

    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def with_source(**params: Any) -> Any:
            given = {name: params.pop(name) for name in _LINK_KEYWORDS}
            registry, file_settings = registry_and_settings(given["templates"])
            source = LinkSource(
                app=given["app"],
                id_column=given["id_column"],
                from_url=given["from_url"],
                kind=given["kind"],
                settings=settings_given(given["settings"]),
                overwrite=given["overwrite"],
                template_settings=file_settings,
            )
            return command(source=source, registry=registry, **params)

        return options(*declared)(with_source)

    return apply


def registry_and_settings(templates: Path | None) -> tuple[Registry, dict[str, str]]:
    """Return the built-in apps with the user's templates (``--templates``) laid over them,
    and the account settings that came with those templates."""
    registry = load_registry()
    if templates is None:
        return registry, {}
    entries, settings = load_user_templates(templates)
    return registry.with_overrides(entries), settings


def settings_given(pairs: tuple[str, ...]) -> dict[str, str]:
    """Return the settings given as ``--set NAME=VALUE`` by name (a later one wins)."""
    settings: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f'"--set {pair}" is not NAME=VALUE; for example --set subdomain=acme.')
        settings[name.strip()] = value.strip()
    return settings
