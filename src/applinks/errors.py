"""Errors about the program or its use (not about the data, which goes into a Report)."""

from __future__ import annotations

from collections.abc import Sequence
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
        self._cli_message = cli_message

    @property
    def cli_message(self) -> str:
        """The sentence for the command line: the message, unless it names something of
        Excel's (a ribbon button), where the command line names its own option instead."""
        return getattr(self, "_cli_message", None) or self.message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Typed errors take their fields, not the message: rebuild from the state (an error
        # raised in a second process comes back whole).
        return (_rebuild, (type(self), dict(self.__dict__)))


def _rebuild(kind: type[ApplinksError], state: dict[str, object]) -> ApplinksError:
    error = kind.__new__(kind)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class InputError(ApplinksError):
    """An input that cannot be read: missing, not a spreadsheet, encrypted, corrupt, too large."""


class UsageError(ApplinksError):
    """A bad invocation: unknown app, unknown column, conflicting options."""


class OutputExistsError(ApplinksError):
    """The output file exists and the user did not ask to replace it."""

    def __init__(self, path: str | Path) -> None:
        name = Path(path).name
        super().__init__(
            f'"{name}" already exists; choose another name, or let it be replaced (force=True).',
            path=path,
        )


class TemplateError(ApplinksError):
    """A URL template that cannot be rendered (unknown placeholder, missing setting)."""


# --- typed errors: the core reports what went wrong as fields; each surface (the command line,
# the add-in) says it in its own words. ``message`` is the plain sentence for library users.


def _quoted(names: Sequence[str], joiner: str = ", ") -> str:
    return joiner.join(f'"{name}"' for name in names)


class CsvHasNoSheets(UsageError):
    """A worksheet was named for a CSV file (``name``), which has none."""

    def __init__(self, name: str) -> None:
        super().__init__(f'"{name}" is a CSV file, which has no sheets.')
        self.name = name


class UnknownApp(UsageError):
    """``app`` is neither an App ID nor an App Name the registry knows."""

    def __init__(self, app: str) -> None:
        super().__init__(f'Unknown app "{app}"; give a URL template for it, or a known App ID.')
        self.app = app


class NoLinkSource(UsageError):
    """A fill was asked for without saying where the links come from (an app or URLs)."""

    def __init__(self) -> None:
        super().__init__(
            "Say which app the ids come from, or give a column of record links to read them from."
        )


class ConflictingOptions(UsageError):
    """Two options that do not go together were both given (``option`` makes ``other`` moot).

    The fields are the options' keyword names (``from_url``, ``id_column``); each surface names
    them its own way.
    """

    def __init__(self, option: str, other: str) -> None:
        super().__init__(
            f"{option} and {other} do not go together: with {option} the links say which app "
            f"and record each row is, so {other} would be left unused."
        )
        self.option = option
        self.other = other


class NoColumn(UsageError):
    """``wanted`` names no column of the sheet, whose headers are ``headers``."""

    def __init__(self, wanted: str, headers: Sequence[str]) -> None:
        listed = _quoted([h for h in headers if h])
        super().__init__(f'There is no column "{wanted}"; the columns are {listed}.', column=wanted)
        self.wanted = wanted
        self.headers = tuple(headers)


class NoNameColumn(NoColumn):
    """The column given for the records' names is not on the sheet."""

    def __init__(self, wanted: str, headers: Sequence[str]) -> None:
        super().__init__(wanted, headers)
        listed = _quoted([h for h in headers if h])
        self.message = f'There is no column "{wanted}" for the names; the columns are {listed}.'


class NotANameColumn(UsageError):
    """The column given for the names is one of Cloze's other columns (``canonical``)."""

    def __init__(self, header: str, canonical: str, *, column: str) -> None:
        super().__init__(
            f'Column "{header}" is the {canonical} column, not a column of names.', column=column
        )
        self.header = header
        self.canonical = canonical


class NameColumnTaken(UsageError):
    """The sheet has a "Name" column already, so ``header`` cannot be the Name column too."""

    def __init__(self, header: str, *, column: str) -> None:
        super().__init__(
            f'The sheet already has a column headed "Name", so "{header}" cannot be the Name '
            "column too; rename one of the two columns.",
            column=column,
        )
        self.header = header


class MissingSettings(TemplateError):
    """A URL template needs account settings (``names``) that were not given.

    ``examples`` pairs each name with a value to show (``subdomain=yourcompany``); ``app_name``
    is the app's name when known, else ``template`` names the template.
    """

    def __init__(
        self,
        names: Sequence[str],
        *,
        template: str,
        app_name: str | None = None,
        examples: Sequence[str] = (),
    ) -> None:
        self.names = tuple(names)
        self.template = template
        self.app_name = app_name
        self.examples = tuple(examples) or tuple(f"{name}=value" for name in names)
        pronoun = "it" if len(self.names) == 1 else "them"
        super().__init__(f"{self.needs()}; give {pronoun} as {' and '.join(self.examples)}.")

    def needs(self) -> str:
        """Return the first half of every surface's sentence: what needs which settings."""
        whose = f"for {self.app_name}" if self.app_name else f'"{self.template}"'
        noun = "setting" if len(self.names) == 1 else "settings"
        return f"The URL template {whose} needs the {noun} {_quoted(self.names, ' and ')}"


class ReadAgain(Exception):  # noqa: N818 - a request, not a failure
    """The input must be read again, whole: a faster way of reading it did not hold for this
    file (see :mod:`applinks.files.xlsx_halves`). Raised where rows are read, caught by the
    caller that started the read, which reads again and runs again; never reaches the user."""
