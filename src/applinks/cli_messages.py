"""What the command line says about an error: the core's typed errors in the words of its options.

The core raises errors with fields (:mod:`applinks.errors`) and no command-line words; this is
the one place that names ``--app``, ``--set`` or ``--templates`` in an error sentence.
"""

from __future__ import annotations

from pathlib import Path

from applinks.errors import (
    ApplinksError,
    ConflictingOptions,
    CsvHasNoSheets,
    MissingSettings,
    NameColumnTaken,
    NoLinkSource,
    NotANameColumn,
    OutputExistsError,
    UnknownApp,
)

#: The command-line option of each keyword option of the core.
OPTION_NAMES = {
    "app": "--app",
    "id_column": "--id-column",
    "from_url": "--from-url",
    "kind": "--kind",
    "settings": "--set",
    "overwrite": "--overwrite",
    "name_column": "--name-column",
}


def option_name(keyword: str) -> str:
    """Return the command-line option of the core's keyword option ``keyword``."""
    return OPTION_NAMES.get(keyword, "--" + keyword.replace("_", "-"))


def cli_message(error: ApplinksError) -> str:
    """Return the one sentence the command line prints for ``error``."""
    if isinstance(error, UnknownApp):
        return (
            f'Unknown app "{error.app}"; run "applinks apps" to list the known apps, or give a '
            "URL template with --templates."
        )
    if isinstance(error, OutputExistsError) and error.path is not None:
        name = Path(error.path).name
        return f'"{name}" already exists; use --force to replace it, or choose another name.'
    if isinstance(error, CsvHasNoSheets):
        return f'"{error.name}" is a CSV file, which has no sheets; leave out --sheet.'
    if isinstance(error, NoLinkSource):
        return (
            "Say which app the ids come from with --app (e.g. --app zillow.com), "
            "or give a column of record links with --from-url."
        )
    if isinstance(error, ConflictingOptions):
        given, other = option_name(error.option), option_name(error.other)
        return (
            f"{given} cannot be used with {other}: the links in the {given} column say which "
            f"app and record each row is; leave out {other}."
        )
    if isinstance(error, MissingSettings):
        pronoun = "it" if len(error.names) == 1 else "them"
        flags = " ".join(f"--set {pair}" for pair in error.examples)
        return (
            f"{error.needs()}; give {pronoun} as {' and '.join(error.examples)} "
            f"(on the command line: {flags})."
        )
    if isinstance(error, NotANameColumn):
        return (
            f'Column "{error.header}" is the {error.canonical} column, not a column of names; '
            "give --name-column the column that holds each record's name."
        )
    if isinstance(error, NameColumnTaken):
        return (
            f'The sheet already has a column headed "Name", so "{error.header}" cannot be the '
            "Name column too; leave out --name-column, or rename one of the two columns."
        )
    return error.cli_message
