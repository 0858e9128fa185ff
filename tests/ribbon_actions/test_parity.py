"""One workbook, every surface: the command line and the ribbon give the same answers.

Each workbook of the table (8 kinds of id: text, 8-digit, 16- and 19-digit numbers, fractions,
dates, times, mixed; plain, in an Excel Table, below a merged title row, with a Stage column;
two apps) is written with openpyxl, run through ``applinks prepare`` (in
process, through click) and through the ribbon's Fill App Links, Check Sheet and Save CSV on the
in-memory engine, loaded as Excel hands cells to xlwings (numbers as floats, time-formatted
cells as date-times, number formats per cell, Excel Tables). Compared: the headers, every App
Link cell, the set of (row, column, code, message) and the CSV bytes. The differences that must
remain are named in :data:`DIFFERENCES`, each with why, and said in docs/excel.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.table import Table as XlTable

from applinks.cli import main
from applinks.excel import udfs
from applinks.excel.ranges import APP_NAME_KEY
from applinks.table import APP_LINK_HEADERS

from . import grid_engine
from .test_actions import run

#: Differences that must remain, by name: why each cannot be the same on both surfaces.
DIFFERENCES = {
    # The command line meets a damaged id while filling and names the column it came from;
    # the ribbon keeps the damaged number in App Unique ID (so Check Sheet keeps seeing it after
    # Fill, until the user fixes it) and Check Sheet names that column.
    "damaged-id-column": "unique-id-mangled",
    # By design: Fill App Links never writes over a formula in an App Link column, and names
    # one that shows nothing or an error (#N/A), filling the row's other cells; the command
    # line reads only the saved result: it fills an empty one and keeps an error as a value
    # (test_a_formula_app_id_that_shows_nothing_is_the_one_difference_by_design, and in
    # test_parity_actions.py the one that shows an error).
    "formula-app-link-cell": "kept by the ribbon, filled by the command line",
    # Not in the table, since the engine has no hyperlinks: a cell that shows text ("View
    # listing") and links to the record gives the command line its link target (for
    # --from-url and for App Content URL in the CSV); the ribbon reads what the cells show.
    # xlwings reads a range's values in one call but its links one cell or one link at a time,
    # so reading them would make the number of calls into Excel grow with the rows.
    "hyperlink-target": "the command line reads a linked cell's target, the ribbon its text",
}

IDS = {
    "text": ["00123", "A-77", "59187422"],
    "int8": [59187422, 48616032, 12345678],
    "digits16": [1234567890123456, 9007199254740993, 1000000000000001],
    "digits19": [1234567890123456789, 9223372036854775807, 1000000000000000001],
    "float": [123.5, 7.25, 59187422.0],
    "date": [dt.datetime(2024, 5, 6), dt.datetime(2023, 1, 2), dt.datetime(2022, 12, 31)],
    "time": [dt.time(9, 30), dt.time(17, 5), dt.time(0, 1)],
    "mixed": ["00123", 48616032, None],
}
FORMATS = {"date": "yyyy-mm-dd", "time": "h:mm", "float": "0.00"}
SHAPES = ["plain", "table", "title", "stage"]


def _cases() -> list[tuple[str, str, str, str]]:
    """Every id kind in every shape, half of them for Close (whose link needs no setting)."""
    shapes = [*SHAPES, "table"]
    apps = ["zillow.com", "close.com", "zillow.com", "close.com", "close.com"]
    return [
        (f"{ids}-{app.split('.')[0]}-{shape}-{n}", ids, app, shape)
        for ids in IDS
        for n, (app, shape) in enumerate(zip(apps, shapes, strict=True))
    ]


CASES = _cases()


def _deals_book(shape: str) -> tuple[Any, Any]:
    """Return a new workbook and its "Deals" sheet, below a merged title row for "title"."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deals"
    if shape == "title":
        sheet.append(["Listings for May"])
        sheet.merge_cells("A1:C1")
    return book, sheet


def _write_workbook(path: Path, ids: str, shape: str) -> None:
    book, sheet = _deals_book(shape)
    headers = ["Name", "Listing ID", "Stage" if shape == "stage" else "Notes"]
    sheet.append(headers)
    first = sheet.max_row
    for index, uid in enumerate(IDS[ids]):
        stage = ["Active", "Potential", "Someday"][index] if shape == "stage" else f"note {index}"
        sheet.append([f"{index + 1} Oak St", uid, stage])
        if ids in FORMATS:
            sheet.cell(sheet.max_row, 2).number_format = FORMATS[ids]
    if shape == "table":
        sheet.add_table(XlTable(displayName="Deals", ref=f"A{first}:C{sheet.max_row}"))
    book.save(path)


def _as_excel_hands_it(value: Any, kind: str = "n") -> Any:
    """Return a cell value (of openpyxl's data type ``kind``) as Excel hands it to xlwings."""
    if kind == "e":  # an error value (#N/A): xlwings gets Excel's error, not a text
        return grid_engine.ExcelError(value)
    if isinstance(value, dt.time):
        return dt.datetime(1899, 12, 30, value.hour, value.minute, value.second)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # Excel keeps a double: 15 significant digits survive
    return value


def _open_in_engine(engine: Any, path: Path) -> tuple[Any, int, int]:
    """Return the workbook at ``path`` as an xlwings book on the engine, its header row and the
    id column (1-based)."""
    source = openpyxl.load_workbook(path)["Deals"]
    saved = openpyxl.load_workbook(path, data_only=True)["Deals"]
    grid = [
        [
            # A formula cell holds its formula and the result saved with the file.
            (c.value, _as_excel_hands_it(v.value, v.data_type))
            if c.data_type == "f"
            else _as_excel_hands_it(c.value, c.data_type)
            for c, v in zip(row, saved_row, strict=True)
        ]
        for row, saved_row in zip(source.iter_rows(), saved.iter_rows(), strict=True)
    ]
    book = grid_engine.open_book(
        engine,
        {"Deals": grid},
        fullname=str(path),
        names={APP_NAME_KEY: '="zillow.com"'},
    )
    model = book.sheets["Deals"].impl.model
    for row in source.iter_rows():
        for cell in row:
            if cell.number_format != "General":
                rect = grid_engine.Rect(cell.row, cell.column, cell.row, cell.column)
                model.formats.append((rect, cell.number_format))
    for table in source.tables.values():
        model.tables.append(grid_engine.TableModel(table.name, grid_engine._rect(table.ref, None)))
    header_row = next(i for i, r in enumerate(grid, start=1) if r and r[0] == "Name")
    return book, header_row, 2


def _cli(path: Path, app: str, out: Path) -> tuple[list[list[str]], set[tuple], bytes]:
    report = out.with_suffix(".json")
    result = CliRunner().invoke(
        main,
        ["prepare", str(path), "--app", app, "--id-column", "Listing ID", "-o", str(out)]
        + ["--report", str(report), "--allow-errors", "--force"],
    )
    assert result.exit_code in (0, 1), result.output
    issues = {
        (i["row"], i["column"], i["code"], i["message"])
        for i in json.loads(report.read_text(encoding="utf-8"))
    }
    data = out.read_bytes()
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")))), issues, data


def _ribbon(engine: Any, path: Path, app: str) -> tuple[list[list[str]], set[tuple], bytes]:
    filled, rows, issues, data, _ = _ribbon_action(engine, path, app, "fill_app_links", 2, "yes")
    assert filled.startswith("Filled App Links")
    return rows, issues, data


def _ribbon_action(
    engine: Any, path: Path, app: str, action: str, column: int, *answers: str
) -> tuple[str, list[list[str]], set[tuple], bytes, Any]:
    """Run the ribbon ``action`` with a cell of ``column`` (1-based) selected, then Check Sheet
    and Save CSV; return the action's message, the CSV's rows, the issues, the CSV bytes and
    the book."""
    book, header_row, _ = _open_in_engine(engine, path)
    book.impl.model.names[APP_NAME_KEY] = f'="{app}"'
    model = book.sheets["Deals"].impl.model
    model.selection = grid_engine.Rect(header_row + 1, column, header_row + 1, column)
    done = run(book, action, *answers)
    checked = run(book, "check_sheet")
    listing = book.sheets["App Link Check"].impl.model
    issues = set()
    for r in range(1, (listing.used().r2 if listing.used() else 0) + 1):
        row = [listing.value(r, c) for c in range(1, 8)]
        if isinstance(row[0], float) and isinstance(row[3], str) and "-" in row[3]:
            issues.add((int(row[0]), row[1], row[3], row[5]))
    csv_path = path.with_name(f"{path.stem} - Cloze import.csv")
    errors = re.match(r"(\d+) errors?\b", checked)
    answers = ("yes",) if errors and int(errors.group(1)) else ()  # "Save the CSV anyway?"
    book.sheets["Deals"].activate()
    assert run(book, "save_csv", *answers).startswith("Saved"), checked
    data = csv_path.read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return done, rows, issues | _not_filled(done), data, book


def _not_filled(message: str) -> set[tuple]:
    """Return the rows Fill App Links (or From URLs) names as not filled, as issues (row,
    column, "fill-", message), and their count as (0, "", "fill-count", count): the ribbon says
    them when it fills, as ``applinks fill`` and ``prepare`` do, the first three in full; Check
    Sheet checks the sheet as it is. A sentence that names no column is about the column the
    message says the ids or links came from."""
    found = re.search(r" Not filled: (\d+) rows?\. (.*)$", message)
    if found is None:
        return set()
    lead = re.search(r'from (?:the links in )?column "([^"]+)"', message)
    shown = re.sub(r" And [\d,]+ rows? more\.$", "", found[2])
    said = [
        (text, *(re.findall(r'^Row (\d+): .*? in "([^"]+)"', text) or [(row, lead and lead[1])])[0])
        for text, row in (
            (t, re.findall(r"^Row (\d+): ", t)[0]) for t in re.split(r" (?=Row \d+: )", shown)
        )
    ]
    assert len(said) == min(int(found[1]), 3), message  # the first three in full
    count = (0, "", "fill-count", int(found[1].replace(",", "")))
    return {(int(row), column, "fill-", text) for text, row, column in said} | {count}


def _named(issues: set[tuple]) -> set[tuple]:
    """Return the command line's issues with the named differences applied (and the fill's
    codes as the ribbon's message shows them: the first three by their sentence, and their
    count)."""
    code = DIFFERENCES["damaged-id-column"]
    left = sorted(i for i in issues if i[2].startswith("fill-"))
    named = {
        (r, "App Unique ID" if c2 == code else col, c2, m)
        for r, col, c2, m in issues
        if not c2.startswith("fill-")
    }
    if left:
        named.add((0, "", "fill-count", len(left)))
    return named | {(r, col, "fill-", m) for r, col, _, m in left[:3]}


@pytest.mark.parametrize(("name", "ids", "app", "shape"), CASES, ids=[c[0] for c in CASES])
def test_the_command_line_and_the_ribbon_give_the_same_answers(
    engine: Any, tmp_path: Path, name: str, ids: str, app: str, shape: str
) -> None:
    path = tmp_path / "ribbon" / f"{name}.xlsx"
    path.parent.mkdir()
    _write_workbook(path, ids, shape)
    _compare(engine, tmp_path, path, app, [[_as_excel_hands_it(v)] for v in IDS[ids]])


def _compare(engine: Any, tmp_path: Path, path: Path, app: str, handed: list[list[Any]]) -> None:
    """Hold the ribbon and the cell formulas to the command line for the workbook at ``path``."""
    cli_rows, cli_issues, cli_bytes = _cli(path, app, tmp_path / "cli.csv")
    ribbon_rows, ribbon_issues, ribbon_bytes = _ribbon(engine, path, app)

    assert ribbon_rows[0] == cli_rows[0]  # the headers
    links = [cli_rows[0].index(h) for h in APP_LINK_HEADERS]
    assert [[r[i] for i in links] for r in ribbon_rows] == [[r[i] for i in links] for r in cli_rows]
    assert ribbon_issues == _named(cli_issues)
    assert ribbon_bytes == cli_bytes
    # The cell formulas, given the ids as Excel hands them, give the same App Link cells.
    book, header_row, _ = _open_in_engine(engine, path)
    caller = book.sheets["Deals"].range("H2")
    urls = udfs.APPLINK_URL([[app]], handed, caller=caller)
    # Where the command line left a row because its id is not of the app's form, the cell
    # says so in the cell (a cell has no report to say it in).
    left = {
        row: f'#"{value}" does not have the form of a {name} id; check the id and the App ID.'
        for row, _, code, message in cli_issues
        if code == "fill-id-not-app-format"
        for value, name in re.findall(
            r'"(.*)" in ".*" does not have the form of an? (.*) id,', message
        )
    }
    first = header_row + 1
    expected = [left.get(first + i, r[links[3]]) for i, r in enumerate(cli_rows[1:])]
    assert [u for (u,) in urls] == expected
    name = udfs.APPLINK_NAME([[app]], caller=caller)
    assert name == {"zillow.com": "Zillow", "close.com": "Close"}[app]
    assert {r[links[2]] for r in cli_rows[1:]} <= {name, ""}  # "": a row not filled


#: Workbooks saved by LibreOffice: formulas with their saved results, its dates and times.
OFFICE_CASES = {
    "formula-text-ids": ['=TEXT(59187420+ROW(),"00000000000")', "Active"],
    "formula-number-ids": ["=59187420+ROW()", "Potential"],
    "formula-long-ids": ["=1234567890123450000+ROW()", "Done"],
    "dates-and-times": ["=DATE(2024,5,ROW())", "=TIME(ROW(),30,0)"],
}


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", list(OFFICE_CASES))
def test_workbooks_saved_by_libreoffice_give_the_same_answers(
    engine: Any, tmp_path: Path, name: str
) -> None:
    from tests.office import convert

    made = tmp_path / "made" / f"{name}.xlsx"
    made.parent.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deals"
    sheet.append(["Name", "Listing ID", "Stage" if name != "dates-and-times" else "Opened at"])
    for index in range(3):
        sheet.append([f"{index + 1} Oak St", *OFFICE_CASES[name]])
    if name == "dates-and-times":
        for row in range(2, 5):
            sheet.cell(row, 2).number_format = "yyyy-mm-dd"
            sheet.cell(row, 3).number_format = "hh:mm"
    book.save(made)
    (tmp_path / "ribbon").mkdir()
    path = convert(made, "xlsx:Calc MS Excel 2007 XML", tmp_path / "ribbon")
    saved = openpyxl.load_workbook(path, data_only=True)["Deals"]
    handed = [[_as_excel_hands_it(saved.cell(row, 2).value)] for row in range(2, 5)]
    assert all(cell != [None] for cell in handed)  # LibreOffice saved every result
    _compare(engine, tmp_path, path, "zillow.com", handed)


def test_the_table_has_at_least_40_workbooks() -> None:
    assert len(CASES) >= 40


def test_the_comparison_sees_the_issues_and_the_damaged_ids(engine: Any, tmp_path: Path) -> None:
    path = tmp_path / "ribbon" / "digits19.xlsx"
    path.parent.mkdir()
    _write_workbook(path, "digits19", "stage")
    rows, issues, _ = _ribbon(engine, path, "zillow.com")
    damaged = (
        'Row {}: App Unique ID "{}" looks damaged by Excel (it is a number with 19 digits and '
        "Excel keeps only 15); copy the id again from the source app and store the column as text."
    )
    shown = ["1234567890123460000", "9223372036854780000", "1000000000000000000"]
    assert sorted(issues) == [
        *[
            (row, "App Unique ID", "unique-id-mangled", damaged.format(row, uid))
            for row, uid in zip((2, 3, 4), shown, strict=True)
        ],
        (
            4,
            "Stage",
            "stage-invalid",
            'Row 4: Stage "Someday" is not one of Potential, Active, Done, Lost.',
        ),
    ]
    assert [r[4] for r in rows] == ["App Unique ID", *shown]


@pytest.mark.libreoffice
def test_a_formula_app_id_that_shows_nothing_is_the_one_difference_by_design(
    engine: Any, tmp_path: Path
) -> None:
    # The command line reads the saved file and sees an empty App ID, which it fills; Fill App
    # Links keeps the user's formula (it never writes over one) and names the cell instead.
    from tests.office import convert

    made = tmp_path / "made" / "blank.xlsx"
    made.parent.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deals"
    sheet.append(["Name", "Listing ID", *APP_LINK_HEADERS])
    sheet.append(["12 Oak St", 48616032, '=IF(B2>50000000,"zillow.com","")'])
    sheet.append(["3 Elm Ave", 59187422, '=IF(B3>50000000,"zillow.com","")'])
    book.save(made)
    (tmp_path / "ribbon").mkdir()
    path = convert(made, "xlsx:Calc MS Excel 2007 XML", tmp_path / "ribbon")
    cli_rows, _, _ = _cli(path, "zillow.com", tmp_path / "cli.csv")
    ribbon = _open_in_engine(engine, path)[0]
    ribbon.impl.model.names[APP_NAME_KEY] = '="zillow.com"'
    ribbon.sheets["Deals"].impl.model.selection = grid_engine.Rect(2, 2, 2, 2)

    assert run(ribbon, "fill_app_links", "yes") == (
        'Filled App Links for Zillow on 2 rows from column "Listing ID" (B). Kept 1 formula '
        'that shows nothing ("App ID" in row 2); the row has no value there: replace the '
        "formula with a value, or clear it and fill again."
    )
    zillow = "https://www.zillow.com/homedetails/{}_zpid/"
    assert [r[2:] for r in cli_rows[1:]] == [
        ["zillow.com", "48616032", "Zillow", zillow.format(48616032)],
        ["zillow.com", "59187422", "Zillow", zillow.format(59187422)],
    ]
    model = ribbon.sheets["Deals"].impl.model
    assert [[model.value(r, c) for c in range(3, 7)] for r in (2, 3)] == [
        [None, "48616032", "Zillow", zillow.format(48616032)],
        ["zillow.com", "59187422", "Zillow", zillow.format(59187422)],
    ]
    assert model.formulas[(2, 3)] == '=IF(B2>50000000,"zillow.com","")'
