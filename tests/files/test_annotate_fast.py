"""The annotated workbook's quick paths give the same workbook as the general ones.

``prepare --xlsx`` notes the App Link cells it changes while it walks the rows once
(LinkRecorder), and the data sheet's rows that only gain cells after their last one are edited
without taking them apart. These tests hold both to what the general code writes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from applinks.files.csv_out import CsvRowWriter
from applinks.files.read import read_table
from applinks.files.xlsx_annotate import write_annotated
from applinks.files.xlsx_package import BackgroundWriter
from applinks.files.xlsx_plan import (
    KEEP,
    Changes,
    LinkRecorder,
    link_layout,
    make_plan,
    walk_changes,
)
from applinks.files.xlsx_sheet_edit import SheetEditor
from applinks.files.xlsx_styles import Styles
from applinks.issues import Report
from applinks.operations import LinkSource, fill_app_links, prepare
from applinks.registry import load_registry
from applinks.table import Table
from tests.cli_run import run_applinks as run

URL = "https://www.zillow.com/homedetails/{}_zpid/"

# --- the values noted during prepare --------------------------------------------------------

CASES = {
    "no App Link columns": (
        ["Name", "Zillow ID", "Notes"],
        [["A", "11111", None], ["B", "22222", "x"], ["C", None, None], ["D", 44444, " sp "]],
    ),
    "App Link columns already there": (
        ["Name", "Zillow ID", "App ID", "App Unique ID", "App Name", "App Content URL"],
        [
            ["A", "11111", "zillow.com", "11111", "Zillow", None],
            ["B", "22222", "other.com", "999", None, "https://x"],
            ["C", None, "zillow.com", None, None, None],
            ["D", "44444", None, None, None, None],
        ],
    ),
    "data under a column without a header": (
        ["Name", "Zillow ID", None],
        [["A", "11111", "junk"], ["B", "22222", None]],
    ),
}


def _full(uid: str, app: int) -> dict[int, str]:
    return {app: "zillow.com", app + 1: uid, app + 2: "Zillow", app + 3: URL.format(uid)}


EXPECTED = {
    ("no App Link columns", False): {
        2: _full("11111", 3),
        3: _full("22222", 3),
        5: _full("44444", 3),
    },
    # Row 3 is another app's (other.com, no known link format): left as it is, overwrite or not.
    ("App Link columns already there", False): {
        2: {5: URL.format("11111")},
        5: _full("44444", 2),
    },
    ("App Link columns already there", True): {
        2: {5: URL.format("11111")},
        5: _full("44444", 2),
    },
    ("data under a column without a header", False): {2: _full("11111", 2), 3: _full("22222", 2)},
}


def _book(path: Path, headers: list, rows: list) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Listings"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _prepared(book: Path, overwrite: bool) -> tuple[Table, LinkRecorder, Table, str]:
    table = read_table(book)
    out = io.StringIO()
    recorder = LinkRecorder(table, CsvRowWriter(out))
    source = LinkSource(app="zillow.com", id_column="Zillow ID", overwrite=overwrite)
    result = prepare(recorder.table, source, sink=recorder)
    return table, recorder, result.table, out.getvalue()


@pytest.mark.parametrize(("case", "overwrite"), list(EXPECTED), ids=lambda v: str(v))
def test_values_noted_during_prepare_are_those_a_walk_of_the_rows_finds(
    tmp_path: Path, case: str, overwrite: bool
) -> None:
    book = _book(tmp_path / "book.xlsx", *CASES[case])
    table, recorder, prepared, _ = _prepared(book, overwrite)
    recorded = recorder.changes(table, prepared)
    assert recorded is not None
    assert recorded.as_dict() == EXPECTED[case, overwrite]
    # The general way, on tables read afresh: walk the prepared rows beside the sheet's.
    table, _, prepared, _ = _prepared(book, overwrite)
    walked = walk_changes(table, prepared, link_layout(table.headers, prepared.headers))
    assert walked.as_dict() == EXPECTED[case, overwrite]


def test_the_csv_is_still_written_while_the_values_are_noted(tmp_path: Path) -> None:
    book = _book(tmp_path / "book.xlsx", *CASES["no App Link columns"])
    _, _, _, written = _prepared(book, False)
    assert list(csv.reader(io.StringIO(written))) == [
        ["Name", "Zillow ID", "Notes", "App ID", "App Unique ID", "App Name", "App Content URL"],
        ["A", "11111", "", "zillow.com", "11111", "Zillow", URL.format("11111")],
        ["B", "22222", "x", "zillow.com", "22222", "Zillow", URL.format("22222")],
        ["C", "", "", "", "", "", ""],
        ["D", "44444", " sp ", "zillow.com", "44444", "Zillow", URL.format("44444")],
    ]


def test_a_recording_of_other_rows_is_not_used(tmp_path: Path) -> None:
    book = _book(tmp_path / "book.xlsx", *CASES["no App Link columns"])
    table, recorder, prepared, _ = _prepared(book, False)
    shorter = Table(table.headers, [["A", "11111", None]])
    assert recorder.changes(shorter, prepared) is None
    assert LinkRecorder(table).changes(table, prepared) is None  # nothing recorded yet


def test_every_filled_cell_reaches_a_workbook_that_had_the_columns(tmp_path: Path) -> None:
    """All four filled App Link cells are written, not only the App ID (the CSV's values)."""
    _book(tmp_path / "book.xlsx", *CASES["App Link columns already there"])
    done = run(
        "prepare", "book.xlsx", "--app", "zillow.com", "--id-column", "Zillow ID",
        "--allow-errors", "-o", "book.csv", "--xlsx", "flags.xlsx", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    sheet = openpyxl.load_workbook(tmp_path / "flags.xlsx")["Listings"]
    cells = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    with open(tmp_path / "book.csv", encoding="utf-8-sig", newline="") as handle:
        assert cells == list(csv.reader(handle))
    assert cells[4] == ["D", "44444", "zillow.com", "44444", "Zillow", URL.format("44444")]


# --- the rows of the data sheet --------------------------------------------------------------

STYLES = (
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)
NEW = (
    '<c r="D2" t="inlineStr" s="2"><is><t>zillow.com</t></is></c>'
    '<c r="E2" t="inlineStr" s="2"><is><t xml:space="preserve"> 12345 </t></is></c>'
    '<c r="F2" t="inlineStr"><is><t>Zillow</t></is></c>'
    '<c r="G2" t="inlineStr" s="2"><is><t>https://www.zillow.com/homedetails/%2012345%20_zpid/</t>'
    "</is></c>"
)
REST = NEW[NEW.index('<c r="F2"') :]
#: Each row as the sheet has it, and as the annotated copy must have it (what the general
#: code wrote before the quick path existed).
ROWS = {
    "cells left of the new ones, spans dropped": (
        '<row r="2" spans="1:3"><c r="A2" t="s"><v>0</v></c><c r="B2" s="1"><v>7</v></c></row>',
        f'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" s="1"><v>7</v></c>{NEW}</row>',
    ),
    "no cells": ('<row r="2"></row>', f'<row r="2">{NEW}</row>'),
    "self-closing": (
        '<row r="2" spans="1:3" ht="20" customHeight="1"/>',
        f'<row r="2" ht="20" customHeight="1">{NEW}</row>',
    ),
    "spaces between cells": (
        '<row r="2">\n  <c r="A2" t="s"><v>0</v></c>\n  <c r="B2"><v>7</v></c>\n</row>',
        f'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>7</v></c>{NEW}</row>',
    ),
    "a cell beyond the new ones": (
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="J2" s="1"><v>5</v></c></row>',
        f'<row r="2"><c r="A2" t="s"><v>0</v></c>{NEW}<c r="J2" s="1"><v>5</v></c></row>',
    ),
    "a cell where a new one goes": (
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="E2" s="1" t="s"><v>3</v></c></row>',
        '<row r="2"><c r="A2" t="s"><v>0</v></c>'
        + NEW[: NEW.index('<c r="E2"')]
        + '<c r="E2" s="3" t="inlineStr"><is><t xml:space="preserve"> 12345 </t></is></c>'
        + REST
        + "</row>",
    ),  # fmt: skip
    "cells without addresses": (
        '<row r="2"><c t="s"><v>0</v></c><c><v>7</v></c></row>',
        f'<row r="2"><c t="s"><v>0</v></c><c><v>7</v></c>{NEW}</row>',
    ),
    "text with spaces and escapes": (
        '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> a &gt; b </t></is></c>'
        "</row>",
        '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> a &gt; b </t></is></c>'
        f"{NEW}</row>",
    ),
    "a formula where a new value goes": (
        '<row r="2"><c r="A2"><v>1</v></c><c r="D2"><f>"x"</f><v>x</v></c></row>',
        '<row r="2"><c r="A2"><v>1</v></c><c r="D2" s="2"><f>"x"</f><v>x</v></c>'
        + NEW[NEW.index('<c r="E2"') :]
        + "</row>",
    ),  # fmt: skip
}


def _editor() -> SheetEditor:
    table = Table(["Name", "Zillow ID", "Notes"], [["A", " 12345 ", None]])
    prepared = fill_app_links(table, app="zillow.com", id_column="Zillow ID").table
    plan = make_plan(table, prepared, Report([]), load_registry())
    return SheetEditor(plan, Styles(STYLES), {}, "Listings")


@pytest.mark.parametrize("name", list(ROWS))
def test_a_row_gets_the_same_cells_by_either_path(name: str) -> None:
    row, expected = ROWS[name]
    assert _editor()._edit_data_row(row, 2) == expected
    assert _editor()._edit_row(row, 2) == expected


def test_rows_with_a_prefix_take_the_quick_path_too() -> None:
    editor = _editor()
    editor.use_prefix("x:")
    row = '<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c></x:row>'
    expected = NEW.replace("<", "<x:").replace("<x:/", "</x:")
    assert (
        editor._edit_data_row(row, 2)
        == f'<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c>{expected}</x:row>'
    )


def test_a_changed_row_the_sheet_has_no_element_for_is_added(tmp_path: Path) -> None:
    book = _book(tmp_path / "book.xlsx", ["Name", "Zillow ID"], [["A", "10001"], ["B", "10002"]])
    # A table that claims a third data row, which the sheet has no <row> for.
    table = Table(
        ["Name", "Zillow ID"], [["A", "10001"], ["B", "10002"], ["C", "10003"]], sheet="Listings"
    )
    prepared = fill_app_links(table, app="zillow.com", id_column="Zillow ID").table
    write_annotated(book, table, Report([]), tmp_path / "flags.xlsx", prepared=prepared)
    sheet = openpyxl.load_workbook(tmp_path / "flags.xlsx")["Listings"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["A", "10001", "zillow.com", "10001", "Zillow", URL.format("10001")],
        ["B", "10002", "zillow.com", "10002", "Zillow", URL.format("10002")],
        [None, None, "zillow.com", "10003", "Zillow", URL.format("10003")],
    ]


def test_changed_rows_lists_rows_with_any_new_value() -> None:
    changes = Changes(5, 4, [(2, [KEEP, "a", KEEP, KEEP]), (3, [KEEP, KEEP, KEEP, "b"])])
    assert list(changes.changed_rows(0, 100)) == [6, 8]
    assert list(changes.changed_rows(6, 8)) == []
    assert changes.at(8) == {3: "b"}
    assert changes.at(9) == {}
    assert changes.as_dict() == {6: {2: "a"}, 8: {3: "b"}}


# --- writing the data sheet in a second thread ----------------------------------------------


class _Broken(io.RawIOBase):
    def __init__(self) -> None:
        self.seen: list[bytes] = []

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if len(self.seen) == 2:
            raise OSError(28, "No space left on device")
        self.seen.append(bytes(data))
        return len(data)


def test_the_writer_thread_keeps_the_order_and_hands_back_its_error() -> None:
    broken = _Broken()
    with pytest.raises(OSError, match="No space left"):  # noqa: SIM117
        with BackgroundWriter(broken) as writer:  # type: ignore[arg-type]
            for n in range(100):
                writer.write(b"%d," % n)
    assert broken.seen == [b"0,", b"1,"]
