"""The streaming path (rows read on demand, one pass, CSV written while checking) gives exactly
what the plain path (every row in a list, check, then write) gives: the same CSV bytes, the same
report, the same fill counts."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from applinks.check_list import _PLAIN_URL, FORMULA_STARTS, _url_problem
from applinks.checks import check
from applinks.domains import host_of
from applinks.files.csv_out import CsvRowWriter, CsvSpool, write_cloze_csv
from applinks.files.read import read_table
from applinks.files.xlsx_in import SheetRows, table_from_grid
from applinks.operations import LinkSource, insert_app_link_columns, prepare
from applinks.rows import LazyRows
from applinks.table import Table, cell_text

SRC = Path(__file__).resolve().parents[1] / "src"

_URLS = [
    "https://www.zillow.com/homedetails/123_zpid/",
    "HTTPS://WWW.Zillow.com:443/homedetails/9_zpid/?a=1#x",
    "http://acme.lightning.force.com/lightning/r/Opportunity/0061U000005ZkzQ/view",
    "https://user@www.zillow.com/x",
    "https://www.zillow.com/a b",
    " https://www.zillow.com/x",
    "https://www.zillow.com/x ",
    "https://zillow.com./x",
    "https://[::1]/x",
    "https://192.168.0.1/x",
    "https://exämple.com/x",
    "ftp://zillow.com/x",
    "www.zillow.com/x",
    "https://",
    "https://-/",
    "https://redfin.com/home/1",
    "http://a:99999999/",
    12345,
    None,
]
_APP_IDS = ["zillow.com", "Zillow.com", "www.zillow.com", "salesforce.com", "na16.salesforce.com",
            "https://zillow.com/", "zillow", "", "  ", None, "bad domain.com"]  # fmt: skip
_UIDS = ["123", " 123", "123 ", "1.42E+18", "12.0", 12345678901234567, 98765, 12.0, 12.5, "",
         None, "0061U000005ZkzQ", "00123", "-5", 2.5e21]  # fmt: skip
_TEXTS = ["Potential", "Active", "done", "Pending", "", "  ", None, "=SUM(A1)", "+1", "-x", "@me",
          "\tTab", "\rCR", "ok", 'say "hi", bye', "line\nbreak", "Zoë", 0, 0.0, False, True,
          dt.date(2024, 2, 29), dt.datetime(2024, 1, 2, 3, 4, 5),
          dt.datetime(2024, 1, 2, 3, 4, 5, 600000), dt.time(9, 30), 3.25, -7, 1e21,
          2.0**60]  # fmt: skip


def _varied_rows(rnd: random.Random, count: int) -> list[list[object]]:
    rows = []
    for _ in range(count):
        if rnd.random() < 0.05:
            rows.append([None] * 9)
            continue
        rows.append(
            [
                rnd.choice(_TEXTS + ["12 Oak St"] * 5),  # Name
                rnd.choice(_TEXTS),  # Stage
                rnd.choice(_APP_IDS),
                rnd.choice(_UIDS + [str(rnd.randint(1, 30))] * 5),
                rnd.choice(["Zillow", "", None, "Salesforce"]),
                rnd.choice(_URLS),
                rnd.choice(["a@b.com", "", None, " "]),
                rnd.choice(_TEXTS),
                rnd.choice(_UIDS),  # an id column for --id-column
            ]
        )
    return rows


def _book(path: Path, rows: list[list[object]], *, title: bool, offset: int) -> Path:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["My listings"])
    headers = ["Name", "Stage", "App ID", "App Unique ID", "App Name", "App Content URL",
               "Email", "Notes", "Listing ID"]  # fmt: skip
    for r, row in enumerate([headers, *rows], start=2 if title else 1):
        for c, value in enumerate(row, start=1 + offset):
            if value is not None:
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula, not a formula
    sheet.cell(row=len(rows) + 8, column=3 + offset).number_format = "0.00"  # formatted, empty
    if offset:
        sheet.cell(row=4, column=len(headers) + offset + 2, value="beyond")  # unnamed column
    book.save(path)
    return path


def _plain_table(path: Path) -> Table:
    """The table as the plain path reads it: every row in a list, from calamine's grid."""
    import python_calamine as calamine

    data = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return table_from_grid(data.to_python(skip_empty_area=False), sheet=None, source=path.name)


def _reference_csv(table: Table) -> bytes:
    """The Cloze CSV written the straightforward way, cell by cell with cell_text."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    width = len(table.headers)
    texts = [[cell_text(c) for c in row] + [""] * (width - len(row)) for row in table.rows]
    # A column with neither a header nor a value is not written, nor is a blank row.
    used = [p for p in range(width) if table.headers[p] or any(t[p] for t in texts)]
    writer.writerow([table.headers[p] for p in used])
    for row in texts:
        if any(row):
            writer.writerow([row[p] for p in used])
    return out.getvalue().encode("utf-8-sig")


def _issues(report) -> list[dict]:
    return [dataclasses.asdict(i) for i in report.issues]


CASES = [
    {},
    {"app": "zillow.com", "id_column": "Listing ID"},
    {"app": "zillow.com", "id_column": "Listing ID", "overwrite": True},
    {"from_url": "App Content URL"},
    {"from_url": "App Content URL", "app": "zillow.com", "overwrite": True},
]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("options", CASES, ids=lambda o: ",".join(o) or "insert-only")
def test_streaming_equals_plain(tmp_path: Path, seed: int, options: dict) -> None:
    rnd = random.Random(seed)
    path = _book(
        tmp_path / "b.xlsx", _varied_rows(rnd, 300), title=seed == 2, offset=2 if seed == 3 else 0
    )
    fast_table = read_table(path)
    plain_table = _plain_table(path)
    assert isinstance(fast_table.rows, SheetRows)
    assert isinstance(plain_table.rows, list)
    assert (fast_table.headers, fast_table.header_row) == (
        plain_table.headers,
        plain_table.header_row,
    )
    assert list(fast_table.rows) == plain_table.rows

    spooled = io.StringIO(newline="")
    fast = prepare(fast_table, LinkSource(**options), sink=CsvRowWriter(spooled))
    plain = prepare(plain_table, LinkSource(**options))

    assert isinstance(fast.table.rows, LazyRows)
    assert _issues(fast.report) == _issues(plain.report)
    assert fast.added_columns == plain.added_columns
    if plain.fill is not None:
        assert fast.fill is not None
        assert (fast.fill.filled_rows, fast.fill.kept_cells, fast.fill.id_column) == (
            plain.fill.filled_rows,
            plain.fill.kept_cells,
            plain.fill.id_column,
        )
        assert plain.fill.filled_rows > 0
    expected = _reference_csv(plain.table)
    assert ("\ufeff" + spooled.getvalue()).encode() == expected
    write_cloze_csv(fast.table, tmp_path / "fast.csv")
    write_cloze_csv(plain.table, tmp_path / "plain.csv")
    assert (tmp_path / "fast.csv").read_bytes() == expected
    assert (tmp_path / "plain.csv").read_bytes() == expected
    assert len(fast.table.rows) == len(plain.table.rows)


def test_the_varied_data_finds_every_kind_of_row_issue(tmp_path: Path) -> None:
    """The equivalence above means something only if the data trips the checks."""
    path = _book(tmp_path / "b.xlsx", _varied_rows(random.Random(1), 300), title=False, offset=0)
    codes = {i.code for i in check(read_table(path)).issues}
    assert codes >= {
        "app-id-not-domain", "app-id-not-lowercase", "app-id-has-url-parts", "app-id-subdomain",
        "app-id-inconsistent", "app-id-missing", "unique-id-missing", "unique-id-duplicate",
        "unique-id-mangled", "unique-id-whitespace", "app-name-missing", "url-missing",
        "url-invalid", "url-app-mismatch", "name-missing", "row-not-importable", "stage-invalid",
        "formula-like-value",
    }  # fmt: skip


def test_cli_prepare_writes_the_plain_bytes(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", _varied_rows(random.Random(4), 200), title=False, offset=0)
    out = tmp_path / "out.csv"
    env = {"PYTHONPATH": str(SRC)}
    args = ["prepare", str(path), "--app", "zillow.com", "--id-column", "Listing ID"]
    refused = subprocess.run(
        [sys.executable, "-m", "applinks", *args, "-o", str(out)], env=env, capture_output=True
    )
    assert refused.returncode == 1
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["b.xlsx"]  # no temporary file left
    done = subprocess.run(
        [sys.executable, "-m", "applinks", *args, "-o", str(out), "--allow-errors"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    plain = prepare(_plain_table(path), LinkSource(app="zillow.com", id_column="Listing ID"))
    blank = sum(1 for row in _plain_table(path).rows if all(c is None for c in row))
    assert blank > 0  # the varied rows have blank ones, which are named but not written
    # No progress bar when stderr is not a terminal: only the note on the blank rows.
    assert done.stderr == (
        f"Note: {blank} blank rows were left out (they are not records and are not written "
        "to the CSV for Cloze).\n"
    )
    assert out.read_bytes() == _reference_csv(plain.table)
    again = subprocess.run(
        [sys.executable, "-m", "applinks", *args, "-o", str(out), "--allow-errors"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx", "out.csv"]


def test_export_streams_and_refuses_on_errors(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", _varied_rows(random.Random(5), 50), title=False, offset=0)
    env = {"PYTHONPATH": str(SRC)}
    out = tmp_path / "x.csv"
    run = subprocess.run(
        [sys.executable, "-m", "applinks", "export", str(path), "-o", str(out), "--allow-errors"],
        env=env,
        capture_output=True,
    )
    assert run.returncode == 1
    assert out.read_bytes() == _reference_csv(_plain_table(path))


def test_spool_is_removed_unless_kept(tmp_path: Path) -> None:
    with CsvSpool(tmp_path) as spool:
        spool.begin(["A"])
        spool.row(["x"])
    assert list(tmp_path.iterdir()) == []
    with CsvSpool(tmp_path) as spool:
        spool.begin(["A", "B"])
        spool.row([1.0])
        spool.keep(tmp_path / "k.csv")
    assert (tmp_path / "k.csv").read_bytes() == b"\xef\xbb\xbfA,B\r\n1,\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["k.csv"]


def test_a_part_written_elsewhere_is_joined_and_counted(tmp_path: Path) -> None:
    with CsvSpool(tmp_path) as spool:
        spool.begin(["A", "B"])
        spool.rows([["a", 1], ["b", 2]])
        with spool.part() as part:  # (in a second process, in a run in two)
            part.rows([["c", 3], [None, None], ["d", 4], ["e", 5]])
            written = part.finish()
            spool.join(part, written)
        assert (written, spool.count) == (3, 5)
        spool.keep(tmp_path / "k.csv")
    assert (
        tmp_path / "k.csv"
    ).read_bytes() == b"\xef\xbb\xbfA,B\r\na,1\r\nb,2\r\nc,3\r\nd,4\r\ne,5\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["k.csv"]


def test_lazy_rows_behave_like_a_list(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", [["a", "Active"], [None] * 9, ["b"]], title=False, offset=0)
    rows = read_table(path).rows
    assert rows.estimated_length() is not None
    assert rows == [["a", "Active"] + [None] * 7, [None] * 9, ["b"] + [None] * 8]
    assert len(rows) == 3
    assert rows[2][0] == "b"
    inserted = insert_app_link_columns(read_table(path)).table
    assert list(inserted.rows) == list(inserted.rows)  # re-iterable, fresh each time
    assert len(inserted.rows) == 3


_URL_LIKE = r"(?i:https?)://[A-Za-z0-9.\-]{0,12}(:[0-9]{0,6})?([/?#][ -~]{0,12})?"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
    | st.from_regex(_URL_LIKE, fullmatch=True)
)
def test_plain_url_shortcut_agrees_with_the_full_rules(url: str) -> None:
    plain = _PLAIN_URL.match(url)
    if plain:
        assert _url_problem(url) is None
        assert host_of(url) == host_of(plain.group(1).lower())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=6)), max_size=8))
def test_formula_scan_finds_exactly_the_formula_like_cells(row: list) -> None:
    table = Table(["Name", "Stage", "A", "B", "C", "D", "E", "F"], [row])
    found = [i.column for i in check(table).issues if i.code == "formula-like-value"]
    expected = [
        table.headers[p] if p < 8 else ""
        for p, v in enumerate(row)
        if isinstance(v, str) and v.startswith(FORMULA_STARTS)
    ]
    assert sorted(found) == sorted(expected)
