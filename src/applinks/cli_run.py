"""How a command line run goes: a command's problems become one sentence and an exit code,
and a command that reads a spreadsheet reads it, then runs the rest of itself on the table (in
a child process, when a large workbook is handed over to one: see
:func:`applinks.files.read.read_then`)."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from applinks.cli_messages import cli_message
from applinks.errors import ApplinksError, ReadAgain
from applinks.files.panics import is_panic
from applinks.files.read import read_then
from applinks.table import Table

EXIT_OK, EXIT_DATA_ERRORS, EXIT_USAGE = 0, 1, 2


def outcome(ctx: click.Context, work: Callable[[], object]) -> int:
    """Run ``work()`` (a command, or the rest of one) and return its exit code: 0, or the code
    of the problem that stopped it, told in one sentence (the traceback only with --debug).

    Ctrl-C and a polite kill say which outputs had been written in full; a temporary file still
    pending at the end is removed. ``sys.exit`` and click's own exits go through.
    """
    from applinks.files.atomic import discard_pending

    try:
        with _sigterm_as_interrupt():
            work()
    except ReadAgain:  # (the reader reads the input again, whole, and the work runs again)
        raise
    except ApplinksError as error:
        if _debug(ctx):
            raise
        click.echo(cli_message(error), err=True)
        return error.exit_code
    except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
        raise
    except KeyboardInterrupt:
        click.echo(f"Stopped; {_what_was_written()}.", err=True)
        return 130
    except BaseException as error:  # a bug (or a reader's panic): one sentence unless --debug
        if _debug(ctx) or not (isinstance(error, Exception) or is_panic(error)):
            raise
        click.echo(
            f"An unexpected problem stopped the run ({error}); {_what_was_written()}. "
            "Run again with --debug to see the details.",
            err=True,
        )
        return EXIT_USAGE
    finally:
        discard_pending()  # a temporary file still pending now is never going to be kept
    return EXIT_OK


def run_on_table(
    book: Path,
    body: Callable[[Table], object],
    *,
    sheet: str | None = None,
    from_url: str | None = None,
) -> None:
    """Read the input, tell the user on stderr what the reader noticed (hidden sheet...), then
    run ``body(table)``: the rest of the command.

    A large workbook is parsed by a child process while this one scans it; ``body`` then runs
    in the child and the command ends with the child's exit code (see
    :func:`applinks.files.read.read_then`). ``from_url``: the column of record links, whose
    cells' hyperlink targets are the links.
    """
    ctx = click.get_current_context()
    links = (from_url,) if from_url else ()
    told: set[str] = set()  # (notes are told once, when the input is read again too)

    def run(reading: Callable[[], Table]) -> int:
        def work() -> None:
            table = reading()
            for note in table.notes:
                if note not in told:
                    told.add(note)
                    click.echo(f"Note: {note}", err=True)
            body(table)

        return outcome(ctx, work)

    code = read_then(book, run, sheet=sheet, link_columns=links)
    if code:
        ctx.exit(code)


def _what_was_written() -> str:
    """Say truthfully which outputs were finished before a run stopped (each is whole)."""
    from applinks.files.atomic import WRITTEN

    if not WRITTEN:
        return "nothing was written"
    names = ", ".join(f'"{path.name}"' for path in WRITTEN)
    return f"{names} had been written in full, nothing else was written"


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat a polite kill (SIGTERM) like Ctrl-C, so temporary files are removed."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _debug(ctx: click.Context) -> bool:
    root = ctx.find_root()
    return bool(root.params.get("debug"))
