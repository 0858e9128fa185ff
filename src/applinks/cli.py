"""The ``applinks`` command line: thin wrappers that read, call the core, and write."""

from __future__ import annotations

import contextlib
import shutil
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from applinks import __version__, workers
from applinks import cli_outputs as outputs
from applinks.cli_options import (
    allow_errors_option,
    annotate_option,
    force_option,
    format_option,
    link_options,
    name_column_option,
    output_options,
    read_options,
    registry_and_settings,
    report_option,
    templates_option,
    xlsx_option,
)
from applinks.cli_report import blank_note, describe, print_report, records
from applinks.cli_run import EXIT_DATA_ERRORS, EXIT_OK, outcome, run_on_table
from applinks.excel.commands import addin
from applinks.files.csv_out import CsvSpool, default_output_path, write_cloze_csv
from applinks.files.eml_out import (
    check_csv_for_draft,
    has_desktop,
    open_with_default_program,
    write_draft,
)
from applinks.issues import Report
from applinks.lite.commands import lite
from applinks.operations import (
    FillResult,
    LinkSource,
    fill_links,
    insert_app_link_columns,
    prepare,
)
from applinks.passes import check_rows
from applinks.progress import Progress
from applinks.registry import AppEntry, Registry, load_registry
from applinks.rows import LazyRows
from applinks.table import Table
from applinks.wording import counted

if TYPE_CHECKING:
    from applinks.files.xlsx_annotate import LinkRecorder


REPORT, WORKBOOK = outputs.Kind.REPORT, outputs.Kind.WORKBOOK


class AppLinksGroup(click.Group):
    """A click group that turns the project's errors into one sentence and exit code 2."""

    def invoke(self, ctx: click.Context) -> object:
        from applinks.files.atomic import WRITTEN

        WRITTEN.clear()
        code = outcome(ctx, partial(click.Group.invoke, self, ctx))
        if code:
            ctx.exit(code)
        return None


@click.group(cls=AppLinksGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full error details (a traceback).")
@click.version_option(__version__, prog_name="applinks")
def main(debug: bool) -> None:
    """Prepare a spreadsheet of Properties, Projects or Deals for a Cloze import with App Links."""


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
@read_options
@output_options()
def insert(book: Path, sheet: str | None, output: Path | None, force: bool) -> None:
    """Add the four App Link columns (only those missing) and save a copy as CSV (or .xlsx)."""
    target = outputs.output_of_copy(book, output, force=force)

    def run(table: Table) -> None:
        result = insert_app_link_columns(table)
        path = outputs.write_output(book, table, result.table, target, force=force)
        added = ", ".join(result.added) if result.added else "none (all four were there)"
        click.echo(f"Added columns: {added}. Wrote {path}.")

    run_on_table(book, run, sheet=sheet)


@main.command()
@link_options()
@read_options
@output_options()
def fill(
    book: Path,
    source: LinkSource,
    registry: Registry,
    sheet: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """Fill App ID, App Unique ID, App Name and App Content URL for every row with an id."""
    source.require()  # before reading a large file
    target = outputs.output_of_copy(book, output, force=force)

    def run(table: Table) -> None:
        result = fill_links(table, source, registry=registry)
        path = outputs.write_output(book, table, result.table, target, force=force)
        for issue in result.report:
            click.echo(issue.message, err=True)
        click.echo(f"{_fill_summary(result)} Wrote {path}.")

    run_on_table(book, run, sheet=sheet, from_url=source.from_url)


def _fill_summary(result: FillResult) -> str:
    return result.summary(how_to_replace="use --overwrite to replace them")


@main.command(name="check")
@read_options
@name_column_option
@templates_option
@format_option("report")
@report_option
@annotate_option
@force_option
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

    registry, _ = registry_and_settings(templates)
    named = [("--report", report_path, REPORT), ("--annotate", annotate_path, WORKBOOK)]
    outputs.check_outputs(book, named, force=force)

    def run(table: Table) -> None:
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

    run_on_table(book, run, sheet=sheet)


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
@read_options
@name_column_option
@output_options(allow_errors_option)
def export(
    book: Path,
    sheet: str | None,
    name_column: str | None,
    output: Path | None,
    allow_errors: bool,
    force: bool,
) -> None:
    """Save the sheet as the CSV Cloze imports (UTF-8 with BOM); refuses while errors remain."""
    named = [("-o/--output", _output_path(book, output), outputs.Kind.CSV)]
    outputs.check_outputs(book, named, force=force)

    def run(table: Table) -> None:
        with _progress(table, "Checking") as progress, _spool(book, output, progress) as spool:
            report = check_rows(
                table, sink=spool, workers=workers.available(), name_column=name_column
            )
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

    run_on_table(book, run, sheet=sheet)


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
@link_options(name_column=True)
@read_options
@output_options(report_option, xlsx_option, allow_errors_option)
def prepare_command(
    book: Path,
    source: LinkSource,
    registry: Registry,
    name_column: str | None,
    sheet: str | None,
    output: Path | None,
    report_path: Path | None,
    xlsx_path: Path | None,
    allow_errors: bool,
    force: bool,
) -> None:
    """Insert, fill, check and export in one go (-o *.xlsx: the workbook instead of the CSV)."""
    output, xlsx_path, to_csv = outputs.of_prepare(book, output, xlsx_path, report_path, force)

    def run(table: Table) -> None:
        # One pass over the rows: the CSV is written while they are checked, then kept or dropped.
        with (
            _progress(table, "Preparing") as progress,
            _spool(book, output, progress, to_csv) as spool,
        ):
            recorder = None
            if xlsx_path is not None:  # the annotated workbook's App Link cells, noted on the way
                from applinks.files.xlsx_annotate import LinkRecorder

                recorder = LinkRecorder(table, spool)
            result = prepare(
                recorder.table if recorder is not None else table,
                source,
                registry=registry,
                sink=recorder if recorder is not None else spool,
                workers=workers.available() if recorder is None else 1,
                name_column=name_column,
            )
            progress.close()
            click.echo(describe(table, book, result.report))
            if result.fill is not None:
                click.echo(_fill_summary(result.fill))
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

    run_on_table(book, run, sheet=sheet, from_url=source.from_url)


@main.command()
@templates_option
@format_option("list")
def apps(templates: Path | None, fmt: str) -> None:
    """List the known apps: App ID, name, URL template, links read, id pattern, status."""
    import csv
    import io
    import json

    registry, _ = registry_and_settings(templates)
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
        click.echo(f"{r['app_id']:<{id_w}}  {r['name']:<{name_w}}  {template}  [{r['status']}]")
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
@templates_option
@click.option(
    "--allow-errors", is_flag=True, help="Draft the email even though the CSV still has errors."
)
@force_option
def email_draft(
    csv_file: Path,
    output: Path | None,
    open_it: bool | None,
    templates: Path | None,
    allow_errors: bool,
    force: bool,
) -> None:
    """Check the CSV for Cloze again, then write an email draft to support@cloze.com with it
    attached, and open it."""
    from applinks.errors import InputError

    if not csv_file.is_file():
        raise InputError(
            f'Cannot find "{csv_file}"; check the file name and folder.', path=csv_file
        )
    registry, _ = registry_and_settings(templates)
    report = check_csv_for_draft(csv_file, registry=registry)
    rows = report.rows if report.rows is not None else 0
    if report.issues:
        print_report(report, rows, "table")
    if report.has_errors and not allow_errors:
        errors = f"{report.errors} error{'s' if report.errors != 1 else ''}"
        click.echo(
            f"Not drafted: {csv_file.name} still has {errors}; fix them and export it again, or "
            "use --allow-errors to email it anyway.",
            err=True,
        )
        sys.exit(EXIT_DATA_ERRORS)
    path = output if output is not None else csv_file.with_suffix(".eml")
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

    def run(table: Table) -> None:
        source = LinkSource(app=EXAMPLE_APP, id_column=EXAMPLE_ID_COLUMN)
        result = prepare(table, source, registry=registry)
        click.echo(
            f"Example: {describe(table, book, result.report)} (a property list with Zillow ids)."
        )
        click.echo(
            f'$ applinks prepare "{book.name}" --app {EXAMPLE_APP} '
            f'--id-column "{EXAMPLE_ID_COLUMN}" --allow-errors\n'
        )
        if result.fill is not None:
            click.echo(_fill_summary(result.fill))
        print_report(result.report, records(result.table, result.report), "table")
        csv_path = write_cloze_csv(
            result.table, default_output_path(book), force=True, inputs=(book,)
        )
        report_path = out_dir / "check-report.csv"
        outputs.write_report(result.report, report_path, force=True, err=None)
        click.echo(f"\nWrote, in {out_dir}:")
        click.echo(f"  {book.name}  (the example workbook; open it in Excel)")
        click.echo(f"  {csv_path.name}  (the file for Cloze, written despite the planted errors)")
        click.echo(f"  {report_path.name}  (every problem with its row)")

    run_on_table(book, run)


main.add_command(addin)
main.add_command(lite)
