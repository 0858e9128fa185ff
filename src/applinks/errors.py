"""Errors about the program or its use (not about the data, which goes into a Report)."""

from __future__ import annotations

from pathlib import Path


class ApplinksError(Exception):
    """Base class: one plain sentence for the user, plus where it happened.

    The CLI prints ``str(error)`` and exits with ``exit_code``; the add-in shows it in a message
    box. Never put a traceback or a Python type name in the message.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        column: str | None = None,
        cli_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.column = column
        #: The sentence for the command line when the message names something of Excel's (a
        #: ribbon button): there it names the command line's option instead.
        self.cli_message = cli_message or message

    def __str__(self) -> str:
        return self.message


class InputError(ApplinksError):
    """An input that cannot be read: missing, not a spreadsheet, encrypted, corrupt, too large."""


class UsageError(ApplinksError):
    """A bad invocation: unknown app, unknown column, conflicting options."""


class OutputExistsError(ApplinksError):
    """The output file exists and the user did not ask to replace it."""


class TemplateError(ApplinksError):
    """A URL template that cannot be rendered (unknown placeholder, missing setting)."""
