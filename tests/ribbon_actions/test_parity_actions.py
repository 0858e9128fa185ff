"""More of the ribbon and the cell formulas held to the command line, as in test_parity.py.

From URLs against ``applinks prepare --from-url``, Insert Columns against ``applinks insert``,
and the cell formulas APPLINK_CHECK, APPLINK_ID and APPLINK_APPID against the command line's
issues and the App ID and App Unique ID it derives; the workbooks hold record links of many
apps (links with no record id, short links, maps, ``mailto:``), error values as Excel hands them
to xlwings (``#N/A``, ``#DIV/0!``, ``#VALUE!``) and merged cells inside the data. Compared, as
in test_parity.py: the headers, every App Link cell, the set of (row, column, code, message)
and the CSV bytes. The cell formulas are called as xlwings calls them: each range argument read
with the options the functions declare (``udfs.ARGUMENT``: an error cell as the text it shows).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.table import Table as XlTable
from xlwings import conversion

from applinks.cli import main
from applinks.excel import udfs
from applinks.table import APP_LINK_HEADERS

from .test_parity import DIFFERENCES, IDS, _deals_book, _named, _ribbon_action

DATA = Path(__file__).resolve().parents[1] / "data"
LINKS = [row["url"] for row in csv.DictReader((DATA / "links.csv").open(encoding="utf-8"))]


def _links(*found: str) -> list[str]:
    """Return the links of links.csv that contain each of ``found``, in that order."""
    return [next(link for link in LINKS if text in link) for text in found]


#: Sets of record links: several apps, links with no record id, short links and maps, mailto:.
LINK_SETS = {
    "apps": _links(
        "lightning/r/Opportunity/006j000000Pkp1dAAA/view",
        "record/0-3/9876543210",
        "homedetails/59187422_zpid/",
        "app.asana.com/0/0/",
        "crm.zoho.eu",
        "trello.com/c/AbCd1234/42",
    ),
    "no-record-id": _links(
        "lightning/o/Opportunity/list",
        "zillow.com/homes/for_sale",
        "acme.pipedrive.com/deal/1234",
        "www.example.co.uk/listing/1",
        "github.com/jlord/sheetsee.js",
    ),
    "short-links": _links("bit.ly/3xYzAbC", "goo.gl/maps", "maps.app.goo.gl", "t.co/"),
    "mailto": _links("mailto:jo@", "tel:+1", "file:///", "not a link", "redfin.com/MA"),
}
LINK_SETS["mixed"] = [LINK_SETS[k][i] for k, i in (("apps", 0), ("mailto", 0), ("no-record-id", 1))]

#: Error values as a cell shows them; openpyxl stores such a text as Excel's error value.
ERRORS = ["#N/A", "#DIV/0!", "#VALUE!"]


def _write(
    path: Path, header: str, values: list[Any], shape: str, links: Sequence[str] = ()
) -> None:
    """Write a "Deals" sheet: Name, ``header`` (``values``), Notes, then the App Link columns
    for ``links`` (App ID, App Content URL) when given, in the ``shape`` asked for."""
    book, sheet = _deals_book(shape)
    headers = ["Name", header, "Notes"]
    if links:
        headers += ["App ID", "App Content URL"]
    sheet.append(headers)
    first = sheet.max_row
    for index, value in enumerate(values):
        note = ERRORS[index % 3] if shape == "errors" else f"note {index}"
        row = [f"{index + 1} Oak St", value, note]
        if links:
            row += ["zillow.com" if index % 2 else None, links[index % len(links)]]
        sheet.append(row)
    if shape == "errors":  # a name that shows #VALUE!, an id or link that shows #N/A
        sheet.cell(first + 1, 1).value = "#VALUE!"
        sheet.cell(first + 2, 2).value = "#N/A"
        if links:  # and App Link cells that show errors
            sheet.cell(first + 1, 4).value = "#N/A"
            sheet.cell(first + 2, 5).value = "#DIV/0!"
    if shape == "merged":  # two rows of one listing, and a row that heads a group
        sheet.merge_cells(start_row=first + 1, start_column=1, end_row=first + 2, end_column=1)
        sheet.insert_rows(first + 3)
        sheet.cell(first + 3, 1).value = "North side"
        sheet.merge_cells(start_row=first + 3, start_column=1, end_row=first + 3, end_column=3)
    if shape == "table":
        last = sheet.cell(first, sheet.max_column).coordinate
        sheet.add_table(XlTable(displayName="Deals", ref=f"A{first}:{last[:-1]}{sheet.max_row}"))
    book.save(path)


def _prepare(path: Path, out: Path, *options: str) -> tuple[list[list[str]], list[tuple], bytes]:
    """Run ``applinks prepare`` with ``options``; return the CSV's rows, the issues (in the
    report's order) and the CSV bytes."""
    report = out.with_suffix(".json")
    args = ["prepare", str(path), *options, "-o", str(out), "--report", str(report)]
    result = CliRunner().invoke(main, [*args, "--allow-errors", "--force"])
    assert result.exit_code in (0, 1), result.output
    data = out.read_bytes()
    return _rows(data), _issues(report), data


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _issues(report: Path) -> list[tuple]:
    found = json.loads(report.read_text(encoding="utf-8"))
    return [(i["row"], i["column"], i["code"], i["message"]) for i in found]


def _header_row(book: Any) -> int:
    model = book.sheets["Deals"].impl.model
    return next(r for r in range(1, 10) if model.value(r, 1) == "Name")


def _cells(book: Any, header: str) -> list[list[Any]]:
    """Return the data cells of the column ``header`` on "Deals" as xlwings hands a range of
    them to a worksheet function (read with the options its arguments declare)."""
    sheet = book.sheets["Deals"]
    model = sheet.impl.model
    used = model.used()
    where = next(
        (r, c)
        for r in range(1, used.r2 + 1)
        for c in range(1, used.c2 + 1)
        if model.value(r, c) == header
    )
    rng = sheet.range((where[0] + 1, where[1]), (used.r2, where[1]))
    return conversion.read(rng, None, udfs.ARGUMENT)


#: Issues a cell formula cannot see: they need the whole row or the whole sheet.
_ROW_CODES = {
    "name-missing",
    "row-not-importable",
    "app-name-missing",
    "unique-id-duplicate",
    "app-id-inconsistent",
}


def _check_formula(book: Any, first: int, cli_issues: list[tuple]) -> None:
    """Hold APPLINK_CHECK over the App Link cells on the sheet to the command line's issues:
    each row's first issue (in the report's order) at App ID, App Unique ID or App Content URL
    that needs no other row or column."""
    caller = book.sheets["Deals"].range("K2")
    args = [_cells(book, h) for h in ("App ID", "App Unique ID", "App Content URL")]
    said = [c for (c,) in udfs.APPLINK_CHECK(*args, caller=caller)]
    columns = {"App ID", "App Unique ID", "App Content URL"}
    expected = []
    for row in range(first, first + len(said)):
        found = [
            m
            for r, col, code, m in cli_issues
            if r == row
            and (col in columns or code == DIFFERENCES["damaged-id-column"])
            and code not in _ROW_CODES
        ]
        text = re.sub(r"^Row \d+: ", "", found[0]) if found else ""
        expected.append(text[:1].upper() + text[1:])
    assert said == expected


def _same(cli: tuple[list[list[str]], list[tuple], bytes], ribbon: tuple) -> None:
    """Assert the ribbon's headers, App Link cells, issues and CSV bytes are the command
    line's (with the named differences)."""
    cli_rows, cli_issues, cli_bytes = cli
    _, rows, issues, data, _ = ribbon
    assert rows[0] == cli_rows[0]  # the headers
    links = [cli_rows[0].index(h) for h in APP_LINK_HEADERS if h in cli_rows[0]]
    assert [[r[i] for i in links] for r in rows] == [[r[i] for i in links] for r in cli_rows]
    assert issues == _named(set(cli_issues))
    assert data == cli_bytes


SHAPES = ["plain", "table", "title", "errors", "merged"]
FROM_URL_CASES = [(f"{name}-{shape}", name, shape) for name in LINK_SETS for shape in SHAPES]

#: What a cell formula says of a link that is no record's own (the command line's
#: ``fill-not-a-link``).
NOT_A_RECORD = (
    '#"{}" is {}, not a link to a record; paste the link of the record itself (open the record '
    "in its app and copy the address from the browser)."
)


@pytest.mark.parametrize(
    ("case", "name", "shape"), FROM_URL_CASES, ids=[c[0] for c in FROM_URL_CASES]
)
def test_from_urls_gives_the_answers_of_the_command_line(
    engine: Any, tmp_path: Path, case: str, name: str, shape: str
) -> None:
    path = tmp_path / "ribbon" / f"{case}.xlsx"
    path.parent.mkdir()
    _write(path, "Listing URL", LINK_SETS[name], shape)
    cli = _prepare(path, tmp_path / "cli.csv", "--from-url", "Listing URL")
    ribbon = _ribbon_action(engine, path, "zillow.com", "from_urls", 2)
    _same(cli, ribbon)

    _link_formulas(ribbon[4], cli)


def _link_formulas(book: Any, cli: tuple[list[list[str]], list[tuple], bytes]) -> None:
    """Hold APPLINK_APPID and APPLINK_ID over the links as xlwings hands them to the App ID
    and App Unique ID of the command line (and say in the cell why a link is no record's), and
    APPLINK_CHECK to its issues."""
    cli_rows, cli_issues, _ = cli
    first = _header_row(book) + 1
    said = {
        r: NOT_A_RECORD.format(*re.findall(r'"(.*)" is not the link of a record \((.*)\)', m)[0])
        for r, _, code, m in cli_issues
        if code == "fill-not-a-link" and "(not a web address)" not in m
    }
    urls = _cells(book, "Listing URL")
    caller = book.sheets["Deals"].range("K2")
    app_ids = [c for (c,) in udfs.APPLINK_APPID(urls, caller=caller)]
    ids = [c for (c,) in udfs.APPLINK_ID(urls, caller=caller)]
    at = [cli_rows[0].index(h) for h in ("App ID", "App Unique ID")]
    rows = cli_rows[1:]
    assert app_ids == [said.get(first + i, r[at[0]]) for i, r in enumerate(rows)]
    assert ids == [said.get(first + i, r[at[1]]) for i, r in enumerate(rows)]
    _check_formula(book, first, cli_issues)


FILL_CASES = [
    (f"{ids}-{app.split('.')[0]}-{shape}", ids, app, shape)
    for ids in ("text", "int8", "digits19", "mixed")
    for app, shape in (("zillow.com", "errors"), ("close.com", "merged"), ("close.com", "errors"))
]

#: What APPLINK_URL says in the cell of a row Fill leaves because its id is not of the app's
#: form (the command line's ``fill-id-not-app-format``).
NOT_OF_FORM = '#"{}" does not have the form of a {} id; check the id and the App ID.'


@pytest.mark.parametrize(
    ("case", "ids", "app", "shape"), FILL_CASES, ids=[c[0] for c in FILL_CASES]
)
def test_fill_with_error_values_and_merged_cells_gives_the_answers_of_the_command_line(
    engine: Any, tmp_path: Path, case: str, ids: str, app: str, shape: str
) -> None:
    path = tmp_path / "ribbon" / f"{case}.xlsx"
    path.parent.mkdir()
    _write(path, "Listing ID", IDS[ids], shape)
    cli = _prepare(path, tmp_path / "cli.csv", "--app", app, "--id-column", "Listing ID")
    ribbon = _ribbon_action(engine, path, app, "fill_app_links", 2, "yes")
    _same(cli, ribbon)

    _fill_formulas(ribbon[4], app, cli)


def _fill_formulas(book: Any, app: str, cli: tuple[list[list[str]], list[tuple], bytes]) -> None:
    """Hold APPLINK_URL over the ids as xlwings hands them to the command line's App Content
    URL (and to what it says of a row it left because its id is not of the app's form), and
    APPLINK_CHECK to its issues."""
    cli_rows, cli_issues, _ = cli
    first = _header_row(book) + 1
    said = {
        r: NOT_OF_FORM.format(
            *re.findall(r'"(.*)" in ".*" does not have the form of an? (.*) id,', m)[0]
        )
        for r, _, code, m in cli_issues
        if code == "fill-id-not-app-format"
    }
    caller = book.sheets["Deals"].range("K2")
    urls = [c for (c,) in udfs.APPLINK_URL([[app]], _cells(book, "Listing ID"), caller=caller)]
    at = cli_rows[0].index("App Content URL")
    assert urls == [said.get(first + i, r[at]) for i, r in enumerate(cli_rows[1:])]
    _check_formula(book, first, cli_issues)


def _saved_by_libreoffice(
    tmp_path: Path, rows: list[list[Any]], merged: Sequence[str] = ()
) -> Path:
    """Return a workbook of ``rows`` on "Deals" (with the cells ``merged``) as LibreOffice
    saves it: formulas with their results."""
    from tests.office import convert

    made = tmp_path / "made" / "Deals.xlsx"
    made.parent.mkdir()
    book = openpyxl.Workbook()
    book.active.title = "Deals"
    for row in rows:
        book.active.append(row)
    for cells in merged:
        book.active.merge_cells(cells)
    book.save(made)
    (tmp_path / "ribbon").mkdir()
    return convert(made, "xlsx:Calc MS Excel 2007 XML", tmp_path / "ribbon")


@pytest.mark.libreoffice
def test_formulas_that_show_errors_give_the_answers_of_the_command_line(
    engine: Any, tmp_path: Path
) -> None:
    path = _saved_by_libreoffice(
        tmp_path,
        [
            ["Name", "Listing ID", "Notes"],
            ["12 Oak St", "=NA()", "=1/0"],
            ['=VALUE("x")', 48616032, "note"],
            ["9 Pine Rd", 59187422, "=NA()"],
        ],
    )
    cli = _prepare(path, tmp_path / "cli.csv", "--app", "zillow.com", "--id-column", "Listing ID")
    ribbon = _ribbon_action(engine, path, "zillow.com", "fill_app_links", 2, "yes")
    _same(cli, ribbon)
    assert [r[:3] for r in cli[0]] == [
        ["Name", "Listing ID", "Notes"],
        ["12 Oak St", "#N/A", "#DIV/0!"],
        ["#VALUE!", "48616032", "note"],
        ["9 Pine Rd", "59187422", "#N/A"],
    ]
    _fill_formulas(ribbon[4], "zillow.com", cli)


INSERT_CASES = [(f"{links}-{shape}", links, shape) for links in ("none", "two") for shape in SHAPES]


@pytest.mark.parametrize(("case", "links", "shape"), INSERT_CASES, ids=[c[0] for c in INSERT_CASES])
def test_insert_columns_gives_the_answers_of_the_command_line(
    engine: Any, tmp_path: Path, case: str, links: str, shape: str
) -> None:
    # "two": App ID and App Content URL are there already; "none": no App Link column.
    path = tmp_path / "ribbon" / f"{case}.xlsx"
    path.parent.mkdir()
    _write(
        path, "Listing URL", LINK_SETS["apps"], shape, LINK_SETS["mixed"] if links == "two" else []
    )
    runner = CliRunner()
    out, inserted, report = (tmp_path / n for n in ("cli.csv", "cli.xlsx", "cli.json"))
    for target in (out, inserted):
        done = runner.invoke(main, ["insert", str(path), "-o", str(target), "--force"])
        assert done.exit_code == 0, done.output
    done = runner.invoke(main, ["check", str(inserted), "--report", str(report)])
    assert done.exit_code in (0, 1), done.output
    data = out.read_bytes()
    # "insert -o FILE.xlsx" puts the columns it adds after the last one, where the CSV (and
    # Insert Columns) has them next to the App Link columns there: the report, sorted by row
    # and column, is put in the CSV's column order.
    order = _rows(data)[0]
    issues = sorted(
        _issues(report), key=lambda i: (i[0], order.index(i[1]) if i[1] in order else -1)
    )
    cli = (_rows(data), issues, data)
    ribbon = _ribbon_action(engine, path, "zillow.com", "insert_columns", 2)
    _same(cli, ribbon)
    assert (
        ribbon[0]
        == {
            "none": 'Added the columns "App ID", "App Unique ID", "App Name" and "App Content '
            'URL".',
            "two": 'Added the columns "App Unique ID" and "App Name".',
        }[links]
    )
    _check_formula(ribbon[4], _header_row(ribbon[4]) + 1, cli[1])


@pytest.mark.libreoffice
def test_links_made_by_formulas_give_the_answers_of_the_command_line(
    engine: Any, tmp_path: Path
) -> None:
    # Saved by LibreOffice: links put together by formulas (one that shows #N/A), below a
    # merged title, with two rows of one listing merged.
    zillow = '="https://www.zillow.com/homedetails/"&D{}&"_zpid/"'
    path = _saved_by_libreoffice(
        tmp_path,
        [
            ["Listings for May"],
            ["Name", "Listing URL", "Notes", "Zillow ID"],
            ["12 Oak St", zillow.format(3), "note", 48616032],
            [None, zillow.format(4), "same house", 59187422],
            ["9 Pine Rd", '=IF(D5="",NA(),"https://bit.ly/"&D5)', "=1/0", None],
            ["1 Bay St", '="mailto:"&"jo@acme-homes.com"', "note", 12345678],
        ],
        merged=("A1:D1", "A3:A4"),
    )
    cli = _prepare(path, tmp_path / "cli.csv", "--from-url", "Listing URL")
    ribbon = _ribbon_action(engine, path, "zillow.com", "from_urls", 2)
    assert ribbon[0].startswith("Filled App Links on 2 rows"), ribbon[0]
    _same(cli, ribbon)
    assert [r[1] for r in cli[0]] == [
        "Listing URL",
        "https://www.zillow.com/homedetails/48616032_zpid/",
        "https://www.zillow.com/homedetails/59187422_zpid/",
        "#N/A",
        "mailto:jo@acme-homes.com",
    ]
    _link_formulas(ribbon[4], cli)


@pytest.mark.libreoffice
def test_a_formula_app_link_cell_that_shows_an_error_is_the_difference_by_design(
    engine: Any, tmp_path: Path
) -> None:
    # As with a formula that shows nothing: the command line reads the saved result (#N/A, a
    # value it keeps); Fill App Links keeps the formula, fills the row's other cells and names
    # the cell.
    path = _saved_by_libreoffice(
        tmp_path,
        [
            ["Name", "Listing ID", *APP_LINK_HEADERS],
            ["12 Oak St", 48616032, "=NA()"],
            ["3 Elm Ave", 59187422, None, None, "=1/0"],
        ],
    )
    cli_rows, _, _ = _prepare(
        path, tmp_path / "cli.csv", "--app", "zillow.com", "--id-column", "Listing ID"
    )
    ribbon = _ribbon_action(engine, path, "zillow.com", "fill_app_links", 2, "yes")

    zillow = "https://www.zillow.com/homedetails/{}_zpid/"
    assert [r[2:] for r in cli_rows[1:]] == [
        ["#N/A", "", "", ""],
        ["zillow.com", "59187422", "#DIV/0!", zillow.format(59187422)],
    ]
    assert ribbon[0] == (
        'Filled App Links for Zillow on 2 rows from column "Listing ID" (B). Kept 2 formulas '
        'that show an error ("App ID" in row 2 shows #N/A and "App Name" in row 3 shows '
        "#DIV/0!); the rows have no value there: replace the formulas with values, or clear "
        "them and fill again."
    )
    assert [r[2:] for r in ribbon[1][1:]] == [
        ["#N/A", "48616032", "Zillow", zillow.format(48616032)],
        ["zillow.com", "59187422", "#DIV/0!", zillow.format(59187422)],
    ]
    model = ribbon[4].sheets["Deals"].impl.model
    assert (model.formulas[(2, 3)], model.formulas[(3, 5)]) == ("=NA()", "=1/0")
