"""The Cloze CSV: exact bytes, and any grid of text survives write then read."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applinks.errors import OutputExistsError, UsageError
from applinks.files.csv_in import read_csv
from applinks.files.csv_out import default_output_path, write_cloze_csv, write_rows
from applinks.table import Table


def test_bytes_bom_crlf_minimal_quoting(tmp_path: Path) -> None:
    table = Table(
        ["Name", "Zip", "Price", "When", "Note", "Flag"],
        [
            ["Café Olé", "02108", 48616032, dt.date(2024, 3, 1), 'say "hi", ok', True],
            ["Two\nlines", None, 0.1, dt.datetime(2024, 3, 1, 13, 5, 7), "", False],
        ],
    )
    out = write_cloze_csv(table, tmp_path / "out.csv")
    assert out.read_bytes() == (
        "\ufeffName,Zip,Price,When,Note,Flag\r\n"
        'Café Olé,02108,48616032,2024-03-01,"say ""hi"", ok",TRUE\r\n'
        '"Two\nlines",,0.1,2024-03-01 13:05:07,,FALSE\r\n'
    ).encode("utf-8")


def test_a_short_row_is_written_with_every_column() -> None:
    """Every line has as many fields as the header (RFC 4180), a row shorter than it too."""
    out = io.StringIO()
    count = write_rows(out, ["A", "B", "C"], [["x"], ["y", "z"], ["p", "q", "r"], ["w"]])
    assert (count, out.getvalue()) == (4, "A,B,C\r\nx,,\r\ny,z,\r\np,q,r\r\nw,,\r\n")


def test_no_overwrite_without_force_and_never_the_input(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"keep me")
    table = Table(["Name"], [["x"]])
    with pytest.raises(OutputExistsError):
        write_cloze_csv(table, target)
    assert target.read_bytes() == b"keep me"
    write_cloze_csv(table, target, force=True)
    assert target.read_bytes() == "\ufeffName\r\nx\r\n".encode()
    with pytest.raises(UsageError):
        write_cloze_csv(table, target, force=True, inputs=(target,))
    assert list(tmp_path.iterdir()) == [target]


def test_default_output_name() -> None:
    assert default_output_path(Path("/x/My Deals.xlsx")) == Path("/x/My Deals - Cloze import.csv")


def test_failure_midway_leaves_no_file(tmp_path: Path) -> None:
    class Boom:
        def __iter__(self):
            yield ["a"]
            raise RuntimeError("disk on fire")

    table = Table(["Name"], Boom())  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        write_cloze_csv(table, tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


cells = st.one_of(
    st.just(None),
    st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.lists(cells, min_size=3, max_size=3), max_size=8))
def test_any_text_grid_round_trips(tmp_path: Path, rows: list[list[str | None]]) -> None:
    headers = ["Name", "Notes", "Zip"]
    rows = [[c if c != "" else None for c in r] for r in rows]
    # Blank rows are not records: they are left out of the CSV, wherever they stand.
    rows = [r for r in rows if any(c is not None for c in r)]
    path = tmp_path / "grid.csv"
    buffer = io.StringIO(newline="")
    write_rows(buffer, headers, rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    back = read_csv(path)
    assert back.headers == headers
    assert back.rows == rows
