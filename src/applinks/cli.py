"""The ``applinks`` command line: thin wrappers that read, call the core, and write."""

from __future__ import annotations

import contextlib
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from applinks import __version__, workers
from applinks import cli_outputs as outputs
from applinks.cli_report import blank_note, describe, print_report, records
from applinks.errors import ApplinksError, UsageError
from applinks.excel.commands import addin
from applinks.files.csv_out import CsvSpool, default_output_path, write_cloze_csv
from applinks.files.eml_out import has_desktop, open_with_default_program, write_draft
from applinks.files.panics import is_panic
from applinks.files.read import read_table as _read_table_file
from applinks.issues import Report
from applinks.operations import (
    fill_links,
    insert_app_link_columns,
    prepare,
    require_link_source,
    second_half,
)
from applinks.progress import Progress
from applinks.registry import AppEntry, Registry, load_registry, load_user_templates
from applinks.rows import LazyRows
from applinks.table import Table
from applinks.wording import counted

if TYPE_CHECKING:
    from applinks.files.xlsx_annotate import LinkRecorder

EXIT_OK, EXIT_DATA_ERRORS, EXIT_USAGE = 0, 1, 2
REPORT, WORKBOOK = outputs.Kind.REPORT, outputs.Kind.WORKBOOK


class AppLinksGroup(click.Group):
    """A click group that turns the project's errors into one sentence and exit code 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        code = 0
        try:
            return super().main(*args, **kwargs)
        except SystemExit as leaving:
            status = leaving.code
            code = status if isinstance(status, int) else 0 if status is None else 1
            raise
        except BaseException:
            code = 1
            raise
        finally:  # a process that carried on a handed-over run ends with it (see read_table)
            workers.leave_if_handed_over(code)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return self._invoke(ctx)
        finally:
            from applinks.files.atomic import discard_pending

            discard_pending()  # a temporary file still pending now is never going to be kept

    def _invoke(self, ctx: click.Context) -> object:
        from applinks.files.atomic import WRITTEN

        WRITTEN.clear()
        try:
            with _sigterm_as_interrupt():
                return super().invoke(ctx)
        except ApplinksError as error:
            if _debug(ctx):
                raise
            click.echo(error.cli_message, err=True)
            ctx.exit(error.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo(f"Stopped; {_what_was_written()}.", err=True)
            ctx.exit(130)
        except BaseException as error:  # a bug (or a reader's panic): one sentence unless --debug
            if _debug(ctx) or not (isinstance(error, Exception) or is_panic(error)):
                raise
            click.echo(
                f"An unexpected problem stopped the run ({error}); {_what_was_written()}. "
                "Run again with --debug to see the details.",
                err=True,
            )
            ctx.exit(EXIT_USAGE)
        return None


def read_table(path: Path, *, sheet: str | None = None, from_url: str | None = None) -> Table:
    """Read the input and tell the user, on stderr, what the reader noticed (hidden sheet...).

    ``from_url``: the column of record links, whose cells' hyperlink targets are the links.
    """
    links = (from_url,) if from_url else ()
    table = _read_table_file(path, sheet=sheet, hand_over=True, link_columns=links)
    for note in table.notes:
        click.echo(f"Note: {note}", err=True)
    return table


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


@click.group(cls=AppLinksGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full error details (a traceback).")
@click.version_option(__version__, prog_name="applinks")
def main(debug: bool) -> None:
    """Prepare a spreadsheet of Properties, Projects or Deals for a Cloze import with App Links."""


# Options shared by several commands, with the same names everywhere (SPEC section 2).
_sheet = click.option("--sheet", metavar="NAME", help="Worksheet to read (default: the first).")
_force = click.option("--force", is_flag=True, help="Replace an existing output file.")
_output = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help='Output file (default: "<input> - Cloze import.csv" beside the input).',
)
_templates = click.option(
    "--templates",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Your own URL templates (CSV or TOML); they override built-ins.",
)
_settings = click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="An account setting for URL templates, e.g. --set subdomain=acme.",
)
_app = click.option("--app", metavar="APP_ID", help="The source app, e.g. zillow.com.")
_id_column = click.option(
    "--id-column", metavar="COLUMN", help="Column with the record ids (default: App Unique ID)."
)
_name_column = click.option(
    "--name-column", metavar="COLUMN", help="Column with the records' names (default: Name)."
)
_from_url = click.option(
    "--from-url",
    metavar="COLUMN",
    help="Derive App ID and App Unique ID from this column of record URLs.",
)
_overwrite = click.option(
    "--overwrite", is_flag=True, help="Replace App Link cells that already have values."
)
_kind = click.option("--kind", metavar="KIND", help="Record kind when an app has several.")
_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="How to print the report.",
)
_report = click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Also write the report (.csv or .json) to PATH.",
)
_allow = click.option(
    "--allow-errors", is_flag=True, help="Write the CSV even though the check found errors."
)
_annotate = click.option(
    "--annotate",
    "annotate_path",
    type=click.Path(path_type=Path),
    metavar="OUT.xlsx",
    help='Also write a copy of the workbook with live flags and an "App Link Check" sheet.',
)
_xlsx = click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(path_type=Path),
    metavar="OUT.xlsx",
    help='Also write the prepared workbook with live flags and an "App Link Check" sheet.',
)
_input = click.argument("book", type=click.Path(path_type=Path), metavar="FILE")


def _registry_and_settings(
    templates: Path | None, pairs: tuple[str, ...]
) -> tuple[Registry, dict[str, str]]:
    registry = load_registry()
    settings: dict[str, str] = {}
    if templates is not None:
        entries, file_settings = load_user_templates(templates)
        registry = registry.with_overrides(entries)
        settings.update(file_settings)
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f'"--set {pair}" is not NAME=VALUE; for example --set subdomain=acme.')
        settings[name.strip()] = value.strip()
    return registry, settings


def _output_path(book: Path, output: Path | None) -> Path:
    return output if output is not None else default_output_path(book)


def _progress(table: Table, label: str) -> Progress:
    """Return a progress bar for a pass over ``table`` (shown only on a terminal)."""
    rows = table.rows
    total = rows.estimated_length() if isinstance(rows, LazyRows) else len(rows)
    return Progress(label, total)


def _spool(
    book: Path, output: Path | None, progress: Progress, wanted: bool = True
) -> contextlib.AbstractContextManager[CsvSpool | None]:
    """Return a CSV spool beside the output, or nothing when its folder does not exist (then
    the output checks report that, as before, and the CSV is written the usual way)."""
    folder = _output_path(book, output).parent
    if not wanted or not folder.is_dir():
        return contextlib.nullcontext(None)
    return CsvSpool(folder, progress=progress.update)


@main.command()
@_input
@_sheet
@_output
@_force
def insert(book: Path, sheet: str | None, output: Path | None, force: bool) -> None:
    """Add the four App Link columns (only those missing) and save a copy as CSV (or .xlsx)."""
    target = outputs.output_of_copy(book, output, force=force)
    table = read_table(book, sheet=sheet)
    result = insert_app_link_columns(table)
    path = outputs.write_output(book, table, result.table, target, force=force)
    added = ", ".join(result.added) if result.added else "none (all four were there)"
    click.echo(f"Added columns: {added}. Wrote {path}.")


@main.command()
@_input
@_app
@_id_column
@_from_url
@_kind
@_settings
@_templates
@_overwrite
@_sheet
@_output
@_force
def fill(
    book: Path,
    app: str | None,
    id_column: str | None,
    from_url: str | None,
    kind: str | None,
    settings: tuple[str, ...],
    templates: Path | None,
    overwrite: bool,
    sheet: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """Fill App ID, App Unique ID, App Name and App Content URL for every row with an id."""
    registry, values = _registry_and_settings(templates, settings)
    require_link_source(app=app, from_url=from_url)  # before reading a large file
    target = outputs.output_of_copy(book, output, force=force)
    table = read_table(book, sheet=sheet, from_url=from_url)
    result = fill_links(
        table,
        app=app,
        id_column=id_column,
        from_url=from_url,
        overwrite=overwrite,
        settings=values,
        kind=kind,
        registry=registry,
    )
    path = outputs.write_output(book, table, result.table, target, force=force)
    for issue in result.report:
        click.echo(issue.message, err=True)
    click.echo(f"{result.summary()} Wrote {path}.")


@main.command(name="check")
@_input
@_sheet
@_name_column
@_templates
@_format
@_report
@_annotate
@_force
def check_command(
    book: Path,
    sheet: str | None,
    name_column: str | None,
    templates: Path | None,
    fmt: str,
    report_path: Path | None,
    annotate_path: Path | None,
    force: bool,
) -> None:
    """Check the sheet and list every problem at its row; exit 1 when there are errors."""
    from applinks.checks import check

    registry, _ = _registry_and_settings(templates, ())
    named = [("--report", report_path, REPORT), ("--annotate", annotate_path, WORKBOOK)]
    outputs.check_outputs(book, named, force=force)
    table = read_table(book, sheet=sheet)
    with _progress(table, "Checking") as progress:
        report = check(table, registry=registry, on_rows=progress.rows, name_column=name_column)
    if fmt == "table":
        click.echo(describe(table, book, report))
    blank_note(report)
    print_report(report, records(table, report), fmt)
    outputs.write_report(report, report_path, force, inputs=(book,), err=fmt != "table")
    if annotate_path is not None:
        quiet = fmt != "table"
        _write_annotated(
            book, table, report, annotate_path, registry, force, quiet, name_column=name_column
        )
    sys.exit(EXIT_DATA_ERRORS if report.has_errors else EXIT_OK)


def _write_annotated(
    book: Path,
    table: Table,
    report: Report,
    path: Path,
    registry: Registry,
    force: bool,
    quiet: bool,
    *,
    prepared: Table | None = None,
    recorder: LinkRecorder | None = None,
    name_column: str | None = None,
) -> None:
    """Write the annotated workbook; notes and the result go to stderr when stdout is data."""
    from applinks.files.xlsx_annotate import write_annotated

    def say(text: str) -> None:
        click.echo(text, err=quiet)

    result = write_annotated(
        book,
        table,
        report,
        path,
        prepared=prepared,
        force=force,
        registry=registry,
        say=say,
        recorder=recorder,
        name_column=name_column,
    )
    say(
        f"Wrote {path}: {counted(len(result.rules), 'live flag rule')} and "
        f'{counted(result.issues, "issue")} on the sheet "App Link Check".'
    )


@main.command()
@_input
@_sheet
@_name_column
@_output
@_allow
@_force
def export(
    book: Path,
    sheet: str | None,
    name_column: str | None,
    output: Path | None,
    allow_errors: bool,
    force: bool,
) -> None:
    """Save the sheet as the CSV Cloze imports (UTF-8 with BOM); refuses while errors remain."""
    from applinks.checks import check

    named = [("-o/--output", _output_path(book, output), outputs.Kind.CSV)]
    outputs.check_outputs(book, named, force=force)
    table = read_table(book, sheet=sheet)
    with (
        _progress(table, "Checking") as progress,
        _spool(book, output, progress) as spool,
        contextlib.ExitStack() as parts,
    ):
        if spool is not None:
            spool.begin(table.headers, leave_out=table.unused_columns, name_column=name_column)
        second = second_half(table, spool, parts) if workers.available() > 1 else None
        on_rows = spool.rows if spool is not None else None
        report = check(table, on_rows=on_rows, second=second, name_column=name_column)
        progress.close()
        _finish(
            book,
            table,
            report,
            output,
            allow_errors=allow_errors,
            force=force,
            spool=spool,
            name_column=name_column,
        )


def _finish(
    book: Path,
    table: Table,
    report: Report,
    output: Path | None,
    *,
    allow_errors: bool,
    force: bool,
    spool: CsvSpool | None = None,
    name_column: str | None = None,
    write_csv: bool = True,
) -> Path | None:
    """Print the report, write the CSV unless errors block it, and exit with the right code.

    ``spool`` is the CSV already written during the check (kept here, or dropped on errors).
    """
    blank_note(report)
    print_report(report, records(table, report), "table")
    path = _output_path(book, output)
    if not write_csv:  # the workbook, written already, carries the flags instead
        sys.exit(EXIT_DATA_ERRORS if report.has_errors else EXIT_OK)
    if report.has_errors and not allow_errors:
        click.echo(
            f"Not written: fix the errors above first, or use --allow-errors to write "
            f"{path.name} anyway.",
            err=True,
        )
        sys.exit(EXIT_DATA_ERRORS)
    if spool is not None:
        spool.keep(path, force=force, inputs=(book,))
    else:
        write_cloze_csv(table, path, force=force, inputs=(book,), name_column=name_column)
    rows = records(table, report)
    click.echo(f"Wrote {path} ({counted(rows, 'row')}).")
    if report.has_errors:
        sys.exit(EXIT_DATA_ERRORS)
    return path


@main.command(name="prepare")
@_input
@_app
@_id_column
@_name_column
@_from_url
@_kind
@_settings
@_templates
@_overwrite
@_sheet
@_output
@_report
@_xlsx
@_allow
@_force
def prepare_command(
    book: Path,
    app: str | None,
    id_column: str | None,
    name_column: str | None,
    from_url: str | None,
    kind: str | None,
    settings: tuple[str, ...],
    templates: Path | None,
    overwrite: bool,
    sheet: str | None,
    output: Path | None,
    report_path: Path | None,
    xlsx_path: Path | None,
    allow_errors: bool,
    force: bool,
) -> None:
    """Insert, fill, check and export in one go (-o *.xlsx: the workbook instead of the CSV)."""
    registry, values = _registry_and_settings(templates, settings)
    output, xlsx_path, to_csv = outputs.of_prepare(book, output, xlsx_path, report_path, force)
    table = read_table(book, sheet=sheet, from_url=from_url)
    # One pass over the rows: the CSV is written while they are checked, then kept or dropped.
    with _progress(table, "Preparing") as progress, _spool(book, output, progress, to_csv) as spool:
        recorder = None
        if xlsx_path is not None:  # the annotated workbook's App Link cells, noted on the way
            from applinks.files.xlsx_annotate import LinkRecorder

            recorder = LinkRecorder(table, spool)
        result = prepare(
            recorder.table if recorder is not None else table,
            app=app,
            id_column=id_column,
            from_url=from_url,
            kind=kind,
            settings=values,
            overwrite=overwrite,
            registry=registry,
            sink=recorder if recorder is not None else spool,
            workers=workers.available() if recorder is None else 1,
            name_column=name_column,
        )
        progress.close()
        click.echo(describe(table, book, result.report))
        if result.fill is not None:
            click.echo(result.fill.summary())
        outputs.write_report(result.report, report_path, force, inputs=(book,))
        if xlsx_path is not None:
            _write_annotated(
                book,
                table,
                result.report,
                xlsx_path,
                registry,
                force,
                False,
                prepared=result.table,
                recorder=recorder,
                name_column=name_column,
            )
        _finish(
            book,
            result.table,
            result.report,
            output,
            allow_errors=allow_errors,
            force=force,
            spool=spool,
            name_column=name_column,
            write_csv=to_csv,
        )


@main.command()
@_templates
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
def apps(templates: Path | None, fmt: str) -> None:
    """List the known apps: App ID, name, URL template, links read, id pattern, status."""
    import csv
    import io
    import json

    registry, _ = _registry_and_settings(templates, ())
    records = [_app_record(e) for e in registry.apps]
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\r\n")
        writer.writeheader()
        for record in records:
            forms = [f"{f['form']} ({f['source'] or 'unconfirmed'})" for f in record["links"]]
            writer.writerow({**record, "links": " ; ".join(forms)})
        click.echo(out.getvalue(), nl=False)
        return
    id_w = max(len(r["app_id"]) for r in records)
    name_w = max(len(r["name"]) for r in records)
    click.echo(f"{'App ID':<{id_w}}  {'App Name':<{name_w}}  URL template")
    indent = " " * (id_w + name_w + 4)
    for r in records:
        template = r["template"] or "(no known link format: paste URLs or give --templates)"
        mark = "" if r["status"] != "unconfirmed" else "  [unconfirmed]"
        click.echo(f"{r['app_id']:<{id_w}}  {r['name']:<{name_w}}  {template}{mark}")
        for form in r["links"]:
            click.echo(f"{indent}reads {form['form']}  ({form['source'] or 'unconfirmed'})")
        if r["id_pattern"]:
            click.echo(f"{indent}id {r['id_pattern']}")


def _app_record(entry: AppEntry) -> dict[str, Any]:
    """Return what `applinks apps` shows of one app."""
    return {
        "app_id": entry.app_id,
        "name": entry.name,
        "template": entry.template() if entry.kinds else "",
        "status": entry.status,
        "id_pattern": entry.id_pattern or "",
        "links": [{"form": f.form, "source": f.source} for f in entry.links],
    }


@main.command(name="email-draft")
@click.argument("csv_file", type=click.Path(path_type=Path), metavar="CSV")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Draft file (default: the CSV's name with .eml).",
)
@click.option(
    "--open/--no-open",
    "open_it",
    default=None,
    help="Open the draft in the mail program (default: when on a desktop).",
)
@_force
def email_draft(csv_file: Path, output: Path | None, open_it: bool | None, force: bool) -> None:
    """Write an email draft to support@cloze.com with the CSV attached, and open it."""
    from applinks.errors import InputError

    if not csv_file.is_file():
        raise InputError(
            f'Cannot find "{csv_file}"; check the file name and folder.', path=csv_file
        )
    path = output if output is not None else csv_file.with_suffix(".eml")
    rows = max(0, csv_file.read_bytes().count(b"\r\n") - 1)
    write_draft(csv_file, path, force=force, rows=rows)
    click.echo(f"Wrote the email draft {path}.")
    if open_it if open_it is not None else has_desktop():
        open_with_default_program(path)


@main.command()
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path),
    default=Path("applinks-demo"),
    show_default=True,
    help="Folder for the example and its outputs.",
)
def demo(out_dir: Path) -> None:
    """Run prepare on the bundled example property list and show what it finds."""
    from applinks.examples import EXAMPLE_APP, EXAMPLE_ID_COLUMN, example_path

    out_dir.mkdir(parents=True, exist_ok=True)
    book = out_dir / example_path().name
    shutil.copyfile(example_path(), book)
    registry = load_registry()
    table = read_table(book)
    result = prepare(table, app=EXAMPLE_APP, id_column=EXAMPLE_ID_COLUMN, registry=registry)
    click.echo(
        f"Example: {describe(table, book, result.report)} (a property list with Zillow ids)."
    )
    click.echo(
        f'$ applinks prepare "{book.name}" --app {EXAMPLE_APP} '
        f'--id-column "{EXAMPLE_ID_COLUMN}" --allow-errors\n'
    )
    if result.fill is not None:
        click.echo(result.fill.summary())
    print_report(result.report, records(result.table, result.report), "table")
    csv_path = write_cloze_csv(result.table, default_output_path(book), force=True, inputs=(book,))
    report_path = out_dir / "check-report.csv"
    outputs.write_report(result.report, report_path, force=True, err=None)
    click.echo(f"\nWrote, in {out_dir}:")
    click.echo(f"  {book.name}  (the example workbook; open it in Excel)")
    click.echo(f"  {csv_path.name}  (the file for Cloze, written despite the planted errors)")
    click.echo(f"  {report_path.name}  (every problem with its row)")


main.add_command(addin)
