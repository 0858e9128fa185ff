"""What the command line prints about a sheet and its report: the table of issues, the
summary, how many records were read and how many blank rows were left out."""

from __future__ import annotations

from pathlib import Path

import click

from applinks.issues import Report
from applinks.table import Table
from applinks.wording import counted

#: Issues shown in the table on the terminal; the rest are counted ("and N more").
SHOWN_ISSUES = 200


def describe(table: Table, path: Path, report: Report | None = None) -> str:
    """Say what was read: the file, the sheet and its records (blank rows are not records)."""
    where = f'{path.name}, sheet "{table.sheet}"' if table.sheet else path.name
    rows = records(table, report)
    text = f"{where}: {counted(rows, 'row')}"
    if table.encoding:
        from applinks.files.csv_in import ENCODING_NAMES

        text += f", read as {ENCODING_NAMES.get(table.encoding, table.encoding)}"
    return text


def records(table: Table, report: Report | None) -> int:
    """Return the number of records: the rows the check counted, or (unchecked) every row."""
    return report.rows if report is not None and report.rows is not None else len(table.rows)


def blank_note(report: Report) -> None:
    """Say, on stderr, how many blank rows were left out of the records and the CSV."""
    count = report.blank_rows
    if count:
        rows = "blank row was" if count == 1 else "blank rows were"
        click.echo(
            f"Note: {count:,} {rows} left out (they are not records and are not written to the "
            "CSV for Cloze).",
            err=True,
        )


def print_report(report: Report, rows: int, fmt: str) -> None:
    if fmt == "csv":
        click.echo(report.to_csv(), nl=False)
        return
    if fmt == "json":
        click.echo(report.to_json(), nl=False)
        return
    if report.issues:
        click.echo(render_table(report))
    click.echo(report.summary(rows))


def render_table(report: Report, limit: int = SHOWN_ISSUES) -> str:
    """Return the readable issue table: one line per issue, aligned columns."""
    shown = report.issues[:limit]
    col_w = min(24, max([len("column")] + [len(i.column) for i in shown]))
    code_w = max([len("code")] + [len(i.code) for i in shown])
    lines = [f"{'row':>6}  {'column':<{col_w}}  {'severity':<8}  {'code':<{code_w}}  message"]
    for i in shown:
        column = i.column if len(i.column) <= col_w else i.column[: col_w - 1] + "\u2026"
        lines.append(
            f"{i.row:>6}  {column:<{col_w}}  {i.severity:<8}  {i.code:<{code_w}}  {i.message}"
        )
    if len(report.issues) > limit:
        lines.append(
            f"... and {len(report.issues) - limit} more; use --report PATH to get them all."
        )
    return "\n".join(lines)
