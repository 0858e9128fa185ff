"""The block-at-a-time pieces give exactly what their row-at-a-time forms give."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applinks.files.csv_out import CsvRowWriter
from applinks.files.xlsx_in import normalize_block, normalize_row
from applinks.rows import blank, blocks, chunks, cut, trimmed_blocks

# What python-calamine hands over (text, "" for an empty cell, floats, dates, booleans) and what
# the CSV writer is given after normalising (None, ints as well).
RAW = st.one_of(
    st.sampled_from(["", "", "x", " ", "0123", "=1+1"]),
    st.text(max_size=5),
    st.text(alphabet=',"\r\n a\x00é', max_size=5),  # what the CSV writer must quote
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20).map(float),
    st.booleans(),
    st.dates(),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.datetimes().map(lambda d: d.replace(microsecond=0)),
    st.times(),
)
CELL = st.one_of(RAW, st.none(), st.integers(), st.timedeltas())


@st.composite
def blocks_of(draw: st.DrawFn, cells: st.SearchStrategy, *, even: bool) -> list[list]:
    width = draw(st.integers(0, 6))
    count = draw(st.integers(0, 12))
    if even or draw(st.booleans()):
        # Columns of one kind are the common case (and the fast paths): draw a kind per column.
        whole = st.floats(0, 1e6).map(round).map(float)
        # Whole numbers among fractions (2.0 and 3.5 baths), some past 15 digits (0.1 + 0.2).
        mixed = st.one_of(
            whole, st.floats(-1e6, 1e6), st.sampled_from([0.1 + 0.2, 1.234567890123456, 1e15, 0.5])
        )
        kinds = [draw(st.sampled_from([cells, st.just(""), whole, mixed])) for _ in range(width)]
        return [[draw(k) for k in kinds] for _ in range(count)]
    return [draw(st.lists(cells, max_size=width)) for _ in range(count)]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(rows=blocks_of(RAW, even=False))
def test_normalize_block_equals_normalize_row(rows: list[list]) -> None:
    expected = [normalize_row(row) for row in rows]
    got = normalize_block([list(row) for row in rows])
    assert repr(got) == repr(expected)  # repr: tells 1 from 1.0 and nan from nan


def test_normalize_block_keeps_fifteen_digits() -> None:
    """Whole numbers past 15 digits are cut to Excel's 15 significant digits, as a row's are."""
    rows = [[1234567890123456.0, 999999999999999.0], [1e15, -1234567890123456.0]]
    expected = [[1234567890123460, 999999999999999], [1000000000000000, -1234567890123460]]
    assert repr(normalize_block([list(row) for row in rows])) == repr(expected)
    assert repr([normalize_row(row) for row in rows]) == repr(expected)


#: (start, stop) -> (the blocks cut gives, how many blocks it asked for): rows 0-8 in blocks of 3.
CUTS = {
    (0, None): ([[0, 1, 2], [3, 4, 5], [6, 7, 8]], 3),
    (1, 5): ([[1, 2], [3, 4]], 2),
    (2, 3): ([[2]], 1),
    (0, 3): ([[0, 1, 2]], 1),  # row 2 is out: the next block is not read
    (3, 6): ([[3, 4, 5]], 2),
    (7, None): ([[7, 8]], 3),
    (7, 20): ([[7, 8]], 3),
    (3, 3): ([], 0),  # nothing asked for: nothing read
    (5, 2): ([], 0),
}


@pytest.mark.parametrize(("start", "stop"), CUTS, ids=[f"{a}-{b}" for a, b in CUTS])
def test_cut_gives_the_rows_asked_for_and_reads_no_further(start: int, stop: int | None) -> None:
    asked: list[int] = []

    def source() -> Iterator[list]:
        for first in (0, 3, 6):
            asked.append(first)
            yield [first, first + 1, first + 2]

    assert (list(cut(source(), start, stop)), len(asked)) == CUTS[(start, stop)]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(rows=blocks_of(CELL, even=False), size=st.integers(1, 5))
def test_csv_rows_writes_what_row_by_row_writes(rows: list[list], size: int) -> None:
    width = max(map(len, rows), default=0)
    headers = [f"H{i}" for i in range(width)]
    by_row, by_block = io.StringIO(), io.StringIO()
    one, many = CsvRowWriter(by_row), CsvRowWriter(by_block)
    one.begin(headers)
    many.begin(headers)
    for row in rows:
        one.row(row)
    for block in blocks(rows, size):
        many.rows(block)
    assert by_block.getvalue() == by_row.getvalue()
    # Blank rows (nothing but empty cells) are not records: neither written nor counted.
    records = [r for r in rows if any(c is not None and c != "" for c in r)]
    assert many.count == one.count == len(records)
    written = list(csv.reader(io.StringIO(by_row.getvalue(), newline="")))
    assert len(written) == 1 + len(records)  # the header and the records, no blank line


def trimmed(
    rows: Iterator[list], width: int, *, is_blank: Callable[[list], bool]
) -> Iterator[list]:
    """The row-by-row form :func:`trimmed_blocks` is held to."""
    pending: list[list] = []
    for row in rows:
        if len(row) > width:
            row = row[:width]
        if None in row and is_blank(row):
            pending.append(row)
            continue
        if pending:
            yield from pending
            pending.clear()
        yield row


ROWS = st.lists(
    st.lists(st.sampled_from([None, None, "", "a", 0]), max_size=4).map(lambda r: r or []),
    max_size=14,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(rows=ROWS, width=st.integers(0, 4), size=st.integers(1, 5))
def test_trimmed_blocks_equals_trimmed(rows: list[list], width: int, size: int) -> None:
    expected = list(trimmed(iter(rows), width, is_blank=blank))
    got = [row for block in trimmed_blocks(chunks(iter(rows), size), width, is_blank=blank)
           for row in block]  # fmt: skip
    assert got == expected


PORTAL = {"portal_id": "62515"}
IDS = st.one_of(
    st.sampled_from(["", " ", "123", "a b", "ü", "12.0", "  7  "]),
    st.integers(-(10**16), 10**16),
    st.sampled_from([10**15 - 1, 10**15, -(10**15 - 1), -(10**15), 48616032, True]),
    st.floats(allow_nan=False),
    st.none(),
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    ids=st.lists(IDS, max_size=12),
    kept=st.lists(st.sampled_from([None, "", "x", "zillow.com", "hubspot.com"]), max_size=4),
    overwrite=st.booleans(),
    same_kind=st.booleans(),
    app=st.sampled_from(["zillow.com", "hubspot.com"]),
)
def test_fill_of_a_block_equals_fill_row_by_row(
    ids: list, kept: list, overwrite: bool, same_kind: bool, app: str
) -> None:
    # Two apps: Zillow's ids have 5 to 10 digits, HubSpot's any number of them (so a 16-digit
    # number reaches the block path's own limit of the digits Excel keeps).
    import applinks.operations as operations
    from applinks.table import Table

    if same_kind:  # a column of one kind of id is what the block path takes
        ids = [i for i in ids if type(i) is int] or [str(i) for i in ids]
    headers = ["Name", "Zillow ID", "App ID", "App Unique ID", "App Name", "App Content URL"]
    blank = [None] * 4
    rows = [["n", i, *(kept + blank)[:4]] for i in ids]

    def fill() -> tuple:
        table = Table(list(headers), [list(r) for r in rows])
        result = operations.fill_app_links(
            table, app=app, id_column="Zillow ID", overwrite=overwrite, settings=PORTAL
        )
        return (
            list(result.table.rows),
            result.filled_rows,
            result.kept_cells,
            result.report.issues,
        )

    fast = fill()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "_plain_ids", lambda *args: None)
        slow = fill()
    assert repr(fast) == repr(slow)
