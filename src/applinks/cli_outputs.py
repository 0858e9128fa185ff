"""Check every output a command will write before it reads anything (the command line's edge).

A run that reads a large workbook, prints its report and only then finds that it may not write
its output wastes the user's time and buries the reason under the report. Each command names
its outputs here first; each is checked the way its writer will check it again (folder exists
and takes files, not the input, not an existing file without ``--force``), and its extension
must say the kind of file the option writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from applinks.errors import UsageError
from applinks.files.atomic import check_output
from applinks.files.csv_out import default_output_path, write_cloze_csv
from applinks.issues import Report
from applinks.table import Table
from applinks.wording import counted

#: Extensions that ask for a workbook (the input with its App Link columns) instead of CSV text.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: Spreadsheet kinds this tool reads but never writes.
READ_ONLY_SUFFIXES = (".xls", ".xlsb", ".ods", ".xltx", ".xltm", ".xlam")


class Kind(Enum):
    """What an output option writes."""

    CSV = "the CSV for Cloze"
    CSV_OR_WORKBOOK = "the CSV for Cloze, or a workbook"
    REPORT = "the report"
    WORKBOOK = "the workbook"


def wants_workbook(path: Path | None) -> bool:
    """Return True when ``-o`` names a workbook (.xlsx/.xlsm) rather than a CSV file."""
    return path is not None and path.suffix.lower() in WORKBOOK_SUFFIXES


def workbook_suffix(book: Path) -> str:
    """Return the extension the annotated copy of ``book`` takes: .xlsm keeps macros."""
    return ".xlsm" if book.suffix.lower() in (".xlsm", ".xltm") else ".xlsx"


def check_outputs(
    book: Path, outputs: Sequence[tuple[str, Path | None, Kind]], *, force: bool
) -> None:
    """Refuse, before any work, an output that cannot or must not be written.

    ``outputs`` holds (option, path, kind) for each output; a path of None is not written.

    Raises:
        UsageError: a folder is missing or read-only, an output is the input, two options
            name one file, or an extension does not fit what the option writes.
        OutputExistsError: an output exists and ``force`` is off.
    """
    seen: dict[Path, str] = {}
    for option, path, kind in outputs:
        if path is None:
            continue
        key = path.resolve()
        if key in seen:
            raise UsageError(
                f'{seen[key]} and {option} both name "{path.name}"; give each its own file.'
            )
        seen[key] = option
        check_output(path, force=force, inputs=(book,))
        _check_kind(book, option, path, kind)


def _check_kind(book: Path, option: str, path: Path, kind: Kind) -> None:
    suffix = path.suffix.lower()
    if kind is Kind.REPORT and suffix not in (".csv", ".json"):
        raise UsageError(
            f'{option} writes the report as .csv or .json, not "{path.name}"; for example '
            f'"{path.with_suffix(".csv").name}".'
        )
    if kind is Kind.WORKBOOK and suffix != workbook_suffix(book):
        # The annotating writer's own sentence (it checks again once it has read the package).
        wanted = workbook_suffix(book)
        macros = "has macros" if wanted == ".xlsm" else "has no macros"
        raise UsageError(
            f'"{book.name}" {macros}, so the annotated copy must end in {wanted}; '
            f'for example "{path.with_suffix(wanted).name}".'
        )
    if kind is Kind.CSV and (suffix in WORKBOOK_SUFFIXES or suffix in READ_ONLY_SUFFIXES):
        raise UsageError(
            f'{option} writes the CSV for Cloze, so its name must end in .csv, not "{path.name}"; '
            f'for example "{path.with_suffix(".csv").name}".'
        )
    if kind is Kind.CSV_OR_WORKBOOK and suffix in READ_ONLY_SUFFIXES:
        raise UsageError(
            f"This tool cannot write {suffix} files; name {option} .csv (the CSV for Cloze) or "
            f"{workbook_suffix(book)} (the workbook with its App Link columns)."
        )
    if kind is Kind.CSV_OR_WORKBOOK and suffix in WORKBOOK_SUFFIXES:
        wanted = workbook_suffix(book)
        if suffix != wanted:
            _check_kind(book, option, path, Kind.WORKBOOK)


def output_of_copy(book: Path, output: Path | None, *, force: bool) -> Path:
    """Check and return insert's or fill's output: ``-o``, else the CSV beside the input."""
    target = output if output is not None else default_output_path(book)
    check_outputs(book, [("-o/--output", target, Kind.CSV_OR_WORKBOOK)], force=force)
    return target


def of_prepare(
    book: Path, output: Path | None, xlsx_path: Path | None, report: Path | None, force: bool
) -> tuple[Path | None, Path | None, bool]:
    """Check prepare's outputs; return (CSV output, workbook output, whether a CSV is written).

    ``-o *.xlsx`` asks for the prepared workbook instead of the CSV (as ``--xlsx`` does).
    """
    write_csv = not wants_workbook(output)
    if not write_csv:
        if xlsx_path is not None:
            raise UsageError("-o names a workbook and so does --xlsx; give the workbook once.")
        xlsx_path, output = output, None
    csv_path = (output or default_output_path(book)) if write_csv else None
    outputs = [
        ("-o/--output", csv_path, Kind.CSV),
        ("--report", report, Kind.REPORT),
        ("--xlsx" if write_csv else "-o/--output", xlsx_path, Kind.WORKBOOK),
    ]
    check_outputs(book, outputs, force=force)
    return output, xlsx_path, write_csv


def write_output(book: Path, table: Table, result: Table, path: Path, *, force: bool) -> Path:
    """Write insert's or fill's result: the CSV, or for ``-o *.xlsx`` the workbook.

    The workbook is the input with its App Link columns and everything else kept, as
    ``check --annotate`` keeps it (the same writer, so the copy also carries the live flags and
    the "App Link Check" sheet of the result).
    """
    if not wants_workbook(path):
        return write_cloze_csv(result, path, force=force, inputs=(book,))
    from applinks.checks import check
    from applinks.files.xlsx_annotate import write_annotated
    from applinks.registry import load_registry

    registry = load_registry()
    report = check(result, registry=registry)
    write_annotated(book, table, report, path, prepared=result, force=force, registry=registry)
    return path


def write_report(
    report: Report,
    path: Path | None,
    force: bool,
    inputs: tuple[Path, ...] = (),
    *,
    err: bool | None = False,
) -> None:
    """Write ``--report PATH`` (JSON for .json, else CSV) and say so, as every output is named.

    ``err``: say it on stderr (stdout carries data), or not at all (None: the caller lists
    what it wrote itself).
    """
    if path is None:
        return
    import click

    from applinks.files.atomic import atomic_writer

    check_output(path, force=force, inputs=inputs)
    text = report.to_json() if path.suffix.lower() == ".json" else report.to_csv()
    with atomic_writer(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    if err is not None:
        click.echo(f"Wrote {path} (the report: {counted(len(report.issues), 'issue')}).", err=err)
